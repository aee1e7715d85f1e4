"""A parent, a teacher and a district officer on the demo in real Chromium: outside every term a
school page says which term it shows, shows two months of it, and has its subscribe link on the
first phone screen; the projects index keeps its filters in the address."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import serve, wait_for

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site_url(demo_site):
    server = serve(demo_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE,
                                  device_scale_factor=3, is_mobile=True, has_touch=True)
    p = context.new_page()
    yield p
    context.close()


@pytest.mark.parametrize("when", [datetime(2031, 3, 10, 9), datetime(2025, 6, 1, 9)])
def test_outside_every_term_the_block_is_titled_and_the_feed_is_on_the_first_screen(phone, site_url, when):
    phone.clock.set_fixed_time(when.replace(tzinfo=timezone(timedelta(hours=8))))
    for school in ("qinghe-shixiao", "baisha-zhongxinxiao", "yuying-zhongxue", "xinghe-xiaoxue"):
        phone.goto(site_url + f"schools/{school}/")
        box = phone.locator("[data-plansite-now]")
        wait_for(phone, "() => !!document.querySelector('[data-plansite-now] .plansite-nearest strong')")
        title = box.locator(".plansite-nearest strong").inner_text()
        assert title.startswith("最近学期：") and "学期" in title[5:]
        shown = box.locator("section").evaluate_all("els => els.map(e => e.dataset.month)")
        assert 1 <= len(shown) <= 2 and shown == sorted(shown)
        if when.year > 2030:  # long after: the last months of the last term
            assert shown[-1] >= "2027-01"
        else:  # before the first term: its first months
            assert shown[0] <= "2026-03"
        link = phone.locator(".plansite-feeds a").first
        assert link.inner_text() == "订阅行事历"
        box_ = link.bounding_box()
        top = phone.evaluate("() => window.scrollY")
        assert top == 0 and box_["y"] + box_["height"] <= PHONE["height"], (school, box_)
