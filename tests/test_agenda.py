"""The monthly agenda: which month pages hold which items, their order, and the calendar feeds."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import FIXTURES, SHARED
from plansite.views.agenda import build_agenda, item_months, term_key_of
from plansite.input.dates import DateSpan, YearMonth, parse_month_label
from plansite.input.load import load_plan_data
from plansite.input.model import Block, Item

TRUTH = SHARED / "seeds" / "truth"


def seed_labels() -> list[tuple[str, list[int]]]:
    if not TRUTH.is_dir():
        return []
    out = []
    for path in sorted(TRUTH.glob("*.json")):
        for plan in json.loads(path.read_text(encoding="utf-8"))["plans"]:
            out += [(m["label"], m["months"]) for m in plan["months"] if m["label"]]
    return out


@pytest.mark.skipif(not TRUTH.is_dir(), reason="../shared/seeds is not present")
def test_every_month_heading_of_the_seeds_parses():
    labels = seed_labels()
    assert len(labels) >= 50
    wrong = [(label, months, parse_month_label(label)) for label, months in labels
             if parse_month_label(label) != months]
    assert wrong == []


def _item(text: str, span: DateSpan | None = None) -> Item:
    return Item(text, span, None, None, (), None, 1)


def test_item_months():
    nov, dec = YearMonth(2026, 11), YearMonth(2026, 12)
    block = Block("十一月份——十二月份", (nov, dec), ())
    assert item_months(block, _item("全程")) == [nov, dec]
    assert item_months(block, _item("一天", DateSpan(date(2026, 12, 8), date(2026, 12, 8), "12月8日"))) == [dec]
    cross = DateSpan(date(2026, 12, 28), date(2027, 1, 3), "12.28～1.3")
    assert item_months(block, _item("跨年", cross)) == [dec, YearMonth(2027, 1)]


def test_term_of_month():
    assert term_key_of(YearMonth(2027, 1))[1] == "2026-autumn"
    assert term_key_of(YearMonth(2026, 9))[1] == "2026-autumn"
    assert term_key_of(YearMonth(2026, 3))[1] == "2026-spring"


def test_order_within_a_month():
    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    agenda = build_agenda(data)
    dec = [(e.when, e.spanning) for e in agenda[YearMonth(2026, 12)]]
    assert dec == [("12月中旬", False)]
    # undated items of a spanning heading sit in every month it covers, marked spanning
    assert [e.item.text for e in agenda[YearMonth(2027, 6)]] == ["学期教研工作总结。"]
    assert agenda[YearMonth(2027, 6)][0].spanning and agenda[YearMonth(2027, 7)][0].spanning


def test_xun_and_whole_month_order():
    from plansite.views.agenda import Entry
    from plansite.input.model import Plan

    ym = YearMonth(2026, 10)
    spans = {"全月": None, "10月1日": DateSpan(date(2026, 10, 1), date(2026, 10, 1), "10月1日"),
             "上旬": DateSpan(date(2026, 10, 1), date(2026, 10, 10), "上旬", "上旬"),
             "10月12日": DateSpan(date(2026, 10, 12), date(2026, 10, 12), "10月12日"),
             "中旬": DateSpan(date(2026, 10, 11), date(2026, 10, 20), "中旬", "中旬"),
             "下旬": DateSpan(date(2026, 10, 21), date(2026, 10, 31), "下旬", "下旬")}
    plan = Plan.__new__(Plan)
    object.__setattr__(plan, "id", "p")
    entries = [Entry(plan, Block("十月", (ym,), ()), _item(k, v), "i-x", "x", ym, False) for k, v in spans.items()]
    ordered = [e.item.text for e in sorted(entries, key=lambda e: e.sort_key)]
    assert ordered == ["全月", "10月1日", "上旬", "中旬", "10月12日", "下旬"]


def test_month_pages_hold_exactly_the_items_whose_months_cover_them(mini_site):
    data = json.loads((mini_site / "data/plans.json").read_text(encoding="utf-8"))
    expected: Counter = Counter()
    for plan in data["plans"]:
        for block in plan["schedule"]:
            for item in block["items"]:
                if item["date"]:  # a dated item: the months of its own dates
                    start, end = YearMonth.parse(item["date"]["start"][:7]), YearMonth.parse(item["date"]["end"][:7])
                    covered = {str(start), str(end)}
                else:
                    covered = set(block["months"])
                for month in covered:
                    expected[(month, item["url"])] += 1
    from_json = Counter((m["month"], i["url"]) for m in data["months"] for i in m["items"])
    assert from_json == expected
    from_pages: Counter = Counter()
    for m in data["months"]:
        html = BeautifulSoup((mini_site / m["url"] / "index.html").read_text(encoding="utf-8"), "html.parser")
        for a in html.select("article table tbody tr td:nth-of-type(2) > a:first-child"):
            plan_url = a["href"].replace("../../", "")
            from_pages[(m["month"], plan_url)] += 1
        assert html.select_one("article h1").get_text(strip=True).rstrip("¶") == \
            f"{int(m['month'][:4])}年{int(m['month'][5:])}月行事历"
    assert from_pages == expected
    assert sorted({m for m, _ in expected}) == [m["month"] for m in data["months"]]


def test_months_index_counts_link_to_school_sections(mini_site):
    html = BeautifulSoup((mini_site / "calendar/index.html").read_text(encoding="utf-8"), "html.parser")
    table = html.select_one("#term-2026-autumn").find_next("table")
    cells = {a["href"]: a.get_text() for a in table.select("tbody a") if "#s-" in a["href"]}
    assert cells == {"2026-09/#s-dongpo": "2", "2026-11/#s-dongpo": "1", "2026-12/#s-dongpo": "1",
                     "2027-01/#s-dongpo": "1"}


def test_feeds_have_one_event_per_dated_item_and_one_month_list_per_school_and_month(mini_site):
    data = json.loads((mini_site / "data/plans.json").read_text(encoding="utf-8"))
    expected = 0
    per_school: Counter = Counter()
    lists: set = set()  # (school, month) with undated items: one "本月安排" entry each
    undated: dict = {}
    for plan in data["plans"]:
        for block in plan["schedule"]:
            for item in block["items"]:
                if item["date"]:
                    expected += 1
                    per_school[plan["school"]] += 1
                    continue
                for ym in block["months"]:
                    undated.setdefault((plan["school"], ym), []).append(item["text"])
                    if (plan["school"], ym) not in lists:
                        lists.add((plan["school"], ym))
                        expected += 1
                        per_school[plan["school"]] += 1
    cal = Calendar.from_ical((mini_site / "calendar/all.ics").read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == expected
    assert len({str(e["UID"]) for e in events}) == expected
    assert str(cal["X-WR-CALNAME"]) == "测试区教科研计划行事历" and str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    for school in data["schools"]:
        feed = Calendar.from_ical((mini_site / school["calendar"]).read_bytes())
        assert len(feed.walk("VEVENT")) == per_school[school["id"]]
        assert str(feed["X-WR-CALNAME"]) == f"{school['name']}教科研行事历"
    by_summary = {str(e["SUMMARY"]): e for e in events}
    race = by_summary["【东坡小学】青年教师赛课。"]  # dated: an all-day event, DTEND exclusive
    assert race.decoded("DTSTART") == date(2026, 11, 16) and race.decoded("DTEND") == date(2026, 11, 21)
    assert "TRANSP" not in race
    # undated items: no month-long banners; one all-day, free entry on the 1st that lists them
    month_level = [e for s, e in by_summary.items() if s.startswith("【西苑初中】") and "月安排（" in s]
    assert sorted(e.decoded("DTSTART") for e in month_level) == [date(2027, 6, 1), date(2027, 7, 1)]
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in month_level)
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(days=1) for e in month_level)
    for (school, ym), texts in undated.items():
        y, m = map(int, ym.split("-"))
        entry = next(e for e in events if e.decoded("DTSTART") == date(y, m, 1) and "月安排（" in str(e["SUMMARY"])
                     and str(e["UID"]).startswith(f"{school}-{ym}-month@"))
        assert str(entry["SUMMARY"]).endswith(f"（{len(texts)}项）")
        assert all(text in str(entry["DESCRIPTION"]) for text in texts)
    # no build-time stamps: DTSTAMP is the site date from the data
    assert {e.decoded("DTSTAMP").date() for e in events} == {date(2027, 2, 1)}


def test_feed_uids_survive_an_edit_elsewhere(tmp_path):
    import shutil

    from plansite.output.site import Site
    from plansite.output.feeds import ics

    def uids(root):
        site = Site(load_plan_data(root).data, site_name="测试", site_url="https://example.org/")
        cal = Calendar.from_ical(ics.build(site)[0].content)
        return {str(e["SUMMARY"]): str(e["UID"]) for e in cal.walk("VEVENT")}

    before = uids(FIXTURES / "mini" / "plan_data")
    root = tmp_path / "plan_data"
    shutil.copytree(FIXTURES / "mini" / "plan_data", root)
    plan = root / "plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "      - 制订教科室工作计划。\n", "      - 新增的一条。\n      - 制订教科室工作计划。\n"), encoding="utf-8")
    after = uids(root)
    assert set(before.values()) <= set(after.values())  # the month list's count changes, its UID does not


def test_plans_json_months_and_school_calendars(mini_site):
    data = json.loads((mini_site / "data/plans.json").read_text(encoding="utf-8"))
    assert [m["month"] for m in data["months"]] == ["2026-09", "2026-11", "2026-12", "2027-01", "2027-03",
                                                     "2027-06", "2027-07"]
    assert data["months"][0]["url"] == "calendar/2026-09/"
    assert {s["id"]: s["calendar"] for s in data["schools"]} == {
        "dongpo": "calendar/feeds/dongpo.ics", "xiyuan": "calendar/feeds/xiyuan.ics"}
    for s in data["schools"]:
        assert (mini_site / s["calendar"]).is_file()


def test_school_and_month_pages_link_their_feeds(mini_site):
    school = BeautifulSoup((mini_site / "schools/dongpo/index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in school.select(".plansite-feeds a")]
    assert hrefs == ["webcal://example.org/mini/calendar/feeds/dongpo.ics", "../../calendar/feeds/dongpo.ics"]
    month = BeautifulSoup((mini_site / "calendar/2026-11/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in month.select(".plansite-feeds a")] == [
        "webcal://example.org/mini/calendar/all.ics", "../all.ics"]


def test_outside_every_term_the_nearest_term_is_shown_labelled():
    from plansite.output.pages.month import nearest_term, this_month_block
    from plansite.output.site import Site

    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    terms = sorted({(str(p.term.start), str(p.term.end), p.term.label) for p in data.plans.values()})
    inside = terms[0][0]
    assert nearest_term([list(t) for t in terms], inside) is None
    late = nearest_term([list(t) for t in terms], "2031-03")
    assert late is not None and late[1] == max(t[1] for t in terms)  # long after: the last term
    block = this_month_block(Site(data, site_date="2031-03-15"), "index.md")
    assert 'class="plansite-nearest"' in block and "2031年3月不在任何学期之内" in block and late[2] in block
    shown = re.findall(r'<section data-month="(\d{4}-\d\d)">', block.split("<script", 1)[0])
    assert shown and all(late[0] <= m <= late[1] for m in shown) and "本月暂无安排" not in block
    inside_block = this_month_block(Site(data, site_date=f"{inside}-15"), "index.md")
    assert "plansite-nearest" not in inside_block
