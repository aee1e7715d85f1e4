"""Reading a month across schools, and the smaller reader fixes, on a fictional district of three
schools written for these tests: one plan for a calendar year, one spring term, one autumn term,
an event two schools hold together, projects of two 规划 cycles.

- a month read by date: ordered by date, a joint event once (in Chromium), the by-school page kept;
- the months index: newest term first, the calendar-year plan's January not a stray 秋季学期;
- the projects index's filters kept in the address, through a reload (Chromium);
- printouts: a site header, no ← → links (Chromium's print media and PDF);
- the 规划 filter offers what the data has, and is left out when it would offer one value;
- heat maps at 1920 px: drawn large enough to read (Chromium)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_site, serve, wait_for

SCHOOLS = {
    "hebin": "name: 测试区河滨小学\nshort_name: 河滨小学\ncity: 测试市\ndistrict: 测试区\nstage: 小学\n",
    "liushu": "name: 测试区柳树中学\nshort_name: 柳树中学\ncity: 测试市\ndistrict: 测试区\nstage: 初中\n",
    "meishan": "name: 测试区梅山小学\nshort_name: 梅山小学\ncity: 测试市\ndistrict: 测试区\nstage: 小学\n",
}

PLANS = {
    # a plan for the calendar year 2026: January is its month, not a one-month 2025年秋季学期
    "hebin-2026": """school: hebin
term: 2026年
title: 河滨小学2026年度教科室工作要点
projects: [hb-yuedu]
schedule:
  - label: 一月份
    items:
      - text: 寒假阅读单发放。
        date: 1月16日
  - label: 三月份
    items:
      - text: 片区联合教研：绘本共读课例研讨。
        date: 3月12日
      - text: 青年教师读书沙龙。
        date: 3月26日
      - 整理上学期课题资料。
  - label: 九月份
    items:
      - text: 新学期课题组会议。
        date: 9月8日
""",
    "liushu-2026-spring": """school: liushu
term: 2026春
title: 柳树中学2026年春季学期教研室工作计划
office: 教研室
projects: [ls-zuoye]
schedule:
  - label: 三月份
    items:
      - text: 片区联合教研：绘本共读课例研讨。
        date: 3月12日
      - text: 作业设计专题培训。
        date: 3月3日
      - text: 各教研组公开课周。
        date: 3月下旬
  - label: 四月份
    items:
      - text: 期中质量分析会。
        date: 4月20日
""",
    "meishan-2026-autumn": """school: meishan
term: 2026秋
title: 梅山小学2026年秋季学期教科室工作计划
schedule:
  - label: 九月份
    items:
      - text: 教科室工作计划交流。
        date: 9月15日
  - label: 十二月份
    items:
      - 课题结题材料汇总。
""",
}

PROJECTS = {
    "hb-yuedu": "title: 小学绘本共读的课例研究\nlevel: 区级\ncycle: 十四五\nschools: [hebin]\n",
    "ls-zuoye": "title: 初中分层作业的设计与评价\nlevel: 市级\ncycle: 十三五\nschools: [liushu]\n",
}


def write_district(root: Path, projects: dict[str, str] = PROJECTS) -> Path:
    project = root / "district"
    for folder in ("schools", "plans", "projects"):
        (project / "plan_data" / folder).mkdir(parents=True)
    for sid, text in SCHOOLS.items():
        (project / "plan_data/schools" / f"{sid}.yml").write_text(text, encoding="utf-8")
    for pid, text in PLANS.items():
        (project / "plan_data/plans" / f"{pid}.yml").write_text(text, encoding="utf-8")
    for prid, text in projects.items():
        (project / "plan_data/projects" / f"{prid}.yml").write_text(text, encoding="utf-8")
    shutil.copytree(FIXTURES / "mini/docs", project / "docs")
    config = (FIXTURES / "mini/mkdocs.yml").read_text(encoding="utf-8").replace("测试区教科研计划", "测试区三校教科研")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("month-by-day")
    return build_site(write_district(root), root / "site")


@pytest.fixture(scope="module")
def district_url(district):
    server = serve(district)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


# ------------------------------------------------------------------ a month by day


def test_month_read_by_date_in_chromium(page, district, district_url):
    page.goto(district_url + "calendar/2026-03/")
    page.get_by_role("link", name="按日期看").click()
    page.wait_for_url("**/calendar/2026-03/by-day/")
    days = page.locator("article h3.plansite-day").all_inner_texts()
    assert days == ["3月3日 周二", "3月12日 周四", "3月下旬", "3月26日 周四"], days
    items = page.locator(".plansite-month-days li").evaluate_all(
        "els => els.map(li => [li.querySelector('a').textContent, [...li.querySelectorAll('.plansite-school')].map(s => s.textContent)])")
    texts = [t for t, _ in items]
    # the event both schools hold is listed once, with both schools
    assert texts.count("片区联合教研：绘本共读课例研讨。") == 1
    assert ["片区联合教研：绘本共读课例研讨。", ["河滨小学", "柳树中学"]] in items
    assert "整理上学期课题资料。" not in texts  # dated by its month only: on the page by school
    assert "另有 1 项只注明月份的安排" in page.locator("article").inner_text()
    # the page by school is kept, one link away, and lists the joint event under each school
    page.get_by_role("link", name="按学校看").first.click()
    page.wait_for_url("**/calendar/2026-03/")
    assert page.locator("article table a", has_text="片区联合教研").count() == 2
    # ← → walk the months by date
    page.goto(district_url + "calendar/2026-03/by-day/")
    page.get_by_role("link", name="2026年4月 →").click()
    page.wait_for_url("**/calendar/2026-04/by-day/")
    assert page.locator("article h3.plansite-day").all_inner_texts() == ["4月20日 周一"]
    # no serious accessibility problem (axe, as tests/test_accessibility.py runs it)
    from test_accessibility import BLOCKING, describe, run_axe

    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert violations == [], describe(violations)
    description = soup(district, "calendar/2026-03/by-day/index.html").select_one('meta[property="og:description"]')["content"]
    assert description.startswith("2026年3月") and "3 所学校" not in description and "2 所学校" in description


def test_months_index_newest_first_and_calendar_year_kept_whole(district):
    page = soup(district, "calendar/index.html")
    terms = [h.get_text("", strip=True).rstrip("¶") for h in page.select("article h2")]
    assert terms == ["2026年秋季学期", "2026年春季学期", "2026年度"], terms
    # the calendar-year plan's January is under its own term, not a one-month 2025年秋季学期
    year = page.select_one("article h2#term-2026")
    table = year.find_next("table")
    assert [th.get_text(strip=True) for th in table.select("thead th")][1:] == ["1月"]


def test_a_calendar_year_alone_is_one_term_and_no_filter_says_nothing(tmp_path):
    # the projects name no 规划 cycle, as imported projects do
    project = write_district(tmp_path, {"hb-yuedu": PROJECTS["hb-yuedu"].replace("cycle: 十四五\n", ""),
                                        "hb-kexue": "title: 小学科学探究记录单的设计\nlevel: 区级\nschools: [hebin]\n"})
    for pid in ("liushu-2026-spring", "meishan-2026-autumn"):
        (project / f"plan_data/plans/{pid}.yml").unlink()
    for sid in ("liushu", "meishan"):
        (project / f"plan_data/schools/{sid}.yml").unlink()
    site = build_site(project, tmp_path / "site")
    page = soup(site, "calendar/index.html")
    assert [h.get_text("", strip=True).rstrip("¶") for h in page.select("article h2")] == ["2026年度"]
    assert [th.get_text(strip=True) for th in page.select("article table thead th")][1:] == ["1月", "3月", "9月"]
    projects = soup(site, "projects/index.html")
    assert not projects.select("select[data-filter=cycle]") and "规划" not in projects.select_one("article").get_text()
    assert not projects.select("select[data-filter=level]")  # both 区级: nothing to choose
    assert projects.select("select[data-filter=school]") == [] and "区级 2" in projects.select_one("article").get_text()


# ------------------------------------------------------------------ the projects index


def test_cycle_filter_offers_what_the_projects_say(district):
    options = [o.get_text() for o in soup(district, "projects/index.html").select("select[data-filter=cycle] option")]
    assert options == ["全部", "十三五（1）", "十四五（1）"]


def test_projects_filters_survive_a_reload(page, district_url):
    page.goto(district_url + "projects/")
    page.select_option("select[data-filter=cycle]", "十三五")
    page.select_option("select[data-filter=level]", "市级")
    assert "cycle=%E5%8D%81%E4%B8%89%E4%BA%94" in page.url and "level=" in page.url

    def shown():
        return page.locator("table[data-plansite-table] tbody tr:not([hidden]) td:first-child").all_inner_texts()

    assert shown() == ["初中分层作业的设计与评价"]
    page.reload()
    assert page.locator("select[data-filter=cycle]").input_value() == "十三五"
    assert page.locator("select[data-filter=level]").input_value() == "市级"
    assert shown() == ["初中分层作业的设计与评价"]
    assert page.locator(".plansite-count").inner_text() == "显示 1 / 2 项"
    # a shared link opens with the same choice; clearing it clears the address
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    assert shown() == ["初中分层作业的设计与评价"]
    page.select_option("select[data-filter=cycle]", "")
    page.select_option("select[data-filter=level]", "")
    assert "cycle=" not in page.url and "level=" not in page.url and len(shown()) == 2


# ------------------------------------------------------------------ printouts and charts


def test_printout_has_a_header_and_no_month_links(page, district_url):
    import io

    from pypdf import PdfReader

    page.goto(district_url + "calendar/2026-03/")
    page.emulate_media(media="print")
    header = page.locator(".md-header__topic").first
    assert header.is_visible() and header.inner_text().strip() == "测试区三校教科研"
    assert header.bounding_box()["y"] < page.locator("article h1").bounding_box()["y"]
    assert not page.locator(".plansite-nav").is_visible() and not page.locator(".plansite-views").is_visible()
    assert not page.get_by_role("link", name="2026年4月 →").is_visible()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    flat = re.sub(r"\s+", "", text)
    # (a PDF's text comes in paint order, not the page's: the header is checked in place above)
    assert "测试区三校教科研" in flat and "2026年3月行事历" in flat, flat[:80]
    assert "←" not in text and "→" not in text and "全部月份" not in flat
    assert "片区联合教研" in flat


def test_heat_maps_are_readable_at_1920(browser, district_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(district_url + "compare/2026-spring/")
        sizes = page.locator("article .plansite-figure svg.plansite-chart").evaluate_all("""els => els.map(svg => {
            const r = svg.getBoundingClientRect(), box = svg.viewBox.baseVal;
            const label = svg.querySelector('text').getBoundingClientRect();
            return {scale: r.width / box.width, width: r.width, column: svg.parentNode.clientWidth,
                    label: label.height, text: parseFloat(getComputedStyle(svg.closest('article')).fontSize)};
        })""")
        assert len(sizes) == 2
        for s in sizes:
            # labels as large as the text around them, and the chart inside its column
            assert s["scale"] > 1.3 and s["width"] <= s["column"] + 1, s
            assert 12 * s["scale"] >= 0.9 * s["text"], s
    finally:
        context.close()
