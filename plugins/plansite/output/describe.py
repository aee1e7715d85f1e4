"""What each generated page says of itself when it is shared: the text WeChat and other apps show
under a link (og:description and <meta name="description">), written from the page's content for
each kind of page, never its navigation (← 上个月 · 全部月份) or a system line.

Every function returns plain text (the head escapes it, headmeta.add_social_meta); `front_matter`
puts it into a page's Markdown so that MkDocs reads it as page.meta.description. Each reads only
what the page it describes shows, so the keys its builder declares (deps.py) cover it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

from ..input.categories import UNCLASSIFIED
from ..input.model import Plan, Project
from ..views.agenda import Entry, date_label, month_label
from ..views.summary import headline, level_counts, school_kind

LIMIT = 110  # characters: what a share card shows of it, about
SHOWN = 3  # names listed before "等"


def clip(text: str, limit: int = LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def listing(names: Iterable[str], unit: str = "", shown: int = SHOWN) -> str:
    """A、B、C 等 5 所 — the first `shown` names, and how many in all when there are more."""
    names = list(dict.fromkeys(n for n in names if n))
    head = "、".join(names[:shown])
    if len(names) <= shown:
        return head + (f" {len(names)} {unit}" if unit and len(names) > 1 else "")
    return f"{head}等 {len(names)} {unit}".rstrip()


def front_matter(markdown: str, description: str) -> str:
    """The page's Markdown with `description:` in its front matter (a JSON string is a YAML
    string: any quote, colon or # in a name stays text)."""
    # <, > and & as \u escapes: the same YAML string, and no markup where the file is read as Markdown
    text = json.dumps(clip(description), ensure_ascii=False)
    line = "description: " + text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    if markdown.startswith("---\n"):
        return "---\n" + line + "\n" + markdown[4:]
    return f"---\n{line}\n---\n\n{markdown}"


def _top_categories(entries: Iterable, n: int = 3) -> str:
    counts = Counter(e.item.category for e in entries if e.item.category and e.item.category != UNCLASSIFIED)
    return "、".join(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _first_items(items: Iterable, n: int = 2) -> str:
    return "；".join(list(dict.fromkeys(headline(i.text) for i in items))[:n])


def _dated_first(entries: list[Entry], n: int = 3, with_school=None) -> str:
    """The first dated events of a list of entries, in date order, each once: 3月2日 读书节开幕（清河实小）."""
    dated = sorted((e for e in entries if e.item.date is not None), key=lambda e: (e.item.date.start, e.sort_key))
    out: list[str] = []
    seen: set[str] = set()
    for e in dated:
        text = headline(e.item.text)
        if text in seen:
            continue
        seen.add(text)
        who = f"（{with_school(e)}）" if with_school else ""
        out.append(f"{date_label(e.item.date)}{text}{who}")
        if len(out) == n:
            break
    return "；".join(out)


def _school_name(school) -> str:
    return school.short_name or school.name


# ------------------------------------------------------------------ pages about one thing


def school(data, school_id: str, plans: list[Plan], projects: list[Project]) -> str:
    """名称，所在地的学段；最新的计划和它的行事历讲什么；课题."""
    s = data.schools[school_id]
    place = "".join(x for x in (s.province, s.city, s.district) if x and x not in s.name)
    where = f"{place}的" if place else ""
    parts = [f"{s.name}，{where}{school_kind(s.stage)}" if (place or s.stage) else s.name]
    if plans:
        plan = plans[0]
        items = [i for b in plan.schedule for i in b.items]
        about = _top_categories(_Item(i) for i in items) or _first_items(items)
        parts.append(f"{plan.term.label}{plan.office}工作计划，行事历 {len(items)} 项" + (f"：{about}" if about else ""))
        if len(plans) > 1:
            parts.append(f"共 {len(plans)} 份计划")
    else:
        parts.append("教科研工作计划与行事历")
    if projects:
        parts.append(f"课题：{listing((f'《{p.title}》' for p in projects), '项')}")
    return "。".join(parts) + "。"


class _Item:
    """An item where an entry is expected (_top_categories reads e.item)."""

    def __init__(self, item) -> None:
        self.item = item


def plan(data, plan: Plan) -> str:
    s = data.schools[plan.school]
    items = [i for b in plan.schedule for i in b.items]
    text = f"{s.name}{plan.term.label}{plan.office}工作计划"
    if plan.goals:
        text += f"，目标：{headline(plan.goals[0])}"
    if items:
        about = _top_categories(_Item(i) for i in items) or _first_items(items)
        text += f"。行事历 {len(items)} 项" + (f"：{about}" if about else "")
    elif plan.guiding:
        text += f"。{first_sentences(plan.guiding)}"
    if plan.projects:
        text += f"。课题：{listing((f'《{data.projects[pp.id].title}》' for pp in plan.projects), '项')}"
    return text + "。"


_MARKUP = re.compile(r"[*_`#>|]+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def first_sentences(markdown: str | None, limit: int = 60) -> str:
    """The opening of a Markdown field as plain text: its first paragraph, links as their words."""
    para = next((p for p in re.split(r"\n\s*\n", markdown or "") if p.strip()), "")
    return clip(_MARKUP.sub("", _LINK.sub(r"\1", para)), limit)


def project(data, project: Project, latest: str | None) -> str:
    schools = listing((_school_name(data.schools[sid]) for sid in project.schools), "所学校")
    facts = [f"{project.level}课题" if project.level else "课题", f"{schools}承担"]
    if project.host:
        facts.append(f"主持人{project.host}")
    if latest:
        facts.append(f"已到{latest}阶段")
    return f"《{project.title}》：" + "，".join(facts) + "。" + first_sentences(project.summary)


# ------------------------------------------------------------------ pages about many


def month(ym, groups: list[tuple], total: int, data) -> str:
    """groups: (school, entries, plans) as the month page lists them."""
    entries = [e for _, es, _ in groups for e in es]
    names = listing((_school_name(s) for s, _, _ in groups), "所学校")
    head = f"{month_label(ym)}，{names}共 {total} 项安排"
    first = _dated_first(entries, with_school=lambda e: _school_name(data.schools[e.plan.school]))
    first = first or _first_items([e.item for e in entries], 3)
    return head + (f"：{first}" if first else "") + "。"


def month_by_day(ym, events: list[list[Entry]], schools: int, data) -> str:
    """events: the month's dated events, each a list of the entries of the schools holding it."""
    head = f"{month_label(ym)}各校行事历按日期：{schools} 所学校共 {len(events)} 项注明日期的安排"
    first = _dated_first([g[0] for g in events], with_school=lambda e: _school_name(data.schools[e.plan.school]))
    return head + (f"：{first}" if first else "") + "。"


def parts(title: str, pages: list[tuple[int, list[str]]], data) -> str:
    """The first part of a split page that lists none of its own schools: what the parts hold, by
    their first and last school (as the pager names them)."""
    named = []
    for page, sids in pages:
        if sids:
            ends = dict.fromkeys(_school_name(data.schools[sid]) for sid in (sids[0], sids[-1]))
            named.append(f"第{page}页{'—'.join(ends)}")
    return f"{title}，按学校分 {len(pages)} 页：" + "；".join(named) + "。"


def calendar_index(months: list, schools: int, total: int) -> str:
    if not months:
        return "各校行事历按月份汇总：每月各校的安排项数，可订阅全部学校的日历。"
    span = month_label(months[0]) if len(months) == 1 else f"{month_label(months[0])}至{month_label(months[-1])}"
    return (f"{span}共 {len(months)} 个月的行事历，{schools} 所学校 {total} 项安排；"
            f"每月各校的安排项数一览，可订阅全部学校的日历。")


def compare_term(label: str, schools: int, items: int, categories: list[tuple[str, int]]) -> str:
    top = "、".join(f"{name}（{n} 项）" for name, n in categories[:3])
    return f"{label}各校工作对比：{schools} 所学校共 {items} 项工作" + (f"，最多的类别是{top}" if top else "") + "；按类别、按月份、按课题比较。"


def compare_category(label: str, category: str, entries: list[Entry], data) -> str:
    schools = listing(dict.fromkeys(_school_name(data.schools[e.plan.school]) for e in entries), "所学校")
    first = _first_items([e.item for e in entries])
    return f"{label}各校的“{category}”：{schools}共 {len(entries)} 项" \
           + (f"，如{first}" if first else "") + "。"


def compare_index(terms: list[tuple[str, int]], schools: int) -> str:
    labels = "、".join(label for label, _ in terms[:4])
    return f"学校对比：{labels}，{schools} 所学校的工作按类别、月份和课题级别、阶段比较。" if terms \
        else f"学校对比：{schools} 所学校的课题按级别和阶段比较。"


def projects_index(projects: list[Project]) -> str:
    levels = "、".join(f"{level} {n} 项" for level, n in level_counts(projects))
    first = listing((f"《{p.title}》" for p in projects), "项", shown=2)
    return f"{len(projects)} 项课题" + (f"（{levels}）" if levels else "") + (f"：{first}" if first else "") + \
        "；可按级别、阶段、学校筛选。"


def schools_index(schools: list) -> str:
    stages = Counter(school_kind(s.stage) for s in schools)
    kinds = "、".join(f"{k} {n} 所" for k, n in sorted(stages.items(), key=lambda kv: (-kv[1], kv[0])))
    places = listing(dict.fromkeys(s.district or s.city for s in schools if s.district or s.city), "个区县")
    return f"{len(schools)} 所学校（{kinds}）" + (f"，分布在{places}" if places else "") + \
        "：每校的学段、所在地、工作计划和课题数。"

