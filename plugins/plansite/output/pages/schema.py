"""The data format reference (guide/schema.md), generated from the file models so it cannot drift.

Every field of every file model is listed with its type in plain words (文字, 列表, 网址 …),
whether it is required, its default and the Chinese description written in model.py. The
types are read from the pydantic field annotations and their validators, so a new field or a
changed type shows up here on the next build. A hand-written docs/guide/schema.md wins, as for
every generated page.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import partial

from annotated_types import MinLen
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ...input import model
from ...input.categories import CategoryFile
from ..deps import PAGE
from ..site import Output, Site

SCHEMA_PATH = "guide/schema.md"


@dataclass(frozen=True)
class Section:
    model: type[BaseModel]
    anchor: str
    heading: str
    where: str  # where this appears in the files, when the model's docstring does not say


SECTIONS = (
    Section(model.SchoolFile, "school", "学校", ""),
    Section(model.PlanFile, "plan", "工作计划", ""),
    Section(model.PlanProjectFile, "plan-project", "计划里的课题", "计划的 `projects:` 列表中的一项"),
    Section(model.BlockFile, "block", "行事历的月份", "计划的 `schedule:` 列表中的一项"),
    Section(model.ItemFile, "item", "行事历的一条工作", "月份的 `items:` 列表中的一项"),
    Section(model.ProjectFile, "project", "课题", ""),
    Section(model.StageFile, "stage", "课题的阶段", "课题的 `stages:` 列表中的一项"),
    Section(CategoryFile, "category", "活动类别",
            "`plan_data/categories.yml` 列表中的一项。这个文件可以不建，不建时用 PlanSite 自带的类别"),
)
_ANCHORS = {s.model: s.anchor for s in SECTIONS}
_HEADINGS = {s.model: s.heading for s in SECTIONS}

# Validators that give a plain string field its meaning, named as a teacher would read them.
_VALIDATED = {
    model._id: "编号（小写字母、数字、连字符）",
    model._url: "网址（http:// 或 https:// 开头）",
    model._level: "级别：" + "、".join(model.LEVELS),
    model._stage: "阶段：" + "、".join(model.STAGES),
}


@dataclass(frozen=True)
class FieldRow:
    name: str
    kind: str  # plain words, Markdown (may link to another section)
    required: bool
    default: str
    description: str


def _validators(meta: typing.Iterable[object]) -> list:
    return [m.func for m in meta if isinstance(m, BeforeValidator)]


def plain_type(annotation: object, meta: typing.Iterable[object] = ()) -> str:
    """A field's type in plain words: 文字, 编号, 列表（每项：文字）, a link to another section …"""
    meta = list(meta)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return plain_type(inner, meta + list(extra))
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        return plain_type(parts[0], meta) if len(parts) == 1 else " 或 ".join(plain_type(p) for p in parts)
    funcs = _validators(meta)
    # `_text_as(key)` lets a list entry be written as one value, its `key`, instead of a mapping.
    shorthand = [c.cell_contents for f in funcs if getattr(f, "__qualname__", "").startswith("_text_as")
                 for c in (f.__closure__ or ())]
    if origin is list:
        (inner,) = typing.get_args(annotation)
        least = next((m.min_length for m in meta if isinstance(m, MinLen)), 0)
        return f"列表{'（至少 ' + str(least) + ' 项）' if least else ''}，每项是{plain_type(inner)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        target = f"[{_HEADINGS[annotation]}](#{_ANCHORS[annotation]})"
        return target + (f"（也可以只写它的 `{shorthand[0]}`）" if shorthand else "")
    for func in funcs:
        if func in _VALIDATED:
            return _VALIDATED[func]
    if annotation is str:
        return "文字"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "—"
    if field.default_factory is list:
        return "空列表"
    if field.default is None or field.default is PydanticUndefined:
        return "不填"
    return str(field.default)


def field_rows(file_model: type[BaseModel]) -> list[FieldRow]:
    rows = []
    for name, field in file_model.model_fields.items():
        kind = plain_type(field.annotation, field.metadata)
        if field.is_required() and any(isinstance(m, MinLen) for m in field.metadata) and kind == "文字":
            kind = "文字（不能为空）"
        rows.append(FieldRow(name, kind, field.is_required(), _default(field), field.description or ""))
    return rows


def build(site: Site) -> list[Output]:
    # made from the package's own models: only how headings get their anchors can change it
    return [Output(SCHEMA_PATH, partial(_page, site), deps=PAGE)]


def _page(site: Site) -> str:
    sections = [(s, " ".join((s.model.__doc__ or "").split()), field_rows(s.model)) for s in SECTIONS]
    return site.render("schema.md.j2", SCHEMA_PATH, sections=sections, levels=model.LEVELS, stages=model.STAGES)
