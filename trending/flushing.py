"""Writing buffered reads to PostgreSQL: exactly once, in batches, off the request path.

When it runs is decided in one place, `juredian.background`: every `TRENDING_FLUSH_SECONDS`
(5 s), in the web process itself by default — with the local-memory cache each process holds
a buffer no other process can see — or in the worker process when the cache is Redis. Any
number of processes may flush at once: the row lock on `ReadBufferState` keeps them from
writing the same batch twice. `manage.py flush_reads` does the same once.
"""

from collections import Counter
from datetime import timedelta

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article

from . import buffer
from .buffer import EPOCH_KEY, EVENT_KEY, READS_CACHE, SEQ_KEY
from .models import ArticleReadHour, FlushedBatch, ReadBufferState

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


FLUSHED_BATCH_DAYS = 2  # batch ids kept this long: well past any sender's resend


def flush_reads() -> int:
    """Write every buffered read to the hourly totals; return how many were written."""
    buffer.push_pending()
    cache = caches[READS_CACHE]
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        return 0
    newest = cache.get(SEQ_KEY.format(epoch=epoch)) or 0
    with transaction.atomic():  # totals and the high-water mark move together, or not at all
        state, _ = ReadBufferState.objects.select_for_update().get_or_create(epoch=epoch)
        if newest <= state.flushed_seq:
            return 0
        batches, keys, done = _collect(epoch, state.flushed_seq, newest)
        new = FlushedBatch.objects.record(batches)
        totals: Counter = Counter()
        for batch_id in new:
            totals.update(batches[batch_id])
        _upsert(totals)
        state.flushed_seq = done
        state.save(update_fields=["flushed_seq", "updated_at"])
        # Only once the totals are committed may the events go, and their senders forget
        # them (this process's own, at once; others learn it from FlushedBatch).
        transaction.on_commit(lambda: (cache.delete_many(keys), buffer.confirm(batches)))
    return sum(totals.values())


def _collect(epoch, after: int, newest: int) -> tuple[dict, list[str], int]:
    """({batch id: reads}, their keys, the last number read) from the numbers after
    `after`. A missing number among the newest few may be a batch still being written:
    stop there and come back. Older gaps are batches lost: their senders send them again."""
    batches: dict[str, dict] = {}
    keys: list[str] = []
    done = after
    for start in range(after + 1, newest + 1, BATCH):
        seqs = range(start, min(start + BATCH, newest + 1))
        names = {seq: EVENT_KEY.format(epoch=epoch, seq=seq) for seq in seqs}
        found = caches[READS_CACHE].get_many(list(names.values()))
        for seq, name in names.items():
            event = found.get(name)
            if event is None and newest - seq < TAIL_GRACE:
                return batches, keys, done
            if event is not None:
                batches[event["id"]] = event["reads"]  # {(article_id, hour): reads}
                keys.append(name)
            done = seq
    return batches, keys, done


def confirm_sent_batches() -> None:
    """Forget the batches this process sent that are in the database now (a background job:
    a process whose reads another process flushes learns it here)."""
    ids = buffer.unconfirmed_ids()
    if ids:
        found = FlushedBatch.objects.filter(id__in=ids).values_list("id", flat=True)
        buffer.confirm(batch_id.hex for batch_id in found)


def forget_old_batch_ids() -> None:
    FlushedBatch.objects.filter(
        flushed_at__lt=timezone.now() - timedelta(days=FLUSHED_BATCH_DAYS)
    ).delete()


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
