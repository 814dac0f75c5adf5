"""现场采样 / 检测记录 → ``SamplingSheet`` per form page (air sampling and noise).

Over 600 lines: one form read whole across its pages (header facts, the sample table,
blank rows wherever they stand, flow before/after and its calibration table, the noise
sub-form, signatures once per form), and these parts decide each other's meaning (a
blank row needs the table's id column, a flow its sub-column), so they stay together."""
from __future__ import annotations

import re
from typing import Optional

from ..layout import union_bbox
from ..signatures import role_stops, signature_block, signer_date, signer_val, signer_vals
from ..records import Row, SamplingSheet, SheetTextFacts, Val, ValState
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..ids import generic_id
from ..text import date_written, find_dates, parse_number, parse_time_range
from ._common import (SAMPLE_ID_LABELS, date_value, id_ok, misread_date_labels, parse_id,
                      reread_date, sampling_purpose, value, value_texts)

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
    "unit": ("单位", "计量单位"),  # a unit column beside the levels (dB(A))
}
ROLES = {
    "sampler": ("采样人", "采样人员", "测量人", "测量人员", "检测人", "检测人员"),
    "escort": ("陪同人", "陪同人员", "用人单位陪同人", "用人单位陪同人员", "企业陪同人员", "企业陪同人", "陪同"),
    "checker": ("复核人", "校核人", "核对人", "审核人", "复核"),
}
STOPS = role_stops(ROLES)

# ---------------------------------------------------------------- words on the form's pages
# (moved from checks i043 / i050, which read them from page text to confirm an absence)

_TEMP_WORD = re.compile(r"(?:气温|温度)\s*[:：]?\s*(-?\d+(?:\.\d+)?)?")
_PRES_WORD = re.compile(r"(?:大气压|气压)\s*[:：]?\s*(\d+(?:\.\d+)?)?")
_EQUIP_LABEL = re.compile(r"仪器|设备|采样器|声级计|泵")
_ID_LIKE = re.compile(r"[A-Za-z]{1,6}[-/][A-Za-z0-9/\-]*\d{2,}")


def _quantity_state(text: str, rx: re.Pattern) -> str:
    """``ok`` (a number follows the label), ``blank`` (label, no number) or ``absent``."""
    ms = list(rx.finditer(text))
    if not ms:
        return "absent"
    return "ok" if any(m.group(1) for m in ms) else "blank"


def sheet_text_facts(text: str) -> SheetTextFacts:
    """What the text of a sampling form's pages (lines joined by newlines) says in words."""
    return SheetTextFacts(
        text_present=bool(text.strip()),
        date_written=bool(find_dates(text)),
        time_written=bool(re.search(r"\d{1,2}:\d{2}", text)),
        temp_with_unit=bool(re.search(r"\d\s*℃", text)),
        pressure_with_unit=bool(re.search(r"\d\s*kPa", text)),
        temp_state=_quantity_state(text, _TEMP_WORD),
        pressure_state=_quantity_state(text, _PRES_WORD),
        weather_words=bool(re.search(r"气象|天气|环境条件", text)),
        equipment_words=bool(_EQUIP_LABEL.search(text) or _ID_LIKE.search(text)),
        calibration_words="校准" in text,
        db_words="dB" in text.replace("dB(A)", ""),
    )


def _split_period(t: str):
    r = parse_time_range(t)
    return list(r) if r else None


def _mode(t: str):
    for k in ("个体", "定点", "空白", "短时间", "长时间"):
        if k in (t or ""):
            return k
    return (t or "").strip() or None


# Cells that never say what a sample is for (ids, names, numbers, equipment): an
# equipment id like STE-01 is no short-term mark.
_NOT_PURPOSE = {"sample_id", "site", "post", "factor", "period", "minutes", "flow_before", "flow_after", "flow",
                "volume", "pump_id"}


def _purpose(t, r) -> Optional[Val]:
    """What the row's sample is for (``sampling_purpose``: TWA / STEL / MAC) as its mode
    column, a type column no synonym named (采样类型, 样品类型, 检测类型) or its remarks
    write it; None when no cell says."""
    cells = [c for k, cs in r.cells.items() if k not in _NOT_PURPOSE for c in cs if not _NOTE.match(c.text)]
    hits = [c for c in cells if sampling_purpose(c.text)]
    if not hits:
        return None
    raw = " ".join(c.text for c in hits)
    return Val(value=sampling_purpose(raw), page=t.page, bbox=union_bbox(c.bbox for c in hits), raw=raw,
               conf=min(c.conf for c in hits))


@extractor("sampling_record")
def extract(ctx: Ctx) -> list[SamplingSheet]:
    spec = TableSpec("sampling", COLUMNS, "sample_id", _id_or_suffixed(ctx), min_columns=2, stops=STOPS)
    # the noise table's level columns may have titles over two rows (LAeq,T above dB(A)):
    # two named columns start it, a level column among its titles keeps it
    nspec = TableSpec("noise", NOISE_COLUMNS, "post", lambda t: bool(re.search(r"[\u4e00-\u9fff]", t)), min_columns=2, stops=STOPS)
    known = ctx.known_names
    sheets: list[SamplingSheet] = []
    # flows per sample id from calibration tables anywhere in the section (they may
    # follow the sample table, continue on the next page, or stand on a page of their own)
    cal: dict[str, dict[str, Val]] = {}
    sheets_page_of: dict[int, Optional[tuple[int, int]]] = {}  # sheet index → its last page's 第k页共n页
    for g in ctx.grids:
        tables = find_tables([g], spec, continue_pages=False)
        ntables = find_tables([g], nspec, continue_pages=False)
        # a noise table: a level column among its titles (keyed, or inside a combined
        # title such as "LAeq,T dB(A) 接触时间 h/d")
        ntables = [t for t in ntables if "laeq" in t.keys or "lex8h" in t.keys
                   or any(_LEVEL_TITLE.search(c.text or "") for c in t.columns)]
        sig = signature_block([g], ROLES, known)
        date = _sheet_date(ctx, g, sig)
        factors = value([g], FACTORS, what="检测项目")
        if factors.ok and _in_header(factors, tables + ntables):
            # 检测项目 as a column title of the sample table, not the form's header field
            factors = Val.missing("检测项目 only as a column title", g.page.no)
        page_of = _page_of(g)
        if not tables and not ntables and not date.ok:
            # a continuation page without header: rows under the previous sheet's table
            # columns, and the form's signatures when they stand here (the last page)
            if sheets:
                prev = sheets[-1]
                rows = _continued_rows(ctx, prev, g, spec, factors, cal) if prev.rows else []
                if rows or _continues(page_of, sheets_page_of.get(len(sheets) - 1), len(ctx.grids)) or (
                        _signs_missing(prev, sig)):
                    sheets[-1] = _merge(prev, g, rows, [], sig)
                    sheets_page_of[len(sheets) - 1] = page_of
            continue
        rows = _rows(ctx, tables, factors, cal)
        noise = []
        for t in ntables:
            for r in t.rows:
                if not _drop_notes(r):
                    continue
                noise.append(row_vals(t, r, {"laeq": parse_number, "hours": parse_number, "lex8h": parse_number}))
        titles = _level_titles(ntables)
        weather = value([g], WEATHER, what="气象条件")
        # weather, temperature, pressure, humidity: the weather cell with its wrapped
        # lines first ("气压101." / "5kPa"), then every wrapped cell, then the header lines
        chains = g.wrapped_texts()
        wrapped = [t for t, _ in chains]
        wtexts = _label_texts(g, WEATHER) + wrapped + [_header_text(g)]
        temp = _first(wtexts, _temperature, g.page.no, weather, "气温")
        pres = _first(wtexts, _pressure, g.page.no, weather, "气压")
        hum = _first(wtexts, _humidity, g.page.no, weather, "相对湿度")
        texts = chains + [("\n".join(ln.text for ln in g.lines), [])]
        cal_b = _cal(texts, "前", g.page.no)
        cal_a = _cal(texts, "后", g.page.no)
        eq_ids = _equipment_ids(ctx, g)
        if sheets and (_continues(page_of, sheets_page_of.get(len(sheets) - 1), len(ctx.grids)) or (
                not date.ok and not factors.ok and not any(
                    not _in_header(Val(value=1, page=g.page.no, bbox=c.bbox), tables + ntables)
                    for c, *_ in g.find(PROJECT_NO)))):
            # the same form continued on this page (no header block): merge into it
            prev = sheets[-1]
            if prev.rows:
                # rows continuing the previous page's table without its titles, above
                # a table of this page's own (a calibration table under them)
                have = {(r.page, r.value("sample_id")) for r in rows}
                rows = [r for r in _continued_rows(ctx, prev, g, spec, factors, cal)
                        if (r.page, r.value("sample_id")) not in have] + rows
            sheets[-1] = _merge(prev, g, rows, noise, sig, titles)
            sheets_page_of[len(sheets) - 1] = page_of
            continue
        sheets_page_of[len(sheets)] = page_of
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
            rows=rows, noise=noise, noise_titles=titles,
            samplers=signer_vals(sig.get("sampler"), "采样人", g.page.no),
            escort=signer_val(sig.get("escort"), "陪同人", g.page.no),
            checker=signer_val(sig.get("checker"), "复核人", g.page.no),
            sign_date=next((signer_date(sig[r], r) for r in ("checker", "sampler", "escort") if r in sig and sig[r].date),
                           Val.missing("no date in the signature block", g.page.no)),
            pages=(g.page.no,),
        ))
    if not sheets:
        ctx.note("no sampling sheet recognised")
    if cal:
        sheets = [sh.model_copy(update={"rows": _merge_calibration(sh.rows, cal)}) for sh in sheets]
    return sheets


def _signs_missing(prev: SamplingSheet, sig: dict) -> bool:
    """The page holds a signer the form still lacks (its signature strip on the last page)."""
    return (sig.get("sampler") is not None and not any(v.ok for v in prev.samplers)) or any(
        sig.get(role) and not getattr(prev, role).ok for role in ("escort", "checker"))


def _level_titles(ntables: list) -> dict[str, list[Val]]:
    """The titles of the noise tables' level columns as printed, boxed over the column's
    span of the header: the unit they state is item 47's to judge."""
    out: dict[str, list[Val]] = {}
    for t in ntables:
        for c in t.columns:
            if c.key in ("laeq", "lex8h") and c.text:
                box = (round(c.x0, 2), t.header_bbox[1], round(c.x1, 2), t.header_bbox[3])
                out.setdefault(c.key, []).append(Val(value=c.text, page=t.page, bbox=box, raw=c.text, conf=0.9))
    return out


def _merge(prev: SamplingSheet, g, rows: list[Row], noise: list, sig: dict,
           titles: Optional[dict[str, list[Val]]] = None) -> SamplingSheet:
    """``prev`` with page ``g`` of the same form: its rows, and the signers it lacked."""
    upd = {"rows": prev.rows + rows, "noise": prev.noise + noise, "pages": prev.pages + (g.page.no,)}
    if titles:
        upd["noise_titles"] = {k: prev.noise_titles.get(k, []) + titles.get(k, [])
                               for k in {*prev.noise_titles, *titles}}
    if not any(v.ok for v in prev.samplers) and sig.get("sampler") is not None:
        upd["samplers"] = signer_vals(sig.get("sampler"), "采样人", g.page.no)
    for role, fld in (("escort", "escort"), ("checker", "checker")):
        if not getattr(prev, fld).ok and sig.get(role):
            upd[fld] = signer_val(sig.get(role), role, g.page.no)
    return prev.model_copy(update=upd)


def _continued_rows(ctx: Ctx, prev: SamplingSheet, g, spec: TableSpec, factors: Val, cal: dict) -> list[Row]:
    """Rows on page ``g`` that continue the sample table of ``prev``'s pages under its
    columns (a page break inside the table, titles not repeated)."""
    tables = find_tables([x for x in ctx.grids if x.page.no in prev.pages] + [g], spec, continue_pages=True)
    return _rows(ctx, [t for t in tables if t.page == g.page.no], factors, cal)


_LEVEL_TITLE = re.compile(r"L\s*A\s*eq|L\s*EX|等效声级|声级\s*dB|dB\s*[(（]\s*A", re.I)
_PAGE_OF = re.compile(r"第\s*(\d{1,2})\s*页\s*[,，/]?\s*共\s*(\d{1,2})\s*页")


def _page_of(g) -> Optional[tuple[int, int]]:
    """The form's own page count printed on the page (第2页共3页), when there is one."""
    for ln in g.lines:
        m = _PAGE_OF.search(ln.text.replace(" ", ""))
        if m:
            k, n = int(m.group(1)), int(m.group(2))
            if 1 <= k <= n:
                return k, n
    return None


def _continues(page_of, prev_of, n_pages: int) -> bool:
    """Page k of n following page k-1 of the same n: the same form continued (a count
    larger than the section is the bundle's own page numbering, not the form's)."""
    if page_of is None or prev_of is None:
        return False
    return page_of[0] > 1 and page_of[1] == prev_of[1] and page_of[0] == prev_of[0] + 1 and page_of[1] <= n_pages


def _in_header(v: Val, tables) -> bool:
    """Whether ``v``'s box stands within the column titles of one of ``tables``."""
    if v.bbox is None:
        return False
    for t in tables:
        hb = t.header_bbox
        if t.page == v.page and hb != (0, 0, 0, 0) and v.bbox[1] >= hb[1] - 2 and v.bbox[3] <= hb[3] + 2:
            return True
    return False


def _sheet_date(ctx: Ctx, g, sig: dict) -> Val:
    """The sheet's sampling date. A date that did not parse cleanly, or that is later than
    every signing date of the sheet (nobody signs a record before the sampling), is read
    again; so is a value under a label OCR could not read (检测白期)."""
    signed = [h.date for h in sig.values() if h.date is not None]

    def plausible(d) -> bool:
        return not signed or d <= max(signed)

    date = date_value([g], DATE, "采样日期")
    if date.ok:
        d, raw, again = reread_date(ctx, g, date.bbox, date.raw, plausible=plausible)
        if again and d is not None and d != date.value:
            return Val(value=d, page=date.page, bbox=date.bbox, raw=raw.strip(), conf=0.9)
        return date
    # the labels found (a fuzzy hit may be a table header: 采样时 of 采样时长), then
    # labels with one character misread
    for hits in (lambda: g.find(DATE), lambda: misread_date_labels(ctx, g, DATE)):
        for cell, _, e, lab in hits():
            for text, src in value_texts(g, cell, e, DATE):
                if not date_written(text):
                    continue
                d, raw, again = reread_date(ctx, g, src.bbox, text, plausible=plausible)
                if d is not None:
                    conf = 0.9 if again else float(src.conf) * (0.9 if lab not in cell.text else 1.0)
                    return Val(value=d, page=g.page.no, bbox=src.bbox, raw=raw.strip(), conf=round(conf, 3))
    return date


def _sample_id(ctx: Ctx):
    """The id of a row: the bundle's pattern, kept whole when the cell's id-shaped token
    extends it by a suffix (a blank's DJ220823-09-K, a parallel's …-P)."""
    base = parse_id(ctx)

    def p(text: str):
        got = base(text)
        if got:
            return got
        for tok in re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-]*", text or ""):
            m = re.fullmatch(r"(.+?)([-_]?[A-Za-z]{1,3}\d?)", tok)
            if m and base(m.group(1)) == m.group(1).upper():
                return tok.upper()
        return None

    return p


def _id_or_suffixed(ctx: Ctx):
    """Anchor test of the id column: an id, or an id with a blank's / parallel's suffix."""
    ok, sid = id_ok(ctx), _sample_id(ctx)
    return lambda t: ok(t) or sid(t) is not None


def _blank_table(ctx: Ctx, t) -> bool:
    """A table of field blanks: its id column is titled as blanks (空白样编号), or a title
    line just above its header names blanks (现场空白样品记录, 空白样记录表)."""
    col = next((c for c in t.columns if c.key == "sample_id"), None)
    if col is not None and _BLANK.search(col.text):
        return True
    g = next((x for x in ctx.grids if x.page.no == t.page), None)
    if g is None or t.header_bbox == (0, 0, 0, 0):
        return False
    top = t.header_bbox[1]
    above = [ln for ln in g.lines if ln.bbox[3] <= top + 1 and top - ln.bbox[3] <= 2.5 * g.hmed]
    return any(len(ln.cells) <= 2 and _BLANK.search(ln.text) and not _NOTE.match(ln.text) for ln in above)


def _rows(ctx: Ctx, tables, factors: Val, cal: dict) -> list[Row]:
    out: list[Row] = []
    sheet_factor = factors.value if factors.ok else None
    sid = _sample_id(ctx)
    for t in tables:
        if _calibration_table(t):
            _read_calibration(t, sid, cal)
            continue
        all_blank = _blank_table(ctx, t)
        for r in t.rows:
            if not _drop_notes(r):
                continue
            row = row_vals(t, r, {"sample_id": sid, "minutes": parse_number, "flow_before": parse_number,
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
            _split_grouped_flow(ctx, t, r, f)
            v = f.get("sample_id")
            if v is not None and v.ok and parse_id(ctx)(v.value) != v.value:
                # an id the bundle's pattern reads only without its suffix (2022-0411-14KB):
                # written, but other records may spell it otherwise; kept as raw text
                f["sample_id"] = Val(value=None, page=v.page, bbox=v.bbox, raw=v.raw, conf=v.conf,
                                     reason="id with a suffix outside the bundle's id pattern", state=ValState.UNKNOWN)
            own_id = (f["sample_id"].value or f["sample_id"].raw) if "sample_id" in f else None
            blank, named = _blank_marks(ctx, t, r, own_id)
            blank = blank or all_blank
            f["is_blank"] = Val(value=blank, page=t.page, bbox=r.bbox, raw="空白" if blank else "", conf=1.0)
            if blank and "post" in f and f["post"].ok and not re.search(r"[\u4e00-\u9fff]", f["post"].value):
                f["post"] = Val(value=None, page=t.page, raw=f["post"].raw, reason="blank sample: no post")
            purpose = _purpose(t, r)
            if purpose is not None:
                f["purpose"] = purpose
            if "mode" in f and f["mode"].ok:
                f["mode"] = f["mode"].model_copy(update={"value": _mode(f["mode"].value)})
            out.append(Row(fields=f, page=row.page, bbox=row.bbox))
            for bid, cells in named:
                # a blank named in another cell of a sample's row (备注: 现场空白 KB0402-1):
                # a blank record of its own, for the row's factor and site
                bb = union_bbox(c.bbox for c in cells)
                bf = {"sample_id": Val(value=bid, page=t.page, bbox=bb, raw=" ".join(c.text for c in cells), conf=0.9)}
                for k in ("factor", "site"):
                    if k in f and f[k].ok:
                        bf[k] = f[k]
                bf["is_blank"] = Val(value=True, page=t.page, bbox=bb, raw="空白", conf=0.9)
                out.append(Row(fields=bf, page=t.page, bbox=bb))
    return out


# ---------------------------------------------------------------- flow before / after

_FLOW_WORD = re.compile(r"流量|校准|L\s*/\s*min", re.I)


def _flow_side(title: str) -> Optional[str]:
    """``flow_before`` / ``flow_after`` for a column title naming the flow (or its
    calibration) before or after sampling (采样前流量, 采样后校准 L/min, 测前 …)."""
    t = re.sub(r"\s+", "", title or "")
    if not _FLOW_WORD.search(t):
        return None
    b, a = "前" in t, "后" in t
    if b and not a:
        return "flow_before"
    if a and not b:
        return "flow_after"
    return None


def _calibration_table(t) -> bool:
    """A flow calibration table (采样器编号 | 对应样品 | 采样前校准 | 采样后校准 | 偏差):
    before/after flow columns named as calibration, and no sampling time columns."""
    sides = {_flow_side(c.text) for c in t.columns}
    named = any("校准" in (c.text or "") for c in t.columns)
    return named and {"flow_before", "flow_after"} <= sides and not ({"period", "minutes"} & t.keys)


def _read_calibration(t, sid, cal: dict[str, dict[str, Val]]) -> None:
    """Flow before / after per sample id from a calibration table (into ``cal``)."""
    keys = {}
    for c in t.columns:
        side = _flow_side(c.text)
        if side and side not in keys.values():
            keys[c.key or f"_{int(c.x0)}"] = side
    for r in t.rows:
        if not _drop_notes(r):
            continue
        ids_text = r.text("sample_id", sep=" ")
        ids = [x for x in (sid(tok) for tok in re.split(r"[\s、,，;；]+", ids_text)) if x]
        got = {}
        for k, side in keys.items():
            cells = r.cells.get(k, [])
            raw = "".join(c.text for c in cells).strip()
            v = parse_number(raw) if raw else None
            bb = union_bbox(c.bbox for c in cells) if cells else r.bbox
            got[side] = Val(value=v, page=t.page, bbox=bb, raw=raw, conf=min((c.conf for c in cells), default=0.0)) \
                if v is not None else Val(value=None, page=t.page, bbox=bb, raw=raw, reason=f"calibration cell {side} empty",
                                          state=ValState.EMPTY if not raw else ValState.UNKNOWN)
        for x in ids:
            cal[x] = got


def _merge_calibration(rows: list[Row], cal: dict[str, dict[str, Val]]) -> list[Row]:
    if not cal:
        return rows
    out = []
    for row in rows:
        got = cal.get(row.value("sample_id"))
        if got:
            f = dict(row.fields)
            for side, v in got.items():
                if side not in f or not f[side].ok:
                    f[side] = v
            row = row.model_copy(update={"fields": f})
        out.append(row)
    return out


# A form note absorbed into the last row (备注：现场空白与样品同批运输) is no cell of that row.
_NOTE = re.compile(r"^\s*(?:备\s*注|注)\s*\d?\s*[:：]")
# Blank words (现场空白, 全程序空白, 运输空白, 空白对照, 空白样); "以下空白" closes a table.
_BLANK = re.compile(r"(?<!以下)空\s*白")


def _drop_notes(r) -> bool:
    """Take the form's note lines (注：… / 备注：…, absorbed into the nearest row) out of
    row ``r``; False when the row is itself a note line."""
    notes = [ln for ln in r.lines if ln.cells and _NOTE.match(min(ln.cells, key=lambda c: c.bbox[0]).text)]
    if not notes:
        return True
    if len(notes) == len(r.lines):
        return False
    r.lines = [ln for ln in r.lines if ln not in notes]
    spans = [(ln.bbox[1], ln.bbox[3]) for ln in notes]
    for k in list(r.cells):
        r.cells[k] = [c for c in r.cells[k] if not any(y0 <= c.yc <= y1 for y0, y1 in spans)]
        if not r.cells[k]:
            del r.cells[k]
    return True


def _blank_marks(ctx: Ctx, t, r, own_id) -> tuple[bool, list[tuple[str, list]]]:
    """Whether row ``r`` is a blank, and the blanks another cell of it names by id.

    Every cell of the row counts, in the mapped columns and in those no synonym named
    (方式, 类型, 备注, 样品性质 …). A cell with a blank word and an id other than the row's
    own names a separate blank (a sample row's remark 现场空白 KB0402-1); a blank word
    without another id marks the row itself."""
    own, named = False, []
    pat = ctx.id_pattern

    def ids(text: str) -> list[str]:
        # the bundle's id pattern, and any id-shaped run between the words (现场空白KB0402-1)
        got = [x for x, _ in pat.find(text)] if pat is not None else []
        for tok in re.findall(r"[A-Za-z0-9][A-Za-z0-9_\-]*", text):
            g = generic_id(tok)
            if g and g not in got:
                got.append(g)
        return got
    for key, cells in r.cells.items():
        cells = [c for c in cells if not _NOTE.match(c.text)]
        text = "".join(c.text for c in sorted(cells, key=lambda c: (round(c.yc / 6), c.bbox[0])))
        if not _BLANK.search(text):
            continue
        others = [x for x in ids(text) if x != own_id and x not in (own_id or '')] if key != "sample_id" else []
        if others:
            named.extend((x, cells) for x in others)
        else:
            own = True
    return own, named


_BEFORE, _AFTER = re.compile(r"前"), re.compile(r"后")


def _split_grouped_flow(ctx: Ctx, t, r, f: dict) -> None:
    """A flow column under a grouped title (流量 L/min over 前 | 后): each value goes to
    the sub-column it stands under; a sub-column with nothing in it is an empty cell."""
    col = next((c for c in t.columns if c.key == "flow"), None)
    if col is None or "flow_before" in f or "flow_after" in f:
        return
    keys = ["flow"]
    if _BEFORE.search(col.text) and _AFTER.search(col.text):
        subs = _sub_titles(ctx, t, col)
    else:
        # the group title over the first sub-column only (流量 L/min 前 | 后)
        i = t.columns.index(col)
        nxt = t.columns[i + 1] if i + 1 < len(t.columns) else None
        if not (_BEFORE.search(col.text) and nxt is not None and nxt.key is None
                and _AFTER.search(nxt.text) and len(nxt.text) <= 3):
            return
        keys.append(f"_{int(nxt.x0)}")
        subs = [("flow_before", (col.x0 + col.x1) / 2), ("flow_after", (nxt.x0 + nxt.x1) / 2)]
    got: dict[str, list] = {"flow_before": [], "flow_after": []}
    for c in (c for k in keys for c in r.cells.get(k, [])):
        parts = c.text.split()
        for n, part in enumerate(parts):
            x = c.bbox[0] + (c.bbox[2] - c.bbox[0]) * (n + 0.5) / max(1, len(parts))
            side = min(subs, key=lambda sb: abs(sb[1] - x))[0]
            got[side].append((part, c))
    if any(len(v) > 1 for v in got.values()):
        return  # not one value per sub-column: leave the cell as read
    for key, vals in got.items():
        if not vals:
            f[key] = Val(value=None, page=t.page, bbox=r.bbox, reason=f"cell {key} empty", state=ValState.EMPTY)
            continue
        txt, c = vals[0]
        v = parse_number(txt)
        f[key] = Val(value=v, page=t.page, bbox=c.bbox, raw=txt, conf=c.conf) if v is not None else \
            Val(value=None, page=t.page, bbox=c.bbox, raw=txt, reason=f"cannot parse {key} from {txt!r}")
    del f["flow"]


def _sub_titles(ctx: Ctx, t, col) -> list[tuple[str, float]]:
    """x centres of the 前 / 后 sub-titles under a grouped flow title (halves of the
    column when they cannot be found)."""
    g = next((x for x in ctx.grids if x.page.no == t.page), None)
    hb = t.header_bbox
    out = []
    if g is not None and hb != (0, 0, 0, 0):
        for c in g.cells:
            if hb[1] - 2 <= c.yc <= hb[3] + 2 and col.x0 - 2 <= c.xc <= col.x1 + 2 and len(c.text.strip()) <= 4:
                if _BEFORE.search(c.text) and not _AFTER.search(c.text):
                    out.append(("flow_before", c.xc))
                elif _AFTER.search(c.text) and not _BEFORE.search(c.text):
                    out.append(("flow_after", c.xc))
    if {k for k, _ in out} == {"flow_before", "flow_after"}:
        return out
    mid = (col.x0 + col.x1) / 2
    return [("flow_before", (col.x0 + mid) / 2), ("flow_after", (mid + col.x1) / 2)]


# ---------------------------------------------------------------- header quantities

_TEMP = re.compile(r"(?:气温|温度)\s*[:：]?\s*(-?\d{1,2}(?:\.\d+)?)\s*(?:℃|°C|°)")
_PRES = re.compile(r"(?:大气压力|大气压|气压)\s*[:：]?\s*(\d{2,4}(?:\.\d+)?)(?![\d.])\s*(kPa|KPa|kpa|千帕|hPa|百帕|mbar|mmHg|毫米汞柱)?")
_HUM = re.compile(r"湿度\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*%")
# pressure units → factor to kPa (a number without unit is read as kPa)
_PRES_UNIT = {"kPa": 1.0, "KPa": 1.0, "kpa": 1.0, "千帕": 1.0, "hPa": 0.1, "百帕": 0.1, "mbar": 0.1,
              "mmHg": 0.133322, "毫米汞柱": 0.133322}


def _temperature(text: str):
    for m in _TEMP.finditer(text):
        v = float(m.group(1))
        if -40 <= v <= 60:
            return v, m.group(0)
    return None


def _pressure(text: str):
    """kPa; a bare number is accepted as kPa only in the range of real air pressure (50–110)."""
    for m in _PRES.finditer(text):
        v = float(m.group(1)) * _PRES_UNIT.get(m.group(2) or "kPa", 1.0)
        if 50 <= v <= 110:
            return round(v, 2), m.group(0)
    return None


def _humidity(text: str):
    for m in _HUM.finditer(text):
        v = float(m.group(1))
        if 0 <= v <= 100:
            return v, m.group(0)
    return None


def _first(texts: list[str], parse, page: int, src: Val, what: str) -> Val:
    for t in texts:
        got = parse(t or "")
        if got is not None:
            return Val(value=got[0], page=src.page or page, bbox=src.bbox, raw=got[1], conf=src.conf or 0.9)
    return Val.missing(f"{what} not found", page)


def _cal(texts: list[tuple[str, list]], which: str, page: int) -> Val:
    """采样前/后 已/未 校准 (characters may be split by a wrap or spaces), or 测量前/后 xx dB.
    ``texts``: (text, cells) of wrapped cells, then the page's lines (no cells)."""
    sp = r"\s*"
    rx1 = sp.join(["采", "样", which]) + r"\s*(已|未|没有|无)?\s*" + sp.join(["校", "准"])
    rx2 = sp.join(["测", "量", which]) + r"\s*(\d+(?:\.\d+)?)\s*dB"
    for rx in (rx1, rx2):
        for t, cells in texts:
            m = re.search(rx, t or "")
            if m:
                neg = m.group(1) in ("未", "没有", "无")
                return Val(value=not neg, page=page, bbox=union_bbox(c.bbox for c in cells) if cells else None,
                           raw=m.group(0).replace("\n", ""), conf=0.9)
    return Val.missing(f"calibration {which} not stated", page)


def _label_texts(g, synonyms) -> list[str]:
    out = []
    for cell, _, e, _ in g.find(synonyms):
        t, _ = g.label_block(cell, e)
        if t:
            out.append(t)
    return out


def _header_text(g) -> str:
    # lines above the sample table (the header block), for quantities printed under their own labels
    out = []
    for ln in g.lines:
        t = ln.text
        if any(k in t for k in COLUMNS["sample_id"][:3]):
            break
        out.append(t)
    return " ".join(out)


# ---------------------------------------------------------------- equipment ids

# An equipment id: letters/digits joined by - / _ (CX-XC236, JC/YQ-327, YQ-19-306).
_EQ_TOKEN = re.compile(r"(?<![A-Za-z0-9_/\-])(?<!\d\.)[A-Za-z0-9]+(?:[-/_][A-Za-z0-9]+)*(?![A-Za-z0-9_/\-]|\.\d)")
_OPEN, _CLOSE = "(（", ")）"
# last character of an instrument's name (采样器, 流量计, 气压表, 采样泵, 测定仪, 采样机)
_INSTRUMENT_END = "器计表泵仪机"


def _id_shaped(tok: str, in_paren: bool) -> bool:
    if not 4 <= len(tok) <= 20 or not re.search(r"\d", tok):
        return False
    letters = len(re.findall(r"[A-Za-z]", tok))
    sep = bool(re.search(r"[-/_]", tok))
    if letters == 0:
        # digits only: an id only inside the parentheses after an instrument, and not a date
        return sep and in_paren and not find_dates(tok)
    if not sep:
        # YQ0012 is an id; DYM3 / AWA5688 are models
        return letters >= 2 and len(re.findall(r"\d", tok)) >= 3 and in_paren
    return not find_dates(tok)


def equipment_ids_in(text: str, is_sample_id=lambda t: False) -> list[str]:
    """Equipment ids in an equipment cell ("大气采样器 QC-2B(YQ-19-306、YQ-19-138);…").

    When instruments are written ``name model(id, id)``, only what is inside the
    parentheses counts (the model before them is not an id); otherwise every id-shaped
    token that is not a model (right after an instrument's name, or before a parenthesis)."""
    toks = []
    depth = 0
    pos = 0
    for m in _EQ_TOKEN.finditer(text):
        for ch in text[pos:m.start()]:
            depth = depth + 1 if ch in _OPEN else max(0, depth - 1) if ch in _CLOSE else depth
        pos = m.start()
        after = text[m.end():].lstrip()
        before = text[:m.start()].rstrip()
        # "name model(id)": a token before a parenthesis, or right after an instrument's
        # name (流量计 Gilibrator-2), is the model
        model = (bool(after) and after[0] in _OPEN) or (depth == 0 and bool(before) and before[-1] in _INSTRUMENT_END)
        toks.append((m.group(0), depth > 0, model))
    paren = any(ip and _id_shaped(t, True) for t, ip, _ in toks)
    out = []
    for t, ip, model in toks:
        if paren and not ip:
            continue
        if model or not _id_shaped(t, ip) or is_sample_id(t):
            continue
        if t not in out:
            out.append(t)
    return out


def _equipment_ids(ctx: Ctx, g) -> list[Val]:
    pat = ctx.id_pattern

    def is_sample_id(t: str) -> bool:
        if pat is None:
            return False
        f = pat.find(t)
        return bool(f) and f[0][0] == t

    out: list[Val] = []
    seen: set[str] = set()
    for cell, _, e, _ in g.find(EQUIPMENT):
        text, cells = g.label_block(cell, e)
        bb = union_bbox(c.bbox for c in cells) if cells else cell.bbox
        for t in equipment_ids_in(text, is_sample_id):
            if t not in seen:
                seen.add(t)
                out.append(Val(value=t, page=g.page.no, bbox=bb, raw=t, conf=0.9))
    return out
