"""The import report (导入报告.md) stays inert in any Markdown viewer: what it quotes from the sources
(file names, lines, titles, school names) renders as text, never as a tag or a live link.

A real `plansite import` of sources with hostile names and lines, its report rendered by
Python-Markdown and opened in Chromium; and a Hypothesis property over every quoting place of the
report: any text renders to HTML that shows it and has only the report's own elements."""

from __future__ import annotations

import html
import shutil

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, serve
from test_hostile_props import FRAGMENTS
from test_newsite import plansite

from plansite.importer.review import Finding, Review, markdown_report
from plansite.output.mdtext import plain_text

EXTENSIONS = ["tables"]  # the report's own markup: headings, lists, tables, strong, code
HOSTILE_NAMES = ["计划`<img src=x onerror=alert(1)>`` x.txt", "[点我](javascript:alert(2)).txt",
                 "<svg onload=alert(3)>_斜_.txt"]
HOSTILE_LINES = ["[点我](javascript:alert(4))", "<img src=x onerror=alert(5)>", "<script>alert(6)</script>",
                 "`` <b>粗</b> ``", "<javascript:alert(7)>", "![图](javascript:alert(8))", "*强* _斜_ &amp;"]


def hostile_source() -> str:
    """Our own first-day plan with hostile lines where the import cannot place them: before the first
    month of the schedule (listed as not placed) and as a page's breadcrumb (listed as page noise)."""
    lines = (FIXTURES / "firstday/qinghe-autumn.txt").read_text(encoding="utf-8").splitlines()
    at = lines.index("四、行事历") + 1
    return "\n".join(["首页 > 通知公告 > [首页](javascript:alert(9))", *lines[:at],
                      *(f"{n}. {line}" for n, line in enumerate(HOSTILE_LINES, 1)), *lines[at:]]) + "\n"


def render(report: str) -> str:
    body = markdown.markdown(report, extensions=EXTENSIONS)
    return f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>导入报告</title></head><body>{body}</body></html>'


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    sources = root / "sources"
    sources.mkdir()
    for name in HOSTILE_NAMES:  # the same plan three times: two are quoted as duplicates, not imported
        (sources / name).write_text(hostile_source(), encoding="utf-8")
    site = root / "site"
    (site / "plan_data").mkdir(parents=True)
    done = plansite("import", *sorted(str(p) for p in sources.iterdir()), "--school", "青禾区实验小学",
                    "--term", "2026秋", cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (site / "导入报告.md").read_text(encoding="utf-8")
    page = root / "www"
    page.mkdir()
    (page / "report.html").write_text(render(report), encoding="utf-8")
    return report, page


def test_hostile_names_and_lines_are_quoted(hostile_report):
    report, page = hostile_report
    text = BeautifulSoup((page / "report.html").read_text(encoding="utf-8"), "html.parser").get_text()
    for name in HOSTILE_NAMES:  # in the command, the duplicates' findings, the tables and the lists
        assert text.count(name) >= 3, name
    for line in ["[点我](javascript:alert(4))", "*强* _斜_", "[首页](javascript:alert(9))", "`` 粗 ``"]:
        assert line in text, line


def test_hostile_report_in_chromium_is_inert(hostile_report, browser):
    _, folder = hostile_report
    server = serve(folder)
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/report.html")
        page.wait_for_load_state("load")
        for link in page.locator("a").all():  # follow whatever link there is: none may run script
            link.click(timeout=2_000, no_wait_after=True)
        page.wait_for_timeout(300)
        elements = page.evaluate("[...document.body.querySelectorAll('*')].map(e => e.localName)")
        hrefs = page.evaluate("[...document.querySelectorAll('[href],[src]')].map(e => e.getAttribute('href') || e.getAttribute('src'))")
        assert dialogs == [] and errors == []
        assert hrefs == []  # the report links nowhere; a source's javascript: link least of all
        assert set(elements) <= {"h1", "h2", "h3", "p", "ul", "li", "code", "strong", "table", "thead", "tbody", "tr",
                                 "th", "td", "br"}, set(elements)
        assert page.locator("code", has_text="<img src=x onerror=alert(1)>").count() >= 1
    finally:
        context.close()
        server.shutdown()


# ------------------------------------------------------------------ the property


def review_quoting(t: str) -> Review:
    """A review in which every text the report quotes from a source is t."""
    return Review(
        plans=[{"id": "qinghe-2026-autumn", "file": t, "lines": "1-30", "title": t, "school": "qinghe",
                "school_from": "文字", "term": "2026年秋季学期", "term_from": "标题", "sections": 3, "months": 5,
                "items": 12, "projects": 1, "notes": [f"“{t}”的说明"]}],
        findings=[Finding(f"{t}:3", f"“{t}”与 {t}:1 的计划文字 90% 相同", f"plansite import {t} --school 学校全称",
                          blocking=False),
                  Finding("plan_data/schools/school-1.yml:1", f"{t} 第 1 行起的计划没有写明学校", f"把 name 改成{t}")],
        unplaced=[(t, 4, t, "没有月份，写进了工作措施")],
        noise=[(f"{t}:1", "网站附加文字", t)],
        lines=[(t, "行", 30, 27, 0, 1, 2)],
    )


def shape(report: str) -> list[str]:
    return [el.name for el in BeautifulSoup(markdown.markdown(report, extensions=EXTENSIONS), "html.parser").find_all(True)]


quoted_text = st.one_of(st.text(min_size=1, max_size=40),
                        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), min_size=1, max_size=8)
                        .map("".join))
BENIGN = shape(markdown_report(review_quoting("文字"), "plansite import 文字.txt"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quoted_text)
def test_any_quoted_text_renders_as_itself_and_adds_no_element(t):
    report = markdown_report(review_quoting(t), f"plansite import {t}")
    assert shape(report) == BENIGN  # no element but the report's own, in the same places
    soup = BeautifulSoup(markdown.markdown(report, extensions=EXTENSIONS), "html.parser")
    shown = plain_text(t)  # as one line: controls dropped, whitespace runs one space
    cells = soup.select("tbody td")
    assert cells[2].get_text() == shown and cells[1].get_text() == f"{shown}:1-30"  # the title, the file
    code = [c.get_text() for c in soup.select("li code")]
    assert plain_text(f"{t}:4") in code and plain_text(f"{t}:1") in code and plain_text(f"{t}:3") in code
    items = [li.get_text() for li in soup.select("li")]
    assert any(plain_text(f"{t}:4") in i and i.endswith(f"{shown} —— 没有月份，写进了工作措施") for i in items)
    assert f"命令：{plain_text(f'plansite import {t}')}" in soup.get_text()
    assert html.unescape(str(soup)).count("javascript:") == soup.get_text().count("javascript:")
