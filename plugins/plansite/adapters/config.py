"""PlanSiteConfig: every option of the `plansite` MkDocs plugin, typed, with its default."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


# No inline script, nothing from other hosts: a stored script cannot run even if a page had one.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'")


class PlanSiteConfig(base.Config):
    data_dir = c.Type(str, default="plan_data")
    """The plan data folder, relative to mkdocs.yml. It is added to `watch` for `mkdocs serve`."""

    school_path = c.Type(str, default="schools/{slug}.md")
    """Where a school's page lives ({slug} or {id}); the URL follows MkDocs' use_directory_urls."""

    plan_path = c.Type(str, default="plans/{slug}.md")
    """Where a plan's page lives."""

    project_path = c.Type(str, default="projects/{slug}.md")
    """Where a project's (课题) page lives."""

    data_json = c.Type(str, default="data/plans.json")
    """The open-data export."""

    slugs = c.Choice(("pinyin", "id"), default="pinyin")
    """URL names: 'pinyin' from Chinese names (焦溪小学 -> jiaoxi-xiaoxue), fixed once published in
    plan_data/slugs.yml (`plansite slugs --write`); 'id' uses the file names."""

    heading_anchors = c.Choice(("pinyin", "unicode", "default"), default="pinyin")
    """Anchors for Chinese headings in authors' Markdown: 'pinyin' (yi-jiaqiang-xiaoben-yanxiu),
    'unicode' keeps the characters, 'default' is Python-Markdown's (positional _1, _2).
    Ignored when toc.slugify is set in mkdocs.yml."""

    all_feed = c.Type(bool, default=True)
    """Also write calendar/all.ics, every school's events in one feed (15 MB for 200 schools), linked
    from the calendar pages. false: only the school feeds (calendar/feeds/<slug>.ics), which are always made."""

    schools_per_page = c.Type(int, default=25)
    """Month and comparison pages list at most this many schools each (in name order) and link to
    the next page, so that no page grows with the district."""

    site_date = c.Optional(c.Type(str))
    """The date written into sitemap.xml (YYYY-MM-DD). Unset: the start of the newest term in the
    data, so the same data builds the same site byte for byte. SOURCE_DATE_EPOCH, when set, wins."""


    content_security_policy = c.Type(str, default=CSP)
    """The Content-Security-Policy every page carries in a <meta> tag, for hosts that set no
    headers (a server that sends the header should send the same policy). Material's inline
    scripts are replaced by a file, so no inline script is needed. "" leaves the tag out."""


def validate_options(raw: dict) -> tuple[PlanSiteConfig | None, list[str]]:
    """plansite's options as written in mkdocs.yml, checked as MkDocs checks them: the config, or
    None and the messages (`plansite render` reads mkdocs.yml without running MkDocs)."""
    options = PlanSiteConfig()
    options.load_dict(raw)
    errors, _warnings = options.validate()
    return (None, [f"plugins.plansite.{key}: {err}" for key, err in errors]) if errors else (options, [])
