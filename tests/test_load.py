"""The loader: good data loads; every kind of bad data gives a located, teaching message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from plansite.input.dates import YearMonth
from plansite.input.load import load_plan_data

MINI = FIXTURES / "mini" / "plan_data"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "plan_data"
    shutil.copytree(MINI, target)
    return target


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_good_data_loads_and_resolves():
    result = load_plan_data(MINI)
    assert result.problems == []
    data = result.data
    assert list(data.schools) == ["dongpo", "xiyuan"]
    plan = data.plans["dongpo-2026-autumn"]
    assert plan.term.key == "2026-autumn" and plan.office == "教科室"
    assert [b.label for b in plan.schedule] == ["九月份", "十一月份——十二月份", "元月份"]
    assert plan.schedule[1].months == (YearMonth(2026, 11), YearMonth(2026, 12))
    assert plan.schedule[2].months == (YearMonth(2027, 1),)
    assert plan.schedule[1].spans and not plan.schedule[0].spans
    item = plan.schedule[1].items[1]
    assert (item.text, item.category, str(item.date.start), str(item.date.end)) == (
        "青年教师赛课。", "公开课", "2026-11-16", "2026-11-20")
    assert plan.measures.startswith("## 一、读书学习") and plan.measures_file == "plans/dongpo-2026-autumn.md"
    assert [(pp.id, pp.stage) for pp in plan.projects] == [("dp-xiezuo", "中期"), ("xy-shuxue", None)]
    spring = data.plans["xiyuan-2027-spring"]
    assert spring.schedule[0].months == (YearMonth(2027, 2), YearMonth(2027, 3))
    assert spring.schedule[1].months == (YearMonth(2027, 6), YearMonth(2027, 7))
    assert data.projects["xy-shuxue"].level == "校级"  # 校 accepted and normalised
    assert data.projects["dp-xiezuo"].stages[0].term.key == "2026-spring"


PLAN = "plans/dongpo-2026-autumn.yml"
PROJECT = "projects/dp-xiezuo.yml"
SCHOOL = "schools/dongpo.yml"

# (case, edits [(file, old, new) or (file, None, whole new content bytes/str)], file, line, field, message, hint)
CASES = [
    ("yaml-syntax", [(PROJECT, "schools: [dongpo]", "schools: [dongpo")], PROJECT, 6, "", "YAML 语法错误", "缩进"),
    ("tab-indent", [(SCHOOL, "short_name: 东坡小学", "short_name:\n\t东坡小学")], SCHOOL, 3, "", "制表符", "空格"),
    ("unknown-key", [(PLAN, "guiding:", "guidng:")], PLAN, 4, "guidng", "未知字段 'guidng'", "是不是想写 'guiding'"),
    ("unknown-nested-key", [(PLAN, "        who: 语文组", "        whom: 语文组")], PLAN, 17, "schedule[0].items[1].whom",
     "未知字段 'whom'", "是不是想写 'who'"),
    ("missing-school", [(PLAN, "school: dongpo\n", "")], PLAN, 1, "", "缺少必填字段 'school'", "学校 id"),
    ("unknown-school", [(PLAN, "school: dongpo", "school: dongpoo")], PLAN, 1, "school", "找不到学校 'dongpoo'",
     "是不是 'dongpo'"),
    ("unknown-project-in-item", [(PLAN, "projects: [dp-xiezuo]", "projects: [dp-xiezou]")], PLAN, 18,
     "schedule[0].items[1].projects[0]", "找不到课题 'dp-xiezou'", "dp-xiezuo"),
    ("unknown-project-in-plan", [(PLAN, "  - xy-shuxue", "  - xy-math")], PLAN, 11, "projects[1]",
     "找不到课题 'xy-math'", "已有的课题 id"),
    ("duplicate-id", [("schools/dongpo2.yml", None, "id: dongpo\nname: 另一所东坡小学\n")],
     "schools/dongpo2.yml", 1, "id", "学校 id 'dongpo' 重复", "schools/dongpo.yml:1"),
    ("impossible-date", [("plans/xiyuan-2027-spring.yml", "date: 3月10日", "date: 2月30日")],
     "plans/xiyuan-2027-spring.yml", 10, "schedule[0].items[0].date", "2027年没有2月30日", "10月25日"),
    ("month-outside-term", [(PLAN, "label: 元月份", "label: 四月份")], PLAN, 27, "schedule[2].label",
     "4月不在2026年秋季学期", "2026秋"),
    ("bad-level", [(PROJECT, "level: 区级", "level: 街道级")], PROJECT, 2, "level", "期望课题级别", ""),
    ("bad-stage", [(PLAN, "stage: 中期", "stage: 中旬")], PLAN, 10, "projects[0].stage", "期望课题阶段", ""),
    ("wrong-type-list", [(PLAN, "goals:\n  - 做好区级课题的中期评估。\n", "goals: 做好区级课题的中期评估。\n")],
     PLAN, 5, "goals", "期望一个列表", "- "),
    ("empty-items", [("plans/xiyuan-2027-spring.yml", "    items:\n      - 学期教研工作总结。\n", "    items: []\n")],
     "plans/xiyuan-2027-spring.yml", 13, "schedule[1].items", "至少需要一项", ""),
    ("python-tag", [(SCHOOL, None, "name: !!python/object/apply:os.system ['echo pwned']\n")], SCHOOL, 1, "",
     "不允许的 YAML 标签", "标签"),
    ("gbk-file", [(SCHOOL, None, "name: 东坡小学\n".encode("gbk"))], SCHOOL, 1, "", "不是 UTF-8", "GBK"),
    ("empty-file", [(SCHOOL, None, "")], SCHOOL, 1, "", "文件是空的", "name"),
    ("bad-term", [(PLAN, "term: 2026秋", "term: 明年秋天")], PLAN, 2, "term", "无法识别的学期", "2026秋"),
    ("bad-filename", [("schools/Dong Po.yml", None, "name: 东坡\n")], "schools/Dong Po.yml", 1, "",
     "不能直接作为 id", "小写字母"),
    ("duplicate-key", [(SCHOOL, "stage: 小学", "stage: 小学\nstage: 初中")], SCHOOL, 6, "", "键 'stage' 重复出现",
     "第 5 行"),
    ("binary-junk", [(SCHOOL, None, b"\x89PNG\r\n\x1a\n\x00\x00\x00")], SCHOOL, 0, "", "不是文本文件", ""),
    ("measures-twice", [(PLAN, "goals:", "measures: 另写一段\ngoals:")], PLAN, 5, "measures", "同时写在了", "只保留一处"),
    ("javascript-url", [(SCHOOL, "https://dongpo.example.edu.cn", "javascript:alert(1)")], SCHOOL, 6, "website",
     "网址必须以 http", ""),
    ("unreadable-date", [(PLAN, "date: 12月中旬", "date: 下周三")], PLAN, 22, "schedule[1].items[0].date",
     "无法识别的日期", "4.11～4.17"),
    ("top-level-list", [(SCHOOL, None, "- name: 东坡小学\n")], SCHOOL, 1, "", "顶层", "name"),
    ("stage-without-time", [(PROJECT, "    term: 2026春\n", "")], PROJECT, 9, "stages[0]", "需要 term", ""),
    ("bad-month-label", [(PLAN, "label: 九月份", "label: 第一周")], PLAN, 13, "schedule[0].label",
     "无法识别的月份标题", "months:"),
    ("explicit-month-outside-term", [(PLAN, "  - label: 元月份\n", "  - label: 元月份\n    months: [2027-03]\n")],
     PLAN, 28, "schedule[2].months[0]", "2027-03 不在2026年秋季学期", ""),
    ("bad-id-reference-format", [(PROJECT, "schools: [dongpo]", "schools: [Dong Po]")], PROJECT, 5, "schools[0]",
     "不合规范", ""),
]


@pytest.mark.parametrize("case,edits,file,line,field,message,hint", CASES, ids=[c[0] for c in CASES])
def test_bad_data_is_reported_with_file_line_field_and_hint(data_dir, case, edits, file, line, field, message, hint):
    for rel, old, new in edits:
        if old is None:
            path = data_dir / rel
            path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
        else:
            edit(data_dir, rel, old, new)
    result = load_plan_data(data_dir)
    assert result.data is None, "bad data must not load"
    matching = [p for p in result.errors if message in p.message]
    assert matching, f"expected {message!r} among:\n" + "\n".join(map(str, result.problems))
    problem = matching[0]
    assert problem.file == f"plan_data/{file}"
    assert problem.line == line, str(problem)
    assert problem.field == field, str(problem)
    assert hint in problem.hint, str(problem)
    assert str(problem).startswith(f"plan_data/{file}" + (f":{line}" if line else ""))


def test_every_problem_is_collected_in_one_run(data_dir):
    edit(data_dir, PLAN, "guiding:", "guidng:")
    edit(data_dir, PLAN, "school: dongpo", "school: nowhere")
    edit(data_dir, "plans/xiyuan-2027-spring.yml", "date: 3月10日", "date: 2月30日")
    edit(data_dir, PROJECT, "level: 区级", "level: 街道级")
    (data_dir / SCHOOL).write_text("", encoding="utf-8")
    messages = [p.message for p in load_plan_data(data_dir).errors]
    for expected in ("未知字段 'guidng'", "找不到学校 'nowhere'", "没有2月30日", "期望课题级别", "文件是空的"):
        assert any(expected in m for m in messages), (expected, messages)


def test_warnings_do_not_block_loading(data_dir):
    (data_dir / "notes.txt").write_text("随手记", encoding="utf-8")
    edit(data_dir, PLAN, "date: 12月中旬", "date: 11月中旬")  # inside the heading's months: no warning
    edit(data_dir, "plans/xiyuan-2027-spring.yml", "date: 3月10日", "date: 4月10日")  # not under 二月 三月
    result = load_plan_data(data_dir)
    assert result.data is not None and not result.errors
    assert sorted(p.message[:8] for p in result.warnings) == ["日期 '4月10", "这个文件不会被读"]


def test_symlink_out_of_plan_data_is_refused(data_dir, tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("name: 外部文件\n", encoding="utf-8")
    (data_dir / "schools" / "outside.yml").symlink_to(secret)
    result = load_plan_data(data_dir)
    assert any("符号链接" in p.message for p in result.errors)
    assert "outside" not in (result.data.schools if result.data else {})


def test_missing_folder():
    result = load_plan_data("/nonexistent/plan_data")
    assert result.data is None and "找不到数据文件夹" in result.errors[0].message


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plansite.adapters.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_cli_check_passes_on_good_data():
    result = run_cli("check", str(MINI))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "通过：2 所学校，2 份计划，2 项课题，7 条行事历" in result.stdout


def test_cli_check_lists_every_problem_and_exits_1(data_dir):
    edit(data_dir, PLAN, "school: dongpo", "school: nowhere")
    edit(data_dir, PROJECT, "level: 区级", "level: 街道级")
    result = run_cli("check", str(data_dir))
    assert result.returncode == 1
    assert "plan_data/plans/dongpo-2026-autumn.yml:1 school: 找不到学校 'nowhere'" in result.stdout
    assert "plan_data/projects/dp-xiezuo.yml:2 level: 期望课题级别" in result.stdout
    assert "2 处错误" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
