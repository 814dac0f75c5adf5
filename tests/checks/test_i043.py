"""i043_sampling_basics (checks/i043_sampling_basics.py): temperature and pressure recorded."""
from __future__ import annotations

from extractors.records import BundleRecords, SamplingSheet
from pipeline.types import Line, Page
from tests.checks.people_records import codes, D1, pages_of, run, srow, V


def test_sampling_basics():
    rows = [srow("S1")]
    sh = SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,), temperature_c=V(24.0, page=5),
                       equipment_ids=[V("YQ-19-362", page=5)])
    no_pressure = Page(no=5, source="text", width=595, height=842, lines=(
        Line(text="采样日期:2022年8月4日", raw="", bbox=(50, 100, 200, 112)),
        Line(text="气象条件:晴 气温24℃", raw="", bbox=(50, 115, 200, 127))))
    f = run(BundleRecords(sampling_records=[sh]), ["i043_sampling_basics"], [no_pressure])
    assert codes(f) == [("sampling.incomplete_record", 43)] and "气压" in f[0].message and pages_of(f[0]) == {5}
    full = no_pressure.model_copy(update={"lines": no_pressure.lines + (
        Line(text="气压101.5 kPa", raw="", bbox=(210, 115, 300, 127)),)})
    assert run(BundleRecords(sampling_records=[sh]), ["i043_sampling_basics"], [full]) == []
