"""A site made by `plansite new` installs in a fresh virtual environment from the package index and
its own files (PlanSite from the wheel in vendor/), and builds with its workflow's settings: no
Material end-of-life banner. Slow (a fresh venv downloads MkDocs, Material and the rest): one test."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES

BIN = Path(sys.executable).parent
BANNER = "end of life"


def run(args: list[str], cwd: Path, path: Path, **extra: str) -> subprocess.CompletedProcess:
    # the machine's own pip settings (its index) stay; nothing of this test's venv leaks in
    env = {k: v for k, v in os.environ.items()
           if k not in ("SITE_URL", "NO_MKDOCS_2_WARNING", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHONUTF8="1", PATH=f"{path}{os.pathsep}{os.environ['PATH']}", **extra)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=1200)


def plansite_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        return {n for n in z.namelist() if n.startswith("plansite/")}


@pytest.mark.site
def test_a_new_site_installs_from_the_index_and_its_own_files_and_builds(open_tmp):
    site = open_tmp / "site"
    done = run([str(BIN / "plansite"), "new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学",
                "--site-url", "https://jky.qhjks.cn/"], open_tmp, BIN)
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = sorted((site / "vendor").glob("plansite-*-py3-none-any.whl"))
    assert len(wheels) == 1
    lines = [ln for ln in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    assert lines[0] == f"./vendor/{wheels[0].name}" and any(ln.startswith("mkdocs-material") for ln in lines)
    assert not any(ln.startswith("plansite") for ln in lines)  # no name the index would be asked for

    fresh = open_tmp / "fresh"
    venv.EnvBuilder(with_pip=True).create(fresh)
    fbin = fresh / "bin"
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    install = next(s["run"] for s in steps if "requirements.txt" in str(s.get("run", "")))
    done = run(["sh", "-c", install], site, fbin)  # the workflow's own install step, `python` being the fresh one
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    where = run([str(fbin / "python"), "-c", "import plansite; print(plansite.__file__)"], site, fbin)
    assert Path(where.stdout.strip()).is_relative_to(fresh), where.stdout + where.stderr  # the wheel's, not this checkout

    imported = run([str(fbin / "plansite"), "import", str(FIXTURES / "firstday/qinghe-autumn.txt"),
                    "--school", "青禾区实验小学", "--term", "2026秋"], site, fbin)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    bare = run([str(fbin / "mkdocs"), "build", "--strict", "-d", str(open_tmp / "out-bare")], site, fbin)
    assert bare.returncode == 0 and BANNER in bare.stderr  # Material prints it unless told not to
    built = run([str(fbin / "mkdocs"), "build", "--strict", "-d", str(open_tmp / "out")], site, fbin,
                **{k: str(v) for k, v in workflow["env"].items()})  # the workflow's environment
    assert built.returncode == 0, built.stdout + built.stderr
    assert BANNER not in built.stderr + built.stdout
    assert (open_tmp / "out/schools/index.html").is_file()

    # A site made from the installed wheel carries the same PlanSite (the installed files packed again).
    again = run([str(fbin / "plansite"), "new", str(open_tmp / "second"), "--name", "青禾区教科研"], open_tmp, fbin)
    assert again.returncode == 0, again.stdout + again.stderr
    second = sorted((open_tmp / "second/vendor").glob("plansite-*.whl"))
    assert [w.name for w in second] == [wheels[0].name]
    assert plansite_files(second[0]) == {n for n in plansite_files(wheels[0]) if not n.endswith(".pyc")}
