"""`manage.py seed_reads`: plausible demo readership, so a fresh demo site has a 热传 list."""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from trending.models import ArticleReadHour
from trending.ranking import recompute


class Command(BaseCommand):
    help = "为演示站点生成过去三天的阅读数（可重复运行），并计算热传榜。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已有阅读数据时跳过。")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and ArticleReadHour.objects.exists():
            self.stdout.write("已有阅读数据，跳过。")
            return
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        rng = random.Random(2026)  # the same demo every time
        rows = []
        for rank, article in enumerate(Article.objects.public().latest()):
            popularity = rng.uniform(0.3, 3.0) / (1 + rank * 0.15)
            for hours_ago in range(72):
                reads = int(rng.expovariate(1.0) * 40 * popularity * (0.97**hours_ago))
                if reads:
                    rows.append(
                        ArticleReadHour(
                            article=article, hour=now - timedelta(hours=hours_ago), reads=reads
                        )
                    )
        ArticleReadHour.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article", "hour"],
            update_fields=["reads"],
        )
        entries = recompute()
        self.stdout.write(f"演示阅读数就绪：{len(rows)} 条小时记录，热传榜 {len(entries)} 条。")
