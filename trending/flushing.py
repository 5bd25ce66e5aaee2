"""Writing buffered reads to PostgreSQL: exactly once, in batches, off the request path.

Where it runs: a daemon thread in each web process (started on first use) moves the
process's tally into the cache every second, flushes every `TRENDING_FLUSH_SECONDS` (5 s)
and recomputes the list at most once a minute. In-process,
not cron, because with the local-memory cache each worker holds its own buffer that no
other process can see; with Redis any process may flush, and the database row lock in
`flush_reads` keeps concurrent flushers from writing the same events twice. A crash loses
at most the events of the last few seconds. `manage.py flush_reads` does the same once.
"""

import atexit
import logging
import os
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction

from .buffer import EPOCH_KEY, EVENT_KEY, SEQ_KEY, push_pending
from .models import ReadBufferState

logger = logging.getLogger(__name__)

BATCH = 5000
# A just-numbered batch may not be stored yet (its writer is between incr and set): wait for
# the newest few rather than skip them. Older gaps are batches whose writer died: lost.
TAIL_GRACE = 20
RECOMPUTE_LOCK = "trending:recompute-lock"
PUSH_SECONDS = 1  # how often this process's tally moves into the cache

UPSERT_SQL = """
INSERT INTO trending_articlereadhour (article_id, hour, reads)
SELECT v.article_id, to_timestamp(v.hour), v.reads
FROM (VALUES {values}) AS v(article_id, hour, reads)
JOIN articles_article a ON a.id = v.article_id
ON CONFLICT (article_id, hour)
DO UPDATE SET reads = trending_articlereadhour.reads + EXCLUDED.reads
"""


def flush_reads() -> int:
    """Write every buffered read to the hourly totals; return how many were written."""
    push_pending()
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        return 0
    newest = cache.get(SEQ_KEY.format(epoch=epoch)) or 0
    flushed_keys: list[str] = []
    with transaction.atomic():  # totals and the high-water mark move together, or not at all
        state, _ = ReadBufferState.objects.select_for_update().get_or_create(epoch=epoch)
        if newest <= state.flushed_seq:
            return 0
        totals, done = _collect(epoch, state.flushed_seq, newest, flushed_keys)
        _upsert(totals)
        state.flushed_seq = done
        state.save(update_fields=["flushed_seq", "updated_at"])
        # Only once the totals are committed may the events go; a rollback keeps them.
        transaction.on_commit(lambda: cache.delete_many(flushed_keys))
    return sum(totals.values())


def _collect(epoch, after: int, newest: int, keys: list[str]) -> tuple[Counter, int]:
    totals: Counter = Counter()
    done = after
    for start in range(after + 1, newest + 1, BATCH):
        seqs = range(start, min(start + BATCH, newest + 1))
        names = {seq: EVENT_KEY.format(epoch=epoch, seq=seq) for seq in seqs}
        found = cache.get_many(list(names.values()))
        for seq, name in names.items():
            event = found.get(name)
            if event is None and newest - seq < TAIL_GRACE:
                return totals, done
            if event is not None:
                totals.update(event)  # {(article_id, hour): reads}
                keys.append(name)
            done = seq
    return totals, done


def _upsert(totals: Counter) -> None:
    rows = [(article_id, hour, reads) for (article_id, hour), reads in totals.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join(["(%s::bigint, %s::double precision, %s::integer)"] * len(chunk))
            cursor.execute(UPSERT_SQL.format(values=values), [v for row in chunk for v in row])


# --- the background worker -----------------------------------------------------------------

_lock = threading.Lock()
_worker_pid: int | None = None


def ensure_background_worker() -> None:
    """Start this process's flusher thread once (again after a fork: gunicorn preloads)."""
    global _worker_pid
    if not settings.TRENDING_BACKGROUND or _worker_pid == os.getpid():
        return
    with _lock:
        if _worker_pid == os.getpid():
            return
        _worker_pid = os.getpid()
        threading.Thread(target=_run, name="trending-flusher", daemon=True).start()
        atexit.register(_flush_quietly)


def _run() -> None:
    from .ranking import recompute

    last_flush = time.monotonic()
    while True:
        time.sleep(PUSH_SECONDS)
        try:
            push_pending()
            if time.monotonic() - last_flush >= settings.TRENDING_FLUSH_SECONDS:
                last_flush = time.monotonic()
                flush_reads()
                if cache.add(RECOMPUTE_LOCK, 1, timeout=settings.TRENDING_RECOMPUTE_SECONDS):
                    recompute()
        except Exception:
            logger.exception("trending: flushing reads failed; will retry")
        finally:
            close_old_connections()


def _flush_quietly() -> None:
    """On a graceful worker exit (gunicorn's max_requests), keep the last seconds' reads."""
    try:
        flush_reads()
    except Exception:
        logger.exception("trending: final flush failed")
