"""Whole pages for anonymous readers, kept in the cache for up to a minute.

A cached page is kept under its address, with the site's content version it was made
under; it is served only while that version is still current. The version is made of:
- a generation counter in the cache, bumped when any article, section, tag, channel or image
  is saved or deleted — after the commit, so no reader can refill the cache from the data
  being replaced; shared by every process when the cache is Redis;
- the newest `updated_at` of any article, read from the database the page is read from (at
  most every half second per process), so a change made by a process that cannot reach this
  cache — `manage.py takedown` beside a local-memory cache — shows within half a second;
- the minute, so scheduled articles and the 热传 sidebar are never more than a minute behind.
The counter and the page come in one `get_many`: one round trip to Redis per cached page.
Editors (anyone with a session cookie) always get fresh pages.

What is kept is bounded: pages live in the `pages` cache (Redis, or without it a store of at
most `PAGE_CACHE_MAX_MB` in the process); a page is stored only for the query parameters
its view reads, so made-up parameters cannot fill the cache; and a page with parameters (a
search, page 7 of the archive) only on its second request within ten minutes, so a flood of
addresses that nobody asks for twice leaves a small marker each, not a page.

A stored page outlives its version for a day: when the database cannot be reached, the last
good copy of a page is served (stale-if-error, see `stale_page`) rather than an error.
"""

import hashlib
import time
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router, transaction
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag

from .models import Article

PAGE_SECONDS = 60  # how long a page may be served while nothing changes (its version)
STALE_SECONDS = 24 * 3600  # how long it is kept for a database outage
SEEN_SECONDS = 600  # a page with parameters is stored when asked for again within this
GENERATION_KEY = "page:generation"
VERSION_MEMO_SECONDS = 0.5
_memo: dict[str, tuple[float, float]] = {}  # database alias → (newest updated_at, read at)


def newest_article_update() -> float:
    """The newest `updated_at` of any article (epoch seconds), read from the database pages
    are read from, at most every half second per process: how a process learns of changes
    made by processes that do not share its cache."""
    alias = router.db_for_read(Article)
    now = time.monotonic()
    memo = _memo.get(alias)
    if memo is None or now - memo[1] > VERSION_MEMO_SECONDS:
        # Plain SQL: the ORM would compile the same aggregate on every request.
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT max(updated_at) FROM {Article._meta.db_table}")
            (latest,) = cursor.fetchone()
        memo = _memo[alias] = (latest.timestamp() if latest else 0.0, now)
    return memo[0]


def content_version(generation: int | None) -> str:
    """The version a page is made under, given the generation counter read with it."""
    return f"{generation or 0}:{newest_article_update()}:{int(time.time() // PAGE_SECONDS)}"


def forget_content_version(**kwargs) -> None:
    """Content changed: retire every cached page once the change is committed."""
    transaction.on_commit(_retire_pages)


def _retire_pages() -> None:
    _memo.clear()
    bump_generation(GENERATION_KEY, "pages")


def bump_generation(key: str, alias: str = "default") -> None:
    """Advance a counter that cache keys embed, so every entry made under the old value is
    retired at once (and expires unseen). Shared by all processes when the cache is Redis."""
    cache = caches[alias]
    cache.add(key, 0, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr (or the cache is down: nothing kept)
        cache.set(key, 1, timeout=None)


class PageSlot(NamedTuple):
    key: str
    version: str  # the content version the page is being made under
    admit: bool  # store the page once made (False: a first request for a page with parameters)


def page_key(request) -> str:
    address = request.build_absolute_uri()  # scheme and host too: pages carry absolute links
    return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def may_be_cached(request, params: frozenset = frozenset()) -> bool:
    """An anonymous reader's GET or HEAD, with only the query parameters the view reads."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and set(request.GET) <= params
    )


def cached_page(request, params: frozenset = frozenset()) -> tuple[PageSlot | None, tuple | None]:
    """(slot, (response, extra) or None); (None, None) when the request must be served fresh:
    not a GET/HEAD, a signed-in editor, or query parameters the view does not read."""
    if not may_be_cached(request, params):
        return None, None
    pages = caches["pages"]
    key = page_key(request)
    seen_key = key + ":seen"
    wanted = [GENERATION_KEY, key, seen_key] if request.GET else [GENERATION_KEY, key]
    found = pages.get_many(wanted)
    version = content_version(found.get(GENERATION_KEY))
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return PageSlot(key, version, True), stored[1:]
    admit = not request.GET or seen_key in found or stored is not None
    if not admit:
        pages.set(seen_key, 1, SEEN_SECONDS)
    return PageSlot(key, version, admit), None


def stale_page(request) -> tuple | None:
    """(response, extra): the last good copy of this page for when the database cannot be
    reached — made under the current generation, so no change committed since is undone —
    or None."""
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    key = page_key(request)
    found = caches["pages"].get_many([GENERATION_KEY, key])
    stored = found.get(key)
    # Never a copy made before the last committed change: a withdrawn article stays down.
    if stored is None or stored[0].split(":")[0] != str(found.get(GENERATION_KEY) or 0):
        return None
    response = stored[1]
    response["X-Stale"] = "1"  # said to operators; readers see the page as it last was
    return response, stored[2]


def store_page(slot: PageSlot | None, response, extra=None) -> None:
    """Keep a successful, cookie-free response in its slot (once rendered, if lazy); with no
    slot (made-up parameters, an editor) the page is only marked.

    Browsers are told to check back each time (`no-cache`; the ETag makes that a cheap 304),
    so that a withdrawn article never lingers in a reader's browser either.
    """
    if response.status_code != 200:
        return
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    if not slot or not slot.admit or response.cookies:
        return

    def keep(rendered):
        set_response_etag(rendered)  # once, here, not by ConditionalGetMiddleware on each hit
        caches["pages"].set(slot.key, (slot.version, rendered, extra), STALE_SECONDS)

    if getattr(response, "is_rendered", True):
        keep(response)
    else:
        response.add_post_render_callback(keep)


def public_page(*params: str):
    """Serve an anonymous reader's GET from the cache when it can, and fill it when not.
    `params` are the query parameters the view reads (e.g. "page")."""
    allowed = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            slot, hit = cached_page(request, allowed)
            if hit is not None:
                return hit[0]
            response = view(request, *args, **kwargs)
            store_page(slot, response)
            return response

        return wrapper

    return decorator
