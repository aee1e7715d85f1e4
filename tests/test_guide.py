"""The editors' guide (docs/guide/) and the generated schema reference stay true.

- The example files in the guide (a code block after `<!-- file: PATH -->`) load with no problem.
- Each broken example in check.md (`<!-- breaks: PATH -->`, lines `right → wrong`) gives exactly
  the `plansite check` output quoted after it (`<!-- output -->`), so the quoted messages are real.
- The schema page lists every field of every file model, and a hand-written page replaces it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, build_site
from plansite.input import model
from plansite.input.categories import CategoryFile
from plansite.input.load import load_plan_data
from plansite.output.pages.schema import SECTIONS, plain_type
from plansite.input.slugs import heading_slug

GUIDE = ROOT / "docs" / "guide"
FILE_BLOCK = re.compile(r"<!-- file: (\S+) -->\n```\w*\n(.*?)\n```", re.S)
BREAKS = re.compile(r"<!-- breaks: (\S+) -->\n```\w*\n(.*?)\n```.*?<!-- output -->\n```\w*\n(.*?)\n```", re.S)


def example_files() -> dict[str, str]:
    files = {}
    for page in sorted(GUIDE.glob("*.md")):
        for path, text in FILE_BLOCK.findall(page.read_text(encoding="utf-8")):
            assert path not in files, f"{path} is given twice in the guide"
            files[path] = text + "\n"
    return files


def write_example(root: Path) -> Path:
    for path, text in example_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "plan_data"


def test_guide_examples_cover_a_school_a_plan_its_measures_and_a_project():
    paths = sorted(example_files())
    assert [p.split("/")[1] for p in paths] == ["plans", "plans", "projects", "schools"], paths


def test_guide_examples_load_cleanly(tmp_path):
    result = load_plan_data(write_example(tmp_path))
    assert result.problems == [], "\n".join(map(str, result.problems))
    data = result.data
    (plan,) = data.plans.values()
    assert plan.measures and plan.measures_file, "the example .md is not read as the plan's 工作措施"
    items = [i for b in plan.schedule for i in b.items]
    # the annotated example shows every field an item can have, and both ways of writing one
    assert any(i.date and i.who and i.category for i in items) and any(i.projects and i.id for i in items)
    assert any(i.date is None and i.who is None for i in items)
    assert any(b.spans for b in plan.schedule) and plan.projects[0].stage


def test_quoted_anchor_is_the_real_one():
    text = (GUIDE / "plan.md").read_text(encoding="utf-8")
    measures = example_files()["plan_data/plans/dongfang-2026-autumn.md"]
    first = re.search(r"^## (.+)$", measures, re.M).group(1)
    assert f"`#{heading_slug(first)}`" in text


def _break(text: str, change: str) -> str:
    right, wrong = (s.strip() for s in change.split("→"))
    assert right in text, f"{right!r} is not in the example"
    return text.replace(right, wrong.replace("<Tab>", "\t"), 1)


def test_check_messages_in_the_guide_are_real(tmp_path):
    cases = BREAKS.findall((GUIDE / "check.md").read_text(encoding="utf-8"))
    assert len(cases) >= 2
    for n, (path, changes, expected) in enumerate(cases):
        root = tmp_path / f"case{n}"
        write_example(root)
        target = root / path
        text = target.read_text(encoding="utf-8")
        for change in changes.splitlines():
            text = _break(text, change)
        target.write_text(text, encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "check", "plan_data"], cwd=root,
                                capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert result.returncode == 1
        got = (result.stdout + result.stderr).strip()
        assert got == expected.strip(), f"check.md case {n + 1} ({path}) is out of date; now:\n{got}"


def test_guide_is_linked_but_out_of_the_readers_nav():
    """Parents and teachers do not need the editors' guide in the main navigation: it is left out
    of `nav:` (and declared not_in_nav), the about page links to it, and its index links every page."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    assert not any("编辑指南" in entry for entry in config["nav"] if isinstance(entry, dict))
    assert "/guide/" in config["not_in_nav"]
    assert "(guide/index.md)" in (ROOT / "docs/about.md").read_text(encoding="utf-8")
    index = (GUIDE / "index.md").read_text(encoding="utf-8")
    on_disk = {p.name for p in GUIDE.glob("*.md")} - {"index.md"}
    assert all(f"({name})" in index for name in on_disk | {"schema.md"}), on_disk
    assert not (GUIDE / "schema.md").exists(), "the schema page is generated; a hand-written one would replace it"


# ------------------------------------------------------------------ the generated schema page


MODELS = [s.model for s in SECTIONS]


def test_every_file_model_has_a_section():
    expected = {model.SchoolFile, model.PlanFile, model.BlockFile, model.ItemFile, model.PlanProjectFile,
                model.ProjectFile, model.StageFile, CategoryFile}
    assert set(MODELS) == expected


def _schema_tables(site: Path) -> dict[str, list[list[str]]]:
    html = BeautifulSoup((site / "guide/schema/index.html").read_text(encoding="utf-8"), "html.parser")
    out = {}
    for h2 in html.select("article h2"):
        table = h2.find_next("table")
        out[h2["id"]] = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    return out


def test_schema_page_lists_every_field(demo_site):
    tables = _schema_tables(demo_site)
    for section in SECTIONS:
        rows = tables[section.anchor]
        assert [r[0] for r in rows] == list(section.model.model_fields), section.model.__name__
        for row, (name, field) in zip(rows, section.model.model_fields.items()):
            assert row[2] == ("必填" if field.is_required() else "可不填"), name
            assert row[4] == (field.description or ""), name
    plan = {r[0]: r for r in tables["plan"]}
    assert plan["office"][3] == "教科室" and plan["goals"][3] == "空列表" and plan["title"][3] == "—"
    assert plan["schedule"][1] == "列表，每项是 行事历的月份"
    assert plan["projects"][1] == "列表，每项是 计划里的课题 （也可以只写它的 id ）"
    assert {r[0]: r for r in tables["project"]}["level"][1].startswith("级别：国家级")


def test_schema_page_links_nested_sections(demo_site):
    html = BeautifulSoup((demo_site / "guide/schema/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in html.select("article table a")}
    assert {"#plan-project", "#block", "#item", "#stage"} <= links


@pytest.mark.parametrize("annotation,words", [
    (str, "文字"),
    (str | None, "文字"),
    (list[str], "列表，每项是文字"),
    (model.Id, "编号（小写字母、数字、连字符）"),
    (list[model.Id] | None, "列表，每项是编号（小写字母、数字、连字符）"),
    (list[model.StageFile], "列表，每项是[课题的阶段](#stage)"),
])
def test_plain_type(annotation, words):
    assert plain_type(annotation) == words


def test_hand_written_schema_page_wins(tmp_path):
    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    (project / "docs/guide").mkdir(parents=True)
    (project / "docs/guide/schema.md").write_text("# 本区的数据格式\n\n手写的说明。\n", encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    text = (site / "guide/schema/index.html").read_text(encoding="utf-8")
    assert "手写的说明" in text and "数据格式参考" not in text
