"""People / signature / plan / sampling-QC checks (items 15, 29, 30, 36, 40, 41, 42, 43, 45,
50, 51, 78, 89) on hand-built records and pages.

Each check fires on a bad case with the expected code, indicator and evidence page, stays
silent on a good one, and says "cannot decide" where a needed field could not be read.
Signature slots are built the way the extractor reports them (label, names, raw segment,
box) on pages whose hand signatures are image lines, as on a born-digital bundle whose
image regions were OCR'd; scanned pages (``scan``) carry what OCR does to handwriting:
names merged into one run, dates glued on, a name dropped, a page upside down.
"""
from __future__ import annotations

import datetime as dt

from checks.base import CANNOT_DECIDE, run_checks
from extractors.slots import add_page_facts
from extractors.records import (BundleRecords, CalcRecord, LabSheet, PlanRecord, Row, SamplingSheet,
                                SurveyRecord, Val)
from pipeline.types import Line, Page, Section, Word

D = dt.date
D1, D2 = D(2022, 8, 4), D(2022, 8, 5)
SLOT = "slot present but no name in the text layer: a hand signature is an image there"


def V(value, page=1, bbox=(10.0, 10.0, 100.0, 20.0), raw=None, conf=1.0, reason=None):
    if value is None:
        return Val(value=None, page=page, bbox=bbox, raw=raw or "", reason=reason or "not read")
    return Val(value=value, page=page, bbox=bbox, raw=str(value) if raw is None else raw, conf=conf)


def R(page=5, **fields):
    return Row(fields={k: (f if isinstance(f, Val) else V(f, page=page)) for k, f in fields.items()},
               page=page, bbox=(10.0, 100.0, 500.0, 112.0))


# ------------------------------------------------------------------ signature pages


class Sig:
    """One signature row on a page: a printed label, hand-signed names (image lines)."""

    def __init__(self, label, names=(), y=600.0, x=50.0, date=None, extra=(), conf=1.0):
        self.label, self.names, self.y, self.x, self.date, self.extra, self.conf = label, list(names), y, x, date, \
            list(extra), conf

    def lines(self):
        out = [Line(text=self.label + ":", raw=self.label + ":", bbox=(self.x, self.y, self.x + 40, self.y + 12))]
        x = self.x + 80
        for n in self.names + self.extra:
            out.append(Line(text=n, raw=n, bbox=(x, self.y - 4, x + 40, self.y + 16), conf=self.conf, origin="image"))
            x += 45
        if self.date:
            out.append(Line(text=self.date, raw=self.date, bbox=(x, self.y, x + 60, self.y + 12), origin="image"))
        return out

    def vals(self, page):
        raw = f"{self.label}: {' '.join(self.names)}" + (f" {self.date}" if self.date else "")
        bbox = (self.x, self.y - 4, self.x + 80 + 45 * max(1, len(self.names)), self.y + 16)
        return [Val(value=n, page=page, bbox=bbox, raw=raw, conf=1.0) for n in self.names]

    def val(self, page):
        vs = self.vals(page)
        if vs:
            return vs[0]
        return Val(value=None, page=page, bbox=(self.x, self.y, self.x + 40, self.y + 12), raw=self.label + ":",
                   conf=0.9, reason=f"{self.label} {SLOT}")


def page(no, sigs=(), source="text", images_read=True, extra_lines=()):
    lines = [ln for s in sigs for ln in s.lines()] + list(extra_lines)
    n = sum(1 for ln in lines if ln.origin == "image")
    note = f"text layer; images-1: {n} image regions OCR'd, {n} lines" if images_read else "text layer; images-1: OCR off"
    facts = {"text_logic": "images-1", "image_regions": n if images_read else None,
             "image_lines": n if images_read else None}
    if not images_read:
        lines = [ln for ln in lines if ln.origin != "image"]  # hand signatures were never read
    if source == "ocr":
        lines = [ln.model_copy(update={"origin": None}) for ln in lines]
        note = "OCR at 200 dpi"
        facts = {}
    return Page(no=no, source=source, width=595.0, height=842.0, lines=tuple(lines), note=note, **facts)


STAFF = [
    {"name": "尹峰国", "roles": ["审核", "项目负责人", "现场调查"], "title": "技术负责人"},
    {"name": "陈平", "roles": ["审核", "报告编写"], "title": "质量负责人"},
    {"name": "邱磊娟", "roles": ["授权签字", "审核"], "title": "授权签字人"},
    {"name": "冯瑞红", "roles": ["现场调查", "采样"]},
    {"name": "田泽彬", "roles": ["现场调查", "采样", "报告编写"]},
    {"name": "钟雷倩", "roles": ["现场调查", "采样"]},
    {"name": "郭斌", "roles": ["现场调查", "采样"]},
    {"name": "方琳凯", "roles": ["现场调查", "采样"]},
    {"name": "萧鑫林", "roles": ["现场调查", "采样", "报告编写"]},
    {"name": "黎怡丹", "roles": ["检验"]},
    {"name": "曾丹桂", "roles": ["检验"]},
]


def sub(staff=STAFF):
    return {"bundle_id": "T-1", "institution": {"name": "某检测公司", "staff": staff},
            "employer": {"name": "某公司"}}


SECTIONS = [Section(type=t, pages=p) for t, p in (
    ("field_survey", (3,)), ("detection_plan", (4,)), ("sampling_record", (5, 6, 7)), ("lab_analysis", (8,)),
    ("data_calculation", (9,)), ("report", (10,)))]


def run(records, only, pages=(), submission=None):
    # the slots and page words the extractors put on the records (extract_records does this)
    records = add_page_facts(records, pages)
    res = run_checks(records, submission if submission is not None else sub(), sections=SECTIONS, pages=pages,
                     only=list(only))
    assert not res.errors, res.errors
    return res.findings


def codes(findings):
    return [(f.code, f.indicator) for f in findings]


def pages_of(f):
    return {e.page for e in f.evidence}


# ------------------------------------------------------------------ 29 / 30 survey


def survey(tech, escort, pg=3):
    return SurveyRecord(technicians=tech.vals(pg), escort=escort.val(pg), pages=(pg,))


def test_survey_single_technician_flagged_two_silent():
    t1, e = Sig("现场调查人员", ["田泽彬"], y=600, date="2022年7月25日"), Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t1, e)), ["i029_survey_technicians"], [page(3, [t1, e])])
    assert codes(f) == [("signatures.too_few_technicians", 29)] and pages_of(f[0]) == {3}
    assert "田泽彬" in f[0].message
    t2 = Sig("现场调查人员", ["田泽彬", "钟雷倩"], y=600)
    assert run(BundleRecords(field_survey=survey(t2, e)), ["i029_survey_technicians"], [page(3, [t2, e])]) == []


def test_survey_single_name_with_illegible_second_signature_cannot_decide():
    t1 = Sig("现场调查人员", ["田泽彬"], y=600, extra=["圭乂"])  # a second scrawl OCR could not split as a name
    e = Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t1, e)), ["i029_survey_technicians"], [page(3, [t1, e])])
    assert codes(f) == [(CANNOT_DECIDE, 29)]


def test_survey_no_technician_read_cannot_decide():
    t0, e = Sig("现场调查人员", [], y=600), Sig("陪同人", ["叶健瑞"], y=600, x=300)
    f = run(BundleRecords(field_survey=survey(t0, e)), ["i029_survey_technicians"], [page(3, [t0, e])])
    assert codes(f) == [(CANNOT_DECIDE, 29)]


def test_survey_escort_empty_flagged_signed_silent():
    t = Sig("调查人", ["田泽彬", "钟雷倩"], y=500)
    e0 = Sig("陪同人", [], y=530)
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [page(3, [t, e0])])
    assert codes(f) == [("signatures.no_escort", 30)] and pages_of(f[0]) == {3}
    e1 = Sig("陪同人", ["叶健瑞"], y=530)
    assert run(BundleRecords(field_survey=survey(t, e1)), ["i030_survey_escort"], [page(3, [t, e1])]) == []


def test_survey_escort_unread_is_not_called_empty():
    t = Sig("调查人", ["田泽彬", "钟雷倩"], y=500)
    e0 = Sig("陪同人", [], y=530)
    # something is written in the slot but was not read as a name
    scrawl = Line(text="〆", raw="〆", bbox=(140, 526, 180, 546), origin="image")
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [page(3, [t, e0], extra_lines=[scrawl])])
    assert codes(f) == [(CANNOT_DECIDE, 30)]
    # images of the page never OCR'd: an empty slot proves nothing
    f = run(BundleRecords(field_survey=survey(t, e0)), ["i030_survey_escort"], [page(3, [t, e0], images_read=False)])
    assert codes(f) == [(CANNOT_DECIDE, 30)]


# ------------------------------------------------------------------ 41 sampling


def sheet(pg, date, samplers, escort, checker=None, rows=(), kind="air", **kw):
    return SamplingSheet(kind=kind, date=V(date, page=pg), samplers=samplers.vals(pg), escort=escort.val(pg),
                         checker=(checker.val(pg) if checker else V(None, page=pg, reason="no 复核人 label found")),
                         rows=list(rows), pages=(pg,), **kw)


def test_sampling_single_technician_and_no_escort():
    s1, e1 = Sig("采样人", ["萧鑫林"], y=320), Sig("陪同人", [], y=320, x=220)
    s2, e2 = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=220)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s1, e1), sheet(6, D2, s2, e2)])
    f = run(recs, ["i041_sampling_signatures"], [page(5, [s1, e1]), page(6, [s2, e2])])
    assert sorted(codes(f)) == [("signatures.no_escort", 41), ("signatures.too_few_technicians", 41)]
    assert all(pages_of(x) == {5} for x in f)
    assert all("2022年8月4日" in x.message for x in f)


def test_sampling_good_is_silent_and_escort_not_counted_as_technician():
    s, e = Sig("采样人", ["萧鑫林", "叶健瑞"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i041_sampling_signatures"], [page(5, [s, e])])
    assert codes(f) == [("signatures.too_few_technicians", 41)]  # the escort is not a technician
    s2 = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s2, e)])
    assert run(recs, ["i041_sampling_signatures"], [page(5, [s2, e])]) == []


def test_sampling_escort_on_scanned_page():
    s, e = Sig("采样人", ["萧鑫林", "钟雷倩"], y=320), Sig("陪同人", [], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    # OCR saw the samplers' signatures and nothing at all in the escort slot
    f = run(recs, ["i041_sampling_signatures"], [page(5, [s, e], source="ocr")])
    assert codes(f) == [("signatures.no_escort", 41)]
    # no page at all: cannot tell
    f = run(recs, ["i041_sampling_signatures"], [])
    assert codes(f) == [(CANNOT_DECIDE, 41)]


# ------------------------------------------------------------------ 78 / 89 / 15 staff


def test_unregistered_sampler_is_78_and_analyst_is_89():
    s, e = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i078_registered_signers"], [page(5, [s, e])])
    assert codes(f) == [("staff.unregistered_signer", 78)] and pages_of(f[0]) == {5}
    assert "吴琳辉" in f[0].message
    a = Sig("检验人", ["谢轩健"], y=700)
    lab = LabSheet(factor=V("一氧化碳", page=8), analyst=a.val(8), reviewer=V("黎怡丹", page=8), pages=(8,))
    f = run(BundleRecords(lab_sheets=[lab]), ["i078_registered_signers"], [page(8, [a])])
    assert codes(f) == [("staff.unregistered_signer", 89)] and pages_of(f[0]) == {8}


def test_misreads_and_escorts_are_not_unregistered():
    # 郭武 for 郭斌 (2-char name, one wrong character); 方琳林凯 split from 方琳凯 with an inserted character
    s = Sig("采样人", ["郭武", "方琳", "林凯"], y=320)
    s_vals = [Val(value=n, page=5, bbox=(50, 316, 300, 336), raw="采样人: 郭武 方琳林凯") for n in ("郭武", "方琳", "林凯")]
    e = Sig("陪同人", ["叶健瑞"], y=320, x=300)
    sh = SamplingSheet(date=V(D1, page=5), samplers=s_vals + [Val(value="叶健瑞", page=5, raw="采样人: 叶健瑞")],
                       escort=e.val(5), pages=(5,))
    f = run(BundleRecords(sampling_records=[sh]), ["i078_registered_signers"], [page(5, [s, e])])
    assert f == []


def test_low_confidence_read_is_not_flagged():
    s = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320, conf=0.5)
    e = Sig("陪同人", ["叶健瑞"], y=320, x=300)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    assert run(recs, ["i078_registered_signers"], [page(5, [s, e])]) == []


def test_no_staff_list_cannot_decide():
    s, e = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i078_registered_signers"], [page(5, [s, e])], submission=sub(staff=[]))
    assert codes(f) == [(CANNOT_DECIDE, 78)]


def test_role_not_registered():
    s, e = Sig("采样人", ["萧鑫林", "黎怡丹"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    f = run(recs, ["i015_signer_roles"], [page(5, [s, e])])
    assert codes(f) == [("staff.role_not_registered", 15)] and pages_of(f[0]) == {5}
    assert "黎怡丹" in f[0].message and "检验" in f[0].message
    # an institution whose role list does not use this vocabulary: not judged
    plain = [{"name": m["name"], "roles": ["技术人员"]} for m in STAFF]
    assert run(recs, ["i015_signer_roles"], [page(5, [s, e])], submission=sub(staff=plain)) == []


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


# ------------------------------------------------------------------ 40 plan approval


def plan(author, reviewer, approver, pg=4, **kw):
    d = dict(author=author.val(pg), reviewer=reviewer.val(pg), approver=approver.val(pg),
             author_date=V(D(2022, 7, 28), page=pg), review_date=V(D(2022, 7, 29), page=pg),
             approve_date=V(D(2022, 8, 1), page=pg), pages=(pg,))
    d.update(kw)
    return PlanRecord(**d)


def sigs3(approver_label="批准人(技术负责人)", approver=("尹峰国",)):
    return (Sig("编制人", ["萧鑫林"], y=700), Sig("审核人", ["陈平"], y=730), Sig(approver_label, list(approver), y=760))


def sampling_on(date, pg=5):
    return SamplingSheet(date=V(date, page=pg), pages=(pg,))


def test_plan_approved_after_sampling():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p, approve_date=V(D(2022, 8, 8), page=4)),
                         sampling_records=[sampling_on(D2, 6), sampling_on(D1, 5)])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])])
    assert codes(f) == [("plan.approved_after_sampling", 40)]
    assert pages_of(f[0]) == {4, 5}
    assert "2022年8月8日" in f[0].message and "2022年8月4日" in f[0].message


def test_plan_approved_in_time_by_director_is_silent():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    assert run(recs, ["i040_plan_approval"], [page(4, [a, r, p])]) == []


def test_plan_approved_by_quality_manager():
    a, r, p = sigs3("批准人(质量负责人)", ("陈平",))
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)] and pages_of(f[0]) == {4}
    # plain label: the registered title decides
    a, r, p = sigs3("批准人", ("田泽彬",))
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)] and "尹峰国" in f[0].message


def test_plan_unsigned_approval_and_unknown_director():
    a, r, p = sigs3(approver=())
    recs = BundleRecords(detection_plan=plan(a, r, p, approve_date=V(None, page=4)), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)]
    # no title in the registry and none on the label: cannot tell who the director is
    a, r, p = sigs3("批准人", ("尹峰国",))
    staff = [{k: v for k, v in m.items() if k != "title"} for m in STAFF]
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])], submission=sub(staff=staff))
    assert codes(f) == [(CANNOT_DECIDE, 40)]


def test_plan_dates_without_sampling_dates_cannot_decide():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[SamplingSheet(date=V(None, page=5), pages=(5,))])
    f = run(recs, ["i040_plan_approval"], [page(4, [a, r, p])])
    assert codes(f) == [(CANNOT_DECIDE, 40)]


# ------------------------------------------------------------------ 36 plan content


def prow(factor, flow, **kw):
    d = dict(post="铸板工", factor=factor, mode="个体", points=1.0, samples_per_day=2.0, days=1.0, minutes=240.0,
             collector="微孔滤膜")
    d.update(kw)
    fields = {k: V(v, page=4) for k, v in d.items()}
    fields["flow"] = V(flow, page=4) if flow is not None else Val(value=None, page=4, raw="", reason="empty")
    return Row(fields=fields, page=4, bbox=(10, 200, 500, 212))


def plan_page(text_lines):
    return Page(no=4, source="text", width=595, height=842,
                lines=tuple(Line(text=t, raw=t, bbox=(50, 100 + 15 * i, 500, 112 + 15 * i)) for i, t in enumerate(text_lines)))


GOOD_PLAN_TEXT = ["保存条件:微孔滤膜:密封，常温保存。保存期限:30天内完成分析。"]


def test_plan_missing_flow_flagged():
    a, r, p = sigs3()
    rows = [prow("铅尘", 2.0), prow("铅烟", None), prow("噪声", None, collector="积分声级计", mode="定点")]
    pl = plan(a, r, p, rows=rows, storage_conditions=V("密封，常温保存", page=4), storage_period=V("30天", page=4),
              sampling_dates=[V(D1, page=4)], equipment=V(["个体采样泵"], page=4))
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [page(4, [a, r, p])])
    assert codes(f) == [("plan.incomplete", 36)] and pages_of(f[0]) == {4}
    assert "铅烟" in f[0].message and "噪声" not in f[0].message
    good = pl.model_copy(update={"rows": [prow("铅尘", 2.0), prow("铅烟", 2.0)]})
    assert run(BundleRecords(detection_plan=good), ["i036_plan_complete"], [page(4, [a, r, p])]) == []


def test_plan_missing_storage_conditions():
    a, r, p = sigs3()
    pl = plan(a, r, p, rows=[prow("铅尘", 2.0)], storage_conditions=Val.missing("贮存条件: label not found on pages 4"),
              storage_period=V("30天", page=4), sampling_dates=[V(D1, page=4)], equipment=V(["个体采样泵"], page=4))
    pg = plan_page(["保存期限:30天内完成分析。样品运输过程中防止碰撞。"])
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [pg])
    assert codes(f) == [("plan.incomplete", 36)] and "保存条件" in f[0].message
    # the wording is on the page though the label was not read: not called missing
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [plan_page(GOOD_PLAN_TEXT)])
    assert codes(f) == [(CANNOT_DECIDE, 36)]


# ------------------------------------------------------------------ 42 follows plan


def srow(sid, factor="铅尘", flow=2.0, mode="个体", blank=False, page=5, post="铸板工", start="08:00", end="12:00",
         minutes=240.0):
    return R(page=page, sample_id=sid, factor=factor, flow_before=flow, flow_after=flow, mode=mode, post=post,
             start=start, end=end, minutes=minutes, is_blank=blank)


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


# ------------------------------------------------------------------ 43 basics


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


# ------------------------------------------------------------------ 45 flow / duration


def test_flow_not_recorded_and_mac_duration():
    rows = [srow("S1"), R(page=5, sample_id="S2", factor="铅尘", flow_before=Val(value=None, page=5, raw=""),
                          flow_after=Val(value=None, page=5, raw=""), mode="个体", minutes=240.0, is_blank=False),
            srow("S3", factor="硫化氢", flow=0.5, mode="定点", minutes=60.0, start="09:00", end="10:00")]
    f = run(BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,))]), ["i045_flow_duration"])
    assert sorted(codes(f)) == [("sampling.duration_unsuitable", 45), ("sampling.flow_unsuitable", 45)]
    assert all(pages_of(x) == {5} for x in f)
    good = [srow("S1"), srow("S3", factor="硫化氢", flow=0.5, mode="定点", minutes=15.0, start="09:00", end="09:15")]
    assert run(BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), rows=good, pages=(5,))]),
               ["i045_flow_duration"]) == []


def test_personal_sampling_coverage():
    survey_rec = SurveyRecord(posts=[R(page=3, post="铸板工", exposure_hours=8.0)], pages=(3,))
    short = [srow("S1", start="08:00", end="10:00", minutes=120.0), srow("S2", start="13:00", end="15:00", minutes=120.0)]
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=short, pages=(5,))])
    f = run(recs, ["i045_flow_duration"])
    assert codes(f) == [("sampling.duration_unsuitable", 45)] and "240 min" in f[0].message
    enough = [srow("S1", start="08:00", end="11:45", minutes=225.0), srow("S2", start="13:00", end="16:30", minutes=210.0)]
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=enough, pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []


# ------------------------------------------------------------------ 50 calibration


def test_flow_calibration():
    rows = [R(page=5, sample_id="S1", factor="铅尘", flow_before=2.0, flow_after=Val(value=None, page=5, raw=""),
              mode="个体", minutes=240.0, is_blank=False)]
    bad = SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,), calibration_before=V(True, page=5),
                        calibration_after=V(False, page=5, raw="采样后未校准"))
    f = run(BundleRecords(sampling_records=[bad]), ["i050_flow_calibration"])
    assert codes(f) == [("sampling.no_flow_calibration", 50)] and pages_of(f[0]) == {5}
    assert "采样后" in f[0].message
    # statement missing, after-flow column empty for the long-time sample: still flagged
    nostate = bad.model_copy(update={"calibration_after": Val.missing("not stated", 5)})
    assert codes(run(BundleRecords(sampling_records=[nostate]), ["i050_flow_calibration"])) == [
        ("sampling.no_flow_calibration", 50)]
    # short-time samples need no after-sampling calibration
    short = [R(page=5, sample_id="S1", factor="一氧化碳", flow_before=0.5, flow_after=Val(value=None, page=5, raw=""),
               mode="定点", minutes=15.0, is_blank=False)]
    ok = bad.model_copy(update={"rows": short})
    assert run(BundleRecords(sampling_records=[ok]), ["i050_flow_calibration"]) == []
    good = bad.model_copy(update={"rows": [srow("S1")], "calibration_after": V(True, page=5)})
    assert run(BundleRecords(sampling_records=[good]), ["i050_flow_calibration"]) == []


# ------------------------------------------------------------------ 51 blanks


def test_field_blank_per_factor_per_day():
    day1 = SamplingSheet(date=V(D1, page=5), pages=(5,), rows=[srow("S1"), srow("B1", blank=True, flow=None)])
    day1b = SamplingSheet(date=V(D1, page=6), pages=(6,), rows=[srow("S2", factor="铅烟", page=6)])
    f = run(BundleRecords(sampling_records=[day1, day1b]), ["i051_field_blank"])
    assert codes(f) == [("sampling.no_field_blank", 51)] and pages_of(f[0]) == {6}
    assert "铅烟" in f[0].message and "2022年8月4日" in f[0].message
    ok = day1b.model_copy(update={"rows": day1b.rows + [srow("B2", factor="铅烟", blank=True, flow=None, page=6)]})
    assert run(BundleRecords(sampling_records=[day1, ok]), ["i051_field_blank"]) == []


def test_field_blank_factor_from_lab_when_sheet_factor_is_a_title():
    title = "现场采样记录(化学因素)"
    rows = [srow("S1", factor=title), srow("S2", factor=title)]
    lab = LabSheet(factor=V("铅尘", page=8), rows=[R(page=8, sample_id="S1"), R(page=8, sample_id="S2")], pages=(8,))
    recs = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), pages=(5,), rows=rows)], lab_sheets=[lab])
    f = run(recs, ["i051_field_blank"])
    assert codes(f) == [("sampling.no_field_blank", 51)] and "铅尘" in f[0].message
    rows_b = rows + [srow("B1", factor=title, blank=True, flow=None)]
    recs = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), pages=(5,), rows=rows_b)], lab_sheets=[lab])
    assert run(recs, ["i051_field_blank"]) == []


def test_plan_without_flow_column():
    a, r, p = sigs3()
    rows = [Row(fields={k: V(v, page=4) for k, v in dict(post="铸板工", factor="铅尘", mode="个体", points=1.0,
                                                          samples_per_day=2.0, minutes=240.0).items()},
                page=4, bbox=(10, 200, 500, 212))]
    pl = plan(a, r, p, rows=rows, storage_conditions=V("密封", page=4), storage_period=V("30天", page=4),
              sampling_dates=[V(D1, page=4)], equipment=V(["个体采样泵"], page=4))
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [plan_page(GOOD_PLAN_TEXT)])
    assert codes(f) == [("plan.incomplete", 36)] and "无流量栏" in f[0].message
    # the plan mentions the sampling flow somewhere: the column may just not have been read
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [plan_page(GOOD_PLAN_TEXT + ["采样流量 2 L/min"])])
    assert f == []


def test_noise_form_without_calibration():
    bare = SamplingSheet(kind="noise", date=V(D1, page=7), pages=(7,))
    pg = Page(no=7, source="text", width=595, height=842, lines=(
        Line(text="测量日期:2022年8月4日", raw="", bbox=(50, 100, 200, 112)),
        Line(text="L_Aeq(dB(A))", raw="", bbox=(50, 200, 200, 212))))
    f = run(BundleRecords(sampling_records=[bare]), ["i050_flow_calibration"], [pg])
    assert codes(f) == [("sampling.no_noise_calibration", 50)] and pages_of(f[0]) == {7}
    cal = pg.model_copy(update={"lines": pg.lines + (Line(text="声校准:测量前93.8 dB", raw="", bbox=(50, 120, 200, 132)),)})
    assert run(BundleRecords(sampling_records=[bare]), ["i050_flow_calibration"], [cal]) == []


# ------------------------------------------------------------------ scanned pages: what OCR does to handwriting


def scan(no, rows, flip=False, extra=()):
    """A scanned page: each OCR line is ``(text, y, x0, x1)``, words split at spaces. With
    ``flip`` the page was scanned upside down: texts read in order, boxes stay displayed."""
    W, H = 595.0, 842.0
    lines = []
    for text, y, x0, x1 in list(rows) + list(extra):
        parts = text.split(" ")
        step = (x1 - x0) / max(len(text), 1)
        words, pos = [], 0
        for part in parts:
            b = (x0 + pos * step, y, x0 + (pos + len(part)) * step, y + 20)
            words.append((part, b))
            pos += len(part) + 1
        box = (x0, y, x1, y + 20)
        if flip:
            box = (W - box[2], H - box[3], W - box[0], H - box[1])
            words = [(t, (W - b[2], H - b[3], W - b[0], H - b[1])) for t, b in words]
        lines.append(Line(text=text, raw=text, bbox=box, conf=0.97,
                          words=tuple(Word(text=t, bbox=b) for t, b in words)))
    return Page(no=no, source="ocr", width=W, height=H, lines=tuple(lines), note="OCR at 200 dpi",
                rotation=180 if flip else 0)


def sv(name, pg, raw):
    return Val(value=name, page=pg, bbox=(47.0, 600.0, 300.0, 620.0), raw=raw, conf=1.0)


TABLE_ROW = ("贴面车间 热压工 热压机操作位 3 两班制，8h/班 6.5 甲醛、噪声", 582, 61, 487)


def test_scanned_survey_single_technician_with_date_glued_and_table_row_above():
    # the post table's last row sits right above the signature line (its box reaches into
    # the row band of a tall hand-written line): it is not a second signature
    p3 = scan(3, [TABLE_ROW, ("调查人员:田泽彬2022年9月7日 用人单位陪同人:夏桂2022年9月7日", 604, 47, 475)])
    p4 = scan(4, [("调查人员:田泽彬 用人单位陪同人:夏桂", 242, 47, 408)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 3, "调查人员:田泽彬 2022年9月7日")],
                       escort=sv("夏桂", 3, "用人单位陪同人:夏桂2022年9月7日"), pages=(3, 4))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p3, p4])
    assert codes(f) == [("signatures.too_few_technicians", 29)] and pages_of(f[0]) == {3, 4}
    assert "田泽彬" in f[0].message


def test_scanned_survey_merged_names_and_escort_misplaced_on_upside_down_page():
    # OCR merged both names into one run; on the upside-down page the extractor put a
    # technician's name into the escort slot. The slot itself is blank on both pages.
    p4 = scan(4, [("调查人:田泽彬钟雷倩2022.04-14 陪同人员:", 237, 248, 546)], flip=True)
    p5 = scan(5, [("调查人:田泽彬钟雷倩 陪同人员:", 234, 48, 344)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 5, "调查人: 田泽彬 钟雷倩"), sv("钟雷倩", 5, "调查人: 田泽彬 钟雷倩")],
                       escort=sv("钟雷倩", 4, "陪同人员: 钟雷倩2022.04-14 田泽彬"), pages=(4, 5))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p4, p5])
    assert codes(f) == [("signatures.no_escort", 30)] and pages_of(f[0]) == {4, 5}
    # the escort did sign on the scans: silent
    p4s = scan(4, [("调查人:田泽彬钟雷倩2022.04-14 陪同人员:夏波利", 237, 248, 546)], flip=True)
    p5s = scan(5, [("调查人:田泽彬钟雷倩 陪同人员:夏波利", 234, 48, 344)])
    assert run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p4s, p5s]) == []


def test_scanned_name_dropped_on_one_page_is_not_one_signer():
    # the second name is read on the survey page (one character misread) and dropped on the work-day page
    p5 = scan(5, [("调查人 田泽宾钟雷倩 日期:2022年5月31日", 591, 59, 529), ("陪同人 蒋泽桂 日期:2022年5月31日", 616, 59, 536)])
    p6 = scan(6, [("调查人 钟雷倩 日期:", 305, 55, 453), ("陪同人 蒋泽桂 日期:", 330, 55, 453)])
    rec = SurveyRecord(technicians=[sv("钟雷倩", 6, "调查人 钟雷倩")], escort=sv("蒋泽桂", 6, "陪同人 蒋泽桂"), pages=(5, 6))
    assert run(BundleRecords(field_survey=rec), ["i029_survey_technicians", "i030_survey_escort"], [p5, p6]) == []


def test_scanned_second_signature_under_the_first_is_not_one_signer():
    p3 = scan(3, [("调查人员:田泽彬", 600, 47, 200)], extra=[("钟雷倩", 624, 110, 170)])
    rec = SurveyRecord(technicians=[sv("田泽彬", 3, "调查人员:田泽彬")], escort=V(None, page=3, reason="not read"),
                       pages=(3,))
    f = run(BundleRecords(field_survey=rec), ["i029_survey_technicians"], [p3])
    assert codes(f) == [(CANNOT_DECIDE, 29)]


def test_scanned_sampling_day_judged_over_its_forms():
    def form(no, samplers, escort):
        return scan(no, [(f"采样人:{samplers} 陪同人:{escort} 复核人:萧鑫林2022-08-04", 420, 47, 526)])

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


def test_scanned_page_turned_upside_down_reads_upright():
    from extractors.slots import upright_lines
    p = scan(4, [("调查人:田泽彬 陪同人员:", 237, 248, 546)], flip=True)
    (ln,) = upright_lines(p)
    assert ln.box[0] == 248 and ln.box[1] == 237  # back in the reading frame
    assert ln.disp == p.lines[0].bbox  # evidence keeps the displayed box


def test_coverage_silent_when_a_sample_of_the_group_was_misread():
    survey_rec = SurveyRecord(posts=[R(page=3, post="刷片工", exposure_hours=6.5)], pages=(3,))
    first = srow("S1", post="刷片工", start="08:15", end="11:21", minutes=186.0)
    # second sample's clock times were read "13:10+15:56": no start / end
    second = R(page=5, sample_id="S2", factor="铅尘", flow_before=2.0, flow_after=2.0, mode="个体", post="刷片工",
               start=Val(value=None, page=5, raw="13:10+15:56"), minutes=166.0, is_blank=False)
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[first, second], pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # the second sample on another form, its post cell carrying an OCR bullet: one group
    second = srow("S2", post="•刷片工", start="13:10", end="15:56", minutes=166.0, page=6)
    recs = BundleRecords(field_survey=survey_rec, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[first], pages=(5,)),
        SamplingSheet(date=V(D1, page=6), rows=[second], pages=(6,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # the second sample's post unreadable at the same site: it may belong to the group
    site = dict(site=V("分片机工位", page=5))
    first_s = R(page=5, **{**first.fields, **site})
    garbled = R(page=6, **{**srow("S2", post="", start="13:10", end="15:56", minutes=166.0, page=6).fields,
                           "post": V(None, page=6, raw="口"), **site})
    recs = BundleRecords(field_survey=survey_rec, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[first_s], pages=(5,)),
        SamplingSheet(date=V(D1, page=6), rows=[garbled], pages=(6,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # clock times that disagree with the minutes column are a misread, not a short sample
    odd = srow("S1", post="刷片工", start="08:15", end="09:21", minutes=186.0)
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[odd], pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # every sample read and still short: flagged
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[first], pages=(5,))])
    f = run(recs, ["i045_flow_duration"])
    assert codes(f) == [("sampling.duration_unsuitable", 45)] and "186 min" in f[0].message


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


def test_flow_off_in_one_reading_only_is_a_misread():
    a, r, p = sigs3()
    pl = plan(a, r, p, rows=[prow("铅尘", 3.0)], sampling_dates=[V(D1, page=4)])
    row = R(page=5, sample_id="S1", factor="铅尘", flow_before=3.01, flow_after=2.0, mode="个体", post="铸板工",
            start="08:00", end="12:00", minutes=240.0, is_blank=False)
    ok = BundleRecords(detection_plan=pl, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[row, srow("S2", flow=3.0)], pages=(5,))])
    assert run(ok, ["i042_sampling_follows_plan"]) == []


def test_scanned_handwriting_close_to_a_registered_surname_is_not_unregistered():
    # 邱磊娟 signs; OCR reads 邱林梦 (two given-name characters wrong). On a scan that is
    # no evidence of an outsider: same surname, same length as a registered person.
    s, e = Sig("采样人", ["萧鑫林", "邱林梦"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e)])
    assert run(recs, ["i078_registered_signers"], [page(5, [s, e], source="ocr")]) == []
    # a split character (邹晓梓 read 邹阳尧梓) is one longer
    s2 = Sig("采样人", ["萧鑫林", "曾阳尧桂"], y=320)
    recs2 = BundleRecords(sampling_records=[sheet(5, D1, s2, e)])
    assert run(recs2, ["i078_registered_signers"], [page(5, [s2, e], source="ocr")]) == []
    # on a scan, an outsider whose surname no registered person has is still flagged
    s3 = Sig("采样人", ["萧鑫林", "吴琳辉"], y=320)
    recs3 = BundleRecords(sampling_records=[sheet(5, D1, s3, e)])
    f = run(recs3, ["i078_registered_signers"], [page(5, [s3, e], source="ocr")])
    assert codes(f) == [("staff.unregistered_signer", 78)] and "吴琳辉" in f[0].message


def test_undated_form_signed_by_the_same_lone_sampler_joins_that_days_preflag():
    s, e = Sig("采样人", ["萧鑫林"], y=320), Sig("陪同人", ["叶健瑞"], y=320, x=260)
    recs = BundleRecords(sampling_records=[sheet(5, D1, s, e), sheet(6, None, s, e)])
    f = run(recs, ["i041_sampling_signatures"], [page(5, [s, e]), page(6, [s, e])])
    assert codes(f) == [("signatures.too_few_technicians", 41)] and pages_of(f[0]) == {5, 6}
