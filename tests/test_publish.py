"""The publish gate reads the data: `plansite check --publish` on a school's own site, then on the same
site after one careless or hostile change each: the demo's plans, schools and texts copied, renamed or
pasted anywhere in plan_data; a site_url that is no public address; a placeholder written another way.
Each refusal is asserted with its file, line, field, message and fix."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT
from test_newsite import OUR_URL, README_URL, plansite, run, BIN

from plansite.input.chinese import to_simplified
from plansite.adapters.cli import main
from plansite.adapters.fingerprints import (DISTINCT_SENTENCE, FINGERPRINTS, build_fingerprints, demo_fingerprints,
                                   fingerprints_text, sentence_hash, sentence_key, sentences)
from plansite.adapters.publish import SITE_URL_HINT
from plansite.adapters.siteurl import public_url_problem as site_url_problem

DEMO = ROOT / "plan_data"
LINE = re.compile(r"^错误 (\S+?):(\d+) ?([^:：\s]*): (.*)\n    提示：(.*)$", re.M)


@pytest.fixture(scope="module")
def base_site(tmp_path_factory) -> Path:
    """A school's own site that passes the gate: `plansite new`, one imported plan of our own."""
    root = tmp_path_factory.mktemp("publish")
    site = root / "site"
    assert plansite("new", str(site), "--name", "青禾区实验小学教科室", "--school", "青禾区实验小学",
                    "--site-url", OUR_URL, cwd=root).returncode == 0
    done = plansite("import", str(FIXTURES / "firstday/qinghe-autumn.txt"), "--school", "青禾区实验小学",
                    "--term", "2026秋", cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert plansite("slugs", "plan_data", "--write", cwd=site).returncode == 0  # URL names stored, as the gate asks
    gate = plansite("check", "--publish", cwd=site)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    return site


@pytest.fixture
def site(base_site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(base_site, copy)
    return copy


def our_plan(site: Path) -> Path:
    (plan,) = sorted((site / "plan_data/plans").glob("*.yml"))
    return plan


def gate(site: Path, *, process: bool = False, **env: str) -> list[tuple[str, int, str, str, str]]:
    """The gate's refusals as (file, line, field, message, hint); asserts it refused and said why.

    `plansite check --publish` in the site's folder: through the installed command when process is
    set, else through the same command's main() in this process (a process costs seconds a case)."""
    if process:
        done = run([str(BIN / "plansite"), "check", "--publish"], site, **env)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        code, out, err = in_process(site, env)
    assert code == 1, out + err
    assert "Traceback" not in out + err
    found = [(f, int(n), field, msg, hint) for f, n, field, msg, hint in LINE.findall(out)]
    assert len(found) == out.count("错误 "), out  # every refusal has its place and a fix
    return found


def in_process(site: Path, env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved, cwd = dict(os.environ), Path.cwd()
    os.environ.pop("SITE_URL", None)  # the site's own mkdocs.yml decides, as in run()
    os.environ.update(env)
    try:
        os.chdir(site)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--publish"])
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)
    return code, out.getvalue(), err.getvalue()


def line_of(path: Path, n: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[n - 1]


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def demo_plan(name: str) -> dict:
    """A demo plan as a copy would carry it: its school and project links taken out (ours has none)."""
    data = yaml.safe_load((DEMO / f"plans/{name}.yml").read_text(encoding="utf-8"))
    data.pop("projects", None)
    for block in data["schedule"]:
        block["items"] = [{k: v for k, v in i.items() if k != "projects"} if isinstance(i, dict) else i
                          for i in block["items"]]
    return data


# ------------------------------------------------------------------ the fingerprints


def test_fingerprints_are_the_demos_own():
    """The shipped file is what scripts/demo_fingerprints.py makes of plan_data/ now: it cannot drift."""
    shipped = (ROOT / "plugins/plansite" / FINGERPRINTS).read_text(encoding="utf-8")
    assert shipped == fingerprints_text(build_fingerprints(ROOT)), "run scripts/demo_fingerprints.py"
    fp = demo_fingerprints()
    for school in yaml.safe_load_all("\n---\n".join(p.read_text(encoding="utf-8")
                                                     for p in sorted((DEMO / "schools").glob("*.yml")))):
        assert school["name"] in fp.schools and school["city"] in fp.cities
    plan = yaml.safe_load((DEMO / "plans/xinghe-2026-autumn.yml").read_text(encoding="utf-8"))
    keys = [key for _, key in sentences(plan["guiding"])]
    assert keys and all(sentence_hash(k) in fp.sentences for k in keys)
    assert "jky.qinghe.edu.cn" in fp.example_hosts and "jky.school.edu.cn" in fp.example_hosts


def test_a_sentence_reads_alike_in_traditional_full_width_and_reflowed():
    text = "本学期，教科室以课题研究为抓手，立足课堂。"
    assert sentence_key("本學期，教科室以課題研究為抓手，\n  立足課堂") == sentence_key(text)
    assert sentence_key("本学期 教科室以课题研究为抓手 立足课堂！") == sentence_key(text)


# ------------------------------------------------------------------ the demo in a site's data


def test_the_whole_demo_with_a_new_name_url_copyright_and_about_is_refused(tmp_path):
    """The issue's case: the repository copied, its site name, copyright, URL and about line changed."""
    site = tmp_path / "copy"
    shutil.copytree(DEMO, site / "plan_data")
    (site / "docs").mkdir()
    (site / "docs/about.md").write_text("# 关于本站\n\n青禾区各校的教科研工作计划。\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_name: .*$", "site_name: 青禾区教科研工作计划", config)
    config = re.sub(r"(?m)^site_description: .*$", "site_description: 青禾区各校的工作计划", config)
    config = re.sub(r"(?m)^site_url: .*$", f"site_url: {OUR_URL}", config)
    config = re.sub(r"(?m)^copyright: .*$", "copyright: © 青禾区教科研", config)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    found = gate(site, process=True)
    assert not [f for f in found if f[0] in ("mkdocs.yml", "docs/about.md")]
    refused = {f for f, *_ in found}
    assert {f"plan_data/{p.relative_to(DEMO).as_posix()}" for p in DEMO.glob("plans/*.yml")} <= refused
    assert {f"plan_data/{p.relative_to(DEMO).as_posix()}" for p in DEMO.glob("schools/*.yml")} <= refused
    for file, line, field, message, hint in found:
        assert "演示" in message and "删掉" in hint and field, (file, message)
        assert 1 <= line <= len((site / file).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("demo, title", [
    ("qinghe-2026-autumn", "青禾区实验小学2026年秋季学期教科室工作计划"),  # copied, renamed, retitled
    ("baisha-2026-spring", "青禾区实验小学2026年春季学期教科室工作计划"),
    ("yuying-2026-autumn", None),  # copied under a new file name only
])
def test_a_demo_plan_copied_and_renamed_is_refused(site, demo, title):
    plan = demo_plan(demo)
    plan["school"] = "qinghequ-shiyan-xiaoxue"
    if title:
        plan["title"] = title
    target = site / "plan_data/plans/ours-extra-2026-autumn.yml"
    target.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(DEMO / f"plans/{demo}.md", target.with_suffix(".md"))
    found = gate(site)
    mine = [f for f in found if f[0] == "plan_data/plans/ours-extra-2026-autumn.yml"]
    assert mine, found
    file, line, field, message, hint = mine[-1] if title else mine[0]
    assert re.search(r"与 PlanSite 演示站的虚构计划有 \d+ 句相同", message) or "演示站虚构的学校" in message
    assert "演示数据不能发布" in message and "plan_data/plans/ours-extra-2026-autumn.yml" in hint
    assert line >= 1 and field


def _paste(site: Path, where: str, text: str) -> tuple[Path, str]:
    plan = our_plan(site)
    if where == "guiding":
        edit_yaml(plan, lambda d: d.update(guiding=text))
    elif where == "goals":
        edit_yaml(plan, lambda d: d["goals"].append(text))
    elif where == "item":
        edit_yaml(plan, lambda d: d["schedule"][0]["items"].append(text))
    elif where == "measures":
        md = plan.with_suffix(".md")
        md.write_text(md.read_text(encoding="utf-8") + "\n\n## 五、其他\n\n" + text + "\n", encoding="utf-8")
        return md, text
    return plan, text


DEMO_GUIDING = yaml.safe_load((DEMO / "plans/xinghe-2026-autumn.yml").read_text(encoding="utf-8"))["guiding"]
DEMO_SUMMARY = yaml.safe_load((DEMO / "projects/xh-jianzhi-meishu.yml").read_text(encoding="utf-8"))["summary"]
LONG_ITEM = next(i["text"] for p in sorted(DEMO.glob("plans/*.yml"))
                 for b in yaml.safe_load(p.read_text(encoding="utf-8"))["schedule"] for i in b["items"]
                 if isinstance(i, dict) and len(sentence_key(i["text"])) >= DISTINCT_SENTENCE + 6)


@pytest.mark.parametrize("where, text, field", [
    ("guiding", DEMO_GUIDING, "guiding"),  # a demo guiding text pasted under another plan
    ("guiding", to_simplified(DEMO_GUIDING).replace("，", ", ").replace("。", ". "), "guiding"),  # punctuation changed
    ("guiding", DEMO_GUIDING.replace("\n", ""), "guiding"),  # reflowed
    ("guiding", "本学期我们有新的打算。" + DEMO_GUIDING.split("。")[1] + "。", "guiding"),  # one long sentence inside ours
    ("measures", DEMO_SUMMARY, "measures"),  # a project's summary pasted into the measures (.md)
    ("goals", LONG_ITEM, "goals[2]"),
    ("item", LONG_ITEM, "schedule[0].items[2]"),
])
def test_a_demo_text_pasted_into_our_plan_is_refused(site, where, text, field):
    path, text = _paste(site, where, text)
    found = gate(site)
    rel = f"plan_data/{path.relative_to(site / 'plan_data').as_posix()}"
    (hit,) = [f for f in found if f[0] == rel]
    file, line, got_field, message, hint = hit
    assert got_field == field and "演示数据不能发布" in message and "plansite import" in hint
    quoted = re.search(r"（“(.*)”）", message).group(1)
    assert sentence_key(quoted) in sentence_key(text)
    written = line_of(path, line)  # the line the sentence starts on, or the field's own key
    assert sentence_key(quoted)[:6] in sentence_key(written) or written.startswith(f"{field}:")


def test_a_demo_guiding_in_traditional_characters_is_refused(site):
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(DEMO_GUIDING)
    assert traditional != DEMO_GUIDING
    edit_yaml(our_plan(site), lambda d: d.update(guiding=traditional))
    assert any(f[2] == "guiding" and "演示" in f[3] for f in gate(site))


def test_one_short_common_sentence_the_demo_also_says_passes(site):
    """A plan of our own may say 撰写教科室工作总结 as the demo does: short sentences count from three."""
    demo_items = [i if isinstance(i, str) else i["text"] for p in sorted(DEMO.glob("plans/*.yml"))
                  for b in yaml.safe_load(p.read_text(encoding="utf-8"))["schedule"] for i in b["items"]]
    short = [t for t in demo_items if 8 <= len(sentence_key(t)) < DISTINCT_SENTENCE and "江东" not in t]
    edit_yaml(our_plan(site), lambda d: d["schedule"][0]["items"].extend(short[:2]))
    done = plansite("check", "--publish", cwd=site)
    assert done.returncode == 0, done.stdout
    edit_yaml(our_plan(site), lambda d: d["schedule"][0]["items"].append(short[2]))
    (hit,) = gate(site)
    assert "有 3 句相同" in hit[3]


def test_a_real_issuer_and_a_project_title_the_demo_also_has_pass(site):
    """The demo's issuers are real bodies and its titles are the genre's: a real school may share them."""
    demo = yaml.safe_load((DEMO / "projects/qh-laodong-zhongzhi.yml").read_text(encoding="utf-8"))
    real = yaml.safe_load((DEMO / "projects/qh-kexue-xiangmu.yml").read_text(encoding="utf-8"))["issuer"]
    assert "江东" not in real and len(sentence_key(demo["title"])) >= DISTINCT_SENTENCE
    project = {"title": demo["title"], "level": "省级", "issuer": real, "schools": ["qinghequ-shiyan-xiaoxue"],
               "summary": "研究本校种植园里的劳动课程怎样与科学课相互配合。"}
    (site / "plan_data/projects").mkdir(exist_ok=True)
    (site / "plan_data/projects/ours-laodong.yml").write_text(yaml.safe_dump(project, allow_unicode=True), encoding="utf-8")
    assert plansite("slugs", "plan_data", "--write", cwd=site).returncode == 0  # a new project's URL name, stored
    code, out, err = in_process(site, {})
    assert code == 0, out + err
    project["summary"] = demo["summary"]  # its summary is the demo's own text
    (site / "plan_data/projects/ours-laodong.yml").write_text(yaml.safe_dump(project, allow_unicode=True), encoding="utf-8")
    (hit,) = gate(site)
    assert hit[:1] == ("plan_data/projects/ours-laodong.yml",) and hit[2] == "summary" and "演示" in hit[3]


@pytest.mark.parametrize("file, key, value, mark", [
    ("schools/qinghequ-shiyan-xiaoxue.yml", "name", "清河区实验小学（东校区）", "清河区实验小学"),  # inside a longer name
    ("schools/qinghequ-shiyan-xiaoxue.yml", "name", "江东市第一实验小学", "江东市"),  # the demo's city
    ("schools/qinghequ-shiyan-xiaoxue.yml", "name", "新区临江区星河小学", "临江区星河小学"),
    ("schools/qinghequ-shiyan-xiaoxue.yml", "city", "江东市", "江东市"),
    ("PLAN", "title", "东湖区育英中学2026年秋季学期教科室工作计划", "东湖区育英中学"),
])
def test_a_demo_school_or_city_in_a_name_is_refused(site, file, key, value, mark):
    path = our_plan(site) if file == "PLAN" else site / "plan_data" / file
    edit_yaml(path, lambda d: d.update({key: value}))
    found = gate(site)
    rel = f"plan_data/{path.relative_to(site / 'plan_data').as_posix()}"
    (hit,) = [f for f in found if f[0] == rel]
    assert hit[2] == key and line_of(path, hit[1]).startswith(f"{key}:")
    assert f"“{mark}”是演示站虚构的" in hit[3] and "演示数据不能发布" in hit[3] and "删掉" in hit[4]


def test_the_demo_about_page_and_site_name_are_refused(site):
    about = site / "docs/about.md"
    about.write_text("# 关于本站\n\n青禾区各校的教科研工作计划。\n\n" + (ROOT / "docs/about.md").read_text(encoding="utf-8")
                     .splitlines()[-1] + "\n", encoding="utf-8")  # a page of the site's own, with the demo's line
    config = site / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_name: .*$", "site_name: 江东市教科研", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    found = {(f, field): (line, msg, hint) for f, line, field, msg, hint in gate(site)}
    line, msg, hint = found[("docs/about.md", "")]
    assert "均为虚构" in line_of(about, line) and "还是演示站的文字" in msg and "删掉这一行" in hint
    line, msg, hint = found[("mkdocs.yml", "site_name")]
    assert line_of(config, line).startswith("site_name:") and "江东市" in msg and "站点名" in hint


# ------------------------------------------------------------------ site_url


@pytest.mark.parametrize("url, reason", [
    ("https://example.com./", "以点结尾"),
    ("https://jky.qhjks.cn./", "以点结尾"),
    ("https://[::1]/", "IP 地址"),
    ("https://[::ffff:127.0.0.1]/", "IP 地址"),
    ("https://0.0.0.0/", "IP 地址"),
    ("https://203.0.113.7/jky/", "IP 地址"),
    ("https://user:pass@jky.qhjks.cn/", "用户名或密码"),
    ("https://admin@jky.qhjks.cn/", "用户名或密码"),
    ("https://jky qhjks.cn/", "空格"),
    ("https://jky.qhjks.cn/\u200b", "看不见"),
    ("https://localhost/", "不是公网域名"),
    ("https://localhost:8000/", "不是公网域名"),
    ("https://jky.localhost/", "不是公网域名"),
    ("https://intranet/", "不是公网域名"),
    ("https://2130706433/", "不是公网域名"),
    ("https://127.1/", "不是公网域名"),
    ("https://0x7f.1/", "写法不对"),
    ("https://jky..cn/", "写法不对"),
    ("https://-jky.qhjks.cn/", "写法不对"),
    ("https://jky_1.qhjks.cn/", "写法不对"),
    ("https://[::1/", "不是网址"),
    ("https://jky.qhjks.cn:99999/", "不是网址"),
    ("http://jky.qhjks.cn/", "https://"),
    ("//jky.qhjks.cn/", "https://"),
    ("jky.qhjks.cn", "https://"),
    ("https://jky.qhjks.cn/?from=1", "? 或 #"),
    ("https://example.com/", "示例地址"),
    ("https://www.example.net/jky/", "示例地址"),
    ("https://jky.example.edu.cn/", "示例地址"),
    ("https://jky.qhjks.test/", "示例地址"),
    ("https://site.example/", "示例地址"),
    ("https://x.invalid/", "示例地址"),
    ("https://jky.school.local/", "示例地址"),
    (README_URL, "示例地址"),  # the README's own example
    ("https://JKY.QINGHE.EDU.CN/plans/", "示例地址"),
    ("https://用户名.github.io/仓库名/", "示例地址"),  # the guide's
])
def test_site_url_that_is_no_public_address(url, reason):
    got = site_url_problem(url, demo_fingerprints().example_hosts)
    assert got and reason in got, got


@pytest.mark.parametrize("url", ["https://jky.qhjks.cn/", "https://jky.qhjks.cn", "https://学校.中国/计划/",
                                 "https://someone.github.io/plans/", "https://jky.qhjks.cn:8443/sub/"])
def test_site_url_of_a_real_site_passes(url):
    assert site_url_problem(url, demo_fingerprints().example_hosts) is None


@pytest.mark.parametrize("url, reason", [
    ("https://[::1]/", "是一个 IP 地址"), ("https://0.0.0.0/", "是一个 IP 地址"), ("https://example.com./", "以点结尾"),
    ("https://user:pass@jky.qhjks.cn/", "用户名或密码"), ("https://jky qhjks.cn/", "空格"), (README_URL, "是示例地址"),
])
def test_the_gate_refuses_a_site_url_set_by_the_workflow(site, url, reason):
    (hit,) = gate(site, process=url == README_URL, SITE_URL=url)
    file, line, field, message, hint = hit
    assert (file, field) == ("mkdocs.yml", "site_url") and line_of(site / file, line).startswith("site_url:")
    assert message.startswith(f"网站地址 {url} ") and reason in message and "订阅" in message and "site_url:" in hint


def test_the_address_the_gates_own_hint_shows_is_refused(site):
    (example,) = re.findall(r"https://[a-z.]+/", SITE_URL_HINT)
    (hit,) = gate(site, SITE_URL=example)
    assert "是示例地址" in hit[3] and example in hit[4]  # the hint says "换成你们自己的域名" beside it


# ------------------------------------------------------------------ placeholders


@pytest.mark.parametrize("key, value, mark", [
    ("name", "（待填写校名1）", "待填写"),
    ("name", "待填寫校名1", "待填写"),  # Traditional
    ("name", "江北区待填写校名1", "待填写"),
    ("name", "某某小学", "某某"),
    ("name", "江北区某某实验学校", "某某"),
    ("name", "XX小学", "XX"),
    ("name", "ｘｘ中学", "xx"),  # full-width
    ("name", "ＸＸ区实验小学", "XX"),
    ("name", "×××学校", "×××"),
    ("name", "XXX实验学校", "XXX"),
    ("name", "***小学", "***"),
    ("name", "未注明学校（a.txt）", "未注明"),
    ("short_name", "某某实小", "某某"),
    ("short_name", "XX实小", "XX"),
])
def test_a_placeholder_school_name_is_refused(site, key, value, mark):
    path = site / "plan_data/schools/qinghequ-shiyan-xiaoxue.yml"
    edit_yaml(path, lambda d: d.update({key: value}))
    (hit,) = gate(site, process=value == "待填寫校名1")
    file, line, field, message, hint = hit
    assert file == "plan_data/schools/qinghequ-shiyan-xiaoxue.yml" and field == key
    assert line_of(path, line).startswith(f"{key}:")
    assert message == f"“{value}”是占位名（“{mark}”），不是真实的名字" and hint.startswith(f"把 {key} 改成")


@pytest.mark.parametrize("title", ["某某小学2026年秋季学期教科室工作计划", "待填寫校名1 2026年秋季工作计划",
                                   "XX小学2026学年第一学期工作计划", "×××学校教科室工作计划"])
def test_a_placeholder_in_a_plan_title_is_refused(site, title):
    plan = our_plan(site)
    edit_yaml(plan, lambda d: d.update(title=title))
    (hit,) = gate(site)
    assert hit[2] == "title" and line_of(plan, hit[1]).startswith("title:") and "是占位名" in hit[3]


@pytest.mark.parametrize("key, value", [("site_name", "XX区教科研"), ("site_name", "某某小学教科室"),
                                        ("copyright", "© ×××小学"), ("copyright", "© 待填寫")])
def test_a_placeholder_in_the_site_name_or_copyright_is_refused(site, key, value):
    config = site / "mkdocs.yml"
    config.write_text(re.sub(rf"(?m)^{key}: .*$", f"{key}: \"{value}\"", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    (hit,) = gate(site)
    assert hit[:1] == ("mkdocs.yml",) and hit[2] == key and line_of(config, hit[1]).startswith(f"{key}:")
    assert "占位文字" in hit[3] and "例如" in hit[4]
