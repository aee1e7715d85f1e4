"""Calendar feeds: one per school and (plugin option `all_feed`) calendar/all.ics, with icalendar.

Deterministic: UIDs come from the plan id and the item's stable key (plus the month for
month-level entries); DTSTAMP is the site date, never the build time; events are in agenda order.
A dated item is one all-day event (DTEND exclusive); an item dated 上旬/中旬/下旬, or spanning more
than a week, is one all-day event on its first day with the span in its title (10月中旬, 4月20日—30日),
not a banner over ten days of a phone calendar. Undated items are not month-long events:
a phone calendar shows those as banners over every day of the month (a real plan has hundreds,
most undated), so each school gets one all-day, transparent entry on the first of each month,
"本月安排（N项）", that lists them with links to their place in the plan (see docs/guide/publish.md).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import partial
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from ...views.agenda import Entry, date_label, joint_events
from ...input.dates import YearMonth
from ..deps import LINKS, Key, option
from ..mdtext import plain_text
from ..site import Output, Site

PRODID = "-//PlanSite//教科研行事历//ZH"
TZID = "Asia/Shanghai"
BANNER_DAYS = 7  # an item spanning more days than a week is one event on its first day
SETTINGS = LINKS | option("site_url", "site_date")  # links to pages, the UIDs' domain, DTSTAMP


def build(site: Site) -> list[Output]:
    entries = [e for month in site.agenda.values() for e in month]
    outputs = []
    if site.all_feed:
        # every school's entries and names
        outputs.append(Output(site.feed_path(), partial(_district_feed, site, entries),
                              deps=SETTINGS | option("site_name") | {("month",), ("school",)}))
    by_school: dict[str, list[Entry]] = {}
    for e in entries:
        by_school.setdefault(e.plan.school, []).append(e)
    for school in site.data.schools.values():
        # the school's entries of each month it has any in
        deps = SETTINGS | {("school", school.id)} | {("month", str(ym), school.id)
                                                     for ym in site.agenda_by_school.get(school.id, {})}
        outputs.append(Output(site.feed_path(school.id), partial(feed, site, by_school.get(school.id, []), school.id),
                              deps=deps))
    return outputs


def _district_feed(site: Site, entries: list[Entry]) -> bytes:
    """The district calendar shows an event two schools hold together once, naming both; each
    school's own calendar keeps its own entry."""
    held_by: dict[int, list[str]] = {}
    for group in joint_events([e for e in entries if e.item.date is not None]):
        if len({e.plan.school for e in group}) > 1:
            held_by[id(group[0])] = [e.plan.school for e in group]
            held_by.update({id(e): [] for e in group[1:]})
    district = [e for e in entries if held_by.get(id(e), True)]
    return feed(site, district, None, held_by)


def _domain(site: Site) -> str:
    return (urlsplit(site.site_url).hostname if site.site_url else None) or "plansite.invalid"


def feed(site: Site, entries: list[Entry], school_id: str | None,
         held_by: dict[int, list[str]] | None = None) -> bytes:
    domain = _domain(site)
    stamp = datetime.fromisoformat(site.site_date).replace(tzinfo=timezone.utc)
    if school_id:
        school = site.data.schools[school_id]
        name, uid = f"{plain_text(school.name)}教科研行事历", f"plansite-{school.id}@{domain}"
        page = site.school_path(school_id)
    else:
        name, uid = f"{plain_text(site.site_name or 'PlanSite')}行事历", f"plansite-all@{domain}"
        page = site.paths.calendar_index
    cal = Calendar.new(name=name, prodid=PRODID, uid=uid, method="PUBLISH", description=name,
                       refresh_interval=timedelta(hours=12), url=site.absolute_url(page))
    cal.add("X-WR-TIMEZONE", TZID)
    cal.add("X-PUBLISHED-TTL", "PT12H")
    memo = site.memo  # each event and month list serialised once for all calendars (and serve rebuilds)
    seen: set[str] = set()
    body = []
    undated: dict[tuple[str, YearMonth], list[Entry]] = {}  # (school, month) -> its undated items
    for e in entries:
        if e.item.date is None:
            undated.setdefault((e.plan.school, e.month), []).append(e)
    for e in entries:
        if e.item.date is None:
            # a school's undated items of a month: they span its plans
            sid, ym = e.plan.school, e.month
            uid, ical = memo.get(("month-list", sid, ym), (("month", str(ym), sid), ("school", sid), *SETTINGS),
                                 partial(_serialised, _month_list, site, sid, ym, undated[sid, ym], stamp, domain))
        else:
            # A joint event's district version names every school that holds it
            schools = (held_by or {}).get(id(e))
            deps: tuple[Key, ...] = (("plan", e.plan.id), *(("school", s) for s in schools or [e.plan.school]),
                                     *(("project", pr) for pr in e.item.projects), *SETTINGS)
            uid, ical = memo.get(("event", e.plan.id, e.key, str(e.month), *(schools or ())), deps,
                                 partial(_serialised, _event, site, e, stamp, domain, schools))
        if uid not in seen:  # a dated item that spans two months is one event; a month list is one
            seen.add(uid)
            body.append(ical)
    # The calendar's own lines from icalendar, with the events (each serialised by icalendar
    # once, though it appears in two calendars) placed before its END line.
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(body) + b"END:VCALENDAR" + end


def _serialised(make, *args) -> tuple[str, bytes]:
    event = make(*args)
    return str(event["UID"]), event.to_ical()


def _event(site: Site, e: Entry, stamp: datetime, domain: str, schools: list[str] | None = None) -> Event:
    # Text fields as one line each: a newline typed into a name must not break a content line.
    # schools: every school holding a joint event (the district calendar lists it once).
    holders = [site.data.schools[s] for s in (schools or [e.plan.school])]
    who = "、".join(plain_text(s.short_name or s.name) for s in holders)
    text, category = plain_text(e.item.text), plain_text(e.item.category) if e.item.category else None
    lines = [f"学校：{'、'.join(plain_text(s.name) for s in holders)}", f"计划：{plain_text(e.plan.title)}",
             f"月份标题：{plain_text(e.block.label)}"]
    if e.item.who:
        lines.append(f"负责：{plain_text(e.item.who)}")
    if category:
        lines.append(f"类别：{category}")
    for pid in e.item.projects:
        lines.append(f"课题：{plain_text(site.data.projects[pid].title)}")
    url = site.absolute_url(site.plan_path(e.plan.id))
    if url:
        url += f"#{e.anchor}"
        lines.append(url)
    extra = {"categories": [category]} if category else {}
    span = e.item.date  # dated entries only: undated ones go into _month_list
    assert span is not None
    # 上旬/中旬/下旬 says "some day in these ten", not "all ten", and a span of more than a week is
    # a period, not a busy fortnight: one all-day event on the first day with the span in its title,
    # not a banner over every day of a phone calendar
    banner = span.xun is not None or (span.end - span.start).days >= BANNER_DAYS
    summary = f"【{who}】{text}" + (f"（{date_label(span)}）" if banner else "")
    end = span.start if banner else span.end
    return Event.new(uid=f"{e.plan.id}-{e.key}@{domain}", summary=summary, start=span.start,
                     end=end + timedelta(days=1), stamp=stamp, description="\n".join(lines),
                     url=url, transparency="TRANSPARENT" if banner else None, **extra)


def _month_list(site: Site, school_id: str, ym: YearMonth, entries: list[Entry], stamp: datetime,
                domain: str) -> Event:
    """One all-day entry on the first of the month listing a school's undated items of that month."""
    school = site.data.schools[school_id]
    who = plain_text(school.short_name or school.name)
    lines = [f"{plain_text(school.name)}{ym.month}月的安排（计划里没有写具体日期）："]
    for e in entries:
        extra = f"（{plain_text(e.block.label)}，跨月）" if e.spanning else ""
        lines.append(f"· {plain_text(e.item.text)}{extra}" + (f"（负责：{plain_text(e.item.who)}）" if e.item.who else ""))
        url = site.absolute_url(site.plan_path(e.plan.id))
        if url:
            lines.append(f"  {url}#{e.anchor}")
    page = site.absolute_url(site.month_path(ym))
    url = f"{page}#s-{school.slug}" if page else None
    start = date(ym.year, ym.month, 1)
    return Event.new(uid=f"{school.id}-{ym}-month@{domain}", summary=f"【{who}】{ym.month}月安排（{len(entries)}项）",
                     start=start, end=start + timedelta(days=1), stamp=stamp, description="\n".join(lines),
                     url=url, transparency="TRANSPARENT")
