"""Hand-made field-survey, plan and report records for the checks of items 31, 34 and 59."""
from __future__ import annotations

from extractors.records import (SURVEY_PARTS, PlanRecord, ReportRecord, Row, SurveyFactor, SurveyRecord, Val,
                                ValState)
from tests.checks.people_records import SECTIONS, V, codes, findings_of, sub  # noqa: F401  (codes: re-exported)

SURVEY_PAGE = 3


def part(value, page=SURVEY_PAGE, raw=None):
    """A part READ (text), EMPTY (``"/"`` or ``""``), ABSENT (None)."""
    if value is None:
        return Val.missing("heading not found", None, ValState.ABSENT)
    if value in ("", "/", "—"):
        return Val(value=None, page=page, bbox=(50.0, 300.0, 545.0, 330.0), raw=raw or ("三、主要生产设备 " + value).strip(),
                   reason="heading found, blank", state=ValState.EMPTY)
    return Val(value=value, page=page, bbox=(54.0, 300.0, 400.0, 312.0), raw=value, conf=1.0)


def parts(**over):
    d = {k: part("已填写内容") for k in SURVEY_PARTS}
    d.update(over)
    return d


def cell(value, page=SURVEY_PAGE, box=(170.0, 150.0, 190.0, 162.0)):
    if value in ("", "/", "—"):
        return Val(value=None, page=page, bbox=box, raw=value, reason="cell blank", state=ValState.EMPTY)
    return Val(value=value, page=page, bbox=box, raw=str(value), conf=1.0)


def wrow(post, workers=2.0, hours=8.0, page=SURVEY_PAGE):
    return Row(fields={"post": V(post, page=page), "workers": cell(workers, page), "shift": V("两班制", page=page),
                       "exposure_hours": cell(hours, page), "content": V("操作设备", page=page)},
               page=page, bbox=(50.0, 150.0, 500.0, 162.0))


def factor(name, where, source="post", page=SURVEY_PAGE, box=(440.0, 550.0, 480.0, 562.0)):
    return SurveyFactor(name=Val(value=name, page=page, bbox=box, raw=name, conf=1.0), source=source,
                        where=V(where, page=page))


def survey(**kw):
    d = dict(parts=parts(), pages=(SURVEY_PAGE,))
    d.update(kw)
    return SurveyRecord(**d)


def plan_with(*factors, page=4):
    rows = [Row(fields={"post": V("岗位", page=page), "factor": V(f, page=page), "mode": V("个体", page=page),
                        "points": V(1.0, page=page)}, page=page, bbox=(50.0, 200.0, 500.0, 212.0)) for f in factors]
    return PlanRecord(rows=rows, pages=(page,))


def report_with(*factors, page=10):
    rows = [Row(fields={"post": V("岗位", page=page), "factor": V(f, page=page), "c_twa": V(0.5, page=page)},
                page=page, bbox=(50.0, 200.0, 500.0, 212.0)) for f in factors if f != "噪声"]
    noise = [Row(fields={"post": V("岗位", page=page), "laeq": V(80.0, page=page)}, page=page,
                 bbox=(50.0, 300.0, 500.0, 312.0))] if "噪声" in factors else []
    return ReportRecord(results=rows, noise=noise, pages=(page,))


def run(records, only, pages=()):
    return findings_of(records, sub(), only, sections=SECTIONS, pages=pages)


def post_row(post, factors, page=SURVEY_PAGE):
    """A posts-table row with its factor cell (None: the cell was not read)."""
    f = V(factors, page=page) if factors is not None else Val(value=None, page=page, reason="cannot read")
    return Row(fields={"post": V(post, page=page), "factors": f}, page=page, bbox=(50.0, 550.0, 540.0, 562.0))
