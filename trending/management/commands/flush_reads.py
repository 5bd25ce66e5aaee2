from django.core.management.base import BaseCommand

from trending.flushing import flush_reads
from trending.ranking import recompute


class Command(BaseCommand):
    help = "把缓存中的阅读数立即写入数据库，并重新计算热传榜。"

    def handle(self, *args, **options):
        written = flush_reads()
        entries = recompute()
        self.stdout.write(f"写入阅读 {written} 次；热传榜共 {len(entries)} 条。")
