"""What shared caches are told: which pages they may keep, for how long, under which keys."""

import pytest
from django.urls import reverse

from articles import edge
from tests.factories import make_article, make_channel, make_editor

pytestmark = pytest.mark.django_db


def keys(response) -> set[str]:
    assert response["xkey"] == response["Surrogate-Key"], "Varnish and Fastly read the same"
    return set(response["xkey"].split())


def directives(response) -> dict[str, str]:
    parts = (part.split("=", 1) for part in response["Cache-Control"].split(", "))
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_an_article_says_what_it_shows_and_may_be_kept_long(client):
    channel = make_channel()
    older = make_article("旧一点的文章", channel=channel, tags=["钢铁"], hours_ago=5)
    article = make_article("钢铁的冬天", channel=channel, tags=["钢铁", "产业"], hours_ago=2)
    response = client.get(article.get_absolute_url())
    assert directives(response) == {
        "public": "",
        "max-age": "0",  # browsers check back each time (a 304 with the ETag)
        "s-maxage": str(edge.TRENDING_SECONDS),  # see below
        "stale-while-revalidate": str(edge.STALE_WHILE_REVALIDATE),
        "stale-if-error": str(edge.STALE_IF_ERROR),
    }
    tags = {f"tag-{tag.pk}" for tag in article.tags.all()}
    # Without an edge that processes includes, the 热传 sidebar is drawn in place: the page
    # then follows it, for a minute.
    assert keys(response) >= {f"article-{article.pk}", f"article-{older.pk}", "channels", *tags}
    assert "trending" in keys(response)


def test_behind_an_edge_that_includes_the_sidebar_is_an_esi_include(client):
    article = make_article("有边缘缓存的文章")
    response = client.get(article.get_absolute_url(), HTTP_SURROGATE_CAPABILITY="varnish=ESI/1.0")
    html = response.content.decode()
    assert '<esi:include src="/trending/sidebar/"/>' in html
    assert 'class="trending"' not in html, "the sidebar itself comes from the include"
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert "trending" not in keys(response)
    assert directives(response)["s-maxage"] == str(edge.ARTICLE_SECONDS)
    sidebar = client.get(reverse("trending:sidebar"))
    assert 'class="trending"' in sidebar.content.decode()
    assert "trending" in keys(sidebar)
    assert directives(sidebar)["s-maxage"] == str(edge.TRENDING_SECONDS)
    # Without the capability, the same address is the page with the sidebar drawn in place
    # (kept apart in the page cache).
    assert 'class="trending"' in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "key", "seconds"),
    [
        ("home", "home", edge.LIST_SECONDS),
        ("articles:archive", "archive", edge.LIST_SECONDS),
        ("trending:list", "trending", edge.TRENDING_SECONDS),
        ("articles:feed_rss", "feeds", edge.LIST_SECONDS),
        ("sitemap", "sitemap", edge.LIST_SECONDS),
    ],
)
def test_lists_are_kept_briefly_under_their_own_key_and_their_articles(client, name, key, seconds):
    article = make_article("列表里的文章")
    response = client.get(reverse(name), HTTP_SURROGATE_CAPABILITY="varnish=ESI/1.0")
    assert key in keys(response)
    assert directives(response)["s-maxage"] == str(seconds)
    if name in ("home", "articles:archive"):
        assert f"article-{article.pk}" in keys(response)


def test_channel_entry_and_search_pages_carry_their_keys(client, committed):
    channel = make_channel()
    with committed():  # indexed for search on commit
        article = make_article("栏目里的钢铁文章", channel=channel, tags=["钢铁"])
    tag = article.tags.get()
    esi = {"HTTP_SURROGATE_CAPABILITY": "varnish=ESI/1.0"}
    assert f"channel-{channel.pk}" in keys(client.get(channel.get_absolute_url(), **esi))
    entry = client.get(reverse("search:entry", args=[tag.slug]), **esi)
    assert {f"entry-{tag.pk}", f"tag-{tag.pk}", f"article-{article.pk}"} <= keys(entry)
    search = client.get(reverse("search:results"), {"q": "钢铁"}, **esi)
    assert {"search", f"article-{article.pk}"} <= keys(search)
    assert directives(search)["s-maxage"] == str(edge.SEARCH_SECONDS)


def test_nothing_personal_is_shared(client):
    article = make_article("编辑看的文章")
    assert "private" in client.get(reverse("takedown:request"))["Cache-Control"]
    assert "private" in client.get(reverse("search:suggest"), {"q": "钢"})["Cache-Control"]
    assert client.get(reverse("trending:read", args=[article.pk]))["Cache-Control"] == "no-store"
    assert "private" in client.get("/no-such-page/")["Cache-Control"]
    client.force_login(make_editor())
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"] and "xkey" not in response
    draft = make_article("草稿", status="draft")
    assert client.get(draft.get_absolute_url())["Cache-Control"] == "private, no-store"
