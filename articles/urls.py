from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("a/<slug:slug>/", views.article_detail, name="detail"),
    path("archive/", views.ArchiveView.as_view(), name="archive"),
    path("channel/<slug:slug>/", views.ChannelView.as_view(), name="channel"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("channel/<slug:slug>/rss/", feeds.ChannelFeed(), name="channel_feed_rss"),
    path("channel/<slug:slug>/atom/", feeds.ChannelAtomFeed(), name="channel_feed_atom"),
]
