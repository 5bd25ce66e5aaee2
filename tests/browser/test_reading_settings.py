"""Font size and dark theme: chosen once, remembered by the browser, applied before the first
paint; the page itself stays the same for everyone (one cached copy)."""

import pytest

from tests.browser.conftest import PHONE, screenshot
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_picks_a_larger_font_and_the_dark_theme(live_server, open_page):
    article = make_article("夜里读的长文章")
    page = open_page(PHONE)
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator("body")
    standard = body.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")
    page.get_by_role("button", name="字号大").click()
    assert body.evaluate("b => parseFloat(getComputedStyle(b).fontSize)") > standard
    page.get_by_role("button", name="夜间").click()
    assert page.locator("html").get_attribute("data-theme") == "dark"
    background = body.evaluate("b => getComputedStyle(b).backgroundColor")

    # The next page: the settings are there from the start (set in <head>, before paint).
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("data-size") == "large"
    assert body.evaluate("b => getComputedStyle(b).backgroundColor") == background
    assert page.get_by_role("button", name="字号大").get_attribute("aria-pressed") == "true"
    screenshot(page, "home-phone-dark")


def test_the_system_dark_setting_is_followed_without_a_choice(live_server, open_page):
    make_article("跟随系统的深色")
    page = open_page(PHONE, color_scheme="dark")
    page.goto(live_server.url + "/")
    color = page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(20, 20, 23)"
    assert page.get_by_role("button", name="夜间").get_attribute("aria-pressed") == "true"
