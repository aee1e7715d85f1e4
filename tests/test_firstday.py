"""The first day of a school's own site: a re-import adds to the review and never hides what is still
open; the publish gate refuses unstored URL names, a plan with no schedule and a template essay; the
"no schedule, yet N lines look like one" notice counts only lines that carry a date, a month or a week."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plansite.adapters.cli import main
from plansite.adapters.publish import open_problems
from plansite.importer.parse import schedule_hints
from plansite.importer.read import read_source
from plansite.importer.review import REPORT_MARK, earlier_runs
from plansite.input.load import load_plan_data

from conftest import FIXTURES, SHARED, report

FIRSTDAY = FIXTURES / "firstday"


def run(capsys, *args: object) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out + err


def top(review: str) -> str:
    """The report's first part: what plan_data still holds that stops a publish."""
    return review.split("<!-- plansite import 第", 1)[0]


# ------------------------------------------------------------------ the review across imports


def test_a_clean_import_after_one_with_problems_still_lists_them_until_they_are_fixed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # in the site's folder, as the README says
    data, review = Path("plan_data"), tmp_path / "导入报告.md"
    code, _ = run(capsys, "import", FIRSTDAY / "spring-untitled.txt", "--term", "2027春", "--out", data)
    assert code == 0
    first = review.read_text(encoding="utf-8")
    assert "`plan_data/schools/school-1.yml:1` `name`" in top(first)  # no school named: a placeholder
    assert re.search(r"plans/school-1-2027-spring\.yml:\d+` `term`：标题写的是 2025 年", top(first))

    code, out = run(capsys, "import", FIRSTDAY / "qinghe-autumn.txt", "--school", "青禾区实验小学", "--term", "2026秋",
                    "--out", data)
    assert code == 0
    second = review.read_text(encoding="utf-8")
    assert "这次导入了 1 份计划；发现要改的问题 0 处" in second  # B itself is clean …
    assert "`plan_data/schools/school-1.yml:1` `name`" in top(second)  # … and A's problems are still open
    assert re.search(r"plans/school-1-2027-spring\.yml:\d+` `term`", top(second))
    assert "含以前导入的计划" in out
    assert second.index("## 第 2 次导入") < second.index("## 第 1 次导入")  # the first run's section kept
    assert "spring-untitled.txt:1-" in second and "qinghe-autumn.txt:1-" in second

    # the fixes the report names: the school's name, the term the title says
    (data / "schools/school-1.yml").write_text("name: 青禾区第二实验小学\n", encoding="utf-8")
    plan = data / "plans/school-1-2027-spring.yml"
    plan.write_text(re.sub(r"(?m)^term: .*$", "term: 2025春", plan.read_text(encoding="utf-8")), encoding="utf-8")
    assert run(capsys, "slugs", data, "--write")[0] == 0
    code, _ = run(capsys, "import", FIRSTDAY / "qinghe-autumn.txt", "--school", "青禾区实验小学", "--term", "2026秋",
                  "--out", data)
    assert code == 0
    third = review.read_text(encoding="utf-8")
    assert "school-1" not in top(third) and "**待改**" not in top(third)
    assert "## 发布前还要改的问题" in third and "没有。" in top(third)
    assert [int(n) for n in re.findall(r"^## 第 (\d+) 次导入$", third, re.M)] == [3, 2, 1]


def test_an_earlier_report_without_sections_becomes_the_first(tmp_path):
    old = ("<!-- plansite import 生成的导入报告；每次导入重写 -->\n\n# 导入报告\n\n命令：`plansite import a.txt`\n\n"
           "## 要改的问题\n\n没有。\n")
    number, before = earlier_runs(old)
    assert number == 2
    assert before.startswith("<!-- plansite import 第 1 次 -->\n\n## 第 1 次导入\n")
    assert "### 要改的问题" in before and "# 导入报告" not in before
    assert earlier_runs("我们自己的记录\n") == (1, "")  # not a report: nothing taken from it
    assert earlier_runs(None) == (1, "")
    assert earlier_runs(f"{REPORT_MARK}\n\n# 导入报告\n\n<!-- plansite import 第 4 次 -->\n\n## 第 4 次导入\n")[0] == 5


# ------------------------------------------------------------------ the publish gate's data checks

SCHOOL = "name: 青禾区实验小学\n"
PLAN = """school: qinghe
term: 2026秋
title: {title}
schedule:
  - label: 九月份
    items:
      - {item}
      - 组织青年教师读书沙龙。
"""


def plan_data(folder: Path, title: str = "青禾区实验小学2026年秋季学期教科室工作计划", item: str = "制订教科室工作计划。",
              schedule: str | None = None) -> Path:
    data = folder / "plan_data"
    (data / "schools").mkdir(parents=True)
    (data / "plans").mkdir()
    (data / "schools/qinghe.yml").write_text(SCHOOL, encoding="utf-8")
    text = PLAN.format(title=title, item=item)
    if schedule is not None:
        text = text.split("schedule:")[0] + schedule
    (data / "plans/qinghe-2026-autumn.yml").write_text(text, encoding="utf-8")
    return data


def problems(data: Path) -> list:
    return open_problems(load_plan_data(data), data, "plan_data", "plan_data")


def test_unstored_url_names_are_refused_with_the_one_command_that_stores_them(tmp_path, capsys):
    data = plan_data(tmp_path)
    (found,) = problems(data)
    assert (found.file, found.line) == ("plan_data/slugs.yml", 1)
    assert found.message.startswith("2 个网址名还没有登记（") and "plans/qinghe-2026-autumn → " in found.message
    assert found.hint.startswith("运行 plansite slugs plan_data --write 登记它们")
    assert run(capsys, "slugs", data, "--write")[0] == 0
    assert problems(data) == []


@pytest.mark.parametrize("title, item, field, mark", [
    ("小学教科室工作计划范文", "制订教科室工作计划。", "title", "范文"),
    ("青禾区实验小学2026年秋季学期教科室工作计划", "20XX年12月完成结题报告。", "schedule[0].items[0]", "20XX"),
    ("青禾区实验小学2026年秋季学期教科室工作计划", "X月X日召开课题开题论证会。", "schedule[0].items[0]", "X月X日"),
    ("青禾区实验小学2026年秋季学期教科室工作计划", "邀请XX学校的老师上示范课。", "schedule[0].items[0]", "XX学校"),
    ("青禾区实验小学2026年秋季学期教科室工作计划", "请×××老师做讲座。", "schedule[0].items[0]", "×××"),
])
def test_text_that_reads_as_a_template_is_refused(tmp_path, capsys, title, item, field, mark):
    data = plan_data(tmp_path, title, item)
    run(capsys, "slugs", data, "--write")
    (found,) = problems(data)
    line = next(n for n, text in enumerate((data / "plans/qinghe-2026-autumn.yml").read_text(encoding="utf-8")
                                           .splitlines(), 1) if (title if field == "title" else item) in text)
    assert (found.file, found.line, found.field) == ("plan_data/plans/qinghe-2026-autumn.yml", line, field)
    assert f"读起来是范文或模板（“{mark}”）" in found.message and "范文、模板不能发布" in found.hint


def test_schedule_empty_on_purpose_passes_but_not_for_a_template_essay(tmp_path, capsys):
    data = plan_data(tmp_path, schedule="")
    run(capsys, "slugs", data, "--write")
    (found,) = problems(data)
    assert found.field == "schedule" and "没有行事历" in found.message
    assert "在 plan_data/plans/qinghe-2026-autumn.yml 里加一行 schedule: []" in found.hint
    plan = data / "plans/qinghe-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8") + "schedule: []\n", encoding="utf-8")
    assert problems(data) == []
    plan.write_text(plan.read_text(encoding="utf-8").replace("教科室工作计划", "教科室工作计划范文"), encoding="utf-8")
    assert [p.field for p in problems(data)] == ["title"]  # schedule: [] says nothing about a template


# ------------------------------------------------------------------ lines that look like a schedule

MEASURES = """青禾区实验小学教科室工作计划
一、加强课题管理
1. 各课题组每月开展一次研讨。
2. 完善课题过程资料。
二、推进校本研修
（一）开展青年教师读书活动。
（二）组织优秀论文评选。
"""


def hints(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    source = tmp_path / "计划.txt"
    source.write_text(text, encoding="utf-8")
    return [(h.line, h.why) for h in schedule_hints(list(read_source(source).lines))]


def test_numbered_measures_do_not_look_like_a_schedule(tmp_path):
    assert hints(tmp_path, MEASURES) == []


@pytest.mark.parametrize("line, why", [("九月份：开学工作检查。", "写有月份"), ("9月 召开教科研工作会议", "写有月份"),
                                       ("4.11～4.17 课堂展示周", "写有日期"), ("第3周 读书沙龙", "写有周次"),
                                       ("3. 10月25日前上交论文。", "写有日期")])
def test_a_line_with_a_date_month_or_week_does(tmp_path, line, why):
    assert hints(tmp_path, MEASURES + line + "\n") == [(len(MEASURES.splitlines()) + 1, why)]


def test_false_alarms_on_real_plans_without_a_schedule():
    """Plans of realdev and the seeds that have no schedule (their truth has no months): how many
    still get the notice. Measured: 10 of 14 when numbered measures counted, 2 of 14 now."""
    sets = [(SHARED / "realdev/raw", SHARED / "realdev/truth"), (SHARED / "seeds", SHARED / "seeds/truth")]
    if not all(raw.is_dir() and truth.is_dir() for raw, truth in sets):
        pytest.skip("../shared/realdev and ../shared/seeds are not here")
    from plansite.importer.parse import parse_file

    without = alarms = missed = 0
    for raw, truth in sets:
        for source in sorted(raw.glob("*.txt")):
            expected = json.loads((truth / f"{source.stem}.json").read_text(encoding="utf-8"))["plans"]
            plans = [p for p in parse_file(str(source)).plans if p.is_school_plan]
            for n, plan in enumerate(plans):
                has_schedule = n < len(expected) and bool(expected[n]["months"])
                read = any(b.months and b.items for b in plan.schedule)
                without += not has_schedule
                alarms += not has_schedule and not read and bool(plan.schedule_hints)
                missed += has_schedule and not read and not plan.schedule_hints
    report(f"schedule-like notice: {alarms} false alarms over {without} real plans without a schedule; "
           f"{missed} plans with a schedule missed without a notice")
    assert without and alarms <= without // 5 and missed == 0


# ------------------------------------------------------------------ the about page


def test_the_about_page_lists_the_schools_the_data_has(tmp_path, capsys):
    """Not the schools given to `plansite new`: those of plan_data when the site is built."""
    from conftest import build_site

    site = tmp_path / "site"
    assert run(capsys, "new", site, "--name", "青禾区教科研", "--school", "青禾区第九小学",
               "--plansite", "git+https://example.invalid/plansite@v0")[0] == 0
    assert not (site / "docs/about.md").exists()  # made at each build, from the data
    (site / "plan_data/schools/qinghequ-dijiu-xiaoxue.yml").unlink()  # a school that never had a plan, removed
    for name in ("qinghe-autumn.txt", "spring-untitled.txt"):
        assert run(capsys, "import", FIRSTDAY / name, "--term", "2026秋" if "autumn" in name else "2027春",
                   "--out", site / "plan_data")[0] == 0
    school = site / "plan_data/schools/school-1.yml"
    school.write_text("name: 青禾区东湖小学\n", encoding="utf-8")  # the fix the review asks for
    html = (build_site(site, tmp_path / "out") / "about/index.html").read_text(encoding="utf-8")
    names = re.findall(r'<li><a href="../schools/[a-z0-9-]+/">([^<]+)</a></li>', html)
    assert names == ["青禾区东湖小学", "青禾区实验小学"]  # in pinyin order, each linked to its page
    assert "青禾区第九小学" not in html and "收录 2 所学校" in html and "青禾区教科研" in html
