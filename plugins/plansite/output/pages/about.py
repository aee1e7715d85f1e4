"""The about page (about.md): the site's name and every school the data has, in pinyin order, each
linked to its page. Made at every build from the data, so a school imported later is listed; a
hand-written docs/about.md wins, as for every generated page (the demo has one)."""

from __future__ import annotations

from functools import partial

from ...input.slugs import pinyin_order
from ..deps import PAGE, option
from ..site import Output, Site

ABOUT_PATH = "about.md"


def build(site: Site) -> list[Output]:
    # which schools exist and their names (the links: their URL names); the site's name
    deps = PAGE | {("school",), ("district",)} | option("site_name")
    return [Output(ABOUT_PATH, partial(_page, site), deps=deps)]


def _page(site: Site) -> str:
    schools = sorted(site.data.schools.values(), key=lambda s: (pinyin_order(s.name), s.id))
    return site.render("about.md.j2", ABOUT_PATH, schools=schools, site_name=site.site_name,
                       data_json=site.paths.data_json, calendar=site.paths.calendar_index)
