"""What the importer found in a file: plans, their schedule and projects, and the noise.

Plain dataclasses with ``to_json()``; the key names of the JSON are fixed (see README,
"Importing a plan"): later versions only add keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..input.dates import Term


@dataclass
class Item:
    text: str  # as written, numbering removed (and the date, when one was found)
    line: int
    date: str | None = None  # 4.11～4.17, 10月25日, 中旬 … as written
    projects: list[str] = field(default_factory=list)  # titles of projects it mentions
    who: str | None = None  # from a 负责人 column of a schedule table
    raw: str = ""  # the text with its date, for when the date cannot be placed in the term

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.date, "who": self.who, "projects": self.projects, "line": self.line}


@dataclass
class Block:
    """A month heading (or a week row) and its items. label None: items with no surviving heading."""

    label: str | None
    months: list[int]
    line: int
    items: list[Item] = field(default_factory=list)
    kind: str = "month"  # month | week | unlabelled
    standard: bool = True  # the label reads as a month heading (else the YAML gives months:)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "months": self.months, "kind": self.kind, "line": self.line,
                "items": [i.to_json() for i in self.items]}


@dataclass
class Project:
    title: str  # without 《》, as written
    level: str | None  # 国家级/省级/市级/区级/县级/镇级/校级
    stage: str | None  # 申报/立项/开题/中期/结题: the step this plan carries out
    line: int
    note: str | None = None  # what a table or list says of it beside the title (已结题, 延期一年)
    host: str | None = None  # 主持人, from a table of projects

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "level": self.level, "stage": self.stage, "line": self.line,
                "note": self.note, "host": self.host}


@dataclass
class Unplaced:
    line: int
    text: str
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "why": self.why}


@dataclass
class ParsedPlan:
    title: str | None
    title_line: int | None
    school: str | None
    term: str | None  # as written
    term_key: str | None  # the term it resolves to (2012-autumn …), None when the year is unknown
    is_school_plan: bool
    first: int
    last: int
    sections: list[str] = field(default_factory=list)
    schedule: list[Block] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    guiding: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    measures: str = ""  # Markdown
    unplaced: list[Unplaced] = field(default_factory=list)
    year_hint: int | None = None  # a year in the title, for the --term message
    foreign: str | None = None  # 医院 … when the text is not a school plan
    resolved_term: Term | None = None  # the term `term` resolves to (decided once, in parse.py)
    placed: list[int] = field(default_factory=list)  # source lines this plan holds
    schedule_hints: list[Unplaced] = field(default_factory=list)  # no schedule read: the lines that look like one

    @property
    def placed_share(self) -> float:
        """How much of the plan's text found a place (not listed as unplaced): under half is a failed read."""
        if not self.placed:
            return 1.0
        unplaced = {u.line for u in self.unplaced} & set(self.placed)
        return 1 - len(unplaced) / len(self.placed)

    @property
    def failed(self) -> str | None:
        """Why the import of this plan probably failed, in Chinese; None when it did not."""
        if not self.is_school_plan:
            return None
        if not any(block.months and block.items for block in self.schedule):
            if self.schedule_hints:
                return f"没有读出行事历，原文却有 {len(self.schedule_hints)} 行像是行事历（写有日期、月份或周次）"
            return "没有读出行事历"
        if self.placed_share < 0.5:
            return f"只有 {self.placed_share:.0%} 的行放进了计划"
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "school": self.school, "term": self.term, "term_key": self.term_key,
            "is_school_plan": self.is_school_plan, "sections": self.sections,
            "schedule": [b.to_json() for b in self.schedule],
            "projects": [p.to_json() for p in self.projects],
            "guiding": "\n\n".join(self.guiding) or None, "goals": self.goals,
            "lines": [self.first, self.last], "title_line": self.title_line,
            "unplaced": [u.to_json() for u in self.unplaced],
            "failed": self.failed, "schedule_hints": [u.to_json() for u in self.schedule_hints],
        }


@dataclass
class NoisePassage:
    kind: str  # header | blurb | footer | teaser | preface | not_school_plan
    text: str
    first: int
    last: int
    plan: int | None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "lines": [self.first, self.last], "plan": self.plan}


@dataclass
class LineAccount:
    """Where every non-blank source line went: into a plan, into noise, or nowhere (with a reason).

    `missing` is what none of the three holds; the importer's tests keep it empty.
    """

    total: list[int]  # every non-blank line (text) or paragraph/row (.docx) number
    placed: list[int]  # title, term, body, schedule, sign-off of a school plan
    noise: list[int]  # noise passages, page chrome, Word-HTML residue, stray symbols
    unplaced: list[Unplaced]  # read but not placed: a note on the schedule, items with no month

    @property
    def missing(self) -> list[int]:
        seen = set(self.placed) | set(self.noise) | {u.line for u in self.unplaced}
        return [n for n in self.total if n not in seen]

    def to_json(self) -> dict[str, Any]:
        return {"total": len(self.total), "placed": len(self.placed), "noise": len(self.noise),
                "unplaced": [u.to_json() for u in self.unplaced], "missing": self.missing}


@dataclass
class FileResult:
    name: str
    unit: str  # 行 or 段
    plans: list[ParsedPlan]
    noise: list[NoisePassage]
    accounting: LineAccount | None = None  # where every source line went

    def to_json(self) -> dict[str, Any]:
        plans = []
        for i, plan in enumerate(self.plans):
            data = plan.to_json()
            data["file"] = self.name
            data["noise"] = [n.text for n in self.noise if n.plan == i]
            plans.append(data)
        out = {"file": self.name, "plans": plans, "noise": [dict(n.to_json(), file=self.name) for n in self.noise]}
        if self.accounting is not None:
            out["accounting"] = dict(self.accounting.to_json(), file=self.name, unit=self.unit)
        return out
