"""Planted defects of the administrative items and direct-reading records (issue 14,
slice 2): survey raw materials (i032), subcontracting (i021), public disclosure (i026),
the noise record's L_EX,8h (i047).

Each planter changes one printed fact of a clean scenario, in one of several wordings or
layouts, and records the values compared and the strings printed at the evidence. Its
audit rule (registered in ``samples.defects.AUDIT_RULES``) re-derives the same fact from
the scenario alone, so the batch's self-check proves each planter plants exactly its
defect.

Imported by ``samples.defects`` (which this module extends: planters, PLANT_ORDER,
FEASIBLE, AUDIT_RULES); import ``samples.defects`` first, never this module alone.
"""
from __future__ import annotations

import math
import random
from decimal import Decimal

from samples.admin_forms import BLANKS, is_published, other_institution
from samples.defects import AUDIT_RULES, FEASIBLE, PLANT_ORDER, _defect, _fresh_name, _register
from samples.model import DISCLOSURE_KEYS, Defect, NoiseMeasurement, Scenario
from samples.scenario import lex_8h

KINDS = ["survey_materials_incomplete", "subcontracted", "disclosure_incomplete", "noise_lex_wrong"]
# after every other planter: none of them rewrites what these print, and the noise record's
# own values are taken from the levels as the other planters left them
PLANT_ORDER.extend(KINDS)


def _taken(s: Scenario, *keys: str) -> set[str]:
    """Values other planted defects rest on under these detail keys (materials, posts)."""
    out: set[str] = set()
    for d in s.defects:
        for k in keys:
            v = d.detail.get(k)
            if isinstance(v, str):
                out.add(v)
            elif isinstance(v, list):
                out |= {x for x in v if isinstance(x, str)}
    return out


# --------------------------------------------------------------------------- i032 raw materials
@_register("survey_materials_incomplete")
def plant_survey_materials_incomplete(s: Scenario, rng: random.Random) -> Defect:
    """One row of the survey's raw-material table with its 用量 or 主要成分/有害组分 cell
    printed blank ("", "/", "—"); the report keeps the true values."""
    taken = _taken(s, "material", "materials", "raw_materials")
    mats = [m for m in s.survey.raw_materials if m.name not in taken] or list(s.survey.raw_materials)
    m = rng.choice(mats)
    what = rng.choice(["amount", "components"])
    printed = rng.choice(["", "/", "—"])
    before = getattr(m, what)
    m.blank[what] = printed
    return _defect(s, "survey_materials_incomplete",
                   {"material": m.name, "missing": what, "printed": printed, "value_before": before},
                   sections=["field_survey"], evidence=[m.name])


FEASIBLE["survey_materials_incomplete"] = lambda s: bool(s.survey.raw_materials)


def _audit_materials(s: Scenario, flag) -> None:
    for m in s.survey.raw_materials:
        for what in ("amount", "components"):
            if m.printed(what).strip() in BLANKS:
                flag("survey.materials_incomplete", 32, material=m.name, missing=what)


# --------------------------------------------------------------------------- i021 subcontracting
_CLAUSES = (
    "本项目现场采样及实验室检测工作由{o}承担，乙方负责出具检测报告。",
    "经甲方同意，乙方将本项目的现场检测工作分包给{o}实施。",
    "本项目检测工作委托{o}完成，检测结果由乙方汇总后出具报告。",
    "乙方将本项目全部检测工作转包给{o}，由其按本合同约定履行。",
)


@_register("subcontracted")
def plant_subcontracted(s: Scenario, rng: random.Random) -> Defect:
    """The contract names another institution: as its 受托方/乙方 (the submitting one then
    issued the report for a job it took over), or in a clause handing it the work."""
    c, ident = s.contract, s.identity
    name, address, phone = other_institution(s, rng)
    variant = rng.choice(["party_b", "party_b", "clause_article", "clause_duty"])
    detail: dict = {"variant": variant, "institution": ident.name, "other": name}
    if variant == "party_b":
        c.party_b_name, c.party_b_address, c.party_b_phone = name, address, phone
        before, c.party_b_signer = c.party_b_signer, _fresh_name(s, rng)  # that institution's representative
        detail |= {"party_b": name, "party_b_before": ident.name, "party_b_signer": c.party_b_signer,
                   "party_b_signer_before": before}
        evidence = [name]
    else:
        c.subcontract_clause = rng.choice(_CLAUSES).format(o=name)
        c.subcontract_place = "article" if variant == "clause_article" else "duty"
        detail |= {"party_b": ident.name, "clause": c.subcontract_clause}
        evidence = [name]
    return _defect(s, "subcontracted", detail, sections=["contract"], evidence=evidence)


def _audit_subcontracted(s: Scenario, flag) -> None:
    c = s.contract
    if c.party_b_name and c.party_b_name != s.identity.name:
        flag("contract.subcontracted", 21, party_b=c.party_b_name)
    if c.subcontract_clause:
        flag("contract.subcontracted", 21, clause=c.subcontract_clause)


# --------------------------------------------------------------------------- i026 disclosure
@_register("disclosure_incomplete")
def plant_disclosure_incomplete(s: Scenario, rng: random.Random) -> Defect:
    """One required item of the disclosure is not shown as published: its row is missing,
    its mark or value is blank, or it is marked 否/未公示."""
    d = s.disclosure
    it = rng.choice(d.published)
    variant = rng.choice(["missing", "blank", "no"])
    detail: dict = {"item": it.key, "label": it.label, "variant": variant, "layout": d.layout,
                    "value_before": it.value, "mark_before": it.mark}
    if variant == "missing":
        d.published.remove(it)
        d.items = [x.label for x in d.published]
        detail["printed"] = None
        evidence = [s.report.report_no]
    else:
        if d.layout == "values":
            it.value = rng.choice(["", "/"]) if variant == "blank" else "未公示"
            detail["printed"] = it.value
        else:
            it.mark = "" if variant == "blank" else rng.choice(["否", "未公示"])
            detail["printed"] = it.mark
        evidence = [it.label]
    return _defect(s, "disclosure_incomplete", detail, sections=["disclosure"], evidence=evidence)


FEASIBLE["disclosure_incomplete"] = lambda s: bool(s.disclosure.published)


def _audit_disclosure(s: Scenario, flag) -> None:
    d = s.disclosure
    shown = {it.key for it in d.published}
    for k in DISCLOSURE_KEYS:
        if k not in shown:
            flag("disclosure.incomplete", 26, item=k, what="missing")
    for it in d.published:
        if not is_published(it, d.layout):
            flag("disclosure.incomplete", 26, item=it.key, what="not published")


# --------------------------------------------------------------------------- i047 noise record
def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _lex_from(text: str, hours: float) -> float:
    return lex_8h(float(Decimal(text)), hours)


@_register("noise_lex_wrong")
def plant_noise_lex_wrong(s: Scenario, rng: random.Random) -> Defect:
    """One row of the field noise record is wrong; the report keeps the right values:
    its L_EX,8h off by ≥ 0.5 dB (not converted to 8 h, the correction's sign turned, or a
    slip), its unit printed "dB" for dB(A), or its L_Aeq printed with two decimals."""
    taken = _taken(s, "post")
    rows = [m for m in s.noise if m.post not in taken] or list(s.noise)
    m: NoiseMeasurement = rng.choice(rows)
    corr = 10 * math.log10(m.exposure_hours / 8)
    variants = ["lex_slip", "unit", "laeq_decimals"] + (["lex_unconverted", "lex_sign"] if abs(corr) >= 0.55 else [])
    variant = rng.choice(variants)
    detail: dict = {"variant": variant, "post": m.post, "date": m.date.isoformat(), "laeq": m.laeq,
                    "exposure_hours": m.exposure_hours, "lex8h": m.lex8h}
    if variant.startswith("lex"):
        if variant == "lex_unconverted":  # L_Aeq copied as if T were 8 h
            wrong = m.laeq
        elif variant == "lex_sign":
            wrong = float(Decimal(repr(m.laeq - corr)).quantize(Decimal("0.1")))
        else:
            wrong = round(m.lex8h + rng.choice([-1, 1]) * rng.choice([0.5, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0]), 1)
        m.record_lex = wrong
        detail |= {"printed_lex8h": wrong, "recomputed": m.lex8h, "diff": round(abs(wrong - m.lex8h), 1)}
        evidence = [f"{wrong:.1f}"]
    elif variant == "unit":
        s.style.noise_unit_in_cell = True
        m.record_unit = "dB"
        detail |= {"printed_unit": "dB", "unit": "dB(A)"}
        evidence = [f"{m.laeq:.1f} dB"]
    else:  # two decimals where the rule is 0.1, still rounding to the report's L_Aeq and L_EX,8h
        deltas = [x for x in range(-4, 5) if x]
        rng.shuffle(deltas)
        for k in deltas:
            text = f"{Decimal(repr(m.laeq)) + Decimal(k) / 100:.2f}"
            if _lex_from(text, m.exposure_hours) == m.lex8h and text[-1] != "0":
                break
        else:
            raise RuntimeError(f"{s.bundle_id}: no two-decimal L_Aeq keeps {m.post}'s L_EX,8h")
        m.record_laeq = text
        detail |= {"printed_laeq": text, "decimals": 2, "decimals_required": 1}
        evidence = [text]
    return _defect(s, "noise_lex_wrong", detail, sections=["sampling_record"], evidence=evidence)


FEASIBLE["noise_lex_wrong"] = lambda s: bool(s.noise)


def _audit_noise_record(s: Scenario, flag) -> None:
    for m in s.noise:
        if m.rec_unit != "dB(A)":
            flag("measurement.direct_reading_wrong", 47, post=m.post, what="unit", unit=m.rec_unit)
        if _decimals(m.rec_laeq) != 1:
            flag("measurement.direct_reading_wrong", 47, post=m.post, what="laeq rounding", laeq=m.rec_laeq)
        if m.rec_lex != _lex_from(m.rec_laeq, m.exposure_hours):
            flag("measurement.direct_reading_wrong", 47, post=m.post, what="lex8h", lex8h=m.rec_lex)


AUDIT_RULES.extend([_audit_materials, _audit_subcontracted, _audit_disclosure, _audit_noise_record])
