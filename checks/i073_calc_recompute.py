"""Indicator 73 (and 61): results can be recomputed from the recorded raw data.

Attachment 3, item (73)：“分析结果的数据转换及处理过程规范，并有记录和校核确认。检测结果计算正确，使用法定计量单位。”
检查方法：“查阅实验室分析记录。核实分析数据处理计算过程、计量单位及校核情况，每发现1处错误扣0.3分。”
Attachment 3, item (61)：“准确表述检测点(岗位)、样品数量、危害因素名称、危害因素检测结果。”

``calc.not_reproducible`` (73), from the lab sheets, the calculation record and the report:

- concentration: C (mg/m³) = m (µg) / V (L), optionally after subtracting the sheet's
  blank mass (the method may say so); for weighed filters m = (after − before) × 1000;
- volume: V (L) = Q (L/min) × t (min), or that volume converted to 20 °C / 101.3 kPa
  (domain README §1 "Standard volume", §6: conversion applies outside 5–35 °C or
  98.8–103.4 kPa; both readings are accepted since the rule is only `partial`);
- C_TWA = Σ(Cᵢ·Tᵢ)/8 re-evaluated from the terms printed in each C_TWA line (README §6);
- the report's C_TWA against the calculation record's C_TWA of the same factor, post,
  work location and day; the report's C_STE / C_ME against the concentrations of the
  row's own samples (a 15-min or ceiling value is a sample concentration, a mean of
  short samples or C·t/15, never more than the highest of them; README §1 R1.5/R1.6);
- noise L_EX,8h = L_Aeq,Te + 10·lg(Te/8) (README §4) in the report's noise table.

A value is called wrong only when it differs from every accepted recomputation by more
than what the rounding of the printed inputs and output can explain (half a unit in
the last printed place of each, propagated).

On a scan (OCR page) a discrepancy must also survive every plausible *reading* of
the printed numbers, since digits and decimal points are what OCR loses: junk inside a
number resolved (``3.66.0`` → 366.0, ``11-0.00`` → 110.00), a decimal point lost or
added (a factor 10 or 100), a volume that contradicts Q × t replaced by Q × t, and the
same sample's mass and volume as read in the other record. A volume that contradicts
Q × t is only reported from a scan when the printed concentration confirms the printed
volume (C = m / V holds with it), i.e. when the volume was read right.

Over 600 lines: item 73's five recomputations (concentration, C_TWA, C_TWA bounded by
its samples, noise L_EX, report against calculation) share this module's number
readings, rounding bounds and standard-volume rule; split apart they would each import
most of the others.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Optional

from checks._shared_lab import (
    _TIMES,
    agree,
    reading_strs,
    UNIT_SCALES,
    _printed_number,
    blank_ids,
    decimals_of,
    digit_readings,
    doubtful,
    fmt_num,
    half_unit,
    is_ocr,
    norm_text,
    num,
    printed,
    readings,
    sampling_dates,
)
from checks._noise import lex_check
from checks.base import Ctx, check
from pipeline.ocr_tolerance import OCR_SCALES
from extractors.records import Row, Val

# GBZ 159 standard-volume rule (domain sampling_rules.json gbz159_2004.standard_volume)
STD_T_C, STD_P_KPA = 20.0, 101.3
CONVERT_T = (5.0, 35.0)
CONVERT_P = (98.8, 103.4)


def _conditions(ctx: Ctx) -> dict[str, tuple[Optional[float], Optional[float]]]:
    """Sample id → (temperature °C, pressure kPa) of the sampling sheet it was taken on."""
    out = {}
    for sh in ctx.records.sampling_records:
        t, p = num(sh.temperature_c), num(sh.pressure_kpa)
        for r in sh.rows:
            sid = r.value("sample_id")
            if sid:
                out.setdefault(sid, (t, p))
    return out


def _std_volume(v: float, t: Optional[float], p: Optional[float]) -> Optional[float]:
    if t is None or p is None:
        return None
    return v * (273.0 + STD_T_C) / (273.0 + t) * p / STD_P_KPA


def _blank_masses(rows: Iterable[Row], blanks: set[str]) -> list[float]:
    out = []
    for r in rows:
        sid = r.value("sample_id")
        if sid in blanks:
            m = num(r.get("mass"))
            if m is not None:
                out.append(m)
    return out


def _mass(r: Row) -> tuple[Optional[float], float]:
    """Sample mass (µg) and how far rounding of the printed figures can move it (µg);
    from the filter weights (mg) when no mass is printed."""
    mv = r.get("mass")
    m = num(mv)
    if m is not None:
        return m, half_unit(decimals_of(mv))
    b, a = r.get("before"), r.get("after")
    fb, fa = num(b), num(a)
    if fb is None or fa is None:
        try:
            fb, fa = float(str(b.value)), float(str(a.value))
        except (TypeError, ValueError):
            return None, 0.0
    # two weighings, each rounded to its last printed place (mg → µg)
    err = (half_unit(decimals_of(b)) + half_unit(decimals_of(a))) * 1000.0
    return (fa - fb) * 1000.0, err


def _conc_problem(ms: list[tuple[float, float]], vs: list[tuple[float, Optional[int]]], cs: list[float],
                  dc: Optional[int], blank: list[float], scales: Iterable[float]) -> Optional[float]:
    """The recomputed concentration when no reading of the printed concentration (``cs``)
    is explained by any reading of mass (``ms``: value, rounding) and volume (``vs``:
    value, printed decimals), else None."""
    first = None
    for m, m_err in ms:
        for v, dv in vs:
            if v <= 0:
                continue
            base = [m / v] + [(m - b) / v for b in blank if b]
            for x0 in base:
                if first is None:
                    first = x0
                for k in scales:
                    x = x0 * k
                    # rounding of the printed m and V propagates into C; C itself is rounded once more
                    tol = half_unit(dc) + abs(x) * (m_err / max(abs(m), 1e-12) + half_unit(dv) / v) + 1e-9
                    if any(abs(c - x) <= tol for c in cs):
                        return None
    return first


def _close(a: Val, b: Val) -> bool:
    """Two printed numbers are the same value within their printed rounding."""
    x, y = num(a), num(b)
    if x is None or y is None:
        return False
    return abs(x - y) <= half_unit(decimals_of(a)) + half_unit(decimals_of(b)) + 1e-9


def _volume_ok(v: float, dv: Optional[int], accepted: list[float], spread: float, raw: float) -> bool:
    return any(abs(v - a) <= half_unit(dv) + spread * max(1.0, a / raw) + 1e-9
               # the same volume printed in m³
               or abs(v * 1000 - a) <= 1000 * half_unit(dv) + spread * max(1.0, a / raw) + 1e-9
               for a in accepted)


@check("i073_concentration", indicators=[73], needs=[])
def concentration(ctx: Ctx):
    """Per-sample C = m / V and V = Q × t."""
    rec = ctx.records
    blanks = blank_ids(rec)
    conds = _conditions(ctx)
    problems: dict[str, dict] = {}  # sample id → what was found (one finding per sample)
    sources: list[tuple[str, list[Row]]] = []
    for sh in rec.lab_sheets:
        sources.append(("实验室分析记录", sh.rows))
    if rec.data_calculation is not None:
        sources.append(("数据换算记录", rec.data_calculation.rows))
    # every record's reading of a sample's mass and volume, and Q × t from the calculation record
    by_sid: dict[str, list[Row]] = {}
    for _, rows in sources:
        for r in rows:
            if r.value("sample_id"):
                by_sid.setdefault(r.value("sample_id"), []).append(r)
    qt: dict[str, list[float]] = {}
    if rec.data_calculation is not None:
        for r in rec.data_calculation.rows:
            q, t = num(r.get("flow")), num(r.get("minutes"))
            sid = r.value("sample_id")
            if sid and q and t and min(r.get("flow").conf, r.get("minutes").conf) >= 0.6:
                raw = q * t
                tc, pc = conds.get(sid, (None, None))
                std = _std_volume(raw, tc, pc)
                qt.setdefault(sid, []).extend([raw] + ([std] if std is not None else []))
    computable = 0
    for where, rows in sources:
        rows = list(rows)
        blank = _blank_masses(rows, blanks)
        for r in rows:
            sid = r.value("sample_id")
            if not sid or sid in blanks:
                continue
            m, m_err = _mass(r)
            vv = r.get("volume")
            v = num(vv)
            cv = r.get("conc")
            if m is None or v is None or not cv.ok:
                continue
            computable += 1
            if min(x.conf for x in (vv, cv, r.get("mass")) if x.ok) < 0.6:
                continue  # an OCR-doubtful digit is not a calculation error
            ocr = any(is_ocr(ctx, x) for x in (vv, cv, r.get("mass")) if x.ok)
            ms = [(m, m_err)]
            vs = [(v, decimals_of(vv))]
            cs = [num(cv)] if num(cv) is not None else []
            if ocr:
                others = [o for o in by_sid.get(sid, []) if o is not r and num(o.get("conc")) is not None]
                if any(not _close(o.get("conc"), cv) for o in others):
                    continue  # the records read this sample's C differently: an OCR question, not arithmetic
                # read alike in a second record (C and m or V): no digit was misread in both
                corroborated = any(_close(o.get("mass"), r.get("mass")) or _close(o.get("volume"), vv) for o in others)
                look = not corroborated
                ms += [(x, m_err) for x in readings(ctx, r.get("mass"), lookalikes=look)[1:]]
                vs += [(x, None) for x in readings(ctx, vv, lookalikes=look)[1:]]
                cs += readings(ctx, cv, lookalikes=look)[1:]
                # the same sample as read in the other record, and V from Q × t
                for o in by_sid.get(sid, []):
                    if o is r:
                        continue
                    om, om_err = _mass(o)
                    if om is not None:
                        ms += [(om, om_err)] + [(x, om_err) for x in readings(ctx, o.get("mass"))[1:]]
                    vs += [(x, decimals_of(o.get("volume"))) for x in readings(ctx, o.get("volume"))]
                vs += [(x, None) for x in qt.get(sid, [])]
            bad = _conc_problem(ms, vs, cs, decimals_of(cv), blank, OCR_SCALES if ocr else UNIT_SCALES)
            if bad is not None:
                p = problems.setdefault(sid, {"conc": [], "vol": []})
                p["conc"].append((where, r, m, v, cv, bad))
    if rec.data_calculation is not None:
        for r in rec.data_calculation.rows:
            sid = r.value("sample_id")
            qv, tv, vv = r.get("flow"), r.get("minutes"), r.get("volume")
            q, t, v = num(qv), num(tv), num(vv)
            if not sid or q is None or t is None or v is None or min(qv.conf, tv.conf, vv.conf) < 0.6:
                continue
            raw = q * t
            if raw <= 0:
                continue
            # Q and t are rounded as printed; V is rounded once more
            spread = t * half_unit(decimals_of(qv)) + q * half_unit(decimals_of(tv))
            tc, pc = conds.get(sid, (None, None))
            std = _std_volume(raw, tc, pc)
            accepted = [raw] + ([std] if std is not None else [])
            if _volume_ok(v, decimals_of(vv), accepted, spread, raw):
                continue
            if any(is_ocr(ctx, x) for x in (qv, tv, vv)):
                # a scan: any reading of V that fits (junk resolved, a decimal point lost) is
                # that reading; and a V that does not fit is only reported when the
                # printed concentration confirms it was read right
                if any(_volume_ok(x * k, None, accepted, spread, raw) for x in readings(ctx, vv) for k in OCR_SCALES):
                    continue
                m, m_err = _mass(r)
                cv = r.get("conc")
                if m is None or num(cv) is None or _conc_problem(
                        [(m, m_err)], [(v, decimals_of(vv))], [num(cv)], decimals_of(cv), [], UNIT_SCALES) is not None:
                    continue
            problems.setdefault(sid, {"conc": [], "vol": []})["vol"].append((r, q, t, v, vv, raw))
    if sources and not computable and any(rows for _, rows in sources):
        pages = [r.page for _, rows in sources for r in rows if r.page]
        yield ctx.cannot_decide(73, "样品含量、采样体积与浓度（无一行三者俱全）", pages=pages)
    for sid, p in problems.items():
        parts, ev, pages = [], [], []
        for where, r, m, v, cv, bad in p["conc"]:
            dc = decimals_of(cv)
            pages.append(r.page)
            parts.append(f"{where}第{r.page}页：{fmt_num(m)} μg ÷ {fmt_num(v)} L = {fmt_num(bad)} mg/m³"
                         f"（修约后 {fmt_num(bad, dc)}），记录为 {printed(cv)} mg/m³")
            ev.append(cv)
        for r, q, t, v, vv, raw in p["vol"]:
            pages.append(r.page)
            parts.append(f"数据换算记录第{r.page}页：采样体积 {fmt_num(q)} L/min × {fmt_num(t)} min = {fmt_num(raw)} L，"
                         f"记录为 {printed(vv)} L")
            ev.append(vv)
        yield ctx.finding("calc.not_reproducible", 73,
                          f"样品 {sid} 的检测结果不能由原始数据复算：" + "；".join(parts), ev, pages=pages)


_TERM = re.compile(r"(\d+(?:\.\d+)?)\s*" + _TIMES + r"\s*(\d+(?:\.\d+)?)")
_PIECE = re.compile(r"[.·,\s]*(\d+(?:\.\d+)?)\s*" + _TIMES + r"\s*(\d+(?:\.\d+)?)[.·,\s]*")
_DIV = re.compile(r"\)\s*[/÷]\s*(\d+(?:\.\d+)?)")
_TWA_WORD = re.compile(r"(?<![A-Za-z])[CG]\s*[_\-—–. ]?\s*T\s*W\s*A", re.I)


def _twa_formula(v: Val) -> Optional[tuple[list[tuple[float, float, int]], float, str]]:
    """Terms (C, T, decimals of C), divisor and printed result of a C_TWA line, when the
    whole sum was read: every '+'-separated piece must be exactly one C×T term."""
    raw = v.raw or ""
    t = raw.replace("（", "(").replace("）", ")").replace("＝", "=")
    # a colon between digits in a formula is a misread decimal point (4.6×2:5)
    t = re.sub(r"(?<=\d)\s*[:：]\s*(?=\d)", ".", t)
    m_key = _TWA_WORD.search(t)
    if m_key:
        body = t[m_key.end():]
    elif re.match(r"\s*\(\s*\d", t):
        # the formula in a cell of its own (C_TWA only in the column title)
        body = t
    else:
        return None
    m_open = body.find("(")
    m_div = _DIV.search(body)
    res = _printed_number(v)
    if m_open < 0 or not m_div or m_div.start() < m_open or res is None or "=" not in body[m_div.end():]:
        return None
    inner = body[m_open + 1: m_div.start()]
    pieces = [x for x in re.split(r"\+", inner) if x.strip()]
    terms = []
    for piece in pieces:
        pm = _PIECE.fullmatch(piece)
        if not pm:
            return None
        a, b = pm.group(1), pm.group(2)
        terms.append((float(a), float(b), len(a.split(".")[1]) if "." in a else 0))
    if not terms:
        return None
    return terms, float(m_div.group(1)), res


def _twa_off(terms: list[tuple[float, float, int]], div: float, res: str) -> Optional[float]:
    """Σ(C·T)/div when the printed result ``res`` differs from it beyond rounding, else None."""
    if div <= 0:
        return None
    x = sum(c * h for c, h, _ in terms) / div
    d = len(res.split(".")[1]) if "." in res else 0
    # the printed result is rounded once; the terms may themselves be rounded from
    # unrounded concentrations the institution actually summed
    # a bare 0 is the unexposed part of the shift (0×0.5), exact, not a rounded reading
    tol = half_unit(d) + sum(h * half_unit(dc) for c, h, dc in terms if c != 0) / div + 1e-9
    return None if abs(float(res) - x) <= tol else x


def _ids_from_report(ctx: Ctx, r: Row, terms: list[tuple[float, float, int]]) -> list[str]:
    """The samples of a C_TWA line that names none: those of the one report result row of
    its post, work location, factor and day whose samples' printed concentrations are the
    line's terms, in order (``report_vs_calc`` identifies the line the same way); [] when
    not exactly one row is."""
    rep = ctx.records.report
    calc = ctx.records.data_calculation
    if rep is None or calc is None or not r.value("post"):
        return []
    concs: dict[str, Val] = {}
    for row in calc.rows:
        sid, cv = row.value("sample_id"), row.get("conc")
        if sid and sid not in concs and num(cv) is not None:
            concs[sid] = cv
    sdates = sampling_dates(ctx.records)
    post, site, fac = norm_text(r.value("post")), norm_text(r.value("site")), norm_text(r.value("factor"))
    day = r.value("date")
    found = []
    for rr in rep.results:
        ids = rr.value("sample_ids") or []
        if (not ids or norm_text(rr.value("post")) != post or fac not in ("", norm_text(rr.value("factor")))
                or (site and norm_text(rr.value("site")) not in ("", site)) or not all(i in concs for i in ids)):
            continue
        rday = _row_date(rr, sdates)
        if day is not None and rday is not None and rday != day:
            continue
        nonzero = [t for t in terms if t[0] != 0]  # an unexposed part of the shift has no sample
        if len(nonzero) == len(ids) and _terms_are_samples(nonzero, [concs[i] for i in ids]):
            # in the order of the terms (each the unused sample whose C is nearest)
            pool, ordered = list(ids), []
            for c, _, _ in nonzero:
                i = min(pool, key=lambda i: abs(float(concs[i].value) - c))
                pool.remove(i)
                ordered.append(i)
            found.append(ordered)
    return found[0] if len(found) == 1 else []


def _term_bounds(ctx: Ctx, r: Row, terms: list[tuple[float, float, int]],
                 ids: Optional[list[str]] = None) -> Optional[list[tuple[float, float]]]:
    """Bounds of each C of a C_TWA line, from its samples' masses and volumes where the
    record prints them, else from the printed C and its rounding.

    GB/T 8170 rounds once: the institution sums unrounded concentrations and prints them
    rounded, so a printed term only bounds its C to half a unit. Its sample's printed
    mass and volume bound it closer (C = m / V, each rounded too). Only where the sheet's
    temperature and pressure are read and need no standard volume (GBZ 159), and with
    every blank mass of the record as a possible subtraction. None: the terms are not
    the line's samples one by one, or a sample's C is not its m / V (the record computes
    otherwise: desorption efficiency, another volume)."""
    ids = ids if ids is not None else (r.value("sample_ids") or [])
    nonzero = [t for t in terms if t[0] != 0]
    if not ids or len(ids) != len(nonzero):
        return None
    calc = ctx.records.data_calculation
    by_id: dict[str, Row] = {}
    for row in calc.rows:
        sid = row.value("sample_id")
        if sid and sid not in by_id:
            by_id[sid] = row
    conds = _conditions(ctx)
    blanks = [0.0] + [b for b in _blank_masses(calc.rows, blank_ids(ctx.records)) if b > 0]
    out, k = [], 0
    for c, _h, dc in terms:
        if c == 0:
            out.append((0.0, 0.0))
            continue
        sid = ids[k]
        k += 1
        lo, hi = c - half_unit(dc), c + half_unit(dc)
        row = by_id.get(sid)
        t, pk = conds.get(sid, (None, None))
        if row is None or not _close(row.get("conc"), Val(value=c, raw=f"{c:.{dc}f}")):
            return None  # the term is not this sample's printed concentration
        m, m_err = _mass(row)
        v = num(row.get("volume"))
        plain = (t is not None and pk is not None and CONVERT_T[0] <= t <= CONVERT_T[1]
                 and CONVERT_P[0] <= pk <= CONVERT_P[1])
        if m is not None and v and v > 0 and plain:
            dv = half_unit(decimals_of(row.get("volume")))
            cands = [((m - b - m_err) / (v + dv), (m - b + m_err) / max(v - dv, 1e-9)) for b in blanks]
            cands = [(max(lo, a), min(hi, b)) for a, b in cands if a <= hi and b >= lo]
            if not cands:
                return None  # this C is not m / V: the record computes otherwise (desorption, …)
            lo, hi = min(a for a, _ in cands), max(b for _, b in cands)
        out.append((lo, hi))
    return out


def _twa_range(bounds: list[tuple[float, float]], terms: list[tuple[float, float, int]],
               div: float) -> tuple[float, float]:
    """The least and greatest C_TWA the terms' bounds allow."""
    return (sum(b[0] * h for b, (_, h, _) in zip(bounds, terms)) / div,
            sum(b[1] * h for b, (_, h, _) in zip(bounds, terms)) / div)


@check("i073_twa", indicators=[73], needs=["data_calculation"])
def twa(ctx: Ctx):
    """C_TWA lines of the calculation record re-evaluated from their own terms."""
    calc = ctx.records.data_calculation
    sample_c = [cv for r in calc.rows for cv in [r.get("conc")] if num(cv) is not None]
    parsed = 0
    for r in calc.twa:
        vv = r.get("value")
        if not vv.ok or vv.conf < 0.6:
            continue
        f = _twa_formula(vv)
        if f is None:
            continue
        parsed += 1
        terms, div, res = f
        x = _twa_off(terms, div, res)
        d = len(res.split(".")[1]) if "." in res else 0
        by_samples = ""
        if x is None and not is_ocr(ctx, vv):
            # within the rounding of the printed terms: their samples' masses and volumes
            # may still show the printed result cannot come from them. A result that is the
            # printed terms' own sum, rounded, is never flagged (step-by-step rounding is
            # common practice, whatever GB/T 8170 says)
            exact = sum(c * h for c, h, _ in terms) / div
            bounds = None
            if abs(float(res) - exact) > half_unit(d) + 1e-9:
                ids = r.value("sample_ids") or _ids_from_report(ctx, r, terms)
                bounds = _term_bounds(ctx, r, terms, ids)
            lo, hi = _twa_range(bounds, terms, div) if bounds is not None else (0.0, 0.0)
            # no choice of the Cs within their bounds gives a C_TWA that rounds to the result
            if bounds is not None and (hi < float(res) - half_unit(d) - 1e-9 or lo > float(res) + half_unit(d) + 1e-9):
                x = exact
                ids = "、".join(ids)
                by_samples = (f"；按样品{ids}的含量与采样体积（C = m / V，计入各数的修约），C_TWA 应在 "
                              f"{fmt_num(lo, 4)}～{fmt_num(hi, 4)} mg/m³ 之间")
        if x is None:
            continue
        if is_ocr(ctx, vv):
            # a scan: the terms must be concentrations the record prints for its samples
            # (else a term was misread), the divisor a plausible one, and no reading of
            # the result (a lost decimal point; a look-alike digit in a doubtful read) may fit
            if div not in (8.0, 40.0) or not all(
                    c == 0 or any(abs(num(s_) - c) <= half_unit(dc) + half_unit(decimals_of(s_)) + 1e-9
                                  for s_ in sample_c) for c, _, dc in terms):
                continue
            tol = half_unit(d) + sum(h * half_unit(dc) for c, h, dc in terms if c != 0) / div + 1e-9
            alt = [float(res)] + (digit_readings(res) if doubtful(vv) else [])
            if any(abs(y * k - x) <= tol * max(1.0, k) for y in alt for k in OCR_SCALES):
                continue
        who = " ".join(str(v) for v in (r.value("post"), r.value("site"), r.value("factor")) if v)
        expr = " + ".join(f"{fmt_num(c)}×{fmt_num(h)}" for c, h, _ in terms)
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"数据换算记录第{vv.page}页 {who} C_TWA 按所列公式 ({expr}) / {fmt_num(div)} 复算为 {fmt_num(x)} mg/m³"
            f"（修约后 {fmt_num(x, d)}），记录为 {res} mg/m³{by_samples}",
            [vv], pages=[vv.page])
    if not parsed and calc.rows:
        yield ctx.cannot_decide(73, "数据换算记录中的 C_TWA 计算式", pages=calc.pages or ctx.section_pages("data_calculation"),
                                why="未识别出含各浓度与时间的 C_TWA 计算式，C_TWA 未复算")


@check("i073_noise_lex", indicators=[73], needs=["report"])
def noise_lex(ctx: Ctx):
    """L_EX,8h = L_Aeq + 10·lg(Te/8) in the report's noise table."""
    for r in ctx.records.report.noise:
        c = lex_check(r)
        if c is None or not c.wrong:
            continue
        lv, hv, xv = c.laeq, c.hours, c.lex
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"检测报告第{xv.page}页 噪声 {r.value('post') or ''}（{r.value('site') or ''}）：L_Aeq {printed(lv)} dB(A)、"
            f"接触时间 {printed(hv)} h，L_EX,8h 应为 {c.expected:.1f} dB(A)，记录为 {printed(xv)} dB(A)",
            [xv, lv, hv], pages=[xv.page])


def _same_reading(ctx: Ctx, a: Val, b: Val) -> bool:
    """Two printed values state the same result (``agree``: equal, or one the rounding of
    the other), also under any plausible OCR reading of ``a`` when read from a scan
    (``a`` is read once, so a look-alike digit counts; ``b`` is corroborated by its own
    formula)."""
    sb = _printed_number(b)
    return sb is not None and any(agree(x, sb) for x in reading_strs(ctx, a, lookalikes=True))


def _row_date(r: Row, sdates: dict) -> Optional[dt.date]:
    """The sampling day of a report row: the one date of all its samples, else None."""
    ids = r.value("sample_ids") or []
    days = {sdates[i][0] for i in ids if i in sdates}
    return days.pop() if len(days) == 1 else None


def _terms_are_samples(terms: list[tuple[float, float, int]], concs: list[Val]) -> bool:
    """Every C of a C_TWA formula is the concentration of a distinct sample of the row
    (as printed, within rounding): the line is that row's calculation."""
    pool = list(concs)
    for c, _, dc in terms:
        hit = next((v for v in pool if abs(float(v.value) - c) <= half_unit(dc) + half_unit(decimals_of(v)) + 1e-9), None)
        if hit is None:
            return False
        pool.remove(hit)
    return True


@check("i073_report_vs_calc", indicators=[73, 61], needs=["report", "data_calculation"])
def report_vs_calc(ctx: Ctx):
    """Report C_TWA against the calculation record's C_TWA line for the same samples.

    A mismatch means the reported result cannot be reproduced from the calculation, the
    defect item 73 scores (the expert checklist files it there); item 61 is the
    report-side statement of the same error. The line is identified by its factor, post,
    work location and day, *and* by its formula: the concentrations it sums must be those
    of the report row's own samples. One post may have several lines on one day (two
    groups, two shifts), and OCR may lose a line altogether, so a line that only shares
    the post could be another group's; without exactly one line confirmed by its samples
    nothing is compared."""
    calc = ctx.records.data_calculation
    sdates = sampling_dates(ctx.records)
    concs: dict[str, list[Val]] = {}
    for r in calc.rows:
        cv = r.get("conc")
        if r.value("sample_id") and num(cv) is not None and cv.conf >= 0.8:
            concs.setdefault(r.value("sample_id"), []).append(cv)
    lines = []
    for r in calc.twa:
        v = r.get("value")
        f = _twa_formula(v) if v.ok else None
        if f is None or not r.value("post") or v.conf < 0.8:
            continue
        if _twa_off(*f) is not None:
            continue  # the line disagrees with its own formula: i073_twa reports that
        lines.append((norm_text(r.value("post")), norm_text(r.value("site")), norm_text(r.value("factor")),
                      r.value("date"), v, f[0], frozenset(r.value("sample_ids") or ())))
    if not lines:
        return
    for r in ctx.records.report.results:
        cv = r.get("c_twa")
        c = num(cv)
        post, site, fac = norm_text(r.value("post")), norm_text(r.value("site")), norm_text(r.value("factor"))
        ids = r.value("sample_ids") or []
        if c is None or not post or not fac or cv.conf < 0.8 or not ids or not all(i in concs for i in ids):
            continue
        day = _row_date(r, sdates)
        row_concs = [v for i in ids for v in concs[i][:1]]
        # a line naming its samples is that row's line when they are the row's samples (the
        # record may name the post without its work location); else post, location and day
        cands = [x for x in lines if x[0] == post and x[2] in (fac, "")
                 and ((x[6] and x[6] == frozenset(ids)) or (not x[6] and x[1] == site))
                 and (day is None or x[3] is None or x[3] == day) and _terms_are_samples(x[5], row_concs)]
        if len(cands) != 1:
            continue
        _, _, _, cday, v, _, _ = cands[0]
        if _same_reading(ctx, cv, v):
            continue
        when = f"{cday.year}年{cday.month}月{cday.day}日 " if isinstance(cday, dt.date) else ""
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"检测报告第{cv.page}页 {r.value('factor') or ''} {r.value('post')}（{r.value('site') or ''}）C_TWA 为 "
            f"{printed(cv)} mg/m³，数据换算记录第{v.page}页 {when}同一岗位、地点的 C_TWA（由样品 {'、'.join(ids)} 的浓度计算）"
            f"为 {printed(v)} mg/m³，报告结果与计算记录不符",
            [cv, v], pages=[cv.page, v.page])


def _sample_concs(ctx: Ctx) -> dict[str, list[tuple[Val, Optional[float], Optional[str]]]]:
    """Sample id → (printed concentration, sampling minutes, factor) from the calculation
    record and the lab sheets."""
    out: dict[str, list[tuple[Val, Optional[float], Optional[str]]]] = {}
    rec = ctx.records
    if rec.data_calculation is not None:
        for r in rec.data_calculation.rows:
            sid, cv = r.value("sample_id"), r.get("conc")
            if sid and num(cv) is not None:
                out.setdefault(sid, []).append((cv, num(r.get("minutes")), r.value("factor")))
    for sh in rec.lab_sheets:
        fac = sh.factor.value if sh.factor.ok else None
        for r in sh.rows:
            sid, cv = r.value("sample_id"), r.get("conc")
            if sid and num(cv) is not None:
                out.setdefault(sid, []).append((cv, None, fac))
    return out


@check("i073_report_short_term", indicators=[73], needs=["report"])
def report_short_term(ctx: Ctx):
    """Report C_STE / C_ME against the concentrations of the row's own samples.

    C_ME is the highest sample concentration; C_STE a 15-min sample's concentration, the
    mean of short samples taken within 15 min, or C·t/15 for a shorter exposure (README
    §1 R1.5/R1.6). Whichever was used, it is one of those values and never above the
    highest sample concentration; a printed value that is none of them is not computed
    from these samples. Only rows whose every sample concentration was read are checked.
    """
    concs = _sample_concs(ctx)
    if not concs:
        return
    for r in ctx.records.report.results:
        sv = r.get("c_stel")
        s_ = num(sv)
        ids = r.value("sample_ids") or []
        if s_ is None or sv.conf < 0.8 or not ids or not all(i in concs for i in ids):
            continue
        fac = norm_text(r.value("factor"))
        vals: list[tuple[Val, Optional[float]]] = []
        ok = True
        for i in ids:
            got = [(cv, mins) for cv, mins, f in concs[i] if cv.conf >= 0.8 and (not f or not fac or norm_text(f) == fac)]
            if not got:
                ok = False
                break
            vals += got
        if not ok:
            continue
        # the report value is read once: on a scan a look-alike digit is a reading too
        mine = reading_strs(ctx, sv, lookalikes=True)
        printed_c = [s_ for cv, _ in vals for s_ in reading_strs(ctx, cv)]
        if any(agree(y, x) for y in mine for x in printed_c):
            continue
        # computed candidates: C·t/15 for a sample shorter than 15 min, the mean of short samples
        comp: list[tuple[float, float]] = []
        for cv, mins in vals:
            if mins and 0 < mins < 15:
                comp.append((num(cv) * mins / 15.0, half_unit(decimals_of(cv)) * mins / 15.0))
        short = [(num(cv), half_unit(decimals_of(cv))) for cv, mins in vals if mins is not None and mins <= 15]
        if len(short) >= 2:
            comp.append((sum(x for x, _ in short) / len(short), max(e for _, e in short)))
        if any(abs(float(y) - x) <= half_unit(len(y.split(".")[1]) if "." in y else 0) + e + 1e-9
               for y in mine for x, e in comp):
            continue
        top = max(num(cv) for cv, _ in vals)
        shown = "、".join(dict.fromkeys(printed(cv) for cv, _ in vals))
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"检测报告第{sv.page}页 {r.value('factor') or ''} {r.value('post') or ''}（{r.value('site') or ''}）"
            f"C_STE/C_ME 为 {printed(sv)} mg/m³，而该行样品 {'、'.join(ids)} 的浓度为 {shown} mg/m³"
            f"（最高 {fmt_num(top)} mg/m³），报告值不能由样品浓度得出",
            [sv] + [cv for cv, _ in vals[:3]], pages=[sv.page])
