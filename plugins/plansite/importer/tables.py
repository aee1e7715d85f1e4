"""Tables that lost their shape in copying: put the cells back into rows.

A 行事历 copied out of a web page or a PDF often arrives with every cell on its own line
(周次 / 日期 / 工作内容 / 负责人, then 第1周 / 9.1-9.7 / 制订计划 / 教科室 …), sometimes with the
cell's ' |' still attached; a narrow cell's heading can even arrive one character a line (二 / 月 / 份).
This module joins them again: a row becomes one SourceLine with its cells, numbered from its first
line, with `last` set so every source line stays accounted for. The opposite happens too: a whole
schedule run into one paragraph (9月份。…；…。10月份。…) is cut into one line per month.
"""

from __future__ import annotations

import re

from ..chinese import HAN_CHARS
from .outline import is_standalone_heading
from .read import Source, SourceLine
from .text import BARE_WEEK, MONTH_WORD, fold, marker_of, month_head, week_label

# Column names of a schedule table, one a line.
_COLUMN = re.compile(r"^(?:周\s*次|周\s*别|周|序\s*号|月\s*份|月\s*次|时\s*间|日\s*期|起止时间|(?:主要|具体)?(?:工作|活动)?(?:内容|安排|项目|要点|事项)"
                     r"|负\s*责\s*人?|负责部门|责任人|责任部门|执行人|参加(?:人员|对象)|备\s*注|地\s*点)$")
_DATE_CELL = re.compile(r"^\s*(?:(?:19|20)\d\d\s*[.年/-]\s*)?\d{1,2}\s*[.月/-]\s*\d{1,2}")
_WHO_CELL = re.compile(rf"^[{HAN_CHARS}、，,/ ]{{1,12}}$")


def _cell(text: str) -> str:
    return re.sub(r"\s*\|\s*$", "", re.sub(r"^\s*\|\s*", "", text)).strip()


_OFFICE = re.compile(r"(?:室|处|组|部|办|中心|主任|校长|老师|教师|全体|组长|班主任|成员|领导|小组|委员会)$")


def _looks_like_who(text: str) -> bool:
    """A 负责人 cell: an office (教科室, 各教研组), a name or two (王芳、李明), not a piece of work."""
    text = text.strip()
    if not _WHO_CELL.match(text) or len(text) > 12:
        return False
    return bool(_OFFICE.search(text)) or all(2 <= len(name) <= 3 for name in re.split(r"[、，,/ ]+", text) if name)


def unflatten(source: Source) -> Source:
    lines = _join_single_characters(list(source.lines))
    lines = _rebuild_tables(lines)
    lines = [part for line in lines for part in split_run_on_months(line)]
    return Source(source.name, tuple(lines), source.unit, source.dropped)


# '9月份。制订计划；召开会议。10月份。读书节。' : a schedule run into one paragraph.
_RUN_ON = re.compile(rf"(?:^|(?<=[。；;！!]))\s*(?={MONTH_WORD}\s*(?:月份|月)\s*[。:：,，])")


def split_run_on_months(line: SourceLine) -> list[SourceLine]:
    """A paragraph holding two or more month labels, each opening a sentence -> one line per month."""
    if line.cells:
        return [line]
    f = fold(line.text)
    starts = [m.start() for m in _RUN_ON.finditer(f)]
    if len(starts) < 2:
        return [line]
    if starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(f)]
    parts = [line.text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
    return [SourceLine(line.no, part, indented=line.indented, last=line.last) for part in parts if part]


def _join_single_characters(lines: list[SourceLine]) -> list[SourceLine]:
    """二 / 月 / 份 on three lines (a narrow table cell) -> 二月份, when the joined text is a month heading."""
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(_cell(lines[j].text)) == 1 and not lines[j].cells:
            j += 1
        if j - i >= 2:
            joined = "".join(_cell(line.text) for line in lines[i:j])
            head = month_head(joined)
            if head and not head.rest:
                out.append(SourceLine(lines[i].no, joined, last=lines[j - 1].numbers[-1]))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def _rebuild_tables(lines: list[SourceLine]) -> list[SourceLine]:
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        columns, used = _header(lines, i)
        # Only week tables (a 周次 column, or 序号 with a date column): a month table's flattened rows
        # already read as month headings and items.
        names = [fold(c) for c in columns]
        if len(columns) < 2 or not (names[0].startswith("周") or (names[0].startswith("序")
                                                                   and any(re.match(r"日期|时间|起止", c) for c in names))):
            out.append(lines[i])
            i += 1
            continue
        rows, end = _rows(lines, i + used, columns)
        if not rows:  # not a table after all
            out.append(lines[i])
            i += 1
            continue
        out.append(SourceLine(lines[i].no, " | ".join(columns), cells=tuple(columns), last=lines[i + used - 1].numbers[-1]))
        out.extend(rows)
        i = end
    return out


def _header(lines: list[SourceLine], i: int) -> tuple[list[str], int]:
    """Column names one a line ('周次 |' / '日期 |' …) or on one line without separators: (names, lines used)."""
    if lines[i].cells:  # '周次 | 日期 | 工作内容' over rows that lost their bars
        names = [c for c in lines[i].cells if c]
        flat_below = i + 1 < len(lines) and not lines[i + 1].cells
        if len(names) >= 2 and flat_below and all(_COLUMN.match(fold(c)) for c in names):
            return names, 1
        return [], 0
    parts = lines[i].text.split()
    if len(parts) >= 2 and all(_COLUMN.match(fold(p)) for p in parts):  # '周次 日期 工作内容 负责人'
        return parts, 1
    j = i
    while j < len(lines) and not lines[j].cells and _COLUMN.match(fold(_cell(lines[j].text))):
        j += 1
    return [_cell(line.text) for line in lines[i:j]], j - i


def _row_start(text: str, columns: list[str]) -> bool:
    cell = _cell(text)
    f = fold(cell)
    first = fold(columns[0])
    if week_label(f) == f.strip():
        return True
    return bool(re.match(r"周|序", first) and BARE_WEEK.fullmatch(f))


def _ends_table(line: SourceLine, columns: list[str], row_lines: int) -> bool:
    """A section heading, a month heading (in a week table), a table row, or a long paragraph once
    the row has all its cells: the table is over."""
    mk = marker_of(line.text)
    if mk.kind in ("cn", "di", "pcn") or line.heading > 0 or line.cells or is_standalone_heading(line.text):
        return True
    head = month_head(_cell(line.text))
    if head and not head.rest:
        return True
    return row_lines > len(columns) and len(line.text) > 60


def _rows(lines: list[SourceLine], i: int, columns: list[str]) -> tuple[list[SourceLine], int]:
    rows: list[SourceLine] = []
    while i < len(lines) and _row_start(lines[i].text, columns):
        j = i + 1
        while j < len(lines) and not _row_start(lines[j].text, columns) \
                and not _ends_table(lines[j], columns, j - i) and j - i < len(columns) + 6:
            j += 1
        parts = [_cell(line.text) for line in lines[i:j]]
        cells = _cells(parts, columns)
        if cells is None:
            break
        rows.append(SourceLine(lines[i].no, " | ".join(c.replace("\n", " ") for c in cells if c), cells=tuple(cells),
                               last=lines[j - 1].numbers[-1]))
        i = j
    return rows, i


def _cells(parts: list[str], columns: list[str]) -> list[str] | None:
    """A row's lines -> one cell per column: the label, a date when there is a date column, a who
    when there is a who column, and the work (several lines: several items) in between."""
    n = len(columns)
    label, rest = parts[0], parts[1:]
    names = [fold(c) for c in columns]
    date_col = next((k for k, c in enumerate(names) if k > 0 and re.match(r"日期|时间|起止", c)), None)
    who_col = next((k for k, c in enumerate(names) if re.search(r"负责|责任|执行|参加", c)), None)
    cells = [""] * n
    cells[0] = label
    if date_col is not None and rest and _DATE_CELL.match(fold(rest[0])):
        cells[date_col] = rest.pop(0)
    who = ""
    if who_col is not None and len(rest) >= 2 and _looks_like_who(fold(rest[-1])):
        who = rest.pop()
    work_cols = [k for k in range(1, n) if k not in (date_col, who_col)]
    if not work_cols:
        return None
    if len(rest) == len(work_cols) and len(work_cols) > 1:
        for k, text in zip(work_cols, rest):
            cells[k] = text
    else:
        cells[work_cols[0]] = "\n".join(rest)
    if who_col is not None:
        cells[who_col] = who
    return cells
