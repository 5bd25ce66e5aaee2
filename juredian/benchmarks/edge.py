"""Pages through Varnish, the read beacon, and pages on Redis: each as a ratio of the Django
ceiling measured by the same server in the same run (the machine is shared and noisy)."""

import subprocess
import time
from contextlib import contextmanager

from juredian import varnish

from .http import free_port, gunicorn, warm, worker_rss_mb, wrk

CEILING = "/__ceiling__"


def through_edge(paths: dict[str, str], seconds: int) -> tuple[dict, dict, float]:
    """({label: req/s} from gunicorn itself — with the ceiling —, {label: req/s} through
    Varnish in front of the same gunicorn, the largest worker's RSS in MiB after)."""
    direct, edge = {}, {}
    with gunicorn(TRENDING_COUNT_READS="0") as (base, process):
        direct["ceiling"] = _rate(base + CEILING, seconds)
        for label, path in paths.items():
            direct[label] = _rate(base + path, seconds)
        port = base.rsplit(":", 1)[1]
        with varnish.running([f"127.0.0.1:{port}"]) as front:
            for label, path in paths.items():
                edge[label] = _rate(front + path, seconds)
        rss = worker_rss_mb(process)
    return direct, edge, rss


def beacon(article_id: int, seconds: int) -> tuple[float, float]:
    """(ceiling, read beacon) req/s, counting on and every request a new reader."""
    with gunicorn() as (base, _process):
        ceiling = _rate(base + CEILING, seconds)
        counted = wrk(base + f"/trending/read/{article_id}/", seconds=seconds, readers=True)
    return ceiling, counted.rate


def on_redis(path: str, seconds: int) -> tuple[float, float]:
    """(ceiling, page) req/s with the caches on a private Redis."""
    with private_redis() as url, gunicorn(REDIS_URL=url, TRENDING_COUNT_READS="0") as (base, _):
        return _rate(base + CEILING, seconds), _rate(base + path, seconds)


def _rate(url: str, seconds: int) -> float:
    warm(url)
    return wrk(url, seconds=seconds).rate


@contextmanager
def private_redis():
    """A redis-server of the benchmark's own on a free loopback port (it keeps nothing)."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
