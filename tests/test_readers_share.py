"""Shared links and feeds on the demo and on a site of imported plans (the fixtures' fictional plans,
imported with `plansite import` as a school would): every page's og:description is written from its
content for its kind, never navigation or a system line; one share picture of a fixed size; 上旬/中旬/
下旬 items are no ten-day banners in the feeds."""

from __future__ import annotations

import html
import json
import re
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import FIXTURES, build_site
from test_newsite import OUR_URL, apply_review_fixes, plansite

# what a page's description must never be: its links to other pages or a line the system says
NAVIGATION = re.compile(r"[←→]|全部月份|全部学期|本学期行事历|^返回|不在任何学期之内|还没有阶段记录|暂无|本页由程序|按学校分页")


@pytest.fixture(scope="module")
def demo(demo_site) -> Path:
    return demo_site


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path]:
    """A site of imported plans: `plansite new`, every fictional plan of the fixtures imported, the
    import report's fixes done; (project, built site)."""
    root = tmp_path_factory.mktemp("share-imported")
    project = root / "p"
    assert plansite("new", str(project), "--name", "青禾区教科研", "--school", "青禾区实验小学",
                    "--site-url", OUR_URL, cwd=root).returncode == 0
    texts = sorted((FIXTURES / "firstday").glob("*.txt")) + sorted((FIXTURES / "importer").glob("*.txt")) \
        + sorted((FIXTURES / "importer/formats").glob("*.txt"))
    done = plansite("import", *map(str, texts), "--term", "2026秋", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    apply_review_fixes(project)
    return project, build_site(project, root / "site")


def descriptions(site: Path) -> dict[str, str]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html":  # served for any missing address, never shared
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        og = soup.select_one('meta[property="og:description"]')
        out[rel] = og["content"] if og else ""
    return out


def subject(site: Path, rel: str) -> str | None:
    """What the page is about, as its heading names it: a school's, plan's or project's name, a
    month, a term. None for pages whose heading is generic."""
    soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")
    h1 = soup.select_one("article h1")
    for mark in h1.select(".headerlink") if h1 else []:
        mark.decompose()
    title = h1.get_text("", strip=True) if h1 else ""
    if rel.startswith("schools/") and rel != "schools/index.html":
        return title
    if rel.startswith("projects/") and "/page/" not in rel and rel != "projects/index.html":
        return title
    if rel.startswith("calendar/20"):
        return re.match(r"\d{4}年\d{1,2}月", title).group(0)
    if rel.startswith("compare/20"):
        return re.match(r"\d{4}年[春秋]季学期", title).group(0)
    if rel.startswith("plans/"):
        link = soup.select_one("article p a")  # **学校**：[school]
        return link.get_text(strip=True) if link else None
    return None


@pytest.mark.parametrize("which", ["demo", "imported"])
def test_every_page_describes_itself(which, demo, imported):
    site = demo if which == "demo" else imported[1]
    found = descriptions(site)
    assert len(found) > 40
    bad = {rel: d for rel, d in found.items() if len(d) < 12 or NAVIGATION.search(d)}
    assert not bad, bad
    unnamed = {}
    for rel, d in found.items():
        name = subject(site, rel)
        if name and name not in html.unescape(d):
            unnamed[rel] = (name, d)
    assert not unnamed, unnamed
    kinds = {rel.split("/")[0] for rel in found}
    assert {"schools", "plans", "projects", "calendar", "compare"} <= kinds
    # a page's description is its own: the pages of one kind do not share one text
    months = [d for rel, d in found.items() if re.fullmatch(r"calendar/\d{4}-\d\d/index.html", rel)]
    assert len(set(months)) == len(months)


def test_a_description_is_text_escaped_once():
    """Names go into descriptions as text: a quote, an ampersand or a tag in the data stays text."""
    from plansite.output import describe
    from plansite.output.headmeta import add_social_meta
    said = describe.listing(['A&B<i>"校"</i>', "C"], "所学校")
    out = add_social_meta("<head></head>", title="t", description=said, url=None, site_name="s")
    tag = re.search(r'<meta property="og:description" content="([^"]*)">', out).group(1)
    assert "<i>" not in tag and html.unescape(tag) == 'A&B<i>"校"</i>、C 2 所学校'
    front = describe.front_matter("# x\n", 'a: "b" # c')
    import yaml
    assert yaml.safe_load(front.split("---")[1])["description"] == 'a: "b" # c'


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_one_share_picture_of_a_fixed_size_same_origin(demo, imported):
    for site, url in ((demo, "https://plansite.example.org/"), (imported[1], OUR_URL)):
        images = set()
        for page in ("index.html", "calendar/index.html"):
            soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
            images.add(soup.select_one('meta[property="og:image"]')["content"])
        (image,) = images
        assert image == url + "assets/plansite/share.png"
        card = (site / "assets/plansite/share.png").read_bytes()
        assert png_size(card) == (300, 300)
    # the card is drawn from the site's name alone: the same name, the same bytes
    from plansite.output.sharecard import share_card
    assert share_card("青禾区教科研") == (imported[1] / "assets/plansite/share.png").read_bytes()


def long_events(site: Path) -> tuple[int, list[str]]:
    cal = Calendar.from_ical((site / "calendar/all.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    return len(events), [str(ev["SUMMARY"]) for ev in events
                         if (ev.decoded("DTEND") - ev.decoded("DTSTART")).days > 7]


@pytest.mark.parametrize("which", ["demo", "imported"])
def test_few_feed_events_last_longer_than_a_week(which, demo, imported):
    total, long = long_events(demo if which == "demo" else imported[1])
    assert total > 100 and len(long) <= 0.02 * total, long


def test_an_item_of_a_xun_is_one_day_with_the_xun_in_its_title(demo):
    cal = Calendar.from_ical((demo / "calendar/all.ics").read_bytes())
    xun = [ev for ev in cal.walk("VEVENT") if re.search(r"（\d{1,2}月[上中下]旬）$", str(ev["SUMMARY"]))]
    assert len(xun) >= 20
    for ev in xun:
        start = ev.decoded("DTSTART")
        assert (ev.decoded("DTEND") - start).days == 1 and start.day in (1, 11, 21)
        assert str(ev["TRANSP"]) == "TRANSPARENT"
