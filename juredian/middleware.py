"""Site-wide request guards."""

from django.http import Http404, QueryDict


class NulCharacterMiddleware:
    """PostgreSQL refuses a NUL character in any string, and no page of ours has one in its
    address: a path with one is a 404, NULs are dropped from query parameters (checked after
    decoding, however they were encoded), and a cookie holding one is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404("网址中含有无效字符")
        if "%" in request.META.get("QUERY_STRING", "") and any(
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
