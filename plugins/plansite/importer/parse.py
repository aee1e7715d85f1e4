"""Source -> FileResult: segment the file, then read each plan (meta, outline, schedule, projects)."""

from __future__ import annotations

import re

from .meta import find_school, school_in_byline, find_term, is_signoff, is_term_line, resolve_term, year_in_title
from .outline import classify, render_body, sections_of
from .projects import find_projects, link_items
from .read import Source, SourceLine, read_source, source_from_text
from .result import FileResult, LineAccount, NoisePassage, ParsedPlan, Unplaced
from .schedule import heads_schedule, read_schedule
from .segment import Chunk, segment
from .tables import unflatten
from .text import dated_line, fold, marker_of, month_head, week_label


def parse_file(path, name: str | None = None) -> FileResult:
    """Read and parse a plan file (.txt/.md/.docx/.pdf), called `name` in the result (its file name
    by default). Raises PlanImportError for unusable input."""
    return parse_source(read_source(path, name))


def parse_text(text: str, name: str = "text.txt") -> FileResult:
    """Parse plan text given as a string (tests, the property checks)."""
    return parse_source(source_from_text(text, name))


def parse_source(source: Source) -> FileResult:
    total = sorted({line.no for line in source.lines} | {d.no for d in source.dropped})
    source = unflatten(source)
    seg = segment(source)
    byline = school_in_byline([n.text for n in seg.noise if n.kind == "chrome"])  # 来源：青山区实验小学
    plans = [parse_chunk(chunk, byline) for chunk in seg.chunks]
    noise = [NoisePassage(n.kind, n.text, n.first, n.last, n.plan if plans else None) for n in seg.noise]
    return FileResult(source.name, source.unit, plans, noise, account_lines(total, plans, seg, source))


def account_lines(total: list[int], plans: list[ParsedPlan], seg, source: Source) -> LineAccount:
    """Every non-blank line: placed in a plan, noise, or unplaced with its line number and why."""
    known = set(total)
    placed = {n for plan in plans for n in plan.placed}
    noise = {n for passage in seg.noise for n in range(passage.first, passage.last + 1)}
    noise |= {n for line in seg.artifacts for n in line.numbers} | {d.no for d in source.dropped}
    unplaced: list[Unplaced] = []
    for plan in plans:
        unplaced.extend(plan.unplaced)
        for block in plan.schedule:
            if not block.months:  # kept in the JSON, but no month to put them under
                unplaced.extend(Unplaced(item.line, item.raw or item.text, "没有月份，写进了工作措施")
                                for item in block.items)
    by_line: dict[int, Unplaced] = {}
    for u in unplaced:  # one entry a line: a headless block's first item is also the block's line
        by_line.setdefault(u.line, u)
    placed -= set(by_line)
    return LineAccount(total, sorted(placed & known), sorted((noise - placed - set(by_line)) & known),
                       [by_line[n] for n in sorted(by_line)])


def parse_chunk(chunk: Chunk, byline: str | None = None) -> ParsedPlan:
    lines = list(chunk.lines)
    first = chunk.title_no or (lines[0].no if lines else 0)
    last = lines[-1].no if lines else first
    if chunk.foreign:  # its lines are a noise passage
        return ParsedPlan(chunk.title, chunk.title_no, None, None, None, False, first, last, foreign=chunk.foreign,
                          placed=[chunk.title_no] if chunk.title_no else [])
    term = find_term(chunk.title, chunk.title_no, lines)
    lines = [line for k, line in enumerate(lines) if not (k < 3 and is_term_line(line.text))]
    signoff: list[SourceLine] = []
    while len(lines) > 1 and is_signoff(lines[-1].text):
        signoff.insert(0, lines.pop())
    school = find_school(chunk.title, lines) or _school_in_signoff(signoff) or byline
    if chunk.title and chunk.title_no and heads_schedule(chunk.title):
        lines.insert(0, SourceLine(chunk.title_no, chunk.title))  # '第9周工作安排': the title is the week's heading too
    infos = classify(lines)
    schedule = read_schedule(infos)
    body = render_body(schedule.body, infos)
    projects = find_projects(lines)
    link_items(projects, [item for block in schedule.blocks for item in block.items])
    resolved = resolve_term(term.text) if term else None
    plan = ParsedPlan(
        title=chunk.title, title_line=chunk.title_no, school=school, term=term.text if term else None,
        term_key=resolved.key if resolved else None, is_school_plan=True, first=first, last=last,
        sections=sections_of(infos), schedule=schedule.blocks, projects=projects, guiding=body.guiding,
        goals=body.goals, measures=body.measures, unplaced=list(schedule.unplaced),
        year_hint=year_in_title(chunk.title), resolved_term=resolved,
        placed=sorted({n for line in chunk.lines for n in line.numbers} | ({chunk.title_no} if chunk.title_no else set())))
    for block in schedule.blocks:
        if block.kind == "unlabelled":
            plan.unplaced.append(Unplaced(block.line, block.items[0].raw if block.items else "",
                                          f"{len(block.items)} 条安排前面没有月份标题"))
        elif block.kind == "week" and not block.months:
            plan.unplaced.append(Unplaced(block.line, block.label or "", "周次没有写日期，无法确定月份"))
    if not any(block.months and block.items for block in schedule.blocks):
        plan.schedule_hints = schedule_hints(lines)
    return plan


_DATE_IN_TEXT = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<![\d.])\d{1,2}\.\d{1,2}\s*[-—~～至]\s*\d{1,2}(?:\.\d{1,2})?(?![\d.])")
# a month named in a line: 9月, 10月份; 九月份 anywhere, 九月 where no word runs into it (统一月考 is no month)
_MONTH_IN_TEXT = re.compile(r"(?<![\d.])(?:1[0-2]|0?[1-9])\s*月|(?:十[一二]?|[一二三四五六七八九元])月份"
                            r"|(?<![\u4e00-\u9fff])(?:十[一二]?|[一二三四五六七八九元])月")
_WEEK_IN_TEXT = re.compile(r"第\s*[\d一二三四五六七八九十]{1,3}\s*(?:[-—~～至到]\s*[\d一二三四五六七八九十]{1,3}\s*)?周")


def schedule_hints(lines: list[SourceLine]) -> list[Unplaced]:
    """A plan with no schedule: its lines that carry a date, a month or a week (九月份, 9月,
    4.11～4.17, 第3周), for the review to show. Numbered measures (一、二、… 1. 2.) and table rows
    without a date are what a plan without a schedule is made of: not counted. Empty when nothing
    looks like a schedule."""
    out = []
    for line in lines:
        f = fold(line.text)
        if week_label(f.strip()) or _WEEK_IN_TEXT.search(f):
            why = "写有周次"
        elif dated_line(line.text) or _DATE_IN_TEXT.search(f):
            why = "写有日期"
        elif month_head(line.text) or _MONTH_IN_TEXT.search(f):
            why = "写有月份"
        else:
            continue
        out.append(Unplaced(line.no, line.text, ("表格的一行，" if line.cells else "") + why))
    return out


def _school_in_signoff(lines: list[SourceLine]) -> str | None:
    for line in lines:
        name = find_school(line.text.rstrip("教科室研导处务"), [])
        if name:
            return name
    return None
