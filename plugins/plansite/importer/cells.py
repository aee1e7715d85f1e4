"""What a table's column or cell is: its role, from the header's name or from what the cells hold.

A schedule table names its columns (周次 | 日期 | 工作内容 | 负责人, 學科 | 主持人 | 時間 | 地點 …),
or it does not, and then the cells say it: a week number, a month, a date or a date range, a time
of day, an office or a person, a place, a long piece of work. tables.py uses this to put flattened
tables back into rows, grid.py to read rows as items, projects.py to read a table of 课题.

Roles: week, seq, month, date, time, period, content, subject, who, place, note, other (participants,
form), project (课题名称), level (级别), status (进展), host (主持人 of a project table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..input.chinese import CN_DIGITS, HAN_CHARS, RANGE_DASH, cn_int
from .text import date_months, fold, month_head

# ------------------------------------------------------------------ column names

_ROLE_NAMES: list[tuple[str, re.Pattern]] = [(role, re.compile(pattern)) for role, pattern in [
    ("week", r"周次|周别|周序|教学周|周|第几周|周数|周次日期|周次/日期"),
    ("seq", r"序号?|编号|No\.?|NO\.?"),
    ("month", r"月份?|月次|月份/周次"),
    ("date", r"(?:起止|活动|具体|完成|计划|实施|开展|上课|会议|安排|立项|开题|结题|申报|研究)?(?:日期|时间)(?:安排)?|起止|日期时间|时间节点|起讫时间|时限"),
    ("time", r"节次|时段|时刻|课时|星期|周几"),
    ("project", r"(?:课题|项目|研究课题|立项课题|科研课题|规划课题)(?:名称|题目)|立项课题|研究课题|科研课题|规划课题|项目"),
    ("level", r"(?:课题|立项)?(?:级别|等级|层级)|类别|课题类别|立项单位|批准单位"),
    ("status", r"(?:研究|课题|目前)?(?:状态|进展|进度)(?:情况)?|完成情况|结题情况|研究阶段|所处阶段|备注说明"),
    ("subject", r"学科|科目|年级|年段|学段|教研组|备课组|学科组|组别|年级学科|学科年级|班级"),
    ("who", r"负责(?:人|者|部门|处室|科室|单位|领导)?|责任(?:人|者|部门|处室|科室|单位)|主持人?|主讲人?|执教(?:人|者|教师)?"
            r"|上课(?:人|者|教师)|授课(?:人|者|教师)|承办(?:部门|单位)?|承担(?:人|者|部门)|执行(?:人|者|部门)?"
            r"|牵头(?:人|部门|处室)?|组织(?:者|部门)|部门|处室|中心发言人|发言人|落实部门|实施部门|主备人?|者|人员安排|分管领导"),
    ("place", r"(?:活动|上课|会议|研讨)?(?:地点|场地|地址)|教室"),
    ("note", r"备\s*注|说明|附注|要求|备注要求"),
    ("other", r"(?:参加|参与|出席)(?:人员|对象|者|范围)?|对象|范围|人员|(?:活动)?形式|方式|检查方式|评价方式|成果形式|预期成果"),
    ("content", r"(?:主要|具体|重点|其他|其它|中心|本周|本月)?(?:工作|活动|教研|教学|科研|教科研|研修|研讨|德育|教务|教研组)?"
                r"(?:内容|安排|项目|要点|事项|任务|主题|课题|计划)(?:安排|要点)?"
                r"|(?:主要|重点|具体|常规|中心)?工作|活动|内容|研讨主题|活动主题|主题|课例|课题"
                rf"|[{HAN_CHARS}]{{2,6}}(?:重点工作|工作内容|工作安排|主要工作)(?:内容|安排)?|[{HAN_CHARS}]{{2,5}}(?:工作|活动)"),
]]


def _name(text: str) -> str:
    return re.sub(r"[\s:：()（）*＊]", "", fold(text))


def column_role(name: str) -> str | None:
    """'周 次' -> 'week', '負責處室' -> 'who', '主要工作安排' -> 'content', '级别' -> 'level'; None: not a column name."""
    f = _name(name)
    if not f or len(f) > 12:
        return None
    for role, pattern in _ROLE_NAMES:
        if pattern.fullmatch(f):
            return role
    return None


def header_roles(cells: tuple[str, ...] | list[str]) -> list[str | None] | None:
    """A header row's roles, one per cell; None when the row is not a header (fewer than two
    column names, or a cell that names nothing among them)."""
    roles = [column_role(c) if c.strip() else None for c in cells]
    named = [r for r in roles if r]
    filled = [c for c in cells if c.strip()]
    if len(named) < 2 or len(named) < len(filled) - (1 if len(filled) >= 4 else 0):
        return None  # one unknown name among four or more may be a column we do not know ('者')
    if not ({"content", "project", "week", "month", "date", "subject"} & set(named)):
        return None
    return roles


# ------------------------------------------------------------------ cell contents

_N = rf"(?:\d{{1,2}}|[{CN_DIGITS}]{{1,3}})"
_DAY = r"\d{1,2}\s*[.月/-]\s*\d{1,2}\s*[日号]?"
_YEAR = r"(?:(?:19|20)\d\d\s*[.年/-]\s*)"
_WEEKDAY = r"(?:\s*[(（]\s*(?:周|星期)?[一二三四五六日天]\s*[)）])"
DATE_CELL = re.compile(
    rf"{_YEAR}?{_DAY}{_WEEKDAY}?(?:\s*{RANGE_DASH}\s*{_YEAR}?(?:\d{{1,2}}\s*[.月/-]\s*)?\d{{1,2}}\s*[日号]?{_WEEKDAY}?)?"
    rf"\s*(?:前|后|止|以前|之前|左右|起)?(?:\s*(?:上午|下午|晚上|中午|全天)?\s*(?:\d{{1,2}}\s*[:：]\s*\d{{2}}"
    rf"(?:\s*{RANGE_DASH}\s*\d{{1,2}}\s*[:：]\s*\d{{2}})?|第?[一二三四五六七八\d]\s*节(?:课)?(?:后)?)?)?")
_DAYS_ONLY = re.compile(rf"\d{{1,2}}\s*[日号]{_WEEKDAY}?(?:\s*{RANGE_DASH}\s*\d{{1,2}}\s*[日号]{_WEEKDAY}?)?")
_TIME = re.compile(r"(?:(?:周|星期)[一二三四五六日天]\s*)?(?:上午|下午|晚上|中午|早上|傍晚|课后|午间)?\s*"
                   r"(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*" + RANGE_DASH + r"\s*\d{1,2}\s*[:：]\s*\d{2})?"
                   r"|第?[一二三四五六七八\d]\s*(?:[-—~、至]\s*[一二三四五六七八\d]\s*)?节(?:课)?(?:后)?)"
                   r"|(?:周|星期)[一二三四五六日天](?:\s*(?:上午|下午|晚上|中午))?|上午|下午|晚上|全天|全日"
                   r"|每(?:周|月|天|日|学期|两周|双周|单周)[一二三四五六日天]?(?:上午|下午)?|全学期|整学期|长期|平时|随时|待定|另定|另行通知")
_WEEK = re.compile(rf"第\s*{_N}\s*(?:(?:{RANGE_DASH}|[、和,，])\s*(?:第\s*)?{_N}\s*)?[周週]|{_N}\s*(?:{RANGE_DASH}\s*{_N}\s*)?[周週]")
_PERIOD = re.compile(r"(?:开学|放假|期中|期末|考试|复习|军训|寒假|暑假|假期|学期|新学期|国庆|元旦|春节|五一|清明|端午)"
                     r"(?:前|后|初|末|中|周|期间|准备|准备周|阶段|前后)?|学期初|学期末|期初|期中|期末|预备周|开学周|考试周|复习周|机动")
_OFFICE = re.compile(r"(?:室|处|组|部|办|科|中心|委|委员会|家委会|工会|队|校长|主任|书记|老师|教师|组长|班主任|成员|领导|小组|团委|工会|全体|各组|年级|专家|教研员)$")
_PLACE = re.compile(r"(?:会议室|报告厅|多功能厅|录播室|录播教室|阶梯教室|教室|操场|礼堂|图书馆|阅览室|体育馆|实验室|机房|大厅|舞台|广场"
                    r"|[楼馆厅场]|校区|本部|分校|线上|网络|钉钉|腾讯会议)$")
_NAMES = re.compile(rf"[{HAN_CHARS}]{{2,3}}(?:\s*[、，,/ ]\s*[{HAN_CHARS}]{{2,3}})*(?:\s*等)?")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text)).strip(" |")


def is_date(text: str) -> bool:
    """'2月24日', '3月1日-3月7日', '9.1-9.7', '2/23(一)', '2027.2.27-3.5', '3月30日前' — nothing else."""
    f = _clean(text)
    if not f:
        return False
    m = DATE_CELL.fullmatch(f)
    if not m:
        return False
    nums = [int(n) for n in re.findall(r"\d+", re.sub(rf"^{_YEAR}", "", f))]
    return bool(nums) and 1 <= nums[0] <= 12


_MONTH_PART = re.compile(r"((?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九元]))\s*月份?\s*(?:上旬|中旬|下旬|初|中|底|末|上半月|下半月|前半月|后半月)")


def month_part(text: str) -> int | None:
    """'9月上旬', '十月底': a part of a month, in a 时间 column -> the month; None otherwise."""
    m = _MONTH_PART.fullmatch(_clean(text).replace(" ", ""))
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else (1 if m.group(1) == "元" else cn_int(m.group(1)))
    return n if n and 1 <= n <= 12 else None


def is_days(text: str) -> bool:
    """'25日', '25日（一）～27日（三）': days with no month, which take the month of the row before."""
    return bool(_DAYS_ONLY.fullmatch(_clean(text)))


def is_time(text: str) -> bool:
    return bool(_TIME.fullmatch(_clean(text)))


def is_who(text: str, named: bool = False) -> bool:
    """An office (教科室, 各教研组, 教育处、团委), or, under a column named for it, a name or two (王芳、李明)."""
    f = _clean(text)
    if not f or len(f) > 16 or re.search(r"[\d。；;:：!?！？《]", f):
        return False
    parts = [p for p in re.split(r"[、，,/ ]+|及|和", f) if p]
    if parts and all(_OFFICE.search(p) and len(p) <= 10 for p in parts):
        return True
    return named and bool(_NAMES.fullmatch(f))


def is_place(text: str) -> bool:
    f = _clean(text)
    return bool(f) and len(f) <= 14 and not re.search(r"[。；;,，:：]", f) and bool(_PLACE.search(f))


def is_period(text: str) -> bool:
    """'开学前', '期末', '寒假': a stretch of the term named by what happens in it, used as a row's label."""
    return bool(_PERIOD.fullmatch(_clean(text).replace(" ", "")))


@dataclass(frozen=True)
class Key:
    """A row's label cell: a week (第3周, a bare 3 under 周次, 2预备周2.21), a month (九月份) or a period
    (开学前); `date` is a date glued to it ('2预备周2.21' -> 2.21), as written."""

    kind: str  # week | month | period
    label: str
    date: str = ""
    time: str = ""  # '第3周周三下午' -> 周三下午


_GLUED = re.compile(rf"(?P<label>(?:第\s*)?{_N}(?:\s*{RANGE_DASH}\s*{_N})?\s*(?:[周週])?\s*(?:[{HAN_CHARS}]{{1,3}}[周週])?)"
                    rf"\s*[(（]?\s*(?P<date>{DATE_CELL.pattern})?\s*[)）]?")


def row_key(cell: str, week_column: bool = False) -> Key | None:
    """The label a row starts with, if its first cell is one. A bare number counts as a week only
    under a 周次 column (week_column); 第N周 and N周 always."""
    text = cell.strip().strip("|").strip()
    f = fold(text)
    if not f or len(f) > 30:
        return None
    if _WEEK.fullmatch(f.replace(" ", "")):
        return Key("week", text)
    week = _WEEK.match(f)
    if week and is_time(f[week.end():]):  # '第3周周三下午': the week, and when in it
        return Key("week", text[:week.end()].strip(), time=text[week.end():].strip())
    named = re.fullmatch(r"\s*[(（【]([^()（）【】]{1,10})[)）】]\s*", f[week.end():]) if week else None
    if named and not is_date(named.group(1)):
        return Key("week", text)  # '第四周(运动会周)': a week with its name
    head = month_head(text)
    if head and not head.rest:
        return Key("month", head.label)
    if is_period(f):
        return Key("period", text)
    m = _GLUED.fullmatch(f)
    if m and m.group("label").strip():
        label = text[m.start("label"):m.end("label")].strip()
        has_week_word = bool(re.search(r"[周週]", m.group("label")))
        if has_week_word or (week_column and re.fullmatch(rf"{_N}(?:\s*{RANGE_DASH}\s*{_N})?", fold(label))):
            date = text[m.start("date"):m.end("date")].strip() if m.group("date") else ""
            if not date or is_date(date):
                return Key("week", label, date)
    return None


def cell_kind(text: str, role: str | None = None) -> str:
    """What a cell holds: empty, week, month, period, date, days, time, who, place, number or text.
    `role` is its column's role by the header, when known: a name under 负责人 is who."""
    f = _clean(text)
    if not f:
        return "empty"
    key = row_key(text, week_column=role == "week")
    if key:
        return key.kind
    if is_date(f):
        return "date"
    if is_days(f):
        return "days"
    if is_time(f):
        return "time"
    if is_place(f):
        return "place"
    if is_who(f, named=role in ("who", "host")):
        return "who"
    if re.fullmatch(r"\d{1,3}", f):
        return "number"
    return "text"


