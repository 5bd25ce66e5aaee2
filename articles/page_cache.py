"""Whole pages for anonymous readers, kept in the cache for up to a minute.

The key holds the site's content version — the newest `updated_at` of any article, read with
one indexed query — so any save (an edit, a publication, a withdrawal) retires every cached
page, in every process, whether the cache is Redis or each worker's own memory. A process
re-reads the version at most every half second (at once after its own saves), so a change
made elsewhere — another worker, `manage.py takedown` — shows within half a second. The
minute is part of the key too, so scheduled articles and the 热传 sidebar are never more than a
minute behind. Editors (anyone with a session cookie) always get fresh pages.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.cache import set_response_etag

from .models import Article

PAGE_SECONDS = 60


VERSION_MEMO_SECONDS = 0.5
_memo: tuple[float, float] | None = None  # (newest updated_at, when it was read)


def content_version() -> str:
    global _memo
    now = time.monotonic()
    if _memo is None or now - _memo[1] > VERSION_MEMO_SECONDS:
        # Plain SQL: the ORM would compile the same aggregate on every request.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(updated_at) FROM {Article._meta.db_table}")
            (latest,) = cursor.fetchone()
        _memo = (latest.timestamp() if latest else 0.0, now)
    return f"{_memo[0]}:{int(time.time() // PAGE_SECONDS)}"


def forget_content_version(**kwargs) -> None:
    """This process changed an article: read the version afresh on the next request."""
    global _memo
    _memo = None


def _eligible(request) -> bool:
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cached_page(request) -> tuple[str | None, tuple | None]:
    """(key, (response, extra) or None); (None, None) when the request must be fresh.
    Costs one query and one cache read."""
    if not _eligible(request):
        return None, None
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    key = f"page:{content_version()}:{path}"
    return key, cache.get(key)


def store_page(key: str | None, response, extra=None) -> None:
    """Keep a successful, cookie-free response under `key` (once rendered, if lazy)."""
    if not key or response.status_code != 200 or response.cookies:
        return

    def keep(rendered):
        set_response_etag(rendered)  # once, here, not by ConditionalGetMiddleware on each hit
        cache.set(key, (rendered, extra), PAGE_SECONDS)

    if getattr(response, "is_rendered", True):
        keep(response)
    else:
        response.add_post_render_callback(keep)


def public_page(view):
    """Serve an anonymous reader's GET from the cache when it can, and fill it when not."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key, hit = cached_page(request)
        if hit is not None:
            return hit[0]
        response = view(request, *args, **kwargs)
        store_page(key, response)
        return response

    return wrapper
