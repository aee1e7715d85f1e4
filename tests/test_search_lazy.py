"""A parent's first visit to a school page of a 20-school district, measured in Chromium: what the
page downloads, gzipped as a server sends it, stays under 100 KB because the search index waits for
the search box. Search then answers: the first query from the index once the worker has read it (asked
for at the tap on search; the time is reported), every keystroke after that within 300 ms."""

from __future__ import annotations

import gzip
import json
import time

import pytest

from conftest import built_once, report, serve
from test_scale import generate

pytestmark = pytest.mark.browser

BUDGET = 100 * 1024  # bytes, gzipped
ANSWER_MS = 300
READ_MS = 5_000  # the tap on search to the first answer, the worker reading the index meanwhile: a ceiling


@pytest.fixture(scope="module")
def district(tmp_path_factory, worker_id):
    site = built_once(tmp_path_factory, worker_id, "district-20", lambda folder: generate(folder, schools=20))
    server = serve(site)
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


# Timed inside the page, not through the test's round trips: the last keyup in the search box, and
# the first change of the results list after it that lists something new.
CLOCK = """(() => {
  window.__keyup = null; window.__answered = null;
  document.addEventListener("keyup", (ev) => {
    if (ev.target.matches && ev.target.matches("[data-md-component=search-query]")) {
      const list = document.querySelector(".md-search-result__list");
      window.__keyup = performance.now(); window.__answered = null; window.__before = list ? list.innerHTML : "";
    }
  }, true);
  new MutationObserver(() => {
    const list = document.querySelector(".md-search-result__list");
    if (window.__keyup !== null && window.__answered === null && list && list.children.length
        && list.innerHTML !== window.__before) {
      window.__answered = performance.now();
    }
  }).observe(document, {childList: true, subtree: true});
})()"""


def first_visit(browser, url: str, clock: str = CLOCK):
    """A fresh browser (nothing cached) on url: the page, and [(url, gzipped size)] of what it fetched.
    clock: the script that times the page from its start."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(clock)
    fetched: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: fetched.append((r.url, len(gzip.compress(r.response().body(), 6)))))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)  # anything a script asks for after the load
    return context, page, fetched


def test_first_visit_of_a_school_page_is_small_and_search_still_answers(browser, district):
    site, url = district
    school = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))["schools"][7]
    context, page, fetched = first_visit(browser, url + school["url"])
    try:
        total = sum(size for _, size in fetched)
        biggest = sorted(fetched, key=lambda f: -f[1])[:4]
        assert not any(u.endswith("search_index.json") for u, _ in fetched), biggest
        assert total <= BUDGET, f"{total} bytes gzipped: {biggest}"
        # the visitor reaches for search: the index is asked for at the tap and read by the search worker
        box = page.locator("input[data-md-component=search-query]")
        tapped = time.monotonic()
        page.locator("label[for=__search]").first.click()
        box.wait_for(state="visible")
        box.fill(school["name"][-4:])
        box.press("End")
        # a school is listed at once from the list of schools (test_search_instant.py); the worker's
        # answer, which replaces it, says how many results it found
        page.locator(".md-search-result__meta", has_text="个符合条件的结果").wait_for(timeout=READ_MS)
        first = (time.monotonic() - tapped) * 1000
        assert any(u.endswith("search_index.json") for u, _ in fetched)
        hrefs = page.locator(".md-search-result__list > li > a").evaluate_all("els => els.map(e => e.href)")
        assert hrefs and hrefs[0].rstrip("/").endswith(school["url"].rstrip("/")), hrefs[:3]
        # from then on a keystroke is answered at once (Material searches on keyup): the list changes
        links = ".md-search-result__list > li > a"
        before = page.locator(links).evaluate_all("els => els.map(e => e.href).join(' ')")
        started = time.monotonic()
        box.fill("课题")
        box.press("End")
        while page.locator(links).evaluate_all("els => els.map(e => e.href).join(' ')") in (before, ""):
            assert time.monotonic() - started < READ_MS / 1000, "no answer to 课题"
            page.wait_for_timeout(5)
        answered = page.evaluate("window.__answered - window.__keyup")
        report(f"first visit of a school page (20 schools): {total / 1024:.0f} KB gzipped in {len(fetched)} requests; "
               f"search: first answer from the index {first:.0f} ms after the tap on search (read meanwhile), "
               f"then {answered:.0f} ms after a keystroke")
        assert answered <= ANSWER_MS, f"{answered:.0f} ms"
    finally:
        context.close()


def test_a_search_link_loads_the_index_at_once(browser, district):
    _, url = district
    context, page, fetched = first_visit(browser, url + "?q=课题")
    try:
        for _ in range(100):  # asked for without any tap (on a busy machine it may come after the load settles)
            if any(u.endswith("search_index.json") for u, _ in fetched):
                break
            page.wait_for_timeout(100)
        assert any(u.endswith("search_index.json") for u, _ in fetched), [u for u, _ in fetched]
    finally:
        context.close()
