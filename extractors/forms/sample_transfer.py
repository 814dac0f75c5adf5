"""样品交接 / 流转记录 → ``TransferRecord`` (one per form; a table continued over pages stays one record)."""
from __future__ import annotations

import re

from ..signatures import role_stops, signature_block, signer_date, signer_val
from ..records import Row, TransferRecord, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import parse_date, parse_number, parse_time
from ._common import SAMPLE_ID_LABELS, id_ok, parse_id, value

# ---------------------------------------------------------------- label synonyms (data)

DATE = ("交接日期", "送样日期", "移交日期", "流转日期", "接收日期", "收样日期", "交接时间", "送样时间", "接样时间")
# "第1页共2页" / "共2页第1页": the first page of a form starts a new form
_FIRST_PAGE = re.compile(r"第\s*1\s*页\s*[,，/]?\s*共\s*\d+\s*页|共\s*\d+\s*页\s*[,，/]?\s*第\s*1\s*页")
COUNT = ("样品数量", "样品总数", "数量合计", "样品个数")
CONDITION = ("样品状态", "样品状况", "样品性状", "外观状态")
STORAGE = ("样品保存条件", "贮存条件", "保存条件", "储存条件", "保存方式")

COLUMNS = {
    "sample_id": SAMPLE_ID_LABELS,
    "date": ("采样日期", "采样时间"),
    "factor": ("检测项目", "检测因素", "分析项目", "检测指标"),
    "collector": ("收集器", "采样介质", "样品类型", "容器"),
    "condition": ("样品状态", "状态", "样品状况"),
    "count": ("数量", "个数", "样品数"),
}
ROLES = {
    "sender": ("送样人", "交样人", "移交人", "送检人", "交出人"),
    "receiver": ("收样人", "接收人", "接样人", "样品接收人", "签收人"),
}
STOPS = role_stops(ROLES)


@extractor("sample_transfer")
def extract(ctx: Ctx) -> list[TransferRecord]:
    spec = TableSpec("transfer", COLUMNS, "sample_id", id_ok(ctx), min_columns=2, stops=STOPS)
    records: list[TransferRecord] = []
    # one form = a page with the form's date label and the pages after it without one
    groups: list[list] = []
    for g in ctx.grids:
        if not groups or g.find(DATE) or any(_FIRST_PAGE.search(ln.text) for ln in g.lines):
            groups.append([g])
        else:
            groups[-1].append(g)
    for gs in groups:
        tables = find_tables(gs, spec)
        rows: list[Row] = []
        for t in tables:
            for r in t.rows:
                rows.append(row_vals(t, r, {"sample_id": parse_id(ctx), "date": parse_date, "count": parse_number}))
        d = value(gs, DATE, parse=parse_date, what="交接日期")
        tm = value(gs, DATE, parse=parse_time, what="交接时间")
        sig = signature_block(gs, ROLES, ctx.known_names)
        cnt = value(gs, COUNT, parse=lambda t: int(m.group(1)) if (m := re.search(r"(\d+)", t)) else None, what="样品数量")
        records.append(TransferRecord(
            date=d, time=tm, declared_count=cnt,
            condition=value(gs, CONDITION, what="样品状态"),
            storage=value(gs, STORAGE, what="保存条件"),
            rows=rows,
            sender=signer_val(sig.get("sender"), "送样人", gs[0].page.no),
            receiver=signer_val(sig.get("receiver"), "收样人", gs[0].page.no),
            sender_date=signer_date(sig.get("sender"), "送样人"),
            receiver_date=signer_date(sig.get("receiver"), "收样人"),
            pages=tuple(g.page.no for g in gs),
        ))
    return records
