"""Research projects (课题): titles in 《》 that the text presents as a 课题, with level and stage.

《》 also holds books, standards, notices, forms, courses and newspapers. A title counts when the
words next to it make it a project — 区级课题《…》, 主课题《…》, 《…》子课题, 《…》为镇重点研究课题,
小专题 — or when it is titled like research (…研究) and its sentence speaks of 课题 or 结题.
The level is the administrative word in the phrase that names it (江苏省…立项课题 -> 省级);
the stage is the step the plan says it will take (撰写中期报告 -> 中期; 迎接结题评估 -> 结题).
"""

from __future__ import annotations

import re

from ..input.chinese import HAN_CHARS
from ..input.model import LEVEL_ALIASES, LEVELS, STAGES
from .read import SourceLine
from .result import Project
from .cells import header_roles
from .text import fold

_QUOTED = re.compile(r"《([^《》\n]{2,80})》")
# Titles of things that are not projects: documents, rules, forms, collections, periodicals.
_NOT_PROJECT = re.compile(r"(纲要|标准|意见|通知|方案|办法|规定|制度|条例|规程|细则|计划|评价表|目录|指南|决定|守则|章程|手册|表|集|报"
                          r"|刊|杂志|读本|教材|通讯|简报|文件|纪要|总结|规划|须知|公约|准则|报告|汇编|要点|通报|公告|公示|名单)$|〔|〕|\d+号")
_CORE = re.compile(r"\s*[(（][^()（）]{0,16}[)）]\s*$")  # a title's closing bracket: （试行）, （2026学年）
_CUE_BEFORE = re.compile(r"(课题|子课题|主课题|小专题|专题|课题名称|课题是|课题为|立项)\s*[:：]?\s*[“\"]?$")
_CUE_AFTER = re.compile(r"^\s*[”\"]?\s*(子课题|课题|小专题|专题|的?研究工作)|^[^，。；;]{0,4}(被|已)?(确定|确立|立|列)?为[^，。；;]{0,12}课题"
                        r"|^[^，。；;]{0,4}(?:获|被|经)[^，。；;]{0,16}(?:立项|批准立项|列为[^，。；;]{0,8}课题)")
_RESEARCH_TITLE = re.compile(r"(研究|探究|实验)$")
_RESEARCH_SENTENCE = re.compile(r"课题|立项|开题|中期|结题|结项")
_BOUNDARY = "，,。；;：:、！？!?》\n"

_NATIONAL_BODY = r"中国教育学会|中国教育科学研究院|中央电化教育馆|中央电教馆|教育部"  # issuers that make a project national
_LEVEL = re.compile(rf"({_NATIONAL_BODY}|国家级|全国|国家|省级|省|市级|市|区级|区|县级|县|镇级|镇|乡级|乡|校级)(?![域场长内外情属])")
_LEVEL_NAME = {**{level: level for level in LEVELS}, **LEVEL_ALIASES,
               **{body: "国家级" for body in _NATIONAL_BODY.split("|")}}

_STAGE = [
    ("结题", re.compile(r"(?<!已)(?<!已经)(结题|结项)(?!课题)")),
    ("中期", re.compile(r"中期(报告|评估|检查|汇报|论证|成果)")),
    ("开题", re.compile(r"(?<!已)(?<!已经)开题(?!课题)")),
    ("立项", re.compile(r"(?<!已)(争取|申请|做好)立项(?!至今)")),
    ("申报", re.compile(r"(?<!已)(?<!已经)申报(?!课题)")),
]


def find_projects(lines: list[SourceLine]) -> list[Project]:
    """Projects in order of first mention; one entry per title as written: titles in 《》 the text
    presents as projects, rows of a table with a 课题名称 column, entries of a list under '…立项课题：'."""
    found: dict[str, Project] = {}
    rows = {p.line: p for p in _from_tables(lines) + _from_lists(lines)}
    for line in lines:
        if line.no in rows:
            project = rows[line.no]
            old = found.get(project.title)
            if old is None:
                found[project.title] = project
            continue
        text = line.text
        f = fold(text)
        quotes = list(_QUOTED.finditer(f))
        listed: tuple[re.Match, str | None] | None = None  # the project a 《A》、《B》 list began with
        parent: str | None = None  # the level of the project just named, for its 子课题《…》
        for k, m in enumerate(quotes):
            title = text[m.start(1):m.end(1)].strip()
            in_list = listed is not None and _LIST_SEP.fullmatch(f[quotes[k - 1].end():m.start()])
            if not in_list:
                listed = None
            if not (in_list and not _NOT_PROJECT.search(_CORE.sub("", m.group(1).strip()))) and not _is_project(f, m):
                listed = None
                continue
            scope = _designator(f, m) + "《》" + _scope(f, quotes, k)  # 申报省级课题《…》 / 《…》结题报告
            level = _level(f, m) or (listed[1] if listed else None) or _list_level(f, quotes, k)
            if level is None and parent and k > 0 and _SUB.match(f[quotes[k - 1].end():m.start()]):
                level = parent  # 国家级课题《A》的子课题《B》: B is part of A
            parent = level
            if listed is None:
                listed = (m, level)
            stage = _stage(scope)
            old = found.get(title)
            if old is None:
                found[title] = Project(title, level, stage, line.no)
            else:
                old.level = old.level or level
                if stage and (old.stage is None or STAGES.index(stage) > STAGES.index(old.stage)):
                    old.stage = stage
    return list(found.values())


_LIST_SEP = re.compile(r"\s*(?:[、,和与及]\s*)?")  # 《A》、《B》 / 《A》《B》


def _designator(f: str, m: re.Match) -> str:
    """The words naming the title: back to the clause boundary (or the previous 》); across a colon
    when the title opens what follows it ('获市级立项：《…》')."""
    start = m.start()
    if start > 0 and f[start - 1] in "：:":
        start -= 1
    i = start
    while i > 0 and f[i - 1] not in _BOUNDARY and start - i < 30:
        i -= 1
    return f[i:start]


def _list_level(f: str, quotes: list[re.Match], k: int) -> str | None:
    """《A》、《B》获某市级立项: the level after the last title of a list is every title's level."""
    n = k
    while n + 1 < len(quotes) and _LIST_SEP.fullmatch(f[quotes[n].end():quotes[n + 1].start()]):
        n += 1
    return _level_after(_after(f, quotes[n])) if n > k else None


_LEVEL_BESIDE = re.compile(r"^\s*(?:[(（]([^()（）]{1,30})[)）]|\|\s*([^|]{1,12}?)\s*(?:\||$))")  # 《…》（省级） / 《…》 | 市级 |


def _level_after(after: str) -> str | None:
    beside = _LEVEL_BESIDE.match(after)
    if beside:
        levels = _LEVEL.findall(beside.group(1) or beside.group(2) or "")
        if levels:
            return _LEVEL_NAME[levels[0]]
    if re.search(r"(?:为|是|系|属于?)[^，。；;]{0,16}课题|(?:获|被|经)[^，。；;]{0,16}(?:立项|批准|列为|确定为)", after):
        levels = _LEVEL.findall(after)
        return _LEVEL_NAME[levels[0]] if levels else None
    return None


def _after(f: str, m: re.Match) -> str:
    end = m.end()
    j = end
    while j < len(f) and f[j] not in "，,。；;！？!?《\n" and j - end < 30:
        j += 1
    return f[end:j]


def _sentence(f: str, m: re.Match) -> str:
    a = max(f.rfind(c, 0, m.start()) for c in "。；;!?！？") + 1
    ends = [f.find(c, m.end()) for c in "。；;!?！？"]
    b = min([e for e in ends if e >= 0] or [len(f)])
    return f[a:b]


def _is_project(f: str, m: re.Match) -> bool:
    title = m.group(1).strip()
    if _NOT_PROJECT.search(_CORE.sub("", title)):  # 《…工作计划（2026学年）》 is still a document
        return False
    if _CUE_BEFORE.search(_designator(f, m)) or _CUE_AFTER.search(_after(f, m)):
        return True
    sentence = _QUOTED.sub("", _sentence(f, m))
    return bool(_RESEARCH_TITLE.search(title)) and len(title) >= 6 and bool(_RESEARCH_SENTENCE.search(sentence))


_SUB = re.compile(r"^\s*(?:的|之)?\s*(?:子课题|分课题|子项目|研究子课题)\s*$")
# A school's name holds place words that are not levels: 江东市实验小学, 青山区第一中学.
_SCHOOL_NAME = re.compile(rf"[{HAN_CHARS}]{{0,10}}?(?:中心小学|实验小学|小学|初级中学|中学|实验学校|学校|幼儿园|附小|实小|完小)")


def _level(f: str, m: re.Match) -> str | None:
    levels = _LEVEL.findall(_SCHOOL_NAME.sub("", _designator(f, m)))
    if not levels:
        return _level_after(_after(f, m))
    return _LEVEL_NAME[levels[-1]]


def _scope(f: str, quotes: list[re.Match], k: int) -> str:
    """Text after the title up to the next project title with words of its own; 《A》、《B》 share it."""
    end = len(f)
    for n in range(k + 1, len(quotes)):
        between = f[quotes[n - 1].end():quotes[n].start()]
        if len(between) > 12:
            end = quotes[n].start()
            break
    stops = [i for i in range(quotes[k].end(), end) if f[i] in "。；;!?！？"]
    if len(stops) >= 2:  # the title's sentence and the one after it ('…全面开展研究。同时撰写中期报告')
        end = stops[1]
    return _QUOTED.sub("", f[quotes[k].end():end])


def _stage(scope: str) -> str | None:
    hits = [name for name, pattern in _STAGE if pattern.search(scope)]
    return max(hits, key=STAGES.index) if hits else None


def link_items(projects: list[Project], items) -> None:
    """Schedule items that name a project (its full title) are linked to it."""
    titles = [(p.title, fold(p.title)) for p in projects]
    for item in items:
        f = fold(item.raw or item.text)
        item.projects = [title for title, ft in titles if ft and ft in f]


# ------------------------------------------------------------------ tables and lists of projects


def _from_tables(lines: list[SourceLine]) -> list[Project]:
    """Rows of a table whose header names a 课题名称 column: each row a project, its level from a 级别
    column (市级规划 -> 市级), a status column kept as a note (and its stage when it names one)."""
    out: list[Project] = []
    roles: list[str | None] | None = None
    for line in lines:
        if not line.cells:
            roles = None
            continue
        found = header_roles(line.cells)
        if found and "project" in found:
            roles = found
            continue
        if roles is None:
            continue
        cells = list(line.cells) + [""] * max(0, len(roles) - len(line.cells))
        by_role = {}
        for role, cell in zip(roles, cells):
            if role and cell.strip() and role not in by_role:
                by_role[role] = cell.strip()
        title = _bare_title(by_role.get("project", ""))
        if not title or _NOT_PROJECT.search(_CORE.sub("", fold(title))):
            continue
        if not ({"level", "status"} & set(roles)) and not _RESEARCH_WORDS.search(fold(title)):
            continue  # 执教 | 课题名称 | 时间: a lesson's title, not a research project
        status = by_role.get("status") or by_role.get("note")
        level_text = fold(by_role.get("level", ""))
        levels = _LEVEL.findall(_SCHOOL_NAME.sub("", level_text))
        out.append(Project(title, _LEVEL_NAME[levels[0]] if levels else None, _stage(fold(status)) if status else None,
                           line.no, note=status, host=by_role.get("who")))
    return out


_LIST_HEAD = re.compile(r"(?:课题|子课题|小课题|研究项目|科研项目)(?:有|如下|是|为|名单|名称|情况)?\s*[:：]\s*$")
_RESEARCH_WORDS = re.compile(r"研究|探究|实践|策略|探索|开发|应用|构建|建构|模式|机制|路径|设计|培养|提升|有效性|行动研究")
_WORK_START = re.compile(r"^(?:开展|组织|做好|召开|举行|举办|完成|加强|推进|落实|参加|进行|制定|制订|积极|认真|继续|及时|定期|每|各|要|对|在|将)")
_ENTRY = re.compile(r"^\s*(?:\d{1,2}\s*[、.．)）]|[(（]\s*\d{1,2}\s*[)）]|[\u2460-\u2473])\s*")
_BESIDE = re.compile(r"\s*[(（]([^()（）]{1,30})[)）]\s*[。；;]?\s*$|\s*[，,、]\s*([^，,、]{1,16})\s*[。；;]?\s*$")


def _from_lists(lines: list[SourceLine]) -> list[Project]:
    """A numbered list under '本学期在研的立项课题：': each entry a project, even without 《》; a level or
    a status written after it in brackets or after a comma."""
    out: list[Project] = []
    under = False
    for line in lines:
        f = fold(line.text).strip()
        if not line.cells and _LIST_HEAD.search(f) and len(f) <= 40:
            under = True
            continue
        if not under:
            continue
        m = _ENTRY.match(f)
        if not m or line.cells:
            under = False
            continue
        rest = line.text[m.end():].strip()
        beside = _BESIDE.search(fold(rest))
        extra = ""
        if beside:
            extra = (beside.group(1) or beside.group(2) or "").strip()
            if _LEVEL.search(extra) or re.search(r"已|延期|结题|开题|中期|立项|申报|在研|暂停|撤销", extra):
                rest = rest[:beside.start()].strip()
            else:
                extra = ""
        title = _bare_title(rest)
        if (not title or len(title) < 6 or _NOT_PROJECT.search(_CORE.sub("", fold(title))) or re.search(r"[，。；;]", title)
                or _WORK_START.match(fold(title)) or not _RESEARCH_WORDS.search(fold(title))):
            under = False  # a sentence, not a title: the list is something else
            continue
        levels = _LEVEL.findall(fold(extra))
        note = re.sub(rf"^(?:{_LEVEL.pattern})[^，,、；;]*[，,、；;]?\s*", "", extra).strip() or None if extra else None
        out.append(Project(title, _LEVEL_NAME[levels[0]] if levels else None,
                           _stage(fold(extra)) if extra else None, line.no, note=note))
    return out


def looks_like_research(title: str) -> bool:
    """'小学数学说理课堂的实践研究' is titled like research; '秋天的雨' (a lesson) is not."""
    return bool(_RESEARCH_WORDS.search(fold(title)))


def _bare_title(text: str) -> str:
    """'《绘本共读的策略研究》' -> '绘本共读的策略研究'; a cell's title as written otherwise."""
    text = text.strip().rstrip("。；;")
    m = _QUOTED.fullmatch(fold(text))
    return text[m.start(1):m.end(1)].strip() if m else text
