"""Search in a real Chromium against the built demo: Chinese words from mid-sentence, project title
fragments, school and teacher names, full pinyin and initials. Each query must bring an expected
page or schedule item into the first 5 results, and its link must land on it."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import wait_for

pytestmark = pytest.mark.browser

# (query, the Chinese it stands for: what an expected result must contain)
QUERIES = [
    ("拜师仪式", "拜师仪式"),            # mid-sentence words of schedule items
    ("图书漂流", "图书漂流"),
    ("偏旁找朋友", "偏旁找朋友"),
    ("读书随笔", "读书随笔"),
    ("角的度量", "角的度量"),
    ("常规检查", "常规检查"),
    ("双师课堂", "双师课堂"),
    ("心理韧性", "心理韧性"),            # project title fragments
    ("非遗剪纸", "非遗剪纸"),
    ("错题资源", "错题资源"),
    ("家庭小实验", "家庭小实验"),
    ("分层作业", "分层作业"),
    ("星河小学", "星河小学"),            # school names
    ("育英中学", "育英中学"),
    ("陆晓岚", "陆晓岚"),               # teachers
    ("梅建华", "梅建华"),
    ("dushujie", "读书节"),             # full pinyin
    ("baishi", "拜师"),
    ("jianzhi", "剪纸"),
    ("xinghe", "星河"),
    ("kejijie", "科技节"),
    ("dsj", "读书节"),                  # initials
    ("kjj", "科技节"),
    ("qzgd", "亲子共读"),
]


def expected_urls(data: dict, word: str) -> set[str]:
    """Every page or item of the demo whose text holds the word, computed from data/plans.json."""
    out = set()
    for plan in data["plans"]:
        if word in plan["title"]:
            out.add(plan["url"])
        for block in plan["schedule"]:
            for item in block["items"]:
                if word in item["text"]:
                    out.add(item["url"])
    for project in data["projects"]:
        if word in project["title"] or word in (project["host"] or "") or any(word in m for m in project["members"]):
            out.add(project["url"])
    for school in data["schools"]:
        if word in school["name"] or word in (school["short_name"] or ""):
            out.add(school["url"])
    return out


def search(page, query: str) -> list[str]:
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    wait_for(page, "() => window.plansiteSearch && window.plansiteSearch.ready()")
    box.fill(query)
    box.press("End")  # Material searches on keyup
    results = page.locator(".md-search-result__list > li > a")
    results.first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)  # let the list settle after the last keyup
    hrefs = results.evaluate_all("els => els.map(e => e.href)")
    return [_normalise(h) for h in hrefs]


def _normalise(href: str) -> str:
    """http://host/plans/x/?h=…#i-1 -> plans/x/#i-1"""
    parts = urlsplit(href)
    return unquote(parts.path.lstrip("/")) + (f"#{parts.fragment}" if parts.fragment else "")


@pytest.fixture(scope="module")
def demo_data(demo_site) -> dict:
    return json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def searcher(browser, demo_url):
    """One page on the demo's home page for all the queries: the worker reads the index once (it is
    asked for when search is first used) instead of once per query."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    p = context.new_page()
    p.goto(demo_url)
    yield p
    context.close()


@pytest.mark.parametrize("query,word", QUERIES, ids=[q for q, _ in QUERIES])
def test_query_finds_and_lands(searcher, page, demo_url, demo_data, query, word):
    expected = expected_urls(demo_data, word)
    assert expected, f"the demo has nothing with {word!r}: the query table is stale"
    box = searcher.locator("input[data-md-component=search-query]")
    if box.is_visible():  # the previous query's results go first, so none of them is read as this one's
        box.fill("")
        box.press("End")
        searcher.locator(".md-search-result__list > li").first.wait_for(state="detached", timeout=10_000)
    top = search(searcher, query)[:5]
    hits = [h for h in top if h in expected]
    assert hits, f"{query!r}: none of {sorted(expected)[:5]} in the first 5 results {top}"
    # the first expected result's link, followed in a page of its own: where it lands
    link = searcher.locator(".md-search-result__list > li > a").nth(top.index(hits[0])).get_attribute("href")
    page.goto(urljoin(demo_url, link))
    path, _, anchor = hits[0].partition("#")
    assert urlsplit(page.url).path == "/" + path
    if anchor.startswith("i-"):
        row = page.locator(f"[id='{anchor}']").locator("xpath=ancestor::tr")
        assert word in row.inner_text()
        assert row.is_visible() and row.evaluate("r => r.getBoundingClientRect().top < window.innerHeight")
    else:
        assert word in page.locator("article").inner_text()


def test_queries_cover_the_kinds_asked_for():
    pinyin = [q for q, _ in QUERIES if re.fullmatch(r"[a-z]+", q)]
    assert len(QUERIES) >= 20 and len(pinyin) >= 6
    assert any(len(q) <= 4 and q.isascii() for q in pinyin)  # initials


def test_pinyin_expansion_in_the_page(page, demo_url):
    page.goto(demo_url)
    page.locator("input[data-md-component=search-query]").click()
    wait_for(page, "() => window.plansiteSearch && window.plansiteSearch.expand('dsj') !== null")
    assert "读书节" in page.evaluate("window.plansiteSearch.expand('dsj')").split()
    assert "读书节" in page.evaluate("window.plansiteSearch.expand('du shu jie')").split()
    assert page.evaluate("window.plansiteSearch.expand('读书')") is None  # one word goes to Material as typed
    assert page.evaluate("window.plansiteSearch.expand('读书随笔')") == "读书 随笔"  # several words are split
    assert page.evaluate("window.plansiteSearch.expand('zzzzqqq')") is None
    assert page.evaluate("window.plansiteSearch.expand('qzgd')") == "亲子 共读"  # initials of two words


def test_pinyin_typed_before_the_vocabulary_arrives(page, demo_url, demo_data):
    """A visitor who types at once: the query first goes out as typed, then again in Chinese."""
    expected = expected_urls(demo_data, "读书节")
    page.goto(demo_url)
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill("dsj")
    box.press("End")
    wait_for(
        page,
        "urls => [...document.querySelectorAll('.md-search-result__list > li > a')].slice(0, 5)"
        ".some(a => urls.some(u => decodeURIComponent(a.href).split('?')[0].endsWith(u.split('#')[0])))",
        arg=sorted(expected), timeout=10_000)
