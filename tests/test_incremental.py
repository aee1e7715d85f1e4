"""`mkdocs serve` rebuilds: regenerating only what an edited plan touches gives exactly the outputs
of a full generation, and the parse cache gives exactly what a fresh load gives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from plansite.build import build_pages
from plansite.incremental import generate, touched_paths
from plansite.load import LoadCache, load_plan_data
from plansite.site import Site


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("district")
    subprocess.run([sys.executable, str(ROOT / "scripts/gen_corpus.py"), "--schools", "7", "--seed", "3",
                    "--out", str(out)], check=True, timeout=120)
    return out / "plan_data"


def _site(data) -> Site:
    # three schools to a page, so month and comparison pages are split here too
    return Site(data, site_name="测试", site_url="https://example.org/", schools_per_page=3)


def _full(data_dir: Path) -> dict[str, bytes | str]:
    return {o.path: o.content for o in build_pages(_site(load_plan_data(data_dir).data))}


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_item(plan: Path) -> str:
    return re.search(r"^      - (?:text: )?(.+)$", plan.read_text(encoding="utf-8"), re.M).group(1)


EDITS = [
    # (what, plan file, edit): each must regenerate incrementally and match a full generation
    ("item text", "s0002-2026-autumn", lambda p: _edit(p, _first_item(p), "'校本研修：虚构的新活动（测试）'")),
    ("project stage", None, None),
    ("new category word", "s0001-2026-autumn", lambda p: _edit(p, _first_item(p), "'开展读书节征文评比'")),
    ("a dated item moves month", "s0004-2026-autumn", None),
    ("a school leaves a month", "s0005-2026-autumn", lambda p: _drop_first_block(p)),
]


def _drop_first_block(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("  - label:")
    end = text.index("  - label:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def _move_a_date(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    m = re.search(r"date: (\d+)月(\d+)日", text)
    assert m, "no dated item"
    month = int(m.group(1))
    other = 10 if month != 10 else 11
    path.write_text(text.replace(m.group(0), f"date: {other}月{m.group(2)}日", 1), encoding="utf-8")


def _shared_project_stage(data_dir: Path) -> tuple[str, callable]:
    """A plan of the newest term that gives a stage to a project two schools share: changing it
    changes the other school's page too (its projects table shows the latest stage)."""
    data = load_plan_data(data_dir).data
    for plan in sorted(data.plans.values(), key=lambda p: p.term.start, reverse=True):
        for pp in plan.projects:
            if pp.stage and len(data.projects[pp.id].schools) == 2 and pp.stage != "结题":
                return plan.id, lambda path: _edit(path, f"- id: {pp.id}\n    stage: {pp.stage}",
                                                  f"- id: {pp.id}\n    stage: 结题")
    raise AssertionError("no shared project with a stage")


def test_regenerating_what_an_edit_touches_equals_a_full_build(district, tmp_path):
    import shutil

    data_dir = tmp_path / "plan_data"
    shutil.copytree(district, data_dir)
    cache = LoadCache()
    previous, incremental = generate(_site(load_plan_data(data_dir, cache=cache).data))
    assert not incremental
    stage_plan, stage_edit = _shared_project_stage(data_dir)
    edits = {"project stage": stage_edit, "a dated item moves month": _move_a_date}
    seen_incremental = 0
    for what, plan_id, edit in EDITS:
        plan_id = plan_id or stage_plan
        plan = data_dir / "plans" / f"{plan_id}.yml"
        (edit or edits[what])(plan)
        result = load_plan_data(data_dir, cache=cache)
        assert result.errors == [], [str(p) for p in result.errors]
        fresh = load_plan_data(data_dir)
        assert result.data == fresh.data and [str(p) for p in result.problems] == [str(p) for p in fresh.problems]
        before = {o.path: o.content for o in previous.outputs}
        previous, incremental = generate(_site(result.data), previous)
        seen_incremental += incremental
        got = {o.path: o.content for o in previous.outputs}
        want = _full(data_dir)
        assert list(got) == list(want), what
        wrong = [path for path in want if got[path] != want[path]]
        assert wrong == [], f"{what}: stale after an incremental rebuild: {wrong[:5]}"
        changed = [path for path in want if before.get(path) != want[path]]
        assert previous.site.plan_path(plan_id) in changed
        assert len(changed) < len(want) / 2, f"{what}: {len(changed)} of {len(want)} outputs changed"
    assert seen_incremental >= 4  # most edits stayed incremental (a month appearing falls back)


def test_an_edit_touches_its_own_pages_not_other_schools(district):
    data = load_plan_data(district).data
    old = _site(data)
    new = _site(data)
    touched = touched_paths(old, new, {"s0002-2026-autumn"})
    assert {new.plan_path("s0002-2026-autumn"), new.school_path("s0002"), new.feed_path("s0002")} <= touched
    assert "data/plans.json" in touched
    assert [p for p in touched if p.startswith("plans/")] == [new.plan_path("s0002-2026-autumn")]
    assert new.feed_path("s0005") not in touched
    assert touched_paths(old, new, set()) == set()


def test_nothing_changed_regenerates_nothing(district):
    data = load_plan_data(district).data
    first, _ = generate(_site(data))
    again, incremental = generate(_site(data), first)
    assert incremental and [o.content for o in again.outputs] == [o.content for o in first.outputs]
