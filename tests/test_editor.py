"""The web editor without a browser: config.yml made from the data model, Decap's local backend in
Python (every action, every refusal in Chinese, saves checked by the loader), the edit server's
Host and Origin checks, and the round trip: every demo file and every imported plan, opened and
saved as Decap would, means the same to the loader (tests/decap.py says what Decap does)."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import re
import dataclasses
import http.client
import json
import os
import shutil
import threading
import urllib.error
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, SHARED, report
from decap import WidgetLoss, check_widgets, decap_dump, decap_parse, frontmatter_dump, frontmatter_parse, tidy
from plansite.adapters.cli import main
from plansite.adapters.config import validate_options
from plansite.adapters.editor.localapi import Folders, LocalBackend
from plansite.adapters.editor.server import EditSite, Editor, make_server
from plansite.adapters.editor.shape import editor_text
from plansite.input import model as m
from plansite.input.categories import CategoryFile
from plansite.input.load import load_plan_data
from plansite.output.admin import files as admin
from plansite.output.admin.cmsconfig import HIDDEN, LABELS, EditorSettings, ModelDrift, cms_config, editor_settings
from plansite.output.admin.files import term_ids

TAXONOMY = ["课题研究", "校本培训", "读书活动"]


def copy_site(tmp_path: Path, data: Path = ROOT / "plan_data") -> Path:
    site = tmp_path / "site"
    shutil.copytree(data, site / "plan_data")
    (site / "docs" / "uploads").mkdir(parents=True)
    return site


def backend(site: Path) -> LocalBackend:
    return LocalBackend(Folders(site, "plan_data", "docs/uploads"))


def call(api: LocalBackend, action: str, **params) -> tuple[int, object]:
    return api.answer({"action": action, "params": {"branch": "main", **params}})


def collection(name: str) -> dict:
    return next(c for c in cms_config(EditorSettings(), TAXONOMY)["collections"] if c["name"] == name)


# ------------------------------------------------------------------ config.yml


def test_config_has_every_field_of_the_model_with_a_chinese_label():
    config = cms_config(EditorSettings(), TAXONOMY)
    assert config["locale"] == "zh_Hans"
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    names = {c["name"] for c in config["collections"]}
    assert names == {"plans", "measures", "schools", "projects", "categories", "uploads"}

    def fields_of(fields: list[dict], prefix: str = "") -> dict[str, dict]:
        out = {}
        for f in fields:
            out[prefix + f["name"]] = f
            out |= fields_of(f.get("fields", []), prefix + f["name"] + ".")
        return out

    plans = fields_of(collection("plans")["fields"])
    for model, prefix in ((m.PlanFile, ""), (m.PlanProjectFile, "projects."), (m.BlockFile, "schedule."),
                          (m.ItemFile, "schedule.items.")):
        for name in model.model_fields:
            if (model, name) not in HIDDEN:
                assert prefix + name in plans, f"{model.__name__}.{name} is not in the plan form"
    assert "id" not in plans and "slug" not in plans  # set once from school and term; URL names never from a form
    schools = fields_of(collection("schools")["fields"])
    projects = fields_of(collection("projects")["fields"])
    assert set(schools) == {n for n in m.SchoolFile.model_fields if (m.SchoolFile, n) not in HIDDEN}
    assert set(projects) == {n for n in m.ProjectFile.model_fields if (m.ProjectFile, n) not in HIDDEN} | {
        f"stages.{n}" for n in m.StageFile.model_fields}
    every = [*plans.values(), *schools.values(), *projects.values()]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in f["label"]) for f in every)
    # the widgets the model's types and WIDGETS call for
    assert plans["school"]["widget"] == "relation" and plans["school"]["collection"] == "schools"
    assert plans["schedule.items.projects"] | {} == plans["schedule.items.projects"]
    assert plans["schedule.items.projects"]["multiple"] is True
    assert plans["schedule.items.category"] == plans["schedule.items.category"] | {"widget": "select", "options": TAXONOMY}
    assert plans["guiding"]["widget"] == "markdown" and plans["guiding"]["modes"][0] == "raw"
    assert plans["projects.stage"]["options"] == list(m.STAGES)
    assert projects["level"]["options"] == list(m.LEVELS) and projects["stages.stage"]["options"] == list(m.STAGES)
    assert plans["schedule.items"]["widget"] == "list" and "fields" in plans["schedule.items"]
    assert plans["goals"]["widget"] == "list" and plans["goals"]["field"]["widget"] == "text"
    assert plans["term"].get("required", True) and plans["who" if False else "schedule.items.who"]["required"] is False
    assert plans["office"]["default"] == "教科室"
    # hints carry the guide's examples
    assert "9月10日" in plans["schedule.items.date"]["hint"] or "10月25日" in plans["schedule.items.date"]["hint"]
    assert "2026秋" in plans["term"]["hint"]
    assert schools["id"]["pattern"][0] == r"^[a-z0-9]+(-[a-z0-9]+)*$"
    categories = collection("categories")["files"][0]
    assert categories["file"] == "plan_data/categories.yml"
    assert [f["name"] for f in categories["fields"][0]["fields"]] == list(CategoryFile.model_fields)


def test_a_model_field_without_a_label_stops_the_generation(monkeypatch):
    """A field added to the model and not to the editor: the generation says which, never skips it."""
    monkeypatch.delitem(LABELS, (m.ItemFile, "who"))
    with pytest.raises(ModelDrift, match="ItemFile.who"):
        cms_config(EditorSettings(), TAXONOMY)


def test_editor_option_and_git_backends():
    options, errors = validate_options({})
    assert errors == [] and editor_settings(options) is None  # off unless asked for
    options, errors = validate_options({"editor": {"enabled": True}})
    assert errors == [] and editor_settings(options).backend == "local"
    _, errors = validate_options({"editor": {"enabled": True, "backend": "gitea"}})
    assert errors and "repo" in errors[0] and "编辑器用 gitea 时要写" in errors[0]
    options, errors = validate_options({"editor": {"enabled": True, "backend": "gitea", "repo": "qh/jky",
                                                   "base_url": "https://git.qhjy.cn/", "app_id": "4f8c"}})
    settings = dataclasses.replace(editor_settings(options), site_name="青禾区教科研")
    backend_ = cms_config(settings, TAXONOMY)["backend"]
    assert backend_ == {"name": "gitea", "repo": "qh/jky", "branch": "main", "base_url": "https://git.qhjy.cn",
                        "api_root": "https://git.qhjy.cn/api/v1", "app_id": "4f8c"}
    # the page may fetch from the Git host it commits to, and from nowhere else
    assert "connect-src 'self' blob: https://git.qhjy.cn;" in admin.admin_csp(settings)
    assert "connect-src 'self' blob:;" in admin.admin_csp(EditorSettings())  # blob: the files a teacher picked
    page = admin.admin_page(settings)
    assert "https://git.qhjy.cn" in page and "<script>" not in page and "青禾区教科研" in page


def test_vendored_decap_is_complete_and_same_origin():
    names = admin.decap_names()
    assert "decap-cms.js" in names and sum(n.endswith(".decap-cms.js") for n in names) > 50
    assert admin.decap_version().startswith("3.16.")
    assert b"MIT License" in admin.decap_file("decap-cms.LICENSE.txt")
    bundle = admin.decap_file("decap-cms.js")
    # every chunk the bundle can ask for is shipped: webpack names them <id>.decap-cms.js
    assert b'__webpack_require__.u=e=>e+".decap-cms.js"' in bundle
    assert admin.decap_file("../load.py") is None and admin.decap_file("VERSION") is None


def test_the_editor_files_are_package_data():
    """A school installs PlanSite from a wheel: the vendored Decap and the page script travel in it."""
    import fnmatch
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"][
        "plansite"]
    package = ROOT / "plugins" / "plansite"
    files = [p.relative_to(package).as_posix() for p in (package / "output" / "admin").rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert len(files) > 90
    assert [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)] == []


def test_new_plan_ids_come_from_the_term_parser():
    ids = term_ids(2026)
    assert ids["2026秋"] == "2026-autumn" and ids["2027春"] == "2027-spring"
    assert ids["2026-2027学年第一学期"] == "2026-autumn" and ids["2026-2027学年第二学期"] == "2027-spring"
    assert ids["2026学年"] == "2026-year" and ids["2026年秋季学期"] == "2026-autumn"
    script = admin.admin_script(2026)
    assert '"2026秋":"2026-autumn"' in script and "/*TERMS*/" not in script


# ------------------------------------------------------------------ the local backend


def test_local_backend_actions_answer_as_decap_server_does(tmp_path):
    site = copy_site(tmp_path)
    api = backend(site)
    assert call(api, "info") == (200, {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"})
    status, entries = call(api, "entriesByFolder", folder="plan_data/plans", extension="yml", depth=1)
    assert status == 200 and len(entries) == len(list((site / "plan_data/plans").glob("*.yml")))
    first = entries[0]
    assert set(first) == {"data", "file"} and set(first["file"]) == {"path", "id"}
    assert first["file"]["path"].startswith("plan_data/plans/") and len(first["file"]["id"]) == 64
    status, entry = call(api, "getEntry", path="plan_data/schools/qinghe-shixiao.yml")
    assert status == 200 and "清河区实验小学" in entry["data"]
    assert call(api, "getEntry", path="plan_data/schools/nope.yml") == (
        200, {"data": None, "file": {"path": "plan_data/schools/nope.yml", "id": None}})
    status, entries = call(api, "entriesByFiles", files=[{"path": "plan_data/schools/qinghe-shixiao.yml", "label": "x"}])
    assert status == 200 and entries[0]["file"]["label"] == "x"
    # categories: the shipped taxonomy until the site keeps its own
    status, entry = call(api, "getEntry", path="plan_data/categories.yml")
    assert status == 200 and yaml.safe_load(entry["data"])["categories"][0]["name"] == "课题研究"
    # media
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
    status, media = call(api, "persistMedia", asset={"path": "docs/uploads/a.png", "content": png, "encoding": "base64"},
                         options={"commitMessage": "x"})
    assert status == 200 and media["name"] == "a.png" and media["encoding"] == "base64"
    assert (site / "docs/uploads/a.png").read_bytes().startswith(b"\x89PNG")
    assert call(api, "getMedia", mediaFolder="docs/uploads")[1][0]["path"] == "docs/uploads/a.png"
    assert call(api, "getMediaFile", path="docs/uploads/a.png")[1]["content"] == png
    assert call(api, "deleteFile", path="docs/uploads/a.png", options={"commitMessage": "x"}) == (
        200, {"message": "deleted file docs/uploads/a.png"})
    assert call(api, "getDeployPreview", collection="plans", slug="x") == (200, None)
    status, answer = call(api, "unpublishedEntries")
    assert status == 422 and "审核流程" in answer["error"]
    status, answer = call(api, "nonsense")
    assert status == 422 and "未知操作" in answer["error"]
    assert api.answer([1, 2])[0] == 422 and "JSON" in api.answer("x")[1]["error"]


def test_a_save_is_written_and_a_new_plan_gets_its_ascii_file(tmp_path):
    site = copy_site(tmp_path)
    api = backend(site)
    path = "plan_data/plans/qinghe-2026-autumn.yml"
    data = decap_parse(call(api, "getEntry", path=path)[1]["data"])
    data["schedule"][0]["items"].append({"text": "教科室组织“家校共读”沙龙。", "date": "9月26日"})
    status, answer = call(api, "persistEntry", dataFiles=[{"path": path, "slug": "qinghe-2026-autumn",
                                                           "raw": decap_dump(tidy(data), collection("plans")["fields"])}],
                          assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": "draft"})
    assert (status, answer) == (200, {"message": "entry persisted"})
    plan = load_plan_data(site / "plan_data").data.plans["qinghe-2026-autumn"]
    assert plan.schedule[0].items[-1].text == "教科室组织“家校共读”沙龙。"
    assert plan.schedule[0].items[-1].date.start.isoformat() == "2026-09-26"


@pytest.mark.parametrize("path, status, words", [
    ("plan_data/../mkdocs.yml", 403, ".."),
    ("/etc/passwd", 403, "绝对路径"),
    ("C:/Windows/win.ini", 403, "绝对路径"),
    ("plan_data\\..\\mkdocs.yml", 400, "反斜杠"),
    ("plan_data/./plans/x.yml", 403, ".."),
    (".git/config", 403, "隐藏"),
    ("plan_data/.git/hooks/pre-commit", 403, "隐藏"),
    ("mkdocs.yml", 403, "不在编辑器管理的文件夹里"),
    ("docs/about.md", 403, "不在编辑器管理的文件夹里"),
    ("", 422, "文件路径"),
    (None, 422, "文件路径"),
])
def test_paths_outside_the_editors_folders_are_refused_in_chinese(tmp_path, path, status, words):
    site = copy_site(tmp_path)
    (site / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    api = backend(site)
    for action, params in (("getEntry", {"path": path}),
                           ("persistEntry", {"dataFiles": [{"path": path, "slug": "x", "raw": "x: 1\n"}], "assets": [],
                                             "options": {}}),
                           ("deleteFile", {"path": path, "options": {}}),
                           ("persistMedia", {"asset": {"path": path, "content": "eA==", "encoding": "base64"}})):
        got, answer = call(api, action, **params)
        assert got == status and words in answer["error"], (action, answer)
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: x\n"
    got, answer = call(api, "entriesByFolder", folder="plan_data/..", extension="yml", depth=1)
    assert got == 403


def test_symlinks_out_of_the_site_are_not_followed(tmp_path):
    site = copy_site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text("name: 秘密\n", encoding="utf-8")
    (site / "plan_data/schools/secret.yml").symlink_to(outside / "secret.yml")
    (site / "plan_data/linked").symlink_to(outside, target_is_directory=True)
    api = backend(site)
    for action, params in (("getEntry", {"path": "plan_data/schools/secret.yml"}),
                           ("getEntry", {"path": "plan_data/linked/secret.yml"}),
                           ("persistEntry", {"dataFiles": [{"path": "plan_data/linked/new.yml", "slug": "n",
                                                            "raw": "x\n"}], "assets": [], "options": {}}),
                           ("entriesByFolder", {"folder": "plan_data/linked", "extension": "yml", "depth": 1})):
        status, answer = call(api, action, **params)
        assert status == 403 and "符号链接" in answer["error"], (action, answer)
    status, entries = call(api, "entriesByFolder", folder="plan_data/schools", extension="yml", depth=1)
    assert status == 200 and "plan_data/schools/secret.yml" not in [e["file"]["path"] for e in entries]
    assert sorted(p.name for p in outside.iterdir()) == ["secret.yml"]


def test_a_save_that_breaks_the_data_is_refused_with_the_loaders_words(tmp_path):
    site = copy_site(tmp_path)
    api = backend(site)
    path = "plan_data/plans/qinghe-2026-autumn.yml"
    before = (site / path).read_bytes()
    data = decap_parse(call(api, "getEntry", path=path)[1]["data"])
    data["schedule"][0]["items"][0]["date"] = "2月30日"
    status, answer = call(api, "persistEntry", dataFiles=[{"path": path, "slug": "x", "raw": yaml.safe_dump(
        data, allow_unicode=True)}], assets=[], options={})
    assert status == 422
    assert answer["error"].startswith("没有保存：这样保存后数据有 1 处错误")
    # named as the form names it, then as the file does
    assert "· 行事历第1项 › 工作第1项 › 日期：2月不在2026年秋季学期" in answer["error"]
    assert "schedule[0].items[0].date）" in answer["error"] and "\n  提示：" in answer["error"]
    assert (site / path).read_bytes() == before
    mirror = api.data.mirror
    assert mirror.is_dir() and not mirror.is_relative_to(site)  # checked on a copy, outside the site
    # deleting a school that plans name is refused too; deleting nothing new is not
    status, answer = call(api, "deleteFile", path="plan_data/schools/qinghe-shixiao.yml", options={})
    assert status == 422 and "qinghe-shixiao" in answer["error"]
    assert (site / "plan_data/schools/qinghe-shixiao.yml").is_file()
    api.data.close()
    assert not mirror.exists()


# ------------------------------------------------------------------ the edit server's door


@pytest.fixture
def door(tmp_path):
    """The edit server without its preview (nothing to proxy to): the API and /admin/ on a free port."""
    site = copy_site(tmp_path)
    (site / "mkdocs.yml").write_text("site_name: 青禾\n", encoding="utf-8")
    editor = Editor(EditSite(site, site / "mkdocs.yml", "plan_data", "docs/uploads", "青禾", "/"), backend(site))
    server = make_server(editor, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield editor
    server.shutdown()
    server.server_close()


def ask(editor: Editor, method: str, path: str, body: bytes | None = None, **headers: str):
    conn = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=10)
    headers.setdefault("Host", f"127.0.0.1:{editor.port}")
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.getheader("Content-Type"), response.read(), response


def test_the_edit_server_answers_only_its_own_host_and_origin(door):
    info = json.dumps({"action": "info"}).encode()
    status, kind, body, _ = ask(door, "POST", "/api/v1", info, **{"Content-Type": "application/json"})
    assert status == 200 and json.loads(body)["type"] == "local_fs"
    status, kind, body, _ = ask(door, "POST", "/api/v1", info, **{"Content-Type": "application/json",
                                                                  "Host": f"localhost:{door.port}"})
    assert status == 200
    for host in ("evil.example", f"evil.example:{door.port}", "127.0.0.1", f"127.0.0.1:{door.port + 1}"):
        for method, path in (("POST", "/api/v1"), ("GET", "/admin/"), ("GET", "/")):
            status, kind, body, _ = ask(door, method, path, info, Host=host, **{"Content-Type": "application/json"})
            assert status == 403 and kind.startswith("application/json"), (host, path)
            assert "拒绝访问" in json.loads(body)["error"]
    status, _, body, _ = ask(door, "POST", "/api/v1", info, Origin="http://evil.example",
                             **{"Content-Type": "application/json"})
    assert status == 403 and "别的网页" in json.loads(body)["error"]
    status, _, body, _ = ask(door, "POST", "/api/v1", info, **{"Content-Type": "text/plain"})
    assert status == 415 and "JSON" in json.loads(body)["error"]
    status, _, body, _ = ask(door, "POST", "/api/v1", b"{not json", **{"Content-Type": "application/json"})
    assert status == 400 and "JSON" in json.loads(body)["error"]
    status, _, body, _ = ask(door, "GET", "/api/v1")
    assert status == 405 and "POST" in json.loads(body)["error"]
    traversal = json.dumps({"action": "getEntry", "params": {"path": "../../etc/passwd"}}).encode()
    status, _, body, _ = ask(door, "POST", "/api/v1", traversal, **{"Content-Type": "application/json"})
    assert status == 403 and ".." in json.loads(body)["error"]


def test_the_edit_server_serves_the_editor_under_its_own_policy(door):
    status, kind, body, response = ask(door, "GET", "/admin/")
    assert status == 200 and kind.startswith("text/html")
    policy = response.getheader("Content-Security-Policy")
    assert "connect-src 'self' blob:;" in policy and "frame-ancestors 'none'" in policy and "https:" not in policy
    assert b'src="decap-cms.js"' in body and b"<script>" not in body
    status, kind, body, _ = ask(door, "GET", "/admin/config.yml")
    config = yaml.safe_load(body)
    assert kind.startswith("text/yaml") and config["backend"]["proxy_url"] == "/api/v1"
    assert config["collections"][0]["folder"] == "plan_data/plans"
    assert "校本培训" in next(f for f in config["collections"][0]["fields"] if f["name"] == "schedule")["fields"][2][
        "fields"][3]["options"]
    status, kind, body, _ = ask(door, "GET", "/admin/decap-cms.js")
    assert status == 200 and kind.startswith("text/javascript") and len(body) > 1_000_000
    assert ask(door, "GET", "/admin/../plan_data/slugs.yml")[0] in (403, 404)
    assert ask(door, "GET", "/admin/nothing.js")[0] == 404
    status, kind, body, _ = ask(door, "GET", "/")  # the preview is not running here
    assert status == 502 and "预览" in body.decode()


# ------------------------------------------------------------------ the round trip


def meaning(data: m.PlanData) -> dict:
    """PlanData without the lines things were written on (saving moves them)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "line"}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    return strip({"schools": {k: dataclasses.asdict(v) for k, v in data.schools.items()},
                  "plans": {k: dataclasses.asdict(v) for k, v in data.plans.items()},
                  "projects": {k: dataclasses.asdict(v) for k, v in data.projects.items()},
                  "taxonomy": [c.model_dump() for c in data.taxonomy.categories]})


def save_everything_as_decap_would(site: Path) -> int:
    """Open and save, unchanged, every entry of every collection through the local backend."""
    api = backend(site)
    saved = 0
    for name in ("plans", "schools", "projects", "measures"):
        c = collection(name)
        status, entries = call(api, "entriesByFolder", folder=c["folder"], extension=c["extension"], depth=1)
        assert status == 200
        for entry in entries:
            path = entry["file"]["path"]
            if name == "measures":
                raw = frontmatter_dump(tidy(frontmatter_parse(entry["data"])))
            else:
                data = decap_parse(entry["data"])
                check_widgets(data, c["fields"], path)
                raw = decap_dump(tidy(data), c["fields"])
            status, answer = call(api, "persistEntry", dataFiles=[{"path": path, "slug": Path(path).stem, "raw": raw}],
                                  assets=[], options={"commitMessage": "x", "useWorkflow": False, "status": "draft"})
            assert status == 200, f"{path}: {answer}"
            saved += 1
    files = collection("categories")["files"][0]
    data = decap_parse(call(api, "getEntry", path=files["file"])[1]["data"])
    check_widgets(data, files["fields"], files["file"])
    status, answer = call(api, "persistEntry", dataFiles=[{"path": files["file"], "slug": "categories",
                                                           "raw": decap_dump(tidy(data), files["fields"])}], assets=[],
                          options={})
    assert status == 200, answer
    return saved + 1


def assert_round_trip(site: Path) -> int:
    before = load_plan_data(site / "plan_data")
    assert before.errors == [], before.errors[:3]
    saved = save_everything_as_decap_would(site)
    after = load_plan_data(site / "plan_data")
    assert after.errors == [], "\n".join(map(str, after.errors[:5]))
    assert meaning(after.data) == meaning(before.data)
    assert {str(w).split(" ", 1)[1] for w in after.warnings} <= {str(w).split(" ", 1)[1] for w in before.warnings}
    return saved


def test_what_decap_would_do_without_the_editor_shape_changes_meaning(tmp_path):
    """The test's model of Decap is strict enough to see the two losses the editor shape prevents."""
    text = "school: a\nterm: 2026秋\ntitle: t\nschedule:\n- label: 四月\n  items:\n  - 制订计划。\n  - text: 读书节\n    date: 4.10\n"
    data = decap_parse(text)
    assert data["schedule"][0]["items"][1]["date"] == 4.1  # YAML 1.2: a number
    with pytest.raises(WidgetLoss, match="对象列表里混有"):
        check_widgets(data, collection("plans")["fields"])
    shaped = decap_parse(editor_text("plans", text))
    check_widgets(shaped, collection("plans")["fields"])
    assert shaped["schedule"][0]["items"] == [{"text": "制订计划。"}, {"text": "读书节", "date": "4.10"}]


def test_every_demo_file_saved_by_the_editor_means_the_same(tmp_path):
    site = copy_site(tmp_path)
    # a hand-written file in every other form the loader reads: a level and a stage written short,
    # numbers-looking dates and terms, a plain project line
    extra = site / "plan_data/plans/qinghe-2027-spring.yml"
    extra.write_text("school: qinghe-shixiao\nterm: 2027春\ntitle: 清河区实验小学2027年春季教科室工作计划\n"
                     "projects:\n- qh-zhengben-yuedu\n- id: qh-kexue-xiangmu\n  stage: 结题鉴定\n"
                     "schedule:\n- label: 四月\n  items:\n  - 制订计划。\n  - text: 读书节开幕。\n    date: 4.10\n"
                     "  - {text: 教研活动, date: 4.11～4.17, who: 'yes'}\n- label: 5月\n  items: [1.5, 2027]\n",
                     encoding="utf-8")
    project = site / "plan_data/projects/qh-zhengben-yuedu.yml"
    project.write_text(project.read_text(encoding="utf-8").replace("level: 市级", "level: 市"), encoding="utf-8")
    saved = assert_round_trip(site)
    assert "level: 市级" in project.read_text(encoding="utf-8")  # the full form, meaning the same
    assert "date: '4.10'" in extra.read_text(encoding="utf-8") or 'date: "4.10"' in extra.read_text(encoding="utf-8")
    report(f"editor round trip: {saved} demo files opened and saved, the same meaning")


IMPORTS = [
    (["importer/single.txt"], ["--school", "青禾区实验小学"]),
    (["importer/collection.txt"], []),
    (["importer/variants.txt", "importer/weeks.txt"], ["--school", "白沙小学"]),
    (["firstday/qinghe-autumn.txt", "firstday/spring-untitled.txt"], ["--school", "青禾区第二实验小学"]),
]


def import_into(site: Path, runs, capsys) -> None:
    for files, extra in runs:
        args = ["import", *map(str, files), "--out", str(site / "plan_data"), "--term", "2026秋", *extra]
        assert main(args) == 0, capsys.readouterr().err
    capsys.readouterr()


def test_every_imported_plan_saved_by_the_editor_means_the_same(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "plan_data").mkdir(parents=True)
    import_into(site, [([FIXTURES / f for f in files], extra) for files, extra in IMPORTS], capsys)
    plans = len(list((site / "plan_data/plans").glob("*.yml")))
    assert plans >= 5
    assert_round_trip(site)
    report(f"editor round trip: {plans} plans imported from the fixtures, the same meaning")


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/seeds (test material) is not here")
def test_every_imported_seed_plan_saved_by_the_editor_means_the_same(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "plan_data").mkdir(parents=True)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    import_into(site, [(seeds[1:4], []), (seeds[:1], ["--school", "白沙小学"]), (seeds[4:], ["--school", "安海小学"])],
                capsys)
    plans = len(list((site / "plan_data/plans").glob("*.yml")))
    saved = assert_round_trip(site)
    report(f"editor round trip: {plans} plans imported from the seeds ({saved} files), the same meaning")


# ------------------------------------------------------------------ sign-in through a Git host: plansite new --git


GIT_HOST = "https://git.qhjks.cn"  # a district's own Gitea (fictional)


def new_site(tmp_path: Path, name: str, *git: str) -> tuple[Path, str]:
    """A site made by `plansite new … --git …` (in this process); (its folder, what new printed)."""
    from test_newsite import OUR_URL

    site = tmp_path / name
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["new", str(site), "--name", "青禾区教科研", "--school", "青禾区实验小学", "--site-url", OUR_URL, *git])
    assert status == 0, out.getvalue()
    return site, out.getvalue()


def mkdocs_options(site: Path):
    """The site's mkdocs.yml as MkDocs loads and validates it, and its plansite plugin's options."""
    from mkdocs.config import load_config

    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "environ", env)
        config = load_config(str(site / "mkdocs.yml"))
    return config, config.plugins["plansite"].config


@pytest.mark.parametrize("git, backend", [
    (["--git", "gitea", "--repo", "qhjks/jiaokeyan", "--git-url", GIT_HOST + "/", "--app-id", "8a2c1f0e-qh"],
     {"name": "gitea", "repo": "qhjks/jiaokeyan", "branch": "main", "base_url": GIT_HOST,
      "api_root": GIT_HOST + "/api/v1", "app_id": "8a2c1f0e-qh"}),
    (["--git", "forgejo", "--repo", "qhjks/jiaokeyan", "--git-url", GIT_HOST, "--app-id", "8a2c1f0e-qh"],
     {"name": "forgejo", "repo": "qhjks/jiaokeyan", "branch": "main", "base_url": GIT_HOST,
      "api_root": GIT_HOST + "/api/v1", "app_id": "8a2c1f0e-qh"}),
    (["--git", "github", "--repo", "qhjks/jiaokeyan", "--git-url", "https://oauth.qhjks.cn"],
     {"name": "github", "repo": "qhjks/jiaokeyan", "branch": "main", "base_url": "https://oauth.qhjks.cn",
      "auth_endpoint": "auth"}),
])
def test_new_with_a_git_host_writes_the_editors_backend(tmp_path, git, backend):
    """mkdocs.yml validates as MkDocs loads it, and config.yml gets the backend block Decap reads
    (Decap's docs: gitea/forgejo sign in with PKCE from base_url and app_id, the API at api_root;
    github through an OAuth helper at base_url, which Decap opens at auth_endpoint)."""
    site, printed = new_site(tmp_path, "our-site", *git)
    config, options = mkdocs_options(site)
    settings = editor_settings(options)
    assert settings is not None and "编辑器还没有打开" not in printed
    assert cms_config(settings, TAXONOMY)["backend"] == backend
    # the page may talk to that host (or helper) and to nothing else
    allowed = re.search(r"connect-src ([^;]*)", admin.admin_csp(settings)).group(1).split()
    assert allowed[:2] == ["'self'", "blob:"] and backend["base_url"] in allowed
    assert len(allowed) == (4 if backend["name"] == "github" else 3)  # github: api.github.com too


def test_new_with_a_git_host_but_no_client_id_yet_writes_the_editor_switched_off(tmp_path):
    site, printed = new_site(tmp_path, "our-site", "--git", "gitea", "--repo", "qhjks/jiaokeyan", "--git-url", GIT_HOST)
    _, options = mkdocs_options(site)
    assert editor_settings(options) is None and options.editor.backend == "gitea"
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "客户端 ID 写进 app_id，enabled 改为 true" in text
    assert "网页编辑器还没有打开" in printed and "app_id" in printed


@pytest.mark.parametrize("git, said", [
    (["--git", "gitea", "--repo", "qhjks/jiaokeyan"], "--git-url"),
    (["--git", "gitea", "--repo", "jiaokeyan", "--git-url", GIT_HOST], "--repo"),
    (["--git", "github", "--repo", "qhjks/jiaokeyan", "--git-url", "http://oauth.qhjks.cn"], "--git-url"),
    (["--git", "forgejo", "--repo", "qhjks/jiaokeyan", "--git-url", GIT_HOST, "--app-id", "a b"], "--app-id"),
    (["--repo", "qhjks/jiaokeyan"], "--git"),
])
def test_new_refuses_a_bad_git_argument_before_writing_anything(tmp_path, capsys, git, said):
    site = tmp_path / "our-site"
    status = main(["new", str(site), "--name", "青禾区教科研", *git])
    err = capsys.readouterr().err
    assert status == 2 and said in err and "提示：" in err and "Traceback" not in err
    assert not site.exists()


# ------------------------------------------------------------------ /admin/ in a build


def test_a_new_site_with_gitea_builds_admin_under_its_own_policy(tmp_path, capsys):
    """The one real build of this module: a site made by plansite new --git gitea, with a plan
    imported from the fixtures."""
    from conftest import build_site

    site, _ = new_site(tmp_path, "our-site", "--git", "gitea", "--repo", "qhjks/jiaokeyan", "--git-url", GIT_HOST,
                       "--app-id", "8a2c1f0e-qh")
    import_into(site, [([FIXTURES / "importer/single.txt"], ["--school", "青禾区实验小学"])], capsys)
    built = build_site(site, tmp_path / "built")
    page = (built / "admin/index.html").read_text(encoding="utf-8")
    policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    settings = EditorSettings(backend="gitea", base_url=GIT_HOST)
    assert [html.unescape(p) for p in policies] == [admin.admin_csp(settings)]  # its own, and only that
    assert "<script>" not in page and 'src="decap-cms.js"' in page and "青禾区教科研" in page
    config_yml = yaml.safe_load((built / "admin/config.yml").read_text(encoding="utf-8"))
    assert config_yml["backend"] == {"name": "gitea", "repo": "qhjks/jiaokeyan", "branch": "main", "base_url": GIT_HOST,
                                     "api_root": GIT_HOST + "/api/v1", "app_id": "8a2c1f0e-qh"}
    assert config_yml["locale"] == "zh_Hans" and config_yml["site_url"] == "https://jky.qhjks.cn/"
    assert [c["folder"] for c in config_yml["collections"] if "folder" in c][0] == "plan_data/plans"
    assert {p.name for p in (built / "admin").iterdir()} >= {*admin.decap_names(), *admin.NOTICES, admin.SCRIPT}
    assert (built / "admin/decap-cms.js").read_bytes() == admin.decap_file("decap-cms.js")
    # every other page keeps the site's policy, which the editor's never loosens
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "'unsafe-eval'" not in home and 'http-equiv="Content-Security-Policy"' in home
    assert "admin/" not in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_plansite_edit_starts_on_broken_data_and_a_fixing_save_brings_the_preview(tmp_path):
    """The data has an error, so the preview cannot build: the editor still opens, and the save
    that fixes the plan starts the preview. The site lives under site_url's path (/mini/)."""
    import subprocess
    import sys
    import urllib.request

    from test_serve import _free_port, _stop, _wait

    project = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", project)
    plan = project / "plan_data/plans/dongpo-2026-autumn.yml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good.replace("term: 2026秋", "term: 2026秋天"), encoding="utf-8")
    port = _free_port()
    log = tmp_path / "edit.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "plansite.adapters.cli", "edit", str(project), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUTF8="1"))
    base = f"http://127.0.0.1:{port}/mini/"

    def status(url: str) -> int:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return 0

    try:
        _wait(lambda: "编辑器：" in log.read_text(encoding="utf-8"), 180, "plansite edit")
        text = log.read_text(encoding="utf-8")
        assert "预览没能生成" in text and "无法识别的学期 '2026秋天'" in text and f"{base}admin/" in text
        assert status(base + "admin/") == 200 and status(base) == 502
        door = Editor(EditSite(project, project / "mkdocs.yml", "plan_data", "docs/uploads", "", "/mini/"),
                      backend(project), port=port)
        body = json.dumps({"action": "getEntry", "params": {"path": "plan_data/plans/dongpo-2026-autumn.yml"}})
        got = json.loads(ask(door, "POST", "/api/v1", body.encode(), **{"Content-Type": "application/json"})[2])
        fixed = got["data"].replace("term: 2026秋天", "term: 2026秋")
        save = json.dumps({"action": "persistEntry", "params": {"dataFiles": [
            {"path": "plan_data/plans/dongpo-2026-autumn.yml", "slug": "dongpo-2026-autumn", "raw": fixed}],
            "assets": [], "options": {}}})
        assert ask(door, "POST", "/api/v1", save.encode(), **{"Content-Type": "application/json"})[0] == 200
        _wait(lambda: status(base) == 200, 180, "the preview after the fixing save")
        assert proc.poll() is None
    finally:
        _stop(proc)
    assert "Traceback" not in log.read_text(encoding="utf-8")


# ------------------------------------------------------------------ /admin/ under `mkdocs serve`


def test_serve_rebuilds_admin_when_what_it_reads_changes_and_only_then(tmp_path):
    """The admin outputs declare what they read (the editor option, the site's name, address and
    date, the category list): a rebuild makes them again when an edit changes one of these, gives
    what a full generation gives, and takes them over otherwise."""
    from plansite.output.build import build_pages
    from plansite.output.incremental import generate
    from plansite.output.site import Site

    data_dir = tmp_path / "plan_data"
    shutil.copytree(FIXTURES / "mini" / "plan_data", data_dir)
    settings = {"site_name": "测试区", "site_url": "https://example.org/mini/", "editor": EditorSettings()}

    def site(**changed) -> Site:
        return Site(load_plan_data(data_dir).data, **(settings | changed))

    def config_of(outputs) -> dict:
        return yaml.safe_load(next(o for o in outputs if o.path == "admin/config.yml").content)

    previous, _ = generate(site())
    admin_paths = {o.path for o in previous.outputs if o.path.startswith("admin/")}
    assert "admin/config.yml" in admin_paths and "admin/decap-cms.js" in admin_paths
    plan = data_dir / "plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("category: 公开课", "category: 同课异构"), encoding="utf-8")
    steps = [("an item given a category of its own", {}, True),
             ("an item's text", None, False),
             ("the site's name", {"site_name": "测试区教科研"}, True),
             ("the editor's backend", {"editor": EditorSettings(backend="gitea", repo="qh/jky", base_url=GIT_HOST,
                                                                 app_id="x")}, True)]
    for what, changed, remade in steps:
        if changed is None:
            plan.write_text(plan.read_text(encoding="utf-8").replace("- text: ", "- text: 改写：", 1), encoding="utf-8")
            changed = {}
        settings |= changed
        previous, _ = generate(site(), previous)
        made = admin_paths & set(previous.made)
        assert bool(made) == remade, what
        full = {o.path: o.content for o in build_pages(site())}
        assert {p: o.content for p, o in ((o.path, o) for o in previous.outputs) if p in admin_paths} == {
            p: full[p] for p in admin_paths}, what
    config = config_of(previous.outputs)
    plans = next(c for c in config["collections"] if c["name"] == "plans")
    schedule = next(f for f in plans["fields"] if f["name"] == "schedule")
    items = next(f for f in schedule["fields"] if f["name"] == "items")
    category = next(f for f in items["fields"] if f["name"] == "category")
    assert "同课异构" in category["options"] and config["backend"]["name"] == "gitea"


def test_the_guides_editor_settings_are_valid_and_give_the_backends_it_describes():
    """Each `editor:` block of docs/guide/editor.md, as a teacher would copy it (the client id filled
    in), passes the plugin's validation and gives config.yml the backend keys the guide names."""
    guide = (ROOT / "docs/guide/editor.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)\n```", guide, re.S) if "editor:" in b]
    assert len(blocks) == 2
    backends = []
    for block in blocks:
        raw = yaml.safe_load(block.replace("客户端ID", "8a2c1f0e-qh"))["plugins"][0]["plansite"]
        options, errors = validate_options(raw)
        assert errors == [], errors
        backends.append(cms_config(editor_settings(options), TAXONOMY)["backend"])
    gitea, github = backends
    assert gitea["name"] == "gitea" and gitea["api_root"] == gitea["base_url"] + "/api/v1"
    assert github["name"] == "github" and github["auth_endpoint"] == "auth"
    for backend, said in ((gitea, "`backend` 一段是 `name`、`repo`、`branch`、`base_url`、`api_root`"),
                          (github, "`backend` 一段是 `name: github`、`repo`、`branch`、`base_url` 和 `auth_endpoint: auth`")):
        assert said in guide
        assert list(backend) == re.findall(r"`(\w+)", said.split("一段是 ", 1)[1]) + (
            ["app_id"] if backend["name"] == "gitea" else [])
    # the redirect address and the CORS origin the guide asks for are the site's own /admin/ and origin
    assert "ALLOW_DOMAIN = https://jky.qinghe.edu.cn\n" in guide and "`https://jky.qinghe.edu.cn/admin/`" in guide
