"""The search box answers Chinese queries even when the pinyin rewrite (assets/search.js) is
switched off, cannot load its vocabulary, or meets a Material that talks to its search worker in
another way: plain search, with one note in the console, never a broken box. Real Chromium, the
built demo."""

from __future__ import annotations

import json

import pytest

from conftest import wait_for

pytestmark = pytest.mark.browser

BOX = "input[data-md-component=search-query]"
RESULTS = ".md-search-result__list > li > a"

def _wrap_workers(post: str) -> str:
    """A script that makes every new Worker post its messages with `post` (a JS expression of
    (native postMessage, message args) -> the call)."""
    return """
(() => {
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const native = Native.prototype.postMessage;
      this.postMessage = (...m) => (%s);
    }
  };
})();
""" % post


# Material's worker gets its queries past the prototype, where assets/search.js listens: the index
# message still goes the usual way, so the script knows the worker and sees no query come.
QUERIES_ELSEWHERE = _wrap_workers("(m[0] && m[0].type === 2 ? native : Worker.prototype.postMessage).apply(this, m)")

# every message past the prototype: the script never recognises a search worker
ALL_ELSEWHERE = _wrap_workers("native.apply(this, m)")


def _console(page) -> list[str]:
    notes: list[str] = []
    page.on("console", lambda msg: notes.append(msg.text))
    return notes


def _ask(page, query: str) -> list[str]:
    box = page.locator(BOX)
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup
    page.locator(RESULTS).first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    texts = page.locator(RESULTS).evaluate_all("els => els.map(e => e.innerText)")
    return ["".join(t.replace("\u200b", "").split()) for t in texts]  # Material marks word breaks with U+200B


def _assert_answers_chinese(page) -> None:
    for word in ("拜师仪式", "星河小学"):
        texts = _ask(page, word)
        assert any(word in t for t in texts[:5]), (word, texts[:5])


def _wait_for_note(page, notes: list[str], words: str) -> str:
    wait_for(page, "() => window.plansiteSearch && window.plansiteSearch.state() !== 'on'", timeout=10_000)
    for _ in range(50):
        found = [n for n in notes if n.startswith("PlanSite") and words in n]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no console note with {words!r}: {notes}")


def test_without_the_script_material_answers_chinese(page, demo_url):
    page.route("**/assets/plansite/search.js", lambda route: route.abort())
    page.goto(demo_url)
    assert page.evaluate("typeof window.plansiteSearch") == "undefined"
    _assert_answers_chinese(page)


def test_switched_off_by_hand(page, demo_url):
    notes = _console(page)
    page.goto(demo_url)
    page.locator(BOX).click()
    wait_for(page, "() => window.plansiteSearch.ready()")
    assert "读书节" in page.evaluate("window.plansiteSearch.expand('dsj')")
    page.evaluate("window.plansiteSearch.off()")
    assert page.evaluate("window.plansiteSearch.expand('dsj')") is None
    _wait_for_note(page, notes, "手动关闭")
    _assert_answers_chinese(page)


def test_a_vocabulary_that_does_not_load(page, demo_url):
    notes = _console(page)
    page.route("**/assets/plansite/pinyin.json", lambda route: route.fulfill(status=500, body="oops"))
    page.goto(demo_url)
    page.locator(BOX).click()
    note = _wait_for_note(page, notes, "pinyin.json")
    assert "HTTP 500" in note
    assert page.evaluate("window.plansiteSearch.state()") == "off"
    _assert_answers_chinese(page)


def test_a_vocabulary_of_the_wrong_shape(page, demo_url):
    notes = _console(page)
    page.route("**/assets/plansite/pinyin.json",
               lambda route: route.fulfill(status=200, content_type="application/json", body='{"vocabulary": []}'))
    page.goto(demo_url)
    page.locator(BOX).click()
    assert "words" in _wait_for_note(page, notes, "pinyin.json")
    _assert_answers_chinese(page)


def test_queries_that_do_not_come_past_the_script(page, demo_url):
    notes = _console(page)
    page.add_init_script(QUERIES_ELSEWHERE)
    page.goto(demo_url)
    page.locator(BOX).click()
    wait_for(page, "() => window.plansiteSearch.ready()")  # the index message was recognised
    _ask(page, "拜师仪式")
    _wait_for_note(page, notes, "查询消息")
    assert page.evaluate("window.plansiteSearch.state()") == "off"
    _assert_answers_chinese(page)


def test_a_worker_the_script_does_not_recognise(page, demo_url):
    notes = _console(page)
    page.add_init_script(ALL_ELSEWHERE)
    page.goto(demo_url)
    _ask(page, "拜师仪式")
    _wait_for_note(page, notes, "索引消息")
    assert page.evaluate("window.plansiteSearch.state()") == "waiting"  # nothing rewritten
    _assert_answers_chinese(page)


def test_a_rewrite_that_finds_nothing_is_asked_again_as_typed(page, demo_url):
    # a vocabulary that reads "json" as a word the site does not have: the rewrite finds nothing,
    # what was typed finds the open-data pages
    vocabulary = {"words": ["火星|json|hx"]}
    page.route("**/assets/plansite/pinyin.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(vocabulary, ensure_ascii=False)))
    page.goto(demo_url)
    page.locator(BOX).click()
    wait_for(page, "() => window.plansiteSearch.ready()")
    assert page.evaluate("window.plansiteSearch.expand('json')") == "火星"
    texts = _ask(page, "json")
    assert any("json" in t.lower() for t in texts[:5]), texts[:5]
    assert page.evaluate("window.plansiteSearch.state()") == "on"
