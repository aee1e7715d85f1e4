"""`plansite render`: the same pages from a plain MkDocs build without the plugin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, build_site
from linkcheck import check_site


def _render(config, out, *extra):
    return subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "render", "--config", str(config), "--out", str(out),
                           *extra], capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "project"
    result = _render(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml

    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]  # no plansite
    return build_site(out, out.parent / "site")


def _shape(site, url):
    page = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    art = page.select_one("article")
    return (" ".join(art.get_text(" ", strip=True).split()),
            sorted(el["id"] for el in art.select("[id]")),
            sorted(a.get("href", "") for a in art.select("a")))


def test_plain_build_gives_the_same_pages(demo_site, plain_site):
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    urls = ([s["url"] for s in data["schools"]] + [p["url"] for p in data["plans"]] + [p["url"] for p in data["projects"]]
            + [m["url"] for m in data["months"]] + data["pages"]["compare"] + ["", "calendar/", "projects/", "schools/"])
    assert len(urls) > 50
    for url in urls:
        assert _shape(plain_site, url) == _shape(demo_site, url), url
    for f in ("data/plans.json", "calendar/all.ics", "assets/plansite/agenda.js", "assets/plansite/pinyin.json"):
        assert (plain_site / f).read_bytes() == (demo_site / f).read_bytes(), f


def test_render_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("我的文件", encoding="utf-8")
    result = _render(FIXTURES / "mini" / "mkdocs.yml", out)
    assert result.returncode == 1 and "已存在" in result.stderr and "--force" in result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "我的文件"
    # --force replaces only a folder an earlier render made: this one is the user's
    result = _render(FIXTURES / "mini" / "mkdocs.yml", out, "--force")
    assert result.returncode == 1 and "不是 plansite render 生成的文件夹" in result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "我的文件"
    (out / "keep.txt").unlink()
    assert _render(FIXTURES / "mini" / "mkdocs.yml", out).returncode == 0  # an empty folder is fine
    (out / "docs" / "old.md").write_text("旧页面", encoding="utf-8")
    assert _render(FIXTURES / "mini" / "mkdocs.yml", out, "--force").returncode == 0
    assert not (out / "docs" / "old.md").exists() and (out / "docs" / "plans" / "dongpo-2026-autumn" / "index.md").is_file()
    assert (out / "docs" / "about.md").read_text(encoding="utf-8").startswith("# 关于")  # hand-written pages come along


def test_render_reports_bad_data(tmp_path):
    project = tmp_path / "proj"
    import shutil

    shutil.copytree(FIXTURES / "mini", project)
    plan = project / "plan_data/plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("school: dongpo", "school: nowhere"), encoding="utf-8")
    result = _render(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 1 and "找不到学校 'nowhere'" in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_plain_build_has_no_broken_links_under_a_sub_path(plain_site):
    # Derived pages are written as folder/index.md, so links in raw HTML (heat-map cells, the
    # month list, feed links) mean the same to every engine; the link check is our own.
    report = check_site(plain_site, "/sub/path/")
    assert report.checked > 1000
    assert report.broken == [], "\n".join(report.broken[:30])


def test_derived_pages_get_their_own_folder_and_nav_pages_stay(tmp_path):
    out = tmp_path / "out"
    assert _render(ROOT / "mkdocs.yml", out).returncode == 0
    docs = out / "docs"
    assert (docs / "plans" / "qinghe-shixiao-2026-autumn" / "index.md").is_file()
    assert not (docs / "plans" / "qinghe-shixiao-2026-autumn.md").exists()
    assert (docs / "compare" / "index.md").is_file()  # named by the nav: keeps its file
    # the editors' guide is out of the readers' nav: its generated schema page gets a folder too,
    # and the guide's hand-written index follows it there
    assert (docs / "guide" / "schema" / "index.md").is_file()
    assert "(schema/index.md)" in (docs / "guide" / "index.md").read_text(encoding="utf-8")
    school = (docs / "schools" / "qinghe-shixiao" / "index.md").read_text(encoding="utf-8")
    assert "](../../plans/qinghe-shixiao-2026-autumn/index.md" in school  # Markdown links follow the layout
    assert "](../../calendar/feeds/qinghe-shixiao.ics){download}" in school  # feed links are Markdown too


def test_hand_written_pages_keep_their_file_and_their_links(tmp_path):
    """A hand-written page that replaces a generated one stays where it is and other pages link to it;
    a hand-written page's links to generated pages follow them into their folders."""
    import shutil

    project = tmp_path / "proj"
    shutil.copytree(FIXTURES / "mini", project)
    (project / "docs" / "schools").mkdir()
    (project / "docs" / "schools" / "dongpo.md").write_text(
        "# 东坡小学（手写）\n\n[本校计划](../plans/dongpo-2026-autumn.md)\n", encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[西园学校](schools/xiyuan.md#plans) · [东坡计划][p]\n\n"
                     "[p]: plans/dongpo-2026-autumn.md\n\n```\n[不是链接](schools/xiyuan.md)\n```\n", encoding="utf-8")
    (project / "docs" / "old.md").write_bytes("# 旧文件\n\n[东坡](schools/dongpo.md)\n".encode("gb18030"))
    out = tmp_path / "out"
    result = _render(project / "mkdocs.yml", out)
    assert result.returncode == 0, result.stdout + result.stderr
    docs = out / "docs"
    assert (docs / "old.md").read_bytes() == (project / "docs" / "old.md").read_bytes()  # not UTF-8: copied as it is
    (docs / "old.md").unlink()
    assert not (docs / "schools" / "dongpo").exists()
    assert "](../plans/dongpo-2026-autumn/index.md)" in (docs / "schools" / "dongpo.md").read_text(encoding="utf-8")
    text = (docs / "about.md").read_text(encoding="utf-8")
    assert "](schools/xiyuan/index.md#plans)" in text and "[p]: plans/dongpo-2026-autumn/index.md" in text
    assert "[不是链接](schools/xiyuan.md)" in text  # code stays as written
    assert "(schools/xiyuan.md#plans)" in about.read_text(encoding="utf-8")  # the author's file is untouched
    plan = (docs / "plans" / "dongpo-2026-autumn" / "index.md").read_text(encoding="utf-8")
    assert "](../../schools/dongpo.md)" in plan  # generated pages link to the hand-written file
    site = build_site(out, tmp_path / "site")  # --strict: every Markdown link resolves
    assert "东坡小学（手写）" in (site / "schools" / "dongpo" / "index.html").read_text(encoding="utf-8")
    report = check_site(site, "/sub/path/")
    assert report.checked > 100 and report.broken == [], "\n".join(report.broken[:30])


@pytest.mark.parametrize("option,expected", [
    ("slugs: pinyn", "plugins.plansite.slugs"),
    ("heading_anchors: 拼音", "plugins.plansite.heading_anchors"),
    ("site_date: 2026年9月1日", "site_date 应写成 YYYY-MM-DD"),
])
def test_render_checks_options_as_mkdocs_does(tmp_path, option, expected):
    """render reads the plugin's options through the same validated config as the plugin."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "docs").mkdir()
    import shutil

    shutil.copytree(FIXTURES / "mini" / "plan_data", project / "plan_data")
    (project / "mkdocs.yml").write_text(f"site_name: 测试\nplugins:\n  - plansite:\n      {option}\n", encoding="utf-8")
    result = _render(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
