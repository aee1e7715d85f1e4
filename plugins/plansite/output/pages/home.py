"""The home page (find your school, then the next two weeks across schools, by day) and the
schools index."""

from __future__ import annotations

import html
import json
from collections import Counter
from datetime import date, timedelta
from functools import cache, partial

from ...views.agenda import Entry, day_label, joint_events
from ...input.dates import YearMonth, month_range
from .. import describe
from ..deps import PAGE, option
from ..site import Output, Site
from ...input.slugs import pinyin_order

DAYS_AHEAD = 14  # "the next two weeks"
FALLBACK_DAYS = 7  # nothing in the next two weeks: the next days that have something, this many
# The page carries the events from PAST_DAYS before the build date to CARRIED_DAYS after it (the
# visitor's clock is later than the build), at most PER_DAY a day: a district of 200 schools
# would otherwise put half a megabyte into the home page. The rest of a day is a link to its month.
PAST_DAYS = 14
CARRIED_DAYS = 183
PER_DAY = 8
# A large district would still carry thousands of events; the page then carries fewer a day (every
# day with events keeps at least one, so no day reads as empty) until at most this many are left.
MAX_CARRIED = 900


def _school_rows(site: Site) -> list[dict]:
    rows = []
    for school in site.data.schools.values():
        plans = site.data.plans_of(school.id)
        rows.append({"school": school, "place": school.place, "plans": plans, "local": local_name(school),
                     "latest": plans[0] if plans else None, "projects": site.data.projects_of(school.id)})
    # by pinyin, as Chinese readers look names up: 白沙县 before 东湖区
    return sorted(rows, key=lambda r: (pinyin_order(r["school"].district or ""), pinyin_order(r["school"].name),
                                       r["school"].id))


def local_name(school) -> str:
    """The name as people nearby say it, under its district's heading: 江东市白沙县白沙镇中心学校 is
    白沙镇中心学校 under 白沙县 (the full name stays on the school's page)."""
    name = school.name
    for prefix in (school.province, school.city, school.district):
        if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
    return name


def build(site: Site) -> list[Output]:
    rows = cache(partial(_school_rows, site))  # both pages list the schools: sorted once, when first made
    # Both list every school with its plans and projects; the home page also counts them, names the
    # newest plans and carries the dated events of the months around the site date.
    listing = PAGE | {("school",), ("district",)}
    first, last = carried_days(site)
    months = month_range(YearMonth(first.year, first.month), YearMonth(last.year, last.month))
    home = listing | option("site_name", "site_date") | {("plan-head",)} | {("month", str(ym)) for ym in months}
    return [Output(site.paths.home, partial(_home, site, rows), in_nav=True, deps=home),
            Output(site.paths.schools_index, partial(_schools_index, site, rows), in_nav=True, deps=listing)]


def _schools_index(site: Site, rows) -> str:
    text = site.render("schools_index.md.j2", site.paths.schools_index, schools=rows())
    return describe.front_matter(text, describe.schools_index([r["school"] for r in rows()]))


def _home(site: Site, rows) -> str:
    latest = sorted(site.data.plans.values(), key=lambda p: (p.term.start, p.school, p.id), reverse=True)[:10]
    districts: dict[str, list[dict]] = {}
    for r in rows():
        districts.setdefault(r["school"].district or "", []).append(r)
    home = site.paths.home
    return site.render("home.md.j2", home, schools=rows(), districts=list(districts.items()),
                       latest_plans=latest, days=days_block(site, home))


# ------------------------------------------------------------------ the next two weeks, by day


def dated_events(site: Site) -> list[tuple[date, list[Entry]]]:
    """Every dated event of the site with its first day, in date order; an event two schools hold
    together (agenda.joint_events) is one event. Undated items belong to month pages."""
    return dated_groups(e for month in site.agenda.values() for e in month)


def dated_groups(entries) -> list[tuple[date, list[Entry]]]:
    """The dated ones of some entries as events (joint_events: several schools' entries of one event
    are one), each with its first day, in date order; an entry seen twice (a range over two months) once."""
    seen: set[tuple[str, str]] = set()
    dated = []
    for e in entries:
        if e.item.date is not None and (e.plan.id, e.anchor) not in seen:
            seen.add((e.plan.id, e.anchor))
            dated.append(e)
    return sorted(((g[0].item.date.start, g) for g in joint_events(dated)),
                  key=lambda x: (x[0], x[1][0].sort_key[1:], x[1][0].item.text))


def event_row(site: Site, here: str, group: list[Entry]) -> list:
    """One event as the day lists carry it: [first day, last day, when, what, link, [schools]]."""
    span = group[0].item.date
    schools = sorted({e.plan.school for e in group}, key=lambda s: pinyin_order(site.data.schools[s].name))
    return [span.start.isoformat(), span.end.isoformat(), group[0].when, group[0].item.text,
            site.html_link(here, site.plan_path(group[0].plan.id), group[0].anchor),
            [_short(site, s) for s in schools]]


def days_block(site: Site, here: str) -> str:
    """Raw HTML for the next two weeks, for the build date; assets/agenda.js redraws it for the
    visitor's own date from the JSON the page carries (no inline script runs: type=application/json)."""
    today = date.fromisoformat(site.site_date)
    first, last = carried_days(site)
    events: list[list] = []
    more: dict[str, list] = {}  # a day's label -> [events left out, its month page]
    shown: dict[str, int] = {}
    carried = []
    for start, group in dated_events(site):
        span = group[0].item.date
        if span.end < first or start > last:
            continue
        carried.append((start, group, group_label(start.isoformat(), span.end.isoformat(), group[0].when)))
    per_day = _per_day(Counter(label for _, _, label in carried))
    for start, group, label in carried:
        shown[label] = shown.get(label, 0) + 1
        if shown[label] > per_day:
            month = site.html_link(here, site.month_path(YearMonth(start.year, start.month)))
            more.setdefault(label, [0, month])[0] += 1
            continue
        events.append(event_row(site, here, group))
    calendar = site.html_link(here, site.paths.calendar_index)
    payload = json.dumps({"today": today.isoformat(), "ahead": DAYS_AHEAD, "fallback": FALLBACK_DAYS,
                          "calendar": calendar, "events": events, "more": more},
                         ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (f'<div class="plansite-days" data-search-exclude data-plansite-days="{today.isoformat()}">'
            f'{render_days(events, today, DAYS_AHEAD, FALLBACK_DAYS, calendar, more)}</div>\n'
            f'<script type="application/json" class="plansite-days-data">{payload}</script>\n')


def carried_days(site: Site) -> tuple[date, date]:
    """The first and last day whose events the page carries."""
    today = date.fromisoformat(site.site_date)
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=CARRIED_DAYS)


def _per_day(by_day: Counter) -> int:
    """How many events a day the page carries: PER_DAY, fewer when that would exceed MAX_CARRIED."""
    per_day = PER_DAY
    while per_day > 1 and sum(min(n, per_day) for n in by_day.values()) > MAX_CARRIED:
        per_day -= 1
    return per_day


def _short(site: Site, sid: str) -> str:
    s = site.data.schools[sid]
    return s.short_name or s.name


def group_label(start: str, end: str, when: str) -> str:
    """A day is headed by its date (12月8日 周二); a span of days by itself (12月上旬, 11月9日—13日)."""
    return day_label(date.fromisoformat(start)) if start == end else when


def render_days(events: list[list], today: date, ahead: int, fallback: int, calendar: str,
                more: dict[str, list] | None = None) -> str:
    """The events from today on, grouped by day. Mirrors renderDays() in assets/agenda.js; a browser
    test compares both. Events that began earlier and still run are listed first, as 进行中."""
    esc = html.escape
    last = today + timedelta(days=ahead - 1)
    going = [ev for ev in events if date.fromisoformat(ev[0]) < today <= date.fromisoformat(ev[1])]
    coming = [ev for ev in events if today <= date.fromisoformat(ev[0]) <= last]
    note = f"{today.month}月{today.day}日起两周内"
    if not coming:  # nothing in the next two weeks (a holiday, or before the term): the next days that have something
        later = [ev for ev in events if date.fromisoformat(ev[0]) > last]
        days = sorted({ev[0] for ev in later})[:fallback]
        coming = [ev for ev in later if ev[0] in days]
        note = "近两周没有安排；接下来的安排" if coming else "近两周没有安排"
        if not coming and not going:  # after the newest term: its last days, said so, not an empty notice
            days = sorted({ev[0] for ev in events})[-fallback:]
            coming = [ev for ev in events if ev[0] in days]
            note = "近两周没有安排，也没有更晚的安排；下面是最近的学期最后几天的安排" if coming else note
    out = [f'<p class="plansite-days-note">{esc(note)}</p>', day_groups_html(coming, going, more)]
    out.append(f'<p><a href="{esc(calendar)}">查看全部月份的行事历</a></p>')
    return "".join(out)


def day_groups_html(events: list[list], going: list[list] | None = None, more: dict[str, list] | None = None) -> str:
    """Events (in date order, as days_block carries them) under a heading per day: the home page's
    two weeks and a month read by date (month.py) show days alike. going: events that began earlier
    and still run, listed first as 进行中; more: a day's label -> [events left out, its month page]."""
    esc = html.escape
    out = []
    # a day is headed by its date; a span of days (12月上旬, 11月9日—13日) by itself
    groups: list[tuple[str, list[list]]] = [("进行中", going)] if going else []
    for ev in events:
        label = group_label(ev[0], ev[1], ev[2])
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(ev)
    for label, evs in groups:
        lis = "".join(
            "<li>" + (f'<span class="plansite-when">{esc(ev[2])}</span> ' if label == "进行中" else "")
            + f'<a href="{esc(ev[4])}">{esc(ev[3])}</a>'
            + "".join(f'<span class="plansite-school">{esc(s)}</span>' for s in ev[5]) + "</li>"
            for ev in evs)
        left = (more or {}).get(label) if label != "进行中" else None
        if left:
            lis += f'<li class="plansite-more"><a href="{esc(left[1])}">另有 {left[0]} 项，见当月行事历</a></li>'
        out.append(f'<h3 class="plansite-day">{esc(label)}</h3><ul>{lis}</ul>')
    return "".join(out)
