"""i040_distinct_signers (checks/i040_distinct_signers.py): no one signs two roles that must
be two people."""
from __future__ import annotations

from extractors.records import BundleRecords, CalcRecord, LabSheet
from tests.checks.people_records import codes, pages_of, run, V


def test_same_person_two_roles():
    lab = LabSheet(factor=V("一氧化碳", page=8), analyst=V("黎怡丹", page=8, bbox=(50, 700, 120, 712)),
                   reviewer=V("黎怡丹", page=8, bbox=(300, 700, 370, 712)), pages=(8,))
    f = run(BundleRecords(lab_sheets=[lab]), ["i040_distinct_signers"])
    assert codes(f) == [("signatures.same_person_two_roles", 69)] and pages_of(f[0]) == {8}
    ok = lab.model_copy(update={"reviewer": V("曾丹桂", page=8, bbox=(300, 700, 370, 712))})
    assert run(BundleRecords(lab_sheets=[ok]), ["i040_distinct_signers"]) == []
    calc = CalcRecord(calculator=V("曾丹桂", page=9, bbox=(50, 700, 120, 712)),
                      checker=V("曾丹桂", page=9, bbox=(300, 700, 370, 712)), pages=(9,))
    assert codes(run(BundleRecords(data_calculation=calc), ["i040_distinct_signers"])) == [
        ("signatures.same_person_two_roles", 73)]
