"""Family B: method-specific lab sheets and the concentration calculation record."""
from __future__ import annotations

import random
from decimal import Decimal

from samples.model import LabSheet
from samples.render.draw import Renderer
from samples.render_b.kit import (B, C, Form, Ids, Tx, conc_str, fdate, grid, info_grid, sign_strip)
from samples.scenario import twa_hours


def _kind(sh: LabSheet) -> str:
    s = sh.instrument + sh.method
    if sh.curve_r is None or "天平" in s:
        return "grav"
    if "气相色谱" in s:
        return "gc"
    if "原子吸收" in s:
        return "aas"
    if "离子色谱" in s:
        return "ic"
    return "spec"


_TITLES = {
    "grav": "粉尘质量浓度测定原始记录（滤膜质量法）",
    "gc": "有机物测定原始记录（气相色谱法）",
    "aas": "金属及其化合物测定原始记录（原子吸收光谱法）",
    "ic": "无机物测定原始记录（离子色谱法）",
    "spec": "无机物测定原始记录（分光光度法）",
}


def _ug(v: float) -> str:
    return f"{v:.2f}" if v < 100 else f"{v:.1f}"


def lab_analysis(r: Renderer) -> None:
    sc = r.sc
    by_id = {x.sample_id: x for x in sc.samples}
    for si, sh in enumerate(sc.lab_sheets):
        kind = _kind(sh)
        rng = random.Random(f"b-lab:{sc.seed}:{si}")
        f = Form(r, "lab_analysis", _TITLES[kind], 20 + si % 3)
        info_grid(f, [
            [("检测项目", Tx(sh.factor, "value", "lab.factor"), 2), ("检测依据", sh.method, 2)],
            [("仪器名称型号", sh.instrument, 2), ("仪器编号", sh.instrument_id, 2)],
            [("样品接收日期", Tx(fdate(r, sh.receipt_date), "value", "lab.receipt_date"), 2),
             ("分析日期", Tx(fdate(r, sh.analysis_date), "value", "lab.analysis_date"), 2)],
            [("室温", f"{rng.uniform(19, 25):.1f} ℃", 1), ("湿度", f"{rng.randrange(40, 65)}%RH", 1),
             ("保存条件/期限", f"{sh.storage or '—'}；{sh.storage_days if sh.storage_days is not None else '—'} d", 2)],
        ])
        if kind == "grav":
            # balance readability 0.01 mg; blank filters and a check weight, no reagent blank
            f.para(f"天平感量 0.01 mg；滤膜恒重：两次称量差不超过0.1 mg。", 9, indent=False)
            rows = []
            for i, lr in enumerate(sh.rows, 1):
                m1 = round(rng.uniform(18.0, 42.0), 2)
                dm = lr.mass_ug / 1000.0
                x = by_id.get(lr.sample_id)
                blank = bool(x and x.is_blank)
                rows.append({"n": str(i), "id": Tx(lr.sample_id, "sample_id"), "fid": f"M{rng.randrange(1000, 9999)}",
                             "m1": f"{m1:.2f}", "m2": f"{m1 + dm:.2f}", "dm": f"{dm:.2f}",
                             "ug": f"{lr.mass_ug:.0f}", "note": "现场空白滤膜" if blank else lr.note})
            grid(f, [C("n", "序号", 0.5), C("id", "样品编号", 1.6), C("fid", "滤膜编号", 0.9),
                     C("m1", "采样前 m1", 1.0, group="滤膜质量 mg"), C("m2", "采样后 m2", 1.0, group="滤膜质量 mg"),
                     C("dm", "增重 Δm mg", 0.9), C("ug", "折算 µg", 0.8), C("note", "备注", 1.2)], rows, size=8.5)
            f.heading("质量控制", 10)
            qc = []
            if sh.method_blank:
                qc.append(f"实验室空白滤膜（同批2张）：{sh.method_blank}")
            if sh.qc:
                qc.append(f"天平核查：{sh.qc}")
            for q in qc:
                f.para(q, 9, indent=False)
        else:
            vol = 1.0 if kind == "gc" else 10.0 if kind in ("aas", "spec") else 5.0
            unit = "峰面积" if kind in ("gc", "ic") else "吸光度"
            slope = rng.uniform(800, 3000) if unit == "峰面积" else rng.uniform(0.02, 0.09)
            b0 = slope * rng.uniform(-0.004, 0.004)
            pts = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0] if kind != "aas" else [0.0, 0.1, 0.2, 0.5, 1.0, 2.0]
            top = max((lr.mass_ug / vol for lr in sh.rows), default=0.0) * 1.2
            scale = next((k for k in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
                          if pts[-1] * k >= top), 1000)  # the series brackets the samples
            pts = [round(p * scale, 4) for p in pts]
            slope /= scale
            f.heading("标准曲线", 10)
            nd = 1 if unit == "峰面积" else 4
            grid(f, [C("k", "标准系列", 1.4)] + [C(f"p{i}", str(i + 1), 1) for i in range(len(pts))],
                 [{"k": "浓度 µg/mL", **{f"p{i}": f"{p:g}" for i, p in enumerate(pts)}},
                  {"k": unit, **{f"p{i}": f"{slope * p + b0 + (rng.uniform(-0.01, 0.01) * slope * p):.{nd}f}"
                                  for i, p in enumerate(pts)}}], size=8.5, repeat_titles=True)
            rtxt = f"{sh.curve_r:.4f}" if sh.curve_r is not None else ""
            f.para(f"回归方程：y = {slope:.{nd}f}x {'+' if b0 >= 0 else '-'} {abs(b0):.{nd}f}    相关系数 r = {rtxt}",
                   9, indent=False)
            rows = []
            for i, lr in enumerate(sh.rows, 1):
                x = by_id.get(lr.sample_id)
                blank = bool(x and x.is_blank)
                c_sol = lr.mass_ug / vol
                rows.append({"n": str(i), "id": Tx(lr.sample_id, "sample_id"),
                             "resp": f"{slope * c_sol + b0:.{nd}f}" if lr.mass_ug else "—",
                             "c": f"{c_sol:.4f}" if lr.mass_ug else "<检出限",
                             "v": f"{vol:g}", "m": _ug(lr.mass_ug) if lr.mass_ug else "0.00",
                             "note": "现场空白" if blank else lr.note})
            grid(f, [C("n", "序号", 0.5), C("id", "样品编号", 1.6), C("resp", unit, 1.0),
                     C("c", "测得浓度 µg/mL", 1.1), C("v", "解吸/定容体积 mL", 1.1),
                     C("m", "样品含量 m µg", 1.0), C("note", "备注", 1.0)], rows, size=8.5)
            f.heading("质量控制", 10)
            if sh.method_blank:
                f.para(f"试剂空白/方法空白：{sh.method_blank}", 9, indent=False)
            if len(sh.rows) >= 2:
                pick = sh.rows[0].sample_id
                f.para(f"平行样：{pick} 平行测定相对偏差 {rng.uniform(0.5, 6.5):.1f}%（≤10%）", 9, indent=False)
            if sh.qc:
                f.para(f"质控措施：{sh.qc}", 9, indent=False)
        sign_strip(f, [("分析人", [sh.analyst], sh.analysis_date, "lab.analyst"),
                       ("复核人", [sh.reviewer] if sh.reviewer else [], sh.analysis_date, "lab.reviewer")])
        f.finish()


def data_calculation(r: Renderer) -> None:
    sc = r.sc
    hb = B(r)
    f = Form(r, "data_calculation", "检测结果计算表", 24, sub="（空气中有害物质浓度及时间加权平均浓度）")
    info_grid(f, [[("项目编号", sc.survey.project_no, 2), ("用人单位", sc.employer.name, 3)]])
    f.para("计算公式：C = m / V（C：空气中浓度 mg/m³；m：样品中待测物含量 µg，已扣除现场空白；V：采样体积 L，"
           "V = 平均流量 × 采样时间）；C_TWA = (C1T1 + C2T2 + … + CnTn) / 8。", 9, indent=False)
    f.heading("一、单个样品浓度", 10.5)
    for fac, spec in sc.factors.items():
        if spec.kind == "noise":
            continue
        xs = [x for x in sc.samples if x.factor == fac and not x.is_blank and x.conc is not None]
        if not xs:
            continue
        f.need(60)
        f.pg.text(52, f.y, f"检测项目：{fac}（结果保留 {spec.decimals} 位小数）", 9.5, bold=True)
        f.y += 15
        rows = []
        for x in xs:
            rows.append({"id": Tx(x.sample_id, "sample_id"), "d": fdate(r, x.date), "flow": f"{x.flow:g}" if x.flow else "",
                         "t": str(x.minutes), "v": f"{x.volume_l:.1f}" if x.volume_l else "",
                         "m": f"{x.mass_ug:g}" if x.mass_ug is not None else "",
                         "c": conc_str(x.conc, spec.decimals), "p": x.purpose})
        grid(f, [C("id", "样品编号", 1.5), C("d", "采样日期", 1.1), C("flow", "平均流量 L/min", 0.9),
                 C("t", "时间 min", 0.7), C("v", "采样体积 V L", 0.9), C("m", "含量 m µg", 0.9),
                 C("c", "浓度 C mg/m³", 1.0), C("p", "用途", 0.8)], rows, size=8.2)
    f.heading("二、时间加权平均浓度及短时间接触浓度", 10.5)
    by_id = {x.sample_id: x for x in sc.samples}
    rows = []
    for row in sc.report.results:
        spec = sc.factors[row.factor]
        twa = [by_id[i] for i in row.sample_ids if i in by_id and "TWA" in by_id[i].purpose and by_id[i].conc is not None]
        if twa and row.c_twa is not None:
            terms = " + ".join(f"{conc_str(x.conc, spec.decimals)}×{_h(twa_hours(x))}" for x in twa)
            rest = Decimal(8) - sum((twa_hours(x) for x in twa), Decimal(0))
            if rest > 0:
                terms += f" + 0×{_h(rest)}"
            expr = f"({terms}) / 8 = {conc_str(row.c_twa, spec.decimals)}"
        else:
            expr = "—"
        short = []
        if row.c_stel is not None:
            short.append(f"C_STE = {conc_str(row.c_stel, spec.decimals)}")
        if row.c_mac is not None:
            short.append(f"C_ME = {conc_str(row.c_mac, spec.decimals)}")
        rows.append({"where": f"{row.post}", "fac": row.factor, "d": fdate(r, row.date) if row.date else "",
                     "ids": Tx("、".join(row.sample_ids)) if len("、".join(row.sample_ids)) < 40 else None,
                     "twa": expr, "short": "；".join(short) or "—"})
        if rows[-1]["ids"] is None:
            rows[-1]["ids"] = Ids(list(row.sample_ids))
    grid(f, [C("where", "岗位", 1.2), C("fac", "项目", 0.9), C("d", "日期", 0.9), C("ids", "样品编号", 1.9, "l"),
             C("twa", "C_TWA 计算式 mg/m³", 3.0, "l"), C("short", "C_STE / C_ME mg/m³", 1.2)], rows, size=8)
    if sc.noise:
        f.heading("三、噪声 8 h 等效声级", 10.5)
        grid(f, [C("post", "岗位", 1.4), C("laeq", "LAeq,Te dB(A)", 1.0), C("t", "Te h", 0.6),
                 C("calc", "L_EX,8h = LAeq,Te + 10lg(Te/T0)", 2.6, "l"), C("lex", "L_EX,8h dB(A)", 1.0)],
             [{"post": m.post, "laeq": f"{m.laeq:.1f}", "t": f"{m.exposure_hours:g}",
               "calc": f"{m.laeq:.1f} + 10lg({m.exposure_hours:g}/8)", "lex": f"{m.lex8h:.1f}"} for m in sc.noise],
             size=8.2)
    calc_by = sc.report.author
    check_by = next((sh.reviewer for sh in sc.lab_sheets if sh.reviewer), None) or sc.report.reviewer
    sign_strip(f, [("计算人", [calc_by] if calc_by else [], None, "calc.author"),
                   ("校核人", [check_by] if check_by else [], None, "calc.checker")], boxed=hb.code_year % 2 == 1)
    f.finish()


def _h(v: Decimal) -> str:
    return f"{float(v):g}"
