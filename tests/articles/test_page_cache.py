"""Readers' pages come from the cache, but never a moment out of date after a change."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import article_unpublish
from tests.factories import make_article, make_channel, make_editor
from trending.models import ArticleReadHour

pytestmark = pytest.mark.django_db
READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari/605.1"}


def test_a_cached_article_costs_one_query_and_still_counts_the_read(
    client, django_assert_max_num_queries
):
    from trending.flushing import flush_reads

    article = make_article("缓存里的文章", channel=make_channel())
    client.get(reverse("home"))
    first = client.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.1", **READER)
    with django_assert_max_num_queries(1):  # at most the content version; page from cache
        again = client.get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.2", **READER)
    assert again.content == first.content
    flush_reads()
    assert ArticleReadHour.objects.get(article=article).reads == 2


def test_edits_unpublishing_and_section_changes_show_at_once(client):
    article = make_article("原来的标题")
    assert "原来的标题" in client.get(reverse("home")).content.decode()
    assert "原来的标题" in client.get(article.get_absolute_url()).content.decode()

    article.title = "改过的标题"
    article.save()
    assert "改过的标题" in client.get(reverse("home")).content.decode()

    section = article.sections.first()  # a section saved on its own counts too
    section.body_html = "新写的一段正文。"
    section.save()
    assert "新写的一段正文。" in client.get(article.get_absolute_url()).content.decode()

    article_unpublish(article=article)
    assert "改过的标题" not in client.get(reverse("home")).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editors_never_get_a_cached_page(client):
    draft = make_article("编辑的草稿", status=Article.Status.DRAFT)
    client.get(reverse("home"))
    client.force_login(make_editor())
    assert "预览" in client.get(draft.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
