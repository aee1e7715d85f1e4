"""Shared test fixtures: real MkDocs builds, a static server on 127.0.0.1, a real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"


FIGURES: list[str] = []  # measurements tests report; printed at the end of every run (CI logs included)


def report(line: str) -> None:
    FIGURES.append(line)


def pytest_sessionfinish(session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: its figures go to the main process
        workeroutput["plansite_figures"] = list(FIGURES)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a worker has finished
def pytest_testnodedown(node, error) -> None:
    FIGURES.extend(getattr(node, "workeroutput", {}).get("plansite_figures", []))


def pytest_terminal_summary(terminalreporter) -> None:
    if FIGURES:
        terminalreporter.section("PlanSite figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# `make test-fast` runs the unit layer: every test that builds a site, runs a command in a
# subprocess or drives the browser is marked `site` (by what it calls, directly or through its
# fixtures), and `-m "not site"` leaves it out.
_HEAVY = ("run_mkdocs(", "build_site(", "subprocess.", "sync_playwright", "Popen(")
_KNOWN: dict = {}


def _heavy(func, seen: set) -> bool:
    """Whether a test function or fixture, or a helper of the tests it calls, runs something heavy."""
    if func in _KNOWN:
        return _KNOWN[func]
    if func in seen or not callable(func):
        return False
    seen.add(func)
    _KNOWN[func] = found = _scan(func, seen)
    return found


def _scan(func, seen: set) -> bool:
    import inspect
    import re

    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    if any(word in source for word in _HEAVY):
        return True
    names = getattr(func, "__globals__", {})
    for called in set(re.findall(r"\b([A-Za-z_]\w*)\(", source)):
        helper = names.get(called)
        module = getattr(helper, "__module__", "") or ""
        if inspect.isfunction(helper) and (module.startswith("test_") or module in ("conftest", "hostile", "linkcheck")):
            if _heavy(helper, seen):
                return True
    return False


# The files that take longest (a minute or more on two cores, from `--durations`), run first: with
# two workers taking a file at a time, a long file started last keeps one worker busy while the
# other has nothing left. Only the order changes.
LONG_FIRST = ["test_serve.py", "test_hostile.py", "test_newsite.py", "test_firstday_install.py", "test_bad_input.py",
              "test_readers_share.py", "test_incremental.py", "test_province.py", "test_render.py",
              "test_theme_overrides.py", "test_careless.py", "test_engines.py", "test_compare_fit.py", "test_inbox.py"]


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: n for n, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order
    for item in items:
        seen: set = set()
        funcs = [getattr(item, "function", None)]
        for defs in item._fixtureinfo.name2fixturedefs.values():
            funcs += [d.func for d in defs]
        if item.get_closest_marker("browser") or any(f is not None and _heavy(f, seen) for f in funcs):
            item.add_marker(pytest.mark.site)


def run_mkdocs(project: Path, site_dir: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A real `mkdocs build --strict` in a subprocess, as a user would run it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(site_dir), *extra],
        capture_output=True, text=True, env=env, cwd=project, timeout=300)


def build_site(project: Path, site_dir: Path) -> Path:
    result = run_mkdocs(project, site_dir)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture
def open_tmp():
    """A fresh folder that other users may pass through: under the system's temp folder, since
    every pytest session of the machine's user makes its own base folder private (0700) again."""
    folder = Path(tempfile.mkdtemp(prefix="plansite-test-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(folder: Path) -> list[str]:
    """The command that runs this Python as the user nobody (for whom root's folders are closed),
    with folder's ancestors opened for it to pass; skips the test where that cannot be done."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("running as another user needs root and setpriv")
    parent = folder
    while parent != parent.parent:
        os.chmod(parent, os.stat(parent).st_mode | 0o005)
        parent = parent.parent
    python = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable]
    if subprocess.run([*python, "-c", "import plansite.adapters.cli"], capture_output=True, env=dict(os.environ, HOME="/tmp"),
                      timeout=120).returncode:
        pytest.skip("nobody cannot read this checkout's Python or plansite (a private folder, e.g. mktemp -d)")
    return python


def built_once(tmp_path_factory, worker_id: str, name: str, project) -> Path:
    """A project (a folder, or a function making one in the folder it is given) built once for the
    whole run: with several workers (pytest-xdist), the first to ask builds it in the run's shared
    temp folder, and the others wait for it and read the same site."""
    def build(folder: Path) -> Path:
        return build_site(project if isinstance(project, Path) else project(folder / "project"), folder / "site")

    if worker_id == "master":
        return build(tmp_path_factory.mktemp(name))
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"  # the run's folder, above each worker's
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "built").exists():
            build(shared)
            (shared / "built").touch()
    return shared / "site"


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory, worker_id) -> Path:
    """The small Chinese fixture project, built once."""
    return built_once(tmp_path_factory, worker_id, "mini", FIXTURES / "mini")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, worker_id) -> Path:
    """The demo site in the repository, built once (tests read it, never change it)."""
    return built_once(tmp_path_factory, worker_id, "demo", ROOT)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path, port: int = 0):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def demo_url(demo_site):
    server = serve(demo_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"]

NO_BROWSER = """No Chromium could be started for the browser tests.
Get one in any of these ways, then run `make test` again:
  - Debian/Ubuntu, as root:  apt-get install -y chromium      (gives /usr/bin/chromium)
  - anywhere:                .venv/bin/python -m playwright install chromium
  - or point PLANSITE_CHROMIUM at a Chromium/Chrome executable.
Last error: {error}"""


def chromium_path() -> str | None:
    for candidate in (os.environ.get("PLANSITE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None  # let Playwright use its own download, if any


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        except Error as e:
            pytest.fail(NO_BROWSER.format(error=str(e).splitlines()[0]), pytrace=False)
        yield b
        b.close()


def wait_for(page, predicate: str, arg=None, timeout: float = 30_000) -> None:
    """page.wait_for_function for pages under the site's Content-Security-Policy: Playwright
    evaluates that predicate with eval() inside the page, which script-src 'self' refuses
    (microsoft/playwright#7395); page.evaluate is not subject to it, so poll with that."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise PlaywrightTimeout(f"{predicate} 在 {timeout / 1000:.0f} 秒内没有成立")
        page.wait_for_timeout(50)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    p = context.new_page()
    yield p
    context.close()
