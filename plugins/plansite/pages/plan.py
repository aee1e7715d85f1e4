"""A page per plan: 指导思想, goals, measures, projects and the schedule by month heading."""

from __future__ import annotations

from ..site import Output, Site


def build(site: Site) -> list[Output]:
    outputs = []
    for plan in site.data.plans.values():
        here = site.plan_path(plan.id)
        if not site.wanted(here):
            continue
        projects = [(pp, site.data.projects[pp.id]) for pp in plan.projects]
        text = site.render("plan.md.j2", here, plan=plan, school=site.data.schools[plan.school],
                           projects=projects, blocks=site.views(plan.id))
        outputs.append(Output(here, text, source=plan.where.file, sanitize=True))
    return outputs
