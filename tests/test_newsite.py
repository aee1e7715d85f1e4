"""A real school's first day: `plansite new`, import, the review's fixes, the publish gate, a strict
build with nothing of the demo in it; the README's "Start your own site" commands as written."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import FIXTURES, ROOT, SHARED, as_nobody, report, run_mkdocs

BIN = Path(sys.executable).parent
SEEDS = SHARED / "seeds"
FIRSTDAY = FIXTURES / "firstday"
DEMO_STRINGS = ("江东", "虚构", "example.org")
OUR_URL = "https://jky.qhjks.cn/"  # a site's own address: not one of the docs' examples, which the gate refuses
README_URL = "https://jky.qinghe.edu.cn/"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "SITE_URL"}  # the site's own mkdocs.yml decides
    full.update(NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", **env)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=full, timeout=600)


def plansite(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run([str(BIN / "plansite"), *args], cwd)


def sources() -> list[Path]:
    texts = sorted(FIRSTDAY.glob("*.txt"))
    if SEEDS.is_dir():
        texts += sorted(SEEDS.glob("*.txt"))
    return texts


def apply_review_fixes(site: Path) -> int:
    """Do what 导入报告.md says: name each placeholder school, move each term to the one it names,
    mark the plans that have no schedule as such."""
    text = (site / "导入报告.md").read_text(encoding="utf-8")
    fixes = 0
    for n, rel in enumerate(sorted(set(re.findall(r"`plan_data/(schools/[a-z0-9-]+\.yml):1`", text))), 1):
        (site / "plan_data" / rel).write_text(f"name: 青禾区第{n}实验小学\n", encoding="utf-8")
        fixes += 1
    for rel, term in re.findall(r"把 plan_data/(plans/[a-z0-9-]+\.yml) 的 term 改成 (\S+?)（", text):
        path = site / "plan_data" / rel
        path.write_text(re.sub(r"(?m)^term: .*$", f"term: {term}", path.read_text(encoding="utf-8")), encoding="utf-8")
        fixes += 1
    for rel in sorted(set(re.findall(r"在 plan_data/(plans/[a-z0-9-]+\.yml) 里加一行 schedule: \\?\[\\?\]", text))):  # [ ] escaped as Markdown text
        path = site / "plan_data" / rel  # read against the source: these plans have no 行事历 of their own
        path.write_text(path.read_text(encoding="utf-8") + "schedule: []\n", encoding="utf-8")
        fixes += 1
    # a template essay (范文, 20XX …) is no school's plan: deleted, as the report says, and a school left
    # without a plan with it
    for rel in sorted(set(re.findall(r"读起来是范文或模板.*\n.*或删掉 plan_data/(plans/[a-z0-9-]+)\.yml（和同名 \.md）", text))):
        for suffix in (".yml", ".md"):
            (site / "plan_data" / f"{rel}{suffix}").unlink(missing_ok=True)
        fixes += 1
    schools = {p.read_text(encoding="utf-8").split("school: ", 1)[1].split()[0] for p in (site / "plan_data/plans").glob("*.yml")}
    for school in (site / "plan_data/schools").glob("*.yml"):
        if school.stem not in schools:
            school.unlink()
    return fixes


def test_new_site_from_empty_folder_to_published_build(tmp_path):
    site = tmp_path / "site"
    done = plansite("new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学",
                    "--site-url", OUR_URL, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for rel in ("mkdocs.yml", "README.md", "requirements.txt", ".github/workflows/pages.yml", "docs/.gitkeep",
                "plan_data/schools/qinghequ-shiyan-xiaoxue.yml"):
        assert (site / rel).is_file(), rel
    assert "plansite check plan_data --publish" in (site / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    wanted = [ln for ln in (site / "requirements.txt").read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"]
    assert re.fullmatch(r"\./vendor/plansite-\d+\.\d+\.\d+-py3-none-any\.whl", wanted[0])
    assert (site / wanted[0]).is_file()  # the site carries PlanSite (tests/test_firstday_install.py installs it)

    imported = plansite("import", *map(str, sources()), "--term", "2026秋", cwd=site)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    review = (site / "导入报告.md").read_text(encoding="utf-8")
    assert "导入报告：" in imported.stdout and "### 没能放进行事历的行" in review
    assert "spring-untitled.txt" in review and "（占位）" in review  # where the school came from
    assert "reposted-copy.txt" in review and "没有再导入" in review  # the near-duplicate, and what was done
    assert "term 改成 2025春" in review  # 2025 in the title, filed under 2027春 by its months
    # every source line is accounted for: placed, in a skipped copy, page noise, or listed as not placed
    rows = re.findall(r"^\| (\S+\.txt) \| (\d+) [行段] \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", review, re.M)
    assert {r[0] for r in rows} == {p.name for p in sources()}
    assert all(int(total) == sum(map(int, rest)) for _, total, *rest in rows)
    assert any(r[0] == "reposted-copy.txt" and int(r[3]) > 0 for r in rows)  # the copy's lines: not imported again

    gate = plansite("check", "plan_data", "--publish", cwd=site)
    assert gate.returncode == 1 and "school-1.yml:1 name" in gate.stdout and "term: 标题写的是 2025 年" in gate.stdout

    assert apply_review_fixes(site) >= 2
    gate = plansite("check", "plan_data", "--publish", cwd=site)
    assert gate.returncode == 1 and "plansite slugs plan_data --write" in gate.stdout  # the one problem left
    assert plansite("slugs", "plan_data", "--write", cwd=site).returncode == 0
    gate = plansite("check", "plan_data", "--publish", cwd=site)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict"], site)
    assert built.returncode == 0, built.stdout + built.stderr

    hashes = {p.stem.split("_", 1)[-1] for p in sources() if "_" in p.stem}
    bad = []
    for path in (site / "site").rglob("*"):
        if path.is_file() and not path.name.endswith(".gz"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            bad += [f"{path.name}: {s}" for s in (*DEMO_STRINGS, "待填写", "未注明学校", *hashes) if s in text]
    assert not bad, bad[:10]
    assert no_empty_columns(site / "site") == []  # sparse data: a column empty for a whole table is left out

    # feeds: undated items are not long events, and every schedule item is in a feed
    data = json.loads((site / "site/data/plans.json").read_text(encoding="utf-8"))
    events = Calendar.from_ical((site / "site/calendar/all.ics").read_bytes()).walk("VEVENT")
    long = [e for e in events if e.decoded("DTEND") - e.decoded("DTSTART") > timedelta(days=7)]
    assert len(long) < 0.1 * len(events)
    feeds = "".join(str(e.get("SUMMARY", "")) + str(e.get("DESCRIPTION", "")) for e in events)
    items = [i["text"] for p in data["plans"] for b in p["schedule"] for i in b["items"]]
    assert items and [t for t in items if t not in feeds] == []
    report(f"first day: {len(sources())} sources, {len(data['plans'])} plans, {len(items)} items, "
           f"{len(events)} feed events, {len(long)} longer than 7 days")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")
def test_publish_gate_on_the_raw_import_names_every_problem(tmp_path):
    """The issue's path: the demo's mkdocs.yml and about page, the seeds imported as they are."""
    site = tmp_path / "copy"
    (site / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    shutil.copy(ROOT / "docs/about.md", site / "docs/about.md")
    (site / "plan_data/schools").mkdir(parents=True)
    (site / "plan_data/schools/beiyuan.yml").write_text("name: 北苑小学\n", encoding="utf-8")
    done = plansite("import", *map(str, sorted(SEEDS.glob("*.txt"))), "--term", "2023秋", "--keep-duplicates", cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    gate = plansite("check", "plan_data", "--publish", cwd=site)
    assert gate.returncode == 1
    out = gate.stdout
    assert re.search(r"plan_data/schools/school-\d+\.yml:\d+ name: “待填写校名\d+”是占位名（“待填写”）", out)
    assert "mkdocs.yml:5 site_url: 网站地址 https://plansite.example.org/ 是示例地址" in out
    assert "mkdocs.yml:6 copyright: 还是演示站的文字" in out and re.search(r"docs/about.md:\d+: 还是演示站的文字", out)
    assert re.search(r"plan_data/plans/\S+\.yml:\d+: 与 plan_data/plans/\S+\.yml 的文字 \d+% 相同", out)
    assert re.search(r"plan_data/plans/\S+\.yml:\d+ term: 标题写的是 2023 年", out)
    assert "plan_data/schools/beiyuan.yml:1: 学校“北苑小学”没有任何计划" in out


def test_new_never_writes_into_a_folder_with_files(tmp_path):
    target = tmp_path / "ours"
    target.mkdir()
    (target / "notes.txt").write_text("我们的笔记", encoding="utf-8")
    done = plansite("new", str(target), "--name", "青禾区教科研", cwd=tmp_path)
    assert done.returncode == 2 and "不是空文件夹" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def tree(folder: Path) -> list[str]:
    """Everything under folder, links not followed: what a refused or failed command must leave as it was."""
    return sorted(f"{p.relative_to(folder)}{'@' if p.is_symlink() else '/' if p.is_dir() else ''}" for p in folder.rglob("*"))


BAD_ARGUMENTS = {  # case -> (arguments after `plansite new`, what the message names)
    # the GBK bytes of 教科研 in a UTF-8 locale: Python hands them over as lone surrogates
    "undecodable --name": ([b"site", b"--name", b"\xbd\xcc\xbf\xc6\xd1\xd0"], "--name"),
    "undecodable --school": ([b"site", b"--name", "青禾区教科研".encode(), b"--school", b"\xc7\xe0\xba\xcc"], "--school"),
    "a line break in --name": (["site", "--name", "青禾区\n教科研"], "--name"),
    "under a regular file": (["notes.txt/site", "--name", "青禾区教科研"], "上级"),
    "a dangling symlink": (["gone", "--name", "青禾区教科研"], "符号链接"),
    "a 300-byte folder name": (["青禾区" * 33 + "站", "--name", "青禾区教科研"], "太长"),
    "a folder with files": (["ours", "--name", "青禾区教科研"], "不是空文件夹"),
    "a quote in --site-url": (["site", "--name", "青禾区教科研", "--site-url", 'https://jky.qinghe.edu.cn/"onfocus="alert(1)'],
                              "--site-url"),
    "a space in --site-url": (["site", "--name", "青禾区教科研", "--site-url", "https://jky.qinghe.edu.cn/教 科/"], "--site-url"),
    "a control character in --site-url": (["site", "--name", "青禾区教科研", "--site-url", "https://jky.qinghe.edu.cn/\x1b[0m"],
                                          "--site-url"),
    "tags in --site-url": (["site", "--name", "青禾区教科研", "--site-url", "https://jky.qinghe.edu.cn/<b>"], "--site-url"),
    "no host in --site-url": (["site", "--name", "青禾区教科研", "--site-url", "https:///jky/"], "--site-url"),
    "http --site-url": (["site", "--name", "青禾区教科研", "--site-url", "http://jky.qinghe.edu.cn/"], "--site-url"),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_new_refuses_a_bad_argument_before_writing_anything(tmp_path, case):
    args, named = BAD_ARGUMENTS[case]
    (tmp_path / "notes.txt").write_text("我们的笔记\n", encoding="utf-8")
    (tmp_path / "gone").symlink_to(tmp_path / "removed-long-ago")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours/计划.txt").write_text("我们的计划\n", encoding="utf-8")
    before = tree(tmp_path)
    done = plansite("new", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("错误 ") and named in done.stderr and "\n    提示：" in done.stderr, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert tree(tmp_path) == before  # no site, no half of one, no staging folder


def test_new_refuses_a_folder_it_cannot_write_to(open_tmp):
    closed = open_tmp / "closed"
    closed.mkdir(mode=0o755)  # root's: nobody may not write in it
    python = as_nobody(open_tmp)
    for target in (closed / "site", closed):  # a new folder in it, and the (empty) folder itself
        done = subprocess.run([*python, "-m", "plansite.adapters.cli", "new", str(target), "--name", "青禾区教科研"],
                              capture_output=True, text=True, encoding="utf-8", timeout=120,
                              env=dict(os.environ, HOME="/tmp", PYTHONUTF8="1"))
        assert done.returncode == 2 and f"没有权限在 {closed} 里写入" in done.stderr, done.stderr
        assert "提示：" in done.stderr and "Traceback" not in done.stdout + done.stderr
    assert list(closed.iterdir()) == []


def _after(n: int, fault, real):
    calls = []

    def failing(*args):
        calls.append(args)
        if len(calls) == n:
            raise fault()
        return real(*args)

    return failing, calls


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
@pytest.mark.parametrize("step", ["writing", "moving-in"])
@pytest.mark.parametrize("fault, status, said", [
    (KeyboardInterrupt, 130, "已中断：没有创建"),
    (lambda: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), 1, "磁盘空间已满，已撤销，没有留下任何文件"),
], ids=["ctrl-c", "disk-full"])
def test_new_stopped_half_way_leaves_nothing(tmp_path, capsys, monkeypatch, existing, step, fault, status, said):
    """Ctrl-C or a full disk while the files are written, or while the finished site is put in place."""
    from plansite.adapters import newsite
    from plansite.adapters.cli import main

    target = tmp_path / "ours" if existing else tmp_path / "new" / "site"
    if existing:
        target.mkdir()
    before = tree(tmp_path)
    if step == "writing":
        failing, calls = _after(4, fault, newsite._write_file)
        monkeypatch.setattr(newsite, "_write_file", failing)
    else:  # a new folder is renamed into place in one step; an empty one gets its entries one by one
        failing, calls = _after(2 if existing else 1, fault, os.rename)
        monkeypatch.setattr(newsite.os, "rename", failing)
    assert main(["new", str(target), "--name", "青禾区教科研", "--school", "青禾区实验小学"]) == status
    assert said in capsys.readouterr().err and calls
    assert tree(tmp_path) == before


def test_new_into_the_current_empty_folder_a_link_to_one_and_a_new_path(tmp_path):
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    assert plansite("new", ".", "--name", "青禾区教科研", cwd=here).returncode == 0
    assert here.stat().st_ino == inode  # the same folder, filled: a shell standing in it sees the site
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    assert plansite("new", "link", "--name", "青禾区教科研", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link").is_symlink() and (tmp_path / "empty/mkdocs.yml").is_file()
    done = plansite("new", "a/b/site", "--name", "青禾区教科研", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    umask = os.umask(0)
    os.umask(umask)
    for site in (here, tmp_path / "empty", tmp_path / "a/b/site"):
        assert tree(site) == tree(here)
        assert stat.S_IMODE((site / "mkdocs.yml").stat().st_mode) == 0o666 & ~umask  # not a temp file's 0600
        assert stat.S_IMODE((site / "docs").stat().st_mode) == 0o777 & ~umask
    assert not [p for p in tmp_path.rglob(".plansite-new-*")]


@pytest.mark.parametrize("url", [
    'https://jky.qinghe.edu.cn/"onfocus="alert(1)', "https://jky.qinghe.edu.cn/a'b/", "https://jky.qinghe.edu.cn/<b>/",
    "https://jky.qinghe.edu.cn/教 科/", "https://jky.qinghe.edu.cn/\u3000/", "https://jky.qinghe.edu.cn/\x00/",
    "https://jky.qinghe.edu.cn/\u200b/", "https://jky.qinghe.edu.cn\\jky/", "https://jky.qinghe.edu.cn/%zz/",
    "jky.qinghe.edu.cn/", "//jky.qinghe.edu.cn/", "https:///jky/", "https://:443/", "https://jky.qinghe.edu.cn:8o/",
    "https://[::1/", "javascript://jky.qinghe.edu.cn/%0aalert(1)", "https://jky.qinghe.edu.cn/?a=1",
    "https://jky.qinghe.edu.cn/#top", "https://jky.qinghe.edu.cn/\udcff/",
])
def test_a_site_url_that_breaks_html_or_urls_is_named(url):
    from plansite.adapters.siteurl import site_url_problem

    assert site_url_problem(url), url


@pytest.mark.parametrize("url", ["https://jky.qinghe.edu.cn/", "https://jky.qinghe.edu.cn", "http://10.1.2.3:8080/jky/",
                                 "https://jky.qinghe.edu.cn/教科室/", "https://org.github.io/%E6%95%99/"])
def test_a_clean_site_url_passes(url):
    from plansite.adapters.siteurl import site_url_problem

    assert site_url_problem(url) is None
    assert (site_url_problem(url, https_only=True) is None) == url.startswith("https://")


def test_a_bad_site_url_in_mkdocs_yml_is_never_written_into_a_page(tmp_path):
    """MkDocs checks only for a scheme and a host; a theme writes page.canonical_url unescaped."""
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "mini", project)
    config = project / "mkdocs.yml"
    bad = 'https://jky.qinghe.edu.cn/"><script>alert(1)</script>'
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {json.dumps(bad)}", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    built = run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "site")], project)
    assert built.returncode == 0, built.stderr
    assert "mkdocs.yml 的 site_url" in built.stderr and "不能有引号" in built.stderr and "提示：" in built.stderr
    pages = [p for p in (tmp_path / "site").rglob("*") if p.suffix in (".html", ".xml", ".json", ".ics")]
    assert len(pages) > 10
    assert not [p for p in pages if "alert(1)" in p.read_text(encoding="utf-8", errors="replace")]
    assert "canonical" not in (tmp_path / "site/index.html").read_text(encoding="utf-8")
    strict = run_mkdocs(project, tmp_path / "strict")
    assert strict.returncode != 0 and "mkdocs.yml 的 site_url" in strict.stderr
    rendered = plansite("render", "--config", str(config), "--out", str(tmp_path / "rendered"), cwd=project)
    assert rendered.returncode == 1 and "site_url" in rendered.stderr and "不能有引号" in rendered.stderr
    assert not (tmp_path / "rendered").exists()


def test_site_url_unset_is_refused(tmp_path):
    site = tmp_path / "s"
    assert plansite("new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学", cwd=tmp_path).returncode == 0
    shutil.copy(FIRSTDAY / "qinghe-autumn.txt", tmp_path / "a.txt")
    assert plansite("import", str(tmp_path / "a.txt"), cwd=site).returncode == 0
    gate = plansite("check", "--publish", cwd=site)
    line = next(n for n, text in enumerate((site / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("site_url:"))
    assert gate.returncode == 1 and f"mkdocs.yml:{line} site_url: 没有写网站地址" in gate.stdout, gate.stdout
    assert plansite("slugs", "--write", cwd=site).returncode == 0
    ok = run([str(BIN / "plansite"), "check", "--publish"], site, SITE_URL=OUR_URL)
    assert ok.returncode == 0, ok.stdout


def test_import_star_txt_in_a_new_site_leaves_the_sites_own_files_alone(tmp_path):
    site = tmp_path / "s"
    assert plansite("new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学", cwd=tmp_path).returncode == 0
    shutil.copy(FIRSTDAY / "qinghe-autumn.txt", site / "2026秋教科室计划.txt")
    (site / "LICENSE.txt").write_text("本站文字按 CC BY 4.0 许可使用。\n", encoding="utf-8")
    star_txt = sorted(p.name for p in site.glob("*.txt"))  # what the shell makes of `plansite import *.txt`
    assert "requirements.txt" in star_txt and len(star_txt) == 3
    done = plansite("import", *star_txt, "--term", "2026秋", cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "略过 requirements.txt：站点自己的文件（Python 依赖清单），不是计划" in done.stdout
    assert "略过 LICENSE.txt：站点自己的文件（许可证）" in done.stdout
    assert sorted(p.name for p in (site / "plan_data/plans").iterdir()) == [
        "qinghequ-shiyan-xiaoxue-2026-autumn.md", "qinghequ-shiyan-xiaoxue-2026-autumn.yml"]
    assert sorted(p.name for p in (site / "plan_data/schools").iterdir()) == ["qinghequ-shiyan-xiaoxue.yml"]
    # again with *.md and the workflow: README.md, the report just written, .github's files
    again = plansite("import", *star_txt, *sorted(p.name for p in site.glob("*.md")), ".github/workflows/pages.yml",
                     "plan_data/plans/qinghequ-shiyan-xiaoxue-2026-autumn.md", "--term", "2026秋", cwd=site)
    assert again.returncode == 0, again.stdout + again.stderr
    for name, why in (("README.md", "说明文件"), ("导入报告.md", "导入报告"), (".github/workflows/pages.yml", ".github 里的文件"),
                      ("plan_data/plans/qinghequ-shiyan-xiaoxue-2026-autumn.md", "数据文件夹 plan_data")):
        assert f"略过 {name}：站点自己的文件（{why}" in again.stdout, name
    assert len(list((site / "plan_data/plans").iterdir())) == 2
    only = plansite("import", "requirements.txt", "README.md", cwd=site)
    assert only.returncode == 1 and "没有要导入的计划" in only.stderr and "提示：" in only.stderr


@pytest.mark.parametrize("path, owned", [
    ("requirements.txt", True), ("requirements-dev.txt", True), ("README", True), ("readme.txt", True),
    ("LICENSE", True), ("COPYING.md", True), ("mkdocs.yml", True), ("导入报告-2.md", True), (".gitignore", True),
    ("docs/CNAME", True), (".github/说明.txt", True), ("plan_data/plans/a.md", True), ("plan_data/projects/k.yml", True),
    ("plan_data/原文/计划.txt", False),
    ("2026秋教科室计划.txt", False), ("README计划.txt", False), ("docs/原文/计划.docx", False), ("导入报告说明.txt", False),
])
def test_which_files_a_site_owns(tmp_path, path, owned):
    from plansite.importer.read import site_file

    assert bool(site_file(tmp_path / path, tmp_path / "plan_data")) == owned


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Start your own site", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert README_URL in block  # the README's example address, which the publish check refuses:
    return block.replace(README_URL, OUR_URL)  # a reader writes their own


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout")
def test_readme_start_your_own_site_in_a_clean_clone(tmp_path):
    clone = tmp_path / "plansite"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    for rel in ("README.md", "Makefile"):  # the working tree's, when not yet committed
        shutil.copy(ROOT / rel, clone / rel)
    # `make venv` finds .venv up to date: its tools are this test run's (installing takes minutes)
    venv = clone / ".venv" / "bin"
    venv.mkdir(parents=True)
    for tool in ("python", "plansite", "mkdocs"):
        (venv / tool).symlink_to(BIN / tool)
    (venv / "activate").write_text(f'export VIRTUAL_ENV="{clone / ".venv"}"\nexport PATH="{venv}:$PATH"\n')
    stamp = clone / ".venv/.installed-stamp"
    stamp.touch()
    os.utime(clone / "pyproject.toml", (1, 1))
    home = tmp_path / "home"
    (home / "计划").mkdir(parents=True)
    shutil.copy(FIRSTDAY / "qinghe-autumn.txt", home / "计划/2026秋教科室计划.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "VIRTUAL_ENV")}
    env.update(HOME=str(home), NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    done = subprocess.run(["bash", "-e", "-c", readme_block()], cwd=clone, capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ours = tmp_path / "our-site"
    assert (ours / "site/index.html").is_file() and (ours / "导入报告.md").is_file()
    home_page = (ours / "site/index.html").read_text(encoding="utf-8")
    assert "青禾区实验小学教科室" in home_page and not any(s in home_page for s in DEMO_STRINGS)


def test_new_site_workflow_checks_before_it_builds(tmp_path):
    import yaml

    from plansite.adapters.newsite import NewSite, site_files

    files = site_files(NewSite("青禾区教科研", ("青禾区实验小学", "青禾区第二小学"), "https://jky.qinghe.edu.cn"))
    steps = yaml.safe_load(files[".github/workflows/pages.yml"])["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    check = next(n for n, r in enumerate(runs) if "plansite check plan_data --publish" in r)
    build = next(n for n, r in enumerate(runs) if "mkdocs build --strict" in r)
    assert runs[0:check] and any("pip install -r requirements.txt" in r for r in runs[:check]) and check < build
    config = files["mkdocs.yml"]
    assert 'site_url: !ENV [SITE_URL, "https://jky.qinghe.edu.cn/"]' in config
    assert 'copyright: "© 青禾区教科研"' in config
    assert sorted(f for f in files if f.startswith("plan_data/schools/")) == [
        "plan_data/schools/qinghequ-dier-xiaoxue.yml", "plan_data/schools/qinghequ-shiyan-xiaoxue.yml"]
    assert not any(s in text for text in files.values() for s in DEMO_STRINGS)


def test_import_report_never_replaces_a_file_the_import_did_not_write(tmp_path):
    from plansite.importer.review import REPORT_MARK, report_path

    out = tmp_path / "plan_data"
    mine = tmp_path / "导入报告.md"
    mine.write_text("我们自己的记录\n", encoding="utf-8")
    assert report_path(out, None) == tmp_path / "导入报告-2.md"
    (tmp_path / "导入报告-2.md").write_text(REPORT_MARK + "\n旧报告\n", encoding="utf-8")
    assert report_path(out, None) == tmp_path / "导入报告-2.md"  # an earlier report is rewritten
    assert mine.read_text(encoding="utf-8") == "我们自己的记录\n"


@pytest.mark.parametrize("text, where", [
    ("site_name: 青禾\nsite_url: [https://a.cn/\n", "mkdocs.yml:3: YAML 写法有误"),
    ("site_name: 青禾\n- 一行\n", "mkdocs.yml:2: YAML 写法有误"),
    ("- 一\n- 二\n", "mkdocs.yml:1: 不是“键: 值”的映射"),
])
def test_publish_check_on_an_unreadable_mkdocs_yml_says_where(tmp_path, text, where):
    (tmp_path / "plan_data").mkdir()
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    done = plansite("check", "--publish", cwd=tmp_path)
    assert done.returncode == 1 and where in done.stderr and "提示：" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_publish_check_refuses_an_empty_site(tmp_path):
    assert plansite("new", str(tmp_path / "s"), "--name", "青禾区教科研", "--site-url", OUR_URL,
                    cwd=tmp_path).returncode == 0
    done = plansite("check", "--publish", cwd=tmp_path / "s")
    assert done.returncode == 1 and "plan_data: 还没有任何计划" in done.stdout


def no_empty_columns(site_dir: Path) -> list[str]:
    """Every table column of every page that is empty in all its rows (none should be)."""
    from bs4 import BeautifulSoup

    found = []
    for page in sorted(site_dir.rglob("*.html")):
        html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in html.select("article table"):
            rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
            for n, th in enumerate(table.select("thead th")):
                if rows and all(len(r) > n and not r[n] for r in rows):
                    found.append(f"{page.relative_to(site_dir)}: {th.get_text(strip=True)}")
    return found
