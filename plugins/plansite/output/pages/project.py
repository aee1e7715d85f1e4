"""A page per project (课题), and the projects index (filterable and sortable, plain table without JS)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from functools import cache, partial

from ...views.agenda import ItemView, date_label, months_label
from .. import describe
from ..deps import PAGE
from ...input.model import LEVELS, STAGES, Item, Plan, Project
from ...input.projects import StageEvent, latest_stage
from ..site import Output, Site, paged
from ...input.slugs import pinyin_order
from .paging import pager, pager_deps


@dataclass(frozen=True)
class ProjectItem:
    plan: Plan
    item: Item
    anchor: str
    when: str
    order: tuple


def project_items(site: Site) -> dict[str, list[ProjectItem]]:
    """For each project, every schedule item across all plans that concerns it, in date order."""
    out: dict[str, list[ProjectItem]] = {pid: [] for pid in site.data.projects}
    for plan in site.data.plans.values():
        for view in site.views(plan.id):
            for iv in view.items:
                for pid in iv.item.projects:
                    out[pid].append(_row(plan, view.block, iv))
    return {pid: sorted(rows, key=lambda r: r.order) for pid, rows in out.items()}


def _row(plan: Plan, block, iv: ItemView) -> ProjectItem:
    item = iv.item
    if item.date:
        when, start = date_label(item.date), item.date.start.isoformat()
    else:
        when = months_label(block.months) or block.label
        start = f"{block.months[0]}-00" if block.months else ""
    return ProjectItem(plan, item, iv.anchor, when, (start, plan.id, item.line))


def steps_html(events: list[StageEvent]) -> str:
    """申报 → 立项 → 开题 → 中期 → 结题, each marked reached (with when) or not yet, in text and colour."""
    reached = {e.stage: e for e in events}
    lis = []
    for stage in STAGES:
        ev = reached.get(stage)
        if ev:
            lis.append(f'<li class="plansite-step plansite-step--done"><strong>{stage}</strong>'
                       f'<span>✓ {html.escape(ev.when)}</span></li>')
        else:
            lis.append(f'<li class="plansite-step"><strong>{stage}</strong><span>未到</span></li>')
    return '<ol class="plansite-steps" aria-label="研究阶段">' + "".join(lis) + "</ol>"


def build(site: Site) -> list[Output]:
    outputs = []
    items = cache(partial(project_items, site))  # every project page's items, gathered once
    for project in site.data.projects.values():
        here = site.project_path(project.id)
        # the project, its schools, its stages as plans report them and the items that link it
        deps = (PAGE | {("project", project.id), ("timeline", project.id), ("cites", project.id)}
                | {("school", sid) for sid in project.schools})
        outputs.append(Output(here, partial(_page, site, project.id, here, items), source=project.where.file,
                              sanitize=True, deps=deps))
    pages = _index_pages(site)
    for page, sids in pages:
        here = paged(site.paths.projects_index, page)
        listed = _listed(site, pages, sids)
        deps = (PAGE | pager_deps(pages) | {("layout", tuple(p.id for p in listed))}
                | {(kind, p.id) for p in listed for kind in ("project", "timeline")}
                | {("school", sid) for p in listed for sid in p.schools})
        outputs.append(Output(here, partial(_index_page, site, here, pages, listed), in_nav=page == 1, deps=deps))
    return outputs


def _page(site: Site, project_id: str, here: str, items) -> str:
    project = site.data.projects[project_id]
    events = site.timelines[project.id]
    text = site.render("project.md.j2", here, project=project, events=events, steps=steps_html(events),
                       items=items()[project.id])
    return describe.front_matter(text, describe.project(site.data, project, latest_stage(events)))


def _listed(site: Site, pages: list[tuple[int, list[str]]], sids: list[str]) -> list[Project]:
    """A part of the index lists the projects of its schools; unsplit, every project."""
    ordered = sorted(site.data.projects.values(), key=lambda p: (LEVEL_ORDER.get(p.level, 99), p.id))
    mine = set(sids)
    return ordered if len(pages) == 1 else [p for p in ordered if mine & set(p.schools)]


def _index_page(site: Site, here: str, pages: list[tuple[int, list[str]]], listed: list[Project]) -> str:
    return _index(site, here, listed, site.timelines,
                  pager(site, here, pages, lambda k: paged(site.paths.projects_index, k)))


def _index_pages(site: Site) -> list[tuple[int, list[str]]]:
    """The projects index is split like month pages: the projects of schools_per_page schools a page."""
    order = sorted(site.data.schools, key=lambda s: (site.data.schools[s].name, s))
    return site.split_by_page([sid for sid in order if site.data.projects_of(sid)])


def index_paths(site: Site) -> list[str]:
    """The pages of the projects index, without rendering them."""
    return [paged(site.paths.projects_index, page) for page, _ in _index_pages(site)]


LEVEL_ORDER = {level: n for n, level in enumerate(LEVELS)}


def _index(site: Site, here: str, projects: list[Project], timelines: dict, pager: str = "") -> str:
    latest = {p.id: latest_stage(timelines[p.id]) for p in projects}
    facets = {
        "level": ("级别", Counter(p.level or "未注明" for p in projects), list(LEVELS) + ["未注明"]),
        "stage": ("最新阶段", Counter(latest[p.id] or "未注明" for p in projects), list(STAGES) + ["未注明"]),
        "school": ("学校", Counter(s for p in projects for s in p.schools),
                   sorted(site.data.schools, key=lambda s: (pinyin_order(site.data.schools[s].name), s))),
        "cycle": ("规划", Counter(p.cycle or "未注明" for p in projects),
                  sorted({p.cycle or "未注明" for p in projects}, key=lambda c: (c == "未注明", c))),
    }

    def label(key: str, value: str) -> str:
        if key == "school":
            s = site.data.schools[value]
            return s.short_name or s.name
        return value

    # A facet that says nothing is left out: no summary line when no project says it (规划 on imported
    # plans, whose projects name no cycle), no filter when every project has the same value.
    facets = {key: f for key, f in facets.items() if set(f[1]) != {"未注明"}}
    summary = {key: [(label(key, v), counts[v]) for v in order if counts[v]] for key, (_, counts, order) in facets.items()}
    esc = html.escape
    selects = []
    for key, (title, counts, order) in facets.items():
        if sum(1 for v in order if counts[v]) < 2:
            continue
        options = "".join(f'<option value="{esc(v)}">{esc(label(key, v))}（{counts[v]}）</option>'
                          for v in order if counts[v])
        selects.append(f'<label>{title} <select data-filter="{key}"><option value="">全部</option>{options}</select></label>')
    controls = (f'<form class="plansite-filters" data-plansite-filter hidden>{"".join(selects)}'
                f'<output class="plansite-count" aria-live="polite"></output></form>')
    rows = []
    has_cycle, has_host = any(p.cycle for p in projects), any(p.host for p in projects)  # else the column is left out
    for p in projects:
        st = latest[p.id]
        schools = "、".join(
            f'<a href="{esc(site.html_link(here, site.school_path(s)))}">{esc(label("school", s))}</a>' for s in p.schools)
        rows.append(
            f'<tr data-level="{esc(p.level or "未注明")}" data-stage="{esc(st or "未注明")}" '
            f'data-school="{esc(" ".join(p.schools))}" data-cycle="{esc(p.cycle or "未注明")}">'
            f'<td><a href="{esc(site.html_link(here, site.project_path(p.id)))}">{esc(p.title)}</a></td>'
            f'<td data-sort-value="{LEVEL_ORDER.get(p.level, 99)}">{esc(p.level or "未注明")}</td>'
            f'<td data-sort-value="{STAGES.index(st) if st else 99}">{esc(st or "未注明")}</td>'
            f"<td>{schools}</td>" + (f"<td>{esc(p.cycle or '')}</td>" if has_cycle else "")
            + (f"<td>{esc(p.host or '')}</td>" if has_host else "") + "</tr>")
    table = ('<table data-plansite-table><thead><tr><th>课题</th><th>级别</th><th>最新阶段</th><th>承担学校</th>'
             + ("<th>规划</th>" if has_cycle else "") + ("<th>主持人</th>" if has_host else "")
             + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    text = site.render("projects_index.md.j2", here, projects=projects, summary=summary, facets=facets,
                       controls=controls, table=table, pager=pager)
    return describe.front_matter(text, describe.projects_index(projects))
