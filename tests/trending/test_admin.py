"""Editors steer 热传 from the admin: pins, hides and items of their own."""

import pytest
from django.urls import reverse

from articles import purging
from tests.factories import make_article, make_role_user
from tests.purge_recorder import PurgeRecorder
from trending.models import TrendingHidden, TrendingItem
from trending.ranking import sidebar_entries

pytestmark = pytest.mark.django_db
ADD_ITEM = reverse("admin:trending_trendingitem_add")


@pytest.fixture
def editor(client):
    client.force_login(make_role_user("rebian", "编辑"))


def item_form(**fields):
    data = {
        "article": "",
        "title": "",
        "summary": "",
        "url": "",
        "position": "",
        "starts_at_0": "2026-11-01",
        "starts_at_1": "08:00:00",
        "expires_at_0": "",
        "expires_at_1": "",
        "kind": "manual",
    }
    data.update(fields)
    return data


def titles():
    return [entry["title"] for entry in sidebar_entries()]


def test_an_editor_pins_an_article_and_adds_an_outside_item(client, editor, committed):
    article = make_article("值得置顶的文章")
    with committed():
        response = client.post(ADD_ITEM, item_form(article=str(article.pk), position="1"))
        assert response.status_code == 302
        response = client.post(
            ADD_ITEM,
            item_form(title="外站的好文章", summary="一段摘要。", url="https://example.com/good"),
        )
        assert response.status_code == 302
    assert titles()[:2] == ["值得置顶的文章", "外站的好文章"]


def test_an_editor_hides_an_article(client, editor, committed):
    article = make_article("不该上榜的文章")
    with committed():
        client.post(ADD_ITEM, item_form(article=str(article.pk)))
    assert "不该上榜的文章" in titles()
    with committed():
        response = client.post(
            reverse("admin:trending_trendinghidden_add"),
            {"article": str(article.pk), "reason": "标题党", "until_0": "", "until_1": ""},
        )
    assert response.status_code == 302
    assert TrendingHidden.objects.filter(article=article).exists()


def test_curation_purges_the_sidebar_at_the_edge(client, editor, committed, settings):
    article = make_article("编辑置顶的文章")
    with PurgeRecorder() as edge:
        settings.EDGE_PURGE_URLS = [edge.url]
        try:
            with committed():
                client.post(ADD_ITEM, item_form(article=str(article.pk), position="1"))
            assert "trending" in edge.taken()
            with committed():
                client.post(
                    reverse("admin:trending_trendinghidden_add"),
                    {"article": str(article.pk), "reason": "过时", "until_0": "", "until_1": ""},
                )
            assert "trending" in edge.taken()
        finally:
            purging.pending().clear()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "", "url": "https://example.com/x"}, "没有链接本站文章时，标题必填"),
        ({"title": "长" * 121, "url": "https://example.com/x"}, "不超过 120 字符"),
        ({"title": "无处可去", "url": ""}, "请选择一篇本站文章，或填写外部链接"),
        ({"title": "太靠后", "url": "https://example.com/x", "position": "9"}, "置顶位置只能是"),
    ],
)
def test_bad_items_are_refused_with_one_clear_reason(client, editor, fields, message):
    response = client.post(ADD_ITEM, item_form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if "标题必填" not in message:
        assert "标题必填" not in html, "no second, wrong reason"
    assert not TrendingItem.objects.exists()
