"""`mkdocs serve` after an edit: regenerate only the outputs the changed plans touch.

    previous Generation + new Site -> changed plans -> touched paths -> build_pages(only those)
                                                                     -> merged with the rest

A plan touches its school (page and feed), its plan page, the month pages it has items in, its
projects (and the pages of every school working on them, which show the latest stage), the
comparison pages of its terms, and the district-wide pages: home, indexes, all.ics, plans.json and
the pinyin vocabulary. Anything else (a school, a project, categories, slugs, options, a plan added
or removed, a month or page appearing or vanishing) regenerates everything: the full build is the
fallback and the reference, and tests check that both give the same outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import search
from .build import build_pages
from .model import PlanData
from .agenda import joint_events, term_key_of
from .pages.compare import compare_path, compare_paths, schools_by_category, index_paths as compare_index_paths
from .pages.month import index_paths as months_index_paths
from .pages.month import month_paths
from .pages.project import index_paths as projects_index_paths
from .site import Output, Site, projects_cited


@dataclass
class Generation:
    """What one build generated, kept by the plugin across `serve` rebuilds."""

    site: Site
    outputs: list[Output]


def generate(site: Site, previous: Generation | None = None) -> tuple[Generation, bool]:
    """Every output for site; from previous when it can be reused. Returns the generation and
    whether it was incremental."""
    if previous is not None:
        changed = changed_plans(previous.site, site)
        if changed is not None:
            site.reuse(previous.site, changed)
            touched = touched_paths(previous.site, site, changed)
            before = {o.path for o in previous.outputs}
            site.only = touched
            try:
                fresh = {o.path: o for o in build_pages(site)}
            finally:
                site.only = None
            # The same pages as before (none appeared, none vanished): merge in the old order.
            if set(fresh) <= before and touched & before <= set(fresh):
                outputs = [fresh.get(o.path, o) for o in previous.outputs]
                return Generation(site, outputs), True
    return Generation(site, build_pages(site)), False


def _settings(site: Site) -> tuple:
    return (site.paths, site.use_directory_urls, site.site_name, site.site_url, site.site_date,
            site.heading_anchors, site.all_feed, site.schools_per_page)


def changed_plans(old: Site, new: Site) -> set[str] | None:
    """The ids of the plans that differ, or None when more than plans changed."""
    a, b = old.data, new.data
    if _settings(old) != _settings(new) or not _same_except_plans(a, b) or list(a.plans) != list(b.plans):
        return None
    changed = {pid for pid, plan in b.plans.items() if a.plans[pid] != plan}
    if any(a.plans[pid].slug != b.plans[pid].slug or a.plans[pid].school != b.plans[pid].school for pid in changed):
        return None
    return changed


def _same_except_plans(a: PlanData, b: PlanData) -> bool:
    return a.schools == b.schools and a.projects == b.projects and a.taxonomy == b.taxonomy


def touched_paths(old: Site, new: Site, changed: set[str]) -> set[str]:
    """Every output path a change of these plans can alter, in the old site and the new one.

    Month and comparison pages are split by school: only the page listing the edited school
    changes, unless the school appears on or vanishes from a page (then the links between the
    pages change) or a comparison's columns (the categories used in the term) change."""
    if not changed:
        return set()
    p = new.paths
    paths = {p.home, p.schools_index, p.data_json, search.vocabulary_path(new), new.feed_path()}
    months: set = set()
    schools: set[str] = set()
    for site in (old, new):
        for pid in changed:
            plan = site.data.plans[pid]
            schools.add(plan.school)
            paths |= {site.plan_path(pid), site.school_path(plan.school), site.feed_path(plan.school)}
            for ym, entries in site.agenda_by_school.get(plan.school, {}).items():
                if any(e.plan.id == pid for e in entries):
                    months.add(ym)
            for pr in projects_cited(plan):
                paths.add(site.project_path(pr))
                paths |= {site.school_path(sid) for sid in site.data.projects[pr].schools}
    for site in (old, new):  # the indexes, split by school like the pages they list
        paths.update(projects_index_paths(site) + months_index_paths(site) + compare_index_paths(site))
    for ym in months:
        moved = any((ym in old.agenda_by_school.get(sid, {})) != (ym in new.agenda_by_school.get(sid, {}))
                    for sid in schools)
        # a month page says which other schools hold an event too (joint events): their parts change
        partners = {e.plan.school for site in (old, new) for group in joint_events(site.agenda.get(ym, []))
                    if any(g.plan.id in changed for g in group) for e in group}
        for site in (old, new):
            paths.update(month_paths(site, ym) if moved else
                         [site.month_path(ym, sid) for sid in schools | partners if sid in site.data.schools])
    for key in {term_key_of(ym)[1] for ym in months}:
        before, after = schools_by_category(old, key), schools_by_category(new, key)
        if set(before) != set(after) or any((sid in before[c]) != (sid in after[c]) for c in before for sid in schools):
            paths.update(compare_paths(old, key))
            paths.update(compare_paths(new, key))
            continue
        for site in (old, new):
            for sid in schools:
                paths.add(compare_path(site, key, page=site.page_of(sid)))
                paths |= {compare_path(site, key, c, site.page_of(sid)) for c, sids in after.items() if sid in sids}
    return paths
