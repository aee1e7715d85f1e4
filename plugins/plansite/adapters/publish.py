"""`plansite check --publish`: what must be true before a school's or district's site goes online.

On top of the loader's checks it refuses, each with file:line, the field and the fix: a placeholder
in a name or title (待填写/待填寫, 某某, XX, ×××, *** anywhere in it), a site_url that is not a public
https:// address (unset, an IP address, localhost, a trailing dot, credentials, an example address of
the docs: the calendar subscription links and the sitemap would point nowhere), the demo's city,
schools and texts anywhere in plan_data or the site's own pages (fingerprints.py), two plans that are
the same text (≥ 80 %), a plan whose title names a year its term does not contain, a school with
no plan, a plan with no schedule (unless it says `schedule: []`), text that reads as a template
essay (范文, XX学校, ×××, 20XX, X月X日 in a title, a name or a schedule item), and URL names not
stored in slugs.yml (with the one command that stores them). The Pages workflow that `plansite new`
writes runs it before deploying; `plansite import` lists the data's share (open_problems) in its
review. This repository's demo does not pass it, by design: its text is fictional.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .fingerprints import (Field, Fingerprints, Trace, data_fields, demo_fingerprints, demo_traces, page_traces,
                           text_trace)
from ..importer import ids
from ..input.load import load_plan_data
from ..importer.review import DUPLICATE_RATIO, similarity, term_for_year, text_of, title_year_conflict
from ..input.load import LoadResult, load_plan_data
from .mkdocsyml import load_mkdocs_yml
from .siteurl import public_url_problem
from ..input.model import Plan, PlanData
from ..input.yamlsrc import Problem

SITE_URL_HINT = ("写上网站真实的地址，例如 site_url: https://jky.school.edu.cn/（换成你们自己的域名）；GitHub Pages "
                 "的工作流会用 SITE_URL 环境变量填上它（site_url: !ENV [SITE_URL, \"https://…/\"]）")


@dataclass
class SiteConfig:
    """What the publish check needs from mkdocs.yml, with the line of each key."""

    file: str
    site_url: str | None
    site_name: str
    copyright: str
    docs_dir: Path
    data_dir: Path
    lines: dict[str, int]


class SiteConfigError(Exception):
    """mkdocs.yml cannot be read; the message is for the user, as a located Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_site_config(config: Path) -> SiteConfig:
    """The publish check's view of mkdocs.yml. Raises SiteConfigError, located, when it cannot be read."""
    hint = "mkdocs.yml 是一个 YAML 映射：每行“键: 值”，例如 site_url: https://jky.school.edu.cn/"
    try:
        text = config.read_text(encoding="utf-8-sig")
        raw = load_mkdocs_yml(text) or {}
    except (OSError, UnicodeDecodeError) as e:
        raise SiteConfigError(Problem(config.name, 0, "", f"读不了：{e}", "确认文件存在、以 UTF-8 保存")) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise SiteConfigError(Problem(config.name, mark.line + 1 if mark else 0, "",
                                      f"YAML 写法有误（{getattr(e, 'problem', None) or e}）", hint)) from e
    if not isinstance(raw, dict):
        raise SiteConfigError(Problem(config.name, 1, "", "不是“键: 值”的映射", hint))
    lines = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"([a-z_]+):", line)
        if m and m.group(1) not in lines:
            lines[m.group(1)] = n
        if re.match(r"\s+-\s+plansite\b", line):
            lines.setdefault("plansite", n)
    options: dict[str, Any] = {}
    plugins = raw.get("plugins")
    for plugin in plugins if isinstance(plugins, list) else []:
        if isinstance(plugin, dict) and isinstance(plugin.get("plansite"), dict):
            options = plugin["plansite"]
    root = config.parent
    return SiteConfig(
        file=config.name, site_url=(str(raw.get("site_url") or "").strip() or None),
        site_name=str(raw.get("site_name") or ""), copyright=str(raw.get("copyright") or ""),
        docs_dir=root / str(raw.get("docs_dir") or "docs"), data_dir=root / str(options.get("data_dir") or "plan_data"),
        lines=lines)


def publish_problems(config: SiteConfig, result: LoadResult | None = None, shown_dir: str | None = None) -> list[Problem]:
    """Everything that stops a publish, located. Loader errors come first (the data must load).
    shown_dir: the data folder as the user names it on the command line (for the commands in hints)."""
    result = result or load_plan_data(config.data_dir)
    fp = demo_fingerprints()
    found = _site_problems(config, fp)
    if result.data is not None:
        found += open_problems(result, config.data_dir, config.data_dir.name, shown_dir, fp)
    return list(result.errors) + sorted(found, key=_natural)


def open_problems(result: LoadResult, data_dir: Path, shown_root: str = "plan_data", shown_dir: str | None = None,
                  fp: Fingerprints | None = None) -> list[Problem]:
    """What in the data stops a publish (no site settings): data_problems and the URL names not
    stored yet. Empty when the data does not load (the loader's errors say why), sorted as a person reads."""
    if result.data is None:
        return []
    found = data_problems(result.data, shown_root, data_dir, fp) + unstored_slugs(result, shown_root, shown_dir)
    return sorted(found, key=_natural)


def unstored_slugs(result: LoadResult, shown_root: str = "plan_data", shown_dir: str | None = None) -> list[Problem]:
    """URL names made from the names (pinyin) but not stored in slugs.yml: a pypinyin upgrade or a new
    school of the same reading would move them after publishing. One problem, with the one command."""
    new = [(kind, eid, slug) for kind, entries in sorted(result.new_slugs.items()) for eid, slug in sorted(entries.items())]
    if not new:
        return []
    shown = "、".join(f"{kind}/{eid} → {slug}" for kind, eid, slug in new[:3]) + (" 等" if len(new) > 3 else "")
    return [Problem(f"{shown_root}/slugs.yml", 1, "", f"{len(new)} 个网址名还没有登记（{shown}）：发布后它们可能随拼音库"
                    "或新加的学校改变，已经分享出去的链接就会失效",
                    f"运行 plansite slugs {shown_dir or shown_root} --write 登记它们，再把 {shown_root}/slugs.yml 一起提交")]


def _natural(p: Problem) -> tuple:
    """File order as a person reads it: school-2 before school-10."""
    return (tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.file)), p.line, p.field)


def _site_problems(c: SiteConfig, fp: Fingerprints) -> list[Problem]:
    out = []
    reason = public_url_problem(c.site_url, fp.example_hosts)
    if reason:
        what = f"网站地址 {c.site_url} {reason}" if c.site_url else "没有写网站地址"
        out.append(Problem(c.file, c.lines.get("site_url", 1), "site_url",
                           f"{what}：日历订阅（webcal://）链接、站点地图和 404 页都会指向一个不存在的地址",
                           SITE_URL_HINT))
    for key, value in (("site_name", c.site_name), ("copyright", c.copyright)):
        line = c.lines.get(key, 1)
        mark = ids.placeholder_in(value)
        if mark:
            out.append(Problem(c.file, line, key, f"“{value}”里有占位文字“{mark}”",
                               f"在 {c.file} 里把 {key} 改成本校（本区）自己的{_SITE_KEYS[key]}"))
        demo = text_trace(value, fp)
        if demo:
            out.append(Problem(c.file, line, key, f"还是演示站的文字（“{demo}”）",
                               f"在 {c.file} 里把 {key} 改成本校（本区）自己的{_SITE_KEYS[key]}"))
    for page in sorted(c.docs_dir.rglob("*.md")) if c.docs_dir.is_dir() else []:
        try:
            found = page_traces(page.read_text(encoding="utf-8-sig", errors="replace"), fp)
        except OSError:
            continue
        if found:
            rel = page.relative_to(c.docs_dir.parent).as_posix()
            out.append(Problem(rel, found[0], "", f"还是演示站的文字（“{found[1]}”）", "改成本站自己的说明，或删掉这一行"))
    return out


_SITE_KEYS = {"site_name": "站点名，例如 江北区实验小学教科室", "copyright": "版权说明，例如 © 2026 江北区实验小学教科室"}


def _line_of(data_dir: Path | None, file: str, key: str, default: int) -> int:
    if data_dir is None:
        return default
    try:
        for n, line in enumerate((data_dir / file).read_text(encoding="utf-8-sig").splitlines(), 1):
            if line.startswith(f"{key}:"):
                return n
    except (OSError, UnicodeDecodeError):
        pass
    return default


def data_problems(data: PlanData, shown_root: str = "plan_data", data_dir: Path | None = None,
                  fp: Fingerprints | None = None) -> list[Problem]:
    out = []
    if not data.plans:
        out.append(Problem(shown_root, 0, "", "还没有任何计划：发布出去是一个空网站",
                           "先导入计划（plansite import 计划.docx --term 2026秋），或照编辑指南写一份"))
    fields = list(data_fields(data, data_dir))
    placeholders = [f for f in fields
                    if f.field in _PLACEHOLDER_FIELDS and not f.entity.startswith("projects/") and ids.placeholder_in(f.text)]
    out += [_placeholder_problem(f, shown_root) for f in placeholders]
    out += template_problems([f for f in fields if f not in placeholders], shown_root)
    out += [_demo_problem(t, shown_root) for t in demo_traces(fields, fp)]
    for school in data.schools.values():
        f = f"{shown_root}/{school.where.file}"
        if not data.plans_of(school.id):
            out.append(Problem(f, school.where.line, "", f"学校“{school.name}”没有任何计划，发布后是一个空页面",
                               f"导入或编写它的计划（plan_data/plans/ 里 school: {school.id}），或删掉这个文件"))
    for plan in data.plans.values():
        year = title_year_conflict(plan.title, plan.term)
        if year:
            f = f"{shown_root}/{plan.where.file}"
            right = term_for_year(plan.term, year)
            out.append(Problem(f, _line_of(data_dir, plan.where.file, "term", plan.where.line), "term",
                               f"标题写的是 {year} 年（“{plan.title}”），学期却是 {plan.term.label}",
                               f"把 {f} 的 term 改成 {right}（并核对行事历的月份），或改正标题里的年份"))
    out += unscheduled_plans(data, shown_root)
    for a, b, ratio in duplicate_plans(data):
        out.append(Problem(f"{shown_root}/{b.where.file}", b.where.line, "",
                           f"与 {shown_root}/{a.where.file} 的文字 {ratio:.0%} 相同：同一份计划发布了两次",
                           f"只留一份：删掉 {shown_root}/{b.where.file}（和同名 .md），或删掉另一份"))
    return out


_PLACEHOLDER_FIELDS = {"name": "学校全称，例如 江北区实验小学", "short_name": "简称，例如 江北实小",
                       "title": "计划的真实标题，例如 江北区实验小学2026年秋季学期教科室工作计划"}


_TEMPLATE_FIELDS = ("name", "short_name", "title")


def template_problems(fields: list[Field], root: str) -> list[Problem]:
    """Text that reads as a template essay (范文, XX学校, 20XX, X月X日 …) in a title, a name or a
    schedule item: one problem for each school, plan or project, at its first such text. A plan that
    says `schedule: []` is no exception: what it does say is still a template's."""
    found: dict[str, list[tuple[Field, str]]] = {}
    for f in fields:
        if f.field in _TEMPLATE_FIELDS or f.field.startswith("schedule["):
            mark = ids.template_in(f.text)
            if mark:
                found.setdefault(f.entity, []).append((f, mark))
    out = []
    for entity, hits in found.items():
        f, mark = hits[0]
        more = f"；另有 {len(hits) - 1} 处同样的模板文字" if len(hits) > 1 else ""
        kind = "计划" if entity.startswith("plans/") else "课题" if entity.startswith("projects/") else "学校"
        out.append(Problem(f"{root}/{f.file}", f.line, f.field, f"“{_clip(f.text)}”读起来是范文或模板（“{mark}”），"
                           f"不是本校真实的{kind}{more}",
                           f"范文、模板不能发布：换成本校真实的{kind}（校名、年份、日期照实写），"
                           f"或删掉 {root}/{f.file}" + ("（和同名 .md）" if kind == "计划" else "")))
    return out


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def _placeholder_problem(f: Field, root: str) -> Problem:
    mark = ids.placeholder_in(f.text)
    return Problem(f"{root}/{f.file}", f.line, f.field, f"“{f.text}”是占位名（“{mark}”），不是真实的名字",
                   f"把 {f.field} 改成{_PLACEHOLDER_FIELDS[f.field]}（导入报告 导入报告.md 里写着它来自哪份原文）")


_DEMO_WHAT = {"city": "演示站虚构的城市", "school": "演示站虚构的学校"}


def _demo_problem(t: Trace, root: str) -> Problem:
    if t.kind == "text":
        what = (f"与 PlanSite 演示站的虚构计划有 {t.count} 句相同（“{t.mark}”）" if t.count > 1
                else f"是 PlanSite 演示站的虚构文字（“{t.mark}”）")
    else:
        what = f"“{t.mark}”是{_DEMO_WHAT[t.kind]}"
    return Problem(f"{root}/{t.file}", t.line, t.field, f"{what}：演示数据不能发布",
                   f"换成本校自己的内容（plansite import 导入本校的计划），或删掉 {root}/{t.file}")


def plan_text(plan: Plan) -> str:
    items = [item.text for block in plan.schedule for item in block.items]
    return text_of([plan.guiding or "", *plan.goals, plan.measures or "", *items])


def duplicate_plans(data: PlanData) -> list[tuple[Plan, Plan, float]]:
    """Pairs of plans that are the same text (≥ 80 %). Candidates share sampled 6-character pieces
    (an inverted index), so a district of hundreds of plans is not compared pair by pair."""
    texts = {pid: plan_text(p) for pid, p in data.plans.items()}
    samples: dict[str, set[str]] = {}
    index: dict[str, list[str]] = {}
    for pid, text in texts.items():
        pieces = {text[i:i + 6] for i in range(0, max(len(text) - 5, 0))}
        picked = {p for p in pieces if hash_piece(p) % 8 == 0}
        samples[pid] = picked
        for p in picked:
            index.setdefault(p, []).append(pid)
    # pieces most plans share (工作计划, 教科室 …) say nothing about two plans being one: left out
    common = {p for p, owners in index.items() if len(owners) > max(10, len(texts) // 20)}
    for pid in samples:
        samples[pid] -= common
    out = []
    ids = list(texts)
    for a in ids:
        shared: dict[str, int] = {}
        for p in samples[a]:
            for b in index[p]:  # common pieces are gone from samples, so these lists are short
                if b > a:
                    shared[b] = shared.get(b, 0) + 1
        for b, count in sorted(shared.items()):
            if count < 0.5 * min(len(samples[a]), len(samples[b])):
                continue
            ratio = similarity(texts[a], texts[b])
            if ratio >= DUPLICATE_RATIO:
                out.append((data.plans[a], data.plans[b], ratio))
    return out


def hash_piece(piece: str) -> int:
    """A stable hash (Python's str hash changes per process)."""
    return zlib.crc32(piece.encode("utf-8"))


def unscheduled_plans(data: PlanData, shown_root: str = "plan_data") -> list[Problem]:
    """Plans with no schedule, unless their file says `schedule: []` on purpose: an import that read
    no 行事历 out of a page that had one must not go online as a plan with nothing to show."""
    out = []
    for plan in data.plans.values():
        if plan.schedule or plan.no_schedule:
            continue
        f = f"{shown_root}/{plan.where.file}"
        out.append(Problem(f, plan.where.line, "schedule",
                           f"“{plan.title}”没有行事历：导入时没有从原文读出月份或周次的安排",
                           "对照原文把行事历按月份写进 schedule（导入报告 导入报告.md 的“可能没有导入成功”列出了原文里写有日期、月份的行）；"
                           f"原文确实没有行事历时，在 {f} 里加一行 schedule: []，表示有意不写"))
    return out


def import_open_problems(data_dir: Path) -> list:
    """What plan_data holds after an import that stops a publish: the top of the import review."""
    shown = data_dir.as_posix()
    return open_problems(load_plan_data(data_dir), data_dir, shown, shown)
