"""A plain-language opening for a school page, written for parents from the data alone.

Two to four short sentences: who the school is and what it stands for (办学理念, 办学特色), the
research projects of its newest plan and at which level, and the main events of that term.

The site is static, so nothing here says "this month": events are named by month within the
term of the newest plan ("2026年秋季学期的主要活动：10月……；11月……"), and a page built a year
later still reads true. Everything is chosen by fixed rules from the data, so the same data
gives the same words. Text from the data goes through an escape function (the pages' `md`
filter) because the sentences end up in Markdown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..input.model import LEVELS, Plan, PlanData, Project, School

# Activities a family notices: reading festivals, contests, open lessons, clubs. Staff meetings,
# inspections and report writing matter to teachers, not to a parent reading the school page.
HEADLINE_CATEGORIES = ("读书活动", "竞赛", "社团活动", "公开课")
MAX_EVENTS = 4
NO_LEVEL = "未注明级别"

_ASIDE = re.compile(r"[（(][^（）()]*[）)]")
_CLAUSE = re.compile(r"[，。；：,;:！？!?]")


@dataclass(frozen=True)
class Event:
    month: int  # calendar month of the item's first day
    text: str  # the item's text up to its first clause break, as written


@dataclass(frozen=True)
class SchoolSummary:
    school: School
    plan: Plan | None  # the newest plan; None when the school has none yet
    projects: tuple[Project, ...]  # cited by the newest plan, else all of the school's projects
    from_plan: bool  # whether `projects` are the newest plan's
    events: tuple[Event, ...]  # chronological


def headline(text: str) -> str:
    """'第三届“清河杯”青年教师赛课（英语、音乐、体育）。' -> '第三届“清河杯”青年教师赛课'."""
    short = _ASIDE.sub("", text).strip()
    head = _CLAUSE.split(short, maxsplit=1)[0].strip()
    return head if len(head) >= 2 else short.rstrip("。；;，, ")


def pick_events(plan: Plan, categories: tuple[str, ...] = HEADLINE_CATEGORIES,
                limit: int = MAX_EVENTS) -> list[Event]:
    """Dated items of the headline categories, spread over the term's months.

    Candidates are taken in date order (then schedule order); the first pass takes the earliest
    of each month, the next pass the second of each month, and so on, until `limit`; the result
    is put back in date order. So a term with events in four months names one from each.
    """
    dated = [(item.date.start, n, item) for n, item in enumerate(i for b in plan.schedule for i in b.items)
             if item.date is not None and item.category in categories]
    dated.sort(key=lambda t: (t[0], t[1]))
    by_month: dict[tuple[int, int], list[tuple]] = {}
    for entry in dated:
        by_month.setdefault((entry[0].year, entry[0].month), []).append(entry)
    chosen: list[tuple] = []
    depth = 0
    while len(chosen) < limit and any(len(v) > depth for v in by_month.values()):
        for month in sorted(by_month):
            if depth < len(by_month[month]) and len(chosen) < limit:
                chosen.append(by_month[month][depth])
        depth += 1
    chosen.sort(key=lambda t: (t[0], t[1]))
    return [Event(start.month, headline(item.text)) for start, _, item in chosen]


def school_kind(stage: str | None) -> str:
    """'小学', '初中' stay; '九年一贯制' -> '九年一贯制学校'; nothing -> '学校'."""
    if not stage:
        return "学校"
    return stage if stage.endswith(("学", "中", "校", "园")) else stage + "学校"


def _level_rank(project: Project) -> int:
    return LEVELS.index(project.level) if project.level in LEVELS else len(LEVELS)


def school_summary(data: PlanData, school_id: str) -> SchoolSummary:
    school = data.schools[school_id]
    plans = data.plans_of(school_id)
    plan = plans[0] if plans else None
    cited = [data.projects[pp.id] for pp in plan.projects if pp.id in data.projects] if plan else []
    projects = cited or sorted(data.projects_of(school_id), key=lambda p: p.id)
    return SchoolSummary(school=school, plan=plan, projects=tuple(projects), from_plan=bool(cited),
                         events=tuple(pick_events(plan)) if plan else ())


def level_counts(projects: tuple[Project, ...] | list[Project]) -> list[tuple[str, int]]:
    """[(级别, 项数)] from the highest level down; projects without a level last."""
    counts = Counter(p.level if p.level in LEVELS else NO_LEVEL for p in projects)
    return [(level, counts[level]) for level in (*LEVELS, NO_LEVEL) if counts[level]]


def summary_sentences(summary: SchoolSummary, esc: Callable[[str], str]) -> list[str]:
    """The summary as sentences of Markdown; `esc` escapes text taken from the data."""
    school = summary.school
    name = esc(school.short_name or school.name)
    sentences = []

    about = []
    if school.district or school.stage:
        where = f"{esc(school.district)}的" if school.district else ""
        about.append(f"{name}是{where}一所{esc(school_kind(school.stage))}")
    if school.motto:
        about.append(f"办学理念是“{esc(school.motto.rstrip('。'))}”")
    if school.features:
        about.append(f"办学特色有{esc(school.features.rstrip('。'))}")
    if about:
        if not (school.district or school.stage):
            about[0] = f"{name}的{about[0]}"
        sentences.append("，".join(about) + "。")

    if summary.projects:
        total = len(summary.projects)
        when = f"{summary.plan.term.label}，学校开展" if summary.from_plan and summary.plan else "学校承担"
        levels = "、".join(f"{level} {n} 项" for level, n in level_counts(summary.projects))
        top = min(summary.projects, key=_level_rank)  # min() keeps the first of equals: plan order
        if total == 1:
            kind = f"{top.level}课题" if top.level else "课题"
            sentences.append(f"{when} 1 项{kind}研究：《{esc(top.title)}》。")
        else:
            tail = f"级别最高的是{top.level}课题《{esc(top.title)}》" if top.level else f"例如《{esc(top.title)}》"
            sentences.append(f"{when} {total} 项课题研究（{levels}），{tail}。")

    if summary.events and summary.plan:
        months: dict[int, list[str]] = {}
        for event in summary.events:
            months.setdefault(event.month, []).append(esc(event.text))
        # events of a month are joined by ， because their own text may hold 、 (七、八年级)
        listed = "；".join(f"{m}月{'，'.join(texts)}" for m, texts in months.items())
        sentences.append(f"{summary.plan.term.label}的主要活动：{listed}。")
    return sentences
