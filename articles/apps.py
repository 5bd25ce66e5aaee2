from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "文章"

    def ready(self):
        from .models import Channel
        from .navigation import forget_channel_navigation

        post_save.connect(
            forget_channel_navigation, sender=Channel, dispatch_uid="channel-nav-save"
        )
        post_delete.connect(
            forget_channel_navigation, sender=Channel, dispatch_uid="channel-nav-delete"
        )
