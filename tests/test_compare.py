"""Projects (timelines, consistency warnings) and comparisons across schools (categories, counts)."""

from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, report
from plansite.input.categories import Taxonomy
from plansite.input.load import load_plan_data
from plansite.input.projects import timeline, title_key

MINI = FIXTURES / "mini" / "plan_data"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_plan_data(MINI).data.taxonomy


CLASSIFIED = [
    # from the demo data
    ("制订学校教科室工作计划，召开课题组长会议。", "总结计划"),
    ("撰写市级课题中期报告，迎接中期评估。", "课题研究"),
    ("第五届校园读书节。", "读书活动"),
    ("专家讲座：如何撰写课题中期报告。", "专家讲座"),
    ("组织教师参加区教育教学论文评比。", "论文评比"),
    ("新教师“青蓝结对”拜师仪式。", "校本培训"),
    ("青年教师赛课（语文、数学、英语）。", "公开课"),
    ("期末资料归档，课题档案按“一课题一盒”整理。", "总结计划"),
    ("第六届校园科技节：小发明、科幻画、机器人搭建。", "社团活动"),
    ("开学教学常规检查（教案、作业）。", "检查考核"),
    # the genre, in our own words
    ("召开课题组主持人会议，布置本学期研究任务。", "课题研究"),
    ("组织骨干教师上示范课。", "公开课"),
    ("开展教师读书交流会。", "读书活动"),
    ("邀请市教科院专家来校作报告。", "专家讲座"),
    ("教师教学案例、论文征集与推荐。", "论文评比"),
    ("学生写字比赛。", "竞赛"),
    ("迎接区教育局教学视导。", "检查考核"),
    ("撰写教科室工作总结。", "总结计划"),
    ("组织学生社团展示活动。", "社团活动"),
    ("新一轮校级微课题申报、立项。", "课题研究"),
    ("网络研修：观看名师课堂实录。", "校本培训"),
    ("各教研组开展同课异构活动。", "公开课"),
    ("做好校园网宣传报道工作。", None),
]


@pytest.mark.parametrize("text,expected", CLASSIFIED)
def test_classifier(taxonomy, text, expected):
    assert taxonomy.classify(text) == expected


def test_classifier_agrees_with_hand_labels_in_the_demo():
    data = load_plan_data(ROOT / "plan_data").data
    labelled = [(i.text, i.category) for p in data.plans.values() for b in p.schedule for i in b.items
                if i.category_source == "data"]
    agree = sum(data.taxonomy.classify(text) == cat for text, cat in labelled)
    report(f"classifier vs the demo's hand labels: {agree}/{len(labelled)} = {agree / len(labelled):.0%}")
    assert agree / len(labelled) >= 0.7


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "plan_data"
    shutil.copytree(MINI, target)
    return target


def test_explicit_category_wins_and_district_taxonomy_replaces_the_default(data_dir):
    (data_dir / "categories.yml").write_text(
        "- name: 习作教学\n  slug: xizuo\n  keywords: [读写, 习作]\n"
        "- name: 其他工作\n  slug: qita\n  keywords: [计划, 总结]\n", encoding="utf-8")
    data = load_plan_data(data_dir)
    assert [p for p in data.problems if p.severity == "error"] == []
    plan = data.data.plans["dongpo-2026-autumn"]
    items = {i.text: (i.category, i.category_source) for b in plan.schedule for i in b.items}
    assert items["读写联动课题组集体备课。"] == ("习作教学", "keywords")
    assert items["制订教科室工作计划。"] == ("其他工作", "keywords")
    assert items["青年教师赛课。"] == ("公开课", "data")  # written in the data: kept, with a warning
    assert any("类别 '公开课' 不在分类表里" in p.message for p in data.warnings)


def test_bad_taxonomy_is_reported(data_dir):
    (data_dir / "categories.yml").write_text("- name: 论文\n  slug: Lun Wen\n  keywords: []\n", encoding="utf-8")
    problems = [str(p) for p in load_plan_data(data_dir).errors]
    assert any("plan_data/categories.yml:2 [0].slug" in p or "categories.yml:2" in p for p in problems), problems
    assert any("至少需要一项" in p for p in problems)


def test_timeline_merges_record_and_plans(data_dir):
    project = data_dir / "projects/dp-xiezuo.yml"
    project.write_text(project.read_text(encoding="utf-8") + "  - stage: 中期\n    date: 2026-12-15\n    note: 评估通过\n",
                       encoding="utf-8")
    data = load_plan_data(data_dir).data
    events = timeline(data, data.projects["dp-xiezuo"])
    assert [(e.stage, e.when) for e in events] == [("立项", "2026年春季学期"), ("中期", "2026年12月15日（2026年秋季学期）")]
    mid = events[1]
    assert [s.plan for s in mid.sources] == ["dongpo-2026-autumn", None]  # the plan and the record agree
    assert [s.note for s in mid.sources] == [None, "评估通过"]


def warnings_of(data_dir) -> list[str]:
    result = load_plan_data(data_dir)
    assert result.data is not None, [str(p) for p in result.errors]
    return [str(p) for p in result.warnings]


def test_clean_data_has_no_consistency_warnings():
    assert load_plan_data(MINI).warnings == [] and load_plan_data(ROOT / "plan_data").warnings == []


def test_stage_going_backwards(data_dir):
    spring = data_dir / "plans/xiyuan-2027-spring.yml"
    spring.write_text(spring.read_text(encoding="utf-8").replace("projects: [xy-shuxue]",
                                                                 "projects:\n  - id: xy-shuxue\n    stage: 申报", 1),
                      encoding="utf-8")
    project = data_dir / "projects/xy-shuxue.yml"
    project.write_text(project.read_text(encoding="utf-8").replace("    date: 2026-09-15",
                                                                   "    date: 2026-09-15\n  - stage: 开题\n    date: 2026-11"),
                       encoding="utf-8")
    messages = warnings_of(data_dir)
    assert any("plan_data/plans/xiyuan-2027-spring.yml:6 stage: 课题《初中数学“错题再生”校本作业设计研究》的阶段倒退："
               "2026-11（课题档案）已是开题，之后在2027年春季学期（计划 xiyuan-2027-spring）又是申报" in m
               for m in messages), messages


def test_concluded_then_still_opening(data_dir):
    project = data_dir / "projects/dp-xiezuo.yml"
    project.write_text(project.read_text(encoding="utf-8") + "  - stage: 结题\n    date: 2026-06\n", encoding="utf-8")
    messages = warnings_of(data_dir)
    assert any("dongpo-2026-autumn.yml:9 stage: 课题《小学中年级习作“读写联动”的实践研究》已在2026-06（课题档案）结题，"
               "之后在2026年秋季学期（计划 dongpo-2026-autumn）却仍写着“中期”" in m for m in messages), messages


def test_same_title_under_two_ids(data_dir):
    (data_dir / "projects/dp-xiezuo-2.yml").write_text(
        "title: 小学中年级习作 “读写联动” 的实践研究\nschools: [dongpo]\n", encoding="utf-8")
    messages = warnings_of(data_dir)
    assert any("projects/dp-xiezuo-2.yml:1 title: 与课题 'dp-xiezuo' 的题目几乎相同" in m for m in messages), messages
    assert title_key("《小学习作》的研究") == title_key("小学 习作 的研究")


def test_project_mentioned_but_not_defined(data_dir):
    plan = data_dir / "plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "      - 制订教科室工作计划。", "      - 申报区级课题《小学古诗词情境教学研究》。"), encoding="utf-8")
    messages = warnings_of(data_dir)
    assert any("dongpo-2026-autumn.yml:15" in m and "提到了课题《小学古诗词情境教学研究》" in m for m in messages)
    plan.write_text(plan.read_text(encoding="utf-8").replace("《小学古诗词情境教学研究》", "《小学中年级习作读写联动的实践研究》"),
                    encoding="utf-8")
    assert not any("提到了课题" in m for m in warnings_of(data_dir))  # a known title, spelled a little differently


# ---------------------------------------------------------------- comparison numbers


def _table(html: BeautifulSoup, heading_id: str) -> list[list[str]]:
    table = html.select_one(f"#{heading_id}").find_next("table")
    head = [th.get_text(strip=True) for th in table.select("thead th")]
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    return [head] + rows


def _term(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y}-spring" if 2 <= m <= 7 else (f"{y}-autumn" if m >= 8 else f"{y - 1}-autumn")


def test_comparison_numbers_equal_independent_counts(demo_site):
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    short = {s["id"]: s["short_name"] or s["name"] for s in data["schools"]}
    category = {i["url"]: (i["category"] or "未分类") for p in data["plans"] for b in p["schedule"] for i in b["items"]}
    items_by_term: dict[str, set] = defaultdict(set)
    grid: Counter = Counter()
    for m in data["months"]:
        for item in m["items"]:
            items_by_term[_term(m["month"])].add((item["school"], item["url"]))
            grid[(_term(m["month"]), item["school"], m["month"])] += 1
    assert sorted(items_by_term) == ["2026-autumn", "2026-spring"]
    for term, items in items_by_term.items():
        expected = Counter((school, category[url]) for school, url in items)
        page = next(u for u in data["pages"]["compare"] if u.endswith(f"compare/{term}/"))
        html = BeautifulSoup((demo_site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        head, *rows = _table(html, "categories")
        cats = head[1:-1]
        for row in rows[:-1]:
            sid = next(k for k, v in short.items() if v == row[0])
            got = {c: int(n) for c, n in zip(cats, row[1:-1]) if n != "–"}
            assert got == {c: n for (s, c), n in expected.items() if s == sid}, (term, row[0])
            assert int(row[-1]) == sum(n for (s, _), n in expected.items() if s == sid)
        head, *rows = _table(html, "months")
        for row in rows:
            sid = next(k for k, v in short.items() if v == row[0])
            months = sorted({m for (t, _, m) in grid if t == term})
            assert [int(n) if n != "–" else 0 for n in row[1:]] == [grid[(term, sid, m)] for m in months]
        # the heat maps carry the same numbers as the tables
        svg_numbers = [t.get_text() for t in html.select_one("#categories").find_next("svg").select("rect + text")]
        assert [int(n) if n != "·" else 0 for n in svg_numbers] == \
            [int(n) if n != "–" else 0 for r in _table(html, "categories")[1:-1] for n in r[1:-1]]


def test_projects_by_level_and_stage_per_school(demo_site):
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    html = BeautifulSoup((demo_site / "compare/index.html").read_text(encoding="utf-8"), "html.parser")
    for heading, key in (("projects-by-level", "level"), ("projects-by-stage", "stage")):
        head, *rows = _table(html, heading)
        for row in rows:
            school = next(s for s in data["schools"] if (s["short_name"] or s["name"]) == row[0])
            mine = [p for p in data["projects"] if school["id"] in p["schools"]]
            expected = Counter(p[key] or "未注明" for p in mine)
            got = {h: int(n) for h, n in zip(head[1:-1], row[1:-1]) if n != "–"}
            assert got == dict(expected) and int(row[-1]) == len(mine)
            assert school["stats"][f"projects_by_{key}"] == dict(expected)


def test_plans_json_project_stages_and_item_categories(mini_site):
    data = json.loads((mini_site / "data/plans.json").read_text(encoding="utf-8"))
    project = {p["id"]: p for p in data["projects"]}["dp-xiezuo"]
    assert project["level"] == "区级" and project["stage"] == "中期"
    assert [(s["stage"], s["term"], s["plan"]) for s in project["stages"]] == [
        ("立项", "2026-spring", None), ("中期", "2026-autumn", "dongpo-2026-autumn")]
    items = [i for p in data["plans"] for b in p["schedule"] for i in b["items"]]
    assert all("category" in i for i in items)
    assert {i["text"]: i["category"] for i in items}["青年教师赛课。"] == "公开课"
    assert data["pages"]["compare"][0] == "compare/" and "compare/2026-autumn/" in data["pages"]["compare"]
    for url in data["pages"]["compare"]:
        assert (mini_site / url / "index.html").is_file(), url
    stats = {s["id"]: s["stats"] for s in data["schools"]}["dongpo"]
    assert stats["items"] == 5 and sum(stats["categories"].values()) == 5


def test_term_over_term_on_the_school_page(demo_site):
    html = BeautifulSoup((demo_site / "schools/qinghe-shixiao/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    section = html.select_one("#term-over-term")
    assert section is not None
    summaries = [s.get_text() for s in section.find_all_next("summary")]
    assert any(s.startswith("新增的工作") for s in summaries) and any(s.startswith("延续的工作") for s in summaries)


def test_term_diff_matches_recurring_activities():
    from plansite.views.termdiff import activity_key, term_diff

    assert activity_key("第五届校园读书节（11月）") == activity_key("第六届校园读书节")
    data = load_plan_data(ROOT / "plan_data").data
    diff = term_diff(data.plans["qinghe-2026-spring"], data.plans["qinghe-2026-autumn"])
    before = [i.text for b in data.plans["qinghe-2026-spring"].schedule for i in b.items]
    after = [i.text for b in data.plans["qinghe-2026-autumn"].schedule for i in b.items]
    assert len(diff.continued) + len(diff.new) == len(after)
    assert len(diff.continued) + len(diff.dropped) == len(before)
    assert "qh-zhengben-yuedu" in diff.projects_continued
