"""No broken links: every internal link and anchor of the built demo resolves."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def _target(site: Path, page: str, href: str) -> tuple[Path, str] | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
        return None  # outside the site (webcal:// subscriptions, school websites)
    base = "" if parts.path.startswith("/") else posixpath.dirname(page)  # 404.html links from the site root
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/"))) if parts.path else page
    if path in (".", ""):
        path = ""
    target = site / path
    if target.is_dir() or parts.path.endswith("/") or not parts.path:
        target = target / "index.html" if not (parts.path == "" and target.is_file()) else target
    return target, parts.fragment


@lru_cache(maxsize=None)
def _ids(path: Path) -> frozenset[str]:
    html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return frozenset(el["id"] for el in html.select("[id]"))


def test_every_internal_link_and_anchor_resolves(demo_site):
    broken, checked = [], 0
    for file in sorted(demo_site.rglob("*.html")):
        page = file.relative_to(demo_site).as_posix()
        html = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for el, attr in [(a, "href") for a in html.select("a[href]")] + [(s, "src") for s in html.select("script[src]")] \
                + [(lk, "href") for lk in html.select("link[href]")]:
            href = el[attr]
            if el.name == "link" and el.get("rel") and "canonical" in el["rel"]:
                continue  # absolute by design (site_url)
            found = _target(demo_site, page, href)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            if not target.is_file():
                broken.append(f"{page}: {href} (no file)")
            elif fragment and target.suffix == ".html" and fragment not in _ids(target):
                broken.append(f"{page}: {href} (no anchor)")
    assert checked > 1000
    assert broken == [], "\n".join(broken[:30])
