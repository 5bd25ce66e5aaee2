"""Journey: a rights holder files a notice; a chief editor withdraws the article; the
article's address now shows the 451 notice."""

import pytest

from articles.takedown.models import TakedownCase
from tests.browser.conftest import DESKTOP, PHONE, screenshot, sign_in_to_admin
from tests.factories import make_role_user
from tests.takedown.helpers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_notice_withdrawal_and_the_451_page(live_server, open_page, tmp_path):
    from tests.takedown.helpers import public_article

    article = public_article("县城书店的一盏灯")
    article_url = live_server.url + article.get_absolute_url()
    proof = tmp_path / "版权登记证书.pdf"
    proof.write_bytes(PDF)

    page = open_page(PHONE)
    page.goto(article_url)
    page.get_by_role("link", name="侵权投诉").first.click()
    page.check("input[name=notifier_type][value=holder]")
    for field, value in {
        "name": "林晓雨", "id_number": "110101199001011234", "email": "lin@example.com",
        "phone": "13800000000", "address": "北京市东城区某街道 1 号",
        "work_title": "县城书店的一盏灯", "original_location": "https://example.org/bookshop",
        "urls": article_url, "description": "本文为本人原创，首发于个人网站，未授权转载。",
        "signature": "林晓雨",
    }.items():  # fmt: skip
        page.fill(f"form [name={field}]", value)
    page.select_option("[name=id_type]", "id_card")
    page.select_option("[name=right_kind]", "copyright")
    page.check("input[name=measure][value=delete]")
    for declaration in ("declare_good_faith", "declare_accurate", "declare_liability"):
        page.check(f"[name={declaration}]")
    page.set_input_files("[name=proof]", str(proof))
    page.get_by_role("button", name="提交通知").click()
    page.wait_for_url("**/takedown/received/**")
    reference = page.locator("#reference").inner_text()
    case = TakedownCase.objects.get()
    assert reference == case.reference
    screenshot(page, "takedown-notice-received")

    make_role_user("zhubian", "主编")
    editor = open_page(DESKTOP)
    sign_in_to_admin(editor, live_server, "zhubian")
    editor.goto(live_server.url + "/admin/takedown/takedowncase/")
    assert "处理期限" in editor.locator("#result_list").inner_text()
    editor.get_by_role("link", name=case.reference).click()
    editor.get_by_role("link", name="撤下", exact=True).click()  # the case page's button
    assert "将立即下线" in editor.locator("#content").inner_text()  # what will happen
    editor.fill("[name=note]", "材料齐全，侵权成立。")
    screenshot(editor, "takedown-editor-confirms")
    editor.get_by_role("button", name="确认撤下").click()
    assert "撤下，已记录" in editor.locator(".messagelist").inner_text()
    screenshot(editor, "takedown-editor-withdrew")

    reader = open_page(PHONE)
    response = reader.goto(article_url)
    assert response.status == 451
    assert reference in reader.locator("main").inner_text()
    assert reader.get_by_role("link", name="提交反通知").is_visible()
    screenshot(reader, "takedown-451-notice")


def test_a_requester_adds_the_material_asked_for(live_server, open_page, tmp_path):
    """The editors ask for more; the requester looks the case up and adds a note and a file."""
    from articles.takedown import services
    from tests.takedown.helpers import notice_fields, public_article

    article = public_article("县城书店的一盏灯")
    fields = notice_fields(live_server.url + article.get_absolute_url())
    case = services.notice_submit(
        data={**fields, "urls": [(fields["urls"], article)], "proof": [], "authorisation": []},
        raw="{}",
        digest="0" * 64,
    )
    services.case_request_information(case=case, message="请补充首发页面的截图。")
    proof = tmp_path / "首发截图.pdf"
    proof.write_bytes(PDF)

    page = open_page(PHONE)
    page.goto(live_server.url + "/takedown/status/")
    page.fill("#id_reference", case.reference)
    page.fill("#id_email", "lin@example.com")
    page.get_by_role("button", name="查询").click()
    assert "请补充首发页面的截图" in page.locator(".requested").inner_text()
    page.fill("#more_text", "附上首发页面的截图。")
    page.set_input_files("#more_proof", str(proof))
    screenshot(page, "takedown-supplement-form")
    page.get_by_role("button", name="提交补充材料").click()
    assert "我们已收到您补充的材料" in page.locator("h1").inner_text()
    case.refresh_from_db()
    assert case.status == TakedownCase.Status.RECEIVED
    assert case.attachments.get().original_name == "首发截图.pdf"
    screenshot(page, "takedown-supplement-received")
