"""Buffered reads reach PostgreSQL exactly once, in hourly totals."""

import threading
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import make_article
from tests.trending.helpers import reader_request
from trending.buffer import buffer_read
from trending.counting import count_read
from trending.flushing import flush_reads
from trending.models import ArticleReadHour

pytestmark = pytest.mark.django_db


def hourly(article):
    return dict(ArticleReadHour.objects.filter(article=article).values_list("hour__hour", "reads"))


def test_flush_writes_hourly_totals_once(cache_backend):
    article = make_article()
    now = timezone.now().replace(minute=30)
    for _ in range(3):
        buffer_read(article.pk, now)
    buffer_read(article.pk, now - timedelta(hours=1))
    assert flush_reads() == 4
    assert flush_reads() == 0, "nothing is written twice"
    rows = ArticleReadHour.objects.filter(article=article).order_by("hour")
    assert [row.reads for row in rows] == [1, 3]
    buffer_read(article.pk, now)
    flush_reads()
    assert [row.reads for row in rows.all()] == [1, 4], "added to the existing hour"


def test_concurrent_reads_of_one_article_count_exactly(cache_backend):
    article = make_article()
    readers = 64

    def read(n):
        assert count_read(reader_request(ip=f"198.51.100.{n}"), article.pk)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flush_reads()
    assert (
        sum(ArticleReadHour.objects.filter(article=article).values_list("reads", flat=True))
        == readers
    )


def test_a_flush_that_dies_before_commit_loses_and_doubles_nothing(cache_backend):
    article = make_article()
    for _ in range(5):
        buffer_read(article.pk, timezone.now())

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        flush_reads()
        raise Crash  # the process dies before the totals are committed
    assert not ArticleReadHour.objects.exists()
    assert flush_reads() == 5
    assert ArticleReadHour.objects.get(article=article).reads == 5


def test_reads_of_a_deleted_article_are_dropped_not_fatal(cache_backend):
    gone, kept = make_article(), make_article()
    buffer_read(gone.pk, timezone.now())
    buffer_read(kept.pk, timezone.now())
    gone.delete()
    flush_reads()
    assert ArticleReadHour.objects.get().article == kept


def test_the_flush_command_writes_now_and_says_when_it_cannot_see_the_web_processes(
    cache_backend,
):
    import io

    from django.core.management import call_command

    article = make_article()
    buffer_read(article.pk, timezone.now())
    out, err = io.StringIO(), io.StringIO()
    call_command("flush_reads", stdout=out, stderr=err)
    assert "写入阅读 1 次" in out.getvalue()
    assert ("REDIS_URL" in err.getvalue()) == (cache_backend == "local-memory")
