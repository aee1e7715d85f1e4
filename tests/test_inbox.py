"""`plansite inbox` in a real Git repository made by `plansite new`: plans dropped into inbox/ become
one commit on a new branch (plan data, the sources moved to inbox/done/, the review), the user's
branch and files untouched; a file with no school or term stays and is said; the pull request is
sent to a real HTTP server on 127.0.0.1; the generated workflows pass actionlint."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
import yaml

from plansite.adapters.githost import Host, HostError, open_pull_request
from plansite.adapters.inbox import done_path, given_for
from plansite.input.dates import parse_term

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
HOST_VARS = ("GITHUB_TOKEN", "GITEA_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_SERVER_URL",
             "GITEA_ACTIONS", "GITHUB_REF_NAME")

# Fictional plans, each telling its school and term another way.
SPRING_DOCX = ["江北区星河小学教科室工作计划",  # the school in the title; the term only in the file name
               "一、指导思想", "本学期，教科室把作业设计作为研究重点，让作业少而精、有梯度。",
               "二、行事历", "二月份", "1. 制订本学期教科室工作计划。", "三月份", "1. 作业设计研讨课。",
               "2. 课题组开题论证。", "四月份", "1. 优秀作业展评。", "五月份", "1. 教师微课题中期交流。",
               "六月份", "1. 学期研究总结。"]
AUTUMN_TXT = """2026—2027学年第一学期教科室工作计划

一、指导思想
本学期，教科室以“读懂学生”为主线，带领教师在课堂里找问题、做研究。

二、工作目标
1. 每个教研组完成一次课堂观察报告。

三、行事历
九月份
1. 制订教科室工作计划。
2. 新教师拜师结对。
十月份
1. 青年教师汇报课。
十一月份
1. 课堂观察报告交流。
十二月份
1. 教师读书沙龙。
元月份
1. 资料整理归档。
"""
DRAFT_TXT = "教科室工作安排\n\n九月份\n1. 开学准备。\n十月份\n1. 听课活动。\n"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in HOST_VARS}
    full.update(PYTHONUTF8="1", PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", **env)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=full, timeout=600)


def git(repo: Path, *args: str) -> str:
    proc = run(["git", "-c", "core.quotepath=false", "-c", "user.name=教师", "-c", "user.email=teacher@example.invalid", *args], repo)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def new_site(parent: Path, name: str = "site") -> Path:
    proc = run([str(BIN / "plansite"), "new", name, "--name", "青禾区教科室", "--school", "青禾区实验小学"], parent)
    assert proc.returncode == 0, proc.stderr
    site = parent / name
    git(site, "init", "--quiet", "--initial-branch=main")
    git(site, "add", "--all")
    git(site, "commit", "--quiet", "-m", "建站")
    return site


def drop_plans(site: Path) -> None:
    document = docx.Document()
    document.add_heading(SPRING_DOCX[0], 1)
    for text in SPRING_DOCX[1:]:
        document.add_paragraph(text)
    document.save(site / "inbox" / "2027春 教科室计划.docx")
    (site / "inbox" / "青禾区实验小学").mkdir()
    (site / "inbox" / "青禾区实验小学" / "教科室工作计划.txt").write_text(AUTUMN_TXT, encoding="utf-8")
    (site / "inbox" / "草稿.txt").write_text(DRAFT_TXT, encoding="utf-8")


def inbox_branches(site: Path) -> list[str]:
    return git(site, "branch", "--list", "inbox/*", "--format=%(refname:short)").split()


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """A site with three files dropped in and a change of the user's own, after one `plansite inbox`."""
    site = new_site(tmp_path_factory.mktemp("inbox"))
    drop_plans(site)
    readme = site / "README.md"  # a tracked file the user is editing
    readme.write_text(readme.read_text(encoding="utf-8") + "\n本站由教科室维护。\n", encoding="utf-8")
    before = {"head": git(site, "rev-parse", "HEAD").strip(), "status": git(site, "status", "--porcelain"),
              "docx": (site / "inbox" / "2027春 教科室计划.docx").read_bytes()}
    proc = run([str(BIN / "plansite"), "inbox"], site)
    return site, before, proc


def test_inbox_commits_the_import_on_a_new_branch(local):
    site, before, proc = local
    assert proc.returncode == 1, proc.stdout + proc.stderr  # 1: a file stays behind
    (branch,) = inbox_branches(site)
    assert re.fullmatch(r"inbox/\d{4}-\d{2}-\d{2}-[0-9a-f]{7}", branch)
    assert git(site, "rev-parse", f"{branch}^").strip() == before["head"]  # one commit on top of main
    changed = dict(line.split("\t", 1)[::-1] for line in git(site, "diff", "--name-status", "main", branch).splitlines())
    assert changed == {
        "inbox/done/2027春 教科室计划.docx": "A",
        "inbox/done/青禾区实验小学/教科室工作计划.txt": "A",
        "plan_data/plans/jiangbeiqu-xinghe-xiaoxue-2027-spring.yml": "A",
        "plan_data/plans/qinghequ-shiyan-xiaoxue-2026-autumn.yml": "A",
        "plan_data/schools/jiangbeiqu-xinghe-xiaoxue.yml": "A",
        "plan_data/slugs.yml": "M",
        "导入报告.md": "A",
    }, changed
    spring = yaml.safe_load(git(site, "show", f"{branch}:plan_data/plans/jiangbeiqu-xinghe-xiaoxue-2027-spring.yml"))
    autumn = yaml.safe_load(git(site, "show", f"{branch}:plan_data/plans/qinghequ-shiyan-xiaoxue-2026-autumn.yml"))
    assert (spring["school"], spring["term"]) == ("jiangbeiqu-xinghe-xiaoxue", "2027春")
    assert (autumn["school"], autumn["term"]) == ("qinghequ-shiyan-xiaoxue", "2026秋")  # the school of plansite new
    assert [b["label"] for b in autumn["schedule"]] == ["九月份", "十月份", "十一月份", "十二月份", "元月份"]
    moved = subprocess.run(["git", "show", f"{branch}:inbox/done/2027春 教科室计划.docx"], cwd=site,
                           capture_output=True, check=True).stdout
    assert moved == before["docx"]  # the source itself, byte for byte
    review = git(site, "show", f"{branch}:导入报告.md")
    assert "文件夹名 青禾区实验小学/" in review and "文件名 2027春 教科室计划.docx" in review
    assert "plansite-inbox-" not in review  # the review names the site's own paths, not the scratch worktree's


def test_the_branch_passes_plansite_check(local, tmp_path):
    site, _, _ = local
    (branch,) = inbox_branches(site)
    tree = tmp_path / "tree"
    git(site, "worktree", "add", "--quiet", "--detach", str(tree), branch)
    try:
        proc = run([str(BIN / "plansite"), "check", "plan_data"], tree)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "2 份计划" in proc.stdout
        slugs = run([str(BIN / "plansite"), "slugs", "plan_data"], tree)
        assert "所有网址都已登记" in slugs.stdout  # merging publishes: the URLs are fixed in the same commit
    finally:
        git(site, "worktree", "remove", "--force", str(tree))


def test_the_users_branch_and_files_are_untouched(local):
    site, before, _ = local
    assert git(site, "rev-parse", "HEAD").strip() == before["head"]
    assert git(site, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert git(site, "status", "--porcelain") == before["status"]
    assert "本站由教科室维护。" in (site / "README.md").read_text(encoding="utf-8")
    assert (site / "inbox" / "2027春 教科室计划.docx").read_bytes() == before["docx"]
    assert not (site / "plan_data" / "plans").exists()
    _, _, proc = local
    assert "inbox/ 里这 2 个原文没有提交过，仍在原处" in proc.stdout  # and the user is told so
    assert git(site, "worktree", "list").count("\n") == 1  # the temporary worktree is gone


def test_a_file_with_no_school_or_term_stays_and_is_said(local):
    site, _, proc = local
    (branch,) = inbox_branches(site)
    assert "inbox/草稿.txt" not in git(site, "ls-tree", "-r", "--name-only", branch)
    assert (site / "inbox" / "草稿.txt").read_text(encoding="utf-8") == DRAFT_TXT
    said = proc.stderr
    assert "inbox/草稿.txt：看不出是哪所学校、哪个学期的计划（缺学校、学期）" in said
    assert "放进以学校命名的文件夹" in said and "在文件名或标题里写上学校全称" in said and "在标题里写上学期" in said


def test_a_change_waiting_where_inbox_writes_is_refused(local):
    site, _, _ = local
    slugs = site / "plan_data" / "slugs.yml"
    kept = slugs.read_text(encoding="utf-8")
    slugs.write_text(kept + "# 手改\n", encoding="utf-8")
    try:
        proc = run([str(BIN / "plansite"), "inbox"], site)
        assert proc.returncode == 1
        assert "有没有提交的改动" in proc.stderr and "plan_data/slugs.yml" in proc.stderr
        assert len(inbox_branches(site)) == 1  # no second branch
        assert slugs.read_text(encoding="utf-8") == kept + "# 手改\n"
    finally:
        slugs.write_text(kept, encoding="utf-8")


def test_outside_git_the_import_is_done_in_place(tmp_path):
    proc = run([str(BIN / "plansite"), "new", "site", "--name", "青禾区教科室", "--school", "青禾区实验小学"], tmp_path)
    assert proc.returncode == 0
    site = tmp_path / "site"
    drop_plans(site)
    (site / "inbox" / "done").mkdir()
    (site / "inbox" / "done" / "2027春 教科室计划.docx").write_bytes(b"an earlier upload")
    proc = run([str(BIN / "plansite"), "inbox", "site"], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert sorted(p.name for p in (site / "plan_data" / "plans").iterdir()) == [
        "jiangbeiqu-xinghe-xiaoxue-2027-spring.yml", "qinghequ-shiyan-xiaoxue-2026-autumn.yml"]
    assert (site / "inbox" / "done" / "2027春 教科室计划.docx").read_bytes() == b"an earlier upload"  # never overwritten
    assert (site / "inbox" / "done" / "2027春 教科室计划-2.docx").is_file()
    assert (site / "inbox" / "done" / "青禾区实验小学" / "教科室工作计划.txt").is_file()
    assert not (site / "inbox" / "2027春 教科室计划.docx").exists()
    assert (site / "inbox" / "草稿.txt").is_file()
    assert (site / "导入报告.md").read_text(encoding="utf-8").count("inbox/") >= 2


def test_an_empty_inbox_is_nothing_to_do(tmp_path):
    site = new_site(tmp_path)  # inbox/ holds only its README
    proc = run([str(BIN / "plansite"), "inbox"], site)
    assert (proc.returncode, proc.stdout.strip()) == (0, "inbox/ 里没有要导入的计划。")
    assert inbox_branches(site) == []
    proc = run([str(BIN / "plansite"), "inbox", "docs"], site)
    assert proc.returncode == 1 and "没有收件的文件夹" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("path", "school", "term"), [
    ("inbox/青禾区实验小学/计划.docx", "qinghequ-shiyan-xiaoxue", None),  # a school's name: its id
    ("inbox/qinghequ-shiyan-xiaoxue/2026秋计划.txt", "qinghequ-shiyan-xiaoxue", "2026秋"),  # its id; the term in the name
    ("inbox/江北区星河小学2027春/计划.docx", "江北区星河小学", "2027春"),  # a new school, and a term, in one folder
    ("inbox/2026-2027学年第一学期/计划.pdf", None, "2026秋"),
    ("inbox/新上传/工作计划.docx", None, None),
    ("inbox/计划2026.txt", None, None),  # a year alone is no term
    ("inbox/青禾区实验小学2027春教科室工作计划.docx", "qinghequ-shiyan-xiaoxue", "2027春"),  # all in the file's name
    ("inbox/江北区星河小学/青禾区实验小学2026秋计划.docx", "qinghequ-shiyan-xiaoxue", "2026秋"),  # the nearest name wins
    ("inbox/3f9a2c81e0.docx", None, None),  # a download site's hash names nothing
])
def test_a_files_path_gives_its_school_and_term(path, school, term):
    given = given_for(path, {"qinghequ-shiyan-xiaoxue": ("青禾区实验小学",)})
    assert given.school == school
    assert given.term == (parse_term(term) if term else None)


def test_a_source_never_replaces_one_in_done(tmp_path):
    (tmp_path / "inbox" / "done" / "青禾").mkdir(parents=True)
    assert done_path(tmp_path, "inbox/青禾/计划.docx") == "inbox/done/青禾/计划.docx"
    (tmp_path / "inbox" / "done" / "青禾" / "计划.docx").write_bytes(b"")
    (tmp_path / "inbox" / "done" / "青禾" / "计划-2.docx").write_bytes(b"")
    assert done_path(tmp_path, "inbox/青禾/计划.docx") == "inbox/done/青禾/计划-3.docx"


# ------------------------------------------------------------------ the pull request


class Recorder(BaseHTTPRequestHandler):
    """A Git host's pulls endpoint: records each request, answers as the host does."""

    answer: tuple[int, dict] = (201, {"html_url": "http://127.0.0.1/o/r/pulls/1", "number": 1})
    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
        status, data = self.answer
        out = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def host_server():
    Recorder.seen = []
    Recorder.answer = (201, {"html_url": "http://127.0.0.1/o/r/pulls/1", "number": 1})
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_on_github_the_branch_is_pushed_and_a_pull_request_opened(tmp_path, host_server):
    site = new_site(tmp_path)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(site, "remote", "add", "origin", str(origin))
    git(site, "push", "--quiet", "origin", "main")
    drop_plans(site)
    (site / "inbox" / "草稿.txt").unlink()
    proc = run([str(BIN / "plansite"), "inbox"], site, GITHUB_TOKEN="t0ken", GITHUB_REPOSITORY="qinghe/jky",
               GITHUB_API_URL=host_server, GITHUB_REF_NAME="main")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (branch,) = inbox_branches(site)
    assert git(origin, "rev-parse", branch) == git(site, "rev-parse", branch)  # pushed
    (request,) = Recorder.seen
    assert request["path"] == "/repos/qinghe/jky/pulls"
    assert request["headers"]["Authorization"] == "Bearer t0ken"
    assert request["headers"]["Accept"] == "application/vnd.github+json"
    sent = request["json"]
    assert (sent["head"], sent["base"]) == (branch, "main")
    assert sent["title"].startswith("导入 2 份计划：")
    assert sent["body"] == git(site, "show", f"{branch}:导入报告.md")  # the description is the review
    assert "http://127.0.0.1/o/r/pulls/1" in proc.stdout


def test_gitea_gets_its_own_api_and_token(host_server):
    host = Host("gitea", f"{host_server}/api/v1", "qinghe/jky", "gt0ken")
    url = open_pull_request(host, "inbox/2026-09-01-abcdef0", "main", "导入 1 份计划", "# 导入报告\n")
    (request,) = Recorder.seen
    assert request["path"] == "/api/v1/repos/qinghe/jky/pulls"
    assert request["headers"]["Authorization"] == "token gt0ken"
    assert request["json"] == {"title": "导入 1 份计划", "head": "inbox/2026-09-01-abcdef0", "base": "main",
                               "body": "# 导入报告\n"}
    assert url == "http://127.0.0.1/o/r/pulls/1"


def test_a_refused_pull_request_says_which_setting(host_server):
    Recorder.answer = (403, {"message": "GitHub Actions is not permitted to create or approve pull requests."})
    host = Host("github", host_server, "qinghe/jky", "t0ken")
    with pytest.raises(HostError) as refused:
        open_pull_request(host, "inbox/x", "main", "t", "b")
    assert "HTTP 403" in refused.value.message and "not permitted" in refused.value.message
    assert "Allow GitHub Actions to create and approve pull requests" in refused.value.hint


# ------------------------------------------------------------------ the workflows


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as True
    return workflow


def test_the_workflows_pass_actionlint(tmp_path):
    proc = run([str(BIN / "plansite"), "new", "site", "--name", "青禾区教科室"], tmp_path)
    assert proc.returncode == 0
    site = tmp_path / "site"
    files = [site / ".github" / "workflows" / "inbox.yml", site / ".gitea" / "workflows" / "inbox.yml"]
    every = [*files, site / ".github" / "workflows" / "pages.yml", *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    actionlint = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    assert actionlint, "actionlint is missing: pip install -e '.[test]' installs it"
    lint = run([actionlint, "-no-color", *map(str, every)], site)  # the site's workflows and PlanSite's own
    assert lint.returncode == 0, lint.stdout + lint.stderr
    for path in files:
        workflow = load_workflow(path)
        assert workflow["on"]["push"] == {"branches": ["main"], "paths": ["inbox/**", "!inbox/done/**"]}
        assert "workflow_dispatch" in workflow["on"]
        assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
        run_step = workflow["jobs"]["inbox"]["steps"][-1]
        assert run_step["run"].strip().endswith("plansite inbox")
        token = "GITHUB_TOKEN" if ".github" in path.parts else "GITEA_TOKEN"
        assert run_step["env"] == {token: "${{ secrets.%s }}" % token}
    assert (site / "inbox" / "README.md").is_file()  # the folder exists for the host's web upload
