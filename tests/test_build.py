"""Real `mkdocs build --strict` runs of a small Chinese fixture project, with real Material."""

from __future__ import annotations

import filecmp
import json
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_site, run_mkdocs


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if url.endswith("/") or url == "" else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str) -> BeautifulSoup:
    return soup(site, url).select_one("article.md-content__inner")


def test_generated_pages_exist_and_nothing_is_written_into_docs(mini_site):
    for url in ("", "schools/", "schools/dongpo/", "schools/xiyuan/", "plans/dongpo-2026-autumn/",
                "plans/xiyuan-2027-spring/", "projects/", "projects/dp-xiezuo/", "projects/xy-shuxue/", "about/"):
        assert (mini_site / url / "index.html").is_file(), url
    docs = sorted(p.name for p in (FIXTURES / "mini" / "docs").rglob("*"))
    assert docs == ["about.md"]  # pages are generated in memory, never into docs/


def test_plan_page(mini_site):
    page = article(mini_site, "plans/dongpo-2026-autumn/")
    assert page.h1.get_text(strip=True) == "东坡小学2026学年第一学期教科室工作计划"
    text = "".join(page.get_text("", strip=True).split())
    assert "学期：2026年秋季学期（2026年9月—2027年1月）·部门：教科室" in text
    assert page.select_one("#guiding") and "以习作教学研究为重点" in text
    assert [li.get_text(strip=True) for li in page.select_one("#goals").find_next("ol").select("li")] == [
        "做好区级课题的中期评估。", "教师论文获奖人数比上学期增加。"]
    # measures: the author's ## / ### become h3 / h4 under 工作措施
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("h3")][:2] == ["一、读书学习", "二、课题管理"]
    assert page.select_one("h4").get_text(strip=True).rstrip("¶") == "（一）共读一本书"
    # schedule: one heading per month heading, stable anchors, spanning marked
    heads = {h["id"]: h.get_text(strip=True).rstrip("¶") for h in page.select("h3[id^=sched-]")}
    assert heads == {"sched-2026-09": "九月份", "sched-2026-11": "十一月份——十二月份", "sched-2027-01": "元月份"}
    span_table = page.select_one("#sched-2026-11").find_next("table")
    assert "跨月安排：11—12月" in page.select_one("#sched-2026-11").find_next("p").get_text()
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in span_table.select("tbody tr")]
    assert rows[1][0] == "11月16日—20日" and rows[1][1].startswith("青年教师赛课。") and "公开课" in rows[1][1]
    link = span_table.select_one("a[href*='projects/dp-xiezuo']")
    assert link and link["href"] == "../../projects/dp-xiezuo/"
    # projects table with level and the stage this plan carries out
    proj_rows = [[td.get_text(strip=True) for td in tr.select("td")]
                 for tr in page.select_one("#projects").find_next("table").select("tbody tr")]
    assert proj_rows[0][1:3] == ["区级", "中期"] and proj_rows[1][1] == "校级"


def test_school_page(mini_site):
    page = article(mini_site, "schools/dongpo/")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "测试区东坡小学"
    assert "以文化人" in text and "https://dongpo.example.edu.cn" in text
    assert page.select_one("#term-2026-autumn")
    assert page.select_one("a[href='../../plans/dongpo-2026-autumn/']")
    titles = [a.get_text(strip=True) for a in page.select_one("#projects").find_next("table").select("a")]
    assert titles == ["小学中年级习作“读写联动”的实践研究", "初中数学“错题再生”校本作业设计研究"]


def test_project_page_merges_record_and_plans(mini_site):
    page = article(mini_site, "projects/dp-xiezuo/")
    stages = [[td.get_text(strip=True) for td in tr.select("td")]
              for tr in page.select_one("#stages").find_next("table").select("tbody tr")]
    assert [(s[0], s[1]) for s in stages] == [("立项", "2026年春季学期"), ("中期", "2026年秋季学期")]
    items = page.select_one("#items").find_next("table").select("tbody tr a")
    assert [a.get_text() for a in items] == ["读写联动课题组集体备课。", "撰写课题中期报告，迎接中期评估。"]
    target = items[0]["href"]
    plan_html = (mini_site / "plans/dongpo-2026-autumn/index.html").read_text(encoding="utf-8")
    assert f'id="{target.split("#")[1]}"' in plan_html


def test_home_lists_schools(mini_site):
    page = article(mini_site, "")
    names = [a.get_text(strip=True) for a in page.select_one("#schools").find_next("ul").select("a")]
    assert "东坡小学" in names and "西苑初级中学" in names  # under their district's heading, without it
    assert "测试区" in page.select_one("#schools").find_next("ul").get_text()
    assert "本站收录 2 所学校的 2 份教科研工作计划、2 项课题" in page.get_text()


def test_plans_json(mini_site):
    data = json.loads((mini_site / "data/plans.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["schools"]] == ["dongpo", "xiyuan"]
    assert data["schools"][0]["name"] == "测试区东坡小学" and data["schools"][0]["url"] == "schools/dongpo/"
    plan = {p["id"]: p for p in data["plans"]}["dongpo-2026-autumn"]
    assert (plan["school"], plan["term"], plan["url"]) == ("dongpo", "2026-autumn", "plans/dongpo-2026-autumn/")
    assert plan["projects"] == ["dp-xiezuo", "xy-shuxue"]
    assert [(b["label"], b["months"], len(b["items"])) for b in plan["schedule"]] == [
        ("九月份", ["2026-09"], 2), ("十一月份——十二月份", ["2026-11", "2026-12"], 2), ("元月份", ["2027-01"], 1)]
    item = plan["schedule"][1]["items"][1]
    assert item["text"] == "青年教师赛课。" and item["date"]["start"] == "2026-11-16" and item["category"] == "公开课"
    projects = {p["id"]: p for p in data["projects"]}
    assert projects["xy-shuxue"]["level"] == "校级" and projects["dp-xiezuo"]["stage"] == "中期"
    # every URL in the export exists in the built site, anchors included
    for url in [s["url"] for s in data["schools"]] + [p["url"] for p in data["plans"]] + \
               [p["url"] for p in data["projects"]] + \
               [i["url"] for p in data["plans"] for b in p["schedule"] for i in b["items"]]:
        path, _, anchor = url.partition("#")
        html = (mini_site / path / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, url


@pytest.fixture
def project_copy(tmp_path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def test_hand_written_page_wins(project_copy, tmp_path):
    (project_copy / "docs/schools").mkdir()
    (project_copy / "docs/schools/dongpo.md").write_text("# 东坡小学（手写介绍）\n\n这一页由学校自己写。\n",
                                                        encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    assert "这一页由学校自己写" in (site / "schools/dongpo/index.html").read_text(encoding="utf-8")
    assert "测试区西苑初级中学" in (site / "schools/xiyuan/index.html").read_text(encoding="utf-8")


def test_bad_data_fails_the_build_with_located_messages(project_copy, tmp_path):
    plan = project_copy / "plan_data/plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("school: dongpo", "school: dongpoo"), encoding="utf-8")
    result = run_mkdocs(project_copy, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "plan_data/plans/dongpo-2026-autumn.yml:1 school: 找不到学校 'dongpoo'" in out
    assert "是不是 'dongpo'" in out
    assert "Traceback" not in out


def test_text_cannot_inject_markup(project_copy, tmp_path):
    plan = project_copy / "plan_data/plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "- 制订教科室工作计划。", "- \"制订计划 | <script>alert(1)</script> *强调* [链接](javascript:alert(2))\""),
        encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    page = article(site, "plans/dongpo-2026-autumn/")
    assert not page.select("script") and not page.select("a[href^=javascript]")
    row = page.select_one("#sched-2026-09").find_next("table").select("tbody tr")[0]
    cell = next(td for td in row.select("td") if td.select("span[id^=i-]"))  # the text cell (empty columns are left out)
    assert not cell.select("em") and not cell.select("a")
    assert cell.get_text(strip=True) == "制订计划 | <script>alert(1)</script> *强调* [链接](javascript:alert(2))"


def test_same_data_same_site_byte_for_byte(mini_site, tmp_path):
    again = build_site(FIXTURES / "mini", tmp_path / "again")

    def differences(cmp: filecmp.dircmp) -> list[str]:
        out = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            out += differences(sub)
        return out

    filecmp.clear_cache()
    assert differences(filecmp.dircmp(mini_site, again)) == []
    for f in ("sitemap.xml.gz", "search/search_index.json", "data/plans.json"):
        assert (mini_site / f).read_bytes() == (again / f).read_bytes()


HOSTILE_MEASURES = """## 一、正常的标题

<script>alert('x')</script>
<iframe src="https://evil.example/"></iframe>
<div style="position:fixed;top:0;left:0;width:100%;height:100%">盖住整页</div>
<img src=x onerror="alert(1)">
<a href="javascript:alert(3)" onclick="alert(4)">点我</a>

[链接一](javascript:alert(5)) [链接二]( JavaScript:alert(6)) <javascript:alert(7)> [正常链接](https://example.org/)

```
<script>代码块里的示例保持原样</script>
```
"""


def test_hostile_prose_neither_executes_nor_survives(project_copy, tmp_path):
    (project_copy / "plan_data/plans/dongpo-2026-autumn.md").write_text(HOSTILE_MEASURES, encoding="utf-8")
    plan = project_copy / "plan_data/plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "guiding: 以习作教学研究为重点，推动教科研与日常教学融合。",
        "guiding: '<svg onload=alert(8)></svg><b onmouseover=\"alert(9)\">指导思想</b>'"), encoding="utf-8")
    project = project_copy / "plan_data/projects/dp-xiezuo.yml"
    project.write_text(project.read_text(encoding="utf-8") + "summary: '<script>alert(10)</script>简介'\n",
                       encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    for url in ("plans/dongpo-2026-autumn/", "projects/dp-xiezuo/"):
        page = article(site, url)
        html = str(page)
        assert not page.select("script, iframe, img, svg, [onclick], [onerror], [onload], [onmouseover], [style*=fixed]")
        assert not [a["href"] for a in page.select("a[href]") if a["href"].lower().strip().startswith(("javascript", "vbscript", "data:"))]
        assert "alert(" not in html and "javascript:" not in html.lower(), url
    page = article(site, "plans/dongpo-2026-autumn/")
    assert page.select_one("a[href='https://example.org/']").get_text() == "正常链接"
    assert "代码块里的示例保持原样" in page.select_one("pre").get_text()
    text = page.get_text()
    assert "盖住整页" in text and "指导思想" in text  # the words stay, as text
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert "onerror" not in index and "iframe" not in index and "alert(" not in index


def test_no_field_reads_a_file(project_copy, tmp_path):
    """Text that looks like a path stays text; an id that looks like one is refused."""
    plan = project_copy / "plan_data/plans/xiyuan-2027-spring.yml"
    plan.write_text(plan.read_text(encoding="utf-8") + "measures: ../../../../etc/passwd\nguiding: /etc/passwd\n",
                    encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    html = (site / "plans/xiyuan-2027-spring/index.html").read_text(encoding="utf-8")
    assert "../../../../etc/passwd" in html and "root:x:0:0" not in html
    (project_copy / "plan_data/schools/evil.yml").write_text("id: ../../etc/passwd\nname: 坏学校\n", encoding="utf-8")
    result = run_mkdocs(project_copy, tmp_path / "site2")
    assert result.returncode == 1 and "plan_data/schools/evil.yml:1 id: id '../../etc/passwd' 不合规范" in result.stderr + result.stdout


def test_automatic_nav_names_sections_in_chinese(mini_site):
    nav = BeautifulSoup((mini_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = {e.get_text(strip=True) for e in nav.select("nav.md-nav--primary .md-ellipsis")}
    assert {"学校", "课题", "行事历", "学校对比"} <= titles
    assert not {"Schools", "Projects", "Calendar", "Compare"} & titles


def test_edit_button_opens_the_data_file(project_copy, tmp_path):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "theme:\n", "repo_url: https://github.com/example/plans\nedit_uri: edit/main/docs/\ntheme:\n  features: [content.action.edit]\n"),
        encoding="utf-8")
    site = build_site(project_copy, tmp_path / "site")
    page = soup(site, "plans/dongpo-2026-autumn/")
    edit = page.select_one("a.md-content__button[href*='/edit/']")
    assert edit["href"] == "https://github.com/example/plans/edit/main/plan_data/plans/dongpo-2026-autumn.yml"
    school = soup(site, "schools/dongpo/").select_one("a.md-content__button[href*='/edit/']")
    assert school["href"].endswith("/edit/main/plan_data/schools/dongpo.yml")


@pytest.mark.parametrize("mode", [{"PLANSITE_ONE_PROCESS": "1"}, {"PLANSITE_START_METHOD": "spawn"}],
                         ids=["one-process", "spawn"])
def test_data_files_from_the_second_process_are_the_same(mini_site, tmp_path, mode):
    """`mkdocs build` makes page texts, feeds, plans.json and the pinyin vocabulary in a forked
    process; the site is the same, byte for byte, when everything is made in one process, and when
    the second process is spawned (as on macOS and Windows: it makes the Site again from a pickle)."""
    result = run_mkdocs(FIXTURES / "mini", tmp_path / "other", env=mode)
    assert result.returncode == 0, result.stdout + result.stderr
    one = tmp_path / "other"
    files = sorted(p.relative_to(mini_site) for p in mini_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert all((mini_site / f).read_bytes() == (one / f).read_bytes() for f in files)
    assert (mini_site / "calendar/all.ics").stat().st_size > 1000
