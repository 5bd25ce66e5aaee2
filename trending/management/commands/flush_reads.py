from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand

from trending.flushing import flush_reads
from trending.ranking import recompute

LOCAL_CACHE_NOTE = (
    "注意：没有配置 REDIS_URL，缓存在各个网站进程自己的内存里，本命令看不到它们缓冲的阅读数；"
    "网站进程每 5 秒会自己写入数据库。配置 Redis 后，本命令才能写入所有进程的缓冲。"
)


class Command(BaseCommand):
    help = "把缓存中的阅读数立即写入数据库，并重新计算热传榜。"

    def handle(self, *args, **options):
        if isinstance(caches["default"], LocMemCache):
            self.stderr.write(self.style.WARNING(LOCAL_CACHE_NOTE))
        written = flush_reads()
        entries = recompute()
        self.stdout.write(f"写入阅读 {written} 次；热传榜共 {len(entries)} 条。")
