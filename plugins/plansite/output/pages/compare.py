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
from functools import cache, partial
from itertools import groupby
from typing import Callable

from ...views import charts
from ...views.agenda import Entry, month_label, term_key_of
from ...input.categories import UNCLASSIFIED, category_names, category_slug
from ...input.dates import YearMonth
from .. import describe
from ..deps import PAGE
from ...input.model import LEVELS, STAGES
from ..site import Output, Site, paged
from ...input.slugs import pinyin_order
from .month import term_anchors
from .paging import pager, pager_deps


@dataclass
class TermView:
    key: str
    label: str
    months: list[YearMonth]
    entries: list[Entry] = field(default_factory=list)
    calendar: str = ""  # the anchor of the months index's term that holds its first month (month.term_anchors)
    _items: list[Entry] | None = field(default=None, repr=False, compare=False)

    def items(self) -> list[Entry]:
        """One entry per item (the first month it appears in); found once, after entries are complete."""
        if self._items is None:
            seen, self._items = set(), []
            for e in self.entries:
                if (e.plan.id, e.anchor) not in seen:
                    seen.add((e.plan.id, e.anchor))
                    self._items.append(e)
        return self._items


def terms(site: Site) -> list[TermView]:
    out: list[TermView] = []
    anchors = term_anchors(site)
    for (_, key, label), months in groupby(site.agenda, key=term_key_of):
        months = list(months)
        view = TermView(key, label, months, calendar=anchors[months[0]])
        for ym in months:
            view.entries += site.agenda[ym]
        out.append(view)
    return out


def category_of(e: Entry) -> str:
    return e.item.category or UNCLASSIFIED


def index_path(site: Site, page: int = 1) -> str:
    return paged(f"{site.paths.compare}/index.md", page)


def index_paths(site: Site) -> list[str]:
    """The pages of the comparisons index (its projects tables split by school), without rendering them."""
    return [index_path(site, page) for page, _ in site.split_by_page(schools_in(site))]


def compare_path(site: Site, term_key: str, category: str | None = None, page: int = 1) -> str:
    if category is None:
        return paged(f"{site.paths.compare}/{term_key}.md", page)
    return paged(f"{site.paths.compare}/{term_key}/{category_slug(site.data, category)}.md", page)


def school_label(site: Site, sid: str) -> str:
    s = site.data.schools[sid]
    return s.short_name or s.name


def schools_in(site: Site) -> list[str]:
    return sorted(site.data.schools, key=lambda sid: (pinyin_order(site.data.schools[sid].name), sid))


def build(site: Site) -> list[Output]:
    views = terms(site)
    names = category_names(site.data)
    outputs = []
    pages = site.split_by_page(schools_in(site))  # the projects tables list every school
    by_term = cache(partial(_by_term, views))  # the same on every part: counted once
    # Every part shows the terms with their items counted by category (the categories named in
    # the taxonomy's order and linked by their URL names), then its schools' projects by level and
    # latest stage.
    terms_shown = ("layout", tuple((v.key, v.label, tuple(v.months)) for v in views))
    for page, sids in pages:
        here = index_path(site, page)
        deps = (PAGE | pager_deps(pages) | {terms_shown, ("taxonomy",), ("categories",)}
                | {("school", sid) for sid in sids}
                | {(kind, p.id) for sid in sids for p in site.data.projects_of(sid) for kind in ("project", "timeline")})
        outputs.append(Output(here, partial(_index, site, views, names, pages, page, by_term), in_nav=page == 1,
                              deps=deps))
    for view in views:
        items = view.items()
        facts = cache(partial(_TermFacts, view, items))  # counted once per term, then looked up by every page
        term = ("layout", view.key, view.label, tuple(view.months), view.calendar)
        pages = site.split_by_page(_schools_of(site, view.entries))
        for page, sids in pages:
            # its schools' counts by category (the columns: every category the term uses) and by month,
            # and their unclassified items
            deps = (PAGE | pager_deps(pages) | {term, ("taxonomy",), ("categories", view.key)}
                    | {("school", sid) for sid in sids} | {("unclassified", view.key, sid) for sid in sids}
                    | {("count", str(ym), sid) for ym in view.months for sid in sids})
            outputs.append(Output(compare_path(site, view.key, page=page),
                                  partial(_term_page, site, view, names, pages, page, facts), deps=deps))
        by_category: dict[str, list[Entry]] = {}
        for e in items:
            by_category.setdefault(category_of(e), []).append(e)
        for name in names:
            mine = by_category.get(name)
            if not mine:
                continue
            pages = site.split_by_page(_schools_of(site, mine))
            for page, sids in pages:
                # its schools' items of the category and how many fall in each month
                deps = (PAGE | pager_deps(pages) | {term} | {("school", sid) for sid in sids}
                        | {("category", view.key, name, sid) for sid in sids})
                outputs.append(Output(compare_path(site, view.key, name, page),
                                      partial(_category_page, site, view, name, mine, pages, page, facts), deps=deps))
    return outputs


class _TermFacts:
    """A term's counts, made once: a split term has many pages, and counting all items again for
    each page would grow with the square of the district."""

    def __init__(self, view: TermView, items: list[Entry]) -> None:
        self.counts = Counter((e.plan.school, category_of(e)) for e in items)
        self.month_counts = Counter((e.plan.school, e.month) for e in view.entries)
        self.category_months = Counter((category_of(e), e.plan.school, e.month) for e in view.entries)
        self.unclassified = [e for e in items if category_of(e) == UNCLASSIFIED]
        self.items_by: dict[tuple[str, str], list[Entry]] = {}
        for e in items:
            self.items_by.setdefault((category_of(e), e.plan.school), []).append(e)


def schools_by_category(site: Site, term_key: str) -> dict[str, set[str]]:
    """category -> the schools with items of that category in a term (what decides the pages)."""
    out: dict[str, set[str]] = {}
    for view in terms(site):
        if view.key == term_key:
            for e in view.items():
                out.setdefault(category_of(e), set()).add(e.plan.school)
    return out


def compare_paths(site: Site, term_key: str | None = None) -> list[str]:
    """The comparison pages build() writes (of one term, or all with the index), without rendering them."""
    paths = [] if term_key else index_paths(site)
    names = category_names(site.data)
    for view in terms(site):
        if term_key is not None and view.key != term_key:
            continue
        paths += [compare_path(site, view.key, page=page) for page, _ in site.split_by_page(_schools_of(site, view.entries))]
        by_category: dict[str, list[Entry]] = {}
        for e in view.items():
            by_category.setdefault(category_of(e), []).append(e)
        for n in names:
            mine = by_category.get(n)
            if mine:
                paths += [compare_path(site, view.key, n, page) for page, _ in site.split_by_page(_schools_of(site, mine))]
    return paths


def _schools_of(site: Site, entries: list[Entry]) -> list[str]:
    present = {e.plan.school for e in entries}
    return [sid for sid in schools_in(site) if sid in present]


def _by_term(views: list[TermView]) -> dict[str, Counter]:
    """term key -> its items counted by category."""
    return {v.key: Counter(category_of(e) for e in v.items()) for v in views}


def _index(site: Site, views: list[TermView], names: list[str], pages: list[tuple[int, list[str]]], page: int,
           term_counts: Callable[[], dict[str, Counter]]) -> str:
    here = index_path(site, page)
    by_term = term_counts()
    used = [n for n in names if any(by_term[v.key][n] for v in views)]
    level_rows, stage_rows = projects_by_school(site, dict(pages)[page])
    text = site.render("compare_index.md.j2", here, views=views, names=used, by_term=by_term,
                       pager=pager(site, here, pages, lambda k: index_path(site, k)),
                       level_rows=level_rows, stage_rows=stage_rows, levels=list(LEVELS) + ["未注明"],
                       stages=list(STAGES) + ["未注明"], compare_path=lambda *a: compare_path(site, *a),
                       school_label=lambda sid: school_label(site, sid),
                       chart=charts.heatmap("各学期各类活动条数", used, [v.label for v in views],
                                            [[by_term[v.key][n] for v in views] for n in used]))
    everyone = sum(len(sids) for _, sids in pages)
    return describe.front_matter(text, describe.compare_index([(v.label, len(v.items())) for v in reversed(views)],
                                                              everyone))


def projects_by_school(site: Site, school_ids: list[str]) -> tuple[list, list]:
    latest = site.latest_stages
    level_rows, stage_rows = [], []
    for sid in school_ids:
        projects = site.data.projects_of(sid)
        levels = Counter(p.level or "未注明" for p in projects)
        stages = Counter(latest[p.id] or "未注明" for p in projects)
        level_rows.append((sid, [levels[lv] for lv in list(LEVELS) + ["未注明"]], len(projects)))
        stage_rows.append((sid, [stages[st] for st in list(STAGES) + ["未注明"]], len(projects)))
    return level_rows, stage_rows


def _term_page(site: Site, view: TermView, names: list[str], pages: list[tuple[int, list[str]]], page: int,
               facts: Callable[[], _TermFacts]) -> str:
    here = compare_path(site, view.key, page=page)
    counted = facts()
    everyone = [sid for _, sids in pages for sid in sids]
    schools = dict(pages)[page]  # this page's schools (the columns are the whole term's)
    counts = counted.counts
    used = [n for n in names if any(counts[(sid, n)] for sid in everyone)]
    cat_table = [(sid, [counts[(sid, n)] for n in used], sum(counts[(sid, n)] for n in used)) for sid in schools]
    month_counts = counted.month_counts
    month_table = [(sid, [month_counts[(sid, ym)] for ym in view.months]) for sid in schools]
    labels = [school_label(site, sid) for sid in schools]
    cat_svg = charts.heatmap(f"{view.label}：各校各类活动条数", labels, used,
                             [row for _, row, _ in cat_table],
                             [[site.html_link(here, compare_path(site, view.key, n, site.page_of(sid)),
                                              f"s-{site.data.schools[sid].slug}")
                               for n in used] for sid in schools])
    month_svg = charts.heatmap(f"{view.label}：各校每月安排条数", labels, [f"{ym.month}月" for ym in view.months],
                               [row for _, row in month_table],
                               [[site.html_link(here, site.month_path(ym, sid), f"s-{site.data.schools[sid].slug}")
                                 for ym in view.months] for sid in schools])
    mine = set(schools)
    unclassified = [e for e in counted.unclassified if e.plan.school in mine]
    text = site.render("compare_term.md.j2", here, view=view, used=used, cat_table=cat_table,
                       month_table=month_table, cat_svg=cat_svg, month_svg=month_svg, unclassified=unclassified,
                       totals=[sum(counts[(sid, n)] for sid in (schools if len(pages) > 1 else everyone)) for n in used],
                       school_label=lambda sid: school_label(site, sid),
                       compare_path=lambda *a: compare_path(site, *a),
                       pager=pager(site, here, pages, lambda k: compare_path(site, view.key, page=k)))
    by_category = sorted(((n, sum(counts[(sid, n)] for sid in everyone)) for n in used if n != UNCLASSIFIED),
                         key=lambda kv: (-kv[1], used.index(kv[0])))
    return describe.front_matter(text, describe.compare_term(
        view.label, len(everyone), sum(counts[(sid, n)] for sid in everyone for n in used), by_category))


def _category_page(site: Site, view: TermView, name: str, items: list[Entry],
                   pages: list[tuple[int, list[str]]], page: int, facts: Callable[[], _TermFacts]) -> str:
    """"Who holds 论文评比 when": this category's items of the term, by month and school."""
    here = compare_path(site, view.key, name, page)
    schools = dict(pages)[page]
    grid = facts().category_months
    table = [(sid, [grid[(name, sid, ym)] for ym in view.months]) for sid in schools]
    by_school = [(sid, facts().items_by.get((name, sid), [])) for sid in schools]
    text = site.render("compare_category.md.j2", here, view=view, name=name, table=table, by_school=by_school,
                       total=sum(len(es) for _, es in by_school) if len(pages) > 1 else len(items),
                       month_label=month_label, school_label=lambda sid: school_label(site, sid),
                       pager=pager(site, here, pages, lambda k: compare_path(site, view.key, name, k)))
    shown = [e for _, es in by_school for e in es]
    said = (describe.compare_category(view.label, name, shown, site.data) if shown
            else describe.parts(f"{view.label}各校的“{name}”", pages, site.data))
    return describe.front_matter(text, said)
