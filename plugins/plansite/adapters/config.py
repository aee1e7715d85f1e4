"""PlanSiteConfig: every option of the `plansite` MkDocs plugin, typed, with its default."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


# No inline script, nothing from other hosts: a stored script cannot run even if a page had one.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'")


class _NeededByGitBackends(c.Optional):
    """An option the Git hosts' backends need (repo, base_url, app_id) and `local` does not."""

    def __init__(self, needed_by: tuple[str, ...], example: str) -> None:
        super().__init__(c.Type(str))
        self.needed_by, self.example = needed_by, example

    def post_validation(self, config: base.Config, key_name: str) -> None:
        if config["enabled"] and config["backend"] in self.needed_by and not config[key_name]:
            raise c.ValidationError(f"编辑器用 {config['backend']} 时要写 {key_name}，例如 {key_name}: {self.example}")


class EditorConfig(base.Config):
    """The web editor at /admin/ (Decap CMS, shipped with PlanSite; output/admin/, adapters/editor/)."""

    enabled = c.Type(bool, default=False)
    """Build /admin/ into the site. `plansite edit` serves the editor whether or not this is on."""

    backend = c.Choice(("local", "gitea", "forgejo", "github"), default="local")
    """Where saves go: 'local' writes the files of this folder through `plansite edit` (on
    127.0.0.1 only); 'gitea' / 'forgejo' commit to a repository on the district's own Git host
    (sign-in with PKCE, no server); 'github' commits to GitHub (sign-in needs an OAuth helper)."""

    repo = _NeededByGitBackends(("gitea", "forgejo", "github"), "jiaoyanshi/plansite-site")
    """The repository on the Git host: owner/name."""

    branch = c.Type(str, default="main")
    """The branch saves are committed to (the one the publish workflow builds)."""

    base_url = _NeededByGitBackends(("gitea", "forgejo"), "https://git.example.edu.cn")
    """gitea/forgejo: the Git host's address. github: the OAuth helper's address."""

    app_id = _NeededByGitBackends(("gitea", "forgejo"), "4f8c…（在 Git 服务的 OAuth2 应用里生成）")
    """gitea/forgejo: the client id of the OAuth2 application made for the editor."""


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

    editor = c.SubConfig(EditorConfig)
    """The web editor at /admin/ (off by default): `editor: {enabled: true, backend: gitea, …}`."""

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
