"""Careless hands: nothing the user had is lost, no page silently replaces another, and odd input
gives a located Chinese message, never a traceback. Through the real commands: `plansite check`,
`plansite render`, `plansite slugs`, `plansite import` and `mkdocs build --strict`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, as_nobody, run_mkdocs

MINI = FIXTURES / "mini"


def plansite(*args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plansite.adapters.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=300)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(MINI, root)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ render never eats the project


@pytest.mark.parametrize("out", [".", "plan_data", "plan_data/plans", "docs", "docs/sub", ".."])
def test_render_refuses_the_projects_own_folders(project, out):
    before = tree(project)
    result = plansite("render", "--config", project / "mkdocs.yml", "--out", project / out, "--force")
    assert result.returncode == 1 and "--out" in result.stderr, result.stderr
    no_traceback(result)
    assert tree(project) == before


def test_render_out_a_file(project, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("我的笔记", encoding="utf-8")
    for extra in ([], ["--force"]):
        result = plansite("render", "--config", project / "mkdocs.yml", "--out", target, *extra)
        assert result.returncode == 1 and "是一个文件" in result.stderr
        no_traceback(result)
    assert target.read_text(encoding="utf-8") == "我的笔记"


# ------------------------------------------------------------------ import


def _docx(paragraphs: str) -> bytes:
    """A minimal .docx: the parts Word needs, with document.xml's body as given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   f"<w:body>{paragraphs}</w:body></w:document>")
    return buf.getvalue()


def test_docx_that_unpacks_to_millions_of_paragraphs(tmp_path):
    bomb = tmp_path / "计划.docx"
    bomb.write_bytes(_docx("<w:p/>" * 1_000_000))
    assert bomb.stat().st_size < 100_000  # small on disk
    result = plansite("import", bomb, "--json")
    assert result.returncode == 1 and "计划.docx" in result.stderr and "段落超过" in result.stderr
    no_traceback(result)


def test_docx_whose_text_parts_unpack_too_far(tmp_path):
    bomb = tmp_path / "大.docx"
    bomb.write_bytes(_docx("<w:p><w:r><w:t>" + "九月份" * 8_000_000 + "</w:t></w:r></w:p>"))
    result = plansite("import", bomb, "--json")
    assert result.returncode == 1 and "解压后" in result.stderr
    no_traceback(result)


def test_a_normal_docx_still_imports(tmp_path):
    doc = tmp_path / "ok.docx"
    doc.write_bytes(_docx("".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in
                                  ("东湖小学2026年秋学期教科室工作计划", "九月份", "1. 制订教科室工作计划。"))))
    result = plansite("import", doc, "--json")
    assert result.returncode == 0, result.stderr
    assert "制订教科室工作计划" in result.stdout


PLAN_TEXT = "东湖小学2026年秋学期教科室工作计划\n一、指导思想\n本学期教科室继续推进课题研究。\n二、行事历\n九月份\n1. 制订教科室工作计划。\n"


def test_import_out_a_file(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    target = tmp_path / "plan_data"
    target.write_text("不是文件夹", encoding="utf-8")
    result = plansite("import", src, "--out", target)
    assert result.returncode == 1 and "是一个文件" in result.stderr
    no_traceback(result)
    assert target.read_text(encoding="utf-8") == "不是文件夹"


def test_a_second_import_into_the_same_folder_waits_its_turn(tmp_path):
    """While one import holds plan_data, another fails clearly and writes nothing."""
    from plansite.importer.dump import import_lock

    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    out = tmp_path / "plan_data"
    with import_lock(out):
        result = plansite("import", src, "--out", out)
    assert result.returncode == 1 and "另一个 plansite import 正在写入" in result.stderr
    no_traceback(result)
    assert not out.exists()
    result = plansite("import", src, "--out", out)  # the lock went with the first import
    assert result.returncode == 0, result.stderr
    assert plansite("check", out).returncode == 0


def test_concurrent_imports_never_overwrite_each_other(tmp_path):
    """Three rounds of four imports (two plans, each twice) started together into one folder: every
    plan that an import says it wrote is there, and the data loads."""
    texts = [PLAN_TEXT, PLAN_TEXT.replace("东湖小学", "西山小学").replace("继续", "深入")]
    sources = []
    for n, text in enumerate(texts):
        sources.append(tmp_path / f"p{n}.txt")
        sources[-1].write_text(text, encoding="utf-8")
    for run in range(3):
        out = tmp_path / f"d{run}" / "plan_data"
        procs = [subprocess.Popen([sys.executable, "-m", "plansite.adapters.cli", "import", str(s), "--out", str(out)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
                 for s in sources * 2]
        outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
        for code, stdout, stderr in outcomes:
            assert "Traceback" not in stderr
            assert code == 0 or "另一个 plansite import 正在写入" in stderr, stderr
        written = {n % len(sources) for n, (code, _, _) in enumerate(outcomes) if code == 0}  # the plans said written
        assert written and len(list((out / "plans").glob("*.yml"))) == len(written)
        assert plansite("check", out).returncode == 0


def test_import_writes_schools_before_the_plans_that_need_them():
    from plansite.importer.dump import _write_order

    rels = ["plans/a-2026-autumn.yml", "plans/a-2026-autumn.md", "projects/k.yml", "schools/a.yml"]
    assert sorted(rels, key=_write_order) == ["schools/a.yml", "projects/k.yml", "plans/a-2026-autumn.md",
                                              "plans/a-2026-autumn.yml"]


# ------------------------------------------------------------------ slugs --write


def test_slugs_write_keeps_keys_yaml_would_misread(project):
    slugs = project / "plan_data/slugs.yml"
    registry = yaml.safe_load(slugs.read_text(encoding="utf-8"))
    registry["schools"]["#retired"] = "old-school"
    registry["schools"]["old: school"] = "old-school-2"
    registry["schools"].pop("xiyuan")  # one slug to store
    slugs.write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    result = plansite("slugs", project / "plan_data", "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    again = yaml.safe_load(slugs.read_text(encoding="utf-8"))
    assert again["schools"]["#retired"] == "old-school" and again["schools"]["old: school"] == "old-school-2"
    assert again["schools"]["xiyuan"] and again["plans"] == registry["plans"]
    assert slugs.read_text(encoding="utf-8").startswith("# 网址登记表")
    assert plansite("check", project / "plan_data").returncode == 0


# ------------------------------------------------------------------ pages silently replaced


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("case", ["school-slug", "project-slug", "registry", "category"])
def test_url_names_of_generated_pages_are_refused(project, tmp_path, case):
    data = project / "plan_data"
    if case == "school-slug":
        (data / "schools/dongpo.yml").write_text((data / "schools/dongpo.yml").read_text(encoding="utf-8")
                                                 + "slug: index\n", encoding="utf-8")
        where = "plan_data/schools/dongpo.yml:8 slug"
    elif case == "project-slug":
        (data / "projects/xy-shuxue.yml").write_text((data / "projects/xy-shuxue.yml").read_text(encoding="utf-8")
                                                     + "slug: index\n", encoding="utf-8")
        where = "plan_data/projects/xy-shuxue.yml:"
    elif case == "registry":
        _edit(data / "slugs.yml", "xiyuan: xiyuan", "xiyuan: index")
        where = "plan_data/slugs.yml:"
    else:
        (data / "categories.yml").write_text("- name: 课题研究\n  slug: unclassified\n  keywords: [课题]\n",
                                             encoding="utf-8")
        where = "plan_data/categories.yml:2 [0].slug"
    check = plansite("check", data)
    assert check.returncode == 1 and where in check.stdout and "生成页面" in check.stdout, check.stdout
    build = run_mkdocs(project, tmp_path / "site")
    assert build.returncode != 0 and where in build.stdout + build.stderr
    assert "使用手写页面" not in build.stdout + build.stderr
    no_traceback(build)


def test_a_generated_url_name_never_takes_index(project, tmp_path):
    _edit(project / "plan_data/schools/dongpo.yml", "short_name: 东坡小学", "short_name: Index")
    _edit(project / "plan_data/slugs.yml", "  dongpo: dongpo\n", "")
    result = plansite("slugs", project / "plan_data")
    assert "schools/dongpo -> index-2" in result.stdout, result.stdout


def test_hand_written_page_message_only_for_a_hand_written_page(project, tmp_path):
    (project / "docs/schools").mkdir(parents=True, exist_ok=True)
    (project / "docs/schools/index.md").write_text("# 学校\n\n手写的学校目录。\n", encoding="utf-8")
    build = run_mkdocs(project, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    assert "schools/index.md: 使用手写页面" in build.stdout + build.stderr
    assert "手写的学校目录" in (tmp_path / "site/schools/index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ odd input: located, no traceback


DEEP = {
    "brackets": "school: dongpo\nterm: 2026秋\ntitle: 深\nschedule: " + "[" * 800 + "]" * 800 + "\n",
    "braces": "school: dongpo\nterm: 2026秋\ntitle: 深\nx: " + "{a: " * 600 + "1" + "}" * 600 + "\n",
    "indent": "school: dongpo\nterm: 2026秋\ntitle: 深\nx:\n" + "".join(" " * i + " a:\n" for i in range(200)),
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deeply_nested_yaml(project, tmp_path, case):
    path = project / "plan_data/plans/deep.yml"
    path.write_text(DEEP[case], encoding="utf-8")
    assert path.stat().st_size < (4_000 if case != "indent" else 25_000)
    check = plansite("check", project / "plan_data")
    no_traceback(check)
    assert check.returncode == 1 and "plan_data/plans/deep.yml" in check.stdout and "嵌套太深" in check.stdout


@pytest.mark.parametrize("term,field", [("0000秋", "term"), ("9999秋", "term"), ("9999学年", "term"),
                                        ("2107春", "term"), ("0001-02..0001-07", "term")])
def test_terms_in_impossible_years(project, tmp_path, term, field):
    _edit(project / "plan_data/plans/xiyuan-2027-spring.yml", "term: 2027春", f"term: {term}")
    check = plansite("check", project / "plan_data")
    no_traceback(check)
    assert check.returncode == 1 and f"plan_data/plans/xiyuan-2027-spring.yml:2 {field}: " in check.stdout, check.stdout
    build = run_mkdocs(project, tmp_path / "site")
    no_traceback(build)
    assert build.returncode != 0


def test_months_and_stage_dates_in_impossible_years(project):
    _edit(project / "plan_data/projects/xy-shuxue.yml", "date: 2026-09-15", "date: 9999-12-31")
    check = plansite("check", project / "plan_data")
    no_traceback(check)
    assert "plan_data/projects/xy-shuxue.yml:6 stages[0].date" in check.stdout, check.stdout
    _edit(project / "plan_data/projects/xy-shuxue.yml", "date: 9999-12-31", "date: 0000-01")
    check = plansite("check", project / "plan_data")
    no_traceback(check)
    assert "plan_data/projects/xy-shuxue.yml:6 stages[0].date" in check.stdout, check.stdout


def test_newline_and_controls_in_a_school_name(project, tmp_path):
    _edit(project / "plan_data/schools/dongpo.yml", "name: 测试区东坡小学", 'name: "测试区\\n东坡\\u0007小学\\u001b"')
    _edit(project / "plan_data/schools/dongpo.yml", "short_name: 东坡小学\n", "")
    build = run_mkdocs(project, tmp_path / "site")
    assert build.returncode == 0, build.stderr
    ics = (tmp_path / "site/calendar/feeds/dongpo.ics").read_bytes().decode("utf-8")
    assert "测试区" in ics and not any(ord(c) < 32 and c not in "\r\n" for c in ics)


@pytest.mark.parametrize("name", ["\u200b\u200d", "\u2060\ufeff"])
def test_a_name_of_only_invisible_characters(project, name):
    _edit(project / "plan_data/schools/dongpo.yml", "name: 测试区东坡小学", f'name: "{name}"')
    check = plansite("check", project / "plan_data")
    assert check.returncode == 1 and "plan_data/schools/dongpo.yml:1 name" in check.stdout and "不可见" in check.stdout


@pytest.mark.parametrize("slug", ["con", "aux", "nul", "com1", "lpt9"])
def test_ids_windows_cannot_store(project, slug):
    path = project / "plan_data/schools/dongpo.yml"
    path.write_text(path.read_text(encoding="utf-8") + f"slug: {slug}\n", encoding="utf-8")
    check = plansite("check", project / "plan_data")
    assert check.returncode == 1 and "plan_data/schools/dongpo.yml:8 slug" in check.stdout and "Windows" in check.stdout


def test_a_file_named_like_a_windows_device(project):
    shutil.copy(project / "plan_data/projects/dp-xiezuo.yml", project / "plan_data/projects/aux.yml")
    check = plansite("check", project / "plan_data")
    assert check.returncode == 1 and "plan_data/projects/aux.yml" in check.stdout and "Windows" in check.stdout


def test_links_and_lock_files_in_plan_data(project, tmp_path):
    data = project / "plan_data"
    os.symlink("nobody@host.1234:1700000000", data / "plans/.#xiyuan-2027-spring.yml")  # Emacs' lock file
    os.symlink("missing.yml", data / "schools/gone.yml")  # dangling
    os.symlink("loop-b.yml", data / "projects/loop-a.yml")
    os.symlink("loop-a.yml", data / "projects/loop-b.yml")
    os.symlink("..", data / "plans/up")  # a folder link back up: a loop for a walker that follows it
    check = plansite("check", data)
    no_traceback(check)
    assert "plan_data/schools/gone.yml: 符号链接指向不存在的文件" in check.stdout
    assert "plan_data/projects/loop-a.yml: 符号链接指向不存在的文件（或形成循环）" in check.stdout
    assert ".#xiyuan" not in check.stdout
    build = run_mkdocs(project, tmp_path / "site")
    no_traceback(build)
    assert build.returncode != 0 and "gone.yml" in build.stdout + build.stderr
    (data / "schools/gone.yml").unlink()
    for name in ("loop-a.yml", "loop-b.yml"):
        (data / "projects" / name).unlink()
    assert "plan_data/plans/up: 这是指向文件夹的符号链接，不会被读取" in check.stdout
    (data / "plans/up").unlink()
    build = run_mkdocs(project, tmp_path / "site2")  # the editor's lock file is skipped
    assert build.returncode == 0, build.stdout + build.stderr


def test_serve_stamp_survives_dangling_links(project):
    """`mkdocs serve` stamps plan_data before each rebuild: a dangling link must not crash it."""
    from plansite.output.engine import _stamp

    os.symlink("nowhere.yml", project / "plan_data/plans/.#x.yml")
    before = _stamp(project / "plan_data")
    assert any(p.endswith(".#x.yml") for p, _, _ in before)
    (project / "plan_data/plans/xiyuan-2027-spring.yml").touch()
    os.utime(project / "plan_data/plans/xiyuan-2027-spring.yml", (1, 1))
    assert _stamp(project / "plan_data") != before


def test_an_unreadable_plans_folder(open_tmp):
    """Run as root, the check reads as nobody, for whom plans/ is closed: an error, not '0 份计划'."""
    root = open_tmp / "shared"
    shutil.copytree(MINI / "plan_data", root / "plan_data")
    for folder, dirs, files in os.walk(open_tmp):
        os.chmod(folder, 0o755)
        for f in files:
            os.chmod(os.path.join(folder, f), 0o644)
    os.chmod(root / "plan_data/plans", 0o000)
    python = as_nobody(open_tmp)
    result = subprocess.run([*python, "-m", "plansite.adapters.cli", "check", str(root / "plan_data")], capture_output=True,
                            text=True, encoding="utf-8", timeout=120, env=dict(os.environ, HOME="/tmp"))
    no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "plan_data/plans: 无法读取这个文件夹" in result.stdout


def test_a_heading_never_takes_an_items_anchor():
    """An author's heading that reads like an item's anchor gets another one; {#i-…} is refused."""
    from plansite.output.mdtext import bake_anchors
    from plansite.output.sanitize import clean_prose

    page = '| 9月 | <span id="i-taken"></span>读书 |\n\n### I taken\n'
    baked = bake_anchors(page, lambda text: "-".join(text.lower().split()))
    assert "### I taken {#i-taken_1}" in baked
    assert clean_prose("### 标题 {#i-taken}") == "### 标题 \\{#i-taken}"
    assert clean_prose("### 标题 {#keep .note}") == "### 标题 {#keep .note}"
