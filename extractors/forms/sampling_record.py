"""现场采样 / 检测记录 → ``SamplingSheet`` per form page (air sampling and noise)."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_date, signer_val, signer_vals
from ..records import Row, SamplingSheet, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import numbers, parse_date, parse_number, parse_time_range
from ._common import SAMPLE_ID_LABELS, cjk_text, date_value, id_ok, is_blank_row, parse_id, value

# ---------------------------------------------------------------- label synonyms (data)

DATE = ("采样日期", "测量日期", "检测日期", "监测日期", "采样时间")
FACTORS = ("检测项目", "检测因素", "危害因素", "采样项目", "检测指标")
PROJECT_NO = ("项目编号", "委托编号", "任务编号")
WEATHER = ("气象条件", "环境条件", "天气情况", "天气", "气象")
EQUIPMENT = ("采样仪器及设备编号", "采样仪器及设备唯一性编号", "采样仪器", "测量仪器及设备编号", "测量仪器及设备唯一性编号", "仪器设备", "设备编号", "测量仪器")
CALIBRATION = ("流量校准", "校准情况", "声校准")

COLUMNS = {
    "sample_id": SAMPLE_ID_LABELS,
    "site": ("采样点", "采样地点", "工作地点", "检测地点", "采样位置", "测量地点", "检测点"),
    "post": ("岗位/采样对象", "岗位", "工种", "采样对象", "岗位(工种)"),
    "factor": ("检测项目", "检测因素", "危害因素", "检测指标"),
    "mode": ("采样方式", "采样类型", "采样方法"),
    "period": ("采样时段", "采样起止时间", "起止时间", "开始-结束时间"),
    "minutes": ("采样时长(min)", "采样时长", "采样时间(min)", "持续时间(min)", "时长"),
    "flow_before": ("采样前流量", "前流量", "采样前流量(L/min)"),
    "flow_after": ("采样后流量", "后流量", "采样后流量(L/min)"),
    "flow": ("采样流量", "流量(L/min)"),
    "volume": ("采样体积", "体积(L)"),
    "pump_id": ("采样器编号", "仪器编号", "设备编号", "采样仪器编号", "泵编号", "采样器号", "仪器号"),
}
NOISE_COLUMNS = {
    "post": ("岗位(工种)", "岗位", "工种"),
    "site": ("测量地点", "检测地点", "工作地点", "测量位置", "测点"),
    "laeq": ("L_Aeq", "LAeq", "等效声级", "声级"),
    "hours": ("接触时间", "接触时间(h)", "暴露时间"),
    "lex8h": ("L_EX,8h", "LEX,8h", "LEX8h", "8h等效声级"),
    "instrument": ("仪器编号", "设备编号"),
}
ROLES = {
    "sampler": ("采样人", "采样人员", "测量人", "测量人员", "检测人", "检测人员", "采样者"),
    "escort": ("陪同人", "陪同人员", "用人单位陪同人", "用人单位陪同人员", "企业陪同人员", "企业陪同人", "陪同"),
    "checker": ("复核人", "校核人", "核对人", "审核人", "复核者", "校核者", "复核"),
}
STOPS = tuple(s for syns in ROLES.values() for s in syns)


def _split_period(t: str):
    r = parse_time_range(t)
    return list(r) if r else None


def _mode(t: str):
    for k in ("个体", "定点", "空白", "短时间", "长时间"):
        if k in (t or ""):
            return k
    return (t or "").strip() or None


@extractor("sampling_record")
def extract(ctx: Ctx) -> list[SamplingSheet]:
    spec = TableSpec("sampling", COLUMNS, "sample_id", id_ok(ctx), min_columns=2, stops=STOPS)
    nspec = TableSpec("noise", NOISE_COLUMNS, "post", lambda t: bool(re.search(r"[\u4e00-\u9fff]", t)), min_columns=3, stops=STOPS)
    known = ctx.known_names
    sheets: list[SamplingSheet] = []
    for g in ctx.grids:
        tables = find_tables([g], spec, continue_pages=False)
        ntables = find_tables([g], nspec, continue_pages=False)
        ntables = [t for t in ntables if "laeq" in t.keys or "lex8h" in t.keys]
        date = date_value([g], DATE, "采样日期")
        factors = value([g], FACTORS, what="检测项目")
        if not tables and not ntables and not date.ok:
            # a continuation page without header: reuse the previous sheet's table columns
            if sheets and sheets[-1].rows:
                prev_tables = find_tables(
                    [x for x in ctx.grids if x.page.no in sheets[-1].pages] + [g], spec, continue_pages=True)
                extra = [t for t in prev_tables if t.page == g.page.no]
                rows = _rows(ctx, extra, factors)
                if rows:
                    s = sheets[-1]
                    sheets[-1] = s.model_copy(update={"rows": s.rows + rows, "pages": s.pages + (g.page.no,)})
            continue
        rows = _rows(ctx, tables, factors)
        noise = []
        for t in ntables:
            for r in t.rows:
                noise.append(row_vals(t, r, {"laeq": parse_number, "hours": parse_number, "lex8h": parse_number}))
        sig = signature_block([g], ROLES, known)
        weather = value([g], WEATHER, what="气象条件")
        wraw = _equipment_text(g)  # header block: weather, temperature, pressure, humidity
        temp = _q(wraw, r"(?:气温|温度)\s*:?\s*(-?\d+(?:\.\d+)?)\s*℃", g.page.no, weather)
        pres = _q(wraw, r"(?:气压|大气压)\s*:?\s*(\d+(?:\.\d+)?)\s*kPa", g.page.no, weather)
        hum = _q(wraw, r"湿度\s*:?\s*(\d+(?:\.\d+)?)\s*%", g.page.no, weather)
        text = "\n".join(ln.text for ln in g.lines)
        cal_b = _cal(text, "前", g.page.no)
        cal_a = _cal(text, "后", g.page.no)
        eq_ids = [Val(value=m.group(0), page=g.page.no, raw=m.group(0), conf=0.9)
                  for m in re.finditer(r"\b[A-Z]{1,4}-[A-Z0-9]{1,4}-\d{2,4}\b", _equipment_text(g))]
        if not date.ok and sheets and not any(g.find(x) for x in (FACTORS, PROJECT_NO)):
            # the same form continued on this page (no header block): merge into it
            prev = sheets[-1]
            upd = {"rows": prev.rows + rows, "noise": prev.noise + noise, "pages": prev.pages + (g.page.no,)}
            if not prev.samplers:
                upd["samplers"] = signer_vals(sig.get("sampler"), "采样人")
            for role, fld in (("escort", "escort"), ("checker", "checker")):
                if not getattr(prev, fld).ok and sig.get(role):
                    upd[fld] = signer_val(sig.get(role), role, g.page.no)
            sheets[-1] = prev.model_copy(update=upd)
            continue
        sheets.append(SamplingSheet(
            kind="noise" if (ntables and not rows) else "air",
            date=date,
            factors=Val(value=[f for f in re.split(r"[、,，;；\s]+", factors.value) if f], page=factors.page,
                        bbox=factors.bbox, raw=factors.raw, conf=factors.conf) if factors.ok else factors,
            project_no=value([g], PROJECT_NO, what="项目编号"),
            weather=Val(value=re.split(r"(?:气温|温度|气压|湿度|相对)", weather.value)[0].strip() or None,
                        page=weather.page, bbox=weather.bbox, raw=weather.raw, conf=weather.conf) if weather.ok else weather,
            temperature_c=temp, pressure_kpa=pres, humidity_pct=hum,
            equipment_ids=eq_ids,
            calibration_before=cal_b, calibration_after=cal_a,
            rows=rows, noise=noise,
            samplers=signer_vals(sig.get("sampler"), "采样人"),
            escort=signer_val(sig.get("escort"), "陪同人", g.page.no),
            checker=signer_val(sig.get("checker"), "复核人", g.page.no),
            sign_date=next((signer_date(sig[r], r) for r in ("checker", "sampler", "escort") if r in sig and sig[r].date),
                           Val.missing("no date in the signature block", g.page.no)),
            pages=(g.page.no,),
        ))
    if not sheets:
        ctx.note("no sampling sheet recognised")
    return sheets


def _rows(ctx: Ctx, tables, factors: Val) -> list[Row]:
    out: list[Row] = []
    sheet_factor = factors.value if factors.ok else None
    for t in tables:
        for r in t.rows:
            row = row_vals(t, r, {"sample_id": parse_id(ctx), "minutes": parse_number, "flow_before": parse_number,
                                  "flow_after": parse_number, "flow": parse_number, "volume": parse_number,
                                  "period": _split_period})
            f = dict(row.fields)
            if "factor" not in f or not f["factor"].ok:
                # factor printed once in the sheet header (检测项目: 铅尘) when the table has no such column
                if sheet_factor and not re.search(r"[、,，]", sheet_factor):
                    f["factor"] = Val(value=sheet_factor, page=factors.page, bbox=factors.bbox, raw=factors.raw,
                                      conf=factors.conf * 0.9)
            per = f.get("period")
            if per is not None and per.ok:
                f["start"] = per.model_copy(update={"value": per.value[0]})
                f["end"] = per.model_copy(update={"value": per.value[1]})
            texts = [v.raw for v in f.values()]
            blank = is_blank_row(*texts)
            f["is_blank"] = Val(value=blank, page=t.page, bbox=r.bbox, raw="空白" if blank else "", conf=1.0)
            if blank and "post" in f and f["post"].ok and not re.search(r"[\u4e00-\u9fff]", f["post"].value):
                f["post"] = Val(value=None, page=t.page, raw=f["post"].raw, reason="blank sample: no post")
            if "mode" in f and f["mode"].ok:
                f["mode"] = f["mode"].model_copy(update={"value": _mode(f["mode"].value)})
            out.append(Row(fields=f, page=row.page, bbox=row.bbox))
    return out


def _q(text: str, rx: str, page: int, src: Val) -> Val:
    m = re.search(rx, text or "")
    if not m:
        return Val.missing(f"{rx.split(')')[0]} not found", page)
    return Val(value=float(m.group(1)), page=src.page or page, bbox=src.bbox, raw=m.group(0), conf=src.conf or 0.9)


def _cal(text: str, which: str, page: int) -> Val:
    m = re.search(rf"采样{which}\s*(已|未|没有|无)?\s*校准", text) or re.search(rf"测量{which}\s*(\d+(?:\.\d+)?)\s*dB", text)
    if not m:
        return Val.missing(f"calibration {which} not stated", page)
    neg = m.group(1) in ("未", "没有", "无") if m.lastindex else False
    return Val(value=not neg, page=page, raw=m.group(0), conf=0.9)


def _equipment_text(g) -> str:
    # lines between the header labels and the table header: the equipment block
    out = []
    for ln in g.lines:
        t = ln.text
        if any(k in t for k in COLUMNS["sample_id"][:3]):
            break
        out.append(t)
    return " ".join(out)
