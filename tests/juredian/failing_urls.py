"""URLs that fail on purpose, to render the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from juredian.urls import urlpatterns as site_urlpatterns


def bad(request):
    raise SuspiciousOperation("bad request for the test")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug, on purpose")


urlpatterns = [
    path("bad/", bad),
    path("forbidden/", forbidden),
    path("broken/", broken),
    *site_urlpatterns,
]

handler400 = "juredian.views.bad_request"
handler403 = "juredian.views.permission_denied"
handler404 = "juredian.views.page_not_found"
handler500 = "juredian.views.server_error"
