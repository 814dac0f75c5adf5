"""Records for the checks of items 53, 54 and 56: a report's basis list, basics and raw
materials against a field survey's, built by hand (no pages, no generator)."""
from __future__ import annotations

import datetime as dt

from extractors.records import BundleRecords, CitedStandard, ReportRecord, SamplingSheet, SurveyRecord, Val, ValState
from tests.checks.lab_records import R, V, run, sections

SECS = sections(("field_survey", [3]), ("sampling_record", [5]), ("report", [8, 9, 10]))


def cite(code, year=None, page=9, raw=None):
    text = raw or (code + (f"-{year}" if year else ""))
    return CitedStandard(code=code, year=year, text=V(text, page, raw=text))


def basis(*codes, place=None):
    """A basis list citing ``codes`` ("GBZ 159-2004" → code and year), read to its end."""
    out = []
    for c in codes:
        code, _, year = c.rpartition("-") if c[-5:-4] == "-" else (c, "", "")
        out.append(cite(code, int(year) if year else None))
    return out, place or V("检测依据", 9, raw="二、检测依据")


def air_results(factor="矽尘", page=10):
    return [R(page, post="混砂工", factor=factor, sample_ids=["S1", "S2"], c_twa=V(0.5, page), limit_twa=V(1.0, page),
              judgement="合格")]


def noise_rows(page=10):
    return [R(page, post="落砂工", lex8h=V(88.0, page), limit=V(85.0, page), judgement="不合格")]


def report(*, cited=(), place=None, results=(), noise=(), basics=None, output=(), materials=(), materials_place=None):
    b, p = basis(*cited, place=place) if place is None or cited else ([], place)
    return ReportRecord(basis=b, basis_place=p, results=list(results), noise=list(noise), basics=basics or {},
                        output=list(output), materials=list(materials),
                        materials_place=materials_place or Val.missing("none", None, ValState.ABSENT),
                        pages=(8, 9, 10))


def survey(*, basics=None, output=(), materials=()):
    return SurveyRecord(basics=basics or {}, output=list(output), raw_materials=list(materials), pages=(3,))


def out_row(amount, unit, raw, page):
    return R(page, amount=V(amount, page, raw=raw), unit=V(unit, page), raw=V(raw, page))


def mat(name, amount_raw, page, amount=None, unit=None):
    f = {"name": V(name, page)}
    if amount is not None:
        f["amount"] = V(amount, page, raw=amount_raw)
        f["unit"] = V(unit, page)
    else:
        f["amount"] = V(amount_raw, page, raw=amount_raw)
    return R(page, **f)


def sampling(date=dt.date(2022, 7, 6), page=5):
    return SamplingSheet(kind="air", date=V(date, page), rows=[R(page, sample_id="S1", factor="矽尘", is_blank=False)],
                         pages=(page,))


def records(rep, sur=None, sheets=()):
    return BundleRecords(report=rep, field_survey=sur if sur is not None else survey(), sampling_records=list(sheets))


def check(rec, name):
    return run(rec, [name], secs=SECS)
