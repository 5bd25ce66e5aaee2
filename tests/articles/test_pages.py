"""Reader-facing article pages: essay, channel, archive, previews and 404s."""

import json
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_channel, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay():
    channel = make_channel("产业", "industry")
    return make_article(
        "钢铁行业的冬天",
        slug="steel-winter",
        channel=channel,
        sections=4,
        tags=["钢铁", "产能"],
        byline="本站评论员 林舟",
        source_name="北岸观察",
        source_url="https://example.com/beian/steel",
    )


def test_article_page_shows_the_essay_with_numbered_sections(client, essay):
    response = client.get(essay.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "钢铁行业的冬天" in html
    assert "本站评论员 林舟" in html
    assert "北岸观察" in html and 'href="https://example.com/beian/steel"' in html
    for number in ("01", "02", "03", "04"):
        assert f'<span class="section-num" id="s{int(number)}-num">{number}</span>' in html
    assert 'id="s3"' in html
    assert "分钟读完" in html
    published = essay.published_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert f"{published.year}年{published.month}月{published.day}日" in html


def test_table_of_contents_appears_from_three_sections(client, essay):
    html = client.get(essay.get_absolute_url()).content.decode()
    assert 'class="toc"' in html and 'href="#s3"' in html
    short = make_article("两节短文", sections=2)
    assert 'class="toc"' not in client.get(short.get_absolute_url()).content.decode()


def test_tags_are_search_suggestions_with_entry_links(client, essay):
    html = client.get(essay.get_absolute_url()).content.decode()
    assert "搜索建议：" in html
    search = reverse("search:results")
    assert f'href="{search}?q=%E9%92%A2%E9%93%81">钢铁</a>' in html
    assert f'href="{reverse("search:entry", args=["钢铁"])}">钢铁词条</a>' in html
    assert "产能词条" in html


def test_article_page_links_neighbours_and_related(client, essay):
    older = make_article("同栏目更早的一篇", channel=essay.channel, hours_ago=48)
    related = make_article("另一篇谈钢铁", tags=["钢铁"], hours_ago=3)
    html = client.get(essay.get_absolute_url()).content.decode()
    assert "上一篇" in html and older.get_absolute_url() in html
    assert "相关文章" in html and related.get_absolute_url() in html


def test_article_page_carries_canonical_open_graph_and_json_ld(client, essay):
    response = client.get(essay.get_absolute_url())
    html = response.content.decode()
    canonical = f"http://testserver{essay.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta name="description" content="' in html
    assert '<meta property="og:title" content="钢铁行业的冬天">' in html
    assert '<meta name="twitter:card"' in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "NewsArticle"
    for key in ("headline", "datePublished", "dateModified", "author", "publisher", "image"):
        assert data[key], key
    assert data["headline"] == "钢铁行业的冬天"
    assert data["author"]["name"] == "本站评论员 林舟"
    assert response["Last-Modified"]


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article("</script><script>alert(1)</script>标题")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "kind",
    ["draft", "scheduled", "unknown"],  # withdrawn ones answer 451: tests/articles/test_takedown*
)
def test_readers_get_404_for_articles_they_may_not_see(client, kind):
    from datetime import timedelta

    from django.utils import timezone

    if kind == "unknown":
        url = reverse("articles:detail", args=["no-such-article"])
    else:
        article = {
            "draft": lambda: make_article(status=Article.Status.DRAFT),
            "scheduled": lambda: make_article(published_at=timezone.now() + timedelta(days=1)),
        }[kind]()
        url = article.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_editors_preview_drafts_under_a_banner(client):
    draft = make_article("还没写完的稿子", status=Article.Status.DRAFT)
    client.force_login(make_editor())
    response = client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "预览：这是一篇草稿" in html
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html


def test_a_logged_in_reader_without_editor_rights_cannot_preview(client, django_user_model):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("reader", password="读者的密码-2026"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_channel_page_lists_only_its_public_articles(client):
    channel = make_channel("科技", "tech")
    mine = make_article("模型进入办公室", channel=channel)
    make_article("别的栏目的文章", channel=make_channel())
    make_article("本栏目草稿", channel=channel, status=Article.Status.DRAFT)
    response = client.get(channel.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "模型进入办公室" in html and mine.get_absolute_url() in html
    assert "别的栏目的文章" not in html and "本栏目草稿" not in html
    assert reverse("articles:channel_feed_rss", args=["tech"]) in html
    assert reverse("articles:channel_feed_atom", args=["tech"]) in html, "both feeds linked"


@pytest.mark.parametrize(
    "path", ["/", "/archive/", "/trending/", "/channel/tech/", "/tag/钢铁/", "/corrections/"]
)
def test_list_pages_name_their_canonical_address(client, path):
    make_article("钢铁行业的冬天", channel=make_channel("科技", "tech"), tags=["钢铁"])
    html = client.get(path).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    assert canonical and canonical.group(1).startswith("http://testserver/"), path


def test_unknown_channel_is_404(client):
    assert client.get(reverse("articles:channel", args=["nowhere"])).status_code == 404


def test_archive_paginates_and_bad_page_numbers_are_404(client):
    for n in range(25):
        make_article(f"归档文章{n:02d}", hours_ago=n + 1)
    first = client.get(reverse("articles:archive")).content.decode()
    assert "归档文章00" in first and "归档文章24" not in first
    assert "第 1 / 2 页" in first
    second = client.get(reverse("articles:archive") + "?page=2").content.decode()
    assert "归档文章24" in second
    for bad in ("3", "0", "-1", "abc", "1.5", "９"):
        response = client.get(reverse("articles:archive") + f"?page={bad}")
        assert response.status_code == 404, bad
    assert client.get(reverse("articles:archive") + "?page=last").status_code == 200


def test_home_shows_lead_latest_and_channel_blocks(client):
    tech = make_channel("科技", "tech", order=1)
    city = make_channel("城市", "city", order=2)
    lead = make_article("今天的头条", channel=tech, hours_ago=1)
    for number in range(14):  # more than 最新 holds: the channel blocks carry on after it
        make_article(f"科技第{number}篇", channel=tech, hours_ago=number + 2)
    make_article("城市的一篇", channel=city, hours_ago=30)
    make_article("定时的不显示", channel=city, published_at=lead.published_at.replace(year=2099))
    html = client.get(reverse("home")).content.decode()
    assert html.index("头条") < html.index("今天的头条")
    assert 'id="channel-tech"' in html and 'id="channel-city"' in html
    assert "定时的不显示" not in html


def test_originals_are_labelled_and_only_reprints_carry_the_internet_notice(client):
    original = make_article("本站的原创评论", source_name="", source_url="")
    reprint = make_article("别处的文章", source_name="北岸观察")
    html = client.get(original.get_absolute_url()).content.decode()
    assert "原创" in html and "本文收集自互联网" not in html
    assert "提交侵权投诉" in html, "the footer keeps the site-wide notice"
    html = client.get(reprint.get_absolute_url()).content.decode()
    assert "转载" in html and "北岸观察" in html and "本文收集自互联网" in html


def test_breadcrumbs_say_where_a_page_is_for_readers_and_search_engines(client):
    channel = make_channel("产业", "industry")
    article = make_article("面包屑里的文章", channel=channel)
    html = client.get(article.get_absolute_url()).content.decode()
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert '<a href="/">首页</a>' in trail and '<a href="/channel/industry/">产业</a>' in trail
    assert '<li aria-current="page">面包屑里的文章</li>' in trail
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    crumbs = next(item for item in data if item["@type"] == "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["首页", "产业", "面包屑里的文章"]


def test_an_article_is_shared_without_anyone_elses_script(client):
    article = make_article("值得分享的文章")
    html = client.get(article.get_absolute_url()).content.decode()
    link = f"http://testserver{article.get_absolute_url()}"
    assert f'value="{link}"' in html, "the address, to copy, even without JavaScript"
    assert 'aria-label="本文链接的二维码"' in html and "<svg" in html, "a QR code for WeChat"
    assert "https://service.weibo.com/share/share.php?url=" in html
    assert '<script src="http' not in html, "no third-party script"


def test_a_correction_shows_at_the_foot_with_its_date_and_on_the_corrections_page(
    client, committed
):
    from articles.models import Correction

    article = make_article("有差错的文章")
    modified = Article.objects.get(pk=article.pk).updated_at
    with committed():
        Correction.objects.create(article=article, text="原文误将“三成”写为“五成”，已更正。")
    html = client.get(article.get_absolute_url()).content.decode()
    foot = html[html.index('id="corrections-title"') :]
    assert "更正" in foot and "原文误将“三成”写为“五成”，已更正。" in foot and "<time" in foot
    assert Article.objects.get(pk=article.pk).updated_at > modified, "dateModified moves"
    page = client.get(reverse("articles:corrections")).content.decode()
    assert "有差错的文章" in page and "已更正" in page


def test_authors_have_pages_and_bylines_link_to_them(client):
    from articles.models import Author, Authorship

    writer = Author.objects.create(name="林舟", title="本站评论员", bio="写产业与城市。")
    other = Author.objects.create(name="许青禾", title="特约作者")
    article = make_article("两人合写的文章", editor_in_charge="周编")
    Authorship.objects.create(article=article, author=writer, position=1)
    Authorship.objects.create(article=article, author=other, position=2)
    html = client.get(article.get_absolute_url()).content.decode()
    assert writer.slug == "lin-zhou"
    assert '<a href="/author/lin-zhou/" rel="author">林舟</a>' in html
    assert html.index("林舟") < html.index("许青禾"), "in byline order"
    assert "责任编辑：周编" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(\{"@context[^<]*NewsArticle.*?)</script>',
                  html).group(1)
    )  # fmt: skip
    assert data["author"][0] == {
        "@type": "Person", "name": "林舟", "url": "http://testserver/author/lin-zhou/"
    }  # fmt: skip
    page = client.get("/author/lin-zhou/").content.decode()
    assert "写产业与城市。" in page and "两人合写的文章" in page and "本站评论员" in page
    assert client.get("/author/nobody/").status_code == 404


def test_a_channel_opens_with_its_lead_story_and_description(client):
    channel = make_channel("产业", "industry")
    channel.description = "工厂、港口与供应链。"
    channel.save()
    make_article("栏目头条", channel=channel, hours_ago=1)
    make_article("栏目第二篇", channel=channel, hours_ago=2)
    html = client.get("/channel/industry/").content.decode()
    assert "工厂、港口与供应链。" in html
    lead = html[html.index('class="lead"') :]
    assert lead.index("栏目头条") < lead.index("最新文章") < lead.index("栏目第二篇")


def test_an_article_leaves_everywhere_at_its_end_time_and_answers_410(client, committed):
    from datetime import timedelta

    from django.utils import timezone

    from articles.services import expire_come_due

    article = make_article("限时公告：停水通知", tags=["停水"])
    kept = make_article("一直在线的文章", tags=["停水"])
    assert "限时公告" in client.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(unpublish_at=timezone.now() - timedelta(seconds=1))
    with committed():
        from articles.page_cache import forget_content_version

        forget_content_version()
    # Gone at once, before the job has marked it: every list starts from public().
    for path in ("/", "/archive/", "/feeds/rss/", "/search/?q=停水", "/sitemap-articles.xml"):
        page = client.get(path).content.decode()
        assert "限时公告" not in page, path
        assert kept.title in page or path.startswith(("/sitemap", "/search")), path
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410 and "已按计划下线" in response.content.decode()
    with committed():
        assert expire_come_due() == 1
    assert Article.objects.get(pk=article.pk).status == Article.Status.EXPIRED
    assert client.get(article.get_absolute_url()).status_code == 410


def test_an_address_once_given_keeps_working(client, tmp_path):
    from django.core.management import call_command

    article = make_article("改过网址的文章", slug="first-address")
    article.slug = "second-address"
    article.save()
    article.slug = "third-address"
    article.save()
    for old in ("/a/first-address/", "/a/second-address/"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == "/a/third-address/"
    assert client.get("/a/never-was/").status_code == 404

    (tmp_path / "steel-2019.txt").write_text(
        "旧站的钢铁文章\n\n导语在这里。\n\n01\n\n第一节的正文。\n", encoding="utf-8"
    )
    call_command("import_pages", str(tmp_path), "--old-url", "/news/{name}.html")
    imported = Article.objects.get(title="旧站的钢铁文章")
    response = client.get("/news/steel-2019.html")
    assert response.status_code == 301 and response["Location"] == imported.get_absolute_url()
    assert client.get("/news/never-was.html").status_code == 404


def test_the_archive_goes_by_year_and_month(client):
    from django.utils import timezone

    recent = make_article("本月的文章", hours_ago=1)
    old = make_article("四十天前的文章", hours_ago=40 * 24)
    archive = client.get("/archive/").content.decode()
    # The month of the article, in the site's time (an hour ago may be last month at 00:30).
    month_of_recent = timezone.localtime(recent.published_at)
    this_month = f"/archive/{month_of_recent.year}/{month_of_recent.month}/"
    assert f'href="{this_month}"' in archive and "按月浏览" in archive
    month_of_old = timezone.localtime(old.published_at)
    page = client.get(f"/archive/{month_of_old.year}/{month_of_old.month}/").content.decode()
    assert "四十天前的文章" in page and "本月的文章" not in page
    assert f"{month_of_old.year}年{month_of_old.month}月的文章" in page
    assert client.get("/archive/2026/13/").status_code == 404
