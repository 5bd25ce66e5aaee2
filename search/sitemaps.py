"""sitemap.xml section: every 词条 (tag entry) that has a public article."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Tag, TaggedArticle


class TagEntrySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5
    limit = 5000

    def items(self):
        public = TaggedArticle.objects.filter(content_object__in=Article.objects.public())
        return Tag.objects.filter(pk__in=public.values("tag_id")).only("slug").order_by("pk")

    def location(self, tag):
        return reverse("search:entry", args=[tag.slug])
