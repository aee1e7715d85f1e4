"""The home page and the schools index."""

from __future__ import annotations

from ..site import Output, Site
from .month import this_month_block


def _school_rows(site: Site) -> list[dict]:
    rows = []
    for school in site.data.schools.values():
        plans = site.data.plans_of(school.id)
        rows.append({"school": school, "place": school.place, "plans": plans,
                     "latest": plans[0] if plans else None, "projects": site.data.projects_of(school.id)})
    return sorted(rows, key=lambda r: (r["school"].district or "", r["school"].name, r["school"].id))


def build(site: Site) -> list[Output]:
    rows = _school_rows(site)
    latest = sorted(site.data.plans.values(), key=lambda p: (p.term.start, p.school, p.id), reverse=True)[:10]
    home = site.paths.home
    index = site.paths.schools_index
    outputs = []
    if site.wanted(home):
        outputs.append(Output(home, site.render("home.md.j2", home, schools=rows, latest_plans=latest,
                                                this_month=this_month_block(site, home)), in_nav=True))
    if site.wanted(index):
        outputs.append(Output(index, site.render("schools_index.md.j2", index, schools=rows), in_nav=True))
    return outputs
