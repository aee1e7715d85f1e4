"""The GitHub Actions workflows: Pages is published only after the tests and the strict build pass.

Parsed with PyYAML (actionlint's PyPI wrapper downloads its binary at install time, which a
machine without GitHub access cannot do), then checked for what matters: the trigger, the
permissions Pages needs, the order of the steps, the real site_url and a reproducible date.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.fixture(scope="module")
def pages() -> dict:
    return load("pages.yml")


def _uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def _index(steps: list[dict], what: str, predicate) -> int:
    found = [n for n, step in enumerate(steps) if predicate(step)]
    assert len(found) == 1, f"expected one step that {what}, found {len(found)}"
    return found[0]


def test_pages_runs_on_push_to_main(pages):
    assert pages["on"]["push"]["branches"] == ["main"]
    assert "pull_request" not in pages["on"], "pull requests must not deploy"


def test_pages_permissions(pages):
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    for job in pages["jobs"].values():
        assert "permissions" not in job, "a job-level permissions block would replace the workflow's"


def test_tests_and_strict_build_come_before_upload_and_deploy(pages):
    build = pages["jobs"]["build"]["steps"]
    checkout = _index(build, "checks out", lambda s: _uses(s) == "actions/checkout")
    python = _index(build, "sets up Python 3.11", lambda s: _uses(s) == "actions/setup-python")
    assert str(build[python]["with"]["python-version"]) == "3.11"
    tests = _index(build, "runs make test", lambda s: re.search(r"(^|\s)make test(\s|$)", s.get("run", "")))
    configure = _index(build, "configures Pages", lambda s: _uses(s) == "actions/configure-pages")
    strict = _index(build, "builds strictly",
                    lambda s: re.search(r"(^|\s)(make build|\S*mkdocs build --strict)(\s|$)", s.get("run", "")))
    upload = _index(build, "uploads the site", lambda s: _uses(s) == "actions/upload-pages-artifact")
    assert checkout < python < tests < strict < upload and configure < strict
    assert build[upload]["with"]["path"] == "site"
    for step in build[tests:upload]:
        assert "continue-on-error" not in step and "|| true" not in step.get("run", ""), step

    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert deploy["environment"]["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in deploy["environment"]["url"]
    (step,) = deploy["steps"]
    assert _uses(step) == "actions/deploy-pages" and step["id"] == "deployment"


def test_make_build_is_mkdocs_build_strict():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe and re.search(r"mkdocs build --strict(\s|$)", recipe.group(1))


def test_build_uses_the_pages_url_and_the_commit_date(pages):
    build = pages["jobs"]["build"]["steps"]
    configure = next(s for s in build if _uses(s) == "actions/configure-pages")
    strict = next(s for s in build if "make build" in s.get("run", "") or "mkdocs build" in s.get("run", ""))
    assert f"steps.{configure['id']}.outputs.base_url" in strict["env"]["SITE_URL"]
    assert re.search(r"SOURCE_DATE_EPOCH=\"?\$\(git log -1 --format=%ct\)", strict["run"])
    assert "export SOURCE_DATE_EPOCH" in strict["run"]
    # mkdocs.yml takes site_url from SITE_URL, with the demo address when it is not set
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r'^site_url: !ENV \[SITE_URL, "https?://[^"]+/"\]$', mkdocs, re.M)


def test_every_action_is_pinned_to_a_version():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load(path.name)
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), (path.name, step["uses"])


def test_a_push_to_main_is_tested_once():
    """test.yml covers pull requests and other branches; pages.yml covers main."""
    test = load("test.yml")
    assert "pull_request" in test["on"]
    push = test["on"].get("push") or {}
    assert "main" in push.get("branches-ignore", []) and "branches" not in push
    steps = test["jobs"]["test"]["steps"]
    assert any("make test" in s.get("run", "") for s in steps)
    assert any("make build" in s.get("run", "") for s in steps)


def test_makefile_test_gets_axe_before_pytest():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^test:(.*)$", makefile, re.M).group(1).split()
    assert "axe" in prerequisites
    assert re.search(r"npm install --no-save .*--prefix \.cache/npm axe-core@4", makefile)
