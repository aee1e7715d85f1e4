"""Static assets shipped with the package: the agenda script, the stylesheet (print layout),
Material's inline scripts as a file (theme.js, for a Content-Security-Policy without inline script),
and the share card of a site without a raster logo (sharecard.py)."""

from __future__ import annotations

from importlib.resources import files

from ..deps import option
from ..sharecard import FILE, share_card
from ..site import Output, Site

ASSETS = ("agenda.js", "tables.js", "search.js", "plansite.css", "theme.js")
THEME_SCRIPT = "theme.js"  # Material's inline scripts as a file: loaded by the theme partials, not extra_javascript


def extra_javascript(site: Site) -> list[str]:
    """What mkdocs.yml's extra_javascript must list (the plugin adds it; render writes it)."""
    return [f"{site.paths.assets}/{name}" for name in ASSETS if name.endswith(".js") and name != THEME_SCRIPT]


def extra_css(site: Site) -> list[str]:
    return [f"{site.paths.assets}/{name}" for name in ASSETS if name.endswith(".css")]


def theme_dir() -> str:
    """The theme layer the plugin puts over Material: partials that load theme.js instead of inline
    script, and a main.html that escapes the page title (and writes the CSP <meta> for `plansite render`)."""
    return str(files("plansite") / "theme")


def build(site: Site) -> list[Output]:
    root = files("plansite") / "assets"
    return [Output(f"{site.paths.assets}/{name}", (root / name).read_bytes(), deps=frozenset())  # the package's own
            for name in ASSETS] + [Output(f"{site.paths.assets}/{FILE}", share_card(site.site_name),
                                          deps=option("site_name"))]
