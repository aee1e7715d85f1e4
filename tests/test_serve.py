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
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
