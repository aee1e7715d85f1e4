"""Split pages (month, comparison and projects index parts, schools_per_page to a part): the
links between the parts, and what those links read."""

from __future__ import annotations

from ..mdtext import md_text
from ..site import Site


def pager(site: Site, here: str, pages: list[tuple[int, list[str]]], path_of) -> str:
    """Markdown links between the pages of a split page, each named by its first and last school;
    empty when everything fits on one page."""
    if len(pages) < 2:
        return ""
    parts = []
    for page, sids in pages:
        names = [site.data.schools[sid] for sid in (sids[:1] + sids[-1:] if len(sids) > 1 else sids)]
        span = "—".join(md_text(s.short_name or s.name) for s in names)
        label = f"第{page}页" + (f"（{span}）" if span else "")
        target = path_of(page)
        parts.append(f"**{label}**" if target == here else f"[{label}]({site.link(here, target)})")
    return "按学校分页：" + " · ".join(parts)


def pager_deps(pages: list[tuple[int, list[str]]]) -> frozenset:
    """What pager() reads: the parts, and the names of each part's first and last school."""
    parts = tuple((page, tuple(sids)) for page, sids in pages)
    ends = {sid for _, sids in pages for sid in sids[:1] + sids[-1:]} if len(pages) > 1 else set()
    return frozenset({("layout", "parts", parts)} | {("school", sid) for sid in ends})
