"""The 热传 sidebar on every page, expanding in place without JavaScript."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_channel
from trending.models import ArticleReadHour
from trending.ranking import recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def trending_article():
    from django.utils import timezone

    channel = make_channel("产业", "industry")
    article = make_article(
        "钢铁厂的冬天", channel=channel, tags=["钢铁"], lede="淡季里，库房和报价单一起降温。"
    )
    ArticleReadHour.objects.create(article=article, hour=timezone.now(), reads=12)
    recompute()
    return article


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("articles:archive"),
        reverse("articles:channel", args=["industry"]),
        reverse("search:results") + "?q=钢铁",
        reverse("search:entry", args=["钢铁"]),
    ],
)
def test_every_page_has_the_sidebar(client, trending_article, url):
    html = client.get(url).content.decode()
    assert 'id="trending-title"' in html
    assert "钢铁厂的冬天" in html
    assert "<details" in html and "展开" in html and "收起" in html
    assert "淡季里，库房和报价单一起降温。" in html


def test_article_page_has_the_sidebar(client, trending_article):
    html = client.get(trending_article.get_absolute_url()).content.decode()
    assert 'class="trending"' in html


def test_the_trending_page_uses_the_width_and_explains_its_order(client, trending_article):
    html = client.get(reverse("trending:list")).content.decode()
    assert "layout--wide" in html and 'class="trending-full"' in html, "no empty right column"
    assert "钢铁厂的冬天" in html and "24 小时阅读 12" in html
    assert "只算原来的一半" in html, "why #6 may have fewer reads than #7: decay, said"
    assert "编辑可置顶" not in html, "nothing addressed to editors"
