"""The layers of ARCHITECTURE.md, enforced: import-linter's contracts in pyproject.toml."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["tool"]["importlinter"]["contracts"]


def test_import_contracts_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout


def test_every_check_module_is_in_the_checks_contract():
    """A new checks/iNNN_*.py must be named in the contract, or it could import another check."""
    checks_contract = next(c for c in _contracts() if c.get("containers") == ["checks"])
    named = {m.strip() for layer in checks_contract["layers"] for m in layer.split("|")}
    on_disk = {p.stem for p in (ROOT / "checks").glob("i[0-9][0-9][0-9]_*.py")}
    assert on_disk - named == set(), f"add to the checks contract in pyproject.toml: {sorted(on_disk - named)}"


def test_every_pipeline_module_has_a_layer():
    """A module outside every layer would escape the contract without anyone noticing."""
    stages = next(c for c in _contracts() if c["type"] == "layers" and not c.get("containers"))
    named = {m.strip() for layer in stages["layers"] for m in layer.split("|")}
    on_disk = {f"pipeline.{p.stem}" for p in (ROOT / "pipeline").glob("*.py") if p.stem != "__init__"}
    on_disk |= {f"pipeline.{p.name}" for p in (ROOT / "pipeline").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    assert on_disk - named == set(), f"give these a layer in pyproject.toml: {sorted(on_disk - named)}"
