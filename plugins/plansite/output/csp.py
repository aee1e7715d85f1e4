"""The Content-Security-Policy on every page, whatever template rendered it.

A theme template can be overridden by the site (`theme.custom_dir`), so the policy is not written
by one: `PolicyGuard` puts it first in the <head> of each finished page and reports what the
policy refuses there (an inline script comes from a site's own template, or from text that a
template let out unescaped), so that `mkdocs build --strict` fails and says why. Under `mkdocs
serve`, `admitting_injected_scripts` adds to each served page the hash of the exact reload script
the server injected into it, so live reload works; a build never has one.

Pure string work, no MkDocs import.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter
from collections.abc import Callable

# The charset <meta> stays first when the page starts with it (browsers look for it early)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.I)
_POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', re.I)
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
_ATTRIBUTE = re.compile(r"""([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# what <script type="..."> a browser runs; any other type is a data block
_CODE_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript",
               "application/x-javascript", "text/jscript", "text/livescript", "text/x-javascript", "text/x-ecmascript"}

NO_HEAD = ("内容安全策略（Content-Security-Policy）：{n} 个页面没有 <head>，策略加不进去，页面上的脚本不受限制"
           "（{pages}）。请检查主题目录（theme.custom_dir）里覆盖的模板是否输出完整的 HTML 文档")
INLINE_SCRIPT = ("内容安全策略（Content-Security-Policy）：{n} 个页面含有内联脚本，策略（script-src）不让它运行，"
                 "例如 {page}：{script}（{pages}）。脚本请写进文件，用 extra_javascript 加载；"
                 "如果它出自主题目录（theme.custom_dir）里覆盖的模板输出的标题等文字，请直接写 {{{{ page.title }}}}"
                 "（PlanSite 已把它转义），不要加 striptags（它把转义过的 < 还原成标签）")


def policy_meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy, quote=True)}">'


def inline_scripts(page_html: str) -> list[str]:
    """The <script> elements of the page that a browser would run from inline text (no src, a
    JavaScript type), each as its HTML (at most 80 characters)."""
    found = []
    for m in _SCRIPT.finditer(page_html):
        attributes = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                      for a in _ATTRIBUTE.finditer(m.group(1))}
        if "src" in attributes or attributes.get("type", "").strip().lower() not in _CODE_TYPES:
            continue
        end = page_html[m.end():m.end() + 200].lower().find("</script>")
        element = " ".join(page_html[m.start():m.end() + (end + 9 if end >= 0 else 200)].split())
        found.append(element if len(element) <= 80 else element[:79] + "…")
    return found


def _directives(policy: str) -> dict[str, list[str]]:
    """A policy's directives by name, each with its sources (the first of a name counts)."""
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if words := part.split():
            out.setdefault(words[0].lower(), words[1:])
    return out


def refuses_inline_scripts(policy: str) -> bool:
    """Whether the policy stops an inline <script> (one without a hash or nonce it names)."""
    d = _directives(policy)
    sources = d.get("script-src-elem", d.get("script-src", d.get("default-src")))
    if sources is None:
        return False
    marked = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-", "'strict-dynamic'")) for s in sources)
    return "'unsafe-inline'" not in sources or marked


def insert_policy(page_html: str, policy: str) -> str | None:
    """The page with the policy's <meta> first in its <head>; None if it has no <head>."""
    head = _HEAD.search(page_html)
    if head is None:
        return None
    return page_html[:head.end()] + policy_meta(policy) + page_html[head.end():]


def _listing(pages: list[str], shown: int = 5) -> str:
    return "、".join(pages[:shown]) + (f" 等 {len(pages)} 页" if len(pages) > shown else "")


class PolicyGuard:
    """The policy of one build, put into every page it is given, and what it refused, by page.
    An empty policy leaves pages as they are."""

    def __init__(self, policy: str) -> None:
        self.policy = policy
        self.refuses_inline = refuses_inline_scripts(policy)
        self.no_head: list[str] = []  # pages the policy could not be put into
        self.inline: dict[str, str] = {}  # page -> the first inline script the policy refuses there

    def page(self, page_html: str, name: str) -> str:
        if not self.policy:
            return page_html
        guarded = insert_policy(page_html, self.policy)
        if guarded is None:
            self.no_head.append(name)
            return page_html
        if self.refuses_inline and (scripts := inline_scripts(guarded)):
            self.inline[name] = scripts[0]
        return guarded

    def report(self) -> list[str]:
        """One Chinese message per kind of problem, naming the pages (for log.warning: `mkdocs
        build --strict` then fails, saying why)."""
        out = []
        if self.no_head:
            out.append(NO_HEAD.format(n=len(self.no_head), pages=_listing(self.no_head)))
        if self.inline:
            page, script = next(iter(self.inline.items()))
            out.append(INLINE_SCRIPT.format(n=len(self.inline), page=page, script=script,
                                            pages=_listing(list(self.inline))))
        return out


def script_hash(text: str) -> str:
    """A CSP hash source for an inline script's exact text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


_INLINE_TEXT = re.compile(r"<script>(.*?)</script>", re.S)


def admit_scripts(page_html: str, scripts: list[str]) -> str:
    """The page with the hashes of these inline scripts added to the script sources of its first
    policy <meta> (the one PolicyGuard put first in its <head>). A policy that restricts no scripts, or already
    allows every inline one, is left as it is."""
    meta = _POLICY_META.search(page_html)
    if meta is None or not scripts:
        return page_html
    policy = html.unescape(meta.group(1))
    if not refuses_inline_scripts(policy):
        return page_html
    directives = _directives(policy)
    if "script-src" not in directives and "default-src" in directives:  # scripts fall back to default-src
        directives["script-src"] = list(directives["default-src"])
    hashes = list(dict.fromkeys(script_hash(s) for s in scripts))
    for name in ("script-src", "script-src-elem"):
        if name in directives:
            directives[name] += hashes
    admitted = "; ".join(" ".join([name, *sources]) for name, sources in directives.items())
    return page_html[:meta.start()] + policy_meta(admitted) + page_html[meta.end():]


def admitting_injected_scripts(inject: Callable[[bytes, int], bytes]) -> Callable[[bytes, int], bytes]:
    """Wrap the function with which `mkdocs serve` adds its live-reload <script> to each HTML file
    it serves (LiveReloadServer._inject_js_into_html(content, epoch)): the served page's policy
    then admits exactly the inline scripts the server added, by their hashes."""
    def inject_and_admit(content: bytes, epoch: int) -> bytes:
        served = inject(content, epoch)
        try:
            before, after = content.decode("utf-8"), served.decode("utf-8")
        except UnicodeDecodeError:
            return served
        added = Counter(_INLINE_TEXT.findall(after)) - Counter(_INLINE_TEXT.findall(before))
        return admit_scripts(after, list(added)).encode("utf-8") if added else served

    return inject_and_admit
