from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "搜索"

    def ready(self):
        from articles.models import Article, Section, Tag, TaggedArticle

        from . import indexing, suggestions

        post_save.connect(indexing.on_article_saved, sender=Article, dispatch_uid="search-a")
        for signal in (post_save, post_delete):
            name = "save" if signal is post_save else "delete"
            signal.connect(
                indexing.on_section_changed, sender=Section, dispatch_uid=f"search-s-{name}"
            )
            signal.connect(
                indexing.on_tagging_changed, sender=TaggedArticle, dispatch_uid=f"search-t-{name}"
            )
        post_save.connect(indexing.on_tag_saved, sender=Tag, dispatch_uid="search-tag")
        post_save.connect(suggestions.on_tag_saved, sender=Tag, dispatch_uid="search-pinyin")
