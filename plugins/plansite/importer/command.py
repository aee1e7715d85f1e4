"""`plansite import FILE... [--out plan_data] [--school NAME] [--term 2026秋] [--force] [--json]`.

Exit codes: 0 done; 1 bad input, conflicts with existing files, or output that would not load;
2 a plan's year is unknown and --term was not given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..input.dates import DateError, parse_term
from ..input.yamlsrc import Problem
from .dump import ImportBusy, NeedsTerm, Options, build_output, check_output, import_lock, plan_writes, write_files
from .errors import PlanImportError
from .parse import parse_file
from .read import site_file
from .result import FileResult
from .review import failure_lines, markdown_report, report_path, review, terminal_lines


def add_import_parser(sub, open_problems: Callable[[Path], list[Problem]]) -> None:
    """open_problems(plan_data folder): what the data holds that stops a publish (the publish gate's
    data checks, which live above this package), listed at the top of every report."""
    p = sub.add_parser("import", help="把学校的工作计划（.txt/.md/.docx/.pdf）导入为 plan_data 文件",
                       description="读取工作计划原文，找出计划、行事历和课题，写成 plan_data 下的 YAML 和 Markdown。")
    p.add_argument("files", nargs="+", metavar="FILE", help="计划文件：.txt、.md（UTF-8 或 GBK）、.docx 或有文字层的 .pdf")
    p.add_argument("--out", default="plan_data", help="数据文件夹（默认 plan_data）")
    p.add_argument("--school", help="学校名称（或 plan_data 里已有学校的 id）；给出时所有计划都归这所学校")
    p.add_argument("--term", help="学期，原文没写年份时必需：2026秋、2027春、2026-09..2027-01")
    p.add_argument("--force", action="store_true", help="覆盖内容不同的已有文件")
    p.add_argument("--json", action="store_true", help="不写文件，只打印识别出的结构（JSON）")
    p.add_argument("--keep-duplicates", action="store_true",
                   help="文字 80%% 以上相同的计划也各自导入（默认只导入第一份）")
    p.add_argument("--report", help="导入报告写到哪里（默认 plan_data 旁边的 导入报告.md）")
    p.set_defaults(func=cmd_import, open_problems=open_problems)


def cmd_import(args: argparse.Namespace) -> int:
    term = None
    if args.term:
        try:
            term = parse_term(args.term)
        except DateError as e:
            print(f"错误 --term {args.term!r}：{e.message}\n    提示：{e.hint}", file=sys.stderr)
            return 1
    out_dir = Path(args.out)
    names = []
    for name in args.files:
        owned = site_file(name, out_dir, Path(args.report) if args.report else None)
        if owned:  # a glob in the site's folder picks these up: said, not imported
            print(f"略过 {name}：站点自己的文件（{owned}），不是计划", file=sys.stderr if args.json else sys.stdout)
        else:
            names.append(name)
    if not names:
        print("错误 没有要导入的计划：给出的都是站点自己的文件\n"
              "    提示：给出计划文件本身，例如 plansite import 原文/*.docx --term 2026秋", file=sys.stderr)
        return 1
    results: list[FileResult] = []
    failed = 0
    for name in names:
        try:
            results.append(parse_file(name))
        except PlanImportError as e:
            print(f"错误 {e}", file=sys.stderr)
            failed += 1
    if args.json:
        plans = [p for r in results for p in r.to_json()["plans"]]
        noise = [n for r in results for n in r.to_json()["noise"]]
        accounting = [r.to_json()["accounting"] for r in results if r.accounting is not None]
        print(json.dumps({"plans": plans, "noise": noise, "accounting": accounting}, ensure_ascii=False, indent=2))
        return 1 if failed else 0
    if failed:
        print(f"\n{failed} 个文件无法导入，没有写入任何文件。改正或去掉这些文件后重新运行。", file=sys.stderr)
        return 1
    if not any(p.is_school_plan for r in results for p in r.plans):
        print("错误 没有找到学校工作计划：原文里没有可识别的计划内容\n"
              "    提示：用 --json 查看识别结果；计划应有标题、“一、指导思想”之类的小标题或“九月份”之类的行事历", file=sys.stderr)
        return 1
    if out_dir.exists() and not out_dir.is_dir():
        print(f"错误 --out {out_dir}：这是一个文件，不是数据文件夹，没有写入任何文件\n"
              "    提示：--out 写数据文件夹，例如 --out plan_data", file=sys.stderr)
        return 1
    flags = [f"{flag} {value}" for flag, value in (("--school", args.school), ("--term", args.term),
                                                   ("--out", args.out)) if value]
    options = Options(args.school, term, args.force, args.keep_duplicates)
    command = " ".join(["plansite import", *args.files, *flags])
    return import_results(out_dir, results, options, args.report, command, args.open_problems).status


@dataclass
class Imported:
    status: int  # the exit status: 0 written, 1 nothing written (conflict, check, busy), 2 a term is needed
    report: Path | None = None  # the review written, when the import was


def import_results(out_dir: Path, results: list[FileResult], options: Options, report: str | None,
                   command: str, open_problems: Callable[[Path], list[Problem]] | None = None) -> Imported:
    """Parsed files -> plan_data files and the review: what `plansite import` and `plansite inbox`
    do once the files are read. Prints what it did; writes nothing unless everything is right.
    open_problems(plan_data folder): what the data holds that stops a publish (the publish gate's
    data checks, which live above this package), listed at the top of the review."""
    try:
        with import_lock(out_dir):
            return _import_into(out_dir, results, options, report, command, open_problems)
    except ImportBusy as e:
        print(f"错误 {e}，没有写入任何文件\n    提示：等另一个 plansite import 结束后再运行", file=sys.stderr)
        return Imported(1)
    except OSError as e:
        print(f"错误 无法写入 {out_dir}：{e.strerror}（{e.filename}），导入没有完成\n"
              "    提示：检查文件夹的权限和磁盘空间；已写入的文件各自完整，可以修正后重新运行", file=sys.stderr)
        return Imported(1)


def _import_into(out_dir: Path, results: list[FileResult], options: Options, report: str | None,
                 command: str, open_problems: Callable[[Path], list[Problem]] | None) -> Imported:
    try:
        output = build_output(results, out_dir, options)
    except NeedsTerm as e:
        print("需要指定学期：下面的计划没有写明是哪一年的哪个学期，无法确定月份所在的年份。", file=sys.stderr)
        for file, plan in e.plans:
            hint = f"（标题里有“{plan.year_hint}年”）" if plan.year_hint else ""
            print(f"  {file}:{plan.first} {plan.title or '（无标题的计划）'}{hint}", file=sys.stderr)
        example = next((p.year_hint for _, p in e.plans if p.year_hint), 2026)
        print(f"    提示：加上 --term，例如 --term {example}秋（{example}年9月～次年1月）或 --term {example}春"
              f"（{example}年2月～7月）；也可写 --term {example}-09..{example + 1}-01", file=sys.stderr)
        return Imported(2)
    writes = plan_writes(out_dir, output.files, options.force)
    if writes.conflicts:
        print("下面的文件已经存在且内容不同，没有写入任何文件：", file=sys.stderr)
        for rel in writes.conflicts:
            print(f"  {out_dir / rel}", file=sys.stderr)
        print("    提示：确认可以覆盖后加 --force（已有课题会合并学校和阶段）；或用 --out 换一个文件夹", file=sys.stderr)
        return Imported(1)
    problems = check_output(out_dir, output.files)
    if problems:
        print("导入结果没有通过 plansite check，没有写入任何文件：", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return Imported(1)
    write_files(out_dir, output.files, writes.new + writes.replaced)
    rv = review(results, output, out_dir, _NOISE_KIND, open_problems(out_dir) if open_problems else [])
    for line in failure_lines(rv):  # a plan that came out empty is the first thing said
        print(line)
    _print_summary(results, output, writes, out_dir)
    for line in terminal_lines(rv):
        print(line)
    path = report_path(out_dir, report)
    earlier = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    path.write_text(markdown_report(rv, command, earlier), encoding="utf-8")
    print(f"导入报告：{path}（每份计划的学校、学期及其来源，没放进行事历的行，每个问题的改法）")
    return Imported(0, path)


def _print_summary(results: list[FileResult], output, writes, out_dir: Path) -> None:
    for result in results:
        school_plans = [p for p in result.plans if p.is_school_plan]
        skipped = len(result.plans) - len(school_plans)
        print(f"{result.name}：找到 {len(school_plans)} 份计划" + (f"，{skipped} 份不是学校计划，已略过" if skipped else ""))
        for report in (r for r in output.reports if r.file == result.name):
            plan = report.plan
            print(f"  {report.plan_id}：{plan.title or '（无标题）'}｜{report.term.label}｜{report.months} 个月份标题，"
                  f"{report.items} 条安排，{len(plan.projects)} 项课题")
            for note in report.notes:
                print(f"    注意：{note}")
        if result.accounting is not None:
            a = result.accounting
            # the writer may still set lines aside (a month outside the term): those are unplaced too
            later = {u.line for r in output.reports if r.file == result.name for u in r.unplaced} & set(a.placed)
            unplaced = {u.line for u in a.unplaced} | later
            u = result.unit
            print(f"  共 {len(a.total)} {u}：放进计划 {len(a.placed) - len(later)} {u}，作为网页杂项略过 {len(a.noise)} {u}，"
                  f"未能放入 {len(unplaced)} {u}" + (f"，未归类 {len(a.missing)} {u}" if a.missing else ""))
        for noise in result.noise:
            first = noise.text.splitlines()[0] if noise.text else ""
            where = f"{noise.first}" if noise.first == noise.last else f"{noise.first}-{noise.last}"
            print(f"  略过 {result.name}:{where}（{_NOISE_KIND.get(noise.kind, noise.kind)}）{_short(first)}")
    unplaced = [(r.file, u) for r in output.reports for u in r.unplaced]
    if unplaced:
        print("\n没能放进行事历的行（已写进工作措施 .md，请核对）：")
        for file, u in unplaced:
            print(f"  {file}:{u.line} {_short(u.text)} —— {u.why}")
    total_items = sum(r.items for r in output.reports)
    total_months = sum(r.months for r in output.reports)
    projects = sum(1 for rel in output.files if rel.startswith("projects/"))
    print(f"\n写入 {out_dir}：新建 {len(writes.new)} 个文件，覆盖 {len(writes.replaced)} 个，{len(writes.same)} 个未变"
          + (f"，沿用已有 {len(output.reused)} 所学校" if output.reused else "")
          + f"。共 {len(output.reports)} 份计划，{total_months} 个月份标题，{total_items} 条安排，{projects} 项课题。")
    print(f"下一步：按下面的改法改好，再运行 plansite check {out_dir} --publish。")


_NOISE_KIND = {"header": "合集标题", "blurb": "网站附加文字", "footer": "网站页脚", "teaser": "搜索摘要",
               "preface": "合集前言", "not_school_plan": "不是学校计划",
               "chrome": "网页栏目、按钮或发布信息", "cms_title": "网站的文章标题（正文自有标题）", "toc": "目录",
               "page_title": "粘在标题前的网页标题", "related": "网页上的其他文章", "page": "页码", "artifact": "零散符号", "residue": "网页排版残留"}


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"
