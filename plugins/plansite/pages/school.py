"""A page per school: its plans by term and its projects."""

from __future__ import annotations

from itertools import groupby

from ..termdiff import previous_plan, term_diff
from . import Output, Site, latest_stages, place_of
from .month import feed_links, this_month_block


def build(site: Site) -> list[Output]:
    latest = latest_stages(site.data)
    outputs = []
    for school in site.data.schools.values():
        here = site.school_path(school.id)
        plans = site.data.plans_of(school.id)
        by_term = [(term, list(group)) for term, group in groupby(plans, key=lambda p: p.term)]
        counts = {p.id: sum(len(b.items) for b in p.schedule) for p in plans}
        projects = sorted(site.data.projects_of(school.id), key=lambda p: (p.id,))
        diff = None
        if plans and (prev := previous_plan(site.data, plans[0])) is not None:
            diff = term_diff(prev, plans[0])
        text = site.render("school.md.j2", here, school=school, place=place_of(school), plans_by_term=by_term, diff=diff,
                           item_counts=counts, projects=projects, latest_stage=latest,
                           this_month=this_month_block(site, here, school.id), feeds=feed_links(site, here, school.id))
        outputs.append(Output(here, text, source=school.where.file))
    return outputs
