"""i040_plan_approval (checks/i040_plan_approval.py): the plan is approved by the technical
director before sampling."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, SamplingSheet
from tests.synth import signature_page
from tests.checks.people_records import codes, D, D1, D2, pages_of, plan, run, sigs3, STAFF, sub, V


def sampling_on(date, pg=5):
    return SamplingSheet(date=V(date, page=pg), pages=(pg,))


def test_plan_approved_after_sampling():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p, approve_date=V(D(2022, 8, 8), page=4)),
                         sampling_records=[sampling_on(D2, 6), sampling_on(D1, 5)])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])])
    assert codes(f) == [("plan.approved_after_sampling", 40)]
    assert pages_of(f[0]) == {4, 5}
    assert "2022年8月8日" in f[0].message and "2022年8月4日" in f[0].message


def test_plan_approved_in_time_by_director_is_silent():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    assert run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])]) == []


def test_plan_approved_by_quality_manager():
    a, r, p = sigs3("批准人(质量负责人)", ("陈平",))
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)] and pages_of(f[0]) == {4}
    # plain label: the registered title decides
    a, r, p = sigs3("批准人", ("田泽彬",))
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)] and "尹峰国" in f[0].message


def test_plan_unsigned_approval_and_unknown_director():
    a, r, p = sigs3(approver=())
    recs = BundleRecords(detection_plan=plan(a, r, p, approve_date=V(None, page=4)), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])])
    assert codes(f) == [("plan.no_technical_director_approval", 40)]
    # no title in the registry and none on the label: cannot tell who the director is
    a, r, p = sigs3("批准人", ("尹峰国",))
    staff = [{k: v for k, v in m.items() if k != "title"} for m in STAFF]
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[sampling_on(D1)])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])], submission=sub(staff=staff))
    assert codes(f) == [(CANNOT_DECIDE, 40)]


def test_plan_dates_without_sampling_dates_cannot_decide():
    a, r, p = sigs3()
    recs = BundleRecords(detection_plan=plan(a, r, p), sampling_records=[SamplingSheet(date=V(None, page=5), pages=(5,))])
    f = run(recs, ["i040_plan_approval"], [signature_page(4, [a, r, p])])
    assert codes(f) == [(CANNOT_DECIDE, 40)]
