"""`mkdocs serve` with bad data: it keeps running, shows the error, and recovers when the file is
fixed; with the demo in Chromium, an edit reloads the open page under the site's
Content-Security-Policy."""

from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import FIXTURES, ROOT, report


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_survives_bad_data_and_recovers(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", project)
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
                                cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/mini/plans/dongpo-2026-autumn/"  # served under site_url's path
    text = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731

    def page():
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        _wait(lambda: "Serving on" in text(), 120, "the first build")
        assert "制订教科室工作计划" in page()
        plan = project / "plan_data/plans/dongpo-2026-autumn.yml"
        good = plan.read_text(encoding="utf-8")
        plan.write_text(good.replace("school: dongpo", "school: dongpoo"), encoding="utf-8")
        _wait(lambda: "找不到学校 'dongpoo'" in text(), 60, "the error in the log")
        assert "plan_data/plans/dongpo-2026-autumn.yml:1 school" in text() and "Traceback" not in text()
        assert proc.poll() is None, "serve stopped on bad data"
        plan.write_text(good.replace("制订教科室工作计划", "制订本学期教科室工作计划"), encoding="utf-8")
        _wait(lambda: "制订本学期教科室工作计划" in page(), 60, "the fixed page")
        assert proc.poll() is None
    finally:
        _stop(proc)


def test_dirty_serve_rerenders_only_the_pages_an_edit_changes(tmp_path):
    """`mkdocs serve --dirty`: the edited plan's pages show the edit; pages it does not touch
    (the other school's plan, the data format guide) are not written again."""
    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", project)
    scratch = tmp_path / "tmp"  # serve's site folder and the plugin's page folder land here
    scratch.mkdir()
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", TMPDIR=str(scratch))
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}",
                                 "--livereload"], cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
    text = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731

    def page(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/mini/{path}", timeout=3) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        _wait(lambda: "Serving on" in text(), 120, "the first build")
        site = next(scratch.glob("mkdocs_*"))
        html = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}
        assert "plans/dongpo-2026-autumn/index.html" in html and len(html) > 15
        assert "制订教科室工作计划" in page("plans/dongpo-2026-autumn/")
        plan = project / "plan_data/plans/dongpo-2026-autumn.yml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("制订教科室工作计划", "制订本学期教科室工作计划"),
                        encoding="utf-8")
        _wait(lambda: text().count("Documentation built") >= 2, 60, "the rebuild")
        assert "制订本学期教科室工作计划" in page("plans/dongpo-2026-autumn/")
        after = {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}
        rewritten = sorted(p for p in html if after.get(p) != html[p])
        assert "plans/dongpo-2026-autumn/index.html" in rewritten
        for untouched in ("plans/xiyuan-2027-spring/index.html", "schools/xiyuan/index.html", "guide/schema/index.html"):
            assert untouched in html and untouched not in rewritten, rewritten
        assert len(rewritten) < len(html) / 2, rewritten
        assert "Traceback" not in text() and proc.poll() is None
    finally:
        _stop(proc)


@pytest.mark.browser
@pytest.mark.parametrize("options", [[], ["--dirty"]], ids=["serve", "make-serve"])
def test_an_edit_reloads_the_open_page_under_the_policy(browser, tmp_path, options):
    """`mkdocs serve` adds an inline reload script to every page it serves; the page's policy
    admits exactly that script (by its hash, only when served), so the open page reloads after an
    edit and the console reports no refusal. With `make serve`'s options too (--dirty, and the
    PLANSITE_PREVIEW it sets, empty without SCHOOL=)."""
    project = tmp_path / "demo"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    for folder in ("docs", "plan_data"):
        shutil.copytree(ROOT / folder, project / folder)
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", PLANSITE_PREVIEW="", TMPDIR=str(tmp_path))
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}",
                                 "--livereload"], cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
    text = lambda: log.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    path = "plans/qinghe-shixiao-2026-autumn/"
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        _wait(lambda: "Serving on" in text(), 120, "the first build")
        built = html.unescape((next(tmp_path.glob("mkdocs_*")) / path / "index.html").read_text(encoding="utf-8"))
        assert "script-src 'self';" in built and "sha256-" not in built  # the built file admits no inline script
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.goto(f"http://127.0.0.1:{port}/{path}")
        _in_page(page, lambda: "Enabled live reload" in console, 10, "the reload script to run")
        served = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert served.count() == 1 and "'sha256-" in served.get_attribute("content")
        assert "研读新课标" not in page.locator("article").inner_text()
        page.evaluate("window.__before_edit = true")
        plan = project / "plan_data/plans/qinghe-2026-autumn.yml"
        edit = plan.read_text(encoding="utf-8").replace("- 完善教科研常规管理", "- 研读新课标，完善教科研常规管理")
        plan.write_text(edit, encoding="utf-8")
        edited = time.monotonic()
        _in_page(page, lambda: page.evaluate("window.__before_edit !== true && document.readyState === 'complete'"),
                 10, "the page to reload")
        waited = time.monotonic() - edited
        assert "研读新课标" in page.locator("article").inner_text()
        assert console.count("Enabled live reload") == 2  # the reloaded page listens again
        assert [m for m in console if "Content Security Policy" in m] == []
        assert "Traceback" not in text() and proc.poll() is None
        report(f"mkdocs serve {' '.join(options)} of the demo in Chromium: the open page reloaded "
               f"{waited:.1f} s after an edit")
    finally:
        context.close()
        _stop(proc)


def _in_page(page, predicate, timeout: float, what: str) -> None:
    """_wait for a condition on a page in Chromium: Playwright delivers the page's events while it
    waits, and a page in the middle of reloading counts as not yet."""
    from playwright.sync_api import Error

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return
        except Error:  # the page is navigating
            pass
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:
    """End a `mkdocs serve` started by a test, killing it if it does not stop in time."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
