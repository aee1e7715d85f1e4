"""Keep what a data file says from executing or escaping its box in the built site.

Two layers:
- prose fields (指导思想, 工作措施, 课题简介) are Markdown written by many people: raw HTML tags are
  removed from them (scripts, frames and styles with their content, other tags keeping their
  text) and links with script schemes are disarmed before Markdown sees them, so even
  `plansite render` output (built by another engine) is safe;
- the HTML of every page built from such prose is cleaned with nh3 (the Ammonia sanitizer): no
  script, iframe, event handler, style escaping its box, or javascript: URL survives.
Plain-text fields never reach HTML unescaped (mdtext.md_text).
"""

from __future__ import annotations

import html
import re

import nh3

from .mdtext import map_links, outside_fences

_DROP = re.compile(r"<(script|style|iframe|object|embed|template|noscript|svg|math)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->|<![^<>]*>|<\?[^<>]*>", re.S)
_LT = re.compile(r"<(?=[A-Za-z/!?])")
_BAD_LINK = re.compile(r"(\]\(\s*<?\s*)(?:javascript|vbscript|data|file)\s*:[^)\s]*", re.I)
_BAD_AUTOLINK = re.compile(r"<\s*(?:javascript|vbscript|data|file)\s*:[^>]*>", re.I)

TAGS = set(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role"},
    "a": {"href"},
    "th": {"style", "align", "colspan", "rowspan"},
    "td": {"style", "align", "colspan", "rowspan"},
    "ol": {"start", "type"},
    "li": {"value"},
    "code": {"class"},
    "time": {"datetime"},
    "details": {"open"},
}


# Autolinks <dest> (inline links and reference definitions: mdtext.map_links)
_AUTOLINK = re.compile(r"<([^<>\s]*:[^<>\s]*)>")
_SAFE_SCHEMES = ("http", "https", "mailto", "tel", "webcal")
# An attribute list ({: onclick=...}); one of only #id and .class tokens is harmless and kept
_ATTR_LIST = re.compile(r"\{:?[ ]*([^{}\n]*?)[ ]*\}")
_ID_OR_CLASS = re.compile(r"[#.][\w-]+")
# Anchors generated pages give their own headings and schedule items (i-…, sched-…): an author's
# {#id} must not take one
PAGE_ANCHORS = {"guiding", "goals", "measures", "projects", "schedule", "this-month", "plans", "schools"}


def unsafe_url(dest: str) -> bool:
    """A link target with a scheme other than http(s), mailto, tel, webcal, also when written
    with entities (&#106;avascript:), backslashes, controls or spaces inside."""
    plain = html.unescape(html.unescape(dest))
    plain = re.sub(r"[\x00-\x20\x7f\\]+", "", plain).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", plain)
    if scheme:
        return scheme.group(1) not in _SAFE_SCHEMES
    return "&" in plain.split("/")[0]  # still an entity after two rounds of decoding: no guessing


def _disarm_attr_list(m: re.Match) -> str:
    tokens = m.group(1).split()
    if tokens and all(_ID_OR_CLASS.fullmatch(t) for t in tokens) and not any(
            t[1:] in PAGE_ANCHORS or t[1:].startswith(("i-", "sched-")) for t in tokens if t[0] == "#"):
        return m.group(0)
    return "\\" + m.group(0)  # an escaped brace is text in any CommonMark engine


def clean_prose(markdown: str) -> str:
    """Markdown from a data file with raw HTML turned into text, script links disarmed and
    attribute lists other than {#id .class} turned into text."""
    def clean(part: str) -> str:
        part = _AUTOLINK.sub(lambda m: "" if unsafe_url(m.group(1)) else m.group(0), part)
        part = _BAD_AUTOLINK.sub("", part)
        part = _BAD_LINK.sub(r"\1#", part)
        part = map_links(part, lambda dest: "#" if unsafe_url(dest) else None)
        part = _ATTR_LIST.sub(_disarm_attr_list, part)
        part = _DROP.sub("", part)
        part = _TAG.sub("", part)
        return _LT.sub("&lt;", part)

    return outside_fences(markdown, clean)


def clean_html(html: str) -> str:
    """A page's content HTML through nh3, keeping what Markdown and MkDocs produce."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes={"http", "https", "mailto", "webcal", "tel"},
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )
