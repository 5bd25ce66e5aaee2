"""Journey: an editor signs in, pastes a three-section essay, saves, publishes, and finds
it on the home page."""

import pytest

from tests.browser.conftest import DESKTOP, screenshot, sign_in_to_admin
from tests.factories import make_article, make_channel, make_role_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESSAY = """夜市是一座城市最诚实的表情。

01
灯亮起来的时候
傍晚六点，摊主们把折叠桌一张张撑开，锅里的油开始冒出细小的泡。
02
夜市里没有人着急赶路，连讨价还价都带着笑意。
03
散场之后
凌晨收摊，地面被冲洗干净，仿佛什么都没有发生过。
"""


def test_editor_pastes_saves_publishes_and_finds_it_on_the_home_page(
    live_server, open_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the library's picture, drawn for this test
    make_channel("生活", "life")
    make_role_user("xiaozhou", "编辑")
    cover = library_image("夜市的灯")
    page = open_page(DESKTOP)

    sign_in_to_admin(page, live_server, "xiaozhou")

    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="粘贴全文新建").click()
    page.fill("#id_title", "夜市的温度")
    page.select_option("#id_channel", label="生活")
    page.fill("#id_tags", "夜市，城市、烟火气")  # as a Chinese keyboard types them
    page.fill("#id_source_name", "北岸观察")
    # The cover is searched in the library, as on the change page (the admin's autocomplete).
    page.locator("#id_cover + .select2").click()
    page.locator(".select2-search__field").fill("夜市")
    page.locator(".select2-results__option", has_text="夜市的灯").click()
    page.fill("#id_text", ESSAY)
    page.get_by_role("button", name="预览分节").click()
    preview = page.locator("#split-preview")
    assert "共 3 节" in preview.inner_text()
    assert "灯亮起来的时候" in preview.inner_text()
    screenshot(page, "editor-paste-preview")

    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url("**/change/")
    assert "已保存为草稿，共 3 节" in page.locator(".messagelist").inner_text()

    page.select_option("#id_status", label="已发布")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/articles/article/")

    page.goto(live_server.url + "/")
    lead = page.get_by_role("link", name="夜市的温度").first
    assert lead.is_visible()
    lead.click()
    assert page.locator(".section-num").all_inner_texts() == ["01", "02", "03"]
    assert "烟火气" in page.locator(".suggestions").inner_text(), "three tags, not one"
    assert "北岸观察" in page.locator(".essay__source").inner_text()
    assert cover.url in page.locator("figure img").first.get_attribute("src"), "its cover"
    screenshot(page, "editor-published-article")

    # The address changes; every link to the old one still arrives.
    old_url = page.url
    page.go_back()
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="夜市的温度").click()
    page.fill("#id_slug", "night-market-warmth")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/articles/article/")
    response = page.goto(old_url)
    assert page.url.endswith("/a/night-market-warmth/") and response.status == 200


def library_image(alt: str):
    """A picture in the image library, drawn here."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image as Picture

    from articles.models import Image

    data = io.BytesIO()
    Picture.new("RGB", (960, 540), (40, 60, 120)).save(data, "JPEG")
    name = default_storage.save("images/test/night.jpg", ContentFile(data.getvalue()))
    return Image.objects.create(alt=alt, file=name, width=960, height=540)


def test_two_editors_open_one_article_and_the_later_save_is_refused(live_server, open_page):
    make_role_user("jia", "编辑")
    make_role_user("yi", "编辑")
    article = make_article("两人同时编辑的文章", sections=2)
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    first, second = open_page(DESKTOP), open_page(DESKTOP)
    sign_in_to_admin(first, live_server, "jia")
    sign_in_to_admin(second, live_server, "yi")
    first.goto(change)
    second.goto(change)  # both have it open

    second.fill("#id_title", "乙先保存的标题")
    second.locator("textarea[name=sections-0-body_html]").fill("乙改写的**第一节**。")
    second.get_by_role("button", name="保存", exact=True).click()
    assert "成功" in second.locator(".messagelist").inner_text()

    first.fill("#id_title", "甲后保存的标题")
    first.get_by_role("button", name="保存", exact=True).click()
    refusal = first.locator(".errornote, .errorlist.nonfield").first.inner_text()
    assert first.locator("ul.errorlist.nonfield").inner_text().startswith("没有保存")
    assert "yi" in first.locator("ul.errorlist.nonfield").inner_text(), refusal
    screenshot(first, "editor-save-refused")
    article.refresh_from_db()
    assert article.title == "乙先保存的标题", "the first save stands"
    assert "<strong>第一节</strong>" in article.sections.order_by("position").first().body_html
