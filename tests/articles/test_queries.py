"""Pages run a fixed number of SQL queries, however much they show."""

import pytest
from django.urls import reverse

from articles.page_cache import forget_content_version
from tests.factories import make_article, make_channel

pytestmark = pytest.mark.django_db


def test_article_page_queries_do_not_grow_with_sections_tags_or_related(
    client, django_assert_num_queries, committed
):
    channel = make_channel()
    tags = ["钢铁", "产能", "就业", "城市", "气候", "消费", "教育", "制造业"]
    article = make_article(channel=channel, sections=12, tags=tags)
    for n in range(6):
        make_article(f"相关{n}", channel=channel, tags=tags[: n + 1], hours_ago=n + 2)
    client.get(reverse("home"))  # warm the navigation cache, as on a running site
    # content version, article+channel+cover, sections, tags, corrections, authors, older,
    # newer, related.
    with committed():
        forget_content_version()  # retires cached pages and the version read in this process
    with django_assert_num_queries(9):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="section-num"') == 12
    small = make_article(channel=channel, sections=1, tags=tags[:1])
    with committed():
        forget_content_version()
    client.get(reverse("home"))  # 热传 follows the new article (one query), as on a live site
    with committed():
        forget_content_version()
    with django_assert_num_queries(9):
        client.get(small.get_absolute_url())


def test_home_page_queries_are_fixed(client, django_assert_max_num_queries, same_minute):
    channels = [make_channel(order=n) for n in range(6)]
    for n in range(30):
        make_article(channel=channels[n % 6], hours_ago=n + 1, tags=["钢铁"])
    client.get(reverse("articles:archive"))  # warm the navigation and sidebar caches
    # content version, latest list, channel blocks (one window-function query): 3.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="channel-block"') == 6
    with django_assert_max_num_queries(1):  # again: the content version, then the cache
        assert client.get(reverse("home")).content == response.content


def test_archive_and_channel_pages_have_fixed_queries(
    client, django_assert_max_num_queries, same_minute
):
    channel = make_channel()
    for n in range(30):
        make_article(channel=channel, hours_ago=n + 1)
    client.get(reverse("home"))
    with django_assert_max_num_queries(3):  # content version + count + page
        client.get(reverse("articles:archive") + "?page=2")
    with django_assert_max_num_queries(4):  # content version + channel + count + page
        client.get(channel.get_absolute_url())
    with django_assert_max_num_queries(1):  # again: the content version, then the cache
        client.get(channel.get_absolute_url())


def test_feeds_and_sitemap_have_fixed_queries(client, django_assert_max_num_queries):
    channel = make_channel()
    for n in range(20):
        make_article(channel=channel, hours_ago=n + 1)
    # Each is kept as a page: the content version (see page_cache), then the list itself.
    with django_assert_max_num_queries(2):
        client.get(reverse("articles:feed_rss"))
    with django_assert_max_num_queries(4):
        client.get(reverse("sitemap_section", args=["articles"]))


def test_cards_with_covers_cost_no_query_each(client, django_assert_max_num_queries, committed):
    from articles.models import Image

    cover = Image.objects.create(alt="封面", file="images/c.jpg", width=1600, height=900)
    for number in range(12):
        make_article(f"有封面的卡片{number}", hours_ago=number + 1, cover=cover)
    client.get(reverse("home"))
    with committed():
        forget_content_version()
    with django_assert_max_num_queries(8):
        html = client.get(reverse("articles:archive")).content.decode()
    assert html.count("card--pictured") == 12
