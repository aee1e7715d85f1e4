"""The monthly agenda: every schedule item placed in the calendar months it belongs to.

An item belongs to the months its own date covers (12.28～1.3 covers two); an undated item
belongs to every month its heading covers (十一月份——十二月份: both), marked as spanning.
Within a month: whole-month items first, then by date, exact days before 上旬/中旬/下旬 that
start on the same day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .dates import YearMonth, month_range
from .model import Block, Item, Plan, PlanData
from .slugs import unique


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

    @property
    def when(self) -> str:
        """The date as written; an undated item shows its heading."""
        return self.item.date.text if self.item.date else self.block.label


def item_months(block: Block, item: Item) -> list[YearMonth]:
    if item.date is not None:
        start, end = item.date.start, item.date.end
        return month_range(YearMonth(start.year, start.month), YearMonth(end.year, end.month))
    return list(block.months)


def build_agenda(data: PlanData, views: Callable[[str], list[BlockView]] | None = None
                 ) -> dict[YearMonth, list[Entry]]:
    """Month -> its entries, months in order, entries by school then date.

    views(plan_id) gives a plan's schedule with its anchors (Site.views caches them per build).
    """
    if views is None:
        views = lambda pid: schedule_views(data.plans[pid])  # noqa: E731
    months: dict[YearMonth, list[Entry]] = {}
    for plan in data.plans.values():
        for view in views(plan.id):
            for iv in view.items:
                covered = item_months(view.block, iv.item)
                spanning = iv.item.date is None and len(covered) > 1
                for ym in covered:
                    months.setdefault(ym, []).append(
                        Entry(plan, view.block, iv.item, iv.anchor, iv.anchor.removeprefix("i-"), ym, spanning))
    order = {sid: n for n, sid in enumerate(sorted(data.schools, key=lambda s: (data.schools[s].name, s)))}
    return {ym: sorted(entries, key=lambda e: (order[e.plan.school], e.sort_key))
            for ym, entries in sorted(months.items())}


def term_key_of(ym: YearMonth) -> tuple[int, str, str]:
    """The term a calendar month falls in, as (sort year, key, label): Feb–Jul spring, Aug–Jan autumn."""
    if 2 <= ym.month <= 7:
        return (ym.year * 2, f"{ym.year}-spring", f"{ym.year}年春季学期")
    year = ym.year if ym.month >= 8 else ym.year - 1
    return (year * 2 + 1, f"{year}-autumn", f"{year}年秋季学期")


def month_label(ym: YearMonth) -> str:
    return f"{ym.year}年{ym.month}月"
