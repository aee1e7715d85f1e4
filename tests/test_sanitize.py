"""The two sanitizing layers on their own: Markdown prose, then page HTML (nh3)."""

import pytest

from plansite.output.sanitize import clean_html, clean_prose


@pytest.mark.parametrize("raw,kept,gone", [
    ("<script>alert(1)</script>正文", "正文", "alert"),
    ("<iframe src='//evil'></iframe>正文", "正文", "iframe"),
    ("<b onclick='x()'>粗</b>", "粗", "onclick"),
    ("[链接](javascript:alert(1))", "[链接](#)", "javascript"),
    ("[链接]( JaVaScRiPt:alert(1))", "[链接]( #)", "alert"),
    ("<javascript:alert(1)>", "", "alert"),
    ("<style>body{display:none}</style>文字", "文字", "display"),
    ("a < b，且 c > d", "a < b，且 c > d", "&lt;"),
    ("```\n<script>代码</script>\n```", "<script>代码</script>", "&lt;script"),
])
def test_clean_prose(raw, kept, gone):
    out = clean_prose(raw)
    assert kept in out and gone not in out.replace(kept, "")


def test_clean_html_keeps_what_markdown_makes():
    html = ('<h2 id="a">标题<a class="headerlink" href="#a" title="Permanent link">¶</a></h2>'
            '<table><thead><tr><th style="text-align: right;">数</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
            '<p><span id="i-1"></span><a href="../plans/x/#i-1">链接</a> <code>code</code></p>'
            '<div style="position:fixed" onmouseover="x()"><img src=x onerror=y>文字</div><script>z()</script>')
    out = clean_html(html)
    for kept in ('id="a"', 'class="headerlink"', 'href="../plans/x/#i-1"', 'style="text-align:right"', 'id="i-1"',
                 "<code>code</code>", "文字"):
        assert kept in out, kept
    for gone in ("position", "onmouseover", "<img", "onerror", "<script", "z()"):
        assert gone not in out, gone
