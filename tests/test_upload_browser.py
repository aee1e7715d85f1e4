"""A teacher drops a Word plan into the inbox through the editor: `plansite edit` in a Git repository
made by `plansite new`, the editor at /admin/ in real Chromium with every host but 127.0.0.1
unreachable. One site, one `plansite edit`, one browser context for the module.

In 上传计划（Word/PDF） the teacher uploads a .docx whose title and name say neither school nor
term, picks both and saves: the file and its upload are in inbox/; `plansite inbox` imports it on a
branch with the school and term picked. The guide's two pictures (docs/guide/inbox-upload.png, the
form; docs/guide/inbox-review.png, the review as the pull request shows it) are taken here: written
to test-artifacts/ on every run, and into the guide when missing or PLANSITE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import docx
import markdown
import pytest
import yaml

from conftest import ARTIFACTS, ROOT, report
from plansite.adapters.githost import pull_request_body
from test_editor_browser import serving, teacher  # noqa: F401 - teacher: the signed-in editor, on this module's site
from test_editor_browser import offline_context
from test_inbox import BIN, git, inbox_branches, new_site, run

pytestmark = pytest.mark.browser

SHOTS = {"inbox-upload.png": ROOT / "docs" / "guide" / "inbox-upload.png",
         "inbox-review.png": ROOT / "docs" / "guide" / "inbox-review.png"}
SCHOOL = "qinghequ-shiyan-xiaoxue"
UPLOADED = "教科室计划.docx"
# A fictional spring plan: its title names no school, its text no term (the teacher picks both)
PLAN = ["教科室工作计划",
        "一、指导思想", "本学期教科室围绕“问题化学习”开展小课题研究，让每位教师带着一个真问题走进课堂。",
        "二、工作目标", "1. 每个教研组确定一个小课题并完成开题。", "2. 青年教师每人上一节研究课。",
        "三、行事历",
        "二月份", "1. 制订教科室工作计划。", "2. 小课题选题指导。",
        "三月份", "1. 小课题开题论证会。", "2. 青年教师研究课（第一轮）。",
        "四月份", "1. 课堂观察工具使用培训。",
        "五月份", "1. 小课题中期交流。", "2. 教师读书分享会。",
        "六月份", "1. 小课题结题材料整理。", "2. 学期教科研工作总结。"]
REVIEW_CSS = """body{font:15px/1.6 "Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f6f8fa}
main{max-width:900px;margin:16px auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 28px}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px}code{background:#eff1f3;padding:0 4px}"""


@pytest.fixture(scope="module")
def edit(tmp_path_factory):
    """(site folder, http://127.0.0.1:port/, the edit log) of `plansite edit` on a site made by
    `plansite new` and committed to a Git repository."""
    tmp = tmp_path_factory.mktemp("upload")
    site = new_site(tmp)
    with serving(site, tmp) as (base, log):
        yield site, base, log


def write_plan(path) -> bytes:
    document = docx.Document()
    document.add_heading(PLAN[0], 1)
    for text in PLAN[1:]:
        document.add_paragraph(text)
    document.save(path)
    return path.read_bytes()


def keep_shot(name: str) -> None:
    if not SHOTS[name].exists() or os.environ.get("PLANSITE_SCREENSHOTS") == "1":
        shutil.copy(ARTIFACTS / name, SHOTS[name])


def test_a_teacher_uploads_a_word_plan_and_plansite_inbox_imports_it(edit, teacher, browser, tmp_path):
    site, base, _ = edit
    page, outside, refused = teacher
    source = tmp_path / UPLOADED
    content = write_plan(source)

    page.get_by_text("上传计划（Word/PDF）", exact=True).first.click()
    page.get_by_text("＋ 上传的计划", exact=True).click()
    page.get_by_role("button", name="选择文件").click()
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_text(UPLOADED, exact=True).first.wait_for()  # in the library, its name as it was
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_text(f"inbox/{UPLOADED}", exact=True).wait_for()
    page.get_by_label("学校").first.click()
    page.get_by_text("青禾区实验小学", exact=True).last.click()
    page.get_by_label("学期").first.click()
    page.get_by_text("2027春（2026—2027学年第二学期）", exact=True).last.click()
    page.get_by_label("留言").fill("开学前交的计划，学校和学期是上传时选的。")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inbox-upload.png"))
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    page.get_by_text("内容已保存").wait_for(timeout=20_000)

    # on disk: the file as it was chosen, and its upload beside it naming it
    assert (site / "inbox" / UPLOADED).read_bytes() == content
    (entry,) = (site / "inbox").glob("*.yml")
    assert yaml.safe_load(entry.read_text(encoding="utf-8")) == {
        "file": f"inbox/{UPLOADED}", "school": SCHOOL, "term": "2027春", "note": "开学前交的计划，学校和学期是上传时选的。"}
    assert outside == [] and refused == [], (outside, refused)

    # plansite inbox, in the repository, imports it on a branch with what was picked
    proc = run([str(BIN / "plansite"), "inbox"], site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (branch,) = inbox_branches(site)
    changed = git(site, "diff", "--name-only", "main", branch).split()
    assert f"plan_data/plans/{SCHOOL}-2027-spring.yml" in changed
    assert {f"inbox/done/{UPLOADED}", f"inbox/done/{entry.name}", "导入报告.md"} <= set(changed)
    plan = yaml.safe_load(git(site, "show", f"{branch}:plan_data/plans/{SCHOOL}-2027-spring.yml"))
    assert (plan["school"], plan["term"]) == (SCHOOL, "2027春")
    assert [b["label"] for b in plan["schedule"]] == ["二月份", "三月份", "四月份", "五月份", "六月份"]
    moved = subprocess.run(["git", "show", f"{branch}:inbox/done/{UPLOADED}"], cwd=site, capture_output=True,
                           check=True).stdout
    assert moved == content
    review = git(site, "show", f"{branch}:导入报告.md")
    assert f"上传时选的学校，{entry.name}" in review and f"上传时选的学期，{entry.name}" in review

    # the review as the pull request shows it: its Markdown rendered, offline
    context = offline_context(browser, outside)
    shown = context.new_page()
    body = markdown.markdown(pull_request_body(review, ""), extensions=["tables"])
    shown.set_content(f"<!doctype html><html lang=zh-CN><meta charset=utf-8><style>{REVIEW_CSS}</style>"
                      f"<main><h2>导入 1 份计划：{UPLOADED}</h2>{body}</main>")
    assert "上传时选的学校" in shown.locator("main").inner_text()
    shown.screenshot(path=str(ARTIFACTS / "inbox-review.png"))
    context.close()
    assert outside == []
    for name in SHOTS:
        keep_shot(name)
    report(f"upload: a .docx uploaded in Chromium is in inbox/ and imported by plansite inbox on {branch} as "
           f"{SCHOOL}-2027-spring; {len(outside)} requests off 127.0.0.1")
