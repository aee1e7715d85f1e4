#!/usr/bin/env python3
"""A deterministic synthetic district in the genre, for benchmarks and scale tests.

    scripts/gen_corpus.py --schools 200 --seed 1 --out /tmp/district

writes DIR/mkdocs.yml, DIR/docs/ and DIR/plan_data/: N schools, each with a spring and an autumn
plan (about 50 schedule items each, month headings of every form the genre uses, dated items,
project links), 5 projects per school at mixed levels, most cited by both terms with stages that
move forward, and a few shared by two schools. The same arguments write the same bytes.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

from plansite.input.dates import parse_month_label

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "晓明华丽芳静敏强军磊洋勇艳杰娟涛超秀霞平刚桂英建文辉玲雪梅琳晨宇浩然欣怡子涵佳颖思远雨桐志宏可欣"
PLACES = ["清河", "柳湾", "枫林", "南湖", "东坡", "西苑", "北塘", "青石", "白沙", "金桥", "凤鸣", "龙泉", "桃源", "梅岭",
          "杏坛", "临江", "望湖", "石门", "双桥", "长乐", "安澜", "兴华", "育才", "启明", "春晖", "博雅", "崇文", "明德"]
DISTRICTS = ["清河区", "东湖区", "临江区", "高新区", "白沙县", "青石县", "金桥镇", "凤鸣区"]
KINDS = [("小学", "实验小学"), ("小学", "中心小学"), ("小学", "小学"), ("初中", "初级中学"), ("初中", "中学"),
         ("九年一贯制", "学校"), ("小学", "第二小学"), ("初中", "实验中学")]
SUBJECTS = ["语文", "数学", "英语", "科学", "美术", "音乐", "体育", "道德与法治", "信息技术", "劳动"]
TOPICS = ["整本书阅读", "分层作业设计", "课堂即时评价", "项目化学习", "大单元教学", "跨学科主题学习", "作业减负增效",
          "家校共育", "劳动教育课程", "传统文化进课堂", "校本课程开发", "深度学习", "情境教学", "思维可视化",
          "学习任务群", "表现性评价", "阅读素养提升", "实验探究能力培养", "小初衔接", "乡土课程资源"]
FRAMES = ["{s}{t}的实践研究", "指向核心素养的{s}{t}研究", "“双减”背景下{s}{t}的策略研究", "{t}视角下{s}教学的行动研究",
          "基于{t}的{s}课堂转型研究", "农村学校{s}{t}的校本研究"]
LEVELS = ["国家级", "省级", "省级", "市级", "市级", "市级", "区级", "区级", "县级", "镇级", "校级", "校级"]
ISSUERS = {"国家级": "中国教育学会", "省级": "江苏省教育科学规划领导小组办公室", "市级": "江东市教育科学研究院",
           "区级": "区教师发展中心", "县级": "县教研室", "镇级": "镇中心校教研组", "校级": "学校教科室"}
STAGES = ["申报", "立项", "开题", "中期", "结题"]

ITEMS = {
    "课题研究": ["{p}课题组制订本学期研究计划。", "召开课题主持人会议，交流{p}研究进展。", "{p}课题研究课：{g}年级{s}。",
             "撰写{p}课题阶段小结。", "{p}课题组成员集体研读文献，完成读书笔记。"],
    "校本培训": ["新教师“青蓝结对”拜师活动。", "{s}学科校本研修：{t}专题学习。", "青年教师读书沙龙：共读教育专著一章。",
             "网络研修：观看{s}名师课堂实录并研讨。"],
    "论文评比": ["组织教师参加区教育教学论文评比。", "征集{s}教学案例和教学反思，择优推荐。", "教师论文写作指导会。"],
    "公开课": ["{s}组青年教师赛课。", "骨干教师{s}示范课展示。", "{s}同课异构研讨活动。", "“一课三磨”：{g}年级{s}。"],
    "专家讲座": ["邀请市教科院专家作{t}专题讲座。", "专家讲座：如何撰写课题研究报告。", "名师工作室送教来校。"],
    "读书活动": ["第{n}届校园读书节。", "师生共读一本书，开展读书交流会。", "“书香校园”好书推荐活动。"],
    "竞赛": ["学生{s}竞赛选拔。", "第{n}届校园科技节：小发明、小制作评比。", "学生写字比赛。"],
    "检查考核": ["教学常规检查（教案、作业、听课记录）。", "迎接区教育局教学视导。", "期中教学质量分析。"],
    "总结计划": ["制订教科室工作计划，召开教研组长会议。", "各课题组资料归档。", "撰写教科室工作总结。"],
    "社团活动": ["学生社团展示活动。", "{s}兴趣小组成果展。", "校园艺术节文艺汇演。"],
}
# Month headings as schools write them: one layout per plan, chosen at random.
SPRING_LABELS = [["二月份", "三月份", "四月、五月", "六—七月份"], ["二月 三月", "四月份", "五月份", "6月份", "七月"],
                 ["2月", "3月", "4月", "5月", "6月", "7月"]]
AUTUMN_LABELS = [["九月份", "十月份", "十一月份——十二月份", "元月份"], ["9月", "10月份", "十一月", "十二月", "元月"],
                 ["九月", "十月", "十一月 十二月", "一月份"]]
GUIDING = ["以“科研兴校、科研强师”为工作思路，立足课堂，服务教学。", "坚持问题即课题、教学即研究，推动教科研与日常教学融合。",
           "以课题研究为抓手，以校本研修为载体，促进教师专业成长。", "围绕学校三年发展规划，深化课程改革，提高教育质量。"]
MEASURES = ["加强校本研修，提升教师专业素养", "规范课题管理，提高研究实效", "搭建展示平台，促进成果转化",
            "深化课堂改革，聚焦核心素养", "加强理论学习，更新教育观念"]


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def q(text: str) -> str:
    """A YAML double-quoted scalar (the text may contain colons and quotes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def school_files(i: int, rng: random.Random, prefix: str = "") -> tuple[str, dict]:
    place = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else str(i // len(PLACES) + 1))
    stage, suffix = KINDS[(i * 7) % len(KINDS)]
    district = DISTRICTS[(i * 3) % len(DISTRICTS)]
    sid = f"{prefix}s{i:04d}"
    info = {"id": sid, "name": f"江东市{district}{place}{suffix}", "short": f"{place}{suffix[-2:]}", "district": district,
            "stage": stage}
    text = "\n".join([
        f"name: {info['name']}", f"short_name: {info['short']}", "province: 江苏省", "city: 江东市",
        f"district: {district}", f"stage: {stage}", f"website: https://{sid}.example.edu.cn",
        f"motto: {rng.choice(['让每一个孩子都得到发展', '立德树人，和而不同', '读书明理，实践创新', '崇文尚美，求真向善'])}",
        f"features: {rng.choice(TOPICS)}、{rng.choice(SUBJECTS)}特色课程", ""])
    return text, info


def project_files(school: dict, k: int, rng: random.Random, partner: dict | None) -> tuple[str, str, dict]:
    pid = f"{school['id']}-p{k}"
    subject, topic = SUBJECTS[(k * 3 + int(school["id"][-4:])) % len(SUBJECTS)], rng.choice(TOPICS)  # titles differ
    title = FRAMES[k % len(FRAMES)].format(s=subject, t=topic)
    level = rng.choice(LEVELS)
    start = rng.randrange(0, 3)  # 申报, 立项 or 开题 before spring 2026
    history = []
    terms = ["2024秋", "2025春", "2025秋"]
    for n, stage in enumerate(STAGES[: start + 1]):
        history.append(f"  - stage: {stage}\n    term: {terms[n]}")
    schools = [school["id"]] + ([partner["id"]] if partner else [])
    text = "\n".join([
        f"title: {q(title)}", f"level: {level}", f"issuer: {ISSUERS[level]}", "cycle: 十四五",
        f"schools: [{', '.join(schools)}]", f"host: {name(rng)}", f"members: [{', '.join(name(rng) for _ in range(3))}]",
        "stages:", *history, ""])
    return pid, text, {"id": pid, "title": title, "next": start + 1}


def item_text(rng: random.Random, category: str, project: str) -> str:
    return rng.choice(ITEMS[category]).format(p=project, s=rng.choice(SUBJECTS), t=rng.choice(TOPICS),
                                              g=rng.choice("一二三四五六七八九"), n=rng.randrange(2, 12))


def plan_files(school: dict, term: str, projects: list[dict], rng: random.Random) -> tuple[str, str]:
    spring = term.endswith("春")
    labels = rng.choice(SPRING_LABELS if spring else AUTUMN_LABELS)
    lines = [f"school: {school['id']}", f"term: {term}",
             f"title: {school['name'].replace('江东市', '')}2026年{'春季' if spring else '秋季'}学期教科室工作计划",
             f"guiding: {q(rng.choice(GUIDING) + rng.choice(GUIDING))}", "goals:"]
    lines += [f"  - {q(g)}" for g in rng.sample(["完善教科研常规管理。", "做好课题过程管理和阶段评估。", "组织教师参加论文评比，提高获奖率。",
                                                  "开展校本研修，培养青年教师。", "办好读书节，营造书香校园。"], 3)]
    lines.append("projects:")
    cited = []
    for p in projects:
        stage = STAGES[min(p["next"], 4)] if rng.random() < 0.7 else None
        if stage:
            p["next"] += 1
        lines.append(f"  - id: {p['id']}" + (f"\n    stage: {stage}" if stage else ""))
        cited.append(p)
    lines.append("schedule:")
    categories = list(ITEMS)
    for text in labels:
        month = parse_month_label(text)[0]
        lines += [f"  - label: {text}", "    items:"]
        for _ in range(rng.randrange(9, 14)):
            category = rng.choice(categories)
            project = rng.choice(cited) if cited and category == "课题研究" else None
            short = project["title"][:8] if project else ""
            body = item_text(rng, category, short)
            if rng.random() < 0.45:
                day = rng.randrange(1, 28)
                date = rng.choice([f"{month}月{day}日", f"{month}.{day}～{month}.{min(day + 4, 28)}", f"{month}月中旬",
                                   f"{month}月下旬"])
                lines.append(f"      - text: {q(body)}\n        date: {date}")
                if rng.random() < 0.3:
                    lines.append(f"        who: {rng.choice(['教科室', '教导处', '各课题组', '语文教研组', '数学教研组'])}")
                if project:
                    lines.append(f"        projects: [{project['id']}]")
            elif project:
                lines.append(f"      - text: {q(body)}\n        projects: [{project['id']}]")
            else:
                lines.append(f"      - {q(body)}")
    measures = []
    for n, head in enumerate(rng.sample(MEASURES, 3)):
        measures.append(f"## {'一二三'[n]}、{head}\n")
        for k in range(2):
            measures.append(f"### （{'一二'[k]}）{rng.choice(TOPICS)}\n")
            measures.append("".join(rng.choice(GUIDING) for _ in range(3)) + "\n")
    return "\n".join(lines) + "\n", "\n".join(measures)


MKDOCS = """site_name: 江东市中小学教科研工作计划（合成数据 {n} 所学校）
site_url: https://district.example.org/
theme:
  name: material
  language: zh
  font: false
plugins:
  - search
  - plansite
watch:
  - plan_data
nav:
  - 首页: index.md
  - 行事历: calendar/index.md
  - 学校: schools/index.md
  - 课题: projects/index.md
  - 学校对比: compare/index.md
  - 关于: about.md
"""


def generate(schools: int, seed: int, out: Path, prefix: str = "") -> None:
    """prefix: put before every school id, so the districts of one province have ids of their own."""
    rng = random.Random(seed)
    data = out / "plan_data"
    if data.exists():
        shutil.rmtree(data)
    for sub in ("schools", "projects", "plans"):
        (data / sub).mkdir(parents=True)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "docs" / "about.md").write_text("# 关于\n\n合成的区县数据，用于测量构建速度。\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(MKDOCS.format(n=schools), encoding="utf-8")
    infos = []
    for i in range(schools):
        text, info = school_files(i, rng, prefix)
        (data / "schools" / f"{info['id']}.yml").write_text(text, encoding="utf-8")
        infos.append(info)
    for i, school in enumerate(infos):
        projects = []
        for k in range(5):
            partner = infos[(i + 1) % len(infos)] if k == 4 and len(infos) > 1 and i % 4 == 0 else None
            pid, text, info = project_files(school, k, rng, partner)
            (data / "projects" / f"{pid}.yml").write_text(text, encoding="utf-8")
            projects.append(info)
        for term, key in (("2026春", "2026-spring"), ("2026秋", "2026-autumn")):
            plan, measures = plan_files(school, term, projects, rng)
            (data / "plans" / f"{school['id']}-{key}.yml").write_text(plan, encoding="utf-8")
            (data / "plans" / f"{school['id']}-{key}.md").write_text(measures, encoding="utf-8")


def plans_json(project: Path, site_url: str | None = None) -> bytes:
    """The district's data/plans.json as its build would write it, made without building the site:
    the export (output/feeds/json_export.py) run on the loaded plan data."""
    from plansite.adapters.config import validate_options
    from plansite.input.load import load_plan_data
    from plansite.output.feeds import json_export
    from plansite.output.pages import compare
    from plansite.output.site import site_from_options

    options, errors = validate_options({})
    assert options is not None, errors
    result = load_plan_data(project / "plan_data")
    assert result.data is not None, result.errors[:3]
    site = site_from_options(result.data, options, use_directory_urls=True, site_name="", site_url=site_url)
    (output,) = json_export.build(site, [site.url(p) for p in compare.compare_paths(site)])
    return output.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--prefix", default="", help="before every school id (a province's districts: qh-, dh- …)")
    parser.add_argument("--plans-json", action="store_true",
                        help="also write OUT/data/plans.json from the export code, without building the site")
    args = parser.parse_args()
    generate(args.schools, args.seed, args.out, args.prefix)
    if args.plans_json:
        (args.out / "data").mkdir(exist_ok=True)
        (args.out / "data" / "plans.json").write_bytes(plans_json(args.out))


if __name__ == "__main__":
    main()
