"""Records, staff list and run() for the checks tests of the people, signature, plan and
sampling items (15, 29, 30, 36, 40–45, 50, 51, 78, 89). Signature pages come from
``tests.synth`` (``Sig``, ``signature_page``, ``scan_page``)."""
from __future__ import annotations

import datetime as dt

from extractors.records import PlanRecord, Row, SamplingSheet, Val
from pipeline.types import Section
from tests.checks.runner import codes, findings_of  # noqa: F401  (codes: re-exported for the tests)
from tests.synth import Sig


D = dt.date


D1, D2 = D(2022, 8, 4), D(2022, 8, 5)


def V(value, page=1, bbox=(10.0, 10.0, 100.0, 20.0), raw=None, conf=1.0, reason=None):
    if value is None:
        return Val(value=None, page=page, bbox=bbox, raw=raw or "", reason=reason or "not read")
    return Val(value=value, page=page, bbox=bbox, raw=str(value) if raw is None else raw, conf=conf)


def R(page=5, **fields):
    return Row(fields={k: (f if isinstance(f, Val) else V(f, page=page)) for k, f in fields.items()},
               page=page, bbox=(10.0, 100.0, 500.0, 112.0))


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
    return findings_of(records, submission if submission is not None else sub(), only, sections=SECTIONS, pages=pages)


def pages_of(f):
    return {e.page for e in f.evidence}


# ------------------------------------------------------------------ 41 sampling


def sheet(pg, date, samplers, escort, checker=None, rows=(), kind="air", **kw):
    return SamplingSheet(kind=kind, date=V(date, page=pg), samplers=samplers.vals(pg), escort=escort.val(pg),
                         checker=(checker.val(pg) if checker else V(None, page=pg, reason="no 复核人 label found")),
                         rows=list(rows), pages=(pg,), **kw)


# ------------------------------------------------------------------ 40 plan approval


def plan(author, reviewer, approver, pg=4, **kw):
    d = dict(author=author.val(pg), reviewer=reviewer.val(pg), approver=approver.val(pg),
             author_date=V(D(2022, 7, 28), page=pg), review_date=V(D(2022, 7, 29), page=pg),
             approve_date=V(D(2022, 8, 1), page=pg), pages=(pg,))
    d.update(kw)
    return PlanRecord(**d)


def sigs3(approver_label="批准人(技术负责人)", approver=("尹峰国",)):
    return (Sig("编制人", ["萧鑫林"], y=700), Sig("审核人", ["陈平"], y=730), Sig(approver_label, list(approver), y=760))


# ------------------------------------------------------------------ 36 plan content


def prow(factor, flow, **kw):
    d = dict(post="铸板工", factor=factor, mode="个体", points=1.0, samples_per_day=2.0, days=1.0, minutes=240.0,
             collector="微孔滤膜")
    d.update(kw)
    fields = {k: V(v, page=4) for k, v in d.items()}
    fields["flow"] = V(flow, page=4) if flow is not None else Val(value=None, page=4, raw="", reason="empty")
    return Row(fields=fields, page=4, bbox=(10, 200, 500, 212))


# ------------------------------------------------------------------ 42 follows plan


def srow(sid, factor="铅尘", flow=2.0, mode="个体", blank=False, page=5, post="铸板工", start="08:00", end="12:00",
         minutes=240.0):
    return R(page=page, sample_id=sid, factor=factor, flow_before=flow, flow_after=flow, mode=mode, post=post,
             start=start, end=end, minutes=minutes, is_blank=blank)


# ------------------------------------------------------------------ scanned pages: what OCR does to handwriting


def sv(name, pg, raw):
    return Val(value=name, page=pg, bbox=(47.0, 600.0, 300.0, 620.0), raw=raw, conf=1.0)
