"""Golden cases for the formats schools really write (issue 13): week tables as text, flattened and
.docx, month headings in other clothes, weekly arrangements, Traditional characters, page chrome,
PDF. The fixtures are our own fictional plans in the genre; the expected structure sits beside
each as JSON. The figures by format are printed at the end of the run."""

from __future__ import annotations

import io
import json
import re

import pytest

from plansite.adapters.cli import main
from plansite.importer import PlanImportError, parse_file, parse_source, parse_text
from plansite.importer.read import source_from_bytes

from conftest import FIXTURES, SHARED, report
from pdfmaker import make_pdf

HERE = FIXTURES / "importer" / "formats"
NAMES = sorted(p.stem for p in HERE.glob("*.txt"))
FORMATS = {  # format -> fixtures; .docx and .pdf are made from the text at test time
    "week table, pipes": ["week_pipe", "week_numbers", "week_month_column", "week_traditional"],
    "week table, flattened": ["week_flat", "week_flat_oneline", "week_flat_cms"],
    "week table, .docx": ["docx:week_pipe", "docx:week_numbers", "docx:months_table", "docx:week_month_column"],
    "weekly arrangement": ["weekly"],
    "month headings, other clothes": ["months_suffix", "months_table", "months_runon", "months_chars", "months_year",
                                      "months_flat_table"],
    "Traditional characters": ["traditional"],
    "page chrome, Word-HTML": ["noise_cms"],
    "PDF text layer": ["pdf:months_year", "pdf:traditional"],
    "table reader: rows that continue a week, periods, dated rows": ["table_calendar", "docx:table_calendar"],
    "table reader: cells closed by a bar": ["week_bars_below", "week_closed_cells", "months_bar_cells"],
    "table reader: one cell a line, cut cells": ["months_chars_table", "week_split_cells"],
    "table reader: more columns (subject, host, time, place)": ["subject_table", "docx:subject_table", "subject_flat",
                                                                "lesson_weeks", "docx:lesson_weeks"],
    "table reader: the date before the week, a caption row": ["week_date_first", "docx:week_date_first"],
    "table reader: glued cells, two-row header, Traditional": ["week_glued_traditional", "docx:week_glued_traditional"],
    "headings in other clothes: a week's title, sub-headings in a month": ["weekly_title", "months_subheadings"],
    "dated rows with no headings": ["dated_calendar", "dated_rows_table", "docx:dated_rows_table", "month_parts_table",
                                    "docx:month_parts_table"],
    "headings in other clothes: phases, spaced months, commas, run-on, contents": [
        "months_phases", "phase_items", "months_commas", "runon_sections", "toc_months", "weeks_runon"],
    "projects from tables and lists": ["projects_table", "docx:projects_table", "projects_list"],
    "title and school from the page": ["page_byline", "docx:page_byline", "week_closed_cells"],
}


def truth(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def _label(text: str | None) -> str:
    return re.sub(r"[：:。\s]+$", "", text or "")


def text_lines(name: str) -> list[str]:
    return (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines()


def make_docx(name: str) -> bytes:
    """The fixture as a Word file: pipe rows become a real table, '；' in a work cell a line break."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []

    def flush():
        if rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, text in enumerate(cells):
                    table.cell(r, c).text = text.replace("；", "\n") if c == 2 else text
            for r in range(1, len(rows)):  # an empty first cell: the month cell above spans this row
                if not rows[r][0]:
                    table.cell(r - 1, 0).merge(table.cell(r, 0))
            rows.clear()

    for line in text_lines(name):
        if "|" in line:
            rows.append([c.strip() for c in line.strip("|").split("|")])
        else:
            flush()
            if line.strip():
                document.add_paragraph(line)
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf_of(name: str) -> bytes:
    lines = [line for line in text_lines(name) if line.strip()]
    half = len(lines) // 2
    return make_pdf([lines[:half], lines[half:]])


def result_of(key: str):
    kind, _, name = key.rpartition(":")
    if kind == "docx":
        return parse_source(source_from_bytes(make_docx(name), f"{name}.docx")), name
    if kind == "pdf":
        return parse_source(source_from_bytes(make_pdf_of(name), f"{name}.pdf")), name
    return parse_file(HERE / f"{name}.txt"), name


def shape(result) -> list[dict]:
    return [{"title": p["title"], "school": p["school"],
             "months": [{"label": _label(b["label"]), "months": b["months"], "items": len(b["items"])} for b in p["schedule"]],
             "projects": [{"title": x["title"], "level": x["level"], "stage": x["stage"]} for x in p["projects"]]}
            for p in result.to_json()["plans"]]


@pytest.mark.parametrize("key", NAMES + [k for keys in FORMATS.values() for k in keys if ":" in k])
def test_golden(key):
    result, name = result_of(key)
    assert shape(result) == truth(name)["plans"]


@pytest.mark.parametrize("key", NAMES + [k for keys in FORMATS.values() for k in keys if ":" in k])
def test_every_line_is_accounted_for(key):
    result, _ = result_of(key)
    a = result.accounting
    assert a is not None and a.total
    assert a.missing == []
    assert set(a.placed) | set(a.noise) | {u.line for u in a.unplaced} >= set(a.total)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/seeds (test material) is not here")
@pytest.mark.parametrize("path", sorted((SHARED / "seeds").glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_line_is_accounted_for(path):
    a = parse_file(path).accounting
    assert a.missing == [] and len(a.total) == len(set(a.total))


def test_noise_lines_are_noise_and_traditional_text_is_kept_as_written():
    result = parse_file(HERE / "noise_cms.txt")
    kinds = {n.kind for n in result.noise}
    assert {"chrome", "page", "blurb"} <= kinds
    assert 4 in result.accounting.noise and 8 in result.accounting.noise  # <?xml …>, a paragraph of &nbsp;
    plan = parse_file(HERE / "traditional.txt").plans[0]
    assert plan.schedule[0].items[0].text == "製訂教科室工作計劃。"
    assert plan.title == "明德國民小學2026學年第一學期教科室工作計劃"  # the converter's pinyin is gone


def test_scanned_pdf_and_broken_pdf_say_so_in_chinese():
    with pytest.raises(PlanImportError) as e:
        source_from_bytes(make_pdf([[]]), "扫描件.pdf")
    assert "扫描" in e.value.message and "扫描件.pdf" in e.value.message and "OCR" in e.value.hint
    with pytest.raises(PlanImportError) as e:
        source_from_bytes(b"%PDF-1.4\n garbage", "坏.pdf")
    assert "坏.pdf" in e.value.message


def test_json_and_summary_account_for_lines(tmp_path, capsys):
    path = HERE / "noise_cms.txt"
    assert main(["import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"plans", "noise", "accounting"} <= data.keys()
    block = data["plans"][0]["schedule"][0]
    assert {"label", "months", "items"} <= block.keys()
    lines = data["accounting"][0]
    assert lines["total"] == lines["placed"] + lines["noise"] + len(lines["unplaced"]) and lines["missing"] == []
    assert main(["import", str(HERE / "week_pipe.txt"), "--out", str(tmp_path / "plan_data")]) == 0
    out = capsys.readouterr().out
    assert "共 22 行：放进计划 22 行" in out


def test_week_rows_write_yaml_that_loads(tmp_path, capsys):
    data = tmp_path / "plan_data"
    for name in ("week_pipe", "week_flat", "weekly", "months_suffix"):
        assert main(["import", str(HERE / f"{name}.txt"), "--out", str(data)]) == 0, capsys.readouterr().err
    text = next((data / "plans").glob("qingxi*-2027-spring.yml")).read_text(encoding="utf-8")
    assert "label: 第1周" in text and "- 2027-02" in text and "- 2027-03" in text


def _f1(hits: int, wanted: int, found: int) -> float:
    return 2 * hits / max(1, wanted + found)


def _score(keys: list[str]) -> dict:
    s = dict(heads=0, got=0, hit=0, exact=0, mt=0, mg=0, mhit=0, proj=0, level=0)
    for key in keys:
        result, name = result_of(key)
        got, want = shape(result), truth(name)["plans"]
        for g, t in zip(got, want):
            blocks = [(b["label"], b["months"], b["items"]) for b in g["months"]]
            s["got"] += len(blocks)
            used: set[int] = set()
            for head in t["months"]:
                s["heads"] += 1
                hit = next((j for j, b in enumerate(blocks) if b[:2] == (head["label"], head["months"]) and j not in used), None)
                if hit is not None:
                    used.add(hit)
                    s["hit"] += 1
                    s["exact"] += blocks[hit][2] == head["items"]
            gm = {n for b in g["months"] for n in b["months"]}
            tm = {n for b in t["months"] for n in b["months"]}
            s["mt"], s["mg"], s["mhit"] = s["mt"] + len(tm), s["mg"] + len(gm), s["mhit"] + len(gm & tm)
            mine = {p["title"]: p for p in g["projects"]}
            for p in t["projects"]:
                if p["title"] in mine:
                    s["proj"] += 1
                    s["level"] += mine[p["title"]]["level"] == p["level"]
    return dict(heads=_f1(s["hit"], s["heads"], s["got"]), months=_f1(s["mhit"], s["mt"], s["mg"]),
                exact=s["exact"] / max(1, s["hit"]), level=s["level"] / max(1, s["proj"]) if s["proj"] else None)


def test_figures_by_format():
    parts = []
    worst = 1.0
    for fmt, keys in FORMATS.items():
        s = _score(keys)
        level = f", level {s['level']:.2f}" if s["level"] is not None else ""
        parts.append(f"{fmt}: headings F1 {s['heads']:.2f}, months F1 {s['months']:.2f}, item counts exact {s['exact']:.2f}{level}")
        worst = min(worst, s["heads"], s["months"], s["exact"], s["level"] if s["level"] is not None else 1.0)
    report("importer on our format fixtures: " + "; ".join(parts))
    assert worst >= 0.9, parts


@pytest.mark.parametrize("schedule,expected", [
    ("一、二月份\n1、制订计划。\n二、三月份\n1、赛课。\n三、四月份\n1、论文评选。",  # numbered single months, not pairs
     [("二月份", [2], 1), ("三月份", [3], 1), ("四月份", [4], 1)]),
    ("二、三月份\n1、制订计划。\n四月\n1、赛课。", [("二、三月份", [2, 3], 1), ("四月", [4], 1)]),
    ("9、10月\n1、制订计划；召开会议。\n11、12月\n1、读书节。", [("9、10月", [9, 10], 1), ("11、12月", [11, 12], 1)]),
    ("1、九月份：制订计划；召开会议。\n2、十月份：读书节。\n3、九月开学后各组交流计划。",
     [("九月份", [9], 2), ("十月份", [10], 2)]),
    ("月份 | 周次 | 日期 | 工作内容\n9月 | 第1周 | 9.1-9.7 | 开学检查；组长会\n | 第2周 | 9.8-9.14 | 读书沙龙",
     [("第1周", [9], 2), ("第2周", [9], 1)]),
    ("周次 | 日期 | 工作内容\n一 | 2027.2.27-3.5 | 开学常规检查\n二 | 3.6-3.12 | 读书沙龙",
     [("一", [2, 3], 1), ("二", [3], 1)]),
    ("九　月　份\n1、制订计划。\n十　月　份\n1、读书节。", [("九　月　份", [9], 1), ("十　月　份", [10], 1)]),
    ("周次 | 日期 | 工作内容 | 备注\n第1周 | 9月1日—9月7日（开学周） | 开学检查 | 雨天顺延\n第2周 | 9.8-9.14 | 读书沙龙 |",
     [("第1周", [9], 1), ("第2周", [9], 1)]),
    ("<TR><TD>第1周</TD><TD>9.1-9.7</TD><TD>制订计划；组长会</TD></TR>\n<TR><TD>第2周</TD><TD>9.8-9.14</TD><TD>读书会</TD></TR>",
     [("第1周", [9], 2), ("第2周", [9], 1)]),
    ("第1周\n9.1-9.7\n制订计划\n第2周\n9.8-9.14\n读书会", [("第1周", [9], 1), ("第2周", [9], 1)]),
    ("序号 | 周次 | 日期 | 工作内容\n1 | 第1周 | 9.1-9.7 | 制订计划\n2 | 第2周 | 9.8-9.14 | 读书会；组长会",
     [("第1周", [9], 1), ("第2周", [9], 2)]),
    ("周次 | 日期 | 工作内容 | 负责人\n第1周\n9.1-9.7\n读书沙龙\n课题论证\n第2周\n9.8-9.14\n青年教师论文写作\n王芳、李明",
     [("第1周", [9], 2), ("第2周", [9], 1)]),
    ("第1周 | 9.1-9.7 | 制订计划\n | | 组长会\n第2周 | 9.8-9.14 | 读书会", [("第1周", [9], 2), ("第2周", [9], 1)]),
    ("月份 | 周次 | 工作内容\n9月 | 第1周 | 开学检查；组长会\n | 第2周 | 读书沙龙\n10月 | 第6周 | 课题论证",  # no dates
     [("第1周", [9], 2), ("第2周", [9], 1), ("第6周", [10], 1)]),
    ("九月份\n第1周：开学检查\n第2周：读书沙龙\n十月份\n第6周：课题论证", [("九月份", [9], 2), ("十月份", [10], 1)]),
    ("第1周 | 9.1-9.7 | 1.制订计划2.召开组长会3.拜师结对", [("第1周", [9], 3)]),  # numbers run together
    ("第9周（10月25日—10月29日）工作安排\n周一（10月25日）：例会。\n周三（10月27日）：汇报课。\n第2周 9.8-9.14\n1、读书会",
     [("第9周（10月25日—10月29日）工作安排", [10], 2), ("第2周", [9], 1)]),
    ("周次 | 日期 | 工作内容\n第1周 | 2/23(一) | 读书\n第5周 | 9.28 | 国庆放假",  # a Monday alone: the week runs to Friday
     [("第1周", [2], 1), ("第5周", [9, 10], 1)]),
    ("周次｜日期｜工作内容｜负责人\n第1周｜9.1-9.5｜开学检查；组长会议｜教导处\n第2周｜9.8-9.12｜读书沙龙｜教科室",  # full-width bars
     [("第1周", [9], 2), ("第2周", [9], 1)]),
    ("周次 日期 工作内容 负责人\n第1周 9.1-9.5 开学检查 教导处\n第2周 9.8-9.12 读书沙龙 教科室",  # cells parted by spaces
     [("第1周", [9], 1), ("第2周", [9], 1)]),
])


def test_schedule_shapes(schedule, expected):
    plan = parse_text("学校教科室工作计划\n三、行事历\n" + schedule).plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == expected


@pytest.mark.parametrize("line", ["打印本页 关闭窗口", "作者：admin 发布时间：2026-09-03 点击：326", "【字体：大 中 小】",
                                  "当前位置：首页 > 教学科研", "第 2 页", "- 3 -", "第1页/共3页", "上一篇：读书节方案"])
def test_page_chrome_is_noise(line):
    result = parse_text(f"学校教科室工作计划\n一、工作目标\n1、做好课题研究。\n{line}\n2、办好读书节。\n")
    assert 4 in result.accounting.noise and result.accounting.missing == []
    assert line not in result.plans[0].measures


def test_pdf_lines_wrapped_at_the_margin_are_joined():
    page = ["桃李小学2026学年第一学期教科室工作计划", "一、工作措施",
            "1、各教研组每两周开展一次主题教研活动，围绕单元整体教学设计进行",
            "研讨，形成案例。", "二、行事历", "九月份", "1、制订教科室计划。", "2、组织青年教师参加区里的课堂教学评比活动，请骨干教师全程指导并",
            "做好赛前磨课。"]
    plan = parse_source(source_from_bytes(make_pdf([page]), "桃李.pdf")).plans[0]
    assert [(b.label, len(b.items)) for b in plan.schedule] == [("九月份", 2)]
    assert plan.schedule[0].items[1].text == "组织青年教师参加区里的课堂教学评比活动，请骨干教师全程指导并做好赛前磨课。"
    assert "进行研讨，形成案例。" in plan.measures


def test_docx_cells_merged_down_belong_to_their_first_row():
    import docx

    document = docx.Document()
    document.add_paragraph("学校教科室工作计划")
    document.add_paragraph("三、行事历")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("第1周", "9.1-9.7", "制订计划"), ("", "", "组长会"), ("第2周", "9.8-9.14", "读书会")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    out = io.BytesIO()
    document.save(out)
    plan = parse_source(source_from_bytes(out.getvalue(), "merged.docx")).plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == [("第1周", [9], 2), ("第2周", [9], 1)]


def test_pdf_running_headers_and_footers_are_noise():
    first = ["梅园小学2026学年第一学期教科室工作计划", "一、工作目标", "1、做好课题研究。", "二、行事历", "九月份",
             "1、制订计划。", "梅园小学教科室", "第1页"]
    second = ["梅园小学2026学年第一学期教科室工作计划", "2、召开课题组长会议。", "十月份", "1、读书节。", "梅园小学教科室", "第2页"]
    result = parse_source(source_from_bytes(make_pdf([first, second]), "梅园.pdf"))
    plan = result.plans[0]
    assert plan.title == "梅园小学2026学年第一学期教科室工作计划"
    assert [(b.label, len(b.items)) for b in plan.schedule] == [("九月份", 2), ("十月份", 1)]
    assert result.accounting.missing == [] and len(result.accounting.noise) >= 4


@pytest.mark.parametrize("sentence,expected", [
    ("获得青川市级立项：《绘本共读的策略研究》、《错题资源的开发与利用》，本学期做好开题论证。",
     [("绘本共读的策略研究", "市级", "开题"), ("错题资源的开发与利用", "市级", "开题")]),
    ("《家校共育视角下的劳动清单设计》获青川市教育学会立项。", [("家校共育视角下的劳动清单设计", "市级", None)]),
    ("国家级子课题《初中历史项目化作业的设计研究》本学期完成结题报告。", [("初中历史项目化作业的设计研究", "国家级", "结题")]),
    ("中国教育学会课题《小学数学结构化教学的研究》撰写中期报告。", [("小学数学结构化教学的研究", "国家级", "中期")]),
    ("课题《小学数学说理课堂的研究》（省级）本学期进入结题阶段。", [("小学数学说理课堂的研究", "省级", "结题")]),
    ("课题名称：《低年级识字游戏的研究》 | 市级 | 王芳", [("低年级识字游戏的研究", "市级", None)]),
    ("按照《江东小学教科研工作计划（2026学年）》和《课题结题报告汇编》开展工作。", []),
    ("我校承担国家级课题《劳动教育课程化的研究》的子课题《低年级劳动清单的实践研究》，本学期撰写中期报告。",
     [("劳动教育课程化的研究", "国家级", "中期"), ("低年级劳动清单的实践研究", "国家级", "中期")]),
    ("《小学科学探究记录单的设计研究》是江苏省教育科学规划课题。", [("小学科学探究记录单的设计研究", "省级", None)]),
    ("江东市实验小学课题《课堂观察量表的实践研究》进入结题阶段。", [("课堂观察量表的实践研究", None, "结题")]),
])
def test_project_levels_in_other_places(sentence, expected):
    plan = parse_text(f"学校教科室工作计划\n一、课题研究\n{sentence}\n").plans[0]
    assert [(p.title, p.level, p.stage) for p in plan.projects] == expected


def test_docx_month_cell_written_one_character_a_line():
    import docx

    document = docx.Document()
    document.add_paragraph("学校教科室工作计划")
    document.add_paragraph("三、行事历")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("九\n月\n份", "制订计划\n召开组长会"), ("十\n月", "读书节")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    plan = parse_source(source_from_bytes(out.getvalue(), "vertical.docx")).plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == [("九月份", [9], 2), ("十月", [10], 1)]


def test_traditional_week_table_with_a_minguo_year():
    plan = parse_file(HERE / "week_traditional.txt").plans[0]
    assert (plan.term, plan.term_key) == ("115學年度第一學期", "2026-autumn")
    assert plan.schedule[0].items[0].who == "教務處"  # 負責處室 is the who column, kept as written


@pytest.mark.parametrize("key", NAMES + [k for keys in FORMATS.values() for k in keys if k.startswith("docx:")])
def test_what_every_fixture_writes_loads(key, tmp_path):
    """Dates as tables and calendars write them (9月1日（一）, 15日～19日, a week's 2.9) load as dates."""
    from plansite.input.dates import parse_term
    from plansite.importer.dump import Options, build_output, check_output

    result, _ = result_of(key)
    output = build_output([result], tmp_path / "plan_data", Options(term=parse_term("2026秋")))
    assert check_output(tmp_path / "plan_data", output.files) == []


@pytest.mark.parametrize("key", ["subject_table", "docx:subject_table"])
def test_a_row_gives_text_who_date_subject_and_place(key):
    plan = result_of(key)[0].plans[0]
    first = plan.schedule[0].items[0]
    assert (first.text, first.who, first.date) == ("语文：单元整体教学研讨课（录播教室）", "陈晓", "9月16日下午")


@pytest.mark.parametrize("key", ["table_calendar", "docx:table_calendar"])
def test_rows_shifted_by_a_label_cell_are_read_by_what_their_cells_hold(key):
    plan = result_of(key)[0].plans[0]
    before = plan.schedule[0]
    assert [(i.text, i.date, i.who) for i in before.items] == [
        ("上午9:00行政会议", "2月20日", "校长室"), ("上午:全体教师大会;下午:班主任培训", "2月21日", "政教处"),
        ("新生报到注册", "2月22日", "教务处")]
    assert [i.who for i in plan.schedule[1].items] == ["政教处、团委", "教务处", "教科室"]


def test_the_school_comes_from_the_byline_never_from_a_cell_and_other_cells_are_kept():
    result = parse_file(HERE / "page_byline.txt")
    plan = result.plans[0]
    assert plan.school == "青山区实验小学" and plan.title == "2026学年第一学期教研活动安排"
    assert plan.schedule[0].items[0].text == "课堂教学开放日（报告厅）（参加对象：市直初中）"
    assert {n.kind for n in result.noise} >= {"chrome", "cms_title"}


def test_projects_from_a_table_keep_host_and_status():
    plan = parse_file(HERE / "projects_table.txt").plans[0]
    assert [(p.title, p.host, p.note) for p in plan.projects] == [
        ("小学数学说理课堂的实践研究", "许文", "本学期中期检查"), ("低年级绘本共读的策略研究", "郑丽", "已结题"),
        ("家校共育视角下的劳动清单设计", "钱明", "延期一年")]
    assert "| 课题名称 | 级别 | 主持人 | 研究进展 |" in plan.measures  # the table stays a table, no bare bars


def test_projects_of_a_table_reach_plan_data(tmp_path, capsys):
    data = tmp_path / "plan_data"
    assert main(["import", str(HERE / "projects_table.txt"), "--out", str(data)]) == 0, capsys.readouterr().err
    plan = next((data / "plans").glob("*.yml")).read_text(encoding="utf-8")
    assert "note: 已结题" in plan and "note: 延期一年" in plan
    project = next(p for p in (data / "projects").glob("*.yml") if "说理课堂" in p.read_text(encoding="utf-8"))
    text = project.read_text(encoding="utf-8")
    assert "level: 市级" in text and "host: 许文" in text


@pytest.mark.parametrize("body,projects,months", [
    # a lesson's title under 课题名称 is no project; the lessons are the schedule
    ("执教 | 课题名称 | 时间\n陈晓 | 《秋天的雨》 | 9月16日\n林峰 | 认识钟表 | 10月8日", [], [[9], [10]]),
    # a table of projects whose dates say when each began is no schedule
    ("课题名称 | 主持人 | 立项时间\n小学数学说理课堂的实践研究 | 王芳 | 2025.6.10\n绘本共读的策略研究 | 李明 | 2025.12.1",
     ["小学数学说理课堂的实践研究", "绘本共读的策略研究"], []),
    # work under '重点项目：' is work, not projects
    ("本学期重点项目：\n1、开展读书节活动\n2、组织青年教师比赛", [], []),
    # a list under '立项课题：' stops at the first entry that is no title
    ("立项课题如下：\n1、初中物理实验探究记录单的设计研究（市级）\n2、做好课题的过程管理，每月检查一次。",
     ["初中物理实验探究记录单的设计研究"], []),
])
def test_tables_and_lists_of_projects_are_not_taken_for_what_they_are_not(body, projects, months):
    plan = parse_text(f"学校教科室工作计划\n一、课题研究\n{body}\n").plans[0]
    assert [p.title for p in plan.projects] == projects
    assert [b.months for b in plan.schedule] == months


def test_a_row_in_no_month_is_listed_and_kept_in_the_plans_text(tmp_path, capsys):
    data = tmp_path / "plan_data"
    assert main(["import", str(HERE / "month_parts_table.txt"), "--out", str(data)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "学生书写比赛" in out and "不在任何周次或月份之下" in out  # '每月': when, but in no month
    measures = next((data / "plans").glob("*.md")).read_text(encoding="utf-8")
    assert "学生书写比赛" in measures


def test_docx_table_with_a_merged_month_column_and_cells_over_two_lines():
    import docx

    document = docx.Document()
    document.add_heading("清溪小学2026学年第一学期教科室工作计划", 1)
    document.add_heading("二、行事历", 2)
    rows = [("月份", "周次", "工作内容", "负责\n部门"), ("九月", "第1周\n(9.1-9.5)", "开学检查\n组长会议", "教导处"),
            ("", "第2周\n(9.8-9.12)", "读书沙龙", "教科室"), ("十月", "第6周\n(10.8-10.12)", "课题论证", "课题组"),
            ("", "第8周\n(10.20-10.24)", "", "")]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(4, 0))
    out = io.BytesIO()
    document.save(out)
    plan = parse_source(source_from_bytes(out.getvalue(), "合并.docx")).plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == [
        ("第1周", [9], 2), ("第2周", [9], 1), ("第6周", [10], 1), ("第8周", [10], 0)]
    assert [(i.who, i.date) for i in plan.schedule[0].items] == [("教导处", "9.1-9.5")] * 2


@pytest.mark.parametrize("body,expected", [
    # numbered month labels in a run, under a heading that does not say schedule
    ("二、主要活动\n1、9月：制订计划，召开教研组长会议。\n2、10月：青年教师优质课评比。\n3、11月：期中质量分析。",
     [("9月", [9], 1), ("10月", [10], 1), ("11月", [11], 1)]),
    # a month named inside a numbered measure is no heading
    ("一、工作措施\n1、9月开学后各组交流计划。\n2、10月份组织一次读书活动。", []),
    # months listed in one sentence are no run of headings
    ("一、工作措施\n在9月，10月，11月分别开展一次读书活动，12月进行总结。", []),
    # dated lines in a measure: two are no calendar
    ("一、工作措施\n1、9月10日前各组上交计划。\n2、青年教师每学期上一节研究课。\n3、10月8日召开读书会。", []),
])
def test_schedules_found_without_a_schedule_heading_and_not_found_in_measures(body, expected):
    plan = parse_text(f"学校教研工作计划\n{body}\n").plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == expected
