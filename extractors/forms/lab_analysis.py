"""实验室分析原始记录 → ``LabSheet`` per sheet (usually one per factor)."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_date, signer_val
from ..records import LabSheet, Row, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import parse_date, parse_number
from ._common import SAMPLE_ID_LABELS, id_ok, parse_id, value

# ---------------------------------------------------------------- label synonyms (data)

FACTOR = ("检测项目", "检测因素", "危害因素", "分析项目", "测定项目", "检测指标")
METHOD = ("检测方法", "分析方法", "检测依据", "方法依据", "测定方法")
INSTRUMENT = ("仪器名称及设备编号", "仪器名称及编号", "仪器名称", "分析仪器", "仪器型号", "仪器设备")
RECEIPT = ("接收日期", "收样日期", "样品接收日期", "送检日期", "收样时间")
ANALYSIS = ("分析日期", "检测日期", "测定日期", "分析时间", "称量日期")
STORAGE = ("贮存条件", "保存条件", "样品保存条件", "储存条件")
CURVE = ("标准曲线", "校准曲线", "工作曲线", "回归方程")
BLANK = ("方法空白", "试剂空白", "空白试验")
QC = ("质量控制", "质控", "加标回收", "质控样", "平行样")

COLUMNS = {
    "sample_id": SAMPLE_ID_LABELS,
    "sampling_date": ("采样日期",),
    "before": ("采样前滤膜质量", "滤膜初重", "采样前质量"),
    "after": ("采样后滤膜质量", "滤膜终重", "采样后质量"),
    "reading": ("峰面积/吸光度", "峰面积", "吸光度", "响应值", "仪器读数"),
    "mass": ("样品含量", "样品质量", "测得量", "含量(μg)", "样品中含量"),
    "volume": ("采样体积", "体积(L)", "标准采样体积"),
    "conc": ("浓度(mg/m³)", "浓度", "空气中浓度"),
    "note": ("备注", "说明"),
}
ROLES = {
    "analyst": ("检验人", "分析人", "检测人", "测定人", "分析者", "检验员"),
    "reviewer": ("复核人", "校核人", "核对人", "审核人", "复核者", "校核者"),
}
STOPS = tuple(s for syns in ROLES.values() for s in syns)


@extractor("lab_analysis")
def extract(ctx: Ctx) -> list[LabSheet]:
    spec = TableSpec("lab", COLUMNS, "sample_id", id_ok(ctx), min_columns=2, stops=STOPS)
    sheets: list[LabSheet] = []
    groups: list[list] = []
    for g in ctx.grids:
        if g.find(FACTOR) or g.find(ANALYSIS) or not groups:
            groups.append([g])
        else:
            groups[-1].append(g)
    for gs in groups:
        rows: list[Row] = []
        for t in find_tables(gs, spec):
            for r in t.rows:
                rows.append(row_vals(t, r, {"sample_id": parse_id(ctx), "sampling_date": parse_date, "mass": parse_number,
                                            "volume": parse_number, "conc": parse_number, "reading": parse_number}))
        sig = signature_block(gs, ROLES, ctx.known_names)
        instr = value(gs, INSTRUMENT, what="仪器名称")
        storage = value(gs, STORAGE, what="贮存条件")
        curve = value(gs, CURVE, what="标准曲线")
        r_val = Val.missing("no calibration curve (r) stated", gs[0].page.no)
        if curve.ok:
            m = re.search(r"[rR]\s*[=＝:]\s*(0\.\d+|1\.0+)", curve.raw)
            if m:
                r_val = curve.model_copy(update={"value": float(m.group(1))})
        sdays = Val.missing("storage period not stated", gs[0].page.no)
        if storage.ok:
            m = re.search(r"保存期限\s*:?\s*(\d+)\s*天|(\d+)\s*天", " ".join(ln.text for g in gs for ln in g.lines if "保存" in ln.text))
            if m:
                sdays = storage.model_copy(update={"value": int(m.group(1) or m.group(2))})
        iid = Val.missing("instrument id not found", gs[0].page.no)
        if instr.ok:
            line = next((ln.text for g in gs for ln in g.lines if instr.raw and instr.raw[:6] in ln.text), instr.raw)
            m = re.search(r"[(（]\s*([A-Z]{1,4}-[A-Z0-9-]{2,12})\s*[)）]?", line)
            if m:
                iid = instr.model_copy(update={"value": m.group(1)})
        sheets.append(LabSheet(
            factor=value(gs, FACTOR, what="检测项目"),
            method=value(gs, METHOD, what="检测方法"),
            instrument=instr, instrument_id=iid,
            receipt_date=value(gs, RECEIPT, parse=parse_date, what="接收日期"),
            analysis_date=value(gs, ANALYSIS, parse=parse_date, what="分析日期"),
            storage=storage, storage_days=sdays,
            curve_r=r_val,
            method_blank=value(gs, BLANK, what="方法空白"),
            qc=value(gs, QC, what="质量控制"),
            rows=rows,
            analyst=signer_val(sig.get("analyst"), "检验人", gs[0].page.no),
            reviewer=signer_val(sig.get("reviewer"), "复核人", gs[0].page.no),
            analyst_date=signer_date(sig.get("analyst"), "检验人"),
            reviewer_date=signer_date(sig.get("reviewer"), "复核人"),
            pages=tuple(g.page.no for g in gs),
        ))
    return sheets
