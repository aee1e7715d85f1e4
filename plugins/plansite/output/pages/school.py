"""A page per school: a summary for parents, its plans by term and its projects."""

from __future__ import annotations

from functools import partial
from itertools import groupby

from ...views.summary import school_summary, summary_sentences
from ...views.termdiff import previous_plan, term_diff
from .. import describe
from ..deps import PAGE, option
from ..mdtext import md_text
from ..site import Output, Site, projects_cited
from .month import feed_links, this_month_block


def build(site: Site) -> list[Output]:
    outputs = []
    for school in site.data.schools.values():
        here = site.school_path(school.id)
        outputs.append(Output(here, partial(_page, site, school.id, here), source=school.where.file,
                              deps=_deps(site, school.id)))
    return outputs


def _deps(site: Site, school_id: str) -> frozenset:
    """The school, all its plans (their list, this month's items, the summary, term over term), the
    projects it works on or its plans name with their latest stage, and where its month pages link."""
    plans = site.data.plans_of(school_id)
    projects = {p.id for p in site.data.projects_of(school_id)} | {pr for p in plans for pr in projects_cited(p)}
    return (PAGE | option("site_date", "site_url") | {("school", school_id), ("layout", site.page_of(school_id))}
            | {("plan", p.id) for p in plans} | {(kind, pr) for pr in projects for kind in ("project", "timeline")})


def _page(site: Site, school_id: str, here: str) -> str:
    school = site.data.schools[school_id]
    plans = site.data.plans_of(school.id)
    by_term = [(term, list(group)) for term, group in groupby(plans, key=lambda p: p.term)]
    counts = {p.id: sum(len(b.items) for b in p.schedule) for p in plans}
    projects = sorted(site.data.projects_of(school.id), key=lambda p: (p.id,))
    diff = None
    if plans and (prev := previous_plan(site.data, plans[0])) is not None:
        diff = term_diff(prev, plans[0])
    summary = summary_sentences(school_summary(site.data, school.id), md_text)  # for parents, under the title
    text = site.render("school.md.j2", here, school=school, summary=summary, place=school.place,
                       plans_by_term=by_term, diff=diff,
                       item_counts=counts, projects=projects, latest_stage=site.latest_stages,
                       this_month=this_month_block(site, here, school.id), feeds=feed_links(site, school.id))
    return describe.front_matter(text, describe.school(site.data, school.id, plans, projects))
