"""Site-wide request guards and response headers."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed, QueryDict

from .replica import answered_again_from_the_primary


class MethodsMiddleware:
    """TRACE (and CONNECT) would echo a request back or tunnel through us: 405 for both. Any
    405 (a POST to a page that only shows) says in Chinese what was refused."""

    ALLOWED = ["GET", "HEAD", "POST", "OPTIONS"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("TRACE", "CONNECT"):
            response = HttpResponseNotAllowed(self.ALLOWED)
        else:
            response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = f"这个网址不接受 {request.method[:20]} 请求。".encode()
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class OneLineRefusals(logging.Filter):
    """Log a refused request (a status below 500) as one line: its traceback says nothing an
    operator needs, and floods the log when someone probes the site. A request that met an
    unreachable replica is answered again from the primary: its error is dropped here, and
    `juredian.replica` logs one line for it."""

    def filter(self, record):
        if record.name == "django.request" and answered_again_from_the_primary():
            return False
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True


class NulCharacterMiddleware:
    """PostgreSQL refuses a NUL character in any string, and no page of ours has one in its
    address: a path with one is a 404, NULs are dropped from query parameters (checked after
    decoding, however they were sent), and a cookie holding one is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("网址中含有无效字符")
        if request.META.get("QUERY_STRING") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            request.GET = cleaned
        if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if "\x00" not in name and "\x00" not in value
            }
        return self.get_response(request)
