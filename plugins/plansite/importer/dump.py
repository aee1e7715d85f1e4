"""Parsed plans -> plan_data files (schools/, plans/ + .md, projects/), checked and written safely.

Nothing is written until everything is known to be right: every output is built in memory, files
that exist are compared (identical: left alone; different: a conflict unless --force), the result
is loaded with load_plan_data in a scratch copy, and only then is each file written through a
temporary file and os.replace, so an interrupted import leaves no half-written YAML.

Schools: the school the text names (or --school) gets schools/<pinyin>.yml; a plan whose text names
no school gets a placeholder school of its own, id school-<n>, name 待填写校名<n> (never the
file name, which may be a download site's hash), to be renamed by hand; `plansite check --publish`
refuses it. An existing school file is reused, never rewritten.

Near-duplicate plans (the same text ≥ 80 %, importer/review.py) are imported once; the copy is
skipped and reported, unless --keep-duplicates.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import yaml

from ..input.dates import DateError, Term, YearMonth, parse_date_text
from ..input.load import load_plan_data
from ..input.model import STAGES
from ..input.projects import title_key
from ..input.slugs import unique
from ..input.yamlsrc import load_yaml, read_text
from . import ids
from .meta import fit_term, term_text
from .outline import md_escape
from .result import Block, FileResult, ParsedPlan, Unplaced
from .review import DUPLICATE_RATIO, plan_lines, similarity, title_year_conflict

_OFFICES = ("教科室", "教研室", "教导处", "教务处", "科研室", "教科研室", "教研组")
_STAGE_OF_SCHOOL = (("幼儿园", "幼儿园"), ("小学", "小学"), ("附小", "小学"), ("实小", "小学"), ("完小", "小学"),
                    ("初级中学", "初中"), ("初中", "初中"), ("高级中学", "高中"), ("高中", "高中"), ("中学", "中学"))


class NeedsTerm(Exception):
    """Plans whose year the text does not give; the user must say --term."""

    def __init__(self, plans: list[tuple[str, ParsedPlan]]) -> None:
        super().__init__("需要 --term")
        self.plans = plans


@dataclass(frozen=True)
class Given:
    """A school and a term given from outside a file's text, and what gave each (for the review)."""

    school: str | None = None  # a name, or the id of a school already in plan_data
    term: Term | None = None
    school_from: str = "--school"
    term_from: str = "--term"


@dataclass
class Options:
    school: str | None = None  # --school: a name, or the id of a school already in plan_data
    term: Term | None = None  # --term
    force: bool = False
    keep_duplicates: bool = False  # import plans whose text is ≥ 80 % another plan's
    files: dict[str, Given] = field(default_factory=dict)  # a file's own school and term (plansite inbox)

    def given(self, file: str) -> Given:
        """What is given for this file: its own school and term, else the command's flags."""
        return self.files.get(file) or Given(self.school, self.term)


@dataclass
class PlanReport:
    file: str
    plan: ParsedPlan
    plan_id: str
    school_id: str
    term: Term
    months: int
    items: int
    notes: list[str] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    school_from: str = ""  # --school | 标题 | 正文 | 占位
    term_from: str = ""  # 标题 | 正文 | --term | 推断
    title_year: int | None = None  # a year in the title that the term does not contain


@dataclass
class Duplicate:
    """A plan whose text is nearly another's: skipped (or kept with --keep-duplicates)."""

    file: str
    plan: ParsedPlan
    of_file: str
    of_plan: ParsedPlan
    of_id: str
    ratio: float
    kept_as: str | None  # its plan id when kept, else None


@dataclass
class Output:
    files: dict[str, str]  # path relative to plan_data -> content
    reports: list[PlanReport]
    reused: list[str]  # existing files left as they are (schools)
    duplicates: list[Duplicate] = field(default_factory=list)


# ------------------------------------------------------------------ building


class _ProjectIds:
    """One id per project: a title spelt almost alike (the loader's 0.9 similarity, the same key as
    its duplicate-title warning) is the same project, in this import and in plan_data already."""

    def __init__(self, out_dir: Path) -> None:
        self.known: list[tuple[str, str]] = []  # (title key, id)
        for pid, data in read_existing(out_dir, "projects").items():
            if isinstance(data.get("title"), str):
                self.known.append((title_key(data["title"]), str(data.get("id") or pid)))

    def id_for(self, title: str) -> str:
        key = title_key(title)
        for known, pid in self.known:
            if key == known or SequenceMatcher(None, key, known).ratio() >= 0.9:
                return pid
        pid = ids.project_id(title)
        self.known.append((key, pid))
        return pid


def build_output(results: list[FileResult], out_dir: Path, options: Options) -> Output:
    existing = _existing_schools(out_dir)
    project_ids = _ProjectIds(out_dir)
    missing = [(r.name, p) for r in results for p in r.plans
               if p.is_school_plan and p.resolved_term is None and options.given(r.name).term is None]
    if missing:
        raise NeedsTerm(missing)
    files: dict[str, str] = {}
    reports: list[PlanReport] = []
    reused: list[str] = []
    duplicates: list[Duplicate] = []
    schools: dict[str, dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    plan_ids: set[str] = set()
    placeholders: dict[tuple[str, int], tuple[str, str]] = {}  # (input file, first line) -> placeholder school
    seen: list[tuple[list[str], PlanReport]] = []  # each imported plan's text lines
    for result in results:
        given = options.given(result.name)
        for plan in result.plans:
            if not plan.is_school_plan:
                continue
            lines = plan_lines(plan)
            twin = next(((r, ratio) for other, r in seen if (ratio := similarity(lines, other)) >= DUPLICATE_RATIO), None)
            if twin and not options.keep_duplicates:
                duplicates.append(Duplicate(result.name, plan, twin[0].file, twin[0].plan, twin[0].plan_id, twin[1], None))
                continue
            sid, school, school_from = _school_for(plan, result.name, given, existing, placeholders)
            schools.setdefault(sid, school)
            text_term = plan.resolved_term
            base = text_term or given.term
            assert base is not None
            standard = [b.months for b in plan.schedule if b.kind == "month" and b.months]
            term = fit_term(base, standard)
            notes = []
            if text_term and given.term and text_term != given.term:
                notes.append(f"正文写明学期“{plan.term}”，按正文导入（未用 {given.term_from} {given.term.label}）")
            if term != base:
                notes.append(f"行事历的月份不在{base.label}之内，改用{term.label}（{term.start}～{term.end}）")
            if text_term:
                term_from = "标题" if plan.title and plan.term and plan.term in plan.title else "正文"
            else:
                term_from = given.term_from
            if term != base:
                term_from += "，按行事历的月份推断"
            pid = unique(ids.plan_id(sid, term), plan_ids)
            report = PlanReport(result.name, plan, pid, sid, term, 0, 0, notes, school_from=school_from,
                                term_from=term_from, title_year=title_year_conflict(plan.title, term))
            data, measures = _plan_yaml(plan, sid, schools[sid]["name"], term, projects, project_ids, report)
            files[f"plans/{pid}.yml"] = dump_yaml(data)
            if measures.strip():
                files[f"plans/{pid}.md"] = measures
            reports.append(report)
            if twin:
                duplicates.append(Duplicate(result.name, plan, twin[0].file, twin[0].plan, twin[0].plan_id, twin[1], pid))
            seen.append((lines, report))
    for sid, school in sorted(schools.items()):
        if sid in existing:
            reused.append(f"schools/{sid}.yml")
        else:
            files[f"schools/{sid}.yml"] = dump_yaml(school)
    for pid, project in sorted(projects.items()):
        project = {k: v for k, v in project.items() if v is not None}
        files[f"projects/{pid}.yml"] = dump_yaml(_merge_existing_project(out_dir / "projects" / f"{pid}.yml", project))
    return Output(files, reports, reused, duplicates)


def read_existing(out_dir: Path, kind: str) -> dict[str, dict[str, Any]]:
    """File stem -> data of the schools/ or projects/ already in plan_data, read as the loader reads
    them (UTF-8, safe YAML, every scalar a string). A file the loader cannot read is left out here:
    check_output reports it if this import's files depend on it."""
    out: dict[str, dict[str, Any]] = {}
    folder = out_dir / kind
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        existing = _read_yaml(path)
        if existing is not None:
            out[path.stem] = existing
    return out


def _read_yaml(path: Path) -> dict[str, Any] | None:
    text, problem = read_text(path, path.name)
    if text is None or problem is not None:
        return None
    src, problem = load_yaml(text, path.name)
    return src.data if src is not None and isinstance(src.data, dict) else None


def _existing_schools(out_dir: Path) -> dict[str, str]:
    """id -> name of the schools already in plan_data (so --school can name one, and it is reused)."""
    return {str(data.get("id") or sid): data["name"] for sid, data in read_existing(out_dir, "schools").items()
            if isinstance(data.get("name"), str)}


def _school_for(plan: ParsedPlan, file_name: str, given: Given, existing: dict[str, str],
                placeholders: dict[tuple[str, int], tuple[str, str]]) -> tuple[str, dict, str]:
    """(school id, its YAML, where the name came from: --school (or what gave it) | 标题 | 正文 | 占位)."""
    name = given.school or plan.school
    if name:
        source = given.school_from if given.school else ("标题" if name in (plan.title or "") else "正文")
        for sid, known in existing.items():
            if name in (sid, known):
                return sid, {"name": known}, source
        sid = ids.school_id(name)
        if sid in existing and existing[sid] != name:  # same pinyin, another school
            sid = f"{sid}-{ids.short_hash(name)}"
        school: dict[str, Any] = {"name": name}
        for suffix, stage in _STAGE_OF_SCHOOL:
            if name.endswith(suffix):
                school["stage"] = stage
                break
        return sid, school, source
    # One placeholder per plan: the plans of a downloaded collection are usually different schools'.
    key = (file_name, plan.first)
    if key not in placeholders:
        taken = set(existing) | {sid for sid, _ in placeholders.values()}
        n = 1
        while ids.placeholder_school(n)[0] in taken:
            n += 1
        placeholders[key] = ids.placeholder_school(n)
    sid, name = placeholders[key]
    return sid, {"name": name}, "占位"


def _plan_yaml(plan: ParsedPlan, sid: str, school_name: str, term: Term, projects: dict[str, dict],
               project_ids: _ProjectIds, report: PlanReport) -> tuple[dict[str, Any], str]:
    # an untitled plan of a placeholder school: no placeholder in a title that outlives the renaming
    title = plan.title or (f"{term.label}工作计划" if ids.is_placeholder_name(school_name)
                           else f"{school_name}{term.label}工作计划")
    data: dict[str, Any] = {"school": sid, "term": term_text(term), "title": title}
    office = next((o for o in _OFFICES if o in (plan.title or "")), None)
    if office and office != "教科室":
        data["office"] = office
    if plan.guiding:
        data["guiding"] = "\n\n".join(plan.guiding)
    if plan.goals:
        data["goals"] = list(plan.goals)
    id_of: dict[str, str] = {}
    plan_projects: list[Any] = []
    stage_of: dict[str, str | None] = {}
    for project in plan.projects:
        pid = project_ids.id_for(project.title)
        id_of[project.title] = pid
        entry = projects.setdefault(pid, {"title": project.title, "level": None, "schools": []})
        entry["level"] = entry["level"] or project.level
        if project.host and not entry.get("host"):
            entry["host"] = project.host
        if sid not in entry["schools"]:
            entry["schools"].append(sid)
        if project.stage:
            stage = {"stage": project.stage, "term": term_text(term)}
            if stage not in entry.setdefault("stages", []):
                entry["stages"].append(stage)
                entry["stages"].sort(key=lambda s: (s["term"], STAGES.index(s["stage"])))
        if pid in stage_of:  # two spellings of one title in this plan: one entry, the furthest stage
            old = stage_of[pid]
            if project.stage and (old is None or STAGES.index(project.stage) > STAGES.index(old)):
                stage_of[pid] = project.stage
        else:
            stage_of[pid] = project.stage
    note_of = {id_of[p.title]: p.note for p in plan.projects if p.note}
    for pid, stage in stage_of.items():
        entry = {"id": pid, "stage": stage, "note": note_of.get(pid)}  # 已结题, 延期一年: what the plan's table says
        entry = {k: v for k, v in entry.items() if v}
        plan_projects.append(entry if len(entry) > 1 else pid)
    if plan_projects:
        data["projects"] = plan_projects
    schedule, leftovers = [], []
    for block in plan.schedule:
        entry = _block_yaml(block, term, id_of, report)
        if entry is None:
            leftovers.append(block)
        else:
            schedule.append(entry)
    if schedule:
        data["schedule"] = schedule
    report.unplaced.extend(plan.unplaced)
    return data, plan.measures + _leftover_markdown(leftovers, plan.unplaced)


def _block_yaml(block: Block, term: Term, id_of: dict[str, str], report: PlanReport) -> dict[str, Any] | None:
    if not block.months or not block.items or not block.label:
        return None
    try:
        months = [term.resolve_month(n) for n in block.months]
    except DateError:
        report.unplaced.append(Unplaced(block.line, block.label, f"月份不在{term.label}之内，放进了工作措施"))
        return None
    entry: dict[str, Any] = {"label": block.label.rstrip("：: ")}
    if not block.standard:
        entry["months"] = [str(ym) for ym in months]
    items = []
    for item in block.items:
        date = _date_in(item.date, term, months)
        text = (item.text if date else item.raw or item.text).strip()
        if not text:
            continue
        refs = [id_of[t] for t in item.projects if t in id_of]
        if not date and not refs and not item.who:
            items.append(text)
            continue
        out: dict[str, Any] = {"text": text}
        if date:
            out["date"] = date
        if item.who:
            out["who"] = item.who
        if refs:
            out["projects"] = refs
        items.append(out)
    if not items:
        return None
    report.months += 1
    report.items += len(items)
    entry["items"] = items
    return entry


def _date_in(text: str | None, term: Term, months: list[YearMonth]) -> str | None:
    """The date only when it reads inside the term and inside its heading's months (else it stays in the text)."""
    if not text:
        return None
    for written in dict.fromkeys((text, _WEEKDAY.sub("", text).strip())):  # 9月1日（一） is 9月1日
        try:
            span = parse_date_text(written, term, months)
        except (DateError, ValueError):
            continue
        return written if YearMonth(span.start.year, span.start.month) in months else None
    return None


_WEEKDAY = re.compile(r"\s*[(（]\s*(?:周|星期)?[一二三四五六日天]\s*[)）]")


def _leftover_markdown(blocks: list[Block], unplaced: list[Unplaced]) -> str:
    parts = []
    if blocks:
        parts.append("## 未能放入行事历的安排")
        for block in blocks:
            parts.append("### " + md_escape(block.label or "（原文没有月份标题）"))
            parts.extend("- " + md_escape(item.raw or item.text) for item in block.items)
    notes = [u for u in unplaced if "说明" in u.why]
    if notes:
        parts.append("## 行事历说明")
        parts.extend(md_escape(u.text) for u in notes)
    return ("\n\n" + "\n\n".join(parts) + "\n") if parts else ""


def _merge_existing_project(path: Path, project: dict[str, Any]) -> dict[str, Any]:
    """A project already in plan_data keeps what it says; this import adds its school and stages."""
    old = _read_yaml(path) if path.is_file() else None
    if not isinstance(old, dict) or old.get("title") != project["title"]:
        return project
    merged = dict(old)
    schools = list(old.get("schools") or [])
    merged["schools"] = schools + [s for s in project["schools"] if s not in schools]
    for key in ("level", "host"):
        if project.get(key) and not old.get(key):
            merged[key] = project[key]
    stages = list(old.get("stages") or [])
    merged["stages"] = stages + [s for s in project.get("stages", []) if s not in stages]
    if not merged["stages"]:
        del merged["stages"]
    return merged


# ------------------------------------------------------------------ YAML


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    """Fixed key order, UTF-8 text, strings that look like numbers or booleans quoted by the dumper."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 20,
                     default_flow_style=False)


# ------------------------------------------------------------------ writing


@dataclass
class WritePlan:
    new: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # exist with other content, no --force
    replaced: list[str] = field(default_factory=list)  # exist with other content, --force


def plan_writes(out_dir: Path, files: dict[str, str], force: bool) -> WritePlan:
    wp = WritePlan()
    for rel, content in sorted(files.items()):
        path = out_dir / rel
        if not path.exists():
            wp.new.append(rel)
            continue
        try:
            same = path.read_text(encoding="utf-8") == content
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            wp.same.append(rel)
        elif force:
            wp.replaced.append(rel)
        else:
            wp.conflicts.append(rel)
    return wp


def check_output(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Load plan_data as it would be after the import, in a scratch copy; problems in our files."""
    with tempfile.TemporaryDirectory(prefix="plansite-import-") as tmp:
        scratch = Path(tmp) / "plan_data"
        if out_dir.is_dir():
            shutil.copytree(out_dir, scratch, symlinks=True)
        for rel, content in files.items():
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        result = load_plan_data(scratch)
    ours = {f"plan_data/{rel}" for rel in files}
    return [str(p) for p in result.problems if p.file in ours]


class ImportBusy(Exception):
    """Another import is writing into the same folder."""


@contextlib.contextmanager
def import_lock(out_dir: Path) -> Iterator[None]:
    """Hold plan_data for one import at a time, from reading what exists to the last write.

    An OS lock (flock) on the folder that holds plan_data (the data folder may not exist yet, and
    nothing is created before the import is known to be right): a killed import leaves no stale
    lock and no lock file. Windows has no flock; there the lock is not taken."""
    holder = out_dir.resolve().parent
    while not holder.is_dir() and holder != holder.parent:
        holder = holder.parent
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(holder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ImportBusy(f"另一个 plansite import 正在写入 {out_dir}") from None
        yield
    finally:
        os.close(fd)


def _write_order(rel: str) -> tuple:
    """Schools, then projects, then each plan's .md, then its .yml: an import killed between two
    writes never leaves a plan whose school or project file is missing."""
    kind = rel.split("/", 1)[0]
    return ({"schools": 0, "projects": 1}.get(kind, 2), rel.endswith((".yml", ".yaml")), rel)


def write_files(out_dir: Path, files: dict[str, str], rels: list[str]) -> None:
    """Each file through a temporary file in its own folder and os.replace: all or nothing per file."""
    for rel in sorted(rels, key=_write_order):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(files[rel])
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
