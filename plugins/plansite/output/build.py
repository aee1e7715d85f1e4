"""Everything a build generates, in a fixed order: the one place that calls every builder.

    plan_data -> load -> PlanData -> site.Site -> build_pages() -> [Output] -> MkDocs files
                                                                         or -> plansite render

The plugin (plugin.py) and `plansite render` (render.py) both call build_pages(); nothing below
this module imports it.
"""

from __future__ import annotations

from . import search
from .admin import files as admin
from .feeds import ics, json_export
from .pages import about, assets, compare, home, month, plan, project, schema, school
from .site import Output, Site


def build_pages(site: Site, data_files: bool = True, deferred: bool = False) -> list[Output]:
    """All generated files, in a fixed order. data_files=False leaves out build_data_files().

    Outputs are listed first, each with the keys it reads, and made in that order: with deferred=True
    their texts are left to be made when first read (Output.content), so the paths are known at once
    (the plugin then makes the texts in a second process; a `serve` rebuild makes only those an edit
    changed); otherwise every text is made before this returns."""
    outputs: list[Output] = []
    outputs += home.build(site)
    outputs += school.build(site)
    outputs += plan.build(site)
    outputs += project.build(site)
    outputs += month.build(site)
    outputs += compare.build(site)
    outputs += schema.build(site) + about.build(site) + assets.build(site)
    outputs += admin.build(site)  # the web editor at /admin/, when the editor option is on
    if data_files:
        outputs += build_data_files(site)
    if not deferred:
        make_all(outputs)
    return outputs


def make_all(outputs: list[Output]) -> None:
    """Make every deferred text now, in order."""
    for out in outputs:
        out.content  # noqa: B018 (a cached property: reading it makes the text)


def build_data_files(site: Site) -> list[Output]:
    """Feeds, the open-data export, the pinyin vocabulary and the list of schools search answers from
    at once: files no page needs while it renders, so the plugin can make them in a second process
    (data_file_paths says where they go)."""
    return (ics.build(site) + json_export.build(site, [site.url(p) for p in compare.compare_paths(site)])
            + search.build(site))


def data_file_paths(site: Site) -> list[str]:
    """The paths build_data_files() writes, without building them."""
    feeds = ([site.feed_path()] if site.all_feed else []) + [site.feed_path(sid) for sid in site.data.schools]
    return feeds + [site.paths.data_json, search.vocabulary_path(site), search.school_list_path(site)]


def clashing_outputs(site: Site, outputs: list[Output]) -> list[str]:
    """Generated files that would land on the same URL (schools/index.md and a school whose URL
    name is index; compare/x.md and compare/x/index.md), each named with the data file it came
    from. The loader refuses the URL names that cause this; this is the last guard."""
    seen: dict[str, Output] = {}
    out = []
    for o in outputs:
        url = site.url(o.path)
        first = seen.setdefault(url, o)
        if first is not o:
            names = "、".join(f"{x.path}（{'plan_data/' + x.source if x.source else '生成'}）" for x in (first, o))
            out.append(f"{url or '/'}：{names}")
    return out
