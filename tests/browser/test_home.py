"""Smoke test: the home page in a real browser, at phone and desktop widths."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories import make_article, make_channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "home-phone"), (DESKTOP, "home-desktop")])
def test_home_page_reads_well_on_phone_and_desktop(live_server, open_page, viewport, name):
    channel = make_channel("产业", "industry")
    make_article("钢铁行业的冬天，比温度计更早到来", channel=channel, hours_ago=1)
    make_article("县城书店的一盏灯", channel=channel, hours_ago=3)

    page = open_page(viewport)
    page.goto(live_server.url + "/")
    assert page.locator(".brand").inner_text().startswith("聚热点")
    lead = page.get_by_role("link", name="钢铁行业的冬天，比温度计更早到来")
    assert lead.first.is_visible()
    assert page.get_by_text("提交侵权投诉").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "no sideways scrolling at this width"
    screenshot(page, name)
