"""Page builders: PlanData -> generated Markdown and data files. Pure Python, no MkDocs.

Every builder returns Output records; the MkDocs plugin turns them into ``File.generated``
and ``plansite render`` writes them to a folder, so both share this one code path.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from functools import cached_property

import jinja2

from ..model import Block, Item, Plan, PlanData, School
from ..sanitize import clean_prose


@dataclass(frozen=True)
class Output:
    path: str  # docs-relative source path, e.g. plans/qinghe-2026-autumn.md
    content: str | bytes
    in_nav: bool = False  # derived pages stay out of the global nav (Material copies it into every page)
    source: str | None = None  # data file it came from, relative to plan_data/
    sanitize: bool = False  # built from authors' Markdown prose: clean the page HTML (nh3)


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


def url_of(path: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a docs path: plans/x.md -> plans/x/ (or plans/x.html)."""
    stem, ext = posixpath.splitext(path)
    if ext != ".md":
        return path
    if posixpath.basename(stem) in ("index", "README"):
        d = posixpath.dirname(stem)
        return d + "/" if d else ""
    return stem + "/" if use_directory_urls else stem + ".html"


def relative_link(here: str, target: str) -> str:
    """A Markdown link from one docs path to another (MkDocs resolves and checks .md links)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md_text(value: object) -> str:
    """Plain text for a Markdown table cell or a link label: no markup, no HTML, one line."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def shift_headings(markdown: str, top: int) -> str:
    """Re-level the headings of an author's Markdown so its outermost heading becomes `top`."""
    lines = markdown.splitlines()
    fence = None
    levels = []
    for line in lines:
        if re.match(r"\s*(```|~~~)", line):
            fence = None if fence else line.strip()[:3]
        elif not fence and (m := re.match(r"(#{1,6})\s", line)):
            levels.append(len(m.group(1)))
    if not levels:
        return markdown
    delta = top - min(levels)
    out, fence = [], None
    for line in lines:
        if re.match(r"\s*(```|~~~)", line):
            fence = None if fence else line.strip()[:3]
        elif not fence and (m := re.match(r"(#{1,6})(\s.*)", line)):
            line = "#" * max(1, min(6, len(m.group(1)) + delta)) + m.group(2)
        out.append(line)
    return "\n".join(out)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTRS = re.compile(r"\{[^{}]*#([\w-]+)[^{}]*\}\s*$")


def bake_anchors(markdown: str, anchor) -> str:
    """Give every heading without one an explicit {#id}, unique in the page.

    Generated pages then have the same anchors in any engine that builds them (`plansite render`),
    not only where this plugin's slugify runs.
    """
    lines = markdown.split("\n")
    used, fence = set(), None
    for line in lines:
        if (m := _HEADING.match(line)) and (a := _ATTRS.search(m.group(2))):
            used.add(a.group(1))
    for n, line in enumerate(lines):
        if re.match(r"\s*(```|~~~)", line):
            fence = None if fence else line.strip()[:3]
            continue
        m = _HEADING.match(line)
        if fence or not m or _ATTRS.search(m.group(2)):
            continue
        base = anchor(re.sub(r"[\\`*_]", "", m.group(2))) or "h"
        slug, k = base, 1
        while slug in used:
            slug, k = f"{base}_{k}", k + 1
        used.add(slug)
        lines[n] = f"{m.group(1)} {m.group(2)} {{#{slug}}}"
    return "\n".join(lines)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def join_cjk_lines(markdown: str) -> str:
    """Drop line breaks inside Chinese paragraphs: browsers show them as spaces between characters."""
    out, fence = [], False
    for chunk in re.split(r"(^(?:```|~~~).*$)", markdown, flags=re.M):
        if re.match(r"(```|~~~)", chunk):
            fence = not fence
            out.append(chunk)
        else:
            out.append(chunk if fence else _CJK_BREAK.sub("", chunk))
    return "".join(out)


class Site:
    """What every builder needs: the data, where pages live, and the template environment."""

    def __init__(self, data: PlanData, paths: Paths | None = None, use_directory_urls: bool = True,
                 site_name: str = "", site_url: str | None = None, site_date: str | None = None,
                 heading_anchors: str = "pinyin") -> None:
        self.data = data
        self.heading_anchors = heading_anchors
        self.paths = paths or Paths()
        self.use_directory_urls = use_directory_urls
        self.site_name = site_name
        self.site_url = (site_url.rstrip("/") + "/") if site_url else None
        self.site_date = site_date or site_date_of(data)

    @property
    def anchor(self):
        """The slug function for headings in authors' prose, or None to leave them to the engine."""
        if self.heading_anchors == "pinyin":
            from ..slugs import heading_slug

            return heading_slug
        if self.heading_anchors == "unicode":
            from markdown.extensions.toc import slugify_unicode

            return lambda text: slugify_unicode(text, "-")
        return None

    def school_path(self, school_id: str) -> str:
        return self.paths.school.format(slug=self.data.schools[school_id].slug, id=school_id)

    def plan_path(self, plan_id: str) -> str:
        return self.paths.plan.format(slug=self.data.plans[plan_id].slug, id=plan_id)

    def project_path(self, project_id: str) -> str:
        return self.paths.project.format(slug=self.data.projects[project_id].slug, id=project_id)

    def month_path(self, ym: object) -> str:
        return self.paths.month.format(month=str(ym))

    def feed_path(self, school_id: str | None = None) -> str:
        if school_id is None:
            return self.paths.feed_all
        return self.paths.feed_school.format(slug=self.data.schools[school_id].slug, id=school_id)

    def url(self, path: str) -> str:
        return url_of(path, self.use_directory_urls)

    def absolute_url(self, path: str) -> str | None:
        """Full URL of a page or file, when site_url is known (feeds and webcal:// links need it)."""
        return self.site_url + self.url(path) if self.site_url else None

    def html_link(self, here: str, target: str, anchor: str = "") -> str:
        """A link for raw HTML, which MkDocs does not rewrite: relative between the final URLs."""
        page = self.url(here)
        base = page.rstrip("/") if page.endswith("/") else posixpath.dirname(page)
        dest = self.url(target)
        rel = posixpath.relpath(dest.rstrip("/") or ".", base or ".")
        if dest.endswith("/") or dest == "":
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{anchor}" if anchor else "")

    def views(self, plan_id: str) -> list:
        """A plan's schedule with anchors (schedule_views), computed once per build."""
        cache = self.__dict__.setdefault("_views", {})
        if plan_id not in cache:
            cache[plan_id] = schedule_views(self.data.plans[plan_id])
        return cache[plan_id]

    @cached_property
    def agenda_by_school(self) -> dict:
        """school id -> month -> that school's entries of the month."""
        out: dict = {}
        for ym, entries in self.agenda.items():
            for e in entries:
                out.setdefault(e.plan.school, {}).setdefault(ym, []).append(e)
        return out

    @cached_property
    def timelines(self) -> dict:
        """Each project's merged stage timeline (projects.timeline), computed once per build."""
        from ..projects import timeline

        return {pid: timeline(self.data, project) for pid, project in self.data.projects.items()}

    @cached_property
    def latest_stages(self) -> dict[str, str | None]:
        from ..projects import latest_stage

        return {pid: latest_stage(events) for pid, events in self.timelines.items()}

    @cached_property
    def agenda(self):
        from ..agenda import build_agenda

        return build_agenda(self.data, self.views)

    @cached_property
    def env(self) -> jinja2.Environment:
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
        env.filters["prose"] = lambda text: join_cjk_lines(clean_prose(text))
        return env

    def render(self, template: str, here: str, **context: object) -> str:
        def link(target: str, anchor: str = "") -> str:
            return relative_link(here, target) + (f"#{anchor}" if anchor else "")

        text = self.env.get_template(template).render(site=self, data=self.data, here=here, link=link, **context)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return bake_anchors(text, self.anchor) if self.anchor else text


def build_pages(site: Site, data_files: bool = True) -> list[Output]:
    """All generated files, in a fixed order. data_files=False leaves out build_data_files()."""
    from . import assets, compare, home, month, plan, project, schema, school

    outputs: list[Output] = []
    outputs += home.build(site)
    outputs += school.build(site)
    outputs += plan.build(site)
    outputs += project.build(site)
    outputs += month.build(site)
    outputs += compare.build(site)
    outputs += schema.build(site)
    outputs += assets.build(site)
    if data_files:
        outputs += build_data_files(site)
    return outputs


def build_data_files(site: Site) -> list[Output]:
    """Feeds, the open-data export and the pinyin vocabulary: files no page needs while it renders,
    so the plugin can make them in a second process (data_file_paths says where they go)."""
    from .. import search
    from ..feeds import ics, json_export

    return ics.build(site) + json_export.build(site) + search.build(site)


def data_file_paths(site: Site) -> list[str]:
    """The paths build_data_files() writes, without building them."""
    feeds = [site.feed_path()] + [site.feed_path(sid) for sid in site.data.schools]
    return feeds + [site.paths.data_json, f"{site.paths.assets}/pinyin.json"]


@dataclass(frozen=True)
class ItemView:
    item: Item
    anchor: str  # stable: from the item's id, or a hash of its heading and text


@dataclass(frozen=True)
class BlockView:
    block: Block
    anchor: str
    items: tuple[ItemView, ...]


def item_key(plan_id: str, block: Block, item: Item) -> str:
    """A key that survives reordering and insertions: the item's own id, else a hash of its text."""
    if item.id:
        return item.id
    digest = hashlib.sha1(f"{plan_id}\0{block.label}\0{item.text}".encode()).hexdigest()
    return digest[:8]


def schedule_views(plan: Plan) -> list[BlockView]:
    """A plan's schedule with a stable anchor on every heading and item."""
    used: set[str] = set()

    def unique(base: str) -> str:
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        return anchor

    views = []
    for n, block in enumerate(plan.schedule, 1):
        head = unique(f"sched-{block.months[0]}" if block.months else f"sched-{n}")
        items = tuple(ItemView(item, unique(f"i-{item_key(plan.id, block, item)}")) for item in block.items)
        views.append(BlockView(block, head, items))
    return views


def place_of(school: School) -> str:
    return " ".join(x for x in (school.province, school.city, school.district) if x)


def site_date_of(data: PlanData) -> str:
    """A build date that depends on the data only: the first day of the newest term."""
    starts = [p.term.start for p in data.plans.values()]
    newest = max(starts) if starts else None
    return f"{newest}-01" if newest else "2000-01-01"


def resolve_site_date(option: str | None, data: PlanData) -> str:
    """The site date: the option (YYYY-MM-DD), else SOURCE_DATE_EPOCH, else from the data.

    Raises ValueError for an option that is not a date.
    """
    import os
    from datetime import date, datetime, timezone

    if option:
        return date.fromisoformat(option).isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    return site_date_of(data)
