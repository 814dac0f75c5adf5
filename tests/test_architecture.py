"""The layout rules of issue 12 that a reader of one file cannot see.

- An import of a project module inside a function hides a dependency from the layer
  contracts and from the reader: it belongs at the top of the module, unless it defers
  a slow optional library stack (start-up, pool workers), finds plugins or breaks a
  real cycle; then its line says so with ``# lazy: <reason>``.
- A module over 600 lines is one job too many, unless its docstring says
  "Over 600 lines: <reason>".
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "extractors", "checks", "flows", "samples", "workbench")
MAX_LINES = 600
_SKIP_DIRS = {"tests", "build", "dist", "node_modules", "__pycache__"}


def _package_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _is_project_import(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
    return any(a.name.split(".")[0] in PACKAGES for a in node.names)


def _function_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, (ast.Import, ast.ImportFrom)) and _is_project_import(child):
                found.append(child)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def test_no_project_import_hides_in_a_function_unless_it_says_why():
    hidden = []
    for path in _package_files():
        src = path.read_text(encoding="utf-8")
        lines = src.splitlines()
        for node in _function_imports(ast.parse(src)):
            # the reason may sit on the last line of a wrapped import
            text = "\n".join(lines[node.lineno - 1:(node.end_lineno or node.lineno)])
            if not re.search(r"#\s*lazy:\s*\S", text):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not hidden, ("imports of project modules inside functions: move them to the top of the module, "
                        "or add '# lazy: <reason>' (slow optional library, plugin discovery, real cycle):\n"
                        + "\n".join(hidden))


def _source_files() -> list[Path]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(p in _SKIP_DIRS or p.startswith(".") or p.endswith(".egg-info") for p in parts[:-1]):
            continue
        out.append(path)
    return out


def test_no_module_over_600_lines_without_saying_why():
    files = _source_files()
    assert any(p.parts[-2:] == ("pipeline", "run.py") for p in files)  # the walk sees the packages
    long = []
    for path in files:
        src = path.read_text(encoding="utf-8")
        n = len(src.splitlines())
        if n <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(src)) or ""
        if not re.search(r"Over 600 lines\s*[:：]?\s*\w", doc):
            long.append(f"{path.relative_to(ROOT)}: {n} lines")
    assert not long, ("modules over 600 lines: split them by concern, or say in the module docstring "
                      "'Over 600 lines: <reason>':\n" + "\n".join(long))


def test_the_import_walk_finds_hidden_imports():
    tree = ast.parse("import os\n"
                     "def f():\n"
                     "    from pipeline.types import Page\n"
                     "    from . import sibling\n"
                     "    import json\n"
                     "    import checks.base\n")
    assert [n.lineno for n in _function_imports(tree)] == [3, 4, 6]
