"""The layering of the code: no import cycle, ``kg`` never imports ``server``, modules stay small.

Imports are read with :mod:`ast` from the source, so an import hidden inside a function counts
too; imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "server")
#: Our signal to split a module (STYLE.md)
MAX_MODULE_LINES = 400


def module_name(path: Path) -> str:
    """``server/backends/local.py`` -> ``server.backends.local``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of our packages, by dotted name."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def is_type_checking_block(node: ast.AST) -> bool:
    """True for ``if TYPE_CHECKING:``."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_names(tree: ast.AST, package: str) -> Iterator[str]:
    """The modules (and ``module.name`` candidates) an AST imports at run time."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if is_type_checking_block(node):
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (a package's submodules importing the package
    itself, which Python runs first anyway, are left out)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {target for target in imported_names(tree, package) if target in known}
        graph[name] = {t for t in targets if t != name and not name.startswith(f"{t}.")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of imports, as a list of modules, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_there_is_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_kg_never_imports_server() -> None:
    crossing = {
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if name.split(".")[0] == "kg"
        for target in targets
        if target.split(".")[0] == "server"
    }
    assert not crossing


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


SERVER_MODULES = sorted(n for n in modules() if n.startswith("server"))

#: Run in one child interpreter: import each module (argv) first of all our modules, forgetting
#: every ``kg``/``server`` module between two; print the error of each module as JSON
IMPORT_EACH_ALONE = """
import importlib, json, sys, traceback
ours = ("kg", "server")
errors = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] in ours]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except BaseException:
        errors[name] = traceback.format_exc()
print(json.dumps(errors))
"""


@pytest.fixture(scope="module")
def import_errors() -> dict[str, str]:
    """Module -> the traceback of importing it alone (one child interpreter for them all)."""
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_ALONE, *SERVER_MODULES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    errors: dict[str, str] = json.loads(completed.stdout.splitlines()[-1])
    return errors


@pytest.mark.parametrize("name", SERVER_MODULES)
def test_each_server_module_imports_alone(name: str, import_errors: dict[str, str]) -> None:
    """Each module imports first of all our modules (no order-dependent cycle)."""
    assert name not in import_errors, import_errors.get(name)


@pytest.mark.parametrize("name", SERVER_MODULES)
def test_server_modules_stay_under_the_split_signal(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines < MAX_MODULE_LINES, f"{name} has {lines} lines; split it"
