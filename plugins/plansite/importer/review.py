"""The import review: what `plansite import` did, what it could not do, and the fix for each problem.

    FileResult (parse) + dump.Output + open problems -> review(...) -> Review
        -> terminal lines, and markdown_report(review, command, earlier report) -> 导入报告.md

The editor reads it before publishing: for each plan its school and term and where each came from
(the title, the text, --term, a guess from the schedule's months), headings and item counts, every
source line that was not placed, near-duplicate plans (the same text ≥ 80 %) and what was done with
them, a year in the title that the term contradicts, and schools the text does not name. Each problem
carries its exact fix: a flag, or the file, line and field to edit. `plansite check --publish`
refuses the same problems in plan_data (publish.py), so nothing here can be published by accident.

An import adds to the report, never hides what is still open: its top lists every problem plan_data
holds now (the publish gate's data checks, read from the data after the import, handed in as
`open_problems`: a problem fixed since is gone, one left from an earlier import stays), then this
import's section, then the earlier imports' sections as they were written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ..input.dates import DateError, Term, parse_term
from ..input.yamlsrc import Problem
from ..output.mdtext import md_code, md_text
from .meta import term_text, year_in_title
from .result import FileResult, ParsedPlan

DUPLICATE_RATIO = 0.8  # two plans this much the same text are one plan published twice
REPORT_MARK = "<!-- plansite import 生成的导入报告；每次导入在开头加上这次的记录 -->"
_OLD_MARKS = ("<!-- plansite import 生成的导入报告；每次导入重写 -->",)  # reports of earlier versions
_RUN = re.compile(r"^<!-- plansite import 第 (\d+) 次 -->$", re.M)  # a line of its own: no quote can make one


# ------------------------------------------------------------------ text comparison


def text_of(parts: Iterable[str]) -> str:
    """A plan's words for comparison: the text without spaces, numbering or punctuation."""
    text = "".join(parts)
    return re.sub(r"[\s\d.,;:!?()\[\]、，。；：！？（）《》“”‘’·—…-]+", "", text)


def plan_lines(plan: ParsedPlan) -> str:
    """A parsed plan's text for the near-duplicate test (its guiding, goals, measures and items)."""
    items = [item.text for block in plan.schedule for item in block.items]
    return text_of([*plan.guiding, *plan.goals, plan.measures, *items])


def similarity(a: str, b: str) -> float:
    """How much of two texts is the same (difflib's ratio), with cheap upper bounds first."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < DUPLICATE_RATIO or matcher.quick_ratio() < DUPLICATE_RATIO:
        return matcher.quick_ratio()
    return matcher.ratio()


# ------------------------------------------------------------------ title year and term


def title_year_conflict(title: str | None, term: Term) -> int | None:
    """The year a title names ('2023年…计划') when the term contains neither it nor … else None."""
    year = year_in_title(title)
    if year is None or year in (term.start.year, term.end.year):
        return None
    return year


def term_for_year(term: Term, year: int) -> str:
    """The same kind of term moved to the title's year: 2024春 with a 2023 title -> 2023春."""
    shift = year - term.start.year
    try:
        moved = parse_term(f"{term.start.year + shift}-{term.start.month:02d}..{term.end.year + shift}-{term.end.month:02d}")
    except DateError:
        return f"{year}秋"
    return term_text(moved)


# ------------------------------------------------------------------ the review


@dataclass
class Finding:
    where: str  # file:line
    what: str
    fix: str  # the exact fix: a flag, or the file and field to edit
    blocking: bool = True  # `plansite check --publish` refuses it


@dataclass
class Failure:
    """A plan whose import probably failed: no schedule read, or most of its lines without a place."""

    where: str  # file:first-last of the source
    plan: str  # plans/<id>.yml
    what: str
    lines: list[tuple[int, str, str]]  # line, text, why: what it could not place, or what looks like a schedule


@dataclass
class Review:
    failures: list[Failure] = field(default_factory=list)  # shown first: the report's top, the terminal's first lines
    plans: list[dict] = field(default_factory=list)  # one row per imported plan
    findings: list[Finding] = field(default_factory=list)
    unplaced: list[tuple[str, int, str, str]] = field(default_factory=list)  # file, line, text, why
    noise: list[tuple[str, str, str]] = field(default_factory=list)  # file:lines, kind, first words
    lines: list[tuple[str, str, int, int, int, int, int]] = field(default_factory=list)
    # per file: name, unit, total, placed in a written plan, in a skipped duplicate, noise, unplaced
    open: list[Problem] = field(default_factory=list)  # what plan_data holds now that stops a publish


def _line_of(content: str, key: str) -> int:
    for n, line in enumerate(content.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def review(results: list[FileResult], output: Any, out_dir: Path, noise_kinds: dict[str, str],
           open_problems: Iterable[Problem] = ()) -> Review:
    """output: dump.Output (dump imports this module for its comparisons, so it is not imported here).
    open_problems: what plan_data holds after the import that stops a publish (publish.open_problems)."""
    rv = Review(open=list(open_problems))
    data = out_dir.as_posix()
    per_file = {r.name: sum(1 for p in r.plans if p.is_school_plan) for r in results}
    for report in output.reports:
        plan = report.plan
        rel = f"plans/{report.plan_id}.yml"
        content = output.files.get(rel, "")
        rv.plans.append({
            "id": report.plan_id, "file": report.file, "lines": f"{plan.first}-{plan.last}",
            "title": plan.title or "（无标题）", "school": report.school_id, "school_from": report.school_from,
            "term": report.term.label, "term_from": report.term_from, "sections": len(plan.sections),
            "months": report.months, "items": report.items, "projects": len(plan.projects), "notes": report.notes,
        })
        if report.school_from == "占位":
            rv.findings.append(Finding(
                f"{data}/schools/{report.school_id}.yml:1",
                f"{report.file} 第 {plan.first} 行起的计划没有写明是哪所学校，暂记为占位学校 {report.school_id}",
                f"把 {data}/schools/{report.school_id}.yml 的 name 改成学校全称"
                + ("" if per_file.get(report.file, 0) > 1 else  # --school would name every plan of a collection
                   f"；或用 --school 重新导入（plansite import {report.file} --school 学校全称），再删掉 "
                   f"{data}/{rel}（及同名 .md）和 {data}/schools/{report.school_id}.yml")))
        if report.title_year:
            right = term_for_year(report.term, report.title_year)
            rv.findings.append(Finding(
                f"{data}/{rel}:{_line_of(content, 'term')}",
                f"标题写的是 {report.title_year} 年（“{plan.title}”），学期却是 {report.term.label}",
                f"把 {data}/{rel} 的 term 改成 {right}（并核对行事历月份）；或重新导入时加 --term {right} --force"))
        for u in report.unplaced:
            rv.unplaced.append((report.file, u.line, u.text, u.why))
        if plan.failed:
            shown = sorted({(u.line, u.text, u.why) for u in [*plan.schedule_hints, *report.unplaced]})
            rv.failures.append(Failure(f"{report.file}:{plan.first}-{plan.last}", rel, plan.failed, shown))
        if not any(b.months and b.items for b in plan.schedule):
            rv.findings.append(Finding(
                f"{data}/{rel}:1", f"没有行事历（{report.file} 第 {plan.first}–{plan.last} 行没有读出月份或周次的安排）",
                f"把原文的行事历按月份写进 {data}/{rel} 的 schedule（导入报告的“可能没有导入成功”列出了原文里写有日期、月份的行）；"
                f"原文确实没有行事历时，在 {data}/{rel} 里加一行 schedule: []，表示有意不写"))
    for dup in output.duplicates:
        pct = f"{dup.ratio:.0%}"
        if dup.kept_as:
            rv.findings.append(Finding(
                f"{data}/plans/{dup.kept_as}.yml:1",
                f"与 plans/{dup.of_id}.yml 的文字 {pct} 相同（--keep-duplicates 仍导入了）",
                f"同一份计划只留一份：删除 {data}/plans/{dup.kept_as}.yml（和同名 .md）"))
        else:
            rv.findings.append(Finding(
                f"{dup.file}:{dup.plan.first}",
                f"“{dup.plan.title or '（无标题）'}”与 {dup.of_file}:{dup.of_plan.first} 的计划"
                f"（plans/{dup.of_id}.yml）文字 {pct} 相同，视为同一份计划，没有再导入",
                f"不用处理；若它确是另一所学校自己的计划，单独导入：plansite import {dup.file} --school 学校全称 --keep-duplicates",
                blocking=False))
    seen = {(file, line) for file, line, _, _ in rv.unplaced}
    for result in results:
        a = result.accounting
        if a is None:
            continue
        extra = [(u.line, u.text, u.why) for u in a.unplaced] + [(n, "", "没有归入计划，也不是网页杂项") for n in a.missing]
        for line, text, why in extra:
            if (result.name, line) not in seen:
                seen.add((result.name, line))
                rv.unplaced.append((result.name, line, text, why))
        unplaced = {line for file, line, _, _ in rv.unplaced if file == result.name}
        skipped = {n for d in output.duplicates if d.file == result.name and not d.kept_as
                   for n in a.placed if d.plan.first <= n <= d.plan.last} - unplaced
        rv.lines.append((result.name, result.unit, len(a.total), len(set(a.placed) - unplaced - skipped), len(skipped),
                         len(a.noise), len(unplaced)))
    rv.unplaced.sort(key=lambda u: (u[0], u[1]))
    for result in results:
        for n in result.noise:
            first = n.text.splitlines()[0] if n.text else ""
            where = f"{result.name}:{n.first}" + (f"-{n.last}" if n.last != n.first else "")
            rv.noise.append((where, noise_kinds.get(n.kind, n.kind), first[:40]))
    return rv


SHOWN_LINES = 8  # lines of a failed plan shown in the terminal (the report lists them all)


def failure_lines(rv: Review) -> list[str]:
    """Plans whose import probably failed, with the lines it could not place: the terminal's first lines."""
    if not rv.failures:
        return []
    lines = [f"导入可能没有成功：{len(rv.failures)} 份计划（请先看这里，详见导入报告开头）"]
    for f in rv.failures:
        lines.append(f"  {f.where} → {f.plan}：{f.what}")
        for line, text, why in f.lines[:SHOWN_LINES]:
            lines.append(f"    第 {line} 行（{why}）{_short(text)}")
        if len(f.lines) > SHOWN_LINES:
            lines.append(f"    …… 还有 {len(f.lines) - SHOWN_LINES} 行，见导入报告")
    return lines


def _short(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def terminal_lines(rv: Review) -> list[str]:
    """The review's problems for the terminal (the report file has everything)."""
    lines = []
    blocking = [f for f in rv.findings if f.blocking]
    for f in rv.findings:
        lines.append(f"{'待改' if f.blocking else '说明'} {f.where} {f.what}")
        lines.append(f"    改法：{f.fix}")
    if blocking:
        lines.append(f"这次导入发现要改的问题：{len(blocking)} 处（plansite check --publish 会拒绝发布，直到改好）。")
    if rv.open:
        lines.append(f"plan_data 里发布前还要改的问题共 {len(rv.open)} 处（含以前导入的计划），导入报告开头逐条列出。")
    return lines


def markdown_report(rv: Review, command: str, earlier: str | None = None) -> str:
    """The report file: a Markdown page the editor can open (any editor, or GitHub shows it).

    Its top is what plan_data still holds that stops a publish (rv.open, read from the data: the
    earlier imports' plans included); then this import's section; then the sections of the imports
    before, as `earlier` (the report file as it was) holds them.

    It quotes what the sources say (file names, lines, titles, school names), and a report is opened
    in Markdown viewers that do not sanitise: every quote is text (md_text: no tag, link, entity or
    emphasis of the source's) or a code span that nothing inside can end (md_code)."""
    esc, code = md_text, md_code
    number, before = earlier_runs(earlier)
    out = [REPORT_MARK, "", "# 导入报告", "", "## 发布前还要改的问题", "",
           "按导入后 plan_data 里的现状列出（以前导入的计划也在内）：改好的不再出现。改完运行 "
           "`plansite check plan_data --publish`（它还检查网站地址等设置）。", ""]
    if rv.open:
        for p in rv.open:
            where = f"{p.file}:{p.line}" if p.line else p.file
            out.append(f"- **待改** {code(where)}{' ' + code(p.field) if p.field else ''}：{esc(p.message)}  ")
            out.append(f"  改法：{esc(p.hint)}")
    else:
        out.append("没有。")
    out += ["", _RUN_LINE.format(number), "", f"## 第 {number} 次导入", "", f"命令：{code(command)}", ""]
    blocking = [f for f in rv.findings if f.blocking]
    out += [f"这次导入了 {len(rv.plans)} 份计划；发现要改的问题 {len(blocking)} 处（列在开头，改好后不再列出），"
            f"未能放进行事历的行 {len(rv.unplaced)} 行，略过的网站附加文字 {len(rv.noise)} 段。", ""]
    if rv.failures:
        out += ["### 可能没有导入成功", "",
                "下面的计划没有读出行事历，或大半的行没有放进计划。请对照原文核对；下面列出了原文里写有日期、"
                "月份或周次，或没能放进计划的行。", ""]
        for f in rv.failures:
            out.append(f"- `{esc(f.where)}` → `{f.plan}`：{esc(f.what)}")
            out += [f"  - 第 {line} 行（{esc(why)}）{esc(text)}" for line, text, why in f.lines]
        out.append("")
    notes = [f for f in rv.findings if not f.blocking]
    if notes:
        out += ["### 说明", ""]
        for f in notes:
            out.append(f"- {code(f.where)}：{esc(f.what)}  ")
            out.append(f"  {esc(f.fix)}")
        out.append("")
    out += ["### 每份计划", "",
            "| 计划文件 | 原文 | 标题 | 学校（来源） | 学期（来源） | 小标题 | 月份 | 安排 | 课题 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for p in rv.plans:
        out.append(f"| plans/{esc(p['id'])}.yml | {esc(p['file'])}:{p['lines']} | {esc(p['title'])} | "
                   f"{esc(p['school'])}（{esc(p['school_from'])}） | {esc(p['term'])}（{esc(p['term_from'])}） | "
                   f"{p['sections']} | {p['months']} | {p['items']} | {p['projects']} |")
    plan_notes = [(p["id"], n) for p in rv.plans for n in p["notes"]]
    if plan_notes:
        out += ["", "说明：", ""] + [f"- plans/{esc(pid)}.yml：{esc(n)}" for pid, n in plan_notes]
    if rv.lines:
        out += ["", "### 原文的每一行去了哪里", "",
                "| 原文 | 共 | 放进计划 | 重复的计划（没有再导入） | 网页杂项（略过） | 未能放入 |",
                "| --- | ---: | ---: | ---: | ---: | ---: |"]
        out += [f"| {esc(file)} | {total} {esc(unit)} | {placed} | {dup} | {noise} | {unplaced} |"
                for file, unit, total, placed, dup, noise, unplaced in rv.lines]
    out += ["", "### 没能放进行事历的行", "",
            "这些行已写进计划的工作措施（`plans/<id>.md`）末尾，没有丢；请核对，需要时移进行事历。", ""]
    out += [f"- {code(f'{file}:{line}')} {esc(text)} —— {esc(why)}" for file, line, text, why in rv.unplaced] or ["没有。"]
    out += ["", "### 略过的文字", "", "下载网站的标题、页脚、推荐语等，不属于任何计划。", ""]
    out += [f"- {code(where)}（{esc(kind)}）{esc(first)}" for where, kind, first in rv.noise] or ["没有。"]
    text = "\n".join(out) + "\n"
    return text + ("\n" + before if before else "")


_RUN_LINE = "<!-- plansite import 第 {} 次 -->"


def earlier_runs(report: str | None) -> tuple[int, str]:
    """(this import's number, the earlier imports' sections) from the report file as it was. A report
    of an earlier version (one import, no sections) becomes section 1, its headings one level down."""
    if not report or not report.startswith((REPORT_MARK, *_OLD_MARKS)):
        return 1, ""
    runs = list(_RUN.finditer(report))
    if runs:
        return max(int(m.group(1)) for m in runs) + 1, report[runs[0].start():].rstrip("\n") + "\n"
    body = report.split("\n", 1)[1] if "\n" in report else ""
    body = re.sub(r"(?m)^# 导入报告\n+", "", body, count=1)
    body = re.sub(r"(?m)^(#{2,5}) ", lambda m: m.group(1) + "# ", body).strip("\n")
    return 2, f"{_RUN_LINE.format(1)}\n\n## 第 1 次导入\n\n{body}\n" if body else ""


def report_path(out_dir: Path, wanted: str | None) -> Path:
    """Where the report goes: --report, else 导入报告.md beside plan_data. A file there that an
    import did not write is never overwritten: the report takes the next free name."""
    path = Path(wanted) if wanted else out_dir.resolve().parent / "导入报告.md"
    n = 2
    base = path
    while path.exists() and not _ours(path):
        path = base.with_name(f"{base.stem}-{n}{base.suffix}")
        n += 1
    return path


def _ours(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8").startswith((REPORT_MARK, *_OLD_MARKS))
    except (OSError, UnicodeDecodeError):
        return False
