"""i029_survey_technicians / i030_survey_escort (checks/i029_survey_signatures.py): two
technicians and the escort sign the field survey, also on scans."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, SurveyRecord
from pipeline.types import Line
from tests.synth import Sig, scan_page, signature_page
from tests.checks.people_records import codes, pages_of, run, sv, V


def survey(tech, escort, pg=3):
    return SurveyRecord(technicians=tech.vals(pg), escort=escort.val(pg), pages=(pg,))


def test_survey_single_technician_flagged_two_silent():
    t1, e = Sig("现场调查人员", ["田泽彬"], y=600, date="2022年7月25日"), Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t1, e)), ["i029_survey_technicians"], [signature_page(3, [t1, e])])
    assert codes(f) == [("signatures.too_few_technicians", 29)] and pages_of(f[0]) == {3}
    assert "田泽彬" in f[0].message
    t2 = Sig("现场调查人员", ["田泽彬", "钟雷倩"], y=600)
    assert run(BundleRecords(field_survey=survey(t2, e)), ["i029_survey_technicians"], [signature_page(3, [t2, e])]) == []


def test_survey_single_name_with_illegible_second_signature_cannot_decide():
    t1 = Sig("现场调查人员", ["田泽彬"], y=600, extra=["圭乂"])  # a second scrawl OCR could not split as a name
    e = Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t1, e)), ["i029_survey_technicians"], [signature_page(3, [t1, e])])
    assert codes(f) == [(CANNOT_DECIDE, 29)]


def test_survey_no_technician_read_cannot_decide():
    t0, e = Sig("现场调查人员", [], y=600), Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t0, e)), ["i029_survey_technicians"], [signature_page(3, [t0, e])])
    assert codes(f) == [(CANNOT_DECIDE, 29)]


def test_survey_escort_empty_flagged_signed_silent():
    t = Sig("调查人", ["田泽彬", "钟雷倩"], y=500)
    e0 = Sig("陪同人", [], y=530)
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [signature_page(3, [t, e0])])
    assert codes(f) == [("signatures.no_escort", 30)] and pages_of(f[0]) == {3}
    e1 = Sig("陪同人", ["叶健瑞"], y=530)
    assert run(BundleRecords(field_survey=survey(t, e1)), ["i030_survey_escort"], [signature_page(3, [t, e1])]) == []


def test_survey_escort_unread_is_not_called_empty():
    t = Sig("调查人", ["田泽彬", "钟雷倩"], y=500)
    e0 = Sig("陪同人", [], y=530)
    # something is written in the slot but was not read as a name
    scrawl = Line(text="〆", raw="〆", bbox=(140, 526, 180, 546), origin="image")
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [signature_page(3, [t, e0], extra_lines=[scrawl])])
    assert codes(f) == [(CANNOT_DECIDE, 30)]
    # images of the page never OCR'd: an empty slot proves nothing
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [signature_page(3, [t, e0], images_read=False)])
    assert codes(f) == [(CANNOT_DECIDE, 30)]


TABLE_ROW = ("贴面车间 热压工 热压机操作位 3 两班制，8h/班 6.5 甲醛、噪声", 582, 61, 487)


def test_scanned_survey_single_technician_with_date_glued_and_table_row_above():
    # the post table's last row sits right above the signature line (its box reaches into
    # the row band of a tall hand-written line): it is not a second signature
    p3 = scan_page(3, [TABLE_ROW, ("调查人员:田泽彬2022年9月7日 用人单位陪同人:夏桂2022年9月7日", 604, 47, 475)])
    p4 = scan_page(4, [("调查人员:田泽彬 用人单位陪同人:夏桂", 242, 47, 408)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 3, "调查人员:田泽彬 2022年9月7日")],
                       escort=sv("夏桂", 3, "用人单位陪同人:夏桂2022年9月7日"), pages=(3, 4))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p3, p4])
    assert codes(f) == [("signatures.too_few_technicians", 29)] and pages_of(f[0]) == {3, 4}
    assert "田泽彬" in f[0].message


def test_scanned_survey_merged_names_and_escort_misplaced_on_upside_down_page():
    # OCR merged both names into one run; on the upside-down page the extractor put a
    # technician's name into the escort slot. The slot itself is blank on both pages.
    p4 = scan_page(4, [("调查人:田泽彬钟雷倩2022.04-14 陪同人员:", 237, 248, 546)], flip=True)
    p5 = scan_page(5, [("调查人:田泽彬钟雷倩 陪同人员:", 234, 48, 344)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 5, "调查人: 田泽彬 钟雷倩"), sv("钟雷倩", 5, "调查人: 田泽彬 钟雷倩")],
                       escort=sv("钟雷倩", 4, "陪同人员: 钟雷倩2022.04-14 田泽彬"), pages=(4, 5))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p4, p5])
    assert codes(f) == [("signatures.no_escort", 30)] and pages_of(f[0]) == {4, 5}
    # the escort did sign on the scans: silent
    p4s = scan_page(4, [("调查人:田泽彬钟雷倩2022.04-14 陪同人员:夏波利", 237, 248, 546)], flip=True)
    p5s = scan_page(5, [("调查人:田泽彬钟雷倩 陪同人员:夏波利", 234, 48, 344)])
    assert run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p4s, p5s]) == []


def test_scanned_name_dropped_on_one_page_is_not_one_signer():
    # the second name is read on the survey page (one character misread) and dropped on the work-day page
    p5 = scan_page(5, [("调查人 田泽宾钟雷倩 日期:2022年5月31日", 591, 59, 529), ("陪同人 蒋泽桂 日期:2022年5月31日", 616, 59, 536)])
    p6 = scan_page(6, [("调查人 钟雷倩 日期:", 305, 55, 453), ("陪同人 蒋泽桂 日期:", 330, 55, 453)])
    rec = SurveyRecord(technicians=[sv("钟雷倩", 6, "调查人 钟雷倩")], escort=sv("蒋泽桂", 6, "陪同人 蒋泽桂"), pages=(5, 6))
    assert run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p5, p6]) == []


def test_scanned_second_signature_under_the_first_is_not_one_signer():
    p3 = scan_page(3, [("调查人员:田泽彬", 600, 47, 200)], extra=[("钟雷倩", 624, 110, 170)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 3, "调查人员:田泽彬")], escort=V(None, page=3, reason="not read"),
                       pages=(3,))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians"], [p3])
    assert codes(f) == [(CANNOT_DECIDE, 29)]
