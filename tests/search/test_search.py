"""Search results: relevance, recency, filters, the index following edits, and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.services import article_publish, article_unpublish
from search.models import SearchDocument
from tests.factories import make_article, make_channel

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:results")


def titles(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return [hit.article.title for hit in response.context["results"].hits]


def body_article(title, body, **kwargs):
    article = make_article(title, sections=0, **kwargs)
    Section.objects.create(article=article, position=1, body_html=body)
    return article


def test_finds_simplified_traditional_and_part_words(client, indexed):
    with indexed():
        body_article("冬天的库房", "钢铁厂在淡季压库存。大模型正在进入办公室。")
    assert titles(client, "钢铁") == ["冬天的库房"]
    assert titles(client, "鋼鐵") == ["冬天的库房"], "traditional finds simplified"
    assert titles(client, "模型") == ["冬天的库房"], "大模型 also finds 模型"
    assert titles(client, "钢") == ["冬天的库房"], "one character as a prefix"
    assert titles(client, "农业") == []
    page = client.get(SEARCH, {"q": "鋼鐵"}).content.decode()
    assert "已按简体“钢铁”搜索" in page, "the page says what it searched"
    assert 'type="search" name="q" value="鋼鐵"' in page, "a search box on the results page"


def test_full_width_latin_finds_half_width(client, indexed):
    with indexed():
        body_article("办公室里的新同事", "AI 写的纪要越来越像样了。")
    assert titles(client, "ＡＩ") == ["办公室里的新同事"]
    assert titles(client, "ai") == ["办公室里的新同事"]


def test_a_title_match_beats_a_body_match(client, indexed):
    with indexed():
        body_article("城市的夜晚", "夜市里有人谈论钢铁，谈论钢铁的价格和钢铁厂。", hours_ago=1)
        body_article("钢铁的冬天", "库房里堆着卷板。", hours_ago=50)
    assert titles(client, "钢铁") == ["钢铁的冬天", "城市的夜晚"]
    assert titles(client, "钢铁", sort="newest") == ["城市的夜晚", "钢铁的冬天"]


def test_recency_breaks_ties(client, indexed):
    with indexed():
        body_article("较早的地铁故事", "地铁", hours_ago=30)
        body_article("较新的地铁故事", "地铁", hours_ago=3)
    assert titles(client, "地铁") == ["较新的地铁故事", "较早的地铁故事"]


def test_results_show_count_time_and_highlighted_snippets(client, indexed):
    with indexed():
        body_article(
            "钢铁与<b>城市</b>", "很长的铺垫。" * 20 + "这里谈到钢铁的价格。" + "结尾。" * 20
        )
    response = client.get(SEARCH, {"q": "钢铁"})
    html = response.content.decode()
    assert "找到 1 篇，用时" in html
    assert "<mark>钢铁</mark>与&lt;b&gt;城市&lt;/b&gt;" in html, "title highlighted, escaped"
    assert "谈到<mark>钢铁</mark>的价格" in html
    assert html.count("很长的铺垫") < 20, "a snippet around the match, not the whole text"


def test_channel_and_date_filters(client, indexed):
    tech, city = make_channel("科技", "tech"), make_channel("城市", "city")
    with indexed():
        body_article("科技里的模型", "模型", channel=tech, hours_ago=24 * 10)
        body_article("城市里的模型", "模型", channel=city, hours_ago=2)
    assert titles(client, "模型", channel="tech") == ["科技里的模型"]
    today = timezone.localdate()
    since = (today - timedelta(days=3)).isoformat()
    assert titles(client, "模型", **{"from": since}) == ["城市里的模型"]
    until = (today - timedelta(days=5)).isoformat()
    assert titles(client, "模型", to=until) == ["科技里的模型"]


def test_the_index_follows_edits_withdrawal_and_scheduling(client, indexed):
    with indexed():
        article = body_article("会变的文章", "原来谈的是农业。")
    assert titles(client, "农业") == ["会变的文章"]
    with indexed():
        section = article.sections.get()
        section.body_html = "后来改成谈教育。"
        section.save()
    assert titles(client, "农业") == [] and titles(client, "教育") == ["会变的文章"]

    with indexed():
        article.tags.set(["乡村"])
    assert titles(client, "乡村") == ["会变的文章"], "tags are indexed"

    with indexed():
        article_unpublish(article=article)
    assert titles(client, "教育") == []
    assert not SearchDocument.objects.filter(article=article).exists()

    with indexed():
        article_publish(article=article, at=timezone.now() + timedelta(hours=2))
    assert titles(client, "教育") == [], "scheduled articles are not found yet"

    with indexed():
        article.status = Article.Status.WITHDRAWN
        article.published_at = timezone.now() - timedelta(hours=1)
        article.save()
    assert titles(client, "教育") == []


def test_a_stale_index_row_never_shows_a_non_public_article(client, indexed):
    with indexed():
        article = body_article("撤下的文章", "气候")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)  # no signal
    assert titles(client, "气候") == []


@pytest.mark.parametrize(
    "query",
    ["钢" * 5000, "!!!", "&|():*<>", "' OR 1=1; --", "a:*b & | !", "%", "\\", "\x00\x01"],
)
def test_any_query_string_gives_a_normal_page(client, indexed, query):
    with indexed():
        body_article("任意输入", "钢铁")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 100


def test_invalid_utf8_and_pages_past_the_end(client, indexed):
    with indexed():
        body_article("分页", "钢铁")
    assert client.get(SEARCH + "?q=%FF%FE%E9").status_code == 200
    response = client.get(SEARCH, {"q": "钢铁", "page": "999"})
    assert response.status_code == 200 and "分页" in response.content.decode()
    assert client.get(SEARCH, {"q": "钢铁", "page": "abc"}).status_code == 200


def test_bad_filters_are_ignored_and_said(client, indexed):
    response = client.get(SEARCH, {"q": "钢铁", "from": "2026-13-45", "channel": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "格式不对" in html and "没有这个栏目" in html


def test_empty_query_shows_popular_tags(client, indexed):
    with indexed():
        make_article(tags=["钢铁", "城市"])
        make_article(tags=["钢铁"])
        make_article(tags=["草稿标签"], status=Article.Status.DRAFT)
    html = client.get(SEARCH).content.decode()
    assert "热门词条" in html
    assert html.index("钢铁") < html.index("城市")
    assert "草稿标签" not in html


def test_no_results_suggests_close_tags(client, indexed):
    with indexed():
        make_article(tags=["钢铁"])
    html = client.get(SEARCH, {"q": "炼钢炉"}).content.decode()
    assert "没有找到与“炼钢炉”相关的文章" in html
    assert "钢铁词条" in html


def test_search_page_queries_are_fixed(client, indexed, django_assert_max_num_queries, same_minute):
    with indexed():
        for n in range(25):
            body_article(f"钢铁文章{n}", "钢铁" * 5, tags=["钢铁", "城市"], hours_ago=n + 1)
    client.get(reverse("home"))  # warm the navigation and sidebar caches
    client.get(SEARCH, {"q": "城市"})  # the word statistics, read every ten minutes
    # content version; count, newest matches, head matches, the exact title, the ranking
    # (each with its plan, in one savepoint); the page's articles, their sections; the
    # channels for the filter: 12, however many results.
    with django_assert_max_num_queries(12):
        response = client.get(SEARCH, {"q": "钢铁"})
    assert len(response.context["results"].hits) == 20
    client.get(SEARCH, {"q": "钢铁"})  # asked again: now it is worth keeping
    with django_assert_max_num_queries(1):  # a third time: from the page cache
        client.get(SEARCH, {"q": "钢铁"})


def test_words_not_characters(client, indexed):
    """大模型 finds what says 大模型, not every article with 大 here and 模型 there; 模型
    still finds both."""
    with indexed():
        together = body_article("一篇讲大模型的文章", "今年，大模型走进了县城的课堂。")
        apart = body_article("另一篇文章", "他的院子很大。" * 3 + "这个模型还在调试。")
    found = [hit.article for hit in client.get(SEARCH, {"q": "大模型"}).context["results"].hits]
    assert found == [together]
    found = {hit.article for hit in client.get(SEARCH, {"q": "模型"}).context["results"].hits}
    assert found == {together, apart}
