"""Decap CMS's local backend (`local_backend`, its `proxy` backend), in Python, over one site folder.

Decap posts `{action, params}` to /api/v1 and reads JSON back; the actions and the shapes of
their answers are those of decap-server's file-system mode (decaporg/decap-cms,
packages/decap-server/src/middlewares/localFs): info, entriesByFolder, entriesByFiles, getEntry,
persistEntry, getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles, getDeployPreview.
The editorial workflow (unpublished entries) is not offered: `info` says publish_modes simple.

What differs, on purpose:
- Every path stays inside the folders the editor works on (the plan data, the media folder of
  the site and inbox/, where 上传计划 puts plan files and their .yml entries): no absolute path, no
  `..`, no hidden file or folder (.git), no symlink that leads out; in inbox/ only files directly
  in it, of the kinds the inbox reads (not its README.md, not inbox/done/). Each refusal is a
  Chinese message in `{"error": …}` with a 4xx status, never a traceback.
- Data files are handed out in the editor's one shape (shape.py), so what Decap saves means
  what the file meant.
- A save or a deletion that would give the plan data a loader error it did not have is refused
  with the loader's own messages (file:line field: message, hint); nothing is written.
- Files are replaced atomically (a temporary file, then a rename), written as UTF-8 with \\n.

Pure standard library and the loader: the HTTP side is server.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import posixpath
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...input.load import LoadCache, LoadResult, load_plan_data
from ...input.yamlsrc import Problem
from ...output.admin.cmsconfig import UPLOAD, form_path
from .shape import editor_text

MAX_LISTED = 5000  # entries a folder listing may return
MAX_ERRORS_SHOWN = 8


class Refusal(Exception):
    """A request the local backend does not carry out: an HTTP status and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Folders:
    """The site folder and, inside it, the folders the editor may read and write (relative, POSIX)."""

    root: Path
    data_dir: str = "plan_data"
    media_folder: str = "docs/uploads"
    inbox: str = UPLOAD.folder

    @property
    def writable(self) -> tuple[str, ...]:
        return (self.data_dir.strip("/"), self.media_folder.strip("/"), self.inbox)


INBOX_KINDS = UPLOAD.plan_suffixes + UPLOAD.entry_suffixes


def _inbox_rule(folders: Folders, rel: str, clean: str) -> None:
    """In inbox/: the folder itself, or a plan file or an upload's .yml directly in it."""
    if clean == folders.inbox:
        return
    name = clean.removeprefix(folders.inbox + "/")
    kinds = "、".join(INBOX_KINDS)
    if "/" in name:
        raise Refusal(403, f"路径 {rel!r}：编辑器只读写 {folders.inbox}/ 里直接放着的文件，不进子文件夹（{folders.inbox}/done/ 是导入过的原文）")
    if not name.lower().endswith(INBOX_KINDS) or name == "README.md":
        raise Refusal(403, f"{name} 不能放进 {folders.inbox}/：这里只收计划文件和上传记录（{kinds}）"
                      "；旧版 .doc 请先用 Word 或 WPS 另存为 .docx，扫描件请找原稿")


def resolve(folders: Folders, rel: Any, what: str = "path") -> tuple[str, Path]:
    """(the normalised relative path, the file) for a path Decap sent, or a Refusal.

    Refused: anything but a non-empty string; an absolute path (/x, C:\\x, \\\\server); a `..`,
    hidden (.git) or empty part; a backslash; a path outside the editor's folders; a path whose
    real location (symlinks followed) is outside the site folder."""
    if not isinstance(rel, str) or not rel.strip():
        raise Refusal(422, f"参数 {what} 应当是文件路径（相对于网站文件夹），实际为 {rel!r}")
    if "\x00" in rel or "\\" in rel:
        raise Refusal(400, f"路径 {rel!r} 含有不允许的字符（反斜杠或空字符）；请用 / 分隔，例如 plan_data/plans/x.yml")
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        raise Refusal(403, f"不接受绝对路径 {rel!r}：编辑器只读写网站文件夹里的文件，路径要写成相对的，例如 plan_data/plans/x.yml")
    parts = rel.strip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise Refusal(403, f"路径 {rel!r} 含有 ..、. 或空的部分：编辑器不离开网站文件夹")
    if any(p.startswith(".") for p in parts):
        raise Refusal(403, f"路径 {rel!r} 指向隐藏的文件或文件夹（如 .git），编辑器不读写它们")
    clean = "/".join(parts)
    if not any(clean == w or clean.startswith(w + "/") for w in folders.writable):
        allowed = "、".join(f"{w}/" for w in folders.writable)
        raise Refusal(403, f"路径 {rel!r} 不在编辑器管理的文件夹里；只能读写 {allowed} 里的文件")
    if clean == folders.inbox or clean.startswith(folders.inbox + "/"):
        _inbox_rule(folders, rel, clean)
    root = folders.root.resolve()
    target = (root / clean).resolve()
    if target != root and root not in target.parents:
        raise Refusal(403, f"路径 {rel!r} 经过符号链接指到了网站文件夹之外（{target}），编辑器不跟随它")
    return clean, root / clean


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class LocalBackend:
    """The answers to Decap's local backend requests for one site folder."""

    def __init__(self, folders: Folders, check_saves: bool = True) -> None:
        self.folders = folders
        self.check_saves = check_saves
        self.data = DataCheck(folders.root / folders.data_dir.strip("/"))

    # -------------------------------------------------------------- dispatch

    def answer(self, body: Any) -> tuple[int, Any]:
        """(HTTP status, JSON answer) for a request body; never raises for what a client sent."""
        try:
            if not isinstance(body, dict) or not isinstance(body.get("action"), str):
                raise Refusal(422, "请求应当是 JSON 对象：{\"action\": 操作名, \"params\": {…}}")
            action, params = body["action"], body.get("params") or {}
            if not isinstance(params, dict):
                raise Refusal(422, "params 应当是 JSON 对象")
            handler = self.ACTIONS.get(action)
            if handler is None:
                if action in self.WORKFLOW:
                    raise Refusal(422, f"本地编辑不使用审核流程（{action}）：保存即写入文件，预览马上更新")
                raise Refusal(422, f"未知操作 {action!r}；可用的操作：{'、'.join(self.ACTIONS)}")
            return 200, handler(self, params)
        except Refusal as r:
            return r.status, {"error": r.message}
        except OSError as e:
            return 500, {"error": f"读写文件失败：{e.strerror or e}（{e.filename or ''}）；检查文件夹的权限和磁盘空间"}

    # -------------------------------------------------------------- reading

    def info(self, params: dict) -> dict:
        return {"repo": self.folders.root.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}

    def _kind(self, rel: str) -> str | None:
        """plans, schools, projects or categories for a data file the editor shapes; else None."""
        data = self.folders.data_dir.strip("/")
        if rel == f"{data}/categories.yml":
            return "categories"
        folder, _, name = rel.removeprefix(data + "/").partition("/")
        if rel.startswith(data + "/") and folder in ("plans", "schools", "projects") and "/" not in name \
                and name.endswith((".yml", ".yaml")):
            return folder
        return None

    def _entry(self, rel: Any, label: Any = None) -> dict:
        clean, path = resolve(self.folders, rel)
        file: dict[str, Any] = {"path": clean}
        if isinstance(label, str):
            file["label"] = label
        kind = self._kind(clean)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            text = editor_text(kind, None) if kind == "categories" else None
            return {"data": text, "file": file | {"id": _sha256(text.encode()) if text else None}}
        except IsADirectoryError:
            raise Refusal(422, f"{clean} 是文件夹，不是文件") from None
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Refusal(422, f"{clean} 不是 UTF-8 编码的文本；运行 plansite check 查看") from None
        text = text.replace("\r\n", "\n")
        if kind:
            text = editor_text(kind, text) or text
        return {"data": text, "file": file | {"id": _sha256(content)}}

    def _files(self, folder: Path, extension: str, depth: int) -> list[str]:
        """Files under a folder to the depth Decap asks, that end with the extension; relative, sorted."""
        root = self.folders.root.resolve()
        out: list[str] = []

        def walk(here: Path, level: int) -> None:
            if level <= 0 or len(out) >= MAX_LISTED:
                return
            try:
                entries = sorted(os.scandir(here), key=lambda e: e.name)
            except OSError:
                return
            for e in entries:
                if e.name.startswith("."):
                    continue
                path = Path(e.path)
                if not path.resolve().is_relative_to(root):
                    continue  # a symlink out of the site: never listed
                if e.is_dir():
                    walk(path, level - 1)
                elif e.name.endswith(extension):
                    out.append(path.relative_to(root).as_posix())

        walk(folder, depth)
        return out

    def entries_by_folder(self, params: dict) -> list[dict]:
        _, folder = resolve(self.folders, params.get("folder"), "folder")
        extension = params.get("extension") or ""
        depth = params.get("depth", 1)
        if not isinstance(extension, str) or not isinstance(depth, int) or isinstance(depth, bool):
            raise Refusal(422, "extension 应当是文字，depth 应当是整数")
        return [self._entry(rel) for rel in self._files(folder, extension, min(depth, 20))]

    def entries_by_files(self, params: dict) -> list[dict]:
        files = params.get("files")
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise Refusal(422, "files 应当是列表，每项形如 {\"path\": …}")
        return [self._entry(f.get("path"), f.get("label")) for f in files]

    def get_entry(self, params: dict) -> dict:
        return self._entry(params.get("path"))

    def _media(self, rel: Any) -> dict:
        clean, path = resolve(self.folders, rel)
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise Refusal(404, f"找不到文件 {clean}") from None
        except IsADirectoryError:
            raise Refusal(422, f"{clean} 是文件夹，不是文件") from None
        return {"id": _sha256(content), "content": base64.b64encode(content).decode("ascii"), "encoding": "base64",
                "path": clean, "name": posixpath.basename(clean)}

    def get_media(self, params: dict) -> list[dict]:
        clean, folder = resolve(self.folders, params.get("mediaFolder"), "mediaFolder")
        # inbox/'s media are its plan files: not the uploads' .yml entries, not its README.md
        kinds = UPLOAD.plan_suffixes if clean == self.folders.inbox else ("",)
        return [self._media(rel) for rel in self._files(folder, "", 1)
                if rel.lower().endswith(kinds) and rel != f"{self.folders.inbox}/README.md"]

    def get_media_file(self, params: dict) -> dict:
        return self._media(params.get("path"))

    def get_deploy_preview(self, params: dict) -> None:
        return None

    # -------------------------------------------------------------- writing

    def persist_entry(self, params: dict) -> dict:
        files = params.get("dataFiles")
        if files is None and isinstance(params.get("entry"), dict):
            files = [params["entry"]]
        assets = params.get("assets") or []
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            raise Refusal(422, "persistEntry 需要 dataFiles：[{\"path\": …, \"raw\": …}]")
        if not isinstance(assets, list):
            raise Refusal(422, "assets 应当是列表")
        writes: dict[str, bytes] = {}
        moves: list[tuple[str, str]] = []
        for f in files:
            clean, _ = resolve(self.folders, f.get("path"))
            raw = f.get("raw")
            if not isinstance(raw, str):
                raise Refusal(422, f"{clean}：raw 应当是文件的文字内容")
            writes[clean] = raw.replace("\r\n", "\n").encode("utf-8")
            if f.get("newPath"):
                moves.append((clean, resolve(self.folders, f["newPath"], "newPath")[0]))
        for a in assets:
            clean, content = self._asset(a)
            writes[clean] = content
        changes: dict[str, bytes | None] = dict(writes)
        if moves and len(moves) == len(files):
            for old, new in moves:
                changes[new], changes[old] = changes[old], None
        self._check(changes)
        self._apply(changes)
        return {"message": "entry persisted"}

    def _asset(self, asset: Any) -> tuple[str, bytes]:
        if not isinstance(asset, dict):
            raise Refusal(422, "asset 应当是 {\"path\", \"content\", \"encoding\": \"base64\"}")
        clean, _ = resolve(self.folders, asset.get("path"))
        if asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise Refusal(422, f"{clean}：文件内容应当是 base64 编码（encoding: base64）")
        try:
            return clean, base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refusal(422, f"{clean}：文件内容不是有效的 base64") from None

    def persist_media(self, params: dict) -> dict:
        clean, content = self._asset(params.get("asset"))
        self._check({clean: content})
        self._apply({clean: content})
        return self._media(clean)

    def delete_file(self, params: dict) -> dict:
        clean, _ = resolve(self.folders, params.get("path"))
        self._check({clean: None})
        self._apply({clean: None})
        return {"message": f"deleted file {clean}"}

    def delete_files(self, params: dict) -> dict:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise Refusal(422, "paths 应当是非空的路径列表")
        cleaned = [resolve(self.folders, p)[0] for p in paths]
        changes: dict[str, bytes | None] = {c: None for c in cleaned}
        self._check(changes)
        self._apply(changes)
        return {"message": f"deleted files {', '.join(cleaned)}"}

    def _check(self, changes: dict[str, bytes | None]) -> None:
        """Refuse changes that give the plan data loader errors it did not have."""
        data = self.folders.data_dir.strip("/")
        if not self.check_saves or not any(rel.startswith(data + "/") for rel in changes):
            return
        new = self.data.new_errors({rel[len(data) + 1:]: c for rel, c in changes.items() if rel.startswith(data + "/")})
        if new:
            shown = "\n".join(_for_the_form(p, data) for p in new[:MAX_ERRORS_SHOWN])
            more = f"\n……另有 {len(new) - MAX_ERRORS_SHOWN} 处" if len(new) > MAX_ERRORS_SHOWN else ""
            raise Refusal(422, f"没有保存：这样保存后数据有 {len(new)} 处错误，请改正后再保存。\n{shown}{more}")

    def _apply(self, changes: dict[str, bytes | None]) -> None:
        for rel, content in changes.items():
            path = self.folders.root / rel
            if content is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            try:
                os.fchmod(fd, _mode_of(path))  # mkstemp's 0600 would make a saved file the editor's alone
                with os.fdopen(fd, "wb") as handle:
                    handle.write(content)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    ACTIONS = {"info": info, "entriesByFolder": entries_by_folder, "entriesByFiles": entries_by_files,
               "getEntry": get_entry, "persistEntry": persist_entry, "getMedia": get_media,
               "getMediaFile": get_media_file, "persistMedia": persist_media, "deleteFile": delete_file,
               "deleteFiles": delete_files, "getDeployPreview": get_deploy_preview}
    WORKFLOW = {"unpublishedEntries", "unpublishedEntry", "unpublishedEntryDataFile", "unpublishedEntryMediaFile",
                "deleteUnpublishedEntry", "updateUnpublishedEntryStatus", "publishUnpublishedEntry"}


def _mode_of(path: Path) -> int:
    """The permissions a written file gets: those it had, or a new file's (0666 less the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _for_the_form(problem: Problem, data_dir: str) -> str:
    """A loader problem as the editor's form names it, with the file and field path after it:
    · 行事历第2项 › 工作第1项 › 日期：…（plan_data/plans/x.yml:25 schedule[1].items[0].date）"""
    kind = problem.file.removeprefix(posixpath.basename(data_dir) + "/").split("/", 1)[0]
    where = f"{problem.file}:{problem.line}" if problem.line else problem.file
    if problem.field:
        text = f"· {form_path(kind, problem.field)}：{problem.message}（{where} {problem.field}）"
    else:
        text = f"· {where}：{problem.message}"
    return text + (f"\n  提示：{problem.hint}" if problem.hint else "")


def _key(p: Problem) -> tuple[str, str, str]:
    return (p.file, p.field, p.message)


class DataCheck:
    """The loader run on a mirror of the data folder: what the data would say after a change,
    without touching the folder. The mirror keeps its path and the files' times, so the loader's
    cache holds between checks: a save in a synthetic district of 200 schools is checked in about
    three seconds, against thirteen for a cold load (which `plansite edit` does at start). Removed with the backend (or at exit)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        home = Path(tempfile.mkdtemp(prefix="plansite-edit-"))
        self.mirror = home / data_dir.name  # the same shown names (plan_data/...) as the real folder
        self.mirror.mkdir()
        self.copied: dict[str, tuple[int, int] | None] = {}  # mirror file -> the stamp it was copied at
        self.cache = LoadCache()
        self._remove = weakref.finalize(self, shutil.rmtree, home, True)

    def sync(self) -> None:
        """Make the mirror what the data folder is now (only the files that changed are copied)."""
        seen: set[str] = set()
        for folder, dirs, names in os.walk(self.data_dir):
            links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]  # mirrored as links, not entered
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in links]
            here = Path(folder)
            for name in [*names, *links]:
                if name.startswith("."):
                    continue
                source = here / name
                rel = source.relative_to(self.data_dir).as_posix()
                seen.add(rel)
                stat = source.lstat()
                stamp = (stat.st_mtime_ns, stat.st_size)
                if self.copied.get(rel) == stamp:
                    continue
                target = self.mirror / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_symlink() or target.exists():
                    target.unlink()
                if source.is_symlink():  # kept a link: the loader says what it says of the real one
                    target.symlink_to(os.readlink(source))
                else:
                    shutil.copy2(source, target)
                self.copied[rel] = stamp
        for rel in set(self.copied) - seen:
            (self.mirror / rel).unlink(missing_ok=True)
            del self.copied[rel]

    def load(self) -> LoadResult:
        self.sync()
        return load_plan_data(self.mirror, cache=self.cache)

    def new_errors(self, changes: dict[str, bytes | None]) -> list[Problem]:
        """The loader errors the data would have after these changes (paths relative to the data
        folder; None deletes) that it does not have now."""
        before = {_key(p) for p in self.load().errors}
        for rel, content in changes.items():
            path = self.mirror / rel
            self.copied[rel] = None  # copied again at the next sync, whatever happens here
            if path.is_symlink() or path.exists():
                path.unlink()
            if content is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        after = load_plan_data(self.mirror, cache=self.cache).errors
        return [p for p in after if _key(p) not in before]

    def close(self) -> None:
        self._remove()
