"""The editor's files at /admin/: the page, its policy, config.yml, the vendored Decap CMS.

The same files are a build's output (the plugin's `editor` option, through output/build.py) and
what `plansite edit` serves (adapters/editor/server.py). The page is a static file, not a MkDocs
page: it carries its own Content-Security-Policy, the one Decap needs, and the site-wide policy
(csp.py, put into every MkDocs page) never reaches it. Both stay on the site's own origin.

A new plan's file name is its school's id and its term's ASCII key (qinghe-2026-autumn), as
`plansite import` names plans: `term_ids` lists the keys of the ways a term is written, for the
page's script (plansite-admin.js), which cannot parse terms itself.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import re
import unicodedata
from importlib.resources import files
from urllib.parse import urlsplit

from ...input.categories import UNCLASSIFIED, category_names
from ...input.dates import DateError, parse_term, term_slug
from ...input.model import PlanData
from ..csp import policy_meta
from ..deps import option
from ..site import Output, Site
from .cmsconfig import EditorSettings, config_yaml

FOLDER = "admin"
HERE = files("plansite") / "output" / "admin"
DECAP = HERE / "decap"
SCRIPT = "plansite-admin.js"

# Decap CMS as shipped: its bundle and chunks from this origin, and code it compiles at run time
# (its config check, ajv, builds validators with new Function: 'unsafe-eval'; no inline script);
# styles it writes at run time (emotion: inline <style>); the images and files it shows as
# blob:/data: URLs, and reads back from blob: URLs the files a teacher picked (its draft backup of
# an upload). Its requests go to this origin (plansite edit's local backend) and, with a Git host's
# backend, to that host's API only. No plug-ins, no form posts elsewhere.
ADMIN_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob:; worker-src 'self' blob:; "
             "frame-src 'self' blob:; media-src 'self' data: blob:; object-src 'none'; base-uri 'self'; "
             "form-action 'self'")
# The Git hosts' API origins a backend talks to (its base_url, an OAuth helper, adds its own)
API_ORIGINS = {"github": ("https://api.github.com",), "gitea": (), "forgejo": (), "local": ()}


def admin_csp(settings: EditorSettings) -> str:
    """The editor page's policy: ADMIN_CSP, with the backend's API host allowed to be fetched."""
    origins = list(API_ORIGINS.get(settings.backend, ()))
    if settings.backend != "local" and settings.base_url:
        parts = urlsplit(settings.base_url)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    if not origins:
        return ADMIN_CSP
    return ADMIN_CSP.replace("connect-src 'self' blob:", "connect-src 'self' blob: " + " ".join(dict.fromkeys(origins)))


_DECAP_FILE = re.compile(r"(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm)")


def admin_page(settings: EditorSettings) -> str:
    title = html.escape(f"编辑计划 · {settings.site_name}" if settings.site_name else "编辑计划")
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{policy_meta(admin_csp(settings))}
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>编辑器需要浏览器启用 JavaScript。</noscript>
<script src="decap-cms.js"></script>
<script src="{SCRIPT}"></script>
</body>
</html>
"""


def admin_script(year: int) -> str:
    """plansite-admin.js with the term keys of the years around `year` (the site's date)."""
    template = (HERE / "admin.js").read_text(encoding="utf-8")
    table = json.dumps(term_ids(year), ensure_ascii=False, separators=(",", ":"))[1:-1]
    return template.replace("/*TERMS*/", table)


# The licences beside the bundle: Decap CMS's own, the version stamp, the notices of what it bundles
NOTICES = {"decap-cms.LICENSE.txt": "LICENSE", "decap-cms.VERSION.txt": "VERSION",
           "decap-cms.js.LICENSE.txt": "decap-cms.js.LICENSE.txt"}


@functools.cache
def decap_names() -> tuple[str, ...]:
    """The vendored Decap CMS files the page loads (bundle, chunks, WebAssembly), sorted."""
    return tuple(sorted(p.name for p in DECAP.iterdir() if _DECAP_FILE.fullmatch(p.name)))


def decap_file(name: str) -> bytes | None:
    """A vendored file by its name under /admin/ (the bundle, a chunk, a notice); None for any other name."""
    if name in NOTICES:
        return _vendored(NOTICES[name])
    return _vendored(name) if name in decap_names() else None


@functools.cache
def _vendored(name: str) -> bytes:
    return (DECAP / name).read_bytes()  # read once a process: a serve rebuild hands them on again


def decap_version() -> str:
    return (DECAP / "VERSION").read_text(encoding="utf-8").split()[1]


def category_choices(data: PlanData | None) -> list[str]:
    """The categories an item can be given in the form: the taxonomy's, then those written in the
    data only (so an item keeps showing its own)."""
    return [n for n in category_names(data) if n != UNCLASSIFIED] if data is not None else []


def admin_files(settings: EditorSettings, taxonomy: list[str], year: int) -> dict[str, bytes]:
    """Every file of /admin/, by name inside it."""
    out = {"index.html": admin_page(settings).encode(),
           "config.yml": config_yaml(settings, taxonomy, year).encode(),
           SCRIPT: admin_script(year).encode()}
    for name in (*decap_names(), *NOTICES):
        out[name] = decap_file(name) or b""
    return out


# What /admin/ reads: the editor option, the site's name, address and date (the terms offered
# around its year), and the category list (the taxonomy and the names items are given in the data,
# which change what the items of a term count by category)
DEPS = option("editor", "site_name", "site_url", "site_date") | {("taxonomy",), ("categories",)}


def build(site: Site) -> list[Output]:
    """/admin/ of a build, when the plugin's editor option is on. Made at once, not deferred: static
    files, which the second process of a build does not make (engine.py), and cheap (the vendored
    files are read once a process)."""
    if site.editor is None:
        return []
    settings = dataclasses.replace(site.editor, site_name=site.site_name, site_url=site.site_url)
    made = admin_files(settings, category_choices(site.data), int(site.site_date[:4]))
    return [Output(f"{FOLDER}/{name}", content, deps=DEPS) for name, content in made.items()]


# ---------------------------------------------------------------- ids of new files


def bare(text: str) -> str:
    """How plansite-admin.js looks a term up: NFKC, without white space (String.normalize('NFKC'))."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_TERM_FORMS = ("{y}秋", "{y}春", "{y}年秋", "{y}年春", "{y}秋季", "{y}春季", "{y}年秋季", "{y}年春季",
               "{y}年秋季学期", "{y}年春季学期", "{y}学年", "{y}-{n}学年", "{y}—{n}学年", "{y}～{n}学年",
               "{y}-{n}学年第一学期", "{y}-{n}学年第二学期", "{y}—{n}学年第一学期", "{y}—{n}学年第二学期",
               "{y}-{n}学年度第一学期", "{y}-{n}学年度第二学期", "{y}～{n}学年第一学期", "{y}～{n}学年第二学期",
               "{y}-{n}学年上学期", "{y}-{n}学年下学期", "{y}年上半年", "{y}年下半年")


def term_ids(year: int, before: int = 4, after: int = 4) -> dict[str, str]:
    """The ways a term of the years around `year` is written (2026秋, 2026年秋季学期,
    2026-2027学年第一学期 …, looked up by `bare`) -> its ASCII key (2026-autumn), as parse_term
    and term_slug give them."""
    out: dict[str, str] = {}
    for y in range(year - before, year + after + 1):
        for form in _TERM_FORMS:
            written = form.format(y=y, n=y + 1)
            try:
                out[bare(written)] = term_slug(parse_term(written))
            except DateError:
                continue
    return dict(sorted(out.items()))
