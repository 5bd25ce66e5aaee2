"""Counting reads: decide whether a page view is a read, and buffer it in the cache.

Where it hooks: the article view sends `articles.signals.article_viewed` for every reader's
view of a public article — freshly rendered or served from the page cache, never for
editors' previews. A signal, rather than a middleware, because the view knows the article
either way (the page cache keeps its id beside the page) — counting costs no query — and
`articles` stays unaware of trending.

Buffering: a counted read costs one cache operation (the 30-minute de-duplication key) and
an increment of an in-process tally. Every second the tally goes into the cache (Redis when
configured) as a numbered batch — a sequence number from an atomic `incr`, the batch stored
under it. Nothing touches PostgreSQL on the request; the flusher (`trending.flushing`)
writes the batches to hourly totals. Many readers of one article never queue on one row.
"""

import hashlib
import re
import threading
import time
from collections import Counter
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
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
    """Buffer one read of an article if it counts; True when it was counted."""
    if not is_countable(request):
        return False
    now = now or timezone.now()
    seen = SEEN_KEY.format(article=article_id, reader=reader_fingerprint(request, now))
    window = getattr(settings, "TRENDING_DEDUPE_SECONDS", DEDUPE_SECONDS)
    if not cache.add(seen, 1, timeout=window):
        return False  # the same reader read it within the last 30 minutes
    buffer_read(article_id, now)
    return True


_pending: Counter = Counter()
_pending_lock = threading.Lock()


def buffer_read(article_id: int, now: datetime) -> None:
    """Add a read to this process's tally; `push_pending` moves tallies into the cache."""
    hour = int(now.timestamp()) // 3600 * 3600  # the UTC hour: epoch hours are UTC hours
    with _pending_lock:
        _pending[(article_id, hour)] += 1


def push_pending() -> int:
    """Move this process's tally into the cache as one numbered batch; return its reads.

    The flusher thread does this every second, so a crashed process loses at most a second
    of reads; the batches then wait in the cache (Redis: outliving any web process) until
    `flushing.flush_reads` writes them to PostgreSQL.
    """
    global _pending
    with _pending_lock:
        batch, _pending = _pending, Counter()
    if not batch:
        return 0
    try:
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
    except Exception:
        with _pending_lock:  # the cache failed: keep the reads for the next push
            _pending.update(batch)
        raise
    return sum(batch.values())
