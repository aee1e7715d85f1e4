"""Comparisons across schools: categories, a months × schools heat map, projects by level and stage.

Counting rules (the tests recount them from data/plans.json):
- a term is the one a calendar month falls in (Feb–Jul spring, Aug–Jan autumn), so a whole-year plan
  splits naturally;
- schools × categories counts *items*: an item is in a term when one of its months is;
- the months × schools grid counts *item-months*, exactly what the month pages list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby

from .. import charts
from ..agenda import Entry, month_label, term_key_of
from ..categories import UNCLASSIFIED, category_names, category_slug
from ..dates import YearMonth
from ..model import LEVELS, STAGES
from ..site import Output, Site
from ..slugs import pinyin_order


@dataclass
class TermView:
    key: str
    label: str
    months: list[YearMonth]
    entries: list[Entry] = field(default_factory=list)

    def items(self) -> list[Entry]:
        """One entry per item (the first month it appears in)."""
        seen, out = set(), []
        for e in self.entries:
            if (e.plan.id, e.anchor) not in seen:
                seen.add((e.plan.id, e.anchor))
                out.append(e)
        return out


def terms(site: Site) -> list[TermView]:
    out: list[TermView] = []
    for (_, key, label), months in groupby(site.agenda, key=term_key_of):
        months = list(months)
        view = TermView(key, label, months)
        for ym in months:
            view.entries += site.agenda[ym]
        out.append(view)
    return out


def category_of(e: Entry) -> str:
    return e.item.category or UNCLASSIFIED


def compare_path(site: Site, term_key: str, category: str | None = None) -> str:
    if category is None:
        return f"{site.paths.compare}/{term_key}.md"
    return f"{site.paths.compare}/{term_key}/{category_slug(site.data, category)}.md"


def school_label(site: Site, sid: str) -> str:
    s = site.data.schools[sid]
    return s.short_name or s.name


def schools_in(site: Site) -> list[str]:
    return sorted(site.data.schools, key=lambda sid: (pinyin_order(site.data.schools[sid].name), sid))


def build(site: Site) -> list[Output]:
    views = terms(site)
    names = category_names(site.data)
    outputs = [Output(f"{site.paths.compare}/index.md", _index(site, views, names), in_nav=True)]
    for view in views:
        outputs.append(Output(compare_path(site, view.key), _term_page(site, view, names)))
        items = view.items()
        for name in names:
            mine = [e for e in items if category_of(e) == name]
            if mine:
                outputs.append(Output(compare_path(site, view.key, name), _category_page(site, view, name, mine)))
    return outputs


def compare_paths(site: Site) -> list[str]:
    """The comparison pages build() writes, without rendering them."""
    paths = [f"{site.paths.compare}/index.md"]
    names = category_names(site.data)
    for view in terms(site):
        paths.append(compare_path(site, view.key))
        present = {category_of(e) for e in view.items()}
        paths += [compare_path(site, view.key, n) for n in names if n in present]
    return paths


def _index(site: Site, views: list[TermView], names: list[str]) -> str:
    here = f"{site.paths.compare}/index.md"
    by_term = {v.key: Counter(category_of(e) for e in v.items()) for v in views}
    used = [n for n in names if any(by_term[v.key][n] for v in views)]
    level_rows, stage_rows = projects_by_school(site)
    return site.render("compare_index.md.j2", here, views=views, names=used, by_term=by_term,
                       level_rows=level_rows, stage_rows=stage_rows, levels=list(LEVELS) + ["未注明"],
                       stages=list(STAGES) + ["未注明"], compare_path=lambda *a: compare_path(site, *a),
                       school_label=lambda sid: school_label(site, sid),
                       chart=charts.heatmap("各学期各类活动条数", used, [v.label for v in views],
                                            [[by_term[v.key][n] for v in views] for n in used]))


def projects_by_school(site: Site) -> tuple[list, list]:

    latest = site.latest_stages
    level_rows, stage_rows = [], []
    for sid in schools_in(site):
        projects = site.data.projects_of(sid)
        levels = Counter(p.level or "未注明" for p in projects)
        stages = Counter(latest[p.id] or "未注明" for p in projects)
        level_rows.append((sid, [levels[lv] for lv in list(LEVELS) + ["未注明"]], len(projects)))
        stage_rows.append((sid, [stages[st] for st in list(STAGES) + ["未注明"]], len(projects)))
    return level_rows, stage_rows


def _term_page(site: Site, view: TermView, names: list[str]) -> str:
    here = compare_path(site, view.key)
    present = {e.plan.school for e in view.entries}
    schools = [sid for sid in schools_in(site) if sid in present]
    items = view.items()
    counts = Counter((e.plan.school, category_of(e)) for e in items)
    used = [n for n in names if any(counts[(sid, n)] for sid in schools)]
    cat_table = [(sid, [counts[(sid, n)] for n in used], sum(counts[(sid, n)] for n in used)) for sid in schools]
    month_counts = Counter((e.plan.school, e.month) for e in view.entries)
    month_table = [(sid, [month_counts[(sid, ym)] for ym in view.months]) for sid in schools]
    labels = [school_label(site, sid) for sid in schools]
    cat_svg = charts.heatmap(f"{view.label}：各校各类活动条数", labels, used,
                             [row for _, row, _ in cat_table],
                             [[site.html_link(here, compare_path(site, view.key, n), f"s-{site.data.schools[sid].slug}")
                               for n in used] for sid in schools])
    month_svg = charts.heatmap(f"{view.label}：各校每月安排条数", labels, [f"{ym.month}月" for ym in view.months],
                               [row for _, row in month_table],
                               [[site.html_link(here, site.month_path(ym), f"s-{site.data.schools[sid].slug}")
                                 for ym in view.months] for sid in schools])
    unclassified = [e for e in items if category_of(e) == UNCLASSIFIED]
    return site.render("compare_term.md.j2", here, view=view, used=used, cat_table=cat_table,
                       month_table=month_table, cat_svg=cat_svg, month_svg=month_svg, unclassified=unclassified,
                       totals=[sum(counts[(sid, n)] for sid in schools) for n in used],
                       school_label=lambda sid: school_label(site, sid),
                       compare_path=lambda *a: compare_path(site, *a))


def _category_page(site: Site, view: TermView, name: str, items: list[Entry]) -> str:
    """"Who holds 论文评比 when": this category's items of the term, by month and school."""
    here = compare_path(site, view.key, name)
    entries = [e for e in view.entries if category_of(e) == name]
    present = {e.plan.school for e in entries}
    schools = [sid for sid in schools_in(site) if sid in present]
    grid = Counter((e.plan.school, e.month) for e in entries)
    table = [(sid, [grid[(sid, ym)] for ym in view.months]) for sid in schools]
    grouped: dict[str, list[Entry]] = {}
    for e in items:
        grouped.setdefault(e.plan.school, []).append(e)
    by_school = [(sid, grouped.get(sid, [])) for sid in schools]
    return site.render("compare_category.md.j2", here, view=view, name=name, table=table, by_school=by_school,
                       total=len(items), month_label=month_label, school_label=lambda sid: school_label(site, sid))
