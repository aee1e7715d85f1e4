"""Pinyin slugs for URLs and heading anchors, and pinyin keys for search.

Slugs must not change once published, whatever pypinyin or jieba do in a later release, so a
slug is taken, in this order, from the entity's own `slug:`, from the registry
plan_data/slugs.yml (written by `plansite slugs --write`), and only then generated. Generated
slugs never take a slug that is already used; a collision gets -2, -3 …
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import replace
from collections.abc import Callable
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify_unicode

from . import jiebacache
from .chinese import HAN

MAX_SLUG = 48


@lru_cache(maxsize=1)
def _engines():
    """jieba and pypinyin are imported on first use (≈1 s and 55 MB), with our phrase fixes loaded."""
    import pypinyin

    jieba = school_jieba()
    table = yaml.safe_load((files("plansite") / "data" / "pinyin_phrases.yml").read_text(encoding="utf-8"))
    pypinyin.load_phrases_dict({word: [[s] for s in readings] for word, readings in table.items()})
    return jieba, pypinyin


_loaded: list[bool] = []


def school_jieba():
    """jieba, quiet, with the school words loaded (the one way the package gets it)."""
    import jieba

    load_school_words(jieba)
    return jieba


def load_school_words(jieba=None) -> None:
    """Teach jieba school words (读书节, 课题组, 开题 …) once per process.

    Material's search plugin segments with the same jieba, so this also makes 读书节 one word
    in the search index, and pinyin `dushujie` can name it.
    """
    if _loaded:
        return
    if jieba is None:
        import jieba
    jieba.setLogLevel(logging.WARNING)
    jiebacache.initialize(jieba)  # the dictionary in a quarter of jieba's own time
    with (files("plansite") / "data" / "jieba_words.txt").open("rb") as f:
        jieba.load_userdict(f)
    _loaded.append(True)


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Text as pinyin words: 焦溪小学 -> ['jiaoxi', 'xiaoxue']; ASCII letters and digits are kept.

    Runs of single-character words stick together (清河实小 -> qinghe, shixiao) so a slug reads
    as words rather than syllables.
    """
    jieba, pypinyin = _engines()
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    pending = ""
    for token in jieba.lcut(text):
        if HAN.fullmatch(token):
            # a character pypinyin cannot read comes back as itself: keep only ASCII letters/digits
            syllables = re.sub(r"[^a-z0-9]", "", "".join(
                pypinyin.lazy_pinyin(token, style=pypinyin.Style.NORMAL, v_to_u=False)).lower())
            if len(token) == 1:
                pending += syllables
                continue
            if pending:
                out.append(pending)
                pending = ""
            out.append(syllables)
        else:
            if pending:
                out.append(pending)
                pending = ""
            out += re.findall(r"[a-z0-9]+", token.lower())
    if pending:
        out.append(pending)
    return tuple(w for w in out if w)


_TAIL = {"de", "yu", "he", "ji", "zhi", "xia", "zhong", "yi"}  # 的 与 和 及 之 下 中 以: no word to end on


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """'焦溪小学' -> 'jiaoxi-xiaoxue'; cut at a word boundary so a slug stays short."""
    out: list[str] = []
    for w in words(text):
        if out and len("-".join(out + [w])) > max_len:
            break
        out.append(w[:max_len])
    while len(out) > 1 and out[-1] in _TAIL:
        out.pop()
    return "-".join(out).strip("-") or "x"


def heading_slug(value: str, separator: str = "-") -> str:
    """toc slugify for authors' headings: 一、加强校本研修 -> yi-jiaqiang-xiaoben-yanxiu."""
    return separator.join(words(value))[:80].strip(separator) or "h"


def heading_slugify(choice: str) -> Callable[[str, str], str] | None:
    """The toc slugify (value, separator) for the heading_anchors option: 'pinyin', 'unicode'
    (the characters kept), or None for 'default' (left to the engine)."""
    if choice == "pinyin":
        return heading_slug
    if choice == "unicode":
        return slugify_unicode
    return None


@lru_cache(maxsize=65536)
def pinyin_syllables(word: str) -> list[str]:
    """The plain pinyin syllables of a word: 育英中学 -> ['yu', 'ying', 'zhong', 'xue']."""
    _, pypinyin = _engines()
    syllables = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL)]
    return [s for s in syllables if s]


@cache  # a word reads the same in every build of the process (serve rebuilds, the vocabulary, search)
def pinyin_keys(word: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese word: 读书节 -> ('dushujie', 'dsj')."""
    syllables = pinyin_syllables(word)
    return "".join(syllables), "".join(s[0] for s in syllables)


@lru_cache(maxsize=65536)  # names are sorted again on many pages
def pinyin_order(text: str) -> tuple[str, ...]:
    """A sort key in the order Chinese readers expect (by pinyin, as a dictionary or a phone's
    contact list orders names), not by code point: 白沙县 before 东湖区 before 临江区."""
    _, pypinyin = _engines()
    return tuple(s.lower() for s in pypinyin.lazy_pinyin(text, style=pypinyin.Style.TONE3)) + (text,)


def unique(base: str, taken: set[str], sep: str = "-", first: int = 2) -> str:
    """base, or base-2, base-3 … (sep and first number as asked): the first not in taken, which
    is then added to taken. Slugs, anchors and ids all make names unique this one way."""
    name, n = base, first
    while name in taken:
        name, n = f"{base}{sep}{n}", n + 1
    taken.add(name)
    return name


KINDS = ("schools", "plans", "projects")


def school_base(school) -> str:
    """Short name if given, else the name without its province and city (the district stays)."""
    if school.short_name:
        return slugify(school.short_name)
    name = school.name
    for prefix in (school.province, school.city):
        if prefix and name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
    return slugify(name)


def assign_slugs(data, explicit: dict[str, dict[str, str]], registry: dict[str, dict[str, str]],
                 mode: str = "pinyin"):
    """Give every school, plan and project its URL slug. Returns (data, generated slugs by kind).

    mode 'id': the slug is the explicit one or the id. mode 'pinyin': explicit, then the
    registry, then generated from the Chinese name (never reusing a slug the registry holds,
    even for an entity that no longer exists, so an old URL is not handed to someone else).
    """
    generated: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    chosen: dict[str, dict[str, str]] = {}
    bases = {
        "schools": lambda e: school_base(e),
        "plans": lambda e: f"{chosen['schools'][e.school]}-{e.term.key}",
        "projects": lambda e: slugify(e.title),
    }
    for kind in KINDS:
        entities = getattr(data, kind)
        mine = explicit.get(kind, {})
        stored = registry.get(kind, {}) if mode == "pinyin" else {}
        taken = set(mine.values()) | set(stored.values()) | {"index", "unclassified"}  # model.RESERVED_SLUGS
        chosen[kind] = {}
        for eid in sorted(entities):
            if eid in mine:
                slug = mine[eid]
            elif mode != "pinyin":
                slug = eid
            elif eid in stored:
                slug = stored[eid]
            else:
                slug = unique(bases[kind](entities[eid]), taken)
                generated[kind][eid] = slug
            chosen[kind][eid] = slug
    new = replace(
        data,
        schools={k: replace(v, slug=chosen["schools"][k]) for k, v in data.schools.items()},
        plans={k: replace(v, slug=chosen["plans"][k]) for k, v in data.plans.items()},
        projects={k: replace(v, slug=chosen["projects"][k]) for k, v in data.projects.items()},
    )
    return new, generated


def registry_text(registry: dict[str, dict[str, str]]) -> str:
    """plan_data/slugs.yml's text: a comment, then schools, plans and projects, each sorted."""
    lines = ["# 网址登记表：学校、计划、课题的网址名。由 plansite slugs --write 生成。",
             "# 已发布的网址不要修改；删掉的学校也请保留这一行，免得它的网址被别的学校占用。"]
    # A YAML emitter, not f-strings: keys such as "#retired" or "old: school" are quoted, not lost.
    body = {kind: dict(sorted(registry.get(kind, {}).items())) for kind in ("schools", "plans", "projects")}
    return "\n".join(lines) + "\n" + yaml.safe_dump(body, allow_unicode=True, sort_keys=False,
                                                   default_flow_style=False, width=1 << 16)


def store_slugs(data_dir: Path, result) -> int:
    """Add to data_dir/slugs.yml the URL names plan data has and the file does not (result:
    load_plan_data's), atomically, entries only ever added; how many were added."""
    new = {kind: entries for kind, entries in result.new_slugs.items() if entries}
    if not new:
        return 0
    merged = {kind: dict(result.registry.get(kind, {})) for kind in ("schools", "plans", "projects")}
    for kind, entries in new.items():
        merged[kind].update(entries)
    path = data_dir / "slugs.yml"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(registry_text(merged), encoding="utf-8")
    os.replace(tmp, path)
    return sum(map(len, new.values()))
