"""`mkdocs serve` rebuilds: after every kind of edit, making again only the outputs whose declared
keys meet what the edit changed gives exactly the outputs of a full generation; a builder that
leaves one key out of a declaration makes the comparison fail. The parse cache gives exactly what
a fresh load gives."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from conftest import ROOT
from plansite.output import search
from plansite.output.build import build_pages
from plansite.input.categories import default_taxonomy_text
from plansite.output.deps import Memo, Reach, plan_slices
from plansite.output.feeds import ics, json_export
from plansite.output.incremental import Generation, changed_keys, generate
from plansite.input.load import LoadCache, load_plan_data
from plansite.output.pages import compare, home, month, project, school
from plansite.output.site import Output, Site


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("district")
    subprocess.run([sys.executable, str(ROOT / "scripts/gen_corpus.py"), "--schools", "7", "--seed", "3",
                    "--out", str(out)], check=True, timeout=120)
    return out / "plan_data"


def _site(data, **options) -> Site:
    # three schools to a page, so month and comparison pages are split here too
    settings = {"site_name": "测试", "site_url": "https://example.org/", "schools_per_page": 3, **options}
    return Site(data, **settings)


def _contents(outputs: list[Output]) -> dict[str, bytes | str]:
    return {o.path: o.content for o in outputs}


# ------------------------------------------------------------------ edits


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plan(data_dir: Path, plan_id: str) -> Path:
    return data_dir / "plans" / f"{plan_id}.yml"


def _first_item(plan: Path) -> str:
    return re.search(r"^      - (?:text: )?(.+)$", plan.read_text(encoding="utf-8"), re.M).group(1)


def item_text(data_dir: Path) -> None:
    plan = _plan(data_dir, "s0002-2026-autumn")
    _edit(plan, _first_item(plan), "'校本研修：虚构的新活动（测试）'")


def item_who(data_dir: Path) -> None:
    _edit(_plan(data_dir, "s0002-2026-autumn"), "who: 教科室", "who: 教导处（测试）")


def category_word(data_dir: Path) -> None:
    plan = _plan(data_dir, "s0001-2026-autumn")
    _edit(plan, _first_item(plan), "'开展读书节征文评比'")


def date_moves_month(data_dir: Path) -> None:
    plan = _plan(data_dir, "s0004-2026-autumn")
    text = plan.read_text(encoding="utf-8")
    m = re.search(r"date: (\d+)月(\d+)日", text)
    assert m, "no dated item"
    other = 10 if int(m.group(1)) != 10 else 11
    plan.write_text(text.replace(m.group(0), f"date: {other}月{m.group(2)}日", 1), encoding="utf-8")


def school_leaves_month(data_dir: Path) -> None:
    plan = _plan(data_dir, "s0005-2026-autumn")
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - label:")
    end = text.index("  - label:", start + 1)
    plan.write_text(text[:start] + text[end:], encoding="utf-8")


def project_stage(data_dir: Path) -> None:
    """A plan of the newest term gives a stage to a project two schools share: the other school's
    page shows the project's latest stage too."""
    data = load_plan_data(data_dir).data
    for plan in sorted(data.plans.values(), key=lambda p: p.term.start, reverse=True):
        for pp in plan.projects:
            if pp.stage and len(data.projects[pp.id].schools) == 2 and pp.stage != "结题":
                _edit(_plan(data_dir, plan.id), f"- id: {pp.id}\n    stage: {pp.stage}", f"- id: {pp.id}\n    stage: 结题")
                return
    raise AssertionError("no shared project with a stage")


def cited_item(data_dir: Path) -> None:
    """An item that links a project: the project page lists it."""
    plan = _plan(data_dir, "s0002-2026-autumn")
    _edit(plan, "课题组制订本学期研究计划", "课题组修订本学期研究计划（测试）")


def _insert_item(plan: Path, before_line: int, text: str, date: str) -> None:
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[before_line - 1:before_line - 1] = [f"      - text: {json.dumps(text, ensure_ascii=False)}\n",
                                              f"        date: {date}\n"]
    plan.write_text("".join(lines), encoding="utf-8")


def _joint_pair(data_dir: Path):
    """A dated item of one school and, on another part of the split month pages, a school whose plan
    of the same term has a block in that month."""
    data = load_plan_data(data_dir).data
    site = _site(data)
    mine = data.plans["s0002-2026-autumn"]
    item = next(i for b in mine.schedule for i in b.items if i.date is not None and not i.projects)
    ym = (item.date.start.year, item.date.start.month)
    for other in data.plans.values():
        if site.page_of(other.school) != site.page_of(mine.school) and other.term == mine.term:
            for block in other.schedule:
                if ym in block.months:
                    return other, block, item
    raise AssertionError("no school on another part with that month")


def joint_event(data_dir: Path) -> None:
    """Another school holds the same event on the same day: the first school's month page says so."""
    other, block, item = _joint_pair(data_dir)
    _insert_item(_plan(data_dir, other.id), block.items[0].line, item.text, item.date.text)


def joint_event_ends(data_dir: Path) -> None:
    other, _, item = _joint_pair(data_dir)
    _edit(_plan(data_dir, other.id), json.dumps(item.text, ensure_ascii=False), '"联合活动改为本校活动（测试）"')


def school_name(data_dir: Path) -> None:
    """A name that sorts first: the school moves to the first part of every split page."""
    _edit(data_dir / "schools/s0001.yml", "name: 江东市高新区柳湾实验中学", "name: 安定区柳湾实验中学")


def school_short_name(data_dir: Path) -> None:
    _edit(data_dir / "schools/s0002.yml", "short_name: 枫林小学", "short_name: 枫林二小")


def project_file(data_dir: Path) -> None:
    path = data_dir / "projects/s0002-p0.yml"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M).group(1)
    text = text.replace(f"title: {title}", 'title: "虚构课题的新名称"', 1)
    path.write_text(text + "  - stage: 中期\n    date: 2026-11\n", encoding="utf-8")


def category_file(data_dir: Path) -> None:
    """A keyword moves items to another category, and a category gets another URL name."""
    text = default_taxonomy_text().replace("slug: lunwen", "slug: lunwen-pingbi").replace(
        "keywords: [讲座,", "keywords: [讲座, 分析,")
    assert "lunwen-pingbi" in text and "[讲座, 分析," in text
    (data_dir / "categories.yml").write_text(text, encoding="utf-8")


def slugs_file(data_dir: Path) -> None:
    (data_dir / "slugs.yml").write_text("schools:\n  s0003: xin-nanhu\nplans:\n  s0006-2026-autumn: beitang-qiuji\n"
                                        "projects:\n  s0004-p1: xin-keti\n", encoding="utf-8")


def plan_added(data_dir: Path) -> None:
    text = _plan(data_dir, "s0004-2026-autumn").read_text(encoding="utf-8")
    text = re.sub(r"^title: .+$", "title: 虚构的教研室工作计划", text, count=1, flags=re.M)
    _plan(data_dir, "s0004-2026-autumn-jiaoyan").write_text(text + "office: 教研室\n", encoding="utf-8")


def plan_renamed(data_dir: Path) -> None:
    _plan(data_dir, "s0004-2026-autumn-jiaoyan").rename(_plan(data_dir, "s0004-2026-autumn-jys"))


def plan_removed(data_dir: Path) -> None:
    _plan(data_dir, "s0004-2026-autumn-jys").unlink()


def school_added(data_dir: Path) -> None:
    (data_dir / "schools/s0007.yml").write_text("name: 江东市安澜区阿岭小学\nshort_name: 阿岭小学\ndistrict: 安澜区\n",
                                                encoding="utf-8")
    text = _plan(data_dir, "s0003-2026-autumn").read_text(encoding="utf-8")
    text = re.sub(r"^projects:\n(?:  .*\n)+", "", text.replace("school: s0003", "school: s0007", 1), flags=re.M)
    text = re.sub(r"^ +projects: \[.*\]\n", "", text, flags=re.M)
    _plan(data_dir, "s0007-2026-autumn").write_text(text, encoding="utf-8")


def school_removed(data_dir: Path) -> None:
    (data_dir / "schools/s0007.yml").unlink()
    _plan(data_dir, "s0007-2026-autumn").unlink()


def options(**changed) -> Callable[[Path], dict]:
    def edit(data_dir: Path) -> dict:
        return changed
    edit.__name__ = "options: " + ", ".join(changed)
    return edit


# (edit, a plan whose page it changes or None): applied in turn to one copy of the district, each
# followed by one incremental generation and one full generation to compare it with
EDITS = [
    (item_text, "s0002-2026-autumn"),
    (item_who, "s0002-2026-autumn"),
    (date_moves_month, "s0004-2026-autumn"),
    (school_leaves_month, "s0005-2026-autumn"),
    (project_stage, None),
    (category_word, "s0001-2026-autumn"),
    (cited_item, "s0002-2026-autumn"),
    (joint_event, None),
    (joint_event_ends, None),
    (school_name, None),
    (school_short_name, None),
    (project_file, None),
    (category_file, None),
    (slugs_file, "s0006-2026-autumn"),
    (options(schools_per_page=2), None),
    (options(site_name="江东市教科研"), None),
    (options(site_url="https://jky.example.edu.cn/sub/"), None),
    (options(all_feed=False), None),
    (options(use_directory_urls=False), None),
    (plan_added, "s0004-2026-autumn-jiaoyan"),
    (plan_renamed, "s0004-2026-autumn-jys"),
    (plan_removed, None),
    (school_added, "s0007-2026-autumn"),
    (school_removed, None),
]


def test_after_every_kind_of_edit_the_outputs_equal_a_full_generation(district, tmp_path):
    data_dir = tmp_path / "plan_data"
    shutil.copytree(district, data_dir)
    cache = LoadCache()
    settings: dict = {}
    previous, incremental = generate(_site(load_plan_data(data_dir, cache=cache).data))
    assert not incremental
    for edit, plan_id in EDITS:
        what = edit.__name__
        settings |= edit(data_dir) or {}
        result = load_plan_data(data_dir, cache=cache)
        assert result.errors == [], [str(p) for p in result.errors]
        fresh = load_plan_data(data_dir)
        assert result.data == fresh.data and [str(p) for p in result.problems] == [str(p) for p in fresh.problems]
        before = _contents(previous.outputs)
        previous, incremental = generate(_site(result.data, **settings), previous)
        got = _contents(previous.outputs)
        want = _contents(build_pages(_site(fresh.data, **settings)))
        assert list(got) == list(want), what
        wrong = [path for path in want if got[path] != want[path]]
        assert wrong == [], f"{what}: stale after an incremental rebuild: {wrong[:5]}"
        changed = {path for path in want if before.get(path) != want[path]}
        assert changed <= set(previous.made), f"{what}: changed but not made again: {sorted(changed - set(previous.made))}"
        if plan_id:
            assert previous.site.plan_path(plan_id) in changed, what
        if edit is item_text:
            # an edited item is made again on few pages: its plan, school, months, feeds, indexes
            assert incremental and len(previous.made) < len(want) / 4, (len(previous.made), len(want))


def test_nothing_changed_makes_nothing_again(district):
    data = load_plan_data(district).data
    first, _ = generate(_site(data))
    again, incremental = generate(_site(data), first)
    assert incremental and again.made == []
    assert [o.content for o in again.outputs] == [o.content for o in first.outputs]


def test_an_item_edit_changes_its_month_and_plan_keys_only(district):
    """A plan's keys carry values: an item's new words change the months it is in, not the plan's
    other months, its head, its counts or its categories."""
    data = load_plan_data(district).data
    plan = data.plans["s0002-2026-autumn"]
    block = plan.schedule[0]
    item = next(i for i in block.items if i.date is not None and not i.projects)
    edited = dataclasses.replace(plan, schedule=(dataclasses.replace(block, items=tuple(
        dataclasses.replace(i, text=i.text + "（测试）") if i is item else i for i in block.items)),) + plan.schedule[1:])
    old = _site(data)
    new = _site(dataclasses.replace(data, plans={**data.plans, plan.id: edited}))
    keys = changed_keys(old, new)
    ym = str(block.months[0])
    assert {("plan", plan.id), ("month", ym, plan.school)} <= keys
    assert ("plan-head", plan.id) not in keys and ("count", ym, plan.school) not in keys
    assert not any(k[0] == "month" and k[1] != ym for k in keys), keys
    assert not any(k[0] in ("categories", "timeline", "school", "district", "option") for k in keys), keys
    # the same keys but the item's event (its words are part of that key)
    was, now = (set(plan_slices(p, site.views(p.id))) for p, site in ((plan, old), (edited, new)))
    assert [k[0] for k in was ^ now] == ["joint", "joint"] and ("joint", ym) == (was - now).pop()[:2]


def test_a_declared_key_meets_the_keys_under_it():
    reach = Reach({("month", "2026-11", "s0002"), ("plan", "p1")})
    assert reach.meets({("month",)}) and reach.meets({("month", "2026-11")}) and reach.meets({("plan", "p1")})
    assert not reach.meets({("month", "2026-12")}) and not reach.meets({("month", "2026-11", "s0003")})
    assert not reach.meets({("plan", "p")}) and not reach.meets(set())


def test_a_rebuild_takes_over_the_values_the_edit_did_not_reach():
    made = []
    first = Memo()
    for key, deps in (("a", (("plan", "p1"),)), ("b", (("plan", "p2"), ("school",))), ("c", (("plan", "p3"),))):
        first.get(key, deps, lambda key=key: made.append(key) or key.upper())
    second = Memo()
    second.take_over(first, Reach({("plan", "p1"), ("school", "s9")}))
    assert [second.get(key, (), lambda key=key: made.append(key) or key) for key in "abc"] == ["a", "b", "C"]
    assert made == ["a", "b", "c", "a", "b"]  # a and b made again: p1 and a school changed
    third = Memo()
    third.take_over(second, Reach(set()))
    assert third.get("c", (), lambda: "again") == "C"


# ------------------------------------------------------------------ a declaration left out


@pytest.fixture(scope="module")
def made(district):
    """The district's outputs made once, and a full generation after each edit, made once: the
    declarations a test removes change what is listed, not what is made."""
    site = _site(load_plan_data(district).data)
    return site, _contents(build_pages(site)), {}


def _without(kind: str):
    def make(*args, deps=frozenset(), **kwargs):
        return Output(*args, deps=frozenset(k for k in deps if k[0] != kind), **kwargs)
    return make


@pytest.mark.parametrize("builder, kind, edit", [
    (month, "joint", joint_event),  # the first school's part of the month does not say whom it holds it with
    (month, "month", item_who),  # (an item's words are in its joint-event key too)
    (school, "timeline", project_stage),  # the other school's page keeps the old latest stage
    (project, "cites", cited_item),
    (compare, "categories", category_word),
    (home, "month", item_text),
    (ics, "month", item_text),
    (json_export, "plan", item_who),
    (search, "plan", item_who),
    (search, "school", slugs_file),  # the list of schools search answers from at once keeps the old URLs
], ids=lambda x: getattr(x, "__name__", x).rpartition(".")[2])
def test_a_declaration_left_out_makes_the_oracle_fail(district, made, tmp_path, monkeypatch, builder, kind, edit):
    monkeypatch.setattr(builder, "Output", _without(kind))
    site, contents, after = made
    # the last build as the builder with the declaration left out would have listed it
    previous = Generation(site, [dataclasses.replace(o, body=contents[o.path]) for o in build_pages(site, deferred=True)])
    data_dir = tmp_path / "plan_data"
    shutil.copytree(district, data_dir)
    edit(data_dir)
    data = load_plan_data(data_dir).data
    got = _contents(generate(_site(data), previous)[0].outputs)
    if edit not in after:
        after[edit] = _contents(build_pages(_site(data)))
    want = after[edit]
    assert list(got) == list(want)
    assert [path for path in want if got[path] != want[path]], f"{builder.__name__} without {kind!r} stayed right"
