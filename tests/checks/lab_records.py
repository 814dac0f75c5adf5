"""Records, sections and run() for the checks tests of the lab, calculation and limit items
(62, 68, 69, 73, 74, 94)."""
from __future__ import annotations

import datetime as dt

from checks.base import run_checks
from extractors.records import LabSheet, Row, SamplingSheet, Val, ValState
from pipeline.types import Section
from tests.synth import line, page


D1 = dt.date(2022, 4, 15)


def V(value, page=1, raw=None, conf=1.0, reason=None):
    return Val(value=value, page=page, raw=str(value) if raw is None else raw, conf=conf, reason=reason,
               bbox=(10.0, 10.0, 50.0, 20.0) if value is not None else None)


def R(page=1, **fields):
    f = {k: (v if isinstance(v, Val) else V(v, page)) for k, v in fields.items()}
    return Row(fields=f, page=page, bbox=(10.0, 10.0, 500.0, 20.0))


def missing(reason, page=None, state=ValState.UNKNOWN):
    return Val.missing(reason, page, state)


def sections(*types_pages):
    return [Section(type=t, pages=tuple(p)) for t, p in types_pages]


ALL_SECTIONS = sections(("sampling_record", [3]), ("sample_transfer", [4]), ("lab_analysis", [5]),
                        ("data_calculation", [6]), ("report", [7]))


def run(records, only, *, secs=ALL_SECTIONS, ledger=(), pages=()):
    cr = run_checks(records, {}, sections=secs, ledger=ledger, pages=pages, only=only)
    assert not cr.errors, cr.errors
    return cr.findings


def codes(findings):
    return sorted(f.code for f in findings)


# ------------------------------------------------------------------ i094


def _sampling(ids, blanks=(), page=3, date=D1):
    rows = [R(page, sample_id=i, is_blank=V(i in blanks, page)) for i in ids]
    return SamplingSheet(date=V(date, page), rows=rows, pages=(page,))


# ------------------------------------------------------------------ i068


def _lab(receipt, analysis=None, ids=("A1", "A2"), page=5, **kw):
    return LabSheet(factor=V("苯", page), receipt_date=V(receipt, page) if receipt else missing("接收日期: label not found", None, ValState.ABSENT),
                    analysis_date=V(analysis or receipt, page) if (analysis or receipt) else missing("x"),
                    rows=[R(page, sample_id=i) for i in ids], pages=(page,), **kw)


# ------------------------------------------------------------------ i069


def _page(no, image_lines=True):
    return page(no, [line("张三", (100.0, 300.0, 130.0, 310.0), origin="image")] if image_lines else [])


def _ocr_page(no):
    return page(no, source="ocr")
