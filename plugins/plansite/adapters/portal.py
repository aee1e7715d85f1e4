"""`plansite portal`: the province portal over every district's data/plans.json, built with MkDocs
and Material; `--matrix` prints the CI matrix of districts.yml; `--build-districts -j N` first
builds the districts' own sites as parallel processes on this machine (districtbuild.py).

    districts.yml ─> read_districts ─> each district's plans.json (a build here, --sites, or its URL)
        ─> read_district (a bad one: the last good copy in the cache folder) ─> portal_pages
        ─> <cache>/portal/docs + mkdocs.yml ─> mkdocs build --strict ─> --out
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

import yaml

from ..output.portal import DistrictData, PortalError, portal_pages, read_district, read_districts
from ..output.portal.districts import District, conflicts, last_good
from .mkdocsyml import add_extensions, merge_names
from .render import RenderError, read_config

BATCH = 256  # GitHub's and Gitea's limit of jobs a matrix makes in one run
BATCH_JOBS = 4  # build jobs the province workflows declare: 4 × 256 districts
CACHE = ".plansite-portal"
JS = "assets/portal/portal.js"


def portal_config(name: str, site_url: str | None = None) -> dict:
    """The portal's mkdocs.yml (plansite new --province writes it; the portal adds what it lacks)."""
    config = {"site_name": f"{name}教科研工作计划门户", "site_description": f"{name}各区县学校的教科研工作计划、行事历与课题",
              "docs_dir": "docs",
              "theme": {"name": "material", "language": "zh", "font": False,
                        "features": ["navigation.tabs", "navigation.top", "search.highlight"], "palette": {"primary": "teal"}},
              "plugins": ["search"], "markdown_extensions": ["admonition", "attr_list", "tables", {"toc": {"permalink": True}}],
              "extra_javascript": [JS],
              "nav": [{"首页": "index.md"}, {"找学校": "schools/index.md"}, {"区县对比": "compare/index.md"},
                      {"课题": "projects/index.md"}]}
    if site_url:
        config = {"site_name": config["site_name"], "site_url": site_url, **{k: v for k, v in config.items() if k != "site_name"}}
    return config


@dataclass
class PortalResult:
    districts: list[DistrictData]
    conflicts: list[str]
    out: Path
    failed_builds: dict[str, str] = field(default_factory=dict)


def plans_location(district: District, sites: Path | None) -> str | None:
    """Where this run's build of the district left its plans.json: sites/<id>/data/plans.json (a
    build here, or artifacts merged into one folder) or sites/plans-<id>/<id>/data/plans.json (one
    folder per artifact); None: read it where districts.yml says."""
    if sites is None:
        return None
    for candidate in (sites / district.id / "data" / "plans.json",
                      sites / f"plans-{district.id}" / district.id / "data" / "plans.json"):
        if candidate.is_file():
            return str(candidate.resolve())
    return None


def build_portal(districts_yml: Path, out: Path, cache: Path, sites: Path | None = None,
                 failed: dict[str, str] | None = None, today: date | None = None) -> PortalResult:
    """Read every district, write the portal's pages and build them; PortalError for what stops it."""
    province = read_districts(districts_yml)
    base = districts_yml.resolve().parent
    failed = failed or {}
    data = []
    for district in province.districts:
        if district.id in failed:  # this run's build failed: only the last good copy can stand in
            data.append(last_good(district, cache / district.id, f"区县网站这次没有构建成功（{failed[district.id]}）"))
            continue
        where = plans_location(district, sites)
        d = read_district(district if where is None else _at(district, where), cache, today, base)
        d.district = district
        data.append(d)
    pages = portal_pages(province.name, data)
    work = cache / "portal"
    if work.exists():
        shutil.rmtree(work)
    docs = work / "docs"
    own_yml = base / "mkdocs.yml"
    config = _read_config(own_yml) if own_yml.is_file() else portal_config(province.name)
    own_docs = base / str(config.get("docs_dir") or "docs")
    if own_docs.is_dir():
        shutil.copytree(own_docs, docs)
    for path, text in {**pages, JS: (files("plansite") / "assets" / "portal.js").read_text(encoding="utf-8")}.items():
        target = docs / path
        if target.exists():
            continue  # a page the province wrote itself wins
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config["docs_dir"] = str(docs.resolve())
    config["site_dir"] = str(out.resolve())
    merge_names(config.setdefault("extra_javascript", []), [JS])
    add_extensions(config.setdefault("markdown_extensions", []))
    if not any((e if isinstance(e, str) else next(iter(e))) == "admonition" for e in config["markdown_extensions"]):
        config["markdown_extensions"].append("admonition")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str((work / "mkdocs.yml").resolve())],
                          capture_output=True, text=True, env=env, cwd=work)
    if done.returncode:
        raise PortalError(f"门户构建失败：\n{done.stdout}{done.stderr}".rstrip())
    return PortalResult(data, conflicts(data), out, failed)


def _at(district: District, where: str) -> District:
    return District(district.id, district.name, district.site, district.city, district.source, district.repository,
                    district.ref, where)


def _read_config(path: Path) -> dict:
    """The portal's own mkdocs.yml, read as `plansite render` reads a site's (render.read_config)."""
    try:
        return read_config(path)
    except RenderError as e:
        raise PortalError(e.message) from None


def matrix(districts_yml: Path, batch: int = BATCH) -> dict[str, str]:
    """The CI matrix of districts.yml: batch1 … batch{BATCH_JOBS}, each a JSON list of at most
    `batch` districts (an empty batch is '[]'), and count."""
    province = read_districts(districts_yml)
    rows = [{"id": d.id, "name": d.name, "path": d.source or f"districts/{d.id}", "repository": d.repository or "",
             "ref": d.ref or ""} for d in province.districts]
    chunks = [rows[i:i + batch] for i in range(0, len(rows), batch)]
    if len(chunks) > BATCH_JOBS:
        raise PortalError(f"{districts_yml}: {len(rows)} 个区县要分成 {len(chunks)} 批，工作流只有 {BATCH_JOBS} 个构建作业"
                          f"（每批最多 {batch} 个）\n    提示：在工作流里照 build-{BATCH_JOBS} 再加构建作业，并把 BATCH_JOBS 调大")
    out = {f"batch{n}": json.dumps(chunks[n - 1] if n <= len(chunks) else [], ensure_ascii=False, separators=(",", ":"))
           for n in range(1, BATCH_JOBS + 1)}
    out["count"] = str(len(rows))
    return out


def cmd_portal(args) -> int:
    districts_yml = Path(args.districts)
    cache = Path(args.cache)
    try:
        if args.matrix:
            outputs = matrix(districts_yml)
            lines = "".join(f"{k}={v}\n" for k, v in outputs.items())
            target = os.environ.get("GITHUB_OUTPUT")
            if target:
                with open(target, "a", encoding="utf-8") as f:
                    f.write(lines)
            print(lines, end="")
            return 0
        sites, failed = (Path(args.sites) if args.sites else None), {}
        if args.build_districts:
            from .districtbuild import build_districts

            sites = cache / "sites"
            start = time.monotonic()
            runs = build_districts(read_districts(districts_yml), sites, jobs=args.jobs)
            print(f"区县构建：{len(runs)} 个区县，{time.monotonic() - start:.1f} 秒（同时 {args.jobs} 个）")
            for run in runs:
                print(f"{'完成' if run.ok else '失败'} {run.district.name}：{run.seconds:.1f} 秒" + ("" if run.ok else f"（{run.why}）"))
            failed = {run.district.id: run.why for run in runs if not run.ok}
        result = build_portal(districts_yml, Path(args.out), cache, sites, failed)
    except PortalError as e:
        print(f"错误 {e}", file=sys.stderr)
        return 1
    schools = sum(len(d.schools) for d in result.districts)
    print(f"已构建门户 {result.out}：{len(result.districts)} 个区县，{schools} 所学校。")
    for d in result.districts:
        if d.status != "ok":
            kept = f"沿用 {d.date} 的数据" if d.status == "stale" else "没有可用的旧数据"
            print(f"警告 {d.district.name}：{d.reason}；{kept}")
    for clash in result.conflicts:
        print(f"警告 {clash}")
    return 0


def add_portal_parser(sub) -> None:
    portal = sub.add_parser("portal", help="省级门户：读各区县网站的 data/plans.json，建一个总门户")
    portal.add_argument("--districts", default="districts.yml", help="区县清单（默认 districts.yml）")
    portal.add_argument("--out", default="site", help="门户输出文件夹（默认 site）")
    portal.add_argument("--cache", default=CACHE, help=f"门户自己的缓存文件夹：各区县最近一次完好的数据（默认 {CACHE}）")
    portal.add_argument("--sites", help="本次构建的区县结果所在文件夹（<区县id>/data/plans.json）")
    portal.add_argument("--matrix", action="store_true", help="打印 CI 矩阵（每批最多 256 个区县），写入 $GITHUB_OUTPUT")
    portal.add_argument("--build-districts", action="store_true", help="先在本机并行构建各区县网站，再建门户")
    portal.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="同时构建的区县数（默认 CPU 核数）")
    portal.set_defaults(func=cmd_portal)
