"""i074_lab_qc (checks/i074_lab_qc.py): method blanks and QC stated on lab sheets."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, LabSheet, ValState
from tests.checks.lab_records import codes, D1, missing, R, run, V


def _qc_sheet(blank, qc, method="GBZ/T 300.66-2017", instrument="气相色谱仪"):
    return LabSheet(factor=V("苯", 5), method=V(method, 5), instrument=V(instrument, 5), analysis_date=V(D1, 5),
                    receipt_date=V(D1, 5), method_blank=blank, qc=qc, rows=[R(5, sample_id="A1", mass=1.0)],
                    pages=(5,))


def test_lab_qc():
    f = run(BundleRecords(lab_sheets=[_qc_sheet(missing("方法空白: label not found on pages 5", None, ValState.ABSENT), V("无", 5))]), ["i074_lab_qc"])
    assert codes(f) == ["lab.no_blank", "lab.no_qc"]
    assert {x.code: x.indicator for x in f} == {"lab.no_blank": 95, "lab.no_qc": 74}
    assert run(BundleRecords(lab_sheets=[_qc_sheet(V("未检出", 5), V("加标回收率95.8%", 5))]), ["i074_lab_qc"]) == []
    # weighed dust: no QC sample or spike recovery to take
    grav = _qc_sheet(V("空白滤膜增重0.00 mg", 5), missing("质量控制: label not found", None, ValState.ABSENT), "GBZ/T 192.1-2007", "电子天平")
    assert run(BundleRecords(lab_sheets=[grav]), ["i074_lab_qc"]) == []
    # a sheet whose header was not read proves nothing
    bare = LabSheet(factor=V("苯", 5), method_blank=missing("not found", None, ValState.ABSENT), qc=missing("not found", None, ValState.ABSENT),
                    rows=[R(5, sample_id="A1")], pages=(5,))
    assert codes(run(BundleRecords(lab_sheets=[bare]), ["i074_lab_qc"])) == [CANNOT_DECIDE]


def test_weighed_dust_needs_blank_filters_not_a_reagent_blank():
    absent = missing("方法空白: label not found on pages 5", None, ValState.ABSENT)
    # blank filters stated in the QC text, no reagent blank: nothing missing
    ok = _qc_sheet(absent, V("同批空白膜2张，增重均≤0.01 mg", 5), "称量法", "分析天平")
    assert run(BundleRecords(lab_sheets=[ok]), ["i074_lab_qc"]) == []
    # a blank row among the samples counts too
    row_blank = _qc_sheet(absent, V("天平经砝码核查", 5), "称量法", "分析天平").model_copy(
        update={"rows": [R(5, sample_id="A1", mass=1.0), R(5, sample_id="A9", note="运输空白")]})
    assert run(BundleRecords(lab_sheets=[row_blank]), ["i074_lab_qc"]) == []
    # QC block read, no blank filter anywhere on the sheet
    none = _qc_sheet(absent, V("天平经砝码核查", 5), "称量法", "分析天平")
    f = run(BundleRecords(lab_sheets=[none]), ["i074_lab_qc"])
    assert codes(f) == ["lab.no_blank"] and "空白滤膜" in f[0].message
