"""scripts/check_accuracy.py: matching of planted defects and findings."""
from __future__ import annotations

import json

import pytest

from tests.scripts import load_script



@pytest.fixture(scope="module")
def ca():
    return load_script("check_accuracy")


def _truth(bid, defects=(), scanned=False):
    return {"bundle_id": bid, "clean": not defects, "scanned": scanned, "defects": [
        {"kind": k, "code": c, "indicator": i, "also": list(a), "pages": [3]} for k, c, i, a in defects]}


def _f(code, ind=None, msg="m"):
    return {"code": code, "indicator": ind, "veto": False, "message": msg,
            "evidence": [{"file": "original.pdf", "page": 2, "bbox": None, "text": ""}]}


def _res(bid, *findings, status="done"):
    return {"bundle_id": bid, "status": status, "findings": list(findings)}


def test_found_needs_code_and_indicator(ca):
    d = {"code": "signatures.no_escort", "indicator": 41}
    assert ca.defect_found(d, [_f("signatures.no_escort", 41)])
    assert not ca.defect_found(d, [_f("signatures.no_escort", 30)])
    assert not ca.defect_found(d, [_f("signatures.too_few_technicians", 41)])
    # a defect without indicator matches on the code alone
    assert ca.defect_found({"code": "submission.late", "indicator": None}, [_f("submission.late")])
    assert ca.defect_found({"code": "submission.late", "indicator": None}, [_f("submission.late", 5)])


def test_two_defects_same_code_different_indicators(ca):
    t = _truth("B1", [("survey_single_technician", "signatures.too_few_technicians", 29, ()),
                      ("sampling_single_technician", "signatures.too_few_technicians", 41, ())])
    s = ca.score_bundle(t, _res("B1", _f("signatures.too_few_technicians", 29)))
    assert [d["found"] for d in s["defects"]] == [True, False]
    assert s["findings"][0]["tp"]
    rep = ca.aggregate([s])
    assert rep["overall"]["recall"] == 0.5 and rep["overall"]["precision"] == 1.0


def test_also_accepted_and_false_positive(ca):
    t = _truth("B2", [("missing_lab_section", "bundle.missing_section", None, ["samples.count_mismatch"])])
    s = ca.score_bundle(t, _res("B2", _f("bundle.missing_section"), _f("samples.count_mismatch", 94),
                                _f("report.wrong_limit", 62, "限值 <错>")))
    assert [f["tp"] for f in s["findings"]] == [True, True, False]
    rep = ca.aggregate([s])
    assert rep["overall"]["found"] == 1 and rep["overall"]["false_positives"] == 1
    assert rep["per_code"]["report.wrong_limit"]["fp"] == 1
    assert rep["per_code"]["report.wrong_limit"]["fp_examples"][0] == {
        "bundle_id": "B2", "indicator": 62, "message": "限值 <错>", "pages": [2]}
    assert rep["per_code"]["samples.count_mismatch"]["tp"] == 1
    # an 'also' code alone does not count as finding the defect
    s2 = ca.score_bundle(t, _res("B2", _f("samples.count_mismatch", 94)))
    assert s2["defects"][0]["found"] is False and s2["findings"][0]["tp"] is True


def test_cannot_decide_counted_separately(ca):
    t = _truth("B3", [("judgement_wrong", "report.judgement_wrong", 62, ())])
    s = ca.score_bundle(t, _res("B3", _f("report.judgement_wrong", 62), _f("check.cannot_decide", 73)))
    rep = ca.aggregate([s])
    o = rep["overall"]
    assert o["false_positives"] == 1 and o["cannot_decide"] == 1 and o["cannot_decide_unexplained"] == 1
    assert o["precision"] == 0.5 and o["precision_without_cannot_decide"] == 1.0
    assert rep["cannot_decide_unexplained_by_indicator"] == {"73": 1}
    # the truth may explain it
    t2 = dict(t, cannot_decide=[73])
    assert ca.score_bundle(t2, _res("B3", _f("check.cannot_decide", 73)))["findings"][0]["tp"]
    assert not ca.score_bundle(t2, _res("B3", _f("check.cannot_decide", 50)))["findings"][0]["tp"]


def test_clean_bundle_findings_listed(ca):
    clean = ca.score_bundle(_truth("C1"), _res("C1", _f("plan.incomplete", 36, "方案缺采样流量")))
    ok = ca.score_bundle(_truth("C2"), _res("C2"))
    rep = ca.aggregate([clean, ok])
    assert rep["clean_bundles"] == 2
    assert rep["clean_bundle_findings"] == [{"bundle_id": "C1", "code": "plan.incomplete", "indicator": 36,
                                             "message": "方案缺采样流量", "pages": [2]}]
    assert rep["overall"]["precision"] == 0.0 and rep["overall"]["recall"] is None
    assert "Findings on clean bundles: 1 (must be 0)" in ca.format_report(rep)


def test_missing_output_counts_all_missed(ca):
    t = _truth("B4", [("disclosure_late", "disclosure.late", 25, ()), ("late_submission", "submission.late", None, ())])
    s = ca.score_bundle(t, None)
    assert s["status"] == "missing" and not any(d["found"] for d in s["defects"])
    rep = ca.aggregate([s])
    assert rep["overall"]["planted"] == 2 and rep["overall"]["found"] == 0 and rep["overall"]["recall"] == 0.0
    assert rep["failed_bundles"] == [{"bundle_id": "B4", "status": "missing", "error": None, "planted": 2}]
    assert {m["code"] for m in rep["missed"]} == {"disclosure.late", "submission.late"}


def test_wrong_indicator_reported_as_near_miss(ca):
    t = _truth("B5", [("unregistered_signer", "staff.unregistered_signer", 89, ())])
    s = ca.score_bundle(t, _res("B5", _f("staff.unregistered_signer", 78)))
    assert s["defects"][0]["found"] is False and s["defects"][0]["emitted_with_indicator"] == [78]
    assert "code emitted with indicator [78]" in ca.format_report(ca.aggregate([s]))


def test_scanned_split_and_per_kind(ca):
    a = ca.score_bundle(_truth("S1", [("no_field_blank", "sampling.no_field_blank", 51, ())], scanned=True),
                        _res("S1"))
    b = ca.score_bundle(_truth("D1", [("no_field_blank", "sampling.no_field_blank", 51, ())]),
                        _res("D1", _f("sampling.no_field_blank", 51)))
    rep = ca.aggregate([a, b])
    assert rep["split"]["scanned"]["recall"] == 0.0 and rep["split"]["born_digital"]["recall"] == 1.0
    (k,) = rep["per_kind"]
    assert (k["planted"], k["found"], k["recall"], k["missed_in"]) == (2, 1, 0.5, ["S1"])


def test_end_to_end_on_folders(ca, tmp_path, capsys):
    bundles, out = tmp_path / "b", tmp_path / "o"
    (bundles / "_truth").mkdir(parents=True)
    truths = [_truth("HN-1", [("disclosure_late", "disclosure.late", 25, ())]), _truth("HN-2"),
              _truth("HN-3", [("anonymized_missing", "anonymized.missing", None, ())])]
    for t in truths:
        (bundles / "_truth" / f"{t['bundle_id']}.json").write_text(json.dumps(t), encoding="utf-8")
    (bundles / "_truth" / "batch.json").write_text("{}", encoding="utf-8")
    # folder names are free: mapping goes by the bundle_id inside findings.json
    for folder, res in (("x1", _res("HN-1", _f("disclosure.late", 25))), ("HN-2", _res("HN-2")),
                        ("HN-3", _res("HN-3", status="failed") | {"error": "bad pdf"})):
        (out / folder).mkdir(parents=True)
        (out / folder / "findings.json").write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
    js = tmp_path / "acc.json"
    assert ca.main(["--bundles", str(bundles), "--out", str(out), "--json", str(js)]) == 0
    rep = json.loads(js.read_text(encoding="utf-8"))
    assert rep["overall"]["planted"] == 2 and rep["overall"]["found"] == 1
    assert rep["failed_bundles"][0]["bundle_id"] == "HN-3" and rep["failed_bundles"][0]["error"] == "bad pdf"
    text = capsys.readouterr().out
    assert "disclosure_late" in text and "Failed / missing bundles: 1" in text
    # a missing output folder is still a measurement, exit 0
    assert ca.main(["--bundles", str(bundles), "--out", str(tmp_path / "nope")]) == 0


def test_duplicate_folders_prefer_exact_name(ca, tmp_path):
    for folder, n in (("HN-9", 1), ("HN-9-2", 2), ("zz", 3)):
        (tmp_path / folder).mkdir()
        res = _res("HN-9", *[_f("x.y")] * n)
        (tmp_path / folder / "findings.json").write_text(json.dumps(res), encoding="utf-8")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "findings.json").write_text("{", encoding="utf-8")
    results, notes = ca.load_outputs(tmp_path)
    assert list(results) == ["HN-9"] and len(results["HN-9"]["findings"]) == 1
    assert any("broken" in n for n in notes) and sum("claimed by" in n for n in notes) == 2
