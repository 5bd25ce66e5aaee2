"""Journey: a reader on a phone opens an essay and jumps to section 03 from the contents."""

import pytest

from tests.browser.conftest import PHONE, screenshot_path
from tests.factories import make_article, make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_jumps_to_section_three_from_the_table_of_contents(live_server, open_page):
    article = make_article(
        "地铁早高峰里的城市观察",
        channel=make_channel("城市", "city"),
        sections=5,
        tags=["城市", "地铁"],
    )
    page = open_page(PHONE)
    page.goto(live_server.url + article.get_absolute_url())
    section = page.locator("#s3")
    assert not section.evaluate("el => el.getBoundingClientRect().top < window.innerHeight")

    page.locator(".toc").get_by_role("link", name="03").click()
    page.wait_for_url("**#s3")
    top = section.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2, f"section 03 is at the top of the screen (top={top})"
    assert page.locator("#s3 .section-num").inner_text() == "03"
    page.screenshot(path=str(screenshot_path("article-toc-section-03")))


def test_a_section_with_a_long_link_and_a_picture_fits_a_phone(
    live_server, open_page, settings, tmp_path
):
    """No sideways scrolling, the picture within the column and in a phone-sized file."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    from articles.forms import ImageAdminForm
    from articles.models import Section

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    PILImage.new("RGB", (1800, 900), (180, 90, 40)).save(buffer, "JPEG")
    form = ImageAdminForm(
        {"alt": "厂区的库房"}, {"file": SimpleUploadedFile("yard.jpg", buffer.getvalue())}
    )
    assert form.is_valid(), form.errors
    image = form.save()
    image.refresh_renditions()
    article = make_article("一节里有长链接和图片", sections=1)
    Section.objects.create(
        article=article,
        position=2,
        heading="链接与图片",
        body_html=(
            '<p>原始报告见 <a href="https://example.com/reports/2026/very-long-path-'
            + "segment-" * 12
            + '">https://example.com/reports/2026/very-long-path-'
            + "segment-" * 12
            + "</a>，正文继续。</p><p>图：</p>"
            + f'<img src="{image.url}" alt="厂区的库房"><p>图后的正文。</p>'
        ),
    )
    page = open_page(PHONE)
    page.goto(live_server.url + article.get_absolute_url() + "#s2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    link_top, paragraph_top = page.locator("#s2 a").evaluate(
        "a => [a.getClientRects()[0].top, a.parentElement.getBoundingClientRect().top]"
    )
    assert abs(link_top - paragraph_top) < 10, "the link starts on the first line, not below it"
    picture = page.locator("#s2 img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('#s2 img').complete")
    box = picture.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    chosen = picture.evaluate("img => img.currentSrc")
    assert "-960w." in chosen or "-480w." in chosen, f"a phone-sized file, not {chosen}"
    page.screenshot(path=str(screenshot_path("article-link-and-picture-phone")))
