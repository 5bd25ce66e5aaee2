"""The cluster's throughput through the edge, and its latency while an app node is killed."""

import re
import subprocess
import threading
import time
import uuid
from typing import NamedTuple

from juredian.cluster import Cluster

from .http import ROOT, require_wrk, warm

SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"


class ClusterFigures(NamedTuple):
    article_rate: float  # req/s through the edge, warm
    beacon_rate: float  # req/s of read beacons (every one reaches an app node)
    kill_rate: float  # req/s of beacons while app0 is killed and restarted
    kill_p99_ms: float
    kill_errors: int


def cluster_figures(article_path: str, article_id: int, seconds: int) -> ClusterFigures:
    cluster = Cluster(ROOT / "var" / f"bench-cluster-{uuid.uuid4().hex[:6]}", fsync=False)
    try:
        cluster.start()
        page = cluster.edge_url + article_path
        warm(page)
        article = _wrk(page, seconds)
        beacon_url = f"{cluster.edge_url}/trending/read/{article_id}/"
        beacon = _wrk(beacon_url, seconds)

        def kill_and_restart():
            time.sleep(seconds / 3)
            cluster.kill_part("app0")
            time.sleep(seconds / 3)
            cluster.start_part("app0")

        killer = threading.Thread(target=kill_and_restart)
        killer.start()
        during = _wrk(beacon_url, seconds + 4)
        killer.join()
        return ClusterFigures(article[0], beacon[0], during[0], during[1], during[2])
    finally:
        cluster.remove()


def _wrk(url: str, seconds: int) -> tuple[float, float, int]:
    """(req/s, p99 in ms, non-2xx/3xx answers and socket errors) of wrk -t2 -c16."""
    output = subprocess.run(
        [require_wrk(), "-t2", "-c16", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, timeout=seconds + 60,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(SOCKET_ERRORS, output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return rate, float(p99.group(1)) * scale, failed
