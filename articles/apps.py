from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def touch_article(sender, instance, **kwargs):
    """An article's updated_at covers its sections and tags: Last-Modified, the sitemap's
    lastmod and the page cache's content version all follow it."""
    from django.utils import timezone

    from .models import Article
    from .page_cache import forget_content_version

    article_id = getattr(instance, "article_id", None) or instance.content_object_id
    Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
    forget_content_version()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "文章"

    def ready(self):
        from .models import Article, Channel, Section, TaggedArticle
        from .navigation import forget_channel_navigation
        from .page_cache import forget_content_version

        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            signal.connect(forget_channel_navigation, sender=Channel, dispatch_uid=f"nav-{name}")
            signal.connect(forget_content_version, sender=Article, dispatch_uid=f"version-{name}")
            for model in (Section, TaggedArticle):
                signal.connect(
                    touch_article, sender=model, dispatch_uid=f"touch-{model.__name__}-{name}"
                )
