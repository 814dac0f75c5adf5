"""数据换算过程记录 → ``CalcRecord`` (per-sample rows, per-post C_TWA lines, signers)."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_val
from ..records import CalcRecord, Row, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import parse_date, parse_number
from ._common import SAMPLE_ID_LABELS, id_ok, parse_id

# ---------------------------------------------------------------- label synonyms (data)

FACTOR = ("检测因素", "检测项目", "分析项目")
COLUMNS = {
    "sample_id": SAMPLE_ID_LABELS,
    "post_site": ("岗位/地点", "岗位", "采样地点", "工作地点"),
    "factor": ("检测项目", "检测因素"),
    "flow": ("Q(L/min)", "采样流量", "流量"),
    "volume": ("V(L)", "采样体积", "体积"),
    "minutes": ("t(min)", "采样时间", "采样时长"),
    "mass": ("m(μg)", "样品含量", "样品质量"),
    "conc": ("C(mg/m³)", "浓度", "空气中浓度"),
}
ROLES = {
    "calculator": ("计算人", "换算人", "计算者"),
    "checker": ("复核人", "校核人", "核对人", "审核人", "复核者", "校核者"),
}
STOPS = tuple(s for syns in ROLES.values() for s in syns) + ("C_TWA", "CTWA")
_TWA = re.compile(r"C_?TWA\s*=?.*?=\s*(\d+(?:\.\d+)?)\s*(?:mg/m³)?\s*$")


@extractor("data_calculation")
def extract(ctx: Ctx) -> CalcRecord:
    spec = TableSpec("calc", COLUMNS, "sample_id", id_ok(ctx), min_columns=3, stops=STOPS, threshold=85.0)
    rows: list[Row] = []
    twa: list[Row] = []
    for g in ctx.grids:
        tables = find_tables([g], spec, continue_pages=False)
        # factor label above each table block
        heads = [(ln.yc, ln.text) for ln in g.lines if any(f in ln.text for f in FACTOR)]
        for t in tables:
            fac = None
            for y, txt in heads:
                if y <= t.header_bbox[1] + 1:
                    m = re.search(r"(?:%s)\s*:?\s*(\S+)" % "|".join(FACTOR), txt)
                    if m:
                        fac = m.group(1)
            for r in t.rows:
                row = row_vals(t, r, {"sample_id": parse_id(ctx), "flow": parse_number, "volume": parse_number,
                                      "minutes": parse_number, "mass": parse_number, "conc": parse_number})
                f = dict(row.fields)
                if fac and ("factor" not in f or not f["factor"].ok):
                    f["factor"] = Val(value=fac, page=g.page.no, raw=fac, conf=0.9)
                rows.append(Row(fields=f, page=row.page, bbox=row.bbox))
        for ln in g.lines:
            m = _TWA.search(ln.text.replace(" ", ""))
            if m:
                pre = ln.text.split("C_TWA")[0] if "C_TWA" in ln.text else ln.text
                d = parse_date(pre)
                pm = re.search(r"([\u4e00-\u9fff]+)\s*[(（]([^)）]*)[)）]", re.sub(r"^[\d\-/.年月日\s]+", "", pre))
                twa.append(Row(fields={
                    "date": Val(value=d, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.9),
                    "post": Val(value=pm.group(1) if pm else None, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8),
                    "site": Val(value=pm.group(2) if pm else None, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8),
                    "value": Val(value=float(m.group(1)), page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.9),
                }, page=g.page.no, bbox=ln.bbox))
    sig = signature_block(ctx.grids, ROLES, ctx.known_names)
    return CalcRecord(rows=rows, twa=twa,
                      calculator=signer_val(sig.get("calculator"), "计算人", ctx.pages[0]),
                      checker=signer_val(sig.get("checker"), "复核人", ctx.pages[0]),
                      pages=ctx.pages)
