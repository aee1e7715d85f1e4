"""Helpers the page builders share: escaping, heading levels, Chinese line joins, URLs, anchors."""

import pytest

from conftest import FIXTURES
from plansite.input.load import load_plan_data
from plansite.views.agenda import schedule_views
from plansite.output.build import build_pages
from plansite.output.mdtext import join_cjk_lines, md_text, shift_headings
from plansite.output.site import Paths, Site, relative_link, url_of


@pytest.mark.parametrize("raw,escaped", [
    ("制订计划", "制订计划"),
    ("a | b", "a \\| b"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("*强调* _斜_ `码`", "\\*强调\\* \\_斜\\_ \\`码\\`"),
    ("[链接](javascript:x)", "\\[链接\\](javascript:x)"),
    ("两行\n文字", "两行 文字"),
    ("A&B", "A&amp;B"),
])
def test_md_text(raw, escaped):
    assert md_text(raw) == escaped


def test_shift_headings_keeps_code_blocks():
    src = "## 一、读书\n\n### （一）共读\n\n```\n## not a heading\n```\n"
    assert shift_headings(src, 3) == "### 一、读书\n\n#### （一）共读\n\n```\n## not a heading\n```"
    assert shift_headings("# 一级\n", 3) == "### 一级"
    assert shift_headings("没有标题", 3) == "没有标题"


def test_join_cjk_lines():
    assert join_cjk_lines("本学期，教科室\n以课题为抓手。") == "本学期，教科室以课题为抓手。"
    assert join_cjk_lines("第一段。\n\n第二段。") == "第一段。\n\n第二段。"
    assert join_cjk_lines("- 一项\n- 两项") == "- 一项\n- 两项"
    assert join_cjk_lines("English\nwords") == "English\nwords"
    assert join_cjk_lines("```\n代码\n行\n```") == "```\n代码\n行\n```"


@pytest.mark.parametrize("path,directory,flat", [
    ("index.md", "", ""), ("schools/index.md", "schools/", "schools/"),
    ("plans/x.md", "plans/x/", "plans/x.html"), ("data/plans.json", "data/plans.json", "data/plans.json"),
])
def test_url_of(path, directory, flat):
    assert url_of(path, True) == directory and url_of(path, False) == flat


def test_relative_link():
    assert relative_link("plans/a.md", "schools/b.md") == "../schools/b.md"
    assert relative_link("index.md", "plans/a.md") == "plans/a.md"


def test_item_anchors_are_stable_and_unique():
    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    plan = data.plans["dongpo-2026-autumn"]
    first = [iv.anchor for v in schedule_views(plan) for iv in v.items]
    assert len(set(first)) == len(first) and all(a.startswith("i-") for a in first)
    assert first == [iv.anchor for v in schedule_views(plan) for iv in v.items]


def test_custom_paths_are_used_everywhere():
    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    site = Site(data, Paths(school="xuexiao/{id}.md", plan="jihua/{slug}.md"), site_name="测试")
    paths = [o.path for o in build_pages(site)]
    assert "xuexiao/dongpo.md" in paths and "jihua/dongpo-2026-autumn.md" in paths
    home = next(o for o in build_pages(site) if o.path == "index.md").content
    assert "(xuexiao/dongpo.md)" in home


def test_data_file_paths_name_what_build_data_files_writes():
    from plansite.output.build import build_data_files, data_file_paths

    site = Site(load_plan_data(FIXTURES / "mini" / "plan_data").data, site_name="测试")
    assert [o.path for o in build_data_files(site)] == data_file_paths(site)
