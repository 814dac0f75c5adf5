"""i050_flow_calibration (checks/i050_flow_calibration.py): flow calibrated before and after
sampling; sound calibration on noise forms."""
from __future__ import annotations

from extractors.records import BundleRecords, SamplingSheet, Val
from pipeline.types import Line, Page
from tests.checks.people_records import codes, D1, pages_of, R, run, srow, V


def test_flow_calibration():
    rows = [R(page=5, sample_id="S1", factor="铅尘", flow_before=2.0, flow_after=Val(value=None, page=5, raw=""),
              mode="个体", minutes=240.0, is_blank=False)]
    bad = SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,), calibration_before=V(True, page=5),
                        calibration_after=V(False, page=5, raw="采样后未校准"))
    f = run(BundleRecords(sampling_records=[bad]), ["i050_flow_calibration"])
    assert codes(f) == [("sampling.no_flow_calibration", 50)] and pages_of(f[0]) == {5}
    assert "采样后" in f[0].message
    # statement missing, after-flow column empty for the long-time sample: still flagged
    nostate = bad.model_copy(update={"calibration_after": Val.missing("not stated", 5)})
    assert codes(run(BundleRecords(sampling_records=[nostate]), ["i050_flow_calibration"])) == [
        ("sampling.no_flow_calibration", 50)]
    # short-time samples need no after-sampling calibration
    short = [R(page=5, sample_id="S1", factor="一氧化碳", flow_before=0.5, flow_after=Val(value=None, page=5, raw=""),
               mode="定点", minutes=15.0, is_blank=False)]
    ok = bad.model_copy(update={"rows": short})
    assert run(BundleRecords(sampling_records=[ok]), ["i050_flow_calibration"]) == []
    good = bad.model_copy(update={"rows": [srow("S1")], "calibration_after": V(True, page=5)})
    assert run(BundleRecords(sampling_records=[good]), ["i050_flow_calibration"]) == []


def test_noise_form_without_calibration():
    bare = SamplingSheet(kind="noise", date=V(D1, page=7), pages=(7,))
    pg = Page(no=7, source="text", width=595, height=842, lines=(
        Line(text="测量日期:2022年8月4日", raw="", bbox=(50, 100, 200, 112)),
        Line(text="L_Aeq(dB(A))", raw="", bbox=(50, 200, 200, 212))))
    f = run(BundleRecords(sampling_records=[bare]), ["i050_flow_calibration"], [pg])
    assert codes(f) == [("sampling.no_noise_calibration", 50)] and pages_of(f[0]) == {7}
    cal = pg.model_copy(update={"lines": pg.lines + (Line(text="声校准:测量前93.8 dB", raw="", bbox=(50, 120, 200, 132)),)})
    assert run(BundleRecords(sampling_records=[bare]), ["i050_flow_calibration"], [cal]) == []
