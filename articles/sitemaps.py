"""sitemap.xml sections: the site's own pages, every public article (with lastmod) and every
channel."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Channel


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Article.objects.public().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, article):
        return article.updated_at


class ChannelSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Channel.objects.all()


class PagesSitemap(Sitemap):
    """Home, the archive and 热传: the lists readers start from."""

    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["home", "articles:archive", "trending:list", "articles:corrections"]

    def location(self, name):
        return reverse(name)
