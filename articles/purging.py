"""Telling the edge caches to drop pages, by surrogate key, once a change is committed.

`purge(*keys)` collects keys while a transaction runs and sends them when it commits (at once
outside one): `PURGE /` with the header `xkey: article-12 home …` to every node of
`EDGE_PURGE_URLS` — Varnish with the xkey vmod (deploy/varnish/juredian.vcl). No nodes
configured, no purging. Keys are sent in one request per node, in pieces of `KEYS_PER_REQUEST`.

A purge a node did not take (down, restarting, refusing) is logged and kept for that node;
the background runner sends it again every second (`retry_failed`) until the node takes it,
and a process leaving with purges still undelivered says so in the log, naming the keys. A
purge is never dropped silently. What to purge for each kind of change is in `edge_purges`.
"""

import atexit
import http.client
import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)
KEYS_PER_REQUEST = 200
TIMEOUT_SECONDS = 2
_local = threading.local()
_failed: dict[str, set[str]] = {}  # node URL → keys it has yet to take
_failed_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.EDGE_PURGE_URLS)


def purge(*keys: str) -> None:
    """Drop the pages under `keys` from every edge cache once the current transaction commits.

    Every call registers a commit callback, but the first to run sends everything collected,
    the others find nothing left; keys of a transaction that rolled back go out with the next
    commit's (a purge too many, never one too few)."""
    if not settings.EDGE_PURGE_URLS or not keys:
        return
    outbox = getattr(_local, "outbox", None)
    if outbox is None:
        outbox = _local.outbox = set()
    outbox.update(keys)
    transaction.on_commit(_send_outbox)


def _send_outbox() -> None:
    from .tasks import send_edge_purges  # the task module imports this one

    keys, _local.outbox = getattr(_local, "outbox", None), set()
    if keys:
        send_edge_purges.enqueue(sorted(keys))


def send(keys: set[str]) -> None:
    """Purge `keys` on every node now; what a node does not take is kept for a retry."""
    for url in settings.EDGE_PURGE_URLS:
        try:
            _purge(url, keys)
        except OSError as error:
            with _failed_lock:
                first = url not in _failed
                _failed.setdefault(url, set()).update(keys)
            if first:
                logger.warning(
                    "edge: purging %d keys at %s failed (%s); retrying", len(keys), url, error
                )


def retry_failed() -> None:
    """Send each node the purges it has not taken yet (the background runner, every second)."""
    with _failed_lock:
        waiting = dict(_failed)
        _failed.clear()
    for url, keys in waiting.items():
        try:
            _purge(url, keys)
        except OSError:
            with _failed_lock:
                _failed.setdefault(url, set()).update(keys)
        else:
            logger.warning("edge: %s took the %d waiting purge keys", url, len(keys))


def pending() -> dict[str, set[str]]:
    """Keys each node has yet to take (for the health report and tests)."""
    with _failed_lock:
        return {url: set(keys) for url, keys in _failed.items()}


@atexit.register
def _last_try() -> None:
    retry_failed()
    for url, keys in pending().items():
        logger.error("edge: %s never took these purge keys: %s", url, " ".join(sorted(keys)))


def _purge(url: str, keys: set[str]) -> None:
    parts = urlsplit(url)
    ordered = sorted(keys)
    for start in range(0, len(ordered), KEYS_PER_REQUEST):
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(
                "PURGE",
                parts.path or "/",
                headers={"xkey": " ".join(ordered[start : start + KEYS_PER_REQUEST])},
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise OSError(f"answered {response.status} {response.reason}")
