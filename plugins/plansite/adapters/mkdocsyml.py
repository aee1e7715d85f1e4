"""mkdocs.yml read as MkDocs reads it, without running MkDocs: `!ENV` resolved as pyyaml_env_tag
does, Python tags (Material's emoji functions) dropped. Used by `plansite render` and the publish
check, which need the site's settings but not MkDocs' config machinery."""

from __future__ import annotations

import os
from typing import Any

import yaml


class ConfigLoader(yaml.SafeLoader):
    """A SafeLoader that knows mkdocs.yml's tags."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:  # [A, B, default], or [A] without a default
        values = loader.construct_sequence(node)
        names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    for name in names:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return default


ConfigLoader.add_constructor("!ENV", _env)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def load_mkdocs_yml(text: str) -> Any:
    """The parsed text; raises yaml.YAMLError as yaml.load does."""
    return yaml.load(text, Loader=ConfigLoader)  # noqa: S506 - a SafeLoader subclass


def merge_names(existing: list, ours: list[str]) -> list:
    """Add to a list of extra_javascript / extra_css entries the names it lacks (in place)."""
    have = [str(item) for item in existing]
    existing.extend(name for name in ours if name not in have)
    return existing


EXTENSIONS = ("attr_list", "tables", "toc")
"""The Markdown extensions generated pages need: {#anchor} attribute lists, tables, heading ids."""


def add_extensions(extensions: list) -> list:
    """Add EXTENSIONS to a markdown_extensions list (names, or {name: options}) that lacks them (in place)."""
    names = [e if isinstance(e, str) else next(iter(e)) for e in extensions]
    extensions.extend(name for name in EXTENSIONS if name not in names)
    return extensions
