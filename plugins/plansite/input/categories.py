"""Activity categories of schedule items: a keyword taxonomy a district can edit, and the classifier.

The default taxonomy ships in plansite/data/categories.yml; plan_data/categories.yml replaces it.
An item's own `category:` always wins; otherwise the category whose matched keywords are longest
in total wins, ties going to the earlier category. Unmatched items stay unclassified (None) and are
listed on the comparison pages so the taxonomy can be improved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files

from pydantic import BaseModel, ConfigDict, Field

from .dates import normalize
from .model import Id, PlanData, Text

UNCLASSIFIED = "未分类"


class CategoryFile(BaseModel):
    """categories.yml 的一项：类别名、网址名和关键词。"""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    name: Text = Field(description="类别名，例如 论文评比")
    slug: Id = Field(description="网址中的名字（小写字母、数字、连字符），例如 lunwen")
    keywords: list[Text] = Field(min_length=1, description="关键词：条目文字里出现其一即归入此类")


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[CategoryFile, ...]

    @cached_property
    def _keywords(self) -> list[tuple[str, list[str]]]:
        return [(c.name, [normalize(k) for k in c.keywords]) for c in self.categories]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.categories]

    def slug(self, name: str) -> str:
        for c in self.categories:
            if c.name == name:
                return c.slug
        return "other"

    def classify(self, text: str) -> str | None:
        """The best-matching category for an item's text, or None.

        A category scores the number of characters its keywords cover (a keyword inside a longer
        one is not counted twice); characters before the first colon count double, because items
        often begin with their kind: “专家讲座：如何撰写课题中期报告”.
        """
        t = normalize(text)
        head = len(t.split("：", 1)[0].split(":", 1)[0]) if ("：" in t or ":" in t) else 0
        best, best_score = None, 0
        for name, keywords in self._keywords:
            covered: set[int] = set()
            for k in keywords:
                start = t.find(k)
                while start >= 0:
                    covered.update(range(start, start + len(k)))
                    start = t.find(k, start + 1)
            score = sum(2 if i < head else 1 for i in covered)
            if score > best_score:
                best, best_score = name, score
        return best


def default_taxonomy_text() -> str:
    return (files("plansite") / "data" / "categories.yml").read_text(encoding="utf-8")


def category_names(data: PlanData) -> list[str]:
    """Every category in order: the taxonomy's, then those written in the data only, then 未分类."""
    names = list(data.taxonomy.names) if data.taxonomy else []
    extra = sorted({i.category for p in data.plans.values() for b in p.schedule for i in b.items
                    if i.category and i.category not in names})
    return names + extra + [UNCLASSIFIED]


def category_slug(data: PlanData, name: str) -> str:
    """A category's URL name: the taxonomy's slug; a stable code for one written in the data only."""
    if name == UNCLASSIFIED:
        return "unclassified"
    slug = data.taxonomy.slug(name) if data.taxonomy else "other"
    if slug == "other":  # a category written in the data but missing from the taxonomy
        slug = "c-" + format(sum(ord(c) * 31 ** i for i, c in enumerate(name)) % 0xFFFFFF, "06x")
    return slug
