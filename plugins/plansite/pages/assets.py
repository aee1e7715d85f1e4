"""Static assets shipped with the package: the agenda script and the stylesheet (print layout)."""

from __future__ import annotations

from importlib.resources import files

from ..site import Output, Site

ASSETS = ("agenda.js", "tables.js", "search.js", "plansite.css")


def extra_javascript(site: Site) -> list[str]:
    """What mkdocs.yml's extra_javascript must list (the plugin adds it; render writes it)."""
    return [f"{site.paths.assets}/{name}" for name in ASSETS if name.endswith(".js")]


def extra_css(site: Site) -> list[str]:
    return [f"{site.paths.assets}/{name}" for name in ASSETS if name.endswith(".css")]


def build(site: Site) -> list[Output]:
    root = files("plansite") / "assets"
    return [Output(f"{site.paths.assets}/{name}", (root / name).read_bytes()) for name in ASSETS]
