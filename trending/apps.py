from django.apps import AppConfig


class TrendingConfig(AppConfig):
    name = "trending"
    verbose_name = "热传"
