"""`plansite` command line: create a site, check plan data (and whether it can be published),
import plans from text or Word files (one by one, or dropped into inbox/), fix URL names,
render for other engines, edit in a browser."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..input.load import load_plan_data
from ..input.slugs import store_slugs


def cmd_check(args: argparse.Namespace) -> int:
    if args.publish:
        return cmd_check_publish(args)
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
    unstored = sum(len(v) for v in result.new_slugs.values())
    if unstored:
        print(f"提示：{unstored} 个网址名尚未登记，发布前运行 plansite slugs {args.dir} --write 固定它们")
    unclassified = [(p, i) for p in d.plans.values() for b in p.schedule for i in b.items if not i.category]
    if unclassified:
        # the public comparison pages list these for readers; how to file them is the editors' business
        print(f"提示：{len(unclassified)} 条行事历没有归入任何活动类别（学校对比页列为“未归类”）。"
              f"在 {args.dir}/categories.yml 里补充关键词，或在条目里写 category:，例如：")
        for plan, item in unclassified[:5]:
            print(f"    plan_data/{plan.where.file}:{item.line} {item.text}")
    return 2 if args.strict and result.warnings else 0


def cmd_check_publish(args: argparse.Namespace) -> int:
    """The publish gate (publish.py): every problem that must not go online, then exit 1; else 0."""
    from .publish import SiteConfigError, publish_problems, read_site_config

    data_dir = Path(args.dir)
    config = Path(args.config) if args.config else data_dir.resolve().parent / "mkdocs.yml"
    if not config.is_file():
        print(f"错误 {config}: 找不到站点配置\n    提示：在站点文件夹里运行，或用 --config 指出 mkdocs.yml", file=sys.stderr)
        return 1
    try:
        site = read_site_config(config)
    except SiteConfigError as e:
        print(f"错误 {e.problem}", file=sys.stderr)
        return 1
    if args.dir != "plan_data" or not site.data_dir.is_dir():
        site.data_dir = data_dir
    problems = publish_problems(site, shown_dir=args.dir)
    for problem in problems:
        print(f"错误 {problem}")
    if problems:
        print(f"\n{len(problems)} 处问题，改好之前不能发布。改完再运行 plansite check {args.dir} --publish", file=sys.stderr)
        return 1
    print(f"可以发布：{site.site_url}")
    return 0


def cmd_slugs(args: argparse.Namespace) -> int:
    """List the URL slugs not yet fixed in plan_data/slugs.yml; with --write, fix them there."""
    data_dir = Path(args.dir)
    result = load_plan_data(data_dir)
    if result.errors:
        for problem in result.errors:
            print(f"错误 {problem}")
        print("先改正这些错误，再登记网址。", file=sys.stderr)
        return 1
    new = {kind: entries for kind, entries in result.new_slugs.items() if entries}
    if not new:
        print("所有网址都已登记在 slugs.yml 中。")
        return 0
    for kind, entries in new.items():
        for eid, slug in sorted(entries.items()):
            print(f"{kind}/{eid} -> {slug}")
    if not args.write:
        print(f"\n以上 {sum(map(len, new.values()))} 个网址尚未登记；运行 plansite slugs {args.dir} --write 固定它们。")
        return 0
    store_slugs(data_dir, result)
    print(f"\n已写入 {data_dir / 'slugs.yml'}。已发布的网址不要再改。")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Write the generated pages, feeds and data with a plugin-free mkdocs.yml into a folder."""
    from .render import RenderError, render_project  # loads MkDocs' config: only for this command

    try:
        done = render_project(Path(args.config), Path(args.out), force=args.force)
    except RenderError as e:
        for problem in e.problems:
            print(f"错误 {problem}")
        hint = ("加 --force 替换它，或换一个 --out 文件夹。" if "已存在" in e.message
                else "" if "--out" in e.message else "改正后再运行。")
        print(f"{e.message}。{hint}", file=sys.stderr)
        return 1
    print(f"已写入 {done.out}：{done.pages} 个页面，共 {done.files} 个文件"
          + (f"；{len(done.kept)} 个手写页面保留原样" if done.kept else "") + "。")
    print(f"构建：cd {done.out} && mkdocs build（不需要 plansite 插件）")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create a school's or district's own site repository (newsite.py)."""
    from .newsite import GitEditor, NewSite, NewSiteError, create_site

    target = Path(args.dir)
    if args.province:
        return cmd_new_province(args)
    if not args.name:
        print("错误 缺少 --name\n    提示：例如 plansite new ../our-site --name 江北区实验小学教科室；"
              "省级门户写 --province 省名", file=sys.stderr)
        return 2
    editor = None
    if args.git or args.repo or args.git_url or args.app_id:
        if not (args.git and args.repo):
            print("错误 网页编辑器要同时写 --git 和 --repo\n    提示：例如 --git gitea --repo jiaoyanshi/plansite-site "
                  "--git-url https://git.qhjy.cn --app-id 客户端ID", file=sys.stderr)
            return 2
        editor = GitEditor(args.git, args.repo, args.git_url, args.app_id)
    if not args.plansite:
        print("正在把 PlanSite 打包进新网站的 vendor/ 文件夹（要十几秒）……")
    try:
        files = create_site(target, NewSite(args.name, tuple(args.school or ()), args.site_url, args.plansite, editor))
    except NewSiteError as e:
        print(f"错误 {e.message}\n    提示：{e.hint}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"已中断：没有创建 {target}，也没有留下任何文件。", file=sys.stderr)
        return 130
    print(f"已创建 {target}：{len(files)} 个文件（mkdocs.yml、plan_data/、docs/、发布和收件箱工作流、inbox/、"
          f"requirements.txt、README.md{'' if args.plansite else '、vendor/ 里的 PlanSite'}）。")
    print(f"下一步：cd {target} && plansite import 你们的计划.docx --term 2026秋，然后看 导入报告.md")
    from .fingerprints import demo_fingerprints
    from .siteurl import public_url_problem

    if editor is not None and not editor.ready:
        need = "OAuth 小服务的地址（base_url）" if editor.host == "github" else "OAuth2 应用的客户端 ID（app_id）"
        print(f"提示：网页编辑器还没有打开：在 mkdocs.yml 的 plansite → editor 里填上{need}，再把 enabled 改为 true"
              "（见编辑指南“在浏览器里编辑”）。")
    if not args.site_url:
        print("提示：还没有网站地址；发布前在 mkdocs.yml 的 site_url 写上（GitHub Pages 的工作流会自动填）。")
    elif reason := public_url_problem(args.site_url, demo_fingerprints().example_hosts):
        print(f"提示：网站地址 {args.site_url} {reason}，plansite check --publish 不会放行；发布前在 mkdocs.yml 的 site_url 写上真实地址。")
    return 0


def cmd_inbox(args: argparse.Namespace) -> int:
    """Import the plans dropped into inbox/, as a reviewed change (inbox.py)."""
    from .inbox import run_inbox

    return run_inbox(Path(args.dir), force=args.force)


def cmd_edit(args: argparse.Namespace) -> int:
    """The editor and the live preview of a site on 127.0.0.1 (editor/server.py)."""
    from .editor.server import EditError, run

    try:
        return run(Path(args.dir), args.port)
    except EditError as e:
        print(f"错误 {e.message}" + (f"\n    提示：{e.hint}" if e.hint else ""), file=sys.stderr)
        return 1
def cmd_new_province(args: argparse.Namespace) -> int:
    """A province's repository: the portal over its districts (province.py)."""
    from .newsite import NewSiteError
    from .province import create_province

    try:
        files = create_province(Path(args.dir), args.province, args.plansite)
    except NewSiteError as e:
        print(f"错误 {e.message}\n    提示：{e.hint}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"已中断：没有创建 {args.dir}，也没有留下任何文件。", file=sys.stderr)
        return 130
    print(f"已创建 {args.dir}：{len(files)} 个文件（districts.yml、门户的 mkdocs.yml、GitHub 和 Gitea 的工作流、requirements.txt、README.md）。")
    print(f"下一步：在 {args.dir}/districts.yml 里写上各区县，然后运行 plansite portal --build-districts")
    return 0


# The commands whose options live beside their code: importing that code (the importer's parser,
# the portal) costs most of a second, so it is only done for these commands or a full --help.
HEAVY = ("import", "portal")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; given the command being run, the options of the other HEAVY commands are
    left out (nothing else changes for that command)."""
    parser = argparse.ArgumentParser(prog="plansite", description="PlanSite：教科室工作计划网站工具")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查 plan_data 文件夹，列出所有问题（文件:行 字段：说明）")
    check.add_argument("dir", nargs="?", default="plan_data", help="数据文件夹（默认 plan_data）")
    check.add_argument("--strict", action="store_true", help="有警告时也以非零状态退出（2）")
    check.add_argument("--publish", action="store_true",
                       help="发布前检查：占位校名、网站地址、演示站文字、重复计划、标题年份与学期不符、没有计划的学校、没有行事历的计划、范文和模板文字、没有登记的网址名")
    check.add_argument("--config", help="站点配置（默认数据文件夹旁边的 mkdocs.yml；--publish 用）")
    check.set_defaults(func=cmd_check)
    slugs = sub.add_parser("slugs", help="列出尚未登记的网址名（拼音）；--write 写入 plan_data/slugs.yml")
    slugs.add_argument("dir", nargs="?", default="plan_data", help="数据文件夹（默认 plan_data）")
    slugs.add_argument("--write", action="store_true", help="把新网址写入 slugs.yml")
    slugs.set_defaults(func=cmd_slugs)
    render = sub.add_parser("render", help="把生成的页面和数据写到文件夹，供没有本插件的引擎构建")
    render.add_argument("--out", required=True, help="输出文件夹（里面会有 docs/ 和 mkdocs.yml）")
    render.add_argument("--config", "-f", default="mkdocs.yml", help="站点配置（默认 mkdocs.yml）")
    render.add_argument("--force", action="store_true", help="输出文件夹已有内容时替换它")
    render.set_defaults(func=cmd_render)
    new = sub.add_parser("new", help="为本校或本区创建自己的网站（不含任何演示内容）")
    new.add_argument("dir", help="新网站的文件夹（不能是已有内容的文件夹）")
    new.add_argument("--name", help="站点名，例如 江北区实验小学教科室（建学校或区县网站时必填）")
    new.add_argument("--province", metavar="省名", help="改为创建省级门户的仓库：区县清单、门户设置和构建工作流")
    new.add_argument("--school", action="append", metavar="学校名", help="学校全称；区级网站可写多次")
    new.add_argument("--site-url", help="网站地址，例如 https://jky.school.edu.cn/（订阅日历要用）")
    new.add_argument("--plansite", metavar="来源",
                     help="新网站的 requirements.txt 从哪里装 PlanSite：默认把正在运行的 PlanSite 打包进新网站"
                          "（vendor/plansite-版本号-py3-none-any.whl），也可写 git 地址，例如 git+https://github.com/学校/plansite@v0.1.0")
    new.add_argument("--git", choices=("gitea", "forgejo", "github"),
                     help="网页编辑器保存到哪种 Git 服务：区里自己的 gitea 或 forgejo（无需另建服务），或 github")
    new.add_argument("--repo", metavar="所有者/仓库名", help="网站仓库在 Git 服务上的名字，例如 jiaoyanshi/plansite-site")
    new.add_argument("--git-url", metavar="地址",
                     help="gitea/forgejo：Git 服务的地址，例如 https://git.qhjy.cn；github：OAuth 小服务的地址")
    new.add_argument("--app-id", metavar="客户端ID", help="gitea/forgejo：为编辑器新建的 OAuth2 应用的客户端 ID（可以以后再填）")
    new.set_defaults(func=cmd_new)
    inbox = sub.add_parser("inbox", help="导入放进 inbox/ 的计划，原文移到 inbox/done/；在 Git 仓库里提交到新分支并建立拉取请求",
                           description="逐个文件读出学校和学期（标题、正文，或所在文件夹、文件名），导入 plan_data，"
                                       "写导入报告；在 Git 仓库里提交到新分支 inbox/日期-编号，配置了 GitHub 或 Gitea 时建立拉取请求。")
    inbox.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    inbox.add_argument("--force", action="store_true", help="覆盖内容不同的已有文件（重新上传修改过的计划时）")
    inbox.set_defaults(func=cmd_inbox)
    edit = sub.add_parser("edit", help="在本机打开网页编辑器和实时预览（只有这台电脑能访问）")
    edit.add_argument("dir", nargs="?", default=".", help="网站文件夹（有 mkdocs.yml 的那个，默认当前文件夹）")
    edit.add_argument("--port", type=int, default=8000, help="端口（默认 8000）：编辑器在 http://127.0.0.1:端口/admin/")
    edit.set_defaults(func=cmd_edit)
    every = command not in (*sub.choices, *HEAVY)  # no command, --help or a misspelt one: all are listed
    if every or command == "import":
        from ..importer.command import add_import_parser  # the importer's own options
        from .publish import import_open_problems

        add_import_parser(sub, import_open_problems)
    if every or command == "portal":
        from .portal import add_portal_parser

        add_portal_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Chinese messages must print even where the locale is C/ASCII (CI containers, cron).
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
