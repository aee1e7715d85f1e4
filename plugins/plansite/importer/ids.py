"""Deterministic ASCII ids for imported schools, plans and projects.

Chinese names become pinyin (焦溪小学 -> jiaoxi-xiaoxue, the words the site's URLs use); a project id is the pinyin of the
first words of its title plus four hex digits of a hash of the whole title, so two long titles
that start alike still differ and the same title always gives the same id. The id is also the
file name and (until a slug is set) the URL: change it before publishing, not after.
"""

from __future__ import annotations

import hashlib
import re

from ..dates import Term
from ..slugs import words


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


def placeholder_school_id(file_stem: str) -> str:
    """A school for a file that names none: 'school-' and the file name made ASCII."""
    base = re.sub(r"[^a-z0-9]+", "-", slug(file_stem).lower() or file_stem.lower()).strip("-")
    return f"school-{base[:40].strip('-') or short_hash(file_stem)}"


def project_id(title: str) -> str:
    base = slug(title, max_len=24)
    return f"{base}-{short_hash(title)}" if base else f"project-{short_hash(title)}"


def term_slug(term: Term) -> str:
    """2026-autumn, 2027-spring, 2026-year, 2026-h1, 2012-09-2013-01."""
    return re.sub(r"[^a-z0-9]+", "-", term.key.lower()).strip("-")


def plan_id(school: str, term: Term) -> str:
    return f"{school}-{term_slug(term)}"
