"""The demo data in plan_data/ is complete, clean and builds with --strict."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from conftest import ROOT
from plansite.input.load import load_plan_data


def test_demo_data_is_clean_and_large_enough():
    result = load_plan_data(ROOT / "plan_data")
    assert result.problems == [], "\n".join(map(str, result.problems))
    data = result.data
    assert len(data.schools) >= 4 and len(data.projects) >= 12
    for school in data.schools:
        terms = {p.term.key for p in data.plans.values() if p.school == school}
        assert {"2026-spring", "2026-autumn"} <= terms, school
    levels = Counter(p.level for p in data.projects.values())
    assert len(levels) >= 4, levels
    labels = [b.label for p in data.plans.values() for b in p.schedule]
    assert any(b.spans for p in data.plans.values() for b in p.schedule)
    assert any("元月" in label for label in labels)
    assert any(i.date for p in data.plans.values() for b in p.schedule for i in b.items)


def test_plansite_check_demo_exits_0():
    result = subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "check", str(ROOT / "plan_data")],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("通过：")


def test_demo_builds_strict(demo_site):
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    for entry in data["schools"] + data["plans"] + data["projects"]:
        assert (demo_site / entry["url"] / "index.html").is_file(), entry["url"]
    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))
    # Chinese text is segmented by jieba at build time (\u200b between words), or search finds nothing
    assert any("\u200b" in doc["text"] for doc in index["docs"])
