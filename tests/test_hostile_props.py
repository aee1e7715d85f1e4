"""Hypothesis: generated hostile strings in every text field of the model (markup, attribute lists,
entities, control and zero-width characters) never add an element or an attribute to the pages.

In process and fast: the loader, the Site and every page builder as the plugin runs them, each
page's Markdown through Python-Markdown with the extensions the demo uses, then the plugin's nh3
pass for pages built from prose. The real MkDocs builds and Chromium are in test_hostile.py.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import markdown
from mkdocs.utils.meta import get_data
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from hostile import TEXT_FIELDS, benign, write_project
from plansite.output.build import build_pages
from plansite.input.load import load_plan_data
from plansite.output.sanitize import clean_html
from plansite.output.site import Site

FRAGMENTS = ["{:", "{", "}", " onfocus=", "alert(1)", "<script>", "</script>", "</title>", "&#106;", "&#x7b;",
             "javascript:", "<img src=x onerror=", "[x](", ")", "]", "&lt;", "&amp;", "{#", ".cls", " autofocus",
             "tabindex=0", '"', "'", ">", "<", "\u200b", "\u200d", "\ufeff", "\u2028", "\x1b", "\x07", "\x00", "\n",
             "|", "`", "*", "_", "#", "\\", "<!--", "-->", "<svg onload=", "style=", "@import", "{{", "{%"]
ALPHABET = "<>&\"'{}:#.=/\\[]()|*_`!~- \t\n\x01\x1f\x7f\u200b\u202e教科室ab1"
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=4)),
                        min_size=1, max_size=8).map(lambda parts: "文" + "".join(parts))
FIELDS = [f"{kind}.{name}" for kind, names in TEXT_FIELDS.items() for name in names]
EXTENSIONS = ["attr_list", "tables", "toc", "md_in_html"]


def pages_html(root: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every generated page as HTML, and the calendar feeds."""
    result = load_plan_data(root / "plan_data")
    assert result.data is not None, "\n".join(map(str, result.errors))
    site = Site(result.data, site_name="测试区", site_url="https://example.org/h/")
    html, feeds = {}, {}
    for out in build_pages(site):
        if out.path.endswith(".md"):
            text, _meta = get_data(out.content)  # as MkDocs reads a page: front matter apart (head meta, escaped there)
            body = markdown.markdown(text, extensions=EXTENSIONS)
            html[out.path] = clean_html(body) if out.sanitize else body
        elif out.path.endswith(".ics"):
            feeds[out.path] = out.content
    return html, feeds


def shape(pages: dict[str, str]) -> set[tuple[str, tuple[str, ...]]]:
    out = set()
    for body in pages.values():
        for el in BeautifulSoup(body, "html.parser").find_all(True):
            out.add((el.name, tuple(sorted(el.attrs))))
    return out


@lru_cache(maxsize=1)
def baseline() -> frozenset:
    with tempfile.TemporaryDirectory() as tmp:
        html, _ = pages_html(write_project(Path(tmp), benign, prose="正文。\n\n## 二、措施\n\n- 第一条\n"))
    return frozenset(shape(html))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({f: hostile_text for f in FIELDS}))
def test_hostile_text_in_every_field_adds_no_element_or_attribute(texts):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), lambda field: texts[field], prose="正文。\n\n## 二、措施\n\n- 第一条\n")
        html, feeds = pages_html(root)
    seen = set()
    for path, body in html.items():  # each page parsed once: its elements' shapes and their attributes
        for el in BeautifulSoup(body, "html.parser").find_all(True):
            seen.add((el.name, tuple(sorted(el.attrs))))
            assert not any(a.lower().startswith("on") for a in el.attrs), (path, el)
    extra = seen - baseline()
    assert not extra, extra
    for path, raw in feeds.items():
        text = raw.decode("utf-8")
        assert not any(ord(c) < 32 and c not in "\r\n\t" for c in text), path
        Calendar.from_ical(text)
