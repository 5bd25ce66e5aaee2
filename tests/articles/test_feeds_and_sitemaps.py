"""Feeds, sitemap and robots.txt: valid XML holding exactly the public articles."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_channel

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def articles():
    tech = make_channel("科技", "tech")
    city = make_channel("城市", "city")
    return {
        "tech": make_article("科技栏目的公开文章", channel=tech),
        "city": make_article("城市栏目的公开文章", channel=city),
        "draft": make_article("一篇草稿", channel=tech, status=Article.Status.DRAFT),
        "withdrawn": make_article("撤下的文章", channel=tech, status=Article.Status.WITHDRAWN),
        "scheduled": make_article(
            "定时文章", channel=tech, published_at=timezone.now() + timedelta(hours=3)
        ),
    }


def rss_titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(client, url):
    root = ET.fromstring(client.get(url).content)
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_site_feeds_hold_only_public_articles(client, articles):
    expected = {"科技栏目的公开文章", "城市栏目的公开文章"}
    assert set(rss_titles(client, reverse("articles:feed_rss"))) == expected
    assert set(atom_titles(client, reverse("articles:feed_atom"))) == expected


def test_channel_feeds_hold_only_that_channel(client, articles):
    assert rss_titles(client, reverse("articles:channel_feed_rss", args=["tech"])) == [
        "科技栏目的公开文章"
    ]
    assert atom_titles(client, reverse("articles:channel_feed_atom", args=["city"])) == [
        "城市栏目的公开文章"
    ]
    assert client.get(reverse("articles:channel_feed_rss", args=["nowhere"])).status_code == 404


def test_sitemap_lists_public_articles_with_lastmod(client, articles):
    index = ET.fromstring(client.get(reverse("sitemap")).content)
    section_urls = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any("sitemap-articles.xml" in url for url in section_urls)

    response = client.get(reverse("sitemap_section", args=["articles"]))
    root = ET.fromstring(response.content)
    entries = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    public = {articles["tech"], articles["city"]}
    assert set(entries) == {f"http://testserver{a.get_absolute_url()}" for a in public}
    assert all(entries.values()), "every article has a lastmod"


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
