"""`plansite new DIR --name 站点名 [--school 学校名 …] [--site-url URL]`: a school's or district's own site.

Writes a complete site repository from the templates in skeleton/ (package data): mkdocs.yml with
the site's names and copyright, plan_data/ with its school files, docs/about.md in the site's own
words, the GitHub Pages workflow (publish check, strict build, deploy), requirements.txt pinning
this PlanSite, a README for its editors. Nothing of the demo travels.

Every argument is checked before anything is written, and the site is written into a fresh hidden
folder that becomes the target in one rename at the end: an error, Ctrl-C or a full disk leaves
nothing behind. An existing folder that is not empty is never written into; an empty one gets the
finished files moved into it (a shell may stand in it, so it is not replaced).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import jinja2
import yaml

from ..importer.ids import school_id
from ..output.mdtext import md_text
from .siteurl import EXAMPLE, site_url_problem, undecodable
from ..input.slugs import registry_text

# template in skeleton/ -> path in the new site
FILES = {
    "mkdocs.yml.j2": "mkdocs.yml",
    "README.md.j2": "README.md",
    "requirements.txt.j2": "requirements.txt",
    "gitignore.j2": ".gitignore",
    "workflows/pages.yml.j2": ".github/workflows/pages.yml",
    "docs/about.md.j2": "docs/about.md",
}


class NewSiteError(Exception):
    """Why the site cannot be created; the message and hint are for the user. Status 2: an argument
    is wrong (nothing was tried); 1: writing failed (and was undone)."""

    def __init__(self, message: str, hint: str, status: int = 2) -> None:
        super().__init__(message)
        self.message, self.hint, self.status = message, hint, status


@dataclass(frozen=True)
class NewSite:
    name: str
    schools: tuple[str, ...] = ()
    site_url: str | None = None
    plansite: str | None = None  # where the site's CI gets PlanSite: a pin, or a source URL


def plansite_requirement(source: str | None = None) -> tuple[str, str]:
    """(version, requirement line): this PlanSite, pinned; or from a source such as a git URL."""
    try:
        v = version("plansite")
    except PackageNotFoundError:  # running from a source tree
        v = "0.1.0"
    if source:
        return v, f"plansite @ {source}" if "://" in source else source
    return v, f"plansite=={v}"


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
    ver, requirement = plansite_requirement(source)
    context = {"name": name, "schools": list(used.values()), "site_url": url, "copyright": f"© {name}",
               "version": ver, "requirement": requirement}
    files = {target: env.get_template(src).render(**context) for src, target in FILES.items()}
    files.update(schools)
    # the URL registry, empty: plan_data/ exists (and is kept by git) before the first import
    files["plan_data/slugs.yml"] = registry_text({})
    return files


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
    return write_repository(target, site_files(spec))


def write_repository(target: Path, files: dict[str, str]) -> list[str]:
    """Write files (relative path -> text) into target, which must not exist or be empty, all at
    once: a staging folder renamed into place. Raises NewSiteError; a failure leaves nothing."""
    place = place_site(target)
    staging: Path | None = None
    moved: list[Path] = []
    try:
        staging = _staging_folder(place.top.parent if place.top else place.site)
        root = staging / place.site.relative_to(place.top) if place.top else staging
        for rel, content in sorted(files.items()):
            _write_file(root / rel, content)
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
        if not isinstance(e, OSError):
            raise
        why, hint = _WHY.get(e.errno or 0, (e.strerror or str(e), "检查文件夹的权限和磁盘空间"))
        raise NewSiteError(f"写不进 {target}：{why}，已撤销，没有留下任何文件", hint, status=1) from e
    return sorted(files)
