"""Serve the site with gunicorn and load it with wrk, both on loopback, for a bounded time."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import psutil

ROOT = Path(__file__).resolve().parents[2]
READER_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local ip = "10." .. (counter % 250) .. "." .. math.random(0, 250) .. "." .. math.random(1, 250)
  return wrk.format("GET", nil, {["X-Real-IP"] = ip, ["User-Agent"] = "Mozilla/5.0 (bench reader)"})
end
"""


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("make bench needs wrk: apt-get install wrk")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(**env):
    """A gunicorn (-w 2 -k sync) on a free loopback port; yields (base_url, process)."""
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "juredian.benchmarks.settings",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        **env,
    }
    process = subprocess.Popen(
        # make run's configuration (its hooks start the background runner), with the
        # benchmark's fixed shape on top: the command line overrides the file.
        [sys.executable, "-m", "gunicorn", "juredian.wsgi", "--config", "python:juredian.gunicorn",
         "-w", "2", "-k", "sync", "--max-requests", "0", "--access-logfile", "/dev/null",
         "--bind", f"127.0.0.1:{port}", "--log-level", "error"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/__ceiling__", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None:
                    sys.exit("gunicorn did not start:\n" + process.stderr.read().decode())
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def warm(url: str, times: int = 20) -> None:
    for _ in range(times):
        urllib.request.urlopen(url, timeout=10).read()


class Load(NamedTuple):
    rate: float  # requests per second
    requests: int


def wrk(url: str, *, seconds: int = 8, readers: bool = False) -> Load:
    """What `wrk -t2 -c16` reaches on `url` in `seconds`."""
    command = [require_wrk(), "-t2", "-c16", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if readers:  # every request a different reader, so counting does its full work
            script.write(READER_SCRIPT)
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30
        ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not rate or not requests or errors:
        sys.exit(f"wrk failed on {url}:\n{output}")
    return Load(float(rate.group(1)), int(requests.group(1)))


def workers_cpu_seconds(process) -> float:
    """CPU time (user + system) the server's worker processes have used so far; steadier
    than throughput on a shared machine, where other work takes turns on the same cores."""
    return sum(sum(child.cpu_times()[:2]) for child in psutil.Process(process.pid).children())


def worker_rss_mb(process) -> float:
    """The largest resident memory of the server's worker processes, in MiB."""
    children = psutil.Process(process.pid).children()
    return max(child.memory_info().rss for child in children) / 1024 / 1024
