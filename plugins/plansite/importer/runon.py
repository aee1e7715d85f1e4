"""Text whose line breaks were lost: cut back into lines.

Document sites and some copies give a whole plan as one paragraph: '…一、问题回顾:…。二、工作思路:…。三、主要
具体工作9月份。参加…;建立…。10月份。完善…' or, where the line breaks became commas, '…工作安排，一月，1、制订
计划，2、召开会议，二月，1、…'. A line is cut before each month label of a run of consecutive months
(9月份, 10月份, 11月份 …: two months in a row after sentence punctuation, three anywhere), before each
week of a run that counts up after sentence punctuation (第一周（9.1-9.5）：…。第二周…), and before each
section number of a run that counts up (一、 二、 三、 after sentence punctuation); a run that starts
again at 一、 starts a new plan, whose title is the words just before it.
"""

from __future__ import annotations

import re

from ..input.chinese import CN_DIGITS, cn_int
from .read import SourceLine
from .text import MONTH_WORD, fold

_MONTH_AT = re.compile(rf"({MONTH_WORD})\s*(?:月份|月)\s*(?=[。:：,，;；.])")
_STOP = "。；;！!？?：:，,"
_SECTION_AT = re.compile(rf"([{CN_DIGITS}]{{1,3}})、")
_TITLE_END = re.compile(r"(?:计划|方案|要点|安排|总结|规划)$")


def split_run_on(line: SourceLine) -> list[SourceLine]:
    """One line -> the lines it was, when it holds a run of months or of sections; else [line]."""
    if line.cells:
        return [line]
    f = fold(line.text)
    cuts = sorted(set(_month_cuts(f)) | set(_section_cuts(f)) | set(_week_cuts(f)))
    cuts = [c for c in cuts if 0 < c < len(f)]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(f)]
    parts = [line.text[a:b].strip().strip("，,") for a, b in zip(bounds, bounds[1:])]
    return [SourceLine(line.no, part, indented=line.indented and k == 0, last=line.last)
            for k, part in enumerate(parts) if part]


def _month_cuts(f: str) -> list[int]:
    found = []
    for m in _MONTH_AT.finditer(f):
        if m.start() > 0 and f[m.start() - 1].isdigit():
            continue  # 11.5-6月份: a date, not a label
        n = cn_int(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        if m.group(1) in ("元", "正"):
            n = 1
        if n and 1 <= n <= 12:
            found.append((m.start(), n, m.start() == 0 or f[m.start() - 1] in _STOP, m.end()))
    best: list[tuple[int, int, bool, int]] = []
    run: list[tuple[int, int, bool, int]] = []
    for item in found:  # runs of consecutive months with work between them, in the order they are written
        between = f[run[-1][3]:item[0]] if run else ""
        if run and item[1] == run[-1][1] % 12 + 1 and len(re.sub(r"[\W_]", "", between)) >= 2:
            run.append(item)
        else:
            run = [item]
        if len(run) > len(best):
            best = list(run)
    punctuated = sum(1 for _, _, p, _ in best if p)
    if len(best) >= 3 or (len(best) == 2 and punctuated == 2):
        return [pos for pos, _, _, _ in best]
    return []


_WEEK_AT = re.compile(rf"第\s*([{CN_DIGITS}\d]{{1,3}})\s*[周週]")


def _week_cuts(f: str) -> list[int]:
    """第一周（9.1-9.5）：…。第二周（9.8-9.12）：… : weeks counting up, each after sentence punctuation."""
    found = [(m.start(), cn_int(m.group(1))) for m in _WEEK_AT.finditer(f)
             if m.start() == 0 or f[m.start() - 1] in "。；;！!？?"]
    run: list[tuple[int, int | None]] = []
    best: list[tuple[int, int | None]] = []
    for pos, n in found:
        if run and n is not None and run[-1][1] is not None and n == run[-1][1] + 1:
            run.append((pos, n))
        else:
            run = [(pos, n)]
        if len(run) > len(best):
            best = list(run)
    return [pos for pos, _ in best] if len(best) >= 2 else []


RUN_ON_LENGTH = 200  # a line this long with sections in it is a plan that lost its line breaks


def _section_cuts(f: str) -> list[int]:
    """一、 二、 三、 counting up, each after sentence punctuation (or, for 一、, after a plan's title);
    only in a long line: '目标：一、提高质量；二、加强科研。' is one line as written."""
    if len(f) < RUN_ON_LENGTH:
        return []
    cuts: list[int] = []
    expect = 1
    count = 0
    for m in _SECTION_AT.finditer(f):
        n = cn_int(m.group(1))
        if n is None:
            continue
        before = f[:m.start()]
        after_stop = not before or before[-1] in _STOP
        after_title = bool(_TITLE_END.search(before))
        if n == expect and (after_stop or (n == 1 and after_title)):
            cuts.append(m.start())
            if n == 1 and after_title and not after_stop:
                title = re.search(rf"[^{_STOP}]{{2,40}}$", before)
                if title and count:
                    cuts.append(title.start())  # the next plan's title, run onto the last sentence
            expect, count = n + 1, count + 1
        elif n == 1 and count >= 2 and (after_stop or after_title):
            cuts.append(m.start())  # numbering starts again: a new plan
            title = re.search(rf"[^{_STOP}]{{2,40}}$", before)
            if title and after_title:
                cuts.append(title.start())
            expect, count = 2, count + 1
    return cuts if count >= 2 else []
