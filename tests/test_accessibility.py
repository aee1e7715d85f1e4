"""axe-core in a real Chromium on the six kinds of page: no serious or critical violation.

axe-core comes from npm into .cache/npm (`make axe`, run by `make test` before pytest); it is
injected into each page from that file, so nothing is fetched while the test runs. Without it
the test fails and says how to get it: an accessibility check that skips itself is no check.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT
from page_kinds import page_kinds

pytestmark = pytest.mark.browser

KINDS = ("home", "school", "plan", "month", "project", "compare")
BLOCKING = ("serious", "critical")

NO_AXE = """axe-core is missing: {path}
Get it with either of these, then run the tests again:
  - make axe          (what `make test` does: npm install --no-save --prefix .cache/npm axe-core@4)
  - npm install --no-save --prefix {root}/.cache/npm axe-core@4
  - or point PLANSITE_AXE at an axe.min.js."""


def axe_script() -> Path:
    path = Path(os.environ.get("PLANSITE_AXE") or ROOT / ".cache/npm/node_modules/axe-core/axe.min.js")
    if not path.is_file():
        pytest.fail(NO_AXE.format(path=path, root=ROOT), pytrace=False)
    return path


def run_axe(page) -> list[dict]:
    # evaluate, not add_script_tag: the site's Content-Security-Policy refuses an inline <script>,
    # and DevTools evaluation is not subject to it
    page.evaluate(axe_script().read_text(encoding="utf-8") + "\n;undefined")
    # WCAG 2.1 A/AA rules plus axe's best practices (landmarks, heading order, …).
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")
    return result


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} 处)")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}\n      {node['summary'].replace(chr(10), chr(10) + '      ')}")
    return "\n".join(lines)


SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violations(browser, demo_url, demo_site, kind, screen):
    """At desktop and phone width: a phone lays pages out differently (charts and tables scroll)."""
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone", has_touch=screen == "phone",
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    url = demo_url + page_kinds(demo_site)[kind]
    try:
        response = page.goto(url)
        assert response is not None and response.ok, url
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    finally:
        context.close()
    assert violations == [], f"{url} ({screen}):\n{describe(violations)}"


def test_missing_axe_fails_with_instructions(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANSITE_AXE", str(tmp_path / "axe.min.js"))
    with pytest.raises(pytest.fail.Exception) as failed:
        axe_script()
    assert "make axe" in str(failed.value) and "npm install" in str(failed.value)
