"""The build context every page and feed builder takes: the data, where each output goes, URLs
between them, the site date, and the Markdown template environment.

One `Site` per build, made by `site_from_options` from the plugin's validated options, whether
MkDocs runs the plugin or `plansite render` writes the pages; it does not change once made. Builders
return `Output` records, each with the keys it reads (deps.py); the plugin turns them into MkDocs
files and render writes them to a folder. What a build computes from part of the data lives in its
`Memo`, which a `serve` rebuild takes over from the last one (incremental.py).
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Any, Callable

import jinja2

from ..views.agenda import BlockView, Entry, build_agenda, date_label, months_label, plan_entries, schedule_views
from ..input.dates import YearMonth
from .admin.cmsconfig import EditorSettings, editor_settings
from .deps import Key, Memo
from .mdtext import bake_anchors, join_cjk_lines, md_text, shift_headings
from ..input.model import Plan, PlanData
from ..input.projects import StageEvent, latest_stage, timeline
from .sanitize import clean_prose
from ..input.slugs import heading_slugify


@dataclass(frozen=True, eq=False)
class Output:
    """One generated file. Its text may be deferred: `body` is then a function that makes it, called
    once when `content` is first read. A builder decides the paths of its pages first and puts the
    costly part (the page's context and template) in that function, so `mkdocs build` can list every
    page at once and make the texts in a second process while MkDocs renders (plugin.py)."""

    path: str  # docs-relative source path, e.g. plans/qinghe-2026-autumn.md
    body: str | bytes | Callable[[], str | bytes]
    in_nav: bool = False  # derived pages stay out of the global nav (Material copies it into every page)
    source: str | None = None  # data file it came from, relative to plan_data/
    sanitize: bool = False  # built from authors' Markdown prose: clean the page HTML (nh3)
    # the keys its text reads (deps.py), declared by its builder: a `serve` rebuild makes the output
    # again when an edit changes one of them, or when they differ from the last build's
    deps: frozenset[Key] = frozenset()

    @property
    def deferred(self) -> bool:
        return callable(self.body) and "content" not in self.__dict__

    @cached_property
    def content(self) -> str | bytes:
        return self.body() if callable(self.body) else self.body


@dataclass(frozen=True)
class Paths:
    """Where each page family lives (docs-relative .md paths); set from the plugin options."""

    school: str = "schools/{slug}.md"
    plan: str = "plans/{slug}.md"
    project: str = "projects/{slug}.md"
    schools_index: str = "schools/index.md"
    projects_index: str = "projects/index.md"
    home: str = "index.md"
    data_json: str = "data/plans.json"
    month: str = "calendar/{month}.md"  # {month} is YYYY-MM
    calendar_index: str = "calendar/index.md"
    feed_all: str = "calendar/all.ics"
    feed_school: str = "calendar/feeds/{slug}.ics"
    assets: str = "assets/plansite"
    compare: str = "compare"

    def section_names(self) -> dict[str, str]:
        """The Chinese names of the folders a generated nav groups pages by (学校, 课题, …)."""
        return {self.school.split("/")[0]: "学校", self.project.split("/")[0]: "课题",
                self.month.split("/")[0]: "行事历", self.compare: "学校对比"}


def url_of(path: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a docs path: plans/x.md -> plans/x/ (or plans/x.html)."""
    stem, ext = posixpath.splitext(path)
    if ext != ".md":
        return path
    if posixpath.basename(stem) in ("index", "README"):
        d = posixpath.dirname(stem)
        return d + "/" if d else ""
    return stem + "/" if use_directory_urls else stem + ".html"


def projects_cited(plan: Plan) -> set[str]:
    """The projects a plan works on or links from its items."""
    return {pp.id for pp in plan.projects} | {pr for block in plan.schedule for item in block.items for pr in item.projects}


def paged(path: str, page: int) -> str:
    """Page n of a split page: calendar/2026-11.md, calendar/2026-11/page/2.md, …
    (projects/index.md, projects/page/2.md, …)"""
    if page == 1:
        return path
    stem = posixpath.splitext(path)[0]
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return f"{stem}/page/{page}.md" if stem else f"page/{page}.md"


@functools.lru_cache(maxsize=65536)  # pages link to the same few pages thousands of times
def relative_link(here: str, target: str) -> str:
    """A Markdown link from one docs path to another (MkDocs resolves and checks .md links)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


_relpath = functools.lru_cache(maxsize=65536)(posixpath.relpath)


def folder_path(path: str) -> str:
    """A page as the index of its own folder: plans/x.md -> plans/x/index.md (same URL).

    Engines differ on raw-HTML links: MkDocs leaves them relative to the page's URL (plans/x/),
    Zensical rewrites them as if relative to the source file (plans/). In its own folder a page's
    source and URL share one directory, so a raw-HTML link means the same in both."""
    stem, ext = posixpath.splitext(path)
    if ext != ".md" or posixpath.basename(stem) in ("index", "README"):
        return path
    return stem + "/index.md"


# ------------------------------------------------------------------ the site date


class SiteDateError(ValueError):
    """The site_date option is not a date; the message is for the user."""


def site_date_of(data: PlanData) -> str:
    """A build date that depends on the data only: the first day of the newest term."""
    starts = [p.term.start for p in data.plans.values()]
    newest = max(starts) if starts else None
    return f"{newest}-01" if newest else "2000-01-01"


def resolve_site_date(option: str | None, data: PlanData) -> str:
    """The site date: the option (YYYY-MM-DD), else SOURCE_DATE_EPOCH, else from the data."""
    if option:
        try:
            return date.fromisoformat(option).isoformat()
        except ValueError as err:
            raise SiteDateError(f"plansite.site_date 应写成 YYYY-MM-DD，实际为 {option!r}") from err
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    return site_date_of(data)


# ------------------------------------------------------------------ the context


class Site:
    """What every builder needs: the data, where pages live, and the template environment."""

    def __init__(self, data: PlanData, paths: Paths | None = None, use_directory_urls: bool = True,
                 site_name: str = "", site_url: str | None = None, site_date: str | None = None,
                 heading_anchors: str = "pinyin", page_folders: bool = False,
                 fixed_paths: frozenset[str] = frozenset(), *, all_feed: bool = True,
                 schools_per_page: int = 25, editor: EditorSettings | None = None, memo: Memo | None = None) -> None:
        self.data = data
        self.editor = editor  # the web editor at /admin/ (output/admin/), None when off
        self.schools_per_page = max(1, schools_per_page)  # month and comparison pages split by school
        self.all_feed = all_feed  # calendar/all.ics: every school's events in one feed
        self.heading_anchors = heading_anchors
        self.paths = paths or Paths()
        self.use_directory_urls = use_directory_urls
        self.site_name = site_name
        self.site_url = (site_url.rstrip("/") + "/") if site_url else None
        self.site_date = site_date or site_date_of(data)
        # plansite render: each page written as the index of its own folder (folder_path), so
        # that links in raw HTML resolve alike in every engine; only with directory URLs, where
        # it keeps every URL as it is; fixed_paths keep their file (named by the nav, hand-written)
        self.page_folders = page_folders and use_directory_urls
        self.fixed_paths = fixed_paths
        # values computed from part of the data (a plan's anchors, a calendar event, search entries …),
        # each with the keys it read; a `serve` rebuild takes over the last build's (incremental.py)
        self.memo = memo if memo is not None else Memo()
        slugify = heading_slugify(heading_anchors)
        # the slug function for headings in authors' prose, or None to leave them to the engine
        self.anchor = (lambda text: slugify(text, "-")) if slugify else None

    def __reduce__(self):
        """A second process started by spawn makes this Site again from its settings (the memo is
        made anew there; the template functions cannot be pickled)."""
        return _site_from_args, ((self.data, self.paths, self.use_directory_urls, self.site_name, self.site_url,
                                  self.site_date, self.heading_anchors, self.page_folders, self.fixed_paths,
                                  self.all_feed, self.schools_per_page, self.editor),)

    def settings(self) -> dict[str, object]:
        """What the options decide, by the name outputs declare them with: ("option", name)."""
        return {"paths": self.paths, "urls": self.use_directory_urls, "folders": (self.page_folders, self.fixed_paths),
                "anchors": self.heading_anchors, "site_name": self.site_name, "site_url": self.site_url,
                "site_date": self.site_date, "all_feed": self.all_feed, "schools_per_page": self.schools_per_page,
                "editor": self.editor}

    # paths and URLs

    def school_path(self, school_id: str) -> str:
        return self.paths.school.format(slug=self.data.schools[school_id].slug, id=school_id)

    def plan_path(self, plan_id: str) -> str:
        return self.paths.plan.format(slug=self.data.plans[plan_id].slug, id=plan_id)

    def project_path(self, project_id: str) -> str:
        return self.paths.project.format(slug=self.data.projects[project_id].slug, id=project_id)

    def month_path(self, ym: YearMonth, school_id: str | None = None, page: int = 1) -> str:
        """A month page; with school_id, the page of the month that lists that school."""
        return paged(self.paths.month.format(month=str(ym)), self.page_of(school_id) if school_id else page)

    @cached_property
    def school_pages(self) -> dict[str, int]:
        """school id -> the page (1, 2, …) that lists it on month and comparison pages: schools in
        name order, schools_per_page to a page, so no page grows with the district."""
        order = sorted(self.data.schools, key=lambda sid: (self.data.schools[sid].name, sid))
        return {sid: n // self.schools_per_page + 1 for n, sid in enumerate(order)}

    def page_of(self, school_id: str) -> int:
        return self.school_pages[school_id]

    def split_by_page(self, school_ids: list[str]) -> list[tuple[int, list[str]]]:
        """Ordered school ids grouped by their page; page 1 is always there (the page others link to)."""
        pages: dict[int, list[str]] = {1: []}
        for sid in school_ids:
            pages.setdefault(self.page_of(sid), []).append(sid)
        return sorted(pages.items())

    def feed_path(self, school_id: str | None = None) -> str:
        if school_id is None:
            return self.paths.feed_all
        return self.paths.feed_school.format(slug=self.data.schools[school_id].slug, id=school_id)

    def url(self, path: str) -> str:
        return url_of(path, self.use_directory_urls)

    def source_path(self, path: str) -> str:
        """Where a page's Markdown is written: its path, or its own folder's index (page_folders)."""
        return folder_path(path) if self.page_folders and path not in self.fixed_paths else path

    def absolute_url(self, path: str) -> str | None:
        """Full URL of a page or file, when site_url is known (feeds and webcal:// links need it)."""
        return self.site_url + self.url(path) if self.site_url else None

    def html_link(self, here: str, target: str, anchor: str = "") -> str:
        """A link for raw HTML, which MkDocs does not rewrite: relative between the final URLs, never
        above the site root. Engines that do rewrite it read it relative to the source file, which
        is the same folder in `plansite render` output (page_folders)."""
        page = self.url(here)
        base = page.rstrip("/") if page.endswith("/") else posixpath.dirname(page)
        dest = self.url(target)
        rel = _relpath(dest.rstrip("/") or ".", base or ".")
        if dest.endswith("/") or dest == "":
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{anchor}" if anchor else "")

    # views of the data, computed once per build

    def views(self, plan_id: str) -> list[BlockView]:
        """A plan's schedule with anchors (agenda.schedule_views)."""
        return self.memo.get(("views", plan_id), (("plan", plan_id),),
                             lambda: schedule_views(self.data.plans[plan_id]))

    def entries(self, plan_id: str) -> list[Entry]:
        """A plan's items in every month they belong to (agenda.plan_entries)."""
        return self.memo.get(("entries", plan_id), (("plan", plan_id),),
                             lambda: list(plan_entries(self.data.plans[plan_id], self.views(plan_id))))

    @cached_property
    def agenda(self) -> dict[YearMonth, list[Entry]]:
        return build_agenda(self.data, self.entries)

    @cached_property
    def agenda_by_school(self) -> dict[str, dict[YearMonth, list[Entry]]]:
        """school id -> month -> that school's entries of the month."""
        out: dict[str, dict[YearMonth, list[Entry]]] = {}
        for ym, entries in self.agenda.items():
            for e in entries:
                out.setdefault(e.plan.school, {}).setdefault(ym, []).append(e)
        return out

    @cached_property
    def timelines(self) -> dict[str, list[StageEvent]]:
        """Each project's merged stage timeline (projects.timeline)."""
        return {pid: self.memo.get(("timeline", pid), (("project", pid), ("timeline", pid)),
                                   lambda project=project: timeline(self.data, project))
                for pid, project in self.data.projects.items()}

    @cached_property
    def latest_stages(self) -> dict[str, str | None]:
        return {pid: latest_stage(events) for pid, events in self.timelines.items()}

    # Markdown from templates

    @property
    def env(self) -> jinja2.Environment:
        return _template_env()

    def link(self, here: str, target: str, anchor: str = "") -> str:
        """A Markdown link from one page to another, between the files as written (source_path)."""
        return relative_link(self.source_path(here), self.source_path(target)) + (f"#{anchor}" if anchor else "")

    def render(self, template: str, here: str, **context: object) -> str:
        def link(target: str, anchor: str = "") -> str:
            return self.link(here, target, anchor)

        text = self.env.get_template(template).render(site=self, data=self.data, here=here, link=link, **context)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return bake_anchors(text, self.anchor) if self.anchor else text


def _site_from_args(args: tuple) -> Site:
    (data, paths, use_directory_urls, site_name, site_url, site_date, heading_anchors, page_folders,
     fixed_paths, all_feed, schools_per_page, editor) = args
    return Site(data, paths, use_directory_urls, site_name, site_url, site_date, heading_anchors, page_folders,
                fixed_paths, all_feed=all_feed, schools_per_page=schools_per_page, editor=editor)


@functools.cache
def _template_env() -> jinja2.Environment:
    """One template environment per process: it holds nothing of a build, and compiled templates
    are reused across `serve` rebuilds."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("plansite", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # templates emit Markdown; values go through the |md filter
        keep_trailing_newline=True,
        # Markdown attribute lists ({#anchor}) must not read as Jinja comments.
        comment_start_string="{##",
        comment_end_string="##}",
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_text
    env.filters["shift_headings"] = shift_headings
    env.filters["date_label"] = date_label
    env.filters["months_label"] = months_label
    env.filters["prose"] = lambda text: join_cjk_lines(clean_prose(text))
    return env


def site_from_options(data: PlanData, options: Any, *, use_directory_urls: bool, site_name: str,
                      site_url: str | None, page_folders: bool = False,
                      fixed_paths: frozenset[str] = frozenset()) -> Site:
    """The Site for the plugin's validated options (config.PlanSiteConfig), with MkDocs' own
    use_directory_urls, site_name and site_url (page_folders: see Site). Raises SiteDateError for
    a bad site_date."""
    paths = Paths(school=options.school_path, plan=options.plan_path, project=options.project_path,
                  data_json=options.data_json)
    return Site(data, paths, use_directory_urls, site_name or "", site_url,
                resolve_site_date(options.site_date, data), options.heading_anchors, page_folders,
                fixed_paths, all_feed=options.all_feed, schools_per_page=options.schools_per_page,
                editor=editor_settings(options))
