"""Writing buffered reads to PostgreSQL: exactly once, in batches, off the request path.

When it runs is decided in one place, `juredian.background`: every `TRENDING_FLUSH_SECONDS`
(5 s), in the web process itself by default — with the local-memory cache each process holds
a buffer no other process can see — or in the worker process when the cache is Redis. Any
number of processes may flush at once: the row lock on `ReadBufferState` keeps them from
writing the same batch twice. `manage.py flush_reads` does the same once.
"""

from collections import Counter

from django.core.cache import cache
from django.db import connection, transaction

from articles.models import Article

from .buffer import EPOCH_KEY, EVENT_KEY, SEQ_KEY, push_pending
from .models import ArticleReadHour, ReadBufferState

BATCH = 5000
# A just-numbered batch may not be stored yet (its writer is between incr and set): wait for
# the newest few rather than skip them. Older gaps are batches whose writer died: lost.
TAIL_GRACE = 20

# Reads of an article deleted meanwhile are dropped by the join.
UPSERT_SQL = """
INSERT INTO {totals} (article_id, hour, reads)
SELECT v.article_id, to_timestamp(v.hour), v.reads
FROM (VALUES {values}) AS v(article_id, hour, reads)
JOIN {articles} a ON a.id = v.article_id
ON CONFLICT (article_id, hour)
DO UPDATE SET reads = {totals}.reads + EXCLUDED.reads
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
            sql = UPSERT_SQL.format(
                totals=ArticleReadHour._meta.db_table,
                articles=Article._meta.db_table,
                values=values,
            )
            cursor.execute(sql, [v for row in chunk for v in row])
