"""Term over term: what a school's plan keeps, adds and drops compared with its previous plan."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.process import extract

from ..input.categories import UNCLASSIFIED
from ..input.chinese import HAN_CHARS
from ..input.dates import normalize
from ..input.model import Item, Plan, PlanData

SIMILAR = 0.6  # two item texts this alike are taken as the same recurring activity
_NOISE = re.compile(r"第[一二三四五六七八九十百\d]+[届次期轮批]|\d+\s*[月日号]份?|[一二三四五六七八九十]+月份?|\d+"
                    rf"|[^{HAN_CHARS}A-Za-z]")


def activity_key(text: str) -> str:
    """'第五届校园读书节（11月）' and '第六届校园读书节' share a key: editions, numbers, punctuation go."""
    return _NOISE.sub("", normalize(text))


@dataclass(frozen=True)
class TermDiff:
    previous: Plan
    current: Plan
    continued: list[tuple[Item, Item]]  # (previous, current)
    new: list[Item]
    dropped: list[Item]
    projects_new: list[str]
    projects_continued: list[str]
    projects_dropped: list[str]
    categories: list[tuple[str, int, int]]  # (category, previous count, current count)


def previous_plan(data: PlanData, plan: Plan) -> Plan | None:
    earlier = [p for p in data.plans_of(plan.school) if p.term.start < plan.term.start]
    return earlier[0] if earlier else None  # plans_of is newest first


def term_diff(previous: Plan, current: Plan) -> TermDiff:
    before = [i for b in previous.schedule for i in b.items]
    after = [i for b in current.schedule for i in b.items]
    keys_a = [activity_key(a.text) for a in before]
    keys_b = [activity_key(b.text) for b in after]
    pairs = []
    for n, ka in enumerate(keys_a):
        matcher = SequenceMatcher(None, b=ka)  # SequenceMatcher caches the second sequence
        # rapidfuzz's ratio (2 × longest common subsequence / total length) is never below difflib's,
        # whose matching blocks are one common subsequence: only the pairs it keeps can be alike.
        for _, _, m in extract(ka, keys_b, scorer=fuzz.ratio, score_cutoff=SIMILAR * 100 - 1e-6, limit=None):
            matcher.set_seq1(keys_b[m])
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                pairs.append((ratio, n, m))
    pairs.sort(reverse=True)
    used_a, used_b, continued = set(), set(), []
    for ratio, n, m in pairs:
        if ratio < SIMILAR:
            break
        if n not in used_a and m not in used_b:
            used_a.add(n)
            used_b.add(m)
            continued.append((n, m))
    continued.sort(key=lambda nm: nm[1])
    prev_ids = [pp.id for pp in previous.projects]
    cur_ids = [pp.id for pp in current.projects]
    cats_before = Counter(i.category or UNCLASSIFIED for i in before)
    cats_after = Counter(i.category or UNCLASSIFIED for i in after)
    names = sorted(set(cats_before) | set(cats_after), key=lambda c: (-cats_after[c], -cats_before[c], c))
    return TermDiff(
        previous, current,
        continued=[(before[n], after[m]) for n, m in continued],
        new=[b for m, b in enumerate(after) if m not in used_b],
        dropped=[a for n, a in enumerate(before) if n not in used_a],
        projects_new=[p for p in cur_ids if p not in prev_ids],
        projects_continued=[p for p in cur_ids if p in prev_ids],
        projects_dropped=[p for p in prev_ids if p not in cur_ids],
        categories=[(c, cats_before[c], cats_after[c]) for c in names],
    )
