"""上传计划（Word/PDF）: a plan file put into inbox/ through the editor, with the school and term the
teacher picked in a small .yml beside it. The local backend writes only plan files and uploads
directly in inbox/; `plansite inbox` imports the file with its upload's school and term (they beat
its folder and file name; a term the text names beats them; the upload's school beats the text's,
as a file name's does) and moves the .yml to inbox/done/ with its file. The Chromium walk through
the editor is tests/test_upload_browser.py."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from plansite.adapters.editor.localapi import Folders, LocalBackend
from plansite.adapters.inbox import import_inbox
from plansite.input.load import load_plan_data
from plansite.output.admin.cmsconfig import EditorSettings, cms_config
from test_editor import call
from test_inbox import AUTUMN_TXT, BIN, SPRING_DOCX, run

SCHOOL = "qinghequ-shiyan-xiaoxue"
# A spring plan that names neither its school nor its term: the months alone
NAMELESS_SPRING = "教科室工作安排\n\n二月份\n1. 制订本学期工作计划。\n三月份\n1. 校级公开课展示。\n四月份\n1. 课题中期汇报。\n五月份\n1. 教师论文评选。\n"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A site made by plansite new with one school, copied for each test."""
    tmp = tmp_path_factory.mktemp("made")
    proc = run([str(BIN / "plansite"), "new", "site", "--name", "青禾区教科室", "--school", "青禾区实验小学"], tmp)
    assert proc.returncode == 0, proc.stderr
    return tmp / "site"


@pytest.fixture
def site(made, tmp_path) -> Path:
    return Path(shutil.copytree(made, tmp_path / "site", symlinks=True))


def upload(site: Path, entry: str, file: str, **fields: str) -> None:
    """An upload as the editor saves it: inbox/<entry>.yml naming inbox/<file>."""
    data = {"file": f"inbox/{file}", **fields}
    (site / "inbox" / f"{entry}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def plans(site: Path) -> dict[str, tuple[str, str]]:
    result = load_plan_data(site / "plan_data")
    assert result.errors == []
    return {pid: (p.school, p.term.key) for pid, p in result.data.plans.items()}


# ------------------------------------------------------------------ the collection


def test_the_upload_collection_puts_files_into_inbox():
    config = cms_config(EditorSettings(), [], 2026)
    uploads = next(c for c in config["collections"] if c["name"] == "uploads")
    assert uploads["label"] == "上传计划（Word/PDF）"
    assert (uploads["folder"], uploads["extension"], uploads["media_folder"], uploads["public_folder"]) == (
        "inbox", "yml", "/inbox", "inbox")  # files into inbox/ from the repository root; the value inbox/x.docx
    fields = {f["name"]: f for f in uploads["fields"]}
    assert fields["file"]["widget"] == "file" and "required" not in fields["file"]
    assert fields["school"]["widget"] == "relation" and fields["school"]["collection"] == "schools"
    assert fields["school"]["required"] is False and fields["term"]["required"] is False
    assert [o["value"] for o in fields["term"]["options"]] == ["2025春", "2025秋", "2026春", "2026秋", "2027春", "2027秋"]
    assert fields["term"]["options"][3]["label"] == "2026秋（2026—2027学年第一学期）"
    # an uploaded file keeps its Chinese name: it may tell the inbox its school and term
    assert config["slug"]["encoding"] == "unicode"
    typed = next(c for c in cms_config(EditorSettings(), []).get("collections") if c["name"] == "uploads")
    assert next(f for f in typed["fields"] if f["name"] == "term")["widget"] == "string"  # no year: typed


# ------------------------------------------------------------------ the local backend


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_the_local_backend_takes_a_plan_and_its_upload_into_inbox(site):
    api = LocalBackend(Folders(site))
    plan = b64(AUTUMN_TXT.encode("utf-8"))
    status, media = call(api, "persistMedia", asset={"path": "inbox/青禾区实验小学2026秋计划.txt", "content": plan,
                                                     "encoding": "base64"}, options={})
    assert status == 200 and media["name"] == "青禾区实验小学2026秋计划.txt"
    # the editor saves the entry and its file together
    status, answer = call(api, "persistEntry", dataFiles=[{"path": "inbox/20261207-093000.yml", "slug": "20261207-093000",
                                                           "raw": "file: inbox/计划.docx\nschool: qinghequ-shiyan-xiaoxue\n"}],
                          assets=[{"path": "inbox/计划.docx", "content": b64(b"PK\x03\x04 docx"), "encoding": "base64"}],
                          options={})
    assert (status, answer) == (200, {"message": "entry persisted"})
    assert (site / "inbox" / "计划.docx").read_bytes() == b"PK\x03\x04 docx"
    assert (site / "inbox" / "青禾区实验小学2026秋计划.txt").read_text(encoding="utf-8") == AUTUMN_TXT
    status, entries = call(api, "entriesByFolder", folder="inbox", extension="yml", depth=1)
    assert [e["file"]["path"] for e in entries] == ["inbox/20261207-093000.yml"]
    # the media of inbox/ are its plan files: not the uploads, not its README.md
    status, media = call(api, "getMedia", mediaFolder="inbox")
    assert sorted(m["name"] for m in media) == ["计划.docx", "青禾区实验小学2026秋计划.txt"]


@pytest.mark.parametrize(("path", "status", "words"), [
    ("inbox/计划.doc", 403, "旧版 .doc 请先用 Word 或 WPS 另存为 .docx"),
    ("inbox/run.exe", 403, "这里只收计划文件和上传记录"),
    ("inbox/README.md", 403, "这里只收计划文件和上传记录"),
    ("inbox/done/计划.docx", 403, "inbox/done/ 是导入过的原文"),
    ("inbox/青禾/计划.docx", 403, "不进子文件夹"),
    ("inbox/../mkdocs.yml", 403, ".."),
    ("inbox/.hidden.docx", 403, "隐藏"),
    ("/inbox/计划.docx", 403, "绝对路径"),
])
def test_the_local_backend_refuses_other_files_in_inbox(site, path, status, words):
    api = LocalBackend(Folders(site))
    readme = (site / "inbox" / "README.md").read_bytes()
    for action, params in (("persistMedia", {"asset": {"path": path, "content": b64(b"x"), "encoding": "base64"}}),
                           ("persistEntry", {"dataFiles": [{"path": "inbox/a.yml", "slug": "a", "raw": "file: x\n"}],
                                             "assets": [{"path": path, "content": b64(b"x"), "encoding": "base64"}]}),
                           ("deleteFile", {"path": path})):
        got, answer = call(api, action, **params)
        assert got == status and words in answer["error"], (action, answer)
    assert (site / "inbox" / "README.md").read_bytes() == readme
    assert sorted(p.name for p in (site / "inbox").iterdir()) == ["README.md"]  # nothing written, not even a.yml


# ------------------------------------------------------------------ plansite inbox


def test_the_uploads_school_and_term_are_used_and_the_yml_goes_with_its_file(site):
    (site / "inbox" / "安排.txt").write_text(NAMELESS_SPRING, encoding="utf-8")
    upload(site, "20270220-080000", "安排.txt", school=SCHOOL, term="2027春", note="第一份")
    status, moved, report, sorted_ = import_inbox(site)
    assert status == 0 and sorted_.left == []
    assert plans(site) == {f"{SCHOOL}-2027-spring": (SCHOOL, "2027-spring")}
    assert moved == [("inbox/安排.txt", "inbox/done/安排.txt"),
                     ("inbox/20270220-080000.yml", "inbox/done/20270220-080000.yml")]
    assert sorted(p.name for p in (site / "inbox").iterdir()) == ["README.md", "done"]
    review = report.read_text(encoding="utf-8")
    assert "上传时选的学校，20270220-080000.yml" in review and "上传时选的学期，20270220-080000.yml" in review


def test_the_upload_beats_the_files_name_and_folder(site):
    (site / "inbox" / "江北区星河小学").mkdir()
    (site / "inbox" / "江北区星河小学" / "2026秋计划.txt").write_text(NAMELESS_SPRING, encoding="utf-8")
    (site / "inbox" / "r.yml").write_text("file: inbox/江北区星河小学/2026秋计划.txt\n"
                                          f"school: {SCHOOL}\nterm: 2027春\n", encoding="utf-8")
    status, _, _, _ = import_inbox(site)
    assert status == 0
    assert plans(site) == {f"{SCHOOL}-2027-spring": (SCHOOL, "2027-spring")}
    assert (site / "inbox" / "done" / "r.yml").is_file()


def test_the_uploads_school_beats_the_title_and_the_texts_term_beats_the_uploads(site):
    document = docx.Document()  # the title names 江北区星河小学 and no term: the term is picked
    document.add_heading(SPRING_DOCX[0], 1)
    for text in SPRING_DOCX[1:]:
        document.add_paragraph(text)
    document.save(site / "inbox" / "星河.docx")
    upload(site, "a", "星河.docx", school=SCHOOL, term="2027春")
    (site / "inbox" / "秋.txt").write_text(AUTUMN_TXT, encoding="utf-8")  # names 2026—2027学年第一学期
    upload(site, "b", "秋.txt", school=SCHOOL, term="2027春")
    status, _, report, _ = import_inbox(site, force=True)
    assert status == 0
    assert plans(site) == {f"{SCHOOL}-2027-spring": (SCHOOL, "2027-spring"), f"{SCHOOL}-2026-autumn": (SCHOOL, "2026-autumn")}
    assert "正文写明学期“2026—2027学年第一学期”，按正文导入（未用 上传时选的学期，b.yml 2027年春季学期）" in \
        report.read_text(encoding="utf-8")


def test_an_upload_that_cannot_be_used_stays_and_is_said(site):
    (site / "inbox" / "安排.txt").write_text(NAMELESS_SPRING, encoding="utf-8")
    upload(site, "bad-term", "安排.txt", school=SCHOOL, term="明年春天")
    upload(site, "gone", "不在了.docx", school=SCHOOL)
    (site / "inbox" / "broken.yml").write_text("file: inbox/计划.docx\nterm\nschool: x\n", encoding="utf-8")
    status, moved, _, sorted_ = import_inbox(site)
    assert (status, moved) == (1, [])
    said = {left.path: left.why for left in sorted_.left}
    assert said.pop("inbox/安排.txt").startswith("上传时填的学期“明年春天”读不懂：")
    assert said == {"inbox/gone.yml": "上传记录指向的 inbox/不在了.docx 不在 inbox/ 里，或不是能导入的格式",
                    "inbox/broken.yml": "上传记录第 3 行读不出来：YAML 语法错误：缺少冒号“:”（could not find expected ':'）"}
    assert all("上传计划（Word/PDF）" in left.hint for left in sorted_.left)
    assert next(left.hint for left in sorted_.left if left.path == "inbox/broken.yml").startswith("检查这一行和上一行的缩进与冒号")
    assert sorted(p.name for p in (site / "inbox").iterdir()) == ["README.md", "bad-term.yml", "broken.yml", "gone.yml",
                                                                   "安排.txt"]  # nothing moved, nothing lost
