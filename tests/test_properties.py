"""Property-based tests: the loader, the date parser and the slugger never fail in an unplanned way."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from plansite.input.dates import DateError, parse_date_text, parse_month_label, parse_term
from plansite.input.load import load_plan_data
from plansite.input.model import ID_RE
from plansite.input.slugs import heading_slug, slugify
from plansite.input.yamlsrc import load_yaml

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
GENRE = st.sampled_from(list("一二三四五六七八九十元正月份日旬上中下至到—～~-.0123456789 ：:、学年期春秋第季度"))
TEXT = st.text(st.one_of(GENRE, CHINESE, st.characters()), max_size=40)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_date_parsers_answer_or_explain(text):
    term = parse_term("2026秋")
    for parse in (lambda t: parse_date_text(t, term), parse_month_label, parse_term):
        try:
            parse(text)
        except DateError as e:
            assert e.message and e.hint


@SETTINGS
@given(st.integers(1, 12), st.integers(1, 31))
def test_dates_inside_the_term_round_trip(month, day):
    term = parse_term("2026秋")
    if month not in (9, 10, 11, 12, 1):
        return
    try:
        span = parse_date_text(f"{month}月{day}日", term)
    except DateError as e:
        assert "没有" in e.message  # 9月31日 and the like
        return
    assert (span.start.month, span.start.day) == (month, day) and span.start == span.end


@SETTINGS
@given(TEXT)
def test_slugs_are_url_safe_and_stable(text):
    slug = slugify(text)
    assert ID_RE.fullmatch(slug) or slug == "x", slug
    assert slugify(text) == slug and len(slug) <= 48
    anchor = heading_slug(text)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*|h", anchor), anchor


@SETTINGS
@given(st.text(max_size=300))
def test_yaml_reader_never_raises(text):
    src, problem = load_yaml(text, "x.yml")
    assert (src is None) != (problem is None)


YAMLISH = st.lists(st.sampled_from(["school: dongpo", "term: 2026秋", "title: 标题", "schedule:", "  - label: 九月份",
                                    "    items:", "      - 制订计划", "      - text: 活动", "        date: 9月10日",
                                    "        date: 2月30日", "  - label: 四月", "goals: x", "projects: [nope]", "\t- tab",
                                    "title: [", "x: !!python/object/apply:os.system [ls]", "label: ", "- - -", "::",
                                    "id: ../../etc/passwd", "id: Bad Id", "id: xiyuan-2027-spring", "slug: x"]),
                   max_size=14).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(YAMLISH)
def test_loader_answers_with_data_or_located_problems(document):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "plan_data"
        shutil.copytree(FIXTURES / "mini" / "plan_data", root)
        (root / "plans" / "dongpo-2026-autumn.yml").write_text(document, encoding="utf-8")
        result = load_plan_data(root)
        assert (result.data is None) == bool(result.errors)
        for p in result.errors:
            assert p.file.startswith("plan_data/") and p.message
