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
import re
import time
import urllib.error
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
                 30, "the page to reload")  # a full rebuild on a busy machine; the time is reported, not judged
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


def _rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _serve(project, tmp_path, *flags: str):
    """`mkdocs serve` (verbose) of a project; returns the process, its port and a reader of its log."""
    port = _free_port()
    log = tmp_path / "serve.log"
    # unbuffered: the log is read while serve runs, and its last lines must not wait in a buffer
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", PYTHONUNBUFFERED="1",
               SITE_URL=f"http://127.0.0.1:{port}/")
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *flags, "-v", "-a", f"127.0.0.1:{port}",
                                 "--livereload"], cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
    return proc, port, lambda: log.read_text(encoding="utf-8", errors="replace")


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:
        return 0, ""


def _demo_copy(tmp_path):
    from conftest import ROOT

    project = tmp_path / "demo"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "plan_data"):
        shutil.copytree(ROOT / folder, project / folder)
    return project


def _twenty_edits(project, port, text, proc, plan="qinghe-2026-autumn", page="qinghe-shixiao-2026-autumn") -> list[float]:
    """Twenty edits of one plan item in a row: each shows in the served page. Returns the serve
    process's resident memory (MB) after the first build and after each edit."""
    plan = project / f"plan_data/plans/{plan}.yml"
    url = f"http://127.0.0.1:{port}/{page}/"
    _wait(lambda: "Serving on" in text(), 180, "the first build")
    status, page = _fetch(url)
    assert status == 200, text()[-2000:]
    first = re.search(r"^      - (?:text: )?(.+)$", plan.read_text(encoding="utf-8"), re.M).group(1)
    memory = [_rss_mb(proc.pid)]
    previous = first
    for n in range(1, 21):
        marker = f"第{n}次修改的虚构活动"
        plan.write_text(plan.read_text(encoding="utf-8").replace(previous, f"'{marker}'", 1), encoding="utf-8")
        previous = f"'{marker}'"
        _wait(lambda: marker in _fetch(url)[1], 60, f"edit {n} in the served page")
        memory.append(_rss_mb(proc.pid))
    assert "Traceback" not in text() and proc.poll() is None
    return memory


def test_serve_clean_shows_twenty_edits_without_forking_beside_its_threads(tmp_path):
    """MkDocs reports `serve --clean` to plugins as `build`: its rebuilds run beside the watcher and
    reload threads, so they make everything in one process (a fork there can deadlock). Every
    rebuild is a full build here, so the small fixture site keeps the twenty quick."""
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    proc, port, text = _serve(project, tmp_path, "--clean")
    try:
        _twenty_edits(project, port, text, proc, "dongpo-2026-autumn", "mini/plans/dongpo-2026-autumn")
        started = re.findall(r"第二个进程已启动（(\w+)），启动时线程数 (\d+)", text())
        # only the first build, before the server's threads start, may start a second process
        assert started in ([], [("fork", "1")]), started
    finally:
        _stop(proc)


def test_make_serve_shows_edits_keeps_memory_flat_and_drops_removed_pages(tmp_path):
    """`make serve` (`mkdocs serve --dirty`): twenty edits each shown; memory after them within 15 %
    of after the first build (each rebuild's garbage is collected); a removed plan's page and a
    school's old address (its URL name changed) answer 404, as does its old feed."""
    project = _demo_copy(tmp_path)
    proc, port, text = _serve(project, tmp_path, "--dirty")
    base = f"http://127.0.0.1:{port}/"
    try:
        memory = _twenty_edits(project, port, text, proc, page="plans/qinghe-shixiao-2026-autumn")
        assert memory[-1] <= memory[0] * 1.15, f"resident memory grew from {memory[0]:.0f} MB to {memory[-1]:.0f} MB: {memory}"
        gone = ["plans/yuying-zhongxue-2026-spring/", "schools/qinghe-shixiao/", "calendar/feeds/qinghe-shixiao.ics"]
        assert all(_fetch(base + path)[0] == 200 for path in gone)
        builds = text().count("Documentation built")
        for suffix in (".yml", ".md"):
            (project / f"plan_data/plans/yuying-2026-spring{suffix}").unlink()
        school = project / "plan_data/schools/qinghe-shixiao.yml"
        school.write_text(school.read_text(encoding="utf-8") + "slug: qinghe-xin\n", encoding="utf-8")
        _wait(lambda: _fetch(base + "schools/qinghe-xin/")[0] == 200, 60, "the school's new address")
        _wait(lambda: text().count("Documentation built") > builds, 60, "the rebuild")
        assert {path: _fetch(base + path)[0] for path in gone} == {path: 404 for path in gone}
        assert _fetch(base + "calendar/feeds/qinghe-xin.ics")[0] == 200
        assert "Traceback" not in text() and proc.poll() is None
    finally:
        _stop(proc)
