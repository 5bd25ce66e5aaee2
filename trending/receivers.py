"""How trending follows the rest of the site, through signals (connected in apps.py)."""

from django.db import transaction

from articles.page_cache import forget_content_version
from articles.purging import purge

from .models import TrendingItem
from .ranking import drop_article, recompute


def on_article_saved(sender, instance, **kwargs):
    """Withdrawn, unpublished or rescheduled articles leave the list at once; an article
    named by an imported 热传 block, imported later than the block, gets linked to it."""
    if not instance.is_public:
        # Once committed, in a short transaction of its own: the snapshot row is never held
        # for the rest of an editor's (or an import's) transaction.
        transaction.on_commit(lambda: drop_article(instance.pk))
    linked = TrendingItem.objects.filter(
        kind=TrendingItem.Kind.IMPORTED, article__isnull=True, title=instance.title
    ).update(article=instance)
    if linked:
        transaction.on_commit(recompute)


def on_article_deleted(sender, instance, **kwargs):
    transaction.on_commit(lambda: drop_article(instance.pk))


def on_curation_changed(sender, **kwargs):
    """Editors see their pins, hides and items on the site as soon as they save them."""
    transaction.on_commit(recompute)
    purge("trending")
    forget_content_version()  # pages drawing the sidebar in place


def on_pages_imported(sender, trending_blocks, **kwargs):
    """The old site's 热传 blocks become items, keyed on title so a re-import updates them."""
    for block in trending_blocks:
        TrendingItem.objects.update_or_create(
            kind=TrendingItem.Kind.IMPORTED,
            title=block["title"],
            defaults={"summary": block["summary"], "article": block["article"]},
        )
    transaction.on_commit(recompute)
