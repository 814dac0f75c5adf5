"""i042_sampling_follows_plan (checks/i042_sampling_follows_plan.py)."""
from __future__ import annotations

from extractors.records import BundleRecords, SamplingSheet
from tests.checks.people_records import codes, D1, pages_of, plan, prow, R, run, sigs3, srow, V


def test_sampling_follows_plan():
    a, r, p = sigs3()
    pl = plan(a, r, p, rows=[prow("铅尘", 2.0)], sampling_dates=[V(D1, page=4)])
    rows = [srow("S1"), srow("S2"), srow("B1", blank=True, flow=None)]
    ok = BundleRecords(detection_plan=pl, sampling_records=[SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,))])
    assert run(ok, ["i042_sampling_follows_plan"]) == []
    bad_rows = [srow("S1", flow=3.0), srow("S2", flow=3.0), srow("S3"), srow("B1", blank=True, flow=None)]
    bad = BundleRecords(detection_plan=pl, sampling_records=[SamplingSheet(date=V(D1, page=5), rows=bad_rows, pages=(5,))])
    f = run(bad, ["i042_sampling_follows_plan"])
    assert codes(f) == [("sampling.deviates_from_plan", 42)] and 5 in pages_of(f[0])
    assert "3 L/min" in f[0].message and "3个样品" in f[0].message


def test_flow_off_in_one_reading_only_is_a_misread():
    a, r, p = sigs3()
    pl = plan(a, r, p, rows=[prow("铅尘", 3.0)], sampling_dates=[V(D1, page=4)])
    row = R(page=5, sample_id="S1", factor="铅尘", flow_before=3.01, flow_after=2.0, mode="个体", post="铸板工",
            start="08:00", end="12:00", minutes=240.0, is_blank=False)
    ok = BundleRecords(detection_plan=pl, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[row, srow("S2", flow=3.0)], pages=(5,))])
    assert run(ok, ["i042_sampling_follows_plan"]) == []
