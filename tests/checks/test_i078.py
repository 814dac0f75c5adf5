"""i078_registered_signers (checks/i078_registered_signers.py): every signer is registered
staff (78 field, 89 lab, 15 otherwise); misreads are not unregistered people."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, LabSheet, SamplingSheet, Val
from tests.synth import Sig, signature_page
from tests.checks.people_records import codes, D1, pages_of, run, sheet, STAFF, sub, V


def test_unregistered_sampler_is_78_and_analyst_is_89():
    s, e = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i078_registered_signers"], [signature_page(5, [s, e])])
    assert codes(f) == [("staff.unregistered_signer", 78)] and pages_of(f[0]) == {5}
    assert "吴琳辉" in f[0].message
    a = Sig("检验人", ["谢轩健"], y=700)
    lab = LabSheet(factor=V("一氧化碳", page=8), analyst=a.val(8), reviewer=V("黎怡丹", page=8), pages=(8,))
    f = run(BundleRecords(lab_sheets=[lab]), ["i078_registered_signers"], [signature_page(8, [a])])
    assert codes(f) == [("staff.unregistered_signer", 89)] and pages_of(f[0]) == {8}


def test_misreads_and_escorts_are_not_unregistered():
    # 郭武 for 郭斌 (2-char name, one wrong character); 方琳林凯 split from 方琳凯 with an inserted character
    s = Sig("采样人", ["郭武", "方琳", "林凯"], y=320)
    s_vals = [Val(value=n, page=5, bbox=(50, 316, 300, 336), raw="采样人: 郭武 方琳林凯") for n in ("郭武", "方琳", "林凯")]
    e = Sig("陪同人", ["叶健瑞"], y=320, x=300)
    sh = SamplingSheet(date=V(D1, page=5), samplers=s_vals + [Val(value="叶健瑞", page=5, raw="采样人: 叶健瑞")],
                       escort=e.val(5), pages=(5,))
    f = run(BundleRecords(sampling_records=[sh]), ["i078_registered_signers"], [signature_page(5, [s, e])])
    assert f == []


def test_low_confidence_read_is_not_flagged():
    s = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320, conf=0.5)
    e = Sig("陪同人", ["叶健瑞"], y=320, x=300)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    assert run(recs, ["i078_registered_signers"], [signature_page(5, [s, e])]) == []


def test_no_staff_list_cannot_decide():
    s, e = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i078_registered_signers"], [signature_page(5, [s, e])], submission=sub(staff=[]))
    assert codes(f) == [(CANNOT_DECIDE, 78)]


def test_unregistered_reading_on_one_form_beside_registered_colleague_is_a_misread():
    def sh(no, checker):
        s, e = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
        return SamplingSheet(date=V(D1, page=no), samplers=s.vals(no), escort=e.val(no),
                             checker=V(checker, page=no, bbox=(400, 316, 460, 336), raw=f"复核人:{checker}"),
                             pages=(no,))
    # 田泽彬 read as 田洋林 on one form (two characters misread), right on the others
    recs = BundleRecords(sampling_records=[sh(5, "田洋林"), sh(6, "田泽彬"), sh(7, "田泽彬")])
    assert run(recs, ["i078_registered_signers"]) == []
    # the same unregistered name on two forms is a person, not a misread
    recs = BundleRecords(sampling_records=[sh(5, "田洋林"), sh(6, "田洋林"), sh(7, "田泽彬")])
    f = run(recs, ["i078_registered_signers"])
    assert codes(f) == [("staff.unregistered_signer", 78)] and pages_of(f[0]) == {5, 6}


def _sampling_staff():
    """STAFF with 邱磊娟 and 曾丹桂 registered for sampling too (kin who may sign a sampling form)."""
    return [dict(m, roles=m["roles"] + ["采样"]) if m["name"] in ("邱磊娟", "曾丹桂") else m for m in STAFF]


def test_scanned_handwriting_close_to_a_registered_surname_is_not_unregistered():
    # 邱磊娟 signs; OCR reads 邱林梦 (two given-name characters wrong). On a scan that is
    # no evidence of an outsider: same surname, same length as a registered person whose
    # registration covers sampling.
    s, e = Sig("采样人", ["萧鑫林", "邱林梦"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    assert run(recs, ["i078_registered_signers"], [signature_page(5, [s, e], source="ocr")],
               submission=sub(_sampling_staff())) == []
    # a split character (邹晓梓 read 邹阳尧梓) is one longer
    s2 = Sig("采样人", ["萧鑫林", "曾阳尧桂"], y=320)
    recs2 = BundleRecords(sampling_records=[sheet(5, D1, s2, e)])
    assert run(recs2, ["i078_registered_signers"], [signature_page(5, [s2, e], source="ocr")],
               submission=sub(_sampling_staff())) == []
    # on a scan, an outsider whose surname no registered person has is still flagged
    s3 = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320)
    recs3 = BundleRecords(sampling_records=[sheet(5, D1, s3, e)])
    f = run(recs3, ["i078_registered_signers"], [signature_page(5, [s3, e], source="ocr")])
    assert codes(f) == [("staff.unregistered_signer", 78)] and "吴琳辉" in f[0].message



def test_same_surname_kin_registered_for_another_role_does_not_excuse_the_name():
    # 万杰林 signs a lab sheet; the one registered 万 is 万凯, registered for review and field
    # work, not analysis. Had 万凯 signed, that would be a finding too (item 15), so the
    # misread reading excuses nothing: the name is flagged, and the message says why.
    staff = STAFF + [{"name": "万凯", "roles": ["审核", "项目负责人", "现场调查"]}]
    a = Sig("检验人", ["万杰林"], y=700)
    lab = LabSheet(factor=V("氨", page=8), analyst=a.val(8), reviewer=V("黎怡丹", page=8), pages=(8,))
    f = run(BundleRecords(lab_sheets=[lab]), ["i078_registered_signers"], [signature_page(8, [a], source="ocr")],
            submission=sub(staff))
    assert codes(f) == [("staff.unregistered_signer", 89)] and pages_of(f[0]) == {8}
    assert "万杰林" in f[0].message and "万凯" in f[0].message and "不含检验" in f[0].message
    # the same reading where 万凯 is registered for analysis: may be 万凯 misread, silent
    staff2 = STAFF + [{"name": "万凯", "roles": ["检验"]}]
    assert run(BundleRecords(lab_sheets=[lab]), ["i078_registered_signers"],
               [signature_page(8, [a], source="ocr")], submission=sub(staff2)) == []


# ------------------------------------------------------------------ personal name seals (私章)

def _seal_case(rows, staff=None, y=320.0):
    """A sampler's name seal (2 columns, read from the right, top to bottom) that OCR read
    row by row, left to right: each row an image line of 2 characters, stacked."""
    from tests.synth import line
    s, e = Sig("采样人", ["萧鑫林"], y=y), Sig("陪同人", ["叶健瑞"], y=y, x=300)
    seal = [line(r, (180.0, y - 4 + 11 * i, 201.0, y + 7 + 11 * i), origin="image") for i, r in enumerate(rows)]
    vals = s.vals(5) + [Val(value=rows[0], page=5, bbox=(50.0, y - 4, 210.0, y + 16), raw=f"采样人: 萧鑫林 {rows[0]}")]
    sh = SamplingSheet(date=V(D1, page=5), samplers=vals, escort=e.val(5), pages=(5,))
    pg = signature_page(5, [s, e], extra_lines=seal)
    kw = {"submission": sub(staff=staff)} if staff else {}
    return run(BundleRecords(sampling_records=[sh]), ["i078_registered_signers"], [pg], **kw)


def _staff(*names):
    from tests.checks.people_records import STAFF
    return STAFF + [{"name": n, "roles": ["现场调查", "采样"]} for n in names]


def test_two_by_two_seal_read_row_wise_is_read_in_columns():
    staff = _staff("郑明余")
    # 郑明余印 stands as 郑|余 over 明|印; OCR reads the rows: 余郑, 印明 (余郑 alone looks like a name)
    assert _seal_case(["余郑", "印明"], staff=staff) == []
    # 印 misread as a look-alike (即), or only the top row read
    assert _seal_case(["余郑", "即明"], staff=staff) == []
    assert _seal_case(["余郑"], staff=staff) == []
    # without 郑明余 on the list the row reading 余郑 is a name no one has (the control)
    assert codes(_seal_case(["余郑"])) == [("staff.unregistered_signer", 78)]


def test_two_by_three_seal_read_row_wise():
    # 上官婉林之印 in 3 rows: 上|林, 官|之, 婉|印, read 林上 / 之官 / 印婉
    assert _seal_case(["林上", "之官", "印婉"], staff=_staff("上官婉林")) == []
    from checks._people import seal_fit, seal_reading
    assert seal_reading(["林上", "之官", "印婉"], 3) == list("上官婉林之印")
    assert seal_fit(["林上", "之官", "印婉"], ["上官婉林"]) == ("上官婉林", 0)
    assert seal_fit(["林上", "之官", "印婉"], ["上官婉"]) is None  # 林 is no seal word


def test_garbled_seal_fitting_no_one_is_not_an_accusation():
    # a seal read in two rows that no registered name fits: unsure, never a finding
    assert _seal_case(["何吕", "印华"]) == []
    # the same top row alone (no seal shape to go on) is judged as a name
    assert codes(_seal_case(["何吕"])) == [("staff.unregistered_signer", 78)]


def test_a_name_cut_from_a_seal_read_out_of_order_is_not_unregistered():
    # the seal 黄磊桂印 read as one line 桂黄印二磊: 桂黄 is a piece of it, no person
    s, e = Sig("测量人", ["桂黄印二磊", "萧鑫林"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=300)
    sh = SamplingSheet(date=V(D1, page=5), samplers=[Val(value="桂黄", page=5, bbox=(50, 316, 220, 336),
                                                          raw="测量人: 桂黄 印二磊 萧鑫林"),
                                                      Val(value="萧鑫林", page=5, bbox=(50, 316, 220, 336),
                                                          raw="测量人: 桂黄 印二磊 萧鑫林")],
                       escort=e.val(5), pages=(5,))
    assert run(BundleRecords(sampling_records=[sh]), ["i078_registered_signers"], [signature_page(5, [s, e])]) == []
    # the same name standing alone on its line is judged as any name
    s2 = Sig("测量人", ["桂黄", "萧鑫林"], y=320)
    sh2 = sh.model_copy(update={"samplers": [Val(value="桂黄", page=5, bbox=(50, 316, 220, 336), raw="测量人: 桂黄 萧鑫林")]})
    f = run(BundleRecords(sampling_records=[sh2]), ["i078_registered_signers"], [signature_page(5, [s2, e])])
    assert codes(f) == [("staff.unregistered_signer", 78)]


def test_names_with_common_surnames_the_list_once_lacked_are_judged():
    # 傅, 洪, 赖, 阎, 萧: a name they start was taken for no name and never flagged (no one of
    # those surnames is registered here; 萧鑫林 is, so 萧欣军 would be a misread kin)
    for name in ("傅明", "洪海涛", "赖文", "阎丽"):
        s, e = Sig("采样人", ["钟雷倩", name], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
        recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
        f = run(recs, ["i078_registered_signers"], [signature_page(5, [s, e])])
        assert codes(f) == [("staff.unregistered_signer", 78)] and name in f[0].message, name
