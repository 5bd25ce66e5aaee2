"""Autocomplete by characters, pinyin and initials; tag entry pages; query counts."""

import pytest
from django.db import transaction
from django.urls import reverse

from articles.models import Article, Tag
from search.models import SearchDocument, TagPinyin
from tests.factories import make_article

pytestmark = pytest.mark.django_db
SUGGEST = reverse("search:suggest")


@pytest.fixture
def steel(indexed):
    with indexed():
        make_article("钢铁行业的冬天", tags=["钢铁", "产能"], hours_ago=1)
        make_article("钢铁厂的气候账", tags=["钢铁", "气候"], hours_ago=5)
        make_article("城市的地铁", tags=["城市", "地铁"], hours_ago=2)
        make_article("钢琴草稿", tags=["钢琴"], status=Article.Status.DRAFT)


def suggested(client, query):
    response = client.get(SUGGEST, {"q": query})
    assert response.status_code == 200
    data = response.json()
    return [t["name"] for t in data["tags"]], [a["title"] for a in data["articles"]]


def test_suggest_by_characters(client, steel):
    tags, articles = suggested(client, "钢")
    assert tags == ["钢铁"], "tags of drafts are not suggested"
    assert articles == ["钢铁行业的冬天", "钢铁厂的气候账"]
    assert client.head(SUGGEST, {"q": "钢"}).status_code == 200, "HEAD works as GET does"
    assert client.post(SUGGEST, {"q": "钢"}).status_code == 405


def test_suggest_by_full_pinyin_and_initials(client, steel):
    assert suggested(client, "gangtie")[0] == ["钢铁"]
    assert suggested(client, "gang")[0] == ["钢铁"]
    assert suggested(client, "gt")[0] == ["钢铁"]
    assert suggested(client, "GT")[0] == ["钢铁"]
    assert suggested(client, "dt")[0] == ["地铁"]


def test_editors_can_correct_a_tags_pinyin(client, steel):
    pinyin = TagPinyin.objects.get(tag__name="城市")
    pinyin.full, pinyin.initials, pinyin.corrected = "chengshi", "csx", True
    pinyin.save()
    assert suggested(client, "csx")[0] == ["城市"]


def test_suggest_gives_at_most_ten_and_is_cached(client, indexed, django_assert_num_queries):
    with indexed():
        for n in range(15):
            make_article(f"钢铁第{n}篇", tags=[f"钢铁{n:02d}"])
    tags, articles = suggested(client, "钢铁")
    assert len(tags) + len(articles) <= 10
    with django_assert_num_queries(0):
        client.get(SUGGEST, {"q": "钢铁"})


def test_suggest_forgets_withdrawn_articles_at_once(client, steel, indexed):
    suggested(client, "钢")
    with indexed():
        article = Article.objects.get(title="钢铁厂的气候账")
        article.status = Article.Status.WITHDRAWN
        article.save()
    assert suggested(client, "钢")[1] == ["钢铁行业的冬天"]


def test_suggest_with_nothing_or_nonsense(client, steel):
    assert suggested(client, "") == ([], [])
    assert suggested(client, "&|!:*") == ([], [])


def test_entry_page_shows_description_count_related_and_articles(client, steel):
    tag = Tag.objects.get(name="钢铁")
    tag.description_html = "钢铁是工业的骨骼。<script>alert(1)</script>"
    tag.save()
    html = client.get(reverse("search:entry", args=["钢铁"])).content.decode()
    assert "钢铁<small>词条</small>" in html
    assert "钢铁是工业的骨骼。" in html and "<script>alert" not in html
    assert "共 2 篇文章" in html
    assert "相关词条" in html and "产能" in html and "气候" in html
    assert "钢铁行业的冬天" in html and "钢铁厂的气候账" in html


def test_entry_pages_404_for_unknown_tags_and_tags_without_public_articles(client, steel):
    assert client.get(reverse("search:entry", args=["不存在"])).status_code == 404
    assert client.get(reverse("search:entry", args=["钢琴"])).status_code == 404


def test_entry_page_queries_are_fixed(client, indexed, django_assert_max_num_queries):
    with indexed():
        for n in range(30):
            make_article(f"城市{n}", tags=["城市", f"街道{n}"], hours_ago=n + 1)
    client.get(reverse("search:entry", args=["城市"]))
    # tag, count, page of articles, related tags: 4.
    with django_assert_max_num_queries(4):
        client.get(reverse("search:entry", args=["城市"]))


def test_a_rolled_back_save_leaves_the_index_as_it_was(indexed):
    with indexed():
        article = make_article("原来的标题")
    with indexed():
        try:
            with transaction.atomic():
                article.title = "回滚的标题"
                article.save()
                raise RuntimeError
        except RuntimeError:
            pass
        make_article("另一篇")
    assert SearchDocument.objects.count() == 2
    assert not Article.objects.filter(title="回滚的标题").exists()
