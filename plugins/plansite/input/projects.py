"""Project (课题) timelines: the project's own record merged with what the plans citing it say."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .dates import Term, normalize, record_date_label
from .model import STAGES, PlanData, Project


@dataclass(frozen=True)
class Source:
    plan: str | None  # None: the project's own record (projects/<id>.yml)
    file: str
    line: int
    note: str | None


@dataclass(frozen=True)
class StageEvent:
    """One stage of a project, with when it happened and every place that says so."""

    stage: str
    term: Term | None
    date: str | None  # YYYY-MM or YYYY-MM-DD, from the record
    sources: tuple[Source, ...]

    @property
    def start(self) -> str:
        """Sortable 'YYYY-MM[-DD]' of the earliest moment this event may mean."""
        return self.date or (str(self.term.start) if self.term else "")

    @property
    def months(self) -> tuple[str, str]:
        """The window (first, last month) the event falls in."""
        if self.date:
            return (self.date[:7], self.date[:7])
        if self.term:
            return (str(self.term.start), str(self.term.end))
        return ("", "9999-99")

    @property
    def written(self) -> str:
        """As the record writes it (2026-11), for messages to the editors who wrote it."""
        if self.date and self.term:
            return f"{self.date}（{self.term.label}）"
        return self.date or (self.term.label if self.term else "")

    @property
    def when(self) -> str:
        """For readers, in the site's date style: 2026年11月."""
        day = record_date_label(self.date) if self.date else None
        if day and self.term:
            return f"{day}（{self.term.label}）"
        return day or (self.term.label if self.term else "")

    @property
    def plans(self) -> list[str]:
        return [s.plan for s in self.sources if s.plan]

    def overlaps(self, other: StageEvent) -> bool:
        a, b = self.months, other.months
        return a[0] <= b[1] and b[0] <= a[1]


def timeline(data: PlanData, project: Project) -> list[StageEvent]:
    """Stages in time order; reports of the same stage in overlapping windows become one event."""
    raw: list[StageEvent] = []
    for st in project.stages:
        raw.append(StageEvent(st.stage, st.term, st.date,
                              (Source(None, project.where.file, st.line, st.note),)))
    for plan in data.plans_citing(project.id):
        for pp in plan.projects:
            if pp.id == project.id and pp.stage:
                raw.append(StageEvent(pp.stage, plan.term, None, (Source(plan.id, plan.where.file, pp.line, pp.note),)))
    merged: list[StageEvent] = []
    for ev in sorted(raw, key=lambda e: (e.start, STAGES.index(e.stage), e.sources[0].plan or "")):
        for n, known in enumerate(merged):
            if known.stage == ev.stage and known.overlaps(ev):
                merged[n] = StageEvent(known.stage, known.term or ev.term, known.date or ev.date,
                                       known.sources + ev.sources)
                break
        else:
            merged.append(ev)
    return sorted(merged, key=lambda e: (e.start, STAGES.index(e.stage)))


def latest_stage(events: list[StageEvent]) -> str | None:
    """The furthest stage reached."""
    return max((e.stage for e in events), key=STAGES.index, default=None)


_PUNCT = re.compile(r"[\s《》“”\"'‘’「」『』、，,。.:：；;！!？?（）()\[\]【】—\-–~～·]+")


def title_key(title: str) -> str:
    """A spelling-insensitive key: Traditional, width, spaces and punctuation do not count."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", normalize(title)))
