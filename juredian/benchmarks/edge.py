"""Pages through Varnish, the read beacon, and pages on Redis: each as a ratio of the Django
ceiling measured by the same server in the same run (the machine is shared and noisy)."""

import subprocess
import time
from contextlib import contextmanager
from statistics import median
from typing import NamedTuple

from juredian import varnish

from .http import free_port, gunicorn, warm, worker_rss_mb, wrk

CEILING = "/__ceiling__"


class Ratio(NamedTuple):
    rate: float  # the page's req/s (median of the rounds)
    ceiling: float  # the ceiling's req/s measured beside it (median)
    ratio: float  # median of the rounds' page / ceiling


ROUNDS = 3


def paired(ceiling_url: str, url: str, seconds: int) -> Ratio:
    """The page against the ceiling measured right before it, round after round: another
    process taking a core for a few seconds moves both sides of one round, not the ratio."""
    rounds = []
    for _ in range(ROUNDS):
        rounds.append((_rate(ceiling_url, seconds), _rate(url, seconds)))
    ceilings, rates = zip(*rounds, strict=True)
    return Ratio(median(rates), median(ceilings), median(rate / c for c, rate in rounds))


def through_edge(paths: dict[str, str], seconds: int) -> tuple[dict, dict, float]:
    """({label: Ratio} from gunicorn itself, {label: Ratio} through Varnish in front of the
    same gunicorn, the largest worker's RSS in MiB after)."""
    direct, edge = {}, {}
    with gunicorn(TRENDING_COUNT_READS="0") as (base, process):
        for label, path in paths.items():
            direct[label] = paired(base + CEILING, base + path, seconds)
        port = base.rsplit(":", 1)[1]
        with varnish.running([f"127.0.0.1:{port}"]) as front:
            for label, path in paths.items():
                edge[label] = paired(base + CEILING, front + path, seconds)
        rss = worker_rss_mb(process)
    return direct, edge, rss


def beacon(article_id: int, seconds: int) -> Ratio:
    """The read beacon against the ceiling, counting on and every request a new reader."""
    with gunicorn() as (base, _process):
        rounds = []
        for _ in range(ROUNDS):
            ceiling = _rate(base + CEILING, seconds)
            counted = wrk(base + f"/trending/read/{article_id}/", seconds=seconds, readers=True)
            rounds.append((ceiling, counted.rate))
    ceilings, rates = zip(*rounds, strict=True)
    return Ratio(median(rates), median(ceilings), median(rate / c for c, rate in rounds))


def on_redis(path: str, seconds: int) -> Ratio:
    """The page with the caches on a private Redis, against the ceiling on the same server."""
    with private_redis() as url, gunicorn(REDIS_URL=url, TRENDING_COUNT_READS="0") as (base, _):
        return paired(base + CEILING, base + path, seconds)


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
