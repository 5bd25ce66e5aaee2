"""The read buffer: reads wait in the process, then in the cache, until the flusher writes
them to PostgreSQL (`trending.flushing`).

1. On the request, `take` puts (article, reader) → hour into this process's pending reads:
   a dictionary entry under a lock, no cache call.
2. Every second the flusher thread calls `push_pending`. Each pending read *claims* its
   reader's 30-minute window in the shared cache — an atomic SET NX EX per (article,
   reader), one script call on Redis — and only a read that wins its claim counts, so one
   reader's views are counted once however many servers they reach.
3. The counted reads go into the cache (Redis when configured) as one numbered batch: a
   sequence number from an atomic `incr`, the batch stored under it.

When the cache fails part-way, nothing is counted twice: a claim carries a token, so a
retried claim that had in fact landed is recognised as ours; a batch whose write may have
landed is written again under the same number (the flusher reads each number once — and
counts it lost once 20 newer batches have passed it, so a write that failed for longer than
that loses its second of reads rather than risk counting it twice). While the cache stays
down the reads wait in the process, up to `MAX_WAITING`; beyond that the oldest are
dropped, and logged.
"""

import logging
import threading
import time
import uuid
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone

logger = logging.getLogger(__name__)

EVENT_TTL_SECONDS = 24 * 3600  # a batch not flushed within a day is dropped
EPOCH_KEY = "trending:epoch"
SEQ_KEY = "trending:seq:{epoch}"
EVENT_KEY = "trending:event:{epoch}:{seq}"
SEEN_KEY = "tr:s:{article}:{reader}"  # short: every read builds and claims this key
CLAIMS_PER_ROUND_TRIP = 5_000  # a backlog goes out in pieces, well inside the socket timeout
MAX_WAITING = 300_000  # reads kept in the process while the cache is down (~60 MB)
MAX_UNSENT = 3_600  # batches, an hour of pushes
EPOCH_MEMO_SECONDS = 5.0

Key = tuple[int, str]  # (article id, reader fingerprint)

_pending: dict[Key, int] = {}  # → hour: taken on requests, not yet claimed
_retry: dict[Key, tuple[int, str]] = {}  # → (hour, token): a claim that may have landed
_tally: Counter = Counter()  # (article, hour) → reads: counted, not yet in the cache
_unsent: list[tuple[str, int, dict]] = []  # (epoch, seq, batch): written? not known
_lock = threading.Lock()  # held for dictionary operations, on the request path too
_push_lock = threading.Lock()  # one push at a time (the flusher thread, `flush_reads`)
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
    """Claim this process's pending reads and move the counted ones into the cache as one
    numbered batch; return how many reads the batch holds. Raises if the cache fails, with
    every read kept for the next push."""
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
        _send_unsent()
        with _lock:
            batch, _tally = _tally, Counter()
        if not batch:
            return 0
        _send(dict(batch))
        return sum(batch.values())


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
    backend = caches["default"]
    if not claims:
        return []
    if hasattr(backend, "claim_many"):
        return backend.claim_many(claims, timeout=window)
    return [backend.add(key, token, window) or backend.get(key) == token for key, token in claims]


def _keep_within_limit() -> None:
    """While the cache is down, reads pile up in `_retry` (oldest first): keep the newest
    `MAX_WAITING`."""
    with _lock:
        excess = len(_retry) - MAX_WAITING
        if excess > 0:
            for key in list(_retry)[:excess]:
                del _retry[key]
            logger.warning("trending: the cache is unreachable; dropped %d waiting reads", excess)


def _send_unsent() -> None:
    """Write again the batches whose write may not have landed, under their own numbers."""
    if len(_unsent) > MAX_UNSENT:
        logger.warning("trending: dropped %d unsent read batches", len(_unsent) - MAX_UNSENT)
        del _unsent[: len(_unsent) - MAX_UNSENT]
    while _unsent:
        epoch, seq, batch = _unsent[0]
        cache.set(EVENT_KEY.format(epoch=epoch, seq=seq), batch, EVENT_TTL_SECONDS)
        _unsent.pop(0)


def _send(batch: dict) -> None:
    try:
        epoch, seq = _next_number()
    except Exception:
        with _lock:  # no number, so nothing was written: the reads wait in the tally
            _tally.update(batch)
        raise
    try:
        cache.set(EVENT_KEY.format(epoch=epoch, seq=seq), batch, EVENT_TTL_SECONDS)
    except Exception:
        _unsent.append((epoch, seq, batch))  # it may have landed: same number next time
        raise


def _next_number() -> tuple[str, int]:
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
    now = time.monotonic()
    if not fresh and _epoch_memo and now - _epoch_memo[1] < EPOCH_MEMO_SECONDS:
        return _epoch_memo[0]
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, timezone.now().strftime("%Y%m%d%H%M%S%f"), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    _epoch_memo = (epoch, now)
    return epoch
