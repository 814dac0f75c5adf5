"""i041_sampling_signatures (checks/i041_sampling_signatures.py): two samplers and the escort
sign each sampling day's forms, also on scans."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, SamplingSheet
from tests.synth import Sig, scan_page, signature_page
from tests.checks.people_records import codes, D1, D2, pages_of, run, sheet, sv, V


def test_sampling_single_technician_and_no_escort():
    s1, e1 = Sig("采样人", ["萧鑫林"], y=320), Sig("陪同人", [], y=320, x=220)
    s2, e2 = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=220)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s1, e1), sheet(6, D2, s2, e2)])
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s1, e1]), signature_page(6, [s2, e2])])
    assert sorted(codes(f)) == [("signatures.no_escort", 41), ("signatures.too_few_technicians", 41)]
    assert all(pages_of(x) == {5} for x in f)
    assert all("2022年8月4日" in x.message for x in f)


def test_sampling_good_is_silent_and_escort_not_counted_as_technician():
    s, e = Sig("采样人", ["萧鑫林", "叶健瑞"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s, e])])
    assert codes(f) == [("signatures.too_few_technicians", 41)]  # the escort is not a technician
    s2 = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s2, e)])
    assert run(recs, ["i041_sampling_signatures"], [signature_page(5, [s2, e])]) == []


def test_sampling_escort_on_scanned_page():
    s, e = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320), Sig("陪同人", [], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    # OCR saw the samplers' signatures and nothing at all in the escort slot
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s, e], source="ocr")])
    assert codes(f) == [("signatures.no_escort", 41)]
    # no page at all: cannot tell
    f = run(recs, ["i041_sampling_signatures"], [])
    assert codes(f) == [(CANNOT_DECIDE, 41)]


def test_scanned_sampling_day_judged_over_its_forms():
    def form(no, samplers, escort):
        return scan_page(no, [(f"采样人:{samplers} 陪同人:{escort} 复核人:萧鑫林2022-08-04", 420, 47, 526)])

    def sh(no):
        return SamplingSheet(date=V(D1, page=no), samplers=[sv("钟雷倩", no, "采样人:钟雷倩")], pages=(no,),
                             escort=V(None, page=no, reason="not read"), checker=sv("萧鑫林", no, "复核人:萧鑫林"))
    # one sampler on every form of the day
    f = run(BundleRecords(sampling_records=[sh(5), sh(6)]), ["i041_sampling_signatures"],
            [form(5, "钟雷倩", "叶健瑞"), form(6, "钟雷倩", "叶健瑞")])
    assert codes(f) == [("signatures.too_few_technicians", 41)] and pages_of(f[0]) == {5, 6}
    # a second sampler read on one form of the day: OCR dropped that name on the other form
    assert run(BundleRecords(sampling_records=[sh(5), sh(6)]), ["i041_sampling_signatures"],
               [form(5, "钟雷倩", "叶健瑞"), form(6, "钟雷倩郭斌", "叶健瑞")]) == []
    # no escort on any form of the day (a stray dot is scan noise)
    f = run(BundleRecords(sampling_records=[sh(5), sh(6)]), ["i041_sampling_signatures"],
            [form(5, "钟雷倩郭斌", "."), form(6, "钟雷倩郭斌", "")])
    assert codes(f) == [("signatures.no_escort", 41)]


def test_undated_form_signed_by_the_same_lone_sampler_joins_that_days_preflag():
    s, e = Sig("采样人", ["萧鑫林"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e), sheet(6, None, s, e)])
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s, e]), signature_page(6, [s, e])])
    assert codes(f) == [("signatures.too_few_technicians", 41)] and pages_of(f[0]) == {5, 6}


def test_a_seal_read_at_low_confidence_as_exactly_a_registered_name_counts():
    # name seals read at 0.6-0.7 even when read right: one registered name, exactly
    s, e = Sig("采样人", ["萧鑫林"], y=320, conf=0.66), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s, e])])
    assert codes(f) == [("signatures.too_few_technicians", 41)]
    # the same confidence on a name no register holds stays undecided
    s2 = Sig("采样人", ["萧鑫材"], y=320, conf=0.66)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s2, e)])
    assert codes(run(recs, ["i041_sampling_signatures"], [signature_page(5, [s2, e])])) == [(CANNOT_DECIDE, 41)]


def test_a_seal_read_in_part_is_no_second_sampler():
    # the noise sheet of the same day carries the same seal, read in part as 之通源: not a
    # second person, so the day is not two signers; undecided, not silent
    s, e = Sig("采样人", ["萧鑫林"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    m, e2 = Sig("测量人", ["之通源"], y=320, conf=0.56), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e), sheet(6, D1, m, e2, kind="noise")])
    f = run(recs, ["i041_sampling_signatures"], [signature_page(5, [s, e]), signature_page(6, [m, e2])])
    assert codes(f) == [(CANNOT_DECIDE, 41)]
