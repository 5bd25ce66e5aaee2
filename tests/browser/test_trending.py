"""Journey: a reader on a phone expands a 热传 item in place, then collapses it."""

import pytest
from django.utils import timezone

from tests.browser.conftest import PHONE, screenshot_path
from tests.factories import make_article
from trending.models import ArticleReadHour
from trending.ranking import recompute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = (
    "傍晚六点，摊主们撑开折叠桌，锅里的油冒出细小的泡；夜市里没有人着急赶路，连讨价还价都带着笑意。"
)


def test_reader_expands_and_collapses_a_trending_item(live_server, open_page):
    article = make_article("夜市的温度", lede=SUMMARY)
    ArticleReadHour.objects.create(article=article, hour=timezone.now(), reads=40)
    recompute()

    page = open_page(PHONE)
    page.goto(live_server.url + "/")
    item = page.locator(".trend").first
    details = item.locator("details")
    item.scroll_into_view_if_needed()
    assert item.locator(".trend__link").inner_text() == "夜市的温度"
    assert item.locator(".trend__open").is_visible()
    assert not item.locator(".trend__summary").is_visible()

    item.locator("summary").click()
    assert details.evaluate("d => d.open")
    assert item.locator(".trend__summary").inner_text() == SUMMARY
    assert item.locator(".trend__close").is_visible()
    item.screenshot(path=str(screenshot_path("trending-expanded-phone")))
    page.locator(".trending").screenshot(path=str(screenshot_path("trending-sidebar-phone")))

    item.locator("summary").click()
    assert not details.evaluate("d => d.open")
    assert item.locator(".trend__open").is_visible()
