"""`plansite new DIR --name 站点名 [--school 学校名 …] [--site-url URL] [--git gitea|forgejo|github --repo
owner/name --git-url URL --app-id ID]`: a school's or district's own site.

Writes a complete site repository from the templates in skeleton/ (package data): mkdocs.yml with
the site's names and copyright (and, with --git, the web editor's backend: the Git host that saves
are committed to), plan_data/ with its school files, an empty docs/ for pages the editors write
(the about page is made from the data at each build), the GitHub Pages workflow (publish check,
strict build, deploy), the inbox workflows for GitHub and Gitea Actions (plansite inbox) with
inbox/ and its how-to, a README for its editors, and PlanSite itself: a wheel of the running
PlanSite in vendor/ (selfwheel.py), which requirements.txt installs with the dependency ranges it
names, so the site installs from the package index and its own files (PlanSite is on no index).
Nothing of the demo travels.

Every argument is checked before anything is written, and the site is written into a fresh hidden
folder that becomes the target in one rename at the end: an error, Ctrl-C or a full disk leaves
nothing behind. An existing folder that is not empty is never written into; an empty one gets the
finished files moved into it (a shell may stand in it, so it is not replaced).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, version
from pathlib import Path

import jinja2
import yaml

from ..importer.ids import school_id
from ..output.mdtext import md_text
from .selfwheel import WheelError, build_wheel, dependency_lines, wheel_name
from .siteurl import EXAMPLE, site_url_problem, undecodable
from ..input.slugs import registry_text

# template in skeleton/ -> path in the new site
FILES = {
    "mkdocs.yml.j2": "mkdocs.yml",
    "README.md.j2": "README.md",
    "requirements.txt.j2": "requirements.txt",
    "gitignore.j2": ".gitignore",
    "workflows/pages.yml.j2": ".github/workflows/pages.yml",
    "workflows/inbox.yml.j2": ".github/workflows/inbox.yml",  # plansite inbox on GitHub Actions …
    "workflows/gitea-inbox.yml.j2": ".gitea/workflows/inbox.yml",  # … and on Gitea (Forgejo) Actions
    "inbox/README.md.j2": "inbox/README.md",  # the folder a teacher uploads plans into, with its how-to
}


class NewSiteError(Exception):
    """Why the site cannot be created; the message and hint are for the user. Status 2: an argument
    is wrong (nothing was tried); 1: writing failed (and was undone)."""

    def __init__(self, message: str, hint: str, status: int = 2) -> None:
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


@dataclass(frozen=True)
class GitEditor:
    """The web editor's sign-in (`editor:` in mkdocs.yml): the Git host saves are committed to."""

    host: str  # gitea, forgejo or github
    repo: str  # owner/name
    url: str | None = None  # gitea/forgejo: the Git host's address; github: the OAuth helper's
    app_id: str | None = None  # gitea/forgejo: the OAuth2 application's client id

    @property
    def ready(self) -> bool:
        """Whether sign-in has all it needs (else the editor is written switched off, to fill in)."""
        return bool(self.url and (self.app_id or self.host == "github"))


@dataclass(frozen=True)
class NewSite:
    name: str
    schools: tuple[str, ...] = ()
    site_url: str | None = None
    plansite: str | None = None  # where the site's CI gets PlanSite: a source URL; None: the wheel in vendor/
    editor: GitEditor | None = None

    @property
    def carries_wheel(self) -> bool:
        return not self.plansite


VENDOR = "vendor"  # the site's own copy of PlanSite


def plansite_requirement(source: str | None = None) -> tuple[str, list[str]]:
    """(version, requirement lines): the wheel in vendor/ and the dependencies it names; or PlanSite
    from a source such as a git URL."""
    try:
        v = version("plansite")
        deps = dependency_lines(distribution("plansite"))
    except PackageNotFoundError:  # running from a source tree
        v, deps = "0.1.0", []
    if source:
        return v, [f"plansite @ {source}" if "://" in source else source]
    return v, [f"./{VENDOR}/{wheel_name(v)}", *deps]


def _yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


UTF8_HINT = "在 UTF-8 的终端里输入（Linux、macOS 检查 LANG，例如 LANG=zh_CN.UTF-8；Windows 先运行 chcp 65001）"


def check_text(flag: str, value: str, example: str) -> str:
    """A text argument, stripped: decodable, one line, no control characters."""
    if undecodable(value):
        raise NewSiteError(f"{flag} {value!r} 含有无法识别的字节（命令行传来的不是 UTF-8 文字）", UTF8_HINT)
    value = value.strip()
    if not value:
        raise NewSiteError(f"{flag} 不能为空", f"例如 {flag} {example}")
    odd = next((ch for ch in value if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")), None)
    if odd is not None:
        raise NewSiteError(f"{flag} {value!r} 含有换行或看不见的控制字符 U+{ord(odd):04X}", f"只写一行文字，例如 {flag} {example}")
    return value


def site_files(spec: NewSite) -> dict[str, str]:
    """Every file of the new site, in memory: relative path -> content. Raises NewSiteError for a
    bad argument."""
    name = check_text("--name", spec.name, "江北区实验小学教科室")
    url = spec.site_url
    if url:
        problem = site_url_problem(url, https_only=True)
        if problem:
            raise NewSiteError(f"--site-url {url!r} {problem}", f"写完整的 https 地址，例如 --site-url {EXAMPLE}")
        url = url.rstrip("/") + "/"
    source = check_text("--plansite", spec.plansite, "git+https://github.com/学校/plansite@v0.1.0") if spec.plansite else None
    used: dict[str, str] = {}
    schools = {}
    for school in spec.schools:
        school = check_text("--school", school, "江北区实验小学")
        sid = school_id(school)
        if sid in used:
            raise NewSiteError(f"--school {school} 写了两次（或两所学校的拼音相同：{sid}）", "每所学校写一次")
        used[sid] = school
        schools[f"plan_data/schools/{sid}.yml"] = yaml.safe_dump({"name": school}, allow_unicode=True)
    env = jinja2.Environment(loader=jinja2.PackageLoader("plansite", "skeleton"), undefined=jinja2.StrictUndefined,
                             autoescape=False, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml_scalar
    env.filters["md"] = md_text
    ver, requirements = plansite_requirement(source)
    context = {"name": name, "schools": list(used.values()), "site_url": url, "copyright": f"© {name}",
               "version": ver, "requirements": requirements, "vendored": spec.carries_wheel,
               "editor": editor_block(check_editor(spec.editor)) if spec.editor else "",
               "git": HOSTS.get(spec.editor.host, "") if spec.editor else ""}
    files = {target: env.get_template(src).render(**context) for src, target in FILES.items()}
    files.update(schools)
    # the URL registry, empty: plan_data/ exists (and is kept by git) before the first import
    files["plan_data/slugs.yml"] = registry_text({})
    # MkDocs needs docs/ to exist, and git keeps no empty folder; MkDocs skips dot files
    files["docs/.gitkeep"] = ""
    return files


_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_APP_ID = re.compile(r"[A-Za-z0-9_.-]{1,200}")
HOSTS = {"gitea": "Gitea", "forgejo": "Forgejo", "github": "GitHub"}


def check_editor(editor: GitEditor) -> GitEditor:
    """The --git arguments, checked (NewSiteError names the one that is wrong)."""
    if editor.host not in HOSTS:
        raise NewSiteError(f"--git {editor.host!r} 不是可用的 Git 服务", "可用：--git gitea、--git forgejo、--git github")
    if not _REPO.fullmatch(editor.repo or "") or editor.repo.split("/")[1] in (".", ".."):
        raise NewSiteError(f"--repo {editor.repo!r} 不是“所有者/仓库名”", "例如 --repo jiaoyanshi/plansite-site")
    url = editor.url
    if url:
        problem = site_url_problem(url, https_only=True)
        if problem:
            raise NewSiteError(f"--git-url {url!r} {problem}", "写完整的 https 地址，例如 --git-url https://git.qhjy.cn")
        url = url.rstrip("/")
    elif editor.host != "github":
        raise NewSiteError(f"--git {editor.host} 要写 --git-url：{HOSTS[editor.host]} 服务的地址",
                           "例如 --git-url https://git.qhjy.cn（浏览器里打开 Git 服务时地址栏里的开头部分）")
    app_id = check_text("--app-id", editor.app_id, "4f8c…") if editor.app_id else None
    if app_id and not _APP_ID.fullmatch(app_id):
        raise NewSiteError(f"--app-id {app_id!r} 不像 OAuth2 应用的客户端 ID（Client ID）",
                           "在 Git 服务的“设置 → 应用 → OAuth2 应用”里复制客户端 ID")
    return GitEditor(editor.host, editor.repo, url, app_id)


def editor_block(editor: GitEditor) -> str:
    """mkdocs.yml's `editor:` option of the plansite plugin (after data_dir), with what is still to
    fill in said in comments; switched off until sign-in has what it needs."""
    lines = ["", "      # 网页编辑器 /admin/：老师在浏览器里登录 Git 服务、填表格、保存（见编辑指南“在浏览器里编辑”）",
             "      editor:", f"        enabled: {'true' if editor.ready else 'false'}", f"        backend: {editor.host}",
             f"        repo: {_yaml_scalar(editor.repo)}", "        branch: main"]
    if editor.host == "github":
        if not editor.url:
            lines.insert(2, "      # GitHub 登录要一个 OAuth 小服务（例如 decap-proxy）：部署后把它的地址写进 base_url，enabled 改为 true")
        lines.append(f"        base_url: {_yaml_scalar(editor.url or '')}  # OAuth 小服务的地址")
    else:
        if not editor.app_id:
            lines.insert(2, f"      # 在 {HOSTS[editor.host]} 里新建 OAuth2 应用后，把客户端 ID 写进 app_id，enabled 改为 true")
        lines += [f"        base_url: {_yaml_scalar(editor.url or '')}",
                  f"        app_id: {_yaml_scalar(editor.app_id or '')}  # OAuth2 应用的客户端 ID"]
    return "\n".join(lines)


@dataclass(frozen=True)
class Placement:
    """Where the new site goes: `site` itself; `top`, the outermost folder that does not exist yet
    (the staging folder is renamed to it), or None when `site` is an existing empty folder."""

    site: Path
    top: Path | None


def _lexists(path: Path) -> bool:
    """Whether anything (a dangling link too) is at path; False for a name the system cannot take."""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def place_site(target: Path) -> Placement:
    """Check the folder argument before anything is written. Raises NewSiteError."""
    shown = str(target) if len(str(target)) <= 60 else f"{str(target)[:40]}…{str(target)[-12:]}"
    where = f"新网站的文件夹 {shown}"
    site = Path(os.path.abspath(target))
    existing = next(p for p in (site, *site.parents) if _lexists(p))
    for part in site.relative_to(existing).parts:  # before anything else: a long name fails every call
        limit = _name_max(existing if existing.is_dir() else existing.parent)
        if len(os.fsencode(part)) > limit:
            raise NewSiteError(f"{where}：文件夹名太长（{len(os.fsencode(part))} 字节，最多 {limit}），"
                               "没有写入任何文件", "用短一些的文件夹名，例如 our-site")
    if existing == site and site.is_symlink():
        if not site.exists():
            raise NewSiteError(f"{where} 是一个符号链接，指向不存在的 {os.readlink(site)}，没有写入任何文件",
                               "换一个新的文件夹名，例如 plansite new ../our-site --name …；或先删掉这个链接")
        site = existing = site.resolve()  # a link to an empty folder: the site goes where it points
    if existing == site:
        try:
            empty = site.is_dir() and not any(site.iterdir())
        except OSError as e:
            raise NewSiteError(f"{where} 无法读取：{e.strerror}", "换一个新的文件夹名，或检查这个文件夹的权限") from e
        if not empty:
            raise NewSiteError(f"{shown} 已经存在，而且不是空文件夹，没有写入任何文件",
                               "换一个新的文件夹名；plansite new 不会改动已有的文件夹")
        writable, top = site, None
    else:
        if not existing.is_dir():
            what = "指向不存在位置的符号链接" if existing.is_symlink() and not existing.exists() else "文件"
            raise NewSiteError(f"{where}：上级 {existing} 是{what}，不是文件夹，没有写入任何文件",
                               f"换一个位置，例如 {existing.parent / 'our-site'}")
        writable, top = existing, existing / site.relative_to(existing).parts[0]
    if not os.access(writable, os.W_OK | os.X_OK):
        raise NewSiteError(f"{where}：没有权限在 {writable} 里写入，没有写入任何文件",
                           "换一个有写权限的位置（例如自己的主目录下），或请管理员开放这个文件夹的权限")
    return Placement(site, top)


def _write_file(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(content)


def _staging_folder(parent: Path) -> Path:
    while True:
        path = parent / f".plansite-new-{secrets.token_hex(4)}"
        try:
            path.mkdir()  # the usual permissions (umask), unlike mkdtemp's private 0700
            return path
        except FileExistsError:
            continue


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


_WHY = {errno.ENOSPC: ("磁盘空间已满", "腾出磁盘空间后重新运行"),
        getattr(errno, "EDQUOT", -1): ("超出磁盘配额", "腾出空间或请管理员提高配额后重新运行"),
        errno.ENAMETOOLONG: ("路径太长", "换一个短一些的位置或文件夹名"),
        errno.EACCES: ("没有权限", "换一个有写权限的位置，或检查文件夹的权限"),
        errno.EROFS: ("只读的磁盘", "换一个可以写入的位置")}


def create_site(target: Path, spec: NewSite) -> list[str]:
    """Write the site into target (which must not exist, or be empty). Returns the files written.
    Raises NewSiteError; on any failure or interruption nothing it wrote is left."""
    return write_repository(target, site_files(spec), wheel=spec.carries_wheel)


def write_repository(target: Path, files: dict[str, str], *, wheel: bool = False) -> list[str]:
    """Write files (relative path -> text), and with wheel the running PlanSite into vendor/, into
    target, which must not exist or be empty, all at once: a staging folder renamed into place.
    Raises NewSiteError; a failure leaves nothing."""
    place = place_site(target)
    staging: Path | None = None
    moved: list[Path] = []
    written: list[str] = []  # besides files: the wheel
    try:
        staging = _staging_folder(place.top.parent if place.top else place.site)
        root = staging / place.site.relative_to(place.top) if place.top else staging
        for rel, content in sorted(files.items()):
            _write_file(root / rel, content)
        if wheel:
            written.append(f"{VENDOR}/{build_wheel(root / VENDOR).name}")
        if place.top:
            os.rename(staging, place.top)  # one step: the site is there whole, or not at all
        else:  # an existing empty folder: move the finished entries in, never over anything
            for entry in sorted(staging.iterdir()):
                dest = place.site / entry.name
                if os.path.lexists(dest):
                    raise FileExistsError(errno.EEXIST, "写入时文件夹里出现了别的文件", str(dest))
                os.rename(entry, dest)
                moved.append(dest)
            staging.rmdir()
    except BaseException as e:  # Ctrl-C included: take back what was written, then report
        for path in (*moved, *([staging] if staging else [])):
            _remove(path)
        if isinstance(e, WheelError):
            raise NewSiteError(f"{e}，已撤销，没有留下任何文件",
                               "改用 --plansite 写明新网站从哪里安装 PlanSite，例如 --plansite "
                               "git+https://github.com/学校/plansite@v0.1.0", status=1) from e
        if not isinstance(e, OSError):
            raise
        why, hint = _WHY.get(e.errno or 0, (e.strerror or str(e), "检查文件夹的权限和磁盘空间"))
        raise NewSiteError(f"写不进 {target}：{why}，已撤销，没有留下任何文件", hint, status=1) from e
    return sorted([*files, *written])
