"""A province repository made by `plansite new --province`: its workflows pass actionlint, and their
commands, run exactly as the workflows write them for two districts, build the districts and the
portal; `plansite portal --build-districts -j 2` does the same on one machine, a district that fails
to build included; in Chromium a school found by its initials opens in its district site, and every
link of the portal into the district sites resolves."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, serve, wait_for
from linkcheck import check_site

BIN = Path(sys.executable).parent
HOSTS = {"github": ".github/workflows/portal.yml", "gitea": ".gitea/workflows/portal.yml"}


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


def step(job: dict, name: str) -> dict:
    (found,) = [s for s in job["steps"] if s.get("name") == name]
    return found


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict:
    """The repository, two generated districts in it (served on 127.0.0.1 at the sites districts.yml
    names), the matrix job's, both build jobs' and the portal job's commands run as written."""
    base = tmp_path_factory.mktemp("province")
    made = run([str(BIN / "plansite"), "new", "prov", "--province", "江南省"], base)
    assert made.returncode == 0, made.stderr
    root = base / "prov"
    servers = {}
    for did, prefix in (("qinghe", "qh-"), ("donghu", "dh-")):
        made = run([sys.executable, str(ROOT / "scripts/gen_corpus.py"), "--schools", "2", "--seed", str(len(servers) + 1),
                    "--prefix", prefix, "--out", str(root / "districts" / did)], root)
        assert made.returncode == 0, made.stderr
        (root / "build" / did).mkdir(parents=True)
        servers[did] = serve(root / "build" / did)
    names = {"qinghe": "清河区", "donghu": "东湖区"}
    with (root / "districts.yml").open("a", encoding="utf-8") as f:  # after the written comments and `districts: []`
        f.write("".join(f"  - id: {did}\n    name: {names[did]}\n    city: 江东市\n    source: districts/{did}\n"
                        f"    site: http://127.0.0.1:{s.server_address[1]}/\n" for did, s in servers.items()))
    text = (root / "districts.yml").read_text(encoding="utf-8").replace("districts: []\n", "districts:\n")
    (root / "districts.yml").write_text(text, encoding="utf-8")
    workflows = {host: load_workflow(root / path) for host, path in HOSTS.items()}
    yield {"root": root, "servers": servers, "workflows": workflows}
    for s in servers.values():
        s.shutdown()


def test_the_workflows_pass_actionlint(province):
    actionlint = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    assert actionlint, "actionlint is missing: pip install -e '.[test]' installs it"
    lint = run([actionlint, "-no-color", *HOSTS.values()], province["root"])
    assert lint.returncode == 0, lint.stdout + lint.stderr
    for host, workflow in province["workflows"].items():
        jobs = workflow["jobs"]
        assert sorted(jobs) == sorted(["matrix", "build-1", "build-2", "build-3", "build-4", "portal"]
                                      + (["deploy"] if host == "github" else []))
        for n in range(1, 5):
            assert jobs[f"build-{n}"]["strategy"]["matrix"]["district"] == "${{ fromJSON(needs.matrix.outputs.batch%d) }}" % n
            assert jobs[f"build-{n}"]["if"] == f"needs.matrix.outputs.batch{n} != '[]'"
        assert jobs["portal"]["needs"] == ["matrix", "build-1", "build-2", "build-3", "build-4"]
        uses = [s.get("uses", "") for job in jobs.values() for s in job["steps"]]
        artifacts = [u for u in uses if "artifact" in u and "pages" not in u]
        if host == "gitea":
            assert artifacts == [], "Gitea's artifact server fails with upload-artifact@v4 and later"
        else:
            assert set(artifacts) == {"actions/upload-artifact@v6", "actions/download-artifact@v7"}


@pytest.fixture(scope="module")
def ci_run(province) -> dict:
    root, github = province["root"], province["workflows"]["github"]
    output = root / "github_output"
    matrix = run(["bash", "-e", "-c", step(github["jobs"]["matrix"], "区县矩阵")["run"]], root,
                 env={"GITHUB_OUTPUT": str(output)})
    assert matrix.returncode == 0, matrix.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    batch = json.loads(outputs["batch1"])
    build = step(github["jobs"]["build-1"], "构建区县网站")
    for district in batch:  # what the runner does for each matrix entry: the step's env, its script
        env = {k: v.replace("${{ matrix.district.id }}", district["id"]).replace("${{ matrix.district.path }}", district["path"])
               for k, v in build["env"].items()}
        done = run(["bash", "-e", "-c", build["run"]], root, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    shutil.copytree(root / "portal-input", root / "sites", dirs_exist_ok=True)  # download-artifact, merge-multiple
    portals = {}
    for host, workflow in province["workflows"].items():
        done = run(["bash", "-e", "-c", step(workflow["jobs"]["portal"], "构建门户")["run"]], root)
        assert done.returncode == 0, done.stdout + done.stderr
        portals[host] = root / f"site-{host}"
        shutil.move(root / "site", portals[host])
    return {"outputs": outputs, "batch": batch, "portals": portals}


def test_the_matrix_job_emits_the_districts(ci_run):
    assert [d["id"] for d in ci_run["batch"]] == ["qinghe", "donghu"]
    assert ci_run["batch"][0] == {"id": "qinghe", "name": "清河区", "path": "districts/qinghe", "repository": "", "ref": ""}
    assert [ci_run["outputs"][f"batch{n}"] for n in (2, 3, 4)] == ["[]"] * 3 and ci_run["outputs"]["count"] == "2"


def _rows(index: Path) -> dict[str, list[str]]:
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    return {r.select("td")[0].get_text(): [td.get_text() for td in r.select("td")] for r in soup.select("article table tr")[1:]}


def test_the_portal_job_builds_the_portal_from_both_districts(province, ci_run):
    for host, site in ci_run["portals"].items():
        rows = _rows(site / "index.html")
        assert rows["清河区"][1] == rows["东湖区"][1] == "2", (host, rows)
        assert rows["清河区"][5].startswith("最新") and rows["东湖区"][5].startswith("最新"), (host, rows)
    # GitHub reads this run's artifacts, Gitea the published sites: the same data, the same pages
    assert ((ci_run["portals"]["github"] / "districts" / "qinghe" / "index.html").read_bytes()
            == (ci_run["portals"]["gitea"] / "districts" / "qinghe" / "index.html").read_bytes())


def test_build_districts_side_by_side_with_one_failing(province, tmp_path):
    root = tmp_path / "prov"
    shutil.copytree(province["root"], root, ignore=shutil.ignore_patterns("build", "sites", "site-*", "portal-input",
                                                                            ".plansite-portal"))
    broken = root / "districts" / "broken"
    shutil.copytree(root / "districts" / "qinghe", broken)
    (broken / "plan_data" / "plans" / "qh-s0000-2026-autumn.yml").write_text("school: nowhere\nterm: 2026秋\n", encoding="utf-8")
    with (root / "districts.yml").open("a", encoding="utf-8") as f:
        f.write("  - id: broken\n    name: 白沙县\n    source: districts/broken\n    site: http://127.0.0.1:9/\n")
    done = run([str(BIN / "plansite"), "portal", "--build-districts", "-j", "2"], root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "完成 清河区" in done.stdout and "完成 东湖区" in done.stdout and "失败 白沙县" in done.stdout
    assert "警告 白沙县：区县网站这次没有构建成功" in done.stdout
    rows = _rows(root / "site" / "index.html")
    assert rows["清河区"][1] == rows["东湖区"][1] == "2" and rows["白沙县"][5] == "暂无数据"
    text = BeautifulSoup((root / "site" / "index.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "白沙县：区县网站这次没有构建成功" in text.replace(" ", "")
    assert (root / ".plansite-portal" / "sites" / "qinghe" / "data" / "plans.json").is_file()
    # the next run, 清河区's data broken: its build fails, and the portal keeps showing its last good data
    shutil.copy(broken / "plan_data" / "plans" / "qh-s0000-2026-autumn.yml",
                root / "districts" / "qinghe" / "plan_data" / "plans" / "qh-s0000-2026-autumn.yml")
    done = run([str(BIN / "plansite"), "portal", "--build-districts", "-j", "2"], root)
    assert done.returncode == 0 and "失败 清河区" in done.stdout, done.stdout + done.stderr
    rows = _rows(root / "site" / "index.html")
    assert rows["清河区"][1] == "2" and rows["清河区"][5].startswith("沿用旧数据（20"), rows["清河区"]
    assert rows["东湖区"][5].startswith("最新")
    qinghe = (root / "site" / "districts" / "qinghe" / "index.html").read_text(encoding="utf-8")
    assert "区县网站这次没有构建成功" in qinghe and qinghe.count('href="http://127.0.0.1') >= 2


def test_every_portal_link_into_the_districts_resolves(province, ci_run):
    """A link check across sites: every link of the portal to a district's site (served on 127.0.0.1)
    names a page that district's built site has."""
    sites = {f"127.0.0.1:{s.server_address[1]}": province["root"] / "build" / did for did, s in province["servers"].items()}
    checked, broken = 0, []
    portal = ci_run["portals"]["github"]
    for page in sorted(portal.rglob("*.html")):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href^='http://127.0.0.1']"):
            url = urlsplit(a["href"])
            target = sites[url.netloc] / url.path.lstrip("/")
            target = target / "index.html" if url.path.endswith("/") else target
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(portal)}: {a['href']}")
    assert checked > 20 and broken == [], broken
    inside = check_site(portal, "/")  # and the portal's own links, served at a domain root as Pages does
    assert inside.checked > 50 and inside.broken == [], inside.broken[:10]


@pytest.mark.browser
def test_a_school_found_by_initials_opens_in_its_district_site(province, ci_run, page):
    portal = serve(ci_run["portals"]["github"])
    try:
        finder = json.loads((ci_run["portals"]["github"] / "assets" / "portal" / "schools.json").read_text(encoding="utf-8"))
        name, short, _, initials, _, url = finder["schools"][-1]
        page.goto(f"http://127.0.0.1:{portal.server_address[1]}/schools/")
        wait_for(page, "() => document.querySelector('.portal-finder').dataset.loaded === '1'")
        page.fill("#portal-q", initials.split()[0])
        found = page.locator("#portal-results a", has_text=name)
        found.first.wait_for()
        assert found.count() == 2  # the generated districts each have a school of this name
        link = page.locator(f'#portal-results a[href="{url}"]')
        assert link.inner_text() == name
        groups = page.locator("#portal-results h2").all_inner_texts()
        assert len(groups) >= 2 and all("江东市" in g for g in groups)
        link.click()
        page.wait_for_load_state()
        assert page.url == url
        heading = page.locator("article h1").inner_text()
        assert short in heading or name in heading, heading
    finally:
        portal.shutdown()
