"""Counting reads: decide whether a page view is a read, and buffer it in the cache.

Where it hooks: the article view sends `articles.signals.article_viewed` for every reader's
view of a public article — freshly rendered or served from the page cache, never for
editors' previews. A signal, rather than a middleware, because the view knows the article
either way (the page cache keeps its id beside the page) — counting costs no query — and
`articles` stays unaware of trending.

Buffering: on the request a read costs a keyed hash and a dictionary entry — no cache or
database call. Every second the process's pending reads are de-duplicated against the
shared 30-minute window (one atomic cache `add` per reader and article) and go into the
cache (Redis when configured) as a numbered batch — a sequence number from an atomic
`incr`, the batch stored under it. The flusher (`trending.flushing`) writes the batches to
hourly totals. Many readers of one article never queue on one row.
"""

import hashlib
import re
import threading
import time
from collections import Counter
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from articles.clients import client_address

DEDUPE_SECONDS = 30 * 60  # default of settings.TRENDING_DEDUPE_SECONDS
EVENT_TTL_SECONDS = 24 * 3600  # an event not flushed within a day is dropped
EPOCH_KEY = "trending:epoch"
SEQ_KEY = "trending:seq:{epoch}"
EVENT_KEY = "trending:event:{epoch}:{seq}"
SEEN_KEY = "tr:s:{article}:{reader}"  # short: every read builds and checks this key

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrapy|curl|wget|python-|httpclient|okhttp|java/|go-http|"
    r"headless|phantomjs|lighthouse|facebookexternalhit|embedly|preview|monitor|pingdom|"
    r"feedfetcher|mediapartners|yandex|baidu|sogou|360spider|yisou|bytespider|petalbot|"
    r"semrush|ahrefs|mj12|dataforseo|applebot",
    re.IGNORECASE,
)
PREFETCH_HEADERS = {
    "HTTP_SEC_PURPOSE": ("prefetch", "prerender"),
    "HTTP_PURPOSE": ("prefetch", "preview"),
    "HTTP_X_PURPOSE": ("prefetch", "preview"),
    "HTTP_X_MOZ": ("prefetch",),
}


@lru_cache(maxsize=2048)
def is_bot(agent: str) -> bool:
    """Browsers send a few thousand distinct User-Agents: remember each verdict."""
    return not agent or BOT_PATTERN.search(agent) is not None


def is_countable(request) -> bool:
    """A person reading: not a bot, not a prefetch or prerender, not an editor."""
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    meta = request.META
    for header, purposes in PREFETCH_HEADERS.items():
        if header in meta:  # rarely sent: look at the value only then
            value = meta[header].lower()
            if any(purpose in value for purpose in purposes):
                return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # no session, so no editor: skip loading the user
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


@lru_cache(maxsize=4)
def _daily_salt(secret: str, day: int) -> bytes:
    return hashlib.blake2b(f"trending-salt:{day}".encode(), key=secret.encode()[:64]).digest()


def reader_fingerprint(request, now: datetime) -> str:
    """Who is reading, as a salted hash that changes every (UTC) day: no raw IP is kept
    anywhere, no cookie is set, and yesterday's fingerprints cannot be linked to today's.
    64 bits: collisions among one article's readers of one day are vanishingly rare."""
    address = client_address(request)
    agent = request.META.get("HTTP_USER_AGENT", "")
    salt = _daily_salt(settings.SECRET_KEY, int(now.timestamp()) // 86400)
    # BLAKE2 with a key is a MAC in one call, several times cheaper than HMAC-SHA256.
    return hashlib.blake2b(f"{address}|{agent}".encode(), key=salt, digest_size=8).hexdigest()


_epoch_memo: tuple[str, float] | None = None
EPOCH_MEMO_SECONDS = 5.0


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


def count_read(request, article_id: int, now: datetime | None = None) -> bool:
    """Take one view of an article for counting if it is a read; True when it was taken.

    Costs no cache or database call: the view joins this process's pending reads, and
    `push_pending` (every second, off the request path) drops those whose reader read the
    article within the last 30 minutes and moves the rest into the cache."""
    if not is_countable(request):
        return False
    now = now or timezone.now()
    key = (article_id, reader_fingerprint(request, now))
    hour = int(now.timestamp()) // 3600 * 3600  # the UTC hour: epoch hours are UTC hours
    with _pending_lock:
        if key in _pending:
            return False  # a reload within the same second
        _pending[key] = hour
    return True


def buffer_read(article_id: int, now: datetime) -> None:
    """Add a read that needs no de-duplication (imports, benchmarks) to the tally."""
    hour = int(now.timestamp()) // 3600 * 3600
    with _pending_lock:
        _tally[(article_id, hour)] += 1


_pending: dict[tuple[int, str], int] = {}  # (article, reader) → hour: not yet de-duplicated
_tally: Counter = Counter()  # (article, hour) → reads: de-duplicated, not yet in the cache
_pending_lock = threading.Lock()  # held for a dictionary operation, on the request path
_push_lock = threading.Lock()  # one push at a time (the flusher thread, `flush_reads`)


def push_pending() -> int:
    """Move this process's reads into the cache as one numbered batch; return its reads.

    First each pending reader is checked against the shared 30-minute window — an atomic
    `add` per (article, reader), pipelined on Redis: exact even when one reader's views
    reach several servers.
    The flusher thread does this every second, so a crashed process loses at most a second
    of reads; the batches then wait in the cache (Redis: outliving any web process) until
    `flushing.flush_reads` writes them to PostgreSQL.
    """
    global _pending, _tally
    with _push_lock:
        with _pending_lock:
            pending, _pending = _pending, {}
        window = getattr(settings, "TRENDING_DEDUPE_SECONDS", DEDUPE_SECONDS)
        try:
            first_reads = add_many(
                [SEEN_KEY.format(article=article, reader=reader) for article, reader in pending],
                window,
            )
        except Exception:  # the cache failed: these reads wait for the next push
            with _pending_lock:
                for key, hour in pending.items():
                    _pending.setdefault(key, hour)
            raise
        with _pending_lock:
            for ((article_id, _), hour), first in zip(pending.items(), first_reads, strict=True):
                if first:
                    _tally[(article_id, hour)] += 1
            batch, _tally = _tally, Counter()
        if not batch:
            return 0
        try:
            _store_batch(batch)
        except Exception:
            with _pending_lock:  # keep the reads for the next push
                _tally.update(batch)
            raise
        return sum(batch.values())


def _store_batch(batch: Counter) -> None:
    epoch = current_epoch()
    seq_key = SEQ_KEY.format(epoch=epoch)
    try:
        seq = cache.incr(seq_key)
    except ValueError:  # the first batch of this epoch, or the cache was emptied
        epoch = current_epoch(fresh=True)
        seq_key = SEQ_KEY.format(epoch=epoch)
        cache.add(seq_key, 0, timeout=None)
        seq = cache.incr(seq_key)
    cache.set(EVENT_KEY.format(epoch=epoch, seq=seq), dict(batch), EVENT_TTL_SECONDS)


def add_many(keys: list[str], timeout: int) -> list[bool]:
    """`cache.add` for each key (True where the key was new): on Redis one pipelined round
    trip of atomic SET NX EX — Django's cache API has no `add_many` — elsewhere a loop."""
    backend = caches["default"]
    if not keys:
        return []
    if not isinstance(backend, RedisCache):
        return [backend.add(key, 1, timeout) for key in keys]
    # Writes go to the first (leader) server, as RedisCache.add's do; keys carry the
    # configured prefix and version, as RedisCache.add makes them.
    pipeline = backend._cache.get_client(write=True).pipeline(transaction=False)
    for key in keys:
        pipeline.set(backend.make_and_validate_key(key), 1, ex=timeout, nx=True)
    return [bool(added) for added in pipeline.execute()]
