from django.apps import AppConfig


class TakedownConfig(AppConfig):
    """Notice and takedown: its own app (label `takedown`) inside the `articles` package.

    It depends on `articles` and never the other way round: articles knows only that an
    article is withdrawn, under which public reference (`articles.services.article_withdraw`).
    """

    name = "articles.takedown"
    label = "takedown"
    verbose_name = "侵权投诉"
    default_auto_field = "django.db.models.BigAutoField"
