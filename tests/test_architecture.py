"""The package reads one way: no module of plansite imports, directly or through others, a module
that imports it back. Function-local imports count too, so none can hide a circle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import plansite

PACKAGE = Path(plansite.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The plansite modules a file imports, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("plansite")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("plansite"):
                continue
            for alias in node.names:  # `from . import site` names a module, `from .site import Site` does not
                sub = f"{target}.{alias.name}"
                found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else target)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges = {}
    for name, path in modules.items():
        # A package's __init__ runs before its modules, but that is Python's order, not an import
        # the code asks for: only explicit imports are edges.
        edges[name] = {d for d in imports_of(path) if d in modules and d != name}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(edges[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_graph_sees_the_package():
    edges = graph()
    assert "plansite.output.build" in edges["plansite.adapters.plugin"]
    assert "plansite.output.site" in edges["plansite.output.pages.month"]
    assert "plansite.output.pages.month" in edges["plansite.output.build"]
    assert "plansite.importer.ids" in edges["plansite.importer.dump"]  # `from . import ids`


def test_only_the_adapter_imports_mkdocs():
    """Thin adapter, pure core: MkDocs is imported by plugin.py and config.py only."""
    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
                users.add(module_name(path))
    assert users == {"plansite.adapters.plugin", "plansite.adapters.config"}


FLOORS = ("input", "views", "output", "importer", "adapters")
"""The package's floors, lowest first: reading and checking plan data; the derived views; the output
side (the Site, every builder, the engine that runs them); the importer (raw plans to plan data);
the adapters (MkDocs, the command line, render, new sites, the publish gate). A module imports only
from its own floor and the floors below it."""


def floor_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOORS else None


def arrows_up(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for module, deps in sorted(edges.items()):
        here = floor_of(module)
        for dep in sorted(deps):
            there = floor_of(dep)
            if here and there and FLOORS.index(there) > FLOORS.index(here):
                out.append(f"{module} ({here}) -> {dep} ({there})")
    return out


def test_every_module_is_on_a_floor():
    loose = [m for m in graph() if m != "plansite" and floor_of(m) is None]
    assert loose == [], f"modules outside the floors {FLOORS}: {loose}"


def test_no_floor_imports_one_above_it():
    assert arrows_up(graph()) == []


def test_the_floor_check_sees_an_arrow_up():
    edges = {"plansite.input.load": {"plansite.output.site"}, "plansite.output.site": {"plansite.input.model"}}
    assert arrows_up(edges) == ["plansite.input.load (input) -> plansite.output.site (output)"]


def _block(layout: str, folder: str) -> str:
    """The lines of README's layout under `folder/` (its own line and the more indented ones after it)."""
    m = re.search(rf"^( *){re.escape(folder)}/ .*$", layout, re.M)
    assert m, f"README's layout has no line for {folder}/"
    indent = len(m.group(1))
    lines = [m.group(0)]
    for line in layout[m.end():].split("\n")[1:]:
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        lines.append(line)
    return "\n".join(lines)


def test_readme_layout_names_every_module():
    """README's layout names every top-level entry, every folder of the package and every module,
    in the block of its folder."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    top = {p.name for p in PACKAGE.parents[1].iterdir()
           if p.name not in {".git", ".venv", ".cache", ".hypothesis", ".pytest_cache", "site", "test-artifacts",
                             ".gitignore", "__pycache__"} and not p.name.endswith(".egg-info")}
    missing = [name for name in sorted(top) if name not in layout]
    for folder in sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"):
        rel = folder.relative_to(PACKAGE)
        if rel.parts[0] in ("templates", "skeleton", "assets", "theme", "data") and len(rel.parts) > 1:
            continue  # folders of files that are no modules: named by their top folder
        try:
            block = _block(layout, folder.name)
        except AssertionError:
            missing.append(f"{rel.as_posix()}/")
            continue
        missing += [f"{rel.as_posix()}/{p.name}" for p in folder.glob("*.py")
                    if p.name != "__init__.py" and p.stem not in block]
    assert not missing, f"README's layout does not name: {missing}"
