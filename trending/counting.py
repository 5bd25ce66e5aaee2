"""Counting reads: decide whether a page view is a read, and buffer it in the cache.

Where it hooks: the article view sends `articles.signals.article_viewed` after it has
rendered a public article (never for editors' previews). A signal, rather than a
middleware, because the view has already loaded the article — counting costs no query —
and `articles` stays unaware of trending. The site has no whole-page cache; if one is ever
added in front of the view, move this hook into a middleware placed before it.

Buffering: each read becomes an event in the cache (Redis when configured): a sequence
number from an atomic `incr`, and the event stored under that number. Nothing touches
PostgreSQL on the request; the flusher (`trending.flushing`) writes events to hourly totals
in batches. Many readers of one article never queue on one database row.
"""

import hashlib
import hmac
import re
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DEDUPE_SECONDS = 30 * 60  # default of settings.TRENDING_DEDUPE_SECONDS
EVENT_TTL_SECONDS = 24 * 3600  # an event not flushed within a day is dropped
EPOCH_KEY = "trending:epoch"
SEQ_KEY = "trending:seq:{epoch}"
EVENT_KEY = "trending:event:{epoch}:{seq}"
SEEN_KEY = "trending:seen:{article}:{reader}"

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


def is_countable(request) -> bool:
    """A person reading: not a bot, not a prefetch or prerender, not an editor."""
    agent = request.META.get("HTTP_USER_AGENT", "")
    if not agent or BOT_PATTERN.search(agent):
        return False
    for header, purposes in PREFETCH_HEADERS.items():
        value = request.META.get(header, "").lower()
        if any(purpose in value for purpose in purposes):
            return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def reader_fingerprint(request, now: datetime) -> str:
    """Who is reading, as a salted hash that changes every day: no raw IP is kept anywhere,
    no cookie is set, and yesterday's fingerprints cannot be linked to today's."""
    address = request.META.get(settings.CLIENT_IP_HEADER, "") or request.META.get("REMOTE_ADDR", "")
    address = address.split(",")[0].strip()
    agent = request.META.get("HTTP_USER_AGENT", "")
    salt = hmac.new(
        settings.SECRET_KEY.encode(), f"trending-salt:{now:%Y-%m-%d}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(salt, f"{address}|{agent}".encode(), hashlib.sha256).hexdigest()[:32]


def current_epoch() -> str:
    """The buffer's epoch: made once per cache life (see ReadBufferState)."""
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        cache.add(EPOCH_KEY, timezone.now().strftime("%Y%m%d%H%M%S%f"), timeout=None)
        epoch = cache.get(EPOCH_KEY)
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


def buffer_read(article_id: int, now: datetime) -> None:
    epoch = current_epoch()
    seq_key = SEQ_KEY.format(epoch=epoch)
    cache.add(seq_key, 0, timeout=None)
    seq = cache.incr(seq_key)
    hour = int(now.astimezone(UTC).replace(minute=0, second=0, microsecond=0).timestamp())
    cache.set(EVENT_KEY.format(epoch=epoch, seq=seq), (article_id, hour), EVENT_TTL_SECONDS)
