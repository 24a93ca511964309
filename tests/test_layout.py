"""The package's layout: no import cycles, every module importable on its own, every subpackage says what it is.

Written against the source (an ast scan of lineage/), so it holds for any arrangement of modules into
subpackages: data flows one way, and so do the imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "lineage"


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package (a package is its __init__)."""
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path, modules: dict[str, Path], at_import: bool = False) -> set[str]:
    """Modules of the package that ``name`` imports, at the top or inside functions (not for type checking only).

    ``from P import x`` depends on module ``P.x`` when there is one, else on ``P`` itself (for a package: its
    __init__, which is what runs).  ``at_import``: only what runs when ``name`` is imported (not inside
    functions), and the packages around each module imported, whose __init__ runs first (except the
    packages around ``name``, which are being imported already).
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if at_import and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                if f"{target}.{a.name}" in modules:
                    found.add(f"{target}.{a.name}")
                elif target in modules:
                    found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    if at_import:
        mine = {name.rsplit(".", k)[0] for k in range(name.count(".") + 1)}
        found |= {p for m in found for k in range(1, m.count(".") + 1) if (p := m.rsplit(".", k)[0]) not in mine}
    found.discard(name)
    return found


def import_graph(at_import: bool = False) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (``at_import``: see :func:`_imports`)."""
    modules = _modules()
    return {name: _imports(name, path, modules, at_import) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def _say(found: list[list[str]]) -> str:
    return "; ".join(" <-> ".join(c) for c in found)


def test_the_scan_finds_a_cycle_when_there_is_one():
    graph = import_graph()
    assert "lineage.model" in graph["lineage.store"]  # the scan reads imports
    graph["lineage.model"] = graph["lineage.model"] | {"lineage.store"}
    assert any({"lineage.model", "lineage.store"} <= set(c) for c in cycles(graph))
    # a package whose __init__ imports a module that needs the package's __init__ back
    at_import = {"lineage.p": {"lineage.p.a"}, "lineage.p.a": {"lineage.q.b"}, "lineage.q.b": {"lineage.p"}}
    assert cycles(at_import) == [["lineage.p", "lineage.p.a", "lineage.q.b"]]


def test_no_import_cycles():
    """No module depends on itself through others, counting imports inside functions too (they are
    dependencies all the same, only deferred)."""
    found = cycles(import_graph())
    assert not found, "modules importing each other (directly or through others): " + _say(found)


def test_any_module_can_be_imported_first():
    """What runs at import (top-level imports, and the __init__ of every package around a module imported)
    has no cycle either, so no module ever reads a half-initialized one, whichever is imported first
    (a worker process, a test, a plugin)."""
    found = cycles(import_graph(at_import=True))
    assert not found, "a cycle when these are imported: " + _say(found)


def test_every_subpackage_says_what_flows_in_and_out():
    for init in sorted(PKG.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.relative_to(PKG.parent)}: no docstring saying what the package does"


def test_every_command_is_found_lazily_and_no_command_is_left_out() -> None:
    """`lineage X` imports only X's module; the map of commands to modules must be complete."""
    import importlib

    import click

    from lineage.cli.app import COMMAND_MODULES, cli

    ctx = click.Context(cli)
    for name, module in COMMAND_MODULES.items():
        cmd = cli.get_command(ctx, name)
        assert cmd is not None and cmd.name == name, (name, module)
    for path in sorted((PKG / "cli").glob("*_cmd.py")):
        importlib.import_module("lineage.cli." + path.stem)
    assert set(cli.commands) == set(COMMAND_MODULES)
    assert cli.list_commands(ctx) == sorted(COMMAND_MODULES)


def test_ingest_does_not_import_the_aligner_or_the_report() -> None:
    code = "import sys; from lineage.cli import cli; cli(['ingest', '--help'], standalone_mode=False); " + (
        "print(sorted(m for m in ('lineage.align.aligner', 'lineage.report', 'jinja2', 'flask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
