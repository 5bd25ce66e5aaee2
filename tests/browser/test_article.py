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
