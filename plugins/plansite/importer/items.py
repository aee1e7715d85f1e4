"""Schedule items: a line or a table cell -> the items it holds, each with the date it names."""

from __future__ import annotations

import re

from .result import Item
from .text import leading_or_trailing_date


def make_item(text: str, line: int) -> Item:
    text = text.strip()
    clean = re.sub(r"[；;，,、]+$", "", text).strip() or text
    found = leading_or_trailing_date(clean)
    return Item(found.rest if found else clean, line, found.text if found else None, raw=clean)


_INLINE_NUMBER = re.compile(r"(?:^|(?<=[\s。；;,，]))(?:\d{1,2}\s*(?:、|[.．](?!\d))|[(（]\s*\d{1,2}\s*[)）]|[\u2460-\u2473])\s*")


def _run_together(part: str, first: re.Match) -> list[re.Match]:
    """'1.制订计划2.召开会议': numbers in sequence with no space before them, found one after another."""
    number = re.match(r"\d+", first.group(0))
    if not number:
        return []
    marks, pos, n = [first], first.end(), int(number.group(0)) + 1
    while True:
        m = re.compile(rf"(?<!\d){n}\s*[、.．](?!\d)\s*").search(part, pos)
        if not m:
            return marks if len(marks) >= 2 else []
        marks.append(m)
        pos, n = m.end(), n + 1


def split_inline(content: str, semicolons: bool = True) -> list[str]:
    """A table cell or a label's line: '1、制订计划 2、召开会议' or '制订计划；召开会议' -> items.
    A numbered entry is one item, whatever it holds; line breaks always split; `；` only when
    `semicolons` (a table row among several rows of one week is one item, semicolons and all)."""
    out: list[str] = []
    for part in re.split(r"[\r\n]+", content or ""):
        part = part.strip()
        if not part:
            continue
        marks = list(_INLINE_NUMBER.finditer(part))
        if len(marks) == 1 and marks[0].start() == 0:
            marks = _run_together(part, marks[0]) or marks
        if len(marks) >= 2 and not part[:marks[0].start()].strip():
            for k, m in enumerate(marks):
                end = marks[k + 1].start() if k + 1 < len(marks) else len(part)
                piece = part[m.end():end].strip()
                if piece:
                    out.append(piece)
            continue
        if len(marks) == 1 and marks[0].start() == 0:
            out.append(part[marks[0].end():].strip() or part)  # '1. 教学检查：抽查教案；检查作业' is one entry
            continue
        if not semicolons:
            out.append(part)
            continue
        pieces = [p.strip() for p in re.split(r"[；;]", part) if p.strip()]
        if len(pieces) >= 2 and all(len(p) >= 2 for p in pieces):
            out.extend(pieces)
        elif part:
            out.append(part)
    return out
