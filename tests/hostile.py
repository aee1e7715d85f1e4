"""A small project whose every plain-text field holds what an attacker or a careless editor types.

Used by test_hostile.py (fixed payloads, real builds, Chromium), test_theme_overrides.py (the
same under a site's own theme templates) and test_hostile_props.py (hypothesis). The data is
fictional; the payloads are the usual XSS and Markdown tricks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

# Every payload tries to make the built page run script, load something, or grow an element or
# attribute; each keeps a few Chinese characters so the field is not empty.
PAYLOADS = [
    '教科室 {: tabindex=0 autofocus onfocus="alert(1)" }',
    "名称</title><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>图",
    "&lt;script&gt;alert(4)&lt;/script&gt;文字",
    "[点我](javascript:alert(5))",
    '<a href="javascript:alert(6)">链接</a>',
    "&#106;avascript:alert(7) 实体",
    '"><svg onload=alert(8)>引号',
    "' onmouseover='alert(9)' 单引号",
    "标题 {#evil .x onclick=alert(10)}",
    "\u200b\u200d名\x07字\x1b控制",
    "<details open ontoggle=alert(11)>详情",
    "`代码` *强调* __粗__ | 竖线 # 井号",
    "{{ 7*7 }} {% raw %} 模板",
    "<<script>alert(12)//<</script>嵌套",
    "[a][r] 引用\n\n[r]: javascript:alert(13)",
]

# Prose fields are Markdown: links, reference definitions, attribute lists, raw HTML
PROSE = """本学期，教科室{: onclick="alert(20)" }继续推进课题研究。

[参考][evil] 与 [另一个](&#106;avascript:alert(21)) 和 <javascript:alert(22)>

[evil]: javascript:alert(23)

<script>alert(24)</script><img src=x onerror=alert(25)>

## 二、措施 {: onmouseover="alert(26)" }

- 第一条 {#i-taken}
"""

TEXT_FIELDS = {
    "school": ["name", "short_name", "province", "city", "district", "stage", "motto", "features"],
    "plan": ["title", "office"],
    "goal": ["text"],
    "plan_project": ["note"],
    "item": ["text", "who", "category"],
    "project": ["title", "issuer", "cycle", "host", "members", "stage_note"],
    "category": ["name"],
}


def write_project(root: Path, text: Callable[[str], str], prose: str = PROSE, csp: bool = True,
                  overrides: dict[str, str] | None = None, features: tuple[str, ...] = (),
                  site_url: str = "https://example.org/h/") -> Path:
    """mkdocs.yml + plan_data/ with text(field) in every plain-text field, prose in every Markdown one;
    overrides: the site's own theme templates (theme.custom_dir), by path; features: Material's."""
    data = root / "plan_data"
    for sub in ("schools", "plans", "projects"):
        (data / sub).mkdir(parents=True, exist_ok=True)

    def dump(rel: str, value) -> None:
        (data / rel).write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")

    dump("schools/alpha.yml", {f: text(f"school.{f}") for f in TEXT_FIELDS["school"]}
         | {"website": "https://alpha.example.edu.cn/", "slug": "alpha"})
    dump("schools/beta.yml", {"name": text("school.name") + "二", "slug": "beta"})
    dump("projects/ke.yml", {
        "title": text("project.title"), "level": "市级", "issuer": text("project.issuer"),
        "cycle": text("project.cycle"), "schools": ["alpha", "beta"], "host": text("project.host"),
        "members": [text("project.members"), "成员乙"], "slug": "ke",
        "stages": [{"stage": "立项", "term": "2026秋", "note": text("project.stage_note")}],
        "summary": prose})
    category = text("category.name")
    dump("categories.yml", [{"name": category, "slug": "leibie", "keywords": ["培训"]},
                            {"name": "课题研究", "slug": "keti", "keywords": ["课题"]}])
    for sid, term in (("alpha", "2026秋"), ("beta", "2026秋"), ("alpha", "2027春")):
        months = ["九月", "十月"] if term.endswith("秋") else ["三月", "四月"]
        dump(f"plans/{sid}-{'a' if term.endswith('秋') else 's'}.yml", {
            "school": sid, "term": term, "title": text("plan.title"), "office": text("plan.office"),
            "slug": f"{sid}-{'a' if term.endswith('秋') else 's'}",
            "guiding": prose, "goals": [text("goal.text"), "做好课题研究。"], "measures": prose,
            "projects": [{"id": "ke", "stage": "中期", "note": text("plan_project.note")}],
            "schedule": [
                {"label": months[0], "items": [
                    {"text": text("item.text") + "培训", "who": text("item.who"), "category": category,
                     "projects": ["ke"], "id": "taken"},
                    {"text": "课题中期报告。", "date": "10日", "who": text("item.who")},
                    text("item.text")]},
                {"label": months[1], "items": [{"text": "读书交流。", "who": text("item.who")}]},
            ]})
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "about.md").write_text("# 关于\n\n测试。\n", encoding="utf-8")
    theme = ""
    for path, template in (overrides or {}).items():
        (root / "overrides" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "overrides" / path).write_text(template, encoding="utf-8")
        theme = "  custom_dir: overrides\n"
    if features:
        theme += "  features:\n" + "".join(f"    - {f}\n" for f in features)
    (root / "mkdocs.yml").write_text(
        f"site_name: 测试区\nsite_url: {site_url}\ntheme:\n  name: material\n  language: zh\n"
        "  font: false\n" + theme + "plugins:\n  - search\n  - plansite" + ("" if csp else ":\n      content_security_policy: ''")
        + "\nmarkdown_extensions:\n  - attr_list\n  - tables\n  - toc:\n      permalink: true\n"
        "validation:\n  omitted_files: warn\n  absolute_links: warn\n  unrecognized_links: warn\n  anchors: warn\n",
        encoding="utf-8")
    return root


def cycling(payloads: list[str] = PAYLOADS) -> Callable[[str], str]:
    """text(field): a different payload for each field, in a fixed order."""
    order: dict[str, int] = {}

    def text(field: str) -> str:
        n = order.setdefault(field, len(order))
        return payloads[n % len(payloads)]

    return text


def benign(field: str) -> str:
    return {"school.name": "测试区阿尔法小学", "category.name": "校本培训"}.get(field, "正常文字")


def title_breaking(field: str) -> str:
    """text(field): the same escape from <title> and from an attribute in every field, each
    naming its field, so a dialog says which one got out."""
    return f'{field}名</title><script>alert("{field}")</script>"><img src=x onerror=alert("{field}")> & 与'


# ------------------------------------------------------------------ in Chromium

TRAP = """
window.__fired = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (...args) { window.__fired.push(name + ":" + args.join(",")); return null; };
}
"""

PAGES = ["", "schools/", "schools/alpha/", "plans/alpha-a/", "projects/", "projects/ke/", "calendar/",
         "calendar/2026-09/", "compare/", "compare/2026-autumn/", "compare/2026-autumn/leibie/", "about/"]


ARTICLE = "article td, article li, article h1, article h2, article a"


def visit(browser, base: str, paths: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Open each page, tab and hover through it; what fired, which requests left the origin, and
    which Content-Security-Policy violations the console reported."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_init_script(TRAP)
    outside: list[str] = []
    host = base.split("/")[2]

    def route(r):
        if r.request.url.split("/")[2] != host and not r.request.url.startswith(("data:", "blob:")):
            outside.append(r.request.url)
            return r.abort()
        return r.continue_()

    context.route("**/*", route)
    fired: list[str] = []
    violations: list[str] = []
    page = context.new_page()
    # the visitor's month is the data's: agenda.js renders the hostile items in the browser too
    page.clock.set_fixed_time(datetime(2026, 9, 15, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    page.on("dialog", lambda d: (fired.append("dialog:" + d.message), d.dismiss()))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, path
        page.wait_for_load_state("load")
        for _ in range(6):  # the first focus stops from the keyboard (every element gets a focus event below)
            page.keyboard.press("Tab")
        # every such element gets the pointer's events (a handler smuggled onto one would fire); a
        # few get a real hover from the mouse too
        page.evaluate("""document.querySelectorAll(ARTICLE).forEach(el => ["pointerover", "mouseover",
            "mouseenter", "mousemove", "focus"].forEach(type => el.dispatchEvent(new MouseEvent(type, {bubbles: true}))))"""
                      .replace("ARTICLE", repr(ARTICLE)))
        for el in page.locator(ARTICLE).all()[:6]:
            try:
                el.hover(timeout=300, force=True)  # no waiting for an element that never shows
            except Exception:  # hidden: a hover is only a try
                pass
        if path == "":  # the home page's next two weeks ran over the hostile items
            assert page.locator("[data-plansite-days] li").count() >= 1
        if path == "schools/alpha/":  # a school's this month and next, too
            assert page.locator("[data-plansite-now] section[data-month='2026-09'] li").count() >= 1
        fired += page.evaluate("window.__fired")
    context.close()
    return fired, outside, violations
