"""Golden cases for `plansite import`: plan text in the genre (our own sentences) -> structure."""

from __future__ import annotations

import pytest

from plansite.importer import PlanImportError, parse_file, parse_text
from plansite.importer.read import source_from_bytes
from plansite.importer.parse import parse_source
from plansite.importer.text import marker_of, month_head

from conftest import FIXTURES

HERE = FIXTURES / "importer"


def schedule(plan) -> list[tuple]:
    return [(b.label, b.months, len(b.items)) for b in plan.schedule]


def projects(plan) -> list[tuple]:
    return [(p.title, p.level, p.stage) for p in plan.projects]


# ------------------------------------------------------------------ one plan, every level


def test_single_plan():
    result = parse_file(HERE / "single.txt")
    assert len(result.plans) == 1 and result.noise == []
    plan = result.plans[0]
    assert (plan.title, plan.school, plan.term, plan.term_key) == (
        "青山小学教科室工作计划", "青山小学", "2026.9——2027.1", "2026-autumn")
    assert plan.sections == ["一、指导思想", "二、工作目标", "三、主要措施", "四、行事历"]
    assert plan.guiding[0].startswith("本学期，教科室围绕")
    assert plan.goals == ["完成市级课题的中期评估。", "组织青年教师撰写教学案例。"]
    assert schedule(plan) == [("九月份", [9], 3), ("十月", [10], 3), ("11月", [11], 2), ("12月份", [12], 2),
                              ("元月份", [1], 2)]
    sept, octo = plan.schedule[0], plan.schedule[1]
    assert (sept.items[1].date, sept.items[1].text) == ("9月10日", "举行新教师拜师仪式。")
    assert (octo.items[0].date, octo.items[1].date) == ("10.20～10.24", "中旬")
    assert octo.items[2].text == "校级小课题开题论证，邀请区教研员参加。"  # a line ending in ， goes on
    assert [u.text for u in plan.unplaced] == ["临时性工作另行通知。"]  # a note on the whole schedule
    # books (给教师的一百条新建议) and standards (课程标准) are not projects
    assert projects(plan) == [("小学低段绘本共读的实践研究", "市级", "中期"),
                              ("校园农场劳动课程的开发研究", "区级", "结题"),
                              ("数学日记促进反思能力的研究", "校级", "开题")]
    assert octo.items[1].projects == ["小学低段绘本共读的实践研究"]
    assert plan.schedule[3].items[1].projects == ["校园农场劳动课程的开发研究"]
    md = plan.measures
    assert "## 三、主要措施" in md and "### （一）加强理论学习" in md
    assert "行事历" not in md and "九月份" not in md  # the schedule is not repeated in the measures


def test_lost_digit_and_list_levels():
    plan = parse_file(HERE / "single.txt").plans[0]
    assert "2. 提升教师写作力。" in plan.measures  # '.提升…': the number was lost; it still counts
    assert "- （1）每位主持人提交开题报告；" in plan.measures


# ------------------------------------------------------------------ a collection with noise


def test_collection_with_noise_and_a_hospital_plan():
    result = parse_file(HERE / "collection.txt")
    titles = [p.title for p in result.plans]
    assert titles == [f"学校教科室工作计划【篇{n}】" for n in range(1, 5)]
    assert [p.is_school_plan for p in result.plans] == [True, True, False, True]
    kinds = sorted(n.kind for n in result.noise)
    assert kinds == ["blurb", "blurb", "header", "not_school_plan"]
    assert next(n for n in result.noise if n.kind == "not_school_plan").plan == 2
    p1, p2, _, p4 = result.plans
    assert schedule(p1) == [("二月 三月", [2, 3], 2), ("四月、五月", [4, 5], 1), ("六—七月份", [6, 7], 2)]
    assert schedule(p2) == [("9月份", [9], 2), ("10月份", [10], 1), ("11月份——12月份", [11, 12], 2), ("元月", [1], 1)]
    assert p2.sections == ["一、主要工作", "二、月度工作安排"]
    assert schedule(p4) == [("3月", [3], 2), ("4月", [4], 2), ("5月", [5], 1), ("6月", [6], 1)]  # '月份 主要工作内容' is a header
    assert p4.schedule[1].items[0].date == "4.13～4.17"
    assert projects(p4) == [("课堂观察促进教师专业发展的研究", "区级", "中期")]


COLLECTION_MARKERS = [
    ("小学教科室工作计划篇一", "小学教科室工作计划篇二"),
    ("学校工作计划【篇1】", "学校工作计划【篇2】"),
    ("教科研工作实施方案一", "教科研工作实施方案二"),
    ("教科室计划篇章1", "教科室计划篇章2"),
    ("教科室工作计划 第一篇", "教科室工作计划 第二篇"),
]


@pytest.mark.parametrize("first,second", COLLECTION_MARKERS)
def test_collection_markers(first, second):
    body = "一、指导思想\n本学期继续推进课堂研究，努力提高教科研质量。\n二、行事历\n九月份\n1、制订计划\n"
    result = parse_text(f"{first}\n{body}{second}\n{body}")
    assert [p.title for p in result.plans] == [first, second]
    assert all(schedule(p) == [("九月份", [9], 1)] for p in result.plans)


def test_plans_that_lost_their_heading_are_found_by_the_numbering_gap():
    text = ("学校教科研工作实施方案一\n 本学期，学校教科室以课堂研究为重点，扎实推进各项工作，促进教师专业成长。\n"
            "1、做好常规管理。\n2、加强课题研究。\n3、开展读书活动。\n4、组织论文评比。\n"
            " 在上学期工作的基础上，本学期我校教科研工作继续以“研究真问题”为导向，提升教师科研品质。\n"
            "1、完善课题管理制度。\n2、推进青年教师成长工程。\n3、办好教科沙龙。\n"
            "学校教科研工作实施方案三\n一、行事历\n三月份\n1、制定计划。\n")
    result = parse_text(text)
    assert [p.title for p in result.plans] == ["学校教科研工作实施方案一", None, "学校教科研工作实施方案三"]
    assert result.plans[1].first == 7


def test_two_plans_each_under_its_own_title():
    one = "城北小学2026学年第一学期教科室工作计划\n一、指导思想\n以研促教。\n二、行事历\n九月份\n1、制订计划\n"
    two = "城北小学2026学年第二学期教科室工作计划\n一、指导思想\n以研促教。\n二、行事历\n三月份\n1、制订计划\n"
    result = parse_text(one + two)
    assert [(p.title, p.term_key) for p in result.plans] == [
        ("城北小学2026学年第一学期教科室工作计划", "2026-autumn"), ("城北小学2026学年第二学期教科室工作计划", "2027-spring")]


# ------------------------------------------------------------------ outline and schedule variants


MARKERS = [("一、指导思想", "cn", 1), ("二．工作目标", "cn", 2), ("（一）加强学习", "pcn", 1), ("(二)课题管理", "pcn", 2),
           ("1.开展读书", "ar", 1), ("2、组织评比", "ar", 2), ("３．提高质量", "ar", 3), (".提升合作力", "ar", None),
           ("（1）语文组", "par", 1), ("(2)数学组", "par", 2), ("①每周一次", "circ", 1), ("第一、完善机制", "di", 1),
           ("一是加强学习", "", None), ("4.11～4.17送教活动", "", None)]


@pytest.mark.parametrize("line,kind,number", MARKERS)
def test_numbering_markers(line, kind, number):
    m = marker_of(line)
    assert (m.kind, m.number) == (kind, number)


MONTHS = [("九月份", [9]), ("九月", [9]), ("9月", [9]), ("9月份", [9]), ("９月份：", [9]), ("十一月份——十二月份", [11, 12]),
          ("十一月 十二月", [11, 12]), ("二月 三月", [2, 3]), ("六—七月份", [6, 7]), ("元月份", [1]), ("元月", [1]),
          ("（一）九月份", [9]), ("二月份:", [2]), ("【十月】", [10]), ("2026年9月", [9]), ("9、10月", [9, 10]),
          ("●三月份", [3])]


@pytest.mark.parametrize("label,months", MONTHS)
def test_month_headings(label, months):
    plan = parse_text(f"学校教科室工作计划\n一、行事历\n{label}\n1、召开课题组长会议\n2、读书沙龙\n").plans[0]
    assert [(b.months, len(b.items)) for b in plan.schedule] == [(months, 2)]
    assert plan.schedule[0].label == label.removeprefix("（一）").removeprefix("●").rstrip("：:")


@pytest.mark.parametrize("line", ["9月10日召开开学工作会议", "10月中旬举行读书节", "九月开学后，各组制订计划"])
def test_dates_and_prose_are_not_month_headings(line):
    plan = parse_text(f"学校教科室工作计划\n一、工作措施\n{line}\n").plans[0]
    assert plan.schedule == []


def test_inline_items_bullets_and_numbered_dates():
    text = ("东湖小学教科室工作计划\n三、工作行事历\n九月份：1.制订教科室计划；2.召开课题组长会议。\n十月份：\n"
            "●组织青年教师读书沙龙\n十一月份\n1．11月25日举办课堂开放日活动\n2．课题中期交流\n")
    plan = parse_text(text).plans[0]
    assert [[(i.date, i.text) for i in b.items] for b in plan.schedule] == [
        [(None, "制订教科室计划"), (None, "召开课题组长会议。")], [(None, "组织青年教师读书沙龙")],
        [("11月25日", "举办课堂开放日活动"), (None, "课题中期交流")]]


def test_a_heading_with_words_after_the_month_is_written_with_explicit_months():
    head = month_head("九月份工作安排：")
    assert (head.label, head.months, head.standard) == ("九月份工作安排", [9], False)


@pytest.mark.parametrize("heading", ["行事历", "具体安排", "月度工作安排", "工作日程安排", "工作安排表", "计划安排"])
def test_schedule_headings_let_month_labels_carry_their_text(heading):
    text = (f"学校教科室工作计划\n一、指导思想\n以研促教，提升质量。\n二、{heading}\n"
            "3月份组织课题组长会议，布置本学期研究任务。\n4月份开展青年教师赛课活动。\n")
    plan = parse_text(text).plans[0]
    assert [(b.label, b.months, [i.text for i in b.items]) for b in plan.schedule] == [
        ("3月份", [3], ["组织课题组长会议，布置本学期研究任务。"]), ("4月份", [4], ["开展青年教师赛课活动。"])]


def test_week_tables():
    plan = parse_file(HERE / "weeks.txt").plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == [
        ("第1周", [9], 2), ("第2周", [9], 1), ("第5周", [9, 10], 1), ("第6周", [10], 2)]
    first = plan.schedule[0].items[0]
    assert (first.text, first.date, first.who) == ("制订教科室计划", "9.1-9.7", "教科室")
    plan = parse_text("学校教科室工作计划\n二、行事历\n第一周 3月1日-3月7日 开学准备\n第二周 3月8日-3月14日 课题组长会议\n").plans[0]
    assert [(b.label, b.months, b.items[0].date) for b in plan.schedule] == [
        ("第一周", [3], "3月1日-3月7日"), ("第二周", [3], "3月8日-3月14日")]


def test_missing_top_level_traditional_characters_and_inline_months():
    plan = parse_file(HERE / "variants.txt").plans[0]
    assert (plan.school, plan.term, plan.term_key) == ("花园中学", "2026—2027学年度第二学期", "2027-spring")
    assert plan.sections == ["（一）完善教研制度", "（二）推进课题研究", "（三）具体安排"]  # the 一、 level is missing
    assert schedule(plan) == [("3月份", [3], 1), ("4月份", [4], 1), ("5月份", [5], 1), ("6月份", [6], 1)]
    assert plan.schedule[3].items[0].text == "总结本學期教研工作。"  # kept as written
    assert projects(plan) == [("初中物理实验探究能力培养的研究", "省级", "结题")]  # 課題 … 結題報告


def test_unlabelled_block_before_the_first_month():
    text = ("学校教科室工作计划\n（一）课题研究\n1、加强课题过程管理，落实每月一次的研究活动。\n2、做好课题资料积累。\n"
            "1、制定教科研计划。\n2、组织微课题申报。\n四月\n1、课题研讨课。\n")
    plan = parse_text(text).plans[0]
    assert [(b.label, b.months, len(b.items)) for b in plan.schedule] == [(None, [], 2), ("四月", [4], 1)]
    assert plan.unplaced[0].line == 5


# ------------------------------------------------------------------ term, school


@pytest.mark.parametrize("head,term,key", [
    ("城东小学2006—2007学年度第一学期教科室工作计划", "2006—2007学年度第一学期", "2006-autumn"),
    ("城东小学教科室工作计划\n（2026.2——2026.7）", "2026.2——2026.7", "2026-spring"),
    ("城东小学20xx年上半年教科室工作计划", "20xx年上半年", None),
    ("城东小学2027年春季学期教科室工作计划", "2027年春季学期", "2027-spring"),
    ("2023年学校教科室工作计划", None, None),  # a bare year is no term
])
def test_terms(head, term, key):
    plan = parse_text(f"{head}\n一、指导思想\n以研促教。\n").plans[0]
    assert (plan.term, plan.term_key) == (term, key)


def test_partner_schools_are_not_the_plans_school():
    text = "学校教科室工作计划\n一、工作措施\n1、选派教师到东湖小学、西湖小学学习。\n2、成立“南山小学青年教师发展中心”。\n"
    assert parse_text(text).plans[0].school == "南山小学"


# ------------------------------------------------------------------ projects


@pytest.mark.parametrize("sentence,expected", [
    ("县级课题《农村小学留守儿童阅读习惯培养的研究》进入中期，撰写中期报告。", [("农村小学留守儿童阅读习惯培养的研究", "县级", "中期")]),
    ("我校已确立《家校共育路径探索》为镇重点研究课题。", [("家校共育路径探索", "镇级", None)]),
    ("做好“十四五”规划课题《劳动教育校本化实施的研究》的后期研究工作。", [("劳动教育校本化实施的研究", None, None)]),
    ("参与市教科院组织的《区域推进项目化学习的研究》子课题的研究。", [("区域推进项目化学习的研究", "市级", None)]),
    ("语文组制定了《读写联动》小专题。", [("读写联动", None, None)]),
    ("全体教师共读《教育的情调》，学习《义务教育数学课程标准》。", []),
    ("按照《关于加强中小学教研工作的通知》要求，修订《课题管理制度》和《课堂评价表》。", []),
    ("本学期申报省级课题《小学科学项目化学习的实践研究》。", [("小学科学项目化学习的实践研究", "省级", "申报")]),
])
def test_projects(sentence, expected):
    plan = parse_text(f"学校教科室工作计划\n一、课题研究\n{sentence}\n").plans[0]
    assert projects(plan) == expected


# ------------------------------------------------------------------ encodings, .docx, bad input


def test_gb18030_and_bom_read_like_utf8():
    text = (HERE / "single.txt").read_text(encoding="utf-8")
    plain = parse_text(text, "single.txt").to_json()
    for data in (text.encode("gb18030"), text.encode("gbk"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        assert parse_source(source_from_bytes(data, "single.txt")).to_json() == plain


def make_docx(path):
    import docx

    document = docx.Document()
    document.add_heading("柳河小学教科室工作计划", level=0)
    document.add_paragraph("2027年春季学期")
    document.add_heading("指导思想", level=1)
    document.add_paragraph("本学期以课堂观察为抓手，推进校本研修。")
    document.add_heading("课题研究", level=1)
    document.add_paragraph("市级课题《课堂观察工具开发的实践研究》撰写结题报告。", style="List Number")
    document.add_paragraph("组织教师学习《课程标准》。", style="List Number")
    document.add_heading("行事历", level=1)
    table = document.add_table(rows=4, cols=3)
    for row, cells in zip(table.rows, [("月份", "工作内容", "负责人"), ("三月", "制订计划\n课题组会议", "教科室"),
                                       ("四月", "1、课堂观察周 2、读书沙龙", "教导处"),
                                       ("五月", "《课堂观察工具开发的实践研究》结题鉴定", "教科室")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.save(path)


def test_docx_headings_numbering_and_tables(tmp_path):
    path = tmp_path / "计划.docx"
    make_docx(path)
    result = parse_file(path)
    assert result.unit == "段"
    plan = result.plans[0]
    assert (plan.title, plan.school, plan.term_key) == ("柳河小学教科室工作计划", "柳河小学", "2027-spring")
    assert plan.sections == ["指导思想", "课题研究", "行事历"]
    assert plan.guiding == ["本学期以课堂观察为抓手，推进校本研修。"]
    assert "1. 市级课题《课堂观察工具开发的实践研究》撰写结题报告。" in plan.measures  # Word's own numbering
    assert [(b.label, b.months, [(i.text, i.who) for i in b.items]) for b in plan.schedule] == [
        ("三月", [3], [("制订计划", "教科室"), ("课题组会议", "教科室")]),
        ("四月", [4], [("课堂观察周", "教导处"), ("读书沙龙", "教导处")]),
        ("五月", [5], [("《课堂观察工具开发的实践研究》结题鉴定", "教科室")])]
    assert projects(plan) == [("课堂观察工具开发的实践研究", "市级", "结题")]
    assert plan.schedule[2].items[0].projects == ["课堂观察工具开发的实践研究"]


@pytest.mark.parametrize("name,data,words", [
    ("empty.txt", b"", "空文件"),
    ("blank.txt", b"  \n\t\n", "空文件"),
    ("junk.txt", bytes(range(256)) * 4, "不是文本文件"),
    ("fake.docx", "一、指导思想".encode(), "不是有效的 .docx"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "不是有效的 .docx"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Word"),
    ("scan.pdf", b"%PDF-1.4\n", "PDF"),
])
def test_bad_input_gives_a_chinese_message(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PlanImportError) as e:
        parse_file(path)
    assert words in e.value.message and name in e.value.message and e.value.hint


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanImportError, match="找不到文件"):
        parse_file(tmp_path / "nothing.txt")
    with pytest.raises(PlanImportError, match="是文件夹"):
        parse_file(tmp_path)
