"""The sandbox's layout rules, checked against the code and the catalog (so they can fail).

Handlers live in their toolset's module; the fixtures are data; the sandbox imports only the API
description, the clock and itself, with no cycles and no function-level imports of its own modules;
importing the transport (done on every `--sandbox` start) loads none of the handlers, seed or engine.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG
from zoom_mcp.sandbox.handlers import BY_TOOLSET, HANDLERS

SANDBOX = Path(__file__).resolve().parents[1] / "zoom_mcp" / "sandbox"
ALLOWED_OUTSIDE = ("zoom_mcp.api", "zoom_mcp.clock")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SANDBOX.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(SANDBOX.rglob("*.py"))}


def _imports(tree: ast.AST, module: str) -> list[tuple[str, bool]]:
    """(imported module, at module level outside `if TYPE_CHECKING`) for every internal import."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                found.append((base, top))
                found.extend((f"{base}.{a.name}", top) for a in child.names if f"{base}.{a.name}" in MODULES)
            visit(child, top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))

    visit(tree, True)
    return [(name, top) for name, top in found if name.startswith("zoom_mcp")]


GRAPH = {
    module: [name for name, _ in _imports(ast.parse(path.read_text()), module) if name in MODULES and name != module]
    for module, path in MODULES.items()
}


def test_every_handler_lives_in_its_toolsets_module() -> None:
    misplaced = {}
    for name, handler in HANDLERS.items():
        op = CATALOG.get(name)
        assert op is not None, f"{name} has a handler but is not a catalog operation"
        home = f"zoom_mcp.sandbox.handlers.{op.toolset}"
        registered = [toolset for toolset, module in BY_TOOLSET.items() if name in module.HANDLERS]
        if handler.__module__ != home or registered != [op.toolset]:
            misplaced[name] = (op.toolset, handler.__module__, registered)
    assert misplaced == {}


def test_there_is_one_handler_module_per_toolset_and_no_other() -> None:
    files = {path.stem for path in (SANDBOX / "handlers").glob("*.py")} - {"__init__"}
    assert set(BY_TOOLSET) == files == set(CATALOG.toolsets)


@pytest.mark.parametrize("module", [m for m in MODULES if m.startswith("zoom_mcp.sandbox.fixtures")])
def test_fixtures_are_data(module: str) -> None:
    """Only assignments of data (and imports of other fixtures): no functions, classes or control flow."""
    tree = ast.parse(MODULES[module].read_text())
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").startswith("zoom_mcp.sandbox.fixtures"), ast.unparse(node)
            continue
        is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        assert is_docstring or isinstance(node, ast.Assign | ast.AnnAssign), ast.unparse(node)[:80]
        assert not any(isinstance(n, ast.Lambda | ast.Call) for n in ast.walk(node)), ast.unparse(node)[:80]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_the_sandbox_imports_only_the_api_the_clock_and_itself_at_the_top(module: str) -> None:
    for name, top in _imports(ast.parse(MODULES[module].read_text()), module):
        assert name.startswith(("zoom_mcp.sandbox", *ALLOWED_OUTSIDE)), f"{module} imports {name}"
        assert top or not name.startswith("zoom_mcp.sandbox"), f"{module} imports {name} inside a function"


def test_the_sandbox_has_no_import_cycles() -> None:
    done: set[str] = set()

    def walk(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            cycle = (*path[path.index(module) :], module)
            raise AssertionError(" -> ".join(cycle))
        if module in done:
            return
        for imported in GRAPH[module]:
            walk(imported, (*path, module))
        done.add(module)

    for module in GRAPH:
        walk(module, ())


@pytest.mark.parametrize("module", ["zoom_mcp.sandbox.transport", "zoom_mcp.sandbox.identity"])
def test_importing_the_transport_loads_no_handler_seed_or_engine(module: str) -> None:
    code = f"import json, sys, {module}; print(json.dumps(sorted(m for m in sys.modules if m.startswith('zoom_mcp'))))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    allowed = {"zoom_mcp", "zoom_mcp.sandbox", "zoom_mcp.sandbox.identity", "zoom_mcp.sandbox.transport"}
    allowed |= {"zoom_mcp.sandbox.engine", "zoom_mcp.sandbox.engine.faults"}  # the transport maps its two exceptions
    assert set(loaded) <= allowed


@pytest.mark.parametrize("module", sorted(MODULES))
def test_the_sandbox_reads_neither_the_wall_clock_nor_the_environment(module: str) -> None:
    """Time comes from the sandbox's injected clock; configuration from its constructor."""
    tree = ast.parse(MODULES[module].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            assert not {"time", "os"} & set(names), f"{module}: {ast.unparse(node)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            clock_read = node.func.attr in ("now", "today", "utcnow") and isinstance(target, ast.Name)
            assert not (clock_read and target.id in ("datetime", "date")), f"{module}: {ast.unparse(node)}"
