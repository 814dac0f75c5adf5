"""Indicator 54: the report's basic situation agrees with the field survey.

Attachment 3, item (54)：“企业生产规模、劳动者数量、检测时企业的运行工况等基本情况介绍全面，清晰。”
检查方法：“查阅检测报告及现场调查记录，检测报告中内容不完整，或与现场调查记录的企业生产规模、劳动者数量、
检测时企业的运行工况等基本情况介绍不一致的，每发现1处扣0.1分。1.0分扣完为止。”

``report.basics_mismatch``: a fact of the employer's basics the report states
(``ReportRecord.basics`` / ``output``, read by ``extractors/forms/_report_basics.py``)
differs from the field survey's (``SurveyRecord.basics`` / ``output``):

- the headcount (劳动者总数 / 劳动定员 / 职工人数 …), as a number of persons;
- the annual output or capacity (年产 5万吨 against 8万吨), compared by value with units
  normalised (万吨 = 10 000 t, 吨 = t); figures in units that cannot be compared (t
  against 件) are not compared;
- the enterprise size (小型 / 中型 …) where both print it.

Each fact is compared only where both records state it. Where the report states one and
the survey's is not read, ``cannot_decide`` (nothing to compare with). Where the report
states none of them, or no running conditions (运行工况), nothing is said: the reader
finds a statement by its wording, and a wording it does not know is no proof the report
is incomplete; that half of the item stays with the expert.
"""
from __future__ import annotations

from checks.base import Ctx, check
from extractors.forms._report_basics import parse_amount, same_amount


def _num(x: float) -> str:
    return f"{x:g}" if x < 1e4 or x % 1e4 else f"{x / 1e4:g}万"


def _unit(u: str) -> str:
    base, _, per = str(u).partition("/")
    return base + {"a": "/年", "month": "/月", "d": "/日"}.get(per, f"/{per}" if per else "")


def _same_amount_text(val, text: str) -> bool:
    """A figure read again, closer, is the same amount (万 and units considered)."""
    a = parse_amount(text, per_year=True)
    return a is not None and abs(a[0] - float(val)) <= 0.01 * max(abs(float(val)), 1e-9)


@check("i054_basics", indicators=[54], needs=["report", "field_survey"])
def basics(ctx: Ctx):
    """Headcount, output and size as the report states them against the survey's."""
    rep, sur = ctx.records.report, ctx.records.field_survey
    rh, sh = rep.basics.get("headcount"), sur.basics.get("headcount")
    if rh is not None and rh.ok:
        if sh is None or not sh.ok:
            yield ctx.cannot_decide(54, "现场调查记录中的劳动者人数（劳动定员/职工人数）",
                                    why=f"检测报告第{rh.page}页写有“{rh.raw}”，无可比对的调查记录数值",
                                    evidence=[rh], pages=[rh.page])
        elif int(rh.value) != int(sh.value) and ctx.confirmed(rh, sh):
            yield ctx.finding(
                "report.basics_mismatch", 54,
                f"检测报告第{rh.page}页“{rh.raw}”记劳动者人数{rh.value}人，而第{sh.page}页现场调查记录"
                f"“{sh.raw}”记{sh.value}人，基本情况与现场调查记录不一致",
                [rh, sh], pages=[rh.page, sh.page])
    if rep.output:
        if not sur.output:
            r = rep.output[0]
            yield ctx.cannot_decide(54, "现场调查记录中的生产规模（年产量/产能）",
                                    why=f"检测报告第{r.page}页写有“{r.value('raw')}”，无可比对的调查记录数值",
                                    evidence=[r.get("raw")], pages=[r.page])
        else:
            yield from _output(ctx, rep.output, sur.output)
    rs, ss = rep.basics.get("size"), sur.basics.get("size")
    if rs is not None and ss is not None and rs.ok and ss.ok and rs.value != ss.value and ctx.confirmed(rs, ss):
        yield ctx.finding(
            "report.basics_mismatch", 54,
            f"检测报告第{rs.page}页“{rs.raw}”记企业规模为{rs.value}，而第{ss.page}页现场调查记录“{ss.raw}”"
            f"记为{ss.value}，基本情况与现场调查记录不一致",
            [rs, ss], pages=[rs.page, ss.page])


def _output(ctx: Ctx, report_rows, survey_rows):
    """Each report figure with no equal survey figure among those of a comparable unit."""
    for r in report_rows:
        ra = (float(r.value("amount")), str(r.value("unit")))
        comparable = [s for s in survey_rows
                      if same_amount(ra, (float(s.value("amount")), str(s.value("unit")))) is not None]
        if not comparable or any(same_amount(ra, (float(s.value("amount")), str(s.value("unit")))) for s in comparable):
            continue
        s = comparable[0]
        rv, sv = r.get("amount"), s.get("amount")
        if not ctx.confirmed(rv, sv, same=_same_amount_text):
            continue
        yield ctx.finding(
            "report.basics_mismatch", 54,
            f"检测报告第{r.page}页“{r.value('raw')}”记生产规模{_num(ra[0])}{_unit(ra[1])}，而第{s.page}页现场调查记录"
            f"“{s.value('raw')}”记{_num(float(s.value('amount')))}{_unit(str(s.value('unit')))}，"
            f"基本情况与现场调查记录不一致",
            [rv, sv], pages=[r.page, s.page])
