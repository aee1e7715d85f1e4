"""The synthetic district generator: deterministic, in the genre, and it builds with --strict."""

from __future__ import annotations

import filecmp
import subprocess
import sys

from conftest import ROOT, build_site, run_mkdocs
from plansite.input.load import load_plan_data


def generate(out, schools=4, seed=7):
    subprocess.run([sys.executable, str(ROOT / "scripts/gen_corpus.py"), "--schools", str(schools), "--seed", str(seed),
                    "--out", str(out)], check=True, timeout=120)
    return out


def test_same_arguments_same_bytes(tmp_path):
    a, b = generate(tmp_path / "a"), generate(tmp_path / "b")
    cmp = filecmp.dircmp(a, b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) > 20
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert not cmp.left_only and not cmp.right_only
    c = generate(tmp_path / "c", seed=8)
    assert (c / "plan_data/plans/s0000-2026-autumn.yml").read_bytes() != (a / "plan_data/plans/s0000-2026-autumn.yml").read_bytes()


def test_generated_district_is_clean_and_in_the_genre(tmp_path):
    out = generate(tmp_path / "d", schools=6)
    result = load_plan_data(out / "plan_data")
    assert result.problems == [], [str(p) for p in result.problems]
    data = result.data
    assert len(data.schools) == 6 and len(data.plans) == 12 and len(data.projects) == 30
    labels = {b.label for p in data.plans.values() for b in p.schedule}
    assert any("——" in label or "—" in label or " " in label or "、" in label for label in labels)  # spanning headings
    items = [i for p in data.plans.values() for b in p.schedule for i in b.items]
    assert len(items) / len(data.plans) > 35 and any(i.date for i in items) and any(i.projects for i in items)
    # projects are cited by both terms, with stages moving forward
    cited = [pid for pid in data.projects if len({p.term.key for p in data.plans_citing(pid)}) == 2]
    assert len(cited) >= 20
    assert any(len(p.schools) == 2 for p in data.projects.values())  # shared by two schools


def test_small_district_builds_strict(tmp_path):
    out = generate(tmp_path / "d", schools=3)
    site = build_site(out, tmp_path / "site")
    assert (site / "calendar/all.ics").is_file() and (site / "compare/index.html").is_file()


def test_preview_of_one_school_builds_its_pages_only(tmp_path):
    from plansite.output.build import build_pages
    from plansite.output.site import Site

    out = generate(tmp_path / "d", schools=5)
    data = load_plan_data(out / "plan_data").data
    one = data.only({"s0000"})
    assert list(one.schools) == ["s0000"] and {p.school for p in one.plans.values()} == {"s0000"}
    assert all(p.schools == ("s0000",) for p in one.projects.values())  # shared projects keep this school only
    paths = [o.path for o in build_pages(Site(one, site_name="预览"))]
    assert any(p.startswith("plans/") for p in paths)
    assert not any(p.startswith("schools/") and "s0001" in p for p in paths)


def test_split_pages_and_no_district_feed(tmp_path):
    """schools_per_page splits month and comparison pages (with links between them, checked by
    --strict); all_feed: false leaves out calendar/all.ics, never the school feeds."""
    import json
    import re

    out = generate(tmp_path / "d", schools=5)
    config = out / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - plansite\n" in text
    config.write_text(text.replace("  - plansite\n", "  - plansite:\n      all_feed: false\n      schools_per_page: 2\n"),
                      encoding="utf-8")
    site = build_site(out, tmp_path / "site")
    assert not (site / "calendar/all.ics").exists()
    assert len(list((site / "calendar/feeds").glob("*.ics"))) == 5
    month = sorted(p for p in (site / "calendar").glob("20*-*/index.html"))[0]
    html = month.read_text(encoding="utf-8")
    assert "按学校分页" in html and "page/2/" in html and "all.ics" not in html
    pages = [month] + sorted(month.parent.glob("page/*/index.html"))
    assert len(pages) == 3  # five schools, two to a page
    listed = [re.findall(r'<h2 id="s-([a-z0-9-]+)"', p.read_text(encoding="utf-8")) for p in pages]
    assert all(1 <= len(ids) <= 2 for ids in listed) and len({i for ids in listed for i in ids}) == 5
    term = sorted((site / "compare").glob("*/page/2/index.html"))
    assert term, "comparison pages are split too"
    assert (site / "projects/page/2/index.html").is_file() and "按学校分页" in (site / "projects/index.html").read_text(
        encoding="utf-8")
    # the months index (months × schools) and the comparisons index (projects by school) split alike
    for index in ("calendar", "compare"):
        parts = [site / index / "index.html"] + sorted((site / index / "page").glob("*/index.html"))
        assert len(parts) == 3, index
        rows = [set(re.findall(r'href="(?:\.\./)+schools/([^/"]+)/"', p.read_text(encoding="utf-8"))) for p in parts]
        assert all(1 <= len(r) <= 2 for r in rows) and len(set().union(*rows)) == 5, (index, rows)
        assert all("按学校分页" in p.read_text(encoding="utf-8") for p in parts)
    data = json.loads((site / "data/plans.json").read_text(encoding="utf-8"))
    assert data["calendar"] is None and all(s["calendar"].endswith(".ics") for s in data["schools"])
    # `mkdocs build` makes the pages' texts in a second process: the same bytes as in one process
    one = tmp_path / "one"
    result = run_mkdocs(out, one, env={"PLANSITE_ONE_PROCESS": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert [f for f in files if (site / f).read_bytes() != (one / f).read_bytes()] == []
