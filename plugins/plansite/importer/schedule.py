"""The 行事历: month headings (or week rows) and the items under them.

A week row (第3周 | 9.15-9.21 | …, a bare 3 under a 周次 column, 第9周工作安排 with its dates on the
next line) is a block of its own, labelled as written, whose months are the months its dates cover.

A schedule is found by its month headings, wherever they are: under 行事历 / 具体安排 / 月度工作安排 /
工作日程安排 / 工作安排表 / 计划安排, or with their section heading lost. A month label with its text
on the same line ('3月份鼓励青年教师…') counts inside a schedule or in a run of such lines. Items
are the lines under a heading, numbered or not; a line that ends mid-clause continues the item
before it, and a closing remark on the whole schedule (临时性工作另行通知) is not an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .outline import LineInfo
from .result import Block, Item, Unplaced
from .items import make_item, split_inline
from .cells import column_role, is_who
from .grid import read_table
from .text import (MonthHead, date_line, dated_line, fold, is_table_header, marker_of, month_head, phase_months,
                   strip_marker, week_row)

_NOTE = re.compile(r"临时|另行通知|如有(变动|调整|变化)|以.{0,10}(通知|安排)为准|见.{0,16}通知|视.{0,6}情况|未尽事宜|根据.{0,10}(调整|安排)")
_OPEN_END = re.compile(r"[，,、（(“：:和与及或]$")


@dataclass
class Schedule:
    blocks: list[Block] = field(default_factory=list)
    body: list[LineInfo] = field(default_factory=list)  # everything that is not schedule
    unplaced: list[Unplaced] = field(default_factory=list)


def read_schedule(infos: list[LineInfo]) -> Schedule:
    out = Schedule()
    block: Block | None = None
    numbered = False  # the current block's items carry numbers
    context = False  # inside a schedule: after its heading, or after a month heading
    starts: dict[int, int] = {}  # block index -> index in infos, for the unlabelled-block check
    columns: list[str] = []  # a table header's column names (月份 | 工作内容 | 负责人)
    last_line = ""  # the last item's line as written, to see whether it stops mid-clause
    skip: set[int] = set()  # lines read with the line before them (a week heading's dates)
    pairs: list[tuple[Block, MonthHead]] = []  # '二、三月份' headings, with their other reading
    after_table = False  # the lines after a table: a note on it is no item
    sub_who: str | None = None  # an office heading the items under it ('发展中心:')
    dated_block: Block | None = None  # the month block dated lines are going into
    last_month: int | None = None  # the month of the last dated line, for a day with no month
    for idx, info in enumerate(infos):
        if idx in skip:
            continue
        if info.src.cells:
            run = _table_run(infos, idx)
            skip.update(run)
            got = read_table([infos[j].src for j in run], block)
            if got is None:  # no schedule: a table of people, of projects …
                out.body.extend(infos[j] for j in run)
                continue
            if got.carry and block is not None:
                block.items.extend(got.carry)
            at = {infos[j].no: j for j in run}
            for new in got.blocks:
                starts[len(out.blocks)] = at.get(new.line, idx)
                out.blocks.append(new)
            block = out.blocks[-1] if got.blocks else block
            out.unplaced.extend(Unplaced(n.no, n.text, "行事历的说明，不是某个月份的工作") for n in got.notes)
            out.unplaced.extend(Unplaced(n.no, n.text, "表格的这一行不在任何周次或月份之下（作为说明保留）") for n in got.loose)
            context, numbered, after_table, last_line = True, False, True, ""
            continue
        month = info.month
        if month and month.rest:
            inline_ok = ((info.marker.kind in ("", "cn", "pcn") and (context or _in_run(infos, idx)))
                         or (info.marker.kind in ("ar", "par") and (context or _in_run(infos, idx))
                             and _label_then_colon(info.text, month.label)))  # '1、9月：…' / '2、10月：…' 
            if not inline_ok or (block is not None and block.months == month.months):
                month = None
        if month:
            block = Block(month.label, month.months, info.no, kind="month", standard=month.standard)
            sub_who = None
            if month.alt:
                pairs.append((block, month.alt))
            starts[len(out.blocks)] = idx
            out.blocks.append(block)
            context, numbered, after_table = True, False, False
            block.items.extend(make_item(text, info.no) for text in split_inline(month.rest))
            last_line = info.text
            continue
        week = info.week
        if (week and not week.date and block is not None and block.kind == "month"
                and not _WEEK_HEADING.fullmatch(fold(week.rest))):
            week = None  # '九月份' / '第1周：开学检查': an undated week under a month is one of its items
        if week and (context or _in_week_run(infos, idx) or _is_week_heading(week)):
            label, months, date, rest = week.label, week.months, week.date, week.rest
            if _WEEK_HEADING.fullmatch(fold(rest)):
                # '第9周工作安排' heads the week's lines; its dates may stand on the next line
                if rest.strip():
                    label = info.text.strip().rstrip("：:。 ")
                rest = ""
                found = date_line(infos[idx + 1].text) if idx + 1 < len(infos) and not date else None
                if found:
                    months, date = found.months, found.date
                    skip.add(idx + 1)
            block = Block(label, months, info.no, kind="week", standard=False)
            sub_who = None
            starts[len(out.blocks)] = idx
            out.blocks.append(block)
            context, numbered, after_table = True, False, False
            items = [make_item(text, info.no) for text in split_inline(rest)]
            for item in items:
                if item.date is None and date:
                    item.date = date
            block.items.extend(items)
            last_line = info.text
            continue
        phase = phase_months(info.text) if not info.month else None
        if phase:
            if _month_in_phase(infos, idx):  # '第一阶段（9月—10月）' over 九月 … 十月: the months are the headings
                block, context = None, True
                out.body.append(info)
                continue
            block = Block(strip_marker(info.text).rstrip("：: ") or info.text, phase, info.no, kind="month", standard=False)
            starts[len(out.blocks)] = idx
            out.blocks.append(block)
            context, numbered, after_table, sub_who, last_line = True, False, False, None, info.text
            continue
        if block is not None and (_subheading(info.text) and _numbered_next(infos, idx)
                                  or info.heading in ("pcn", "std", "di") and _month_follows(infos, idx)):
            # '常规事项：' / '发展中心:' / '（一）常规工作' inside a month: the month goes on
            label = re.sub(r"^[（(][一二三四五六七八九十]+[)）]\s*", "", info.text.strip()).rstrip("：: ")
            if is_who(label):
                sub_who = label
            else:
                sub_who = None
                out.unplaced.append(Unplaced(info.no, info.text, "行事历里的小标题（作为说明保留）"))
            last_line = ""
            continue
        if info.heading:
            block = None
            if info.schedule_heading:
                context = True
            elif info.heading in ("cn", "std") or info.heading.startswith("h"):
                context = False
            out.body.append(info)
            continue
        if is_table_header(info.text) and (context or _next_is_month(infos, idx)):
            context = True
            columns = info.text.split()
            continue
        dated = dated_line(info.text) if not info.heading else None
        if dated and (block is None or block is dated_block):
            # a calendar of dated lines with no month headings: one block per month
            month = dated.month or last_month
            if month and (block is not None or context or _dated_run(infos, idx)):
                if block is not dated_block or dated_block is None or dated_block.months != [month]:
                    dated_block = Block(f"{month}月", [month], info.no, kind="month", standard=True)
                    starts[len(out.blocks)] = idx
                    out.blocks.append(dated_block)
                block, last_month, sub_who = dated_block, month, None
                rest = dated.rest.strip().rstrip("；;，,、").strip() or dated.rest
                block.items.append(Item(rest, info.no, dated.date, raw=info.text[info.marker.end:].strip()))
                numbered, last_line = bool(info.marker), info.text
                continue
        if block is None:
            out.body.append(info)
            continue
        if block is dated_block and not info.marker and block.items and not _NOTE.search(fold(info.text)):
            last = block.items[-1]  # an undated line under a dated one goes on with it
            before = dated_line(last_line)
            last.text = (before.rest.strip() if before else last.text) + info.text.strip()
            last.raw = last.raw + info.text.strip()
            last_line = last_line + info.text
            continue
        if (after_table or block is dated_block) and _NOTE.search(fold(info.text)):
            out.unplaced.append(Unplaced(info.no, info.text, "行事历的说明，不是某个月份的工作"))
            continue
        if not info.marker and block.items and _who_line(info.text, columns):
            for item in block.items:  # a flattened month table's 负责人 cell, after the month's items
                item.who = item.who or info.text.strip()
            continue
        if info.marker:
            numbered = True
            block.items.append(make_item(strip_marker(info.text) or info.text, info.no))
            block.items[-1].who = sub_who
        elif block.items and _continues(last_line):
            last = block.items[-1]
            block.items[-1] = make_item(strip_marker(last_line) + info.text, last.line)
            block.items[-1].who = last.who
            last_line = strip_marker(last_line) + info.text
            continue
        elif numbered and _NOTE.search(fold(info.text)):
            out.unplaced.append(Unplaced(info.no, info.text, "行事历的说明，不是某个月份的工作"))
            continue
        else:
            block.items.append(make_item(info.text[info.marker.end:] or info.text, info.no))  # without a bullet
        last_line = info.text
    _pairs_or_sections(pairs)
    _unlabelled_block(out, infos, starts)
    return out


def _pairs_or_sections(pairs: list[tuple[Block, MonthHead]]) -> None:
    """'一、二月份 … 二、三月份 … 三、四月份': months that overlap from heading to heading are numbered
    single months (section 一 is February), not pairs."""
    overlap = any(a.months[-1] == b.months[0] for (a, _), (b, _) in zip(pairs, pairs[1:]))
    if not overlap:
        return
    for block, alt in pairs:
        block.label, block.months, block.standard = alt.label, alt.months, alt.standard


_WEEK_HEADING = re.compile(r"\s*[:：]?\s*(?:的?(?:主要|具体)?(?:工作|活动|教研|教科研)?(?:安排|计划|要点|重点|内容)|工作)?\s*[:：]?\s*")


_SUBHEADING = re.compile(r"[^，。；;,:：!?！？\d]{2,12}[:：]")


def _dated_run(infos: list[LineInfo], idx: int) -> bool:
    """A dated line opens a calendar when it names its month and two more dated lines follow soon."""
    first = dated_line(infos[idx].text)
    if first is None or first.month is None:
        return False
    seen = 0
    for info in infos[idx:idx + 8]:
        if info.heading or info.month or info.week:
            break
        seen += dated_line(info.text) is not None
    return seen >= 3


def _subheading(text: str) -> bool:
    """'常规事项：', '发展中心:' — a short label closed by a colon, on a line of its own."""
    return not marker_of(text) and bool(_SUBHEADING.fullmatch(fold(text).strip()))


def _numbered_next(infos: list[LineInfo], idx: int) -> bool:
    return idx + 1 < len(infos) and infos[idx + 1].marker.kind in ("ar", "par", "circ")


def _month_in_phase(infos: list[LineInfo], idx: int) -> bool:
    for info in infos[idx + 1:]:
        if info.month:
            return True
        if phase_months(info.text) or info.heading == "cn" or info.heading.startswith("h"):
            return False
    return False


def _month_follows(infos: list[LineInfo], idx: int) -> bool:
    """A heading inside a month is the month's own sub-heading when another month heading comes
    before the next section heading."""
    for info in infos[idx + 1:]:
        if info.month and not info.month.rest:
            return True
        if info.heading == "cn" or info.heading.startswith("h") or info.schedule_heading:
            return False
    return False


def heads_schedule(text: str) -> bool:
    """A title that is itself a schedule heading: '第9周工作安排', '十月份工作安排'."""
    week = week_row(text)
    if week is not None:
        return _is_week_heading(week) or not week.rest.strip()
    month = month_head(text)
    return month is not None and not month.rest


def _is_week_heading(week) -> bool:
    """'第9周工作安排': a week heading names itself, with or without a schedule heading above it."""
    return bool(week.rest.strip()) and bool(_WEEK_HEADING.fullmatch(fold(week.rest)))


def _who_line(text: str, columns: list[str]) -> bool:
    """Under a header with a 负责人 column, a bare office name on its own line is who, not an item."""
    return any(column_role(c) == "who" for c in columns) and is_who(text)


def _label_then_colon(text: str, label: str) -> bool:
    """'1、九月份：制订计划…' inside a schedule: a numbered month label, marked off by a colon."""
    at = text.find(label)
    return at >= 0 and bool(re.match(r"\s*(?:份)?\s*[:：]", text[at + len(label):]))


def _in_run(infos: list[LineInfo], idx: int) -> bool:
    """An inline month label counts outside a schedule only beside another one."""
    here = infos[idx].month
    for j in (idx - 1, idx + 1):
        if 0 <= j < len(infos):
            other = infos[j].month
            if other and other.rest and other.months != (here.months if here else None):
                return True
    return False


def _in_week_run(infos: list[LineInfo], idx: int) -> bool:
    return any(0 <= j < len(infos) and infos[j].week for j in (idx - 1, idx + 1))


def _next_is_month(infos: list[LineInfo], idx: int) -> bool:
    return idx + 1 < len(infos) and bool(infos[idx + 1].month or infos[idx + 1].week)


def _table_run(infos: list[LineInfo], idx: int) -> list[int]:
    """The rows of the table that starts at idx: the lines with cells that follow one another."""
    end = idx
    while end < len(infos) and infos[end].src.cells:
        end += 1
    return list(range(idx, end))


def _continues(text: str) -> bool:
    """An item that stops mid-clause (，、（“ or an open quote) goes on in the next line."""
    f = fold(text)
    return bool(_OPEN_END.search(f)) or f.count("“") > f.count("”") or f.count("(") > f.count(")")


def _unlabelled_block(out: Schedule, infos: list[LineInfo], starts: dict[int, int]) -> None:
    """Numbered items that restart at 1 right before the first month heading open the schedule
    whose first heading was lost (or that sit under the schedule's own heading)."""
    if not out.blocks or 0 not in starts:
        return
    first = starts[0]
    j = first
    while j > 0 and infos[j - 1].marker.kind == "ar" and not infos[j - 1].heading and len(infos[j - 1].text) <= 30:
        j -= 1
        if infos[j].marker.number == 1:  # the run opens with its 1、
            break
    run = infos[j:first]
    if len(run) < 2 or run[0].marker.number != 1:
        return
    before = infos[j - 1] if j > 0 else None
    restart = before is not None and before.marker.kind == "ar" and (before.marker.number or 0) >= 2
    if not (restart or (before is not None and before.schedule_heading)):
        return
    ids = {id(i) for i in run}
    out.body = [i for i in out.body if id(i) not in ids]
    block = Block(None, [], run[0].no, kind="unlabelled", standard=False)
    block.items = [make_item(strip_marker(i.text) or i.text, i.no) for i in run]
    out.blocks.insert(0, block)
