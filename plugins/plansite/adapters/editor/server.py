"""`plansite edit [DIR] [--port N]`: the editor and the live preview of a site, on this computer only.

One address, http://127.0.0.1:N/, serves three things:
- /admin/: the editor (output/admin/files.py's files, its own Content-Security-Policy, config.yml with the
  local backend), served here and never through MkDocs, so a rebuild never reloads the form;
- POST /api/v1: Decap's local backend (localapi.py), reading and writing the site's plan data;
- everything else: the site as `mkdocs serve --dirty` shows it (as `make serve` runs it: a child
  process on another port of 127.0.0.1), live reload included: a save makes again, through the
  engine (output/engine.py), only the outputs whose keys it changed, and the open page reloads.

It listens on 127.0.0.1 only and answers only requests whose Host is 127.0.0.1:N or
localhost:N (a web page elsewhere cannot reach it by a DNS name that points here); the API also
wants a JSON body and, when the browser sends one, an Origin of this address. Every refusal is a
Chinese JSON error.
"""

from __future__ import annotations

import dataclasses
import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ...output.admin.cmsconfig import EditorSettings, config_yaml
from ...output.admin.files import FOLDER, SCRIPT, admin_csp, admin_page, admin_script, category_choices, decap_file
from ...output.site import site_date_of
from .localapi import Folders, LocalBackend

MAX_BODY = 32 * 1024 * 1024  # a Word file or an image through the media library fits
READY_TIMEOUT = 300.0  # the first build of a large district
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm",
                 ".yml": "text/yaml; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".txt": "text/plain; charset=utf-8"}
WRITES = {"persistEntry", "persistMedia", "deleteFile", "deleteFiles"}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}


class EditError(Exception):
    """Why `plansite edit` cannot start: a Chinese message and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass
class EditSite:
    """The site being edited: its folder, where its data and media are, how it is named."""

    root: Path
    config_file: Path
    data_dir: str  # relative to root, POSIX
    media_folder: str
    site_name: str
    base: str  # the path mkdocs serve mounts the site at: / or /sub/

    @property
    def settings(self) -> EditorSettings:
        return EditorSettings(backend="local", data_dir=self.data_dir, media_folder=self.media_folder,
                              site_name=self.site_name)


def open_site(folder: Path) -> EditSite:
    """The site in a folder (its mkdocs.yml), or EditError."""
    from ..publish import SiteConfigError, read_site_config  # mkdocs.yml as the publish check reads it

    root = folder.resolve()
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise EditError(f"{folder} 里没有 mkdocs.yml，不是 PlanSite 网站的文件夹",
                        "在网站文件夹里运行 plansite edit，或写出它的路径：plansite edit ../our-site")
    try:
        site = read_site_config(config)
    except SiteConfigError as e:
        raise EditError(f"读不了网站配置：{e.problem}", "改正 mkdocs.yml 后再运行") from e
    data = site.data_dir.resolve()
    if not data.is_relative_to(root) or data == root:
        raise EditError(f"数据文件夹 {site.data_dir} 不在网站文件夹 {root} 里面",
                        "编辑器只读写网站文件夹里的文件；把 plansite 的 data_dir 设为网站里的文件夹，例如 plan_data")
    if not data.is_dir():
        raise EditError(f"找不到数据文件夹 {site.data_dir}", "用 plansite new 创建网站，或在 mkdocs.yml 里写对 data_dir")
    docs = site.docs_dir.resolve()
    media = (docs / "uploads") if docs.is_relative_to(root) and docs != root else (root / "uploads")
    base = "/" + urlsplit(site.site_url or "/").path.strip("/")
    return EditSite(root, config, data.relative_to(root).as_posix(), media.relative_to(root).as_posix(),
                    site.site_name, base.rstrip("/") + "/")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Editor:
    """What the request handler needs: the site, the backend, the preview's port, our port."""

    site: EditSite
    backend: LocalBackend
    port: int = 0
    preview: Preview | None = None  # None: no preview (tests of the API alone)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def preview_port(self) -> int:
        return self.preview.port if self.preview else 0

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    def allowed_origins(self) -> set[str]:
        return {f"http://{h}" for h in self.allowed_hosts()}

    def admin_file(self, name: str) -> tuple[bytes, str] | None:
        """(content, content type) of a file of /admin/, or None."""
        name = name or "index.html"
        if name == "index.html":
            content = admin_page(self.site.settings).encode()
        elif name == "config.yml":
            # the editor's 查看网站 link opens the preview
            settings = dataclasses.replace(self.site.settings, site_url=f"http://127.0.0.1:{self.port}{self.site.base}")
            content = config_yaml(settings, self._taxonomy(), self._year()).encode()
        elif name == SCRIPT:
            content = admin_script(self._year()).encode()
        else:
            found = decap_file(name)
            if found is None:
                return None
            content = found
        return content, CONTENT_TYPES.get(os.path.splitext(name)[1], "application/octet-stream")

    def load_data(self):
        """The plan data as it is now (None when it has errors), read through the save checks' mirror."""
        with self.lock:  # one user of the mirror at a time
            return self.backend.data.load().data

    def _taxonomy(self) -> list[str]:
        return category_choices(self.load_data())

    def _year(self) -> int:
        data = self.load_data()
        return int(site_date_of(data)[:4]) if data is not None and data.plans else time.localtime().tm_year


def _answering(method):
    """A request method that answers a Chinese 500 instead of dropping the connection on a bug."""
    def answer(self: Handler) -> None:
        try:
            method(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a page left while its live-reload poll was open)
        except Exception as err:  # noqa: BLE001 - reported to the browser and the terminal
            print(f"编辑器出错：{type(err).__name__}: {err}（{self.command} {self.path}）", file=sys.stderr)
            try:
                self._refuse(500, f"编辑器内部出错：{type(err).__name__}。终端窗口里有详细信息；请重试或重新运行 plansite edit")
            except OSError:
                pass

    answer.__name__ = method.__name__
    return answer


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "PlanSiteEdit"
    protocol_version = "HTTP/1.1"
    editor: Editor  # set on the subclass made for each server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the console shows what the teacher needs (start, saves refused), not every request

    # ------------------------------------------------------------ answers

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   {"Cache-Control": "no-store"})

    def _refuse(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host in self.editor.allowed_hosts():
            return True
        self._refuse(403, f"拒绝访问：编辑器只接受发往 127.0.0.1:{self.editor.port} 或 localhost:{self.editor.port} 的请求"
                          f"（这个请求的 Host 是 {host or '空'}）")
        return False

    # ------------------------------------------------------------ methods

    @_answering
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        admin = f"{self.editor.site.base}{FOLDER}"
        if path == admin:
            self._send(301, b"", "text/plain", {"Location": admin + "/"})
            return
        if path.startswith(admin + "/"):
            found = self.editor.admin_file(path[len(admin) + 1:])
            if found is None:
                self._refuse(404, f"编辑器里没有这个文件：{path}")
                return
            content, kind = found
            headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
            if kind.startswith("text/html"):
                # as a header too: a <meta> policy cannot say who may frame the page
                headers |= {"Content-Security-Policy": admin_csp(self.editor.site.settings) + "; frame-ancestors 'none'",
                            "X-Frame-Options": "DENY"}
            self._send(200, content, kind, headers)
            return
        if path == "/api/v1":
            self._refuse(405, "本地编辑接口只接受 POST 请求")
            return
        self._proxy()

    do_HEAD = do_GET

    @_answering
    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        if urlsplit(self.path).path != "/api/v1":
            self._refuse(404, f"没有这个接口：{self.path}（本地编辑接口是 POST /api/v1）")
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.editor.allowed_origins():
            self._refuse(403, f"拒绝访问：请求来自别的网页（{origin}），编辑接口只接受编辑器本身的请求")
            return
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            self._refuse(415, "请求内容应当是 JSON（Content-Type: application/json）")
            return
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._refuse(413, f"请求内容为空或过大（上限 {MAX_BODY // 1024 // 1024} MB）")
            return
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._refuse(400, "请求内容不是有效的 JSON")
            return
        with self.editor.lock:  # one save at a time: each is checked against the data as it then is
            status, answer = self.editor.backend.answer(body)
        if status == 200 and self.editor.preview and isinstance(body, dict) and body.get("action") in WRITES:
            self.editor.preview.revive()
        if status >= 400 and isinstance(answer, dict):
            print(f"没有执行 {body.get('action') if isinstance(body, dict) else '?'}：{answer.get('error')}", file=sys.stderr)
        self._json(status, answer)

    @_answering
    def do_PUT(self) -> None:  # noqa: N802
        if self._host_ok():
            self._refuse(405, "编辑器不接受这种请求")

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT

    # ------------------------------------------------------------ preview

    def _proxy(self) -> None:
        """The request, as it is, to the mkdocs serve child; its answer back."""
        conn = http.client.HTTPConnection("127.0.0.1", self.editor.preview_port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        headers["Host"] = f"127.0.0.1:{self.editor.preview_port}"
        try:
            conn.request(self.command, self.path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except OSError:
            self._send(502, "预览还没有准备好，或者已经停止；稍等几秒再刷新。终端窗口里有 mkdocs 的提示。".encode(),
                       "text/plain; charset=utf-8")
            return
        finally:
            conn.close()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v.replace(f"127.0.0.1:{self.editor.preview_port}", f"127.0.0.1:{self.editor.port}"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class EditServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


def make_server(editor: Editor, port: int) -> EditServer:
    """The HTTP server on 127.0.0.1:port (0: any free port); sets editor.port."""
    handler = type("EditHandler", (Handler,), {"editor": editor})
    try:
        server = EditServer(("127.0.0.1", port), handler)
    except OSError as e:
        raise EditError(f"端口 {port} 用不了：{e.strerror}", f"换一个端口，例如 plansite edit --port {port + 1}") from e
    editor.port = server.server_address[1]
    return server


class Preview:
    """`mkdocs serve` of the site on a free port of 127.0.0.1, in a child process. When the data
    has errors it cannot start; the editor stays up, and a save starts it again."""

    def __init__(self, site: EditSite) -> None:
        self.site = site
        self.port = free_port()
        self.child: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
        self.child = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(self.site.config_file),
                                       "-a", f"127.0.0.1:{self.port}"], cwd=self.site.root, env=env)

    def wait(self, timeout: float = READY_TIMEOUT) -> bool:
        """Whether it serves the site within the timeout (False: it ended, the data has errors)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.child is None or self.child.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.site.base)
                if conn.getresponse().status < 500:
                    return True
            except OSError:
                pass
            time.sleep(0.3)
        return False

    def revive(self) -> None:
        """Start it again if it ended (after a save: the data may now build)."""
        with self.lock:
            if self.child is not None and self.child.poll() is not None:
                print("重新启动预览……", file=sys.stderr)
                self.start()

    def stop(self) -> None:
        child = self.child
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(folder: Path, port: int) -> int:
    """`plansite edit`: start, print the addresses, serve until Ctrl-C (or SIGTERM); the preview
    process ends with it."""
    signal.signal(signal.SIGTERM, _interrupt)
    site = open_site(folder)
    preview = Preview(site)
    editor = Editor(site, LocalBackend(Folders(site.root, site.data_dir, site.media_folder)), preview=preview)
    server = make_server(editor, port)
    print(f"正在生成预览（{site.root}）……", flush=True)
    preview.start()
    # the first reading of a large district takes seconds: done now, not when the editor opens
    threading.Thread(target=editor.load_data, daemon=True).start()
    try:
        if not preview.wait():
            print("\n预览没能生成：计划数据有错误（见上面的提示，或运行 plansite check 查看）。编辑器照常可用："
                  "在编辑器里改好、保存后，预览会重新启动。", file=sys.stderr)
        home = f"http://127.0.0.1:{editor.port}{site.base}"
        print(f"\n编辑器：{home}{FOLDER}/\n预览：  {home}\n"
              f"在编辑器里保存，预览几秒后更新。只有这台电脑能打开这两个地址。按 Ctrl+C 结束。\n", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("\n已结束编辑。")
    finally:
        server.server_close()
        preview.stop()
        editor.backend.data.close()
    return 0
