"""What a page's head says and what a lost visitor sees: the page's texts made safe for any
template, its own description and Open Graph tags (WeChat and other apps read og:title,
og:description, og:url), and the Chinese 404 page.

Pure string work on the page's texts and on the HTML MkDocs wrote, so it does not depend on the
theme's templates.
"""

from __future__ import annotations

import html
import re

from .sharecard import share_image_path

DESCRIPTION_CHARS = 110
_META_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*">')
_TAG = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)


# Front-matter fields Material writes into its HTML as they are: page.meta.title in <title> and the
# header, description and author in <meta> attributes, subtitle in the navigation.
TEXT_META = ("title", "description", "author", "subtitle")


def html_text(value: object) -> str:
    """A text as HTML: its entities read once, then every <, >, &, " and ' escaped. Idempotent, so
    html.unescape of the result is always the text as written."""
    return html.escape(html.unescape(str(value)), quote=True)


def settle_page_texts(meta: dict, title: str | None, *, homepage: bool) -> None:
    """Before any template sees the page: its title (MkDocs' page.title, the first heading's text
    or the title given in nav or front matter) and its front-matter texts become escaped text in
    page.meta. Material's base.html and header prefer page.meta.title to `page.title | striptags`,
    and striptags turns an escaped &lt;/title&gt; back into a tag; so a theme override that extends
    base.html (theme.custom_dir) writes the title safely too. The home page keeps the site name
    as its <title> unless its front matter names one."""
    for key in TEXT_META:
        if meta.get(key) is not None and not isinstance(meta[key], (dict, list)):
            meta[key] = html_text(meta[key])
    if title and (not homepage or "title" in meta):
        meta["title"] = html_text(title)


def social_title(page_title: str | None, site_name: str, *, homepage: bool) -> str:
    """og:title as text: the page's title (HTML text, as MkDocs and settle_page_texts hold it) and
    the site's name."""
    if homepage or not page_title:
        return site_name
    return f"{html.unescape(page_title)} - {site_name}"


def page_description(content: str, given: str | None = None) -> str:
    """The page's own description: the one it declares (HTML text, see settle_page_texts), else the
    text of its first paragraph."""
    if given:
        return " ".join(html.unescape(str(given)).split())
    for m in _FIRST_PARAGRAPH.finditer(content):
        text = " ".join(html.unescape(_TAG.sub("", m.group(1))).split())
        if len(text) >= 8:
            return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS - 1] + "…"
    return ""


def add_social_meta(page_html: str, *, title: str, description: str, url: str | None, site_name: str,
                    image: str | None = None) -> str:
    """Replace the site-wide description with the page's and add og: tags before </head>. Every
    value is text (social_title, page_description) and is escaped here, once. image: the share
    picture's absolute address (sharecard.share_image_url)."""
    esc = lambda s: html.escape(s, quote=True)  # noqa: E731
    if description:
        tag = f'<meta name="description" content="{esc(description)}">'
        page_html, n = _META_DESCRIPTION.subn(lambda _: tag, page_html, count=1)
        if not n:
            page_html = page_html.replace("</head>", tag + "\n</head>", 1)
    tags = [("og:type", "website"), ("og:site_name", site_name), ("og:title", title),
            ("og:description", description), ("og:url", url or ""), ("og:locale", "zh_CN"), ("og:image", image or "")]
    block = "".join(f'<meta property="{k}" content="{esc(v)}">\n' for k, v in tags if v)
    return page_html.replace("</head>", block + "</head>", 1)


def share_image_url(config, site) -> str | None:
    """og:image, an absolute address: the site's logo or share card (sharecard.py) under site_url
    (MkDocs' config, which the plugin made safe); None without a site_url."""
    if not config.site_url or site is None:
        return None
    return config.site_url.rstrip("/") + "/" + share_image_path(site.paths.assets, config.theme.get("logo"))


NOT_FOUND = ('<h1>页面没有找到</h1>\n'
             '<p>这个网址没有对应的页面：可能是输入有误，或者页面已经移动。</p>\n'
             '<ul><li><a href="{home}">回到首页</a>，从“找学校”进入各校页面</li>'
             '<li>或者用页面顶部的搜索框查找学校、计划和课题</li></ul>\n')


def chinese_not_found(page_html: str, home: str) -> str:
    """Material's 404 page says “404 - Not found”; readers get Chinese and a way home."""
    body = NOT_FOUND.format(home=html.escape(home, quote=True))
    page_html = page_html.replace("<h1>404 - Not found</h1>", body, 1)
    return re.sub(r"<title>([^<]*)</title>", lambda m: f"<title>页面没有找到 - {m.group(1)}</title>", page_html, count=1)
