"""Varnish in front of the site, on loopback: for `make edge`, the edge tests and `make bench`.

Production runs Debian's varnish service with deploy/varnish/juredian.vcl and a backends.vcl
of its own; this module writes that file for local app servers and starts a private
`varnishd` (its own working directory, no jail, no management port) in the foreground of a
child process. No Django imports: `make edge` runs it before the site starts.

    python -m juredian.varnish --listen 127.0.0.1:6081 --backend 127.0.0.1:8000 -- CMD…

starts Varnish, runs CMD (the site) and stops Varnish when CMD ends.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "juredian.vcl"
INSTALL_HINT = "Varnish is needed: apt-get install -y varnish varnish-modules"


def varnishd() -> str:
    path = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    if path is None:
        raise RuntimeError(INSTALL_HINT)
    return path


def backends_vcl(backends: list[str], media: str | None = None) -> str:
    """backends.vcl for app servers at `host:port` each: probed on /healthz (a node without
    its database answers 503 there and gets no readers; its pages are served stale), spread
    round-robin when there are several. With `media` (an S3 endpoint, `host:port`), /media/…
    is read from the object store's public bucket."""
    blocks = []
    for number, address in enumerate(backends):
        host, port = address.rsplit(":", 1)
        blocks.append(
            f"backend app{number} {{\n"
            f'    .host = "{host}";\n    .port = "{port}";\n'
            "    .connect_timeout = 1s;\n    .first_byte_timeout = 30s;\n"
            '    .probe = { .url = "/healthz"; .interval = 1s; .timeout = 1s;'
            " .window = 3; .threshold = 2; .initial = 2; }\n}\n"
        )
    media_route = ""
    if media:
        host, port = media.rsplit(":", 1)
        blocks.append(f'backend media {{\n    .host = "{host}";\n    .port = "{port}";\n}}\n')
        media_route = (
            '    if (req.url ~ "^/media/") {\n        set req.backend_hint = media;\n'
            '        set req.url = regsub(req.url, "^/media/", "/juredian-media/");\n'
            "        return;\n    }\n"
        )
    members = "".join(f"    spread.add_backend(app{n});\n" for n in range(len(backends)))
    return (
        "import directors;\n\n"
        + "\n".join(blocks)
        + f"\nsub vcl_init {{\n    new spread = directors.round_robin();\n{members}}}\n\n"
        f"sub choose_backend {{\n{media_route}    set req.backend_hint = spread.backend();\n}}\n"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Varnish:
    """A private varnishd (its own working directory, no jail, no management port) in front
    of `backends`, started in a new session so that it outlives a `make` command."""

    def __init__(self, workdir: Path, listen: str, backends: list[str], *, media=None,
                 memory_mb: int = 256):  # fmt: skip
        self.workdir, self.listen, self.memory_mb = Path(workdir), listen, memory_mb
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "backends.vcl").write_text(backends_vcl(backends, media))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.listen}"

    def start(self) -> "Varnish":
        log = open(self.workdir / "varnishd.log", "w+")  # noqa: SIM115 (varnishd's own)
        self.process = subprocess.Popen(
            [varnishd(), "-F", "-j", "none", "-n", str(self.workdir / "state"), "-a",
             self.listen, "-f", str(VCL), "-p",
             f"vcl_path={self.workdir}:{VCL.parent}:/usr/share/varnish/vcl",
             "-s", f"malloc,{self.memory_mb}m", "-T", "none"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        host, port = self.listen.rsplit(":", 1)
        _wait_for(host, int(port), self.process, log)
        log.close()
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process.pid)
            self.process.wait()


def stop_process(pid: int, seconds: float = 10) -> None:
    """SIGTERM to the process's group, SIGKILL if it is still there after `seconds`; returns
    once the group is gone (ports and all), so the part can be started again at once."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not _gone(pid, seconds):
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        _gone(pid, 5)


def _gone(pid: int, seconds: float) -> bool:
    """Whether the process group `pid` ended within `seconds` (reaped if it is our child)."""
    deadline = time.monotonic() + seconds
    while True:
        with suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


@contextmanager
def running(backends: list[str], *, listen: str | None = None, memory_mb: int = 256):
    """A private varnishd in front of `backends` (["127.0.0.1:8000", …]); yields its base
    URL. Stopped (and its working directory removed) on exit."""
    workdir = Path(tempfile.mkdtemp(prefix="juredian-varnish-"))
    node = Varnish(workdir, listen or f"127.0.0.1:{free_port()}", backends, memory_mb=memory_mb)
    try:
        yield node.start().url
    finally:
        node.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_for(host: str, port: int, process, log) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"varnishd did not start:\n{log.read()}")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("varnishd did not listen within 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:6081")
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = [part for part in options.command if part != "--"]
    try:
        with running(options.backend, listen=options.listen) as base:
            print(f"\n  Varnish is in front at {base}/ (the site itself: {options.backend[0]})\n")
            site = subprocess.Popen(command)
            try:
                sys.exit(site.wait())
            except KeyboardInterrupt:
                site.send_signal(signal.SIGINT)
                sys.exit(site.wait())
    except RuntimeError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
