"""Every way a `mkdocs build` with its second process can end: the build fails naming what was
lost, and leaves no process and no temp folder behind.

Each build runs the real `mkdocs build` in a subprocess whose page builder for one plan is
replaced, before MkDocs starts, by one that misbehaves (raises, dies, stops, waits): the forked
second process inherits it, so the failure happens in the second process, as a real one would."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import FIXTURES
from plansite.output.engine import EngineError, ServeFolder, disk_message, start_method
from plansite.output.site import Output

PLAN = "plans/dongpo-2026-autumn.md"

DRIVER = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    import plansite.output.pages.plan as plan_pages
    made = plan_pages._page
    mark = Path(os.environ["MARK"])

    def misbehave(site, plan_id, here):
        if plan_id == "dongpo-2026-autumn":
            how = os.environ["HOW"]
            mark.write_text(str(os.getpid()))
            if how == "raise":
                raise ValueError("模拟的页面错误")
            if how == "die":
                os.kill(os.getpid(), signal.SIGKILL)
            if how == "stop":
                os.kill(os.getpid(), signal.SIGSTOP)
            if how == "wait":
                time.sleep(120)
            if how == "warn":
                import logging
                logging.getLogger("mkdocs.plugins.plansite.pages").warning("模拟的警告：第二个进程里写的")
        return made(site, plan_id, here)

    plan_pages._page = misbehave
    from mkdocs.__main__ import cli
    sys.argv = ["mkdocs", "build", "--strict", "-f", sys.argv[1], "-d", sys.argv[2]]
    cli()
""")


def _start(tmp_path: Path, how: str, **env: str) -> tuple[subprocess.Popen, Path, Path]:
    mark = tmp_path / "worker.pid"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1", HOW=how, MARK=str(mark), TMPDIR=str(temp), **env)
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(FIXTURES / "mini/mkdocs.yml"), str(tmp_path / "site")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=FIXTURES / "mini")
    return proc, mark, temp


def _finish(proc: subprocess.Popen, timeout: float = 60) -> tuple[int, str, float]:
    start = time.monotonic()
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out, time.monotonic() - start


def _ours(temp: Path) -> list[str]:
    """What a build left in its temp folder, but for the caches kept there for the next process: jieba's
    dictionary, its quick copy, compiled templates."""
    return sorted(p.name for p in temp.iterdir()
                  if p.name != "jieba.cache" and not p.name.startswith(("plansite-jieba-", "_jinja2-cache-")))


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for its parent counts as gone: it runs nothing)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except FileNotFoundError:
        return True
    return status == "Z"


def _wait_for(mark: Path, proc: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while not mark.is_file() or not mark.read_text():
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "the second process never reached the plan page"
        time.sleep(0.05)
    return int(mark.read_text())


def test_a_page_builder_that_raises_fails_the_build_naming_the_page_once(tmp_path):
    proc, mark, temp = _start(tmp_path, "raise")
    code, out, _ = _finish(proc)
    assert code == 1, out
    assert out.count(f"生成 {PLAN} 时出错：ValueError: 模拟的页面错误") == 1, out
    assert "Traceback" not in out
    assert _gone(int(mark.read_text())) and _ours(temp) == []


def test_a_warning_in_the_second_process_counts_toward_strict(tmp_path):
    proc, mark, temp = _start(tmp_path, "warn")
    code, out, _ = _finish(proc)
    assert code == 1 and "模拟的警告：第二个进程里写的" in out, out
    assert "Aborted with 1 warnings in strict mode!" in out, out
    assert os.getpid() != int(mark.read_text())  # it was written in the second process


def test_a_second_process_killed_mid_build_fails_within_a_minute_naming_what_was_lost(tmp_path):
    proc, mark, temp = _start(tmp_path, "die")
    code, out, took = _finish(proc)
    assert code == 1 and took < 60, out
    assert "第二个进程已经结束" in out and "SIGKILL" in out, out
    assert "Traceback" not in out and _ours(temp) == []


def test_a_second_process_that_stops_answering_times_out_and_is_stopped(tmp_path):
    proc, mark, temp = _start(tmp_path, "stop", PLANSITE_WORKER_TIMEOUT="2")
    code, out, took = _finish(proc)
    assert code == 1, out
    assert "超时" in out and "2 秒没有回应" in out and PLAN in out, out
    assert _gone(int(mark.read_text())), "the stopped second process was left behind"
    assert _ours(temp) == []


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 1)])
def test_a_build_ended_by_a_signal_leaves_no_process(tmp_path, signum, code):
    """SIGTERM is what `timeout`, CI cancel and `kill` send; SIGINT is Ctrl-C (here to the build
    alone, so the second process must be stopped by the build, not by the terminal)."""
    proc, mark, temp = _start(tmp_path, "wait")
    worker = _wait_for(mark, proc)
    proc.send_signal(signum)
    got, out, took = _finish(proc, timeout=30)
    assert got == code and took < 20, out
    if signum == signal.SIGTERM:
        assert "构建被 SIGTERM 终止" in out, out
    deadline = time.monotonic() + 5
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(worker), "the second process outlived the build"
    assert _ours(temp) == []


def test_a_full_temp_folder_does_not_stop_a_build(tmp_path):
    """The build writes nothing to the temp folder (the second process sends its texts over a
    pipe): a temp folder on a full disk changes nothing. A serve folder on a full disk is named."""
    full = tmp_path / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root: " + mounted.stderr.decode(errors="replace").strip())
    try:
        (full / "filler").write_bytes(b"x" * 60_000)
        with pytest.raises(OSError):
            (full / "more").write_bytes(b"x" * 16_000)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(full))
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                                cwd=FIXTURES / "mini", env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert sorted(p.name for p in full.iterdir()) == ["filler", "more"]
        folder = ServeFolder()
        folder.root = str(full)
        with pytest.raises(EngineError, match="磁盘空间不足"):
            folder.write(Output("plans/x.md", "长" * 50_000))
    finally:
        subprocess.run(["umount", str(full)], check=False)


def test_disk_errors_say_what_ran_out():
    assert "磁盘空间不足" in disk_message(OSError(errno.ENOSPC, "No space left on device"), "/tmp/x")
    assert "磁盘空间不足" not in disk_message(OSError(errno.EACCES, "Permission denied"), "/tmp/x")


def test_no_fork_while_other_threads_run(monkeypatch):
    import threading

    monkeypatch.delenv("PLANSITE_ONE_PROCESS", raising=False)
    monkeypatch.delenv("PLANSITE_START_METHOD", raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert start_method() is None  # a server rebuilding: everything in this process
    finally:
        stop.set()
        thread.join()
    if threading.active_count() == 1:
        assert start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setenv("PLANSITE_START_METHOD", "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv("PLANSITE_START_METHOD", "nonsense")
    with pytest.raises(EngineError, match="PLANSITE_START_METHOD"):
        start_method()
