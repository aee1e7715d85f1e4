"""A teacher edits a plan in the browser: `plansite edit` in a site made by `plansite new` with an
imported plan, the editor at /admin/ in real Chromium with every host but 127.0.0.1 unreachable.
One site, one `plansite edit`, one browser context for the whole module.

The teacher opens the plan, adds an item under a month and saves: the YAML on disk has it,
`plansite check` passes, the preview page shows it; a new plan gets an ASCII file name; no request
leaves 127.0.0.1 and the editor's policy refuses nothing it needs. The screenshot the guide shows
(docs/guide/editor.png) is taken here: written to test-artifacts/ on every run, and into the guide
when it is missing or PLANSITE_SCREENSHOTS=1.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ARTIFACTS, FIXTURES, ROOT, report
from plansite.adapters.cli import main
from plansite.input.load import load_plan_data
from test_newsite import OUR_URL, plansite
from test_serve import _free_port, _stop, _wait

pytestmark = pytest.mark.browser

GUIDE_SHOT = ROOT / "docs" / "guide" / "editor.png"
PLAN = "qinghequ-shiyan-xiaoxue-2026-autumn"
NEW_ITEM = "教科室组织“家校共读”主题沙龙。"


@pytest.fixture(scope="module")
def edit(tmp_path_factory):
    """(site folder, http://127.0.0.1:port/, the offending requests list) of a running `plansite edit`."""
    tmp = tmp_path_factory.mktemp("edit")
    site = tmp / "our-site"
    made = plansite("new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学", "--site-url", OUR_URL, cwd=tmp)
    assert made.returncode == 0, made.stderr
    imported = plansite("import", str(FIXTURES / "importer" / "single.txt"), "--school", "青禾区实验小学",
                        "--term", "2026秋", cwd=site)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    with serving(site, tmp) as (base, log):
        yield site, base, log


@contextlib.contextmanager
def serving(site: Path, tmp: Path):
    """(http://127.0.0.1:port/, its log) of `plansite edit` running on a site, stopped after;
    its log never shows a traceback."""
    port = _free_port()
    log = tmp / "edit.log"
    env = dict(os.environ, PYTHONUTF8="1")
    env.pop("SITE_URL", None)
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([str(Path(sys.executable).parent / "plansite"), "edit", str(site), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait(lambda: "编辑器：" in log.read_text(encoding="utf-8") or proc.poll() is not None, 180, "plansite edit")
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        assert f"http://127.0.0.1:{port}/admin/" in log.read_text(encoding="utf-8")
        yield f"http://127.0.0.1:{port}/", log
    finally:
        _stop(proc)
    assert proc.returncode is not None
    assert "Traceback" not in log.read_text(encoding="utf-8")


def offline_context(browser, outside: list[str]):
    """A browser context in which every request off 127.0.0.1 is aborted and listed in outside."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1100, "height": 760},
                                  service_workers="block")

    def gate(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    return context


@pytest.fixture(scope="module")
def teacher(edit, browser):
    """(the editor's page, signed in; requests that tried to leave 127.0.0.1; policy refusals), in
    a context of its own: the preview opens in another, so the editor's tab is never in the background."""
    _, base, _ = edit
    outside: list[str] = []
    refused: list[str] = []
    context = offline_context(browser, outside)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())  # Decap asks before leaving unsaved changes
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)) if "Content Security Policy" in str(e) else None)
    page.goto(base + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("工作计划", exact=True).first.wait_for()
    yield page, outside, refused
    context.close()


def month_box(page, label: str):
    """The folded month of the schedule list: its summary line's parent is the list entry."""
    return page.get_by_text(label, exact=True).locator("xpath=..")


def test_teacher_adds_an_item_under_a_month_and_the_preview_shows_it(edit, teacher, browser):
    site, base, log = edit
    page, outside, refused = teacher
    body = page.locator("body").inner_text()
    for word in ("内容", "媒体", "工作计划", "学校", "课题", "活动类别"):  # the Chinese interface
        assert word in body, word
    page.get_by_text("青山小学教科室工作计划（2026秋）").click()
    page.get_by_text("十月", exact=True).wait_for()
    assert page.get_by_text("指导思想 (可选)").count() == 1 and page.get_by_text("行事历 (可选)").count() == 1
    october = month_box(page, "十月")
    october.locator("button").first.click()  # unfold the month
    october.get_by_role("button", name="新增工作", exact=True).click()
    texts = october.get_by_label("工作内容")
    texts.nth(texts.count() - 1).fill(NEW_ITEM)
    dates = october.get_by_label("日期 (可选)")
    dates.nth(dates.count() - 1).fill("10月30日")
    dates.nth(dates.count() - 1).scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "editor.png"
    page.screenshot(path=str(shot))
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.get_by_text("内容已保存").wait_for(timeout=20_000)
    saved = time.monotonic()

    plan_file = site / "plan_data" / "plans" / f"{PLAN}.yml"
    assert NEW_ITEM in plan_file.read_text(encoding="utf-8")
    result = load_plan_data(site / "plan_data")
    assert result.errors == []
    plan = result.data.plans[PLAN]
    october_items = next(b for b in plan.schedule if b.label == "十月").items
    assert october_items[-1].text == NEW_ITEM and october_items[-1].date.start.isoformat() == "2026-10-30"
    assert main(["check", str(site / "plan_data")]) == 0

    # the preview rebuilds (through the engine: only what the edit changed) and serves it, then shows it
    url = base + f"plans/{plan.slug}/"

    def served() -> bool:
        with urllib.request.urlopen(url, timeout=30) as response:
            return NEW_ITEM in response.read().decode("utf-8")

    _wait(served, 60, "the saved item in the preview's page")
    seconds = time.monotonic() - saved
    preview_context = offline_context(browser, outside)
    preview = preview_context.new_page()
    preview.goto(url)
    assert NEW_ITEM in preview.locator("body").inner_text()
    preview_context.close()
    assert outside == [], outside
    assert refused == [], refused
    if not GUIDE_SHOT.exists() or os.environ.get("PLANSITE_SCREENSHOTS") == "1":
        shutil.copy(shot, GUIDE_SHOT)
    report(f"editor: an item added in Chromium is on disk, and served by the preview {seconds:.1f} s after the save; "
           f"{len(outside)} requests off 127.0.0.1; {shot.stat().st_size // 1024} KB screenshot")


def test_a_new_plan_gets_an_ascii_file_name(edit, teacher):
    site, base, _ = edit
    page, outside, refused = teacher
    page.goto(base + "admin/#/collections/plans/new")
    page.get_by_label("学校").first.click()
    page.get_by_text("青禾区实验小学", exact=True).last.click()
    page.get_by_label("学期", exact=True).fill("2027春")
    page.get_by_label("计划标题").fill("青禾区实验小学2027年春季教科室工作计划")
    page.get_by_role("button", name="新增行事历", exact=True).click()
    page.get_by_label("月份", exact=True).fill("三月")
    page.get_by_role("button", name="新增工作", exact=True).click()
    page.get_by_label("工作内容").fill("春季教科研工作会议。")
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    # saved, Decap opens the new entry under its file name (the last test's 内容已保存 may still be showing)
    page.wait_for_url("**/collections/plans/entries/qinghequ-shiyan-xiaoxue-2027-spring", timeout=20_000)
    new = site / "plan_data" / "plans" / "qinghequ-shiyan-xiaoxue-2027-spring.yml"
    assert all(p.name.isascii() for p in (site / "plan_data").rglob("*"))
    result = load_plan_data(site / "plan_data")
    assert result.errors == [] and result.data.plans["qinghequ-shiyan-xiaoxue-2027-spring"].office == "教科室"
    assert outside == [] and refused == []
