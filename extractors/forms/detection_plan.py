"""检测方案 / 采样计划 → ``PlanRecord``."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_date, signer_val
from ..records import PlanRecord, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import find_dates, parse_number
from ._common import value

# ---------------------------------------------------------------- label synonyms (data)

PLAN_NO = ("方案编号", "计划编号")
PROJECT_NO = ("项目编号", "委托编号")
SAMPLING_DATE = ("计划采样日期", "采样日期", "拟采样日期", "采样时间安排")
EQUIPMENT_HEAD = ("主要仪器设备", "仪器设备", "采样设备")
STORAGE = ("贮存条件", "保存条件", "样品保存条件", "储存条件")
PERIOD = ("保存期限", "保存时间", "保存期")
ROLES = {
    "author": ("编制人", "编制", "编写人", "方案编制人"),
    "reviewer": ("审核人", "审核"),
    "approver": ("批准人", "批准", "审批人", "审批", "技术负责人"),
}
COLUMNS = {
    "post": ("岗位/工种", "岗位", "工种"),
    "site": ("采样点", "检测点", "采样地点", "工作地点"),
    "factor": ("检测因素", "检测项目", "危害因素"),
    "mode": ("采样方式", "采样类型"),
    "points": ("点数/人数", "人数/点数", "采样点数", "点数", "人数"),
    "samples_per_day": ("样品数/天", "样品数", "每天样品数"),
    "days": ("天数", "采样天数"),
    "minutes": ("采样时间(min)", "采样时长", "采样时间"),
    "flow": ("采样流量", "流量"),
    "collector": ("收集器", "空气收集器", "采样介质"),
    "period": ("采样时段",),
}


# Words of a sampling medium / collector (收集器), to split a collector merged into the
# period cell ("微孔滤膜08:00-12:00").
COLLECTOR_WORDS = ("滤膜", "滤纸", "吸收管", "吸收瓶", "吸收液", "采气袋", "气袋", "活性炭管", "硅胶管", "采样管", "注射器",
                   "冲击瓶", "多孔玻板", "气泡", "声级计", "采样头", "滤筒")
# The table ends at the signature block (not just at "三、…"): role labels of the plan.
STOPS = ("主要仪器", "三、", "样品保存") + tuple(s for syns in ROLES.values() for s in syns) + ("审批人",)
# Page furniture that is not a table row even where a post is expected: the form number,
# a continuation title (…方案(续), 续表), the page footer with the institution's name.
_FURNITURE = re.compile(r"编号|[(（]续[)）]|续表|有限公司|有限责任公司|第\s*\d+\s*页|共\s*\d+\s*页|[:：]")
_TIME_RANGE_START = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}\s*[-~—–至到]")


def _cjk(t: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", t or ""))


def _post_ok(t: str) -> bool:
    """A post (岗位/工种) cell: CJK text, short, not a label or page furniture."""
    t = (t or "").strip()
    return _cjk(t) and len(t) <= 20 and not _FURNITURE.search(t)


def _split_collector(row):
    """A collector merged with the period ("微孔滤膜08:00-12:00，13:00-17:00" in one cell):
    give each column its part."""
    f = dict(row.fields)
    for src, other in (("period", "collector"), ("collector", "period")):
        v = f.get(src)
        if v is None or not v.ok or (f.get(other) is not None and f[other].ok):
            continue
        text = str(v.value)
        m = _TIME_RANGE_START.search(text)
        if not m or m.start() == 0:
            continue
        head, tail = text[: m.start()].strip(" ，,;；、"), text[m.start():].strip()
        if not any(w in head for w in COLLECTOR_WORDS) or re.search(r"\d", head):
            continue
        f["collector"] = v.model_copy(update={"value": head, "raw": head})
        f["period"] = v.model_copy(update={"value": tail, "raw": tail})
        return row.model_copy(update={"fields": f})
    return row


@extractor("detection_plan")
def extract(ctx: Ctx) -> PlanRecord:
    gs = ctx.grids
    sig = signature_block(gs, ROLES, ctx.known_names)
    rows = []
    for t in find_tables(gs, TableSpec("plan", COLUMNS, "post", _post_ok, min_columns=3, stops=STOPS)):
        for r in t.rows:
            rows.append(_split_collector(row_vals(t, r, {"points": parse_number, "samples_per_day": parse_number,
                                                         "days": parse_number, "minutes": parse_number,
                                                         "flow": parse_number})))
    sd = value(gs, SAMPLING_DATE, what="计划采样日期")
    sdates = [Val(value=d, page=sd.page, bbox=sd.bbox, raw=sd.raw, conf=sd.conf) for d, _ in find_dates(sd.raw)] if sd.ok else []
    storage = value(gs, STORAGE, what="贮存条件", stops=PERIOD)
    period = value(gs, PERIOD, what="保存期限")
    equipment = Val.missing("equipment list not found")
    for g in gs:
        for i, ln in enumerate(g.lines):
            if any(h in ln.text for h in EQUIPMENT_HEAD) and i + 1 < len(g.lines):
                nxt = g.lines[i + 1]
                equipment = Val(value=[x for x in re.split(r"[、,，;；。]", nxt.text) if x.strip()], page=g.page.no,
                                bbox=nxt.bbox, raw=nxt.text, conf=0.8)
                break
    return PlanRecord(
        plan_no=value(gs, PLAN_NO, what="方案编号"),
        project_no=value(gs, PROJECT_NO, what="项目编号"),
        rows=rows, sampling_dates=sdates, equipment=equipment,
        storage_conditions=storage, storage_period=period,
        author=signer_val(sig.get("author"), "编制人", ctx.pages[0]),
        author_date=signer_date(sig.get("author"), "编制人"),
        reviewer=signer_val(sig.get("reviewer"), "审核人", ctx.pages[0]),
        review_date=signer_date(sig.get("reviewer"), "审核人"),
        approver=signer_val(sig.get("approver"), "批准人", ctx.pages[0]),
        approve_date=signer_date(sig.get("approver"), "批准人"),
        pages=ctx.pages,
    )
