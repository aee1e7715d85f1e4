"""Hostile hands: every plain-text field holds a script or markup payload. Built for real with
MkDocs + Material (plugin), through `plansite render` + a plain MkDocs build, and loaded in
Chromium with alert/confirm/prompt and other origins trapped, with and without the CSP."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import run_mkdocs, serve
from hostile import PAGES, PAYLOADS, benign, cycling, visit, write_project


def _build(project: Path, site: Path) -> Path:
    result = run_mkdocs(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return _build(write_project(root / "p", cycling()), root / "site")


@pytest.fixture(scope="module")
def benign_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("benign")
    return _build(write_project(root / "p", benign, prose="本学期，教科室继续推进课题研究。\n\n## 二、措施\n\n- 第一条\n"),
                  root / "site")


@pytest.fixture(scope="module")
def rendered_site(tmp_path_factory) -> Path:
    """plansite render of the hostile project, then a plain `mkdocs build` without the plugin."""
    root = tmp_path_factory.mktemp("rendered")
    project = write_project(root / "p", cycling())
    out = root / "out"
    result = subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "render", "--config", str(project / "mkdocs.yml"),
                             "--out", str(out)], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return _build(out, root / "site")


@dataclass
class Pages:
    """What the tests below read from a built site's pages, each page parsed once."""

    shape: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)  # (element, attribute names) -> a page
    attributes: list[tuple[str, str, str, str]] = field(default_factory=list)  # page, element, name, value
    titles: dict[str, int] = field(default_factory=dict)  # page -> <title> count in its head
    scripts: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)  # page, src, type, start
    policies: dict[str, str | None] = field(default_factory=dict)  # page -> its CSP meta content
    repeated_ids: dict[str, list[str]] = field(default_factory=dict)


@lru_cache(maxsize=None)
def pages(site: Path) -> Pages:
    out = Pages()
    for f in sorted(site.rglob("*.html")):
        page = str(f.relative_to(site))
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
        for el in soup.find_all(True):
            out.shape.setdefault((el.name, tuple(sorted(el.attrs))), page)
            for name, value in el.attrs.items():
                out.attributes.append((page, el.name, name, " ".join(value) if isinstance(value, list) else value))
        out.titles[page] = len(soup.head.find_all("title")) if soup.head else 0
        out.scripts += [(page, s.get("src"), s.get("type"), str(s)[:200]) for s in soup.find_all("script")]
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        out.policies[page] = meta["content"] if meta is not None else None
        ids = Counter(el["id"] for el in soup.find_all(id=True))
        out.repeated_ids[page] = [i for i, n in ids.items() if n > 1]
    return out


@pytest.mark.parametrize("which", ["hostile_site", "rendered_site"])
def test_no_element_or_attribute_the_clean_site_lacks(which, benign_site, request):
    site = request.getfixturevalue(which)
    clean = pages(benign_site).shape
    extra = {k: v for k, v in pages(site).shape.items() if k not in clean}
    assert not extra, extra
    for page, tag, name, value in pages(site).attributes:
        assert not name.startswith("on"), (page, tag, name)
        assert name not in ("autofocus", "tabindex") or tag in ("input", "figure", "button", "a", "div", "label"), (page, tag, name)
        if name in ("href", "src", "action", "formaction", "data"):
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (page, tag, value)


@pytest.mark.parametrize("which", ["hostile_site", "rendered_site"])
def test_titles_and_scripts_hold_no_payload(which, request):
    site = request.getfixturevalue(which)
    found = pages(site)
    assert len(found.titles) > 15
    assert {page: n for page, n in found.titles.items() if n != 1} == {}
    for page, src, kind, start in found.scripts:
        # no inline script at all: only files, and data blocks that never execute
        assert src or kind == "application/json", (page, start)
        assert "alert(" not in (src or ""), page
    school = BeautifulSoup((site / "schools/alpha/index.html").read_text(encoding="utf-8"), "html.parser")
    assert school.title.string.startswith(PAYLOADS[0].split("{")[0])  # the name reads as written, as text
    assert "{: tabindex=0" in school.title.string


def test_every_page_carries_the_csp(hostile_site):
    for page, policy in pages(hostile_site).policies.items():
        assert policy is not None and "script-src 'self'" in policy, page


def test_feeds_hold_text_without_controls(hostile_site):
    for f in sorted((hostile_site / "calendar").rglob("*.ics")):
        raw = f.read_bytes().decode("utf-8")
        assert not any(ord(c) < 32 and c not in "\r\n\t" for c in raw), f
        cal = Calendar.from_ical(raw)
        assert cal.walk("VEVENT") or "feeds" in f.parts


def test_ids_are_unique_on_every_page(hostile_site):
    assert {page: ids for page, ids in pages(hostile_site).repeated_ids.items() if ids} == {}


# ------------------------------------------------------------------ in Chromium

@pytest.mark.browser
def test_no_payload_runs_with_the_csp(browser, hostile_site):
    server = serve(hostile_site)
    try:
        fired, outside, violations = visit(browser, f"http://127.0.0.1:{server.server_address[1]}/", PAGES)
    finally:
        server.shutdown()
    assert fired == [] and outside == []
    # the site itself needs no inline script: nothing of its own was refused
    assert violations == [], violations[:3]


@pytest.mark.browser
def test_no_payload_runs_without_the_csp(browser, tmp_path):
    site = _build(write_project(tmp_path / "p", cycling(), csp=False), tmp_path / "site")
    assert "Content-Security-Policy" not in (site / "index.html").read_text(encoding="utf-8")
    server = serve(site)
    try:
        fired, outside, _ = visit(browser, f"http://127.0.0.1:{server.server_address[1]}/", PAGES)
    finally:
        server.shutdown()
    assert fired == [] and outside == []


@pytest.mark.browser
def test_rendered_site_runs_no_payload(browser, rendered_site):
    server = serve(rendered_site)
    try:
        fired, outside, violations = visit(browser, f"http://127.0.0.1:{server.server_address[1]}/", PAGES[:8])
    finally:
        server.shutdown()
    assert fired == [] and outside == [] and violations == []


@pytest.mark.browser
def test_material_works_under_the_csp(browser, hostile_site):
    """Search, the palette script and the agenda run from files: the CSP costs the site nothing."""
    server = serve(hostile_site)
    try:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        assert page.evaluate("typeof __md_get === 'function' && typeof __md_scope === 'object'")
        box = page.locator("input[data-md-component=search-query]")
        box.click()
        box.fill("读书交流")
        box.press("End")  # Material searches on keyup
        results = page.locator(".md-search-result__list > li > a")
        results.first.wait_for(timeout=15000)
        assert results.count() >= 1
        assert refused == []
        context.close()
    finally:
        server.shutdown()
