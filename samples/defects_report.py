"""Planters of issue 14's second slice (genrep): the report against the survey record.

The report restates the survey (``samples.report_content`` writes the clean copy): the
employer's headcount and output (i054), the raw materials (i056), each post's shift,
劳动定员, work content, exposure time and factors (i057, i058, i060), and it cites the
standards it rests on (i053). Each planter changes the report's copy of one such fact,
never the survey's, so exactly one thing differs. :func:`audit` re-derives the rules
from the scenario alone; ``samples.defects.audit`` calls it.

Registered with ``samples.defects._register``; ``samples.defects`` imports this module
once its own planters are defined.
"""
from __future__ import annotations

import random
import re
from typing import Callable, Optional

from samples import report_content as RC
from samples.defects import BLANKS, PLANT_ORDER, PLANTERS, _defect, _register
from samples.model import DEFECT_KINDS, Defect, Scenario

# the standards a report must cite (i053): label -> pattern matching a basis line citing it
STANDARDS = {
    "GBZ 159": re.compile(r"GBZ\s*159(?![\d.])"),
    "GBZ 2.1": re.compile(r"GBZ\s*2\.1(?!\d)"),
    "GBZ 2.2": re.compile(r"GBZ\s*2\.2(?!\d)"),
}
_WHY = {"GBZ 159": "空气样品采样", "GBZ 2.1": "化学有害因素/粉尘判定", "GBZ 2.2": "噪声判定"}


def needed_standards(s: Scenario) -> list[str]:
    """The standards this bundle's work needs cited: GBZ 159 when any air sample was
    taken, GBZ 2.1 when any air factor is judged, GBZ 2.2 when noise is judged."""
    out = []
    if any(not x.is_blank for x in s.samples):
        out.append("GBZ 159")
    if any(r.factor in s.factors and s.factors[r.factor].kind != "noise" for r in s.report.results):
        out.append("GBZ 2.1")
    if s.report.noise:
        out.append("GBZ 2.2")
    return out


def cited(s: Scenario, std: str) -> list[str]:
    return [b for b in s.report.basis if STANDARDS[std].search(b)]


_NUM = re.compile(r"([\d]+(?:\.\d+)?)\s*(万)?\s*(t|吨|张|片|件|台|m³|m3|kg|千克)?")
_UNIT = {"吨": "t", "千克": "kg", "m3": "m³"}


def amount_value(text: str) -> Optional[tuple[float, str]]:
    """(value, unit) of an amount as printed: "3600 t/a", "3600吨/年", "18 万t/a", "8000 张/a"."""
    m = _NUM.search(text or "")
    if not m:
        return None
    v = float(m.group(1)) * (10000 if m.group(2) else 1)
    return round(v, 6), _UNIT.get(m.group(3) or "", m.group(3) or "")


_OUTPUT = re.compile(r"年产[^\d]{0,4}([\d]+(?:\.\d+)?)\s*(万)?\s*(t|吨)")


def survey_output_t(s: Scenario) -> Optional[float]:
    """The annual output (t) the survey's 基本情况 prints with the products, if it does."""
    m = _OUTPUT.search(s.survey.basics.get("products", "") or "")
    return None if not m else float(m.group(1)) * (10000 if m.group(2) else 1)


def survey_workers(s: Scenario) -> Optional[int]:
    m = re.search(r"\d+", s.survey.basics.get("workers", "") or "")
    return int(m.group()) if m else None


def _taken_posts(s: Scenario) -> set[str]:
    """Posts other planted defects rest on (a blanked 工作日写实 cell, another report change)."""
    return {d.detail["post"] for d in s.defects if isinstance(d.detail.get("post"), str)}


def _analysed(s: Scenario, free: bool = True):
    taken = _taken_posts(s) if free else set()
    wd = {w.post: w for w in s.survey.workday}
    return [pa for pa in s.report.post_analysis if pa.post in wd and pa.post not in taken]


# --------------------------------------------------------------------------- feasibility
def _basis_feasible(s: Scenario) -> bool:
    return any(cited(s, std) for std in needed_standards(s))


def _basics_feasible(s: Scenario) -> bool:
    return survey_workers(s) is not None or survey_output_t(s) is not None


def _materials_feasible(s: Scenario) -> bool:
    return bool(s.survey.raw_materials)


def _posts_feasible(s: Scenario) -> bool:
    return bool(_analysed(s))


FEASIBLE: dict[str, Callable[[Scenario], bool]] = {
    "basis_missing_standard": _basis_feasible, "report_basics_mismatch": _basics_feasible,
    "report_materials_mismatch": _materials_feasible, "report_shift_mismatch": _posts_feasible,
    "report_work_content_missing": _posts_feasible, "report_exposure_mismatch": _posts_feasible,
}


def _printed_output(s: Scenario, t: float) -> str:
    """The output as this bundle's report prints it (the renderers' choice of units)."""
    v = int(s.report.layout.get("basics", "0"))
    return RC.tonnes_text(t, v if s.style.family != "b" else (v + 1) % 3)


def _other_number(rng: random.Random, n: int) -> int:
    """A clearly different headcount: the digits swapped (320 -> 230) or a different size."""
    digits = str(n)
    if len(digits) >= 2 and len(set(digits)) > 1 and rng.random() < 0.5:
        for _ in range(10):
            d = list(digits)
            i, j = rng.sample(range(len(d)), 2)
            d[i], d[j] = d[j], d[i]
            m = int("".join(d))
            if m != n and d[0] != "0":
                return m
    while True:
        m = max(3, int(round(n * rng.choice([0.6, 0.7, 1.3, 1.5, 1.8]))))
        if m != n:
            return m


# --------------------------------------------------------------------------- planters
@_register("basis_missing_standard")
def plant_basis_missing_standard(s: Scenario, rng: random.Random) -> Defect:
    """The 检测/评价依据 list without one standard the work needs (GBZ 159, GBZ 2.1, GBZ 2.2)."""
    std = rng.choice([x for x in needed_standards(s) if cited(s, x)])
    removed = cited(s, std)
    s.report.basis = [b for b in s.report.basis if b not in removed]
    return _defect(s, "basis_missing_standard", {"standard": std, "removed": removed, "needed_for": _WHY[std]},
                   sections=["report"], evidence=["依据"])


@_register("report_basics_mismatch")
def plant_report_basics_mismatch(s: Scenario, rng: random.Random) -> Defect:
    """The report's 基本情况 states another headcount or another annual output than the survey."""
    rp = s.report
    fields = [f for f, v in (("workers", survey_workers(s)), ("output", survey_output_t(s))) if v is not None]
    field_ = rng.choice(fields)
    if field_ == "workers":
        before = survey_workers(s)
        rp.workers_total = _other_number(rng, before)
        return _defect(s, "report_basics_mismatch",
                       {"field": "workers", "survey": before, "report": rp.workers_total,
                        "survey_text": s.survey.basics.get("workers")},
                       sections=["report", "field_survey"], evidence=[f"{rp.workers_total}人", f"{before}人"])
    before_t = survey_output_t(s)
    new = before_t
    while new == before_t:
        new = max(1000.0, round(before_t * rng.choice([0.5, 0.6, 0.7, 1.4, 1.6, 2.0]) / 1000) * 1000)
    rp.output_t = new
    return _defect(s, "report_basics_mismatch",
                   {"field": "output", "survey_t": before_t, "report_t": new,
                    "survey_text": s.survey.basics.get("products"), "report_text": _printed_output(s, new)},
                   sections=["report", "field_survey"], evidence=[_printed_output(s, new)])


def _scaled_amount(text: str, rng: random.Random) -> Optional[str]:
    m = re.search(r"\d+(?:\.\d+)?", text)
    if not m:
        return None
    old = float(m.group())
    for _ in range(20):
        new = old * rng.choice([0.5, 0.6, 2 / 3, 1.5, 2.0, 2.5])
        new = round(new) if old >= 10 else round(new, 1)
        if new != old and new > 0:
            return text[:m.start()] + f"{new:g}" + text[m.end():]
    return None


@_register("report_materials_mismatch")
def plant_report_materials_mismatch(s: Scenario, rng: random.Random) -> Defect:
    """One material the survey lists is missing from the report, or its amount differs."""
    rp = s.report
    by_name = {m.name: m for m in rp.materials}
    sv = {m.name: m for m in s.survey.raw_materials}
    scalable = [n for n in sv if n in by_name and amount_value(by_name[n].amount) and amount_value(sv[n].amount)]
    variant = "amount" if scalable and rng.random() < 0.55 else "missing"
    if variant == "missing":
        name = rng.choice([n for n in sv if n in by_name])
        rp.materials = [m for m in rp.materials if m.name != name]
        return _defect(s, "report_materials_mismatch",
                       {"material": name, "variant": "missing", "survey_amount": sv[name].amount},
                       sections=["report", "field_survey"], evidence=[name])
    name = rng.choice(scalable)
    m = by_name[name]
    before = m.amount
    m.amount = _scaled_amount(before, rng)
    return _defect(s, "report_materials_mismatch",
                   {"material": name, "variant": "amount", "survey_amount": sv[name].amount,
                    "report_amount_before": before, "report_amount": m.amount},
                   sections=["report", "field_survey"], evidence=[name, m.amount])


_SHIFTS = ["两班制，8h/班", "三班两运转，8h/班", "常白班，8h/班", "三班制，8h/班", "四班三运转，8h/班"]


def _shift_kind(shift: str) -> str:
    return shift.split("，")[0]


@_register("report_shift_mismatch")
def plant_report_shift_mismatch(s: Scenario, rng: random.Random) -> Defect:
    """One post of the report's post analysis with another 工作班制 or 劳动定员 than the survey."""
    pa = rng.choice(_analysed(s))
    field_ = rng.choice(["shift", "workers"])
    if field_ == "shift":
        before = pa.shift
        pa.shift = rng.choice([x for x in _SHIFTS if _shift_kind(x) != _shift_kind(before)])
        new = pa.shift
    else:
        before = pa.workers
        pa.workers = rng.choice([n for n in (before - 2, before - 1, before + 1, before + 2, before + 3) if n >= 1])
        new = pa.workers
    return _defect(s, "report_shift_mismatch", {"post": pa.post, "field": field_, "survey": before, "report": new},
                   sections=["report", "field_survey"], evidence=[pa.post])


@_register("report_work_content_missing")
def plant_report_work_content_missing(s: Scenario, rng: random.Random) -> Defect:
    """One post's 工作内容/作业方式 printed blank, or the post left out of the analysis."""
    pa = rng.choice(_analysed(s))
    before = pa.content
    if rng.random() < 0.6:
        pa.content = rng.choice(["", "/", "—"])
        return _defect(s, "report_work_content_missing",
                       {"post": pa.post, "variant": "blank", "survey_content": before, "printed": pa.content},
                       sections=["report"], evidence=[pa.post])
    s.report.post_analysis = [x for x in s.report.post_analysis if x is not pa]
    # the post's shift, headcount and exposure go with it: a reader may also call those missing
    return _defect(s, "report_work_content_missing",
                   {"post": pa.post, "variant": "missing", "survey_content": before},
                   also=["report.shift_mismatch", "report.exposure_mismatch"], sections=["report"],
                   evidence=[pa.post])


_HOURS = [8.0, 7.5, 7.0, 6.5, 6.0, 5.0, 4.0, 2.0]


@_register("report_exposure_mismatch")
def plant_report_exposure_mismatch(s: Scenario, rng: random.Random) -> Defect:
    """One post's exposure time differs from the 工作日写实, or a factor tested at the post
    (in the results table) is left out of its exposure analysis."""
    cands = _analysed(s)
    tested = RC.tested_at(s)
    with_factor = [pa for pa in cands if [f for f in tested.get(pa.post, []) if f in pa.factors]]
    if with_factor and rng.random() < 0.4:
        pa = rng.choice(with_factor)
        f = rng.choice([f for f in tested[pa.post] if f in pa.factors])
        pa.factors = [x for x in pa.factors if x != f]
        return _defect(s, "report_exposure_mismatch", {"post": pa.post, "variant": "factor", "factor": f},
                       sections=["report"], evidence=[pa.post, f])
    pa = rng.choice(cands)
    before = pa.exposure_hours
    pa.exposure_hours = rng.choice([h for h in _HOURS if abs(h - before) >= 1])
    return _defect(s, "report_exposure_mismatch",
                   {"post": pa.post, "variant": "hours", "survey": before, "report": pa.exposure_hours},
                   sections=["report", "field_survey"], evidence=[pa.post])


# --------------------------------------------------------------------------- self-check
def audit(s: Scenario) -> list[dict]:
    """The rules of items 53, 54, 56, 57, 58 and 60, re-derived from the scenario."""
    out: list[dict] = []

    def flag(code: str, indicator: int, **detail) -> None:
        out.append({"code": code, "indicator": indicator, "detail": detail})

    rp = s.report
    for std in needed_standards(s):
        if not cited(s, std):
            flag("report.basis_incomplete", 53, standard=std)
    w = survey_workers(s)
    if w is not None and rp.workers_total != w:
        flag("report.basics_mismatch", 54, field="workers", survey=w, report=rp.workers_total)
    t = survey_output_t(s)
    if t is not None and rp.output_t != t:
        flag("report.basics_mismatch", 54, field="output", survey=t, report=rp.output_t)
    if rp.workers_total is None or rp.output_t is None or rp.load_pct is None:
        flag("report.basics_mismatch", 54, what="basics not stated")
    by_name = {m.name: m for m in rp.materials}
    for m in s.survey.raw_materials:
        got = by_name.get(m.name)
        if got is None:
            flag("report.materials_mismatch", 56, material=m.name, what="missing")
            continue
        a, b = amount_value(m.amount), amount_value(got.amount)
        if (a != b) if (a and b) else (m.amount.strip() != got.amount.strip()):
            flag("report.materials_mismatch", 56, material=m.name, survey=m.amount, report=got.amount)
    wd = {x.post: x for x in s.survey.workday}
    pa_by = {x.post: x for x in rp.post_analysis}
    tested = RC.tested_at(s)
    for p in s.posts:
        pa, w_ = pa_by.get(p.name), wd.get(p.name)
        if pa is None or pa.content.strip() in BLANKS:
            flag("report.work_content_incomplete", 58, post=p.name)
        if pa is None:
            continue
        if w_ is not None:
            if (w_.workers is not None and pa.workers != w_.workers) or pa.shift != w_.shift:
                flag("report.shift_mismatch", 57, post=p.name)
            if w_.exposure_hours is not None and pa.exposure_hours != w_.exposure_hours:
                flag("report.exposure_mismatch", 60, post=p.name, survey=w_.exposure_hours, report=pa.exposure_hours)
            if pa.content.strip() not in BLANKS and pa.content != w_.content:
                flag("report.work_content_incomplete", 58, post=p.name, what="differs from the 工作日写实")
        missing = [f for f in tested.get(p.name, []) if f not in pa.factors]
        if missing:
            flag("report.exposure_mismatch", 60, post=p.name, factors=missing)
    return out

