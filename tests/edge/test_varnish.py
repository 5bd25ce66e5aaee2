"""Through a real Varnish (Debian's, with varnish-modules' xkey) in front of the site under
gunicorn: pages are kept, purged exactly and at once, editors and posts pass, and reads are
counted exactly although Python no longer sees most page views.

`make test-edge` (CI installs varnish); private servers on free loopback ports only — a
varnishd, a redis-server shared by the site and this test (as web processes share one),
and gunicorn on the test database."""

import socket
import time
import urllib.request
from dataclasses import dataclass

import pytest
from django.db.models import Sum
from django.utils import timezone

from articles.models import Article
from articles.services import article_withdraw
from juredian import varnish
from tests.conftest import clear_caches, redis_caches
from tests.factories import make_article, make_channel
from tests.servers import RedisServer, free_port, gunicorn, wait_until
from trending.models import ArticleReadHour, TrendingItem

pytestmark = [pytest.mark.edge, pytest.mark.django_db(transaction=True)]
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"


@dataclass
class Edge:
    url: str  # Varnish
    site: str  # gunicorn behind it
    redis: str

    def get(self, path: str, *, method: str = "GET", data=None, **headers):
        """(status, headers, text) through Varnish."""
        headers.setdefault("User-Agent", BROWSER)
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def edge(django_db_setup, django_db_blocker):
    redis = RedisServer().start()
    listen = f"127.0.0.1:{free_port()}"
    env = {
        "REDIS_URL": redis.url,
        "EDGE_PURGE_URLS": f"http://{listen}/",
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "WEB_CONCURRENCY": "2",
        "TRENDING_FLUSH_SECONDS": "1",
    }
    try:
        with (
            django_db_blocker.unblock(),
            gunicorn(**env) as server,
            varnish.running([f"127.0.0.1:{server.port}"], listen=listen) as url,
        ):
            yield Edge(url, server.url, redis.url)
    finally:
        redis.kill()


@pytest.fixture(autouse=True)
def same_caches_and_purges(edge, settings):
    """This process changes content as an editor's would: same Redis, same edge cache."""
    settings.CACHES = redis_caches(edge.redis, prefix="juredian")
    settings.EDGE_PURGE_URLS = [edge.url + "/"]
    clear_caches()


def visible_within(check, seconds: float) -> float:
    """How long until `check()` holds (polled every 20 ms); fails after `seconds`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, check.__doc__
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_second_read_is_a_hit_and_keys_stay_with_the_cache(edge):
    article = make_article("第二次读来自缓存")
    status, headers, html = edge.get(article.get_absolute_url())
    assert status == 200 and headers["X-Cache"] == "MISS" and "第二次读来自缓存" in html
    status, headers, again = edge.get(article.get_absolute_url())
    assert status == 200 and headers["X-Cache"] == "HIT"
    assert "xkey" not in headers and "Surrogate-Key" not in headers
    assert 'class="trending"' in again and "esi:include" not in again, "the sidebar included"


def test_only_the_app_servers_may_purge(edge):
    """A purge from an address outside the VCL's `purgers` is refused and purges nothing;
    the same purge from the app servers' address is taken."""
    import http.client
    from urllib.parse import urlsplit

    article = make_article("不许外人清除")
    edge.get(article.get_absolute_url())
    assert edge.get(article.get_absolute_url())[1]["X-Cache"] == "HIT"
    where = urlsplit(edge.url)

    def purge(source: str) -> int:
        connection = http.client.HTTPConnection(
            where.hostname, where.port, timeout=5, source_address=(source, 0)
        )
        try:
            connection.request("PURGE", "/", headers={"xkey": f"article-{article.pk}"})
            return connection.getresponse().status
        finally:
            connection.close()

    assert purge("127.0.0.2") == 403, "another machine"
    assert edge.get(article.get_absolute_url())[1]["X-Cache"] == "HIT", "nothing purged"
    assert purge("127.0.0.1") == 200
    assert edge.get(article.get_absolute_url())[1]["X-Cache"] == "MISS"


def test_an_edit_shows_within_a_second_and_purges_no_other_article(edge):
    article = make_article("改之前的标题", channel=make_channel())
    other = make_article("不相干的文章", channel=make_channel())
    for page in (article, other, article, other):
        edge.get(page.get_absolute_url())
    assert edge.get(other.get_absolute_url())[1]["X-Cache"] == "HIT"

    article.title = "改之后的标题"
    article.save()  # committed at once: this test's database is not in a transaction

    def edited():
        """the edit is visible through the edge cache"""
        return "改之后的标题" in edge.get(article.get_absolute_url())[2]

    assert visible_within(edited, 1.0) < 1.0
    assert edge.get(other.get_absolute_url())[1]["X-Cache"] == "HIT", "keys are exact"


def test_a_withdrawal_answers_451_within_a_second(edge):
    article = make_article("将被投诉撤下的文章")
    for _ in range(2):
        edge.get(article.get_absolute_url())
        edge.get("/")
    assert edge.get(article.get_absolute_url())[1]["X-Cache"] == "HIT"
    article_withdraw(article, reference="JRD-2026-0001", basis="著作权", notice_url="/takedown/")

    def gone():
        """the article answers 451 through the edge cache"""
        return edge.get(article.get_absolute_url())[0] == 451

    assert visible_within(gone, 1.0) < 1.0
    assert "将被投诉撤下的文章" not in edge.get("/")[2], "and leaves the home page"


def test_editors_and_posts_pass_to_the_site(edge):
    article = make_article("编辑与表单不经缓存")
    for _ in range(2):
        edge.get(article.get_absolute_url())
    for _ in range(2):
        status, headers, _ = edge.get(article.get_absolute_url(), Cookie="sessionid=abc")
        assert status == 200 and headers["X-Cache"] == "MISS"
    status, headers, html = edge.get(
        "/takedown/", method="POST", data=b"name=x", Cookie="csrftoken=abc"
    )
    assert status == 403 and headers["X-Cache"] == "MISS" and "页面已过期" in html
    for _ in range(2):
        status, headers, _ = edge.get("/takedown/")
        assert headers["X-Cache"] == "MISS", "forms with CSRF tokens are never kept"


def test_counting_through_the_edge_gives_the_exact_number_of_readers(edge):
    article = make_article("六十位读者")
    beacon = f"/trending/read/{article.pk}/"
    for reader in range(60):
        address = f"203.0.113.{reader + 1}"
        status, _, html = edge.get(article.get_absolute_url(), **{"X-Real-IP": address})
        assert status == 200 and f'src="{beacon}"' in html
        status, headers, _ = edge.get(beacon, **{"X-Real-IP": address})
        assert status == 200 and headers["Cache-Control"] == "no-store"
    for reader in range(20):  # the same readers again, within 30 minutes: no new reads
        address = f"203.0.113.{reader + 1}"
        edge.get(article.get_absolute_url(), **{"X-Real-IP": address})
        edge.get(beacon, **{"X-Real-IP": address})
    edge.get(beacon, **{"X-Real-IP": "198.51.100.9", "User-Agent": "Googlebot/2.1"})

    def counted():
        """sixty reads reach the hourly totals"""
        total = ArticleReadHour.objects.filter(article=article).aggregate(n=Sum("reads"))["n"]
        return total == 60

    wait_until(counted, seconds=20)
    time.sleep(2.5)  # two more flushes: nothing counted twice
    assert counted()


def test_the_sidebar_is_an_include_with_its_own_lifetime(edge):
    make_article("首页上的文章")
    for _ in range(2):
        headers = edge.get("/")[1]
    assert headers["X-Cache"] == "HIT"
    TrendingItem.objects.create(title="编辑置顶的热传条目", url="https://example.com/x", position=1)

    def pinned():
        """the pinned item shows in the sidebar of the cached home page"""
        return "编辑置顶的热传条目" in edge.get("/")[2]

    visible_within(pinned, 2.0)
    assert edge.get("/")[1]["X-Cache"] == "HIT", "the page around it stayed in the cache"


def test_a_scheduled_article_appears_when_its_time_comes(edge):
    channel = make_channel()
    make_article("早已发布", channel=channel)
    due = timezone.now() + timezone.timedelta(seconds=2)
    make_article("定时发布的新文章", channel=channel, published_at=due)
    for _ in range(2):
        assert "定时发布的新文章" not in edge.get(channel.get_absolute_url())[2]
        assert "定时发布的新文章" not in edge.get("/")[2]
    wait_until(lambda: timezone.now() >= due, seconds=5, every=0.05)

    def shown():
        """the article is on its channel's page and the home page"""
        return all(
            "定时发布的新文章" in edge.get(path)[2] for path in (channel.get_absolute_url(), "/")
        )

    assert visible_within(shown, 2.0) < 2.0
    assert Article.objects.filter(title="定时发布的新文章").exists()


def test_with_the_site_gone_the_edge_still_serves_what_it_keeps(edge):
    """Every app server down: pages the edge keeps are still served; one it does not keep
    gets its short Chinese page saying to come back, with Retry-After — not Varnish's own."""
    kept = make_article("站点宕机时仍可读")
    other = make_article("没有缓存的文章")
    with (
        gunicorn(REDIS_URL=edge.redis, WEB_CONCURRENCY="1") as server,
        varnish.running([f"127.0.0.1:{server.port}"]) as url,
    ):
        alone = Edge(url, server.url, edge.redis)
        assert alone.get(kept.get_absolute_url())[0] == 200
        server.stop(graceful=False)

        def gone() -> bool:
            """the site no longer takes connections (its worker outlives the master briefly)"""
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
            except OSError:
                return True
            return False

        wait_until(gone, seconds=10)
        status, headers, html = alone.get(kept.get_absolute_url())
        assert status == 200 and headers["X-Cache"] == "HIT" and "站点宕机时仍可读" in html
        status, headers, html = alone.get(other.get_absolute_url())
        assert status == 503 and headers["Retry-After"] and "暂时无法访问" in html
