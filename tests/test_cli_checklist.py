"""``bundlecheck checklist``: the coverage table and its JSON."""
from __future__ import annotations

import json

from checks import base, coverage
from pipeline.cli import main


def _json(capsys) -> dict:
    assert main(["checklist", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json(capsys):
    doc = _json(capsys)
    items = doc["items"]
    assert [r["no"] for r in items] == list(range(1, 97))
    reg = base.load_all()
    for r in items:
        assert {"no", "checked", "checks", "reason"} <= set(r)
        assert r["checks"] == sorted(n for n, s in reg.items() if r["no"] in s.indicators)
        assert r["checked"] == bool(r["checks"])
        assert (r["reason"] is None) == r["checked"]
        if not r["checked"]:
            assert r["reason"] in coverage.REASONS and r["reason_zh"]
    by_no = {r["no"]: r for r in items}
    assert by_no[36]["checked"] and "i036_plan_complete" in by_no[36]["checks"]
    assert by_no[83]["reason"] == "site_visit" and by_no[83]["reason_zh"].startswith("需现场核查：")
    assert doc["summary"]["checked"] == sum(r["checked"] for r in items)


def test_json_follows_a_new_registration(capsys):
    before = {r["no"]: r for r in _json(capsys)["items"]}
    target = next(n for n, r in before.items() if r["reason"] == coverage.NOT_CHECKED)
    name = f"i{target:03d}_cli_probe"
    try:
        base.check(name, indicators=[target])(lambda ctx: [])
        row = {r["no"]: r for r in _json(capsys)["items"]}[target]
        assert (row["checked"], row["checks"], row["reason"]) == (True, [name], None)
    finally:
        base.REGISTRY.pop(name, None)
    assert {r["no"]: r for r in _json(capsys)["items"]}[target]["checked"] is False


def test_table(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps to the terminal width; keep rows whole
    assert main(["checklist"]) == 0
    out = capsys.readouterr().out
    cov = coverage.coverage()
    s = coverage.summarize(cov)
    assert s.line_zh.split("；")[0] in out and f"重点指标覆盖 {len(s.key_checked)} / 8 项" in out
    lines = out.splitlines()

    def row(no: int) -> str:
        return next(ln for ln in lines if ln.startswith("│") and ln.split("│")[1].strip() == str(no))

    assert "i036_plan_complete" in row(36) and "重点" in row(36) and "是" in row(36)
    assert "需现场核查" in row(83) and "否" in row(83)
    assert "★否决" in row(94)
    assert "需实验室现场核查" in row(90)
    assert "缺少标准依据" in row(37) or "i037" in row(37)
    unchecked_bundle = next(c.no for c in cov if c.reason == coverage.NOT_CHECKED)
    assert "暂未自动核查" in row(unchecked_bundle)
