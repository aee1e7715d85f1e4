"""Consistency warnings across plans and projects (the site still builds; --strict stops on them).

- a project's stages go backwards in time (结题 in one plan, still 开题 in a later one);
- the same title under two ids (two spellings of one title);
- a 课题 named in a plan's text (《…》 next to 课题) that no project file defines.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .model import STAGES, PlanData
from .projects import StageEvent, timeline, title_key
from .yamlsrc import Problem

_MENTION = re.compile(r"(?:课题|課題)\s*《([^《》]{4,80})》|《([^《》]{4,80})》\s*(?:子课题|课题|課題)")


def consistency_warnings(data: PlanData, root: str) -> list[Problem]:
    out: list[Problem] = []
    for project in data.projects.values():
        out += _backwards(data, project.id, timeline(data, project), root)
    out += _duplicate_titles(data, root)
    out += _undefined_mentions(data, root)
    return out


def _where(ev: StageEvent) -> str:
    s = ev.sources[0]
    return f"{ev.written}（{'计划 ' + s.plan if s.plan else '课题档案'}）"


def _backwards(data: PlanData, pid: str, events: list[StageEvent], root: str) -> list[Problem]:
    out = []
    furthest: StageEvent | None = None
    for ev in events:
        if furthest and STAGES.index(ev.stage) < STAGES.index(furthest.stage) and not ev.overlaps(furthest):
            src = ev.sources[0]
            title = data.projects[pid].title
            if furthest.stage == "结题":
                message = f"课题《{title}》已在{_where(furthest)}结题，之后在{_where(ev)}却仍写着“{ev.stage}”"
            else:
                message = f"课题《{title}》的阶段倒退：{_where(furthest)}已是{furthest.stage}，之后在{_where(ev)}又是{ev.stage}"
            out.append(Problem(f"{root}/{src.file}", src.line, "stage", message,
                               "检查阶段是否写错，或是否把另一个课题写成了这个 id", "warning"))
        if furthest is None or STAGES.index(ev.stage) > STAGES.index(furthest.stage):
            furthest = ev
    return out


def _duplicate_titles(data: PlanData, root: str) -> list[Problem]:
    """Near-identical titles of projects that share a school: two schools may well run projects
    with the same title, but one school with two spellings of a title has one project twice."""
    out = []
    projects = list(data.projects.values())
    keys = [title_key(p.title) for p in projects]
    before: dict[str, list[int]] = {}  # school id -> the projects listed so far that it shares
    for i, b in enumerate(projects):
        earlier = sorted({j for sid in b.schools for j in before.get(sid, ())})
        for sid in b.schools:
            before.setdefault(sid, []).append(i)
        for j in earlier:
            a, ka, kb = projects[j], keys[j], keys[i]
            if ka == kb or _alike(ka, kb):
                out.append(Problem(f"{root}/{b.where.file}", 1, "title",
                                   f"与课题 {a.id!r} 的题目几乎相同，可能是同一个课题的两种写法",
                                   f"如果是同一个课题，删除 {b.id} 并把引用改为 {a.id}", "warning"))
    return out


def _alike(a: str, b: str) -> bool:
    m = SequenceMatcher(None, a, b)
    return m.real_quick_ratio() >= 0.9 and m.quick_ratio() >= 0.9 and m.ratio() >= 0.9  # cheap bounds first


def _undefined_mentions(data: PlanData, root: str) -> list[Problem]:
    known = [title_key(p.title) for p in data.projects.values()]
    out = []
    for plan in data.plans.values():
        file = plan.where.file
        texts = [(file, item.line, item.text) for block in plan.schedule for item in block.items]
        texts += [(file, plan.where.line, t) for t in (plan.guiding or "", *plan.goals)]
        texts.append((plan.measures_file or file, 1, plan.measures or ""))
        for file, line, text in texts:
            for m in _MENTION.finditer(text):
                title = m.group(1) or m.group(2)
                key = title_key(title)
                if not any(key == k or SequenceMatcher(None, key, k).ratio() >= 0.9 for k in known):
                    out.append(Problem(f"{root}/{file}", line, "", f"提到了课题《{title}》，但没有这个课题的文件",
                                       "在 projects/ 里为它建一个文件，或改正题目的写法", "warning"))
    return out
