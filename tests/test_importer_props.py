"""No input crashes the importer: arbitrary text, arbitrary bytes and mutated plans give a result
or a PlanImportError with a Chinese message; what it writes always loads."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plansite.input.dates import parse_term
from plansite.importer import PlanImportError, parse_text
from plansite.importer.dump import NeedsTerm, Options, build_output, check_output
from plansite.importer.parse import parse_source
from plansite.importer.read import source_from_bytes

from conftest import FIXTURES, SHARED

SAMPLES = sorted((FIXTURES / "importer").rglob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
LINES = [line for path in SAMPLES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
GENRE = "一二三四五六七八九十元月份周第篇课题结题开题中期省市区级《》（）()、.，。：:—～-|\t 0123456789xX 计划方案学期学年"


def parse_or_refuse(text: str):
    try:
        result = parse_text(text, "t.txt")
    except PlanImportError as e:
        assert e.message and any("\u4e00" <= c <= "\u9fff" for c in e.message)
        return None
    json.dumps(result.to_json(), ensure_ascii=False)
    assert result.accounting is not None and result.accounting.missing == []  # every line placed, noise or unplaced
    return result


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(GENRE) | st.characters(), max_size=400))
def test_arbitrary_text(text):
    parse_or_refuse(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.md", "a.docx", "a.doc", "a.pdf", "a"]))
def test_arbitrary_bytes(data, name):
    try:
        parse_source(source_from_bytes(data, name))
    except PlanImportError as e:
        assert name in e.message


mutated = st.lists(st.sampled_from(LINES), min_size=1, max_size=60).flatmap(
    lambda lines: st.tuples(st.just(lines), st.lists(st.tuples(st.integers(0, 59), st.sampled_from(
        ["", "  ", "九月份", "第3周 | 9.15-9.21 | 听课", "【篇2】", "二、行事历", "（一）", "1、", "《》", "\\\"", "…",
         "周次", "第4周 |", "二", "<P class=MsoNormal>", "&nbsp;", "第1页/共3页", "學(xué)", "10月份。",
         "|", " |", "2預備週2.21", "9月2—", "5日", "开学前 | 2月20日 | 行政会议 | 校长室", "学科 | 主持人 | 时间 | 地点",
         "课题名称 | 级别 | 进展", "，一月，1、", "第一阶段（9月—10月）", "…………3", "来源：青山区实验小学", "新闻中心>",
         "25日（一）～27日（三），", "立项课题：", "常规事项："])),
        max_size=8)))


def _apply(lines: list[str], edits: list[tuple[int, str]]) -> str:
    out = list(lines)
    for pos, piece in edits:
        if out:
            k = pos % len(out)
            out[k] = piece + out[k][len(piece) % 7:] if pos % 2 else out[k] + piece
    return "\n".join(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated)
def test_mutated_plans(case):
    parse_or_refuse(_apply(*case))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated)
def test_what_is_written_always_loads(tmp_path_factory, case):
    result = parse_or_refuse(_apply(*case))
    if result is None:
        return
    out_dir = Path(tmp_path_factory.mktemp("out")) / "plan_data"
    try:
        output = build_output([result], out_dir, Options(term=parse_term("2026秋")))
    except NeedsTerm:
        raise AssertionError("--term was given")
    assert check_output(out_dir, output.files) == []


def test_a_garbled_year_in_the_title_is_no_term(tmp_path):
    """A year plan_data would refuse (a page number run into the title: 3027年春季学期) is not taken
    as the term: the plan is filed under the --term given, and what is written loads."""
    result = parse_or_refuse("…………3027年春季学期教科室工作计划\n九月份\n1. 制订教科室工作计划。\n")
    assert result is not None
    out_dir = tmp_path / "plan_data"
    output = build_output([result], out_dir, Options(term=parse_term("2026秋")))
    assert check_output(out_dir, output.files) == []
    assert any("term: 2026秋" in text for rel, text in output.files.items() if rel.startswith("plans/"))
