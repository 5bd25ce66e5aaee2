"""Whole pages for anonymous readers, kept in the cache for up to a minute.

A cached page is kept under its address, with the site's content version it was made
under; it is served only while that version is still current. The version is made of:
- a generation counter in the cache, bumped when any article, section, tag, channel or image
  is saved or deleted — after the commit, so no reader can refill the cache from the data
  being replaced; shared by every process when the cache is Redis;
- the newest `updated_at` of any article, read from the database the page is read from (at
  most every half second per process), so a change made by a process that cannot reach this
  cache — `manage.py takedown` beside a local-memory cache — shows within half a second;
- the minute, so the 热传 sidebar is never more than a minute behind (a scheduled article
  coming due retires pages within a second: `articles.edge_purges.purge_come_due`).
The counter and the page come in one `get_many`: one round trip to Redis per cached page,
made by `ReaderPagesMiddleware` before the rest of the middleware runs. Editors (anyone
with a session cookie) always get fresh pages.

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
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

from . import edge
from .models import Article
from .outage import DATABASE_UNREACHABLE

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
    transaction.on_commit(retire_pages)


def retire_pages() -> None:
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
    """Scheme and host too (pages carry absolute links), and whether an edge cache in front
    processes includes (the page then carries the 热传 sidebar as one)."""
    address = request.build_absolute_uri()
    if edge.edge_includes(request):
        address += " esi"
    return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def lookup(request) -> tuple[PageSlot, HttpResponse | None]:
    """(slot, the kept page or None) for an anonymous reader's GET or HEAD."""
    pages = caches["pages"]
    key = page_key(request)
    wanted = [GENERATION_KEY, key, key + ":seen"] if request.GET else [GENERATION_KEY, key]
    found = pages.get_many(wanted)
    version = content_version(found.get(GENERATION_KEY))
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return PageSlot(key, version, True), stored[1]
    admit = not request.GET or key + ":seen" in found or stored is not None
    return PageSlot(key, version, admit), None


def stale_page(request) -> HttpResponse | None:
    """The last good copy of this page for when the database cannot
    be reached — made under the current generation, so no change committed since is undone —
    or None."""
    if not edge.for_anonymous_reading(request):
        return None
    key = page_key(request)
    found = caches["pages"].get_many([GENERATION_KEY, key])
    stored = found.get(key)
    # Never a copy made before the last committed change: a withdrawn article stays down.
    if stored is None or stored[0].split(":")[0] != str(found.get(GENERATION_KEY) or 0):
        return None
    response = stored[1]
    response["X-Stale"] = "1"  # said to operators; readers see the page as it last was
    return response


def keep_page(request, response, *, params: frozenset = frozenset()) -> None:
    """Ask for this reader's page to be stored once finished (by `ReaderPagesMiddleware`,
    with every header the site adds) — if it was asked for with only the query parameters
    the view reads (`params`), so made-up parameters cannot fill the cache. A page with
    parameters asked for the first time is only marked (see the module's docstring)."""
    patch_vary_headers(response, ["Cookie"])
    slot = getattr(request, "page_slot", None)
    if slot is None or response.status_code != 200 or not set(request.GET) <= params:
        return
    if slot.admit:
        request.page_kept = True
    else:
        caches["pages"].set(slot.key + ":seen", 1, SEEN_SECONDS)


def public_page(*params: str):
    """A reader's page that may be kept: in the page cache (see `keep_page`) and, with the
    headers `articles.edge` writes, by caches in front. `params` are the query parameters
    the view reads (e.g. "page")."""
    allowed = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            keep_page(request, response, params=allowed)
            return response

        return wrapper

    return decorator


class ReaderPagesMiddleware:
    """First in the stack after the replica's: an anonymous reader's page that is in the
    cache is served before any other middleware runs — it was stored with all their headers
    — and a page asked to be kept is stored once every middleware has finished it. Every
    response gets its caching headers here (`articles.edge.finish`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = tuple(
            prefix
            for prefix in (
                settings.STATIC_URL,
                settings.MEDIA_URL,
                "/admin/",
                "/trending/read/",
                "/healthz",
            )
            if prefix
        )

    def __call__(self, request):
        if not edge.for_anonymous_reading(request) or request.path.startswith(self.skipped):
            response = self.get_response(request)
            edge.finish(request, response)
            return response
        try:
            slot, hit = lookup(request)
        except DATABASE_UNREACHABLE:  # the content version: the view, then handler500, answer
            slot, hit = None, None
        if hit is not None:
            return conditional_response(request, hit)
        request.page_slot = slot
        response = self.get_response(request)
        edge.finish(request, response)
        kept = getattr(request, "page_kept", False)
        if kept and response.status_code == 200 and not response.cookies:
            set_response_etag(response)
            caches["pages"].set(slot.key, (slot.version, response), STALE_SECONDS)
        return response


def conditional_response(request, response):
    """A 304 when the reader's copy is current (If-None-Match, If-Modified-Since, from the
    response's own ETag and Last-Modified), else `response`."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
