"""Site-wide request guards."""

from django.http import Http404, QueryDict


class NulCharacterMiddleware:
    """PostgreSQL refuses a NUL character in any string, and no page of ours has one in its
    address: a path with one is a 404, and NULs in query parameters are dropped, so that
    `?q=%00…` gets the same page as any other odd search."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("网址中含有无效字符")
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query:
            request.GET = QueryDict(query.replace("%00", ""))
        return self.get_response(request)
