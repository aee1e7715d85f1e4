"""What Decap CMS 3.16 does to an entry between opening and saving it, in Python, for tests that
send the local backend what the editor would send.

- `decap_parse`: its YAML reader (the `yaml` package 1.x, YAML 1.2 core schema, plus its own
  timestamp tag): 4.10 is the number 4.1, 017 is 17, true is a flag, ~ is nothing; strings only
  when quoted or plainly text. (Decap's own formats/yaml.ts.)
- `check_widgets`: what its form needs to keep a value: a list with `fields` holds only
  mappings (a plain line in it makes the save fail silently and drops the line from the form),
  a list with one `field` only plain values, a text widget a string (a number is written back as
  the number).
- `tidy`: plansite-admin.js's preSave step (empty values left out).
- `decap_dump`: its YAML writer: keys in the order of the collection's fields, values as parsed.
- `frontmatter_*`: its Markdown-file format (gray-matter) for the plans' .md files.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

import yaml


class DecapLoader(yaml.SafeLoader):
    """YAML 1.2 core schema, as the `yaml` package reads it."""


DecapLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         "-+.0123456789"),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?Z$", list("0123456789"))):
    DecapLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # 1.2: a leading 0 is still decimal


def _float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith("inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text.endswith("nan"):
        return math.nan
    return float(text)


def _bool(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    return loader.construct_scalar(node).lower() == "true"


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> datetime.datetime:
    return datetime.datetime.fromisoformat(loader.construct_scalar(node).replace("Z", "+00:00"))


DecapLoader.add_constructor("tag:yaml.org,2002:int", _int)
DecapLoader.add_constructor("tag:yaml.org,2002:float", _float)
DecapLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
DecapLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def decap_parse(text: str) -> Any:
    return yaml.load(text, Loader=DecapLoader)  # noqa: S506 - a SafeLoader subclass


class WidgetLoss(Exception):
    """A value Decap's form cannot keep as it is."""


def check_widgets(value: Any, fields: list[dict], where: str = "") -> None:
    """Raise WidgetLoss where the entry's values do not fit the collection's widgets."""
    if not isinstance(value, dict):
        raise WidgetLoss(f"{where or '文件'}: 不是映射")
    for field in fields:
        name, v = field["name"], value.get(field["name"])
        here = f"{where}.{name}" if where else name
        if v is None:
            continue
        widget = field.get("widget", "string")
        if widget == "list":
            if not isinstance(v, list):
                raise WidgetLoss(f"{here}: 列表控件拿到 {v!r}")
            for i, entry in enumerate(v):
                if "fields" in field:
                    if not isinstance(entry, dict):
                        raise WidgetLoss(f"{here}[{i}]: 对象列表里混有 {entry!r}")
                    check_widgets(entry, field["fields"], f"{here}[{i}]")
                elif not isinstance(entry, str):
                    raise WidgetLoss(f"{here}[{i}]: 文字列表里是 {entry!r}")
        elif widget == "relation" and field.get("multiple"):
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise WidgetLoss(f"{here}: 多选拿到 {v!r}")
        elif not isinstance(v, str):
            raise WidgetLoss(f"{here}: 文字控件拿到 {type(v).__name__} {v!r}（保存时写回 {v!r}）")


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)


def tidy(value: Any) -> Any:
    """plansite-admin.js's preSave: empty strings, lists and mappings left out, in mappings and lists."""
    if isinstance(value, dict):
        return {k: t for k, t in ((k, tidy(v)) for k, v in value.items()) if not _empty(t)}
    if isinstance(value, list):
        return [t for t in (tidy(v) for v in value) if not _empty(t)]
    return value


def decap_dump(data: Any, fields: list[dict]) -> str:
    """The YAML Decap writes: keys in the fields' order first (sortKeys), then the others as read."""
    order = [f["name"] for f in fields]
    if isinstance(data, dict):
        data = dict(sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100000)


def frontmatter_parse(text: str) -> dict:
    """gray-matter: front matter between --- lines, the rest the body (only when not blank)."""
    m = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    data, body = (decap_parse(m.group(1)) or {}, m.group(2)) if m else ({}, text)
    return data | ({"body": body} if body.strip() else {})


def frontmatter_dump(data: dict) -> str:
    body = data.get("body", "")
    meta = {k: v for k, v in data.items() if k != "body"}
    if not meta:
        return body
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
