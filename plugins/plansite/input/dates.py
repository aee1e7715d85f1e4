"""Chinese month, term and date expressions -> dates.

Pure functions, table-tested. Everything here reads text as a school office writes it:
月份 headings (九月份, 十一月份——十二月份, 二月 三月, 元月份), terms (2026秋, 2026学年,
2026-2027学年第一学期, 2026-09..2027-01) and dated items (10月25日, 4.11～4.17, 中旬).
Errors are raised as DateError with a Chinese message and a hint with two examples.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .chinese import RANGE_DASH, cn_number, to_simplified


class DateError(ValueError):
    """A date, month or term expression that cannot be read. ``hint`` teaches the format."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class YearMonth(NamedTuple):
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> YearMonth:
        return YearMonth(self.year + (self.month == 12), self.month % 12 + 1)

    @property
    def last_day(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        m = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?", normalize(text))
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise DateError(f"无法识别的年月 {text!r}", "写成 YYYY-MM，例如 2026-09 或 2027-01")
        return cls(int(m.group(1)), int(m.group(2)))


def month_range(start: YearMonth, end: YearMonth) -> list[YearMonth]:
    out = [start]
    while out[-1] < end:
        out.append(out[-1].next())
    return out




def normalize(text: str) -> str:
    """NFKC (full-width digits and colons become ASCII) plus Traditional -> Simplified for parsing.

    Traditional forms parse like Simplified ones; the text itself is kept as written elsewhere.
    """
    text = unicodedata.normalize("NFKC", text)
    # NFKC maps the ideographic full stop and em dash through untouched; unify dashes here.
    text = text.replace("〜", "～").replace("―", "—").replace("‐", "-")
    return to_simplified(text).strip()


MONTH_WORD = r"(?:十[一二]?|[一二三四五六七八九元正]|1[0-2]|0?[1-9])"
_MONTH_TOKEN = re.compile(rf"({MONTH_WORD})\s*(?:月份|月)?")

_LABEL_HINT = "月份标题示例：九月份、十一月份——十二月份、二月 三月、六—七月份、元月份、9月"


def parse_month_label(label: str) -> list[int]:
    """Month numbers (1..12) that a schedule heading covers, in order.

    九月份 -> [9]; 十一月份——十二月份 -> [11, 12]; 二月 三月 -> [2, 3];
    六—七月份 -> [6, 7]; 十一月至一月 -> [11, 12, 1]; 元月份 -> [1].
    """
    text = normalize(label).rstrip("：:。.，, ")
    if not text:
        raise DateError("月份标题为空", _LABEL_HINT)
    word = MONTH_WORD
    sep_list = r"(?:\s+|[、，,/和及与]\s*)"
    range_re = re.compile(rf"^({word})\s*(?:月份|月)?\s*{RANGE_DASH}\s*({word})\s*(?:月份|月)$")
    m = range_re.match(text)
    if m:
        a, b = cn_number(m.group(1)), cn_number(m.group(2))
        months = [a]
        while months[-1] != b and len(months) < 12:
            months.append(months[-1] % 12 + 1)
        return months
    list_re = re.compile(rf"^{word}\s*(?:月份|月)(?:{sep_list}{word}\s*(?:月份|月))*$")
    if list_re.match(text):
        return [cn_number(t) for t in re.findall(rf"({word})\s*(?:月份|月)", text)]
    raise DateError(f"无法识别的月份标题 {label!r}", _LABEL_HINT)


@dataclass(frozen=True)
class Term:
    """A planning period: an autumn or spring term, a school year, a calendar year or a range."""

    start: YearMonth
    end: YearMonth
    label: str  # Chinese, for display: 2026年秋季学期
    key: str  # ASCII, for ids and sorting: 2026-autumn

    @property
    def months(self) -> list[YearMonth]:
        return month_range(self.start, self.end)

    def resolve_month(self, month: int) -> YearMonth:
        """The one YearMonth with this month number inside the term (terms span <= 12 months)."""
        for ym in self.months:
            if ym.month == month:
                return ym
        raise DateError(
            f"{month}月不在{self.label}（{self.start}～{self.end}）之内",
            "检查月份是否写错，或把计划的 term 改为覆盖该月的学期，例如 2026秋（2026-09～2027-01）",
        )

    def __str__(self) -> str:
        return self.key


def term_slug(term: Term) -> str:
    """A term's ASCII key as file names use it: 2026-autumn, 2027-spring, 2026-year, 2026-h1,
    2012-09-2013-01 (the importer names plans with it, the editor new plans)."""
    return re.sub(r"[^a-z0-9]+", "-", term.key.lower()).strip("-")


_TERM_HINT = "学期写法示例：2026秋、2027春、2026学年、2026-2027学年第一学期、2026-09..2027-01"


def parse_term(text: str) -> Term:
    """'2026秋' / '2026-autumn' / '2026年秋季学期' / '2026-2027学年第一学期' -> autumn 2026 (2026-09..2027-01).

    Spring: 02..07 of its year. A school year '2026学年' / '2026-2027学年': 2026-09..2027-07.
    A calendar year '2026年' or '2026年度': 2026-01..2026-12. An explicit range 'YYYY-MM..YYYY-MM'
    (also as plans write it: '2012.9——2013.1'). '2026年上半年': 2026-01..07; '下半年': 2026-07..2027-01.
    """
    raw = str(text)
    t = normalize(raw).replace(" ", "")
    # 2026-09..2027-01, and as plans write it: 2012.9——2013.1, 2026年9月至2027年1月
    m = re.fullmatch(r"(\d{4}[-./年]\d{1,2})月?(?:\.\.|～|~|至|到|—+|-{1,2})(\d{4}[-./年]\d{1,2})月?", t)
    if m:
        start, end = YearMonth.parse(m.group(1)), YearMonth.parse(m.group(2))
        if end < start or len(month_range(start, end)) > 12:
            raise DateError(f"学期范围 {raw!r} 无效：结束须不早于开始，且不超过 12 个月", _TERM_HINT)
        return Term(start, end, f"{start}～{end}", f"{start}..{end}")
    m = re.fullmatch(r"(\d{4})年?(?:-+|—+|~|～|至)?(?:(\d{4})年?)?(?:学年度?|学年)(第[一二1-2]学期|上学期|下学期)?", t)
    if m:
        y1 = int(m.group(1))
        if m.group(2) and int(m.group(2)) != y1 + 1:
            raise DateError(f"学年 {raw!r} 的两个年份不相连", _TERM_HINT)
        part = m.group(3)
        if part in ("第一学期", "第1学期", "上学期"):
            return _autumn(y1)
        if part in ("第二学期", "第2学期", "下学期"):
            return _spring(y1 + 1)
        return Term(YearMonth(y1, 9), YearMonth(y1 + 1, 7), f"{y1}—{y1 + 1}学年", f"{y1}-year")
    m = re.fullmatch(r"(\d{4})年?[-_]?(秋|秋季|秋季学期|autumn|fall|春|春季|春季学期|spring)", t, re.I)
    if m:
        y, season = int(m.group(1)), m.group(2).lower()
        return _autumn(y) if season[0] in "秋af" else _spring(y)
    # 上半年/下半年: a school's half-year reaches into the term around it (July; next January).
    m = re.fullmatch(r"(\d{4})年?(上半年|下半年)", t)
    if m:
        y = int(m.group(1))
        if m.group(2) == "上半年":
            return Term(YearMonth(y, 1), YearMonth(y, 7), f"{y}年上半年", f"{y}-h1")
        return Term(YearMonth(y, 7), YearMonth(y + 1, 1), f"{y}年下半年", f"{y}-h2")
    m = re.fullmatch(r"(\d{4})年?度?", t)
    if m:
        y = int(m.group(1))
        return Term(YearMonth(y, 1), YearMonth(y, 12), f"{y}年度", f"{y}")
    raise DateError(f"无法识别的学期 {raw!r}", _TERM_HINT)


def _autumn(y: int) -> Term:
    return Term(YearMonth(y, 9), YearMonth(y + 1, 1), f"{y}年秋季学期", f"{y}-autumn")


def _spring(y: int) -> Term:
    return Term(YearMonth(y, 2), YearMonth(y, 7), f"{y}年春季学期", f"{y}-spring")


XUN = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}


@dataclass(frozen=True)
class DateSpan:
    """When an item happens: a day, a range of days, or a part of a month (上旬/中旬/下旬)."""

    start: date
    end: date  # inclusive
    text: str  # as written
    xun: str | None = None  # 上旬 / 中旬 / 下旬 when that is all the text says

    @property
    def is_day(self) -> bool:
        return self.start == self.end and self.xun is None


_DATE_HINT = "日期写法示例：10月25日、4.11～4.17、2026-10-25、中旬、10月下旬"


def _day(ym: YearMonth, day: int, raw: str) -> date:
    if not 1 <= day <= ym.last_day:
        raise DateError(f"{ym.year}年没有{ym.month}月{day}日（{raw!r}）", _DATE_HINT)
    return date(ym.year, ym.month, day)


def parse_date_text(text: str, term: Term, months: list[YearMonth] | None = None) -> DateSpan:
    """Read a dated item's date within its plan's term.

    months: the months of the heading the item sits under; used for a bare day or 中旬.
    """
    raw = str(text)
    t = normalize(raw).replace(" ", "")
    t = t.rstrip("。.，,")

    def ym_of(year: str | None, month: str) -> YearMonth:
        mo = cn_number(month)
        if not 1 <= mo <= 12:
            raise DateError(f"月份 {mo} 无效（{raw!r}）", _DATE_HINT)
        if year:
            ym = YearMonth(int(year), mo)
            if ym not in term.months:
                raise DateError(f"{ym} 不在{term.label}（{term.start}～{term.end}）之内", _DATE_HINT)
            return ym
        return term.resolve_month(mo)

    def only_month() -> YearMonth:
        if months and len(months) == 1:
            return months[0]
        raise DateError(
            f"日期 {raw!r} 没有写月份，而所在的月份标题覆盖多个月", "写出月份，例如 10月下旬 或 10月25日"
        )

    num = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
    # 2026-10-25, 2026年10月25日, 2026.10.25 (optionally a range to another full or short date)
    full = rf"(?:(\d{{4}})[-./年])?{num}[-./月]{num}日?"
    m = re.fullmatch(rf"{full}(?:{RANGE_DASH}(?:{full}|{num}日?))?", t)
    if m:
        y1, mo1, d1, y2, mo2, d2, d3 = m.groups()
        ym1 = ym_of(y1, mo1)
        start = _day(ym1, cn_number(d1), raw)
        if mo2:
            end = _day(ym_of(y2 or y1, mo2), cn_number(d2), raw)
        elif d3:
            end = _day(ym1, cn_number(d3), raw)
        else:
            end = start
        if end < start:
            raise DateError(f"日期范围 {raw!r} 的结束早于开始", _DATE_HINT)
        return DateSpan(start, end, raw)
    # 10月中旬, 中旬
    m = re.fullmatch(rf"(?:{num}月(?:份)?)?(上旬|中旬|下旬|月初|月中|月底|月末)", t)
    if m:
        ym = ym_of(None, m.group(1)) if m.group(1) else only_month()
        word = {"月初": "上旬", "月中": "中旬", "月底": "下旬", "月末": "下旬"}.get(m.group(2), m.group(2))
        lo, hi = XUN[word]
        return DateSpan(date(ym.year, ym.month, lo), date(ym.year, ym.month, min(hi, ym.last_day)), raw, word)
    # 25日 (a bare day inside a one-month heading)
    m = re.fullmatch(rf"{num}日(?:{RANGE_DASH}{num}日?)?", t)
    if m:
        ym = only_month()
        start = _day(ym, cn_number(m.group(1)), raw)
        end = _day(ym, cn_number(m.group(2)), raw) if m.group(2) else start
        if end < start:
            raise DateError(f"日期范围 {raw!r} 的结束早于开始", _DATE_HINT)
        return DateSpan(start, end, raw)
    raise DateError(f"无法识别的日期 {raw!r}", _DATE_HINT)


def record_date_label(text: str) -> str:
    """A date from a record (YYYY-MM or YYYY-MM-DD) for readers: 2026年12月, 2026年12月15日."""
    parts = text.split("-")
    if len(parts) >= 2 and all(x.isdigit() for x in parts):
        return f"{int(parts[0])}年{int(parts[1])}月" + (f"{int(parts[2])}日" if len(parts) > 2 else "")
    return text
