"""Worker memory under a flood of distinct addresses: the page cache must stay bounded."""

import http.client
import threading
import time
import uuid
from typing import NamedTuple
from urllib.parse import urlsplit

from .http import gunicorn, warm, worker_rss_mb

CLIENTS = 8


class Flood(NamedTuple):
    addresses: int
    seconds: float
    rss_before: float  # MiB, the largest worker
    rss_after: float


def search_flood(addresses: int = 100_000) -> Flood:
    """`addresses` distinct search URLs (nobody asks for one twice), as a crawler or an
    attacker sends them, against the local-memory configuration; the largest worker's RSS
    before and after."""
    with gunicorn() as (base, process):
        warm(base + "/search/?q=%E9%92%A2%E9%93%81")  # 钢铁
        before = worker_rss_mb(process)
        started = time.perf_counter()
        clients = [
            threading.Thread(target=_ask, args=(base, addresses // CLIENTS, n))
            for n in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        return Flood(addresses, time.perf_counter() - started, before, worker_rss_mb(process))


def _ask(base: str, count: int, client: int) -> None:
    """One keep-alive connection asking for `count` search pages no one asked for before."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    prefix = uuid.uuid4().hex[:6]
    for n in range(count):
        connection.request("GET", f"/search/?q=flood{prefix}{client}x{n}&page={n % 3 + 1}")
        connection.getresponse().read()
    connection.close()
