"""Reading one line of a plan: numbering markers, month headings, week rows, dates.

All matching runs on ``fold(text)``, which has exactly the length of ``text`` (one character for
one character), so a match's offsets slice the original and the author's text is kept as written:
full-width ＡＳＣＩＩ and （） are folded to ASCII, Traditional characters to Simplified, and
nothing else changes (① stays ①; NFKC would turn it into 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..input.chinese import CN_DIGITS as CN
from ..input.chinese import HAN_CHARS, RANGE_DASH, cn_int, simplifying_table
from ..input.dates import MONTH_WORD, DateError, parse_month_label

_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_DASHES = {0x2015: 0x2014, 0x2500: 0x2014, 0x2012: 0x2D, 0x2013: 0x2D, 0x2010: 0x2D, 0x2011: 0x2D, 0x301C: 0x7E}
_FOLD = simplifying_table({**_FULL_WIDTH, **_DASHES})


def fold(text: str) -> str:
    """Same length as text: full-width ASCII -> ASCII, Traditional -> Simplified, dashes unified."""
    return text.translate(_FOLD)


# ------------------------------------------------------------------ numbering markers


@dataclass(frozen=True)
class Marker:
    """The numbering at the start of a line.

    kind: 'cn' 一、 | 'di' 第一、 | 'pcn' （一） | 'ar' 1、 1. (and '.' with the digit lost) |
          'par' （1） 1） | 'circ' ① | '' none.
    """

    kind: str
    number: int | None
    end: int  # where the text after the marker (and its separator) starts

    def __bool__(self) -> bool:
        return bool(self.kind)


_BULLET = re.compile(r"(?:[-•·●◆◇■□▪▫*>★☆▲△►▶◎○❖✦]\s*)+(?=\S)")
_MARKERS = [
    ("cn", re.compile(rf"([{CN}]{{1,3}})\s*[、.,]\s*")),
    ("cn", re.compile(rf"第([{CN}]{{1,3}})(?:部分|章)\s*[、.,:]?\s*")),
    ("di", re.compile(rf"第([{CN}\d]{{1,3}})\s*[、.,:]\s*")),
    ("pcn", re.compile(rf"\(\s*([{CN}]{{1,3}})\s*\)\s*[、.]?\s*")),
    ("par", re.compile(r"\(\s*(\d{1,2})\s*\)\s*[、.]?\s*")),
    ("par", re.compile(r"(\d{1,2})\)\s*")),
    # 1、 1. 1， — and '1．10月25日…', where the dot is the numbering and 10月25日 the date
    ("ar", re.compile(r"(\d{1,2})\s*(?:、|\.(?!\d)|\.(?=\d{1,2}\s*[月日号])|,(?=\D))\s*")),
    ("ar", re.compile(rf"()[.、](?=[{HAN_CHARS}“\"《])")),  # '.提升教师合作力': the digit was lost in copying
]
_CIRCLED = re.compile(r"([\u2460-\u2473\u2776-\u277f\u2474-\u2487])\s*")


def marker_of(line: str) -> Marker:
    """The numbering marker of a line (given as written; folded here)."""
    f = fold(line)
    start = 0
    m = _BULLET.match(f)
    if m and not re.match(r"-\d", f):
        start = m.end()
    m = _CIRCLED.match(f, start)
    if m:
        c = ord(m.group(1))
        if 0x2474 <= c <= 0x2487:
            return Marker("par", c - 0x2474 + 1, m.end())
        base = 0x2460 if c <= 0x2473 else 0x2776
        return Marker("circ", c - base + 1, m.end())
    for kind, pattern in _MARKERS:
        m = pattern.match(f, start)
        if m and m.end() < len(f):
            return Marker(kind, cn_int(m.group(1)) if m.group(1) else None, m.end())
    return Marker("", None, start)


def strip_marker(line: str) -> str:
    return line[marker_of(line).end:].strip()


# ------------------------------------------------------------------ month headings

_MU = r"(?:月\s*份|月)"  # 九 月 份: spaced out to fill a table cell
_MONTH_LABEL = re.compile(
    rf"{MONTH_WORD}\s*{_MU}?\s*{RANGE_DASH}\s*{MONTH_WORD}\s*{_MU}"
    rf"|{MONTH_WORD}\s*{_MU}(?:(?:\s+|\s*[、,/和及与]\s*){MONTH_WORD}\s*{_MU})*")
# What may follow a month word when it is a date, not a heading: 9月1日, 9月中旬, 9月底 …
_DATE_AFTER = re.compile(rf"\s*(?:\d|[{CN}]+[日号]|[日号]|[上中下]旬|初|底|末|中(?![心学])|\.)")
_LABEL_SUFFIX = re.compile(r"\s*(?:[:,、.。;]\s*)?(?:的?(?:主要)?(?:工作|活动|教科研|科研|教研)?(?:安排|计划|要点|重点|内容|行事历)|工作)?"
                           r"\s*(?:\([^)]{0,12}\))?\s*[:,、.。;]*\s*")


@dataclass(frozen=True)
class MonthHead:
    label: str  # as written: the whole heading line, or only the month prefix when text follows
    months: list[int]
    rest: str  # text after the label on the same line ('' for a heading line)
    standard: bool  # parse_month_label reads the label as written (else the YAML needs months:)
    alt: MonthHead | None = None  # '二、三月份' read as section 二 + 三月份, should the schedule say so


_PAIR = re.compile(rf"({MONTH_WORD})\s*[、,和及与]\s*({MONTH_WORD})\s*{_MU}")  # 9、10月
_YEAR = re.compile(r"(?:\d{4}|\d{2}[xX]{2}|[xX]{2,4})\s*年\s*")  # 2026年9月 as a heading
_OPEN = re.compile(r"[【\[(]\s*")


def month_head(line: str) -> MonthHead | None:
    """'九月份' / '十一月份——十二月份：' / '（一）九月' / '【九月】' / '2026年9月' / '3月份鼓励青年教师…' -> MonthHead."""
    f = fold(line)
    mk = marker_of(line)
    pos = mk.end  # after 一、 / （一） / 1、 / a bullet
    if mk.kind in ("ar", "cn") and _consecutive_pair(f):
        # '9、10月' is two months, not item 9; '二、三月份' February and March, not section 二
        head = _month_head_at(line, f, 0)
        if head:
            return MonthHead(head.label, head.months, head.rest, head.standard, alt=_month_head_at(line, f, pos))
    return _month_head_at(line, f, pos)


def _month_head_at(line: str, f: str, pos: int) -> MonthHead | None:
    bracket = _OPEN.match(f, pos)
    start = bracket.end() if bracket else pos
    year = _YEAR.match(f, start)
    body = year.end() if year else start
    m = _PAIR.match(f, body) or _MONTH_LABEL.match(f, body)
    if not m:
        return None
    after = f[m.end():]
    if _DATE_AFTER.match(after):
        return None
    core = f[m.start():m.end()]
    try:
        months = [cn_int(m.group(1)) or 1, cn_int(m.group(2)) or 1] if m.re is _PAIR else parse_month_label(re.sub(r"\s+(?=[月份])", "", core))
    except (DateError, ValueError):
        return None
    if bracket:
        close = re.match(r"\s*[】\])]", f[m.end():])
        if not close:
            return None
        m_end = m.end() + close.end()
    else:
        m_end = m.end()
    if bracket or year or m.re is _PAIR:
        return _head(line, f, pos, m_end, months, standard=False)
    return _head(line, f, pos, m_end, months, standard=None)


def _consecutive_pair(f: str) -> bool:
    m = _PAIR.match(f)
    if not m:
        return False
    a, b = cn_int(m.group(1)), cn_int(m.group(2))
    return a is not None and b is not None and 1 <= a <= 12 and b == a % 12 + 1


# A heading that names the month's area of work: '四月园务行政', '三月教研活动'.
_DOING = re.compile(r"开展|召开|组织|举行|举办|进行|完成|做好|制定|制订|启动|参加|迎接|筹备|布置")  # an item, not a topic
_TOPIC_SUFFIX = re.compile(rf"[{HAN_CHARS}]{{0,6}}(?:行政|工作|活动|安排|要点|计划|重点|事项|教研|科研|教学|德育|园务|保教|总务|后勤|常规)")


def _head(line: str, f: str, pos: int, end_of_label: int, months: list[int], standard: bool | None) -> MonthHead | None:
    if not all(1 <= n <= 12 for n in months):
        return None
    suffix = _LABEL_SUFFIX.match(f, end_of_label)
    end = suffix.end() if suffix else end_of_label
    tail = f[end:].strip()
    joined = f[end_of_label:end_of_label + 1] not in ":,、.。; "  # '四月园务行政', not '十月：读书节活动'
    if tail and joined and _TOPIC_SUFFIX.fullmatch(tail.rstrip(":：。. ")) and not _DOING.match(tail):
        label = line[pos:].strip().rstrip("：:。.;；,， ")
        return MonthHead(label, months, "", False)
    if not tail:
        label = line[pos:].strip().rstrip("：:。.;；,， ")
        return MonthHead(label, months, "", _parses(label) if standard is None else standard)
    sep = re.match(r"\s*[:,、.。;]?\s*", f[end_of_label:])
    rest = line[end_of_label + (sep.end() if sep else 0):].strip()
    label = line[pos:end_of_label].strip()
    return MonthHead(label, months, rest, _parses(label) if standard is None else standard)


def _parses(label: str) -> bool:
    try:
        parse_month_label(label)
        return True
    except (DateError, ValueError):
        return False


TABLE_HEADER = re.compile(r"^(?:月\s*份|月次|时\s*间|日\s*期|周\s*次|周\s*别|序号)(?:\s*[|\t]?\s*(?:主要|具体)?(?:工作|活动)?"
                          r"(?:内容|安排|项目|要点|事项)|\s*[|\t]|\s+\S{0,6}(?:内容|安排|项目|负责人?|责任人))")


def is_table_header(line: str) -> bool:
    """'月份 主要工作内容', '周次 | 日期 | 工作内容 | 负责人' and the like."""
    return bool(TABLE_HEADER.match(fold(line).strip()))


_PHASE = re.compile(
    rf"(?P<name>[^，。；;,]{{0,16}}?)[(\[【]\s*(?P<a>{MONTH_WORD})\s*(?:月份|月)?\s*{RANGE_DASH}\s*(?P<b>{MONTH_WORD})\s*(?:月份|月)\s*[)\]】]"
    rf"\s*[:：]?\s*(?P<tail>[^，。；;,]{{0,16}})")


def phase_months(line: str) -> list[int] | None:
    """'第一阶段（9月—10月）', '准备阶段(8-12 月)：' -> [9, 10], [8, 9, 10, 11, 12]: a stretch of the
    term named by its months. The name must say 阶段 (or the like) or be no more than the range."""
    f = fold(line).strip()
    start = marker_of(line).end
    m = _PHASE.fullmatch(f, start)
    if not m or not re.search(r"阶段|时段|时期|第[一二三四五六七八九十\d]+期|^$", (m.group("name") + m.group("tail")).strip()):
        return None
    a, b = cn_int(m.group("a")) or 1, cn_int(m.group("b")) or 1
    if not (1 <= a <= 12 and 1 <= b <= 12) or a == b:
        return None
    months = [a]
    while months[-1] != b and len(months) < 12:
        months.append(months[-1] % 12 + 1)
    return months


# ------------------------------------------------------------------ week rows

_WEEK = re.compile(rf"第\s*([{CN}\d]{{1,3}})\s*(?:[-—~至到、]\s*([{CN}\d]{{1,3}})\s*)?周")
_DAY = r"(\d{1,2})\s*[.月/-]\s*(\d{1,2})\s*[日号]?"
_YEAR_OF_DAY = r"(?:(?:19|20)\d\d\s*[.年/-]\s*)?"  # 2027.2.27-3.5: the year is not a month
_SPAN = re.compile(rf"(?<!\d){_YEAR_OF_DAY}{_DAY}(?:\s*{RANGE_DASH}\s*{_YEAR_OF_DAY}(?:(\d{{1,2}})\s*[.月/-]\s*)?(\d{{1,2}})\s*[日号]?)?")


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def span_months(d: re.Match) -> list[int]:
    """The months a week's dates cover: 9.29-10.5 -> [9, 10]; a week given by its Monday alone
    (9.28, 2/23(一)) runs on to its Friday, into the next month when the month ends first."""
    m1, day1, m2 = int(d.group(1)), int(d.group(2)), int(d.group(3) or d.group(1))
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return []
    if d.group(4) is None and day1 + 4 > _MONTH_DAYS[m1 - 1]:
        m2 = m1 % 12 + 1
    return [m1] if m1 == m2 else [m1, m2]


def date_months(text: str) -> list[int]:
    """The months a date or date range covers: '12月31日--1月6日' -> [12, 1]; [] when there is none."""
    d = _SPAN.search(fold(text))
    return span_months(d) if d else []


def week_label(f: str) -> str | None:
    """The week label a folded text starts with: '第1周', '第00周', '第三至四周' … else None."""
    m = _WEEK.match(f)
    return f[:m.end()] if m else None


@dataclass(frozen=True)
class WeekRow:
    label: str  # 第1周, as written
    date: str  # 9.1-9.7 as written, '' when the row has none
    months: list[int]  # months the date covers
    rest: str  # the work, as written


def week_row(line: str) -> WeekRow | None:
    """'第1周 | 9.1-9.7 | 开学工作' or '第一周（3月1日-3月7日）制订计划' -> WeekRow."""
    f = fold(line)
    start = marker_of(line).end
    start += len(f[start:]) - len(f[start:].lstrip("| \t"))  # a table row's empty first cell
    m = _WEEK.match(f, start)
    if not m:
        return None
    label = line[m.start():m.end()]
    pos = m.end()
    d = _SPAN.search(f, pos)
    date, months = "", []
    if d and not re.search(rf"[{HAN_CHARS}]{{3}}", f[pos:d.start()]) and span_months(d):
        date = line[d.start():d.end()].strip()
        months = span_months(d)
        pos = d.end()
    rest = re.sub(r"^[\s|:：,，)）\]】]+", "", line[pos:]).strip()
    return WeekRow(label, date, months, rest)


BARE_WEEK = re.compile(rf"(?:\d{{1,2}}|[{CN}]{{1,3}})(?:\s*[-~—至、]\s*(?:\d{{1,2}}|[{CN}]{{1,3}}))?")


def week_of_cells(cells: tuple[str, ...]) -> WeekRow | None:
    """A week table's row whose first cell is a bare week number: '3 | 9.15-9.21 | 读书沙龙' (also 三, 3-4)."""
    if not cells or not BARE_WEEK.fullmatch(fold(cells[0]).strip()):
        return None
    for cell in cells[1:3]:
        f = fold(cell)
        d = _SPAN.match(f.strip())
        if d and span_months(d):
            return WeekRow(cells[0].strip(), cell.strip()[:d.end()], span_months(d), "")
    return None


def date_line(text: str) -> WeekRow | None:
    """A line that only gives a date range: '（10月25日—10月29日）' under a week heading."""
    f = fold(text).strip()
    inner = re.sub(r"^[(\[【]\s*|\s*[)\]】]$", "", f)
    d = _SPAN.fullmatch(inner)
    if not d or not d.group(4):
        return None
    if not span_months(d):
        return None
    start = f.index(inner)
    return WeekRow("", text.strip()[start:start + len(inner)], span_months(d), "")


# ------------------------------------------------------------------ dated lines: a calendar with no headings

_WD = r"(?:\s*\(\s*(?:周|星期)?[一二三四五六日天]\s*\))?"
_MD = rf"(?:(?:19|20)\d\d\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*[日号]"
_LEADING_DATE = re.compile(
    rf"(?P<date>(?P<md>{_MD}|\d{{1,2}}\s*[日号]|(?:(?:19|20)\d\d\s*[./-]\s*)?\d{{1,2}}\s*[./]\s*\d{{1,2}}(?![\d%]))\s*{_WD}"
    rf"(?:\s*{RANGE_DASH}\s*(?:(?:\d{{1,2}}\s*月\s*)?\d{{1,2}}\s*[日号]|(?:\d{{1,2}}\s*[./]\s*)?\d{{1,2}}(?![\d%]))\s*{_WD})?"
    rf"(?:前|后|起|止|以前|之前)?)"
    rf"\s*(?:[，,、:：;；|]\s*|\s+|(?=[{HAN_CHARS}“\"《]))")


@dataclass(frozen=True)
class DatedLine:
    date: str  # as written: 9月2日~9月6日, 25日（一）～27日（三）, 10.8
    month: int | None  # the month the date starts in; None for a day alone (25日), which takes the row before's
    rest: str  # the work


def dated_line(text: str) -> DatedLine | None:
    """'9月2日~9月6日 | 教研组长会议' / '25日（一）～27日（三），期中考试' / '10.8 返校' -> DatedLine."""
    f = fold(text)
    start = marker_of(text).end
    m = _LEADING_DATE.match(f, start)
    if not m:
        return None
    rest = text[m.end():].strip()
    if len(rest) < 2 or re.match(r"[\d%]", fold(rest)):
        return None
    md = f[m.start("md"):m.end("md")]
    month = None
    if "月" in md:
        month = int(re.search(r"(\d{1,2})\s*月", re.sub(r"^(?:19|20)\d\d\s*年", "", md)).group(1))
    elif re.search(r"\d\s*[./]\s*\d", md):
        month = int(re.findall(r"\d+", re.sub(r"^(?:19|20)\d\d\s*[./-]\s*", "", md))[0])
    if month is not None and not 1 <= month <= 12:
        return None
    return DatedLine(text[m.start("date"):m.end("date")].strip(), month, rest)


# ------------------------------------------------------------------ dated items

_D = r"\d{1,2}"
_DATE_PATTERNS = [
    re.compile(rf"{_D}\.{_D}\s*{RANGE_DASH}\s*(?:{_D}\.)?{_D}(?![\d.])"),
    re.compile(rf"{_D}月{_D}[日号]?\s*{RANGE_DASH}\s*(?:{_D}月)?{_D}[日号]"),
    re.compile(rf"{_D}月{_D}[日号]"),
    re.compile(rf"(?:{_D}月份?)?(?:上旬|中旬|下旬|月初|月中|月底|月末)"),
    re.compile(rf"{_D}[日号](?:\s*{RANGE_DASH}\s*{_D}[日号])?"),
    re.compile(rf"{_D}\.{_D}(?![\d.%月日号])"),
]


@dataclass(frozen=True)
class FoundDate:
    text: str  # as written
    rest: str  # the item text without it


_WEEKDAY = re.compile(r"(?:周|星期)[一二三四五六日天]\s*\(\s*([^()]{2,12}?)\s*\)\s*[:,、]?\s*")


def leading_or_trailing_date(text: str) -> FoundDate | None:
    """'4.11～4.17英语送教活动' / '中旬读书节闭幕' / '读书节闭幕（10月25日）' / '周一（10月25日）：例会'
    -> the date and the rest."""
    f = fold(text)
    m = _WEEKDAY.match(f)
    if m and any(p.fullmatch(m.group(1)) for p in _DATE_PATTERNS) and text[m.end():].strip():
        return FoundDate(text[m.start(1):m.end(1)], text[m.end():].strip())
    for pattern in _DATE_PATTERNS:
        m = pattern.match(f)
        if m:
            rest = re.sub(r"^[\s:,，、：]+", "", text[m.end():]).strip()
            if rest and not re.match(r"[\d%]", fold(rest)):
                return FoundDate(text[:m.end()].strip(), rest)
    m = re.search(r"\(\s*([^()]{2,20})\s*\)\s*[.。;；]?\s*$", f)
    if m:
        inner = f[m.start(1):m.end(1)]
        for pattern in _DATE_PATTERNS:
            if pattern.fullmatch(inner.strip()):
                rest = (text[:m.start()] + text[m.end():]).strip()
                if rest:
                    return FoundDate(text[m.start(1):m.end(1)].strip(), rest)
    return None


# ------------------------------------------------------------------ words of the genre

SENTENCE_PUNCT = re.compile(r"[，。；;,!！?？]")
