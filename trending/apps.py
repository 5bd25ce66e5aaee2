from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TrendingConfig(AppConfig):
    name = "trending"
    verbose_name = "热传"

    def ready(self):
        from articles.models import Article
        from articles.signals import pages_imported

        from . import receivers
        from .models import TrendingHidden, TrendingItem

        pages_imported.connect(receivers.on_pages_imported, dispatch_uid="trending-import")
        post_save.connect(receivers.on_article_saved, sender=Article, dispatch_uid="trending-a")
        post_delete.connect(receivers.on_article_deleted, sender=Article, dispatch_uid="trending-d")
        for model in (TrendingItem, TrendingHidden):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.on_curation_changed,
                    sender=model,
                    dispatch_uid=f"trending-curation-{model.__name__}-{signal is post_save}",
                )
