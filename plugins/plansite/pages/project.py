"""A page per project (课题) and the projects index. Timelines grow in the projects issue."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import LEVELS, STAGES, Plan, Project
from . import ItemView, Output, Site, latest_stages, schedule_views


@dataclass(frozen=True)
class StageRow:
    stage: str
    when: str
    note: str | None
    plan: str | None
    order: tuple


def stage_rows(site: Site, project: Project) -> list[StageRow]:
    """The project's own stage record merged with what the plans citing it say, in time order."""
    rows = []
    for st in project.stages:
        when = st.date or (st.term.label if st.term else "")
        start = st.date[:7] if st.date else (str(st.term.start) if st.term else "")
        rows.append(StageRow(st.stage, when, st.note, None, (start, STAGES.index(st.stage), 0)))
    for plan in site.data.plans_citing(project.id):
        for pp in plan.projects:
            if pp.id == project.id and pp.stage:
                rows.append(StageRow(pp.stage, plan.term.label, pp.note, plan.id,
                                     (str(plan.term.start), STAGES.index(pp.stage), 1)))
    return sorted(rows, key=lambda r: r.order)


@dataclass(frozen=True)
class ProjectItem:
    plan: Plan
    item: object
    anchor: str
    when: str
    order: tuple


def project_items(site: Site, project_id: str) -> list[ProjectItem]:
    out = []
    for plan in site.data.plans.values():
        for view in schedule_views(plan):
            for iv in view.items:
                if project_id in iv.item.projects:
                    out.append(_row(plan, view.block, iv))
    return sorted(out, key=lambda r: r.order)


def _row(plan: Plan, block, iv: ItemView) -> ProjectItem:
    item = iv.item
    if item.date:
        when, start = item.date.text, item.date.start.isoformat()
    else:
        when = block.label
        start = f"{block.months[0]}-00" if block.months else ""
    return ProjectItem(plan, item, iv.anchor, when, (start, plan.id, item.line))


def build(site: Site) -> list[Output]:
    latest = latest_stages(site.data)
    outputs = []
    for project in site.data.projects.values():
        here = site.project_path(project.id)
        text = site.render("project.md.j2", here, project=project, stages=stage_rows(site, project),
                           items=project_items(site, project.id))
        outputs.append(Output(here, text, source=project.where.file))
    index = site.paths.projects_index
    ordered = sorted(site.data.projects.values(),
                     key=lambda p: (LEVEL_ORDER.get(p.level, 99), p.id))
    outputs.append(Output(index, site.render("projects_index.md.j2", index, projects=ordered, latest_stage=latest),
                          in_nav=True))
    return outputs


LEVEL_ORDER = {level: n for n, level in enumerate(LEVELS)}
