"""A real TCP proxy in front of Redis that loses a reply: armed with a byte pattern, it
forwards the next request holding it to Redis — which carries it out — and then drops the
connection instead of relaying the answer. A network failure at the worst moment, with no
mock of Redis or of our code."""

import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit


class LossyProxy:
    def __init__(self, upstream_url: str):
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.database = parts.path or "/0"
        self.trigger: bytes | None = None
        self.tripped = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.database}"

    def arm(self, trigger: bytes) -> None:
        self.trigger = trigger

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            state = {"silent": False}
            threading.Thread(target=self._up, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._down, args=(client, upstream, state), daemon=True).start()

    def _up(self, client, upstream, state):
        try:
            while data := client.recv(65536):
                if self.trigger and self.trigger in data:
                    self.trigger, state["silent"] = None, True
                    self.tripped += 1
                    upstream.sendall(data)
                    time.sleep(0.2)  # Redis carries the request out; its answer is lost
                    client.close()
                    upstream.close()
                    return
                upstream.sendall(data)
        except OSError:
            pass

    def _down(self, client, upstream, state):
        try:
            while data := upstream.recv(65536):
                if not state["silent"]:
                    client.sendall(data)
        except OSError:
            pass

    def close(self):
        self.server.close()


@contextmanager
def lossy_redis(settings):
    """The site's Redis cache, reached through a LossyProxy (same database, same prefix)."""
    from tests.conftest import redis_caches

    working = settings.CACHES
    proxy = LossyProxy(working["default"]["LOCATION"])
    # No pause after a failure: the test retries at once, as a later second would.
    settings.CACHES = redis_caches(proxy.url, breaker_seconds=0)
    try:
        yield proxy
    finally:
        settings.CACHES = working
        proxy.close()
