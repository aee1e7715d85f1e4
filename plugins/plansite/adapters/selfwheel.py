"""A wheel of the running PlanSite, for a new site to carry: `vendor/plansite-<version>-py3-none-any.whl`.

PlanSite is not on a package index, so a site's `requirements.txt` cannot name it by version. The
site carries PlanSite itself instead, and takes only PlanSite's dependencies from the index:

    installed from a folder (pip install -e . or pip install .)  -> pip wheel --no-deps of that folder
    installed from a wheel, an index or a git URL                -> the installed files (RECORD) packed again

Either way the wheel holds what this PlanSite runs, and its METADATA names the same dependency
ranges, which requirements.txt repeats for the reader.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


class WheelError(Exception):
    """The wheel cannot be made; the message is for the user (Chinese)."""


def wheel_name(version: str) -> str:
    return f"plansite-{version}-py3-none-any.whl"


def dependency_lines(dist: Distribution) -> list[str]:
    """The dependencies PlanSite needs at run time, as its metadata pins them (extras left out)."""
    # Requires-Dist lines: 'mkdocs<2,>=1.6.1', or 'pytest<10,>=8; extra == "test"' (an extra: left out)
    return sorted((line for line in dist.requires or [] if not re.search(r";.*\bextra\s*==", line)), key=str.lower)


def source_folder(dist: Distribution) -> Path | None:
    """The folder PlanSite was installed from (pip install -e . or pip install DIR), if it still is one."""
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    try:
        info = json.loads(text)
    except ValueError:
        return None
    if "dir_info" not in info:
        return None
    url = urlsplit(info.get("url", ""))
    if url.scheme != "file":
        return None
    folder = Path(url2pathname(unquote(url.path)))
    return folder if (folder / "pyproject.toml").is_file() else None


def build_wheel(dest: Path) -> Path:
    """Write the running PlanSite's wheel into the folder dest; returns its path. Raises WheelError."""
    try:
        dist = distribution("plansite")
    except PackageNotFoundError as e:
        raise WheelError("PlanSite 没有安装（是直接从源码文件夹运行的），无法把它打包进新网站") from e
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / wheel_name(dist.version)
    folder = source_folder(dist)
    if folder is not None:
        _pip_wheel(folder, target)
    else:
        _pack_installed(dist, target)
    return target


# what a source folder holds beside the package and is no part of it (pip wheel would also leave a
# build/ folder in the source: it works on a copy)
_NOT_SOURCE = shutil.ignore_patterns(".*", "build", "dist", "site", "test-artifacts", "__pycache__", "*.egg-info",
                                     "node_modules")


def _pip_wheel(folder: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="plansite-wheel-") as tmp:
        copy = Path(tmp) / "source"
        try:
            shutil.copytree(folder, copy, ignore=_NOT_SOURCE, symlinks=True)
        except OSError as e:
            raise WheelError(f"无法复制 PlanSite 的源码 {folder}：{e}") from e
        cached = _cache_dir() / _tree_hash(copy) / target.name
        if cached.is_file():  # the same source built before (pip wheel takes seconds)
            shutil.copyfile(cached, target)
            return
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp, str(copy)],
                              capture_output=True, text=True)
        made = sorted(Path(tmp).glob("plansite-*.whl"))
        if done.returncode != 0 or len(made) != 1:
            why = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["没有生成 wheel"]
            raise WheelError(f"无法从 {folder} 打包 PlanSite（pip wheel：{why[0]}）")
        shutil.copyfile(made[0], target)
        _keep(made[0], cached)


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plansite" / "wheels"


def _tree_hash(folder: Path) -> str:
    """What a source folder holds (names and bytes), as one hash."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:24]


def _keep(wheel: Path, cached: Path) -> None:
    """Store a built wheel for the next site of the same source; a cache that cannot be written is no error."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        part = cached.with_name(f".{cached.name}.{os.getpid()}")
        shutil.copyfile(wheel, part)
        os.replace(part, cached)
    except OSError:
        pass


# a wheel's files in a fixed order, each with a fixed time: the same PlanSite packs the same bytes
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _pack_installed(dist: Distribution, target: Path) -> None:
    """The installed files, as RECORD lists them, back into a wheel (scripts are made by the installer)."""
    info = f"plansite-{dist.version}.dist-info"
    members: dict[str, bytes] = {}
    for file in dist.files or []:
        name = file.as_posix()
        if name.startswith("..") or name.endswith(".pyc") or "__pycache__" in name or name.startswith("/"):
            continue
        if name.startswith(info + "/") and name.split("/", 1)[1] in ("RECORD", "INSTALLER", "REQUESTED",
                                                                     "direct_url.json"):
            continue
        try:
            members[name] = Path(file.locate()).read_bytes()
        except OSError as e:
            raise WheelError(f"读不了已安装的 PlanSite 文件 {name}：{e.strerror}") from e
    if not any(n.startswith("plansite/") for n in members):
        raise WheelError("已安装的 PlanSite 里找不到它的程序文件，无法打包进新网站")
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name in sorted(members):
        digest = base64.urlsafe_b64encode(hashlib.sha256(members[name]).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(members[name])])
    writer.writerow([f"{info}/RECORD", "", ""])
    members[f"{info}/RECORD"] = record.getvalue().encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name in [*sorted(n for n in members if not n.startswith(info)), *sorted(n for n in members if n.startswith(info))]:
            wheel.writestr(zipfile.ZipInfo(name, _EPOCH), members[name], zipfile.ZIP_DEFLATED)
