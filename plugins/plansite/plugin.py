"""The MkDocs adapter: hooks only. All work happens in load.py, site.py and build.py."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
from functools import partial
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .build import build_data_files, build_pages, clashing_outputs, data_file_paths
from .config import PlanSiteConfig
from .headmeta import add_social_meta, chinese_not_found, page_description
from .incremental import Generation, generate
from .load import LoadCache, LoadResult, load_plan_data
from .model import PlanData
from .pages.assets import extra_css, extra_javascript, theme_dir
from .sanitize import clean_html
from .search import item_entries, rewrite_index
from .site import Output, Site, SiteDateError, site_from_options
from .slugs import heading_slugify, load_school_words

log = get_plugin_logger(__name__)
ONE_BUILD = ("build", "gh-deploy")  # commands that build once and exit (`serve` rebuilds)


class PlanSitePlugin(BasePlugin[PlanSiteConfig]):
    def __init__(self) -> None:
        self.data: PlanData | None = None
        self._cache: tuple[tuple, LoadResult] | None = None
        self.site_date = ""
        self.site: Site | None = None
        self.to_clean: set[str] = set()
        self.data_dir = Path("plan_data")
        self.command = ""  # build, serve or gh-deploy (on_startup)
        self._worker: BaseProcess | None = None  # makes page texts and data files (ONE_BUILD commands)
        self._tmp: str | None = None  # where it writes them
        self._gc_paused = False  # garbage collection paused from on_config to on_files
        # `mkdocs serve` keeps these across rebuilds: the parsed files, the last generated outputs,
        # and a folder holding each generated page as a file rewritten only when its text changes
        # (so `mkdocs serve --dirty` renders only the pages an edit changed)
        self._parsed = LoadCache()
        self._generation: Generation | None = None
        self._serve_dir: str | None = None
        self._written: dict[str, str | bytes] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across `mkdocs serve` rebuilds, so the parse
        # cache below survives edits to unrelated files.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.command in (*ONE_BUILD, "serve") and gc.isenabled():
            # Loading and listing the pages make many objects and no garbage cycles: no collections
            # until on_files, which puts them out of the collector's sight (gc.freeze) and resumes it.
            # A serve rebuild first hands back what the last one froze, so old data is collected.
            gc.unfreeze()
            gc.disable()
            self._gc_paused = True
        base = Path(config.config_file_path or ".").parent
        data_dir = (base / self.config.data_dir).resolve()
        if str(data_dir) not in [os.path.abspath(w) for w in config.watch]:
            config.watch.append(str(data_dir))
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")  # generated headings carry {#anchor}
        toc = config.mdx_configs.setdefault("toc", {})
        slugify = heading_slugify(self.config.heading_anchors)
        if "slugify" not in toc and slugify is not None:
            toc["slugify"] = slugify
        if config.theme.name == "material":
            # Escaped page titles, Material's inline scripts as a file, the CSP <meta>; a theme
            # custom_dir (dirs[0]) still wins over this layer.
            at = 1 if config.theme.custom_dir else 0
            if theme_dir() not in config.theme.dirs:
                config.theme.dirs.insert(at, theme_dir())
            config.extra["plansite_csp"] = self.config.content_security_policy
        load_school_words()  # before Material's search plugin segments pages with the same jieba
        self.data_dir = data_dir
        result = self._load(data_dir)
        for problem in result.warnings:
            log.warning(str(problem))
        if result.errors:
            listing = "\n".join(f"  {p}".replace("\n", "\n  ") for p in result.errors)
            raise PluginError(f"plan_data 有 {len(result.errors)} 处错误：\n{listing}\n"
                              f"修改后重新构建；也可以运行 `plansite check {self.config.data_dir}` 查看。")
        self.data = result.data
        preview = {s.strip() for s in os.environ.get("PLANSITE_PREVIEW", "").split(",") if s.strip()}
        if preview and self.command == "serve":
            # A district is large; an editor previewing one school needs only that school's pages.
            # All the data was still loaded and checked above.
            unknown = sorted(preview - set(self.data.schools))
            if unknown:
                raise PluginError(f"PLANSITE_PREVIEW 里的学校不存在：{'、'.join(unknown)}"
                                  f"（已有：{'、'.join(sorted(self.data.schools)[:12])}……）")
            self.data = self.data.only(preview)
            log.info(f"预览模式：只生成 {'、'.join(sorted(preview))} 的页面")
        try:
            self.site = site_from_options(self.data, self.config, use_directory_urls=config.use_directory_urls,
                                          site_name=config.site_name, site_url=config.site_url)
        except SiteDateError as err:
            raise PluginError(str(err)) from err
        self.site_date = self.site.site_date
        # The agenda, table and search scripts and the stylesheet are generated files too.
        for setting, names in ((config.extra_javascript, extra_javascript(self.site)),
                               (config.extra_css, extra_css(self.site))):
            for name in names:
                if name not in [str(x) for x in setting]:
                    setting.append(name)
        return config

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Without a hand-written `nav:`, MkDocs names sections after folders (Schools, Calendar):
        give the generated ones their Chinese names."""
        if config.nav is None and self.site is not None:
            p = self.site.paths
            names = {p.school.split("/")[0]: "学校", p.project.split("/")[0]: "课题",
                     p.month.split("/")[0]: "行事历", p.compare: "学校对比"}
            for item in nav.items:
                if isinstance(item, Section):
                    folder = next((c.file.src_uri.split("/")[0] for c in item.children
                                   if getattr(c, "file", None) is not None), None)
                    if folder in names:
                        item.title = names[folder]
        return nav

    @event_priority(50)  # before Material's search plugin reads the page, so the index is clean too
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.to_clean:
            return clean_html(html)
        return html

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        made = Path(self._tmp, SEARCH_ENTRIES) if self._tmp else None
        entries = pickle.loads(made.read_bytes()) if made is not None and made.is_file() else None  # second process
        self._cleanup()
        path = Path(config.site_dir) / "search" / "search_index.json"
        if not path.is_file() or self.site is None:
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(rewrite_index(index, self.site, entries), ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        # MkDocs stamps every page with today's date (sitemap.xml and its .gz); the site date
        # makes the same data build the same site.
        page.update_date = self.site_date
        return page

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # A link shared in WeChat shows the page's own title and text, not the site's.
        description = page_description(page.content or "", page.meta.get("description"))
        title = config.site_name if page.is_homepage else f"{page.title} - {config.site_name}"
        return add_social_meta(output, title=str(title or config.site_name), description=description,
                               url=page.canonical_url, site_name=config.site_name)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":
            home = config.site_url or "/"  # the 404 page is served at any depth: an absolute address
            return chinese_not_found(output_content, home)
        return output_content

    def _load(self, data_dir: Path) -> LoadResult:
        """Parse plan_data, reusing the last result while no data file changed (serve rebuilds)."""
        stamp = _stamp(data_dir)
        stamp = (self.config.slugs,) + stamp
        if self._cache and self._cache[0] == stamp:
            return self._cache[1]
        result = load_plan_data(data_dir, self.config.slugs, cache=self._parsed)
        self._cache = (stamp, result)
        new = sum(len(v) for v in result.new_slugs.values())
        if new:
            log.info(f"{new} 个网址名尚未登记（运行 plansite slugs {self.config.data_dir} --write 固定它们）")
        return result

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        self.to_clean = set()
        background = self._worker is not None
        if self.command == "serve":
            self._generation, incremental = generate(self.site, self._generation)
            outputs = self._generation.outputs
        else:
            # In the background the pages' texts are left to the second process (on_pre_build):
            # only their paths are listed here.
            outputs = build_pages(self.site, data_files=not background, deferred=background)
        clashes = clashing_outputs(self.site, outputs)
        if clashes:
            raise PluginError("生成的页面网址重复，一页会替换另一页：\n" + "\n".join(f"  {c}" for c in clashes))
        rewritten = 0
        for out in outputs:
            if files.get_file_from_path(out.path) is not None:
                log.info(f"{out.path}: 使用手写页面，跳过生成")  # a hand-written page at the same path wins
                continue
            # Index pages join an automatic nav; with a hand-written `nav:` the author decides, and
            # pages left out of it are not reported as omitted.
            in_nav = out.in_nav and config.nav is None
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            if self.command == "serve":
                rewritten += self._write_for_serve(out)
                assert self._serve_dir is not None
                file = File.generated(config, out.path, abs_src_path=os.path.join(self._serve_dir, out.path),
                                      inclusion=inclusion)
            elif out.deferred:
                file = _PendingFile.generated(config, out.path, content="", inclusion=inclusion)
                file.make = partial(self._made_in_background, out.path)
            else:
                file = File.generated(config, out.path, content=out.content, inclusion=inclusion)
            if out.source:
                # "Edit this page" opens the data file the page comes from (with repo_url/edit_uri set)
                file.edit_uri = os.path.relpath(self.data_dir / out.source, config.docs_dir).replace(os.sep, "/")
            files.append(file)
            if out.sanitize:
                self.to_clean.add(out.path)
        if background:
            assert self._tmp is not None
            for path in data_file_paths(self.site):
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, abs_src_path=os.path.join(self._tmp, path)))
        self._resume_gc()
        if self.command == "serve" and self._written:
            log.info(f"{'只' if incremental else ''}重新生成了 {rewritten} 个有变化的页面和文件")
        return files

    def _resume_gc(self) -> None:
        """After on_config paused it: the data, the Site and the files live until the build ends (or
        the next serve rebuild), so they leave the collector's sight (gc.freeze) and MkDocs'
        collections, many per page, do not walk them again; in a district's build that was a
        quarter of the plugin's extra time."""
        if self._gc_paused:
            gc.freeze()
            gc.enable()
            self._gc_paused = False

    def _write_for_serve(self, out: Output) -> bool:
        """Write a generated file into the serve folder when its content changed; True if written."""
        if self._serve_dir is None:
            self._serve_dir = tempfile.mkdtemp(prefix="plansite-serve-")
        old = self._written.get(out.path)
        if old is out.content or old == out.content:
            return False
        target = Path(self._serve_dir) / out.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out.content if isinstance(out.content, bytes) else out.content.encode("utf-8"))
        self._written[out.path] = out.content
        return True

    def on_shutdown(self) -> None:
        if self._serve_dir:
            shutil.rmtree(self._serve_dir, ignore_errors=True)
            self._serve_dir = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """`mkdocs build` renders pages on one core. A forked process makes on the other what MkDocs
        does not render: every generated page's text, in the order MkDocs reads them (on_files lists
        only their paths), then the feeds, plans.json, the pinyin vocabulary and the search entries."""
        if (self.command not in ONE_BUILD or not hasattr(os, "fork") or os.environ.get("PLANSITE_ONE_PROCESS") == "1"
                or self.site is None):
            return
        self._tmp = tempfile.mkdtemp(prefix="plansite-build-")
        gc.freeze()  # as Python advises before a fork: the child shares these pages instead of copying them
        self._worker = multiprocessing.get_context("fork").Process(
            target=_make_in_background, args=(self.site, self._tmp), daemon=True)
        self._worker.start()

    def _made_in_background(self, path: str) -> str:
        """A page's text from the second process: waits until it is written."""
        assert self._tmp is not None
        target = Path(self._tmp, PAGES, path)
        while True:
            try:
                return target.read_bytes().decode("utf-8")
            except FileNotFoundError:
                pass
            worker = self._worker
            if worker is None or not worker.is_alive():
                if target.is_file():
                    continue
                raise PluginError(f"生成页面 {path} 时出错（见上面的信息）")
            worker.join(0.002)

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # MkDocs copies static files right after this event: the second process must be done.
        worker = self._worker
        if worker is not None:
            worker.join()
            self._worker = None
            if worker.exitcode != 0:
                raise PluginError("生成页面、日历、plans.json 或拼音词表时出错（见上面的信息）")
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._resume_gc()
        worker = self._worker
        if worker is not None and worker.is_alive():
            worker.terminate()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _stamp(data_dir: Path) -> tuple:
    """Every file under data_dir with its mtime and size; a dangling link, an editor's lock file
    or a folder that cannot be read changes the stamp and never raises (the loader reports it)."""
    out = []
    for folder, _dirs, names in os.walk(data_dir):
        for name in names:
            path = os.path.join(folder, name)
            try:
                s = os.stat(path)
            except OSError:
                s = None
            out.append((path, s.st_mtime_ns if s else 0, s.st_size if s else 0))
    return tuple(sorted(out))


PAGES = "pages"  # in the second process's folder: the generated pages' texts
SEARCH_ENTRIES = "search-entries.pickle"  # and the plans' search entries (search.item_entries)


def _make_in_background(site: Site, folder: str) -> None:
    """In the forked process: the pages' texts (under folder/pages, each file whole when it appears),
    the data files (under folder), then the search entries."""
    gc.enable()  # paused in the parent while it loaded (on_config)
    for out in build_pages(site, data_files=False, deferred=True):
        if out.deferred:
            _write(Path(folder, PAGES, out.path), out.content)
    for out in build_data_files(site):
        _write(Path(folder, out.path), out.content)
    _write(Path(folder, SEARCH_ENTRIES), pickle.dumps(item_entries(site), protocol=pickle.HIGHEST_PROTOCOL))


def _write(target: Path, content: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    os.replace(part, target)


class _PendingFile(File):
    """A generated page whose text the second process is still making: `make` fetches it when
    MkDocs (or another plugin) first reads the file."""

    make: Callable[[], str] | None = None
    _made: str | bytes | None = None

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self.make is not None:
            self._made, self.make = self.make(), None
        return self._made

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._made, self.make = value, None
