"""Dependency keys: what an output reads, and what an edit changes.

Every output lists the keys it reads (`Output.deps`), declared by its builder where it decides
what the page shows. A `mkdocs serve` rebuild turns an edit into the keys it changed
(incremental.changed_keys) and makes again exactly the outputs whose keys meet them. A key is a
tuple; a declared key meets a changed key when it is the same or a prefix of it, so ("school",)
reads every school and ("month", "2026-11") every school's part of November.

    ("plan", pid)                     a plan as written, every field
    ("plan-head", pid)                what lists of plans show: its id, URL name, title, school, term, office
    ("month", "2026-11", sid)         a school's entries of a month: items, dates, anchors, their plans' heads
    ("count", "2026-11", sid)         how many entries
    ("joint", "2026-11", when, what)  the entries of one event (agenda.Entry.event): whom an entry is held with
    ("timeline", prid)                what plans say of a project's stages
    ("cites", prid)                   the schedule items that link a project
    ("categories", term, sid)         a school's items of a term counted by category
    ("unclassified", term, sid)       a school's items of a term that no category fits
    ("category", term, name, sid)     a school's items of one category in a term, and their months
    ("school", sid)                   a school as written (names, place, URL name, …)
    ("project", prid)                 a project as written
    ("taxonomy",)                     the category file: names, order, URL names
    ("district",)                     which schools, plans and projects exist, and whose each plan and project is
    ("option", name)                  a site setting (Site.settings)
    ("layout", …)                     what the listing decided (the schools of each part of a split page, the
                                      months before and after …), declared by value: an output whose declared
                                      keys differ from the last build's is made again, so nothing emits these

A plan's keys come with a value (plan_slices): an edit changes the keys whose values differ. A
school's or a project's record is part of every entry of the plans that show it (a name, a
title, a URL), so an edit of one changes every key of those plans.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from ..views.agenda import BlockView, plan_entries, term_key_of
from ..input.categories import UNCLASSIFIED
from ..input.model import Plan

Key = tuple

# The settings outputs read, by kind (names as in Site.settings)
LINKS = frozenset({("option", "paths"), ("option", "urls"), ("option", "folders")})  # any URL or link
PAGE = LINKS | {("option", "anchors")}  # a Markdown page from a template (headings get anchors)


def option(*names: str) -> frozenset[Key]:
    return frozenset(("option", name) for name in names)


def plan_slices(plan: Plan, views: list[BlockView]) -> dict[Key, Any]:
    """The keys a plan contributes to, each with the value it contributes (compared across an edit)."""
    sid = plan.school
    head = (plan.id, plan.slug, plan.title, plan.school, plan.term, plan.office)
    out: dict[Key, Any] = {("plan", plan.id): plan, ("plan-head", plan.id): head}
    months: dict[str, list] = {}
    joint: dict[Key, list] = {}
    categories: dict[str, Counter] = {}
    unclassified: dict[str, list] = {}
    in_category: dict[tuple[str, str], list] = {}
    category_months: dict[tuple[str, str], Counter] = {}
    seen: set[tuple[str, str]] = set()
    for e in plan_entries(plan, views):
        ym, term = str(e.month), term_key_of(e.month)[1]
        shown = (e.block.label, e.block.months, e.item, e.anchor)
        months.setdefault(ym, []).append(shown)
        joint.setdefault(("joint", ym, *e.event), []).append((e.anchor, e.item.line, e.item.date))
        name = e.item.category or UNCLASSIFIED
        category_months.setdefault((term, name), Counter())[ym] += 1
        if (term, e.anchor) in seen:  # comparisons count an item once a term (compare.TermView.items)
            continue
        seen.add((term, e.anchor))
        categories.setdefault(term, Counter())[name] += 1
        in_category.setdefault((term, name), []).append(shown)
        if name == UNCLASSIFIED:
            unclassified.setdefault(term, []).append(shown)
    for ym, shown in months.items():
        out["month", ym, sid] = (head, tuple(shown))
        out["count", ym, sid] = len(shown)
    for key, found in joint.items():
        out[key] = (sid, tuple(found))
    for term, counts in categories.items():
        out["categories", term, sid] = tuple(sorted(counts.items()))
    for term, shown in unclassified.items():
        out["unclassified", term, sid] = (head, tuple(shown))
    for (term, name), shown in in_category.items():
        out["category", term, name, sid] = (head, tuple(shown), tuple(sorted(category_months[term, name].items())))
    stages: dict[str, list] = {}
    for pp in plan.projects:
        stages.setdefault(pp.id, []).append((pp.stage, pp.note, pp.line))
    for prid, said in stages.items():
        out["timeline", prid] = (head, plan.where.file, tuple(said))
    cites: dict[str, list] = {}
    for view in views:
        for iv in view.items:
            for prid in iv.item.projects:
                cites.setdefault(prid, []).append((view.block.label, view.block.months, iv.item, iv.anchor))
    for prid, items in cites.items():
        out["cites", prid] = (head, tuple(items))
    return out


class Reach:
    """The changed keys, ready to be met: a declared key meets them when it is one of them or a
    prefix of one."""

    def __init__(self, changed: Iterable[Key]) -> None:
        self.changed = frozenset(changed)
        self._prefixes = {key[:n] for key in self.changed for n in range(1, len(key) + 1)}

    def meets(self, declared: Iterable[Key]) -> bool:
        return not self._prefixes.isdisjoint(declared)


class Memo:
    """Values computed from part of the data (a plan's anchors, its search entries, a calendar
    event, a project's timeline …), each stored with the keys it read. A `serve` rebuild takes over
    the values the last build used whose keys the edit did not change (take_over)."""

    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[frozenset[Key], Any]] = {}
        self._used: set[Hashable] = set()  # what this build asked for: a value no build asks for again is let go

    def get(self, key: Hashable, deps: Iterable[Key], make: Callable[[], Any]) -> Any:
        hit = self._values.get(key)
        if hit is None:
            hit = self._values[key] = (frozenset(deps), make())  # a set keeps its keys' hashes: met fast
        self._used.add(key)
        return hit[1]

    def take_over(self, previous: Memo, changed: Reach) -> None:
        values, meets = previous._values, changed.meets
        kept = {key: values[key] for key in previous._used if not meets(values[key][0])}
        kept.update(self._values)  # what this build made already
        self._values = kept

    def __len__(self) -> int:
        return len(self._values)
