"""`manage.py reindex`: rebuild the search index of every published article, in batches."""

import time

from django.core.management.base import BaseCommand

from articles.management.progress import show_progress
from articles.models import Article, Tag
from search import indexing
from search.models import SearchDocument, TagPinyin
from search.suggestions import on_tag_saved


class Command(BaseCommand):
    help = "重建全部已发布文章的搜索索引（分批进行，显示进度）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="只在索引缺了文章或还是旧格式时重建（make run 用）。",
        )

    def handle(self, *args, batch, if_needed, **options):
        published = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(
            published_at=None
        )
        if if_needed and not self.needed(published):
            return
        started = time.perf_counter()
        for tag in Tag.objects.filter(pinyin__isnull=True):
            on_tag_saved(Tag, tag)
        indexing.load_tag_words()
        ids = list(published.order_by("pk").values_list("pk", flat=True))
        SearchDocument.objects.exclude(article_id__in=published).delete()
        done = 0
        for start in range(0, len(ids), batch):
            done += indexing.reindex(ids[start : start + batch])
            show_progress(self.stderr, min(start + batch, len(ids)), len(ids))
        seconds, pinyin = time.perf_counter() - started, TagPinyin.objects.count()
        self.stdout.write(f"已索引 {done} 篇文章，用时 {seconds:.1f} 秒；标签拼音 {pinyin} 个。")

    @staticmethod
    def needed(published) -> bool:
        documents = SearchDocument.objects
        return documents.filter(head_vector=None).exists() or documents.count() != published.count()
