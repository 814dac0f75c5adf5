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


def test_noise_form_shares_the_weather_of_its_days_sampling_form():
    """A noise form without its own weather line: the same day's sampling form records it."""
    air = SamplingSheet(date=V(D1, page=5), rows=[srow("S1")], pages=(5,), temperature_c=V(24.0, page=5),
                        pressure_kpa=V(100.5, page=5), equipment_ids=[V("YQ-19-362", page=5)])
    noise = SamplingSheet(kind="noise", date=V(D1, page=6), pages=(6,), equipment_ids=[V("YQ-19-400", page=6)])
    pg = Page(no=6, source="text", width=595, height=842, lines=(
        Line(text="测量日期 2022年8月4日", raw="", bbox=(50, 100, 200, 112)),
        Line(text="声级计 AWA6228 (YQ-19-400)", raw="", bbox=(50, 115, 300, 127))))
    assert run(BundleRecords(sampling_records=[air, noise]), ["i043_sampling_basics"], [pg]) == []
    f = run(BundleRecords(sampling_records=[noise]), ["i043_sampling_basics"], [pg])
    assert codes(f) == [("sampling.incomplete_record", 43)] and "环境/气象条件" in f[0].message
