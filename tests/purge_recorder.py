"""A real HTTP server on a free loopback port that takes PURGE requests as Varnish would
(200) and records their `xkey` headers — or refuses them (503) while `refusing` is set."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PurgeRecorder:
    def __init__(self):
        self.purged: list[set[str]] = []
        self.refusing = False
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                if recorder.refusing:
                    self.send_response(503)
                else:
                    recorder.purged.append(set(self.headers.get("xkey", "").split()))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "PurgeRecorder":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def taken(self) -> set[str]:
        """Every key purged so far; then forgets them."""
        found = set().union(*self.purged) if self.purged else set()
        self.purged.clear()
        return found
