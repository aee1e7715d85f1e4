"""Search answers at once while its index is still being read: a visitor who taps search and types a
school's name, or its initials, sees the school's page as the first result within 300 ms, from the
small list of schools (assets/plansite/schools.json) asked for at the same tap; once Material's
worker has read the index, its full results replace that list without another keystroke. A query
that names no school waits for the worker and is answered then, with no "nothing found" before.
Real Chromium on the generated 20-school district of test_search_lazy (built once for this module);
the index is held back until the first answer is seen, so the answer cannot be the worker's on any
machine."""

from __future__ import annotations

import json

import pytest

from conftest import report
from plansite.input.slugs import pinyin_keys
from test_search_lazy import ANSWER_MS, READ_MS, district, first_visit  # noqa: F401 (district: the fixture)

pytestmark = pytest.mark.browser

BOX = "input[data-md-component=search-query]"
LIST = ".md-search-result__list"
META = ".md-search-result__meta"
PHONE = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "viewport": {"width": 390, "height": 844}}  # as first_visit

# Timed inside the page: each input and keyup of the search box with the value it carried, and each
# change of the results with its first link, its number of results and the line above them.
LOG = """(() => {
  window.__log = [];
  const box = (ev) => ev.target.matches && ev.target.matches("[data-md-component=search-query]");
  ["input", "keyup"].forEach((type) => document.addEventListener(type, (ev) => {
    if (box(ev)) window.__log.push({at: performance.now(), event: type, value: ev.target.value});
  }, true));
  let last = "";
  new MutationObserver(() => {
    const list = document.querySelector(".md-search-result__list"), meta = document.querySelector(".md-search-result__meta");
    if (!list) return;
    const first = list.querySelector("li > a");
    const seen = {at: performance.now(), first: first ? first.href : null, items: list.children.length,
                  links: list.querySelectorAll("a").length, meta: meta ? meta.textContent.trim() : ""};
    const key = JSON.stringify([seen.first, seen.items, seen.links, seen.meta]);
    if (key !== last) { last = key; window.__log.push(seen); }
  }).observe(document, {childList: true, subtree: true, characterData: true});
})()"""


@pytest.fixture(scope="module")
def school(district):  # noqa: F811 (the fixture imported above)
    site, url = district
    chosen = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))["schools"][7]
    return {**chosen, "initials": pinyin_keys(chosen["short_name"])[1], "page": url + chosen["url"]}


class HeldIndex:
    """search/search_index.json held back until release(): the worker cannot be ready before."""

    def __init__(self, page) -> None:
        self.routes: list = []
        page.route("**/search/search_index.json", lambda route: self.routes.append(route))

    def release(self) -> None:
        assert self.routes, "the search index was never asked for"
        for route in self.routes:
            route.continue_()


def _open_search(browser, school):
    """A first visit of the school's page, then a tap on search with the index held back."""
    context, page, fetched = first_visit(browser, school["page"], LOG)
    before_tap = [u for u, _ in fetched]
    held = HeldIndex(page)
    page.locator("label[for=__search]").first.click()
    page.locator(BOX).wait_for(state="visible")
    return context, page, fetched, before_tap, held


def _type(page, query: str) -> None:
    page.locator(BOX).fill(query)
    page.locator(BOX).press("End")  # Material reads the box on keyup


def _log(page) -> list[dict]:
    return page.evaluate("window.__log")


def _wait_log(page, check, what: str, after: float = 0, timeout_ms: int = READ_MS) -> dict:
    """The first change of the results after `after` (page time) that passes check."""
    for _ in range(timeout_ms // 20):
        found = [e for e in _log(page) if "first" in e and e["at"] > after and check(e)]
        if found:
            return found[0]
        page.wait_for_timeout(20)
    raise AssertionError(f"{what}: {_log(page)[-6:]}")


def _typed_at(page, query: str) -> float:
    """When the box first held the whole query (the input event of the last keystroke)."""
    return next(e["at"] for e in _log(page) if e.get("value") == query)


def _keyup_at(page, query: str) -> float:
    return next(e["at"] for e in _log(page) if e.get("event") == "keyup" and e.get("value") == query)


@pytest.mark.parametrize("kind", ["name", "initials"])
def test_a_school_typed_at_once_is_listed_before_the_index_is_read(browser, school, kind):
    query = school["short_name"] if kind == "name" else school["initials"]
    target = school["page"]
    context, page, fetched, before_tap, held = _open_search(browser, school)
    try:
        assert not any(u.endswith(("search_index.json", "schools.json")) for u in before_tap), before_tap
        _type(page, query)
        shown = _wait_log(page, lambda e: e["first"] == target, f"{query}: no list with the school first")
        typed, keyup = _typed_at(page, query), _keyup_at(page, query)
        answered = shown["at"] - typed
        # the list of schools: fetched at the tap, its count line right for what it shows
        assert any(u.endswith("assets/plansite/schools.json") for u, _ in fetched)
        assert shown["links"] == shown["items"] and f"找到 {shown['items']} 所学校" in shown["meta"], shown
        # the worker's full results replace it once the index is read, without another keystroke
        held.release()
        full = _wait_log(page, lambda e: "个符合条件的结果" in e["meta"], f"{query}: no full results after the index was read",
                         after=shown["at"])
        assert full["first"] == target and full["links"] > shown["links"], (shown, full)
        assert page.locator(BOX).input_value() == query
        report(f"search before the index is read ({kind} {query!r}, 20 schools): the school listed "
               f"{answered:.0f} ms after it was typed ({shown['at'] - keyup:+.0f} ms from the keyup); "
               f"full results {full['links']} links once the index was read")
        assert answered <= ANSWER_MS and shown["at"] - keyup <= ANSWER_MS, (answered, shown["at"] - keyup)
    finally:
        context.close()


def test_a_query_naming_no_school_waits_for_the_index_and_is_answered_then(browser, school):
    context, page, fetched, _, held = _open_search(browser, school)
    try:
        _type(page, school["short_name"])
        shown = _wait_log(page, lambda e: e["first"] == school["page"], "no school listed")
        page.locator("button[type=reset]").click()  # the box emptied: the school listed goes
        emptied = _wait_log(page, lambda e: e["items"] == 0, "the school list stayed in an empty box", shown["at"], 2_000)
        _type(page, school["short_name"])
        shown = _wait_log(page, lambda e: e["first"] == school["page"], "no school listed again", emptied["at"])
        _type(page, "课题")  # names no school: the school listed before goes, nothing claims "not found"
        cleared = _wait_log(page, lambda e: e["items"] == 0, "the school list stayed for 课题", shown["at"], 2_000)
        page.wait_for_timeout(400)
        assert page.locator(f"{LIST} > li").count() == 0
        meta = page.locator(META).inner_text()
        assert "没有找到" not in meta and "所学校" not in meta and cleared["meta"] == meta, meta
        assert page.locator(".plansite-suggest").count() == 0
        held.release()
        answer = _wait_log(page, lambda e: e["items"] > 0, "课题 was never answered", cleared["at"])
        assert "个符合条件的结果" in answer["meta"], answer
        titles = page.locator(f"{LIST} > li h1, {LIST} > li h2").all_inner_texts()
        assert any("课题" in t.replace("\u200b", "") for t in titles), titles[:5]
    finally:
        context.close()


def test_without_the_list_of_schools_search_answers_as_before(browser, school):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    notes: list[str] = []
    page.on("console", lambda msg: notes.append(msg.text))
    page.route("**/assets/plansite/schools.json", lambda route: route.fulfill(status=500, body="oops"))
    try:
        page.goto(school["page"], wait_until="networkidle")
        page.locator("label[for=__search]").first.click()
        _type(page, school["short_name"])
        page.locator(f"{LIST} > li").first.wait_for(timeout=READ_MS)
        assert page.locator(f"{LIST} > li > a").first.get_attribute("href").endswith(school["url"])
        assert "个符合条件的结果" in page.locator(META).inner_text()  # the worker's answer, nothing before it
        said = [n for n in notes if n.startswith("PlanSite") and "schools.json" in n]
        assert len(said) == 1 and "HTTP 500" in said[0], notes
    finally:
        context.close()


def test_a_school_name_is_shown_as_text(browser, school):
    """A name holding markup is listed as the characters it is (Material sets titles as HTML)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    name = '青石<img src=x onerror="window.__hit=1">小学'
    entry = [name, "青石<b>小学</b>", "qingshixiaoxue qsxx", school["url"], "江东市 & <i>青石县</i>"]
    page.route("**/assets/plansite/schools.json",
               lambda route: route.fulfill(status=200, content_type="application/json",
                                           body=json.dumps({"version": 1, "schools": [entry]}, ensure_ascii=False)))
    page.route("**/search/search_index.json", lambda route: None)  # never read: only the list answers
    try:
        page.goto(school["page"], wait_until="networkidle")
        page.locator("label[for=__search]").first.click()
        _type(page, "qsxx")
        page.locator(f"{LIST} > li").first.wait_for(timeout=READ_MS)
        result = page.locator(f"{LIST} > li").first
        assert result.locator("h1").inner_text() == name
        assert "青石<b>小学</b> · 江东市 & <i>青石县</i>" in result.inner_text()
        assert result.locator("img, b, i").count() == 0 and page.evaluate("window.__hit") is None
    finally:
        context.close()
