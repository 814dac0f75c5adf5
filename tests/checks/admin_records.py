"""Records, submission and run() for the checks tests of the administrative items (17–19,
25, 27, 28, 52, 75, 80): Val/Row builders, a registered institution, every section present."""
from __future__ import annotations

import datetime as dt

from extractors.records import Row, SamplingSheet, Val
from pipeline.types import Section
from tests.checks.runner import codes, findings_of  # noqa: F401  (codes: re-exported for the tests)
from tests.synth import page


D = dt.date


def V(value, page=1, bbox=(10.0, 10.0, 100.0, 20.0), conf=1.0, reason=None):
    if value is None:
        return Val(value=None, page=page, bbox=bbox, reason=reason or "not read")
    return Val(value=value, page=page, bbox=bbox, raw=str(value), conf=conf)


def row(page=1, bbox=(10.0, 100.0, 500.0, 112.0), **fields):
    return Row(fields={k: (f if isinstance(f, Val) else V(f, page=page, bbox=bbox)) for k, f in fields.items()},
               page=page, bbox=bbox)


def sub(**inst):
    base = {
        "certificate_no": "豫卫职技字〔2021〕第0012号",
        "valid_from": "2021-03-01", "valid_to": "2026-02-28",
        "scope": {"industries": ["C33", "C30"],
                  "factors": ["矽尘", "其他粉尘", "噪声", "苯", "铅及其无机化合物", "氯化氢及盐酸", "锰及其无机化合物",
                              "人造矿物纤维绝热棉粉尘"]},
    }
    base.update(inst)
    return {"bundle_id": "T-1", "institution": base, "employer": {"name": "某铸造有限公司", "industry_code": "C3391"}}


SECTIONS_ALL = [Section(type=t, pages=(p,)) for t, p in (
    ("contract", 1), ("contract_review", 2), ("field_survey", 3), ("detection_plan", 4), ("sampling_record", 5),
    ("report", 8), ("disclosure", 10), ("photos", 11))]


def run(records, submission=None, only=(), sections=SECTIONS_ALL, pages=()):
    return findings_of(records, submission if submission is not None else sub(), only, sections=sections, pages=pages)


def sheet(date=D(2022, 6, 14), page=5, rows=(), factors=("矽尘(呼尘)",)):
    return SamplingSheet(date=V(date, page=page), factors=V(list(factors), page=page), rows=list(rows), pages=(page,))


# ------------------------------------------------------------------ 80 equipment


def _samp(pid, site, start, end, sid, page=9):
    return row(page=page, sample_id=sid, site=site, pump_id=pid, start=start, end=end, is_blank=V(False, page=page))


def _ocr_page(no):
    return page(no, source="ocr")
