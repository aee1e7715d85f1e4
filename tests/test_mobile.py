"""Phone width (375 × 812, an iPhone X-sized screen): screenshots, and no sideways scrolling.

Parents and teachers mostly open the site on a phone. Wide tables may scroll inside Material's
table wrapper and wide SVG charts inside their figure, but the page itself must never scroll
sideways. Screenshots of the six kinds of page go to test-artifacts/mobile-<kind>.png so a person
can look at them (CI keeps the folder as an artifact).
"""

from __future__ import annotations

import pytest

from conftest import ARTIFACTS
from page_kinds import all_urls, page_kinds

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
KINDS = ("home", "school", "plan", "month", "project", "compare")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    yield context.new_page()
    context.close()


def overflow(page) -> dict:
    """How wide the page is, and the elements that stick out past the right edge of the screen
    without being inside something that scrolls (Material's table wrapper, a chart's figure):
    those either make the page scroll sideways or are cut off where nobody can reach them."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
        const wide = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (!(r.width > 1 && r.height > 1 && r.right > width + 1)) continue;
            let p = el.parentElement, reachable = false;
            for (; p && p !== document.documentElement; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX, box = p.getBoundingClientRect();
                // inside a scroller that itself fits the screen: reachable by swiping it
                if ((o === 'auto' || o === 'scroll') && box.right <= width + 1) { reachable = true; break; }
                if (o === 'hidden' || o === 'clip') {
                    if (box.width <= 1 || box.height <= 1) { reachable = true; break; }  // screen-reader-only
                    if (r.right > box.right + 1) break;  // cut off by this box: nobody can see it
                }
            }
            if (!reachable) wide.push(name(el) + ' right=' + Math.round(r.right));
        }
        return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10)};
    }""")


def assert_no_sideways_scroll(page, url: str) -> None:
    got = overflow(page)
    # A phone widens the layout viewport to fit content that is too wide: innerWidth must stay 375.
    assert got["innerWidth"] == PHONE["width"] and got["scrollWidth"] <= got["innerWidth"] and not got["wide"], (
        f"{url} is wider than the phone ({PHONE['width']} px): innerWidth {got['innerWidth']}, "
        f"scrollWidth {got['scrollWidth']}; sticking out:\n" + "\n".join(got["wide"]))


@pytest.mark.parametrize("kind", KINDS)
def test_phone_screenshot(phone, demo_url, demo_site, kind):
    url = demo_url + page_kinds(demo_site)[kind]
    response = phone.goto(url)
    assert response is not None and response.ok, url
    assert phone.evaluate("window.innerWidth") == PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    # the month and the plan are what people read on a phone: the whole page; the others: the first screen
    shot = ARTIFACTS / f"mobile-{kind}.png"
    phone.screenshot(path=str(shot), full_page=kind in ("month", "plan"))
    assert shot.stat().st_size > 10_000
    if kind in ("month", "plan"):
        assert_no_sideways_scroll(phone, url)


@pytest.mark.parametrize("family", ["plans", "months"])
def test_no_plan_or_month_page_scrolls_sideways(phone, demo_url, demo_site, family):
    for url in all_urls(demo_site, family):
        phone.goto(demo_url + url)
        assert_no_sideways_scroll(phone, demo_url + url)


def test_other_page_kinds_do_not_scroll_sideways(phone, demo_url, demo_site):
    for kind in ("home", "school", "project", "compare"):
        url = demo_url + page_kinds(demo_site)[kind]
        phone.goto(url)
        assert_no_sideways_scroll(phone, url)


@pytest.mark.parametrize("kind", ["month", "plan"])
def test_schedule_text_gets_the_phone_width(phone, demo_url, demo_site, kind):
    """On a phone a schedule row is a card: the item text uses the width, not a 5-character column."""
    url = demo_url + page_kinds(demo_site)[kind]
    phone.goto(url)
    # the text cell: second on month pages; on plan pages it holds the item's anchor (a column that
    # is empty for a whole table, such as 日期, is left out)
    text_cell = "td:nth-child(2)" if kind == "month" else "td:has(> span[id^='i-'])"
    widths = phone.locator(f"article table:has(.plansite-sched) tbody {text_cell}").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths, f"{url}: no schedule table marked .plansite-sched"
    assert min(widths) >= 0.75 * PHONE["width"], f"{url}: item text only {min(widths):.0f} px wide"
    # the column headers stay in the page for screen readers
    assert phone.locator("article table:has(.plansite-sched) thead th").first.inner_text() in ("日期", "工作内容")
