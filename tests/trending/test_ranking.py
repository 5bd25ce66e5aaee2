"""Scores with a fake clock, editors' pins, hides, items, expiry and withdrawal."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.models import Article
from articles.page_cache import VERSION_MEMO_SECONDS, newest_article_update
from tests.factories import make_article
from trending.models import ArticleReadHour, TrendingHidden, TrendingItem
from trending.ranking import article_scores, compute, recompute, sidebar_entries

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(minute=0, second=0, microsecond=0)
STARTED = NOW - timedelta(days=1)  # editors' items made "earlier" on the fake clock


def reads(article, hours_ago, count):
    ArticleReadHour.objects.create(
        article=article, hour=NOW - timedelta(hours=hours_ago), reads=count
    )


def titles(entries):
    return [entry["title"] for entry in entries]


def test_older_reads_weigh_less_by_the_half_life(settings):
    settings.TRENDING_HALF_LIFE_HOURS = 12
    fresh, half, quarter = make_article("刚读"), make_article("半天前"), make_article("一天前")
    reads(fresh, 0, 50)
    reads(half, 12, 100)
    reads(quarter, 24, 100)
    scores = dict(article_scores(NOW))
    assert scores[fresh.pk] == pytest.approx(50)
    assert scores[half.pk] == pytest.approx(50), "100 reads one half-life ago weigh 50"
    assert scores[quarter.pk] == pytest.approx(25)


def test_the_half_life_is_a_setting(settings):
    settings.TRENDING_HALF_LIFE_HOURS = 6
    article = make_article()
    reads(article, 12, 100)
    assert dict(article_scores(NOW))[article.pk] == pytest.approx(25)


def test_reads_older_than_the_window_do_not_count(settings):
    settings.TRENDING_WINDOW_DAYS = 3
    old, recent = make_article("很久以前"), make_article("最近")
    reads(old, 80, 10_000)
    reads(recent, 1, 1)
    assert titles(compute(NOW)) == ["最近"]


def test_pinned_items_take_their_position_whatever_their_reads():
    popular = [make_article(f"热门{n}") for n in range(3)]
    for n, article in enumerate(popular):
        reads(article, 1, 100 - n)
    quiet = make_article("编辑置顶")
    TrendingItem.objects.create(article=quiet, position=2, starts_at=STARTED)
    assert titles(compute(NOW))[:4] == ["热门0", "编辑置顶", "热门1", "热门2"]


def test_hidden_articles_stay_off_until_the_hide_ends():
    article = make_article("不上榜")
    reads(article, 1, 500)
    hide = TrendingHidden.objects.create(article=article, until=NOW + timedelta(hours=1))
    assert "不上榜" not in titles(compute(NOW))
    hide.until = NOW - timedelta(minutes=1)
    hide.save()
    assert "不上榜" in titles(compute(NOW))


def test_manual_items_link_outside_and_expire():
    TrendingItem.objects.create(
        title="一条站外好文", summary="编辑推荐。", url="https://example.org/essay",
        starts_at=STARTED, expires_at=NOW + timedelta(hours=2),
    )  # fmt: skip
    entries = recompute(NOW)
    assert entries[0]["url"] == "https://example.org/essay"
    assert titles(sidebar_entries(NOW)) == ["一条站外好文"]
    assert sidebar_entries(NOW + timedelta(hours=3)) == [], "gone when it expires"
    assert titles(compute(NOW + timedelta(hours=3))) == []


def test_withdrawn_or_unpublished_articles_leave_the_list_at_once(committed):
    stays, withdrawn, unpublished = make_article("留下"), make_article("撤下"), make_article("撤回")
    for article in (stays, withdrawn, unpublished):
        reads(article, 1, 10)
    recompute(NOW)
    assert len(sidebar_entries()) == 3
    with committed():
        withdrawn.status = Article.Status.WITHDRAWN
        withdrawn.save()
        unpublished.status = Article.Status.DRAFT
        unpublished.save()
    assert titles(sidebar_entries()) == ["留下"], "no recompute needed"


def test_a_withdrawal_made_beside_another_cache_leaves_this_processs_sidebar_too(committed):
    """`manage.py takedown withdraw` beside a local-memory cache: that process's cache is
    not this one's. Played here by withdrawing under a second, separate local cache."""
    import time

    from django.test import override_settings

    from tests.conftest import local_caches

    stays, withdrawn = make_article("留下"), make_article("撤下")
    for article in (stays, withdrawn):
        reads(article, 1, 10)
    recompute(NOW)
    assert sorted(titles(sidebar_entries())) == sorted(["留下", "撤下"])
    with override_settings(CACHES=local_caches("another-process")), committed():
        withdrawn.status = Article.Status.WITHDRAWN
        withdrawn.save()
    time.sleep(VERSION_MEMO_SECONDS + 0.1)
    assert titles(sidebar_entries()) == ["留下"]


def test_the_sidebar_costs_one_query_cold_and_none_warm(django_assert_num_queries):
    article = make_article("热传第一")
    reads(article, 1, 10)
    recompute(NOW)
    from django.core.cache import cache

    cache.clear()
    newest_article_update()  # what every page's content-version check has just done
    template = Template("{% load trending_tags %}{% trending_sidebar %}")
    with django_assert_num_queries(1):
        html = template.render(Context())
    assert "热传第一" in html
    with django_assert_num_queries(0):
        template.render(Context())


def test_editors_changes_show_without_waiting_for_the_minute(django_capture_on_commit_callbacks):
    article = make_article("刚刚置顶")
    with django_capture_on_commit_callbacks(execute=True):
        TrendingItem.objects.create(article=article, position=1)
    assert titles(sidebar_entries())[0] == "刚刚置顶"


def test_imported_trending_blocks_become_items_linked_to_known_articles(
    tmp_path, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    from tests.articles.test_pagedump import DUMP

    make_article("地铁早高峰")
    (tmp_path / "steel.txt").write_text(DUMP, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_pages", str(tmp_path), stdout=io.StringIO())
        call_command("import_pages", str(tmp_path), "--draft", stdout=io.StringIO())
    items = TrendingItem.objects.filter(kind=TrendingItem.Kind.IMPORTED).order_by("title")
    assert [(i.title, i.article.title if i.article else None) for i in items] == [
        ("县城书店的一盏灯", None),
        ("地铁早高峰", "地铁早高峰"),
    ], "no duplicates on re-import; linked where the article exists"
    assert items[0].summary.endswith("慢慢散去的集市"), "(展开) removed"
    assert items[0].link.startswith("/search/?q="), "unlinked items search for their title"
    entries = sidebar_entries()
    assert {"县城书店的一盏灯", "地铁早高峰"} <= set(titles(entries))


def test_the_trending_page_shows_24_hour_and_7_day_reads(client):
    article = make_article("读者很多")
    reads(article, 2, 30)
    reads(article, 100, 70)
    recompute()
    html = client.get("/trending/").content.decode()
    assert "读者很多" in html
    assert "24 小时阅读 30 · 7 天阅读 100" in html


def test_an_imported_item_is_linked_when_its_article_arrives_later(
    django_capture_on_commit_callbacks,
):
    TrendingItem.objects.create(kind=TrendingItem.Kind.IMPORTED, title="后来才导入的文章")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("后来才导入的文章")
    item = TrendingItem.objects.get()
    assert item.article == article and item.link == article.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_during_a_recompute_is_not_undone_by_it(monkeypatch):
    """Two connections, as two processes: the withdrawal commits its article while the
    list is being computed; it waits for the snapshot row, then takes the article off."""
    import threading
    import time

    from django.db import connection

    from trending import ranking

    stays, withdrawn = make_article("留下"), make_article("撤下")
    for article in (stays, withdrawn):
        reads(article, 1, 10)
    real_compute = ranking.compute

    def withdraw():
        try:
            withdrawn.status = Article.Status.WITHDRAWN
            withdrawn.save()
        finally:
            connection.close()

    editor = threading.Thread(target=withdraw)

    def compute_while_an_editor_withdraws(now=None):
        entries = real_compute(now)  # made while 撤下 is still public
        editor.start()
        time.sleep(0.3)  # the withdrawal is now waiting for the snapshot row
        return entries

    monkeypatch.setattr(ranking, "compute", compute_while_an_editor_withdraws)
    recompute(NOW)
    editor.join(timeout=10)
    time.sleep(VERSION_MEMO_SECONDS + 0.1)
    assert titles(sidebar_entries()) == ["留下"]
