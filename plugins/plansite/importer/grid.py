"""A schedule table's rows -> blocks: each row an item of its week or month.

    rows (SourceLines with cells) -> read_table -> TableRead(blocks, items for the block before, notes)

The header names the columns (cells.column_role), or the cells say what they are (cells.cell_kind):
a row whose first cells hold a week (第3周, 3 under 周次, 2预备周2.21), a month (九月份) or a period
(开学前) opens a block; the rows after it without one continue it. A table with a month column on
every row of a week column is a month table (the week cell says which weeks the month has); a
month cell spanning several weeks gives the weeks their month. A table of dated rows with no week
or month becomes one block per month, a day with no month taking the month of the row before.
The content cell is the item text (its lines and numbered entries are several items, and its
`；` list too when the row is the block's only one); the 负责人 cell is `who`, the date cell `date`,
a time of day joins the date, a subject prefixes the text and a place follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import Key, cell_kind, column_role, header_roles, is_date, is_days, month_part, row_key
from .items import make_item, split_inline
from .projects import looks_like_research
from .read import SourceLine
from .result import Block, Item
from .text import date_months, fold, month_head

_NOTE = re.compile(r"临时|另行通知|如有(变动|调整|变化)|若有(变动|调整|变化)|以.{0,10}(通知|安排)为准|未尽事宜")
_SKIP_ROLES = {"seq", "level", "status"}


@dataclass
class TableRead:
    blocks: list[Block] = field(default_factory=list)  # the blocks the table opens, in order
    carry: list[Item] = field(default_factory=list)  # rows before any key: items of the block before the table
    notes: list[SourceLine] = field(default_factory=list)  # rows that are a note on the whole schedule
    loose: list[SourceLine] = field(default_factory=list)  # rows before any label, with no block to continue
    header: SourceLine | None = None


@dataclass
class _Row:
    line: SourceLine
    cells: tuple[str, ...]
    roles: list[str | None]  # by the header, when the row lines up with it
    key: Key | None = None
    key_at: int = -1
    month: list[int] = field(default_factory=list)  # a month cell beside a week cell
    month_at: int = -1
    names: list[str] = field(default_factory=list)  # the header's name over each cell, when it lines up
    date_at: int = -1  # the cell the row's date came from


def _header_of(line: SourceLine) -> list[str | None] | None:
    return header_roles(line.cells) if line.cells else None


def read_table(lines: list[SourceLine], before: Block | None = None) -> TableRead | None:
    """None when the rows are no schedule (a table of projects, of people, of anything without a
    week, a month or a date) and there is no block before them to continue."""
    out = TableRead()
    roles: list[str | None] | None = None
    names: list[str] = []  # the header's cells, to join a header written over two rows
    rows: list[_Row] = []
    for line in lines:
        found = _header_of(line)
        if found and not _has_key(line.cells, found):
            if roles is None:
                roles, names, out.header = found, list(line.cells), line
            continue  # a header repeated on the next page of a Word table
        if roles is not None and not rows and _header_rest(line.cells):
            names = [(names[k] if k < len(names) else "") + (line.cells[k] if k < len(line.cells) else "")
                     for k in range(max(len(names), len(line.cells)))]  # 负责 / 处室 -> 负责处室
            roles = [column_role(n) or (roles[k] if k < len(roles) else None) for k, n in enumerate(names)]
            continue
        aligned = _aligned(line.cells, roles)
        rows.append(_Row(line, line.cells, aligned,
                         names=[names[k] if aligned[k] and k < len(names) else "" for k in range(len(line.cells))]))
    if roles and {"level", "status"} & set(roles):
        return None  # 课题名称 | 级别 | 进展: a table of projects (projects.py reads it)
    for row in rows:
        _find_key(row, roles)
    keyed = [r for r in rows if r.key]
    weeks = [r for r in keyed if r.key.kind == "week"]
    months = [r for r in keyed if r.key.kind == "month"]
    dated = [r for r in rows if not r.key and _date_of(r)[0]]
    if weeks and all(r.month for r in weeks) and len(weeks) == len({tuple(r.month) for r in weeks}):
        mode = "month"  # 二月份 | 第一周 | … — every row its own month: the months are the headings
        for r in weeks:
            r.key, r.key_at, r.month_at = Key("month", r.cells[r.month_at].strip()), r.month_at, r.key_at
    elif weeks:
        mode = "week"
    elif months:
        mode = "month"
    elif roles and "project" in roles and "content" not in roles and _research_titles(rows):
        return None  # 课题名称 | 主持人 | 立项时间: the dates say when a project began, not a schedule
    elif dated or any(r.key and r.key.kind == "period" for r in rows):
        mode = "dated"
    else:
        if before is None:
            return None
        mode = "rows"
    _build(out, rows, mode, before)
    return out


def _research_titles(rows: list[_Row]) -> bool:
    """Most cells under 课题名称 are titled like research (…的实践研究), not like lessons (《秋天的雨》)."""
    titles = [c for r in rows for c, role in zip(r.cells, r.roles) if role == "project" and c.strip()]
    return bool(titles) and 2 * sum(bool(looks_like_research(t)) for t in titles) > len(titles)


def _header_rest(cells: tuple[str, ...]) -> bool:
    """The second row of a two-row header: a few short name pieces, no label, no date."""
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and not cells[0].strip() and all(
        len(c) <= 4 and not row_key(c) and not is_date(c) and not re.search(r"\d", c) for c in filled)


def _has_key(cells: tuple[str, ...], roles: list[str | None]) -> bool:
    return any(row_key(c, week_column=r == "week") for c, r in zip(cells, roles) if c.strip() and not column_role(c))


def _aligned(cells: tuple[str, ...], roles: list[str | None] | None) -> list[str | None]:
    """The header's roles for a row with as many cells (trailing empty cells aside) whose cells
    hold what their columns say; else none: the row is read by what its cells hold (a row
    shifted by a label cell, or a continuation row that starts at the work)."""
    none: list[str | None] = [None] * len(cells)
    if not roles:
        return none
    n = len(cells)
    while n > 0 and not cells[n - 1].strip():
        n -= 1
    if not (n <= len(roles) and len(cells) >= len(roles) - 1):
        return none
    out = [roles[k] if k < len(roles) else None for k in range(len(cells))]
    for cell, role in zip(cells, out):
        if cell.strip() and not _fits(cell, role):
            return none
    return out


def _fits(cell: str, role: str | None) -> bool:
    kind = cell_kind(cell, role)
    if role == "date":
        return kind in ("date", "days", "time", "period", "week", "month") or bool(date_months(cell) or month_part(cell))
    if role in ("week", "month"):
        return kind in ("week", "month", "period", "number", "date")
    if role in ("content", "subject", "who", "place", "project"):
        return kind not in ("date", "days")
    return True


def _find_key(row: _Row, roles: list[str | None] | None) -> None:
    """The row's label cell: the cell under a 周次 or 月份 column when the row lines up with the
    header; else the first of its first cells that is a label, past a 序号, empty cells and a date
    (9.1-9.7 | 第1周 | …). A month cell beside a week cell is noted as the week's month."""
    cells = row.cells
    named = [k for k, r in enumerate(row.roles) if r in ("week", "month", "date") and k < len(cells) and cells[k].strip()]
    order = named + [k for k in range(min(4, len(cells))) if k not in named]
    for k in order:
        cell = cells[k]
        role = row.roles[k]
        if not cell.strip() or role == "seq":
            continue
        bare_week = role == "week" or (roles is None and k + 1 < len(cells) and is_date(cells[k + 1]))
        key = row_key(cell, week_column=bare_week)
        if key is None:
            if k in named:
                continue
            if (re.fullmatch(r"\d{1,3}", fold(cell).strip()) and roles is None) or is_date(cell):
                continue  # a 序号 with no header, or the date before the week
            return
        if key.kind == "month" and not row.month:
            head = month_head(key.label)
            later = [row_key(c, week_column=row.roles[j] == "week") for j, c in enumerate(cells[k + 1:k + 3], k + 1)]
            if any(x and x.kind == "week" for x in later):
                row.month, row.month_at = (head.months if head else []), k
                continue
        row.key, row.key_at = key, k
        return


def _date_of(row: _Row) -> tuple[str, int]:
    """The row's date cell (as written) and where it is; ('', -1) when it has none."""
    for k, cell in enumerate(row.cells):
        if k in (row.key_at, row.month_at) or not cell.strip():
            continue
        role = row.roles[k]
        if is_date(cell) or is_days(cell) or month_part(cell) or (role == "date" and date_months(cell)):
            return cell.strip(), k
    return "", -1


def _build(out: TableRead, rows: list[_Row], mode: str, before: Block | None) -> None:
    current: Block | None = None
    rows_of: dict[int, list[tuple[_Row, str]]] = {}  # id(block) -> its rows, with their dates
    blocks: dict[int, Block] = {}
    table_month: list[int] = []
    last_month: int | None = None
    for row in rows:
        date, row.date_at = _date_of(row)
        if row.month:
            table_month = row.month
        if date and is_days(date) and last_month:
            date_months_ = [last_month]
        else:
            date_months_ = (date_months(date) or ([month_part(date)] if month_part(date) else [])) if date else []
        if date_months_:
            last_month = date_months_[-1]
        key = row.key
        opens = key is not None and (
            (mode == "week" and key.kind in ("week", "period")) or (mode == "month" and key.kind in ("month", "period"))
            or (mode == "dated" and key.kind == "period"))
        if opens:
            months = _key_months(key, date or key.date, table_month if mode == "week" else [])
            if key.kind == "period" and not months and date_months_:
                months = date_months_
            head = month_head(key.label) if key.kind == "month" else None
            current = Block(" ".join(key.label.split()), months, row.line.no,
                            kind="month" if key.kind == "month" else "week", standard=bool(head and head.standard))
            out.blocks.append(current)
        elif mode == "dated" and date_months_ and not (current is not None and date_months_[0] in current.months):
            m = date_months_[0]
            current = Block(f"{m}月", [m], row.line.no, kind="month", standard=True)
            out.blocks.append(current)
        elif _is_note(row) and (current is not None or before is not None):
            out.notes.append(row.line)
            continue
        elif mode == "dated" and not key and not date_months_ and _says_when(row):
            out.loose.append(row.line)  # '每月', '全学期': when, but in no month
            continue
        target = current if current is not None else before
        if target is None:
            out.loose.append(row.line)  # said, not lost
            continue
        blocks[id(target)] = target
        when = date or (key.date if key else "")
        if key and key.time:
            when = f"{when} {key.time}".strip()
        rows_of.setdefault(id(target), []).append((row, when))
    for bid, entries in rows_of.items():
        block = blocks[bid]
        content_rows = [e for e in entries if _content_cells(e[0])]
        several = len(content_rows) >= 2
        items = [item for row, date in entries for item in _row_items(row, date, semicolons=not several)]
        if block is before:
            out.carry.extend(items)
        else:
            block.items.extend(items)


def _key_months(key: Key, date: str, table_month: list[int]) -> list[int]:
    if key.kind == "month":
        head = month_head(key.label)
        return head.months if head else []
    months = date_months(date) if date else []
    return months or list(table_month)


def _says_when(row: _Row) -> bool:
    return any(role == "date" and cell.strip() for cell, role in zip(row.cells, row.roles))


def _is_note(row: _Row) -> bool:
    filled = [c for c in row.cells if c.strip()]
    return len(filled) == 1 and row.key is None and bool(_NOTE.search(fold(filled[0])))


def _content_cells(row: _Row) -> list[int]:
    out = []
    for k, cell in enumerate(row.cells):
        if k in (row.key_at, row.month_at) or not cell.strip():
            continue
        role = row.roles[k]
        if role in ("content", "project"):
            out.append(k)
        elif role is None and cell_kind(cell) == "text":
            out.append(k)
    return out


def _row_items(row: _Row, date: str, semicolons: bool) -> list[Item]:
    """A row's content -> items with the row's who, date, subject and place; what other cells say
    (参加对象, 备注, a second date) follows the text in brackets, so nothing in the row is lost."""
    who = place = time = subject = None
    extras: list[str] = []
    content = _content_cells(row)
    filled = [k for k, c in enumerate(row.cells) if c.strip()]
    for k in filled:
        if k in content or k in (row.key_at, row.month_at, row.date_at):
            continue
        cell = row.cells[k].strip().replace("\n", "、")
        role = row.roles[k]
        kind = cell_kind(cell, role)
        if role in _SKIP_ROLES:
            continue
        if role == "subject":
            subject = subject or cell
        elif role == "who" or (role is None and kind == "who" and content):
            who = who or cell
        elif role == "place" or (role is None and kind == "place"):
            place = place or cell
        elif (role == "time" or kind == "time") and not time:
            time = cell
        elif role is None and kind in ("who", "text"):
            content.append(k)  # a short cell alone on its row: the work, not who does it
        elif role is None and kind == "number" and k == 0:
            continue  # a 序号
        else:
            name = re.sub(r"\s+", "", row.names[k]) if k < len(row.names) else ""
            extras.append(f"{name}：{cell}" if name else cell)
    pieces = [p for k in sorted(set(content)) for p in split_inline(row.cells[k], semicolons)]
    if not pieces and subject:
        pieces, subject = [subject], None
    if place:
        extras.insert(0, place)
    when = " ".join(x for x in (date, time) if x) or None
    items = []
    for piece in pieces:
        item = make_item(piece, row.line.no)  # a date written in the cell, when the row has none
        if when:  # the row's date is the item's; the text stays as written
            text = _dress(item.raw, subject, extras)
            item = Item(text, row.line.no, when, raw=f"{when} {text}")
        else:
            item.text, item.raw = _dress(item.text, subject, extras), _dress(item.raw, subject, extras)
        item.who = who
        items.append(item)
    return items


def _dress(text: str, subject: str | None, extras: list[str]) -> str:
    return (f"{subject}：" if subject else "") + text + "".join(f"（{x}）" for x in extras)
