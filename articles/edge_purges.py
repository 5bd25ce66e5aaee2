"""What each change purges from the edge caches: exactly the keys of the pages it touches
(the keys are described in `articles.edge`). Connected to the models' signals in apps.py;
the other apps call `purging.purge` for their own keys (热传: `trending`).

- An article's content (title, lede, sections, cover…): `article-<id>` — its page and every
  page showing it (cards, related and neighbour links, 热传) — and the feeds and sitemap.
- Its place in lists (published, scheduled, withdrawn, restored, moved, deleted): also the
  lists it joins or leaves — `home`, `archive`, `search`, `channel-<id>` (old and new), the
  entries of its tags — and the pages of its neighbours in the channel, whose links change.
- A scheduled article coming due changes lists without any save: `purge_come_due` (the
  background runner, every second) purges as for a publication, and retires the page cache.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .edge import article_keys
from .models import Article, TaggedArticle
from .page_cache import retire_pages
from .purging import enabled, purge

LIST_KEYS = ("home", "archive", "search", "feeds", "sitemap")
DUE_LOOKBACK = timedelta(minutes=2)  # on start-up: articles that came due just before


def listing_keys(article_id: int, channel_ids) -> list[str]:
    """The lists an article is in or leaves (one query, for its tags)."""
    tags = TaggedArticle.objects.filter(content_object_id=article_id).values_list(
        "tag_id", flat=True
    )
    return [
        *LIST_KEYS,
        *(f"channel-{channel}" for channel in channel_ids if channel),
        *(f"entry-{tag}" for tag in tags),
    ]


def neighbour_keys(article_id: int) -> list[str]:
    """The article's older and newer neighbours in its channel, as they are now."""
    article = Article.objects.filter(pk=article_id).only("channel_id", "published_at").first()
    return article_keys(article.neighbours_in_channel()) if article else []


def on_article_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not enabled():  # loaddata; or no edge cache to tell
        instance.listed_as = instance.listing()
        return
    keys = [*article_keys([instance]), "feeds", "sitemap"]
    listed_as, listing = getattr(instance, "listed_as", None), instance.listing()
    if created or listed_as != listing:
        channels = {listing[2], listed_as[2] if listed_as else None}
        keys += listing_keys(instance.pk, channels)
        _purge_neighbours_after_commit(instance.pk)
    instance.listed_as = listing
    purge(*keys)


def on_article_deleted(sender, instance, **kwargs):
    # Its tags' entries: each tag link's own post_delete (cascaded) purges them.
    purge(*article_keys([instance]), *LIST_KEYS, f"channel-{instance.channel_id}")
    # Its neighbours' pages carry its key (they link to it): purged with it.


def on_section_changed(sender, instance, **kwargs):
    purge(f"article-{instance.article_id}")


def on_author_changed(sender, instance, **kwargs):
    """Their page and every article signed by them (the byline shows the name)."""
    purge(f"author-{instance.pk}")


def on_authorship_changed(sender, instance, **kwargs):
    purge(f"article-{instance.article_id}", f"author-{instance.author_id}")


def on_correction_changed(sender, instance, **kwargs):
    purge(f"article-{instance.article_id}", "corrections")


def on_tagging_changed(sender, instance, **kwargs):
    purge(f"article-{instance.content_object_id}", f"entry-{instance.tag_id}", "search")


def on_tag_changed(sender, instance, **kwargs):
    purge(f"tag-{instance.pk}", f"entry-{instance.pk}", "search")  # search shows tags too


def on_channel_changed(sender, instance, **kwargs):
    purge("channels", f"channel-{instance.pk}")


def on_image_changed(sender, instance, **kwargs):
    purge(f"image-{instance.pk}")


_due_since: datetime | None = None


def purge_come_due() -> None:
    """Scheduled articles whose time came since the last run: the lists they join and their
    neighbours are purged, and the page cache retired, within a second of the time."""
    global _due_since
    now = timezone.now()
    since = _due_since or now - DUE_LOOKBACK
    due = list(
        Article.objects.public()
        .filter(published_at__gt=since, published_at__lte=now)
        .values_list("pk", "channel_id")
    )
    for article_id, channel_id in due if enabled() else []:
        purge(
            *article_keys([article_id]),
            *listing_keys(article_id, [channel_id]),
            *neighbour_keys(article_id),
        )
    if due:
        retire_pages()
    _due_since = now


def _purge_neighbours_after_commit(article_id: int) -> None:
    transaction.on_commit(lambda: purge(*neighbour_keys(article_id)))
