"""Indicator 73 (and 61): results can be recomputed from the recorded raw data.

Attachment 3, item (73)：“分析结果的数据转换及处理过程规范，并有记录和校核确认。检测结果计算正确，使用法定计量单位。”
检查方法：“查阅实验室分析记录。核实分析数据处理计算过程、计量单位及校核情况，每发现1处错误扣0.3分。”
Attachment 3, item (61)：“准确表述检测点(岗位)、样品数量、危害因素名称、危害因素检测结果。”

``calc.not_reproducible`` (73), from the lab sheets and the calculation record:

- concentration: C (mg/m³) = m (µg) / V (L), optionally after subtracting the sheet's
  blank mass (the method may say so); for weighed filters m = (after − before) × 1000;
- volume: V (L) = Q (L/min) × t (min), or that volume converted to 20 °C / 101.3 kPa
  (domain README §1 "Standard volume", §6: conversion applies outside 5–35 °C or
  98.8–103.4 kPa; both readings are accepted since the rule is only `partial`);
- C_TWA = Σ(Cᵢ·Tᵢ)/8 re-evaluated from the terms printed in each C_TWA line (README §6);
- noise L_EX,8h = L_Aeq,Te + 10·lg(Te/8) (README §4) in the report's noise table.

A value is called wrong only when it differs from every accepted recomputation by more
than what the rounding of the printed inputs and output can explain (half a unit in
the last printed place of each, propagated).

``report.result_mismatch`` (61): a C_TWA printed in the report matches none of the
C_TWA values of the calculation record for the same post and work location.
"""
from __future__ import annotations

import math
import re
from typing import Iterable, Optional

from checks._shared_lab import (
    _TIMES,
    blank_ids,
    decimals_of,
    fmt_num,
    half_unit,
    norm_text,
    num,
    printed,
)
from checks.base import Ctx, check
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


def _conc_problem(m: float, m_err: float, v: float, dv: Optional[int], cv: Val,
                  blank: list[float]) -> Optional[float]:
    """The recomputed concentration when the printed one cannot be explained, else None."""
    c = num(cv)
    if c is None or v <= 0:
        return None
    dc = decimals_of(cv)
    base = [m / v] + [(m - b) / v for b in blank if b]
    # m in µg and V in L give mg/m³ directly; a sheet printing m in mg (or V in m³) is off
    # by exactly 1000, a unit choice rather than an arithmetic error
    candidates = base + [x * 1000 for x in base] + [x / 1000 for x in base]
    for x in candidates:
        # rounding of the printed m and V propagates into C; C itself is rounded once more
        tol = half_unit(dc) + abs(x) * (m_err / max(abs(m), 1e-12) + half_unit(dv) / v) + 1e-9
        if abs(c - x) <= tol:
            return None
    return candidates[0]


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
            bad = _conc_problem(m, m_err, v, decimals_of(vv), cv, blank)
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
            # Q and t are rounded as printed; V is rounded once more
            spread = t * half_unit(decimals_of(qv)) + q * half_unit(decimals_of(tv))
            tc, pc = conds.get(sid, (None, None))
            std = _std_volume(raw, tc, pc)
            accepted = [raw] + ([std] if std is not None else [])
            ok = any(abs(v - a) <= half_unit(decimals_of(vv)) + spread * max(1.0, a / raw) + 1e-9
                     # the same volume printed in m³
                     or abs(v * 1000 - a) <= 1000 * half_unit(decimals_of(vv)) + spread * max(1.0, a / raw) + 1e-9
                     for a in accepted)
            if not ok:
                problems.setdefault(sid, {"conc": [], "vol": []})["vol"].append((r, q, t, v, vv, raw))
    if sources and not computable and any(rows for _, rows in sources):
        pages = [r.page for _, rows in sources for r in rows if r.page]
        yield ctx.cannot_decide(73, "样品含量、采样体积与浓度（无一行三者俱全）", pages=pages)
    for sid, p in problems.items():
        parts, ev = [], []
        for where, r, m, v, cv, bad in p["conc"]:
            dc = decimals_of(cv)
            parts.append(f"{where}第{r.page}页：{fmt_num(m)} μg ÷ {fmt_num(v)} L = {fmt_num(bad)} mg/m³"
                         f"（修约后 {fmt_num(bad, dc)}），记录为 {printed(cv)} mg/m³")
            ev.append(cv)
        for r, q, t, v, vv, raw in p["vol"]:
            parts.append(f"数据换算记录第{r.page}页：采样体积 {fmt_num(q)} L/min × {fmt_num(t)} min = {fmt_num(raw)} L，"
                         f"记录为 {printed(vv)} L")
            ev.append(vv)
        yield ctx.finding("calc.not_reproducible", 73,
                          f"样品 {sid} 的检测结果不能由原始数据复算：" + "；".join(parts), ev)


_TERM = re.compile(r"(\d+(?:\.\d+)?)\s*" + _TIMES + r"\s*(\d+(?:\.\d+)?)")
_DIV = re.compile(r"\)\s*[/÷]\s*(\d+(?:\.\d+)?)")
_RESULT = re.compile(r"=\s*(\d+(?:\.\d+)?)\s*(?:mg/m[³3])?\s*$")


def _twa_formula(raw: str) -> Optional[tuple[list[tuple[float, float, int]], float, str]]:
    """Terms (C, T, decimals of C), divisor, printed result of a C_TWA line, when all are printed."""
    t = raw.replace("（", "(").replace("）", ")").replace("＝", "=")
    if "TWA" not in t.upper():
        return None
    body = t[t.upper().index("TWA"):]
    m_open = body.find("(")
    m_div = _DIV.search(body)
    m_res = _RESULT.search(body)
    if m_open < 0 or not m_div or not m_res or m_div.start() < m_open:
        return None
    inner = body[m_open + 1: m_div.start()]
    terms = [(float(a), float(b), len(a.split(".")[1]) if "." in a else 0) for a, b in _TERM.findall(inner)]
    # every '+'-separated piece must be a C×T term, else the line was not read whole
    pieces = [x for x in re.split(r"\+", inner) if x.strip()]
    if not terms or len(terms) != len(pieces):
        return None
    return terms, float(m_div.group(1)), m_res.group(1)


@check("i073_twa", indicators=[73], needs=["data_calculation"])
def twa(ctx: Ctx):
    """C_TWA lines of the calculation record re-evaluated from their own terms."""
    calc = ctx.records.data_calculation
    parsed = 0
    for r in calc.twa:
        vv = r.get("value")
        if not vv.ok or vv.conf < 0.6:
            continue
        f = _twa_formula(vv.raw or "")
        if f is None:
            continue
        parsed += 1
        terms, div, res = f
        if div <= 0:
            continue
        x = sum(c * h for c, h, _ in terms) / div
        shown = float(res)
        d = len(res.split(".")[1]) if "." in res else 0
        # the printed result is rounded once; the terms may themselves be rounded from
        # unrounded concentrations the institution actually summed
        tol = half_unit(d) + sum(h * half_unit(dc) for _, h, dc in terms) / div + 1e-9
        if abs(shown - x) <= tol:
            continue
        who = " ".join(str(v) for v in (r.value("post"), r.value("site")) if v)
        expr = " + ".join(f"{fmt_num(c)}×{fmt_num(h)}" for c, h, _ in terms)
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"数据换算记录第{vv.page}页 {who} C_TWA 按所列公式 ({expr}) / {fmt_num(div)} 复算为 {fmt_num(x)} mg/m³"
            f"（修约后 {fmt_num(x, d)}），记录为 {res} mg/m³",
            [vv])
    if not parsed and calc.rows:
        yield ctx.cannot_decide(73, "数据换算记录中的 C_TWA 计算式", pages=calc.pages or ctx.section_pages("data_calculation"),
                                why="未识别出含各浓度与时间的 C_TWA 计算式，C_TWA 未复算")


@check("i073_noise_lex", indicators=[73], needs=["report"])
def noise_lex(ctx: Ctx):
    """L_EX,8h = L_Aeq + 10·lg(Te/8) in the report's noise table."""
    for r in ctx.records.report.noise:
        lv, hv, xv = r.get("laeq"), r.get("hours"), r.get("lex8h")
        la, h, lex = num(lv), num(hv), num(xv)
        if la is None or h is None or lex is None or h <= 0 or h > 24:
            continue
        if min(lv.conf, hv.conf, xv.conf) < 0.6:
            continue
        x = la + 10 * math.log10(h / 8.0)
        tol = half_unit(decimals_of(xv)) + half_unit(decimals_of(lv)) + 4.343 * half_unit(decimals_of(hv)) / h + 1e-9
        if abs(lex - x) <= tol:
            continue
        yield ctx.finding(
            "calc.not_reproducible", 73,
            f"检测报告第{xv.page}页 噪声 {r.value('post') or ''}（{r.value('site') or ''}）：L_Aeq {printed(lv)} dB(A)、"
            f"接触时间 {printed(hv)} h，L_EX,8h 应为 {x:.1f} dB(A)，记录为 {printed(xv)} dB(A)",
            [xv, lv, hv])


@check("i061_report_vs_calc", indicators=[61], needs=["report", "data_calculation"])
def report_vs_calc(ctx: Ctx):
    """Report C_TWA against the calculation record's C_TWA for the same post and site."""
    calc = ctx.records.data_calculation
    by_place: dict[tuple[str, str], list[Val]] = {}
    for r in calc.twa:
        v = r.get("value")
        if v.ok and r.value("post"):
            by_place.setdefault((norm_text(r.value("post")), norm_text(r.value("site"))), []).append(v)
    if not by_place:
        return
    for r in ctx.records.report.results:
        cv = r.get("c_twa")
        c = num(cv)
        post, site = norm_text(r.value("post")), norm_text(r.value("site"))
        if c is None or not post or cv.conf < 0.6:
            continue
        cands = by_place.get((post, site))
        if not cands:
            continue
        dc = decimals_of(cv)
        if any(abs(c - float(v.value)) <= half_unit(dc) + half_unit(decimals_of(v)) + 1e-9 for v in cands):
            continue
        vals = "、".join(printed(v) for v in cands)
        yield ctx.finding(
            "report.result_mismatch", 61,
            f"检测报告第{cv.page}页 {r.value('factor') or ''} {r.value('post')}（{r.value('site') or ''}）C_TWA 为 "
            f"{printed(cv)} mg/m³，数据换算记录第{cands[0].page}页同一岗位/地点的 C_TWA 为 {vals} mg/m³",
            [cv] + cands[:2])
