"""A plan's outline: which lines are headings, the outermost level (sections), and the body as Markdown.

Plans number their levels 一、 / （一） / 1. / （1） / ①, but scraping drops levels and digits, so
the outermost level is whatever is outermost *in this plan*: 一、 when present, else Word headings,
else the first of stand-alone headings (主要工作, 工作日程安排), （一） or 第一、 to appear.
Arabic-numbered lines are list entries, never sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .read import SourceLine
from .text import SENTENCE_PUNCT, Marker, MonthHead, WeekRow, fold, marker_of, month_head, strip_marker, week_row

_STANDALONE = re.compile(
    r"(指导思想|指导方针|工作目标|主要目标|目标任务|总体目标|工作重点|重点工作|主要工作|常规工作|其他工作|其它工作|工作措施|具体措施|主要措施"
    r"|保障措施|工作要点|工作思路|具体工作|工作内容|主要任务|工作任务|基本情况|现状分析|工作要求|行事历|具体安排|工作安排|日程安排|计划安排"
    r"|月度工作安排|工作日程安排|安排表|工作历|工作日程|实施步骤|组织机构|领导小组|具体做法|主要做法|活动安排|进度安排|时间安排"
    r"|月历|工作月历|行事表|日程表|工作进程|工作日历|逐周安排|每周安排|周工作安排)$")
SCHEDULE_WORDS = re.compile(r"行事历|具体安排|工作安排|日程安排|计划安排|活动安排|安排表|工作历|工作日程|活动日程|进度安排|时间安排|逐月安排|月份安排"
                            r"|月历|行事表|日程表|工作进程|工作日历|校历|逐周安排|每周安排|周安排|近期安排|每月安排|月安排")


@dataclass
class LineInfo:
    src: SourceLine
    marker: Marker
    month: MonthHead | None
    week: WeekRow | None
    heading: str  # '' | cn | di | pcn | std | h1..h9
    schedule_heading: bool

    @property
    def text(self) -> str:
        return self.src.text

    @property
    def no(self) -> int:
        return self.src.no


def classify(lines: list[SourceLine]) -> list[LineInfo]:
    out = []
    for line in lines:
        text = line.text
        mk = marker_of(text)
        # a table row is read as a row (grid.py), never as a heading or a run-on month
        month = None if line.cells else month_head(text)
        week = None if line.cells else week_row(text)
        heading = ""
        if month is None or month.rest:
            if line.heading:
                heading = f"h{line.heading}"
            elif mk.kind in ("cn", "di", "pcn"):
                heading = mk.kind
            elif not mk and not line.cells and is_standalone_heading(text):
                heading = "std"
        schedule = bool(heading) and bool(SCHEDULE_WORDS.search(fold(text)))
        out.append(LineInfo(line, mk, month, week, heading, schedule))
    return out


def is_standalone_heading(text: str) -> bool:
    """'主要工作', '工作日程安排', '具体措施：' — an unnumbered heading line."""
    f = re.sub(r"^[◆◇■□●○★☆▲△►\s]+|^[【\[]|[】\]]$", "", fold(text).strip().rstrip(":： ")).strip()
    return 2 <= len(f) <= 16 and not SENTENCE_PUNCT.search(f) and bool(_STANDALONE.search(f))


def outer_kind(infos: list[LineInfo]) -> str | None:
    kinds = [i.heading for i in infos if i.heading]
    if "cn" in kinds:
        return "cn"
    word = sorted({k for k in kinds if k.startswith("h")})
    if word:
        return word[0]
    return kinds[0] if kinds else None


def sections_of(infos: list[LineInfo]) -> list[str]:
    kind = outer_kind(infos)
    return [i.text for i in infos if kind and i.heading == kind]


# ------------------------------------------------------------------ body -> guiding, goals, measures

_GUIDING = re.compile(r"指导思想|指导方针|指导原则")
_GOALS = re.compile(r"目标")


@dataclass
class Body:
    guiding: list[str]
    goals: list[str]
    measures: str  # Markdown


def render_body(body: list[LineInfo], all_infos: list[LineInfo]) -> Body:
    """Split the non-schedule lines into 指导思想, 工作目标 and the rest (工作措施) as Markdown."""
    outer = outer_kind(all_infos)
    groups: list[tuple[LineInfo | None, list[LineInfo]]] = [(None, [])]
    for info in body:
        if outer and info.heading == outer:
            groups.append((info, []))
        else:
            groups[-1][1].append(info)
    guiding: list[str] = []
    goals: list[str] = []
    rest: list[LineInfo] = []
    for head, lines in groups:
        name = fold(head.text) if head else ""
        if head and _GUIDING.search(name) and lines and not guiding:
            guiding = [strip_marker(i.text) or i.text for i in lines]
        elif head and _GOALS.search(name) and lines and not goals:
            goals = [strip_marker(i.text) or i.text for i in lines]
        elif head is None:
            intro = []
            for info in lines:
                if info.marker or info.heading or len(info.text) < 20:
                    break
                intro.append(info)
            if intro and not any(h and _GUIDING.search(fold(h.text)) for h, _ in groups):
                guiding = [i.text for i in intro]
                lines = lines[len(intro):]
            rest.extend(lines)
        else:
            rest.append(head)
            rest.extend(lines)
    return Body(guiding, goals, to_markdown(rest, outer))


def to_markdown(infos: list[LineInfo], outer: str | None) -> str:
    order: list[str] = [outer] if outer else []
    for info in infos:
        if info.heading and info.heading not in order:
            order.append(info.heading)
    blocks: list[str] = []
    in_item = False
    last_number = 0
    for k, info in enumerate(infos):
        text = info.text
        if info.src.cells:  # a table that is no schedule (projects, people …) stays a table
            if k == 0 or not infos[k - 1].src.cells:
                end = k
                while end < len(infos) and infos[end].src.cells:
                    end += 1
                blocks.append(md_table([i.src.cells for i in infos[k:end]]))
                in_item = False
            continue
        if info.heading:
            following = infos[k + 1] if k + 1 < len(infos) else None
            if info.schedule_heading and (following is None or following.heading == outer):
                continue  # the schedule went to the 行事历; an empty heading would only confuse
            level = min(2 + order.index(info.heading), 4)
            blocks.append("#" * level + " " + md_escape(text))
            in_item, last_number = False, 0
        elif info.marker.kind == "ar":
            number = info.marker.number or last_number + 1
            last_number = number
            blocks.append(f"{number}. {md_escape(strip_marker(text))}")
            in_item = True
        elif info.marker.kind in ("par", "circ"):
            blocks.append(("    " if in_item else "") + "- " + md_escape(text))
        else:
            blocks.append(("    " if in_item else "") + md_escape(text))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def md_table(rows: list[tuple[str, ...]]) -> str:
    """Rows of cells -> a Markdown table, the first row its header; cell text escaped, bars too."""
    width = max(len(r) for r in rows)

    def line(cells: tuple[str, ...]) -> str:
        padded = [md_escape(c.replace("\n", " ").strip()).replace("|", "\\|") for c in cells] + [""] * (width - len(cells))
        return "| " + " | ".join(padded) + " |"

    return "\n".join([line(rows[0]), "| " + " | ".join(["---"] * width) + " |", *(line(r) for r in rows[1:])])


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#>])")


def md_escape(text: str) -> str:
    """Plan text shown as written: Markdown punctuation is escaped, < cannot open a tag."""
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)
    return re.sub(r"^([-+])(\s)", r"\\\1\2", text)
