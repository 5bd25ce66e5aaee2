from django.contrib import admin
from django.db.models import Count
from taggit.models import Tag as TaggitTag

from ..models import Channel, Tag

admin.site.unregister(TaggitTag)  # we use our own tag model, which carries the 词条 text


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, channel):
        return channel.article_total


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "description_html"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("tagged_articles"))

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, tag):
        return tag.article_total
