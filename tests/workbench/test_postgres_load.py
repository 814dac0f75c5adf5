"""PostgreSQL: the workbench migrates, imports idempotently and takes concurrent autosaves
on a server this test starts itself (workbench.pgtemp), through scripts/wb_load.py in its
bounded form; and the load script's check really catches a silent overwrite."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from workbench import pgtemp

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "wb_load.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("wb_load", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_bounded_load_on_postgres(tmp_path):
    try:
        pgtemp.bindir()
    except pgtemp.PostgresUnavailable as e:
        pytest.skip(str(e))
    fig_path = tmp_path / "load.json"
    r = subprocess.run([sys.executable, str(SCRIPT), "--sessions", "6", "--seconds", "10", "--page-seconds", "2",
                        "--json", str(fig_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    fig = json.loads(fig_path.read_text(encoding="utf-8"))
    assert fig["lost_or_overwritten"] == [] and fig["errors"] == 0
    assert fig["acknowledged_saves"] > 50
    assert fig["conflicts_409"] > 0          # two tabs per account really edited the same rows
    assert fig["bundle_page_per_s"] > 0


class _Fake:
    def __init__(self, user, acked):
        self.user, self.acked = user, acked


def test_the_load_check_catches_a_silent_overwrite(assigned, people):
    from workbench.review.models import ItemScore

    wb_load = _load_script()
    ItemScore.objects.create(bundle=assigned.bundle, expert=people["e1"], item_no=50, direct_score=Decimal("0.5"),
                             version=2)
    good = [_Fake("e1", [(50, 0, 1, {"direct_score": "1.0"})]), _Fake("e1", [(50, 1, 2, {"direct_score": "0.5"})])]
    assert wb_load._verify("T-001", good) == (2, [])
    # tab B saved against version 0 after tab A's save: the server should have refused it
    lost = [_Fake("e1", [(50, 0, 1, {"direct_score": "1.0"})]), _Fake("e1", [(50, 0, 2, {"direct_score": "0.5"})])]
    n, problems = wb_load._verify("T-001", lost)
    assert n == 2 and problems and "had not seen" in problems[0]
    wrong_value = [_Fake("e1", [(50, 0, 1, {"direct_score": "1.0"}), (50, 1, 2, {"direct_score": "0.9"})])]
    assert "last acknowledged" in wb_load._verify("T-001", wrong_value)[1][0]
