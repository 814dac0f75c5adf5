"""i036_plan_complete (checks/i036_plan_complete.py): the detection plan states flows and
storage conditions."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, Row, Val, ValState
from tests.synth import page, signature_page, stacked_lines
from tests.checks.people_records import codes, D1, pages_of, plan, prow, run, sigs3, V


def plan_page(text_lines):
    return page(4, stacked_lines(text_lines, x0=50, x1=500, y0=100, pitch=15, height=12))


GOOD_PLAN_TEXT = ["保存条件:微孔滤膜:密封，常温保存。保存期限:30天内完成分析。"]


def test_plan_missing_flow_flagged():
    a, r, p = sigs3()
    rows = [prow("铅尘", 2.0), prow("铅烟", None), prow("噪声", None, collector="积分声级计", mode="定点")]
    pl = plan(a, r, p, rows=rows, storage_conditions=V("密封，常温保存", page=4), storage_period=V("30天", page=4),
              sampling_dates=[V(D1, page=4)], equipment=V(["个体采样泵"], page=4))
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [signature_page(4, [a, r, p])])
    assert codes(f) == [("plan.incomplete", 36)] and pages_of(f[0]) == {4}
    assert "铅烟" in f[0].message and "噪声" not in f[0].message
    good = pl.model_copy(update={"rows": [prow("铅尘", 2.0), prow("铅烟", 2.0)]})
    assert run(BundleRecords(detection_plan=good), ["i036_plan_complete"], [signature_page(4, [a, r, p])]) == []


def test_plan_missing_storage_conditions():
    a, r, p = sigs3()
    pl = plan(a, r, p, rows=[prow("铅尘", 2.0)], storage_conditions=Val.missing("贮存条件: label not found on pages 4", None, ValState.ABSENT),
              storage_period=V("30天", page=4), sampling_dates=[V(D1, page=4)], equipment=V(["个体采样泵"], page=4))
    pg = plan_page(["保存期限:30天内完成分析。样品运输过程中防止碰撞。"])
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [pg])
    assert codes(f) == [("plan.incomplete", 36)] and "保存条件" in f[0].message
    # the wording is on the page though the label was not read: not called missing
    f = run(BundleRecords(detection_plan=pl), ["i036_plan_complete"], [plan_page(GOOD_PLAN_TEXT)])
    assert codes(f) == [(CANNOT_DECIDE, 36)]


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
