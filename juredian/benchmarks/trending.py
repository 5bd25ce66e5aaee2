"""Trending's costs: page throughput with counting on and off, and flushing 100,000 reads."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from trending.counting import buffer_read, push_pending
from trending.flushing import flush_reads

from .http import gunicorn, warm, wrk


def counting_cost(article_path: str, rounds: int = 2) -> list[tuple[str, float]]:
    """Requests/s on the article page with counting off and on (each request a new reader),
    alternated `rounds` times and averaged: on this shared machine a single pair of runs
    moves by several per cent either way."""
    totals = {"0": [], "1": []}
    for _ in range(rounds):
        for flag in ("0", "1"):
            with gunicorn(TRENDING_COUNT_READS=flag) as (base, _):
                warm(base + article_path)
                totals[flag].append(wrk(base + article_path, readers=True))
    return [
        ("article, counting off", sum(totals["0"]) / rounds),
        ("article, counting on", sum(totals["1"]) / rounds),
    ]


class _Rollback(Exception):
    pass


def flush_time(reads: int = 100_000) -> tuple[float, float]:
    """Seconds to count and then to flush `reads` reads, spread over every public article
    and three hours, pushed to the cache in batches of 1,000 (a busy second each); the
    totals are rolled back afterwards."""
    ids = list(Article.objects.public().values_list("pk", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    for n in range(reads):
        buffer_read(ids[n % len(ids)], now - timedelta(hours=n % 3))
        if n % 1000 == 999:
            push_pending()
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


def count_read_cost(reads: int = 20_000) -> float:
    """Microseconds of one counted read in-process (each a new reader): a steadier figure
    than the throughput difference, which moves a few per cent from run to run."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from trending.counting import count_read

    factory = RequestFactory()
    requests = []
    for n in range(reads):
        request = factory.get(
            "/", REMOTE_ADDR=f"10.{n % 250}.{n // 250 % 250}.9", HTTP_USER_AGENT="Mozilla/5.0"
        )
        request.user = AnonymousUser()
        requests.append(request)
    started = time.perf_counter()
    for request in requests:
        count_read(request, 1)
    return (time.perf_counter() - started) / reads * 1e6
