"""The read buffer: reads wait in the process, then in the cache, until the flusher writes
them to PostgreSQL (`trending.flushing`) — and the process keeps them until it knows.

1. On the request, `take` puts (article, reader) → hour into this process's pending reads:
   a dictionary entry under a lock, no cache call.
2. Every second `push_pending` (a background job) has each pending read *claim* its
   reader's 30-minute window in the shared cache — an atomic SET NX EX per (article,
   reader), one script call on Redis — and only a read that wins its claim counts, so one
   reader's views are counted once however many servers they reach. The counted reads
   become a **batch** with an id of its own, sent to the cache under a sequence number.
3. The flusher writes each batch id into `FlushedBatch` in the same transaction as the
   totals, skipping ids already there: a batch sent twice is counted once.
4. The process keeps every batch until its id is in `FlushedBatch` (`confirm`, a
   background job, or the flusher in this same process). A batch the cache lost — a write
   that failed, Redis restarted empty, a flusher that died — is sent again after
   `TRENDING_RESEND_SECONDS` (then at growing intervals). So no read accepted into the
   buffer is lost while the process lives, and none is counted twice.

When the cache fails part-way through claiming, a claim carries a token, so a retried claim
that had in fact landed is recognised as ours. While the cache stays down the reads wait in
the process, up to `MAX_WAITING`; beyond that the oldest are dropped, and logged.
"""

import logging
import threading
import time
import uuid
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

READS_CACHE = "reads"  # raises when the cache is unreachable (see settings.CACHES)
EVENT_TTL_SECONDS = 24 * 3600  # a batch the flusher has not taken within a day expires
EPOCH_KEY = "trending:epoch"
SEQ_KEY = "trending:seq:{epoch}"
EVENT_KEY = "trending:event:{epoch}:{seq}"
SEEN_KEY = "tr:s:{article}:{reader}"  # short: every read builds and claims this key
CLAIMS_PER_ROUND_TRIP = 5_000  # a backlog goes out in pieces, well inside the socket timeout
MAX_WAITING = 300_000  # reads kept in the process while the cache is down (~60 MB)
MAX_RESEND_SECONDS = 300
GIVE_UP_SECONDS = 24 * 3600  # a batch unconfirmed for a day is dropped (and logged)
EPOCH_MEMO_SECONDS = 5.0

Key = tuple[int, str]  # (article id, reader fingerprint)


@dataclass
class Batch:
    reads: dict  # (article_id, hour) → reads
    made: float  # monotonic
    sent: float | None = None  # when last sent (monotonic), None: not yet
    tries: int = 0

    @property
    def size(self) -> int:
        return sum(self.reads.values())

    def due(self, now: float) -> bool:
        if self.sent is None:
            return True
        wait = min(MAX_RESEND_SECONDS, settings.TRENDING_RESEND_SECONDS * 2 ** (self.tries - 1))
        return now - self.sent >= wait


_pending: dict[Key, int] = {}  # → hour: taken on requests, not yet claimed
_retry: dict[Key, tuple[int, str]] = {}  # → (hour, token): a claim that may have landed
_tally: Counter = Counter()  # (article, hour) → reads: counted, not yet in a batch
_batches: OrderedDict[str, Batch] = OrderedDict()  # id → batch, oldest first: unconfirmed
_lock = threading.Lock()  # held for dictionary operations, on the request path too
_push_lock = threading.Lock()  # one push at a time (the background job, `flush_reads`)
_epoch_memo: tuple[str, float] | None = None


def take(article_id: int, reader: str, now: datetime) -> bool:
    """A reader's view of an article, pending until the next push; False for a reload
    within the same second (already pending)."""
    hour = _hour(now)
    with _lock:
        if (article_id, reader) in _pending:
            return False
        _pending[(article_id, reader)] = hour
    return True


def buffer_read(article_id: int, now: datetime) -> None:
    """Add a read that needs no de-duplication (imports, benchmarks) to the tally."""
    hour = _hour(now)
    with _lock:
        _tally[(article_id, hour)] += 1


def _hour(now: datetime) -> int:
    """The hour a read is totalled under, in epoch seconds (epoch hours are UTC hours)."""
    return int(now.timestamp()) // 3600 * 3600


def push_pending() -> int:
    """Claim this process's pending reads, make the counted ones a batch, and send every
    batch that is due; return how many reads the new batch holds. Raises if the cache fails,
    with every read kept for the next push."""
    global _pending, _tally
    with _push_lock:
        with _lock:
            fresh, _pending = _pending, {}
            retried = dict(_retry)
            _retry.clear()
        token = uuid.uuid4().hex  # this push's: tells its own claims from everyone else's
        claims = retried  # the oldest first, so that the limit drops the oldest
        for key, hour in fresh.items():
            claims.setdefault(key, (hour, token))  # waiting already: the same read, again
        try:
            _claim(claims)
        finally:
            _keep_within_limit()
        with _lock:
            tally, _tally = _tally, Counter()
            if tally:
                _batches[uuid.uuid4().hex] = Batch(dict(tally), time.monotonic())
        _send_due()
        return sum(tally.values())


def _claim(claims: dict[Key, tuple[int, str]]) -> None:
    """Claim each reader's window, a round trip per piece; the reads that win go to the
    tally. On failure the unsettled claims wait in `_retry` with their tokens."""
    window = max(1, settings.TRENDING_DEDUPE_SECONDS)
    items = list(claims.items())
    for start in range(0, len(items), CLAIMS_PER_ROUND_TRIP):
        piece = items[start : start + CLAIMS_PER_ROUND_TRIP]
        try:
            won = claim_many(
                [
                    (SEEN_KEY.format(article=article, reader=reader), token)
                    for (article, reader), (_, token) in piece
                ],
                window=window,
            )
        except Exception:
            with _lock:
                _retry.update(items[start:])
            raise
        with _lock:
            for ((article_id, _), (hour, _)), counted in zip(piece, won, strict=True):
                if counted:
                    _tally[(article_id, hour)] += 1


def claim_many(claims: list[tuple[str, str]], *, window: int) -> list[bool]:
    """For each (key, token): True when the key now holds this token — it was free, or an
    earlier attempt whose reply was lost (ours, or the Redis client's own retry) had set it.

    Django's cache API has no `add_many`; the Redis backend of this project adds one
    (`juredian.cache.NewsroomRedisCache.claim_many`, one script call, one round trip), any
    other backend gets a loop of `add` and `get`."""
    backend = caches[READS_CACHE]
    if not claims:
        return []
    if hasattr(backend, "claim_many"):
        return backend.claim_many(claims, timeout=window)
    return [backend.add(key, token, window) or backend.get(key) == token for key, token in claims]


def _keep_within_limit() -> None:
    """While the cache (or the database) is down, reads pile up in `_retry` and in unsent
    batches: keep the newest `MAX_WAITING`, dropping the oldest."""
    dropped = 0
    with _lock:
        excess = len(_retry) + sum(b.size for b in _batches.values()) - MAX_WAITING
        for key in list(_retry)[: max(0, excess)]:
            del _retry[key]
            dropped += 1
        while excess - dropped > 0 and _batches:
            dropped += _batches.popitem(last=False)[1].size
    if dropped:
        logger.warning("trending: the cache is unreachable; dropped %d waiting reads", dropped)


def _send_due() -> None:
    """Send each batch not yet sent, or sent long enough ago to be presumed lost, under a
    new number; the same id every time, so the flusher counts it once."""
    now = time.monotonic()
    with _lock:
        due = [(batch_id, b) for batch_id, b in _batches.items() if b.due(now)]
        expired = [batch_id for batch_id, b in _batches.items() if now - b.made > GIVE_UP_SECONDS]
        for batch_id in expired:
            logger.warning(
                "trending: dropped %d reads unconfirmed for a day", _batches[batch_id].size
            )
            del _batches[batch_id]
    for batch_id, batch in due:
        if batch_id not in _batches:
            continue
        epoch, seq = _next_number()
        caches[READS_CACHE].set(
            EVENT_KEY.format(epoch=epoch, seq=seq),
            {"id": batch_id, "reads": batch.reads},
            EVENT_TTL_SECONDS,
        )
        batch.sent, batch.tries = time.monotonic(), batch.tries + 1


def unconfirmed_ids(*, sent_only: bool = True) -> list[str]:
    with _lock:
        return [i for i, b in _batches.items() if b.sent is not None or not sent_only]


def confirm(ids) -> None:
    """These batches are in the database: forget them."""
    with _lock:
        for batch_id in ids:
            _batches.pop(batch_id, None)


def waiting_reads() -> int:
    """Reads this process holds that the database does not have yet."""
    with _lock:
        return (
            len(_pending)
            + len(_retry)
            + sum(_tally.values())
            + sum(b.size for b in _batches.values())
        )


def _next_number() -> tuple[str, int]:
    cache = caches[READS_CACHE]
    epoch = current_epoch()
    seq_key = SEQ_KEY.format(epoch=epoch)
    try:
        return epoch, cache.incr(seq_key)
    except ValueError:  # the first batch of this epoch, or the cache was emptied
        epoch = current_epoch(fresh=True)
        seq_key = SEQ_KEY.format(epoch=epoch)
        cache.add(seq_key, 0, timeout=None)
        return epoch, cache.incr(seq_key)


def current_epoch(*, fresh: bool = False) -> str:
    """The buffer's epoch: made once per cache life (see ReadBufferState). Remembered in
    the process for a few seconds, which is how long a restarted cache may go unnoticed."""
    global _epoch_memo
    cache = caches[READS_CACHE]
    now = time.monotonic()
    if not fresh and _epoch_memo and now - _epoch_memo[1] < EPOCH_MEMO_SECONDS:
        return _epoch_memo[0]
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, timezone.now().strftime("%Y%m%d%H%M%S%f"), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    _epoch_memo = (epoch, now)
    return epoch
