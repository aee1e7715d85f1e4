"""What goes into the search index: each schedule item once, at its own anchor; no repeats."""

from __future__ import annotations

import gzip
import json
from collections import Counter

from bs4 import BeautifulSoup

from conftest import report


def _plain(text: str) -> str:
    return BeautifulSoup(text.replace("\u200b", ""), "html.parser").get_text()


def test_items_are_indexed_once_at_their_anchor(demo_site):
    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))
    data = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    locations = Counter(d["location"] for d in docs)
    items = [i for p in data["plans"] for b in p["schedule"] for i in b["items"]]
    for item in items:
        assert locations[item["url"]] == 1, item["url"]
        doc = next(d for d in docs if d["location"] == item["url"])
        assert _plain(doc["title"]) == item["text"]
    # the text of an item is carried once: not again by month, project, comparison or school pages
    texts = [_plain(d["title"]) + " " + _plain(d["text"]) for d in docs]
    repeated = {i["text"]: sum(i["text"] in t for t in texts) for i in items if len(i["text"]) >= 12}
    over = {t: n for t, n in repeated.items() if n > 1}
    assert len(over) <= len(repeated) // 10, over  # only where two items of the same school share a text
    for prefix in ("calendar/", "compare/"):
        assert not any(d["location"].startswith(prefix) for d in docs), prefix
    assert not any("#this-month" in d["location"] or d["location"].endswith("#items") for d in docs)
    assert not any(d["location"].split("#")[1].startswith("sched-") for d in docs if "#" in d["location"])
    raw = (demo_site / "search/search_index.json").read_bytes()
    report(f"demo search_index.json: {len(raw) / 1024:.0f} KB raw, {len(gzip.compress(raw, 9)) / 1024:.0f} KB gzip, "
          f"{len(docs)} entries; pinyin vocabulary "
          f"{(demo_site / 'assets/plansite/pinyin.json').stat().st_size / 1024:.0f} KB")


def test_chinese_is_segmented_with_school_words(demo_site):
    index = json.loads((demo_site / "search/search_index.json").read_text(encoding="utf-8"))
    tokens = Counter(t for d in index["docs"] for t in (d["title"] + "\u200b" + d["text"]).split("\u200b"))
    assert tokens["读书节"] > 0 and tokens["课题组"] > 0  # words from plansite's jieba dictionary


def test_pinyin_vocabulary(demo_site):
    words = json.loads((demo_site / "assets/plansite/pinyin.json").read_text(encoding="utf-8"))["words"]
    entries = {w.split("|")[0]: w.split("|")[1:] for w in words}
    assert entries["读书节"] == ["dushujie", "dsj"]
    assert entries["校本"] == ["xiaoben", "xb"]
    assert all(len(w) >= 2 for w in entries)
