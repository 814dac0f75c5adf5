"""pipeline/, extractors/ and checks/ hold the business logic and never import Prefect."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["pipeline", "extractors", "checks", "samples"])
def test_no_prefect_import(package):
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        if path == ROOT / "pipeline" / "cli.py":  # the composition root picks the engine
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "prefect" or n.startswith("prefect.") or n.startswith("flows") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
