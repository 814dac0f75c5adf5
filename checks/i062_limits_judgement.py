"""Indicator 62: occupational exposure limits and result judgement.

Attachment 3, item (62)：“职业接触限值和结果判定准确。”
检查方法：“查阅检测报告及现场调查记录，核实职业接触限值应用和结果判定情况，发现1处错误的扣0.5分。”

Two checks on the report's result tables:

- ``report.wrong_limit``: the PC-TWA / PC-STEL / MAC printed for a factor is none of
  the values GBZ 2.1-2019 gives for it (``checks/data/*.csv``, copies of
  ``shared/domain``). Factor names are matched to the CSV names and aliases (exact,
  then a clear fuzzy winner). Where GBZ 2.1 has several candidate rows (矽尘 bands by
  free-SiO2 content, CO at altitude, 铝尘 metal vs oxide, the benzene amendment whose
  date is unverified) any of them is accepted: the check never picks one for the
  institution — except the 矽尘 band, which GBZ 2.1 ties to the *measured* free-SiO2
  content (domain README §2): when the bundle states that content (the report's
  free-silica table per post, else one content, or several in the same band, anywhere
  in the survey, lab record or report), a printed limit of another band is wrong.
  Where the CSV has no sourced value (``not-found``), a mismatch is a
  ``check.cannot_decide``, never a finding of error. Where it has a value from a weak
  source only (``secondary-weak``, e.g. 甲醛 MAC 0.5, which the domain file calls
  provisional), a printed value that differs is a ``check.cannot_decide`` naming both
  values: the library value awaits verification against the standard's text.
- ``report.judgement_wrong``: the printed judgement (合格/符合 vs 不合格/超标) disagrees
  with the printed values: C_TWA against PC-TWA and C_STE/C_ME against PC-STEL/MAC
  (GBZ 2.1-2019 §6.3.1/6.3.2, domain README §2), and noise L_EX,8h against 85 dB(A)
  (GBZ 2.2-2007, domain README §2). The printed limit is used (its own correctness is
  the other check); the GBZ value only when the report prints none and it is unique.
"""
from __future__ import annotations

import re
from typing import Optional

from rapidfuzz.distance import Levenshtein

from checks._shared_dates import read_by_ocr
from checks._shared_lab import (
    FRACTION_RESP,
    FRACTION_TOTAL,
    band_bounds,
    in_band,
    judged_over,
    limit_rows,
    match_limits,
    norm_text,
    num,
    printed,
    same_number,
)
from checks._factors import known_factors
from checks.base import Ctx, check
from extractors.forms.report import sio2_in_text
from extractors.records import Row, Val

# An 8-hour noise exposure level outside this range is a misreading, not a measurement:
# integrating sound level meters for workplaces read about 30-140 dB(A) (GB/T 3785.1
# class 1/2 instruments), and no shift-long exposure reaches the top of that.
NOISE_PLAUSIBLE_DBA = (30.0, 140.0)
# GBZ 2.2-2007: L_EX,8h / L_EX,40h limit (domain README §2, sampling_rules.json noise.limits)
NOISE_LIMIT_DBA = 85.0
# GBZ/T 189.8 informative Appendix B reference levels for shorter exposures (README §4):
# a printed noise limit among these is a legitimate reading, not a wrong limit
NOISE_REFERENCE_DBA = (85.0, 88.0, 91.0, 94.0, 97.0, 100.0, 103.0, 115.0)

_LIMIT_NAMES = {"limit_twa": "PC-TWA", "limit_stel": "PC-STEL/MAC"}


def _where(r: Row) -> str:
    post, site = r.value("post") or "", r.value("site") or ""
    return f"{post}（{site}）" if site else post


@check("i062_limits", indicators=[62], needs=["report"])
def wrong_limit(ctx: Ctx):
    """Printed limits against GBZ 2.1-2019."""
    rep = ctx.records.report
    if not rep.results:
        if not rep.noise:
            yield ctx.cannot_decide(62, "检测报告的检测结果表", pages=rep.pages or ctx.section_pages("report"))
        return
    undecided: dict[str, list] = {}
    weak_seen: dict[str, list[str]] = {}
    banded: set[int] = set()  # rows whose 矽尘 band came from the measured content
    sio2 = _measured_sio2(ctx)
    for r in rep.results:
        fac = r.get("factor")
        if not fac.ok:
            continue
        for key in ("limit_twa", "limit_stel"):
            lv = r.get(key)
            p = num(lv)
            if p is None or lv.conf < 0.5:
                continue
            m = _match(ctx, str(fac.value))
            if m is None:
                undecided.setdefault(str(fac.value), []).append(lv)
                continue
            allowed = m.allowed(key)
            if _dot_misread(ctx, lv, allowed) is not None:
                continue  # "1.00" on a scan where GBZ says 100: a speck read as a decimal point
            if any(same_number(p, a) for a in allowed):
                if key == "limit_twa":
                    got = _band_finding(ctx, r, m, lv, p, sio2)
                    if got is not None:
                        banded.add(id(r))
                        yield got
                continue
            if m.unverified or not allowed or m.weak:
                # no verified GBZ value to compare with (missing, or one weak source the
                # domain file calls provisional): a person decides
                if m.unverified or m.weak:
                    undecided.setdefault(str(fac.value), []).append(lv)
                    if m.weak and allowed:
                        weak_seen.setdefault(str(fac.value), []).append(
                            f"{_LIMIT_NAMES[key]}印为{printed(lv)}，库中弱来源值{'、'.join(f'{a:g}' for a in sorted(allowed))}")
                continue
            if not ctx.confirmed(lv):
                continue  # read differently a second time: no pre-flag on a doubtful digit
            want = "、".join(f"{a:g}" for a in sorted(allowed))
            src = "、".join(m.sources(key))
            yield ctx.finding(
                "report.wrong_limit", 62,
                f"检测报告第{lv.page}页 {fac.value} {_where(r)} 的{_LIMIT_NAMES[key]}印为 {printed(lv)} mg/m³，"
                f"GBZ 2.1-2019（{src}）为 {want} mg/m³，请核对职业接触限值",
                [lv, fac, r], pages=[lv.page])
    yield from _band_consistency(ctx, [r for r in rep.results if id(r) not in banded])
    for name, vals in undecided.items():
        weak = weak_seen.get(name)
        why = (f"本系统限值库中该因素的限值仅有单一弱来源、尚待与标准原文核实（{'；'.join(weak[:2])}），"
               "报告所印限值未自动判定，请专家以GBZ 2.1-2019原文核对") if weak else \
            "本系统限值库中该因素无已核实的数值或无法对应，报告所印限值未自动核对"
        yield ctx.cannot_decide(62, f"“{name}”在GBZ 2.1-2019中的核实限值", why=why, evidence=vals[:3])
    # noise: GBZ 2.2 gives 85 dB(A) for L_EX,8h / L_EX,40h
    for r in rep.noise:
        lv = r.get("limit")
        p = num(lv)
        if p is None or lv.conf < 0.5:
            continue
        if any(same_number(p, a) for a in NOISE_REFERENCE_DBA):
            continue
        yield ctx.finding(
            "report.wrong_limit", 62,
            f"检测报告第{lv.page}页 噪声 {_where(r)} 的限值印为 {printed(lv)} dB(A)，"
            f"GBZ 2.2-2007 规定 L_EX,8h / L_EX,40h 限值为 {NOISE_LIMIT_DBA:g} dB(A)",
            [lv, r], pages=[lv.page])


# where a bundle states the measured free-SiO2 content of its dust
_SIO2_SECTIONS = ("field_survey", "detection_plan", "lab_analysis", "report")


def _measured_sio2(ctx: Ctx) -> dict:
    """Measured free-SiO2 contents (%): per (post, site) from the report's table, and the
    contents stated without a post anywhere in the survey, plan, lab record or report
    (value, page) — the latter read from every line of those pages, since a survey or
    lab record states it in prose."""
    rep = ctx.records.report
    per_post: dict[tuple[str, str], list[tuple[float, Val]]] = {}
    loose: list[tuple[float, int]] = []
    for r in rep.sio2_pct if rep is not None else []:
        v = r.get("value")
        x = num(v)
        if x is None:
            continue
        if r.value("post"):
            per_post.setdefault((norm_text(r.value("post")), norm_text(r.value("site"))), []).append((x, v))
        else:
            loose.append((x, v.page))
    for sec in _SIO2_SECTIONS:
        for no in ctx.section_pages(sec):
            page = ctx.pages.get(no)
            for ln in page.lines if page is not None else ():
                for x in sio2_in_text(ln.text):
                    loose.append((x, no))
    return {"per_post": per_post, "loose": list(dict.fromkeys(loose))}


def _band_finding(ctx: Ctx, r: Row, m, lv: Val, p: float, sio2: dict):
    """A 矽尘 PC-TWA that is a legitimate band value, but not the band of the measured
    free-SiO2 content; None when the content (or its one band) is not known."""
    bands = [x for x in m.rows if x.kind == "dust" and band_bounds(x.condition) is not None]
    if len(bands) < 2 or m.fraction is None or m.unverified or m.weak:
        return None
    post, site = norm_text(r.value("post")), norm_text(r.value("site"))
    own = sio2["per_post"].get((post, site)) or [v for (pp, _), v in sio2["per_post"].items() if pp == post]
    if own:
        contents = [(x, v.page) for x, v in own]
    elif not sio2["per_post"]:
        contents = sio2["loose"]
    else:
        return None  # contents are given per post, not for this one: no guess
    if not contents:
        return None
    hit = {b.condition: b for x, _ in contents for b in bands if in_band(x, b.condition)}
    if len(hit) != 1 or any(not any(in_band(x, b.condition) for b in bands) for x, _ in contents):
        return None  # contents in several bands, or outside every band (<10 % is not 矽尘)
    band = next(iter(hit.values()))
    want = band.twa_total if m.fraction == FRACTION_TOTAL else band.twa_resp
    if want is None or same_number(p, want):
        return None
    what = "、".join(f"{x:g}%（第{pg}页）" for x, pg in contents[:3])
    frac = "总尘" if m.fraction == FRACTION_TOTAL else "呼尘"
    return ctx.finding(
        "report.wrong_limit", 62,
        f"检测报告第{lv.page}页 {r.value('factor')} {_where(r)} 的PC-TWA印为 {printed(lv)} mg/m³，"
        f"而本证据包所载游离SiO2含量测定结果为 {what}，属“{band.condition}”档，GBZ 2.1-2019 该档{frac}"
        f"PC-TWA 为 {want:g} mg/m³，请核对职业接触限值",
        [lv, r], pages=[lv.page] + [pg for _, pg in contents[:3]])


def _band_consistency(ctx: Ctx, results: list[Row]):
    """Total and respirable dust limits at one post from one band (e.g. 矽尘 by free SiO2).

    Each value may be a legitimate band value on its own; the dust at one work location
    has one free-SiO2 content, so its total and respirable limits come from the same
    band row. No band giving both printed values means one of them is wrong.
    """
    groups: dict[tuple, list[tuple[str, float, Val, Row]]] = {}
    for r in results:
        fac, lv = r.get("factor"), r.get("limit_twa")
        p = num(lv)
        if not fac.ok or p is None or lv.conf < 0.5:
            continue
        m = _match(ctx, str(fac.value))
        if m is None or m.fraction is None or m.unverified or m.weak:
            continue
        bands = [x for x in m.rows if x.kind == "dust" and x.twa_total is not None and x.twa_resp is not None]
        if len(bands) < 2:
            continue
        key = (tuple(x.name for x in bands), norm_text(r.value("post")), norm_text(r.value("site")))
        groups.setdefault(key, []).append((m.fraction, p, lv, r))
    for (names, _, _), items in groups.items():
        fracs = {f for f, *_ in items}
        if fracs != {FRACTION_TOTAL, FRACTION_RESP}:
            continue
        bands = [x for x in limit_rows() if x.name in names and x.kind == "dust"
                 and x.twa_total is not None and x.twa_resp is not None]

        def fits(b, f, p):
            return same_number(p, b.twa_total if f == FRACTION_TOTAL else b.twa_resp)

        if any(all(fits(b, f, p) for f, p, _, _ in items) for b in bands):
            continue
        # values outside every band were already reported on their own
        if not all(any(fits(b, f, p) for b in bands) for f, p, _, _ in items):
            continue
        # the band most printed values agree with; the others are the odd ones out
        best = max(bands, key=lambda b: sum(fits(b, f, p) for f, p, _, _ in items))
        odd = [it for it in items if not fits(best, it[0], it[1])]
        rest = [it for it in items if fits(best, it[0], it[1])]
        if len(odd) >= len(rest):
            odd, rest = items, []  # no majority: name them all
        r0 = odd[0][3]
        desc = "；".join(f"{r.value('factor')} PC-TWA 印为 {printed(lv)} mg/m³（第{lv.page}页）" for _, _, lv, r in odd)
        ctx_vals = "、".join(f"{r.value('factor')} {printed(lv)}" for _, _, lv, r in rest)
        opts = "；".join(f"{b.condition}：总尘 {b.twa_total:g}、呼尘 {b.twa_resp:g}" for b in bands)
        tail = (f"，与同一工作地点其余限值（{ctx_vals} mg/m³）所属的游离SiO2含量档不一致" if rest
                else "，总尘与呼尘限值不属于同一游离SiO2含量档")
        yield ctx.finding(
            "report.wrong_limit", 62,
            f"检测报告 {_where(r0)}：{desc}{tail}（GBZ 2.1-2019：{opts}）；同一工作地点的粉尘应按同一游离SiO2含量取限值",
            [lv for _, _, lv, _ in odd] + [lv for _, _, lv, _ in rest][:2], pages=[lv.page for _, _, lv, _ in odd])


def _match(ctx: Ctx, name: str):
    """``match_limits`` for a report's factor name, or for the one name the bundle prints
    elsewhere (plan, lab, sampling) that the reading is a one-character misread of
    (一氯化碳 on a scan, 一氧化碳 in the plan)."""
    m = match_limits(name)
    if m is not None or len(name) < 3:
        return m
    names = set(known_factors(ctx.records))
    names |= {str(r.value("factor")) for sh in ctx.records.sampling_records for r in sh.rows if r.value("factor")}
    found = {}
    for other in names - {name}:
        if Levenshtein.distance(other, name) <= 1:
            mo = match_limits(other)
            if mo is not None:
                found[tuple(sorted(r.name for r in mo.rows))] = mo
    return next(iter(found.values())) if len(found) == 1 else None


def _dot_misread(ctx: Ctx, lv, allowed) -> Optional[float]:
    """The GBZ value a scanned limit reads as once a stray decimal point is dropped
    ("1.00" for 100), or None."""
    raw = (getattr(lv, "raw", "") or "").strip()
    if "." not in raw or not allowed or not read_by_ocr(ctx, lv):
        return None
    digits = re.sub(r"[^0-9]", "", raw)
    if not digits:
        return None
    for a in allowed:
        if float(digits) == a and not same_number(num(lv) or -1.0, a):
            return a
    return None


def _limit_for(ctx: Ctx, r: Row, key: str) -> tuple[Optional[float], str]:
    """The limit to judge against: the printed one, else the unique GBZ value."""
    lv = r.get(key)
    p = num(lv)
    fac = r.value("factor")
    if p is not None:
        m = _match(ctx, str(fac)) if fac else None
        fixed = _dot_misread(ctx, lv, m.allowed(key)) if m is not None and not (m.unverified or m.weak) else None
        return (fixed, "GBZ 2.1-2019") if fixed is not None else (p, "报告所印")
    m = _match(ctx, str(fac)) if fac else None
    if m is None or m.unverified or m.weak:
        return None, ""
    allowed = m.allowed(key)
    if len(allowed) == 1:
        return next(iter(allowed)), "GBZ 2.1-2019"
    return None, ""


@check("i062_judgement", indicators=[62], needs=["report"])
def judgement(ctx: Ctx):
    """Printed judgement against printed concentrations and limits."""
    rep = ctx.records.report
    judged = 0
    for r in rep.results:
        jv = r.get("judgement")
        said = judged_over(jv.value if jv.ok else None)
        if said is None or jv.conf < 0.5:
            continue
        compared = []
        over = []
        for ckey, lkey, cname in (("c_twa", "limit_twa", "C_TWA"), ("c_stel", "limit_stel", "C_STE/C_ME")):
            cv = r.get(ckey)
            c = num(cv)
            if c is None or cv.conf < 0.5:
                continue  # an OCR-doubtful digit must not turn into a wrong judgement
            lim, src = _limit_for(ctx, r, lkey)
            if lim is None:
                continue
            compared.append((cname, cv, lim, src, _LIMIT_NAMES[lkey]))
            if c > lim:
                over.append((cname, cv, lim, src, _LIMIT_NAMES[lkey]))
        if not compared:
            continue
        judged += 1
        if said == bool(over):
            continue
        hinge = [v for _, v, *_ in (over or compared)]
        hinge += [r.get(k) for k in ("limit_twa", "limit_stel") if num(r.get(k)) is not None]
        if not ctx.confirmed(*hinge):
            continue
        fac = r.value("factor") or ""
        if over:
            detail = "；".join(f"{n} {printed(v)} mg/m³ 超过{s}{ln} {lim:g} mg/m³" for n, v, lim, s, ln in over)
        else:
            detail = "；".join(f"{n} {printed(v)} mg/m³ 未超过{s}{ln} {lim:g} mg/m³" for n, v, lim, s, ln in compared)
        yield ctx.finding(
            "report.judgement_wrong", 62,
            f"检测报告第{jv.page}页 {fac} {_where(r)}：{detail}，结果判定却为“{jv.value}”",
            [jv] + [v for _, v, *_ in (over or compared)] + [r], pages=[jv.page])
    for r in rep.noise:
        jv = r.get("judgement")
        said = judged_over(jv.value if jv.ok else None)
        if said is None:
            continue
        lv = r.get("lex8h")
        level = num(lv)
        if level is None or not (NOISE_PLAUSIBLE_DBA[0] <= level <= NOISE_PLAUSIBLE_DBA[1]):
            continue  # unread, or a misreading (784.6 for 84.6): no level a workplace has
        judged += 1
        lim = num(r.get("limit"))
        src = "报告所印" if lim is not None else "GBZ 2.2-2007"
        lim = lim if lim is not None else NOISE_LIMIT_DBA
        over = level > lim
        if said == over:
            continue
        rel = "超过" if over else "未超过"
        yield ctx.finding(
            "report.judgement_wrong", 62,
            f"检测报告第{jv.page}页 噪声 {_where(r)}：L_EX,8h {printed(lv)} dB(A) {rel}{src}限值 {lim:g} dB(A)，"
            f"结果判定却为“{jv.value}”",
            [jv, lv, r], pages=[jv.page])
    if not judged and (rep.results or rep.noise):
        yield ctx.cannot_decide(62, "检测报告结果表中的检测值、限值与判定结论",
                                pages=[r.page for r in list(rep.results) + list(rep.noise) if r.page])
