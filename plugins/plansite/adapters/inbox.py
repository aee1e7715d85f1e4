"""`plansite inbox [DIR]`: the plans dropped into DIR/inbox/ imported, moved to inbox/done/, reviewed.

    inbox/**/*.docx|.txt|.md|.pdf  (not inbox/done/)
    inbox/**/*.yml                 the editor's uploads (上传计划): {file, school, term, note}
      -> each file's school and term: those its upload was given in the editor, else its folders'
         and its own name (inbox/清河实验小学/2026秋计划.docx), the nearest winning; a term the
         text names beats all of them, a school given beats the text's (importer/dump.py); a
         file whose school or term is found nowhere stays where it is, and is said
      -> importer.command.import_results (the same steps and review as `plansite import`)
      -> sources moved to inbox/done/ with their uploads' .yml (a name already there gets -2, -3 …)
      -> in a Git repository: one commit on a new branch inbox/<date>-<short> (githost.py), and a
         pull request whose description is the review where the Git host is configured

In a Git repository the work is done in a temporary worktree of HEAD: the user's branch, index and
files are never touched; a change waiting in the paths the commit writes is refused.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..importer.command import import_results
from ..importer.dump import Given, Options, read_existing
from ..importer.errors import PlanImportError
from ..importer.meta import find_school, school_in_name, term_in_name
from ..importer.parse import parse_file
from ..importer.result import FileResult
from ..input.dates import DateError, parse_term
from ..input.load import load_plan_data
from ..input.slugs import store_slugs
from ..input.yamlsrc import load_yaml, read_text
from ..output.admin.cmsconfig import UPLOAD
from ..output.mdtext import md_code, md_text
from . import githost
from .publish import import_open_problems

SUFFIXES = UPLOAD.plan_suffixes
ENTRIES = UPLOAD.entry_suffixes  # the editor's uploads: a file's school and term, picked in the form
INBOX = UPLOAD.folder
DONE = "done"
REPORT = "导入报告.md"  # beside plan_data, where import_results writes it
KEPT = ("README.md",)  # inbox/README.md (written by plansite new) says how to use the folder
WHERE_HINT = "在文件名或标题里写上学校全称（例如 清河实验小学2026秋计划.docx），或放进以学校命名的文件夹（例如 inbox/清河实验小学/）"
TERM_HINT = "在标题里写上学期（例如“2026—2027学年第一学期”），或在文件名、文件夹名里写上（例如 2026秋计划.docx）"


@dataclass
class Left:
    """A file that stays in inbox/: why, and what to do."""

    path: str  # relative to the site folder: inbox/…
    why: str
    hint: str


@dataclass
class Sorted:
    plans: list[tuple[str, FileResult, Given]] = field(default_factory=list)  # inbox/… path, parsed, given
    left: list[Left] = field(default_factory=list)
    uploads: dict[str, list[str]] = field(default_factory=dict)  # a plan file -> the .yml of its uploads


@dataclass(frozen=True)
class Upload:
    """What an upload in the editor gave its file (an entry of 上传计划, a .yml in inbox/)."""

    entry: str  # inbox/20261207-093000.yml
    file: str  # inbox/青禾区实验小学2026秋计划.docx
    school: str | None = None  # a school's id
    term: str | None = None  # as picked: 2026秋


def inbox_files(site: Path) -> tuple[list[str], list[Left], list[str]]:
    """The files under inbox/ to import, those of another kind and the editor's uploads' .yml
    (paths relative to the site)."""
    root = site / INBOX
    found, other, entries = [], [], []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here == root and d == DONE))
        for name in sorted(files):
            rel = (here / name).relative_to(site).as_posix()
            if name.startswith((".", "~$")) or (here == root and name in KEPT):
                continue  # hidden files, Word's lock files (~$计划.docx), the folder's own README
            if (here / name).is_symlink():
                other.append(Left(rel, "是符号链接，不是文件", "把计划文件本身放进 inbox/"))
                continue
            if Path(name).suffix.lower() in SUFFIXES:
                found.append(rel)
            elif Path(name).suffix.lower() in ENTRIES:
                entries.append(rel)
            else:
                hint = ("用 Word 或 WPS 打开后“另存为” .docx，再放进 inbox/" if name.lower().endswith((".doc", ".wps"))
                        else "把计划存成 .docx、.txt、.md 或有文字层的 .pdf，再放进 inbox/")
                other.append(Left(rel, "不是能导入的格式（只导入 .docx、.txt、.md、.pdf）", hint))
    return found, other, entries


UPLOAD_HINT = "在编辑器的“上传计划（Word/PDF）”里打开这条上传，重新选择计划文件后保存；不要了就删除这条上传"


def read_uploads(site: Path, entries: list[str], files: list[str]) -> tuple[dict[str, list[Upload]], list[Left]]:
    """The editor's uploads, by the plan file each names (in the order of their names: the last
    saved last), and the uploads that cannot be used, with why. A file is named as the editor
    writes it (inbox/x.docx, from the site folder), or by its name beside the .yml."""
    by_file: dict[str, list[Upload]] = {}
    left = []
    for rel in entries:
        text, problem = read_text(site / rel, rel)
        source, problem = load_yaml(text, rel) if text is not None else (None, problem)
        if problem is not None or source is None:
            at = f"第 {problem.line} 行" if problem and problem.line else ""
            left.append(Left(rel, f"上传记录{at}读不出来：{problem.message if problem else '空文件'}",
                             f"{problem.hint}；或者{UPLOAD_HINT}" if problem and problem.hint else UPLOAD_HINT))
            continue
        data = source.data
        named = data.get(UPLOAD.file) if isinstance(data, dict) else None
        if not isinstance(named, str) or not named.strip():
            left.append(Left(rel, "上传记录里没有计划文件", UPLOAD_HINT))
            continue
        named = named.strip().lstrip("/")
        path = named if "/" in named else posixpath.join(posixpath.dirname(rel), named)
        if path not in files:
            left.append(Left(rel, f"上传记录指向的 {named} 不在 inbox/ 里，或不是能导入的格式", UPLOAD_HINT))
            continue
        school, term = (data.get(k) for k in (UPLOAD.school, UPLOAD.term))
        by_file.setdefault(path, []).append(Upload(rel, path, str(school).strip() if school else None,
                                                   str(term).strip() if term else None))
    return by_file, left


def given_for(rel: str, schools: dict[str, tuple[str, ...]]) -> Given:
    """A file's school and term from its path, the nearest name winning: its folders under inbox/ (a
    school's id, name or short name, a school's name as written, a term), then its own name (a school
    named as a title names it, '青禾区实验小学2026秋计划.docx'; a term)."""
    parts = Path(rel).parts[1:]  # without inbox/
    school = school_from = term = term_from = None
    for folder in parts[:-1]:
        known = next((sid for sid, names in schools.items() if folder in (sid, *names)), None)
        named = known or school_in_name(folder)
        if named:
            school, school_from = named, f"文件夹名 {folder}/"
        found = term_in_name(folder)
        if found:
            term, term_from = found[1], f"文件夹名 {folder}/"
    stem = Path(parts[-1]).stem
    named = find_school(stem, [])
    if named:
        school, school_from = next((sid for sid, names in schools.items() if named in names), named), f"文件名 {parts[-1]}"
    found = term_in_name(stem)
    if found:
        term, term_from = found[1], f"文件名 {parts[-1]}"
    return Given(school, term, school_from or "", term_from or "")


def given_by_upload(given: Given, uploads: list[Upload]) -> Given | Left:
    """A file's school and term from its path, replaced by those its last upload in the editor was
    given (a term that is no term: the file stays, said)."""
    if not uploads:
        return given
    last = uploads[-1]
    school, school_from, term, term_from = given.school, given.school_from, given.term, given.term_from
    if last.school:
        school, school_from = last.school, f"上传时选的学校，{posixpath.basename(last.entry)}"
    if last.term:
        try:
            term = parse_term(last.term)
        except DateError as e:
            return Left(last.file, f"上传时填的学期“{last.term}”读不懂：{e}", UPLOAD_HINT + "；学期写成 2026秋、2027春")
        term_from = f"上传时选的学期，{posixpath.basename(last.entry)}"
    return Given(school, term, school_from, term_from)


def sort_files(site: Path, rels: list[str], schools: dict[str, tuple[str, ...]],
               uploads: dict[str, list[Upload]] | None = None) -> Sorted:
    """Parse each file; one whose school or term is known from nowhere stays, with the hint."""
    uploads = uploads or {}
    out = Sorted(uploads={rel: [u.entry for u in ups] for rel, ups in uploads.items()})
    for rel in rels:
        try:
            result = parse_file(site / rel, rel)
        except PlanImportError as e:
            out.left.append(Left(rel, e.message, e.hint))
            continue
        plans = [p for p in result.plans if p.is_school_plan]
        if not plans:
            out.left.append(Left(rel, "没有找到学校工作计划（没有标题、“一、指导思想”之类的小标题或“九月份”之类的行事历）",
                                 "确认放进来的是教科室（教研室）的工作计划；可在电脑上用 plansite import --json 查看识别结果"))
            continue
        given = given_by_upload(given_for(rel, schools), uploads.get(rel, []))
        if isinstance(given, Left):
            out.left.append(given)
            continue
        no_school = not given.school and any(not p.school for p in plans)
        no_term = not given.term and any(p.resolved_term is None for p in plans)
        if no_school or no_term:
            what = "、".join(w for w, missing in (("学校", no_school), ("学期", no_term)) if missing)
            hint = "；".join(h for h, missing in ((WHERE_HINT, no_school), (TERM_HINT, no_term)) if missing)
            out.left.append(Left(rel, f"看不出是哪所学校、哪个学期的计划（缺{what}）", hint))
            continue
        out.plans.append((rel, result, given))
    return out


def _known_schools(data_dir: Path) -> dict[str, tuple[str, ...]]:
    return {sid: tuple(str(d[k]) for k in ("name", "short_name") if isinstance(d.get(k), str))
            for sid, d in read_existing(data_dir, "schools").items()}


def done_path(site: Path, rel: str) -> str:
    """Where a source goes: inbox/done/ with its folders under inbox/, never over a file there."""
    parts = Path(rel).parts[1:]
    target = Path(INBOX, DONE, *parts)
    n = 2
    while (site / target).exists():
        target = target.with_name(f"{Path(parts[-1]).stem}-{n}{Path(parts[-1]).suffix}")
        n += 1
    return target.as_posix()


def _say_left(left: list[Left]) -> None:
    if not left:
        return
    print(f"\n留在 inbox/ 的文件：{len(left)} 个（没有导入，改好后会在下次运行时导入）", file=sys.stderr)
    for item in left:
        print(f"  {item.path}：{item.why}\n    提示：{item.hint}", file=sys.stderr)


def left_markdown(left: list[Left]) -> str:
    """The files left in inbox/, for the top of the pull request's description (as text: a file's
    name is the uploader's words)."""
    if not left:
        return ""
    lines = ["## 留在 inbox/ 的文件", "", "这些文件没有导入，仍在 inbox/ 里；按提示改好后重新上传。", ""]
    for item in left:
        lines.append(f"- {md_code(item.path)}：{md_text(item.why)}  ")
        lines.append(f"  提示：{md_text(item.hint)}")
    return "\n".join(lines) + "\n\n"


def import_inbox(site: Path, force: bool = False) -> tuple[int, list[tuple[str, str]], Path | None, Sorted]:
    """Import what inbox/ holds into site/plan_data and move the sources to inbox/done/, in place.

    Returns (status, [(source, where it went)], the review written, the sorting)."""
    rels, other, entries = inbox_files(site)
    data_dir = site / "plan_data"
    uploads, unusable = read_uploads(site, entries, rels)
    sorted_ = sort_files(site, rels, _known_schools(data_dir), uploads)
    sorted_.left[:0] = other + unusable
    if not sorted_.plans:
        return (1 if sorted_.left else 0), [], None, sorted_
    options = Options(force=force, files={rel: given for rel, _, given in sorted_.plans})
    stored: list[int] = []

    def open_after_storing(data: Path) -> list:
        # merging publishes: the new URL names are stored with the change, before the review lists what is open
        loaded = load_plan_data(data)
        stored.append(0 if loaded.errors else store_slugs(data, loaded))
        return import_open_problems(data)

    with contextlib.chdir(site):  # the review names plan_data/… as the site's own paths, wherever it runs
        done = import_results(Path("plan_data"), [r for _, r, _ in sorted_.plans], options, REPORT,
                              "plansite inbox " + " ".join(rel for rel, _, _ in sorted_.plans), open_after_storing)
    if done.status:
        return done.status, [], None, sorted_
    if sum(stored):
        print(f"网址：{sum(stored)} 个新网址名已登记在 plan_data/slugs.yml（发布后不再改变）")
    moved = []
    for rel in [p for rel, _, _ in sorted_.plans for p in (rel, *sorted_.uploads.get(rel, []))]:
        target = done_path(site, rel)  # a plan's uploads go with it
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(site / rel, site / target)
        moved.append((rel, target))
    return (1 if sorted_.left else 0), moved, done.report and site / done.report, sorted_


def run_inbox(site: Path, force: bool = False, env: dict[str, str] | None = None) -> int:
    """`plansite inbox`: the whole command. Exit 0 done (or nothing to do), 1 a file stays or a step failed."""
    env = dict(os.environ if env is None else env)
    if not (site / INBOX).is_dir():
        print(f"错误 {site / INBOX} 不存在：没有收件的文件夹\n"
              "    提示：在站点文件夹里建一个 inbox 文件夹，把计划（.docx、.txt、.md、.pdf）放进去", file=sys.stderr)
        return 1
    if inbox_files(site) == ([], [], []):
        print("inbox/ 里没有要导入的计划。")
        return 0
    repo = githost.repository(site)
    try:
        if repo is not None:
            return _in_git(repo, site.resolve(), force, env)
        status, moved, _, sorted_ = import_inbox(site, force)  # no Git: in place
        _say_moved(moved)
        _say_left(sorted_.left)
        return status
    except githost.GitError as e:
        print(f"错误 {e}\n    提示：在仓库里运行 git status 看看；没有提交的改动都还在", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"错误 无法读写 {e.filename or site}：{e.strerror or e}\n"
              "    提示：检查文件夹的权限和磁盘空间；已写入的文件各自完整，改好后重新运行", file=sys.stderr)
        return 1


def _in_git(repo: githost.Repo, site: Path, force: bool, env: dict[str, str]) -> int:
    rel = site.relative_to(repo.root.resolve())
    at = (lambda *parts: (rel / Path(*parts)).as_posix())
    written = [at("plan_data"), at(REPORT), at(INBOX, DONE)]
    waiting = repo.changes(written)
    if waiting:
        print("错误 下面的文件有没有提交的改动，plansite inbox 要写的正是这些位置，没有做任何事：", file=sys.stderr)
        for path in waiting[:20]:
            print(f"  {path}", file=sys.stderr)
        print("    提示：先提交（git add … && git commit）或放弃这些改动，再运行 plansite inbox", file=sys.stderr)
        return 1
    if repo.head() is None:
        print("错误 仓库里还没有任何提交，无法建立分支\n    提示：先提交一次站点的文件（git add . && git commit -m 建站）",
              file=sys.stderr)
        return 1
    base = env.get("GITHUB_REF_NAME") or repo.branch_name() or "HEAD"
    with repo.scratch() as tree:
        tree_site = tree / rel
        _mirror_inbox(site, tree_site)
        status, moved, report, sorted_ = import_inbox(tree_site, force)
        _say_moved(moved)
        _say_left(sorted_.left)
        if not moved:
            return status
        review = report.read_text(encoding="utf-8") if report else ""
        paths = [at("plan_data"), *(at(target) for _, target in moved)]
        if report:
            paths.append(report.resolve().relative_to(tree.resolve()).as_posix())
        plans = [Path(source).name for source, _ in moved if not source.lower().endswith(ENTRIES)]
        title = f"导入 {len(plans)} 份计划：" + "、".join(plans)
        commit = repo.commit(tree, paths, [at(source) for source, _ in moved],
                             f"{title[:200]}\n\n由 plansite inbox 导入；导入报告见 {REPORT}。")
    branch = repo.new_branch(f"inbox/{date.today().isoformat()}-{commit[:7]}", commit)
    print(f"\n已提交到新分支 {branch}（{commit[:7]}）：plan_data/ 的改动、移到 inbox/done/ 的原文和导入报告。"
          f"当前分支 {base} 没有改动。")
    host = githost.host_from_env(env)
    if host is None:
        print(f"查看：git log --stat {base}..{branch}；逐行对比：git diff {base}...{branch}\n"
              f"预览：git switch {branch} && mkdocs serve（看完 git switch {base}）\n"
              f"采用：git merge {branch}")
        loose = repo.changes([at(source) for source, _ in moved])
        if loose:  # dropped in and never committed: still here, and in the branch's inbox/done/
            print(f"inbox/ 里这 {len(loose)} 个原文没有提交过，仍在原处；合并后它们在 inbox/done/ 里，原处的可以删掉：")
            for path in loose:
                print(f"  {path}")
        return status
    try:
        repo.push(branch)
        url = githost.open_pull_request(host, branch, base, title,
                                        githost.pull_request_body(review, left_markdown(sorted_.left)))
    except githost.HostError as e:
        print(f"错误 {e.message}\n    提示：{e.hint}（分支 {branch} 已推送）", file=sys.stderr)
        return 1
    print(f"已在 {host.name} 上建立拉取请求：{url}\n合并它就会发布；不合并就关掉它，什么也不会变。")
    return status


def _mirror_inbox(site: Path, tree_site: Path) -> None:
    """The worktree's inbox/ (HEAD's) made what the user's inbox/ holds now, inbox/done/ aside: files
    dropped in and not committed are imported too, files deleted are not."""
    dst = tree_site / INBOX
    if dst.is_dir():
        for entry in dst.iterdir():
            if entry.name != DONE:
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    src = site / INBOX
    for entry in src.iterdir():
        if entry.name == DONE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, dst / entry.name, symlinks=True)
        else:
            dst.mkdir(parents=True, exist_ok=True)
            shutil.copy2(entry, dst / entry.name, follow_symlinks=False)


def _say_moved(moved: list[tuple[str, str]]) -> None:
    if moved:
        print("\n原文已移到 inbox/done/：")
        for source, target in moved:
            print(f"  {source} → {target}")
