"""RSS and Atom feeds of the newest public articles, site-wide and per channel."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article, Channel

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    title = f"{settings.SITE_NAME} · 最新文章"
    description = settings.SITE_DESCRIPTION
    language = "zh-cn"

    def link(self):
        return reverse("home")

    def items(self):
        return Article.objects.public().with_card_data().latest()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lede

    def item_author_name(self, item):
        return item.byline or None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.channel.name] if item.channel else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class ChannelFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Channel, slug=slug)

    def title(self, channel):
        return f"{settings.SITE_NAME} · {channel.name}"

    def link(self, channel):
        return channel.get_absolute_url()

    def items(self, channel):
        return (
            Article.objects.public().with_card_data().latest().filter(channel=channel)[:FEED_SIZE]
        )


class ChannelAtomFeed(ChannelFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
