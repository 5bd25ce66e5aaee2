"""Every page in Traditional characters: /zh-hant/<any path> is the page at <path>, converted
by OpenCC (Taiwan standard with its usual words, `s2twp`: 软件 → 軟體), with
`lang="zh-Hant-TW"`, links that stay in Traditional, and hreflang alternates both ways.

Its own URL, so each form is one cached page (the page cache, the edge) for every reader.
The view runs on the simplified path; the conversion is memoised per page version (ETag).
"""

import re
import threading

import opencc

from .memo import Memo

PREFIX = "/zh-hant"
_converter = opencc.OpenCC("s2twp")
_lock = threading.Lock()  # OpenCC's converter is not documented as thread-safe
_memo = Memo(256)
# Links to our own pages keep the reader in Traditional; files, the admin and feeds do not
# change language.
_INTERNAL = re.compile(
    r'(\s(?:href|action)=")/(?!static/|media/|admin/|zh-hant/|feeds/|sitemap|trending/read/)'
)


# Each form is its own page to search engines: its canonical address (and og:url) is its own,
# the other form named by the hreflang alternates.
_OWN_ADDRESS = re.compile(r'(<link rel="canonical" href="|<meta property="og:url" content=")'
                          r'(https?://[^/"]+)/(?!zh-hant/)')  # fmt: skip


def simplified_path(path: str) -> str:
    return path[len(PREFIX) :] or "/" if is_traditional(path) else path


def is_traditional(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


class TraditionalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_traditional(request.path_info):
            return self.get_response(request)
        request.path_info = simplified_path(request.path_info)
        request.traditional = True
        response = self.get_response(request)
        if response.status_code in (301, 302, 303, 307, 308):
            if response.get("Location", "").startswith("/"):
                response["Location"] = PREFIX + response["Location"]
            return response
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        response.content = converted(response.content, response.get("ETag"))
        response["Content-Length"] = str(len(response.content))
        response["Content-Language"] = "zh-hant"
        if etag := response.get("ETag"):
            response["ETag"] = etag[:-1] + '-hant"'
        return response


def converted(body: bytes, etag: str | None) -> bytes:
    def make() -> bytes:
        with _lock:
            text = _converter.convert(body.decode())
        text = text.replace('<html lang="zh-CN">', '<html lang="zh-Hant-TW">', 1)
        text = _OWN_ADDRESS.sub(rf"\1\2{PREFIX}/", text)
        return _INTERNAL.sub(rf"\1{PREFIX}/", text).encode()

    return _memo.get_or_make(etag, make)
