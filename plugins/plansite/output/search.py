"""Search: what goes into Material's index, and the pinyin vocabulary for pinyin queries.

- Month, calendar and comparison pages repeat plan text, so they are left out of the index
  (front matter `search: exclude`), as are the "this month" blocks and a project's item list.
- A plan's schedule sections are replaced by one entry per item, located at the item's anchor,
  so a result for 读书节 opens the plan at that row, not at the top of the page.
- Pinyin: a small vocabulary (Chinese words of the data with their full pinyin and initials)
  lets the browser turn `dushujie` or `dsj` into 读书节 before Material searches; the index
  itself carries no pinyin, so it does not grow.
- Schools at once: a list of the schools (names, pinyin, initials, URL) answers a query that names
  a school while Material's worker is still reading the index (assets/search.js).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from functools import partial

from ..views.agenda import date_label
from ..input.chinese import HAN
from .deps import LINKS
from .site import Output, Site
from ..input.slugs import pinyin_keys, pinyin_order, pinyin_syllables, school_jieba




def segment(text: str) -> str:
    """What Material's search plugin does to Chinese text: jieba words between zero-width spaces."""
    jieba = school_jieba()
    return HAN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text).strip("\u200b")


def rewrite_index(index: dict, site: Site, entries: dict[str, list[dict]] | None = None) -> dict:
    """Material's search_index.json with schedule sections split into one entry per item.

    entries: plan id -> its item entries, as item_entries() makes them (the plugin makes them in a
    second process while MkDocs renders); without them, each plan's are made here (and kept in
    site.memo across `serve` rebuilds)."""
    plans = {site.url(site.plan_path(pid)): plan for pid, plan in site.data.plans.items()}
    schools = {site.url(site.school_path(sid)): school for sid, school in site.data.schools.items()}
    docs = []
    for doc in index.get("docs", []):
        page, _, anchor = doc.get("location", "").partition("#")
        school = schools.get(page) if not anchor else None
        if school is not None:
            docs.append(_school_doc(doc, school))
            continue
        plan = plans.get(page)
        if plan is None:
            docs.append(doc)
            continue
        if anchor.startswith("sched-"):
            continue  # replaced by the item entries below
        docs.append(doc)
        if anchor == "schedule":
            docs += entries[plan.id] if entries is not None else _plan_entries(site, plan.id)
    config = dict(index.get("config", {}))
    if "fields" in config:  # Material's worker indexes every field its config names, and shows title and text
        config["fields"] = {**config["fields"], NAMES_FIELD: {"boost": 1e3}}
    return {**index, "config": config, "docs": docs}


SCHOOL_BOOST = 20  # a school's name, short name, pinyin, initials or URL name finds its page first
NAMES_FIELD = "names"  # a field Material's worker indexes (declared in the index config) but never shows


def _school_doc(doc: dict, school) -> dict:
    """A school page's entry, findable by every name a reader types: the name, the short name, their
    words, full pinyin (joined and spaced), initials and the URL name, and ranked above pages that
    only mention the school."""
    names = school_names(school)
    keys = []
    for name in names:
        full, initials = pinyin_keys(name)
        spaced = " ".join(pinyin_syllables(name))
        keys += [full, spaced, initials]
    keys += [school.slug, school.slug.replace("-", " ")]
    extra = segment(html.escape(" ".join(names), quote=False)) + " " + " ".join(dict.fromkeys(keys))
    return {**doc, NAMES_FIELD: extra, "boost": SCHOOL_BOOST}


def school_names(school) -> list[str]:
    """The names a reader types for a school: its short name (when it has one), then its name."""
    return [n for n in dict.fromkeys([school.short_name or "", school.name]) if n]


def item_entries(site: Site) -> dict[str, list[dict]]:
    """Every plan's item entries by plan id, for rewrite_index(): the plugin makes them in its
    second process while MkDocs renders the pages."""
    return {pid: _plan_entries(site, pid) for pid in site.data.plans}


def _plan_entries(site: Site, plan_id: str) -> list[dict]:
    """Segmenting is slow: a plan's entries are kept in site.memo while the plan and its school's
    names stay the same."""
    plan = site.data.plans[plan_id]
    return site.memo.get(("search", plan_id), (("plan", plan_id), ("school", plan.school), *LINKS),
                         lambda: _item_entries(site, plan, site.url(site.plan_path(plan_id))))


def _item_entries(site: Site, plan, page: str) -> list[dict]:
    school = site.data.schools[plan.school]
    who = school.short_name or school.name
    docs = []
    for view in site.views(plan.id):
        for iv in view.items:
            item = iv.item
            details = [who, plan.term.label, view.block.label]
            if item.date:
                details.append(date_label(item.date))
            if item.who:
                details.append(f"负责：{item.who}")
            docs.append({
                "location": f"{page}#{iv.anchor}",
                "title": segment(html.escape(item.text, quote=False)),
                "text": segment(html.escape(" · ".join(details), quote=False)),
            })
    return docs


def vocabulary(site: Site) -> list[tuple[str, str, str, int]]:
    """(word, full pinyin, initials, count) for Chinese words of two or more characters, most frequent first."""
    jieba = school_jieba()
    data = site.data
    texts: list[str] = []
    for s in data.schools.values():
        texts += [s.name, s.short_name or "", s.district or "", s.city or ""]
    for p in data.projects.values():
        texts += [p.title, p.host or "", *p.members]
    # kept in site.memo: serve rebuilds count only what an edit changed again
    counts = Counter(site.memo.get(("words",), (("school",), ("project",)), lambda: _words(jieba, texts)))
    for plan in data.plans.values():
        counts.update(site.memo.get(("words", plan.id), (("plan", plan.id),), partial(_plan_words, jieba, plan)))
        # update() keeps the zero counts, unlike +
    out = []
    for word, n in counts.items():
        full, initials = pinyin_keys(word)
        out.append((word, full, initials, n))
    return sorted(out, key=lambda w: (-w[3], w[0]))


def _plan_words(jieba, plan) -> Counter:
    texts = [plan.title, plan.office, *plan.goals]
    texts += [line.lstrip("#").strip() for line in (plan.measures or "").splitlines() if line.startswith("#")]
    for block in plan.schedule:
        texts.append(block.label)
        for item in block.items:
            texts += [item.text, item.who or "", item.category or ""]
    return _words(jieba, texts)


def _words(jieba, texts: list[str]) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        for run in HAN.findall(text):
            for word in jieba.cut(run):
                if len(word) >= 2 and HAN.fullmatch(word):
                    counts[word] += 1
            if 2 <= len(run) <= 8:  # whole short names too: 清河实小, 读书节
                counts[run] += 0
    return counts


def char_readings(words) -> str:
    """Each character of the vocabulary with its plain pinyin, as one string "课ke 题ti …": the
    browser spells a query that found nothing (课提) and suggests words that sound alike (课题)."""
    chars = sorted({c for w in words for c in w})
    return " ".join(c + (pinyin_syllables(c) or [""])[0] for c in chars)


def example_school(site: Site) -> list[str]:
    """[a name, its initials] of one of the site's own schools (the first in pinyin order), for the
    hint a search that found nothing shows: 简称或拼音首字母（如 qhsx）."""
    schools = sorted(site.data.schools.values(), key=lambda s: (pinyin_order(s.name), s.id))
    if not schools:
        return []
    name = schools[0].short_name or schools[0].name
    return [name, pinyin_keys(name)[1]]


def vocabulary_path(site: Site) -> str:
    return f"{site.paths.assets}/pinyin.json"


def school_list_path(site: Site) -> str:
    return f"{site.paths.assets}/schools.json"


def school_list(site: Site) -> list[list[str]]:
    """The site's schools in pinyin order, each [name, short name, Latin keys, URL, about]: the keys
    are the full pinyin and the initials of each name and the URL name without its hyphens
    (qingheshixiao qhsx …), about is where the school is and its stage (江苏省 江东市 清河区 · 小学). The
    browser answers a query that names a school from this list while Material's worker is still
    reading the index (assets/search.js)."""
    out = []
    for school in sorted(site.data.schools.values(), key=lambda s: (pinyin_order(s.name), s.id)):
        keys = [k for name in school_names(school) for k in pinyin_keys(name)]
        keys.append(school.slug.replace("-", ""))
        about = " · ".join(x for x in (school.place, school.stage) if x)
        out.append([school.name, school.short_name or "", " ".join(dict.fromkeys(k for k in keys if k)),
                    site.url(site.school_path(school.id)), about])
    return out


def build(site: Site) -> list[Output]:
    return [
        # the words of every school, project and plan
        Output(vocabulary_path(site), partial(_vocabulary_file, site), deps=frozenset({("school",), ("project",), ("plan",)})),
        # every school as written (which schools, names, place, URL name) and where pages live
        Output(school_list_path(site), partial(_school_list_file, site), deps=frozenset({("school",), *LINKS})),
    ]


def _vocabulary_file(site: Site) -> bytes:
    words = vocabulary(site)
    payload = {"version": 1, "words": ["|".join((w, full, ini)) for w, full, ini, _ in words],
               "chars": char_readings(w for w, *_ in words), "example": example_school(site)}
    return (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _school_list_file(site: Site) -> bytes:
    payload = {"version": 1, "schools": school_list(site)}
    return (json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
