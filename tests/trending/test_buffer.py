"""The read buffer when the cache fails at the worst moment: no read is counted twice, none
is lost, and a long outage cannot eat the process's memory."""

import pytest
from django.utils import timezone

from juredian.cache import CacheUnavailable
from tests.conftest import redis_caches
from tests.factories import make_article
from tests.trending.helpers import reader_request
from tests.trending.lossy_proxy import lossy_redis
from trending import buffer
from trending.counting import count_read
from trending.flushing import flush_reads
from trending.models import ArticleReadHour

pytestmark = pytest.mark.django_db
on_redis = pytest.mark.parametrize("cache_backend", ["redis"], indirect=True)


def total_reads(article) -> int:
    flush_reads()
    return sum(ArticleReadHour.objects.filter(article=article).values_list("reads", flat=True))


@on_redis
def test_claims_that_landed_but_whose_reply_was_lost_still_count_once(cache_backend, settings):
    article = make_article()
    with lossy_redis(settings) as proxy:
        assert count_read(reader_request(ip="192.0.2.1"), article.pk)
        assert buffer.push_pending() == 1  # a normal second; Redis now knows the script
        for n in range(50):
            assert count_read(reader_request(ip=f"198.51.100.{n}"), article.pk)
        proxy.arm(b"EVAL")  # the claims reach Redis and are carried out; the answer is lost
        with pytest.raises(CacheUnavailable):
            buffer.push_pending()
        assert proxy.tripped == 1
        assert buffer.push_pending() == 50, "the claims are recognised as ours"
    assert total_reads(article) == 51


@on_redis
def test_a_batch_written_but_unconfirmed_is_not_counted_twice(cache_backend, settings):
    article = make_article()
    with lossy_redis(settings) as proxy:
        for _ in range(10):
            buffer.buffer_read(article.pk, timezone.now())
        proxy.arm(b"trending:event:")
        with pytest.raises(CacheUnavailable):
            buffer.push_pending()
        assert proxy.tripped == 1
        buffer.push_pending()  # written again under the same number
    assert total_reads(article) == 10


def test_reads_waiting_for_an_unreachable_cache_are_capped_keeping_the_newest(
    cache_backend, settings, monkeypatch
):
    article = make_article()
    monkeypatch.setattr(buffer, "MAX_WAITING", 5)
    working = settings.CACHES
    settings.CACHES = redis_caches("redis://127.0.0.1:9/0")
    for n in range(12):
        count_read(reader_request(ip=f"203.0.113.{n}"), article.pk)
    with pytest.raises(CacheUnavailable):
        buffer.push_pending()
    assert len(buffer._retry) == 5
    older = set(buffer._retry)
    for n in range(3):
        count_read(reader_request(ip=f"198.51.100.{n}"), article.pk)
    with pytest.raises(CacheUnavailable):
        buffer.push_pending()
    assert len(set(buffer._retry) - older) == 3, "the newest reads are the ones kept"
    settings.CACHES = working
    assert total_reads(article) == 5
