"""What a plan says about itself: its term, its school, a year in its title, its sign-off lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..input.chinese import HAN_CHARS
from ..input.dates import DateError, Term, YearMonth, month_range, parse_term
from ..input.load import YEARS
from .read import SourceLine
from .text import fold, marker_of

_Y = r"(?:\d{4}|\d{2}[xX×]{2}|[xX]{2,4})"
_TERM_PATTERNS = [
    # 2012.9——2013.1, 2026年9月至2027年1月
    re.compile(rf"{_Y}\s*[.年/-]\s*\d{{1,2}}\s*月?\s*(?:—+|-{{1,2}}|~|至|到)\s*{_Y}\s*[.年/-]\s*\d{{1,2}}\s*月?"),
    # 2006—2007学年度第一学期, 20xx-20xx学年第一学期, 2026学年第二学期, 2026学年
    re.compile(rf"{_Y}\s*年?\s*(?:(?:—+|-+|~|至|/)\s*{_Y}\s*年?\s*)?学年度?\s*(?:第[一二12]学期|[上下]学期)?"),
    # 20xx年上半年, 2026年下半年
    re.compile(rf"{_Y}\s*年\s*[上下]半年"),
    # 2026年秋季学期, 2027春季, 2026秋学期
    re.compile(rf"{_Y}\s*年?\s*(?:[春秋]季(?:学期)?|[春秋]学期)"),
    # 115学年度第一学期: a Minguo (ROC) year, as schools in Taiwan write it
    re.compile(r"(?<!\d)1[0-4]\d\s*学年度?\s*(?:第[一二12]学期|[上下]学期)?"),
]


@dataclass(frozen=True)
class FoundTerm:
    text: str  # as written, without surrounding brackets
    line: int


def find_term(title: str | None, title_no: int | None, lines: list[SourceLine]) -> FoundTerm | None:
    """The period the plan is for, as written: the title first, then the lines under it, then headings, then prose."""
    head = [(title, title_no or 0)] if title else []
    early = [(line.text, line.no) for line in lines[:3] if len(line.text) <= 40]
    headings = [(line.text, line.no) for line in lines if marker_of(line.text).kind in ("cn", "pcn") and len(line.text) <= 40]
    rest = [(line.text, line.no) for line in lines]
    for text, no in head + early + headings + rest:
        found = _term_in(text)
        if found:
            return FoundTerm(found, no)
    return None


def _term_in(text: str) -> str | None:
    f = fold(text)
    quoted = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", f)]  # a document's title is not the plan's term
    for pattern in _TERM_PATTERNS:
        for m in pattern.finditer(f):
            if any(a <= m.start() < b for a, b in quoted):
                continue
            if m.start() > 0 and f[m.start() - 1].isdigit():
                continue
            return text[m.start():m.end()].strip()
    return None


# A term in a file or folder name: '2026秋计划', '2027春', '2026-2027学年第一学期', '2026-09..2027-01'
_NAME_TERM = re.compile(r"(?<!\d)\d{4}\s*年?\s*[春秋](?:季(?:学期)?|学期)?"
                        r"|(?<!\d)\d{4}[-.]\d{1,2}\s*(?:\.\.|～|~|至)\s*\d{4}[-.]\d{1,2}(?!\d)")


def term_in_name(name: str) -> tuple[str, Term] | None:
    """The term a file's or folder's name carries, as written and resolved; None when it carries none.

    '2026秋计划' -> ('2026秋', 2026 autumn); '2026-2027学年第一学期工作计划' -> that term. A name's
    year with no season ('2026计划') is no term: it would be a guess."""
    f = fold(name)
    for written in (_term_in(name), *(m.group(0) for m in _NAME_TERM.finditer(f))):
        if written:
            term = resolve_term(written)
            if term is None:
                try:
                    term = canonical(parse_term(written))
                except (DateError, ValueError):
                    continue
            return written, term
    return None


def school_in_name(name: str) -> str | None:
    """The school a folder's name is, written as a school name is ('清河实验小学', '江北区第一中学');
    a term in the name is set aside first ('清河实验小学2026秋'). None for any other name."""
    found = term_in_name(name)
    rest = name.replace(found[0], "", 1) if found and found[0] in name else name
    rest = rest.strip(" _-—·()（）")
    m = re.fullmatch(rf"[{HAN_CHARS}]{{2,20}}?{_SUFFIX}", fold(rest))
    return rest if m and not _GENERIC.match(rest) and not _TITLE_PHRASE.match(rest) else None


def resolve_term(written: str | None) -> Term | None:
    """'2012.9——2013.1' -> Term; None when the year is a placeholder (20xx), cannot be read, or is
    one plan_data would refuse (a garbled 3027年: the term is then asked for, as for no year)."""
    term = _resolve_term(written)
    return term if term is None or (term.start.year in YEARS and term.end.year in YEARS) else None


def _resolve_term(written: str | None) -> Term | None:
    if not written or re.search(r"[xX×]", written):
        return None
    try:
        return canonical(parse_term(written))
    except (DateError, ValueError):
        pass
    f = fold(written).replace(" ", "")
    roc = re.fullmatch(r"(1[0-4]\d)(学年度?.*)", f)
    if roc:  # Minguo year + 1911
        return _resolve_term(f"{int(roc.group(1)) + 1911}{roc.group(2)}")
    m = re.fullmatch(r"(\d{4})年?(?:[春秋])(?:季)?(?:学期)?", f)
    if m:
        try:
            return parse_term(f"{m.group(1)}{'秋' if '秋' in f else '春'}")
        except DateError:
            return None
    return None


def canonical(term: Term) -> Term:
    """2012.9——2013.1 is the autumn term of 2012: give it that name and key."""
    return parse_term(term_text(term))


def year_in_title(title: str | None) -> int | None:
    """'2023年学校教科室工作计划' -> 2023: not a term, but a hint for the --term message."""
    m = re.search(r"(?<!\d)(19|20)(\d\d)\s*年", fold(title or ""))
    return int(m.group(1) + m.group(2)) if m else None


def term_text(term: Term) -> str:
    """A Term as the YAML should say it: 2026秋, 2027春, 2026学年, 2026年, else YYYY-MM..YYYY-MM."""
    s, e = term.start, term.end
    if (s.month, e.month, e.year - s.year) == (9, 1, 1):
        return f"{s.year}秋"
    if (s.month, e.month, e.year - s.year) == (2, 7, 0):
        return f"{s.year}春"
    if (s.month, e.month, e.year - s.year) == (9, 7, 1):
        return f"{s.year}学年"
    if (s.month, e.month, e.year - s.year) == (1, 12, 0):
        return f"{s.year}年"
    return f"{s}..{e}"


# ------------------------------------------------------------------ fitting a term to a schedule


def _candidates(base: Term) -> list[Term]:
    y = base.start.year if base.start.month >= 8 else base.start.year - 1  # the school year it belongs to
    out = [base]
    for text in (f"{y}秋", f"{y + 1}春", f"{y}学年", f"{base.start.year}年", f"{base.end.year}年",
                 f"{y}年下半年", f"{y + 1}年上半年"):
        term = parse_term(text)
        if term not in out:
            out.append(term)
    return out


def fit_term(base: Term, months_in_order: list[list[int]]) -> Term:
    """The term closest to base in which every month heading falls, in order.

    A collection imported with one --term can hold a spring plan, an autumn plan and a plan for a
    calendar year (二月 … 十二月); each keeps the year the user gave and gets the period its own
    schedule needs. When nothing fits, base stays and the stray headings are reported.
    """
    flat = [n for months in months_in_order for n in months]
    if not flat:
        return base
    for term in _candidates(base):
        resolved = [_resolve(term, n) for n in flat]
        if None in resolved:
            continue
        firsts = [_resolve(term, months[0]) for months in months_in_order if months]
        if all(a <= b for a, b in zip(firsts, firsts[1:])):
            return term
    return base


def _resolve(term: Term, month: int) -> YearMonth | None:
    for ym in month_range(term.start, term.end):
        if ym.month == month:
            return ym
    return None


# ------------------------------------------------------------------ school

_SUFFIX = (r"(?:中心小学|实验小学|小学|初级中学|高级中学|中学|初中|高中|实验学校|学校|附属小学|附小|附中|完小|实小|中心校|幼儿园"
           r"|(?<=[\u3400-\u9fff]{2})[一二三四五六七八九十]{1,2}中)")  # 青禾一中, 江北十四中: a city and a number
# A name that starts with a verb was cut out of a sentence ('参加区学校…'); only checked in the body,
# since real names can start with such characters (和平小学, 向阳小学).
_VERB_START = re.compile(r"^(?:[到去在对与和向为以由从是有将把让]|参加|组织|召开|开展|举办|进行|做好|推荐|配合|协助|邀请"
                         r"|带领|指导|深入|走进|加强|完善|落实|构建|打造|创建|建设|争创|评选|申报|联合|依托|通过|利用|结合|围绕)")
# A title's own words before 小学/中学 ('关于做好小学…', '进一步加强中学…'): a phrase, not a name.
_TITLE_PHRASE = re.compile(r"^(?:关于|做好|加强|开展|推进|进一步|深化|全面|扎实|落实|构建|打造|创建|提升|促进|规范|有效|新时代|新形势)")
_GENERIC = re.compile(r"^(?:[我本全各该每一某xX]|年度?|学年|学期|度|第[一二]学期|.*(?:工作|计划|教科|教研|教育|科研|试点|城乡|协作|兄弟|联盟|示范|规范|薄弱|乡镇|农村|城区"
                      r"|中小学|全区|全市|全县|全镇|全校|区域|建议|提升|各级|各类|所有|部分|其他|其它))")
# What a title may put before the school's name: its year or term ('2026—2027学年第一学期', '二〇二六年度').
_YEAR_WORD = r"(?:[\d〇○零一二三四五六七八九xX×]{4}|\d{2}[xX×]{2})"
_TERM_PREFIX = (rf"\s*[(（]?\s*{_YEAR_WORD}\s*(?:年|\.)?\s*(?:[—\-~～至/]+\s*{_YEAR_WORD}\s*年?\s*)?(?:学年度?|年度|度)?\s*"
                r"(?:第[一二12]学期|[上下]学期|[春秋]季?(?:学期)?|[上下]半年)?\s*[)）]?\s*")
_TITLE_SCHOOL = re.compile(
    rf"^(?:{_TERM_PREFIX})?"
    rf"([{HAN_CHARS}]{{2,20}}?{_SUFFIX})(?=教科室|教研室|教导处|教务处|科研室|少科室|教科研|教育科研|教研|教学|德育|"
    rf"\d|[（(]|20|学年|第|工作|[\s\u3000]|$|.{{0,4}}学期|.{{0,6}}计划)")
_BODY_SCHOOL = re.compile(rf"(?:(?<=[“\"(、,。:\s])|^|(?<=成立|举办|开展)|(?<=开展好|组织好))([{HAN_CHARS}]{{2,8}}?{_SUFFIX})")
_OWN_AFTER = re.compile(r"^(?:第[一二三四五六七八九十\d]+届|青年|教师|学生|校园|校本|读书节|科技节|艺术节|体育节|运动会|少先队|宣传|发展中心"
                        r"|课程|课题组|教科室|教研室|全体|[”\"])")
_PARTNER_BEFORE = re.compile(r"(?:到|去|赴|向|与|和|同|跟|参加|学习|试点学校|联盟校?|协作校|兄弟学校|结对)\s*[“\"]?$")


_QUOTED_SPAN = re.compile(r"《[^》]*》")


def find_school(title: str | None, lines: list[SourceLine]) -> str | None:
    """The plan's own school, as written: named in its title, or as the owner of something in the text.

    Schools named as partners, pilot schools or places to learn from are not the plan's own.
    """
    if title:
        t = title.strip()
        m = _TITLE_SCHOOL.search(fold(t))
        if m and not _GENERIC.match(m.group(1)) and not _TITLE_PHRASE.match(m.group(1)):
            return t[m.start(1):m.end(1)]
    for line in lines:
        if line.cells:  # a table cell names who takes part (市直初中), not whose plan it is
            continue
        f = fold(line.text)
        quoted = [(q.start(), q.end()) for q in _QUOTED_SPAN.finditer(f)]  # a project's or a document's title, not the owner
        for m in _BODY_SCHOOL.finditer(f):
            name = m.group(1)
            if any(a <= m.start(1) < b for a, b in quoted):
                continue
            if _GENERIC.match(name) or _VERB_START.match(name) or _PARTNER_BEFORE.search(f[:m.start(1)]):
                continue
            after = f[m.end(1):]
            if re.match(r"[、等]|学习", after) or not _OWN_AFTER.match(after):
                continue
            return line.text[m.start(1):m.end(1)]
    return None


_BYLINE = re.compile(r"(?:文章|信息|稿件)?来源\s*[:：]\s*(\S{2,30})")


def school_in_byline(lines: list[str]) -> str | None:
    """'来源：青山区实验小学 作者：…' in a page's metadata: the school that published the plan
    (本站原创, 网络 and the like name none)."""
    for text in lines:
        m = _BYLINE.search(fold(text))
        if not m:
            continue
        name = re.match(rf"[{HAN_CHARS}]{{2,20}}?{_SUFFIX}$", m.group(1))
        if name and not _GENERIC.match(name.group(0)) and not _TITLE_PHRASE.match(name.group(0)):
            return text[m.start(1):m.start(1) + len(name.group(0))]
    return None


# ------------------------------------------------------------------ sign-off

_SIGN_DATE = re.compile(r"^(?:\d{4}|[二〇一九零○]{4}|\d{2}[xX]{2})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$"
                        r"|^(?:19|20)\d\d\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}$")  # 2017.9.20
_SIGN_OFFICE = re.compile(rf"^[{HAN_CHARS}]{{0,16}}(?:教科室|教研室|教导处|教务处|科研室|{_SUFFIX}|[{HAN_CHARS}]{{1,3}}[处室]|中心)$")


def is_signoff(text: str) -> bool:
    """'焦溪小学教科室' or '2012年9月' closing a plan."""
    f = fold(text).strip()
    return len(f) <= 30 and bool(_SIGN_DATE.match(f) or _SIGN_OFFICE.match(f))


def is_term_line(text: str) -> bool:
    """A line that only gives the term: '（2012.9——2013.1）', '2026—2027学年度第一学期'."""
    found = _term_in(text)
    if not found:
        return False
    leftover = fold(text).replace(fold(found), "", 1)
    return not re.sub(r"[\s()（）\[\]【】:：.。]", "", leftover)
