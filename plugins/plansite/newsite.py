"""`plansite new DIR --name 站点名 [--school 学校名 …] [--site-url URL]`: a school's or district's own site.

Writes a complete site repository from the templates in skeleton/ (package data): mkdocs.yml with
the site's names and copyright, plan_data/ with its school files, docs/about.md in the site's own
words, the GitHub Pages workflow (publish check, strict build, deploy), requirements.txt pinning
this PlanSite, a README for its editors. Nothing of the demo travels. An existing folder that is
not empty is never written into.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

from .importer.ids import school_id
from .slugs import registry_text
from .mdtext import md_text

# template in skeleton/ -> path in the new site
FILES = {
    "mkdocs.yml.j2": "mkdocs.yml",
    "README.md.j2": "README.md",
    "requirements.txt.j2": "requirements.txt",
    "gitignore.j2": ".gitignore",
    "workflows/pages.yml.j2": ".github/workflows/pages.yml",
    "docs/about.md.j2": "docs/about.md",
}


class NewSiteError(Exception):
    """Why the site cannot be created; the message and hint are for the user."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class NewSite:
    name: str
    schools: tuple[str, ...] = ()
    site_url: str | None = None
    plansite: str | None = None  # where the site's CI gets PlanSite: a pin, or a source URL


def plansite_requirement(source: str | None = None) -> tuple[str, str]:
    """(version, requirement line): this PlanSite, pinned; or from a source such as a git URL."""
    try:
        v = version("plansite")
    except PackageNotFoundError:  # running from a source tree
        v = "0.1.0"
    if source:
        return v, f"plansite @ {source}" if "://" in source else source
    return v, f"plansite=={v}"


def _yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def site_files(spec: NewSite) -> dict[str, str]:
    """Every file of the new site, in memory: relative path -> content."""
    name = spec.name.strip()
    if not name:
        raise NewSiteError("--name 不能为空", "写上站点名，例如 --name 江北区实验小学教科室")
    url = spec.site_url
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NewSiteError(f"--site-url {url!r} 不是网址", "写完整的地址，例如 --site-url https://jky.school.edu.cn/")
        url = url.rstrip("/") + "/"
    env = jinja2.Environment(loader=jinja2.PackageLoader("plansite", "skeleton"), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml_scalar
    env.filters["md"] = md_text
    ver, requirement = plansite_requirement(spec.plansite)
    context = {"name": name, "schools": list(spec.schools), "site_url": url, "copyright": f"© {name}",
               "version": ver, "requirement": requirement}
    files = {target: env.get_template(src).render(**context) for src, target in FILES.items()}
    used: set[str] = set()
    for school in spec.schools:
        school = school.strip()
        if not school:
            raise NewSiteError("--school 不能为空", "写学校全称，例如 --school 江北区实验小学")
        sid = school_id(school)
        if sid in used:
            raise NewSiteError(f"--school {school} 写了两次（或两所学校的拼音相同：{sid}）", "每所学校写一次")
        used.add(sid)
        files[f"plan_data/schools/{sid}.yml"] = yaml.safe_dump({"name": school}, allow_unicode=True)
    # the URL registry, empty: plan_data/ exists (and is kept by git) before the first import
    files["plan_data/slugs.yml"] = registry_text({})
    return files


def create_site(target: Path, spec: NewSite) -> list[str]:
    """Write the site into target (which must not exist, or be empty). Returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewSiteError(f"{target} 已经存在，而且不是空文件夹，没有写入任何文件",
                           "换一个新的文件夹名；plansite new 不会改动已有的文件夹")
    files = site_files(spec)
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        for rel, content in sorted(files.items()):
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            os.replace(tmp, path)
    except OSError as e:
        if created:  # only a folder this command made is taken away again
            import shutil

            shutil.rmtree(target, ignore_errors=True)
        raise NewSiteError(f"写不进 {target}：{e.strerror}", "检查文件夹的权限和磁盘空间") from e
    return sorted(files)
