"""i051_field_blank (checks/i051_field_blank.py): a field blank per factor per day."""
from __future__ import annotations

from extractors.records import BundleRecords, LabSheet, SamplingSheet
from tests.checks.people_records import codes, D1, pages_of, R, run, srow, V


def test_field_blank_per_factor_per_day():
    day1 = SamplingSheet(date=V(D1, page=5), pages=(5,), rows=[srow("S1"), srow("B1", blank=True, flow=None)])
    day1b = SamplingSheet(date=V(D1, page=6), pages=(6,), rows=[srow("S2", factor="铅烟", page=6)])
    f = run(BundleRecords(sampling_records=[day1, day1b]), ["i051_field_blank"])
    assert codes(f) == [("sampling.no_field_blank", 51)] and pages_of(f[0]) == {6}
    assert "铅烟" in f[0].message and "2022年8月4日" in f[0].message
    ok = day1b.model_copy(update={"rows": day1b.rows + [srow("B2", factor="铅烟", blank=True, flow=None, page=6)]})
    assert run(BundleRecords(sampling_records=[day1, ok]), ["i051_field_blank"]) == []


def test_field_blank_factor_from_lab_when_sheet_factor_is_a_title():
    title = "现场采样记录(化学因素)"
    rows = [srow("S1", factor=title), srow("S2", factor=title)]
    lab = LabSheet(factor=V("铅尘", page=8), rows=[R(page=8, sample_id="S1"), R(page=8, sample_id="S2")], pages=(8,))
    recs = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), pages=(5,), rows=rows)], lab_sheets=[lab])
    f = run(recs, ["i051_field_blank"])
    assert codes(f) == [("sampling.no_field_blank", 51)] and "铅尘" in f[0].message
    rows_b = rows + [srow("B1", factor=title, blank=True, flow=None)]
    recs = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), pages=(5,), rows=rows_b)], lab_sheets=[lab])
    assert run(recs, ["i051_field_blank"]) == []


def test_blank_id_written_but_not_understood_is_no_missing_id():
    from extractors.records import Val, ValState
    unread = srow("B1", blank=True, flow=None)
    unread = unread.model_copy(update={"fields": {**unread.fields, "sample_id": Val(
        value=None, page=5, raw="B1-QC", reason="id outside the pattern", state=ValState.UNKNOWN)}})
    sh = SamplingSheet(date=V(D1, page=5), pages=(5,), rows=[srow("S1"), unread])
    assert run(BundleRecords(sampling_records=[sh]), ["i051_field_blank"]) == []
    empty = unread.model_copy(update={"fields": {**unread.fields, "sample_id": Val(
        value=None, page=5, reason="cell sample_id empty", state=ValState.EMPTY)}})
    sh = SamplingSheet(date=V(D1, page=5), pages=(5,), rows=[srow("S1"), empty])
    assert codes(run(BundleRecords(sampling_records=[sh]), ["i051_field_blank"])) == [("sampling.blank_incomplete", 51)]
