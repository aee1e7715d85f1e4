"""The parents' summary that opens each school page, checked against the demo's data/plans.json."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT
from plansite.input.load import load_plan_data
from plansite.input.model import LEVELS
from plansite.output.mdtext import md_text
from plansite.views.summary import (HEADLINE_CATEGORIES, MAX_EVENTS, headline, pick_events, school_summary,
                              summary_sentences)


def _plans_json(site: Path) -> dict:
    return json.loads((site / "data/plans.json").read_text(encoding="utf-8"))


def _summary(site: Path, url: str):
    html = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    h1 = html.select_one("article h1")
    first = h1.find_next_sibling()
    assert first is not None and first.name == "p" and "plansite-summary" in first.get("class", []), \
        f"{url}: the summary is not the first thing after the title"
    return first


def _plain(text: str) -> str:
    return re.sub(r"[（(][^（）()]*[）)]", "", text)


@pytest.mark.parametrize("index", range(4))
def test_summary_says_what_the_data_says(demo_site, index):
    data = _plans_json(demo_site)
    school = data["schools"][index]
    para = _summary(demo_site, school["url"])
    text = para.get_text()
    assert para.has_attr("data-search-exclude")
    sentences = [s for s in text.split("。") if s.strip()]
    assert 2 <= len(sentences) <= 4, sentences

    # who the school is and what it stands for
    name = school["short_name"] or school["name"]
    assert sentences[0].startswith(name)
    for key in ("motto", "features", "stage", "district"):
        if school[key]:
            assert school[key].rstrip("。") in sentences[0], key

    # the projects of its newest plan, counted by level, and the highest one named
    plans = [p for p in data["plans"] if p["school"] == school["id"]]
    newest = max(plans, key=lambda p: p["term_months"][0])
    projects = {p["id"]: p for p in data["projects"]}
    mine = [projects[pid] for pid in newest["projects"]]
    assert mine, "the demo's newest plans all cite projects"
    about = next(s for s in sentences if "课题研究" in s)
    assert about.startswith(newest["term_label"]) and f"开展 {len(mine)} 项课题研究" in about
    for level, n in Counter(p["level"] for p in mine).items():
        assert f"{level} {n} 项" in about
    top = min(LEVELS.index(p["level"]) for p in mine)
    assert any(f"{LEVELS[top]}课题《{p['title']}》" in about for p in mine if p["level"] == LEVELS[top])

    # the main events of that term: dated items of the headline categories, by month, spread out
    events = next(s for s in sentences if "主要活动：" in s)
    assert events.startswith(f"{newest['term_label']}的主要活动：")
    eligible = [i for b in newest["schedule"] for i in b["items"]
                if i["date"] and i["category"] in HEADLINE_CATEGORIES]
    shown: list[tuple[int, str]] = []
    for part in events.split("：", 1)[1].split("；"):
        month, rest = re.fullmatch(r"(\d{1,2})月(.+)", part).groups()
        shown += [(int(month), t) for t in rest.split("，")]
    assert len(shown) == min(MAX_EVENTS, len(eligible))
    for month, label in shown:
        assert any(_plain(i["text"]).startswith(label) and int(i["date"]["start"][5:7]) == month
                   for i in eligible), (month, label)
    order = [m[5:7] for m in newest["term_months"]]
    positions = [order.index(f"{m:02d}") for m, _ in shown]
    assert positions == sorted(positions), "events are not in date order"
    months = {int(i["date"]["start"][5:7]) for i in eligible}
    assert len({m for m, _ in shown}) == min(len(months), len(shown)), "events bunch in one month"


def test_every_school_page_opens_with_a_summary(demo_site):
    for school in _plans_json(demo_site)["schools"]:
        assert _summary(demo_site, school["url"]).get_text().strip()


def test_summary_is_not_in_the_search_index(demo_site):
    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "主要活动" in d["text"].replace("\u200b", "")]


# ------------------------------------------------------------------ the rules, on small cases


@pytest.fixture(scope="module")
def demo_data():
    return load_plan_data(ROOT / "plan_data").data


def test_headline_keeps_the_first_clause_without_asides():
    assert headline("第三届“清河杯”青年教师赛课（英语、音乐、体育）。") == "第三届“清河杯”青年教师赛课"
    assert headline("举行课题研究课，每位课题组成员上一节导读课。") == "举行课题研究课"
    assert headline("第六届校园科技节：小发明、科幻画、机器人搭建。") == "第六届校园科技节"
    assert headline("七、八年级数学竞赛。") == "七、八年级数学竞赛"
    assert headline("读：好书推荐。") == "读：好书推荐"  # a head too short to stand alone


def test_pick_events_spreads_over_months_and_keeps_date_order(demo_data):
    plan = demo_data.plans["qinghe-2026-autumn"]
    events = pick_events(plan)
    assert len(events) == MAX_EVENTS
    assert [e.month for e in events] == sorted(e.month for e in events)
    assert {e.month for e in events} == {10, 11}
    assert pick_events(plan, limit=2) == [events[0], events[1]]  # one per month first
    assert pick_events(plan, categories=("没有这一类",)) == []


def test_summary_escapes_data_and_copes_with_missing_fields(demo_data):
    school = dataclasses.replace(demo_data.schools["qinghe-shixiao"], short_name=None, name="*东坡*小学",
                                 district=None, stage=None, motto="<b>以文化人</b>", features=None)
    data = dataclasses.replace(demo_data, schools={**demo_data.schools, school.id: school})
    sentences = summary_sentences(school_summary(data, school.id), md_text)
    assert sentences[0] == "\\*东坡\\*小学的办学理念是“&lt;b&gt;以文化人&lt;/b&gt;”。"
    assert 2 <= len(sentences) <= 4


def test_summary_of_a_school_without_plans_or_projects():
    data = load_plan_data(FIXTURES / "mini" / "plan_data").data
    lonely = dataclasses.replace(data.schools["dongpo"], id="lonely")
    data = dataclasses.replace(data, schools={**data.schools, "lonely": lonely})
    summary = school_summary(data, "lonely")
    assert summary.plan is None and summary.projects == () and summary.events == ()
    assert summary_sentences(summary, md_text) == ["东坡小学是测试区的一所小学，办学理念是“以文化人”。"]
