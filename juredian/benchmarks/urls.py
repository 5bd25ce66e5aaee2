from django.http import HttpResponse
from django.urls import path

from juredian.urls import handler404, handler500  # noqa: F401
from juredian.urls import urlpatterns as site_urlpatterns


def ceiling(request):
    return HttpResponse("ok")


urlpatterns = [path("__ceiling__", ceiling), *site_urlpatterns]
