"""Broken input, end to end: `plansite check` and `mkdocs build` both exit non-zero with a message that
names the file, the line and the field, and never print a traceback."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import FIXTURES, run_mkdocs
from plansite.adapters.cli import main
from test_load import CASES as LOADER_CASES

PLAN = "plans/dongpo-2026-autumn.yml"
SPRING = "plans/xiyuan-2027-spring.yml"
SCHOOL = "schools/dongpo.yml"
PROJECT = "projects/dp-xiezuo.yml"

# (case, edits, file, line, message); edits as in test_load: (file, old, new) or (file, None, content)
MORE = [
    ("huge-file", [(SCHOOL, None, b"name: x\n" + b"# " + b"x" * (21 * 1024 * 1024) + b"\n")], SCHOOL, 0, "文件过大"),
    ("utf16-with-bom", [(SCHOOL, None, "name: 东坡小学\n".encode("utf-16"))], SCHOOL, 1, "不是 UTF-8"),
    ("bom-and-an-error", [(SCHOOL, None, "\ufeffname: 东坡小学\nstage: [小学\n")], SCHOOL, 3, "YAML 语法错误"),
    ("crlf-and-an-error", [(PLAN, None, None)], PLAN, 22, "无法识别的日期"),  # filled in below
    ("fullwidth-colon-key", [(SCHOOL, None, "name：东坡小学\nstage：小学\n")], SCHOOL, 1, "键: 值"),
    ("fullwidth-digits-impossible-date", [(SPRING, "date: 3月10日", "date: ２月３０日")], SPRING, 10, "没有2月30日"),
    ("fullwidth-colon-in-date", [(SPRING, "date: 3月10日", "date: 3月10日 14：30")], SPRING, 10, "无法识别的日期"),
    ("empty-item-text", [(SPRING, "      - 学期教研工作总结。", '      - ""')], SPRING, 14, "不能为空"),
    ("schedule-not-a-list", [(SPRING, None, "school: xiyuan\nterm: 2027春\ntitle: 计划\nschedule: 二月份安排\n")],
     SPRING, 4, "期望一个列表"),
    ("ftp-website", [(SCHOOL, "https://dongpo.example.edu.cn", "ftp://dongpo.example.edu.cn")], SCHOOL, 6, "网址必须以"),
    ("alias-bomb", [(SCHOOL, None, "name: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
                                   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n")],
     SCHOOL, 0, "展开过多"),
    ("complex-key", [(SCHOOL, None, "[a, b]: 东坡\n")], SCHOOL, 1, "键必须是简单的文字"),
    ("merge-key", [(SCHOOL, None, "base: &x {city: 测试市}\nname: 东坡\n<<: *x\n")], SCHOOL, 3, "合并键"),
    ("project-without-schools", [(PROJECT, "schools: [dongpo]", "schools: []")], PROJECT, 5, "至少需要一项"),
    ("bad-stage-term", [(PROJECT, "    term: 2026春", "    term: 明年")], PROJECT, 10, "无法识别的学期"),
    ("duplicate-plan-id", [("plans/copy.yml", None, "id: xiyuan-2027-spring\nschool: xiyuan\nterm: 2027春\ntitle: 重复\n")],
     SPRING, 1, "计划 id 'xiyuan-2027-spring' 重复"),
    ("gbk-measures", [("plans/dongpo-2026-autumn.md", None, "## 一、读书\n".encode("gbk"))],
     "plans/dongpo-2026-autumn.md", 1, "不是 UTF-8"),
    ("path-as-id", [("schools/evil.yml", None, "id: ../../etc/passwd\nname: 坏学校\n")], "schools/evil.yml", 1,
     "不合规范"),
    ("id-of-a-plan-invalid", [(SPRING, "school: xiyuan", "id: Spring 2027\nschool: xiyuan")], SPRING, 1, "不合规范"),
    ("binary-in-plans", [("plans/photo.yml", None, bytes(range(256)) * 4)], "plans/photo.yml", 0, "不是文本文件"),
]


def _crlf_plan(root: Path) -> None:
    path = root / PLAN
    text = path.read_text(encoding="utf-8").replace("date: 12月中旬", "date: 十二月的某天")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))


CASES = [(c[0], c[1], c[2], c[3], c[5]) for c in LOADER_CASES] + MORE
assert len(CASES) >= 40


def apply(root: Path, case: str, edits) -> None:
    if case == "crlf-and-an-error":
        return _crlf_plan(root)
    for rel, old, new in edits:
        path = root / rel
        if old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, (case, old)
            path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def broken_projects(tmp_path_factory) -> dict[str, Path]:
    """One copy of the fixture project per case, each with its breakage applied."""
    out = {}
    for case, edits, *_ in CASES:
        project = tmp_path_factory.mktemp(case) / "project"
        shutil.copytree(FIXTURES / "mini", project)
        apply(project / "plan_data", case, edits)
        out[case] = project
    return out


def _check(project: Path) -> subprocess.CompletedProcess:
    """`plansite check` through the command's own main(), in this process (a process per case costs
    seconds of imports; the builds below are real processes and catch a traceback either way). An
    exception main() lets out fails the test as it would print a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(project / "plan_data")])
    return subprocess.CompletedProcess(["plansite", "check"], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def outcomes(broken_projects, tmp_path_factory) -> dict[str, tuple]:
    """Both commands on every broken copy: the checks here, the builds two at a time (two cores)."""
    checks = {case: _check(project) for case, project in broken_projects.items()}

    def build(case):
        return case, run_mkdocs(broken_projects[case], tmp_path_factory.mktemp(f"site-{case}"))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return {case: (checks[case], built) for case, built in pool.map(build, [c[0] for c in CASES])}


@pytest.mark.parametrize("case,edits,file,line,message", CASES, ids=[c[0] for c in CASES])
def test_check_and_build_reject_with_location(outcomes, case, edits, file, line, message):
    check, build = outcomes[case]
    where = f"plan_data/{file}" + (f":{line}" if line else "")
    for name, result in (("plansite check", check), ("mkdocs build", build)):
        out = result.stdout + result.stderr
        assert result.returncode != 0, f"{name} accepted broken input ({case})"
        assert "Traceback" not in out, f"{name} printed a traceback:\n{out[-2000:]}"
        lines = [ln for ln in out.splitlines() if where in ln and message in ln]
        assert lines, f"{name}: expected {where!r} with {message!r} in:\n{out[-3000:]}"
    assert "提示：" in check.stdout  # every message comes with a hint
