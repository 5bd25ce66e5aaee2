"""What counts as a read, and what never does."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Article
from juredian.cache import CacheUnavailable
from tests.conftest import redis_caches
from tests.factories import make_article, make_editor
from tests.trending.helpers import reader_request
from trending.buffer import push_pending
from trending.counting import count_read, reader_fingerprint
from trending.flushing import flush_reads
from trending.models import ArticleReadHour

pytestmark = pytest.mark.django_db


def total_reads(article) -> int:
    flush_reads()
    return sum(ArticleReadHour.objects.filter(article=article).values_list("reads", flat=True))


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Mozilla/5.0 (Linux; Android 5.0) Mobile Safari/537.36 (compatible; Bytespider)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "",
    ],
)
def test_bots_and_crawlers_are_not_readers(cache_backend, agent):
    article = make_article()
    assert not count_read(reader_request(agent=agent), article.pk)
    assert total_reads(article) == 0


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
     {"HTTP_PURPOSE": "prefetch"}, {"HTTP_X_MOZ": "prefetch"}],
)  # fmt: skip
def test_prefetch_and_prerender_are_not_reads(cache_backend, headers):
    article = make_article()
    assert not count_read(reader_request(**headers), article.pk)


def test_one_reader_counts_once_in_thirty_minutes(cache_backend, settings):
    settings.TRENDING_DEDUPE_SECONDS = 1
    article = make_article()
    assert count_read(reader_request(ip="203.0.113.5"), article.pk)
    assert not count_read(reader_request(ip="203.0.113.5"), article.pk), "a quick reload"
    assert count_read(reader_request(ip="203.0.113.6"), article.pk), "another reader"
    assert push_pending() == 2  # the flusher's next second
    # A reload after that push: taken on the request, dropped by the shared window.
    assert count_read(reader_request(ip="203.0.113.5"), article.pk)
    assert push_pending() == 0
    time.sleep(1.2)
    assert count_read(reader_request(ip="203.0.113.5"), article.pk), "after the window"
    assert total_reads(article) == 3


def test_counting_a_read_makes_no_cache_call_on_the_request(cache_backend):
    """The shared cache is looked at by the flusher, never while a reader waits: a cache
    that is down costs the page nothing, and the reads wait in the process."""
    article = make_article()
    with override_settings(CACHES=redis_caches("redis://127.0.0.1:9/0")):
        assert count_read(reader_request(ip="203.0.113.7"), article.pk)
        with pytest.raises(CacheUnavailable):
            push_pending()
    assert total_reads(article) == 1, "kept for the next push, then counted"


def test_the_reader_key_is_a_daily_salted_hash_not_the_address():
    today = datetime(2026, 11, 28, 9, tzinfo=UTC)
    request = reader_request(ip="203.0.113.5")
    key = reader_fingerprint(request, today)
    assert "203.0.113.5" not in key and len(key) == 16
    assert key == reader_fingerprint(request, today + timedelta(hours=3))
    assert key != reader_fingerprint(request, today + timedelta(days=1)), "the salt rotates"


def beacon_of(html: str) -> str | None:
    """The read beacon's address in a page, or None."""
    found = re.search(r'<img class="read-beacon" src="([^"]+)"', html)
    return found and found.group(1)


def test_a_read_is_the_pages_beacon_and_previews_and_editors_do_not_count(client, cache_backend):
    """The page view itself counts nothing (it may come from any cache); its beacon counts
    once. An editor's preview carries no beacon; an editor's beacon is not a read."""
    article = make_article("热门文章")
    draft = make_article("草稿", status=Article.Status.DRAFT)
    reader = {"HTTP_USER_AGENT": reader_request().META["HTTP_USER_AGENT"]}
    response = client.get(article.get_absolute_url(), **reader)
    assert "Set-Cookie" not in response.headers, "no tracking cookie"
    assert total_reads(article) == 0, "the page alone is not counted"
    beacon = beacon_of(response.content.decode())
    assert client.get(beacon, **reader).status_code == 200
    assert client.get(beacon, **reader).status_code == 200, "a reload: the same read"
    assert total_reads(article) == 1
    client.force_login(make_editor())
    editor = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/133.0"}
    assert beacon_of(client.get(draft.get_absolute_url(), **editor).content.decode()) is None
    client.get(beacon, **editor)
    assert total_reads(article) == 1
    assert total_reads(draft) == 0


def test_a_head_request_for_the_beacon_is_not_a_read(client, cache_backend):
    article = make_article("只看头部")
    reader = {"HTTP_USER_AGENT": reader_request().META["HTTP_USER_AGENT"]}
    client.head(reverse("trending:read", args=[article.pk]), **reader)
    assert total_reads(article) == 0


def test_the_read_beacon_answers_a_pixel_once_the_read_is_in_the_shared_cache(
    client, cache_backend
):
    from trending import buffer

    article = make_article()
    beacon = reverse("trending:read", args=[article.pk])
    response = client.get(beacon, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile Safari/604.1")
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert response["Cache-Control"] == "no-store"
    assert buffer.push_pending() == 0, "nothing left in the process: pushed before answering"
    assert total_reads(article) == 1
    assert client.post(beacon).status_code == 405
