"""Browser tests: a real Chromium (Playwright) against the built demo served on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_home_page_shows_the_schools(page, demo_url, demo_site):
    schools = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))["schools"]
    response = page.goto(demo_url)
    assert response.ok
    listing = page.locator("xpath=//h2[@id='schools']/following::ul[1]")
    names = listing.locator("li a").all_inner_texts()
    hrefs = listing.locator("li a").evaluate_all("els => els.map(a => a.href)")
    assert sorted(h.removeprefix(demo_url) for h in hrefs) == sorted(s["url"] for s in schools) and len(hrefs) >= 4
    assert all(any(s["name"].endswith(n) for s in schools) for n in names)  # the name without city and district
    # follow the first school to its page and on to one of its plans
    listing.locator("li a").first.click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text().rstrip("¶").strip().endswith(names[0])
    page.locator("xpath=//h2[@id='plans']/following::ul[1]//a").first.click()
    page.wait_for_load_state()
    assert page.locator("#schedule").count() == 1
    assert "/plans/" in page.url


def _months(demo_site) -> dict:
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    return {m["month"]: m for m in data["months"]}


def test_home_shows_the_visitors_month_not_the_build_month(page, demo_url, demo_site):
    from datetime import datetime, timedelta, timezone

    months = _months(demo_site)
    assert "2026-11" in months and "2026-12" in months
    page.clock.set_fixed_time(datetime(2026, 11, 10, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    page.goto(demo_url + "schools/qinghe-shixiao/")
    box = page.locator("[data-plansite-now]")
    assert box.get_attribute("data-plansite-now") == "2026-11"
    sections = box.locator("section")
    assert sections.evaluate_all("els => els.map(e => e.dataset.month)") == ["2026-11", "2026-12"]
    shown = sections.first.locator("li a").all_inner_texts()
    assert shown == [i["text"] for i in months["2026-11"]["items"] if i["school"] == "qinghe-shixiao"]
    assert "2026年11月" in sections.first.locator("h3").inner_text()
    # the home page: the next two weeks from the visitor's day, by day
    page.goto(demo_url)
    days = page.locator("[data-plansite-days]")
    assert days.get_attribute("data-plansite-days") == "2026-11-10"
    assert "11月10日起两周内" in days.inner_text()
    # January 2027 (autumn term's 元月) on the school page: only that school's items
    page.clock.set_fixed_time(datetime(2027, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    page.goto(demo_url + "schools/qinghe-shixiao/")
    jan = page.locator("[data-plansite-now] section").first
    expected = [i["text"] for i in months["2027-01"]["items"] if i["school"] == "qinghe-shixiao"]
    assert jan.locator("li a").all_inner_texts() == expected and expected


def test_month_page_item_leads_to_its_plan(page, demo_url, demo_site):
    month = _months(demo_site)["2026-11"]
    page.goto(demo_url + month["url"])
    link = page.locator("article table tbody tr td:nth-child(2) a").first
    text = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert "/plans/" in page.url and "#i-" in page.url
    anchor = page.url.split("#")[1]
    row = page.locator(f"[id='{anchor}']").locator("xpath=ancestor::tr")
    assert text in row.inner_text()


def test_script_renders_what_the_server_renders(browser, demo_url, demo_site):
    """Without JavaScript the build month shows; the script draws the same HTML for that month."""
    from datetime import datetime, timedelta, timezone

    plain = browser.new_context(java_script_enabled=False)
    p = plain.new_page()
    p.goto(demo_url + "schools/qinghe-shixiao/")
    server = p.locator("[data-plansite-now]").inner_html()
    fallback = p.locator("[data-plansite-now]").get_attribute("data-plansite-now")
    p.goto(demo_url)
    server_days = p.locator("[data-plansite-days]").inner_html()
    build_day = p.locator("[data-plansite-days]").get_attribute("data-plansite-days")
    plain.close()
    ctx = browser.new_context(timezone_id="Asia/Shanghai")
    p = ctx.new_page()
    year, month = map(int, fallback.split("-"))
    p.clock.set_fixed_time(datetime(year, month, 15, 12, tzinfo=timezone(timedelta(hours=8))))
    p.goto(demo_url + "schools/qinghe-shixiao/")
    assert p.locator("[data-plansite-now]").inner_html() == server
    y, m, d = map(int, build_day.split("-"))
    p.clock.set_fixed_time(datetime(y, m, d, 12, tzinfo=timezone(timedelta(hours=8))))
    p.goto(demo_url)
    assert p.locator("[data-plansite-days]").inner_html() == server_days
    ctx.close()


def test_month_page_prints_on_a4(page, demo_url, demo_site, tmp_path):
    from conftest import ARTIFACTS

    page.goto(demo_url + _months(demo_site)["2026-11"]["url"])
    page.emulate_media(media="print")
    # the site's name heads the printout; the header's buttons, the menus and the month links stay off
    assert page.locator(".md-header__topic").first.inner_text().strip() == "江东市中小学教科研工作计划"
    assert page.locator(".md-header__button").first.is_hidden() and page.locator(".md-search").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden() and page.locator(".plansite-nav").is_hidden()
    assert page.locator("article table").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", print_background=False)
    (ARTIFACTS / "month-2026-11-print.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")


def test_projects_index_filters_by_level_and_sorts(page, demo_url, demo_site):
    projects = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))["projects"]
    page.goto(demo_url + "projects/")
    form = page.locator("form[data-plansite-filter]")
    assert form.is_visible()
    rows = page.locator("table[data-plansite-table] tbody tr")
    assert rows.count() == len(projects)
    for level in ("省级", "市级", "校级"):
        page.select_option("select[data-filter=level]", level)
        visible = page.locator("table[data-plansite-table] tbody tr:visible td:first-child").all_inner_texts()
        assert sorted(visible) == sorted(p["title"] for p in projects if p["level"] == level), level
        assert form.locator(".plansite-count").inner_text() == f"显示 {len(visible)} / {len(projects)} 项"
    # two filters at once: level and school
    page.select_option("select[data-filter=level]", "市级")
    page.select_option("select[data-filter=school]", "qinghe-shixiao")
    visible = page.locator("table[data-plansite-table] tbody tr:visible td:first-child").all_inner_texts()
    assert sorted(visible) == sorted(p["title"] for p in projects
                                     if p["level"] == "市级" and "qinghe-shixiao" in p["schools"])
    page.select_option("select[data-filter=level]", "")
    page.select_option("select[data-filter=school]", "")
    page.locator("table[data-plansite-table] th", has_text="最新阶段").click()
    order = ["申报", "立项", "开题", "中期", "结题"]
    stages = page.locator("table[data-plansite-table] tbody tr td:nth-child(3)").all_inner_texts()
    assert stages == sorted(stages, key=lambda s: order.index(s) if s in order else 99)


def test_projects_index_without_javascript_is_a_plain_table(browser, demo_url, demo_site):
    projects = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))["projects"]
    ctx = browser.new_context(java_script_enabled=False)
    p = ctx.new_page()
    p.goto(demo_url + "projects/")
    assert not p.locator("form[data-plansite-filter]").is_visible()
    assert p.locator("table[data-plansite-table] tbody tr:visible").count() == len(projects)
    ctx.close()


def test_outside_every_term_the_script_shows_the_nearest_term(page, demo_url, demo_site):
    """A visitor long after the data's terms sees the last term's months, labelled, not an empty notice."""
    from datetime import datetime, timedelta, timezone

    page.clock.set_fixed_time(datetime(2031, 3, 10, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    page.goto(demo_url + "schools/qinghe-shixiao/")
    box = page.locator("[data-plansite-now]")
    assert "2031年3月不在任何学期之内" in box.locator(".plansite-nearest").inner_text()
    shown = box.locator("section").evaluate_all("els => els.map(e => e.dataset.month)")
    assert shown and "本月暂无安排" not in box.inner_text()
    # the home page's two weeks: the last days of the newest term, said so, never an empty notice
    page.goto(demo_url)
    days = page.locator("[data-plansite-days]")
    assert "也没有更晚的安排" in days.locator(".plansite-days-note").inner_text()
    assert days.locator("li a").count() > 0
