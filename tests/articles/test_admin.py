"""Editors' journeys through the admin, with Django's test client and the real groups."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision, Channel
from tests.factories import make_article, make_channel, make_role_user

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def article_form(sections, **fields):
    """POST data for the article add/change form with its sections inline."""
    data = {
        "title": "钢铁行业的冬天",
        "slug": "",
        "lede": "淡季里的钢铁厂。",
        "channel": "",
        "tags": "钢铁, 产能",
        "byline": "本站评论员",
        "source_name": "北岸观察",
        "source_url": "https://example.com/steel",
        "cover": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(sum(1 for s in sections if s.get("id"))),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "editor_in_charge": "",
    }
    for inline in ("authorships", "corrections"):  # empty inlines: their management forms
        for key, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0"), ("MAX_NUM", "9")):
            data[f"{inline}-{key}_FORMS"] = value
    for index, section in enumerate(sections):
        for key, value in section.items():
            data[f"sections-{index}-{key}"] = value
    data.update(fields)
    return data


@pytest.fixture
def editor(client):
    user = make_role_user("xiaolin", "编辑")
    client.force_login(user)
    return user


def test_editor_creates_an_article_with_three_sections(client, editor):
    sections = [
        {"position": "1", "heading": "库房", "body_html": "第一节的正文。"},
        {"position": "2", "heading": "价格", "body_html": "第二节的正文。"},
        {"position": "3", "heading": "开春", "body_html": "第三节的正文。"},
    ]
    response = client.post(ADD_URL, article_form(sections))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="钢铁行业的冬天")
    assert article.slug == "gang-tie-hang-ye-de-dong-tian", "slug made from the title's pinyin"
    assert [s.heading for s in article.numbered_sections()] == ["库房", "价格", "开春"]
    assert sorted(t.name for t in article.tags.all()) == ["产能", "钢铁"]
    assert article.status == Article.Status.DRAFT
    assert ArticleRevision.objects.filter(article=article, author=editor).count() == 1


def test_editor_reorders_and_removes_sections(client, editor):
    article = make_article("分节调整", sections=3, status=Article.Status.DRAFT)
    first, second, third = article.sections.order_by("position")
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(
        [
            {"id": str(first.pk), "article": str(article.pk), "position": "3",
             "heading": first.heading, "body_html": first.body_html},
            {"id": str(second.pk), "article": str(article.pk), "position": "1",
             "heading": second.heading, "body_html": second.body_html},
            {"id": str(third.pk), "article": str(article.pk), "position": "2",
             "heading": third.heading, "body_html": third.body_html, "DELETE": "on"},
        ],
        title="分节调整",
    )  # fmt: skip
    response = client.post(change, data)
    assert response.status_code == 302
    numbered = Article.objects.for_page().get(pk=article.pk).numbered_sections()
    assert [(s.number, s.pk) for s in numbered] == [("01", second.pk), ("02", first.pk)]


def test_publish_now_and_unpublish_actions(client, editor):
    article = make_article("待发布", status=Article.Status.DRAFT)
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.is_public
    assert client.get(article.get_absolute_url()).status_code == 200

    client.post(changelist, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_schedule_action_asks_for_a_time_then_schedules(client, editor):
    article = make_article("明早发布", status=Article.Status.DRAFT)
    changelist = reverse("admin:articles_article_changelist")
    form = client.post(changelist, {"action": "schedule", "_selected_action": [article.pk]})
    assert "定时发布" in form.content.decode() and 'type="datetime-local"' in form.content.decode()

    past = client.post(
        changelist,
        {"action": "schedule", "_selected_action": [article.pk], "apply": "1",
         "published_at": "2020-01-01T08:00"},
    )  # fmt: skip
    assert "必须在将来" in past.content.decode()

    when = timezone.localtime() + timedelta(days=1)
    client.post(
        changelist,
        {"action": "schedule", "_selected_action": [article.pk], "apply": "1",
         "published_at": when.strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    article.refresh_from_db()
    assert article.is_scheduled
    assert article not in Article.objects.public()


def test_changelist_filters_and_searches(client, editor):
    tech = make_channel("科技", "tech")
    make_article("大模型进入办公室", channel=tech)
    make_article("县城书店", status=Article.Status.DRAFT)
    changelist = reverse("admin:articles_article_changelist")
    html = client.get(changelist, {"q": "模型"}).content.decode()
    assert "大模型进入办公室" in html and "县城书店" not in html
    html = client.get(changelist, {"status__exact": "draft"}).content.decode()
    assert "县城书店" in html and "大模型进入办公室" not in html
    html = client.get(changelist, {"channel__id__exact": tech.pk}).content.decode()
    assert "大模型进入办公室" in html and "县城书店" not in html


def test_paste_view_previews_the_split_then_saves_a_draft(client, editor):
    text = (
        "这是导语，说明全文的主旨。\n\n"
        "０１\n库房里的季节\n第一节第一段。\n第一节第二段。\n"
        " 02 \n第二节只有一段正文，没有小标题。\n"
        "03\n开春以后\n第三节的正文。\n"
    )
    url = reverse("admin:articles_article_paste")
    preview = client.post(url, {"title": "粘贴的文章", "text": text, "_preview": "1"})
    html = preview.content.decode()
    assert "分节预览：共 3 节" in html
    assert "库房里的季节" in html and "（无小标题）" in html
    assert not Article.objects.filter(title="粘贴的文章").exists(), "nothing saved yet"

    saved = client.post(url, {"title": "粘贴的文章", "text": text, "_save": "1"})
    article = Article.objects.get(title="粘贴的文章")
    assert saved.status_code == 302
    assert article.lede == "这是导语，说明全文的主旨。"
    assert [s.heading for s in article.numbered_sections()] == ["库房里的季节", "", "开春以后"]
    assert article.sections.get(heading="库房里的季节").body_html == (
        "<p>第一节第一段。</p><p>第一节第二段。</p>"
    )


def test_paste_without_section_numbers_is_refused_with_a_reason(client, editor):
    response = client.post(
        reverse("admin:articles_article_paste"), {"title": "无分节", "text": "只有一段话。"}
    )
    assert response.status_code == 200
    assert "没有找到分节编号" in response.content.decode()
    assert "只有一段话。" in response.content.decode(), "what was typed is kept"


def test_history_shows_who_changed_what_and_old_versions(client, editor):
    sections = [{"position": "1", "heading": "原来", "body_html": "最初的正文。"}]
    client.post(ADD_URL, article_form(sections, title="第一版标题"))
    article = Article.objects.get(title="第一版标题")
    section = article.sections.get()
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            [{"id": str(section.pk), "article": str(article.pk), "position": "1",
              "heading": "后来", "body_html": "改过的正文。"}],
            title="第二版标题",
        ),
    )  # fmt: skip
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    html = history.content.decode()
    assert html.count("查看这个版本") == 2
    assert "xiaolin" in html
    assert "第一版标题" in html and "第二版标题" in html
    assert "已修改" in html or "修改" in html, "Django's own change log is there too"

    first = ArticleRevision.objects.filter(article=article).order_by("created_at").first()
    old = client.get(reverse("admin:articles_article_revision", args=[article.pk, first.pk]))
    assert "最初的正文。" in old.content.decode()
    assert "改过的正文" not in old.content.decode()


def test_admin_speaks_chinese_with_the_sites_name(client, editor):
    html = client.get(reverse("admin:index")).content.decode()
    assert "聚热点 编辑部" in html
    assert "文章" in html and "图片" in html
    for english in (
        "Articles", "Sections", "Channels", "Images", "Site administration", "Model name",
        "Add link", "Change or view list link",
    ):  # fmt: skip
        assert english not in html
    form = client.get(ADD_URL).content.decode()
    for label in (
        "标题",
        "导语",
        "栏目",
        "标签",
        "来源网址",
        "封面图",
        "状态",
        "发布时间",
        "小标题",
    ):
        assert label in form


def test_a_refused_form_says_so_in_chinese_and_keeps_what_was_typed(client, editor):
    sections = [{"position": "1", "heading": "库房", "body_html": "写好的第一节。"}]
    response = client.post(ADD_URL, article_form(sections, title="", channel="99999"))
    assert response.status_code == 200
    html = response.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert title.startswith("<title>错误：") and "Error" not in title
    assert "这个字段是必填项" in html and "选择一个有效的选项" in html
    assert "valid choice" not in html and "This field" not in html
    assert "写好的第一节。" in html and "淡季里的钢铁厂。" in html


def test_an_overlong_tag_is_refused_with_a_reason_not_a_500(client, editor):
    sections = [{"position": "1", "heading": "库房", "body_html": "第一节的正文。"}]
    long_tag = "很长的标签" * 30
    response = client.post(ADD_URL, article_form(sections, tags=f"钢铁, {long_tag}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "标签最长 100 个字" in html
    assert "第一节的正文。" in html, "what was typed is kept"
    assert not Article.objects.exists()


def test_a_latin_title_makes_a_readable_slug(client, editor):
    sections = [{"position": "1", "heading": "", "body_html": "正文。"}]
    client.post(ADD_URL, article_form(sections, title="Windows 换行与 AI 时代"))
    assert Article.objects.get().slug == "windows-huan-hang-yu-ai-shi-dai"


def test_editor_may_not_manage_channels_but_a_chief_editor_may(client, editor):
    add_channel = reverse("admin:articles_channel_add")
    assert client.get(add_channel).status_code == 403
    assert (
        client.post(add_channel, {"name": "体育", "slug": "sports", "order": 9}).status_code == 403
    )
    assert not Channel.objects.filter(slug="sports").exists()

    client.force_login(make_role_user("zhubian", "主编"))
    response = client.post(add_channel, {"name": "体育", "slug": "sports", "order": 9})
    assert response.status_code == 302
    assert Channel.objects.filter(slug="sports").exists()


def test_editor_may_not_delete_articles_or_manage_users(client, editor):
    article = make_article()
    delete = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_staff_without_publish_permission_cannot_publish(client, django_user_model):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", password="写手的密码-2026")
    writer.is_staff = True
    writer.save()
    writer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "change_article", "add_article", "view_section",
                          "add_section", "change_section"],
        )
    )  # fmt: skip
    client.force_login(writer)
    article = make_article("写手的草稿", status=Article.Status.DRAFT)
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    form = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="status"' not in form, "status is read-only for them"


def test_view_on_site_previews_a_draft(client, editor):
    from django.contrib.contenttypes.models import ContentType

    draft = make_article("草稿预览", status=Article.Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Article)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, draft.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "预览：这是一篇草稿" in page.content.decode()


def test_tag_field_suggests_existing_tags(client, editor):
    make_article(tags=["钢铁", "大模型"])
    form = client.get(ADD_URL).content.decode()
    assert 'list="id_tags-suggestions"' in form
    assert '<option value="钢铁">' in form and '<option value="大模型">' in form
    assert "admin-tag-suggest" in form


def test_a_new_article_is_signed_by_the_editor_and_names_them_editor_in_charge(client, editor):
    from articles.models import Author

    Author.objects.create(name="小林", title="本站记者", user=editor)
    sections = [{"position": "1", "heading": "", "body_html": "正文。"}]
    response = client.post(ADD_URL, article_form(sections, title="署名默认是编辑本人"))
    assert response.status_code == 302
    article = Article.objects.get(title="署名默认是编辑本人")
    assert [person.name for person in article.byline_authors()] == ["小林"]
    assert article.editor_in_charge == "小林"


def test_only_the_chief_editor_manages_authors(client):
    add_author = reverse("admin:articles_author_add")
    client.force_login(make_role_user("bianji", "编辑"))
    assert client.get(add_author).status_code == 403
    client.force_login(make_role_user("zhubian", "主编"))
    fields = {"name": "贺禾生", "title": "特约作者", "slug": "", "bio": "写乡村与节气。"}
    response = client.post(add_author, {**fields, "photo": "", "user": ""})
    assert response.status_code == 302
    from articles.models import Author

    assert Author.objects.get(name="贺禾生").slug == "he-he-sheng"


@pytest.mark.parametrize(
    "typed",
    [
        "共享单车，城市，通勤",
        "共享单车、城市、通勤",
        "共享单车;城市；通勤",
        "共享单车\n城市\r\n通勤",
        "共享单车, 城市，通勤，",
    ],
)
def test_tags_split_on_what_a_chinese_keyboard_types(client, editor, typed):
    sections = [{"position": "1", "heading": "", "body_html": "正文。"}]
    response = client.post(ADD_URL, article_form(sections, title="标签分隔", tags=typed))
    assert response.status_code == 302, response.context["adminform"].form.errors
    names = sorted(tag.name for tag in Article.objects.get(title="标签分隔").tags.all())
    assert names == sorted(["共享单车", "城市", "通勤"])


def test_a_save_over_someone_elses_later_save_is_refused_and_says_what_changed(client):
    from django.test import Client

    article = make_article("两位编辑同时打开", sections=1)
    section = article.sections.get()
    first, second = Client(), Client()
    first.force_login(make_role_user("bianji_a", "编辑"))
    second.force_login(make_role_user("bianji_b", "编辑"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    for editor in (first, second):  # both open the article
        page = editor.get(change).content.decode()
        assert 'name="version_seen" value="1"' in page

    def form(title):
        sections = [{"id": str(section.pk), "article": str(article.pk), "position": "1",
                     "heading": "", "body_html": "正文。"}]  # fmt: skip
        data = article_form(sections, title=title, slug=article.slug, version_seen="1")
        return {**data, "sections-INITIAL_FORMS": "1"}

    assert second.post(change, form("乙改的标题")).status_code == 302
    response = first.post(change, form("甲改的标题"))
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "没有保存" in errors and "bianji_b" in errors and "乙改的标题" in errors
    article.refresh_from_db()
    assert article.title == "乙改的标题" and article.version == 2, "nothing was overwritten"


def test_the_chief_editors_front_page_shows_what_needs_deciding(client):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(make_role_user("zhubian_dash", "主编"))
    soon = make_article("明早定时发布的文章")
    soon.published_at = timezone.now() + timedelta(hours=10)
    soon.save()
    ending = make_article("明天下线的限时公告")
    ending.unpublish_at = timezone.now() + timedelta(hours=20)
    ending.save()
    html = client.get(reverse("admin:index")).content.decode()
    assert "待处理的侵权投诉" in html and "没有待处理的投诉" in html
    assert "明早定时发布的文章" in html and "明天下线的限时公告" in html and "热传（现在）" in html


def test_the_article_list_takes_the_same_queries_for_ten_or_forty_articles(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    changelist = reverse("admin:articles_article_changelist")
    for number in range(10):
        make_article(f"列表第{number}篇")
    client.get(changelist)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(changelist).status_code == 200
    for number in range(30):
        make_article(f"列表又一篇{number}")
    with CaptureQueriesContext(connection) as forty:
        html = client.get(changelist).content.decode()
    assert len(forty) == len(ten) <= 15, [query["sql"][:80] for query in forty]
    assert "列表又一篇29" in html


def test_in_review_mode_editors_submit_and_the_chief_editor_approves_or_sends_back(
    client, settings
):
    from articles.models import ArticleRevision

    settings.EDITORIAL_REVIEW = True
    changelist = reverse("admin:articles_article_changelist")
    draft = make_article("等待审核的文章", status=Article.Status.DRAFT)
    client.force_login(make_role_user("bianji_r", "编辑"))
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'value="review"' in page and 'value="published"' not in page, "no direct publishing"
    assert 'value="publish_now"' not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW

    client.force_login(make_role_user("zhubian_r", "主编"))
    assert "等待审核的文章" in client.get(reverse("admin:index")).content.decode(), "the queue"
    chosen = {"action": "send_back", "_selected_action": [draft.pk]}
    assert "退回原因" in client.post(changelist, chosen).content.decode()
    client.post(changelist, {**chosen, "apply": "1", "note": "第二节的数据需要来源。"})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    draft.status = Article.Status.IN_REVIEW
    draft.save()
    client.post(changelist, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    notes = list(ArticleRevision.objects.filter(article=draft).values_list("note", flat=True))
    assert "提交审核" in notes and "退回修改：第二节的数据需要来源。" in notes
    assert any(note.startswith("审核通过") for note in notes), "every step in the history"


def test_paste_takes_channel_tags_byline_source_and_cover_in_one_pass(client, editor):
    from articles.models import Author, Image

    Author.objects.create(name="小林", title="本站记者", user=editor)
    channel = make_channel("产业", "industry")
    cover = Image.objects.create(alt="厂区", file="images/cover.jpg", width=1600, height=900)
    url = reverse("admin:articles_article_paste")
    form = client.get(url).content.decode()
    assert 'name="byline"' in form and 'value="小林"' in form, "the editor's own name"
    assert "admin-autocomplete" in form and "厂区" not in form, "the library searched, not listed"
    fields = {
        "title": "一次填好的文章", "text": "导语。\n\n01\n正文。\n", "channel": str(channel.pk),
        "tags": "钢铁，产能、制造业", "byline": "小林", "source_name": "北岸观察",
        "source_url": "https://example.com/a", "cover": str(cover.pk),
    }  # fmt: skip
    preview = client.post(url, {**fields, "_preview": "1"}).content.decode()
    assert "分节预览：共 1 节" in preview and 'value="北岸观察"' in preview, "kept for the save"
    assert f'<option value="{cover.pk}" selected>厂区</option>' in preview, "the choice kept"
    assert client.post(url, {**fields, "_save": "1"}).status_code == 302
    article = Article.objects.get(title="一次填好的文章")
    assert article.channel == channel and article.cover == cover
    assert sorted(tag.name for tag in article.tags.all()) == ["产能", "制造业", "钢铁"]
    assert (article.source_name, article.source_url) == ("北岸观察", "https://example.com/a")
    assert [person.name for person in article.byline_authors()] == ["小林"]
    assert article.editor_in_charge == "小林"


def test_in_review_mode_an_editor_fixing_a_live_article_keeps_it_published(client, settings):
    settings.EDITORIAL_REVIEW = True
    article = make_article("已经发布的文章", sections=1)
    section = article.sections.get()
    client.force_login(make_role_user("bianji_live", "编辑"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(change).content.decode()
    assert 'name="status"' not in page, "the state of a live article is not the 编辑's to change"
    sections = [{"id": str(section.pk), "article": str(article.pk), "position": "1",
                 "heading": "", "body_html": "改正了错字的正文。"}]  # fmt: skip
    data = article_form(sections, title="已经发布的文章（改正）", slug=article.slug,
                        version_seen=str(article.version), status="draft")  # fmt: skip
    response = client.post(change, {**data, "sections-INITIAL_FORMS": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "已经发布的文章（改正）"
    assert article.status == Article.Status.PUBLISHED, "still live"


def test_a_save_from_a_page_opened_before_an_unpublish_is_refused(client):
    """A list action is a new version too: the page opened before it cannot undo it."""
    from django.test import Client

    article = make_article("被撤回的文章", sections=1)
    section = article.sections.get()
    editor = Client()
    editor.force_login(make_role_user("bianji_late", "编辑"))
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert f'name="version_seen" value="{article.version}"' in editor.get(change).content.decode()
    client.force_login(make_role_user("zhubian_now", "主编"))
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "unpublish", "_selected_action": [article.pk]})
    sections = [{"id": str(section.pk), "article": str(article.pk), "position": "1",
                 "heading": "", "body_html": "正文。"}]  # fmt: skip
    data = article_form(sections, title="被撤回的文章", slug=article.slug,
                        version_seen=str(article.version), status="published",
                        published_at_0="2026-11-30", published_at_1="08:00:00")  # fmt: skip
    response = editor.post(change, {**data, "sections-INITIAL_FORMS": "1"})
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "没有保存" in errors and "状态（现为“草稿”）" in errors
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT, "the unpublish stands"


def test_a_save_over_someone_elses_section_edit_is_refused_naming_the_text(client):
    from django.test import Client

    from articles.markup import html_to_text

    article = make_article("只改了正文", sections=1)
    section = article.sections.get()
    change = reverse("admin:articles_article_change", args=[article.pk])
    first, second = Client(), Client()
    first.force_login(make_role_user("bianji_s1", "编辑"))
    second.force_login(make_role_user("bianji_s2", "编辑"))

    def form(title, body):
        sections = [{"id": str(section.pk), "article": str(article.pk), "position": "1",
                     "heading": "", "body_html": body}]  # fmt: skip
        data = article_form(sections, title=title, slug=article.slug, version_seen="1")
        return {**data, "sections-INITIAL_FORMS": "1"}

    original = html_to_text(section.body_html)
    assert second.post(change, form("只改了正文", "乙重写了这一节。")).status_code == 302
    response = first.post(change, form("只改了正文（甲改标题）", original))
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "没有保存" in errors and "正文" in errors and "标题" in errors
    section.refresh_from_db()
    assert "乙重写了这一节" in section.body_html, "nothing was overwritten"


def test_every_correction_is_kept_in_the_history_as_it_was(client, editor):
    from articles.models import Correction

    article = make_article("有更正的文章", sections=1)
    correction = Correction.objects.create(article=article, text="原文误将“三成”写为“五成”。")
    first = ArticleRevision.snapshot(article, note="加更正")
    correction.text = "改写后的更正。"
    correction.save()
    ArticleRevision.snapshot(article, note="改更正")
    first.refresh_from_db()
    assert [c["text"] for c in first.corrections] == ["原文误将“三成”写为“五成”。"]
    page = client.get(
        reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    ).content.decode()
    assert "更正与说明" in page and "原文误将“三成”写为“五成”。" in page
