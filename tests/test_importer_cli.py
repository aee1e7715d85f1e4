"""`plansite import`: what it writes, what it refuses, what it says."""

from __future__ import annotations

import json
import shutil

import yaml

from plansite.adapters.cli import main
from plansite.input.load import load_plan_data

from conftest import FIXTURES

HERE = FIXTURES / "importer"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_needs_no_term_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, HERE / "collection.txt", "--json")
    assert code == 0 and not (tmp_path / "plan_data").exists()
    data = json.loads(out)
    assert set(data) == {"plans", "noise", "accounting"}  # "accounting": where every source line went (added key)
    plan = data["plans"][0]
    assert {"title", "school", "term", "is_school_plan", "schedule", "projects", "sections"} <= set(plan)
    assert plan["schedule"][0]["months"] == [2, 3] and plan["schedule"][0]["items"][0]["text"] == "制订本学期教科研计划"
    assert [p["is_school_plan"] for p in data["plans"]] == [True, True, False, True]
    assert data["plans"][3]["projects"] == [
        {"title": "课堂观察促进教师专业发展的研究", "level": "区级", "stage": "中期", "line": 53,
         "note": None, "host": None}]


def test_writing_asks_for_a_term_when_the_year_is_unknown(tmp_path, capsys):
    code, _, err = run(capsys, HERE / "collection.txt", "--out", tmp_path / "plan_data")
    assert code == 2
    assert "需要指定学期" in err and "--term" in err and "collection.txt:5" in err
    assert not (tmp_path / "plan_data").exists()


def test_import_writes_data_that_loads(tmp_path, capsys):
    out_dir = tmp_path / "plan_data"
    code, out, err = run(capsys, HERE / "single.txt", HERE / "collection.txt", "--out", out_dir, "--term", "2027春")
    assert code == 0, err
    result = load_plan_data(out_dir)
    assert result.problems == [] and result.data is not None
    data = result.data
    # each plan of a collection that names no school gets a placeholder of its own, never the file name
    assert set(data.schools) == {"qingshan-xiaoxue", "school-1", "school-2", "school-3"}
    assert {data.schools[f"school-{n}"].name for n in (1, 2, 3)} == {"待填写校名1", "待填写校名2", "待填写校名3"}
    plan = data.plans["qingshan-xiaoxue-2026-autumn"]  # the text's own term wins over --term
    assert plan.title == "青山小学教科室工作计划" and plan.guiding.startswith("本学期")
    assert [b.label for b in plan.schedule] == ["九月份", "十月", "11月", "12月份", "元月份"]
    assert str(plan.schedule[4].months[0]) == "2027-01"
    dated = plan.schedule[0].items[1]
    assert (dated.text, dated.date.text, str(dated.date.start)) == ("举行新教师拜师仪式。", "9月10日", "2026-09-10")
    assert [(pp.stage) for pp in plan.projects] == ["中期", "结题", "开题"]
    project = data.projects[plan.projects[0].id]
    assert (project.title, project.level, project.schools) == ("小学低段绘本共读的实践研究", "市级", ("qingshan-xiaoxue",))
    assert plan.schedule[1].items[1].projects == (project.id,)
    assert "## 三、主要措施" in plan.measures and "## 行事历说明" in plan.measures
    school = yaml.safe_load((out_dir / "schools" / "qingshan-xiaoxue.yml").read_text(encoding="utf-8"))
    assert school == {"name": "青山小学", "stage": "小学"}
    assert len([p for p in data.plans.values() if p.school.startswith("school-")]) == 3  # the hospital is not imported
    review = (tmp_path / "导入报告.md").read_text(encoding="utf-8")
    assert "plan_data/schools/school-1.yml:1`" in review and "改法：把" in review
    assert "collection.txt:38-40（不是学校计划）" in out
    assert "single.txt:42 临时性工作另行通知。" in out  # every line it could not place, with its number
    assert not list(out_dir.rglob("*.tmp"))


def test_existing_files_are_never_overwritten_without_force(tmp_path, capsys):
    out_dir = tmp_path / "plan_data"
    assert run(capsys, HERE / "single.txt", "--out", out_dir)[0] == 0
    code, out, _ = run(capsys, HERE / "single.txt", "--out", out_dir)
    assert code == 0 and "个未变" in out  # the same import again changes nothing
    plan_file = out_dir / "plans" / "qingshan-xiaoxue-2026-autumn.yml"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("九月份", "九月"), encoding="utf-8")
    edited = plan_file.read_text(encoding="utf-8")
    code, _, err = run(capsys, HERE / "single.txt", "--out", out_dir)
    assert code == 1 and "已经存在且内容不同" in err and "--force" in err
    assert plan_file.read_text(encoding="utf-8") == edited
    code, out, _ = run(capsys, HERE / "single.txt", "--out", out_dir, "--force")
    assert code == 0 and "覆盖 1 个" in out and "九月份" in plan_file.read_text(encoding="utf-8")


def test_school_option_and_an_existing_school(tmp_path, capsys):
    out_dir = tmp_path / "plan_data"
    (out_dir / "schools").mkdir(parents=True)
    (out_dir / "schools" / "mingde.yml").write_text("name: 明德小学\nshort_name: 明德\n", encoding="utf-8")
    code, out, err = run(capsys, HERE / "weeks.txt", "--out", out_dir, "--term", "2026秋", "--school", "明德小学")
    assert code == 0, err
    assert (out_dir / "schools" / "mingde.yml").read_text(encoding="utf-8") == "name: 明德小学\nshort_name: 明德\n"
    data = load_plan_data(out_dir).data
    plan = data.plans["mingde-2026-autumn"]
    assert [(b.label, [str(m) for m in b.months]) for b in plan.schedule][2] == ("第5周", ["2026-09", "2026-10"])
    assert plan.schedule[0].items[0].who == "教科室"


def test_bad_input_and_bad_term(tmp_path, capsys):
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, empty, HERE / "single.txt", "--out", tmp_path / "plan_data")
    assert code == 1 and "空.txt 是空文件" in err and "提示" in err and "Traceback" not in err
    assert not (tmp_path / "plan_data").exists()  # nothing is written when one input is bad
    code, _, err = run(capsys, tmp_path / "没有.txt", "--json")
    assert code == 1 and "找不到文件" in err
    code, _, err = run(capsys, HERE / "single.txt", "--term", "秋天")
    assert code == 1 and "无法识别的学期" in err


def test_a_file_with_no_plan(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好。\n明天去公园。\n", encoding="utf-8")
    shutil.copy(path, tmp_path / "copy.txt")
    code, _, err = run(capsys, path, "--out", tmp_path / "plan_data", "--term", "2026秋")
    assert code in (0, 1) and "Traceback" not in err


def test_an_interrupted_import_leaves_every_file_whole(tmp_path, capsys, monkeypatch):
    """Killed half-way through writing: each file is its old or its new self, never half of one."""
    import os

    from plansite.importer import dump

    out_dir = tmp_path / "plan_data"
    assert run(capsys, HERE / "single.txt", "--out", out_dir)[0] == 0
    before = {p: p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    for path in before:  # the user edits every file afterwards
        path.write_bytes(path.read_bytes() + "\n# 老师自己加的备注\n".encode())
    edited = {p: p.read_bytes() for p in before}
    real_replace, calls = os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second file is being put in place
        return real_replace(src, dst)

    monkeypatch.setattr(dump.os, "replace", interrupted)
    assert main(["import", str(HERE / "single.txt"), "--out", str(out_dir), "--force"]) == 130  # interrupted
    capsys.readouterr()
    assert len(calls) == 2
    for path in before:
        assert path.read_bytes() in (edited[path], before[path]), path
    assert not [p for p in out_dir.rglob("*") if p.name.endswith(".tmp")]
    assert load_plan_data(out_dir).data is not None


NO_SCHEDULE = """溪口小学2026学年第一学期教科室工作计划
一、指导思想
以课题研究为抓手，推进课堂变革。
二、主要工作
1、9月10日前完成各组计划的审阅，10月中旬组织一次读书沙龙。
2、青年教师每学期上一节研究课。
"""


def test_a_plan_with_no_schedule_is_said_first_and_refused_until_marked(tmp_path, capsys):
    from plansite.adapters.publish import data_problems

    source = tmp_path / "溪口.txt"
    source.write_text(NO_SCHEDULE, encoding="utf-8")
    data = tmp_path / "plan_data"
    code, out, _ = run(capsys, source, "--out", data)
    assert code == 0
    assert out.splitlines()[0].startswith("导入可能没有成功：1 份计划")
    # the dated line counts as schedule-like; a numbered measure without a date or month does not
    assert "没有读出行事历，原文却有 1 行像是行事历" in out and "第 5 行（写有日期）1、9月10日前完成" in out
    report = (tmp_path / "导入报告.md").read_text(encoding="utf-8")
    assert report.index("## 发布前还要改的问题") < report.index("### 可能没有导入成功")
    assert "第 5 行（写有日期）1、9月10日前完成" in report and "第 6 行" not in report
    plan_file = next((data / "plans").glob("*.yml"))
    assert "schedule" not in plan_file.read_text(encoding="utf-8")  # the importer never says so for the user
    problems = data_problems(load_plan_data(data).data, "plan_data", data)
    assert [(p.field, "没有行事历" in p.message) for p in problems if p.field == "schedule"] == [("schedule", True)]
    assert "schedule: []" in next(p for p in problems if p.field == "schedule").hint
    plan_file.write_text(plan_file.read_text(encoding="utf-8") + "schedule: []\n", encoding="utf-8")
    assert [p for p in data_problems(load_plan_data(data).data, "plan_data", data) if p.field == "schedule"] == []


def test_a_plan_whose_lines_mostly_found_no_place_is_said_first(tmp_path, capsys):
    source = tmp_path / "周.txt"
    source.write_text("溪口小学周工作安排\n九月份\n1、制订计划。\n周次 | 工作内容\n第1周 | 开学检查\n第2周 | 教研组长会议\n"
                      "第3周 | 读书沙龙\n第4周 | 课题论证\n第5周 | 论文评选\n", encoding="utf-8")  # weeks with no dates: no month
    code, out, _ = run(capsys, source, "--out", tmp_path / "plan_data", "--term", "2026秋")
    assert code == 0
    first = out.splitlines()[:3]
    assert first[0].startswith("导入可能没有成功") and "的行放进了计划" in first[1], first
    assert "周次没有写日期" in out
