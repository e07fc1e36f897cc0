"""House rules, checked on the source: imports in one direction, env vars read in one module, the wall
clock read in one module, and every late import saying why it is late."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "zoom_mcp"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# Reading the wall clock, by name: calls and references (a default argument `clock=time.time` reads it too).
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "monotonic"),
    ("time", "monotonic_ns"),
    ("time", "perf_counter"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def _attributes(tree: ast.AST) -> list[tuple[str, str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.append((node.value.id, node.attr, node.lineno))
    return found


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is a dev dependency")
def test_imports_go_one_way_and_no_package_has_a_cycle() -> None:
    """The contracts in pyproject.toml ([tool.importlinter]): layers, the sandbox apart, no cycles."""
    proc = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_only_the_settings_module_reads_environment_variables() -> None:
    readers = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for base, attr, line in _attributes(tree):
            if base == "os" and attr in ("environ", "getenv", "environb", "putenv"):
                readers.append(f"{_relative(path)}:{line} os.{attr}")
    assert {r.split(":")[0] for r in readers} <= {"zoom_mcp/app/settings.py"}, readers


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    readers = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for base, attr, line in _attributes(tree):
            if (base, attr) in WALL_CLOCK:
                readers.append(f"{_relative(path)}:{line} {base}.{attr}")
    assert {r.split(":")[0] for r in readers} <= {"zoom_mcp/clock.py"}, readers


def _explained(lines: list[str], line_number: int) -> bool:
    """A comment on the import itself, or on the line just above its group of imports."""
    if "#" in lines[line_number - 1]:
        return True
    index = line_number - 2
    while index >= 0 and (not lines[index].strip() or lines[index].strip().startswith(("from ", "import "))):
        if "#" in lines[index]:
            return True
        index -= 1
    return index >= 0 and lines[index].strip().startswith("#")


def test_every_late_import_says_why() -> None:
    """An import inside a function is there to keep something off the cold start; the comment says what."""
    silent = []
    for path in SOURCES:
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom) and not _explained(lines, node.lineno):
                    silent.append(f"{_relative(path)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert silent == []
