"""Trending's costs: page throughput with counting on and off, and flushing 100,000 reads."""

import time
from contextlib import contextmanager
from datetime import timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from trending.buffer import buffer_read, push_pending
from trending.flushing import flush_reads
from trending.models import ArticleReadHour
from trending.ranking import recompute

from .http import gunicorn, warm, workers_cpu_seconds, wrk

NO_SUCH_ARTICLE = 0  # in-process measurements count reads of it: dropped when flushed


class CountingCost(NamedTuple):
    rate_off: float  # requests/s, counting off
    rate_on: float
    cpu_off: float  # workers' CPU µs per request, counting off
    cpu_on: float

    @property
    def cpu_share(self) -> float:
        """What counting adds to a request's CPU time, in per cent: the figure the target is
        judged on, since throughput on a shared machine moves by several per cent by itself."""
        return (self.cpu_on - self.cpu_off) / self.cpu_off * 100


@contextmanager
def reads_restored(**lookup):
    """The hourly totals matching `lookup` as they were before the block: benchmarks count
    and flush for real, and must not leave their made-up reads in 热传."""
    rows = ArticleReadHour.objects.filter(**lookup)
    saved = [ArticleReadHour(**row) for row in rows.values("article_id", "hour", "reads")]
    try:
        yield
    finally:
        flush_reads()  # whatever the block left buffered, so it is removed below as well
        with transaction.atomic():
            rows.delete()
            ArticleReadHour.objects.bulk_create(saved)
        recompute()


def counting_cost(article: Article, rounds: int = 3) -> CountingCost:
    """The article page with counting off and on (each request a new reader, so every read
    is counted), alternated `rounds` times; means of throughput and of CPU per request."""
    with reads_restored(article=article):
        return _counting_cost(article.get_absolute_url(), rounds)


def _counting_cost(article_path: str, rounds: int) -> CountingCost:
    runs = {"0": [], "1": []}
    for _ in range(rounds):
        for flag in runs:
            with gunicorn(TRENDING_COUNT_READS=flag) as (base, process):
                warm(base + article_path)
                cpu_before = workers_cpu_seconds(process)
                load = wrk(base + article_path, readers=True)
                cpu = (workers_cpu_seconds(process) - cpu_before) / load.requests * 1e6
                runs[flag].append((load.rate, cpu))
    (rate_off, cpu_off), (rate_on, cpu_on) = (
        [sum(column) / rounds for column in zip(*runs[flag], strict=True)] for flag in runs
    )
    return CountingCost(rate_off, rate_on, cpu_off, cpu_on)


def flush_time(reads: int = 100_000) -> tuple[float, float]:
    """Seconds to count and then to flush `reads` reads, spread over every public article
    and three hours, pushed to the cache in batches of 1,000 (a busy second each); the
    totals are put back afterwards."""
    ids = list(Article.objects.public().values_list("pk", flat=True))
    now = timezone.now()
    hours = [now - timedelta(hours=n) for n in range(3)]
    flush_reads()  # start from an empty buffer
    with reads_restored(
        hour__in=[hour.replace(minute=0, second=0, microsecond=0) for hour in hours]
    ):
        started = time.perf_counter()
        for n in range(reads):
            buffer_read(ids[n % len(ids)], hours[n % 3])
            if n % 1000 == 999:
                push_pending()
        buffered = time.perf_counter() - started
        started = time.perf_counter()
        written = flush_reads()
        flushed = time.perf_counter() - started
    assert written == reads, f"flushed {written} of {reads}"
    return buffered, flushed


def count_read_cost(reads: int = 20_000) -> tuple[float, float]:
    """Microseconds per counted read (each a new reader): on the request, and in the
    flusher's push that de-duplicates it against the cache — steadier figures than the
    throughput difference, which moves a few per cent from run to run."""
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
        count_read(request, NO_SUCH_ARTICLE)
    on_request = (time.perf_counter() - started) / reads * 1e6
    started = time.perf_counter()
    push_pending()
    in_push = (time.perf_counter() - started) / reads * 1e6
    return on_request, in_push
