"""The package's layers, kept as STYLE.md draws them (its rule 12: imports run one way).

Every import of every module is read from its source, late ones (inside a function)
included, and these rules are checked:

- no import cycle anywhere in the package;
- `core` never imports Qt nor `ui`;
- the core's leaves (errors, clock, pt-BR formats, …) import no other part of the core,
  and the storage layer (`core/store/`) imports only the leaves;
- `ui` never imports peewee, a database driver or the storage layer, and never runs SQL:
  it reaches data only through the core's functions;
- the UI's shared building blocks (`ui/common/`) import no screen and not the shell.

Nothing is imported or run: the test reads the files, so a late import cannot hide.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "r3izzy_desktop"

CORE = f"{PACKAGE}.core"
STORE = f"{CORE}.store"
CORE_LEAVES = {
    f"{CORE}.{name}"
    for name in ("errors", "clock", "ptbr", "money_words", "validation", "terms", "text")
}
UI = f"{PACKAGE}.ui"
UI_COMMON = f"{UI}.common"
UI_SHELL = f"{UI}.shell"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
DATABASE_LIBRARIES = ("peewee", "playhouse", "sqlite3", "pysqlite3", "psycopg", "psycopg2", "apsw")
SQL_CALL = re.compile(r"\.execute_sql\(|\bcursor\(\)")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement in the file, at any depth.

    `from a.b import c` counts as an import of `a.b.c` when that is a module of ours,
    else of `a.b`; relative imports are resolved against the file's package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield (submodule if submodule in known else target), node.lineno


def graph() -> dict[str, list[tuple[str, int]]]:
    known = modules()
    return {name: list(imports_of(name, path, known)) for name, path in known.items()}


def inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def package_edges(imports: dict[str, list[tuple[str, int]]]) -> dict[str, set[str]]:
    return {
        name: {target for target, _ in targets if target in imports and target != name}
        for name, targets in imports.items()
    }


def test_the_reader_sees_late_imports_and_cycles():
    """The checks below can fail: a late import is read, and a cycle is found."""
    source = "def f():\n    from .b import thing\n"
    tree_imports = [
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    ]
    assert tree_imports and tree_imports[0].module == "b"
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    found = cycles(package_edges(graph()))
    assert found == [], "import cycles (move the shared piece down):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in found
    )


def violations(rule) -> list[str]:
    out = []
    for name, targets in graph().items():
        for target, line in targets:
            why = rule(name, target)
            if why:
                out.append(f"{modules()[name].relative_to(ROOT)}:{line} imports {target}: {why}")
    return out


def core_rule(name: str, target: str) -> str | None:
    if not inside(name, CORE):
        return None
    if target.split(".")[0] in QT:
        return "the core never imports Qt"
    if inside(target, UI):
        return "the core never imports the UI"
    if name in CORE_LEAVES and inside(target, CORE) and target not in CORE_LEAVES:
        return "a leaf of the core imports only other leaves"
    below_store = inside(target, STORE) or target in CORE_LEAVES or target == CORE
    if inside(name, STORE) and inside(target, CORE) and not below_store:
        return "the storage layer imports nothing above it"
    return None


def ui_rule(name: str, target: str) -> str | None:
    if not inside(name, UI):
        return None
    if target.split(".")[0] in DATABASE_LIBRARIES:
        return "the UI reaches data only through the core"
    if inside(target, STORE):
        return "the UI never reaches into the storage layer (use core.database)"
    screen_or_shell = inside(target, UI) and not inside(target, UI_COMMON) and target != UI
    if inside(name, UI_COMMON) and screen_or_shell:
        return "shared building blocks import no screen and not the shell"
    return None


@pytest.mark.parametrize("rule", [core_rule, ui_rule], ids=["core", "ui"])
def test_layers_import_one_way(rule):
    found = violations(rule)
    assert found == [], "\n".join(found)


def test_the_ui_runs_no_sql():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for name, path in modules().items()
        if inside(name, UI)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL_CALL.search(line)
    ]
    assert found == [], "\n".join(found)


def test_rules_would_catch_a_violation():
    """Each rule says why for a made-up import that breaks it."""
    assert core_rule(f"{CORE}.packages.reads", "PySide6.QtCore")
    assert core_rule(f"{CORE}.packages.reads", f"{UI}.common.widgets")
    assert core_rule(f"{CORE}.ptbr", f"{CORE}.packages")
    assert core_rule(f"{STORE}.models", f"{CORE}.packages.ledger")
    assert core_rule(f"{STORE}.models", f"{CORE}.clock") is None
    assert ui_rule(f"{UI}.packages.form", "peewee")
    assert ui_rule(f"{UI}.packages.form", f"{STORE}.models")
    assert ui_rule(f"{UI_COMMON}.widgets", f"{UI}.packages.form")
    assert ui_rule(f"{UI}.packages.form", f"{CORE}.packages") is None


SQLITE_PICKER = f"{STORE}.sqlite"
SQLITE_MODULES = ("sqlite3", "pysqlite3", "_sqlite3")


def direct_sqlite_imports(files: dict[str, Path]) -> list[str]:
    found = []
    for name, path in files.items():
        if name == SQLITE_PICKER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                targets = [node.module or ""]
            for target in targets:
                if target.split(".")[0] in SQLITE_MODULES:
                    found.append(f"{name}:{node.lineno} imports {target}")
    return found


def test_one_sqlite_module_for_the_app_and_its_tests(tmp_path):
    """Only core/store/sqlite.py picks the SQLite module; the app and the tests import it
    from there (two SQLite copies in one process break each other's file locks)."""
    files = modules()
    files.update({module_name(path): path for path in sorted((ROOT / "tests").rglob("*.py"))})
    assert direct_sqlite_imports(files) == []
    stray = tmp_path / "stray.py"
    stray.write_text("def f():\n    from pysqlite3 import dbapi2\nimport sqlite3 as s\n")
    assert sorted(direct_sqlite_imports({"tests.stray": stray})) == [
        "tests.stray:2 imports pysqlite3",
        "tests.stray:3 imports sqlite3",
    ]
