"""The portal's pages, as Markdown (and the school finder's data): every text field of a district's
plans.json is text here (md_text), every link into a district site is made from its relative URL.

    index.md                    districts with their counts, data problems, conflicts
    schools/index.md            find any school (name, short name, pinyin, initials) in the province
    districts/<id>.md           a district's schools, by city and district in pinyin order
    compare/index.md            projects by level and by stage per district; the terms
    compare/<term>.md           categories per district, months × districts
    projects/index.md           the districts' project counts
    projects/joint.md …         joint projects: one title in several districts (split pages)
    projects/<id>.md …          a district's projects (split into pages of PAGE_BUDGET bytes)
    assets/portal/schools.json  the finder's data: every school with its pinyin keys
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import unicodedata
from collections import Counter
from urllib.parse import quote

from ...input.chinese import HAN
from ...input.model import LEVELS, STAGES
from ...input.slugs import pinyin_keys, pinyin_order
from ..mdtext import md_text, plain_text
from .districts import DistrictData, conflicts

PAGE_BUDGET = 100_000  # bytes of a split page's table: the page stays well under 300 KB
NONE = "未注明"
STATUS = {"ok": "最新", "stale": "沿用旧数据", "none": "暂无数据"}


def portal_pages(province: str, districts: list[DistrictData]) -> dict[str, str]:
    """Every generated file of the portal: path under docs/ -> text."""
    districts = sorted(districts, key=lambda d: pinyin_order(d.district.name))
    pages = {"index.md": _index(province, districts), "schools/index.md": _finder(districts),
             "assets/portal/schools.json": _finder_data(districts), "compare/index.md": _compare_index(districts)}
    for d in districts:
        pages[f"districts/{d.district.id}.md"] = _district(d)
    for term in _terms(districts):
        pages[f"compare/{term}.md"] = _compare_term(districts, term)
    pages.update(_projects(districts))
    return pages


def _href(url: str) -> str:
    """A URL fit for Markdown's (…): spaces, parentheses and non-ASCII characters escaped."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._").replace("(", "%28").replace(")", "%29")


def _link(label: object, url: str | None) -> str:
    return f"[{md_text(label)}]({_href(url)})" if url else md_text(label)


def _a(label: object, url: str | None) -> str:
    """An HTML link (or the text alone) for the long tables, which are raw HTML: Python-Markdown
    would spend most of a province's build on their inline links."""
    text = html.escape(plain_text(label), quote=False)
    return f'<a href="{html.escape(_href(url))}">{text}</a>' if url else text


def _h(value: object) -> str:
    return html.escape(plain_text(value), quote=False)


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    """A table of cells already made HTML (_a, _h), as one raw HTML block."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _status(d: DistrictData) -> str:
    if d.status == "ok":
        return f"{STATUS['ok']}（{d.date}）"
    if d.status == "stale":
        return f"**{STATUS['stale']}**（{d.date} 的数据）"
    return f"**{STATUS['none']}**"


def _index(province: str, districts: list[DistrictData]) -> str:
    rows = [[f"[{md_text(d.district.name)}](districts/{d.district.id}.md)", str(len(d.schools)), str(d.plans),
             str(len(d.projects)), str(d.items), _status(d), _link("区县网站", d.district.site)] for d in districts]
    total = [str(sum(len(d.schools) for d in districts)), str(sum(d.plans for d in districts)),
             str(sum(len(d.projects) for d in districts)), str(sum(d.items for d in districts))]
    out = [f"# {md_text(province)}教科研工作计划门户", "",
           f"{len(districts)} 个区县，{total[0]} 所学校。[找学校](schools/index.md) · [区县对比](compare/index.md) · "
           "[课题](projects/index.md)", "",
           "## 区县", "",
           _table(["区县", "学校", "计划", "课题", "行事历条目", "数据", "网站"],
                  rows + [["**合计**", *total, "", ""]])]
    troubled = [d for d in districts if d.status != "ok"]
    if troubled:
        out += ["", "## 数据问题", ""]
        for d in troubled:
            kept = (f"本门户显示 {d.date} 读到的数据。" if d.status == "stale" else "还没有读到过它的数据，本门户暂不显示它的学校。")
            out.append(f"- **{md_text(d.district.name)}**：{md_text(d.reason)}。{kept}")
    clashes = conflicts(districts)
    if clashes:
        out += ["", "## 编号冲突", "", "两个区县声称同一所学校：请两区核对，各用自己的学校编号和网址。", ""]
        out += [f"- {md_text(c)}" for c in clashes]
    return "\n".join(out) + "\n"


def _groups(d: DistrictData) -> list[tuple[tuple[str, str], list[dict]]]:
    """A district's schools by (city, district) in pinyin order, each group's schools too."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for s in d.schools:
        groups.setdefault((s["city"] or "", s["district"] or d.district.name), []).append(s)
    order = sorted(groups, key=lambda k: (pinyin_order(k[0]), pinyin_order(k[1])))
    return [(k, sorted(groups[k], key=lambda s: pinyin_order(s["name"]))) for k in order]


def _district(d: DistrictData) -> str:
    out = [f"# {md_text(d.district.name)}", "",
           f"{len(d.schools)} 所学校，{d.plans} 份计划，{len(d.projects)} 项课题。数据：{_status(d)}。"
           f"{_link('打开区县网站', d.district.site)} · [课题](../projects/{d.district.id}.md)", ""]
    if d.reason:
        out += [f"!!! warning \"数据问题\"\n    {md_text(d.reason)}", ""]
    for (city, district), schools in _groups(d):
        out += [f"## {md_text(' '.join(x for x in (city, district) if x))}", ""]
        out.append(_table(["学校", "简称", "学段"], [[_link(s["name"], s["url"]), md_text(s["short_name"] or ""),
                                                   md_text(s["stage"] or "")] for s in schools]))
        out.append("")
    return "\n".join(out)


def _finder(districts: list[DistrictData]) -> str:
    links = " · ".join(f"[{md_text(d.district.name)}](../districts/{d.district.id}.md)" for d in districts)
    return ("---\nsearch:\n  exclude: true\n---\n\n# 找学校\n\n"
            '<div class="portal-finder" data-src="../assets/portal/schools.json">\n'
            '<input id="portal-q" type="search" placeholder="校名、简称、拼音或首字母，例如 qhsx" '
            'aria-label="找学校：校名、简称、拼音或首字母" autocomplete="off">\n'
            '<p id="portal-count" role="status"></p>\n<div id="portal-results"></div>\n</div>\n\n'
            f"按区县浏览：{links}\n")


def _finder_data(districts: list[DistrictData]) -> str:
    """[groups, schools]: a group is [city, district, portal district id]; a school is
    [name, short name, full pinyin, initials, group, URL], grouped by city and district in pinyin order."""
    groups: list[list[str]] = []
    schools: list[list] = []
    for d in districts:
        for (city, district), members in _groups(d):
            groups.append([city, district, d.district.name])
            for s in members:
                keys = [pinyin_keys(_han(n)) for n in dict.fromkeys(x for x in (s["short_name"], s["name"]) if x)]
                schools.append([s["name"], s["short_name"] or "", " ".join(k[0] for k in keys),
                                " ".join(k[1] for k in keys), len(groups) - 1, s["url"] or ""])
    order = sorted(range(len(groups)), key=lambda g: (pinyin_order(groups[g][0]), pinyin_order(groups[g][1]), g))
    rank = {g: n for n, g in enumerate(order)}
    schools.sort(key=lambda s: rank[s[4]])  # stable: the schools of a group keep their pinyin order
    schools = [[*s[:4], rank[s[4]], s[5]] for s in schools]
    return json.dumps({"groups": [groups[g] for g in order], "schools": schools}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def _han(text: str) -> str:
    return "".join(HAN.findall(text)) or text


def _terms(districts: list[DistrictData]) -> list[str]:
    return sorted({t for d in districts for t in d.categories} | {_term_of(m) for d in districts for m in d.months})


def _term_of(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    if m >= 8:
        return f"{year}-autumn"
    return f"{year - 1}-autumn" if m == 1 else f"{year}-spring"


def _term_label(districts: list[DistrictData], term: str) -> str:
    for d in districts:
        if term in d.term_labels:
            return d.term_labels[term]
    year, half = term.split("-")
    return f"{year}年{'秋' if half == 'autumn' else '春'}季学期"


def _counts_table(districts: list[DistrictData], columns: list[str], count) -> str:
    rows = []
    for d in districts:
        c = count(d)
        rows.append([md_text(d.district.name), *(str(c.get(k, 0)) for k in columns), str(sum(c.values()))])
    sums = [str(sum(count(d).get(k, 0) for d in districts)) for k in columns]
    return _table(["区县", *map(md_text, columns), "合计"], rows + [["**合计**", *sums, str(sum(map(int, sums)))]])


def _compare_index(districts: list[DistrictData]) -> str:
    def levels(d):
        return Counter(p["level"] or NONE for p in d.projects)

    def stages(d):
        return Counter(p["stage"] or NONE for p in d.projects)

    seen_levels = {k for d in districts for k in levels(d)}
    seen_stages = {k for d in districts for k in stages(d)}
    level_cols = [x for x in (*LEVELS, NONE) if x in seen_levels] + sorted(seen_levels - {*LEVELS, NONE})
    stage_cols = [x for x in (*STAGES, NONE) if x in seen_stages] + sorted(seen_stages - {*STAGES, NONE})
    terms = _terms(districts)
    return "\n".join([
        "# 区县对比", "",
        "各学期：" + (" · ".join(f"[{md_text(_term_label(districts, t))}]({t}.md)" for t in terms) or "暂无"), "",
        "## 课题：按级别", "", _counts_table(districts, level_cols, levels), "",
        "## 课题：按最新阶段", "", _counts_table(districts, stage_cols, stages), ""])


def _compare_term(districts: list[DistrictData], term: str) -> str:
    categories = sorted({c for d in districts for c in d.categories.get(term, ())}, key=pinyin_order)
    months = sorted({m for d in districts for m in d.months if _term_of(m) == term})
    label = _term_label(districts, term)
    return "\n".join([
        "---\nsearch:\n  exclude: true\n---\n", f"# {md_text(label)}：区县对比", "", "[全部学期](index.md)", "",
        "## 活动类别 × 区县", "", "各区县本学期行事历条目按活动类别计数。", "",
        _counts_table(districts, categories, lambda d: d.categories.get(term, Counter())), "",
        "## 月份 × 区县", "", "各区县每月的行事历条目（跨月条目每月各计一次）。", "",
        _counts_table(districts, months, lambda d: Counter({m: n for m, n in d.months.items() if _term_of(m) == term})), ""])


def _rel(here: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def _title_key(title: str) -> str:
    """Titles that differ only in punctuation, spaces or width are one project."""
    return "".join(re.findall(r"\w", unicodedata.normalize("NFKC", title))).lower()


def _split(rows: list[list[str]], budget: int = PAGE_BUDGET) -> list[list[list[str]]]:
    """Rows cut into parts of at most `budget` bytes of HTML (a part holds one row at least)."""
    parts: list[list[list[str]]] = [[]]
    size = 0
    for row in rows:
        n = sum(len(c.encode("utf-8")) + 9 for c in row) + 10  # <td></td> each, <tr></tr> and a newline
        if parts[-1] and size + n > budget:
            parts.append([])
            size = 0
        parts[-1].append(row)
        size += n
    return parts


def _paged(stem: str, top: list[str], head: list[str], rows: list[list[str]], empty: str) -> dict[str, str]:
    """projects/<stem>.md and, when the rows are many, projects/<stem>/page/2.md …: `top` (lines
    that may hold {up}, the link to the projects index) above an HTML table of rows, linked to each other."""
    parts = _split(rows)
    paths = [f"projects/{stem}.md" if n == 1 else f"projects/{stem}/page/{n}.md" for n in range(1, len(parts) + 1)]
    pages = {}
    for n, (part, path) in enumerate(zip(parts, paths), 1):
        pager = ("分页：" + " · ".join(f"**第{k}页**" if k == n else f"[第{k}页]({_rel(path, other)})"
                                     for k, other in enumerate(paths, 1))) if len(parts) > 1 else ""
        pages[path] = "\n".join([*(line.format(up=_rel(path, "projects/index.md")) for line in top), "", pager, "",
                                 _html_table(head, part) if part else empty, "", pager, ""])
    return pages


def _projects(districts: list[DistrictData]) -> dict[str, str]:
    rank = {x: n for n, x in enumerate(LEVELS)}
    by_title: dict[str, list[tuple[DistrictData, dict]]] = {}
    for d in districts:
        for p in d.projects:
            by_title.setdefault(_title_key(p["title"]), []).append((d, p))
    joint = sorted(((k, v) for k, v in by_title.items() if len({d.district.id for d, _ in v}) > 1),
                   key=lambda kv: (rank.get(kv[1][0][1]["level"], len(rank)), kv[0]))
    pages: dict[str, str] = {}
    listing = []
    for d in districts:
        projects = sorted(d.projects, key=lambda p: (rank.get(p["level"], len(rank)), p["title"], p["id"]))
        names = {s["id"]: s["short_name"] or s["name"] for s in d.schools}
        rows = [[_a(p["title"], p["url"]), _h(p["level"] or NONE), _h(p["stage"] or NONE),
                 _h("、".join(names.get(s, s) for s in p["schools"]))] for p in projects]
        pages.update(_paged(d.district.id, [f"# {md_text(d.district.name)}的课题", "",
                                            f"{len(projects)} 项课题。[全省课题]({{up}})"],
                            ["课题", "级别", "阶段", "学校"], rows, "暂无课题。"))
        listing.append([f"[{md_text(d.district.name)}]({d.district.id}.md)", str(len(projects)),
                        str(sum(1 for p in projects if len(p["schools"]) > 1))])
    joint_rows = [[_h(v[0][1]["title"]), _h(v[0][1]["level"] or NONE),
                   "、".join(_a(d.district.name, p["url"]) for d, p in v)] for _, v in joint]
    pages.update(_paged("joint", ["# 跨区县的联合课题", "",
                                  f"题目相同（不计标点和空格）、由不同区县的学校承担的课题：{len(joint)} 项。[全省课题]({{up}})"],
                        ["课题", "级别", "区县"], joint_rows, "暂未发现跨区县的联合课题。"))
    pages["projects/index.md"] = "\n".join([
        "# 课题", "", f"全省 {sum(len(d.projects) for d in districts)} 项课题。", "",
        f"[跨区县的联合课题](joint.md)：{len(joint)} 项，题目相同、由不同区县的学校承担。", "",
        "## 各区县的课题", "", _table(["区县", "课题", "校际合作"], listing), ""])
    return pages
