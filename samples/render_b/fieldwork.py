"""Family B: field sampling / direct-reading records and the sample hand-over list."""
from __future__ import annotations

from samples.model import NoiseMeasurement, Sample, SamplingDay
from samples.render.draw import Renderer
from samples.render_b.kit import (B, C, Form, Ink, Tx, dash, fdate, grid, info_grid, nfmt, sign_strip, tspan)


def _eq_list(day: SamplingDay, names: tuple[str, ...] = ()) -> str:
    eqs = [e for e in day.equipment if not names or any(n in e.name for n in names)]
    return "；".join(f"{e.name} {e.model}（{e.equipment_id}）" for e in eqs)


def _flow(v) -> str:
    return "" if v is None else f"{v:.2f}" if v < 1 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def _where(x: Sample) -> str:
    if x.site_blank:  # the place cell left empty (i046)
        return ""
    return f"{x.site}\n（{x.post}）" if x.post and x.post not in x.site else x.site


# The sample's kind (long-time C_TWA, 15-min C_STE, ceiling C_M) as family B prints it.
_KIND_B = {"TWA": "C_TWA", "STEL": "C_STE", "TWA/STEL": "C_TWA/C_STE", "MAC": "C_M"}


def _noise_block(f: Form, r: Renderer, day: SamplingDay, ms: list[NoiseMeasurement], own_header: bool) -> None:
    """Noise measured with an integrating sound level meter, calibrated before and after."""
    slm = ms[0].instrument_id
    cal = next((e for e in day.equipment if "声校准" in e.name), None)
    if not own_header:  # a second short form on the same sheet
        f.need(120)
        f.y += 6
        f.pg.text(297.6, f.y, "工作场所噪声现场测量记录", 13, bold=True, align="c")
        f.y += r.size(13) * 1.8
    rows_hdr = [[("测量日期", fdate(r, day.date), 1), ("测量依据", "GBZ/T 189.8-2007", 1)],
                [("声级计及编号", next((f"{e.name} {e.model}（{e.equipment_id}）" for e in day.equipment
                                       if e.equipment_id == slm), slm), 1),
                 ("声校准器及编号", f"{cal.name} {cal.model}（{cal.equipment_id}）" if cal else "", 1)]]
    info_grid(f, rows_hdr)
    rows = []
    cell = r.sc.style.noise_unit_in_cell  # the unit beside each value instead of in the title
    for i, m in enumerate(ms, 1):
        u = f" {m.rec_unit}" if cell else ""
        rows.append({"no": f"Z{i:02d}", "post": m.post, "site": m.site,
                     "laeq": Tx(m.rec_laeq + u, "value", "noise.laeq"), "t": f"{m.exposure_hours:g}",
                     "lex": Tx(f"{m.rec_lex:.1f}" + u, "value", "noise.lex8h"),
                     "cb": f"{m.calibrator_before:.1f}", "ca": f"{m.calibrator_after:.1f}",
                     "state": "正常生产", "note": ""})
    ut = "" if cell else " dB(A)"
    grid(f, [C("no", "测点编号", 0.8), C("post", "岗位（工种）", 1.5), C("site", "测量位置", 1.6, "l"),
             C("laeq", "LAeq,T" + ut, 1.0 if not cell else 1.1), C("t", "接触时间 h/d", 0.8),
             C("lex", "LEX,8h" + ut, 1.0 if not cell else 1.1),
             C("cb", "测前", 0.65, group="校准示值 dB(A)"), C("ca", "测后", 0.65, group="校准示值 dB(A)"),
             C("state", "生产状况", 0.9), C("note", "备注", 0.6)], rows, size=8.5)
    f.para("注：测量前后均使用声校准器校准，示值偏差不大于0.5 dB(A)；传声器置于劳动者耳部附近。", 8.5, indent=False)
    sign_strip(f, [("测量人", list(day.samplers), day.date, "noise.measurers"),
                   ("陪同人", [day.escort] if day.escort else [], None, "noise.escort"),
                   ("复核人", [day.checker], None, "noise.checker")])


def sampling_record(r: Renderer) -> None:
    sc = r.sc
    hb = B(r)
    noise_by_date: dict = {}
    for m in sc.noise:
        noise_by_date.setdefault(m.date, []).append(m)
    t_style = hb.code_year % 3
    for day in sc.sampling_days:
        samples = [x for x in day.samples if not x.is_blank]
        blanks = [x for x in day.samples if x.is_blank]
        ms = noise_by_date.get(day.date, [])
        if not samples and ms:
            f = Form(r, "sampling_record", "工作场所噪声现场测量记录", 12)
            _noise_block(f, r, day, ms, own_header=True)
            f.finish()
            continue
        f = Form(r, "sampling_record", "工作场所空气中有害物质采样原始记录", 11,
                 sub=None if hb.footer else "（定点/个体采样）")
        flowmeter = next((e for e in day.equipment if "流量计" in e.name), None)
        info_grid(f, [
            [("项目编号", sc.survey.project_no, 2), ("采样日期", Tx(fdate(r, day.date), "value", "sampling.date"), 2)],
            [("用人单位", sc.employer.name, 4)],
            [("天气", day.weather, 1), ("气温", f"{day.temperature_c:g} ℃", 1), ("气压", f"{day.pressure_kpa:g} kPa", 1),
             ("相对湿度", f"{day.humidity_pct}%", 1)],
            [("采样仪器（编号）", _eq_list(day, ("采样器", "采样泵")), 4)],
            [("校准及气象仪器", _eq_list(day, ("流量计", "气压", "温湿度")), 4)],
        ])
        blank_by_factor = {b.factor: b for b in blanks}
        rows = []
        noted: set[str] = set()
        for x in samples:
            note = ""
            if hb.blank_place == "remarks" and x.factor in blank_by_factor and x.factor not in noted:
                noted.add(x.factor)
                b = blank_by_factor[x.factor]
                note = ["现场空白", Tx(b.sample_id, "sample_id")]
            row = {
                "id": Tx(x.sample_id, "sample_id"), "where": _where(x), "fac": x.factor, "mode": x.mode,
                "kind": _KIND_B.get(x.purpose, ""),
                "subj": x.subject or "—", "col": x.collector, "time": tspan(x.start, x.end, t_style),
                "min": str(x.minutes), "pump": x.pump_id, "cond": "正常", "note": note,
            }
            if hb.calib_place == "columns":
                row["fb"] = _flow(x.flow_before)
                row["fa"] = _flow(x.flow_after)
            else:
                row["flow"] = _flow(x.flow)
            rows.append(row)
        if hb.blank_place == "rows":
            for b in blanks:
                rows.append({"id": Tx(b.sample_id, "sample_id"), "where": "" if b.site_blank else b.site,
                             "fac": b.factor, "mode": "现场空白", "kind": "/",
                             "subj": "/", "col": b.collector, "time": f"{b.start} 开封", "min": "/", "pump": "/",
                             "fb": "/", "fa": "/", "flow": "/", "cond": "/", "note": "空白对照"})
        cols = [C("id", "样品编号", 1.45), C("where", "采样地点（岗位）", 1.9, "l"), C("fac", "检测项目", 1.05),
                C("mode", "方式", 0.62), C("kind", "类别", 0.75), C("subj", "采样对象", 0.8), C("col", "收集器", 0.95),
                C("time", "采样时间（起—止）", 1.35), C("min", "时长 min", 0.6)]
        if hb.calib_place == "columns":
            cols += [C("fb", "前", 0.55, group="流量 L/min"), C("fa", "后", 0.55, group="流量 L/min")]
        else:
            cols += [C("flow", "流量 L/min", 0.7)]
        cols += [C("pump", "采样器编号", 1.2), C("cond", "工况", 0.7), C("note", "备注", 1.45 if hb.blank_place == "remarks" else 0.6)]
        grid(f, cols, rows, size=7.6, min_h=24)
        if hb.blank_place == "qc_table" and blanks:
            f.heading("现场空白样品记录", 10)
            grid(f, [C("id", "空白样编号", 1.6), C("fac", "对应检测项目", 1.4), C("where", "放置/开封地点", 2.2, "l"),
                     C("t", "开封时间", 1.0), C("col", "收集器", 1.2), C("n", "说明", 1.8, "l")],
                 [{"id": Tx(b.sample_id, "sample_id"), "fac": b.factor, "where": b.site, "t": b.start,
                   "col": b.collector, "n": "同批收集器，开封后立即密封，不采气"} for b in blanks],
                 size=8.5, repeat_titles=True)
        if hb.calib_place == "table":
            cal = f"{flowmeter.name} {flowmeter.model}（{flowmeter.equipment_id}）" if flowmeter else ""
            f.heading(f"采样流量校准记录（校准器：{cal}）", 9.5)
            crow = []
            for x in samples:
                dev = ""
                if x.flow_before and x.flow_after:
                    dev = f"{abs(x.flow_after - x.flow_before) / x.flow_before * 100:.1f}"
                crow.append({"pump": x.pump_id, "id": Tx(x.sample_id, "sample_id"), "fb": _flow(x.flow_before),
                             "fa": _flow(x.flow_after), "dev": dev})
            grid(f, [C("pump", "采样器编号", 1.4), C("id", "对应样品", 1.5), C("fb", "采样前校准 L/min", 1.2),
                     C("fa", "采样后校准 L/min", 1.2), C("dev", "相对偏差 %", 1.0)], crow, size=8)
        f.para("备注：流量偏差超过5%的样品作废重采；现场空白与样品同批运输、保存。", 8.5, indent=False)
        sign_strip(f, [("采样人", list(day.samplers), day.date, "sampling.samplers"),
                       ("陪同人", [day.escort] if day.escort else [], None, "sampling.escort"),
                       ("复核人", [day.checker], None, "sampling.checker")])
        room = f.flow.bottom - f.y
        if ms and hb.noise_shares_page and room > 215 + 19 * len(ms):  # the short noise form fits below
            _noise_block(f, r, day, ms, own_header=False)
            ms = []
        f.finish()
        if ms:
            g = Form(r, "sampling_record", "工作场所噪声现场测量记录", 12)
            _noise_block(g, r, day, ms, own_header=True)
            g.finish()


def sample_transfer(r: Renderer) -> None:
    sc = r.sc
    hb = B(r)
    by_id = {x.sample_id: x for x in sc.samples}
    for tr in sc.transfers:
        f = Form(r, "sample_transfer", "样品流转单", 15, sub="（现场→样品室→分析室）")
        info_grid(f, [
            [("项目编号", sc.survey.project_no, 2), ("送样时间", f"{fdate(r, tr.date)} {tr.time}", 2)],
            [("样品数量", f"{len(tr.sample_ids)} 个", 1), ("样品状态", tr.condition, 1),
             ("保存条件", tr.storage, 2)],
        ])
        ids = list(tr.sample_ids)
        if hb.transfer_pairs:
            half = -(-len(ids) // 2)
            rows = []
            for i in range(half):
                row = {}
                for side, j in (("a", i), ("b", i + half)):
                    if j < len(ids):
                        x = by_id.get(ids[j])
                        row[f"n{side}"] = str(j + 1)
                        row[f"id{side}"] = Tx(ids[j], "sample_id")
                        row[f"f{side}"] = (x.factor + ("（空白）" if x and x.is_blank else "")) if x else ""
                rows.append(row)
            grid(f, [C("na", "序号", 0.5), C("ida", "样品编号", 1.6), C("fa", "检测项目", 1.6),
                     C("nb", "序号", 0.5), C("idb", "样品编号", 1.6), C("fb", "检测项目", 1.6)], rows, size=8.5)
        else:
            rows = []
            for i, sid in enumerate(ids, 1):
                x = by_id.get(sid)
                rows.append({"n": str(i), "id": Tx(sid, "sample_id"), "fac": x.factor if x else "",
                             "d": fdate(r, x.date) if x else "", "col": x.collector if x else "",
                             "st": "完好", "note": "空白样" if x and x.is_blank else ""})
            grid(f, [C("n", "序号", 0.5), C("id", "样品编号", 1.6), C("fac", "检测项目", 1.4), C("d", "采样日期", 1.2),
                     C("col", "收集器", 1.2), C("st", "状态", 0.6), C("note", "备注", 0.9)], rows, size=8.5)
        sign_strip(f, [("送样人", [tr.sender], tr.date, "transfer.sender"),
                       ("接样人", [tr.receiver], tr.date, "transfer.receiver")], boxed=True)
        f.finish()
