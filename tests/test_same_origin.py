"""Every request a page makes stays on the site's own origin: no CDN, no web fonts, no trackers.

Google Fonts, jsDelivr, unpkg and the like load slowly or not at all from many networks in
mainland China, and a school's intranet copy of the site may have no Internet at all. So
the six kinds of page are opened in a real Chromium, the search box is used (it loads the
search worker and the pinyin vocabulary), and every request is recorded; any request that
leaves the origin fails the test. Off-origin requests are aborted rather than sent, so the
test is the same with or without a network.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from page_kinds import page_kinds

pytestmark = pytest.mark.browser

KINDS = ("home", "school", "plan", "month", "project", "compare")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("kind", KINDS)
def test_page_requests_stay_on_the_site(browser, demo_url, demo_site, kind):
    url = demo_url + page_kinds(demo_site)[kind]
    origin = _origin(demo_url)
    seen: list[str] = []
    outside: list[str] = []
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block")

    def record(request) -> None:
        seen.append(request.url)
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and _origin(request.url) != origin:
            outside.append(f"{request.resource_type} {request.url}")

    def gate(route) -> None:
        if _origin(route.request.url) == origin:
            route.continue_()
        else:
            route.abort()

    context.on("request", record)
    context.route("**/*", gate)
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        # The search worker, its index and the pinyin vocabulary load only when search is used.
        box = page.locator("input[data-md-component=search-query]")
        box.click()
        box.fill("读书")
        box.press("End")  # Material searches on keyup
        page.locator(".md-search-result__list > li > a").first.wait_for(timeout=10_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert any(u.endswith("search_index.json") for u in seen), "the search index was never requested"
    assert any(u.endswith("pinyin.json") for u in seen), "the pinyin vocabulary was never requested"
    assert outside == [], f"{url} requested from other origins:\n" + "\n".join(outside)


def test_built_html_names_no_cdn(demo_site):
    """The same, in the files: no tag that loads a script, stylesheet or font from elsewhere."""
    import re

    loads = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    offenders = []
    for path in sorted(demo_site.rglob("*.html")):
        for match in loads.finditer(path.read_text(encoding="utf-8")):
            tag = match.group(0)
            if 'rel="canonical"' in tag or "rel=canonical" in tag:
                continue  # a link to itself, not a request
            offenders.append(f"{path.relative_to(demo_site)}: {tag}")
    assert offenders == [], "\n".join(offenders[:20])
