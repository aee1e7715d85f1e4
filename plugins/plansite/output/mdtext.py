"""Markdown text helpers for generated pages: plain text made safe for Markdown, heading levels,
baked heading anchors, Chinese line joins. One fence scanner serves them all (and sanitize.py).

Pure functions on strings; no MkDocs, no site context.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..input.chinese import CJK_TEXT_CHARS
from ..input.slugs import unique
from ..input.yamlsrc import drop_controls

_FENCE_LINE = re.compile(r"[ \t]*(?:```|~~~)")


def split_fences(markdown: str) -> list[tuple[str, bool]]:
    """The text cut into runs of whole lines, each marked True inside fenced code (the fence lines
    included). Joining the runs gives the text back unchanged.

    Any line that starts with ``` or ~~~ (after spaces) opens or closes a fence.
    """
    runs: list[tuple[list[str], bool]] = []
    inside = False
    for line in markdown.splitlines(keepends=True):
        fence = bool(_FENCE_LINE.match(line))
        code = inside or fence
        inside ^= fence
        if runs and runs[-1][1] == code:
            runs[-1][0].append(line)
        else:
            runs.append(([line], code))
    return [("".join(lines), code) for lines, code in runs]


def outside_fences(markdown: str, change: Callable[[str], str]) -> str:
    """Apply change to every run of the text that is not fenced code."""
    return "".join(run if code else change(run) for run, code in split_fences(markdown))


# a link destination: after "](" of an inline link (up to a ")"), or after "[id]:" of a reference
# definition (where a ")" is part of it)
_LINK_DEST = re.compile(r"(\]\(\s*<?)([^\s)>]+)")
_REF_DEST = re.compile(r"(^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)([^\s>]+)", re.M)


def map_links(run: str, change: Callable[[str], str | None]) -> str:
    """Rewrite the link destinations (inline links and reference definitions) of Markdown that
    holds no fenced code: change(destination) gives the new one, or None to keep it."""
    def one(m: re.Match) -> str:
        return m.group(1) + (change(m.group(2)) or m.group(2))

    return _REF_DEST.sub(one, _LINK_DEST.sub(one, run))


def relink(markdown: str, change: Callable[[str], str | None]) -> str:
    """map_links() on an author's Markdown, outside its fenced code."""
    return outside_fences(markdown, lambda run: map_links(run, change))


# Braces too: an attribute list ({: onfocus=...}) must not reach attr_list. A backslash escape
# (not an entity) so page titles taken from headings read as written, in any CommonMark engine too.
# An underscore between two letters or digits (plan_data) starts no emphasis in Python-Markdown or
# CommonMark: it stays as written, so a path reads the same in the Markdown source.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#{}]|(?<![^\W_])_|_(?![^\W_]))")


def plain_text(value: object) -> str:
    """A text field as one line of plain text: controls dropped, whitespace runs made one space."""
    return " ".join(drop_controls(str(value)).split())


def md_text(value: object) -> str:
    """Plain text for a Markdown table cell, heading or link label: no markup, no HTML, no
    attribute list, no entity of the author's, one line."""
    text = html.escape(plain_text(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: object) -> str:
    """Plain text as an inline code span, one line: its fence has more backticks than any run
    inside, and a space pads a backtick at either end, so nothing in the text ends the span, and no
    Markdown viewer reads a tag, a link or an entity in it."""
    text = plain_text(value)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if not text or text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_HEADING_LEVEL = re.compile(r"(#{1,6})(\s.*)", re.S)


def shift_headings(markdown: str, top: int) -> str:
    """Re-level the headings of an author's Markdown so its outermost heading becomes `top`."""
    levels = [len(m.group(1)) for run, code in split_fences(markdown) if not code
              for line in run.splitlines() if (m := _HEADING_LEVEL.match(line))]
    if not levels:
        return markdown
    delta = top - min(levels)

    def relevel(run: str) -> str:
        return "".join("#" * max(1, min(6, len(m.group(1)) + delta)) + m.group(2)
                       if (m := _HEADING_LEVEL.match(line)) else line
                       for line in run.splitlines(keepends=True))

    # Line breaks come out as \n, as the rest of a generated page has them.
    return "\n".join(outside_fences(markdown, relevel).splitlines())


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_ID = re.compile(r'<span id="([^"<>]+)"></span>')
_ATTRS = re.compile(r"\{[^{}]*#([\w-]+)[^{}]*\}\s*$")


def bake_anchors(markdown: str, anchor: Callable[[str], str]) -> str:
    """Give every heading without one an explicit {#id}, unique in the page.

    Generated pages then have the same anchors in any engine that builds them (`plansite render`),
    not only where this plugin's slugify runs.
    """
    used: set[str] = set(_HTML_ID.findall(markdown))  # item anchors (<span id=...>) too
    for line in markdown.split("\n"):
        if (m := _HEADING.match(line)) and (a := _ATTRS.search(m.group(2))):
            used.add(a.group(1))

    def bake(run: str) -> str:
        lines = run.split("\n")
        for n, line in enumerate(lines):
            m = _HEADING.match(line)
            if not m or _ATTRS.search(m.group(2)):
                continue
            slug = unique(anchor(re.sub(r"[\\`*_]", "", m.group(2))) or "h", used, sep="_", first=1)
            lines[n] = f"{m.group(1)} {m.group(2)} {{#{slug}}}"
        return "\n".join(lines)

    return outside_fences(markdown, bake)


_CJK_BREAK = re.compile(f"(?<=[{CJK_TEXT_CHARS}])\n(?=[{CJK_TEXT_CHARS}])")


def join_cjk_lines(markdown: str) -> str:
    """Drop line breaks inside Chinese paragraphs: browsers show them as spaces between characters."""
    return outside_fences(markdown, lambda run: _CJK_BREAK.sub("", run))
