from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JuredianConfig(AppConfig):
    name = "juredian"
    verbose_name = "聚热点"

    def ready(self):
        from .roles import sync_roles

        # post_migrate is sent once per app that has models; the permissions of each app
        # exist only after its own signal, so sync after every one (cheap and idempotent).
        post_migrate.connect(sync_roles, dispatch_uid="juredian-sync-roles")
