"""A site's own theme templates (theme.custom_dir) cannot undo the plugin's defences. Every text
field holds a title that tries to leave <title> and an attribute; two real sites, each built once:

- announce: Material's documented customisation, a main.html that extends base.html with an
  announcement bar (it hides the plugin's own main.html). The titles are escaped text before any
  template sees them, the strict build passes, the policy is on every page.
- blocks: a main.html that overrides base.html's blocks, writing the title as
  `{{ page.title | striptags }}` (striptags turns &lt; back into <). The title gets out of <title>;
  the policy, put into every finished page, stops its script, and the strict build fails saying why.

Both have Material's navigation.instant on, under which the term page's SVG chart links work.
"""

from __future__ import annotations

import html
import socket
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import run_mkdocs, serve
from hostile import PAGES, title_breaking, visit, write_project
from plansite.output.headmeta import add_social_meta, html_text, settle_page_texts, social_title

OVERRIDES = {
    "announce": {"main.html": '{% extends "base.html" %}\n'
                              '{% block announce %}本站数据为虚构的测试数据。{% endblock %}\n'},
    "blocks": {"main.html": '{% extends "base.html" %}\n'
                            '{% block htmltitle %}<title>{{ page.title | striptags }} · {{ config.site_name }}</title>'
                            '{% endblock %}\n'
                            '{% block extrahead %}<meta name="theme-color" content="#009688">{% endblock %}\n'
                            '{% block announce %}本站数据为虚构的测试数据。{% endblock %}\n'},
}


@pytest.fixture(scope="module", params=sorted(OVERRIDES))
def built(request, tmp_path_factory) -> tuple[str, Path, subprocess.CompletedProcess, int]:
    """(scenario, site folder, the strict build's result, the port of its site_url): `mkdocs build
    --strict` writes the site before it reports the warnings that fail it. Material's instant
    navigation follows only the sitemap's addresses, so site_url is where a test serves the site."""
    root = tmp_path_factory.mktemp(request.param)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    project = write_project(root / "p", title_breaking, overrides=OVERRIDES[request.param],
                            features=("navigation.instant",), site_url=f"http://127.0.0.1:{port}/")
    return request.param, root / "site", run_mkdocs(project, root / "site"), port


def pages(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 15
    return found


def test_the_strict_build_passes_or_says_why(built):
    scenario, site, result, _ = built
    log = result.stdout + result.stderr
    assert "Traceback" not in log
    if scenario == "announce":
        assert result.returncode == 0, log
        assert "WARNING" not in log, log
    else:
        assert result.returncode != 0
        warning = next(line for line in log.splitlines() if "内容安全策略" in line)
        assert "个页面含有内联脚本" in warning and "plans/alpha-a/index.html" in warning
        assert "theme.custom_dir" in warning and "striptags" in warning and "{{ page.title }}" in warning


def test_every_page_carries_the_policy_before_its_title(built):
    _, site, _, _ = built
    for f in pages(site):
        text = f.read_text(encoding="utf-8")
        head = BeautifulSoup(text, "html.parser").head
        metas = head.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1 and "script-src 'self';" in metas[0]["content"], f
        # first in <head>, after the charset: it governs everything the page holds
        assert [el.name for el in head.find_all(True)][:2] == ["meta", "meta"], f
        assert text.index("Content-Security-Policy") < text.index("<title>"), f


def test_titles_under_the_sites_templates(built):
    scenario, site, _, _ = built
    plan = BeautifulSoup((site / "plans/alpha-a/index.html").read_text(encoding="utf-8"), "html.parser")
    if scenario == "blocks":
        # the site's striptags lets the title out of <title>: what the policy is there for
        assert plan.head.title.string == "plan.title名"
        assert any(s.string == 'alert("plan.title")' for s in plan.head.find_all("script"))
        return
    for f in pages(site):
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
        assert len(soup.head.find_all("title")) == 1, f
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/json", (f, str(script)[:200])
    for path, field in (("schools/alpha/index.html", "school.name"), ("plans/alpha-a/index.html", "plan.title"),
                        ("projects/ke/index.html", "project.title")):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        assert soup.title.string == f"{title_breaking(field)} - 测试区"  # as written, once escaped
        topic = soup.select("[data-md-component=header-topic] .md-ellipsis")[-1]
        assert topic.get_text(strip=True) == title_breaking(field)
    category = BeautifulSoup((site / "compare/2026-autumn/leibie/index.html").read_text(encoding="utf-8"), "html.parser")
    assert title_breaking("category.name") in category.title.string


def test_og_title_is_escaped_once(built):
    _, site, _, _ = built
    for f in pages(site):
        soup = BeautifulSoup(f.read_text(encoding="utf-8"), "html.parser")
        og = soup.find("meta", attrs={"property": "og:title"})
        if f.name == "404.html":
            continue
        text = og["content"]
        assert "&amp;" not in text and "&lt;" not in text, (f, text)
        if f.relative_to(site).as_posix() == "plans/alpha-a/index.html":
            assert text == f"{title_breaking('plan.title')} - 测试区"


def test_page_texts_are_escaped_once_before_any_template():
    meta: dict = {"description": "甲 & 乙 <b>", "author": "&lt;script&gt;", "hide": ["toc"]}
    settle_page_texts(meta, "课题 &amp; 计划&lt;/title&gt;", homepage=False)  # the heading's text, as MkDocs holds it
    assert meta == {"description": "甲 &amp; 乙 &lt;b&gt;", "author": "&lt;script&gt;", "hide": ["toc"],
                    "title": "课题 &amp; 计划&lt;/title&gt;"}
    again = dict(meta)
    settle_page_texts(again, meta["title"], homepage=False)
    assert again == meta  # idempotent
    home: dict = {}
    settle_page_texts(home, "首页", homepage=True)
    assert home == {}  # the home page's <title> stays the site's name
    assert html_text('"x" & \'y\'') == "&quot;x&quot; &amp; &#x27;y&#x27;"
    title = social_title(meta["title"], "区 & 校", homepage=False)
    assert title == "课题 & 计划</title> - 区 & 校"
    out = add_social_meta("<head></head>", title=title, description="", url=None, site_name="区 & 校")
    assert '<meta property="og:title" content="课题 &amp; 计划&lt;/title&gt; - 区 &amp; 校">' in out
    assert html.unescape(out).count("&amp;") == 0


# ------------------------------------------------------------------ in Chromium

@pytest.mark.browser
def test_no_title_runs_script(browser, built):
    scenario, site, _, _ = built
    server = serve(site)
    try:
        fired, outside, refused = visit(browser, f"http://127.0.0.1:{server.server_address[1]}/", PAGES)
    finally:
        server.shutdown()
    assert fired == [] and outside == []
    if scenario == "announce":
        assert refused == [], refused[:3]  # nothing of the site's own was refused either
    else:
        assert refused  # the title's script got out of <title>, and the policy stopped it


@pytest.mark.browser
def test_instant_navigation_term_page_chart_links_and_titles(browser, built):
    """Material's navigation.instant rewrites the href of every [href] element of each page it
    shows; an SVG link's href is read-only, so the term page's chart links threw. They are
    xlink:href now. And a title that tries to leave <title> arrives as text by instant navigation."""
    scenario, site, _, port = built
    server = serve(site, port)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        base = f"http://127.0.0.1:{port}/"
        page = context.new_page()
        errors: list[str] = []
        dialogs: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(base + "compare/")
        page.wait_for_load_state("load")
        page.evaluate("window.__loaded_once = true")  # gone if a link loads a whole new page
        page.locator("article a[href$='2026-autumn/']").first.click()
        page.wait_for_url(base + "compare/2026-autumn/")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__loaded_once === true")  # an instant navigation
        assert errors == [], errors
        links = page.locator("svg.plansite-chart a")
        assert links.count() >= 3
        target = links.first.get_attribute("xlink:href")
        links.first.click()
        page.wait_for_url(base + "compare/2026-autumn/" + target)
        page.goto(base + "schools/alpha/")
        page.wait_for_load_state("load")
        page.evaluate("window.__loaded_once = true")
        page.locator("article a[href$='plans/alpha-a/']").first.click()
        page.wait_for_url(base + "plans/alpha-a/")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__loaded_once === true")
        if scenario == "announce":
            assert page.title() == f"{title_breaking('plan.title')} - 测试区"
        assert errors == [] and dialogs == []
    finally:
        context.close()
        server.shutdown()
