from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def touch_article(sender, instance, **kwargs):
    """An article's updated_at covers its sections and tags: Last-Modified and the sitemap's
    lastmod follow it."""
    from django.utils import timezone

    from .models import Article

    article_id = getattr(instance, "article_id", None) or instance.content_object_id
    Article.objects.filter(pk=article_id).update(updated_at=timezone.now())


def forget_navigation_after_commit(**kwargs):
    from .navigation import forget_channel_navigation

    transaction.on_commit(forget_channel_navigation)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "文章"

    def ready(self):
        from . import edge_purges
        from .models import (
            Article,
            Author,
            Authorship,
            Channel,
            Correction,
            Image,
            Section,
            Tag,
            TaggedArticle,
        )  # fmt: skip
        from .page_cache import forget_content_version

        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            signal.connect(
                forget_navigation_after_commit, sender=Channel, dispatch_uid=f"nav-{name}"
            )
            for model in (Section, TaggedArticle, Correction, Authorship):  # dateModified moves
                signal.connect(
                    touch_article, sender=model, dispatch_uid=f"touch-{model.__name__}-{name}"
                )
            # Edge caches drop exactly the pages concerned (see edge_purges).
            receivers = {
                Article: edge_purges.on_article_saved
                if name == "save"
                else edge_purges.on_article_deleted,
                Section: edge_purges.on_section_changed,
                Correction: edge_purges.on_correction_changed,
                Author: edge_purges.on_author_changed,
                Authorship: edge_purges.on_authorship_changed,
                TaggedArticle: edge_purges.on_tagging_changed,
                Tag: edge_purges.on_tag_changed,
                Channel: edge_purges.on_channel_changed,
                Image: edge_purges.on_image_changed,
            }
            for model, receiver in receivers.items():
                signal.connect(receiver, sender=model, dispatch_uid=f"edge-{model.__name__}-{name}")
            # Anything a reader's page shows retires the cached pages once committed.
            for model in (Article, Section, TaggedArticle, Tag, Channel, Image, Correction,
                          Author, Authorship):  # fmt: skip
                signal.connect(
                    forget_content_version,
                    sender=model,
                    dispatch_uid=f"pages-{model.__name__}-{name}",
                )
