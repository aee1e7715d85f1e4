"""A page per plan: 指导思想, goals, measures, projects and the schedule by month heading."""

from __future__ import annotations

from functools import partial

from .. import describe
from ..deps import PAGE
from ..site import Output, Site, projects_cited


def build(site: Site) -> list[Output]:
    outputs = []
    for plan in site.data.plans.values():
        here = site.plan_path(plan.id)
        # the plan, its school's name and the projects it names
        deps = PAGE | {("plan", plan.id), ("school", plan.school)} | {("project", pr) for pr in projects_cited(plan)}
        outputs.append(Output(here, partial(_page, site, plan.id, here), source=plan.where.file, sanitize=True,
                              deps=deps))
    return outputs


def _page(site: Site, plan_id: str, here: str) -> str:
    plan = site.data.plans[plan_id]
    projects = [(pp, site.data.projects[pp.id]) for pp in plan.projects]
    text = site.render("plan.md.j2", here, plan=plan, school=site.data.schools[plan.school],
                       projects=projects, blocks=site.views(plan.id))
    return describe.front_matter(text, describe.plan(site.data, plan))
