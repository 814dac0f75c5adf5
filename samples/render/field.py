"""Field and lab records: sampling records (采样记录, 噪声测量记录), sample transfer
(样品交接记录), lab analysis sheets (实验室分析原始记录), calculation records
(数据换算过程记录)."""
from __future__ import annotations

import random
import zlib
from collections import OrderedDict

from samples.model import Sample, SamplingDay
from samples.render.common import form_code, record_start, signature_fields
from samples.render.draw import (CW, ML, text_width, Col, Flow, Renderer, Sig, T, header_block, num, ordered_cols, page_no_fmt,
                                 sig_num, table)


def _factor_kind(r: Renderer, name: str) -> str:
    f = r.sc.factors.get(name)
    return f.kind if f else "chemical"


def _equipment_text(day: SamplingDay, samples: list[Sample]) -> str:
    """Instruments of this sheet: the pumps its samples used plus the shared kit
    (flowmeter, barometer, thermo-hygrometer), one entry per model with its ids."""
    pumps = {s.pump_id for s in samples}
    shared = ("流量计", "气压", "温湿度", "温度")
    eq = [e for e in day.equipment if e.equipment_id in pumps or any(k in e.name for k in shared)]
    groups: "OrderedDict[tuple[str, str], list[str]]" = OrderedDict()
    for e in eq or day.equipment:
        groups.setdefault((e.name, e.model), []).append(e.equipment_id)
    return "；".join(f"{n} {m}（{'、'.join(ids)}）" for (n, m), ids in groups.items())


def flow_str(v: float) -> str:
    """Flows as the meter is read: two decimals (3.00, 0.50), more only if the data has them."""
    s = f"{v:.2f}"
    return s if abs(float(s) - v) < 1e-9 else f"{v:g}"


def _mode(s: Sample) -> str:
    return "空白" if s.is_blank else s.mode


# The sample's kind as each layout variant prints it: long-time (C_TWA), short-time
# (C_STE, 15 min), ceiling (C_ME); 15-min fixed-point samples that stand for a stretch
# of the shift serve both C_TWA and C_STE.
_PURPOSE_TITLES = ["采样类型", "长/短时间", "浓度类型"]
_PURPOSE_TEXT = [
    {"TWA": "长时间", "STEL": "短时间", "TWA/STEL": "短时间", "MAC": "最高浓度"},
    {"TWA": "长时间", "STEL": "短时间(STEL)", "TWA/STEL": "短时间", "MAC": "短时间(MAC)"},
    {"TWA": "C_TWA", "STEL": "C_STE", "TWA/STEL": "C_TWA/C_STE", "MAC": "C_ME"},
]


# --------------------------------------------------------------------------- sampling record
def sampling_record(r: Renderer) -> None:
    sc = r.sc
    fmt = r.fmt
    for day in sc.sampling_days:
        # One sheet per factor family and day, the way the forms are filed: dust on filters,
        # each gas/vapour collector on its own sheet.
        groups: "OrderedDict[tuple[str, str], list[Sample]]" = OrderedDict()
        for s in day.samples:
            kind = _factor_kind(r, s.factor)
            key = ("dust", "") if kind == "dust" else ("chemical", s.factor)
            groups.setdefault(key, []).append(s)
        for (kind, fname), samples in groups.items():
            _sampling_sheet(r, day, kind, samples)
    for d in sorted({n.date for n in sc.noise}):
        _noise_sheet(r, d, [n for n in sc.noise if n.date == d])


def _sampling_sheet(r: Renderer, day: SamplingDay, kind: str, samples: list[Sample]) -> None:
    sc = r.sc
    fmt = r.fmt
    factors = list(OrderedDict.fromkeys(s.factor for s in samples))
    spec = sc.factors.get(factors[0])
    if kind == "dust":
        t = ["工作场所空气中粉尘采样记录", "粉尘浓度现场采样记录", "职业病危害因素现场采样记录（粉尘）"][r.variant]
        code = form_code(r, 12)
    else:
        t = ["工作场所空气中有害物质采样记录", "化学有害因素现场采样记录", "职业病危害因素现场采样记录（化学因素）"][r.variant]
        code = form_code(r, 13)
    flow = Flow(r, "sampling_record", record_start(t, code))
    cal = ("采样前" + ("已校准" if day.calibration_before else "未校准") + "，采样后" +
           ("已校准" if day.calibration_after else "未校准"))
    weather = (f"{day.weather}  气温{fmt.fw(f'{day.temperature_c:.1f}')}℃  气压{fmt.fw(f'{day.pressure_kpa:.1f}')}kPa  "
               f"相对湿度{fmt.fw(str(day.humidity_pct))}%")
    pairs = [(fmt.label("项目编号"), sc.survey.project_no), (fmt.label("用人单位"), sc.employer.name),
             (fmt.label("采样日期"), T(fmt.fw(fmt.date(day.date)), "value", "sampling.date")),
             (fmt.label("检测项目"), "、".join(factors)),
             (fmt.label("气象条件"), weather),
             ("采样依据", spec.sampling_method if spec and spec.sampling_method else "GBZ 159-2004"),
             ("采样仪器及" + fmt.label("设备编号"), _equipment_text(day, samples)),
             ("流量校准", cal)]
    if kind == "dust" and spec and spec.separator:
        pairs.append(("预分离器", spec.separator))
    header_block(flow, pairs, size=9)
    cols = [Col("sample_id", fmt.label("样品编号"), 1.25), Col("site", fmt.label("采样地点"), 1.35),
            Col("post", "岗位/采样对象", 1.1), Col("factor", fmt.label("检测项目"), 0.95), Col("mode", "采样方式", 0.6),
            Col("period", fmt.label("采样时段"), 1.0), Col("minutes", "采样时长(min)", 0.65),
            Col("flow_before", "采样前流量(L/min)", 0.72), Col("flow_after", "采样后流量(L/min)", 0.72),
            Col("pump_id", "采样器编号", 1.0)]
    cols.insert(5, Col("purpose", _PURPOSE_TITLES[r.variant], 0.7))
    if len(factors) == 1 and r.sub % 2 == 0:
        cols = [c for c in cols if c.key != "factor"]  # single-factor sheets often drop the column
    cols = ordered_cols(r, "sampling", cols)
    rows = []
    for s in samples:
        rows.append({"sample_id": T(s.sample_id, "sample_id"), "site": "" if s.site_blank else s.site,
                     "post": "/" if s.is_blank else s.post,
                     "factor": s.factor, "mode": _mode(s),
                     "purpose": "/" if s.is_blank else _PURPOSE_TEXT[r.variant].get(s.purpose, ""),
                     "period": T(f"{s.start}-{s.end}", "value") if s.start else "",
                     "minutes": T(str(s.minutes), "value") if s.minutes else "",
                     "flow_before": T(flow_str(s.flow_before), "value") if s.flow_before is not None else None,
                     "flow_after": T(flow_str(s.flow_after), "value") if s.flow_after is not None else None,
                     "pump_id": s.pump_id})
    table(flow, cols, rows, size=7.8, min_h=19)
    flow.y += 4
    signature_fields(flow, [(fmt.label("采样人"), day.samplers, None, "sampling.samplers"),
                            (fmt.label("陪同人"), day.escort, None, "sampling.escort"),
                            (fmt.label("复核人"), day.checker, day.date, "sampling.checker")])
    flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")


def _noise_sheet(r: Renderer, d, rows_) -> None:
    sc = r.sc
    fmt = r.fmt
    day = next((x for x in sc.sampling_days if x.date == d), None)
    t = ["工作场所噪声测量记录", "噪声现场检测原始记录", "职业病危害因素现场检测记录（噪声）"][r.variant]
    flow = Flow(r, "sampling_record", record_start(t, form_code(r, 15)))
    inst = sorted({n.instrument_id for n in rows_})
    cal = rows_[0]
    pairs = [(fmt.label("项目编号"), sc.survey.project_no), (fmt.label("用人单位"), sc.employer.name),
             ("测量日期", T(fmt.fw(fmt.date(d)), "value", "noise.date")),
             ("测量依据", "GBZ/T 189.8-2007"),
             ("测量仪器及" + fmt.label("设备编号"), "、".join(inst)),
             ("声校准", f"测量前 {cal.calibrator_before:.1f} dB，测量后 {cal.calibrator_after:.1f} dB（声校准器 94.0 dB）")]
    if day:
        pairs.insert(3, (fmt.label("气象条件"), f"{day.weather}  气温{day.temperature_c:.1f}℃"))
    header_block(flow, pairs, size=9)
    # units in the column titles, or (other institutions) beside each value in its cell
    cell = sc.style.noise_unit_in_cell
    u_t = "" if cell else "(dB(A))"

    def v(x: str, n) -> str:
        return f"{x} {n.rec_unit}" if cell else x

    table(flow, [Col("no", "序号", 0.45), Col("post", "岗位（工种）", 1.4), Col("site", "测量地点", 1.5),
                 Col("laeq", "L_Aeq" + u_t, 0.95 if not cell else 1.05), Col("h", "接触时间(h)", 0.8),
                 Col("lex", "L_EX,8h" + u_t, 0.95 if not cell else 1.05), Col("inst", "仪器编号", 1.1)],
          [{"no": str(i + 1), "post": n.post, "site": n.site, "laeq": T(v(n.rec_laeq, n), "value", "noise.laeq"),
            "h": f"{n.exposure_hours:g}", "lex": T(v(f"{n.rec_lex:.1f}", n), "value", "noise.lex8h"),
            "inst": n.instrument_id}
           for i, n in enumerate(rows_)], size=8.5, min_h=20)
    samplers = day.samplers if day else []
    signature_fields(flow, [("测量人", samplers, None, "noise.measurers"),
                            (fmt.label("陪同人"), day.escort if day else None, None, "noise.escort"),
                            (fmt.label("复核人"), day.checker if day else None, d, "noise.checker")])
    flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")


# --------------------------------------------------------------------------- transfer
def sample_transfer(r: Renderer) -> None:
    sc = r.sc
    fmt = r.fmt
    by_id = {s.sample_id: s for s in sc.samples}
    for tr in sc.transfers:
        t = ["样品交接记录", "样品流转交接单", "样品交接及流转记录"][r.variant]
        flow = Flow(r, "sample_transfer", record_start(t, form_code(r, 18)))
        header_block(flow, [(fmt.label("项目编号"), sc.survey.project_no), (fmt.label("用人单位"), sc.employer.name),
                            ("交接日期", T(fmt.fw(fmt.date(tr.date) + " " + tr.time), "value", "transfer.date")),
                            ("样品数量", T(f"{len(tr.sample_ids)}个", "value", "transfer.count")),
                            ("样品状态", tr.condition), (fmt.label("保存条件"), tr.storage)])
        cols = ordered_cols(r, "transfer", [
            Col("no", "序号", 0.45), Col("sample_id", fmt.label("样品编号"), 1.3), Col("factor", fmt.label("检测项目"), 1.2),
            Col("date", fmt.label("采样日期"), 1.0), Col("collector", "收集器", 1.0), Col("condition", "样品状态", 1.3),
            Col("count", "数量", 0.5)])
        if cols[0].key != "no":
            cols = [c for c in cols if c.key == "no"] + [c for c in cols if c.key != "no"]
        rows = []
        for i, sid in enumerate(tr.sample_ids):
            s = by_id.get(sid)
            rows.append({"no": str(i + 1), "sample_id": T(sid, "sample_id"), "factor": s.factor if s else "",
                         "date": fmt.date(s.date, "iso" if r.variant == 1 else None) if s else "",
                         "collector": (s.collector or (sc.factors[s.factor].collector if s.factor in sc.factors else "")) if s else "",
                         "condition": "完好", "count": "1"})
        table(flow, cols, rows, size=8.5, min_h=17)
        signature_fields(flow, [(fmt.label("送样人"), tr.sender, tr.date, "transfer.sender"),
                                (fmt.label("收样人"), tr.receiver, tr.date, "transfer.receiver")])
        flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")


# --------------------------------------------------------------------------- lab
def lab_analysis(r: Renderer) -> None:
    sc = r.sc
    fmt = r.fmt
    by_id = {s.sample_id: s for s in sc.samples}
    for sh in sc.lab_sheets:
        spec = sc.factors.get(sh.factor)
        gravimetric = spec is not None and spec.kind == "dust"
        if gravimetric:
            t = ["粉尘浓度测定原始记录（称量法）", "粉尘测定实验室分析原始记录", "实验室分析原始记录（粉尘）"][r.variant]
        else:
            t = ["实验室分析原始记录", f"{sh.factor}测定原始记录", "化学因素实验室分析原始记录"][r.variant]
        flow = Flow(r, "lab_analysis", record_start(t, form_code(r, 21)))
        rng = random.Random(zlib.crc32(f"{sc.seed}|{sh.factor}|{sh.analysis_date}".encode()))
        pairs = [(fmt.label("项目编号"), sc.survey.project_no), (fmt.label("检测项目"), sh.factor),
                 ("检测方法", sh.method), ("仪器名称及" + fmt.label("设备编号"), f"{sh.instrument}（{sh.instrument_id}）"),
                 (fmt.label("接收日期"), T(fmt.fw(fmt.date(sh.receipt_date)), "value", "lab.receipt_date")),
                 (fmt.label("分析日期"), T(fmt.fw(fmt.date(sh.analysis_date)), "value", "lab.analysis_date")),
                 ("环境条件", f"温度{rng.randint(18, 25)}℃  湿度{rng.randint(38, 62)}%")]
        storage = getattr(sh, "storage", "")
        if storage:
            days = getattr(sh, "storage_days", None)
            pairs.append((fmt.label("保存条件"), storage + (f"，保存期限{days}天" if days else "")))
        if sh.curve_r is not None:
            pairs.append(("标准曲线", f"y = {rng.uniform(0.8, 3):.4f}x + {rng.uniform(-0.02, 0.02):.4f}，r = {sh.curve_r:.4f}"))
        if sh.method_blank is not None:
            pairs.append(("方法空白", sh.method_blank))
        if sh.qc is not None:
            pairs.append(("质量控制", sh.qc))
        header_block(flow, pairs, size=9)
        cols = [Col("no", "序号", 0.45), Col("sample_id", fmt.label("样品编号"), 1.3), Col("sampling_date", fmt.label("采样日期"), 1.0)]
        if gravimetric:
            cols += [Col("m1", "采样前滤膜质量(mg)", 1.0), Col("m2", "采样后滤膜质量(mg)", 1.0)]
        else:
            cols += [Col("area", "峰面积/吸光度", 1.0)]
        cols += [Col("mass", "样品含量(μg)", 0.95), Col("volume", "采样体积(L)", 0.85), Col("conc", "浓度(mg/m³)", 0.9),
                 Col("note", "备注", 0.9)]
        cols = [cols[0]] + ordered_cols(r, "lab", cols[1:])
        rows = []
        for i, lr in enumerate(sh.rows):
            s = by_id.get(lr.sample_id)
            m1 = rng.uniform(30, 45)
            rows.append({"no": str(i + 1), "sample_id": T(lr.sample_id, "sample_id"),
                         "sampling_date": fmt.date(s.date, "iso" if r.variant != 2 else "dot") if s else "",
                         "m1": f"{m1:.3f}", "m2": f"{m1 + lr.mass_ug / 1000:.3f}",
                         "area": f"{lr.mass_ug * rng.uniform(0.9, 1.1) * 12.3:.1f}" if lr.mass_ug else "",
                         "mass": T(f"{lr.mass_ug:.2f}" if lr.mass_ug < 100 else f"{lr.mass_ug:.1f}", "value"),
                         "volume": num(s.volume_l, 1) if s and s.volume_l is not None and not s.is_blank else "",
                         "conc": f"{s.conc:.{getattr(spec, 'decimals', 2) if spec else 2}f}"
                         if s and s.conc is not None and not s.is_blank else "",
                         "note": lr.note or ("空白" if s and s.is_blank else "")})
        table(flow, cols, rows, size=8, min_h=17)
        signature_fields(flow, [(fmt.label("分析人"), sh.analyst, sh.analysis_date, "lab.analyst"),
                                (fmt.label("复核人"), sh.reviewer, sh.analysis_date if sh.reviewer else None, "lab.reviewer")])
        flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")


# --------------------------------------------------------------------------- calculation
def data_calculation(r: Renderer) -> None:
    sc = r.sc
    fmt = r.fmt
    t = ["数据换算过程记录", "检测结果计算记录", "职业病危害因素检测结果计算过程记录"][r.variant]
    flow = Flow(r, "data_calculation", record_start(t, form_code(r, 24)))
    header_block(flow, [(fmt.label("项目编号"), sc.survey.project_no), (fmt.label("用人单位"), sc.employer.name),
                        ("计算依据", "GBZ 159-2004、GBZ/T 192、GBZ/T 300、GBZ 2.1-2019")], variant=1)
    pg = flow.pg
    for ln in ("计算公式：V = Q × t（V：采样体积 L；Q：采样流量 L/min，取采样前后平均值；t：采样时间 min）",
               "C = m / V（C：空气中浓度 mg/m³；m：样品含量 μg，已扣除空白）",
               "C_TWA = (C1T1 + C2T2 + … + CnTn) / 8（Ti：各浓度对应的接触时间 h）"):
        flow.need(16)
        flow.pg.text(ML, flow.y, ln, 9.5)
        flow.y += 15
    flow.y += 6
    samples = [s for s in sc.samples if not s.is_blank]
    by_factor: "OrderedDict[str, list[Sample]]" = OrderedDict()
    for s in samples:
        by_factor.setdefault(s.factor, []).append(s)
    for factor, ss in by_factor.items():
        spec = sc.factors.get(factor)
        nd = getattr(spec, "decimals", 2) if spec else 2
        flow.need(60)
        flow.pg.text(ML, flow.y + 2, f"检测因素：{factor}", 10, bold=True)
        flow.y += 18
        cols = ordered_cols(r, "calc", [
            Col("sample_id", fmt.label("样品编号"), 1.3), Col("factor", "岗位/地点", 1.6), Col("flow", "Q(L/min)", 0.7),
            Col("minutes", "t(min)", 0.6), Col("volume", "V(L)", 0.7), Col("mass", "m(μg)", 0.8),
            Col("conc", "C(mg/m³)", 0.8)])
        rows = [{"sample_id": T(s.sample_id, "sample_id"), "factor": f"{s.post}/{s.site}",
                 "flow": num(s.flow, 2) if s.flow is not None else "", "minutes": str(s.minutes),
                 "volume": num(s.volume_l, 1) if s.volume_l is not None else "",
                 "mass": f"{s.mass_ug:.2f}" if s.mass_ug is not None else "",
                 "conc": T(f"{s.conc:.{nd}f}", "value") if s.conc is not None else ""} for s in ss]
        table(flow, cols, rows, size=8, min_h=16)
        res = [x for x in sc.report.results if x.factor == factor]
        for rr in res:
            if rr.c_twa is None:
                continue
            terms = []
            for sid in rr.sample_ids:
                s = next((x for x in ss if x.sample_id == sid), None)
                if s is None or s.conc is None:
                    continue
                hrs = getattr(s, "represent_hours", None)
                hrs = hrs if hrs is not None else round(s.minutes / 60, 2)
                if getattr(s, "purpose", "") in ("STEL", "MAC"):
                    continue
                terms.append(f"{s.conc:.{nd}f}×{hrs:g}")
            expr = f"({' + '.join(terms)}) / 8" if terms else ""
            when = fmt.date(getattr(rr, "date", None), "iso")
            who = f"{when} {rr.post}（{rr.site}）" if when else f"{rr.post}（{rr.site}）"
            line = f"{who}：C_TWA = {expr} = " if expr else f"{who}：C_TWA = "
            sz = r.size(8.5)
            while text_width(line, sz) > CW - 70 and " + " in line:  # long sums go on their own line
                cut = line.rfind(" + ", 0, int(len(line) * (CW - 70) / text_width(line, sz)))
                cut = cut if cut > 0 else line.find(" + ")
                flow.need(14)
                flow.pg.text(ML + 10, flow.y, line[:cut + 2], 8.5)
                flow.y += 13
                line = "    " + line[cut + 3:]
            flow.need(16)
            bx = flow.pg.text(ML + 10, flow.y, line, 8.5)
            vb = flow.pg.text(bx[2], flow.y, f"{rr.c_twa:.{nd}f}", 8.5, tag="value", key="calc.c_twa")
            flow.pg.text(vb[2] + 3, flow.y, "mg/m³", 8.5)
            flow.y += 14
        flow.y += 6
    # The model has no calculation signers: the lab analyst computes, the report reviewer checks.
    calc_by = sc.lab_sheets[0].analyst if sc.lab_sheets else (sc.report.author or None)
    check_by = (sc.lab_sheets[0].reviewer if sc.lab_sheets and sc.lab_sheets[0].reviewer else sc.report.reviewer)
    d = max((sh.analysis_date for sh in sc.lab_sheets), default=sc.report.issue_date)
    signature_fields(flow, [("计算人", calc_by, d, "calc.author"), (fmt.label("复核人"), check_by, d, "calc.checker")])
    flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")
