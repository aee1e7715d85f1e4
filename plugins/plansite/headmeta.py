"""What a shared link shows and what a lost visitor sees: a page's own description and Open Graph
tags (WeChat and other apps read og:title, og:description, og:url), and the Chinese 404 page.

Pure string work on the HTML MkDocs wrote, so it does not depend on the theme's templates.
"""

from __future__ import annotations

import html
import re

DESCRIPTION_CHARS = 110
_META_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*">')
_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)


def page_description(content: str, given: str | None = None) -> str:
    """The page's own description: the one it declares, else the text of its first paragraph."""
    if given:
        return " ".join(str(given).split())
    for m in _FIRST_PARAGRAPH.finditer(content):
        text = " ".join(html.unescape(_TAG.sub("", m.group(1))).split())
        if len(text) >= 8:
            return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS - 1] + "…"
    return ""


def add_social_meta(page_html: str, *, title: str, description: str, url: str | None, site_name: str) -> str:
    """Replace the site-wide description with the page's and add og: tags before </head>."""
    esc = lambda s: html.escape(s, quote=True)  # noqa: E731
    if description:
        tag = f'<meta name="description" content="{esc(description)}">'
        page_html, n = _META_DESCRIPTION.subn(lambda _: tag, page_html, count=1)
        if not n:
            page_html = page_html.replace("</head>", tag + "\n</head>", 1)
    tags = [("og:type", "website"), ("og:site_name", site_name), ("og:title", title),
            ("og:description", description), ("og:url", url or ""), ("og:locale", "zh_CN")]
    block = "".join(f'<meta property="{k}" content="{esc(v)}">\n' for k, v in tags if v)
    return page_html.replace("</head>", block + "</head>", 1)


NOT_FOUND = ('<h1>页面没有找到</h1>\n'
             '<p>这个网址没有对应的页面：可能是输入有误，或者页面已经移动。</p>\n'
             '<ul><li><a href="{home}">回到首页</a>，从“找学校”进入各校页面</li>'
             '<li>或者用页面顶部的搜索框查找学校、计划和课题</li></ul>\n')


def chinese_not_found(page_html: str, home: str) -> str:
    """Material's 404 page says “404 - Not found”; readers get Chinese and a way home."""
    body = NOT_FOUND.format(home=html.escape(home, quote=True))
    page_html = page_html.replace("<h1>404 - Not found</h1>", body, 1)
    return re.sub(r"<title>([^<]*)</title>", lambda m: f"<title>页面没有找到 - {m.group(1)}</title>", page_html, count=1)
