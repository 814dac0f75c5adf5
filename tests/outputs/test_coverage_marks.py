"""The experts' outputs say per item whether bundlecheck checked it, and if not why."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from checks import base, coverage
from pipeline.outputs.checklist_xlsx import COL, SHEET_MAIN, SHEET_SUMMARY, write_checklist_xlsx
from pipeline.outputs.coverage import item_mark
from pipeline.outputs.report_html import render_report_html


def _cov():
    return {c.no: c for c in coverage.coverage()}


def _a_covered_item(cov, *, bundle_only=True) -> int:
    return next(n for n, c in cov.items() if c.checked and (c.item.evidence == "bundle" or not bundle_only)
                and not c.rest_zh)


def _marks(path) -> dict[int, str]:
    ws = load_workbook(path)[SHEET_MAIN]
    return {row[0].value: row[COL["系统核查"] - 1].value for row in ws.iter_rows(min_row=4)
            if isinstance(row[0].value, int)}


def test_xlsx_marks(tmp_path):
    cov = _cov()
    ran = _a_covered_item(cov)
    not_run = next(n for n, c in cov.items() if c.checked and n != ran)
    out = tmp_path / "checklist.xlsx"
    write_checklist_xlsx(out, "B-1", [], checked_indicators=[ran])
    marks = _marks(out)
    assert sorted(marks) == list(range(1, 97))
    assert marks[ran] == f"已自动核查（{'、'.join(cov[ran].checks)}）"
    assert marks[not_run].startswith("本证据包未能完成自动核查") and cov[not_run].checks[0] in marks[not_run]
    for n, c in cov.items():
        if not c.checked:
            assert marks[n] == c.reason_zh, n
    assert marks[83].startswith("需现场核查：") and marks[90].startswith("需实验室现场核查：")
    summary = "\n".join(str(v) for r in load_workbook(out)[SHEET_SUMMARY].iter_rows(values_only=True) for v in r if v)
    assert coverage.summarize(tuple(cov.values())).line_zh in summary
    site = [n for n, c in cov.items() if c.reason == "site_visit"]
    assert f"需现场核查：第{'、'.join(map(str, site))}项" in summary


def test_xlsx_failed_bundle_claims_nothing_checked(tmp_path):
    cov = _cov()
    n = _a_covered_item(cov)
    out = tmp_path / "checklist.xlsx"
    write_checklist_xlsx(out, "B-2", [], status="failed")
    marks = _marks(out)
    assert marks[n].startswith("本证据包处理未完成") and "已自动核查" not in marks[n]


def test_xlsx_follows_a_new_registration(tmp_path):
    cov = _cov()
    target = next(n for n, c in cov.items() if c.reason == coverage.NOT_CHECKED)
    name = f"i{target:03d}_output_probe"
    try:
        base.check(name, indicators=[target])(lambda ctx: [])
        write_checklist_xlsx(tmp_path / "a.xlsx", "B-3", [], checked_indicators=[target])
        assert _marks(tmp_path / "a.xlsx")[target] == f"已自动核查（{name}）"
    finally:
        base.REGISTRY.pop(name, None)
    write_checklist_xlsx(tmp_path / "b.xlsx", "B-3", [], checked_indicators=[target])
    assert _marks(tmp_path / "b.xlsx")[target].startswith("暂未自动核查：")


def test_partial_items_name_the_rest():
    c = next(c for c in coverage.coverage() if c.checked and c.item.evidence == "lab_visit")
    assert item_mark(c, {c.no}).split("\n")[1].startswith("其余需实验室现场核查：")


def _row(html: str, no: int) -> str:
    m = re.search(rf'<tr id="cov-{no}">(.*?)</tr>', html, re.S)
    assert m, no
    return m.group(1)


def test_report_html_marks():
    cov = _cov()
    ran = _a_covered_item(cov)
    res = {"bundle_id": "B-4", "status": "done", "findings": [], "checks": {"checked_indicators": [ran]}}
    text = render_report_html(res)
    assert "附件3各项的系统核查情况" in text
    assert coverage.summarize(tuple(cov.values())).line_zh in text
    assert f"已自动核查（{'、'.join(cov[ran].checks)}）" in _row(text, ran)
    assert "需现场核查：" in _row(text, 83) and "★" in _row(text, 83 - 4)  # 79 is a veto item
    assert "需实验室现场核查：" in _row(text, 93)
    assert "重点指标" in _row(text, 36)
    assert len(re.findall(r'<tr id="cov-\d+">', text)) == 96
    # an older findings.json without the checks block: covered items are named, not claimed run
    old = render_report_html({"bundle_id": "B-5", "status": "done", "findings": []})
    assert f"系统自动核查项（{'、'.join(cov[ran].checks)}）" in _row(old, ran)
