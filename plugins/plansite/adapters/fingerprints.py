"""The demo's fingerprints: what only this repository's fictional district says, so that the publish
check can find it in any site's plan_data, also in a site made by `plansite new` that has no copy of
the demo to compare with.

    the demo (plan_data/, mkdocs.yml, docs/about.md) + the docs' example addresses
        -> build_fingerprints(root) -> data/demo_fingerprints.yml   (scripts/demo_fingerprints.py;
                                                                      a test keeps the two equal)
    a site's PlanData -> data_fields(...) -> demo_traces(fields, fingerprints) -> [Trace]

A fingerprint is the demo's city (江东市), its schools' names (the full name and the name without
province and city, 清河区实验小学), and a hash of each sentence of its texts (guiding, goals,
measures, schedule items, project titles and summaries, mottos, the site's name, copyright and
about page), read as `sentence_key` reads them: Simplified, full-width folded, without spaces,
numbering or punctuation. A sentence that a new site's own skeleton or generated about page says
too is left out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..input.dates import normalize
from ..importer.review import text_of
from ..input.model import PlanData

FINGERPRINTS = "data/demo_fingerprints.yml"  # package data, beside categories.yml

MIN_SENTENCE = 8  # shorter sentences (资料归档, 撰写工作总结) are what every plan says
DISTINCT_SENTENCE = 16  # one demo sentence this long is the demo's text; shorter ones count from three on
ENOUGH_SHORT = 3

_SENTENCE_END = re.compile(r"(?:[。！？；!?;\n]|\.(?=\s|$))+")
_MARKUP = re.compile(r"^[#>*+\-\s]+")  # a heading's or list item's marks, left out where a sentence is quoted
_URL = re.compile(r"https?://([^/\s\"'`<>()（）\]]+)")


def sentence_key(text: str) -> str:
    """A sentence as compared: '本学期，教科室以“科研兴校”为…' -> '本学期教科室以科研兴校为…'."""
    return text_of([normalize(text)])


def sentence_hash(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def sentences(text: str | None) -> Iterator[tuple[str, str]]:
    """(sentence as written, its key) for each sentence of a text long enough to tell anything.

    A line break ends a sentence (a list item, a heading) and does not (a paragraph wrapped over
    lines, as YAML block scalars and Markdown have them): both readings are given, each key once."""
    text = text or ""
    seen = set()
    for whole in (text, "".join(line.strip() for line in text.splitlines())):
        for piece in _SENTENCE_END.split(whole):
            key = sentence_key(piece)
            if len(key) >= MIN_SENTENCE and key not in seen:
                seen.add(key)
                yield piece.strip(), key


@dataclass(frozen=True)
class Fingerprints:
    cities: tuple[str, ...]
    schools: tuple[str, ...]  # full names and names without province and city, longest first
    sentences: frozenset[str]  # sentence_hash of each sentence key
    example_hosts: frozenset[str]  # every host of an example address in the docs and messages


@dataclass(frozen=True)
class Field:
    """One text of a site, located: checked against the demo's fingerprints."""

    file: str
    line: int
    field: str
    text: str
    entity: str  # the school, plan or project it belongs to (sentences are counted per entity)
    name: bool = False  # a name or title: the demo's school names are looked for in it, and a title
    # the demo has too counts as one sentence, never alone (a real project may have the same title)
    sentences: bool = True  # False for a real body's name (an issuer): only the demo's city counts


@dataclass(frozen=True)
class Trace:
    """Where a site says what the demo says."""

    file: str
    line: int
    field: str
    kind: str  # "city" | "school" | "text"
    mark: str  # the city or school name, or the first matching sentence as the site wrote it
    count: int = 1  # matching sentences of the entity (kind "text")


# ------------------------------------------------------------------ making them from the demo


def build_fingerprints(root: Path) -> Fingerprints:
    """The demo's fingerprints from this repository: plan_data/, mkdocs.yml, docs/about.md, and the
    example addresses of README.md, docs/ and the package's own messages and templates."""
    from ..input.load import load_plan_data  # the loader is only needed to make the file
    from .mkdocsyml import load_mkdocs_yml

    data = load_plan_data(root / "plan_data").data
    if data is None:
        raise ValueError("the demo's plan_data does not load")
    cities = sorted({s.city for s in data.schools.values() if s.city})
    schools: set[str] = set()
    for s in data.schools.values():
        schools.add(s.name)
        core = s.name
        for part in (s.province, s.city):
            if part and core.startswith(part):
                core = core[len(part):]
        schools.add(core)
    texts = [f.text for f in data_fields(data) if f.sentences]
    config = load_mkdocs_yml((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    texts += [str(config.get(key) or "") for key in ("site_name", "site_description", "copyright")]
    texts.append((root / "docs/about.md").read_text(encoding="utf-8"))
    package = root / "plugins/plansite"
    # what every new site says too: its skeleton, and the about page made for it (templates/about.md.j2)
    own = [*sorted((package / "skeleton").rglob("*.j2")), package / "templates/about.md.j2"]
    skeleton = {key for path in own for _, key in sentences(path.read_text(encoding="utf-8"))}
    keys = {key for text in texts for _, key in sentences(text)} - skeleton
    docs = [root / "README.md", *sorted((root / "docs").rglob("*.md")),
            *sorted(p for p in package.rglob("*") if p.suffix in (".py", ".j2", ".md", ".yml") and p.is_file()
                    and p != package / FINGERPRINTS)]
    hosts = {h for path in docs for h in hosts_in(path.read_text(encoding="utf-8"))}
    return Fingerprints(tuple(cities), tuple(sorted(schools, key=lambda n: (-len(n), n))),
                        frozenset(sentence_hash(k) for k in keys), frozenset(hosts))


def hosts_in(text: str) -> set[str]:
    """The hosts of the http(s) addresses a text shows, lower-case; IP addresses and '…' left out."""
    out = set()
    for m in _URL.finditer(text):
        try:
            host = urlsplit(f"https://{m.group(1)}/").hostname
        except ValueError:
            continue
        if host and re.search(r"[a-z]", host) and "…" not in host and "{" not in host:
            out.add(host.rstrip("."))
    return out


def fingerprints_text(fp: Fingerprints) -> str:
    """The package data file: sorted, so the same demo gives the same bytes."""
    body = {"cities": list(fp.cities), "schools": list(fp.schools),
            "example_hosts": sorted(fp.example_hosts), "sentences": sorted(fp.sentences)}
    return ("# The demo's fingerprints for `plansite check --publish`, made by scripts/demo_fingerprints.py\n"
            "# from plan_data/, mkdocs.yml, docs/about.md and the docs' example addresses. Do not edit by hand.\n"
            + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100))


@lru_cache(maxsize=1)
def demo_fingerprints() -> Fingerprints:
    """The fingerprints shipped with the package."""
    raw = yaml.safe_load(files("plansite").joinpath(FINGERPRINTS).read_text(encoding="utf-8"))
    return Fingerprints(tuple(raw["cities"]), tuple(raw["schools"]), frozenset(raw["sentences"]),
                        frozenset(raw["example_hosts"]))


# ------------------------------------------------------------------ a site's texts


def data_fields(data: PlanData, data_dir: Path | None = None) -> Iterator[Field]:
    """Every name and text of the data, with the file and line it was written on (as near as the
    model keeps it: an item's own line, a key's line, else the entity's first line)."""
    lines = _Lines(data_dir)
    for s in data.schools.values():
        f = s.where.file
        for key in ("name", "short_name", "city", "district"):
            value = getattr(s, key)
            if value:
                yield Field(f, lines.key(f, key, s.where.line), key, value, f"schools/{s.id}", name=True)
        for key in ("motto", "features"):
            value = getattr(s, key)
            if value:
                yield Field(f, lines.key(f, key, s.where.line), key, value, f"schools/{s.id}")
    for p in data.plans.values():
        f, entity = p.where.file, f"plans/{p.id}"
        yield Field(f, lines.key(f, "title", p.where.line), "title", p.title, entity, name=True)
        if p.guiding:
            yield Field(f, lines.key(f, "guiding", p.where.line), "guiding", p.guiding, entity)
        for n, goal in enumerate(p.goals):
            yield Field(f, lines.find(f, goal, lines.key(f, "goals", p.where.line)), f"goals[{n}]", goal, entity)
        if p.measures:
            mf = p.measures_file or f
            for piece, _ in sentences(p.measures):
                yield Field(mf, lines.find(mf, piece, 1 if p.measures_file else lines.key(f, "measures", p.where.line)),
                            "measures", piece, entity)
        for b, block in enumerate(p.schedule):
            for i, item in enumerate(block.items):
                yield Field(f, item.line, f"schedule[{b}].items[{i}]", item.text, entity)
    for pr in data.projects.values():
        f, entity = pr.where.file, f"projects/{pr.id}"
        yield Field(f, lines.key(f, "title", pr.where.line), "title", pr.title, entity, name=True)
        if pr.issuer:  # often a real body (江苏省教育科学规划领导小组办公室): its city only
            yield Field(f, lines.key(f, "issuer", pr.where.line), "issuer", pr.issuer, entity, sentences=False)
        if pr.summary:
            yield Field(f, lines.key(f, "summary", pr.where.line), "summary", pr.summary, entity)


class _Lines:
    """A data file's lines, read once, to put a message on the line a text was written on."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self.cache: dict[str, list[str]] = {}

    def _read(self, file: str) -> list[str]:
        if file not in self.cache:
            try:
                text = (self.data_dir / file).read_text(encoding="utf-8-sig") if self.data_dir else ""
            except (OSError, UnicodeDecodeError):
                text = ""
            self.cache[file] = text.splitlines()
        return self.cache[file]

    def key(self, file: str, key: str, default: int) -> int:
        return next((n for n, line in enumerate(self._read(file), 1) if line.startswith(f"{key}:")), default)

    def find(self, file: str, text: str, default: int) -> int:
        needle = text.strip()[:12]
        return next((n for n, line in enumerate(self._read(file), 1) if needle and needle in line), default)


# ------------------------------------------------------------------ finding the demo in a site


def demo_traces(fields: Iterable[Field], fp: Fingerprints | None = None) -> list[Trace]:
    """Where the fields say what the demo says: its city or a school's name in a name, or its
    sentences (one of DISTINCT_SENTENCE characters, or ENOUGH_SHORT shorter ones in one entity)."""
    fp = fp or demo_fingerprints()
    out: list[Trace] = []
    matched: dict[str, list[tuple[Field, str, str]]] = {}
    for f in fields:
        city = next((c for c in fp.cities if c in f.text), None)
        school = next((s for s in fp.schools if s in f.text), None) if f.name else None
        if school:
            out.append(Trace(f.file, f.line, f.field, "school", school))
        elif city:
            out.append(Trace(f.file, f.line, f.field, "city", city))
        for piece, key in sentences(f.text) if f.sentences else ():
            if sentence_hash(key) in fp.sentences:
                matched.setdefault(f.entity, []).append((f, _MARKUP.sub("", piece), key))
    for found in matched.values():
        long = [m for m in found if len(m[2]) >= DISTINCT_SENTENCE and not m[0].name]
        if long or len(found) >= ENOUGH_SHORT:
            f, piece, _ = (long or found)[0]
            out.append(Trace(f.file, f.line, f.field, "text", piece, len(found)))
    return out


def text_trace(text: str, fp: Fingerprints | None = None) -> str | None:
    """What the demo says in one short text (a line of a page, the site's name or copyright): its
    city, a school's name or any one of its sentences; None when nothing."""
    fp = fp or demo_fingerprints()
    mark = next((s for s in fp.schools if s in text), None) or next((c for c in fp.cities if c in text), None)
    return mark or next((_MARKUP.sub("", piece) for piece, key in sentences(text) if sentence_hash(key) in fp.sentences),
                        None)


def page_traces(text: str, fp: Fingerprints | None = None) -> tuple[int, str] | None:
    """The first line of a hand-written page (docs/*.md) that says what the demo says: (line, mark)."""
    for n, line in enumerate(text.splitlines(), 1):
        mark = text_trace(line, fp)
        if mark:
            return n, mark
    return None
