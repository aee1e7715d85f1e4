"""Tables that lost their shape in copying: put the cells back into rows.

A 行事历 copied out of a web page, a PDF or a CMS arrives in many clothes:
  * every cell on its own line (周次 / 日期 / 工作内容 / 负责人, then 第1周 / 9.1-9.7 / 制订计划 …);
  * every cell closed by ' |' (a page whose </td> became ' | '), on its own line or on the line
    after the cell's text, a cell's text running over several lines, a lone '|' for an empty cell;
  * a narrow cell one character a line (二 / 月 / 份 / 第 / 一 / 周);
  * a date cut at its dash (9月2— / 5日).
This module joins them again: a row becomes one SourceLine with its cells, numbered from its first
line, with `last` set so every source line stays accounted for; a caption above the header and
lines after the last row stay lines. Then a paragraph that lost its line breaks is cut back into
lines (runon.py).
"""

from __future__ import annotations

import re

from ..input.chinese import CN_DIGITS, RANGE_DASH
from .cells import column_role, header_roles, is_time, is_who, row_key
from .outline import is_standalone_heading
from .read import Source, SourceLine
from .runon import split_run_on
from .segment import is_noise_line, plan_heading
from .text import MONTH_WORD, fold, marker_of, month_head

_DATE_CELL = re.compile(r"^\s*(?:(?:19|20)\d\d\s*[.年/-]\s*)?\d{1,2}\s*[.月/-]\s*\d{1,2}")


def _cell(text: str) -> str:
    return re.sub(r"\s*\|\s*$", "", re.sub(r"^\s*\|\s*", "", text)).strip()


def unflatten(source: Source) -> Source:
    lines = _captions(list(source.lines))
    lines = _join_split_dates(lines)
    lines = _join_label_runs(lines)
    lines = _pipe_streams(lines)
    lines = _rebuild_tables(lines)
    lines = [part for line in lines for part in split_run_on(line)]
    return Source(source.name, tuple(lines), source.unit, source.dropped)


def _joined(first: SourceLine, last: SourceLine, text: str, cells: tuple[str, ...] = ()) -> SourceLine:
    return SourceLine(first.no, text, indented=first.indented, cells=cells, last=max(first.numbers[-1], last.numbers[-1]))


def _captions(lines: list[SourceLine]) -> list[SourceLine]:
    """A table's first row holding only its title ('…行事历 | | |', a Word row spanning the table)
    over the header: a line of its own, so it can be the plan's title."""
    out = []
    for k, line in enumerate(lines):
        filled = [c for c in line.cells if c.strip()]
        if len(filled) == 1 and k + 1 < len(lines) and header_roles(lines[k + 1].cells or lines[k + 1].text.split()):
            line = SourceLine(line.no, filled[0].strip(), indented=line.indented, last=line.last)
        out.append(line)
    return out


# ------------------------------------------------------------------ cells cut in two, labels one character a line

_OPEN_RANGE = re.compile(rf"(?:\d{{1,2}}\s*[.月/-]\s*)?\d{{1,2}}\s*[日号]?\s*{RANGE_DASH}\s*\|?$")
_RANGE_END = re.compile(r"^\s*(?:\d{1,2}\s*[.月/-]\s*)?\d{1,2}\s*[日号]?\s*(?:[(（][^()（）]{1,4}[)）])?\s*\|?\s*$")


def _join_split_dates(lines: list[SourceLine]) -> list[SourceLine]:
    """'9月2—' over '5日' (a date cell too narrow for its range) -> '9月2—5日'."""
    out: list[SourceLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if (prev is not None and not prev.cells and not line.cells and _OPEN_RANGE.search(fold(prev.text))
                and _RANGE_END.match(fold(line.text)) and len(_cell(prev.text)) <= 12):
            pipe = " |" if line.text.rstrip().endswith("|") else ""
            out[-1] = _joined(prev, line, _cell(prev.text) + _cell(line.text) + pipe)
            continue
        out.append(line)
    return out


_N = rf"(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
_LABEL_TOKEN = re.compile(rf"{MONTH_WORD}\s*(?:月份|月)|第?\s*{_N}\s*(?:{RANGE_DASH}\s*{_N}\s*)?[周週]")


def _join_label_runs(lines: list[SourceLine]) -> list[SourceLine]:
    """二 / 月 / 份 / 第 / 一 / 周 (a narrow table cell, a character or two a line) -> 二月份, 第一周:
    only when the joined characters read as nothing but month and week labels."""
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and 1 <= len(_cell(lines[j].text)) <= 2 and not lines[j].cells:
            j += 1
        if j - i >= 2:
            parts = [_cell(line.text) for line in lines[i:j]]
            joined = "".join(parts)
            tokens = _tokens(joined)
            if tokens:
                pos = 0  # each label keeps the lines it was made of
                starts = [sum(len(p) for p in parts[:k]) for k in range(len(parts))]
                for token in tokens:
                    first = max(k for k, s in enumerate(starts) if s <= pos)
                    end = pos + len(token) - 1
                    last = max(k for k, s in enumerate(starts) if s <= end)
                    out.append(_joined(lines[i + first], lines[i + last], token))
                    pos += len(token)
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


def _tokens(joined: str) -> list[str] | None:
    tokens, pos = [], 0
    f = fold(joined)
    while pos < len(f):
        m = _LABEL_TOKEN.match(f, pos)
        if not m:
            return None
        tokens.append(joined[pos:m.end()])
        pos = m.end()
    if not any(month_head(t) for t in tokens):
        return None  # '第' / '一' / '周' alone is a week label only beside a month (二月份 第一周)
    return tokens


# ------------------------------------------------------------------ cells closed by ' |'


def _closes_cell(line: SourceLine) -> bool:
    return not line.cells and line.text.rstrip().endswith("|")


def _pipe_streams(lines: list[SourceLine]) -> list[SourceLine]:
    """Runs of lines closed by ' |' (or a lone '|'): cells, then rows."""
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        if not _closes_cell(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        cells, end = _stream(lines, i)
        rows = _stream_rows(cells) if len(cells) >= 6 else None
        if rows is None:
            out.append(lines[i])
            i += 1
            continue
        first = cells[0][1]
        while out and out[-1] is first:  # the first cell's text stood on the line before its '|'
            out.pop()
        out.extend(rows)
        i = end
    return out


def _lone(line: SourceLine) -> bool:
    return not line.cells and line.text.strip() == "|"


def _stream(lines: list[SourceLine], i: int) -> tuple[list[tuple[str, SourceLine, SourceLine]], int]:
    """Cells (text, first line, last line) from line i on, while cells keep closing; the index after.

    Two clothes: every cell closed on its own line, the '|' on the line after the text (a cell's
    text may then run over several lines), or closed on the text's line. When lines with no '|'
    stand between closed cells and no lone '|' follows them, they are cells of their own (the last
    cell of each row lost its bar): that is one cell a line, for _rebuild_tables; no cells here.
    """
    cells: list[tuple[str, SourceLine, SourceLine]] = []
    text = _cell(lines[i].text)
    if not text and i > 0 and not lines[i - 1].cells and not lines[i - 1].text.rstrip().endswith("|") \
            and (column_role(lines[i - 1].text) or row_key(lines[i - 1].text)):
        cells.append((lines[i - 1].text.strip(), lines[i - 1], lines[i]))  # '周次' over ' |'
    else:
        cells.append((text, lines[i], lines[i]))
    j = i + 1
    pending: list[SourceLine] = []
    while j < len(lines):
        line = lines[j]
        if line.cells:
            break
        if _closes_cell(line):
            if pending and not _lone(line):
                return [], i  # a line with no bar, then a closed cell: one cell a line
            parts = [p.text.strip() for p in pending] + ([_cell(line.text)] if _cell(line.text) else [])
            cells.append(("\n".join(parts), pending[0] if pending else line, line))
            pending = []
        else:
            if len(pending) >= 6:  # six lines and no '|': the table is over
                break
            pending.append(line)
        j += 1
    if j == len(lines) and len(pending) == 1:  # the page was cut inside the last cell
        cells.append((pending[0].text.strip(), pending[0], pending[0]))
        pending = []
    return cells, j - len(pending)


def _stream_rows(cells: list[tuple[str, SourceLine, SourceLine]]) -> list[SourceLine] | None:
    """Cells -> a caption, the header, rows of its width; None when no header names two columns."""
    texts = [c[0] for c in cells]
    start = next((k for k in range(min(len(texts), 6)) if _header_at(texts, k)), None)
    if start is None:
        return None
    k = start
    while k < len(texts) and (not texts[k].strip() or column_role(texts[k])):
        k += 1
    while k > start and not texts[k - 1].strip():  # an empty cell after the names opens the first row
        k -= 1
    width = k - start
    if width < 2:
        return None
    out = _loose(cells[:start])  # a caption: a line of its own
    out.append(_row(cells[start:k]))
    key_col = next((n for n in range(width) if column_role(texts[start + n]) in ("week", "month", "date")), None)
    pos = k
    while pos < len(cells):
        chunk = cells[pos:pos + width]
        if key_col is not None and key_col < len(chunk):
            key_text = chunk[key_col][0]
            if key_text.strip() and not (row_key(key_text, week_column=True) or _DATE_CELL.match(fold(key_text))):
                break  # a note or a sign-off under the table
        elif key_col is not None:
            break
        out.append(_row(chunk))
        pos += width
    out.extend(_loose(cells[pos:]))  # a note or a sign-off under the table: lines again
    return out


def _loose(cells: list[tuple[str, SourceLine, SourceLine]]) -> list[SourceLine]:
    """Cells outside the rows, as lines; an empty cell's '|' goes with the line before it (or after)."""
    out: list[SourceLine] = []
    waiting: SourceLine | None = None  # empty cells before the first filled one
    for text, first, last in cells:
        if not text.strip():
            if out:
                out[-1] = _joined(out[-1], last, out[-1].text)
            elif waiting is None:
                waiting = first
            continue
        out.append(_joined(waiting or first, last, text))
        waiting = None
    return out


def _header_at(texts: list[str], k: int) -> bool:
    named = [t for t in texts[k:k + 6] if t.strip()]
    count = 0
    for t in named:
        if not column_role(t):
            break
        count += 1
    return count >= 2 and (not texts[k].strip() or column_role(texts[k]) is not None)


def _row(cells: list[tuple[str, SourceLine, SourceLine]]) -> SourceLine:
    texts = tuple(c[0] for c in cells)
    return _joined(cells[0][1], cells[-1][2], " | ".join(t.replace("\n", " ") for t in texts if t), texts)


# ------------------------------------------------------------------ one cell a line


def _rebuild_tables(lines: list[SourceLine]) -> list[SourceLine]:
    out: list[SourceLine] = []
    i = 0
    while i < len(lines):
        columns, used = _header(lines, i)
        roles = [column_role(c) for c in columns]
        spaced = _spaced_rows(lines, i + 1, len(columns)) if used == 1 and not lines[i].cells and len(columns) >= 2 else []
        if spaced:  # '周次 日期 工作内容 负责人' over rows whose cells are parted by spaces (a PDF's copy)
            out.append(_joined(lines[i], lines[i], " | ".join(columns), tuple(columns)))
            out.extend(spaced)
            i += 1 + len(spaced)
            continue
        fixed = _fixed_width_rows(lines, i + used, roles) if len(columns) >= 3 and used == len(columns) else []
        if len(fixed) >= 2 and roles[0] not in ("week", "seq", "month"):
            # 学科 / 主持人 / 时间 / 地点, then a cell a line: rows of exactly that many lines
            out.append(_joined(lines[i], lines[i + used - 1], " | ".join(columns), tuple(columns)))
            out.extend(fixed)
            i += used + len(fixed) * len(columns)
            continue
        if len(columns) < 2 or roles[0] not in ("week", "seq", "month") or (
                roles[0] == "seq" and "date" not in roles and "week" not in roles) or (
                roles[0] == "month" and not {"week", "date", "who"} & set(roles)):
            # '月份 主要工作内容' over month lines: they read as headings and items as they are
            out.append(lines[i])
            i += 1
            continue
        rows, end = _rows(lines, i + used, columns)
        if not rows:  # not a table after all
            out.append(lines[i])
            i += 1
            continue
        out.append(_joined(lines[i], lines[i + used - 1], " | ".join(columns), tuple(columns)))
        out.extend(rows)
        i = end
    return out


def _spaced_rows(lines: list[SourceLine], i: int, n: int) -> list[SourceLine]:
    """Lines of exactly n parts parted by spaces, each opening with a week, a month or a date."""
    rows: list[SourceLine] = []
    while i < len(lines) and not lines[i].cells:
        parts = lines[i].text.split()
        if len(parts) != n or not (row_key(parts[0], week_column=True) or _DATE_CELL.match(fold(parts[0]))):
            break
        rows.append(SourceLine(lines[i].no, " | ".join(parts), indented=lines[i].indented, cells=tuple(parts),
                               last=lines[i].last))
        i += 1
    return rows if len(rows) >= 2 else []


def _fixed_width_rows(lines: list[SourceLine], i: int, roles: list[str | None]) -> list[SourceLine]:
    """Rows of len(roles) lines each, as long as each cell under a date, week or month column is one
    (a column the cells can be checked by is needed: without one, nothing says where a row ends)."""
    n = len(roles)
    typed = [k for k, r in enumerate(roles) if r in ("date", "week", "month")]
    rows: list[SourceLine] = []
    if not typed:
        return rows
    while i + n <= len(lines):
        chunk = lines[i:i + n]
        texts = [_cell(line.text) for line in chunk]
        if any(line.cells for line in chunk) or any(not t for t in texts):
            break
        if not all(_DATE_CELL.match(fold(texts[k])) or is_time(texts[k]) or row_key(texts[k], week_column=roles[k] == "week")
                   for k in typed):
            break
        if any(column_role(t) for t in texts):
            break
        rows.append(_joined(chunk[0], chunk[-1], " | ".join(texts), tuple(texts)))
        i += n
    return rows


def _header(lines: list[SourceLine], i: int) -> tuple[list[str], int]:
    """Column names one a line ('周次 |' / '日期 |' …) or on one line without separators: (names, lines used)."""
    if lines[i].cells:  # '周次 | 日期 | 工作内容' over rows that lost their bars
        names = [c for c in lines[i].cells if c]
        flat_below = i + 1 < len(lines) and not lines[i + 1].cells
        if len(names) >= 2 and flat_below and all(column_role(c) for c in names):
            return names, 1
        return [], 0
    parts = lines[i].text.split()
    if len(parts) >= 2 and all(column_role(p) for p in parts):  # '周次 日期 工作内容 负责人'
        return parts, 1
    j = i
    while j < len(lines) and not lines[j].cells and column_role(_cell(lines[j].text)):
        j += 1
    return [_cell(line.text) for line in lines[i:j]], j - i


def _row_start(text: str, columns: list[str]) -> bool:
    role = column_role(columns[0])
    key = row_key(_cell(text), week_column=role in ("week", "seq"))
    return key is not None and key.kind == ("month" if role == "month" else "week")


def _ends_table(line: SourceLine, columns: list[str], row_lines: int) -> bool:
    """A section heading, a month heading (in a week table), a table row, or a long paragraph once
    the row has all its cells: the table is over."""
    mk = marker_of(line.text)
    if mk.kind in ("cn", "di", "pcn") or line.heading > 0 or line.cells or is_standalone_heading(line.text):
        return True
    if is_noise_line(line.text) or plan_heading(line):  # a footer, the next plan of a collection
        return True
    head = month_head(_cell(line.text))
    if head and not head.rest and column_role(columns[0]) != "month":
        return True
    return row_lines > len(columns) and len(line.text) > 60


def _rows(lines: list[SourceLine], i: int, columns: list[str]) -> tuple[list[SourceLine], int]:
    rows: list[SourceLine] = []
    while i < len(lines) and _row_start(lines[i].text, columns):
        j = i + 1
        limit = len(columns) + (12 if column_role(columns[0]) == "month" else 6)  # a month's cell holds a list
        while j < len(lines) and not _row_start(lines[j].text, columns) \
                and not _ends_table(lines[j], columns, j - i) and j - i < limit:
            j += 1
        parts = [_cell(line.text) for line in lines[i:j]]
        cells = _cells(parts, columns)
        if cells is None:
            break
        rows.append(_joined(lines[i], lines[j - 1], " | ".join(c.replace("\n", " ") for c in cells if c), tuple(cells)))
        i = j
    return rows, i


def _cells(parts: list[str], columns: list[str]) -> list[str] | None:
    """A row's lines -> one cell per column: the label, a week, date or time when the table has
    such a column and the next line is one, who when there is a who column, and the work (several
    lines: several items) in between."""
    n = len(columns)
    roles = [column_role(c) for c in columns]
    label, rest = parts[0], parts[1:]
    cells = [""] * n
    cells[0] = label
    for k in range(1, n):  # the cells that follow the label in order, while they are what their column says
        if roles[k] == "date" and rest and _DATE_CELL.match(fold(rest[0])):
            cells[k] = rest.pop(0)
        elif roles[k] == "week" and rest and row_key(rest[0], week_column=True):
            cells[k] = rest.pop(0)
        elif roles[k] not in ("date", "week"):
            break
    who_col = next((k for k, r in enumerate(roles) if r == "who"), None)
    who: list[str] = []
    if who_col is not None:
        while len(rest) >= 2 and is_who(rest[-1], named=True) and len(_cell(rest[-1])) <= 8 and not marker_of(rest[-1]):
            who.insert(0, rest.pop())
    work_cols = [k for k in range(1, n) if roles[k] not in ("date", "week", "who") and not cells[k]]
    if not work_cols:
        return None
    if len(rest) == len(work_cols) and len(work_cols) > 1:
        for k, text in zip(work_cols, rest):
            cells[k] = text
    else:
        cells[work_cols[0]] = "\n".join(rest)
    if who_col is not None:
        cells[who_col] = "、".join(who)
    return cells
