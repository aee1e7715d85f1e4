"""The MkDocs adapter: hooks only. All work happens in load.py and pages/."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .config import PlanSiteConfig
from .load import LoadResult, load_plan_data
from .model import PlanData
from .pages import Paths, Site, build_pages, site_date_of

log = get_plugin_logger(__name__)


class PlanSitePlugin(BasePlugin[PlanSiteConfig]):
    def __init__(self) -> None:
        self.data: PlanData | None = None
        self._cache: tuple[tuple, LoadResult] | None = None
        self.site_date = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across `mkdocs serve` rebuilds, so the parse
        # cache below survives edits to unrelated files.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").parent
        data_dir = (base / self.config.data_dir).resolve()
        if str(data_dir) not in [os.path.abspath(w) for w in config.watch]:
            config.watch.append(str(data_dir))
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")  # generated headings carry {#anchor}
        toc = config.mdx_configs.setdefault("toc", {})
        if self.config.heading_anchors == "unicode" and "slugify" not in toc:
            from markdown.extensions.toc import slugify_unicode

            toc["slugify"] = slugify_unicode
        result = self._load(data_dir)
        for problem in result.warnings:
            log.warning(str(problem))
        if result.errors:
            listing = "\n".join(f"  {p}".replace("\n", "\n  ") for p in result.errors)
            raise PluginError(f"plan_data 有 {len(result.errors)} 处错误：\n{listing}\n"
                              f"修改后重新构建；也可以运行 `plansite check {self.config.data_dir}` 查看。")
        self.data = result.data
        self.site_date = self.config.site_date or site_date_of(self.data)
        return config

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        # MkDocs stamps every page with today's date (sitemap.xml and its .gz): use a date
        # that comes from the data instead, unless the builder asked for SOURCE_DATE_EPOCH.
        if "SOURCE_DATE_EPOCH" not in os.environ:
            page.update_date = self.site_date
        return page

    def _load(self, data_dir: Path) -> LoadResult:
        """Parse plan_data, reusing the last result while no data file changed (serve rebuilds)."""
        stamp = tuple(sorted((str(p), s.st_mtime_ns, s.st_size) for p in data_dir.rglob("*")
                             if (s := p.stat()) and p.is_file())) if data_dir.is_dir() else ()
        if self._cache and self._cache[0] == stamp:
            return self._cache[1]
        result = load_plan_data(data_dir)
        self._cache = (stamp, result)
        return result

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.data is not None
        paths = Paths(school=self.config.school_path, plan=self.config.plan_path,
                      project=self.config.project_path, data_json=self.config.data_json)
        site = Site(self.data, paths, config.use_directory_urls, config.site_name)
        for out in build_pages(site):
            if files.get_file_from_path(out.path) is not None:
                log.info(f"{out.path}: 使用手写页面，跳过生成")  # a hand-written page at the same path wins
                continue
            inclusion = InclusionLevel.UNDEFINED if out.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, out.path, content=out.content, inclusion=inclusion))
        return files
