"""Building a province's district sites side by side on one machine (`plansite portal
--build-districts -j N`): each district is its own `mkdocs build --strict` process, the command a
CI build job runs for it (district_build_command), at most N at a time. A district that fails does
not stop the others; its last lines of output say why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..output.portal.districts import District, Province

TIMEOUT = 3600  # one district of 800 schools builds in minutes; an hour means it hangs


@dataclass(frozen=True)
class DistrictRun:
    district: District
    ok: bool
    seconds: float
    why: str = ""


def district_build_command(source: Path, dest: Path) -> list[str]:
    """A district's own build, unchanged: its mkdocs.yml, strict, into dest (CI runs the same)."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(source / "mkdocs.yml"), "-d", str(dest)]


def build_districts(province: Province, sites: Path, jobs: int = 1) -> list[DistrictRun]:
    """Build every district whose source is a folder of the province repository into sites/<id>/,
    at most `jobs` processes at a time; in districts.yml order."""
    base = province.file.resolve().parent
    local = [d for d in province.districts if d.source and not d.repository]
    sites.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda d: _build(d, base / d.source, sites.resolve() / d.id), local))


def _build(district: District, source: Path, dest: Path) -> DistrictRun:
    start = time.monotonic()
    if dest.exists():
        shutil.rmtree(dest)  # a failed build must not leave an old plans.json that looks new
    if not (source / "mkdocs.yml").is_file():
        return DistrictRun(district, False, 0.0, f"{source} 里没有 mkdocs.yml")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    try:
        done = subprocess.run(district_build_command(source, dest), capture_output=True, text=True, env=env,
                              cwd=source, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return DistrictRun(district, False, time.monotonic() - start, f"超过 {TIMEOUT // 60} 分钟没有完成")
    seconds = time.monotonic() - start
    if done.returncode:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        return DistrictRun(district, False, seconds, "；".join(lines[-2:]) or f"退出码 {done.returncode}")
    return DistrictRun(district, True, seconds)
