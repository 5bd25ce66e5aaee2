"""The channel list every page's navigation shows, kept in the cache."""

from django.core.cache import cache
from django.db import DatabaseError

from .models import Channel

CHANNEL_NAV_CACHE_KEY = "articles:channel-nav:v1"


def channel_navigation() -> list[dict]:
    """[{name, url, slug}] for the navigation: no query when the cache is warm.

    Error pages render the navigation too, possibly while the database is down; they then
    show the frame without channels rather than fail a second time.
    """
    channels = cache.get(CHANNEL_NAV_CACHE_KEY)
    if channels is None:
        try:
            channels = [
                {"name": c.name, "slug": c.slug, "url": c.get_absolute_url()}
                for c in Channel.objects.only("name", "slug")
            ]
        except DatabaseError:
            return []
        cache.set(CHANNEL_NAV_CACHE_KEY, channels, 3600)
    return channels


def forget_channel_navigation(**kwargs) -> None:
    cache.delete(CHANNEL_NAV_CACHE_KEY)
