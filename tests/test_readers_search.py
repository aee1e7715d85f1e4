"""Search in real Chromium: the right result does not say it is missing the query (the school's
names are a hidden field), and a pinyin query's results say they were found by pinyin."""

from __future__ import annotations

import json

import pytest

from conftest import report, serve, wait_for
from test_search_ranking import ranked_pages, school_queries

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(demo_site):
    server = serve(demo_site)
    yield demo_site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def open_search(page, url: str) -> None:
    page.goto(url)
    page.locator("input[data-md-component=search-query]").click()
    wait_for(page, "() => window.plansiteSearch && window.plansiteSearch.ready()")


def test_school_queries_rank_the_school_first_and_miss_nothing(page, demo):
    site, url = demo
    open_search(page, url)
    schools = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))["schools"]
    queries = [(q, s["url"]) for s in schools for q in school_queries(s)]
    assert len(queries) == 24
    first, missing, pinyin = 0, [], []
    for q, expected in queries:
        pages = ranked_pages(page, q)
        first += bool(pages) and pages[0] == expected
        top = page.locator(".md-search-result__list > li").first
        if "缺少" in top.inner_text():
            missing.append(q)
        if q.isascii():  # typed in pinyin, initials or the URL name
            notes = top.locator(".plansite-pinyin").all_inner_texts()
            if not notes or q not in notes[0]:
                pinyin.append(q)
    report(f"search: school page first for {first}/24 school queries; 缺少 on the top result of {len(missing)}")
    assert first == 24 and not missing, missing
    assert not pinyin, f"pinyin queries whose results do not say so: {pinyin}"
