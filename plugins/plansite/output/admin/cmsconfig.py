"""The editor's config.yml, generated from the plan data model (input/model.py's file schema).

Every field of SchoolFile, PlanFile (with its projects, months and items), ProjectFile (with its
stages) and CategoryFile becomes a Decap CMS field: its widget from its type (text, list, nested
object, a choice of LEVELS or STAGES), its label from the words of the site and the editors'
guide (LABELS), its hint from the model's own description (with its examples), required as the
model requires it. What a type cannot say is in WIDGETS: which ids point at another collection
(a relation), which texts are Markdown (raw mode first: Chinese input methods misbehave in rich
text) or long text, which choice comes from the category taxonomy. A model field that is neither
labelled nor left out on purpose (HIDDEN) stops the generation, so the editor cannot fall behind
the model.

One collection is not plan data: 上传计划（Word/PDF）, where a teacher drops a plan file into the
site's inbox/ with, optionally, its school and term (UPLOAD): each entry is a small .yml in inbox/
naming its file; `plansite inbox` (adapters/inbox.py) imports the file with them.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel

from ...input import model as m
from ...input.categories import CategoryFile
from ...input.dates import DateError, parse_term

# (model, field) -> label: the words the site and the editors' guide use
LABELS: dict[tuple[type[BaseModel], str], str] = {
    (m.SchoolFile, "id"): "学校编号", (m.SchoolFile, "name"): "校名", (m.SchoolFile, "short_name"): "简称",
    (m.SchoolFile, "province"): "省", (m.SchoolFile, "city"): "市", (m.SchoolFile, "district"): "区/县",
    (m.SchoolFile, "stage"): "学段", (m.SchoolFile, "website"): "学校网站", (m.SchoolFile, "motto"): "办学理念",
    (m.SchoolFile, "features"): "办学特色",
    (m.PlanFile, "school"): "学校", (m.PlanFile, "term"): "学期", (m.PlanFile, "title"): "计划标题",
    (m.PlanFile, "office"): "制订部门", (m.PlanFile, "guiding"): "指导思想", (m.PlanFile, "goals"): "工作目标",
    (m.PlanFile, "measures"): "工作措施", (m.PlanFile, "projects"): "本计划的课题", (m.PlanFile, "schedule"): "行事历",
    (m.PlanProjectFile, "id"): "课题", (m.PlanProjectFile, "stage"): "本计划完成的阶段",
    (m.PlanProjectFile, "note"): "本学期安排",
    (m.BlockFile, "label"): "月份", (m.BlockFile, "months"): "覆盖的年月", (m.BlockFile, "items"): "工作",
    (m.ItemFile, "text"): "工作内容", (m.ItemFile, "date"): "日期", (m.ItemFile, "who"): "负责",
    (m.ItemFile, "category"): "活动类别", (m.ItemFile, "projects"): "相关课题", (m.ItemFile, "id"): "条目编号",
    (m.ProjectFile, "id"): "课题编号", (m.ProjectFile, "title"): "课题名称", (m.ProjectFile, "level"): "级别",
    (m.ProjectFile, "issuer"): "立项单位", (m.ProjectFile, "cycle"): "规划周期", (m.ProjectFile, "schools"): "承担学校",
    (m.ProjectFile, "host"): "主持人", (m.ProjectFile, "members"): "核心成员", (m.ProjectFile, "stages"): "阶段记录",
    (m.ProjectFile, "summary"): "课题简介",
    (m.StageFile, "stage"): "阶段", (m.StageFile, "term"): "学期", (m.StageFile, "date"): "日期",
    (m.StageFile, "note"): "说明",
    (CategoryFile, "name"): "类别名", (CategoryFile, "slug"): "网址名", (CategoryFile, "keywords"): "关键词",
}

# Fields the form leaves out; a saved entry keeps them as they were (Decap keeps unknown keys).
# slug: a published URL must not change from a form; a plan's id is set once, from its school and
# term, when it is created (plansite-admin.js).
HIDDEN = {(m.SchoolFile, "slug"), (m.PlanFile, "slug"), (m.ProjectFile, "slug"), (m.PlanFile, "id")}

# Hints where the model's description is about files rather than the form
HINTS: dict[tuple[type[BaseModel], str], str] = {
    (m.SchoolFile, "id"): "新建学校时填写：文件名和网址用的拼音，小写字母、数字和连字符，例如 qinghe-xiaoxue。已有的学校不用填",
    (m.ProjectFile, "id"): "新建课题时填写：文件名和网址用的拼音，小写字母、数字和连字符，例如 qh-zhengben-yuedu。已有的课题不用填",
    (m.PlanFile, "measures"): "工作措施（Markdown，可用 ##、### 分层）。已有同名 .md 文件的计划，请在“工作措施（Markdown 文件）”里改",
    (m.BlockFile, "months"): "一般不用填。标题读不出月份时，写出覆盖的年月，例如 2027-01",
    (m.PlanFile, "school"): "这份计划是哪所学校的（学校在“学校”里新建）",
    (m.PlanProjectFile, "id"): "选择课题（课题在“课题”里新建）",
    (m.ProjectFile, "schools"): "承担学校（可多选）",
    (m.ItemFile, "category"): "不选时，网站按关键词自动归类",
    (m.ItemFile, "projects"): "这条工作属于哪个课题（可多选）",
    (m.ItemFile, "id"): "一般不用填：固定的编号，用于稳定的链接和日历",
}


@dataclass(frozen=True)
class Widget:
    """What a field's type cannot say."""

    name: str  # relation, markdown, text, category
    collection: str | None = None  # for a relation: schools or projects


WIDGETS: dict[tuple[type[BaseModel], str], Widget] = {
    (m.PlanFile, "school"): Widget("relation", "schools"),
    (m.PlanFile, "guiding"): Widget("markdown"),
    (m.PlanFile, "measures"): Widget("markdown"),
    (m.PlanFile, "goals"): Widget("text"),
    (m.PlanProjectFile, "id"): Widget("relation", "projects"),
    (m.PlanProjectFile, "note"): Widget("text"),
    (m.ItemFile, "text"): Widget("text"),
    (m.ItemFile, "category"): Widget("category"),
    (m.ItemFile, "projects"): Widget("relation", "projects"),
    (m.ProjectFile, "schools"): Widget("relation", "schools"),
    (m.ProjectFile, "summary"): Widget("markdown"),
    (m.SchoolFile, "motto"): Widget("text"),
    (m.SchoolFile, "features"): Widget("text"),
}

# How a list's entries read when folded: the field shown
SUMMARIES = {m.BlockFile: "{{fields.label}}", m.ItemFile: "{{fields.text}}", m.PlanProjectFile: "{{fields.id}} {{fields.stage}}",
             m.StageFile: "{{fields.stage}} {{fields.term}}{{fields.date}}", CategoryFile: "{{fields.name}}"}

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RELATION_DISPLAY = {"schools": ("name", ["name", "short_name"]), "projects": ("title", ["title", "host"])}


@dataclass(frozen=True)
class EditorSettings:
    """Where the editor reads and writes, and through which backend; all paths relative to the
    repository root (the folder of mkdocs.yml). A build's Site holds one (None: no editor), made
    from the plugin's options; its site name and address are the Site's own (files.build)."""

    backend: str = "local"  # local (plansite edit), gitea, forgejo, github
    data_dir: str = "plan_data"
    media_folder: str = "docs/uploads"
    repo: str | None = None  # owner/name on the Git host
    branch: str = "main"
    base_url: str | None = None  # the Git host (gitea, forgejo) or the OAuth helper (github)
    app_id: str | None = None  # the OAuth application's client id (gitea, forgejo)
    site_url: str | None = None
    site_name: str = ""


def editor_settings(options: Any) -> EditorSettings | None:
    """The editor of a build, from the plugin's validated options (adapters/config.py's EditorConfig);
    None when off."""
    editor = options.editor
    if not editor.enabled:
        return None
    return EditorSettings(backend=editor.backend, data_dir=options.data_dir.strip("/") or "plan_data",
                          repo=editor.repo, branch=editor.branch, base_url=editor.base_url, app_id=editor.app_id)


class ModelDrift(Exception):
    """A model field the editor does not know (neither labelled nor left out)."""


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(the type inside Optional/Annotated, whether None is allowed, the Annotated metadata)."""
    optional, meta = False, []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *more = typing.get_args(annotation)
            meta += more
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional, meta


def _is(meta: list[Any], kind: Any) -> bool:
    """Whether the metadata carries the validator of an Annotated type of input/model.py (Level, Stage, Id)."""
    return any(v in meta for v in typing.get_args(kind)[1:])


def model_fields(model: type[BaseModel], taxonomy: list[str]) -> list[dict[str, Any]]:
    """The Decap fields of a file model, in the model's order."""
    out = []
    for name, info in model.model_fields.items():
        if (model, name) in HIDDEN:
            continue
        if (model, name) not in LABELS:
            raise ModelDrift(f"{model.__name__}.{name} 没有编辑器标签：在 output/admin/cmsconfig.py 的 LABELS 里加上它，或放进 HIDDEN")
        out.append(_field(model, name, info, taxonomy))
    return out


def _field(model: type[BaseModel], name: str, info: Any, taxonomy: list[str]) -> dict[str, Any]:
    key = (model, name)
    hint = HINTS.get(key) or info.description or ""
    field: dict[str, Any] = {"name": name, "label": LABELS[key]}
    if hint and hint != LABELS[key]:
        field["hint"] = hint
    kind, optional, meta = _unwrap(info.annotation)
    meta += list(info.metadata)
    required = info.is_required() and not optional
    if not required:
        field["required"] = False
    if isinstance(info.default, str):
        field["default"] = info.default
    widget = WIDGETS.get(key)
    if typing.get_origin(kind) is list:
        entry, _, entry_meta = _unwrap(typing.get_args(kind)[0])
        if widget and widget.name == "relation":
            return field | _relation(widget.collection or "", multiple=True)
        if isinstance(entry, type) and issubclass(entry, BaseModel):
            field |= {"widget": "list", "collapsed": entry is not m.ItemFile,
                      "summary": SUMMARIES[entry], "fields": model_fields(entry, taxonomy)}
        else:
            inner = {"name": name, "label": LABELS[key], "widget": widget.name if widget else "string"}
            field |= {"widget": "list", "collapsed": False, "field": inner}  # a line each, shown as it is
        return field
    if widget and widget.name == "relation":
        return field | _relation(widget.collection or "", multiple=False)
    if widget and widget.name == "category":
        return field | {"widget": "select", "options": taxonomy}
    if widget and widget.name == "markdown":
        # raw first: Chinese input methods misbehave in the rich-text editor
        return field | {"widget": "markdown", "modes": ["raw", "rich_text"], "sanitize_preview": True}
    if _is(meta, m.Level):
        return field | {"widget": "select", "options": list(m.LEVELS)}
    if _is(meta, m.Stage):
        return field | {"widget": "select", "options": list(m.STAGES)}
    if _is(meta, m.Id):
        field["pattern"] = [ID_PATTERN, m.ID_HINT]
    return field | {"widget": widget.name if widget else "string"}


def _relation(collection: str, multiple: bool) -> dict[str, Any]:
    display, search = RELATION_DISPLAY[collection]
    return {"widget": "relation", "collection": collection, "value_field": "{{slug}}", "search_fields": search,
            "display_fields": [display], "multiple": multiple, "options_length": 200}


FILE_MODELS: dict[str, type[BaseModel]] = {"plans": m.PlanFile, "schools": m.SchoolFile, "projects": m.ProjectFile}
_STEP = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def form_path(kind: str, field: str) -> str:
    """A loader's field path as the editor's form names it: schedule[1].items[0].date ->
    行事历第2项 › 工作第1项 › 日期 (kind: plans, schools or projects). Parts it cannot name stay as written."""
    model: type[BaseModel] | None = FILE_MODELS.get(kind)
    out = []
    for name, indexes in _STEP.findall(field):
        label = LABELS.get((model, name), name) if model else name
        out.append(label + "".join(f"第{int(i) + 1}项" for i in re.findall(r"\d+", indexes)))
        info = model.model_fields.get(name) if model else None
        model = None
        if info is not None:
            kind_, _, _ = _unwrap(info.annotation)
            if typing.get_origin(kind_) is list:
                kind_ = _unwrap(typing.get_args(kind_)[0])[0]
            if isinstance(kind_, type) and issubclass(kind_, BaseModel):
                model = kind_
    return " › ".join(out)


@dataclass(frozen=True)
class Upload:
    """The upload collection's entry: a .yml in inbox/ beside the plan file it names (its keys are
    what `plansite inbox` reads), and the plan files the inbox imports."""

    folder: str = "inbox"
    file: str = "file"  # the plan file, as the file widget writes it: inbox/青禾区实验小学2026秋计划.docx
    school: str = "school"  # a school's id (a relation to 学校), optional
    term: str = "term"  # a term as written in the choices (2026秋), optional
    note: str = "note"  # the teacher's words, kept with the file; read by no one but people
    entry_suffixes: tuple[str, ...] = (".yml", ".yaml")
    plan_suffixes: tuple[str, ...] = (".docx", ".txt", ".md", ".pdf")


UPLOAD = Upload()


def term_choices(year: int) -> list[dict[str, str]]:
    """The terms a teacher picks for an upload: autumn and spring of the years around `year` (the
    site's date), each written as the inbox reads it (2026秋) and labelled with its school year."""
    out = []
    for y in range(year - 1, year + 2):
        for season, part in (("春", "第二学期"), ("秋", "第一学期")):
            first = y - 1 if season == "春" else y
            try:
                parse_term(f"{y}{season}")
            except DateError:
                continue
            out.append({"label": f"{y}{season}（{first}—{first + 1}学年{part}）", "value": f"{y}{season}"})
    return out


def upload_collection(year: int | None) -> dict[str, Any]:
    """上传计划（Word/PDF）: a folder collection of small .yml entries in inbox/; the file widget saves
    into inbox/ itself (the collection's media_folder, from the repository root as it starts with /;
    public_folder without the leading / makes the entry's value the file's path in the repository,
    inbox/…, which the inbox reads). Without a year the term is typed, not picked."""
    u = UPLOAD
    term: dict[str, Any] = {"name": u.term, "label": "学期", "required": False,
                            "hint": "不选时从计划的标题、正文或文件名读；计划正文写明的学期为准"}
    term |= ({"widget": "select", "options": term_choices(year)} if year is not None
             else {"widget": "string", "hint": "例如 2026秋、2027春。" + term["hint"]})
    return {
        "name": "uploads", "label": "上传计划（Word/PDF）", "label_singular": "上传的计划",
        "description": "把学校的工作计划（.docx、.pdf、.txt）放进网站的 inbox/ 文件夹：保存后，"
                       "plansite inbox（或仓库的 inbox 工作流）把它导入成计划数据，在新分支上等你审核、合并",
        "folder": u.folder, "extension": "yml", "format": "yml", "create": True,
        "media_folder": "/" + u.folder, "public_folder": u.folder,
        "identifier_field": u.file, "slug": "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}",
        "summary": "{{file}}",
        "fields": [
            {"name": u.file, "label": "计划文件", "widget": "file", "choose_url": False,
             "media_library": {"allow_multiple": False},
             "hint": "选择或拖入 Word（.docx）、有文字层的 PDF 或 .txt 文件；旧版 .doc 请先用 Word 或 WPS 另存为 .docx"},
            {"name": u.school, "label": "学校", "required": False,
             "hint": "不选时从计划的标题、文件名读；选了以这里为准",
             **_relation("schools", multiple=False)},
            term,
            {"name": u.note, "label": "留言", "widget": "text", "required": False,
             "hint": "给审核的人看的话，例如“替换上周那份”；不进入网站"},
        ],
    }


def backend_config(settings: EditorSettings) -> dict[str, Any]:
    if settings.backend == "local":
        # plansite edit answers Decap's local backend API on the page's own origin
        return {"name": "proxy", "proxy_url": "/api/v1", "branch": settings.branch}
    backend: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.backend in ("gitea", "forgejo"):
        # Decap signs in to Gitea and Forgejo with PKCE from the browser, always: base_url for the
        # sign-in (login/oauth/authorize), api_root for the API, app_id the OAuth2 application's client id
        base = (settings.base_url or "").rstrip("/")
        backend |= {"base_url": base, "api_root": f"{base}/api/v1", "app_id": settings.app_id}
    elif settings.base_url:
        # GitHub: an OAuth helper that keeps the client secret; Decap opens <base_url>/auth in a popup
        backend |= {"base_url": settings.base_url.rstrip("/"), "auth_endpoint": "auth"}
    return {k: v for k, v in backend.items() if v}


def cms_config(settings: EditorSettings, taxonomy: list[str], year: int | None = None) -> dict[str, Any]:
    """Decap CMS's configuration for this site: backend, interface language, the collections (the
    upload's terms around `year`, the site's)."""
    data = settings.data_dir.strip("/")
    folder = {"extension": "yml", "format": "yml", "create": True}
    config: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": backend_config(settings),
        "media_folder": settings.media_folder,
        "public_folder": "/" + settings.media_folder.rsplit("/", 1)[-1],
        # A data file's name is its id: ASCII by the id's pattern, and plansite-admin.js sets a new
        # plan's. Unicode here keeps an uploaded file's own name (Decap passes it through this
        # setting): 青禾区实验小学2026秋计划.docx tells the inbox its school and term; ASCII would
        # make it 2026-.docx, and 计划.docx the hidden .docx
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        "editor": {"preview": False},  # the site itself is the preview (plansite edit)
        "collections": [
            {"name": "plans", "label": "工作计划", "label_singular": "工作计划", "folder": f"{data}/plans", **folder,
             "identifier_field": "title", "slug": "{{fields.id}}", "summary": "{{title}}（{{term}}）",
             "sortable_fields": ["title", "term"], "fields": model_fields(m.PlanFile, taxonomy)},
            {"name": "measures", "label": "工作措施（Markdown 文件）", "label_singular": "工作措施",
             "description": "计划旁边的同名 .md 文件：计划正文里“一、……（一）……1. ……”的部分",
             "folder": f"{data}/plans", "extension": "md", "format": "frontmatter", "create": False,
             "identifier_field": "body", "summary": "{{filename}}",
             "fields": [{"name": "body", "label": "工作措施", "widget": "markdown", "modes": ["raw", "rich_text"],
                         "sanitize_preview": True, "hint": "用 ## 一、…… 和 ### （一）…… 分层，1. 2. 3. 列出各条"}]},
            {"name": "schools", "label": "学校", "label_singular": "学校", "folder": f"{data}/schools", **folder,
             "identifier_field": "name", "slug": "{{fields.id}}", "summary": "{{name}}",
             "fields": model_fields(m.SchoolFile, taxonomy)},
            {"name": "projects", "label": "课题", "label_singular": "课题", "folder": f"{data}/projects", **folder,
             "identifier_field": "title", "slug": "{{fields.id}}", "summary": "{{title}}",
             "fields": model_fields(m.ProjectFile, taxonomy)},
            {"name": "categories", "label": "活动类别", "files": [
                {"name": "categories", "label": "活动类别（行事历条目的分类）", "file": f"{data}/categories.yml",
                 "description": "一条工作的文字里出现某类的关键词，就归入该类；条目里选了类别的以条目为准",
                 "fields": [{"name": "categories", "label": "类别", "widget": "list", "collapsed": True,
                             "summary": SUMMARIES[CategoryFile], "fields": model_fields(CategoryFile, taxonomy)}]}]},
            upload_collection(year),
        ],
    }
    if settings.site_url:
        config["site_url"] = config["display_url"] = settings.site_url
    return config


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a list used twice is written twice, not as &id001 / *id001


def config_yaml(settings: EditorSettings, taxonomy: list[str], year: int | None = None) -> str:
    head = "# 由 PlanSite 按数据格式生成（plansite/output/admin/cmsconfig.py），请不要手改\n"
    return head + yaml.dump(cms_config(settings, taxonomy, year), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                            width=120)
