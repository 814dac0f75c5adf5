"""Indicator 59: the hazards the survey identifies are the ones tested.

Attachment 3, item (59)：“基于工程分析进行职业病危害因素种类识别。”
检查方法：“查阅检测报告及现场调查记录，根据工程分析核实职业病危害因素的识别是否全面正确，发现1处不符要求的扣0.3分。
1.5分扣完为止。”

``report.hazard_not_identified``: a hazardous factor the field survey names, in a post's
factor column or as a raw material's hazardous component, is neither a factor of the
detection plan's sampling rows nor of the report's results (nor of a lab sheet):
the survey identified it and the service never tested it.

What counts as a factor named by the survey (``SurveyRecord.factors``):
- a post's factor: every item of the column ("矽尘(总尘)、噪声"); on a scan an item that is
  no GBZ 2.1 name and no physical agent must read the same a second time;
- a raw material's component: only an item that *is* a GBZ 2.1 factor name
  (``checks/data``, via ``_shared_lab.match_limits``, exact), so "Fe、C、Si" and
  "含改性硅油" name nothing. Chemical formulas are not read as factors.
Names are compared by substance, not by string: the fraction (总尘/呼尘) and a bracketed
qualifier are dropped, and two names that the GBZ 2.1 table files under one row are one
factor (铅 and 铅尘; 氯化氢 and 盐酸). A tested name one OCR slip away from the survey's
also counts as that factor. When the plan's rows or the report's results were not read,
nothing is said: "not tested" needs both read.

The issue's other half, ``i059_tested_not_surveyed`` (same code): a factor the plan's
rows or the report's results test that the survey names nowhere, neither for a post nor
as a material's component. Said only where the survey's identification was read whole:
a posts table with a factor column, every post row's factor cell read (a form without
such a column names no factors, and an unread cell may hold the very factor); and only
for a tested name that is a GBZ 2.1 name or a physical agent exactly (an OCR-garbled
name is no factor to accuse).
"""
from __future__ import annotations

import re
from typing import Optional

from rapidfuzz.distance import Levenshtein

from checks._factors import is_physical, known_factors, plan_rows
from checks._shared_lab import limit_rows, match_limits, norm_text
from checks.base import Ctx, check, read_by_ocr
from extractors.records import SurveyFactor

# what a component item says besides the substance: amounts, shares, "contains"
_QUALIFIERS = re.compile(r"含量|含有|含|少量|微量|痕量|约|游离|总量|等|以上|以下|及其?|为主")
_AMOUNT = re.compile(r"[\d.]+\s*(?:%|％|mg/kg|g/L|ppm)?|[≤≥<>~～≈=]")
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_FRACTION = re.compile(r"总尘|呼尘|总粉尘|呼吸性粉尘|呼吸性")


def base_name(name: str) -> str:
    """The substance a printed factor names: fraction and bracketed qualifiers dropped."""
    n = norm_text(name)
    n = _BRACKETS.sub("", n)
    n = _FRACTION.sub("", n)
    return re.sub(r"[\s()（）]", "", n)


def substance(name: str) -> frozenset[str]:
    """Keys identifying the substance: its base name and the GBZ 2.1 rows it falls under."""
    keys = {base_name(name)}
    m = match_limits(name)
    if m is not None:
        keys |= {"gbz:" + r.name.split("-")[0] for r in m.rows}
    if is_physical(name):
        keys.add("phys:" + base_name(name))
    return frozenset(k for k in keys if k)


def _gbz_names() -> list[str]:
    """Every alias of the shipped GBZ 2.1 rows, longest first (a component is matched to
    the longest name it holds: 二甲苯, not 甲苯 or 苯)."""
    names = {a for r in limit_rows() for a in r.aliases}
    return sorted(names, key=len, reverse=True)


def component_factors(item: str) -> list[str]:
    """The GBZ 2.1 factor names one raw-material component item holds ("含甲苯" → 甲苯,
    "苯≤0.3%" → 苯, "TDI 加成物" → none). A one-character name (苯, 氨, 铅) counts only as the
    whole item; longer names are found inside it, longest first, without overlap."""
    t = _AMOUNT.sub("", _QUALIFIERS.sub("", norm_text(item)))
    t = re.sub(r"\s+", "", t)
    if not t or not re.search(r"[\u4e00-\u9fff]", t):
        return []
    m = match_limits(t)
    if m is not None and m.how == "exact":
        return [t]
    out: list[str] = []
    taken = [False] * len(t)
    for name in _gbz_names():
        if len(name) < 2 or not re.search(r"[\u4e00-\u9fff]", name):
            continue
        i = t.find(name)
        while i >= 0:
            if not any(taken[i:i + len(name)]):
                for k in range(i, i + len(name)):
                    taken[k] = True
                out.append(name)
            i = t.find(name, i + 1)
    return list(dict.fromkeys(out))


def _looks_like_factor(name: str) -> bool:
    t = re.sub(r"\s", "", name)
    return 2 <= len(t) <= 16 and bool(re.search(r"[\u4e00-\u9fff]", t)) and not re.search(r"^(?:无|/|—|见|同上)|等$", t)


def known_name(name: str) -> bool:
    """A GBZ 2.1 name of the shipped tables (exactly, fraction aside) or a physical agent."""
    m = match_limits(name)
    return (m is not None and m.how == "exact") or is_physical(name)


class Tested:
    """The factors the plan's rows, the lab sheets and the report's results name."""

    def __init__(self, ctx: Ctx):
        r = ctx.records
        self.names = known_factors(r)
        if r.report is not None and r.report.noise:
            self.names.add("噪声")
        self.keys = {k for n in self.names for k in substance(n)}
        self.bases = {base_name(n) for n in self.names}

    def covers(self, name: str) -> bool:
        if substance(name) & self.keys:
            return True
        b = base_name(name)
        # one OCR slip on either side (一氧化炭 / 一氧化碳) is the same factor; two names the
        # tables both know are two substances however alike (硫化氢 / 氯化氢)
        known = known_name(name)
        return len(b) >= 3 and any(len(x) >= 3 and Levenshtein.distance(b, x) <= 1
                                   and not (known and known_name(x)) for x in self.bases)


def _named(ctx: Ctx, f: SurveyFactor) -> Optional[str]:
    """The factor name ``f`` stands for, or None when it names none (or cannot be trusted)."""
    item = str(f.name.value or "").strip()
    if f.source == "material":
        names = component_factors(item)
        return names[0] if len(names) == 1 else ("、".join(names) if names else None)
    if known_name(item):
        return item  # 氨, 苯: one character is a whole factor name
    if not _looks_like_factor(item):
        return None
    # a name outside the shipped tables: exact on a text layer; on a scan it must read
    # the same a second time
    if read_by_ocr(ctx, f.name) and not ctx.confirmed(f.name):
        return None
    return item


@check("i059_hazard_identification", indicators=[59], needs=["field_survey", "detection_plan", "report"])
def hazard_identification(ctx: Ctx):
    """Every hazardous factor the survey names is in the plan or the report's results."""
    rec = ctx.records
    s, plan, report = rec.field_survey, rec.detection_plan, rec.report
    if not plan_rows(plan) or not (report.results or report.noise):
        return  # "not tested" needs both read
    tested = Tested(ctx)
    missing: dict[str, list[SurveyFactor]] = {}
    for f in s.factors:
        name = _named(ctx, f)
        if not name:
            continue
        for one in name.split("、"):
            if not tested.covers(one):
                missing.setdefault(one, []).append(f)
    if not missing:
        return
    items, evidence, pages = [], [], []
    for name, fs in missing.items():
        where = []
        for f in fs:
            who = str(f.where.value) if f.where.ok else ""
            if f.source == "post":
                where.append(f"岗位“{who}”的职业病危害因素" if who else "岗位职业病危害因素栏")
            else:
                where.append(f"原辅材料“{who}”的成分（{f.name.value}）" if who else f"原辅材料成分（{f.name.value}）")
            evidence.append(f.name)
            pages.append(f.name.page)
        pg = sorted({f.name.page for f in fs if f.name.page is not None})
        items.append(f"“{name}”（第{'、'.join(map(str, pg))}页{'、'.join(dict.fromkeys(where))}）")
    plan_pages = list(plan.pages)
    report_pages = list(report.pages)
    tested_names = "、".join(sorted(tested.names)) or "无"
    yield ctx.finding(
        "report.hazard_not_identified", 59,
        f"现场调查记录识别出的职业病危害因素{'；'.join(items)}，未列入检测方案"
        f"（第{_span(plan_pages)}页）的检测因素，也不在检测报告（第{_span(report_pages)}页）的检测结果中"
        f"（方案及报告检测的因素：{tested_names}），职业病危害因素识别与检测不一致",
        evidence[:8], pages=pages + _range(plan_pages) + _range(report_pages))


def _range(pages: list[int]) -> list[int]:
    """The pages ``_span`` names (a span names every page between its ends)."""
    return list(range(pages[0], pages[-1] + 1)) if pages else []


def _span(pages: list[int]) -> str:
    if not pages:
        return "?"
    return f"{pages[0]}" if len(pages) == 1 else f"{pages[0]}～{pages[-1]}"


@check("i059_tested_not_surveyed", indicators=[59], needs=["field_survey", "detection_plan", "report"])
def tested_not_surveyed(ctx: Ctx):
    """Every factor the plan or the report tests was identified by the survey."""
    rec = ctx.records
    s, plan, report = rec.field_survey, rec.detection_plan, rec.report
    rows = [r for r in s.posts if r.get("post").ok]
    if not rows or any("factors" not in r.fields or not r.get("factors").ok for r in rows):
        return  # no factor column, or a cell not read: the survey's identification is not known whole
    named: set[str] = set()
    bases: set[str] = set()
    for f in s.factors:
        item = str(f.name.value or "")
        for n in ([item] if f.source == "post" else component_factors(item)):
            named |= substance(n)
            bases.add(base_name(n))
    plan_named = {str(r.value("factor")): r for r in plan_rows(plan)}
    report_named = {str(r.value("factor")): r for r in report.results if r.value("factor")}
    if report.noise:
        report_named.setdefault("噪声", report.noise[0])
    extra: dict[str, list] = {}
    for name, row in list(plan_named.items()) + list(report_named.items()):
        if not known_name(name):
            continue
        if substance(name) & named:
            continue
        b = base_name(name)
        if len(b) >= 3 and any(len(x) >= 3 and Levenshtein.distance(b, x) <= 1 and not known_name(x) for x in bases):
            continue
        extra.setdefault(b or name, []).append(row)
    if not extra:
        return
    items, evidence, pages = [], [], []
    for name, rs in extra.items():
        pg = sorted({r.page for r in rs if r.page is not None})
        items.append(f"“{name}”（第{'、'.join(map(str, pg))}页）")
        evidence.extend(rs[:2])
        pages.extend(pg)
    post_pages = sorted({r.page for r in rows if r.page is not None})
    yield ctx.finding(
        "report.hazard_not_identified", 59,
        f"检测方案或检测报告检测了{'、'.join(items)}，但现场调查记录（第{'、'.join(map(str, post_pages))}页）"
        f"各岗位的职业病危害因素及原辅材料成分中均未识别该因素，职业病危害因素识别与检测不一致",
        evidence[:8] + [rows[0].get("factors")], pages=pages + post_pages)
