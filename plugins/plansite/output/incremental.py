"""`mkdocs serve` after an edit: make again only the outputs that read what the edit changed.

    previous Generation + new Site -> changed keys (old data and new data compared)
                                   -> every output listed with the keys it reads (build_pages)
                                   -> made again: new ones, those whose keys meet the changed keys
                                      or differ from the last build's; the rest taken over

Builders declare what each output reads (Output.deps, deps.py): no rule here knows a page family.
The last build's memo (site.memo) is taken over likewise. A full generation is the reference, and
tests check that both give the same outputs after every kind of edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .build import build_pages
from .deps import Key, Reach, plan_slices
from ..input.model import PlanData
from .site import Output, Site, projects_cited


@dataclass
class Generation:
    """What one build generated, kept by the plugin across `serve` rebuilds."""

    site: Site
    outputs: list[Output]
    made: list[str] = field(default_factory=list)  # the paths this build made (the rest were taken over)


def generate(site: Site, previous: Generation | None = None) -> tuple[Generation, bool]:
    """Every output for site, taking over from previous what the edit did not change. Returns the
    generation and whether anything was taken over."""
    if previous is None:
        outputs = build_pages(site, deferred=True)
        return Generation(site, outputs, [o.path for o in outputs]), False
    reach = Reach(changed_keys(previous.site, site))
    site.memo.take_over(previous.site.memo, reach)
    before = {o.path: o for o in previous.outputs}
    outputs, made = [], []
    for out in build_pages(site, deferred=True):
        old = before.get(out.path)
        if old is None or old.deps != out.deps or reach.meets(out.deps):
            made.append(out.path)
            outputs.append(out)
        else:
            outputs.append(replace(out, body=old.content))
    return Generation(site, outputs, made), len(made) < len(outputs)


def changed_keys(old: Site, new: Site) -> set[Key]:
    """The keys (deps.py) whose values differ between two builds' data and settings."""
    a, b = old.data, new.data
    settings = old.settings(), new.settings()
    keys: set[Key] = {("option", name) for name in settings[1] if settings[0][name] != settings[1][name]}
    if a.taxonomy != b.taxonomy:
        keys.add(("taxonomy",))
    plans = {pid for pid in a.plans.keys() | b.plans.keys() if a.plans.get(pid) != b.plans.get(pid)}
    schools = {sid for sid in a.schools.keys() | b.schools.keys() if a.schools.get(sid) != b.schools.get(sid)}
    projects = {pid for pid in a.projects.keys() | b.projects.keys() if a.projects.get(pid) != b.projects.get(pid)}
    keys |= {("school", sid) for sid in schools} | {("project", pid) for pid in projects}
    if _owners(a, plans, projects) != _owners(b, plans, projects):
        keys.add(("district",))
    # A school's or a project's record is part of every entry of the plans that show it
    shown = {pid for data in (a, b) for pid in _plans_showing(data, schools, projects)}
    for pid in plans | shown:
        was = plan_slices(a.plans[pid], old.views(pid)) if pid in a.plans else {}
        now = plan_slices(b.plans[pid], new.views(pid)) if pid in b.plans else {}
        if pid in shown:
            keys |= was.keys() | now.keys()
        else:
            keys |= {key for key in was.keys() | now.keys() if was.get(key, _NONE) != now.get(key, _NONE)}
    return keys


_NONE = object()  # a key a version of the plan does not contribute to


def _owners(data: PlanData, plans: set[str], projects: set[str]) -> tuple:
    """Which records exist, and whose the changed plans and projects are."""
    return (tuple(data.schools), tuple(data.plans), tuple(data.projects),
            {pid: data.plans[pid].school for pid in plans if pid in data.plans},
            {pid: data.projects[pid].schools for pid in projects if pid in data.projects})


def _plans_showing(data: PlanData, schools: set[str], projects: set[str]) -> set[str]:
    if not schools and not projects:
        return set()
    return {pid for pid, plan in data.plans.items() if plan.school in schools or projects_cited(plan) & projects}
