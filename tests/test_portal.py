"""The province portal (`plansite portal`): districts read from their data/plans.json, a district
whose file is missing, broken or of an unknown version shown with its last good data and the date
of it, two districts claiming one school reported; the portal built with the real MkDocs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from plansite.adapters.portal import build_portal, matrix
from plansite.output.feeds.json_export import SCHEMA_VERSION
from plansite.output.portal import District, PortalError, read_district, read_districts
from plansite.output.portal.districts import conflicts

DAY1, DAY2 = date(2026, 12, 1), date(2026, 12, 5)


def synthetic_district(out: Path, prefix: str, schools: int = 3, seed: int = 1) -> Path:
    """A generated district with its data/plans.json made by the export code (no site build)."""
    subprocess.run([sys.executable, str(ROOT / "scripts/gen_corpus.py"), "--schools", str(schools), "--seed", str(seed),
                    "--prefix", prefix, "--out", str(out), "--plans-json"], check=True, timeout=300)
    return out / "data" / "plans.json"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, bytes]:
    base = tmp_path_factory.mktemp("exports")
    return {p: synthetic_district(base / p, f"{p}-", seed=n).read_bytes() for n, p in enumerate(("a", "b"), 1)}


def district(tmp: Path, did: str, text: bytes | None, site: str | None = None) -> District:
    path = tmp / f"{did}.json"
    if text is not None:
        path.write_bytes(text)
    elif path.exists():
        path.unlink()
    return District(did, f"{did}区", site or f"https://{did}.example.org/", "江东市", plans=str(path))


def test_a_good_district_is_read_and_kept(tmp_path, exports):
    d = read_district(district(tmp_path, "a", exports["a"]), tmp_path / "cache", DAY1)
    assert (d.status, d.reason, d.date) == ("ok", None, "2026-12-01")
    assert len(d.schools) == 3 and d.plans == 6 and d.items > 100 and len(d.projects) >= 15
    assert all(s["url"].startswith("https://a.example.org/schools/") for s in d.schools)
    assert (tmp_path / "cache" / "a" / "plans.json").read_bytes() == exports["a"]
    again = read_district(district(tmp_path, "a", exports["a"]), tmp_path / "cache", DAY2)
    assert again.date == "2026-12-01", "the same data keeps the date it was first read"
    for name in ("schools", "projects", "plans", "items", "categories", "term_labels", "months"):
        assert getattr(again, name) == getattr(d, name), name  # read from what the cache kept of it


@pytest.mark.parametrize("case, text, reason", [
    ("missing", None, "找不到"),
    ("broken", "HALF", "不是完整的 JSON（第"),
    ("too new", "V2", f"是第 {SCHEMA_VERSION + 1} 版格式，本门户只认识到第 {SCHEMA_VERSION} 版"),
    ("not ours", b'{"schools": []}', "不是 PlanSite 导出的 plans.json"),
    ("fields", b'{"version": 1, "generator": "plansite", "schools": [{"name": "x"}]}', "缺少或写错了字段"),
])
def test_a_bad_district_shows_its_last_good_data_and_why(tmp_path, exports, case, text, reason):
    cache = tmp_path / "cache"
    good = read_district(district(tmp_path, "a", exports["a"]), cache, DAY1)
    if text == "HALF":
        text = exports["a"][: len(exports["a"]) // 2]
    elif text == "V2":
        doc = json.loads(exports["a"])
        doc["version"] = SCHEMA_VERSION + 1
        text = json.dumps(doc, ensure_ascii=False).encode()
    bad = read_district(district(tmp_path, "a", text), cache, DAY2)
    assert bad.status == "stale" and reason in bad.reason, bad.reason
    assert bad.date == "2026-12-01"
    assert [s["name"] for s in bad.schools] == [s["name"] for s in good.schools]
    assert (cache / "a" / "plans.json").read_bytes() == exports["a"], "the good copy is not overwritten"


def test_a_district_never_read_is_shown_without_data(tmp_path):
    d = read_district(district(tmp_path, "c", None), tmp_path / "cache", DAY1)
    assert d.status == "none" and "找不到" in d.reason and d.schools == []


def test_two_districts_claiming_one_school_are_reported(tmp_path, exports):
    a = read_district(district(tmp_path, "a", exports["a"]), tmp_path / "cache", DAY1)
    same_ids = read_district(district(tmp_path, "a2", exports["a"]), tmp_path / "cache", DAY1)
    clashes = conflicts([a, same_ids])
    assert any(c.startswith("学校编号 a-s0000 同时出现在 a区、a2区") for c in clashes), clashes
    assert not any("网址" in c for c in clashes)  # different sites: different URLs
    b = read_district(district(tmp_path, "b", exports["b"], site="https://a.example.org/"), tmp_path / "cache", DAY1)
    clashes = conflicts([a, b])
    assert not any("编号" in c for c in clashes)
    assert any(c.startswith("学校网址 https://a.example.org/schools/") and c.endswith("a区、b区") for c in clashes), clashes


def test_districts_yml_problems_are_located(tmp_path):
    path = tmp_path / "districts.yml"
    path.write_text("province: 江南省\ndistricts:\n  - id: qinghe\n    name: 清河区\n    site: https://q.example.org/\n"
                    "  - id: Qing He\n    nmae: 东湖区\n    site: qinghe\n", encoding="utf-8")
    with pytest.raises(PortalError) as e:
        read_districts(path)
    message = str(e.value)
    assert f"{path}:6 districts[1].nmae: 未知字段" in message
    assert f"{path}:6 districts[1].id: 'Qing He' 不能做区县的网址名" in message
    assert f"{path}:6 districts[1].site: 'qinghe' 不是网址" in message


def test_the_matrix_is_cut_into_batches_of_256(tmp_path):
    path = tmp_path / "districts.yml"
    rows = "".join(f"  - {{id: d{n}, name: 区{n}, site: 'https://d{n}.example.org/'}}\n" for n in range(600))
    path.write_text("province: 江南省\ndistricts:\n" + rows, encoding="utf-8")
    out = matrix(path)
    batches = [json.loads(out[f"batch{n}"]) for n in range(1, 5)]
    assert [len(b) for b in batches] == [256, 256, 88, 0] and out["count"] == "600"
    assert batches[2][-1] == {"id": "d599", "name": "区599", "path": "districts/d599", "repository": "", "ref": ""}
    path.write_text("province: 江南省\ndistricts:\n" + rows * 2, encoding="utf-8")
    with pytest.raises(PortalError):
        matrix(path)  # d0 twice: refused before any batching


@pytest.fixture(scope="module")
def portal(tmp_path_factory, exports) -> dict:
    """A portal over three districts: a read well; b read well once, then broken; c never there.
    A school name of a carries markup, which must stay text."""
    root = tmp_path_factory.mktemp("province")
    doc = json.loads(exports["a"])
    doc["schools"][0]["name"] = "<b>粗体</b>学校|[链接](javascript:alert(1))"
    (root / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (root / "b.json").write_bytes(exports["b"])
    (root / "districts.yml").write_text(
        "province: 江南省\ndistricts:\n"
        "  - {id: dist-a, name: 清河区, city: 江东市, site: 'https://a.example.org/', plans: a.json}\n"
        "  - {id: dist-b, name: 东湖区, city: 江东市, site: 'https://b.example.org/', plans: b.json}\n"
        "  - {id: dist-c, name: 白沙县, city: 江东市, site: 'https://c.example.org/', plans: c.json}\n", encoding="utf-8")
    cache = root / ".plansite-portal"
    build_portal(root / "districts.yml", root / "first", cache, today=DAY1)
    (root / "b.json").write_bytes(exports["b"][:1000])
    result = build_portal(root / "districts.yml", root / "site", cache, today=DAY2)
    again = build_portal(root / "districts.yml", root / "again", cache, today=DAY2)
    return {"root": root, "site": root / "site", "again": again.out, "result": result}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_portal_lists_every_district_and_says_what_went_wrong(portal):
    site = portal["site"]
    text = _soup(site / "index.html").select_one("article").get_text("", strip=True).replace(" ", "")
    assert "3个区县，6所学校" in text
    assert "东湖区：b.json不是完整的JSON（第" in text and "本门户显示2026-12-01读到的数据" in text
    assert "白沙县：找不到c.json" in text and "还没有读到过它的数据" in text
    rows = {r.select("td")[0].get_text(): [td.get_text() for td in r.select("td")] for r in _soup(site / "index.html").select("article table tr")[1:]}
    assert rows["东湖区"][1] == "3" and rows["东湖区"][5] == "沿用旧数据（2026-12-01 的数据）"
    assert rows["清河区"][5] == "最新（2026-12-01）" and rows["白沙县"][1] == "0"
    b = _soup(site / "districts" / "dist-b" / "index.html")
    assert len(b.select("article table a[href^='https://b.example.org/schools/']")) == 3


def test_portal_text_fields_stay_text(portal):
    page = (portal["site"] / "districts" / "dist-a" / "index.html").read_text(encoding="utf-8")
    assert "<b>粗体</b>" not in page and "&lt;b&gt;粗体&lt;/b&gt;学校" in page
    assert "javascript:" not in "".join(a.get("href", "") for a in BeautifulSoup(page, "html.parser").select("a"))
    finder = json.loads((portal["site"] / "assets" / "portal" / "schools.json").read_text(encoding="utf-8"))
    assert "<b>粗体</b>学校|[链接](javascript:alert(1))" in [s[0] for s in finder["schools"]]  # shown with textContent


def test_the_finder_knows_pinyin_and_initials_in_pinyin_order(portal):
    finder = json.loads((portal["site"] / "assets" / "portal" / "schools.json").read_text(encoding="utf-8"))
    qinghe = next(s for s in finder["schools"] if s[1] == "清河小学")
    assert qinghe[2].split()[0] == "qinghexiaoxue" and qinghe[3].split()[0] == "qhxx"
    keys = [(finder["groups"][s[4]][0], finder["groups"][s[4]][1]) for s in finder["schools"]]
    from plansite.input.slugs import pinyin_order
    assert keys == sorted(keys, key=lambda k: (pinyin_order(k[0]), pinyin_order(k[1])))
    assert len(finder["schools"]) == 6


def test_comparisons_and_joint_projects(portal):
    site = portal["site"]
    compare = _soup(site / "compare" / "index.html")
    head = [th.get_text() for th in compare.select("article table")[0].select("th")]
    assert head[0] == "区县" and head[-1] == "合计" and "市级" in head
    term = _soup(site / "compare" / "2026-autumn" / "index.html")
    assert [h.get_text(strip=True).rstrip("¶") for h in term.select("article h2")] == ["活动类别 × 区县", "月份 × 区县"]
    months = [th.get_text() for th in term.select("article table")[1].select("th")]
    assert months[1:-1] == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]
    # a and b are generated from the same word lists: titles that recur in both are joint projects
    projects = _soup(site / "projects" / "joint" / "index.html")
    joint = projects.select("article table")[0].select("tr")[1:]
    assert joint and all({a["href"].split("/")[2] for a in row.select("a")} >= {"a.example.org", "b.example.org"}
                         for row in joint)


def test_the_portal_builds_the_same_bytes_again(portal):
    first = sorted(p.relative_to(portal["site"]) for p in portal["site"].rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(portal["again"]) for p in portal["again"].rglob("*") if p.is_file())
    for rel in first:
        if rel.name != "sitemap.xml.gz":
            assert (portal["site"] / rel).read_bytes() == (portal["again"] / rel).read_bytes(), rel


def test_long_project_lists_are_split_into_linked_pages(tmp_path):
    from plansite.output.portal import DistrictData, portal_pages
    from plansite.output.portal.pages import PAGE_BUDGET

    data = DistrictData(District("big", "大区", "https://big.example.org/"))
    data.projects = [{"id": f"p{n}", "title": f"第{n}项：关于作业设计的实践研究", "level": "市级", "stage": "开题",
                      "schools": ["s1"], "url": f"https://big.example.org/projects/p{n}/"} for n in range(3000)]
    data.projects[7]["title"] = "<i>第7项</i>"
    pages = portal_pages("江南省", [data])
    parts = sorted(p for p in pages if p == "projects/big.md" or p.startswith("projects/big/page/"))
    assert len(parts) > 3
    assert all(len(pages[p].encode()) < PAGE_BUDGET * 1.2 for p in parts)
    listed = sum(pages[p].count('<tr><td><a href="https://big.example.org/projects/p') for p in parts)
    assert listed == 3000, "every project on exactly one page"
    assert '<a href="https://big.example.org/projects/p7/">&lt;i&gt;第7项&lt;/i&gt;' in "".join(pages[p] for p in parts)
    assert "[第2页](big/page/2.md)" in pages["projects/big.md"]
    assert "[第1页](../../big.md)" in pages["projects/big/page/2.md"] and "[全省课题](../../index.md)" in pages["projects/big/page/2.md"]
