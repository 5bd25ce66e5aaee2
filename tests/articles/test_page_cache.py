"""Readers' pages come from the cache, but never a moment out of date after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.services import article_unpublish
from tests.factories import make_article, make_channel, make_editor

pytestmark = pytest.mark.django_db
READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari/605.1"}


def test_a_cached_article_costs_one_query(client, django_assert_max_num_queries, same_minute):
    article = make_article("缓存里的文章", channel=make_channel())
    client.get(reverse("home"))
    first = client.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.1", **READER)
    with django_assert_max_num_queries(1):  # at most the content version; page from cache
        again = client.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.2", **READER)
    assert again.content == first.content


def test_edits_unpublishing_and_section_changes_show_at_once(client, committed):
    article = make_article("原来的标题")
    assert "原来的标题" in client.get(reverse("home")).content.decode()
    assert "原来的标题" in client.get(article.get_absolute_url()).content.decode()

    with committed():
        article.title = "改过的标题"
        article.save()
    assert "改过的标题" in client.get(reverse("home")).content.decode()

    section = article.sections.first()  # a section saved on its own counts too
    with committed():
        section.body_html = "新写的一段正文。"
        section.save()
    assert "新写的一段正文。" in client.get(article.get_absolute_url()).content.decode()

    with committed():
        article_unpublish(article=article)
    assert "改过的标题" not in client.get(reverse("home")).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_deleting_an_article_or_renaming_a_tag_or_channel_retires_pages(client, committed):
    channel = make_channel("旧栏目名", "city")
    gone = make_article("将被删除", hours_ago=5)
    tagged = make_article("带标签的文章", channel=channel, tags=["旧词"], hours_ago=1)
    for url in (reverse("home"), gone.get_absolute_url(), tagged.get_absolute_url()):
        client.get(url)
    with committed():
        gone.delete()
    assert "将被删除" not in client.get(reverse("home")).content.decode()
    assert client.get(gone.get_absolute_url()).status_code == 404
    with committed():
        channel.name = "新栏目名"
        channel.save()
        tag = tagged.tags.get()
        tag.name = "新词"
        tag.save()
    html = client.get(tagged.get_absolute_url()).content.decode()
    assert "新栏目名" in html and "新词" in html


def test_cached_pages_make_browsers_check_back_and_ignore_made_up_parameters(client, same_minute):
    make_article("一篇文章")
    first = client.get(reverse("home"))
    hit = client.get(reverse("home"))
    tracked = client.get(reverse("home"), {"utm_source": "weibo"})
    for response in (first, hit, tracked):
        # Browsers check back each time (max-age=0: a cheap 304 with the ETag); shared
        # caches may keep it (s-maxage, see articles.edge), being purged on change.
        assert "max-age=0" in response["Cache-Control"].split(", ")
        assert "Cookie" in response["Vary"]
    assert first["ETag"] == hit["ETag"]
    # A cached page costs at most the content-version check; a page asked for with made-up
    # parameters is rendered afresh every time, so such parameters cannot fill the cache.
    with CaptureQueriesContext(connection) as from_cache:
        assert client.get(reverse("home")).status_code == 200
    assert len(from_cache) <= 1
    for _ in range(2):
        with CaptureQueriesContext(connection) as rendered:
            assert client.get(reverse("home"), {"utm_source": "weibo"}).status_code == 200
        assert len(rendered) > 1


def test_editors_never_get_a_cached_page(client):
    draft = make_article("编辑的草稿", status=Article.Status.DRAFT)
    client.get(reverse("home"))
    client.force_login(make_editor())
    assert "预览" in client.get(draft.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
