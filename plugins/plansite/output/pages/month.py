"""Month pages (calendar/YYYY-MM), the months index, and the "this month" block of home and school pages."""

from __future__ import annotations

import html
import json
import posixpath
import re
from functools import cache, partial
from itertools import groupby

from ...views.agenda import Entry, index_terms, joint_events, month_label
from ...input.dates import YearMonth
from .. import describe
from ..deps import PAGE, option
from ..site import Output, Site, paged
from .home import dated_groups, day_groups_html, event_row
from .paging import pager, pager_deps
from ...input.slugs import pinyin_order

HOME_ITEMS_PER_MONTH = 20  # the home page links to the month page for the rest
FEEDS = option("all_feed", "site_url")  # feed_links


def build(site: Site) -> list[Output]:
    agenda = site.agenda
    months = list(agenda)
    outputs = []
    pages = index_pages(site)
    terms = index_terms(agenda)
    layout = tuple((key, label, tuple(str(ym) for ym in group)) for key, label, group in terms)
    for page, sids in pages:
        here = paged(site.paths.calendar_index, page)
        # how many entries each school of the part has in each month; which months go with which term
        deps = (PAGE | FEEDS | pager_deps(pages) | {("layout", layout)}
                | {("school", sid) for sid in sids} | {("count", str(ym), sid) for ym in months for sid in sids})
        outputs.append(Output(here, partial(_index, site, terms, here, pages, sids), in_nav=page == 1, deps=deps))
    for n, ym in enumerate(months):
        by_school = {sid: list(es) for sid, es in groupby(agenda[ym], key=lambda e: e.plan.school)}
        pages = site.split_by_page(list(by_school))
        joint = cache(partial(held_with, site, agenda[ym]))  # the month's joint events, found once
        around = ("layout", str(months[n - 1]) if n else None, str(months[n + 1]) if n + 1 < len(months) else None)
        for page, sids in pages:
            here = site.month_path(ym, page=page)
            mine = {sid: by_school[sid] for sid in sids}
            # its schools' entries of the month, and whom each entry is held with (other schools' entries
            # of the same event)
            deps = (PAGE | FEEDS | pager_deps(pages) | {around} | {("school", sid) for sid in sids}
                    | {("month", str(ym), sid) for sid in sids}
                    | {("joint", str(ym), *e.event) for es in mine.values() for e in es})
            outputs.append(Output(here, partial(_page, site, months, n, here, pages, mine, joint), deps=deps))
        # the month by date, every school on one page: all its entries (joint events are found among
        # them) and the names of its schools
        here = by_day_path(site, ym)
        deps = (PAGE | {around} | {("month", str(ym))} | {("school", sid) for sid in by_school})
        outputs.append(Output(here, partial(_by_day, site, months, n, here), deps=deps))
    return outputs


def by_day_path(site: Site, ym: YearMonth) -> str:
    """A month read by date: calendar/2026-11/by-day.md beside calendar/2026-11.md (its parts are
    calendar/2026-11/page/2.md …)."""
    return posixpath.splitext(site.paths.month.format(month=str(ym)))[0] + "/by-day.md"


def _by_day(site: Site, months: list[YearMonth], n: int, here: str) -> str:
    """Every school's dated events of a month, by day, in date order; an event several schools hold
    together once, with their names (the home page's day lists, home.day_groups_html). Items dated
    only by their month heading are counted and left to the page by school."""
    ym = months[n]
    entries = site.agenda[ym]
    events = dated_groups(entries)
    rows = [event_row(site, here, group) for _, group in events]
    undated = sum(1 for e in entries if e.item.date is None)
    schools = list(dict.fromkeys(e.plan.school for e in entries))
    text = site.render("month_by_day.md.j2", here, ym=ym, label=month_label(ym), days=day_groups_html(rows),
                       events=len(rows), undated=undated, schools=len(schools),
                       prev=months[n - 1] if n else None, next=months[n + 1] if n + 1 < len(months) else None,
                       month_label=month_label, by_day=lambda m: by_day_path(site, m))
    return describe.front_matter(text, describe.month_by_day(ym, [g for _, g in events], len(schools), site.data))


def _page(site: Site, months: list[YearMonth], n: int, here: str, pages: list[tuple[int, list[str]]],
          by_school: dict[str, list[Entry]], joint) -> str:
    ym = months[n]
    entries = site.agenda[ym]
    groups = []
    for sid, es in by_school.items():
        plans = sorted({e.plan.id: e.plan for e in es}.values(), key=lambda p: p.id)
        groups.append((site.data.schools[sid], es, plans))
    total = sum(len(es) for _, es, _ in groups) if len(pages) > 1 else len(entries)  # the page's own
    text = site.render("month.md.j2", here, ym=ym, label=month_label(ym), groups=groups, total=total,
                       prev=months[n - 1] if n else None, next=months[n + 1] if n + 1 < len(months) else None,
                       month_label=month_label, feeds=feed_links(site),
                       pager=pager(site, here, pages, lambda k: site.month_path(ym, page=k)),
                       joint=joint(), by_day=by_day_path(site, ym))
    said = (describe.month(ym, groups, total, site.data) if groups
            else describe.parts(f"{month_label(ym)}各校行事历", pages, site.data))
    return describe.front_matter(text, said)


def held_with(site: Site, entries: list[Entry]) -> dict[str, list[str]]:
    """"plan id#anchor" of an entry -> the other schools holding the same event (agenda.joint_events): a month
    page lists such an event under each school and says so, so it does not read as two."""
    out: dict[str, list[str]] = {}
    for group in joint_events(entries):
        for e in group:
            others = [site.data.schools[g.plan.school] for g in group if g is not e]
            if others:
                out[f"{e.plan.id}#{e.anchor}"] = [s.short_name or s.name for s in others]
    return out


def month_paths(site: Site, ym: YearMonth) -> list[str]:
    """The pages of one month, without rendering them."""
    sids = [sid for sid, _ in groupby(site.agenda.get(ym, []), key=lambda e: e.plan.school)]
    return [site.month_path(ym, page=page) for page, _ in site.split_by_page(sids)]


def index_pages(site: Site) -> list[tuple[int, list[str]]]:
    """The months index (a months × schools grid) is split like month pages: the schools with
    items, schools_per_page to a page, in pinyin order within a page."""
    order = sorted(site.agenda_by_school, key=lambda sid: (pinyin_order(site.data.schools[sid].name), sid))
    return site.split_by_page(order)


def term_anchor(key: str) -> str:
    """A term's heading anchor on the months index: term-2026-autumn, term-2026 (2026年度)."""
    return "term-" + re.sub(r"[^A-Za-z0-9-]+", "-", key)


def term_anchors(site: Site) -> dict[YearMonth, str]:
    """Each month's term heading anchor on the months index (comparisons link their term there)."""
    return {ym: term_anchor(key) for key, _, months in index_terms(site.agenda) for ym in months}


def index_paths(site: Site) -> list[str]:
    """The pages of the months index, without rendering them."""
    return [paged(site.paths.calendar_index, page) for page, _ in index_pages(site)]


def _index(site: Site, index: list[tuple[str, str, list[YearMonth]]], here: str, pages: list[tuple[int, list[str]]],
           sids: list[str]) -> str:
    split = len(pages) > 1
    terms = []
    for key, label, group in index:  # newest term first (agenda.index_terms)
        rows = []
        for sid in sids:
            mine = site.agenda_by_school.get(sid, {})
            counts = [len(mine.get(ym, [])) for ym in group]
            if any(counts):
                rows.append((site.data.schools[sid], counts))
        # split: the page's own schools; else the district's (a month's page 1 has them all)
        totals = [sum(c[n] for _, c in rows) for n in range(len(group))] if split else [len(site.agenda[ym]) for ym in group]
        terms.append({"key": term_anchor(key), "label": label, "months": group, "rows": rows,
                      "totals": totals})
    text = site.render("calendar_index.md.j2", here, terms=terms, feeds=feed_links(site), split=split,
                       pager=pager(site, here, pages, lambda k: paged(site.paths.calendar_index, k)))
    months = sorted(ym for _, _, group in index for ym in group)
    return describe.front_matter(text, describe.calendar_index(
        months, len(sids), sum(sum(t["totals"]) for t in terms)))


def feed_links(site: Site, school_id: str | None = None) -> dict | None:
    """The feed's docs path (a Markdown link in the template) and, when site_url is known, a
    webcal:// subscribe link; None for the district-wide feed when the all_feed option turns it off."""
    if school_id is None and not site.all_feed:
        return None
    path = site.feed_path(school_id)
    absolute = site.absolute_url(path)
    webcal = "webcal://" + absolute.split("://", 1)[1] if absolute else None
    return {"path": path, "webcal": webcal}


def this_month_block(site: Site, here: str, school_id: str | None = None) -> str:
    """Raw HTML for "this month and next": rendered for the build month, re-rendered in the browser.

    The page carries its own data (a JSON script) so the visitor's clock decides the month; without
    JavaScript the build month stays (site_date, which comes from the data unless configured).
    """
    limit = None if school_id else HOME_ITEMS_PER_MONTH
    data = {}
    for ym, entries in site.agenda.items():
        mine = entries if school_id is None else site.agenda_by_school.get(school_id, {}).get(ym, [])
        if not mine:
            continue
        data[str(ym)] = {
            "label": month_label(ym),
            "url": site.html_link(here, site.month_path(ym, school_id),
                                  f"s-{site.data.schools[school_id].slug}" if school_id else ""),
            "total": len(mine),
            "items": [_item_json(site, here, e, school_id is None) for e in mine[:limit]],
        }
    plans = site.data.plans.values() if school_id is None else site.data.plans_of(school_id)
    terms = sorted({(str(p.term.start), str(p.term.end), p.term.label) for p in plans})
    fallback = YearMonth.parse(site.site_date[:7])
    first = _block_html(data, [list(t) for t in terms], fallback)
    payload = json.dumps({"fallback": str(fallback), "months": data, "terms": terms}, ensure_ascii=False,
                         separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (f'<div class="plansite-now" data-search-exclude data-plansite-now="{html.escape(str(fallback))}">{first}</div>\n'
            f'<script type="application/json" class="plansite-now-data">{payload}</script>\n')


def _item_json(site: Site, here: str, e: Entry, with_school: bool) -> list:
    school = site.data.schools[e.plan.school]
    return [e.when, e.item.text, site.html_link(here, site.plan_path(e.plan.id), e.anchor),
            (school.short_name or school.name) if with_school else "", e.item.who or "", 1 if e.spanning else 0]


def _month_number(ym: str) -> int:
    return int(ym[:4]) * 12 + int(ym[5:7]) - 1


def nearest_term(terms: list[list[str]], ym: str) -> list[str] | None:
    """The term to show when ym is outside every term: the nearest one (the coming one on a tie);
    None when ym is inside a term (or there are none). Mirrors nearestTerm() in assets/agenda.js."""
    n = _month_number(ym)
    best, best_key = None, None
    for start, end, label in terms:
        a, b = _month_number(start), _month_number(end)
        if a <= n <= b:
            return None
        key = (a - n if n < a else n - b, 0 if n < a else 1)
        if best_key is None or key < best_key or (key == best_key and a > _month_number(best[0])):
            best, best_key = [start, end, label], key
    return best


NEAREST_MONTHS = 2  # outside every term: the nearest term's months nearest to now, at most this many


def _block_html(data: dict, terms: list[list[str]], ym: YearMonth) -> str:
    """This month and next; outside every term, titled by what it shows (最近学期：…), the nearest
    term's two months nearest to now (its first two when it is to come, its last two when past).
    Mirrors block() in agenda.js."""
    term = nearest_term(terms, str(ym))
    if term is None:
        return _section_html(data, ym) + _section_html(data, ym.next())
    months = [m for m in sorted(data) if term[0] <= m <= term[1]]
    months = months[:NEAREST_MONTHS] if str(ym) < term[0] else months[-NEAREST_MONTHS:]
    note = (f'<p class="plansite-nearest"><strong>最近学期：{html.escape(term[2])}</strong>'
            f'（{html.escape(f"{ym.year}年{ym.month}月")}不在任何学期之内；'
            f'{"下面是它开头" if str(ym) < term[0] else "下面是它最后"}的 {len(months)} 个月）</p>\n')
    return note + "".join(_section_html(data, YearMonth.parse(m)) for m in months)


def _section_html(data: dict, ym: YearMonth) -> str:
    """Mirrors render() in assets/agenda.js; a test compares both renderings."""
    esc = html.escape
    month = data.get(str(ym))
    head = f'<section data-month="{ym}"><h3>{esc(month["label"] if month else f"{ym.year}年{ym.month}月")}</h3>'
    if not month:
        return head + '<p class="plansite-empty">本月暂无安排。</p></section>\n'
    lis = []
    for when, text, url, school, who, spanning in month["items"]:
        extra = "".join(f'<span class="plansite-{cls}">{esc(v)}</span>' for cls, v in (("school", school), ("who", who)) if v)
        span = '<span class="plansite-span" title="跨月安排">跨月</span>' if spanning else ""
        lis.append(f'<li><span class="plansite-when">{esc(when)}</span> <a href="{esc(url)}">{esc(text)}</a>{span}{extra}</li>')
    more = f'<p><a href="{esc(month["url"])}">查看{esc(month["label"])}全部 {month["total"]} 项安排</a></p>'
    return head + "<ul>" + "".join(lis) + "</ul>" + more + "</section>\n"
