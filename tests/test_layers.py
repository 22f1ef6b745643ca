"""Imports only point down: pipelines <- archive <- crawler <- newsarchive (the application).

Every import counts, at module level or inside a function: an import placed in a function to
dodge a cycle is still a cycle. The graph of the project's modules has no cycle either.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("pipelines", "archive", "crawler", "newsarchive")  # lowest first


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path: Path) -> set[str]:
    """The project modules ``path`` imports: ``from a import b`` is ``a.b`` when that is a
    module, else ``a``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {name for name in found if name in MODULES}


SOURCES = sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))
MODULES = {module_name(path): path for path in SOURCES if "samples" not in path.parts}
GRAPH = {name: project_imports(path) for name, path in MODULES.items()}


def layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module: str) -> None:
    upward = sorted(name for name in GRAPH[module] if layer(name) > layer(module))
    assert not upward, f"{module} ({LAYERS[layer(module)]}) imports a higher layer: {upward}"


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target == module:
                continue
            if state.get(target) == 1:
                cycle = path[path.index(target) :] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_the_graph_is_read() -> None:
    """The test sees the imports it should (so that it can fail)."""
    assert "crawler.sites" in GRAPH["crawler.spiders.news"]
    assert "archive.db" in GRAPH["crawler.archiving"]
    assert not any(name.startswith("crawler") for name in GRAPH["pipelines.normalize"])
