"""The six kinds of page a visitor meets, picked from the demo's data/plans.json.

Shared by the off-origin, accessibility and phone-width browser tests. Each kind is the
fullest page of its family (most items, most plans), so a layout or markup problem that shows
on any page of the family is most likely to show on this one; ties go to the first URL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path


def _items(plan: dict) -> int:
    return sum(len(block["items"]) for block in plan["schedule"])


def page_kinds(site: Path) -> dict[str, str]:
    """{kind: site-relative URL} for home, school, plan, month, project and comparison."""
    data = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))
    plan = max(data["plans"], key=_items)  # max() keeps the first of equals: deterministic
    school = next(s for s in data["schools"] if s["id"] == plan["school"])
    month = max(data["months"], key=lambda m: len(m["items"]))
    project = max(data["projects"], key=lambda p: len(p["plans"]))
    compare = next(url for url in data["pages"]["compare"] if re.fullmatch(r"compare/[^/]+/", url))
    return {"home": "", "school": school["url"], "plan": plan["url"], "month": month["url"],
            "project": project["url"], "compare": compare}


def all_urls(site: Path, family: str) -> list[str]:
    """Every page of a family: 'plans' or 'months'."""
    data = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))
    return [entry["url"] for entry in data[family]]
