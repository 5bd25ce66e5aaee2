"""`manage.py reindex`: rebuild the search index of every public article, in batches."""

from django.core.management.base import BaseCommand

from articles.management.progress import show_progress
from articles.models import Article, Tag
from search import indexing
from search.models import SearchDocument, TagPinyin
from search.suggestions import on_tag_saved


class Command(BaseCommand):
    help = "重建全部公开文章的搜索索引（分批进行，显示进度）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch, **options):
        for tag in Tag.objects.filter(pinyin__isnull=True):
            on_tag_saved(Tag, tag)
        indexing.load_tag_words()
        ids = list(Article.objects.public().order_by("pk").values_list("pk", flat=True))
        SearchDocument.objects.exclude(article_id__in=Article.objects.public()).delete()
        done = 0
        for start in range(0, len(ids), batch):
            done += indexing.reindex(ids[start : start + batch])
            show_progress(self.stderr, min(start + batch, len(ids)), len(ids))
        self.stdout.write(f"已索引 {done} 篇公开文章；标签拼音 {TagPinyin.objects.count()} 个。")
