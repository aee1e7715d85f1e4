"""data/plans.json: the open-data export. Key names and meanings are fixed (see README)."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import partial

from ...input.dates import DateSpan
from ...input.categories import UNCLASSIFIED, category_names, category_slug
from ..deps import LINKS, option
from ..site import Output, Site

SCHEMA_VERSION = 1


def _date(span: DateSpan | None) -> dict | None:
    if span is None:
        return None
    return {"text": span.text, "start": span.start.isoformat(), "end": span.end.isoformat(), "xun": span.xun}


def export(site: Site, compare_urls: list[str]) -> dict:
    """The export; compare_urls are the comparison pages' URLs (pages.compare knows them). Plans and
    month items are in it as serialised fragments: dumps() writes it."""
    data = site.data
    latest = site.latest_stages
    schools = [{
        "id": s.id,
        "name": s.name,
        "short_name": s.short_name,
        "url": site.url(site.school_path(s.id)),
        "province": s.province,
        "city": s.city,
        "district": s.district,
        "place": s.place,
        "stage": s.stage,
        "website": s.website,
        "motto": s.motto,
        "features": s.features,
        "plans": [p.id for p in data.plans_of(s.id)],
        "projects": [p.id for p in data.projects_of(s.id)],
        "calendar": site.url(site.feed_path(s.id)),
        "stats": school_stats(site, s.id, latest),
    } for s in data.schools.values()]
    plans = [_Fragment(site, ("json", p.id), (("plan", p.id),), lambda p=p: _plan_json(site, p))
             for p in data.plans.values()]
    projects = [{
        "id": pr.id,
        "title": pr.title,
        "level": pr.level,
        "url": site.url(site.project_path(pr.id)),
        "issuer": pr.issuer,
        "cycle": pr.cycle,
        "schools": list(pr.schools),
        "host": pr.host,
        "members": list(pr.members),
        "stage": latest[pr.id],
        "stages": [{"stage": ev.stage, "term": ev.term.key if ev.term else None, "date": ev.date,
                    "plans": plans, "plan": plans[0] if plans else None,
                    "record": any(src.plan is None for src in ev.sources)}
                   for ev in site.timelines[pr.id] for plans in (ev.plans,)],
        "record": [{"stage": st.stage, "term": st.term.key if st.term else None, "date": st.date, "note": st.note}
                   for st in pr.stages],
        "plans": [p.id for p in data.plans_citing(pr.id)],
    } for pr in data.projects.values()]
    # a month's entries come from every school's plans: serialised again when one of them changes
    months = [_Fragment(site, ("json", str(ym)), (("month", str(ym)),), lambda ym=ym, entries=entries: {
        "month": str(ym),
        "url": site.url(site.month_path(ym)),
        "items": _month_items(site, entries),
    }) for ym, entries in site.agenda.items()]
    pages = {"compare": compare_urls, "calendar": site.url(site.paths.calendar_index),
             "projects": site.url(site.paths.projects_index), "schools": site.url(site.paths.schools_index)}
    return {"version": SCHEMA_VERSION, "generator": "plansite", "schools": schools, "plans": plans,
            "projects": projects, "months": months, "calendar": site.url(site.feed_path()) if site.all_feed else None,
            "categories": [{"name": n, "slug": category_slug(data, n)} for n in category_names(data)],
            "pages": pages}


def _plan_json(site: Site, p) -> dict:
    url = site.url(site.plan_path(p.id))
    return {
        "id": p.id,
        "school": p.school,
        "title": p.title,
        "term": p.term.key,
        "term_label": p.term.label,
        "term_months": [str(ym) for ym in p.term.months],
        "office": p.office,
        "url": url,
        "guiding": p.guiding,
        "goals": list(p.goals),
        "projects": [pp.id for pp in p.projects],
        "project_stages": [{"id": pp.id, "stage": pp.stage, "note": pp.note} for pp in p.projects],
        "schedule": [{
            "label": v.block.label,
            "months": [str(ym) for ym in v.block.months],
            "url": f"{url}#{v.anchor}",
            "items": [{
                "text": iv.item.text,
                "date": _date(iv.item.date),
                "who": iv.item.who,
                "category": iv.item.category,
                "category_source": iv.item.category_source,
                "projects": list(iv.item.projects),
                "url": f"{url}#{iv.anchor}",
            } for iv in v.items],
        } for v in site.views(p.id)],
    }


def _month_items(site: Site, entries: list) -> list:
    out = []
    for e in entries:
        out.append(_Fragment(site, ("json", e.plan.id, str(e.month), e.key), (("plan", e.plan.id),), lambda e=e: {
            "plan": e.plan.id, "school": e.plan.school, "text": e.item.text, "date": _date(e.item.date),
            "label": e.block.label, "spanning": e.spanning, "url": f"{site.url(site.plan_path(e.plan.id))}#{e.anchor}"}))
    return out


class _Fragment:
    """A part of the export made from part of the data (a plan, a month), serialised once (and kept
    across serve rebuilds in site.memo while the keys it reads stay the same), then spliced into
    the file where it belongs; it may hold fragments itself."""

    def __init__(self, site: Site, key: tuple, deps: tuple, make) -> None:
        # its text by the indent it is spliced at ("": as made); a fragment lands at the same depth every build
        self._texts: dict[str, str] = site.memo.get(key, deps + tuple(LINKS), lambda: {"": dumps(make())})

    def at(self, indent: str) -> str:
        """The text with every line after the first indented by indent."""
        if indent not in self._texts:
            self._texts[indent] = self._texts[""].replace("\n", "\n" + indent)
        return self._texts[indent]


class _Encoder(json.JSONEncoder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fragments: list[_Fragment] = []

    def default(self, o):
        if isinstance(o, _Fragment):
            self.fragments.append(o)
            return f"\0{len(self.fragments) - 1}"
        return super().default(o)


def dumps(export: dict) -> str:
    """json.dumps(export, ensure_ascii=False, indent=1) with the fragments spliced in: the same text."""
    encoder = _Encoder(ensure_ascii=False, indent=1)
    text = encoder.encode(export)
    # A placeholder is a string alone on its line (a list element): the fragment goes there,
    # every line of it indented to that depth. JSON strings hold no raw newline.
    return re.sub(r'^( *)"\\u0000(\d+)"', lambda m: m.group(1) + encoder.fragments[int(m.group(2))].at(m.group(1)),
                  text, flags=re.M)


def school_stats(site: Site, school_id: str, latest: dict) -> dict:
    """Per-school aggregates: items by category and by month, projects by level and by stage."""
    items = [i for p in site.data.plans_of(school_id) for b in p.schedule for i in b.items]
    months = Counter({str(ym): len(entries) for ym, entries in site.agenda_by_school.get(school_id, {}).items()})
    projects = site.data.projects_of(school_id)
    return {
        "plans": len(site.data.plans_of(school_id)),
        "items": len(items),
        "categories": dict(sorted(Counter(i.category or UNCLASSIFIED for i in items).items())),
        "months": dict(sorted(months.items())),
        "projects": len(projects),
        "projects_by_level": dict(sorted(Counter(p.level or "未注明" for p in projects).items())),
        "projects_by_stage": dict(sorted(Counter(latest[p.id] or "未注明" for p in projects).items())),
    }


def build(site: Site, compare_urls: list[str]) -> list[Output]:
    # everything: every school, plan and project, the stages, the categories, the pages' URLs
    deps = (LINKS | option("all_feed") | {("layout", tuple(compare_urls))}
            | {(kind,) for kind in ("school", "plan", "project", "timeline", "taxonomy", "district")})
    return [Output(site.paths.data_json, partial(_text, site, compare_urls), deps=deps)]


def _text(site: Site, compare_urls: list[str]) -> bytes:
    return (dumps(export(site, compare_urls)) + "\n").encode("utf-8")
