"""Model rules: what the public sees, scheduling, section numbering, sanitising."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import make_article, make_channel

pytestmark = pytest.mark.django_db


def test_public_means_published_and_due():
    visible = make_article("已发布的文章")
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("已撤下", status=Article.Status.WITHDRAWN)
    make_article("定时发布", published_at=timezone.now() + timedelta(hours=2))
    assert list(Article.objects.public()) == [visible]


def test_a_scheduled_article_appears_by_itself_when_its_time_comes():
    article = make_article("明天早上见", published_at=timezone.now() + timedelta(seconds=1))
    assert article not in Article.objects.public()
    assert article.is_scheduled
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert article in Article.objects.public(), "no job runs: the queryset compares with now"


def test_section_numbers_come_from_the_order_not_a_typed_field():
    article = make_article(sections=0)
    for position, heading in [(30, "第三"), (10, "第一"), (20, "第二")]:
        Section.objects.create(
            article=article, position=position, heading=heading, body_html="正文"
        )
    sections = Article.objects.for_page().get(pk=article.pk).numbered_sections()
    assert [(s.number, s.heading, s.anchor) for s in sections] == [
        ("01", "第一", "s1"),
        ("02", "第二", "s2"),
        ("03", "第三", "s3"),
    ]
    Section.objects.get(article=article, heading="第二").delete()
    sections = Article.objects.for_page().get(pk=article.pk).numbered_sections()
    assert [s.number for s in sections] == ["01", "02"], "no gap after a removal"


def test_section_bodies_are_sanitised_on_save():
    article = make_article(sections=0)
    section = Section.objects.create(
        article=article,
        body_html=(
            '<p onclick="steal()">正文<script>alert(1)</script>'
            '<a href="https://example.org/x" target="_blank">原文</a>'
            '<a href="javascript:alert(1)">坏链接</a>'
            '<img src="https://tracker.example/pixel.gif"><img src="/media/covers/ok.jpg" alt="图">'
            '<iframe src="https://example.org"></iframe><span style="color:red">红字</span></p>'
        ),
    )
    html = Section.objects.get(pk=section.pk).body_html
    assert "<script" not in html and "alert(1)" not in html
    assert "onclick" not in html and "style=" not in html and "<iframe" not in html
    assert 'rel="nofollow noopener"' in html
    assert "javascript:" not in html
    assert "tracker.example" not in html, "images only from our own media"
    assert html.count("<img") == 1, "an image from elsewhere goes whole, no empty <img>"
    assert 'src="/media/covers/ok.jpg"' in html
    assert "红字" in html


def test_plain_text_becomes_paragraphs_and_keeps_the_tags_editors_may_use():
    article = make_article(sections=0)
    section = Section.objects.create(
        article=article,
        body_html='第一段，a < b 也无妨。\n\n<img src="/media/images/x.jpg" alt="图">\n\n'
        "第二段有<strong>强调</strong>和<script>坏东西</script>。\n同段换行",
    )
    assert section.body_html == (
        "<p>第一段，a &lt; b 也无妨。</p>"
        '<p><img src="/media/images/x.jpg" alt="图"></p>'
        "<p>第二段有<strong>强调</strong>和。<br>同段换行</p>"
    )


def test_reading_time_counts_chinese_characters():
    article = make_article(sections=0, lede="")
    Section.objects.create(article=article, body_html="字" * 1000)
    article = Article.objects.for_page().get(pk=article.pk)
    assert article.reading_minutes() == 3, "1,000 characters at 400 a minute"


def test_related_articles_share_the_most_tags_then_are_newest():
    channel = make_channel()
    article = make_article(channel=channel, tags=["钢铁", "产能", "就业"])
    two_shared_old = make_article("两标签旧", tags=["钢铁", "产能"], hours_ago=50)
    one_shared_new = make_article("一标签新", tags=["钢铁"], hours_ago=2)
    one_shared_old = make_article("一标签旧", tags=["就业"], hours_ago=20)
    make_article("无关", tags=["读书"])
    make_article("草稿也共享", tags=["钢铁", "产能", "就业"], status=Article.Status.DRAFT)
    related = Article.objects.for_page().get(pk=article.pk).related()
    assert related == [two_shared_old, one_shared_new, one_shared_old]


def test_neighbours_are_the_adjacent_public_articles_of_the_channel():
    channel = make_channel()
    older = make_article("更早", channel=channel, hours_ago=30)
    make_article("别的栏目", channel=make_channel(), hours_ago=20)
    make_article("草稿", channel=channel, status=Article.Status.DRAFT)
    middle = make_article("中间", channel=channel, hours_ago=10)
    newer = make_article("更新", channel=channel, hours_ago=1)
    assert middle.neighbours_in_channel() == (older, newer)
    assert older.neighbours_in_channel() == (None, middle)
