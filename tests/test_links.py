"""No broken links: every internal link and anchor of the built demo resolves, at a domain root and
under a sub-path (tests/linkcheck.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck import check_site


@pytest.mark.parametrize("prefix", ["/", "/sub/path/"])
def test_every_internal_link_and_anchor_resolves(demo_site, prefix):
    report = check_site(demo_site, prefix)
    assert report.checked > 1000
    assert report.broken == [], "\n".join(report.broken[:30])


def _page(site: Path, path: str, body: str) -> None:
    file = site / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f'<!doctype html><html><body><h1 id="top">t</h1>{body}</body></html>', encoding="utf-8")


def test_the_checker_finds_each_kind_of_broken_link(tmp_path):
    site = tmp_path / "site"
    _page(site, "index.html", '<a href="plans/a/">ok</a><a href="plans/a/#top">ok</a><a href="webcal://x.test/a.ics">out</a>')
    _page(site, "plans/a/index.html",
          '<a href="../../">home</a>'                # the site root: fine
          '<a href="../../../calendar/">above</a>'   # climbs above the site root
          '<a href="../b/">missing</a>'              # no such page
          '<a href="../../#nowhere">anchor</a>'      # no such anchor
          '<a href="/plans/a/">absolute</a>')        # works only at a domain root
    report = check_site(site, "/sub/path/")
    assert report.checked == 7
    assert [b.split(" (")[1].split(":")[0].rstrip(")") for b in report.broken] == [
        "above the site root", "no file", "no anchor #nowhere", "above the site root"]
    assert check_site(site, "/").broken[0].startswith("plans/a/index.html: ../../../calendar/ (no file")
