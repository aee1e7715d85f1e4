"""`plansite render`: the generated site content written to disk, for engines without this plugin.

MkDocs 1.x is frozen and Material for MkDocs reaches its end of life in May 2027. The pages,
feeds and data that the plugin generates in memory can also be written to a folder, with a
mkdocs.yml that no longer needs the plugin, so a plain `mkdocs build` (or ProperDocs, Zensical,
any Markdown site tool) builds the same pages. Same code path as the plugin: load_plan_data,
site.site_from_options, then build.build_pages.
"""

from __future__ import annotations

import html
import json
import os
import re
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from ..output.build import build_pages, clashing_outputs
from .config import validate_options
from ..input.load import load_plan_data
from .mkdocsyml import add_extensions, load_mkdocs_yml, merge_names
from ..output.mdtext import relink
from ..output.pages.assets import extra_css, extra_javascript, theme_dir
from ..output.site import SiteDateError, relative_link, site_from_options
from .siteurl import EXAMPLE, site_url_problem
from ..input.yamlsrc import Problem


class RenderError(Exception):
    """A project that cannot be rendered; the message is for the user (Chinese)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def read_config(path: Path) -> dict:
    try:
        cfg = load_mkdocs_yml(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as e:
        raise RenderError(f"无法读取 {path}：{e}") from e
    if not isinstance(cfg, dict):
        raise RenderError(f"{path} 不是有效的 mkdocs.yml")
    return cfg


def plugin_options(cfg: dict) -> tuple[list, dict]:
    """The plugins list without plansite, and plansite's options."""
    others, options = [], None
    for entry in cfg.get("plugins") or []:
        name, opts = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == "plansite":
            options = opts or {}
        else:
            others.append(entry)
    if options is None:
        raise RenderError("mkdocs.yml 里没有启用 plansite 插件", [])
    return others, options


@dataclass
class Rendered:
    out: Path
    pages: int
    files: int
    kept: list[str]  # hand-written pages that won over generated ones


def render_project(config_file: Path, out: Path, force: bool = False) -> Rendered:
    config_file = config_file.resolve()
    root = config_file.parent
    cfg = read_config(config_file)
    url = cfg.get("site_url")
    if isinstance(url, str) and url and (problem := site_url_problem(url)):  # the engine writes it into every page
        raise RenderError(f"{config_file.name} 的 site_url {url!r}：{problem}（例如 site_url: {EXAMPLE}）")
    plugins, raw_options = plugin_options(cfg)
    options, messages = validate_options(raw_options)
    if options is None:
        raise RenderError(f"{config_file.name} 里 plansite 的选项有误：\n  " + "\n  ".join(messages))
    data_dir = root / options.data_dir
    docs_src = root / cfg.get("docs_dir", "docs")
    out = out.resolve()
    _check_out(out, force, [config_file, data_dir.resolve(), docs_src.resolve()])  # before any work: said at once
    result = load_plan_data(data_dir, options.slugs)
    if result.data is None:
        raise RenderError(f"plan_data 有 {len(result.errors)} 处错误", result.errors)
    try:
        # page_folders: every page the index of its own folder, so that links in raw HTML (heat-map
        # cells, the month list) resolve alike in engines that rewrite them and those that do not;
        # pages the nav names and hand-written pages keep their file
        site = site_from_options(result.data, options, use_directory_urls=cfg.get("use_directory_urls", True),
                                 site_name=cfg.get("site_name", ""), site_url=cfg.get("site_url"),
                                 page_folders=True, fixed_paths=_nav_files(cfg.get("nav")) | _pages(docs_src))
    except SiteDateError as err:
        raise RenderError(str(err)) from err
    outputs = build_pages(site)
    clashes = clashing_outputs(site, outputs)
    if clashes:
        raise RenderError("生成的页面网址重复，一页会替换另一页：\n  " + "\n  ".join(clashes))
    # Write everything into a fresh folder beside the target, then swap it in: an interrupted
    # render never leaves a half-written site where the old one was.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        docs = staging / "docs"
        if docs_src.is_dir():
            shutil.copytree(docs_src, docs)
        docs.mkdir(exist_ok=True)
        kept, pages, files, derived, moved = [], 0, 0, set(), {}
        for o in outputs:
            path = site.source_path(o.path)
            if path != o.path:
                moved[o.path] = path
            if path.endswith(".md") and not o.in_nav:
                derived.add("/" + path.rsplit("/", 1)[0] + "/" if "/" in path else "/" + path)
            target = docs / path
            if target.exists() or (docs / o.path).exists():
                kept.append(o.path)  # a hand-written page at the same path wins, as in the plugin
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            content = o.content if isinstance(o.content, bytes) else html_front_matter(o.content).encode("utf-8")
            target.write_bytes(content)
            pages += o.path.endswith(".md")
            files += 1
        _relink_pages(docs, sorted(_pages(docs_src)), moved)
        plain = {k: v for k, v in cfg.items() if k not in ("plugins", "watch", "docs_dir", "hooks")}
        plain["docs_dir"] = "docs"
        plain["plugins"] = plugins
        plain["extra_javascript"] = _merge(cfg.get("extra_javascript"), extra_javascript(site))
        plain["extra_css"] = _merge(cfg.get("extra_css"), extra_css(site))
        plain["markdown_extensions"] = _extensions(cfg.get("markdown_extensions"))
        _theme_layer(plain, root, staging, options.content_security_policy)
        # derived pages are reached through links, as with the plugin (MkDocs' not_in_nav)
        plain["not_in_nav"] = "\n".join(sorted(derived | set(str(cfg.get("not_in_nav") or "").split())))
        header = (HEADER + "：不需要 plansite 插件即可构建（mkdocs build）。\n"
                  "# 生成的页面来自 plan_data；要修改内容，请改 plan_data 后重新运行 plansite render。\n")
        (staging / "mkdocs.yml").write_text(
            header + yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, default_flow_style=False),
            encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(staging, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Rendered(out, pages, files, kept)


HEADER = "# 由 plansite render 生成"


_META_TEXT = re.compile(r"^(description|author): (.+)$", re.M)


def html_front_matter(markdown: str) -> str:
    """A generated page's front-matter texts as HTML text: without the plugin (which escapes
    page.meta before any template, headmeta.settle_page_texts), Material writes them into its
    <meta> tags as they are."""
    if not markdown.startswith("---\n") or (end := markdown.find("\n---\n", 3)) < 0:
        return markdown

    def escaped(m: re.Match) -> str:
        text = html.escape(str(yaml.safe_load(m.group(2))), quote=True)
        return f"{m.group(1)}: {json.dumps(text, ensure_ascii=False)}"

    return "---\n" + _META_TEXT.sub(escaped, markdown[4:end]) + markdown[end:]


def _check_out(out: Path, force: bool, sources: list[Path]) -> None:
    """Refuse an output folder that would replace the project's sources or data, a file, or (with
    --force) a folder that an earlier render did not make: nothing the user has is lost."""
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out} 是一个文件，不是文件夹", [])
    for src in sources:
        if out == src or out in src.parents or src in out.parents:
            raise RenderError(f"--out {out} 会覆盖项目自己的文件（{src}）；请换一个不含也不在 mkdocs.yml、"
                              "docs/、plan_data/ 里的文件夹，例如 --out ../rendered", [])
    if not out.exists() or not any(out.iterdir()):
        return
    if not force:
        raise RenderError(f"{out} 已存在且不是空文件夹", [])
    made = out / "mkdocs.yml"
    try:
        ours = made.is_file() and made.read_text(encoding="utf-8", errors="replace").startswith(HEADER)
    except OSError:
        ours = False
    if not ours:
        raise RenderError(f"{out} 不是 plansite render 生成的文件夹（没有它写的 mkdocs.yml），--force 不会替换它；"
                          "请换一个新的 --out 文件夹", [])


def _theme_layer(plain: dict, root: Path, staging: Path, csp: str) -> None:
    """The plugin's theme layer (escaped titles, no inline script, the CSP <meta>) as the rendered
    project's theme custom_dir, under the project's own custom_dir if it has one."""
    theme = plain.get("theme")
    name = theme if isinstance(theme, str) else (theme or {}).get("name") if isinstance(theme, dict) else None
    if name != "material":
        return
    theme = {"name": "material"} if isinstance(theme, str) else dict(theme)
    layer = staging / "overrides"
    shutil.copytree(theme_dir(), layer, ignore=shutil.ignore_patterns("__pycache__"))
    own = theme.get("custom_dir")
    if own and (root / own).is_dir():
        shutil.copytree(root / own, layer, dirs_exist_ok=True)  # the project's overrides win
    theme["custom_dir"] = "overrides"
    plain["theme"] = theme
    extra = dict(plain.get("extra") or {})
    extra["plansite_csp"] = csp
    plain["extra"] = extra


def _nav_files(nav: Any) -> frozenset[str]:
    """The docs paths mkdocs.yml's nav names (they keep their place in the rendered folder)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if not node.startswith(("http:", "https:", "/")):
                found.add(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            for child in node.values():
                walk(child)

    walk(nav)
    return frozenset(found)


def _pages(docs: Path) -> frozenset[str]:
    """The hand-written pages in docs/, as docs paths."""
    return frozenset(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else frozenset()


def _relink_pages(docs: Path, pages: list[str], moved: dict[str, str]) -> None:
    """Links in hand-written pages to generated pages that moved into their own folder follow them
    (in the copy; the author's docs/ is never touched)."""
    if not moved:
        return
    for page in pages:
        file = docs / page
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # not UTF-8: copied as it is, and the engine will say what it makes of it

        def follow(dest: str, page: str = page) -> str | None:
            parts = urlsplit(dest)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                return None
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target not in moved:
                return None
            return relative_link(page, moved[target]) + (f"#{parts.fragment}" if parts.fragment else "")

        new = relink(text, follow)
        if new != text:
            file.write_text(new, encoding="utf-8")


def _merge(existing: Any, ours: list[str]) -> list:
    return merge_names(list(existing or []), ours)


def _extensions(existing: Any) -> list:
    items = [e for e in (existing or []) if not (isinstance(e, dict) and any(v is None for v in e.values()))]
    names = [e if isinstance(e, str) else next(iter(e)) for e in items]
    # drop a toc slugify that pointed at Python code: anchors are baked into the pages instead
    cleaned = []
    for e in items:
        if isinstance(e, dict) and "toc" in e and isinstance(e["toc"], dict):
            e = {"toc": {k: v for k, v in e["toc"].items() if k != "slugify" and v is not None}}
        cleaned.append(e)
    return add_extensions(cleaned)
