"""Every page type a reader meets, with the content each needs: what the validators check."""

from datetime import UTC, datetime

from django.utils import timezone

from articles.models import Article, Author, Authorship, Correction
from articles.services import article_withdraw
from tests.factories import make_article, make_channel
from trending.models import ArticleReadHour
from trending.ranking import recompute

PAGES = {
    "home": "/",
    "article": "/a/standards-article/",
    "channel": "/channel/standards/",
    "archive": "/archive/",
    "archive month": "/archive/2025/6/",
    "search": "/search/?q=钢铁",
    "tag entry": "/tag/钢铁/",
    "trending": "/trending/",
    "corrections": "/corrections/",
    "author": "/author/standards-author/",
    "traditional article": "/zh-hant/a/standards-article/",
    "traditional home": "/zh-hant/",
    "withdrawn (451)": "/a/standards-withdrawn/",
    "ended (410)": "/a/standards-ended/",
    "takedown notice": "/takedown/",
    "takedown status": "/takedown/status/",
    "takedown policy": "/takedown/policy/",
    "counter-notice": "/takedown/counter/",
    "not found": "/no-such-page/",
}


def make_pages() -> None:
    channel = make_channel("标准", "standards")
    channel.description = "检验页面是否合乎规范的栏目。"
    channel.save()
    article = make_article(
        "钢铁厂的冬天", slug="standards-article", channel=channel, tags=["钢铁", "城市"],
        lede="淡季里，库房和报价单一起降温。", hours_ago=2,
    )  # fmt: skip
    make_article("县城书店的一盏灯", channel=channel, tags=["钢铁"], hours_ago=30 * 24)
    make_article("去年夏天的港口", channel=channel,
                 published_at=datetime(2025, 6, 15, 4, tzinfo=UTC))  # fmt: skip
    article_withdraw(make_article("被投诉撤下的文章", slug="standards-withdrawn"),
                     reference="TD-20261130-0001", basis="《信息网络传播权保护条例》第十五条",
                     notice_url="/takedown/counter/?ref=TD-20261130-0001")  # fmt: skip
    make_article("限时公告", slug="standards-ended", status=Article.Status.EXPIRED)
    ArticleReadHour.objects.create(article=article, hour=timezone.now(), reads=12)
    Correction.objects.create(article=article, text="原文误将“三成”写为“五成”，已更正。")
    writer = Author.objects.create(name="林舟", title="本站评论员", slug="standards-author",
                                   bio="写产业与城市。")  # fmt: skip
    Authorship.objects.create(article=article, author=writer)
    recompute()
