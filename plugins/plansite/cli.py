"""`plansite` command line: check plan data (more subcommands arrive with their issues)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import load_plan_data


def cmd_check(args: argparse.Namespace) -> int:
    result = load_plan_data(Path(args.dir))
    for problem in result.problems:
        tag = "错误" if problem.severity == "error" else "警告"
        print(f"{tag} {problem}")
    if result.errors:
        print(f"\n{len(result.errors)} 处错误，{len(result.warnings)} 处警告。改正后再运行 plansite check {args.dir}",
              file=sys.stderr)
        return 1
    d = result.data
    assert d is not None
    items = sum(len(b.items) for p in d.plans.values() for b in p.schedule)
    print(f"通过：{len(d.schools)} 所学校，{len(d.plans)} 份计划，{len(d.projects)} 项课题，{items} 条行事历"
          + (f"；{len(result.warnings)} 处警告" if result.warnings else ""))
    return 2 if args.strict and result.warnings else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plansite", description="PlanSite：教科室工作计划网站工具")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查 plan_data 文件夹，列出所有问题（文件:行 字段：说明）")
    check.add_argument("dir", nargs="?", default="plan_data", help="数据文件夹（默认 plan_data）")
    check.add_argument("--strict", action="store_true", help="有警告时也以非零状态退出（2）")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Chinese messages must print even where the locale is C/ASCII (CI containers, cron).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
