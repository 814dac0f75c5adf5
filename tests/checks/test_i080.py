"""i080_equipment_overlap (checks/i080_equipment_overlap.py): one pump is not used at two
sites at once."""
from __future__ import annotations

from extractors.records import BundleRecords
from tests.checks.admin_records import _samp, codes, D, run, sheet


def test_pump_overlap_flagged_and_legit_uses_silent():
    bad = BundleRecords(sampling_records=[
        sheet(D(2022, 4, 15), page=9, rows=[_samp("YQ-20-392", "压缩机房", "13:22", "13:37", "S01"),
                                          _samp("YQ-20-392", "造气炉操作平台", "13:19", "13:34", "S02")])])
    f = run(bad, only=["i080_equipment_overlap"])
    assert codes(f) == [("equipment.overlapping_use", 80)] and f[0].veto
    assert {e.page for e in f[0].evidence} == {9} and "S01" in f[0].message and "YQ-20-392" in f[0].message
    good = BundleRecords(sampling_records=[
        sheet(D(2022, 4, 15), page=9, rows=[_samp("P1", "A", "08:00", "09:00", "S01"), _samp("P1", "B", "09:00", "10:00", "S02"),
                                          _samp("P2", "A", "08:00", "09:00", "S03"), _samp("P2", "A", "08:30", "09:00", "S04")]),
        sheet(D(2022, 4, 16), page=10, rows=[_samp("P1", "C", "08:10", "08:50", "S05")])])
    assert run(good, only=["i080_equipment_overlap"]) == []
