"""Hand-made survey and report records for the checks of items 57, 58, 60 (the report's
post analysis against the survey's posts)."""
from __future__ import annotations

from extractors.records import BundleRecords, PostAnalysis, ReportRecord, Row, SurveyRecord, Val, ValState
from tests.checks.survey_records import SURVEY_PAGE, V, codes, run  # noqa: F401  (re-exported)

REPORT_PAGE = 10


def cell(value, page, box=(200.0, 150.0, 260.0, 162.0)):
    """A table cell: READ, or EMPTY when printed blank ("", "/", "—")."""
    if value in ("", "/", "—"):
        return Val(value=None, page=page, bbox=box, raw=value, reason="cell blank", state=ValState.EMPTY)
    return Val(value=value, page=page, bbox=box, raw=str(value), conf=1.0)


def srow(post, workers=2.0, shift="两班制，8h/班", hours=8.0, content="操作混合机", workshop=None, page=SURVEY_PAGE):
    f = {"post": V(post, page=page), "workers": cell(workers, page), "shift": V(shift, page=page),
         "exposure_hours": cell(hours, page), "content": V(content, page=page)}
    if workshop:
        f["workshop"] = V(workshop, page=page)
    return Row(fields=f, page=page, bbox=(50.0, 150.0, 500.0, 162.0))


def arow(post, page=REPORT_PAGE, **cells):
    """A report post-analysis row: only the columns given (None: the column is not there)."""
    f = {"post": V(post, page=page, bbox=(50.0, 300.0, 100.0, 312.0))}
    for k, v in cells.items():
        if v is not None:
            f[k] = cell(v, page)
    return Row(fields=f, page=page, bbox=(50.0, 300.0, 540.0, 312.0))


def result(post, factor, page=11):
    return Row(fields={"post": V(post, page=page), "factor": V(factor, page=page), "c_twa": V(0.5, page=page)},
               page=page, bbox=(50.0, 200.0, 500.0, 212.0))


def noise(post, page=12):
    return Row(fields={"post": V(post, page=page), "laeq": V(80.0, page=page), "lex8h": V(80.0, page=page)},
               page=page, bbox=(50.0, 300.0, 500.0, 312.0))


def bundle(survey_rows, table=(), sentences=(), results=(), noise_rows=(), posts_rows=()):
    s = SurveyRecord(workday=list(survey_rows), posts=list(posts_rows), pages=(SURVEY_PAGE,))
    pa = PostAnalysis(table=list(table), sentences=list(sentences),
                      pages=(REPORT_PAGE,) if (table or sentences) else ())
    rep = ReportRecord(post_analysis=pa, results=list(results), noise=list(noise_rows), pages=(REPORT_PAGE, 11, 12))
    return BundleRecords(field_survey=s, report=rep)


SURVEY = [srow("混合工(1#线)", 2, "三班两运转，8h/班", 8, "操作混合机"),
          srow("混合工(2#线)", 3, "两班制，8h/班", 7, "操作混合机"),
          srow("切割工", 7, "常白班", 6.5, "切割、掰边")]
