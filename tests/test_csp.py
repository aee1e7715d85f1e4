"""The Content-Security-Policy put into finished pages (csp.py): first in <head>, inline scripts
reported, and under `mkdocs serve` exactly the injected reload script admitted by its hash.
Browser and real builds: test_theme_overrides.py, test_hostile.py, test_serve.py."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from functools import partial

from mkdocs.livereload import LiveReloadServer

from plansite.adapters.config import CSP
from plansite.output.csp import (PolicyGuard, admit_scripts, admitting_injected_scripts, inline_scripts, insert_policy,
                          refuses_inline_scripts, script_hash)

PAGE = ('<!doctype html>\n<html lang="zh">\n  <head>\n    <meta charset="utf-8">\n    <title>甲</title>\n'
        '<script id="__config" type="application/json">{"a": 1}</script>\n  </head>\n'
        '  <body><p>正文 &lt;script&gt;</p><script src="x.js"></script></body>\n</html>\n')


def policy_of(page: str) -> str:
    return html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))


def test_the_policy_goes_first_in_head_after_the_charset():
    out = insert_policy(PAGE, CSP)
    assert out is not None
    assert re.search(r'<head>\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="[^"]+">\n'
                     r'\s*<title>', out)
    assert policy_of(out) == CSP
    assert insert_policy('<html><HEAD lang="zh"><title>乙</title>', "script-src 'self'").startswith(
        '<html><HEAD lang="zh"><meta http-equiv=')
    assert insert_policy("<p>没有文档头</p>", CSP) is None


def test_inline_scripts_are_the_ones_a_browser_runs():
    assert inline_scripts(PAGE) == []  # a data block and a file
    page = PAGE.replace("<p>", '<script>alert(1)</script><script type="module">x()</script>'
                               "<script type='text/plain'>y</script><SCRIPT\ttype=text/javascript>z</SCRIPT><p>")
    assert inline_scripts(page) == ["<script>alert(1)</script>", '<script type="module">x()</script>',
                                    "<SCRIPT type=text/javascript>z</SCRIPT>"]
    long = inline_scripts(f"<script>{'x' * 300}</script>")
    assert long == ["<script>" + "x" * 71 + "…"]


def test_which_policies_refuse_inline_scripts():
    assert refuses_inline_scripts(CSP)
    assert refuses_inline_scripts("default-src 'self'")
    assert not refuses_inline_scripts("img-src 'self'")
    assert not refuses_inline_scripts("script-src 'self' 'unsafe-inline'")
    assert refuses_inline_scripts("script-src 'self' 'unsafe-inline' 'nonce-abc'")  # a nonce turns unsafe-inline off
    assert refuses_inline_scripts("script-src 'unsafe-inline'; script-src-elem 'self'")


def test_the_guard_reports_pages_once_per_kind():
    guard = PolicyGuard(CSP)
    for n in range(7):
        guard.page(PAGE.replace("<p>", "<script>alert(2)</script><p>"), f"p{n}/index.html")
    assert guard.page("<p>片段</p>", "frag.html") == "<p>片段</p>"
    clean = guard.page(PAGE, "ok/index.html")
    assert policy_of(clean) == CSP
    inline, no_head = guard.report()[::-1]
    assert "1 个页面没有 <head>" in no_head and "frag.html" in no_head
    assert inline.startswith("内容安全策略（Content-Security-Policy）：7 个页面含有内联脚本")
    assert "例如 p0/index.html：<script>alert(2)</script>" in inline and "p4/index.html 等 7 页" in inline
    assert "ok/index.html" not in inline
    assert PolicyGuard("").page(PAGE, "a") == PAGE and PolicyGuard("").report() == []
    lax = PolicyGuard("script-src 'self' 'unsafe-inline'")
    lax.page(PAGE.replace("<p>", "<script>ga()</script><p>"), "a")
    assert lax.report() == []  # the site's own policy allows them


def test_admitted_scripts_are_hashed_into_the_page_policy():
    page = insert_policy(PAGE, CSP)
    out = admit_scripts(page, ["poll();", "poll();"])
    digest = base64.b64encode(hashlib.sha256(b"poll();").digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy_of(out)
    assert policy_of(out).count("sha256-") == 1 and policy_of(out).replace(f" 'sha256-{digest}'", "") == CSP
    only_default = admit_scripts(insert_policy(PAGE, "default-src 'self'"), ["a"])
    assert policy_of(only_default) == f"default-src 'self'; script-src 'self' {script_hash('a')}"
    allowed = insert_policy(PAGE, "script-src 'self' 'unsafe-inline'")
    assert admit_scripts(allowed, ["a"]) == allowed  # a hash would turn unsafe-inline off
    assert admit_scripts(PAGE, ["a"]) == PAGE  # no policy, nothing to admit


def test_serve_admits_exactly_the_script_it_injected():
    """MkDocs' own injection (LiveReloadServer._inject_js_into_html, which uses no server state)."""
    inject = admitting_injected_scripts(partial(LiveReloadServer._inject_js_into_html, None))
    hostile = PAGE.replace("<p>", "<script>alert(3)</script><p>")
    file = insert_policy(hostile, CSP).encode()
    served = inject(file, 7).decode()
    script = re.findall(r"<script>(.*?)</script>", served, re.S)
    assert len(script) == 2 and "livereload(7, " in script[1]  # the page's own, then the server's
    assert policy_of(served) == CSP.replace("script-src 'self'", f"script-src 'self' {script_hash(script[1])}")
    assert script_hash("alert(3)") not in served
    assert served.replace(policy_of(served).replace("'", "&#x27;"), CSP.replace("'", "&#x27;")) == \
        file.decode().replace("</body>", f"<script>{script[1]}</script></body>")
    assert inject("<p>ü</p>".encode("latin-1"), 1).startswith(b"<p>")  # not UTF-8: served as MkDocs made it
