"""A site's address (mkdocs.yml's `site_url`, `plansite new --site-url`) as HTML and feeds need it.

MkDocs joins site_url with each page's URL into `page.canonical_url`, and themes write that into
`<link rel="canonical" href="…">` unescaped; PlanSite writes it into og:url, the feeds and webcal://
links. MkDocs itself only asks for a scheme and a host, so a quote, a space or a control character
in site_url would break an attribute on every page. This module says what is wrong with an address,
in Chinese; whether the address is public enough to publish is the publish check's business.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from typing import Callable
from urllib.parse import urlsplit

EXAMPLE = "https://jky.school.edu.cn/"
# Characters RFC 3986 never allows in a URL, and the single quote that ends an attribute too.
_FORBIDDEN = set("\"'<>\\`^{|}")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def undecodable(text: str) -> bool:
    """Bytes the command line could not decode as UTF-8 reach Python as lone surrogates."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def site_url_problem(url: str, *, https_only: bool = False) -> str | None:
    """What makes `url` unusable as a site's address, in Chinese; None when it is a clean absolute
    http(s) URL (https only, with `https_only`) of a folder on a named host."""
    if undecodable(url):
        return "含有无法识别的字节（不是 UTF-8 文字）"
    for n, ch in enumerate(url, 1):
        kind = unicodedata.category(ch)
        if kind[0] in "CZ":  # controls, format characters, spaces of every width, line breaks
            what = "空格" if kind == "Zs" else f"看不见的字符 U+{ord(ch):04X}"
            return f"第 {n} 个字符是{what}，网址里不能有空白或控制字符"
    quoted = sorted(set(url) & _FORBIDDEN)
    if quoted:
        return f"含有 {' '.join(quoted)}，网址里不能有引号、尖括号、反斜杠这类字符"
    if _BAD_PERCENT.search(url):
        return "含有后面不是两位十六进制数的 %"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "不是网址（方括号或端口写错了）"
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme.lower() not in schemes or not parts.netloc:
        return f"不是以 {'https://' if https_only else 'https:// 或 http://'} 开头的完整网址"
    if not parts.hostname:
        return "没有主机名（// 后面应是网站的域名）"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "带有 ? 或 #：网站地址只写到文件夹，不带参数"
    return None


def usable_site_url(url: str | None, warn: Callable[[str], None]) -> str | None:
    """mkdocs.yml's site_url when it is clean; otherwise None (no canonical links, feeds without
    full addresses) after a warning, so that no page carries a broken attribute and
    `mkdocs build --strict` fails."""
    problem = site_url_problem(url) if url else None
    if problem is None:
        return url
    warn(f"mkdocs.yml 的 site_url {url!r}：{problem}。这次构建不用它（页面没有 canonical 链接，日历没有完整网址）。\n"
         f"  提示：写完整的地址，例如 site_url: {EXAMPLE}（用了 !ENV 时，也检查环境变量 SITE_URL）")
    return None


# Top-level names that are no public Internet address: reserved for tests, examples, local and
# private networks (RFC 2606, 6761, 6762, 7686, 8375, 9476), and the ones home routers use.
_PRIVATE_TLDS = {"test", "example", "invalid", "localhost", "local", "onion", "alt", "internal", "arpa",
                 "localdomain", "lan", "home", "corp", "intranet"}
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def public_url_problem(url: str | None, examples: Iterable[str] = ()) -> str | None:
    """Why url cannot be a published site's address (Chinese, to follow "网站地址 …"), or None.

    A published address is absolute https:// with a public DNS name: no IP address, no localhost,
    no trailing dot, no user or password, no space, a dot and valid labels (IDNA for 学校.中国), not a
    reserved or example name, not one of `examples` (the docs' own example addresses). What would
    break a page (site_url_problem) is said first."""
    if not url or not url.strip():
        return "没有写"
    syntax = site_url_problem(url, https_only=True)  # what would break a page comes first
    if syntax:
        return syntax
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return "里带着用户名或密码（…@）：它会写进每个页面和订阅链接，公开给所有人"
    host = parts.hostname or ""
    if not host:
        return "没有域名"
    if host.endswith("."):
        return "的域名以点结尾"
    try:
        ipaddress.ip_address(host)
        return "是一个 IP 地址，不是域名：订阅链接要写网站的域名"
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return "的域名写法不对（有空的部分，或某一段太长）"
    labels = ascii_host.split(".")
    if "localhost" in labels or ascii_host.startswith("127.") or len(labels) < 2:
        return "不是公网域名（本机或局域网的名字）"
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        return "的域名写法不对（每一段只能有字母、数字和中间的连字符）"
    if (labels[-1] in _PRIVATE_TLDS or "example" in labels or ascii_host.endswith(_EXAMPLE_DOMAINS)
            or host in set(examples) or ascii_host in set(examples)):
        return "是示例地址"
    return None
