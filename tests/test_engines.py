"""Other engines than MkDocs 1.6: ProperDocs (runs the plugin) and Zensical (no plugins: builds
`plansite render` output). Each build is checked with our own link checker, served under a sub-path.

ProperDocs is in the test extras, so its test always runs. Zensical 0.0.x is installed into a venv
of its own (.cache/zensical) when the package registry has it; the test skips, saying why, when it
cannot be installed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, report, serve, wait_for
from linkcheck import check_site

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
ZENSICAL = "zensical>=0.0.73,<0.1"


def _engine_env() -> dict:
    # ProperDocs reads mkdocs.yml and asks to rename it; DISABLE_MKDOCS_2_WARNING quiets Material's banner
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", PYTHONUTF8="1")


def _files(site: Path) -> dict[str, bytes]:
    return {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*")) if f.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs(demo_site, tmp_path):
    try:
        import properdocs  # noqa: F401
    except ImportError:
        pytest.fail("ProperDocs is missing: .venv/bin/pip install -e '.[test]' (it is in the test extras)",
                    pytrace=False)
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(out)], capture_output=True, text=True, env=_engine_env(), cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    theirs, ours = _files(out), _files(demo_site)
    assert sorted(theirs) == sorted(ours)
    assert len(ours) > 100
    tags = 0
    for name, data in ours.items():
        # the one expected difference: <meta name="generator"> names the engine
        tags += len(GENERATOR.findall(data))
        assert GENERATOR.sub(b"", theirs[name]) == GENERATOR.sub(b"", data), name
    assert tags > 50 and b"ProperDocs" in theirs["index.html"]
    report(f"ProperDocs: {len(theirs)} files, the same bytes as MkDocs apart from {tags} generator tags")


def test_properdocs_serve_picks_up_a_plan_data_edit(tmp_path):
    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", project)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}",
                                 "--livereload"], cwd=project, stdout=out, stderr=subprocess.STDOUT, env=_engine_env())
    url = f"http://127.0.0.1:{port}/mini/schools/dongpo/"

    def shows(text: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                return text in r.read().decode("utf-8")
        except OSError:
            return False

    def wait(what: str, check, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if check():
                return
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}:\n{log.read_text(encoding='utf-8', errors='replace')[-2000:]}")

    try:
        wait("the first build", lambda: shows("测试区东坡小学"), 120)
        school = project / "plan_data" / "schools" / "dongpo.yml"
        school.write_text(school.read_text(encoding="utf-8").replace("name: 测试区东坡小学", "name: 测试区东坡实验小学"),
                          encoding="utf-8")
        wait("the rebuild after the edit", lambda: shows("测试区东坡实验小学"), 60)
        assert proc.poll() is None and "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def zensical() -> Path:
    """The zensical command from a venv of its own, made once; skip when the registry lacks it."""
    home = ROOT / ".cache" / "zensical"
    exe = home / "bin" / "zensical"
    if not exe.exists():
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(home)
            subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", ZENSICAL],
                           check=True, capture_output=True, text=True, timeout=600)
        except (subprocess.SubprocessError, OSError) as err:
            detail = getattr(err, "stderr", "") or str(err)
            pytest.skip(f"Zensical could not be installed ({ZENSICAL}): {detail.strip().splitlines()[-1:]}")
    return exe


@pytest.fixture(scope="module")
def zensical_site(zensical, tmp_path_factory) -> Path:
    """The demo's `plansite render` output, built by Zensical."""
    project = tmp_path_factory.mktemp("zensical") / "project"
    result = subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "render", "--config", str(ROOT / "mkdocs.yml"),
                             "--out", str(project)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    built = subprocess.run([str(zensical), "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml")],
                           capture_output=True, text=True, env=_engine_env(), cwd=project, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site"


def test_zensical_builds_the_render_output_without_broken_links(zensical, zensical_site):
    site = zensical_site
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert {"plans/qinghe-shixiao-2026-autumn/index.html", "compare/2026-autumn/index.html",
            "calendar/2026-09/index.html", "guide/schema/index.html"} <= pages
    for prefix in ("/", "/sub/path/"):
        links = check_site(site, prefix)
        assert links.checked > 1000
        assert links.broken == [], f"{prefix}:\n" + "\n".join(links.broken[:30])
    version = subprocess.run([str(zensical), "--version"], capture_output=True, text=True).stdout.strip()
    report(f"Zensical {version}: render output, {len(pages)} pages, {links.checked} links checked under /sub/path/, "
           "none broken")


@pytest.mark.browser
def test_the_pinyin_script_stays_out_of_zensicals_search(zensical_site, page):
    """Zensical's theme has its own search: the script rewrites nothing, says so, and breaks nothing."""
    server = serve(zensical_site)
    try:
        notes, errors = [], []
        page.on("console", lambda msg: notes.append(msg.text))
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        wait_for(page, "() => window.plansiteSearch !== undefined")
        assert page.evaluate("window.plansiteSearch.state()") == "waiting"
        page.wait_for_timeout(300)
        assert any(n.startswith("PlanSite") and "搜索框" in n for n in notes), notes
        assert errors == []
    finally:
        server.shutdown()
