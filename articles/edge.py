"""What a shared cache in front of the site (Varnish, a CDN) may keep of a reader's page, for
how long, and under which surrogate keys — so that the site can later drop exactly the pages
a change concerns (`articles.purging`).

A view says what its page shows with `share(request, *keys, seconds=…)`; templates add what
they draw (the 热传 sidebar). On the way out `finish()` writes the headers, for an anonymous
reader's successful GET only:

    Cache-Control: public, max-age=0, s-maxage=86400, stale-while-revalidate=30,
                   stale-if-error=86400
    xkey: article-12 channels tag-7 …          (Varnish's xkey vmod)
    Surrogate-Key: article-12 channels tag-7 … (Fastly; the same keys)

`max-age=0` makes browsers check back each time (a cheap 304 with the ETag), so a withdrawn
article never lingers in a reader's browser; `s-maxage` is for shared caches, which are purged.
Every other response without a Cache-Control of its own — editors' pages, forms with CSRF
tokens, the takedown status page, JSON for one reader — is `private`: no shared cache keeps it.

The keys (one namespace, documented in README "The edge cache"):
- `article-<id>`: every page showing that article — its own page, a card, a related link, a
  neighbour link, a 热传 entry;
- `home`, `archive`, `channel-<id>`, `entry-<tag id>`, `feeds`, `sitemap`, `search`: lists whose
  membership changes when an article is published, scheduled, withdrawn, moved or deleted;
- `tag-<id>`: pages showing a tag's name or description; `image-<id>`: pages showing an image;
- `channels`: every page (the channel navigation); `trending`: the 热传 sidebar and list.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control

# How long a shared cache may keep a page without hearing from us (purges come sooner).
ARTICLE_SECONDS = 24 * 3600
LIST_SECONDS = 300
SEARCH_SECONDS = 60
TRENDING_SECONDS = 60  # the sidebar follows the minute
STALE_WHILE_REVALIDATE = 30
STALE_IF_ERROR = 24 * 3600  # as the page cache's own stale copies (page_cache.STALE_SECONDS)
ESI = "ESI/1.0"


@dataclass
class Sharing:
    keys: set[str] = field(default_factory=set)
    seconds: int = ARTICLE_SECONDS
    includes: bool = False  # the page holds an edge-side include


def share(request, *keys: str, seconds: int) -> None:
    """This response may be kept by shared caches for `seconds` (the shortest said wins),
    and depends on `keys`. Called by views and template tags; applied by `finish`."""
    sharing = _sharing(request)
    sharing.keys.update(keys)
    sharing.seconds = min(sharing.seconds, seconds)


def shared(*keys: str, seconds: int):
    """A view whose whole response depends on `keys` (feeds, sitemaps)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            share(request, *keys, seconds=seconds)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def include(request) -> None:
    """The page carries an `<esi:include>`: the edge must process it."""
    _sharing(request).includes = True


def edge_includes(request) -> bool:
    """Whether a cache in front said it processes edge-side includes (Surrogate-Capability,
    sent by our VCL; a CDN that supports ESI sends its own)."""
    return ESI in request.META.get("HTTP_SURROGATE_CAPABILITY", "")


def for_anonymous_reading(request) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def finish(request, response) -> None:
    """Write the caching headers (see the module's docstring) once the page is made."""
    sharing = getattr(request, "edge_sharing", None)
    if (
        sharing is not None
        and response.status_code == 200
        and for_anonymous_reading(request)
        and not response.cookies
    ):
        response.headers.pop("Cache-Control", None)
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=sharing.seconds,
            stale_while_revalidate=STALE_WHILE_REVALIDATE,
            stale_if_error=STALE_IF_ERROR,
        )
        keys = " ".join(sorted(sharing.keys))
        response["xkey"] = response["Surrogate-Key"] = keys
        if sharing.includes:
            response["Surrogate-Control"] = f'content="{ESI}"'
    elif "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


def article_keys(articles) -> list[str]:
    """`article-<id>` for each article (objects with a pk, or ids; None skipped)."""
    return [
        f"article-{getattr(article, 'pk', article)}" for article in articles if article is not None
    ]


def _sharing(request) -> Sharing:
    sharing = getattr(request, "edge_sharing", None)
    if sharing is None:
        sharing = request.edge_sharing = Sharing()
    return sharing
