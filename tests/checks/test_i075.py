"""i075_photo_times (checks/i075_photo_times.py): photo stamps fall on field-work days;
OCR misreadings explained away, a scanned stamp read again."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, PhotoRecord, SamplingSheet, SurveyRecord
from tests.checks.admin_records import _ocr_page, codes, D, run, SECTIONS_ALL, sheet, sub, V


def _photos(*stamps):
    return [PhotoRecord(caption=V(f"采样现场{i}", page=11), timestamp=V(s, page=11), page=11) for i, s in enumerate(stamps)]


def test_photo_dates_checked_against_field_work():
    base = dict(sampling_records=[sheet(D(2022, 4, 15), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 7), page=3)]))
    ok = BundleRecords(photos=_photos("2022-04-07T08:40", "2022-04-15T10:12"), **base)
    assert run(ok, only=["i075_photo_times"]) == []
    bad = BundleRecords(photos=_photos("2022-04-15T10:12", "2022-04-12T08:36"), **base)
    f = run(bad, only=["i075_photo_times"])
    assert codes(f) == [("photos.timestamp_mismatch", 75)]
    assert f[0].evidence[0].page == 11 and "2022年4月12日" in f[0].message


def test_photo_check_cannot_decide_without_sampling_dates():
    recs = BundleRecords(photos=_photos("2022-04-12T08:36"), sampling_records=[SamplingSheet(date=V(None, page=9))])
    assert codes(run(recs, only=["i075_photo_times"])) == [(CANNOT_DECIDE, 75)]


def test_photo_stamps_explained_by_ocr_misreading_are_not_flagged():
    base = dict(sampling_records=[sheet(D(2022, 4, 18), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 7), page=3)]))
    s = sub()
    s["received_at"] = "2023-05-10T10:00:00+08:00"
    # 2072 for 2022 (year misread), 04-16 for 04-18 (6/8), 2024-04-01: after the bundle was submitted
    recs = BundleRecords(photos=_photos("2072-04-07T08:40", "2022-04-16T10:12", "2024-04-01T09:00"), **base)
    assert run(recs, s, only=["i075_photo_times"]) == []
    # a shift that no single confused digit explains is still flagged
    recs = BundleRecords(photos=_photos("2022-04-25T10:12"), **base)
    assert codes(run(recs, s, only=["i075_photo_times"])) == [("photos.timestamp_mismatch", 75)]


def test_scanned_photo_stamp_flagged_only_when_read_again_the_same():
    from checks.base import run_checks

    base = dict(sampling_records=[sheet(D(2022, 5, 9), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 28), page=3)]))
    recs = BundleRecords(photos=_photos("2022-05-03T16:36"), **base)  # 9 read as 3 on the scan
    pages = [_ocr_page(11)]
    calls = []

    def reader(text):
        def rr(page, bbox):
            calls.append((page, bbox))
            return text
        return rr

    def go(rr):
        res = run_checks(recs, sub(), sections=SECTIONS_ALL, pages=pages, only=["i075_photo_times"], rereader=rr)
        return codes(res.findings)

    assert go(reader("2022-05-09 16:36")) == []  # the closer reading disagrees: no pre-flag
    assert calls and calls[0][0] == 11
    assert go(reader("2022-05-0316:36")) == [("photos.timestamp_mismatch", 75)]  # read twice the same
    assert go(reader(None)) == []  # cannot be read again: too unsure
    assert go(None) == [("photos.timestamp_mismatch", 75)]  # no re-reader: the first reading stands


def test_a_stamp_read_twice_the_same_is_no_misreading():
    from extractors.records import Val

    base = dict(sampling_records=[sheet(D(2022, 4, 18), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 7), page=3)]))
    # 04-16 is one confused digit (6/8) from the sampling day 04-18: read once, explained away
    once = PhotoRecord(caption=V("厂区门口", page=11), timestamp=V("2022-04-16T10:12", page=11), page=11)
    assert run(BundleRecords(photos=[once], **base), only=["i075_photo_times"]) == []
    # read a second time, closer, with the same result: no misread digit, the date stands
    twice = once.model_copy(update={"timestamp_again": Val(value="2022-04-16T10:12", page=11, conf=0.9)})
    f = run(BundleRecords(photos=[twice], **base), only=["i075_photo_times"])
    assert codes(f) == [("photos.timestamp_mismatch", 75)] and "2022年4月16日" in f[0].message
    # a second reading that differs leaves the doubt
    other = once.model_copy(update={"timestamp_again": Val(value="2022-04-18T10:12", page=11, conf=0.9)})
    assert run(BundleRecords(photos=[other], **base), only=["i075_photo_times"]) == []
