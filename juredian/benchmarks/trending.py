"""Trending's costs: page throughput with counting on and off, and flushing 100,000 reads."""

import time

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from trending.counting import buffer_read
from trending.flushing import flush_reads

from .http import gunicorn, warm, wrk


def counting_cost(article_path: str) -> list[tuple[str, float]]:
    """Requests/s on the article page, counting off then on (each request a new reader)."""
    results = []
    for label, flag in [("article, counting off", "0"), ("article, counting on", "1")]:
        with gunicorn(TRENDING_COUNT_READS=flag) as (base, _):
            warm(base + article_path)
            results.append((label, wrk(base + article_path, readers=True)))
    return results


class _Rollback(Exception):
    pass


def flush_time(reads: int = 100_000) -> tuple[float, float]:
    """Seconds to buffer and then to flush `reads` reads; the totals are rolled back."""
    ids = list(Article.objects.public().values_list("pk", flat=True)[:50])
    now = timezone.now()
    started = time.perf_counter()
    for n in range(reads):
        buffer_read(ids[n % len(ids)], now)
    buffered = time.perf_counter() - started
    started = time.perf_counter()
    try:
        with transaction.atomic():
            written = flush_reads()
            assert written == reads, f"flushed {written} of {reads}"
            flushed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return buffered, flushed
