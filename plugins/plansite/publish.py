"""`plansite check --publish`: what must be true before a school's or district's site goes online.

On top of the loader's checks it refuses, each with file:line and the fix: a placeholder school
name from an import, a site_url that is unset or an example domain (the calendar subscription links
and the sitemap would point nowhere), the demo's copyright or about text in a site that is not the
demo, two plans that are the same text (≥ 80 %), a plan whose title names a year its term does not
contain, a school with no plan, and a plan with no schedule unless its file says `schedule: []`. The Pages workflow that `plansite new` writes runs it before
deploying. This repository's demo does not pass it, by design: its text is fictional.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .importer import ids
from .importer.review import DUPLICATE_RATIO, similarity, term_for_year, text_of, title_year_conflict
from .load import LoadResult, load_plan_data
from .mkdocsyml import load_mkdocs_yml
from .model import Plan, PlanData
from .yamlsrc import Problem

DEMO_MARKS = ("演示数据均为虚构", "均为虚构", "江东市", "plansite.example.org")
"""Strings that only the demo says; a real school's site must not publish them."""

EXAMPLE_HOSTS = re.compile(r"(^|\.)(example\.(com|org|net)|example|invalid|test|localhost)$|^localhost$|^127\.")


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


def publish_problems(config: SiteConfig, result: LoadResult | None = None) -> list[Problem]:
    """Everything that stops a publish, located. Loader errors come first (the data must load)."""
    result = result or load_plan_data(config.data_dir)
    found = _site_problems(config)
    if result.data is not None:
        found += data_problems(result.data, config.data_dir.name, config.data_dir)
    return list(result.errors) + sorted(found, key=_natural)


def _natural(p: Problem) -> tuple:
    """File order as a person reads it: school-2 before school-10."""
    return (tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.file)), p.line, p.field)


def _site_problems(c: SiteConfig) -> list[Problem]:
    out = []
    host = urlsplit(c.site_url).hostname if c.site_url else None
    if not host or EXAMPLE_HOSTS.search(host):
        what = f"网站地址 {c.site_url} 是示例地址" if c.site_url else "没有写网站地址"
        out.append(Problem(c.file, c.lines.get("site_url", 1), "site_url",
                           f"{what}：日历订阅（webcal://）链接、站点地图和 404 页都会指向一个不存在的地址",
                           "写上网站真实的地址，例如 site_url: https://jky.school.edu.cn/；GitHub Pages 的工作流会用 "
                           "SITE_URL 环境变量填上它（site_url: !ENV [SITE_URL, \"https://…/\"]）"))
    for key, value in (("copyright", c.copyright), ("site_name", c.site_name)):
        mark = next((m for m in DEMO_MARKS if m in value), None)
        if mark:
            out.append(Problem(c.file, c.lines.get(key, 1), key, f"还是演示站的文字（“{mark}”）",
                               f"在 {c.file} 里把 {key} 改成本校（本区）自己的{'版权说明，例如 ©2026 某某小学教科室' if key == 'copyright' else '站点名'}"))
    for page in sorted(c.docs_dir.rglob("*.md")) if c.docs_dir.is_dir() else []:
        text = page.read_text(encoding="utf-8-sig", errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            mark = next((m for m in DEMO_MARKS if m in line), None)
            if mark:
                rel = page.relative_to(c.docs_dir.parent).as_posix()
                out.append(Problem(rel, n, "", f"还是演示站的文字（“{mark}”）", "改成本站自己的说明，或删掉这一行"))
                break
    return out


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


def data_problems(data: PlanData, shown_root: str = "plan_data", data_dir: Path | None = None) -> list[Problem]:
    out = []
    if not data.plans:
        out.append(Problem(shown_root, 0, "", "还没有任何计划：发布出去是一个空网站",
                           "先导入计划（plansite import 计划.docx --term 2026秋），或照编辑指南写一份"))
    for school in data.schools.values():
        f = f"{shown_root}/{school.where.file}"
        if ids.is_placeholder_name(school.name):
            out.append(Problem(f, _line_of(data_dir, school.where.file, "name", school.where.line), "name",
                               f"“{school.name}”是导入时的占位名：原文没有写是哪所学校",
                               f"把 name 改成学校全称（导入报告 导入报告.md 里写着它来自哪份原文）"))
        if not data.plans_of(school.id):
            out.append(Problem(f, school.where.line, "", f"学校“{school.name}”没有任何计划，发布后是一个空页面",
                               f"导入或编写它的计划（plan_data/plans/ 里 school: {school.id}），或删掉这个文件"))
    for plan in data.plans.values():
        if ids.PLACEHOLDER_SCHOOL in plan.title:
            out.append(Problem(f"{shown_root}/{plan.where.file}", _line_of(data_dir, plan.where.file, "title", plan.where.line),
                               "title", f"标题里还有占位名（“{plan.title}”）：原文没有标题，导入时用了占位校名",
                               "把 title 改成计划的真实标题，例如 某某小学2026年秋季学期教科室工作计划"))
        year = title_year_conflict(plan.title, plan.term)
        if year:
            f = f"{shown_root}/{plan.where.file}"
            right = term_for_year(plan.term, year)
            out.append(Problem(f, _line_of(data_dir, plan.where.file, "term", plan.where.line), "term",
                               f"标题写的是 {year} 年（“{plan.title}”），学期却是 {plan.term.label}",
                               f"把 term 改成 {right}（并核对行事历的月份），或改正标题里的年份"))
    out += unscheduled_plans(data, shown_root, data_dir)
    for a, b, ratio in duplicate_plans(data):
        out.append(Problem(f"{shown_root}/{b.where.file}", b.where.line, "",
                           f"与 {shown_root}/{a.where.file} 的文字 {ratio:.0%} 相同：同一份计划发布了两次",
                           f"只留一份：删掉 {shown_root}/{b.where.file}（和同名 .md），或删掉另一份"))
    return out


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


def unscheduled_plans(data: PlanData, shown_root: str = "plan_data", data_dir: Path | None = None) -> list[Problem]:
    """Plans with no schedule, unless their file says `schedule: []` on purpose: an import that read
    no 行事历 out of a page that had one must not go online as a plan with nothing to show."""
    out = []
    for plan in data.plans.values():
        if plan.schedule or _says_no_schedule(data_dir, plan.where.file):
            continue
        out.append(Problem(f"{shown_root}/{plan.where.file}", plan.where.line, "schedule",
                           f"“{plan.title}”没有行事历：导入时没有从原文读出月份或周次的安排",
                           "对照原文把行事历按月份写进 schedule（导入报告 导入报告.md 开头列出了像是行事历的行）；"
                           "原文确实没有行事历时，加一行 schedule: []，表示有意不写"))
    return out


def _says_no_schedule(data_dir: Path | None, file: str) -> bool:
    """The plan's file has `schedule: []` (or `schedule:` with nothing under it) at its top level."""
    if data_dir is None:
        return False
    try:
        raw = yaml.safe_load((data_dir / file).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(raw, dict) and "schedule" in raw and raw["schedule"] in ([], None)
