"""i015_signer_roles (checks/i015_signer_roles.py): registered signers sign in roles their registration covers."""
from __future__ import annotations

from extractors.records import BundleRecords
from tests.synth import Sig, signature_page
from tests.checks.people_records import codes, D1, pages_of, run, sheet, STAFF, sub


def test_role_not_registered():
    s, e = Sig("采样人", ["萧鑫林", "黎怡丹"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i015_signer_roles"], [signature_page(5, [s, e])])
    assert codes(f) == [("staff.role_not_registered", 15)] and pages_of(f[0]) == {5}
    assert "黎怡丹" in f[0].message and "检验" in f[0].message
    # an institution whose role list does not use this vocabulary: not judged
    plain = [{"name": m["name"], "roles": ["技术人员"]} for m in STAFF]
    assert run(recs, ["i015_signer_roles"], [signature_page(5, [s, e])], submission=sub(staff=plain)) == []


def test_a_name_mapped_from_another_reading_is_not_judged():
    """余斌 read, 黎怡丹 registered one edit away: the reading was mapped onto the staff
    list, so whether 黎怡丹 signed at all is unknown; no role complaint about her."""
    s, e = Sig("采样人", ["萧鑫林", "黎怡丹"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    sh = sheet(5, D1, s, e)
    mapped = [v.model_copy(update={"raw": "采样人 萧鑫林 黎怡舟"}) if v.value == "黎怡丹" else v for v in sh.samplers]
    recs = BundleRecords(sampling_records=[sh.model_copy(update={"samplers": mapped})])
    assert run(recs, ["i015_signer_roles"], [signature_page(5, [s, e])]) == []
