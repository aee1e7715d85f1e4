"""Browser tests: a real Chromium (Playwright) against the built demo served on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_home_page_shows_the_schools(page, demo_url, demo_site):
    schools = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))["schools"]
    response = page.goto(demo_url)
    assert response.ok
    table = page.locator("xpath=//h2[@id='schools']/following::table[1]")
    names = table.locator("tbody tr td:first-child a").all_inner_texts()
    assert sorted(names) == sorted(s["name"] for s in schools) and len(names) >= 4
    # follow the first school to its page and on to one of its plans
    table.locator("tbody tr td:first-child a").first.click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text().rstrip("¶").strip() in names
    page.locator("xpath=//h2[@id='plans']/following::ul[1]//a").first.click()
    page.wait_for_load_state()
    assert page.locator("#schedule").count() == 1
    assert "/plans/" in page.url
