"""The one shape the editor reads and writes, and the ids it gives new files.

Plan data may be written by hand in forms the loader reads alike: a schedule item or a plan's
project as a plain line (`- 制订计划。`) or as a mapping (`- text: 制订计划。`), `level: 省` or
`省级`, a date `4.10` unquoted. Decap CMS cannot keep that meaning: a list that mixes lines and
mappings refuses to save (and drops the lines from its form), and it reads YAML 1.2, where `4.10`
is the number 4.1 and is written back as `4.1` (the 1st of April, not the 10th). So the editor is
given every data file in one shape (`editor_text`): items and projects as mappings, levels and
stages in their full form, every value a string that reads back as that string in YAML 1.2 and
1.1 alike (quoted where it would read as a number, a flag or nothing). The loader keeps reading
every form; what the editor saves means what the file meant (tests/test_editor.py's round trip).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from ...input import model as m
from ...input.categories import default_taxonomy_text
from ...input.yamlsrc import load_yaml


class EditorDumper(yaml.SafeDumper):
    """Quotes every string that YAML 1.2's core schema (Decap CMS's reader) or YAML 1.1 (PyYAML's)
    would read as something else; long texts as literal blocks."""


# YAML 1.2 core schema forms that YAML 1.1 reads as strings (1e5, 0o17, +1): the dumper must quote them too
for tag, pattern, first in (
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         "-+.0123456789"),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("null", r"^(?:~|null|Null|NULL)$", "~nN")):
    EditorDumper.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


EditorDumper.add_representer(str, _represent_text)


def dump_editor_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=EditorDumper, allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False)


_LEVEL = TypeAdapter(m.Level)
_STAGE = TypeAdapter(m.Stage)


def _canonical(adapter: TypeAdapter, value: Any) -> Any:
    """The full form of a level or stage (省 -> 省级); a value the model refuses stays as written."""
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return value


def _mapping(entry: Any, key: str) -> Any:
    """A list entry written as a plain line, as the mapping it means (model._text_as)."""
    return {key: entry} if isinstance(entry, str) else entry


def _plan(data: dict) -> dict:
    if isinstance(data.get("projects"), list):
        data["projects"] = [_mapping(p, "id") for p in data["projects"]]
        for p in data["projects"]:
            if isinstance(p, dict) and isinstance(p.get("stage"), str):
                p["stage"] = _canonical(_STAGE, p["stage"])
    for block in data.get("schedule") or []:
        if isinstance(block, dict) and isinstance(block.get("items"), list):
            block["items"] = [_mapping(i, "text") for i in block["items"]]
    return data


def _project(data: dict) -> dict:
    if isinstance(data.get("level"), str):
        data["level"] = _canonical(_LEVEL, data["level"])
    for stage in data.get("stages") or []:
        if isinstance(stage, dict) and isinstance(stage.get("stage"), str):
            stage["stage"] = _canonical(_STAGE, stage["stage"])
    return data


def editor_data(kind: str, data: Any) -> Any:
    """A parsed data file (scalars as strings, as the loader reads them) in the editor's shape.
    kind: plans, projects, schools or categories."""
    if kind == "categories":
        return {"categories": data} if isinstance(data, list) else data
    if not isinstance(data, dict):
        return data
    if kind == "plans":
        return _plan(data)
    if kind == "projects":
        return _project(data)
    return data


def editor_text(kind: str, text: str | None) -> str | None:
    """A data file's text as the editor should get it. Text that does not parse is given as it is
    (the editor then says it cannot read it; `plansite check` names the line). None (no file):
    for categories, the taxonomy PlanSite ships, which a saved copy then replaces."""
    if text is None:
        if kind != "categories":
            return None
        text = default_taxonomy_text()
    src, problem = load_yaml(text, kind)
    if problem is not None or src is None or src.data is None:
        return text
    return dump_editor_yaml(editor_data(kind, src.data))
