from django.urls import path

from . import edge, feeds, views
from .page_cache import public_page


def feed(view):
    """Feeds are kept as pages are, and shared under the `feeds` key."""
    return public_page()(edge.shared("feeds", seconds=edge.LIST_SECONDS)(view))


app_name = "articles"

urlpatterns = [
    path("a/<slug:slug>/", views.article_detail, name="detail"),
    path("a/<slug:slug>/share.png", views.share_card, name="share_card"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("archive/<int:year>/<int:month>/", views.ArchiveView.as_view(), name="archive_month"),
    path("corrections/", views.corrections, name="corrections"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("channel/<slug:slug>/", views.ChannelView.as_view(), name="channel"),
    path("feeds/rss/", feed(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", feed(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("channel/<slug:slug>/rss/", feed(feeds.ChannelFeed()), name="channel_feed_rss"),
    path("channel/<slug:slug>/atom/", feed(feeds.ChannelAtomFeed()), name="channel_feed_atom"),
]
