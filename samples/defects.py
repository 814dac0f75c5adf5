"""Planted defects and an independent self-check of a scenario.

One planter per key of :data:`samples.model.DEFECT_KINDS`. A planter mutates a clean
scenario minimally so that exactly that defect holds, and appends a
:class:`~samples.model.Defect` naming the expected finding code, the values compared,
the section types holding the evidence and strings printed there.

:func:`audit` re-derives every rule the planters break (and the other consistency
rules a clean bundle must satisfy) from the scenario alone. Tests use it to prove
that clean scenarios are clean and that each planter produces its defect and nothing
else except the codes it declares in ``Defect.also``.

Over 600 lines: one short planter per defect kind plus the self-check that re-derives
each rule they break; a planter and its audit rule are read side by side.
"""
from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Callable, Iterable, Optional

from samples import vocab as V
from samples import wording
from samples.model import DEFECT_KINDS, Defect, ResultRow, Sample, Scenario
from samples.scenario import (
    NamePool,
    conc_from_mass,
    dec,
    disclosure_deadline,
    fmt_hm,
    hm,
    judge,
    lex_8h,
    q,
    recompute_row,
    recompute_sample,
    refresh_report_texts,
    row_values,
    workday_after,
    workdays,
)

Planter = Callable[[Scenario, random.Random], Defect]
PLANTERS: dict[str, Planter] = {}

# Application order: structural changes that re-derive values first, value tampering
# last, so a later re-derivation never repairs an earlier tampering.
PLANT_ORDER = [
    "hazard_not_tested", "survey_incomplete", "workday_incomplete",
    "no_flow_calibration", "sample_not_analysed", "no_field_blank", "missing_lab_section",
    "lab_receipt_before_sampling", "outside_validity", "factor_out_of_scope", "disclosure_late",
    "contract_incomplete", "no_contract_review", "plan_incomplete", "plan_approved_after_sampling",
    "plan_no_director_approval", "survey_single_technician", "sampling_single_technician",
    "survey_no_escort", "sampling_no_escort", "report_unsigned", "unregistered_signer", "pump_overlap",
    "photo_timestamp_mismatch", "late_submission", "anonymized_leak", "anonymized_missing",
    "stel_duration_wrong", "sampling_site_blank", "dust_without_sio2", "judgement_wrong", "wrong_limit", "calc_not_reproducible",
    # the report's prose last: nothing after them rewrites the conclusions or recommendations
    "conclusion_contradicts", "no_targeted_recommendation", "no_cause_analysis",
    # issue 14 slice 2 (genrep): the report's restatement of the survey, after everything
    # that removes posts' factors or blanks the survey's cells (they pick what still stands)
    "basis_missing_standard", "report_basics_mismatch", "report_materials_mismatch", "report_shift_mismatch",
    "report_work_content_missing", "report_exposure_mismatch",
]

# Pairs that cannot share a bundle (one would erase or mask the other).
INCOMPATIBLE: set[frozenset[str]] = {
    frozenset(p) for p in [
        ("anonymized_leak", "anonymized_missing"),
        ("plan_approved_after_sampling", "plan_no_director_approval"),
        ("missing_lab_section", "lab_receipt_before_sampling"),
        ("missing_lab_section", "sample_not_analysed"),
        # both want the bundle's short-time samples; one removed could be the only one left
        ("sample_not_analysed", "stel_duration_wrong"),
        ("hazard_not_tested", "stel_duration_wrong"),
    ]
}

ANON_CHANNELS = ["seal", "footer", "letterhead", "metadata", "body_text", "certificate_page"]


# Feasibility and self-check rules registered by the planter modules beside this one
# (samples.defects_admin): kind -> "can it be planted here", and rules audit() also runs.
FEASIBLE: dict[str, Callable[[Scenario], bool]] = {}
AUDIT_RULES: list[Callable[[Scenario, Callable[..., None]], None]] = []


def feasible(kind: str, s: Scenario) -> bool:
    """Can ``kind`` be planted in this clean scenario at all (alone)?"""
    if kind in FEASIBLE:
        return FEASIBLE[kind](s)
    if kind == "stel_duration_wrong":
        return stel_feasible(s)
    if kind == "hazard_not_tested":
        return bool(hazard_candidates(s))
    if kind in defects_report.FEASIBLE:
        return defects_report.FEASIBLE[kind](s)
    if kind == "dust_without_sio2":
        return s.survey.sio2_percent is not None and any(x.scope_name == "矽尘" for x in s.factors.values())
    return True


def compatible(kinds: Iterable[str]) -> bool:
    ks = list(kinds)
    return all(frozenset((a, b)) not in INCOMPATIBLE for i, a in enumerate(ks) for b in ks[i + 1:])


def _register(kind: str):
    assert kind in DEFECT_KINDS, kind

    def deco(fn: Planter) -> Planter:
        PLANTERS[kind] = fn
        return fn

    return deco


def _defect(s: Scenario, kind: str, detail: dict, *, also: Iterable[str] = (), sections: Iterable[str] = (),
            evidence: Iterable[str] = (), indicator: Optional[int] = None) -> Defect:
    ind, code, _ = DEFECT_KINDS[kind]
    d = Defect(kind=kind, indicator=ind if indicator is None else indicator, code=code, detail=detail,
               also=list(also), sections=list(sections), evidence=[e for e in evidence if e])
    s.defects.append(d)
    return d


def _registry_complete() -> None:
    """Every kind has its planter and its place in PLANT_ORDER (the planter modules beside
    this one register theirs when they load)."""
    if not set(PLANTERS) == set(DEFECT_KINDS) == set(PLANT_ORDER):
        raise RuntimeError(f"defect registry incomplete: {set(DEFECT_KINDS) ^ set(PLANTERS) ^ set(PLANT_ORDER)}")


def apply_defects(clean: Scenario, kinds: Iterable[str], seed: int) -> Scenario:
    """A deep copy of ``clean`` with the given defects planted (in PLANT_ORDER)."""
    _registry_complete()
    kinds = list(dict.fromkeys(kinds))
    if not compatible(kinds):
        raise ValueError(f"incompatible defect kinds: {kinds}")
    s = copy.deepcopy(clean)
    for kind in sorted(kinds, key=PLANT_ORDER.index):
        rng = random.Random(f"{seed}:{s.bundle_id}:{kind}")
        PLANTERS[kind](s, rng)
    return s


# --------------------------------------------------------------------------- helpers


def _by_id(s: Scenario) -> dict[str, Sample]:
    return {x.sample_id: x for x in s.samples}


def _touched_rows(s: Scenario) -> set[int]:
    return {i for d in s.defects for i in d.detail.get("_rows", [])}


def _iso(d) -> Optional[str]:
    return None if d is None else d.isoformat()


def _rederive(s: Scenario, ids: set[str]) -> None:
    """Re-derive printed concentrations, result rows and texts after a structural change."""
    for smp in s.samples:
        if smp.sample_id in ids and not smp.is_blank:
            recompute_sample(smp, s.factors[smp.factor])
    for row in s.report.results:
        if ids & set(row.sample_ids):
            recompute_row(row, s)
    refresh_report_texts(s)


def _fresh_name(s: Scenario, rng: random.Random) -> str:
    pool = NamePool(rng)
    used = {p.name for p in s.identity.staff} | {s.identity.legal_rep, s.employer.contact, s.employer.escort}
    used |= {x.subject for x in s.samples if x.subject}
    pool.used = set(used)
    return pool.take()


def _first_sampling(s: Scenario) -> dt.date:
    return min(d.date for d in s.sampling_days)


# --------------------------------------------------------------------------- planters


@_register("sample_not_analysed")
def plant_sample_not_analysed(s: Scenario, rng: random.Random) -> Defect:
    """A sample is in the sampling record but never handed over, analysed or reported."""
    touched = _touched_rows(s)
    by_id = _by_id(s)
    cands = []
    for i, row in enumerate(s.report.results):
        if i in touched or len(row.sample_ids) < 2:
            continue
        for sid in row.sample_ids:
            smp = by_id[sid]
            # prefer short (STEL/MAC) samples: C_TWA keeps its full time coverage
            pri = 0 if smp.purpose in ("MAC", "STEL") else 1
            cands.append((pri, i, sid))
    pri = min(c[0] for c in cands)
    _, ri, sid = rng.choice([c for c in cands if c[0] == pri])
    smp = by_id[sid]
    for tr in s.transfers:
        if sid in tr.sample_ids:
            tr.sample_ids.remove(sid)
    for sh in s.lab_sheets:
        sh.rows = [r for r in sh.rows if r.sample_id != sid]
    s.lab_sheets = [sh for sh in s.lab_sheets if sh.rows]
    row = s.report.results[ri]
    row.sample_ids.remove(sid)
    smp.mass_ug = None
    smp.conc = None
    recompute_row(row, s)
    refresh_report_texts(s)
    return _defect(s, "sample_not_analysed",
                   {"sample_id": sid, "factor": smp.factor, "date": _iso(smp.date), "post": smp.post,
                    "in": ["sampling_record"], "missing_from": ["sample_transfer", "lab_analysis", "report"],
                    "_rows": [ri]},
                   sections=["sampling_record"], evidence=[sid])


@_register("survey_single_technician")
def plant_survey_single_technician(s: Scenario, rng: random.Random) -> Defect:
    before = list(s.survey.technicians)
    s.survey.technicians = before[:1]
    return _defect(s, "survey_single_technician", {"record": "field_survey", "signers_before": before,
                                                   "signers": s.survey.technicians},
                   sections=["field_survey"], evidence=s.survey.technicians)


@_register("sampling_single_technician")
def plant_sampling_single_technician(s: Scenario, rng: random.Random) -> Defect:
    day = rng.choice(s.sampling_days)
    before = list(day.samplers)
    day.samplers = before[:1]
    return _defect(s, "sampling_single_technician", {"record": "sampling_record", "date": _iso(day.date),
                                                     "signers_before": before, "signers": day.samplers},
                   sections=["sampling_record"], evidence=day.samplers)


@_register("survey_no_escort")
def plant_survey_no_escort(s: Scenario, rng: random.Random) -> Defect:
    escort, s.survey.escort = s.survey.escort, None
    return _defect(s, "survey_no_escort", {"record": "field_survey", "escort_removed": escort},
                   indicator=30, sections=["field_survey"], evidence=s.survey.technicians)


@_register("sampling_no_escort")
def plant_sampling_no_escort(s: Scenario, rng: random.Random) -> Defect:
    day = rng.choice(s.sampling_days)
    escort, day.escort = day.escort, None
    return _defect(s, "sampling_no_escort", {"record": "sampling_record", "date": _iso(day.date),
                                             "escort_removed": escort},
                   sections=["sampling_record"], evidence=day.samplers)


@_register("plan_approved_after_sampling")
def plant_plan_approved_after_sampling(s: Scenario, rng: random.Random) -> Defect:
    first = _first_sampling(s)
    old = s.plan.approve_date
    s.plan.approve_date = workday_after(first, rng.randrange(1, 4))
    return _defect(s, "plan_approved_after_sampling",
                   {"approve_date": _iso(s.plan.approve_date), "approve_date_before": _iso(old),
                    "first_sampling_date": _iso(first), "approver": s.plan.approver},
                   sections=["detection_plan"], evidence=[s.plan.approver])


@_register("plan_no_director_approval")
def plant_plan_no_director_approval(s: Scenario, rng: random.Random) -> Defect:
    old = s.plan.approver
    if rng.random() < 0.5:
        s.plan.approver, s.plan.approve_date, variant = None, None, "unsigned"
    else:  # approved, but by the quality manager instead of the technical director
        s.plan.approver, s.plan.approver_title, variant = s.identity.quality_manager, "质量负责人", "wrong_person"
    return _defect(s, "plan_no_director_approval",
                   {"variant": variant, "approver": s.plan.approver, "technical_director": old},
                   sections=["detection_plan"], evidence=[s.plan.approver] if s.plan.approver else [s.plan.author])


@_register("lab_receipt_before_sampling")
def plant_lab_receipt_before_sampling(s: Scenario, rng: random.Random) -> Defect:
    by_id = _by_id(s)
    sh = rng.choice(s.lab_sheets)
    dates = sorted({by_id[r.sample_id].date for r in sh.rows})
    old = sh.receipt_date
    sh.receipt_date = dates[-1] - dt.timedelta(days=rng.randrange(1, 4))
    ids = [r.sample_id for r in sh.rows if by_id[r.sample_id].date > sh.receipt_date]
    return _defect(s, "lab_receipt_before_sampling",
                   {"factor": sh.factor, "receipt_date": _iso(sh.receipt_date), "receipt_date_before": _iso(old),
                    "sampling_dates": [_iso(d) for d in dates], "sample_ids": ids},
                   sections=["lab_analysis"], evidence=ids[:3] + [sh.factor])


@_register("outside_validity")
def plant_outside_validity(s: Scenario, rng: random.Random) -> Defect:
    first = _first_sampling(s)
    old = s.identity.valid_to
    vt = first - dt.timedelta(days=rng.randrange(3, 40))
    s.identity.valid_to = vt
    s.identity.valid_from = dt.date(vt.year - 5, vt.month, 1)
    return _defect(s, "outside_validity",
                   {"valid_from": _iso(s.identity.valid_from), "valid_to": _iso(vt), "valid_to_before": _iso(old),
                    "sampling_dates": [_iso(d.date) for d in s.sampling_days]},
                   sections=["other", "report"], evidence=[s.identity.certificate_no])


@_register("factor_out_of_scope")
def plant_factor_out_of_scope(s: Scenario, rng: random.Random) -> Defect:
    scope_names = sorted({f.scope_name for f in s.factors.values()})
    name = rng.choice(scope_names)
    s.identity.scope_factors = [x for x in s.identity.scope_factors if x != name]
    measured = [f for f, spec in s.factors.items() if spec.scope_name == name]
    return _defect(s, "factor_out_of_scope", {"scope_name": name, "factors": measured,
                                              "scope_factors": list(s.identity.scope_factors)},
                   also=["qualification.out_of_scope"], sections=["report"], evidence=measured)


@_register("disclosure_late")
def plant_disclosure_late(s: Scenario, rng: random.Random) -> Defect:
    issue = s.report.issue_date
    wd = workdays(issue + dt.timedelta(days=1), issue + dt.timedelta(days=80))
    old = s.disclosure.submitted_date
    s.disclosure.submitted_date = wd[15 + rng.randrange(0, 10)]
    s.disclosure.public_date = max(s.disclosure.public_date, s.disclosure.submitted_date)
    if rng.random() < 0.5:
        s.disclosure.public_date = workday_after(s.disclosure.submitted_date, 1)
    return _defect(s, "disclosure_late",
                   {"issue_date": _iso(issue), "submitted_date": _iso(s.disclosure.submitted_date),
                    "submitted_date_before": _iso(old), "deadline": _iso(disclosure_deadline(issue)),
                    "working_days": workdays(issue + dt.timedelta(days=1), s.disclosure.submitted_date).__len__()},
                   sections=["disclosure"], evidence=[s.report.report_no])


@_register("contract_incomplete")
def plant_contract_incomplete(s: Scenario, rng: random.Random) -> Defect:
    field = rng.choice(["completion_time", "scope"])
    old = getattr(s.contract, field)
    setattr(s.contract, field, None)
    return _defect(s, "contract_incomplete", {"missing": field, "value_before": old},
                   sections=["contract"], evidence=[s.contract.contract_no])


@_register("no_contract_review")
def plant_no_contract_review(s: Scenario, rng: random.Random) -> Defect:
    s.contract_review = None
    return _defect(s, "no_contract_review", {"missing_section": "contract_review"},
                   also=["bundle.missing_section"])


@_register("plan_incomplete")
def plant_plan_incomplete(s: Scenario, rng: random.Random) -> Defect:
    variant = rng.choice(["flow", "flow", "storage_conditions", "storage_days"])
    detail: dict = {"missing": variant}
    if variant == "flow":
        factor = rng.choice(sorted({r.factor for r in s.plan.rows if r.factor != "噪声"}))
        for r in s.plan.rows:
            if r.factor == factor:
                r.flow_lpm = None
        detail["factor"] = factor
        ev = [factor]
    elif variant == "storage_conditions":
        detail["value_before"], s.plan.storage_conditions = s.plan.storage_conditions, None
        ev = [s.plan.plan_no]
    else:
        detail["value_before"], s.plan.storage_days = s.plan.storage_days, None
        ev = [s.plan.plan_no]
    return _defect(s, "plan_incomplete", detail, sections=["detection_plan"], evidence=ev)


@_register("no_flow_calibration")
def plant_no_flow_calibration(s: Scenario, rng: random.Random) -> Defect:
    day = rng.choice(s.sampling_days)
    # Item 50 asks for a calibration after LONG-time sampling only (> 15 min, GBZ 159): a
    # day of 15-min samples without one is no defect, so "after" needs a long sample.
    long_day = any(not x.is_blank and x.minutes > 15 for x in day.samples)
    which = rng.choice(["before", "after"]) if long_day else "before"
    ids = set()
    for smp in day.samples:
        if smp.is_blank:
            continue
        ids.add(smp.sample_id)
        if which == "before":
            smp.flow_before = None
        else:
            smp.flow_after = None
    if which == "before":
        day.calibration_before = False
    else:
        day.calibration_after = False
    _rederive(s, ids)  # volumes now use the one recorded flow
    return _defect(s, "no_flow_calibration", {"date": _iso(day.date), "missing": which},
                   sections=["sampling_record"], evidence=sorted(ids)[:3])


@_register("no_field_blank")
def plant_no_field_blank(s: Scenario, rng: random.Random) -> Defect:
    day = rng.choice(s.sampling_days)
    blank = rng.choice([x for x in day.samples if x.is_blank])
    day.samples.remove(blank)
    for tr in s.transfers:
        if blank.sample_id in tr.sample_ids:
            tr.sample_ids.remove(blank.sample_id)
    for sh in s.lab_sheets:
        sh.rows = [r for r in sh.rows if r.sample_id != blank.sample_id]
    return _defect(s, "no_field_blank", {"date": _iso(day.date), "factor": blank.factor,
                                         "removed_blank": blank.sample_id},
                   sections=["sampling_record"], evidence=[blank.factor])


@_register("report_unsigned")
def plant_report_unsigned(s: Scenario, rng: random.Random) -> Defect:
    field = rng.choice(["reviewer", "issuer"])
    old = getattr(s.report, field)
    setattr(s.report, field, None)
    return _defect(s, "report_unsigned", {"missing": field, "signer_before": old},
                   sections=["report"], evidence=[s.report.report_no])


@_register("judgement_wrong")
def plant_judgement_wrong(s: Scenario, rng: random.Random) -> Defect:
    touched = _touched_rows(s)
    rows = [(i, r) for i, r in enumerate(s.report.results)
            if i not in touched and r.judgement == "合格" and all(x in _by_id(s) for x in r.sample_ids)]
    if not rows:  # noise variant: a level over 85 dB(A) judged 合格
        m = rng.choice([m for m in s.report.noise if m.judgement == "合格"])
        old = m.laeq
        m.laeq = round(rng.uniform(86.5, 92.0), 1)
        while lex_8h(m.laeq, m.exposure_hours) <= V.NOISE_LIMIT_DBA:  # short exposure lowers L_EX,8h
            m.laeq = round(m.laeq + 1.0, 1)
        m.lex8h = lex_8h(m.laeq, m.exposure_hours)
        return _defect(s, "judgement_wrong", {"variant": "noise", "post": m.post, "lex8h": m.lex8h,
                                              "limit": m.limit, "judgement": m.judgement, "laeq_before": old},
                       sections=["report"], evidence=[m.post])
    ri, row = rng.choice(rows)
    spec = s.factors[row.factor]
    by_id = _by_id(s)
    # scale the lab masses so the decisive value is genuinely over the limit, recompute
    # everything consistently, but keep the printed judgement "合格"
    if row.c_twa is not None and spec.pc_twa:
        target, cur = spec.pc_twa * rng.uniform(1.25, 1.8), row.c_twa
    elif row.c_mac is not None and spec.mac:
        target, cur = spec.mac * rng.uniform(1.25, 1.8), row.c_mac
    else:
        target, cur = spec.pc_stel * rng.uniform(1.25, 1.8), row.c_stel
    k = target / max(cur, 10 ** -spec.decimals)
    base = {sid: by_id[sid].mass_ug for sid in row.sample_ids}
    for _ in range(20):  # mass rounding (10 µg on a balance) can keep a small value under: push on
        masses = {}
        for sid, m0 in base.items():
            smp = by_id[sid]
            m = m0 * k
            smp.mass_ug = float(max(10, round(m / 10) * 10)) if spec.kind == "dust" else round(m, 2)
            recompute_sample(smp, spec)
            masses[sid] = smp.mass_ug
        vals = row_values(row, by_id, spec)
        if judge(spec, vals["c_twa"], vals["c_stel"], vals["c_mac"]) == "不合格":
            break
        k *= 1.3
    for sh in s.lab_sheets:
        for lr in sh.rows:
            if lr.sample_id in masses:
                lr.mass_ug = masses[lr.sample_id]
    row.c_twa, row.c_stel, row.c_mac = vals["c_twa"], vals["c_stel"], vals["c_mac"]
    assert judge(spec, row.c_twa, row.c_stel, row.c_mac) == "不合格"
    row.judgement = "合格"
    return _defect(s, "judgement_wrong",
                   {"variant": "chemical", "factor": row.factor, "post": row.post, "date": _iso(row.date),
                    "c_twa": row.c_twa, "c_stel": row.c_stel, "c_mac": row.c_mac, "limit_twa": spec.pc_twa,
                    "limit_stel": spec.pc_stel, "limit_mac": spec.mac, "judgement": "合格",
                    "sample_ids": list(row.sample_ids), "_rows": [ri]},
                   sections=["report"], evidence=row.sample_ids[:2] + [row.post])


_WEAK_LIMITS = {"甲醛"}


@_register("wrong_limit")
def plant_wrong_limit(s: Scenario, rng: random.Random) -> Defect:
    touched = _touched_rows(s)
    # not on a limit the domain file calls provisional (甲醛 MAC, one weak source): the
    # checker rightly says "cannot decide" there, so "wrong" would be no ground truth
    rows = [(i, r) for i, r in enumerate(s.report.results) if i not in touched]
    firm = [(i, r) for i, r in rows if s.factors[r.factor].name not in _WEAK_LIMITS]
    ri, row = rng.choice(firm or rows)
    spec = s.factors[row.factor]
    field, true = ("limit_twa", spec.pc_twa) if spec.pc_twa is not None else ("limit_mac", spec.mac)
    value = row.c_twa if field == "limit_twa" else row.c_mac
    cands = []
    if spec.scope_name == "矽尘":  # another SiO2 band's value (a classic slip)
        col = 2 if "总尘" in spec.name else 3
        cands = [b[col] for b in V.SILICA_BANDS if b[col] != true]
    cands += [true * 2, true * 5, true / 2]
    # keep the printed judgement correct against both limits: only the limit is wrong
    ok = [c for c in cands if (value is None or (value > c) == (value > true)) and c != true]
    wrong = rng.choice(ok or [true * 2 if value is None or value <= true else true / 2])
    wrong = float(q(wrong, 3).normalize()) if wrong < 1 else float(q(wrong, 1))
    setattr(row, field, wrong)
    return _defect(s, "wrong_limit", {"factor": row.factor, "post": row.post, "date": _iso(row.date),
                                      "field": field, "printed": wrong, "correct": true,
                                      "band": spec.limit_band, "_rows": [ri]},
                   sections=["report"], evidence=[row.post, row.factor])


@_register("calc_not_reproducible")
def plant_calc_not_reproducible(s: Scenario, rng: random.Random) -> Defect:
    touched = _touched_rows(s)
    by_id = _by_id(s)
    rows = [(i, r) for i, r in enumerate(s.report.results)
            if i not in touched and all(x in by_id and by_id[x].conc is not None for x in r.sample_ids)]
    rng.shuffle(rows)
    first = rng.random() < 0.5
    # try both variants over the rows; keep the first change that is visible after rounding
    # and leaves the judgement as it was (so no judgement finding rides along)
    for variant in (["sample_conc", "row"] if first else ["row", "sample_conc"]):
        for ri, row in rows:
            spec = s.factors[row.factor]
            if variant == "sample_conc":
                for sid in rng.sample(row.sample_ids, len(row.sample_ids)):
                    smp = by_id[sid]
                    before, judgement = smp.conc, row.judgement
                    for mult in (1.35, 1.2, 0.8, 0.7):
                        smp.conc = float(q(dec(before) * dec(mult), spec.decimals))
                        recompute_row(row, s)
                        if smp.conc != before and row.judgement == judgement:
                            refresh_report_texts(s)
                            return _defect(s, "calc_not_reproducible",
                                           {"variant": "sample_conc", "sample_id": sid, "printed": smp.conc,
                                            "recomputed": float(conc_from_mass(smp, spec.decimals)),
                                            "mass_ug": smp.mass_ug, "volume_l": smp.volume_l, "_rows": [ri]},
                                           sections=["data_calculation"], evidence=[sid])
                    smp.conc = before
                    recompute_row(row, s)
                continue
            field = "c_twa" if row.c_twa is not None else "c_mac" if row.c_mac is not None else "c_stel"
            true = getattr(row, field)
            limit = {"c_twa": spec.pc_twa, "c_mac": spec.mac, "c_stel": spec.pc_stel}[field]
            for mult in (1.3, 1.15, 0.75, 0.85):
                wrong = float(q(dec(true) * dec(mult), spec.decimals))
                if wrong != true and (wrong > limit) == (true > limit):
                    setattr(row, field, wrong)
                    return _defect(s, "calc_not_reproducible",
                                   {"variant": "row_" + field, "factor": row.factor, "post": row.post,
                                    "date": _iso(row.date), "printed": wrong, "recomputed": true,
                                    "sample_ids": list(row.sample_ids), "_rows": [ri]},
                                   sections=["report", "data_calculation"], evidence=row.sample_ids[:2])
    raise RuntimeError(f"{s.bundle_id}: no result row can carry a visible calculation error")


@_register("unregistered_signer")
def plant_unregistered_signer(s: Scenario, rng: random.Random) -> Defect:
    name = _fresh_name(s, rng)
    lab_ok = "lab_analysis" not in s.missing_sections and s.lab_sheets
    if lab_ok and rng.random() < 0.5:
        sh = rng.choice(s.lab_sheets)
        old, sh.analyst = sh.analyst, name
        return _defect(s, "unregistered_signer", {"record": "lab_analysis", "role": "分析人", "name": name,
                                                  "replaced": old, "factor": sh.factor},
                       indicator=89, sections=["lab_analysis"], evidence=[name])
    day = rng.choice(s.sampling_days)
    i = len(day.samplers) - 1
    old = day.samplers[i]
    day.samplers[i] = name
    return _defect(s, "unregistered_signer", {"record": "sampling_record", "role": "采样人", "name": name,
                                              "replaced": old, "date": _iso(day.date)},
                   indicator=78, sections=["sampling_record"], evidence=[name])


@_register("pump_overlap")
def plant_pump_overlap(s: Scenario, rng: random.Random) -> Defect:
    pairs = []
    for day in s.sampling_days:
        smp = [x for x in day.samples if not x.is_blank and x.pump_id]
        for a in smp:
            for b in smp:
                if a.site != b.site and a.pump_id != b.pump_id and hm(a.start) < hm(b.end) and hm(b.start) < hm(a.end):
                    pairs.append((a, b))
    a, b = rng.choice(pairs)
    old = b.pump_id
    b.pump_id = a.pump_id
    return _defect(s, "pump_overlap", {"pump_id": a.pump_id, "date": _iso(a.date),
                                       "samples": [{"sample_id": x.sample_id, "site": x.site, "start": x.start,
                                                    "end": x.end} for x in (a, b)],
                                       "pump_before": old},
                   sections=["sampling_record"], evidence=[a.sample_id, b.sample_id, a.pump_id])


@_register("photo_timestamp_mismatch")
def plant_photo_timestamp_mismatch(s: Scenario, rng: random.Random) -> Defect:
    ok_dates = {d.date for d in s.sampling_days} | set(s.survey.dates)
    ph = rng.choice([p for p in s.photos if p.kind in ("sampling", "noise")] or s.photos)
    old = ph.timestamp
    for _ in range(50):
        delta = rng.choice([-1, 1]) * rng.randrange(2, 12)
        new = old + dt.timedelta(days=delta)
        if new.date() not in ok_dates:
            break
    ph.timestamp = new
    s.photos.sort(key=lambda p: p.timestamp)
    return _defect(s, "photo_timestamp_mismatch",
                   {"caption": ph.caption, "timestamp": ph.timestamp.isoformat(), "timestamp_before": old.isoformat(),
                    "sampling_dates": sorted(_iso(d) for d in ok_dates)},
                   sections=["photos"], evidence=[ph.caption])


@_register("late_submission")
def plant_late_submission(s: Scenario, rng: random.Random) -> Defect:
    old = s.received_at
    s.received_at = s.notified_at + dt.timedelta(hours=rng.randrange(49, 150), minutes=rng.randrange(0, 60))
    return _defect(s, "late_submission", {"notified_at": s.notified_at.isoformat(),
                                          "received_at": s.received_at.isoformat(),
                                          "received_at_before": old.isoformat(),
                                          "hours": round((s.received_at - s.notified_at).total_seconds() / 3600, 1)})


@_register("missing_lab_section")
def plant_missing_lab_section(s: Scenario, rng: random.Random) -> Defect:
    s.missing_sections = sorted(set(s.missing_sections) | {"lab_analysis"})
    return _defect(s, "missing_lab_section", {"missing_section": "lab_analysis"},
                   also=["samples.count_mismatch"])


@_register("anonymized_leak")
def plant_anonymized_leak(s: Scenario, rng: random.Random) -> Defect:
    k = rng.choice([1, 1, 2])
    s.anonymized.present = True
    s.anonymized.leaks = sorted(rng.sample(ANON_CHANNELS, k))
    return _defect(s, "anonymized_leak", {"channels": list(s.anonymized.leaks)})


@_register("anonymized_missing")
def plant_anonymized_missing(s: Scenario, rng: random.Random) -> Defect:
    s.anonymized.present = False
    s.anonymized.leaks = []
    return _defect(s, "anonymized_missing", {"file": "anonymized.pdf"})


# --------------------------------------------------------------------------- issue 14 planters
_BASICS_HEADS = ("基本情况", "概况", "基本信息")  # one of them heads 企业基本情况 in every variant
_SURVEY_PARTS = {  # part -> words its heading prints (one of them, whatever the family's wording)
    "basics.address": _BASICS_HEADS, "basics.scale": _BASICS_HEADS, "basics.workers": _BASICS_HEADS,
    "processes": ("工艺",), "equipment": ("设备",), "facilities": ("防护设施",), "ppe": ("防护用品",),
}
BLANKS = ("", "/", "—", "-")


def _is_blank(v) -> bool:
    return v is None or str(v).strip() in BLANKS


@_register("survey_incomplete")
def plant_survey_incomplete(s: Scenario, rng: random.Random) -> Defect:
    """One part of the survey record printed with its heading/label but no content."""
    part = rng.choice(sorted(_SURVEY_PARTS))
    blank = rng.choice(["", "/", "—"])
    sv = s.survey
    if part.startswith("basics."):
        key = part.split(".", 1)[1]
        before, sv.basics[key] = sv.basics.get(key, ""), blank
    else:
        before = getattr(sv, part)
        setattr(sv, part, blank)
    return _defect(s, "survey_incomplete", {"part": part, "value_before": before, "printed": blank},
                   sections=["field_survey"], evidence=list(_SURVEY_PARTS[part]))


@_register("workday_incomplete")
def plant_workday_incomplete(s: Scenario, rng: random.Random) -> Defect:
    """One post's row of the 工作日写实 without its exposed headcount or exposure time."""
    row = rng.choice(s.survey.workday)
    field_ = rng.choice(["workers", "exposure_hours"])
    before = getattr(row, field_)
    setattr(row, field_, None)
    row.blank_text = rng.choice(["", "", "/"])
    return _defect(s, "workday_incomplete", {"post": row.post, "missing": field_, "value_before": before,
                                             "printed": row.blank_text},
                   sections=["field_survey"], evidence=[row.post])


def _named_samples(s: Scenario) -> set[str]:
    """Sample ids other planted defects rest on (a pump overlap needs both sites printed)."""
    out: set[str] = set()
    for d in s.defects:
        det = d.detail
        out |= {det[k] for k in ("sample_id", "removed_blank") if isinstance(det.get(k), str)}
        out |= set(det.get("sample_ids") or [])
        out |= {x["sample_id"] for x in det.get("samples") or [] if isinstance(x, dict)}
    return out


@_register("dust_without_sio2")
def plant_dust_without_sio2(s: Scenario, rng: random.Random) -> Defect:
    """矽尘 is tested (its limit band depends on the free-SiO2 content) but the content was
    never measured: the survey's statement goes (nothing, a blank result, or "未测定"),
    and so does the report's citation of the method standard GBZ/T 192.4. The limits the
    report prints stay those of a band (the institution picked one without measuring)."""
    dusts = [f for f, x in s.factors.items() if x.scope_name == "矽尘"]
    before = s.survey.sio2_percent
    s.survey.sio2_percent = None
    s.survey.sio2_blank = rng.choice(["", "", "/", "未测定"])
    s.report.basis = [b for b in s.report.basis if "192.4" not in b]
    return _defect(s, "dust_without_sio2", {"factors": dusts, "sio2_percent_before": before,
                                            "printed": s.survey.sio2_blank or "(nothing)"},
                   sections=["field_survey", "report"], evidence=dusts)


@_register("sampling_site_blank")
def plant_sampling_site_blank(s: Scenario, rng: random.Random) -> Defect:
    """A sample row of the sampling record with its 采样地点 cell left empty."""
    taken = _named_samples(s)
    smp = rng.choice([x for x in s.samples if not x.is_blank and x.sample_id not in taken])
    smp.site_blank = True
    return _defect(s, "sampling_site_blank", {"sample_id": smp.sample_id, "date": _iso(smp.date), "post": smp.post,
                                              "site_before": smp.site, "factor": smp.factor},
                   sections=["sampling_record"], evidence=[smp.sample_id])


def _scope_unique(s: Scenario, f: str) -> bool:
    return sum(1 for x in s.factors.values() if x.scope_name == s.factors[f].scope_name) == 1


def hazard_candidates(s: Scenario) -> list[tuple[str, str]]:
    """(factor, variant) pairs hazard_not_tested can take out of the plan and the results.

    "post": the survey still names the factor for its posts; "raw": the survey names it
    only as a raw material's component (the posts' identification leaves it out). Never
    noise, never a factor sharing its scope with another (矽尘 total/respirable, 铅烟/铅尘:
    the other would still stand for it), never the last sampled factor."""
    sampled = [f for f in s.factors if f != "噪声"]
    out = []
    for f in sampled:
        if len(sampled) < 2 or not _scope_unique(s, f):
            continue
        out.append((f, "post"))
        named_raw = any(s.factors[f].scope_name in m.hazards and f in (m.name + m.components)
                        for m in s.survey.raw_materials)
        if named_raw and all([x for x in p.factors if x != f] for p in s.posts):
            out.append((f, "raw"))
    return out


@_register("hazard_not_tested")
def plant_hazard_not_tested(s: Scenario, rng: random.Random) -> Defect:
    """A factor the survey names is in neither the plan nor the results: never sampled."""
    f, variant = rng.choice(hazard_candidates(s))
    spec = s.factors[f]
    posts = [p.name for p in s.posts if f in p.factors]
    ids = {x.sample_id for x in s.samples if x.factor == f}
    for d in s.sampling_days:
        d.samples = [x for x in d.samples if x.factor != f]
    for tr in s.transfers:
        tr.sample_ids = [i for i in tr.sample_ids if i not in ids]
    s.transfers = [tr for tr in s.transfers if tr.sample_ids]
    s.lab_sheets = [sh for sh in s.lab_sheets if sh.factor != f]
    s.report.results = [r for r in s.report.results if r.factor != f]
    s.plan.rows = [r for r in s.plan.rows if r.factor != f]
    s.photos = [ph for ph in s.photos if not (ph.kind == "sampling" and ph.caption.endswith(f"（{f}）"))]
    del s.factors[f]
    if spec.lab_method and not any(x.lab_method == spec.lab_method for x in s.factors.values()):
        s.report.basis = [b for b in s.report.basis if spec.lab_method not in b.replace("—", "-")]
    for pa in s.report.post_analysis:  # the report's post analysis names only what it tested
        pa.factors = [x for x in pa.factors if x != f]
    raw = [m.name for m in s.survey.raw_materials if spec.scope_name in m.hazards]
    if variant == "raw":
        for p in s.posts:
            p.factors = [x for x in p.factors if x != f]
    refresh_report_texts(s)
    return _defect(s, "hazard_not_tested",
                   {"factor": f, "variant": variant, "posts": posts if variant == "post" else [],
                    "raw_materials": raw, "removed_samples": sorted(ids)},
                   sections=["field_survey"], evidence=[f] + raw[:1])


def _audit_codes_now(s: Scenario) -> set[str]:
    return {f["code"] for f in audit(s)}


@_register("stel_duration_wrong")
def plant_stel_duration_wrong(s: Scenario, rng: random.Random) -> Defect:
    """A short-time (C_STE) sample taken over 5, 10, 20 or 30 min instead of 15; its
    mass, volume and concentration stay consistent with the new time."""
    touched = _touched_rows(s)
    by_id = _by_id(s)
    row_of = {sid: i for i, r in enumerate(s.report.results) for sid in r.sample_ids}
    taken = _named_samples(s)
    cands = [x for x in s.samples if not x.is_blank and "STEL" in x.purpose and x.conc is not None
             and x.sample_id in row_of and row_of[x.sample_id] not in touched and x.sample_id not in taken]
    rng.shuffle(cands)
    before_codes = _audit_codes_now(s)
    for smp in cands:
        ri = row_of[smp.sample_id]
        row = s.report.results[ri]
        spec = s.factors[smp.factor]
        saved = (smp.minutes, smp.end, smp.mass_ug, smp.conc, row.c_twa, row.c_stel, row.c_mac, row.judgement)
        for minutes in rng.sample([5, 10, 20, 30], 4):
            smp.minutes = minutes
            smp.end = fmt_hm(hm(smp.start) + minutes)
            smp.mass_ug = round(saved[2] * minutes / 15, 2)
            recompute_sample(smp, spec)
            recompute_row(row, s)
            for sh in s.lab_sheets:
                for lr in sh.rows:
                    if lr.sample_id == smp.sample_id:
                        lr.mass_ug = smp.mass_ug
            after = _audit_codes_now(s)
            if row.judgement == saved[7] and after - before_codes == {"sampling.period_nonstandard"} \
                    and before_codes <= after:
                refresh_report_texts(s)
                return _defect(s, "stel_duration_wrong",
                               {"sample_id": smp.sample_id, "factor": smp.factor, "post": smp.post,
                                "date": _iso(smp.date), "purpose": smp.purpose, "minutes": minutes,
                                "minutes_required": 15, "start": smp.start, "end": smp.end, "_rows": [ri]},
                               sections=["sampling_record"], evidence=[smp.sample_id])
        smp.minutes, smp.end, smp.mass_ug, smp.conc = saved[:4]
        row.c_twa, row.c_stel, row.c_mac, row.judgement = saved[4:]
        for sh in s.lab_sheets:
            for lr in sh.rows:
                if lr.sample_id == smp.sample_id:
                    lr.mass_ug = smp.mass_ug
    raise RuntimeError(f"{s.bundle_id}: no short-time sample can take another sampling time")


def stel_feasible(s: Scenario) -> bool:
    return any(not x.is_blank and "STEL" in x.purpose for x in s.samples)


def _scale_row_over(s: Scenario, ri: int, rng: random.Random) -> None:
    """Scale a result row's lab masses until its decisive value is over the limit, and
    re-derive every printed value (a genuine, correctly judged exceedance)."""
    row = s.report.results[ri]
    spec = s.factors[row.factor]
    by_id = _by_id(s)
    if row.c_twa is not None and spec.pc_twa:
        target, cur = spec.pc_twa * rng.uniform(1.25, 1.8), row.c_twa
    elif row.c_mac is not None and spec.mac:
        target, cur = spec.mac * rng.uniform(1.25, 1.8), row.c_mac
    else:
        target, cur = spec.pc_stel * rng.uniform(1.25, 1.8), row.c_stel
    k = target / max(cur, 10 ** -spec.decimals)
    base = {sid: by_id[sid].mass_ug for sid in row.sample_ids}
    masses: dict[str, float] = {}
    for _ in range(20):
        for sid, m0 in base.items():
            smp = by_id[sid]
            m = m0 * k
            smp.mass_ug = float(max(10, round(m / 10) * 10)) if spec.kind == "dust" else round(m, 2)
            recompute_sample(smp, spec)
            masses[sid] = smp.mass_ug
        recompute_row(row, s)
        if row.judgement == "不合格":
            break
        k *= 1.3
    for sh in s.lab_sheets:
        for lr in sh.rows:
            if lr.sample_id in masses:
                lr.mass_ug = masses[lr.sample_id]


def _ensure_exceedance(s: Scenario, rng: random.Random) -> tuple[wording.Exceedance, list[int]]:
    """An exceeding result the report's prose must address: the first printed one, or a
    row (else a noise point) made to exceed, with the prose re-derived for it."""
    exc = wording.exceedances(s)
    if exc:
        return exc[0], []
    touched = _touched_rows(s)
    by_id = _by_id(s)
    rows = [i for i, r in enumerate(s.report.results)
            if i not in touched and r.sample_ids and all(x in by_id and by_id[x].conc is not None for x in r.sample_ids)]
    made: list[int] = []
    if rows:
        ri = rng.choice(rows)
        _scale_row_over(s, ri, rng)
        made = [ri]
    else:
        m = rng.choice(s.report.noise)
        while lex_8h(m.laeq, m.exposure_hours) <= V.NOISE_LIMIT_DBA:
            m.laeq = round(m.laeq + 2.0, 1)
        m.lex8h = lex_8h(m.laeq, m.exposure_hours)
        m.judgement = "不合格"
    refresh_report_texts(s)
    return wording.exceedances(s)[0], made


def _exc_detail(e: wording.Exceedance) -> dict:
    return {"post": e.post, "factor": e.factor, "metric": e.metric, "value": e.value, "limit_name": e.limit_name,
            "limit": e.limit}


@_register("conclusion_contradicts")
def plant_conclusion_contradicts(s: Scenario, rng: random.Random) -> Defect:
    """The conclusions say every result complies while a row is judged 不合格."""
    e, made = _ensure_exceedance(s, rng)
    before = list(s.report.conclusions)
    s.report.conclusions = wording.all_ok_conclusions(s)
    if s.report.cause_place == "in_conclusion":
        # the cause analyses stay (i066 holds), but under their own heading: a 结论 that
        # says "all compliant" and then analyses an exceedance would be two defects in one
        s.report.cause_place = "section_after"
    return _defect(s, "conclusion_contradicts",
                   {**_exc_detail(e), "conclusions": list(s.report.conclusions), "conclusions_before": before,
                    "_rows": made},
                   sections=["report"], evidence=[s.report.conclusions[-1][:12]])


@_register("no_targeted_recommendation")
def plant_no_targeted_recommendation(s: Scenario, rng: random.Random) -> Defect:
    """Results exceed, but the recommendations are generic: no exceeding post or factor named."""
    e, made = _ensure_exceedance(s, rng)
    exc = wording.exceedances(s)
    names = {x.post for x in exc} | {x.factor for x in exc}
    before = list(s.report.recommendations)
    s.report.recommendations = [t for t in before if not any(n in t for n in names)]
    return _defect(s, "no_targeted_recommendation",
                   {**_exc_detail(e), "recommendations": list(s.report.recommendations),
                    "removed": [t for t in before if t not in s.report.recommendations], "_rows": made},
                   sections=["report"], evidence=[t[:12] for t in s.report.recommendations[:1]])


@_register("no_cause_analysis")
def plant_no_cause_analysis(s: Scenario, rng: random.Random) -> Defect:
    """A result exceeds, and nowhere in the report is its cause analysed for that post."""
    e, made = _ensure_exceedance(s, rng)
    before = list(s.report.cause_analyses)
    s.report.cause_analyses = [t for t in before if e.post not in t]
    concluded = [t for t in s.report.conclusions if e.post in t]
    return _defect(s, "no_cause_analysis",
                   {**_exc_detail(e), "removed": [t for t in before if e.post in t], "_rows": made},
                   sections=["report"], evidence=[t[:12] for t in concluded[:1]] or [e.post])


# The second slice's planters register themselves from their own modules (planters,
# PLANT_ORDER, FEASIBLE, AUDIT_RULES); the registry's completeness is checked when
# defects are planted (``_registry_complete``), once every module has finished loading,
# whichever was imported first.
from samples import defects_report  # noqa: E402
from samples import defects_admin  # noqa: E402,F401


# --------------------------------------------------------------------------- self-check


def audit(s: Scenario) -> list[dict]:
    """Every rule violation found in the scenario: [{code, indicator, detail}].

    A clean scenario returns []. Independent of the planters: it reads records only.
    """
    out: list[dict] = []

    def flag(code: str, indicator: Optional[int], **detail) -> None:
        out.append({"code": code, "indicator": indicator, "detail": detail})

    ident = s.identity
    staff = {p.name: p for p in ident.staff}
    by_id = _by_id(s)
    lab_present = "lab_analysis" not in s.missing_sections
    sampling_dates = sorted(d.date for d in s.sampling_days)
    first = sampling_dates[0]

    # ---- intake and anonymized copy
    if s.received_at - s.notified_at > dt.timedelta(hours=48):
        flag("submission.late", None)
    if s.received_at < s.notified_at:
        flag("submission.order", None)
    if not s.anonymized.present:
        flag("anonymized.missing", None)
    elif s.anonymized.leaks:
        flag("anonymized.leak", None, channels=list(s.anonymized.leaks))
    missing = list(s.missing_sections) + (["contract_review"] if s.contract_review is None else [])
    if missing:
        flag("bundle.missing_section", None, sections=missing)

    # ---- qualification (17–19)
    service = [*s.survey.dates, *sampling_dates, s.report.issue_date]
    out_dates = [d for d in service if not (ident.valid_from <= d <= ident.valid_to)]
    if out_dates:
        flag("qualification.expired", 19, dates=[_iso(d) for d in out_dates])
    for f, spec in s.factors.items():
        if spec.scope_name not in ident.scope_factors:
            flag("qualification.factor_out_of_scope", 18, factor=f)
    if s.employer.industry_code[:3] not in ident.scope_industries:
        flag("qualification.out_of_scope", 17, industry=s.employer.industry_code)

    # ---- disclosure (25)
    if s.disclosure.submitted_date > disclosure_deadline(s.report.issue_date):
        flag("disclosure.late", 25)
    if s.disclosure.public_date < s.disclosure.submitted_date or s.disclosure.submitted_date < s.report.issue_date:
        flag("disclosure.order", 26)

    # ---- contract and review (27, 28)
    c = s.contract
    if not c.service_content or not c.scope or not c.completion_time or not c.party_a_duties or not c.party_b_duties:
        flag("contract.incomplete", 27)
    if c.sign_date > s.survey.dates[0]:
        flag("contract.after_survey", 27)
    if s.contract_review is None:
        flag("contract_review.missing", 28)
    else:
        cr = s.contract_review
        if not all(cr.points.get(k) for k in ("法律法规标准", "检测能力", "人员", "设备")):
            flag("contract_review.incomplete", 28)
        if cr.date > c.sign_date:
            flag("contract_review.after_contract", 28)

    # ---- survey (29–34)
    if len(s.survey.technicians) < 2:
        flag("signatures.too_few_technicians", 29, record="field_survey")
    if not s.survey.escort:
        flag("signatures.no_escort", 30, record="field_survey")
    if any("矽尘" in f for f in s.factors) and s.survey.sio2_percent is None:
        flag("survey.no_sio2_analysis", 33)

    # ---- plan (36, 40, 42, 45)
    p = s.plan
    if any(r.flow_lpm is None for r in p.rows if r.factor != "噪声") or not p.storage_conditions or p.storage_days is None:
        flag("plan.incomplete", 36)
    if p.approver is None or p.approver != ident.technical_director or p.approve_date is None:
        flag("plan.no_technical_director_approval", 40, approver=p.approver)
    if (p.approve_date and p.approve_date > first) or (p.review_date and p.review_date > first):
        flag("plan.approved_after_sampling", 40, approve_date=_iso(p.approve_date), first=_iso(first))
    if p.author_date < s.survey.dates[-1] or (p.review_date and p.review_date < p.author_date):
        flag("plan.date_order", 40)
    if p.reviewer is None:
        flag("plan.no_reviewer", 40)
    for r in p.rows:
        if r.factor == "噪声":
            continue
        for d in s.sampling_days:
            got = [x for x in d.samples if not x.is_blank and x.post == r.post and x.factor == r.factor and x.mode == r.mode]
            if len(got) != r.points * r.samples_per_day:
                flag("plan.sampling_mismatch", 42, post=r.post, factor=r.factor, date=_iso(d.date), n=len(got))
            for x in got:
                if r.flow_lpm is not None and x.flow_before is not None and x.flow_after is not None and x.flow != r.flow_lpm:
                    flag("plan.flow_mismatch", 42, sample_id=x.sample_id)

    # ---- sampling days (41, 43, 45, 50, 51, 80)
    ids_seen: list[str] = []
    for d in s.sampling_days:
        if len(d.samplers) < 2:
            flag("signatures.too_few_technicians", 41, record="sampling_record", date=_iso(d.date))
        if not d.escort:
            flag("signatures.no_escort", 41, record="sampling_record", date=_iso(d.date))
        if d.escort and d.escort in staff:
            flag("signatures.escort_is_staff", 41)
        eq_ids = [e.equipment_id for e in d.equipment]
        if len(set(eq_ids)) != len(eq_ids):
            flag("sampling.equipment_duplicate_id", 43)
        calib_missing = not d.calibration_before or not d.calibration_after
        for x in d.samples:
            ids_seen.append(x.sample_id)
            if x.is_blank:
                continue
            if x.pump_id not in eq_ids:
                flag("sampling.equipment_unlisted", 43, sample_id=x.sample_id)
            if x.flow_before is None or x.flow_after is None:
                calib_missing = True
            spec = s.factors[x.factor]
            if spec.separator and x.flow is not None and x.flow_before is not None and x.flow_after is not None \
                    and x.flow != V.SEPARATORS[spec.separator]:
                flag("sampling.separator_flow", 45, sample_id=x.sample_id)
            if x.date != d.date:
                flag("sampling.date_mismatch", 43, sample_id=x.sample_id)
        if calib_missing:
            flag("sampling.no_flow_calibration", 50, date=_iso(d.date))
        measured = {x.factor for x in d.samples if not x.is_blank}
        blanks = {x.factor for x in d.samples if x.is_blank}
        for f in sorted(measured - blanks):
            flag("sampling.no_field_blank", 51, date=_iso(d.date), factor=f)
        by_pump: dict[str, list[Sample]] = {}
        for x in d.samples:
            if x.pump_id and not x.is_blank:
                by_pump.setdefault(x.pump_id, []).append(x)
        for pump, xs in by_pump.items():
            xs.sort(key=lambda x: hm(x.start))
            for a, b in zip(xs, xs[1:]):
                gap = 0 if a.site == b.site else 10
                if hm(b.start) < hm(a.end) + gap:
                    flag("equipment.overlapping_use", 80, pump=pump, samples=[a.sample_id, b.sample_id])
    if len(set(ids_seen)) != len(ids_seen):
        flag("samples.duplicate_id", 49)

    # ---- noise (47, 50, 62)
    for m in s.noise:
        if abs(m.calibrator_after - m.calibrator_before) > 0.5:
            flag("noise.calibration_drift", 50, post=m.post)
        if lex_8h(m.laeq, m.exposure_hours) != m.lex8h:
            flag("calc.not_reproducible", 47, post=m.post)
        if ("不合格" if m.lex8h > V.NOISE_LIMIT_DBA else "合格") != m.judgement:
            flag("report.judgement_wrong", 62, post=m.post)
        if m.limit != V.NOISE_LIMIT_DBA:
            flag("report.wrong_limit", 62, post=m.post)
        if m.date not in sampling_dates:
            flag("noise.date_mismatch", 43)

    # ---- transfer and lab (49, 68, 69, 73, 95)
    for tr in s.transfers:
        for sid in tr.sample_ids:
            if sid in by_id and by_id[sid].date > tr.date:
                flag("transfer.before_sampling", 49, sample_id=sid)
    if lab_present:
        for sh in s.lab_sheets:
            dates = [by_id[r.sample_id].date for r in sh.rows if r.sample_id in by_id]
            if dates and sh.receipt_date < max(dates):
                flag("lab.received_before_sampling", 68, factor=sh.factor, receipt=_iso(sh.receipt_date))
            if sh.analysis_date < sh.receipt_date:
                flag("lab.analysed_before_receipt", 68, factor=sh.factor)
            limit = sh.storage_days if sh.storage_days is not None else p.storage_days
            if dates and limit is not None and (sh.analysis_date - min(dates)).days > limit:
                flag("lab.storage_exceeded", 68, factor=sh.factor)
            if sh.curve_r is not None and sh.curve_r < 0.999:
                flag("lab.curve_r_low", 95, factor=sh.factor)
            if sh.method_blank is None or sh.qc is None:
                flag("lab.qc_incomplete", 95, factor=sh.factor)
            for r in sh.rows:
                x = by_id.get(r.sample_id)
                if x is not None and x.mass_ug is not None and r.mass_ug != x.mass_ug:
                    flag("calc.not_reproducible", 73, sample_id=r.sample_id, what="lab mass")
        if s.lab_sheets and s.report.issue_date < max(sh.analysis_date for sh in s.lab_sheets):
            flag("report.issued_before_analysis", 52)

    # ---- sample counts (94)
    sampled = {x.sample_id for x in s.samples}
    transferred = {i for tr in s.transfers for i in tr.sample_ids}
    analysed = {r.sample_id for sh in s.lab_sheets for r in sh.rows} if lab_present else set()
    reported = {i for r in s.report.results for i in r.sample_ids}
    nonblank = {x.sample_id for x in s.samples if not x.is_blank}
    if sampled != transferred or sampled != analysed or nonblank != reported:
        flag("samples.count_mismatch", 94, not_transferred=sorted(sampled - transferred),
             not_analysed=sorted(sampled - analysed), not_reported=sorted(nonblank - reported))

    # ---- calculations (73) and report results (61, 62)
    for x in s.samples:
        if x.is_blank or x.conc is None:
            continue
        want = conc_from_mass(x, s.factors[x.factor].decimals)
        if want is None or float(want) != x.conc:
            flag("calc.not_reproducible", 73, sample_id=x.sample_id)
    for r in s.report.results:
        spec = s.factors[r.factor]
        vals = row_values(r, by_id, spec)
        for k, v in vals.items():
            if getattr(r, k) != v:
                flag("calc.not_reproducible", 73, post=r.post, factor=r.factor, field=k)
        if judge(spec, r.c_twa, r.c_stel, r.c_mac) != r.judgement:
            flag("report.judgement_wrong", 62, post=r.post, factor=r.factor)
        if (r.limit_twa, r.limit_stel, r.limit_mac) != (spec.pc_twa, spec.pc_stel, spec.mac):
            flag("report.wrong_limit", 62, post=r.post, factor=r.factor)

    # ---- report signatures and team (52)
    rp = s.report
    if not rp.author or not rp.reviewer or not rp.issuer:
        flag("report.missing_signature", 52)
    if rp.issuer and rp.issuer != ident.authorized_signatory:
        flag("report.issuer_not_authorized", 52)
    for tm in rp.team:
        person = staff.get(tm.name)
        if person is None or person.specialty != tm.specialty or not set(tm.role.split("、")) <= set(person.roles):
            flag("report.team_mismatch", 52, name=tm.name)

    # ---- signers registered (78, 89) and holding the right role
    def signer(name: Optional[str], role: Optional[str], indicator: int, where: str) -> None:
        if not name:
            return
        if name not in staff:
            flag("staff.unregistered_signer", indicator, name=name, record=where)
        elif role and role not in staff[name].roles:
            flag("staff.role_mismatch", indicator, name=name, record=where)

    for n in s.survey.technicians:
        signer(n, V.ROLE_SURVEY, 78, "field_survey")
    for d in s.sampling_days:
        for n in d.samplers:
            signer(n, V.ROLE_SAMPLING, 78, "sampling_record")
        signer(d.checker, None, 78, "sampling_record")
        if d.checker in d.samplers:
            flag("signatures.checker_is_sampler", 41)
    for tr in s.transfers:
        signer(tr.sender, None, 78, "sample_transfer")
        signer(tr.receiver, None, 89, "sample_transfer")
    if lab_present:
        for sh in s.lab_sheets:
            signer(sh.analyst, V.ROLE_LAB, 89, "lab_analysis")
            signer(sh.reviewer, V.ROLE_LAB, 89, "lab_analysis")
    signer(p.author, None, 78, "detection_plan")
    signer(p.reviewer, V.ROLE_REVIEW, 78, "detection_plan")
    signer(p.approver, None, 78, "detection_plan")
    signer(rp.author, V.ROLE_AUTHOR, 78, "report")
    signer(rp.reviewer, V.ROLE_REVIEW, 78, "report")
    signer(rp.issuer, None, 78, "report")
    if s.contract_review:
        for n in s.contract_review.reviewers:
            signer(n, None, 78, "contract_review")

    # ---- photos (75)
    for ph in s.photos:
        d = ph.timestamp.date()
        ok = set(sampling_dates) if ph.kind in ("sampling", "noise") else set(sampling_dates) | set(s.survey.dates)
        if d not in ok:
            flag("photos.timestamp_mismatch", 75, caption=ph.caption, date=_iso(d))

    # ---- issue 14: survey parts (31), work-day record (34)
    sv = s.survey
    blank_parts = [k for k in ("processes", "equipment", "facilities", "ppe") if _is_blank(getattr(sv, k))]
    blank_parts += [f"basics.{k}" for k in ("name", "address", "scale", "workers") if _is_blank(sv.basics.get(k))]
    if blank_parts:
        flag("survey.incomplete", 31, parts=blank_parts)
    for w in sv.workday:
        if w.workers is None or w.exposure_hours is None:
            flag("survey.workday_incomplete", 34, post=w.post)
    if {w.post for w in sv.workday} != {p_.name for p_ in s.posts}:
        flag("survey.workday_incomplete", 34, posts="workday rows differ from the posts")

    # ---- hazards named by the survey vs tested (59)
    tested = {r.factor for r in p.rows} | {r.factor for r in s.report.results} | ({"噪声"} if s.report.noise else set())
    named = {f for post in s.posts for f in post.factors}
    for post in s.posts:
        for f in post.factors:
            if f not in tested:
                flag("report.hazard_not_identified", 59, post=post.name, factor=f, named_by="posts")
    scopes = {s.factors[f].scope_name for f in tested if f in s.factors}
    for m in sv.raw_materials:
        for h in m.hazards:
            if h not in scopes:
                flag("report.hazard_not_identified", 59, raw_material=m.name, hazard=h, named_by="raw_material")
    for f in sorted(tested - named):
        flag("report.hazard_not_identified", 59, factor=f, what="tested but never named by the survey")

    # ---- sampling times and records (46)
    for x in s.samples:
        if x.is_blank:
            continue
        if "STEL" in x.purpose and x.minutes != 15:
            flag("sampling.period_nonstandard", 46, sample_id=x.sample_id, minutes=x.minutes)
        if hm(x.end) - hm(x.start) != x.minutes:
            flag("sampling.period_inconsistent", 46, sample_id=x.sample_id)
    for x in s.samples:
        if x.site_blank:
            flag("sampling.record_incomplete", 46, sample_id=x.sample_id, missing="site")

    # ---- the report's prose against its results (64, 65, 66)
    exc = wording.exceedances(s)
    concl = "".join(rp.conclusions)
    if exc and wording.claims_all_compliant(rp.conclusions):
        flag("report.conclusion_wrong", 64, what="all compliant over an exceedance")
    for e in exc:
        if e.post not in concl or e.factor not in concl:
            flag("report.conclusion_wrong", 64, post=e.post, factor=e.factor, what="exceedance not concluded")
        if not any(e.post in t or e.factor in t for t in rp.recommendations):
            flag("report.no_targeted_recommendation", 65, post=e.post, factor=e.factor)
        if not any(e.post in t for t in rp.cause_analyses):
            flag("report.no_cause_analysis", 66, post=e.post, factor=e.factor)
    if not exc and not wording.claims_all_compliant(rp.conclusions):
        flag("report.conclusion_wrong", 64, what="no exceedance, yet not concluded compliant")

    # ---- issue 14 slice 2: the report against the survey (53, 54, 56, 57, 58, 60)
    out.extend(defects_report.audit(s))
    for rule in AUDIT_RULES:
        rule(s, flag)
    return out


def audit_codes(s: Scenario) -> set[str]:
    return {f["code"] for f in audit(s)}
