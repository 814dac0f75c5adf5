"""检测方案 / 采样计划 → ``PlanRecord``."""
from __future__ import annotations

import datetime as dt
import re

from ..layout import union_bbox
from ..signatures import SignerHit, signature_block, signer_date, signer_val
from ..records import PlanRecord, PlanTextFacts, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import date_written, find_dates, parse_number
from ._common import reread_date, reread_dates, sampling_purpose, value
from .report import sio2_statements

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

# Words anywhere on the plan's pages (moved from check i036, which read them from page
# text to confirm that the plan does not state an item at all).
_FLOW_WORDS = re.compile(r"采样流量|[Ll]/min")
_STORAGE_WORDS = re.compile(r"保存条件|贮存条件|储存条件|保存方式|冷藏|冷冻|避光|干燥器|密封|常温保存|低温保存")
_PERIOD_WORDS = re.compile(r"保存期限|保存期|保存时间|贮存期|储存期|有效期|\d+\s*(?:天|日|小时|h)内")


def plan_text_facts(text: str) -> PlanTextFacts:
    """What the text of the plan's pages (lines joined by newlines) says in words; prose
    wraps, so the words are also looked for with the lines run together (…采样后1日 / 内完成)."""
    run = re.sub(r"\s*\n\s*", "", text or "")
    return PlanTextFacts(text_present=bool(text), flow_words=bool(_FLOW_WORDS.search(text)),
                         storage_words=bool(_STORAGE_WORDS.search(text) or _STORAGE_WORDS.search(run)),
                         period_words=bool(_PERIOD_WORDS.search(text) or _PERIOD_WORDS.search(run)))


# A storage period stated in prose: "样品应在采样后1日内完成分析", "7天内测定", "保存24 h".
_PERIOD_PROSE = re.compile(r"(\d+)\s*(天|日|小时|h)\s*内")
# An equipment list given inline after a label whose key noun is 仪器 / 设备
# ("使用仪器: 声校准器、大气采样器…", "采样设备：…").
_EQUIPMENT_INLINE = re.compile(r"^\s*[\u4e00-\u9fff]{0,6}(?:仪器|设备)[\u4e00-\u9fff]{0,4}\s*[:：]\s*(.+)$")


def _prose_period(gs) -> Val:
    """The storage period read from the plan's prose, lines run together so a wrapped
    sentence is one (the box is the line where the period's number stands)."""
    for g in gs:
        lines = g.lines
        for i, ln in enumerate(lines):
            joined = ln.text + (lines[i + 1].text if i + 1 < len(lines) else "")
            m = _PERIOD_PROSE.search(joined)
            if not m or m.start() >= len(ln.text):
                continue
            # the sentence must be about the samples' keeping (样品 / 保存 / 分析), not a
            # report deadline ("报告在15日内出具")
            a = max(joined.rfind(p_, 0, m.start()) for p_ in "。；;:：")
            b = min([x for x in (joined.find(p_, m.end()) for p_ in "。；;") if x >= 0] or [len(joined)])
            if re.search(r"样品|保存|贮存|储存|测定|分析", joined[a + 1:b]) and not re.search(r"报告", joined[a + 1:b]):
                return Val(value=m.group(0), page=g.page.no, bbox=ln.bbox, raw=m.group(0), conf=0.8)
    return Val.missing("保存期限: not stated in the plan's prose", gs[0].page.no if gs else None)


def _equipment(gs) -> Val:
    for g in gs:
        for i, ln in enumerate(g.lines):
            m = _EQUIPMENT_INLINE.match(ln.text)
            if m and re.search(r"[、,，;；]", m.group(1)):
                items = [x.strip() for x in re.split(r"[、,，;；。]", m.group(1)) if x.strip()]
                return Val(value=items, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)
            if any(h in ln.text for h in EQUIPMENT_HEAD) and i + 1 < len(g.lines):
                nxt = g.lines[i + 1]
                return Val(value=[x for x in re.split(r"[、,，;；。]", nxt.text) if x.strip()], page=g.page.no,
                           bbox=nxt.bbox, raw=nxt.text, conf=0.8)
    return Val.missing("equipment list not found")


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


# Columns whose cells never say what a sample is for (names, counts, media).
_NOT_PURPOSE = {"post", "site", "factor", "points", "samples_per_day", "days", "minutes", "flow", "collector"}


def _with_purpose(t, r, row):
    """``row`` with ``purpose`` (``sampling_purpose``: TWA / STEL / MAC) where its mode
    column, a type column no synonym named (采样类型, 接触限值类型) or its remarks say."""
    hits = [c for k, cs in r.cells.items() if k not in _NOT_PURPOSE for c in cs if sampling_purpose(c.text)]
    if not hits:
        return row
    raw = " ".join(c.text for c in hits)
    f = dict(row.fields)
    f["purpose"] = Val(value=sampling_purpose(raw), page=t.page, bbox=union_bbox(c.bbox for c in hits), raw=raw,
                       conf=min(c.conf for c in hits))
    return row.model_copy(update={"fields": f})


# ---------------------------------------------------------------- dates

ROLE_DESC = {"author": "编制人", "reviewer": "审核人", "approver": "批准人"}
# A signing date this far from the plan's other signing dates is more likely misread
# than real (the three sign one plan within days or weeks).
_FAR = dt.timedelta(days=90)
_DATE_LABEL = re.compile(r"日\s*期|时\s*间")


def _sampling_dates(ctx: Ctx, sd: Val) -> list[Val]:
    """计划采样日期: every date of the value, read again when doubtful (``reread_dates``)."""
    g = next((x for x in ctx.grids if x.page.no == sd.page), None)
    if g is None:
        return [Val(value=d, page=sd.page, bbox=sd.bbox, raw=sd.raw, conf=sd.conf) for d, _ in find_dates(sd.raw)]
    ds, raw, again = reread_dates(ctx, g, sd.bbox, sd.raw)
    return [Val(value=d, page=sd.page, bbox=sd.bbox, raw=raw, conf=0.9 if again else sd.conf) for d in ds]


def _slot_cells(g, hit: SignerHit, others: list[SignerHit]) -> tuple[list, bool]:
    """The cells of a signature slot that hold its date (text with a date written), and
    whether that date is the slot's own (on the slot's line) rather than from the line
    below. Cells shared with another role's slot are left out: read again, they could
    give the other role's date."""
    def inside(c, b) -> bool:
        return b[1] - 1 <= c.yc <= b[3] + 1 and b[0] - 1 <= c.xc <= b[2] + 1

    own = [c for c in g.cells if inside(c, hit.bbox) and date_written(c.text)
           and not any(o is not hit and o.page == hit.page and inside(c, o.bbox) for o in others)]
    if own or hit.date is None or find_dates(hit.raw):
        return own, True
    # a date on the line under the names (boxed signature cells): the cell it came from
    mid = (hit.bbox[1] + hit.bbox[3]) / 2
    below = [c for c in g.cells if mid + 0.3 * g.hmed < c.yc <= hit.bbox[3] + 1.5 * g.hmed
             and any(d == hit.date for d, _ in find_dates(c.text))]
    best = max(below, key=lambda c: min(c.bbox[2], hit.bbox[2]) - max(c.bbox[0], hit.bbox[0]), default=None)
    return ([best] if best is not None else []), False


def _sign_dates(ctx: Ctx, sig: dict[str, SignerHit]) -> dict[str, Val]:
    """编制 / 审核 / 批准 dates. A slot's date that did not parse cleanly, or that breaks
    the order of the three (written, then reviewed, then approved) or lies far from the
    others, is read again, closer (scans only). A slot whose own date is written but
    unreadable keeps no date rather than the one on the line below (another slot's)."""
    grids = {g.page.no: g for g in ctx.grids}
    out: dict[str, Val] = {}
    boxes: dict[str, tuple] = {}
    hits = list(sig.values())
    for role, desc in ROLE_DESC.items():
        hit = sig.get(role)
        out[role] = signer_date(hit, desc)
        g = grids.get(hit.page) if hit is not None else None
        if g is None:
            continue
        cells, own = _slot_cells(g, hit, hits)
        if not cells:
            continue
        box = union_bbox(c.bbox for c in cells)
        text = " ".join(c.text for c in cells)
        boxes[role] = (g, box, text)
        inline = find_dates(hit.raw)
        written = bool(_DATE_LABEL.search(hit.raw)) and date_written(hit.raw)
        d, raw, again = reread_date(ctx, g, box, text)
        if again and d is not None:
            out[role] = Val(value=d, page=hit.page, bbox=box, raw=raw.strip(), conf=0.9)
        elif own and not inline and written and hit.date is not None:
            # the slot's own date could not be read: the date below belongs to another slot
            out[role] = Val(value=None, page=hit.page, bbox=box, raw=text,
                            reason=f"{desc} date written but unreadable: {text!r}")
    # order and distance: a date the other two contradict is read again
    for role in ROLE_DESC:
        v = out[role]
        if not v.ok or role not in boxes:
            continue
        g, box, text = boxes[role]

        def plausible(d, role=role) -> bool:
            keys = list(ROLE_DESC)
            i = keys.index(role)
            for j, k in enumerate(keys):
                o = out[k].value if k != role and out[k].ok else None
                if o is None:
                    continue
                if (j < i and o > d) or (j > i and o < d) or abs(o - d) > _FAR:
                    return False
            return True

        if plausible(v.value):
            continue
        d, raw, again = reread_date(ctx, g, box, text, plausible=plausible)
        if again and d is not None and d != v.value:
            out[role] = Val(value=d, page=v.page, bbox=box, raw=raw.strip(), conf=0.9)
    return out


@extractor("detection_plan")
def extract(ctx: Ctx) -> PlanRecord:
    gs = ctx.grids
    sig = signature_block(gs, ROLES, ctx.known_names)
    rows = []
    parsers = {"points": parse_number, "samples_per_day": parse_number, "days": parse_number,
               "minutes": parse_number, "flow": parse_number}
    for t in find_tables(gs, TableSpec("plan", COLUMNS, "post", _post_ok, min_columns=3, stops=STOPS)):
        for r in t.rows:
            rows.append(_with_purpose(t, r, _split_collector(row_vals(t, r, parsers))))
    if not rows:
        # no post column of its own (one title naming post and site, 岗位/采样点; the post
        # and site written above and below the row's line): rows start at the factor
        for t in find_tables(gs, TableSpec("plan", COLUMNS, "factor", _post_ok, min_columns=3, stops=STOPS)):
            for r in t.rows:
                rows.append(_with_purpose(t, r, _split_collector(row_vals(t, r, parsers))))
    sd = value(gs, SAMPLING_DATE, what="计划采样日期")
    sdates = _sampling_dates(ctx, sd) if sd.ok else []
    sign = _sign_dates(ctx, sig)
    storage = value(gs, STORAGE, what="贮存条件", stops=PERIOD)
    period = value(gs, PERIOD, what="保存期限")
    if not period.ok:
        prose = _prose_period(gs)
        if prose.ok:
            period = prose
    equipment = _equipment(gs)
    return PlanRecord(
        plan_no=value(gs, PLAN_NO, what="方案编号"),
        project_no=value(gs, PROJECT_NO, what="项目编号"),
        rows=rows, sampling_dates=sdates, equipment=equipment,
        storage_conditions=storage, storage_period=period,
        author=signer_val(sig.get("author"), "编制人", ctx.pages[0]),
        author_date=sign["author"],
        reviewer=signer_val(sig.get("reviewer"), "审核人", ctx.pages[0]),
        review_date=sign["reviewer"],
        approver=signer_val(sig.get("approver"), "批准人", ctx.pages[0]),
        approve_date=sign["approver"],
        sio2_pct=sio2_statements(gs),
        pages=ctx.pages,
    )
