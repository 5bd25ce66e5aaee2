"""Counting reads: decide whether a page view is a read, and who the reader is.

Where it hooks: the read beacon (`trending.views.read_beacon`), an image every public
article page carries (never an editor's preview). The beacon alone counts, not the page
view: the page may come from an edge cache, the page cache or Python, the beacon always
reaches us, so every read is counted the same way once — even when Redis, which keeps who
read what in the last 30 minutes, restarts empty between a page and its beacon.

Counting itself costs a keyed hash and a dictionary entry in this process's buffer
(`trending.buffer`), no cache or database call; the beacon then hands the read to the shared
cache before it answers (`trending.views._push_now`), so it outlives the process.
"""

import hashlib
import re
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from articles.clients import client_address

from . import buffer

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


def count_read(request, article_id: int, now: datetime | None = None) -> bool:
    """Take one view of an article for counting if it is a read; True when it was taken.

    The buffer's push (every second, off the request path) then drops it if the same
    reader read the article within the last 30 minutes, on any server."""
    if not is_countable(request):
        return False
    now = now or timezone.now()
    return buffer.take(article_id, reader_fingerprint(request, now), now)
