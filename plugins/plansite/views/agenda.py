"""The monthly agenda: every schedule item placed in the calendar months it belongs to.

An item belongs to the months its own date covers (12.28～1.3 covers two); an undated item
belongs to every month its heading covers (十一月份——十二月份: both), marked as spanning.
Within a month: whole-month items first, then by date, exact days before 上旬/中旬/下旬 that
start on the same day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from ..input.dates import DateSpan, YearMonth, month_range
from ..input.model import Block, Item, Plan, PlanData
from ..input.slugs import pinyin_order, unique


# ------------------------------------------------------------------ a plan's schedule with anchors


@dataclass(frozen=True)
class ItemView:
    item: Item
    anchor: str  # stable: from the item's id, or a hash of its heading and text


@dataclass(frozen=True)
class BlockView:
    block: Block
    anchor: str
    items: tuple[ItemView, ...]


def item_key(plan_id: str, block: Block, item: Item) -> str:
    """A key that survives reordering and insertions: the item's own id, else a hash of its text."""
    if item.id:
        return item.id
    digest = hashlib.sha1(f"{plan_id}\0{block.label}\0{item.text}".encode()).hexdigest()
    return digest[:8]


def schedule_views(plan: Plan) -> list[BlockView]:
    """A plan's schedule with a stable anchor on every heading and item."""
    used: set[str] = set()
    views = []
    for n, block in enumerate(plan.schedule, 1):
        head = unique(f"sched-{block.months[0]}" if block.months else f"sched-{n}", used)
        items = tuple(ItemView(item, unique(f"i-{item_key(plan.id, block, item)}", used)) for item in block.items)
        views.append(BlockView(block, head, items))
    return views


# ------------------------------------------------------------------ the months


@dataclass(frozen=True)
class Entry:
    plan: Plan
    block: Block
    item: Item
    anchor: str  # the item's anchor on its plan page
    key: str  # stable item key (anchor without the prefix); feeds derive UIDs from it
    month: YearMonth
    spanning: bool  # shown in several months because its heading covers several

    @property
    def sort_key(self) -> tuple:
        if self.item.date is None:
            start, rank, end = date(self.month.year, self.month.month, 1), 0, date.min
        else:
            start, rank, end = self.item.date.start, 1 if self.item.date.is_day else 2, self.item.date.end
        return (start, rank, end, self.plan.id, self.item.line)

    @cached_property
    def event(self) -> tuple:
        """(when, what): entries of different schools with the same event key are one event held
        together (joint_events); only they decide whom an entry is held with."""
        d = self.item.date
        when = (d.start, d.end) if d else (self.month, self.block.label)
        what = ("p",) + tuple(sorted(self.item.projects)) if self.item.projects else ("t", self.item.text.rstrip("。. "))
        return when, what

    @property
    def when(self) -> str:
        """The date in the site's one style (date_label); an undated item shows its months."""
        return date_label(self.item.date) if self.item.date else months_label(self.block.months)


def item_months(block: Block, item: Item) -> list[YearMonth]:
    if item.date is not None:
        start, end = item.date.start, item.date.end
        return month_range(YearMonth(start.year, start.month), YearMonth(end.year, end.month))
    return list(block.months)


def build_agenda(data: PlanData, entries: Callable[[str], Iterable[Entry]] | None = None
                 ) -> dict[YearMonth, list[Entry]]:
    """Month -> its entries, months in order, entries by school then date.

    entries(plan_id) gives a plan's entries (plan_entries; Site.entries keeps them across builds).
    """
    if entries is None:
        entries = lambda pid: plan_entries(data.plans[pid], schedule_views(data.plans[pid]))  # noqa: E731
    months: dict[YearMonth, list[Entry]] = {}
    for pid in data.plans:
        for e in entries(pid):
            months.setdefault(e.month, []).append(e)
    order = {sid: n for n, sid in enumerate(sorted(data.schools, key=lambda s: (pinyin_order(data.schools[s].name), s)))}
    return {ym: sorted(entries, key=lambda e: (order[e.plan.school], e.sort_key))
            for ym, entries in sorted(months.items())}


def plan_entries(plan: Plan, views: list[BlockView]) -> Iterator[Entry]:
    """One plan's entries: each item in every month it belongs to, in schedule order."""
    for view in views:
        for iv in view.items:
            covered = item_months(view.block, iv.item)
            spanning = iv.item.date is None and len(covered) > 1
            for ym in covered:
                yield Entry(plan, view.block, iv.item, iv.anchor, iv.anchor.removeprefix("i-"), ym, spanning)


def term_key_of(ym: YearMonth) -> tuple[int, str, str]:
    """The term a calendar month falls in, as (sort year, key, label): Feb–Jul spring, Aug–Jan autumn."""
    if 2 <= ym.month <= 7:
        return (ym.year * 2, f"{ym.year}-spring", f"{ym.year}年春季学期")
    year = ym.year if ym.month >= 8 else ym.year - 1
    return (year * 2 + 1, f"{year}-autumn", f"{year}年秋季学期")


def index_terms(agenda: dict[YearMonth, list[Entry]]) -> list[tuple[str, str, list[YearMonth]]]:
    """The months of an agenda grouped by term, newest term first, each term's months in order:
    (key, label, months). A month goes with the shortest term of the plans that have entries in it
    and cover it (a 2025秋 plan's September is 秋季学期 beside a school year's), so a calendar-year
    plan's months stay one 2025年度 instead of a stray one-month 秋季学期 in January; a month no plan's
    term covers (an item dated outside its plan's term) goes with its half of the year (term_key_of)."""
    terms: dict[str, tuple[tuple, str, list[YearMonth]]] = {}
    for ym, entries in agenda.items():
        covering = {e.plan.term for e in entries if e.plan.term.start <= ym <= e.plan.term.end}
        if covering:
            t = min(covering, key=lambda t: (len(t.months), t.start, t.key))
            order, key, label = (t.start, t.end), t.key, t.label
        else:
            _, key, label = term_key_of(ym)
            order = (ym, ym)
        first, label, months = terms.get(key, (order, label, []))
        terms[key] = (min(first, order), label, months + [ym])
    ordered = sorted(terms.items(), key=lambda kv: (kv[1][0], kv[0]), reverse=True)
    return [(key, label, sorted(months)) for key, (_, label, months) in ordered]


def month_label(ym: YearMonth) -> str:
    return f"{ym.year}年{ym.month}月"


# ------------------------------------------------------------------ one date style for readers
# Authors write 十二月份, 12月上旬, 4.11～4.17, 2026-10-25; readers see one style: 12月, 12月上旬,
# 4月11日—17日, 10月25日 (the page or the term says the year). The text as written stays in the data.


def date_label(span: DateSpan) -> str:
    s, e = span.start, span.end
    if span.xun:
        return f"{s.month}月{span.xun}"
    if span.is_day:
        return f"{s.month}月{s.day}日"
    if s.day == 1 and (e + timedelta(days=1)).day == 1:  # whole months
        return months_label(month_range(YearMonth(s.year, s.month), YearMonth(e.year, e.month)))
    end = f"{e.day}日" if (s.year, s.month) == (e.year, e.month) else f"{e.month}月{e.day}日"
    return f"{s.month}月{s.day}日—{end}"


def months_label(months: "tuple[YearMonth, ...] | list[YearMonth]") -> str:
    """12月; 11—12月; 12月—次年1月 across a new year; 3、5月 when not in a row."""
    months = list(months)
    if not months:
        return ""
    in_a_row = all(b == a.next() for a, b in zip(months, months[1:]))
    if len(months) == 1:
        return f"{months[0].month}月"
    if in_a_row:
        first, last = months[0], months[-1]
        if first.year == last.year:
            return f"{first.month}—{last.month}月"
        return f"{first.month}月—次年{last.month}月"
    return "、".join(str(m.month) for m in months) + "月"


def day_label(day: date) -> str:
    """11月10日 周二: the heading of a day on the home page."""
    return f"{day.month}月{day.day}日 周{'一二三四五六日'[day.weekday()]}"


# ------------------------------------------------------------------ events shared by schools


def joint_events(entries: list[Entry]) -> list[list[Entry]]:
    """Entries grouped into events, in the order of their first entry: entries of different plans
    with the same dates and the same project links (a 课题 two schools carry out together), or the
    same dates and the same text, are one event held by several schools."""
    groups: list[list[Entry]] = []
    open_: dict[tuple, list[Entry]] = {}
    for e in entries:
        key = e.event
        group = open_.get(key)
        if group is not None and all(g.plan.school != e.plan.school for g in group):
            group.append(e)
            continue
        group = [e]  # a new event; a school's own two items with the same words stay two
        open_[key] = group
        groups.append(group)
    return groups
