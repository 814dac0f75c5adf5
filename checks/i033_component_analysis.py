"""Indicator 33: the component analyses a survey needs were made.

Attachment 3, item (33)：“开展了必要的成分分析。”
检查方法：“查阅现场调查原始记录。对于成分不明或SDS中成分可疑的有机化学品，未进行挥发性有机组分定性分析的，或成分不明
及游离二氧化硅含量不明的粉尘未测定游离二氧化硅含量的，每发现1项扣0.5分。1.5分扣完为止，不涉及的不扣分。”

``survey.no_sio2_analysis``: a dust was tested whose GBZ 2.1-2019 limit depends on its
free-SiO2 content (a row of the shipped dust table, ``checks/data/dust_oel_gbz2.1-2019.csv``,
that names 游离SiO2 in its name, band or note: 矽尘 by band, 煤尘 / 水泥粉尘 / 麻尘 "游离SiO2
含量<10%", 其他粉尘 "游离SiO2低于10%"), and no free-SiO2 content stands anywhere in the
bundle's records: the survey's and the plan's statements (``sio2_pct``), the report's
(``sio2_pct``), a lab record of the free-SiO2 analysis (its factor or method: 游离二氧化硅,
焦磷酸法, GBZ/T 192.4). A survey that names the analysis without a content read counts
as stating it (the number may stand where the reader cannot parse it), unless the
content's place is printed blank or the text says it was not measured (未测定). A dust the table
does not tie to SiO2 (铝尘, 电焊烟尘, 木粉尘 …) or does not list gets no finding: the domain
data cannot say whether its content matters. The claim needs the survey read (the
check's record); a report section present but not read is "cannot decide".

The organic half of the item (a qualitative VOC analysis of products of unknown
composition) is not checked: the records hold no SDS and no statement that a
composition is unknown, so "unknown composition" cannot be told from the bundle.
"""
from __future__ import annotations

import re
from typing import Optional

from checks._factors import FactorResolver, plan_rows
from checks._people import fmt_pages
from checks._shared_lab import match_limits, norm_text
from checks.base import Ctx, check
from extractors.records import Val

# A lab record of the free-silica analysis: its factor or method names it
_SIO2_LAB = re.compile(r"游离\s*(?:SiO\s*[2₂]|二氧化硅)|焦\s*磷\s*酸|192\s*[.．]\s*4")


def _sio2_rule(factor: str) -> Optional[str]:
    """The dust-table wording that ties the factor's limit to its free-SiO2 content
    (its name or band), None when the table does not (or does not list the factor)."""
    m = match_limits(factor)
    if m is None or m.weak or m.unverified:
        return None
    dust = [r for r in m.rows if r.kind == "dust"]
    if not dust or len(dust) != len(m.rows):
        return None
    tied = [r for r in dust if "游离SiO2" in norm_text(f"{r.name}{r.condition}{r.notes}").replace("二氧化硅", "SiO2")]
    if not tied:
        return None
    conds = [r.condition for r in tied if "游离" in (r.condition or "")]
    return f"{tied[0].name}：{'、'.join(conds)}" if conds else tied[0].name


def _tested(ctx: Ctx) -> dict[str, list[Val]]:
    """Factor name → where the bundle names it as tested (report, plan, lab, sampling)."""
    recs = ctx.records
    out: dict[str, list[Val]] = {}

    def add(v: Val):
        if v.ok and v.page is not None:
            out.setdefault(str(v.value), []).append(v)

    if recs.report is not None:
        for r in recs.report.results:
            add(r.get("factor"))
    if recs.detection_plan is not None:
        for r in plan_rows(recs.detection_plan):
            add(r.get("factor"))
    for sh in recs.lab_sheets:
        add(sh.factor)
    resolve = FactorResolver(recs)
    for sh in recs.sampling_records:
        for r in sh.rows:
            if not r.value("is_blank") and resolve(r) == r.value("factor"):
                add(r.get("factor"))
    return out


def _sio2_stated(ctx: Ctx) -> bool:
    recs = ctx.records
    if recs.field_survey is not None and any(not r.get("value").empty for r in recs.field_survey.sio2_pct):
        return True  # a content, or the analysis named without a number read (not a blank place)
    if recs.report is not None and recs.report.sio2_pct:
        return True
    if recs.detection_plan is not None and any(r.get("value").ok for r in recs.detection_plan.sio2_pct):
        return True  # a plan's "will measure" is no result; a content it states is
    return any(_SIO2_LAB.search(f"{sh.factor.raw or sh.factor.value or ''} {sh.method.raw or sh.method.value or ''}")
               for sh in recs.lab_sheets)


@check("i033_component_analysis", indicators=[33], needs=["field_survey"])
def component_analysis(ctx: Ctx):
    """A dust whose limit depends on free SiO2, with no free-SiO2 content in the bundle."""
    tested = _tested(ctx)
    tied = {f: rule for f in tested if (rule := _sio2_rule(f))}
    if not tied or _sio2_stated(ctx):
        return
    if ctx.present("report") and ctx.records.report is None:
        yield ctx.cannot_decide(33, "检测报告中的游离SiO2含量", why="检测报告存在但未能识别", pages=ctx.section_pages("report"))
        return
    survey = ctx.records.field_survey
    spages = list(survey.pages) or ctx.section_pages("field_survey")
    vals = [v for f in tied for v in tested[f][:1]]
    fpages = sorted({v.page for f in tied for v in tested[f]})
    names = "、".join(tied)
    rules = "；".join(dict.fromkeys(tied.values()))
    yield ctx.finding(
        "survey.no_sio2_analysis", 33,
        f"本项目检测{names}（第{fmt_pages(fpages)}页），其职业接触限值取决于粉尘中游离SiO2含量"
        f"（GBZ 2.1-2019 {rules}），但现场调查记录（第{fmt_pages(spages)}页）、检测方案、实验室分析记录和"
        f"检测报告中均未见游离SiO2含量测定结果",
        vals[:4] + [(p, None, "") for p in spages[:1]], pages=fpages + spages)
