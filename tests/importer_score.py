"""The importer measured on real pages it was not written beside: shared/realdev and shared/seeds.

Scoring as shared/realdev/README.md gives it, per set:
    plan count exact per file; headings F1 (each heading as its month tuple, matched in order);
    item counts exact on matched headings; months F1 (the months a file's schedule covers);
    items found (per file, up to the truth's count; summed over the set); files read right
    (schedule headings F1 >= 0.8, of the files whose truth has a schedule); files with a
    schedule where none is found; projects F1 (titles as written), level and stage accuracy on
    matched titles; crashes; documents taken for projects.
Also, not in the README's list: titles and schools as the truth writes them, and source lines the
importer neither placed, set aside as noise, nor listed as unplaced (always 0).

Used by tests/test_importer_real.py (figures at the end of the run, thresholds asserted) and by
scripts/score_importer.py (the per-file table). Reads shared/ only; writes nothing.
"""

from __future__ import annotations

import json
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from plansite.importer import PlanImportError, parse_file

_LEVEL = {"国家": "国家级", "全国": "国家级", "省": "省级", "市": "市级", "区": "区级", "县": "县级", "镇": "镇级",
          "乡": "乡级", "校": "校级"}
_DOCUMENT = re.compile(r"(条例|计划|方案|意见|细则|标准|纲要|通知|办法|规定|制度|规程|指南|要点|总结|规划|杂志|报|刊)$")


def cases(shared: Path) -> dict[str, list[tuple[str, Path, dict]]]:
    """set name -> [(name, raw text path, truth)]; sets whose folder is absent are left out."""
    out: dict[str, list[tuple[str, Path, dict]]] = {}
    real = shared / "realdev"
    if (real / "truth").is_dir():
        out["realdev"] = [(t.stem, real / "raw" / f"{t.stem}.txt", json.loads(t.read_text(encoding="utf-8")))
                          for t in sorted((real / "truth").glob("*.json"))]
    seeds = shared / "seeds"
    if (seeds / "truth").is_dir():
        out["seeds"] = []
        for t in sorted((seeds / "truth").glob("*.json")):
            truth = json.loads(t.read_text(encoding="utf-8"))
            out["seeds"].append((t.stem[:3], seeds / truth["file"], truth))
    return out


@dataclass
class FileScore:
    name: str
    plans_truth: int
    plans_found: int = 0
    crash: str = ""
    heads_truth: int = 0
    heads_found: int = 0
    heads_hit: int = 0
    counts_exact: int = 0
    months_truth: int = 0
    months_found: int = 0
    months_hit: int = 0
    items_truth: int = 0
    items_found: int = 0
    proj_truth: int = 0
    proj_found: int = 0
    proj_hit: int = 0
    level_ok: int = 0
    stage_ok: int = 0
    documents: int = 0
    titles_ok: int = 0
    schools_ok: int = 0
    lines_missing: int = 0  # non-blank lines neither placed, noise nor listed as unplaced
    misses: list[str] = field(default_factory=list)

    @property
    def heads_f1(self) -> float:
        return f1(self.heads_hit, self.heads_truth, self.heads_found)

    @property
    def has_schedule(self) -> bool:
        return self.heads_truth > 0


def f1(hit: int, truth: int, found: int) -> float:
    if truth == 0 and found == 0:
        return 1.0
    return 2 * hit / (truth + found)


def _label(text: str | None) -> str:
    return re.sub(r"[：:。|\s]+$", "", text or "")


def score_file(name: str, raw: Path, truth: dict) -> FileScore:
    plans_t = truth["plans"]
    s = FileScore(name, len(plans_t))
    try:
        result = parse_file(raw)
        plans_g = result.to_json()["plans"]
        s.lines_missing = len(result.accounting.missing) if result.accounting else 0
    except PlanImportError as e:  # a refusal with a message is an answer: nothing found
        plans_g = []
        s.misses.append(f"refused: {e.message}")
    except Exception:  # noqa: BLE001 - anything else is a crash, the figure says so
        s.crash = traceback.format_exc(limit=3).strip().splitlines()[-1]
        plans_g = []
    s.plans_found = len(plans_g)
    heads_t = [(tuple(m["months"]), m["items"], m["label"]) for p in plans_t for m in p["months"]]
    heads_g = [(tuple(b["months"]), len(b["items"]), b["label"]) for p in plans_g for b in p["schedule"]]
    s.heads_truth, s.heads_found = len(heads_t), len(heads_g)
    start = 0
    used: set[int] = set()
    for months, items, label in heads_t:  # in order: the j-th week [9] pairs with the j-th found [9]
        hit = next((j for j in range(start, len(heads_g)) if j not in used and heads_g[j][0] == months), None)
        if hit is None:
            hit = next((j for j in range(len(heads_g)) if j not in used and heads_g[j][0] == months), None)
        if hit is None:
            s.misses.append(f"heading {label!r} {list(months)} not found")
            continue
        used.add(hit)
        start = hit + 1
        s.heads_hit += 1
        if heads_g[hit][1] == items:
            s.counts_exact += 1
        else:
            s.misses.append(f"heading {label!r} {list(months)}: {heads_g[hit][1]} items, truth {items}")
    s.misses += [f"extra heading {heads_g[j][2]!r} {list(heads_g[j][0])} ({heads_g[j][1]} items)"
                 for j in range(len(heads_g)) if j not in used]
    mt = {n for m, _, _ in heads_t for n in m}
    mg = {n for m, _, _ in heads_g for n in m}
    s.months_truth, s.months_found, s.months_hit = len(mt), len(mg), len(mt & mg)
    s.items_truth = sum(i for _, i, _ in heads_t)
    s.items_found = sum(i for _, i, _ in heads_g)
    proj_t = [x for p in plans_t for x in p["projects"]]
    proj_g = {x["title"].strip(): x for p in plans_g for x in p["projects"]}
    s.proj_truth, s.proj_found = len(proj_t), len(proj_g)
    for x in proj_t:
        q = proj_g.pop(x["title"].strip(), None)
        if q is None:
            s.misses.append(f"project 《{x['title']}》 not found")
            continue
        s.proj_hit += 1
        level = _LEVEL.get(x["level"], x["level"])
        s.level_ok += level == q["level"]
        s.stage_ok += x["stage"] == q["stage"]
        if level != q["level"] or x["stage"] != q["stage"]:
            s.misses.append(f"project 《{x['title']}》: {q['level']}/{q['stage']}, truth {level}/{x['stage']}")
    for title in proj_g:
        s.misses.append(f"《{title}》 is not a project")
        s.documents += bool(_DOCUMENT.search(title))
    for t, g in zip(plans_t, plans_g):
        s.titles_ok += _label(t["title"]) == _label(g["title"])
        s.schools_ok += t["school"] == g["school"]
        if _label(t["title"]) != _label(g["title"]):
            s.misses.append(f"title {g['title']!r}, truth {t['title']!r}")
        if t["school"] != g["school"]:
            s.misses.append(f"school {g['school']!r}, truth {t['school']!r}")
    if s.plans_found != s.plans_truth:
        s.misses.append(f"{s.plans_found} plans, truth {s.plans_truth}")
    return s


@dataclass
class SetScore:
    name: str
    files: list[FileScore]

    def _sum(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    def figures(self) -> dict[str, float | int]:
        s = self._sum
        hit, pt, pf = s("proj_hit"), s("proj_truth"), s("proj_found")
        scheduled = [f for f in self.files if f.has_schedule]
        return {
            "files": len(self.files),
            "plans exact": sum(f.plans_found == f.plans_truth for f in self.files) / max(1, len(self.files)),
            "headings F1": f1(s("heads_hit"), s("heads_truth"), s("heads_found")),
            "item counts exact": s("counts_exact") / max(1, s("heads_hit")),
            "months F1": f1(s("months_hit"), s("months_truth"), s("months_found")),
            "items found": sum(min(f.items_found, f.items_truth) for f in self.files) / max(1, s("items_truth")),
            "files read right": sum(f.heads_f1 >= 0.8 for f in scheduled) / max(1, len(scheduled)),
            "schedules missed": sum(f.heads_found == 0 for f in scheduled),
            "projects F1": f1(hit, pt, pf),
            "level": s("level_ok") / hit if hit else 1.0,
            "stage": s("stage_ok") / hit if hit else 1.0,
            "crashes": sum(bool(f.crash) for f in self.files),
            "documents as projects": s("documents"),
            "titles": s("titles_ok") / max(1, s("plans_truth")),
            "schools": s("schools_ok") / max(1, s("plans_truth")),
            "lines missing": s("lines_missing"),
        }

    def line(self) -> str:
        parts = []
        for key, value in self.figures().items():
            parts.append(f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}")
        return f"importer on {self.name}: " + ", ".join(parts)


def score_set(name: str, items: list[tuple[str, Path, dict]]) -> SetScore:
    return SetScore(name, [score_file(n, raw, truth) for n, raw, truth in items])


def table(score: SetScore) -> str:
    """One row per file: the figures that fail show where to look."""
    rows = [f"{'file':<6}{'plans':>7}{'heads':>9}{'F1':>6}{'exact':>7}{'items':>9}{'proj':>7}  misses"]
    for f in score.files:
        rows.append(f"{f.name:<6}{f.plans_found:>3}/{f.plans_truth:<3}{f.heads_hit:>3}/{f.heads_truth:<2}+{f.heads_found - f.heads_hit:<2}"
                    f"{f.heads_f1:>6.2f}{f.counts_exact:>4}/{f.heads_hit:<2}{min(f.items_found, f.items_truth):>4}/{f.items_truth:<4}"
                    f"{f.proj_hit:>3}/{f.proj_truth:<3}  {f.crash or ''}")
    return "\n".join(rows)
