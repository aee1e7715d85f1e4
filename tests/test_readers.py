"""The site as readers meet it (issue: parents on phones, teachers this month, a district comparing):
the home page's next two weeks in date order with a joint event once, no editor's words on public
pages, a Chinese 404 with a way home, a page's own description and og: tags, pinyin order."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from plansite.views.agenda import date_label, joint_events, months_label
from plansite.input.dates import YearMonth
from plansite.input.load import load_plan_data
from plansite.output.pages.home import dated_events, render_days
from plansite.output.site import Site
from plansite.input.slugs import pinyin_order

from conftest import ROOT


def demo(site_date: str) -> Site:
    return Site(load_plan_data(ROOT / "plan_data").data, site_name="演示", site_date=site_date)


def public_pages(site_dir: Path) -> list[Path]:
    return [p for p in site_dir.rglob("*.html") if not p.relative_to(site_dir).as_posix().startswith("guide/")]


def test_home_days_are_in_date_order_and_a_joint_event_is_listed_once(demo_site):
    soup = BeautifulSoup((demo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("[data-plansite-days]")
    assert box is not None
    headings = [h.get_text() for h in box.select("h3.plansite-day")]
    assert headings, "no day in the next two weeks of the build date"
    # every event of the payload, in the order the page would list it: by first day
    import json
    payload = json.loads(soup.select_one("script.plansite-days-data").string)
    starts = [ev[0] for ev in payload["events"]]
    assert starts == sorted(starts)
    texts = [(ev[0], ev[3]) for ev in payload["events"]]
    assert len(texts) == len(set(texts))
    joint = [ev for ev in payload["events"] if len(ev[5]) > 1]
    assert joint, "the demo's joint events (two schools, one 课题, one date) are not merged"
    # the two schools' own entries of a joint event are one row naming both
    merged = [ev for ev in payload["events"] if ev[0] == "2026-12-08"]
    assert len(merged) == 1 and sorted(merged[0][5]) == sorted(["白沙中心校", "星河小学"])


def test_days_render_in_order_and_fall_back_to_the_next_days():
    site = demo("2026-12-01")
    events = [[s.isoformat(), g[0].item.date.end.isoformat(), g[0].when, g[0].item.text, "x", ["a"]]
              for s, g in dated_events(site)]
    page = BeautifulSoup(render_days(events, date(2026, 12, 1), 14, 7, "c/"), "html.parser")
    links = [a.get_text() for a in page.select("li a")]
    shown = [ev for ev in events if "2026-12-01" <= ev[0] <= "2026-12-14"]
    assert links == [ev[3] for ev in shown] and links
    # a summer day: nothing in two weeks, the next days with events are shown instead
    later = BeautifulSoup(render_days(events, date(2026, 8, 1), 14, 7, "c/"), "html.parser")
    assert "近两周没有安排" in later.get_text() and later.select("li")
    assert later.select("li a")[0].get_text() == next(ev for ev in events if ev[0] > "2026-08-14")[3]


def test_joint_events_merge_schools_not_a_schools_own_items():
    site = demo("2026-12-01")
    entries = [e for es in site.agenda.values() for e in es if e.item.date]
    events = joint_events(entries)
    multi = [g for g in events if len({e.plan.school for e in g}) > 1]
    assert multi and all(len({e.plan.school for e in g}) == len(g) for g in events)
    assert sum(len(g) for g in events) == len(entries)


def test_no_public_page_speaks_to_editors(demo_site):
    offenders = [p.relative_to(demo_site).as_posix() for p in public_pages(demo_site)
                 if "plan_data/" in p.read_text(encoding="utf-8") or "categories.yml" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders
    home = BeautifulSoup((demo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert tabs and "编辑指南" not in tabs
    about = BeautifulSoup((demo_site / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get("href", "").rstrip("/").endswith("guide") for a in about.select("article a"))


def test_404_is_chinese_and_links_home(demo_site):
    soup = BeautifulSoup((demo_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    assert "Not found" not in soup.get_text()
    assert "页面没有找到" in article.get_text()
    home = [a for a in article.select("a") if a.get_text() == "回到首页"]
    assert home and home[0]["href"] == "https://plansite.example.org/"


def test_pages_have_their_own_description_and_og_tags(demo_site):
    seen = set()
    for rel in ("index.html", "schools/yuying-zhongxue/index.html", "plans/qinghe-shixiao-2026-autumn/index.html"):
        soup = BeautifulSoup((demo_site / rel).read_text(encoding="utf-8"), "html.parser")
        description = soup.select_one('meta[name="description"]')["content"]
        og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
        assert og["og:description"] == description and og["og:title"] and og["og:url"].startswith("https://")
        seen.add(description)
    assert len(seen) == 3  # not the site-wide text three times


def test_one_date_style():
    site = demo("2026-12-01")
    whens = {e.when for es in site.agenda.values() for e in es}
    assert all(re.fullmatch(r"(\d{1,2}月(\d{1,2}日)?(上旬|中旬|下旬)?|\d{1,2}(—\d{1,2})?月|\d{1,2}月—次年\d{1,2}月"
                            r"|\d{1,2}月\d{1,2}日—(\d{1,2}月)?\d{1,2}日)", w) for w in whens), sorted(whens)
    assert months_label([YearMonth(2026, 11), YearMonth(2026, 12)]) == "11—12月"
    assert months_label([YearMonth(2026, 12), YearMonth(2027, 1)]) == "12月—次年1月"


def test_pinyin_order():
    assert sorted(["东湖区", "临江区", "清河区", "白沙县"], key=pinyin_order) == ["白沙县", "东湖区", "临江区", "清河区"]


def test_home_lists_schools_before_the_agenda_in_pinyin_order(demo_site):
    text = (demo_site / "index.html").read_text(encoding="utf-8")
    assert text.index('id="schools"') < text.index('id="next-days"')
    soup = BeautifulSoup(text, "html.parser")
    districts = [b.get_text() for b in soup.select("#schools + ul > li > strong")]
    assert districts == sorted(districts, key=pinyin_order) and len(districts) == 4


@pytest.mark.browser
def test_a_parent_on_a_phone_finds_the_schools_on_the_first_screen(browser, demo_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(demo_url)
    links = page.locator("xpath=//h2[@id='schools']/following::ul[1]//a")
    assert links.count() >= 4
    boxes = links.evaluate_all("els => els.map(e => e.getBoundingClientRect()).map(r => [r.top, r.right])")
    assert max(top for top, _ in boxes) < 844, boxes  # every school link on the first screen
    assert max(right for _, right in boxes) <= 390, boxes  # nothing cut off at the side
    # and the next two weeks follow, grouped by day
    assert page.locator("[data-plansite-days] h3.plansite-day").count() >= 1
    context.close()


def test_the_district_calendar_lists_a_joint_event_once(demo_site):
    from icalendar import Calendar

    def summaries(path):
        cal = Calendar.from_ical((demo_site / path).read_bytes())
        return [(str(ev["SUMMARY"]), ev.decoded("DTSTART")) for ev in cal.walk("VEVENT")]

    joint = [s for s, start in summaries("calendar/all.ics") if start == date(2026, 12, 8)]
    assert len(joint) == 1 and "白沙中心校" in joint[0] and "星河小学" in joint[0], joint
    # each school's own calendar keeps it
    for feed in ("calendar/feeds/baisha-zhongxinxiao.ics", "calendar/feeds/xinghe-xiaoxue.ics"):
        assert [s for s, start in summaries(feed) if start == date(2026, 12, 8)]


def test_a_busy_day_links_to_its_month_instead_of_growing_the_page(monkeypatch):
    from plansite.output.pages import home

    monkeypatch.setattr(home, "PER_DAY", 1)
    site = demo("2026-12-01")
    block = BeautifulSoup(home.days_block(site, "index.md"), "html.parser")
    for ul in block.select("[data-plansite-days] ul"):
        assert len(ul.select("li:not(.plansite-more)")) <= 1
    more = block.select("li.plansite-more a")
    assert more and all(re.fullmatch(r"calendar/\d{4}-\d{2}/", a["href"]) for a in more)
    assert re.fullmatch(r"另有 \d+ 项，见当月行事历", more[0].get_text())


def test_a_large_district_carries_fewer_events_a_day_but_never_an_empty_day(monkeypatch):
    """The page carries at most MAX_CARRIED events for the visitor's clock; each day that has events
    keeps at least one, so no day reads as empty."""
    from plansite.output.pages import home

    site = demo("2026-09-01")
    def carried():
        block = home.days_block(site, "index.md")
        data = json.loads(re.search(r'class="plansite-days-data">(.*?)</script>', block).group(1))
        days = {home.group_label(ev[0], ev[1], ev[2]) for ev in data["events"]}
        return data["events"], days | set(data["more"])

    everything, all_days = carried()
    monkeypatch.setattr(home, "MAX_CARRIED", len(all_days) + 3)
    fewer, days = carried()
    assert len(fewer) <= len(all_days) + 3 < len(everything)
    assert {home.group_label(ev[0], ev[1], ev[2]) for ev in fewer} == all_days == days


def test_a_month_page_says_when_an_event_is_held_together(demo_site):
    soup = BeautifulSoup((demo_site / "calendar/2026-12/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [tr for tr in soup.select("article table tbody tr") if "城乡结对英语绘本课题中期评估汇报" in tr.get_text()]
    assert len(rows) == 2  # under each school, as the page is grouped by school …
    marks = sorted(tr.select_one(".plansite-school").get_text() for tr in rows)
    assert marks == ["与星河小学联合", "与白沙中心校联合"]  # … and each row says it is one event
