from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles import edge
from articles.page_cache import public_page
from articles.sitemaps import ArticleSitemap, ChannelSitemap, PagesSitemap
from search.sitemaps import TagEntrySitemap

from . import views

sitemaps = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "channels": ChannelSitemap,
    "entries": TagEntrySitemap,
}


def sitemap(view):
    return public_page()(edge.shared("sitemap", seconds=edge.LIST_SECONDS)(view))


admin.site.site_header = "聚热点 编辑部"
admin.site.site_title = "聚热点 编辑部"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap(sitemap_views.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path("", include("articles.urls")),
    path("takedown/", include("articles.takedown.urls")),
    path("", include("search.urls")),
    path("trending/", include("trending.urls")),
    re_path(
        r"^admin/articles/(?P<rest>(takedowncase|takedownevent|takedownattachment|counternotice"
        r"|takedownsubmission)/.*)$",
        views.takedown_desk_moved,
    ),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(
        0,
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    )

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
