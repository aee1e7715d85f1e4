"""How a build's outputs are made: the runtime behind the plugin's hooks. No MkDocs import here.

    Engine.load()     plan_data -> LoadResult      (a serve rebuild reuses what did not change)
    Engine.begin()    one build: garbage-collector policy, the Site
    Engine.outputs()  every Output to hand to MkDocs
        serve:  incremental.generate(), each text written into a folder MkDocs reads (--dirty
                renders only the pages whose file changed; removed pages are deleted from site_dir)
        build:  build.build_pages(deferred=True): paths at once, texts from a Worker
    Engine.text() / data_files() / search_entries()   what the Worker made, waited for
    Engine.end()      every way a build ends: the Worker stopped, signal handlers restored

A Worker is a second process that makes, while MkDocs renders pages on this one, every generated
page's text (in the order MkDocs reads them), then the feeds, plans.json, the pinyin vocabulary
and the plans' search entries. It sends each over a pipe; a thread here collects them. Its log
records come back to this process's logging (so `--strict` counts its warnings), its errors name
the output that failed, and a Worker that stops answering fails the build after `timeout` seconds
without progress. It is forked only where that is safe: Linux, and no other thread running (a
one-shot `mkdocs build`); elsewhere it is spawned. If this process ends, the Worker's next send
fails and it exits; SIGTERM ends the build with a message after stopping the Worker.
"""

from __future__ import annotations

import errno
import gc
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
import jinja2.bccache

from .build import build_data_files, build_pages
from .incremental import Generation, generate
from ..input.load import LoadCache, LoadResult, load_plan_data
from ..input.model import PlanData
from .search import item_entries, rewrite_index
from .site import Output, Site

log = logging.getLogger("mkdocs.plugins.plansite")

DEFAULT_TIMEOUT = 60.0  # seconds a Worker may go without sending anything before the build fails


class EngineError(Exception):
    """A build cannot go on; the message (Chinese) is for the user and names what failed."""


def worker_timeout() -> float:
    try:
        return max(0.1, float(os.environ.get("PLANSITE_WORKER_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def start_method() -> str | None:
    """How this build's Worker starts, or None to make everything in this process.

    None with PLANSITE_ONE_PROCESS=1, and while other threads run: that is a server rebuilding
    (`mkdocs serve --clean` reports itself as `build`), whose watcher and reload threads a fork
    would copy mid-lock, and whose rebuilds a spawned process would only slow down. Otherwise
    fork on Linux (cheap: the child shares the loaded data) and spawn elsewhere, as CPython
    defaults. PLANSITE_START_METHOD (fork, spawn, forkserver) forces one."""
    if os.environ.get("PLANSITE_ONE_PROCESS") == "1":
        return None
    forced = os.environ.get("PLANSITE_START_METHOD", "")
    available = multiprocessing.get_all_start_methods()
    if forced:
        if forced not in available:
            raise EngineError(f"PLANSITE_START_METHOD={forced!r} 在这个系统上不能用；可以用：{'、'.join(available)}")
        return forced
    if threading.active_count() > 1:
        return None
    return "fork" if sys.platform.startswith("linux") and "fork" in available else "spawn"


def disk_message(err: OSError, where: str) -> str:
    """An OSError while writing, said so that the cause is plain (a full disk above all)."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"磁盘空间不足，无法写入 {where}（{err.strerror}）。请清理磁盘，"
                "或把环境变量 TMPDIR 指向空间足够的文件夹后重试。")
    return f"无法写入 {where}：{err.strerror or err}"


def preview(data: PlanData, wanted: str) -> PlanData:
    """PLANSITE_PREVIEW=a,b (`make serve SCHOOL=…`): only those schools' pages; all the data was
    still loaded and checked. EngineError for a school that does not exist."""
    schools = {s.strip() for s in wanted.split(",") if s.strip()}
    if not schools:
        return data
    unknown = sorted(schools - set(data.schools))
    if unknown:
        raise EngineError(f"PLANSITE_PREVIEW 里的学校不存在：{'、'.join(unknown)}"
                          f"（已有：{'、'.join(sorted(data.schools)[:12])}……）")
    log.info(f"预览模式：只生成 {'、'.join(sorted(schools))} 的页面")
    return data.only(schools)


def rewrite_index_file(path: Path, site: Site, entries: Any) -> None:
    """Material's search_index.json, once written, with one entry per schedule item (search.rewrite_index);
    `entries`: the plans' item entries the Worker made, or None to make them here."""
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(rewrite_index(index, site, entries), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")


# ------------------------------------------------------------------ garbage collection


class GcPolicy:
    """Loading and listing a build's pages make many objects and no garbage cycles: collections are
    paused from pause() to settle(), which then moves what lives until the end out of the
    collector's sight (gc.freeze), so MkDocs' many collections per page do not walk it again.
    What a build froze is handed back and collected once (the old Site and its outputs hold
    cycles), so memory stays flat across serve rebuilds: after a serve rebuild is shown, when
    nobody waits for it (collect_when_idle), or else when the next build begins."""

    IDLE_S = 0.5  # after a serve rebuild, the browser has fetched the page it reloads

    def __init__(self) -> None:
        self.paused = False
        self.owed = False  # what an earlier build froze has not been collected since
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def pause(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not gc.isenabled():
                return  # someone else manages collection
            if self.owed:
                self._collect()
            gc.disable()
            self.paused = True

    def settle(self) -> None:
        if self.paused:
            gc.freeze()
            gc.enable()
            self.paused = False
            self.owed = True

    def collect_when_idle(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.IDLE_S, self._idle)
            self._timer.daemon = True
            self._timer.start()

    def _idle(self) -> None:
        with self._lock:
            if self._timer is not threading.current_thread() or self.paused:
                return  # a build began meanwhile: it collects
            self._timer = None
            if self.owed:
                self._collect()
                gc.freeze()  # what lives now stays out of the next build's collections

    def _collect(self) -> None:
        gc.unfreeze()
        gc.collect()
        self.owed = False


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates, kept: in memory across serve rebuilds (MkDocs makes a new template
    environment each build), and on disk for the next process (Jinja's own per-user cache folder;
    compiling Material's templates costs about a second of every build). A changed template's
    source no longer matches its checksum and is compiled again; a cache folder that cannot be
    used only costs that second."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        try:
            self._disk: jinja2.BytecodeCache | None = jinja2.FileSystemBytecodeCache()
        except (OSError, RuntimeError):
            self._disk = None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self._disk is not None:
            try:
                self._disk.load_bytecode(bucket)
            except (OSError, EOFError, ValueError):
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None and code:
            try:
                self._disk.dump_bytecode(bucket)
            except OSError:
                self._disk = None


# ------------------------------------------------------------------ the second process


@dataclass
class _Inbox:
    """What the Worker has sent so far (guarded by the Worker's condition)."""

    pages: dict[str, str | bytes] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)
    entries: Any = None
    done: bool = False
    error: str | None = None
    closed: bool = False
    last: float = field(default_factory=time.monotonic)


class Worker:
    """A second process making the texts of a build's deferred outputs, then its data files."""

    def __init__(self, site: Site, method: str, timeout: float) -> None:
        self.method = method
        self.timeout = timeout
        self.inbox = _Inbox()
        self._cond = threading.Condition()
        ctx = multiprocessing.get_context(method)
        receive, send = ctx.Pipe(duplex=False)
        if method == "fork":
            gc.freeze()  # as Python advises before a fork: the child shares these objects instead of copying them
        self.process = ctx.Process(target=_work, args=(send, site), daemon=True, name="plansite-worker")
        self.process.start()
        send.close()  # the child holds the only writing end: its exit closes the pipe
        self._conn = receive
        self._thread = threading.Thread(target=self._receive, name="plansite-receiver", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while True:
            try:
                kind, *rest = self._conn.recv()
            except (EOFError, OSError):
                with self._cond:
                    self.inbox.closed = True
                    self._cond.notify_all()
                return
            if kind == "log":
                level, name, message = rest
                logging.getLogger(name).log(level, message)
            with self._cond:
                box = self.inbox
                box.last = time.monotonic()
                if kind == "page":
                    box.pages[rest[0]] = rest[1]
                elif kind == "data":
                    box.data[rest[0]] = rest[1]
                elif kind == "entries":
                    box.entries = rest[0]
                elif kind == "done":
                    box.done = True
                elif kind == "error":
                    box.error = rest[0]
                self._cond.notify_all()

    def wait(self, ready: Callable[[_Inbox], bool], what: str) -> None:
        """Until ready(inbox); EngineError naming `what` if the Worker failed, ended or went silent."""
        with self._cond:
            while not ready(self.inbox):
                box = self.inbox
                if box.error is not None:
                    raise EngineError(box.error)
                if box.closed or (box.done and not ready(box)):
                    self.process.join(5)
                    raise EngineError(f"生成 {what} 的第二个进程已经结束，没有把它做出来（{_exit_text(self.process.exitcode)}）。"
                                      "如果是内存不足或进程被人为终止，重新构建即可；可以设置 PLANSITE_ONE_PROCESS=1 在一个进程里构建。")
                silent = time.monotonic() - box.last
                if silent >= self.timeout:
                    self.stop()
                    raise EngineError(f"等待 {what} 超时：第二个进程 {self.timeout:g} 秒没有回应，已停止它。"
                                      "可以设置 PLANSITE_WORKER_TIMEOUT（秒）放宽时限，或设置 PLANSITE_ONE_PROCESS=1 在一个进程里构建。")
                self._cond.wait(min(1.0, self.timeout - silent))

    def page(self, path: str) -> str | bytes:
        self.wait(lambda box: path in box.pages, path)
        with self._cond:
            return self.inbox.pages.pop(path)

    def data_files(self) -> dict[str, bytes]:
        self.wait(lambda box: box.done, "日历、plans.json 和拼音词表")
        with self._cond:
            data, self.inbox.data = self.inbox.data, {}
        return data

    def entries(self) -> Any:
        self.wait(lambda box: box.done, "搜索条目")
        return self.inbox.entries

    def stop(self) -> None:
        """End the process (it may be stopped: SIGKILL reaches it too) and the receiving thread."""
        proc = self.process
        if proc.is_alive():
            proc.terminate()
            proc.join(2)
            if proc.is_alive():
                proc.kill()
                proc.join(2)
        else:
            proc.join(0)
        self._conn.close()
        self._thread.join(2)


def _exit_text(code: int | None) -> str:
    if code is None:
        return "仍在运行"
    if code < 0:
        try:
            return f"被信号 {signal.Signals(-code).name} 终止"
        except ValueError:
            return f"被信号 {-code} 终止"
    return f"退出码 {code}"


class _PipeLog(logging.Handler):
    """In the Worker: log records go to the parent, which logs them where MkDocs counts them."""

    def __init__(self, send: Callable[[tuple], None]) -> None:
        super().__init__(logging.INFO)
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.send(("log", record.levelno, record.name, record.getMessage()))
        except (BrokenPipeError, OSError):
            os._exit(1)


def _work(conn, site: Site) -> None:
    """The Worker's whole life: make, send, exit. A closed pipe (the build ended) ends it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()  # paused in the parent while it loaded

    def send(message: tuple) -> None:
        conn.send(message)

    handler = _PipeLog(send)
    logging.getLogger().handlers = [handler]
    mkdocs_log = logging.getLogger("mkdocs")  # MkDocs' own logger does not propagate: it gets one too
    mkdocs_log.handlers, mkdocs_log.propagate = [handler], False
    current = "页面列表"
    try:
        for out in build_pages(site, data_files=False, deferred=True):
            if out.deferred:
                current = out.path
                send(("page", out.path, out.content))
        current = "日历、plans.json 和拼音词表"
        for out in build_data_files(site):
            send(("data", out.path, out.content))
        current = "搜索条目"
        send(("entries", item_entries(site)))
        send(("done",))
    except (BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        os._exit(1)
    except Exception as err:  # noqa: BLE001 (sent to the parent, which fails the build naming it)
        try:
            send(("error", f"生成 {current} 时出错：{type(err).__name__}: {err}"))
        except OSError:
            pass
        os._exit(1)
    finally:
        try:
            conn.close()
        except OSError:
            pass
    os._exit(0)  # no atexit work of the parent's (forked) in the child


# ------------------------------------------------------------------ the serve folder


class ServeFolder:
    """`mkdocs serve`: each generated file written into a folder of its own, rewritten only when its
    text changed, so `--dirty` renders only what an edit changed. Remembers where each output
    landed in site_dir, so pages that no longer exist are deleted there (--dirty never cleans)."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.written: dict[str, str | bytes] = {}
        self.built: set[str] = set()  # site_dir-relative outputs of the last rebuild
        self.stale: set[str] = set()

    def write(self, out: Output) -> tuple[str, bool]:
        """The file's absolute path, and whether it was written now."""
        if self.root is None:
            try:
                self.root = tempfile.mkdtemp(prefix="plansite-serve-")
            except OSError as err:
                raise EngineError(disk_message(err, f"临时文件夹 {tempfile.gettempdir()}")) from err
        target = os.path.join(self.root, out.path)
        old = self.written.get(out.path)
        if old is out.content or old == out.content:
            return target, False
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(out.content if isinstance(out.content, bytes) else out.content.encode("utf-8"))
        except OSError as err:
            self.written.pop(out.path, None)
            raise EngineError(disk_message(err, target)) from err
        self.written[out.path] = out.content
        return target, True

    def keep(self, paths: set[str]) -> None:
        """Forget outputs that are gone, so one that comes back is written again."""
        for gone in set(self.written) - paths:
            del self.written[gone]

    def built_now(self, generated: set[str], every: set[str]) -> None:
        """The site_dir paths this rebuild makes from generated outputs, and from every file: what
        the last rebuild generated and no file makes now is stale."""
        self.stale = self.built - every
        self.built = generated

    def remove_stale(self, site_dir: str) -> int:
        """Delete from site_dir the outputs of pages that no longer exist, and folders left empty."""
        removed = 0
        root = os.path.realpath(site_dir)
        for rel in sorted(self.stale):
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(root + os.sep) or not os.path.isfile(path):
                continue
            os.remove(path)
            removed += 1
            folder = os.path.dirname(path)
            while folder != root and folder.startswith(root + os.sep):
                try:
                    os.rmdir(folder)  # only when empty
                except OSError:
                    break
                folder = os.path.dirname(folder)
        self.stale = set()
        return removed

    def close(self) -> None:
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        self.written.clear()


# ------------------------------------------------------------------ the engine


def _stamp(data_dir: Path) -> tuple:
    """Every file under data_dir with its mtime and size; a dangling link, an editor's lock file
    or a folder that cannot be read changes the stamp and never raises (the loader reports it)."""
    out = []
    for folder, _dirs, names in os.walk(data_dir):
        for name in names:
            path = os.path.join(folder, name)
            try:
                s = os.stat(path)
            except OSError:
                s = None
            out.append((path, s.st_mtime_ns if s else 0, s.st_size if s else 0))
    return tuple(sorted(out))


class Engine:
    """One per plugin instance; `mkdocs serve` keeps it across rebuilds (the plugin defines
    on_startup), so what a rebuild can reuse lives here: the parse cache, the last load, the last
    generation and the serve folder."""

    def __init__(self) -> None:
        self.serve = False  # incremental rebuilds into a serve folder (MkDocs' command is serve)
        self.gc = GcPolicy()
        self._parsed = LoadCache()
        self._loaded: tuple[tuple, LoadResult] | None = None
        self._generation: Generation | None = None
        self.folder = ServeFolder()
        self.site: Site | None = None
        self.worker: Worker | None = None
        self._signals: dict[int, Any] = {}
        self.rebuilt = 0  # outputs written in the last serve rebuild
        self.incremental = False
        self.templates = TemplateCache()

    # -- input

    def load(self, data_dir: Path, slugs: str) -> tuple[LoadResult, bool]:
        """plan_data as loaded, and whether it was loaded now (False: no file changed since the last load)."""
        stamp = (slugs,) + _stamp(data_dir)
        if self._loaded and self._loaded[0] == stamp:
            return self._loaded[1], False
        result = load_plan_data(data_dir, slugs, cache=self._parsed)
        self._loaded = (stamp, result)
        return result, True

    # -- one build

    def begin(self, serve: bool) -> None:
        """A build starts (on_config): pause the collector until its pages are listed."""
        self.serve = serve
        self.end()
        self.gc.pause()

    def outputs(self, site: Site, method: str | None) -> list[Output]:
        """Every output of the build, in order. In a serve rebuild, made here (incrementally);
        otherwise listed, their texts left to a Worker started with `method` (None: made here)."""
        self.site = site
        if self.serve:
            self._generation, self.incremental = generate(site, self._generation)
            outputs = self._generation.outputs
            self.folder.keep({o.path for o in outputs})
            return outputs
        if method is None:
            return build_pages(site)
        return build_pages(site, data_files=False, deferred=True)

    def listed(self) -> None:
        """The pages are listed (on_files): resume the collector."""
        self.gc.settle()

    def start(self, site: Site, method: str | None) -> None:
        """Start the Worker for this build's deferred texts (on_pre_build: before MkDocs lists its
        files, so it works while they are listed and rendered)."""
        if method is None or self.serve:
            return
        threads = threading.active_count()
        self.worker = Worker(site, method, worker_timeout())
        log.debug(f"第二个进程已启动（{method}），启动时线程数 {threads}")
        self._trap_signals()

    def text(self, path: str) -> str:
        """The text of a page the Worker makes."""
        assert self.worker is not None
        try:
            content = self.worker.page(path)
        except EngineError:
            self.end()
            raise
        return content.decode("utf-8") if isinstance(content, bytes) else content

    def data_files(self) -> dict[str, bytes]:
        """The Worker's feeds, plans.json and vocabulary (empty without a Worker)."""
        if self.worker is None:
            return {}
        try:
            return self.worker.data_files()
        except EngineError:
            self.end()
            raise

    def search_entries(self) -> Any:
        """The plans' search entries the Worker made, or None (then they are made when needed)."""
        if self.worker is None:
            return None
        try:
            return self.worker.entries()
        finally:
            self.end()

    def prepare_templates(self, env: jinja2.Environment) -> None:
        """MkDocs' template environment for this build (on_env): compiled templates are reused."""
        env.bytecode_cache = self.templates

    def built(self) -> None:
        """The build is written (on_post_build): in serve, collect what it replaced once it is shown."""
        if self.serve:
            self.gc.collect_when_idle()

    def end(self) -> None:
        """However the build ends: the Worker stopped, the signal handlers put back."""
        self.gc.settle()
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
        for signum, handler in self._signals.items():
            signal.signal(signum, handler)
        self._signals = {}

    def shutdown(self) -> None:
        """`mkdocs serve` ends: the serve folder is removed."""
        self.end()
        self.folder.close()

    def _trap_signals(self) -> None:
        """SIGTERM (what `timeout`, CI cancel and `kill` send) ends the build through Python, so
        the Worker is stopped first; without this the process dies and leaves the Worker running."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGTERM,) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()):
            self._signals[signum] = signal.signal(signum, self._terminated)

    def _terminated(self, signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        self.end()
        sys.stderr.write(f"ERROR   -  构建被 {name} 终止，已停止第二个进程。\n")
        raise SystemExit(128 + signum)
