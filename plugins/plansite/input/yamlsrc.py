"""Reading plan_data files: text decoding, safe YAML with line numbers, located problems.

Scalars stay strings (pydantic converts them where a field wants a number or a flag), so
YAML 1.1 surprises cannot happen: 4.10 stays '4.10' (not 4.1), 14:30 stays '14:30' (not 870),
no stays 'no'. Only the core tags are allowed; a tag that would build a Python object is a
problem, never executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5 * 1024 * 1024
# libyaml's parser when PyYAML has it (several times faster on a district of 400 plans)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # a term's plan is a few KB; anything this big is a mistake

Loc = tuple[str | int, ...]
MAX_DEPTH = 40  # a plan nests 6 levels; a 1 KB file of 1,000 brackets must not exhaust the stack

# C0/C1 controls (not tab or newline), DEL and Unicode non-characters: never text (RFC 5545 forbids
# controls in .ics, HTML in its text); dropped where files are read, and again where text is shown
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def drop_controls(text: str) -> str:
    return CONTROL.sub("", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in plan_data, located: file, line, field path, message and a hint."""

    file: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where} {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return text + (f"\n    提示：{self.hint}" if self.hint else "")


FULLWIDTH_COLON_HINT = "这里用了中文冒号“：”；键和值之间要用英文冒号加一个空格，例如 title: 标题"


def format_loc(loc: Loc) -> str:
    """('schedule', 2, 'items', 0, 'date') -> 'schedule[2].items[0].date'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class Source:
    """One YAML document with the line of every key and sequence entry."""

    file: str  # as shown to the user, relative to the data folder's parent
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known node on the way to loc (1 if none)."""
        for n in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:n]))
            if line:
                return line
        return 1

    def problem(self, loc: Loc, message: str, hint: str = "", severity: str = "error") -> Problem:
        return Problem(self.file, self.line_of(loc), format_loc(loc), message, hint, severity)


class _DocError(Exception):
    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def read_text(path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """Decode a data file as UTF-8 (BOM allowed). Anything else is a problem with a fix."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, Problem(shown, 0, "", f"文件过大（{size // 1024} KB，上限 {MAX_BYTES // 1024 // 1024} MB）",
                                 "一个学期的计划通常只有几 KB；请检查是否放错了文件")
        raw = path.read_bytes()
    except OSError as e:
        return None, Problem(shown, 0, "", f"无法读取文件：{e.strerror}", "检查文件权限")
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                      (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            return None, Problem(shown, 1, "", f"文件是 {name} 编码，不是 UTF-8",
                                 "用编辑器把它另存为 UTF-8（记事本：另存为 → 编码选 UTF-8）")
    if b"\x00" in raw:
        return None, Problem(shown, 0, "", "这不是文本文件（含有二进制字节）", "plan_data 只放 UTF-8 编码的 .yml 和 .md 文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = "文件像是 GBK/GB18030 编码（Windows 记事本的“ANSI”）；请用编辑器另存为 UTF-8"
        except UnicodeDecodeError:
            hint = "请用编辑器另存为 UTF-8 编码"
        return None, Problem(shown, line, "", "文件不是 UTF-8 编码", hint)
    return drop_controls(text.replace("\r\n", "\n").replace("\r", "\n")), None


def load_yaml(text: str, shown: str) -> tuple[Source | None, Problem | None]:
    """Parse one YAML document; return its data (strings, lists, dicts) and key lines."""
    lines: dict[Loc, int] = {}
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            return None, Problem(shown, 0, "", f"YAML 嵌套太深（超过 {MAX_DEPTH} 层）", "数据文件只需要几层缩进；检查是否有成串的 [ 或 {")
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = mark.line + 1 if mark else 0
            return None, Problem(shown, line, "", f"YAML 语法错误：{_yaml_problem(e, text)}", _yaml_hint(e, text, line))
        except yaml.YAMLError as e:  # e.g. a document that is not text YAML can read
            return None, Problem(shown, 0, "", f"YAML 无法读取：{e}", "检查文件是否为 YAML 文本")
        if node is None:
            return Source(shown, None, lines), None
        budget = [200_000]  # nodes; aliases could otherwise expand a tiny file enormously
        data = _build(node, (), lines, budget)
        return Source(shown, data, lines), None
    except _DocError as e:
        return None, Problem(shown, e.line, "", e.message, e.hint)
    finally:
        loader.dispose()


_CORE = "tag:yaml.org,2002:"


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _DocError(node.start_mark.line + 1, "YAML 结构过大或别名（&/*）展开过多", "不要用锚点和别名复制大段内容")
    if len(loc) > MAX_DEPTH:
        raise _DocError(node.start_mark.line + 1, f"YAML 嵌套太深（超过 {MAX_DEPTH} 层）",
                        "数据文件只需要几层缩进；检查是否有成串的 [ 或 {")
    lines.setdefault(loc, node.start_mark.line + 1)
    tag = node.tag or ""
    if not tag.startswith(_CORE) or tag[len(_CORE):].startswith("python"):
        raise _DocError(node.start_mark.line + 1, f"不允许的 YAML 标签 {tag!r}", "去掉以 ! 开头的标签；数据文件只需要普通的文字、列表和键值")
    if isinstance(node, yaml.ScalarNode):
        if tag == _CORE + "null":
            return None
        return drop_controls(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, loc + (i,), lines, budget) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _DocError(key_node.start_mark.line + 1, "键必须是简单的文字", "例如 title: 标题")
            key = key_node.value
            if key == "<<":
                raise _DocError(key_node.start_mark.line + 1, "不支持 YAML 合并键 <<", "把要重复的字段直接写出来")
            if key in out:
                raise _DocError(key_node.start_mark.line + 1, f"键 {key!r} 重复出现",
                                f"同一层里每个键只能写一次；第一次在第 {lines[loc + (key,)]} 行")
            lines[loc + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, loc + (key,), lines, budget)
        return out
    raise _DocError(node.start_mark.line + 1, "无法识别的 YAML 结构")


def _yaml_problem(e: yaml.MarkedYAMLError, text: str) -> str:
    problem = (e.problem or e.context or "").strip()
    mark = e.problem_mark
    if mark is not None and "cannot start any token" in problem:
        line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
        if "\t" in line[: mark.column + 1]:
            return f"行首有制表符（Tab）（{problem}）"
    known = {
        "found character '\\t' that cannot start any token": "行首有制表符（Tab）",
        "mapping values are not allowed here": "这里不能出现冒号“:”",
        "could not find expected ':'": "缺少冒号“:”",
        "found undefined alias": "引用了未定义的别名",
    }
    for en, zh in known.items():
        if problem.startswith(en):
            return f"{zh}（{problem}）"
    return problem


def _yaml_hint(e: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = e.problem or ""
    for near in text.splitlines()[max(0, line - 2): line]:
        if "：" in near and ": " not in near and not near.lstrip().startswith("#"):
            return FULLWIDTH_COLON_HINT
    if "\\t" in problem or "\t" in (text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""):
        return "YAML 只能用空格缩进；把制表符换成两个空格"
    if "mapping values" in problem:
        return "值里含有“: ”时请给整个值加引号，例如 text: \"时间: 下午\""
    return "检查这一行和上一行的缩进与冒号；每层缩进两个空格，例如 `title: 标题`"
