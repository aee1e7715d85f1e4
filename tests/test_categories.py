"""The keyword classifier against hand labels: a labelled set written for this project
(tests/fixtures/categories_labelled.yml, labelling rules in its header), and the share of the
imported seed plans' items it leaves unclassified (skipped where shared/ is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plansite.input.categories import Taxonomy, CategoryFile
from plansite.importer import parse_file
from plansite.input.load import load_plan_data

from conftest import FIXTURES, SHARED, report

SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    text = (Path(__file__).resolve().parents[1] / "plugins/plansite/data/categories.yml").read_text(encoding="utf-8")
    return Taxonomy(tuple(CategoryFile(**c) for c in yaml.safe_load(text)))


def labelled() -> list[tuple[str, str]]:
    rows = yaml.safe_load((FIXTURES / "categories_labelled.yml").read_text(encoding="utf-8"))
    return [(text, category) for category, text in rows]


def test_labelled_set_is_broad(taxonomy):
    rows = labelled()
    assert len(rows) >= 100
    assert {c for _, c in rows} == set(taxonomy.names)  # every category has examples
    assert all(c in taxonomy.names for _, c in rows)


def test_agreement_with_hand_labels(taxonomy):
    rows = labelled()
    wrong = [(t, c, taxonomy.classify(t)) for t, c in rows if taxonomy.classify(t) != c]
    agreement = 1 - len(wrong) / len(rows)
    report(f"classifier: {agreement:.1%} agreement with {len(rows)} hand-labelled items "
           f"({len(wrong)} differ)")
    assert agreement >= 0.90, "\n".join(f"{t}: labelled {c}, classified {g}" for t, c, g in wrong)


@pytest.mark.parametrize("text,category", [
    ("每月最后一周的周四下午举行教师读书沙龙。", "读书活动"),  # not 校本培训
    ("根据期中质量分析，各备课组调整期末复习计划。", "教研活动"),  # not 总结计划
    ("制订本学期教科室工作计划。", "总结计划"),
    ("开展“教科研沙龙”活动。", "教研活动"),
])
def test_misfiled_examples(taxonomy, text, category):
    assert taxonomy.classify(text) == category


def test_the_shipped_taxonomy_is_what_the_loader_uses(taxonomy):
    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    assert data.taxonomy.names == taxonomy.names


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds (test material) is not here")
def test_seed_items_are_mostly_classified(taxonomy):
    items = [item["text"]
             for seed in sorted(SEEDS.glob("*.txt"))
             for plan in parse_file(seed).to_json()["plans"] if plan["is_school_plan"]
             for block in plan["schedule"] for item in block["items"]]
    assert len(items) >= 100
    left = [t for t in items if taxonomy.classify(t) is None]
    share = len(left) / len(items)
    report(f"classifier: {share:.1%} of {len(items)} imported seed items unclassified")
    assert share <= 0.05, "\n".join(left)


def test_check_lists_unclassified_items_for_the_editors(tmp_path, capsys):
    """Public pages say 未归类; the hint to add keywords goes to the editors, from plansite check."""
    import shutil

    from plansite.adapters.cli import main

    data = tmp_path / "plan_data"
    shutil.copytree(FIXTURES / "mini" / "plan_data", data)
    plan = next((data / "plans").glob("*.yml"))
    text = plan.read_text(encoding="utf-8")
    marker = "    items:\n"
    assert marker in text
    plan.write_text(text.replace(marker, marker + "      - 更换校门口的宣传橱窗。\n", 1), encoding="utf-8")
    assert main(["check", str(data)]) == 0
    out = capsys.readouterr().out
    assert "没有归入任何活动类别" in out and "categories.yml" in out
    assert f"plan_data/plans/{plan.name}:" in out and "更换校门口的宣传橱窗。" in out
