"""The plan data model.

Two layers:
- the *file schema* (pydantic models ending in ``File``): what a YAML file in plan_data/ may
  say, field by field, with Chinese descriptions (the schema reference is generated from them);
- the *resolved model* (frozen dataclasses): what the loader hands to page builders, with
  terms, month headings and dates already turned into YearMonth and DateSpan values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .dates import DateSpan, Term, YearMonth, normalize

LEVELS = ("国家级", "省级", "市级", "区级", "县级", "镇级", "校级")
STAGES = ("申报", "立项", "开题", "中期", "结题")

# Short and local ways of writing a level; the importer reads plan text with the same table.
LEVEL_ALIASES = {
    "国家": "国家级", "全国": "国家级", "省": "省级", "市": "市级", "区": "区级", "县": "县级",
    "镇": "镇级", "乡": "镇级", "乡级": "镇级", "乡镇": "镇级", "乡镇级": "镇级", "校": "校级", "学校": "校级",
}
_STAGE_ALIASES = {"开题论证": "开题", "中期评估": "中期", "中期检查": "中期", "结题鉴定": "结题", "结项": "结题"}

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_HINT = "id 只用小写字母、数字和连字符，例如 qinghe-xiaoxue 或 2026-autumn"


def _choice(values: tuple[str, ...], aliases: dict[str, str], what: str):
    """A validator that accepts a value as written (省, 結題, full-width) and gives its canonical form."""

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        v = normalize(value)
        v = aliases.get(v, v)
        if v not in values:
            raise ValueError(f"期望{what} {'/'.join(values)} 之一，实际为 {value!r}")
        return v

    return check


_level = _choice(LEVELS, LEVEL_ALIASES, "课题级别")
_stage = _choice(STAGES, _STAGE_ALIASES, "课题阶段")


# Names Windows cannot give a file or folder (a site copied to a Windows server would lose the page)
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


# URL names that generated pages use (schools/index.md, compare/<term>/unclassified.md): an entity
# or a category with one of these would replace that page
RESERVED_SLUGS = {"index", "unclassified"}


def _id(value: Any) -> Any:
    if isinstance(value, str) and not ID_RE.fullmatch(value):
        raise ValueError(f"id {value!r} 不合规范（{ID_HINT}）")
    if isinstance(value, str) and value in WINDOWS_RESERVED:
        raise ValueError(f"id {value!r} 是 Windows 保留的文件名，放到 Windows 服务器上的网站会缺这一页；请换一个，例如 {value}-1")
    return value


def _visible(value: Any) -> Any:
    """Text that shows something: not only spaces, zero-width or other invisible characters."""
    if isinstance(value, str) and value and not any(
            unicodedata.category(ch)[0] not in "ZC" for ch in value):
        raise ValueError(f"只有空白或不可见字符（{value!r}）；请写出文字")
    return value


def _url(value: Any) -> Any:
    if isinstance(value, str) and not re.match(r"https?://[^\s<>\"']+$", value.strip()):
        raise ValueError(f"网址必须以 http:// 或 https:// 开头，实际为 {value!r}")
    return value


def _text_as(key: str):
    """Let a list entry be written as plain text: '- 制订计划' means {key: '制订计划'}."""

    def convert(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return convert


Level = Annotated[str, BeforeValidator(_level)]
Stage = Annotated[str, BeforeValidator(_stage)]
Id = Annotated[str, BeforeValidator(_id)]
Url = Annotated[str, BeforeValidator(_url)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_visible)]
Name = Annotated[str, AfterValidator(_visible)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SchoolFile(_FileModel):
    """schools/<id>.yml：一所学校。"""

    id: Id | None = Field(None, description="学校 id；省略时取文件名")
    name: Text = Field(description="学校全称，例如 清河区实验小学")
    short_name: Name | None = Field(None, description="简称，例如 清河实小")
    province: str | None = Field(None, description="省")
    city: str | None = Field(None, description="市")
    district: str | None = Field(None, description="区/县")
    stage: str | None = Field(None, description="学段：小学、初中、高中、九年一贯制……")
    website: Url | None = Field(None, description="学校网站")
    motto: str | None = Field(None, description="办学理念")
    features: str | None = Field(None, description="办学特色")
    slug: Id | None = Field(None, description="网址中的名字；省略时由简称（或校名）的拼音生成，登记在 slugs.yml。发布后不要再改")


class StageFile(_FileModel):
    """课题的一个阶段：申报/立项/开题/中期/结题，写明学期或日期。"""

    stage: Stage = Field(description="申报、立项、开题、中期、结题")
    term: str | None = Field(None, description="该阶段所在学期，例如 2026秋")
    date: str | None = Field(None, description="日期，YYYY-MM 或 YYYY-MM-DD")
    note: str | None = Field(None, description="说明，例如 立项文号")

    @model_validator(mode="after")
    def _when(self) -> StageFile:
        if not self.term and not self.date:
            raise ValueError("阶段需要 term（学期）或 date（日期）之一")
        return self


class ProjectFile(_FileModel):
    """projects/<id>.yml：一个课题。多个计划、多个学期可以引用同一个课题。"""

    id: Id | None = Field(None, description="课题 id；省略时取文件名")
    title: Text = Field(description="课题名称（不含书名号）")
    level: Level | None = Field(None, description="级别：国家级、省级、市级、区级、县级、镇级、校级")
    issuer: str | None = Field(None, description="立项单位，例如 江苏省教育科学规划领导小组办公室")
    cycle: str | None = Field(None, description="规划周期，例如 十四五")
    schools: list[Id] = Field(min_length=1, description="承担学校的 id（可以有多所）")
    host: str | None = Field(None, description="主持人")
    members: list[str] = Field(default_factory=list, description="核心成员")
    stages: list[StageFile] = Field(default_factory=list, description="阶段记录，按时间先后")
    summary: str | None = Field(None, description="课题简介（Markdown）")
    slug: Id | None = Field(None, description="网址中的名字；省略时由拼音生成，登记在 slugs.yml")


class ItemFile(_FileModel):
    """行事历里的一条工作。可以只写一行文字。"""

    text: Text = Field(description="工作内容")
    date: str | None = Field(None, description="日期：10月25日、4.11～4.17、2026-10-25、中旬")
    who: str | None = Field(None, description="负责人或部门")
    category: str | None = Field(None, description="活动类别，例如 课题研究、校本培训")
    projects: list[Id] = Field(default_factory=list, description="相关课题的 id")
    id: Id | None = Field(None, description="可选的固定编号（用于稳定的链接和日历 UID）")


class BlockFile(_FileModel):
    """行事历的一个月份标题和它下面的工作。"""

    label: Text = Field(description="月份标题，照原样写：九月份、十一月份——十二月份、二月 三月")
    months: list[str] | None = Field(None, description="可选：显式给出覆盖的年月 YYYY-MM，覆盖对标题的解读")
    items: list[Annotated[ItemFile, BeforeValidator(_text_as("text"))]] = Field(min_length=1, description="工作条目")


class PlanProjectFile(_FileModel):
    """计划里提到的课题；可以只写课题 id。"""

    id: Id = Field(description="课题 id")
    stage: Stage | None = Field(None, description="本计划要完成的阶段，例如 中期、结题")
    note: str | None = Field(None, description="本学期对该课题的安排")


class PlanFile(_FileModel):
    """plans/<id>.yml：一份学期（或学年）工作计划。工作措施可以写在同名的 .md 文件里。"""

    id: Id | None = Field(None, description="计划 id；省略时取文件名")
    school: Id = Field(description="学校 id（schools/ 下的文件名）")
    term: Text = Field(description="学期：2026秋、2027春、2026学年、2026-09..2027-01")
    title: Text = Field(description="计划标题")
    office: str = Field("教科室", description="制订部门：教科室、教研室、教导处……")
    guiding: str | None = Field(None, description="指导思想（Markdown）")
    goals: list[str] = Field(default_factory=list, description="工作目标，一条一项")
    measures: str | None = Field(None, description="工作措施（Markdown，可用 ##、### 分层）；或写在同名 .md 文件中")
    projects: list[Annotated[PlanProjectFile, BeforeValidator(_text_as("id"))]] = Field(
        default_factory=list, description="本计划涉及的课题")
    schedule: list[BlockFile] = Field(default_factory=list, description="行事历：按月份标题分组")
    slug: Id | None = Field(None, description="网址中的名字；省略时由拼音生成，登记在 slugs.yml")


# ---------------------------------------------------------------- resolved model


@dataclass(frozen=True)
class Where:
    """Where a thing was written, for edit links and messages."""

    file: str  # relative to the data folder, e.g. plans/qinghe-2026-autumn.yml
    line: int


@dataclass(frozen=True)
class School:
    id: str
    slug: str
    name: str
    short_name: str | None
    province: str | None
    city: str | None
    district: str | None
    stage: str | None
    website: str | None
    motto: str | None
    features: str | None
    where: Where

    @property
    def place(self) -> str:
        """省 市 区, as far as they are given."""
        return " ".join(x for x in (self.province, self.city, self.district) if x)


@dataclass(frozen=True)
class ProjectStage:
    stage: str
    term: Term | None
    date: str | None  # YYYY-MM or YYYY-MM-DD
    note: str | None
    line: int = 0


@dataclass(frozen=True)
class Project:
    id: str
    slug: str
    title: str
    level: str | None
    issuer: str | None
    cycle: str | None
    schools: tuple[str, ...]
    host: str | None
    members: tuple[str, ...]
    stages: tuple[ProjectStage, ...]
    summary: str | None
    where: Where


@dataclass(frozen=True)
class Item:
    text: str
    date: DateSpan | None
    who: str | None
    category: str | None  # the item's own category:, else the taxonomy's guess, else None
    projects: tuple[str, ...]
    id: str | None
    line: int
    category_source: str | None = None  # "data" (written in the item) | "keywords" | None


@dataclass(frozen=True)
class Block:
    label: str
    months: tuple[YearMonth, ...]
    items: tuple[Item, ...]

    @property
    def spans(self) -> bool:
        return len(self.months) > 1


@dataclass(frozen=True)
class PlanProject:
    id: str
    stage: str | None
    note: str | None
    line: int = 0


@dataclass(frozen=True)
class Plan:
    id: str
    slug: str
    school: str
    term: Term
    title: str
    office: str
    guiding: str | None
    goals: tuple[str, ...]
    measures: str | None
    projects: tuple[PlanProject, ...]
    schedule: tuple[Block, ...]
    where: Where
    measures_file: str | None = None
    no_schedule: bool = False  # the file says `schedule: []`: it has none on purpose (the publish gate asks)


@dataclass(frozen=True)
class PlanData:
    """Everything in plan_data/, cross-checked. Dicts are in a fixed, sorted order."""

    schools: dict[str, School]
    plans: dict[str, Plan]
    projects: dict[str, Project]
    taxonomy: Any = None  # categories.Taxonomy

    def only(self, school_ids: set[str]) -> PlanData:
        """The part of the data that concerns these schools (a fast preview of one school's pages)."""
        schools = {k: v for k, v in self.schools.items() if k in school_ids}
        projects = {k: replace(v, schools=tuple(s for s in v.schools if s in schools))
                    for k, v in self.projects.items() if set(v.schools) & set(schools)}

        def keep(plan: Plan) -> Plan:
            blocks = tuple(replace(b, items=tuple(replace(i, projects=tuple(p for p in i.projects if p in projects))
                                                  for i in b.items)) for b in plan.schedule)
            return replace(plan, projects=tuple(pp for pp in plan.projects if pp.id in projects), schedule=blocks)

        plans = {k: keep(v) for k, v in self.plans.items() if v.school in schools}
        return PlanData(schools, plans, projects, self.taxonomy)

    def plans_of(self, school_id: str) -> list[Plan]:
        """A school's plans, newest term first."""
        return list(self._plans_by_school.get(school_id, ()))

    def projects_of(self, school_id: str) -> list[Project]:
        return list(self._projects_by_school.get(school_id, ()))

    # Looked up for every school on many pages: indexed once, not a scan of the district per school.

    @cached_property
    def _plans_by_school(self) -> dict[str, list[Plan]]:
        out: dict[str, list[Plan]] = {}
        for plan in sorted(self.plans.values(), key=lambda p: (p.term.start, p.id), reverse=True):
            out.setdefault(plan.school, []).append(plan)
        return out

    @cached_property
    def _projects_by_school(self) -> dict[str, list[Project]]:
        out: dict[str, list[Project]] = {}
        for project in self.projects.values():
            for sid in dict.fromkeys(project.schools):
                out.setdefault(sid, []).append(project)
        return out

    def plans_citing(self, project_id: str) -> list[Plan]:
        """Plans that cite a project, oldest term first."""
        return self._citing.get(project_id, [])

    @cached_property
    def _citing(self) -> dict[str, list[Plan]]:
        out: dict[str, list[Plan]] = {}
        for plan in sorted(self.plans.values(), key=lambda p: (p.term.start, p.id)):
            for pid in dict.fromkeys(pp.id for pp in plan.projects):
                out.setdefault(pid, []).append(plan)
        return out
