"""A link checker of our own over a built site, as a browser resolves links.

Every page is given the URL it has when the site is served under `prefix` (a sub-path such as
`/sub/path/`, as on a school's server or GitHub Pages), and every `href`/`src` is resolved
against that URL: a link is broken when it leaves the prefix (it climbs above the site root and
works only at a domain root), when no file answers it, or when its anchor is not on the page.
It does not rely on the engine's own checks (`--strict`), which differ from engine to engine.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

HOST = "http://site.test"  # never a real address: pages may quote local ones


@dataclass
class LinkReport:
    checked: int = 0
    broken: list[str] = field(default_factory=list)  # "page: href (why)"


def page_url(site: Path, file: Path, prefix: str) -> str:
    """The URL a static server gives a file: a folder's index.html is served at the folder."""
    rel = file.relative_to(site).as_posix()
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return HOST + prefix + rel


def _file_for(site: Path, path: str) -> Path | None:
    """The file a static server answers a site-relative path with, or None (404)."""
    target = site / path if path else site
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


@lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return frozenset(el["id"] for el in html.select("[id]"))


def _links(html: BeautifulSoup):
    for a in html.select("a[href]"):
        yield a["href"]
    for a in html.find_all("a", attrs={"xlink:href": True}):  # links in the inline SVG charts
        yield a["xlink:href"]
    for el in html.select("script[src], img[src]"):
        yield el["src"]
    for el in html.select("link[href]"):
        if "canonical" not in (el.get("rel") or []):  # absolute by design (site_url)
            yield el["href"]


def check_site(site: Path, prefix: str = "/sub/path/") -> LinkReport:
    """Every internal link, script, stylesheet and anchor of every page of `site`, served at `prefix`.

    404.html is checked only at the domain root: servers send it for any missing path, so its links
    are written from site_url's path (README: set SITE_URL to the folder the site lives in)."""
    assert prefix.startswith("/") and prefix.endswith("/")
    report = LinkReport()
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel == "404.html" and prefix != "/":
            continue
        here = page_url(site, file, prefix)
        html = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for href in _links(html):
            url = urlsplit(urljoin(here, href))
            if url.scheme not in ("http", "https") or f"{url.scheme}://{url.netloc}" != HOST:
                continue  # another site, webcal://, mailto:
            report.checked += 1
            path = unquote(url.path)
            if not path.startswith(prefix):
                report.broken.append(f"{rel}: {href} (above the site root: {path})")
                continue
            target = _file_for(site, posixpath.normpath(path[len(prefix):]) if path != prefix else "")
            if target is None:
                report.broken.append(f"{rel}: {href} (no file: {path})")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in _ids(target):
                report.broken.append(f"{rel}: {href} (no anchor #{url.fragment})")
    return report
