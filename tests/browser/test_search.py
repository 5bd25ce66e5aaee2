"""Journey: a reader types 钢, picks a suggestion with the keyboard, and reads the results."""

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.factories import make_article, make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_types_picks_a_suggestion_with_the_keyboard_and_sees_highlights(
    live_server, open_page
):
    channel = make_channel("产业", "industry")
    make_article("钢铁行业的冬天", channel=channel, tags=["钢铁", "产能"])
    make_article("钢城的孩子们", channel=channel, tags=["钢铁", "就业"], hours_ago=3)

    page = open_page(PHONE)
    page.goto(live_server.url + "/")
    box = page.locator("#search-q")
    box.click()
    box.press_sequentially("钢", delay=50)
    suggestions = page.locator("#search-suggestions")
    suggestions.locator("li").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    labels = suggestions.locator("li").all_inner_texts()
    assert any(label.startswith("钢铁") for label in labels)
    screenshot(page, "search-suggestions-phone")

    box.press("ArrowDown")
    assert suggestions.locator('li[aria-selected="true"]').inner_text().startswith("钢铁")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search/?q=" in page.url
    assert "找到 2 篇" in page.locator(".result-stats").inner_text()
    marks = page.locator(".results mark").all_inner_texts()
    assert "钢铁" in marks
    screenshot(page, "search-results-phone")


def test_without_javascript_the_search_box_simply_submits(live_server, browser):
    make_article("地铁早高峰", tags=["地铁"])
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#search-q", "地铁")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert "地铁早高峰" in page.locator(".results").inner_text()
    context.close()
