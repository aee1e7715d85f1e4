"""Chinese text helpers shared by the loader, the importer and the pages.

One home for what the project had in several copies: the Chinese-numeral parser, the
Traditional -> Simplified conversion (OpenCC's character dictionary, one character for one
character, so offsets in the converted text slice the original), the class of Han characters
and the dashes that join the two ends of a range (9.1—9.7, 十一月至十二月).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Han ideographs: CJK Extension A, the Unified block and the Compatibility block. A character-class
# body, to be used inside [...]: rf"[{HAN_CHARS}]{{2,8}}".
HAN_CHARS = "\u3400-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CHARS}]+")

# Chinese running text: Han characters, CJK punctuation (、。「」), kana and full-width forms (，：).
# Line breaks between two of these are dropped when prose is joined (mdtext.join_cjk_lines).
CJK_TEXT_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"

# The dashes, tildes and words that separate the two ends of a range: 9.1-9.7, 2月27日--3月5日,
# 4.11～4.17, 十一月至十二月. A regex alternation, to be used inside a pattern.
RANGE_DASH = r"(?:—+|–|－|-+|～|~|〜|至|到)"

# ------------------------------------------------------------------ numerals

CN_DIGITS = "一二三四五六七八九十"
_DIGIT_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """'十一' -> 11, '二十' -> 20, '9' -> 9, '元'/'正' -> 1 (as in 元月), '二〇二六' -> 2026.

    Raises ValueError for anything else. Dates and months read with this one (dates.py).
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text in ("元", "正"):
        return 1
    if text and all(c in _DIGIT_VALUE for c in text) and len(text) > 1:
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))  # 二〇二六 style years
    if "十" in text:
        tens, _, units = text.partition("十")
        if tens and tens not in _DIGIT_VALUE:
            raise ValueError(text)
        t = _DIGIT_VALUE[tens] if tens else 1
        if units and units not in _DIGIT_VALUE:
            raise ValueError(text)
        return t * 10 + (_DIGIT_VALUE[units] if units else 0)
    if text in _DIGIT_VALUE:
        return _DIGIT_VALUE[text]
    raise ValueError(text)


def cn_int(text: str) -> int | None:
    """'三' -> 3, '十二' -> 12, '7' -> 7; None when it is not a plain count up to 99 written with
    一 … 十 or digits (the importer's numbering markers: no 零, 两, 元 or 二〇 years)."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS for c in text):
        return None
    if "十" not in text:
        return cn_number(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or units == "十":
        return None
    return cn_number(text)


# ------------------------------------------------------------------ Traditional -> Simplified


@lru_cache(maxsize=1)
def _converter():
    import opencc  # OpenCC's own dictionaries; imported on first use

    return opencc.OpenCC("t2s")


class _CharTable(dict):
    """A str.translate table filled on demand: each character through OpenCC once, then cached.

    Only one-character results are used, so the text keeps its length; a character OpenCC leaves
    alone (or would turn into two) maps to itself.
    """

    def __missing__(self, code: int) -> int:
        simple = chr(code)
        if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF:  # Han only
            simple = _converter().convert(simple)
        value = ord(simple) if len(simple) == 1 else code
        self[code] = value
        return value


_T2S = _CharTable()


def simplifying_table(overrides: dict[int, int]) -> dict[int, int]:
    """A str.translate table: `overrides` first (full-width forms, dashes …), then Traditional -> Simplified."""
    table = _CharTable()
    table.update(overrides)
    return table


def to_simplified(text: str) -> str:
    """Traditional characters -> Simplified, character by character: the result has len(text)."""
    return text.translate(_T2S)
