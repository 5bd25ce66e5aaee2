"""After each change commits, the edge caches are told to drop exactly the pages concerned
(a real HTTP server stands in for Varnish and records the keys); a purge that does not
arrive is retried and logged, never dropped."""

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import purging
from articles.edge_purges import purge_come_due
from articles.models import Image
from articles.services import article_restore, article_withdraw
from tests.factories import make_article, make_channel
from tests.purge_recorder import PurgeRecorder

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge(settings):
    with PurgeRecorder() as recorder:
        settings.EDGE_PURGE_URLS = [recorder.url]
        yield recorder
    purging.pending().clear()
    with purging._failed_lock:
        purging._failed.clear()


def test_nothing_is_sent_without_edge_caches(settings, committed):
    settings.EDGE_PURGE_URLS = []
    with committed():
        make_article("没有边缘缓存")
    assert purging.pending() == {}


def test_an_edit_purges_the_article_and_not_the_lists_it_stays_in(edge, committed):
    with committed():  # what was there before: sent, then forgotten
        channel = make_channel()
        article = make_article("改标题的文章", channel=channel, tags=["钢铁"])
        other = make_article("另一篇文章", channel=make_channel())
    edge.taken()
    with committed():
        article.title = "改过的标题"
        article.save()
    purged = edge.taken()
    # Its page and every page showing it (cards, links, 热传) carry article-<id>.
    assert purged == {f"article-{article.pk}", "feeds", "sitemap"}
    assert f"article-{other.pk}" not in purged
    assert len(edge.purged) == 0, "one request for the whole transaction"


def test_publishing_and_withdrawing_purge_the_lists_and_the_neighbours(edge, committed):
    with committed():
        channel = make_channel()
        older = make_article("同栏目较早", channel=channel, hours_ago=5)
        article = make_article("将被撤下", channel=channel, tags=["钢铁"], hours_ago=2)
        newer = make_article("同栏目较新", channel=channel, hours_ago=1)
    tag = article.tags.get()
    edge.taken()
    with committed():
        article_withdraw(article, reference="JRD-1", basis="著作权", notice_url="/takedown/")
    expected = {
        f"article-{article.pk}", "home", "archive", "search", "feeds", "sitemap",
        f"channel-{channel.pk}", f"entry-{tag.pk}", f"article-{older.pk}", f"article-{newer.pk}",
    }  # fmt: skip
    assert edge.taken() == expected
    with committed():
        article_restore(article)
    assert edge.taken() == expected


def test_moving_an_article_purges_both_channels(edge, committed):
    with committed():
        before, after = make_channel(), make_channel()
        article = make_article("换栏目", channel=before)
    edge.taken()
    with committed():
        article.channel = after
        article.save()
    assert {f"channel-{before.pk}", f"channel-{after.pk}"} <= edge.taken()


def test_tags_channels_images_and_sections_purge_their_keys(edge, committed):
    with committed():
        channel = make_channel()
        article = make_article("有标签的文章", channel=channel, tags=["旧词"])
    tag = article.tags.get()
    edge.taken()
    with committed():
        tag.name = "新词"
        tag.save()
    assert edge.taken() == {f"tag-{tag.pk}", f"entry-{tag.pk}", "search"}
    with committed():
        channel.name = "新栏目名"
        channel.save()
    assert edge.taken() == {"channels", f"channel-{channel.pk}"}
    with committed():
        section = article.sections.first()
        section.body_html = "<p>新写的一段。</p>"
        section.save()
    assert f"article-{article.pk}" in edge.taken()
    with committed():
        article.tags.add("新加的词")
    added = article.tags.get(name="新加的词")
    assert {f"article-{article.pk}", f"entry-{added.pk}"} <= edge.taken()
    with committed():
        image = Image.objects.create(alt="一张图")  # no file needed to see its key go
    edge.taken()
    with committed():
        image.alt = "改过的替代文字"
        image.save(update_fields=["alt"])
    assert edge.taken() == {f"image-{image.pk}"}


def test_a_scheduled_article_coming_due_purges_the_lists_it_joins(edge, committed):
    channel = make_channel()
    purge_come_due()  # the runner's cursor starts now
    with committed():
        article = make_article(
            "定时发布", channel=channel, published_at=timezone.now() + timedelta(seconds=1)
        )
    edge.taken()
    with committed():
        purge_come_due()
    assert edge.taken() == set(), "not yet due"
    time.sleep(0.002)  # the clock moves past the runner's last look
    article.published_at = timezone.now()
    article.save_base(update_fields=["published_at"], raw=True)  # as if time had passed
    with committed():
        purge_come_due()
    assert {f"article-{article.pk}", "home", f"channel-{channel.pk}"} <= edge.taken()


def test_a_purge_that_fails_is_logged_and_retried_until_it_arrives(edge, committed, caplog):
    with committed():
        article = make_article("边缘节点宕机时修改")
    edge.taken()
    edge.refusing = True
    with caplog.at_level(logging.WARNING, logger="articles.purging"), committed():
        article.title = "节点宕机时改的标题"
        article.save()
    assert purging.pending() == {edge.url: {f"article-{article.pk}", "feeds", "sitemap"}}
    assert "retrying" in caplog.text
    purging.retry_failed()  # still refusing: kept
    assert purging.pending()
    edge.refusing = False
    purging.retry_failed()  # the background runner, a second later
    assert purging.pending() == {}
    assert f"article-{article.pk}" in edge.taken()


def test_a_node_that_cannot_be_reached_keeps_its_purges(settings, committed):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]  # discard port: nothing listens
    with committed():
        article = make_article("无人接收")
    with committed():
        article.title = "仍然无人接收"
        article.save()
    assert f"article-{article.pk}" in purging.pending()["http://127.0.0.1:9/"]
    with purging._failed_lock:
        purging._failed.clear()
