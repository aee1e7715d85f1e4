"""`mkdocs serve` with bad data: it keeps running, shows the error, and recovers when the file is fixed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import FIXTURES


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


def _stop(proc: subprocess.Popen) -> None:
    """End a `mkdocs serve` started by a test, killing it if it does not stop in time."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
