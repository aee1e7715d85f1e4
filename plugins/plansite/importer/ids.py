"""Deterministic ASCII ids for imported schools, plans and projects.

Chinese names become pinyin (焦溪小学 -> jiaoxi-xiaoxue, the words the site's URLs use); a project id is the pinyin of the
first words of its title plus four hex digits of a hash of the whole title, so two long titles
that start alike still differ and the same title always gives the same id. The id is also the
file name and (until a slug is set) the URL: change it before publishing, not after.
"""

from __future__ import annotations

import hashlib
import re

from ..input.dates import Term, normalize, term_slug
from ..input.slugs import words


def slug(text: str, max_len: int = 40) -> str:
    """'焦溪小学' -> 'jiaoxi-xiaoxue' (the site's own pinyin words); '' when nothing ASCII can be made of it."""
    out = ""
    for word in words(text):
        word = re.sub(r"[^a-z0-9]", "", word.lower())
        if not word:
            continue
        if out and len(out) + 1 + len(word) > max_len:
            break
        out = f"{out}-{word}" if out else word[:max_len]
    return out.strip("-")


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:4]


def school_id(name: str) -> str:
    return slug(name) or f"school-{short_hash(name)}"


PLACEHOLDER_SCHOOL = "待填写校名"
"""The name of a school the text does not name: plainly a blank to fill in; `plansite check
--publish` refuses it. Names from older imports (未注明学校（file）) are refused as well."""

# A blank to fill in, by what it is, anywhere in a name: the words (read in Simplified, so 待填寫
# is 待填写) and runs of the marks people type for a name they do not know (XX, ×××, ***, ○○).
# Full-width forms (ＸＸ, ＊＊) read as their ASCII ones (NFKC).
_PLACEHOLDER = re.compile(r"待填写?|待补充|待定|未注明|某某|[Xx]{2,}|×{2,}|\*{2,}|○{2,}|□{2,}|_{2,}")


def placeholder_in(text: str) -> str | None:
    """The placeholder a name or title holds ('待填写', '某某', 'XX' …), as read; None when it has none.

    '（待填写校名1）', '江北区待填写校名1', '待填寫校名1', '某某小学', 'ＸＸ学校' all hold one."""
    m = _PLACEHOLDER.search(normalize(text))
    return m.group(0) if m else None


# What a template essay (范文) says where a plan says its own school, year and dates: 范文, XX学校,
# ×××, 20XX年, X月X日. Read in titles, names and schedule items (the publish gate refuses them).
_TEMPLATE = re.compile(r"范文|(?:[Xx×]{2,}|某某)(?:学校|小学|中学|初中|高中|幼儿园|中心校|学院|区|县|市|镇)|×{3,}"
                       r"|20[Xx×]{2}|[Xx×]{1,2}\s*月\s*[Xx×]{1,2}\s*[日号]?")


def template_in(text: str) -> str | None:
    """The mark of a template a text holds ('范文', 'XX学校', '20XX', 'X月X日' …), as read; None when none."""
    m = _TEMPLATE.search(normalize(text))
    return m.group(0) if m else None


def is_placeholder_name(name: str) -> bool:
    return placeholder_in(name) is not None


def placeholder_school(n: int) -> tuple[str, str]:
    """The n-th school an import could not name: (id, name), e.g. ('school-2', '待填写校名2').
    Numbered, never derived from the file name, which may be a download site's hash."""
    return f"school-{n}", f"{PLACEHOLDER_SCHOOL}{n}"


def project_id(title: str) -> str:
    base = slug(title, max_len=24)
    return f"{base}-{short_hash(title)}" if base else f"project-{short_hash(title)}"


def plan_id(school: str, term: Term) -> str:
    return f"{school}-{term_slug(term)}"
