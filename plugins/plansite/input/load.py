"""plan_data/ -> PlanData. Collects every problem (file:line, field, message, hint) before failing.

Layout (documented in docs/guide and README):
    plan_data/schools/<id>.yml     one school per file
    plan_data/projects/<id>.yml    one 课题 per file
    plan_data/plans/<id>.yml       one plan per file; its 工作措施 may live in plans/<id>.md
"""

from __future__ import annotations

import copy
import difflib
import os
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import model as m
from .dates import DateError, DateSpan, Term, YearMonth, parse_date_text, parse_month_label, parse_term
from .categories import CategoryFile, Taxonomy, default_taxonomy_text
from .checks import consistency_warnings
from .slugs import KINDS as SLUG_KINDS
from .slugs import assign_slugs
from .yamlsrc import FULLWIDTH_COLON_HINT, Loc, Problem, Source, load_yaml, read_text

_CATEGORY_LIST = TypeAdapter(list[CategoryFile])

KINDS = {"schools": m.SchoolFile, "projects": m.ProjectFile, "plans": m.PlanFile}
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class LoadResult:
    data: m.PlanData | None
    problems: list[Problem] = field(default_factory=list)
    new_slugs: dict[str, dict[str, str]] = field(default_factory=dict)  # generated, not yet in slugs.yml
    registry: dict[str, dict[str, str]] = field(default_factory=dict)  # slugs.yml as read

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class LoadCache:
    """What one load parsed, for the next load of the same folder (`mkdocs serve` rebuilds): a file
    is parsed again only when its modification time or size changed, and a plan is built again
    only when it, its .md or any school, project or category file changed."""

    files: dict[str, tuple[tuple[int, int], list[Problem], Source | None, BaseModel | None]] = field(default_factory=dict)
    plans: dict[str, tuple[tuple, list[Problem], m.Plan | None]] = field(default_factory=dict)
    extras: dict[str, tuple[tuple[int, int] | None, list[Problem], Any]] = field(default_factory=dict)  # slugs, categories

    def extra(self, found: tuple[Path, str] | None, stamps: dict, read, problems: list[Problem]) -> Any:
        """read(found, problems) for slugs.yml or categories.yml, again only when the file changed."""
        key = f"{read.__name__}:{found[1] if found else ''}"
        stamp = stamps.get(found[1]) if found else None
        hit = self.extras.get(key)
        if hit is None or hit[0] != stamp:
            mine: list[Problem] = []
            hit = (stamp, mine, read(found, mine))
            self.extras[key] = hit
        problems += hit[1]
        return hit[2]


def load_plan_data(data_dir: Path | str, slug_mode: str = "pinyin", cache: LoadCache | None = None) -> LoadResult:
    """Read, validate and cross-check a plan_data folder. Never raises for bad content.

    slug_mode: 'pinyin' (URLs from Chinese names, fixed by plan_data/slugs.yml) or 'id'.
    cache: reuse what an earlier load of this folder parsed from unchanged files (same result).
    """
    cache = cache if cache is not None else LoadCache()
    data_dir = Path(data_dir)
    shown_root = data_dir.name or str(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return LoadResult(None, [Problem(str(data_dir), 0, "", "找不到数据文件夹",
                                         "在 mkdocs.yml 的 plansite.data_dir 里写对路径，或运行 plansite new 创建")])
    parsed: dict[str, list[tuple[Source, BaseModel]]] = {kind: [] for kind in KINDS}
    companions: dict[str, Path] = {}
    plan_stems: set[str] = set()
    categories_file: tuple[Path, str] | None = None
    slugs_file: tuple[Path, str] | None = None
    stamps: dict[str, tuple[int, int]] = {}  # shown path -> (mtime, size)
    for path in data_files(data_dir, shown_root, problems):
        rel = path.relative_to(data_dir).as_posix()
        shown = f"{shown_root}/{rel}"
        kind, _, name = rel.partition("/")
        stat = path.stat()
        stamps[shown] = (stat.st_mtime_ns, stat.st_size)
        if rel in ("categories.yml", "categories.yaml"):
            categories_file = (path, shown)
            continue
        if rel in ("slugs.yml", "slugs.yaml"):
            slugs_file = (path, shown)
            continue
        if kind == "plans" and path.suffix == ".md" and "/" not in name:
            companions[path.stem] = path
            continue
        if kind not in KINDS or "/" in name or path.suffix not in YAML_SUFFIXES:
            if rel.lower() not in ("readme.md", "readme.txt"):
                problems.append(Problem(shown, 0, "", "这个文件不会被读取",
                                        "学校放 schools/，课题放 projects/，计划放 plans/，文件以 .yml 结尾", "warning"))
            continue
        hit = cache.files.get(shown)
        if hit is None or hit[0] != stamps[shown]:
            found: list[Problem] = []
            hit = (stamps[shown], found, *_parse_file(path, shown, kind, found))
            cache.files[shown] = hit
        _, found, src, entry = hit
        problems += found
        if src is None:
            continue
        if kind == "plans":
            plan_stems.add(path.stem)
        if entry is not None:
            parsed[kind].append((src, entry))

    taxonomy = cache.extra(categories_file, stamps, _taxonomy, problems)
    schools = _index(parsed["schools"], "学校", problems)
    projects_raw = _index(parsed["projects"], "课题", problems)
    plans_raw = _index(parsed["plans"], "计划", problems)
    _check_slugs(schools, "学校", problems, slug_mode)
    _check_slugs(projects_raw, "课题", problems, slug_mode)
    _check_slugs(plans_raw, "计划", problems, slug_mode)

    out_schools = {sid: _school(sid, src, f) for sid, (src, f) in sorted(schools.items())}
    out_projects = {pid: _project(pid, src, f, schools, problems) for pid, (src, f) in sorted(projects_raw.items())}
    out_plans: dict[str, m.Plan] = {}
    # a plan is built from its files, the schools, projects and categories
    shared = tuple(sorted((f, st) for f, st in stamps.items() if not f.startswith(f"{shown_root}/plans/")))
    for pid, (src, f) in sorted(plans_raw.items()):
        companion = companions.pop(pid, None)
        key = (shared, src.file, stamps.get(src.file), companion, companion and stamps.get(f"{shown_root}/plans/{companion.name}"))
        hit = cache.plans.get(pid)
        if hit is None or hit[0] != key:
            found = []
            hit = (key, found, _plan(pid, src, f, schools, projects_raw, companion, data_dir, taxonomy, found))
            cache.plans[pid] = hit
        _, found, plan = hit
        problems += found
        if plan:
            out_plans[pid] = plan
    for stem, path in sorted(companions.items()):
        if stem in plan_stems:
            continue
        problems.append(Problem(f"{shown_root}/plans/{path.name}", 0, "", f"找不到与之对应的计划 plans/{stem}.yml",
                                "工作措施 .md 文件要与计划的 .yml 同名", "warning"))
    data = m.PlanData(out_schools, out_plans, out_projects, taxonomy)
    registry = cache.extra(slugs_file, stamps, _registry, problems)
    explicit = {kind: {eid: f.slug for eid, (_, f) in entries.items() if f.slug}
                for kind, entries in (("schools", schools), ("plans", plans_raw), ("projects", projects_raw))}
    if not any(p.severity == "error" for p in problems):
        data, generated = assign_slugs(data, explicit, registry, slug_mode)
    else:
        generated = {}
    if not any(p.severity == "error" for p in problems):
        problems += consistency_warnings(data, shown_root)
    problems.sort(key=lambda p: (p.file, p.line, p.field, p.message))
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, problems)
    return LoadResult(data, problems, generated, registry)


def _parse_file(path: Path, shown: str, kind: str, problems: list[Problem]) -> tuple[Source | None, BaseModel | None]:
    """One school, project or plan file: read, YAML, schema. (None, None) when it cannot be read."""
    text, problem = read_text(path, shown)
    if problem is None:
        src, problem = load_yaml(text, shown)
    if problem is not None:
        problems.append(problem)
        return None, None
    return src, _validate(src, KINDS[kind], path.stem, problems)


def data_files(data_dir: Path, shown_root: str, problems: list[Problem]) -> list[Path]:
    """The files of a data folder to read, sorted. Hidden files and editors' lock files (.#x.yml)
    are skipped; a folder that cannot be read, a symlink out of the folder, a symlinked folder, a
    dangling link or a link loop is a located problem, never a traceback or silently nothing."""
    root = data_dir.resolve()
    found: list[Path] = []

    def unreadable(err: OSError) -> None:
        rel = os.path.relpath(err.filename or data_dir, data_dir).replace(os.sep, "/")
        problems.append(Problem(shown_root if rel == "." else f"{shown_root}/{rel}", 0, "", f"无法读取这个文件夹：{err.strerror}",
                                "检查文件夹的权限（ls -l），让运行 plansite 的用户能读它"))

    for folder, dirs, names in os.walk(data_dir, onerror=unreadable):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            if (here / name).is_symlink():  # not followed: a loop or a second copy of the data
                dirs.remove(name)
                shown = f"{shown_root}/{(here / name).relative_to(data_dir).as_posix()}"
                try:
                    inside = (here / name).resolve(strict=True).is_relative_to(root)
                except (OSError, RuntimeError):
                    inside = True
                if inside:
                    problems.append(Problem(shown, 0, "", "这是指向文件夹的符号链接，不会被读取",
                                            "把文件夹本身放进 plan_data", "warning"))
                else:
                    problems.append(Problem(shown, 0, "", "符号链接指向 plan_data 之外，已拒绝读取", "把文件本身放进 plan_data"))
        for name in names:
            if name.startswith("."):
                continue
            path = here / name
            shown = f"{shown_root}/{path.relative_to(data_dir).as_posix()}"
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(Problem(shown, 0, "", "符号链接指向不存在的文件（或形成循环）", "删掉这个链接，或把文件本身放进来"))
                    continue
                if not target.is_relative_to(root):
                    problems.append(Problem(shown, 0, "", "符号链接指向 plan_data 之外，已拒绝读取", "把文件本身放进 plan_data"))
                    continue
            found.append(path)
    return sorted(found)


def _read_source(found: tuple[Path, str] | None, problems: list[Problem]) -> Source | None:
    """An optional YAML file of plan_data (categories.yml, slugs.yml); its problems are collected."""
    if found is None:
        return None
    path, shown = found
    text, problem = read_text(path, shown)
    src = None
    if problem is None:
        src, problem = load_yaml(text, shown)
    if problem is not None:
        problems.append(problem)
        return None
    return src


def _registry(found: tuple[Path, str] | None, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """plan_data/slugs.yml: {schools|plans|projects: {id: slug}}; the slugs already published."""
    src = _read_source(found, problems)
    if src is None or src.data is None:
        return {}
    if not isinstance(src.data, dict):
        problems.append(src.problem((), "网址登记表应当是 schools/plans/projects 三组“id: 网址名”",
                                    "由 plansite slugs --write 生成，一般不用手改"))
        return {}
    out: dict[str, dict[str, str]] = {}
    for kind, entries in src.data.items():
        if kind not in SLUG_KINDS:
            problems.append(src.problem((kind,), f"未知的分组 {kind!r}", "只能是 schools、plans、projects"))
            continue
        if not isinstance(entries, dict):
            problems.append(src.problem((kind,), "期望“id: 网址名”的列表", "例如 qinghe: qinghe-xiaoxue"))
            continue
        seen: dict[str, str] = {}
        for eid, slug in entries.items():
            if not isinstance(slug, str) or not m.ID_RE.fullmatch(slug):
                problems.append(src.problem((kind, eid), f"网址名 {slug!r} 不合规范", m.ID_HINT))
            elif slug in m.RESERVED_SLUGS:
                problems.append(src.problem((kind, eid), *_reserved(slug)))
            elif slug in seen:
                problems.append(src.problem((kind, eid), f"网址名 {slug!r} 已分配给 {seen[slug]!r}", "每个网址名只能用一次"))
            else:
                seen[slug] = eid
        out[kind] = {eid: slug for eid, slug in entries.items() if isinstance(slug, str)}
    return out


def _taxonomy(found: tuple[Path, str] | None, problems: list[Problem]) -> Taxonomy:
    """plan_data/categories.yml when present and valid, else the taxonomy shipped with PlanSite."""
    src = _read_source(found, problems)
    if src is not None:
        taxonomy = _validate_taxonomy(src, problems)
        if taxonomy is not None:
            return taxonomy
    src, _ = load_yaml(default_taxonomy_text(), "plansite/data/categories.yml")
    return _validate_taxonomy(src, problems)


def _validate_taxonomy(src: Source, problems: list[Problem]) -> Taxonomy | None:
    if isinstance(src.data, dict) and list(src.data) == ["categories"]:
        # the web editor's form of the same list (a file it edits is a mapping): categories: [...]
        src = Source(src.file, src.data["categories"],
                     {loc[1:]: line for loc, line in src.lines.items() if loc[:1] == ("categories",)})
    if not isinstance(src.data, list):
        problems.append(src.problem((), "分类表应当是一个列表，每项有 name、slug、keywords",
                                    "例如：\n      - name: 论文评比\n        slug: lunwen\n        keywords: [论文, 征文]"))
        return None
    try:
        categories = _CATEGORY_LIST.validate_python(src.data)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            problems.append(_translate(src, CategoryFile, err))
        return None
    seen: dict[str, int] = {}
    for i, c in enumerate(categories):
        if c.slug in m.RESERVED_SLUGS:
            problems.append(src.problem((i, "slug"), *_reserved(c.slug)))
        for key in (c.name, c.slug):
            if key in seen:
                problems.append(src.problem((i,), f"类别 {key!r} 重复", f"第一次出现在第 {seen[key] + 1} 项"))
            seen.setdefault(key, i)
    return Taxonomy(tuple(categories))


# ------------------------------------------------------------------ validation


def _validate(src: Source, schema: type[BaseModel], stem: str, problems: list[Problem]) -> BaseModel | None:
    if src.data is None:
        problems.append(src.problem((), "文件是空的", _example(schema)))
        return None
    if not isinstance(src.data, dict):
        hint = FULLWIDTH_COLON_HINT if isinstance(src.data, str) and "：" in src.data else _example(schema)
        problems.append(src.problem((), "文件顶层应当是“键: 值”的形式", hint))
        return None
    data = dict(src.data)
    if "id" not in data:
        if not m.ID_RE.fullmatch(stem):
            problems.append(src.problem((), f"文件名 {stem!r} 不能直接作为 id", m.ID_HINT + "；或在文件里写 id:"))
            return None
        data["id"] = stem
    try:
        return schema.model_validate(data)
    except ValidationError as e:
        errors = e.errors(include_url=False)
    for err in errors:
        problems.append(_translate(src, schema, err))
    # Drop what failed and validate again, so that the rest of the file is still cross-checked
    # (unknown ids, dates) and the user sees every problem in one run. The result is only used
    # for checks: the load fails anyway.
    pruned = copy.deepcopy(data)
    for _ in range(3):
        if any(err["type"] == "missing" for err in errors):
            return None
        for loc in sorted({_clean(err["loc"]) for err in errors}, key=_loc_key, reverse=True):
            _delete(pruned, loc)
        try:
            return schema.model_validate(pruned)
        except ValidationError as e:
            errors = e.errors(include_url=False)
    return None


def _clean(loc: tuple) -> Loc:
    """pydantic locs may carry validator names ('function-before[...]'); keep keys and indexes."""
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _loc_key(loc: Loc) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in loc)


def _delete(data: Any, loc: Loc) -> None:
    for part in loc[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return
    if not loc:
        return
    try:
        del data[loc[-1]]
    except (KeyError, IndexError, TypeError):
        pass


def _translate(src: Source, schema: type[BaseModel], err: dict[str, Any]) -> Problem:
    loc = _clean(err["loc"])
    kind = err["type"]
    value = err.get("input")
    hint = ""
    if kind == "missing":
        name = loc[-1]
        fields = _fields_at(schema, loc[:-1])
        desc = fields.get(name).description if fields and name in fields else ""
        message = f"缺少必填字段 {name!r}"
        hint = f"{name}: {desc}" if desc else ""
        return src.problem(loc[:-1], message, hint)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = sorted(_fields_at(schema, loc[:-1]) or {})
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        message = f"未知字段 {name!r}"
        hint = (f"是不是想写 {close[0]!r}？" if close else "") + f"可用的字段：{', '.join(known)}"
        return src.problem(loc, message, hint)
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind in ("string_type", "str_type"):
        message = f"期望一段文字，实际为{_shape(value)}"
        hint = "文字里有冒号、# 或以 - 开头时，整个值加引号"
    elif kind == "list_type":
        message = f"期望一个列表，实际为{_shape(value)}"
        hint = "列表的每一项单独一行，以“- ”开头"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"期望“键: 值”形式的对象，实际为{_shape(value)}"
    elif kind == "too_short":
        message = "至少需要一项"
        hint = "例如：\n      - 第一项"
    elif kind == "string_too_short":
        message = "不能为空"
    else:
        message = err["msg"]
    if not hint:  # the field's own description teaches what it takes
        fields = _fields_at(schema, tuple(p for p in loc[:-1]))
        name = loc[-1] if loc else None
        if fields and isinstance(name, str) and name in fields and fields[name].description:
            hint = f"{name}：{fields[name].description}"
        elif isinstance(name, int) and loc[:-1] and (parent := _fields_at(schema, loc[:-2])) and loc[-2] in parent:
            hint = f"{loc[-2]} 的每一项：{parent[loc[-2]].description}"
    return src.problem(loc, message, hint)


def _shape(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象（键值）"
    if value is None:
        return "空值"
    return f" {value!r}"


def _fields_at(schema: type[BaseModel], loc: Loc) -> dict[str, Any] | None:
    """The pydantic fields of the model found at loc inside schema (None if not a model)."""
    current: Any = schema
    for part in loc:
        if isinstance(part, int):
            continue
        model = _model_in(current)
        if model is None or part not in model.model_fields:
            return None
        current = model.model_fields[part].annotation
    model = _model_in(current)
    return dict(model.model_fields) if model else None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _example(schema: type[BaseModel]) -> str:
    required = [n for n, f in schema.model_fields.items() if f.is_required()]
    return "至少需要这些字段：" + "、".join(required)


# ------------------------------------------------------------------ cross-checks


def _index(entries: list[tuple[Source, Any]], what: str, problems: list[Problem]) -> dict[str, tuple[Source, Any]]:
    out: dict[str, tuple[Source, Any]] = {}
    for src, f in entries:
        if f.id is None:  # the id itself was wrong; that is reported already
            continue
        if f.id in out:
            first = out[f.id][0]
            problems.append(src.problem(("id",), f"{what} id {f.id!r} 重复",
                                        f"已在 {first.file}:{first.line_of(('id',))} 使用；每个{what}的 id 必须唯一"))
            continue
        out[f.id] = (src, f)
    return out


def _reserved(slug: str) -> tuple[str, str]:
    return (f"网址名 {slug!r} 是生成页面（目录页、“未分类”页）用的名字，会替换掉那一页",
            f"换一个网址名，例如 {slug}-1")


def _check_slugs(entries: dict[str, tuple[Source, Any]], what: str, problems: list[Problem], mode: str) -> None:
    seen: dict[str, str] = {}
    for eid, (src, f) in sorted(entries.items()):
        slug = f.slug or eid
        if slug in m.RESERVED_SLUGS and (f.slug or mode == "id"):
            problems.append(src.problem(("slug",) if f.slug else ("id",), *_reserved(slug)))
        if slug in seen and seen[slug] != eid:
            problems.append(src.problem(("slug",), f"{what}网址 {slug!r} 与 {seen[slug]!r} 冲突", "给其中一个写不同的 slug"))
        seen.setdefault(slug, eid)


def _unknown(kind: str, ref: str, known: typing.Iterable[str]) -> tuple[str, str]:
    known = sorted(known)
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
    listing = "、".join(known[:12]) + ("……" if len(known) > 12 else "") if known else "（还没有）"
    hint = (f"是不是 {close[0]!r}？" if close else "") + f"已有的{kind} id：{listing}"
    return f"找不到{kind} {ref!r}", hint


def _where(src: Source) -> m.Where:
    return m.Where(src.file.partition("/")[2], src.line_of(()))


def _school(sid: str, src: Source, f: m.SchoolFile) -> m.School:
    return m.School(sid, f.slug or sid, f.name, f.short_name, f.province, f.city, f.district, f.stage,
                    f.website, f.motto, f.features, _where(src))


# Years a plan can be in: calendars (.ics), JavaScript dates and 32-bit clocks all hold these, and
# year 0, 9999 or 2107 is a typing slip
YEARS = range(1900, 2101)
_YEAR_HINT = f"年份要在 {YEARS.start}～{YEARS.stop - 1} 之间；检查是否多打或少打了数字，例如 2026秋"


def _term(src: Source, loc: Loc, text: str, problems: list[Problem]) -> Term | None:
    try:
        term = parse_term(text)
    except DateError as e:
        problems.append(src.problem(loc, e.message, e.hint))
        return None
    if term.start.year not in YEARS or term.end.year not in YEARS:
        problems.append(src.problem(loc, f"学期 {text!r} 的年份超出范围", _YEAR_HINT))
        return None
    return term


def _project(pid: str, src: Source, f: m.ProjectFile, schools: dict, problems: list[Problem]) -> m.Project:
    for i, sid in enumerate(f.schools):
        if sid not in schools:
            problems.append(src.problem(("schools", i), *_unknown("学校", sid, schools)))
    stages = []
    for i, st in enumerate(f.stages):
        term = _term(src, ("stages", i, "term"), st.term, problems) if st.term else None
        if st.date:
            try:
                YearMonth.parse(st.date[:7]) if len(st.date) <= 7 else _iso_day(st.date)
                if int(st.date[:4]) not in YEARS:
                    raise ValueError(st.date)
            except (DateError, ValueError):
                problems.append(src.problem(("stages", i, "date"), f"无法识别的日期 {st.date!r}",
                                            "写成 YYYY-MM 或 YYYY-MM-DD，例如 2026-03 或 2026-03-15"))
        stages.append(m.ProjectStage(st.stage, term, st.date, st.note, src.line_of(("stages", i))))
    return m.Project(pid, f.slug or pid, f.title, f.level, f.issuer, f.cycle, tuple(f.schools), f.host,
                     tuple(f.members), tuple(stages), f.summary, _where(src))


def _iso_day(text: str) -> None:
    date.fromisoformat(text)


def _plan(pid: str, src: Source, f: m.PlanFile, schools: dict, projects: dict, companion: Path | None,
          data_dir: Path, taxonomy: Taxonomy | None, problems: list[Problem]) -> m.Plan | None:
    ok = True
    if f.school not in schools:
        problems.append(src.problem(("school",), *_unknown("学校", f.school, schools)))
        ok = False
    term = _term(src, ("term",), f.term, problems)
    measures, measures_file = f.measures, None
    if companion is not None:
        shown = f"{data_dir.name}/plans/{companion.name}"
        if f.measures:
            problems.append(src.problem(("measures",), f"工作措施同时写在了 measures 字段和 {shown} 里",
                                        "只保留一处：删除 measures 字段，或删除 .md 文件"))
        text, problem = read_text(companion, shown)
        if problem:
            problems.append(problem)
        else:
            measures, measures_file = text, f"plans/{companion.name}"
    plan_projects = []
    for i, pp in enumerate(f.projects):
        if pp.id not in projects:
            problems.append(src.problem(("projects", i), *_unknown("课题", pp.id, projects)))
        elif f.school in schools and f.school not in projects[pp.id][1].schools:
            problems.append(src.problem(("projects", i), f"课题 {pp.id!r} 的承担学校里没有 {f.school!r}",
                                        f"在 projects/{pp.id}.yml 的 schools 里加上 {f.school}", "warning"))
        plan_projects.append(m.PlanProject(pp.id, pp.stage, pp.note, src.line_of(("projects", i))))
    blocks = []
    for b, block in enumerate(f.schedule):
        months = _block_months(src, ("schedule", b), block, term, problems)
        items = []
        for i, item in enumerate(block.items):
            loc = ("schedule", b, "items", i)
            for j, ref in enumerate(item.projects):
                if ref not in projects:
                    problems.append(src.problem(loc + ("projects", j), *_unknown("课题", ref, projects)))
            span = _item_date(src, loc + ("date",), item.date, term, months, problems) if item.date else None
            category, source = _category(src, loc, item, taxonomy, problems)
            items.append(m.Item(item.text, span, item.who, category, tuple(item.projects), item.id,
                                src.line_of(loc), source))
        blocks.append(m.Block(block.label, tuple(months), tuple(items)))
    _check_item_ids(src, f, problems)
    if not ok or term is None:
        return None
    return m.Plan(pid, f.slug or pid, f.school, term, f.title, f.office, f.guiding, tuple(f.goals), measures,
                  tuple(plan_projects), tuple(blocks), _where(src), measures_file,
                  no_schedule="schedule" in f.model_fields_set and not f.schedule)


def _category(src: Source, loc: Loc, item: m.ItemFile, taxonomy: Taxonomy | None,
              problems: list[Problem]) -> tuple[str | None, str | None]:
    if item.category:
        if taxonomy and item.category not in taxonomy.names:
            problems.append(src.problem(loc + ("category",), f"类别 {item.category!r} 不在分类表里",
                                        f"可用的类别：{'、'.join(taxonomy.names)}；或在 plan_data/categories.yml 里添加",
                                        "warning"))
        return item.category, "data"
    guess = taxonomy.classify(item.text) if taxonomy else None
    return guess, ("keywords" if guess else None)


def _block_months(src: Source, loc: Loc, block: m.BlockFile, term: Term | None,
                  problems: list[Problem]) -> list[YearMonth]:
    if block.months:
        out = []
        for j, text in enumerate(block.months):
            try:
                ym = YearMonth.parse(text)
            except DateError as e:
                problems.append(src.problem(loc + ("months", j), e.message, e.hint))
                continue
            if ym.year not in YEARS:
                problems.append(src.problem(loc + ("months", j), f"月份 {text!r} 的年份超出范围", _YEAR_HINT))
                continue
            if term and ym not in term.months:
                problems.append(src.problem(loc + ("months", j), f"{ym} 不在{term.label}（{term.start}～{term.end}）之内",
                                            "检查年份，或修改计划的 term"))
            out.append(ym)
        return out
    try:
        numbers = parse_month_label(block.label)
    except DateError as e:
        problems.append(src.problem(loc + ("label",), e.message, e.hint + "；也可以用 months: [2026-09] 直接给出"))
        return []
    if term is None:
        return []
    out = []
    for n in numbers:
        try:
            out.append(term.resolve_month(n))
        except DateError as e:
            problems.append(src.problem(loc + ("label",), f"月份标题 {block.label!r}：{e.message}", e.hint))
    return out


def _item_date(src: Source, loc: Loc, text: str, term: Term | None, months: list[YearMonth],
               problems: list[Problem]) -> DateSpan | None:
    if term is None:
        return None
    try:
        span = parse_date_text(text, term, months)
    except DateError as e:
        problems.append(src.problem(loc, e.message, e.hint))
        return None
    if months and YearMonth(span.start.year, span.start.month) not in months:
        problems.append(src.problem(loc, f"日期 {text!r} 不在所在月份标题覆盖的月份（{'、'.join(map(str, months))}）里",
                                    "把这一条移到对应月份下，或改正日期", "warning"))
    return span


def _check_item_ids(src: Source, f: m.PlanFile, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for b, block in enumerate(f.schedule):
        for i, item in enumerate(block.items):
            if item.id and item.id in seen:
                problems.append(src.problem(("schedule", b, "items", i, "id"), f"条目 id {item.id!r} 在本计划中重复",
                                            "每条的 id 在同一份计划里必须唯一"))
            if item.id:
                seen.add(item.id)
