"""The MkDocs adapter: hooks only. They validate, translate MkDocs' events into calls to the
engine (engine.py, which owns processes, caches and the collector), and hand its outputs to
MkDocs as files."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..output.build import clashing_outputs, data_file_paths
from .config import PlanSiteConfig
from ..output.csp import PolicyGuard, admitting_injected_scripts
from ..output.engine import Engine, EngineError, preview, rewrite_index_file, start_method
from ..output.headmeta import (add_social_meta, chinese_not_found, page_description, settle_page_texts, share_image_url,
                               social_title)
from .mkdocsyml import add_extensions, merge_names
from ..output.pages.assets import extra_css, extra_javascript, theme_dir
from ..output.sanitize import clean_html
from ..output.site import Site, SiteDateError, site_from_options
from .siteurl import usable_site_url
from ..input.slugs import heading_slugify, load_school_words

log = get_plugin_logger(__name__)


class PlanSitePlugin(BasePlugin[PlanSiteConfig]):
    def __init__(self) -> None:
        self.engine = Engine()
        self.command = ""  # build, serve or gh-deploy (on_startup)
        self.site: Site | None = None
        self.data_dir = Path("plan_data")
        self.method: str | None = None  # how this build's second process starts; None: one process
        self.to_clean: set[str] = set()  # pages built from authors' Markdown: their HTML is sanitized
        self.pending: set[str] = set()  # pages whose text the second process makes
        self.policy = PolicyGuard("")  # the Content-Security-Policy of this build (on_config)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object, and its engine's caches, across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.engine.begin(serve=self.command == "serve")
        config.site_url = usable_site_url(config.site_url, log.warning)  # never a broken canonical link
        base = Path(config.config_file_path or ".").parent
        self.data_dir = data_dir = (base / self.config.data_dir).resolve()
        if str(data_dir) not in [os.path.abspath(w) for w in config.watch]:
            config.watch.append(str(data_dir))
        add_extensions(config.markdown_extensions)  # generated pages: {#anchor} lists, tables, heading ids
        toc = config.mdx_configs.setdefault("toc", {})
        slugify = heading_slugify(self.config.heading_anchors)
        if "slugify" not in toc and slugify is not None:
            toc["slugify"] = slugify
        if config.theme.name == "material":
            # Escaped page titles, Material's inline scripts as a file, the CSP <meta>; a theme
            # custom_dir (dirs[0]) still wins over this layer.
            if theme_dir() not in config.theme.dirs:
                config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir())
            self.policy = PolicyGuard(self.config.content_security_policy)  # into every page: on_post_page
        result, fresh = self.engine.load(data_dir, self.config.slugs)
        for problem in result.warnings:
            log.warning(str(problem))
        if result.errors:
            listing = "\n".join(f"  {p}".replace("\n", "\n  ") for p in result.errors)
            raise PluginError(f"plan_data 有 {len(result.errors)} 处错误：\n{listing}\n"
                              f"修改后重新构建；也可以运行 `plansite check {self.config.data_dir}` 查看。")
        load_school_words()  # before Material's search plugin segments pages with the same jieba
        new = sum(len(v) for v in result.new_slugs.values())
        if fresh and new:
            log.info(f"{new} 个网址名尚未登记（运行 plansite slugs {self.config.data_dir} --write 固定它们）")
        try:
            data = preview(result.data, os.environ.get("PLANSITE_PREVIEW", "")) if self.engine.serve else result.data
            self.site = site_from_options(data, self.config, use_directory_urls=config.use_directory_urls,
                                          site_name=config.site_name, site_url=config.site_url)
            self.method = None if self.engine.serve else start_method()
        except (SiteDateError, EngineError) as err:
            raise PluginError(str(err)) from err
        # The agenda, table and search scripts and the stylesheet are generated files too.
        merge_names(config.extra_javascript, extra_javascript(self.site))
        merge_names(config.extra_css, extra_css(self.site))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        self.to_clean, self.pending = set(), set()
        outputs = self.engine.outputs(self.site, self.method)
        clashes = clashing_outputs(self.site, outputs)
        if clashes:
            raise PluginError("生成的页面网址重复，一页会替换另一页：\n" + "\n".join(f"  {c}" for c in clashes))
        later = data_file_paths(self.site) if self.method and not self.engine.serve else []
        generated: set[str] = set()
        for out in outputs:
            if files.get_file_from_path(out.path) is not None:
                log.info(f"{out.path}: 使用手写页面，跳过生成")  # a hand-written page at the same path wins
                continue
            # Index pages join an automatic nav; with a hand-written `nav:` the author decides.
            level = InclusionLevel.UNDEFINED if out.in_nav and config.nav is None else InclusionLevel.NOT_IN_NAV
            if self.engine.serve:
                file = File.generated(config, out.path, abs_src_path=self._serve_file(out), inclusion=level)
            else:
                file = File.generated(config, out.path, content="" if out.deferred else out.content, inclusion=level)
                if out.deferred:
                    self.pending.add(out.path)
            if out.source:
                # "Edit this page" opens the data file the page comes from (with repo_url/edit_uri set)
                file.edit_uri = os.path.relpath(self.data_dir / out.source, config.docs_dir).replace(os.sep, "/")
            files.append(file)
            generated.add(file.dest_uri)
            if out.sanitize:
                self.to_clean.add(out.path)
        for path in later:  # made by the second process: their bytes are set in on_env
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=b""))
                self.pending.add(path)
        if self.engine.serve:
            self.engine.folder.built_now(generated, {f.dest_uri for f in files})
            if self.engine.rebuilt:
                log.info(f"{'只' if self.engine.incremental else ''}重新生成了 {self.engine.rebuilt} 个有变化的页面和文件")
        self.engine.listed()
        return files

    def _serve_file(self, out) -> str:
        try:
            path, written = self.engine.folder.write(out)
        except EngineError as err:
            raise PluginError(str(err)) from err
        self.engine.rebuilt += written
        return path

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.engine.rebuilt = 0
        if self.site is not None:
            self.engine.start(self.site, self.method)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri not in self.pending:
            return None
        try:
            return self.engine.text(page.file.src_uri)
        except EngineError as err:
            raise PluginError(str(err)) from err

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Without a hand-written `nav:`, MkDocs names sections after folders (Schools, Calendar):
        give the generated ones their Chinese names."""
        if config.nav is None and self.site is not None:
            names = self.site.paths.section_names()
            for item in nav.items:
                if isinstance(item, Section):
                    folder = next((c.file.src_uri.split("/")[0] for c in item.children
                                   if getattr(c, "file", None) is not None), None)
                    if folder in names:
                        item.title = names[folder]
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        # MkDocs stamps pages with today's date (sitemap.xml): the site date keeps builds the same
        page.update_date = self.site.site_date if self.site else page.update_date
        return page

    @event_priority(50)  # before Material's search plugin reads the page, so the index is clean too
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        settle_page_texts(page.meta, page.title, homepage=page.is_homepage)  # before any template sees them
        return clean_html(html) if page.file.src_uri in self.to_clean else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.policy.page(add_social_meta(  # a shared link shows the page's own title, text and picture
            output, title=social_title(page.title, config.site_name, homepage=page.is_homepage),
            description=page_description(page.content or "", page.meta.get("description")), url=page.canonical_url,
            site_name=config.site_name, image=share_image_url(config, self.site)), page.file.dest_uri)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":
            home = config.site_url or "/"  # the 404 page is served at any depth: an absolute address
            return self.policy.page(chinese_not_found(output_content, home), template_name)
        return output_content

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # MkDocs copies static files right after this event: the second process's files get their bytes.
        try:
            made = self.engine.data_files()
        except EngineError as err:
            raise PluginError(str(err)) from err
        missing = sorted(p for p in self.pending if not p.endswith(".md") and p not in made)
        if missing:
            raise PluginError(f"第二个进程没有生成这些文件：{'、'.join(missing)}")
        for path in sorted(self.pending & made.keys()):
            files.get_file_from_path(path).content_bytes = made[path]
        self.engine.prepare_templates(env)
        return env

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        for problem in self.policy.report():
            log.warning(problem)
        entries = self.engine.search_entries()
        if self.engine.serve:
            self.engine.folder.remove_stale(config.site_dir)
        if self.site is not None:
            rewrite_index_file(Path(config.site_dir) / "search" / "search_index.json", self.site, entries)
        self.engine.built()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        # The reload script `mkdocs serve` adds to each page it serves runs under the page's policy,
        # admitted by its hash (a build has none); the method is MkDocs 1.6's (pinned below 2).
        server._inject_js_into_html = admitting_injected_scripts(server._inject_js_into_html)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        self.engine.end()

    def on_shutdown(self) -> None:
        self.engine.shutdown()
