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
    assert "plansite.build" in edges["plansite.plugin"]
    assert "plansite.site" in edges["plansite.pages.month"]
    assert "plansite.pages.month" in edges["plansite.build"]
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
    assert users == {"plansite.plugin", "plansite.config"}


def test_readme_layout_names_every_module():
    """README's layout names every top-level entry and every module of the package, one line each."""
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    top = {p.name for p in PACKAGE.parents[1].iterdir()
           if p.name not in {".git", ".venv", ".cache", ".hypothesis", ".pytest_cache", "site", "test-artifacts",
                             ".gitignore", "__pycache__"} and not p.name.endswith(".egg-info")}
    missing = [name for name in sorted(top) if name not in layout]
    modules = [p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    missing += [p.name for p in modules if f"\n  {p.name} " not in layout]
    missing += [p.name + "/" for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"
                and f"\n  {p.name}/ " not in layout]
    for package in ("pages", "feeds", "importer"):
        line = re.split(r"\n  (?! )", layout.split(f"\n  {package}/", 1)[1], maxsplit=1)[0]
        missing += [f"{package}/{p.stem}" for p in (PACKAGE / package).glob("*.py")
                    if p.name != "__init__.py" and p.stem not in line]
    assert not missing, f"README's layout does not name: {missing}"
