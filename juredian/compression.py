"""How responses travel: compressed for clients that accept it (Brotli, else gzip), 304 for
HEAD as for GET, and no body headers on a 304. Outermost in MIDDLEWARE, so pages served from
the page cache are finished the same way as fresh ones.

A page is compressed once per version: bodies are memoised by (ETag, encoding) in this
process, so a cached page read a thousand times is compressed once. Behind Varnish the edge
asks for gzip and keeps that (it decompresses for the rare client that cannot take it).
"""

import gzip
import re

import brotli
from django.utils.cache import patch_vary_headers

from articles.page_cache import conditional_response

from .memo import Memo

COMPRESSIBLE = re.compile(
    r"^(text/|application/(rss\+xml|atom\+xml|xml|json|javascript)|image/svg\+xml)"
)
MIN_BYTES = 512  # below this the headers cost more than they save
MEMO_ENTRIES = 512
BROTLI_QUALITY = 5  # ~gzip's speed at a better ratio; 11 is for static files
GZIP_LEVEL = 6
_memo = Memo(MEMO_ENTRIES)


class TransferMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD" and response.status_code == 200:
            # Django's ConditionalGetMiddleware answers GET only; HEAD must agree with GET.
            response = conditional_response(request, response)
        if response.status_code == 304:
            for header in ("Content-Length", "Content-Type", "Content-Encoding"):
                if header in response:
                    del response[header]
            return response
        return compress(request, response)


def compress(request, response):
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or not COMPRESSIBLE.match(response.get("Content-Type", ""))
    ):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))  # whatever this one's size
    if len(response.content) < MIN_BYTES:
        return response
    accepted = _encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    encoding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else None
    if encoding is None:
        return response
    response.content = _compressed(response.content, encoding, response.get("ETag"))
    response["Content-Length"] = str(len(response.content))
    response["Content-Encoding"] = encoding
    etag = response.get("ETag")
    if etag and not etag.startswith("W/"):  # another representation of the same resource
        response["ETag"] = "W/" + etag
    return response


def _encodings(header: str) -> set[str]:
    """Codings the client accepts (q=0 means refused)."""
    accepted = set()
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip())
    return accepted


def _compressed(body: bytes, encoding: str, etag: str | None) -> bytes:
    def make() -> bytes:
        if encoding == "br":
            return brotli.compress(body, quality=BROTLI_QUALITY)
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)

    return _memo.get_or_make((etag, encoding) if etag else None, make)
