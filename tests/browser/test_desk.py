"""Journey: the desk in review mode, as editors do it — an 编辑 submits a draft, the 主编 sees
it on the front page, adds an author profile, a correction and an end time, publishes it;
a reader finds the correction at the foot."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, screenshot, sign_in_to_admin
from tests.factories import make_article, make_role_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_authors_corrections_and_an_end_time(live_server, open_page, settings):
    settings.EDITORIAL_REVIEW = True
    make_role_user("bianji_d", "编辑")
    make_role_user("zhubian_d", "主编")
    draft = make_article("送审的稿子", status=Article.Status.DRAFT, sections=2)

    editor = open_page(DESKTOP)
    sign_in_to_admin(editor, live_server, "bianji_d")
    editor.goto(live_server.url + "/admin/articles/article/")
    editor.check(f"input[name=_selected_action][value='{draft.pk}']")
    editor.select_option("select[name=action]", "submit_for_review")
    editor.get_by_role("button", name="执行").click()
    assert "已提交审核" in editor.locator(".messagelist").inner_text()

    chief = open_page(DESKTOP)
    sign_in_to_admin(chief, live_server, "zhubian_d")
    assert "送审的稿子" in chief.locator(".dashboard-desk").inner_text()
    screenshot(chief, "desk-dashboard")

    chief.goto(live_server.url + "/admin/articles/author/add/")
    chief.fill("#id_name", "许青禾")
    chief.fill("#id_title", "特约作者")
    chief.fill("#id_bio", "写乡村与节气。")
    chief.get_by_role("button", name="保存", exact=True).click()
    assert "成功" in chief.locator(".messagelist").inner_text()

    chief.goto(f"{live_server.url}/admin/articles/article/{draft.pk}/change/")
    chief.locator("a.addlink", has_text="更正与说明").click()
    chief.fill("[name=corrections-0-text]", "原文误将“三成”写为“五成”，已更正。")
    ends = timezone.localtime() + timedelta(days=2)
    chief.fill("#id_unpublish_at_0", ends.strftime("%Y-%m-%d"))
    chief.fill("#id_unpublish_at_1", "08:00:00")
    chief.get_by_role("button", name="保存", exact=True).click()
    assert "成功" in chief.locator(".messagelist").inner_text()

    chief.goto(live_server.url + "/admin/articles/article/?status__exact=review")
    chief.check(f"input[name=_selected_action][value='{draft.pk}']")
    chief.select_option("select[name=action]", "publish_now")
    chief.get_by_role("button", name="执行").click()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED and draft.unpublish_at is not None

    reader = open_page(PHONE)
    reader.goto(live_server.url + draft.get_absolute_url())
    assert "原文误将“三成”写为“五成”，已更正。" in reader.locator(".corrections").inner_text()
    reader.locator(".corrections").scroll_into_view_if_needed()
    screenshot(reader, "article-correction-phone")
