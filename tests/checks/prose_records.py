"""Records for the prose checks (i064, i065, i066): a report's result rows and its passages,
read into statements by ``extractors.prose.add_prose_facts`` as the pipeline does."""
from __future__ import annotations

from extractors.prose import add_prose_facts
from extractors.records import BundleRecords, Paragraph, Passage, ReportRecord, SurveyRecord, Val
from tests.checks.lab_records import R, V, run, sections

SECS = sections(("report", [8, 9, 10]))
PART_HEADINGS = {"conclusion": "结论", "recommendation": "建议", "cause": "超标原因分析",
                 "conclusion_recommendation": "结论与建议"}


def result(post, factor, judgement, *, workshop="原料车间", site=None, c=0.5, limit=1.0):
    return R(9, workshop=workshop, post=post, site=site or f"{post[:-1]}机旁", factor=factor,
             c_twa=V(c, 9, raw=f"{c:g}"), limit_twa=V(limit, 9, raw=f"{limit:g}"), judgement=judgement)


def noise(post, lex, judgement):
    return R(9, post=post, site=f"{post[:-1]}操作位", lex8h=V(lex, 9, raw=f"{lex:.1f}"), limit=V(85.0, 9, raw="85"),
             judgement=judgement)


def passage(part, *items, page=10, heading=True):
    """A passage whose numbered items are ``items`` (one printed line each)."""
    pars = [Paragraph(lines=[Val(value=f"{i + 1}．{t}", page=page, bbox=(50.0, 100.0 + 20 * i, 500.0, 115.0 + 20 * i),
                                 raw=t, conf=1.0)]) for i, t in enumerate(items)]
    head = Val(value=PART_HEADINGS.get(part, "检测结果"), page=page, bbox=(50.0, 80.0, 120.0, 95.0), raw="五、结论",
               conf=1.0) if heading else Val()
    return Passage(part=part, heading=head, paragraphs=pars)


def records(results, *passages, noise_rows=(), survey_posts=()):
    """``survey_posts``: posts the survey names (the lexicon takes names from every record)."""
    survey = SurveyRecord(posts=[R(4, post=p) for p in survey_posts], pages=(4,)) if survey_posts else None
    rec = BundleRecords(report=ReportRecord(results=list(results), noise=list(noise_rows), passages=list(passages),
                                            pages=(8, 9, 10)), field_survey=survey)
    return add_prose_facts(rec)


def check(rec, name):
    return run(rec, [name], secs=SECS)
