"""实验室分析原始记录 → ``LabSheet`` per sheet (usually one per factor).

Header fields sit in form cells that wrap: ``保存期限30`` / ``天``, ``… AA-7000(`` /
``DR-SY142)``, ``r =`` / ``0.9995``. A value is therefore read as the *block* of
cells to the right of its label (the label's cell row), not as one text line; see
``_block_value``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Optional, Sequence

from ..layout import Cell, PageGrid, union_bbox
from ..signatures import role_stops, signature_block, signer_date, signer_val
from ..records import LabSheet, Row, Val, ValState
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import find_dates, find_label, parse_date, parse_number
from ._common import HEADER_STOPS, SAMPLE_ID_LABELS, id_ok, parse_id, value

# ---------------------------------------------------------------- label synonyms (data)

FACTOR = ("检测项目", "检测因素", "危害因素", "分析项目", "测定项目", "检测指标")
METHOD = ("检测方法", "分析方法", "检测依据", "方法依据", "测定方法")
# Longest synonym wins (find_label), so a long label never leaves its tail
# ("及设备唯一性编号") behind as a value.
INSTRUMENT = ("仪器名称及设备唯一性编号", "仪器名称及唯一性编号", "仪器名称、型号及编号", "仪器名称型号及编号",
              "仪器名称及设备编号", "仪器名称及仪器编号", "仪器名称及型号", "仪器名称及编号", "仪器型号及编号",
              "仪器设备及编号", "分析仪器及编号", "检测仪器及编号", "仪器及编号", "仪器名称", "分析仪器", "检测仪器",
              "仪器型号", "仪器设备", "使用仪器", "主要仪器")
RECEIPT = ("接收日期", "收样日期", "样品接收日期", "送检日期", "收样时间")
ANALYSIS = ("分析日期", "检测日期", "测定日期", "分析时间", "称量日期")
STORAGE = ("贮存条件", "保存条件", "样品保存条件", "储存条件", "样品贮存条件", "样品储存条件", "保存方式")
STORAGE_PERIOD = ("保存期限", "样品保存期限", "保存时间", "保存时限", "贮存期限", "储存期限", "保存期")
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
# the units each quantity's title may state (table.title_unit): a solution's 测得浓度
# (µg/mL) is not the air concentration
UNITS = {"mass": ("ug",), "volume": ("l",), "conc": ("mg/m3", "f/ml")}
ROLES = {
    "analyst": ("检验人", "分析人", "检测人", "测定人"),
    "reviewer": ("复核人", "校核人", "核对人", "审核人"),
}
STOPS = role_stops(ROLES)

# Every header label of the form: a cell starting with one of these is a label, not
# part of a neighbouring value block. (QC synonyms such as 加标回收 / 质控样 also
# start QC *values*, so only 质量控制 counts here.)
HEADER_LABELS: tuple[str, ...] = tuple(dict.fromkeys(
    FACTOR + METHOD + INSTRUMENT + RECEIPT + ANALYSIS + STORAGE + CURVE + BLANK + ("质量控制",) + HEADER_STOPS
    + ("任务编号", "环境条件", "温湿度", "样品名称", "样品类别", "表格编号")))

# What is left of a label cell after a synonym when the form's label is longer than
# the synonym ("仪器名称" + "及仪器编号"): label words only, no digits.
_LABEL_TAIL = re.compile(r"[及和与、/()（）\s]*[\u4e00-\u9fff/、]{0,10}(?:编号|型号|编码|规格|名称|依据|方法)[)）]?")


# ---------------------------------------------------------------- value blocks


def _cut(text: str, stops: Sequence[str]) -> str:
    cut = len(text)
    lead = len(text) - len(text.lstrip(" :：.·"))
    for s in stops:
        i = text.find(s, lead + 1)
        if i >= 0:
            cut = min(cut, i)
    return text[:cut]


def _clean(text: str) -> str:
    t = re.sub(r"^[\s:：.·,，;；]+", "", text.strip())
    return re.sub(r"[\s:：;；,，]+$", "", t).strip()


def _is_label(c: Cell) -> bool:
    return _starts_with_label(c.text)


@lru_cache(maxsize=4096)
def _starts_with_label(text: str) -> bool:
    hit = find_label(text.strip().lstrip("*·. "), HEADER_LABELS)
    return bool(hit) and hit[0] == 0


def _xover(a: Cell, b: Cell) -> float:
    return min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])


def _join(parts: Sequence[str]) -> str:
    """Wrapped pieces of one cell: Latin/digit runs broken at a space get it back."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and re.match(r"[A-Za-z0-9]", p[0]) and re.match(r"[A-Za-z0-9]", out[-1]):
            out += " "
        out += p
    return out


def _lines(g: PageGrid, cells: Sequence[Cell]) -> list[Cell]:
    """Cells in reading order: visual lines top to bottom, left to right within a line."""
    rows: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: c.yc):
        if rows and abs(c.yc - sum(x.yc for x in rows[-1]) / len(rows[-1])) <= 0.45 * g.hmed:
            rows[-1].append(c)
        else:
            rows.append([c])
    return [c for r in rows for c in sorted(r, key=lambda c: c.bbox[0])]


def _block(g: PageGrid, label: Cell, first: Cell, *, inline: bool = False) -> list[Cell]:
    """The cells of the form cell whose first piece is ``first``: stacked wrapped lines
    (aligned with it, touching) and same-line pieces, as long as each piece sits nearer
    to ``label`` than to any other label of the label column (the row boundary).
    ``inline``: ``first`` is the label cell itself ("label: value"), which only wraps
    downwards."""
    row_labels = [c for c in g.cells if c is not label and _is_label(c)]
    col_labels = [c for c in row_labels if _xover(c, label) > 0]
    min_x = (label.bbox[0] - g.hmed) if inline else (label.bbox[2] - 2)

    def owned(c: Cell) -> bool:
        d = abs(c.yc - label.yc)
        if not all(d < abs(c.yc - o.yc) for o in col_labels):
            return False
        # another label on the piece's own line, left of it: the piece is that label's value
        # (forms with several label/value pairs per line)
        for o in row_labels:
            vover = min(o.bbox[3], c.bbox[3]) - max(o.bbox[1], c.bbox[1])
            if vover > 0.4 * min(o.h, c.h) and min_x <= o.bbox[2] <= c.bbox[0] + 2:
                return False
        return True

    def aligned(c: Cell, ref: Cell) -> bool:
        w = min(c.bbox[2] - c.bbox[0], ref.bbox[2] - ref.bbox[0])
        same_font = abs(c.h - ref.h) <= 0.35 * max(c.h, ref.h)
        return ((_xover(c, ref) > 0.3 * w or abs(c.bbox[0] - ref.bbox[0]) <= g.hmed) and c.bbox[0] >= min_x
                and same_font)

    block = [first]
    used = {id(first), id(label)}
    if not inline:
        # same-line pieces split off the first (a gap wider than a word space)
        for c in sorted(g.cells, key=lambda c: c.bbox[0]):
            last = max(block, key=lambda x: x.bbox[2])
            if id(c) in used or c.bbox[0] < last.bbox[2] - 1:
                continue
            vover = min(c.bbox[3], first.bbox[3]) - max(c.bbox[1], first.bbox[1])
            if vover > 0.6 * min(c.h, first.h) and c.bbox[0] - last.bbox[2] <= 1.5 * g.hmed:
                if _is_label(c):
                    break
                block.append(c)
                used.add(id(c))
    for direction in ((1,) if inline else (1, -1)):
        ref = first
        while True:
            best, bd = None, 1e9
            for c in g.cells:
                if id(c) in used or _is_label(c):
                    continue
                gap = c.bbox[1] - ref.bbox[3] if direction == 1 else ref.bbox[1] - c.bbox[3]
                if gap < -0.3 * min(c.h, ref.h) or gap > 0.45 * g.hmed:
                    continue
                if not aligned(c, ref) or not owned(c):
                    continue
                if gap < bd:
                    best, bd = c, gap
            if best is None:
                break
            block.append(best)
            used.add(id(best))
            ref = best
    return _lines(g, block)


def _block_value(gs: Sequence[PageGrid], synonyms: Sequence[str], *, what: str,
                 parse: Optional[Callable[[str], object]] = None) -> Val:
    """A header value read as its whole (possibly wrapped) form cell; the plain label
    lookup is the fallback for layouts this does not recognise."""
    stops = [s for s in HEADER_LABELS if s not in synonyms and not any(s in x for x in synonyms)]
    for g in gs:
        for cell, _s, e, _lab in g.find(synonyms):
            rest = _cut(cell.text[e:], stops)
            was_cut = len(rest) < len(cell.text[e:])
            tail = _clean(rest)
            if tail and _LABEL_TAIL.fullmatch(tail):
                tail = ""
            if tail:
                # inline "label: value"; the value may wrap onto the next line under it
                cells = _block(g, cell, cell, inline=True) if not was_cut else [cell]
                text = _join([tail] + [_cut(c.text, stops) for c in cells if c is not cell])
            else:
                first = g.right_of(cell)
                # a value may start with a synonym of its own label (质控样测定值…)
                if first is None or (_is_label(first) and not find_label(first.text, synonyms)):
                    continue
                cells = _block(g, cell, first)
                text = _join([_cut(c.text, stops) for c in cells])
            text = _clean(text)
            if not text:
                continue
            v = parse(text) if parse else text
            if v is None or v == "":
                continue
            conf = min(c.conf for c in cells) * 0.95
            return Val(value=v, page=g.page.no, bbox=union_bbox(c.bbox for c in cells), raw=text, conf=round(conf, 3))
    return value(gs, synonyms, parse=parse, what=what)


# ---------------------------------------------------------------- storage period

_NUM_UNIT = r"(\d+(?:\.\d+)?)\s*(天|日|d|D|小时|h|H)(?![A-Za-z])"
# "保存期限30天", "保存期限: 14 d", "保存时间≤24小时", "冷藏保存7天", "有效期 2 天"
_PERIOD = re.compile(r"(?:保\s*存|贮\s*存|储\s*存|存\s*放|有\s*效)\s*(?:期\s*限|时\s*限|时\s*间|期)?\s*[:：为]?\s*"
                     r"(?:不超过|不大于|不得超过|不宜超过|≤|<=|<|小于|以内|内)?\s*" + _NUM_UNIT)
_PERIOD_WITHIN = re.compile(_NUM_UNIT + r"\s*(?:内|以内)")
_CLAUSE_SEP = "，,；;。"


def _days(n: str, unit: str) -> float | int:
    x = float(n)
    if unit in ("小时", "h", "H"):
        return round(x / 24.0, 4)
    return int(x) if x == int(x) else x


def storage_period(text: str) -> Optional[tuple[float | int, tuple[int, int]]]:
    """(period in days, span) stated in a storage text; hours are converted to days."""
    if not text:
        return None
    t = re.sub(r"\s+", " ", text)
    for rx in (_PERIOD, _PERIOD_WITHIN):
        found = list(rx.finditer(t))
        vals = {_days(m.group(1), m.group(2)) for m in found}
        if len(vals) == 1:
            m = found[0]
            return vals.pop(), m.span()
        if len(vals) > 1:
            return None  # several periods (per collector): not one sheet period
    return None


def _storage_conditions(text: str, span: tuple[int, int]) -> str:
    """The storage text without its period clause ("密封，4℃冷藏保存，保存期限7天" → "密封，4℃冷藏保存")."""
    s, e = span
    # widen to the clause the period sits in
    while s > 0 and text[s - 1] not in _CLAUSE_SEP:
        s -= 1
    while e < len(text) and text[e] not in _CLAUSE_SEP:
        e += 1
    clause = text[s:e]
    if re.search(r"[℃]|冷藏|冷冻|避光|密封|干燥", clause):
        # "4℃冷藏保存7天": the conditions and the period share the clause
        return _clean(text)
    return _clean(text[:s] + text[e:].lstrip(_CLAUSE_SEP))


# ---------------------------------------------------------------- instruments

_ID_PREFIX = re.compile(r"^(?:(?:设备|仪器)?(?:唯一性)?(?:编号|编码)|No\.?|NO\.?|#)\s*[:：]?\s*")
_ID_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.#]{1,30}")


def _looks_id(s: str) -> bool:
    return bool(_ID_TOKEN.fullmatch(s)) and bool(re.search(r"\d", s)) and not re.fullmatch(r"\d{1,3}", s)


def split_instrument(text: str) -> tuple[str, Optional[str], Optional[tuple[int, int]]]:
    """``name model (id)`` / ``name（编号：id）`` / ``name model 编号: id`` → (name model, id, id span).

    Only the first instrument of a list is read. A bracket holding no id-like token
    ("(十万分之一)") is part of the name.
    """
    t = text.strip()
    first = re.split(r"[;；]", t)[0]
    m = re.search(r"(?:设备|仪器)?(?:唯一性)?(?:编号|编码)\s*[:：]?\s*(" + _ID_TOKEN.pattern + ")", first)
    if m and _looks_id(m.group(1)):
        name = re.sub(r"[(（]\s*$", "", first[:m.start()]).strip(" ,，、/")
        return name, m.group(1), m.span(1)
    for b in reversed(list(re.finditer(r"[(（]([^()（）]*)(?:[)）]|$)", first))):
        inner = _ID_PREFIX.sub("", b.group(1).strip())
        if _looks_id(inner):
            name = (first[:b.start()] + first[b.end():]).strip(" ,，、/")
            return name, inner, b.span(1)
    return first.strip(), None, None


# ---------------------------------------------------------------- dates

# a speck before the year (``∵.2022年``, ``:.2022-``) or after a separator (``2022-.04-21``)
_DATE_SPECK = re.compile(r"[.·,，:：∵'`]+(?=\s*(?:19|20)\d\d)|(?<=[-/年月])\s*[.·,，'`]+")
# a letter read for a digit inside a number run (2Q22, 2O22)
_DATE_DIGIT = {"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "|": "1"}


def parse_date_ocr(text: str):
    """``parse_date`` that first undoes what a scan does to a date: a speck before the
    year or after a separator, ``O``/``Q`` for 0 and ``l``/``I`` for 1 between digits.
    The digits themselves are never changed, so a clean date reads as before."""
    d = parse_date(text)
    if d is not None or not text:
        return d
    t = _DATE_SPECK.sub("", text)
    t = re.sub(r"(?<=\d)[OoQDlI|](?=\d)", lambda m: _DATE_DIGIT[m.group(0)], t)
    return parse_date(t)


# ---------------------------------------------------------------- extractor


@extractor("lab_analysis")
def extract(ctx: Ctx) -> list[LabSheet]:
    spec = TableSpec("lab", COLUMNS, "sample_id", id_ok(ctx), min_columns=2, stops=STOPS, units=UNITS)
    sheets: list[LabSheet] = []
    groups: list[list] = []
    for g in ctx.grids:
        if g.find(FACTOR) or g.find(ANALYSIS) or not groups:
            groups.append([g])
        else:
            groups[-1].append(g)
    for gs in groups:
        page0 = gs[0].page.no
        rows: list[Row] = []
        for t in find_tables(gs, spec):
            for r in t.rows:
                rows.append(row_vals(t, r, {"sample_id": parse_id(ctx), "sampling_date": parse_date_ocr, "mass": parse_number,
                                            "volume": parse_number, "conc": parse_number, "reading": parse_number}))
        sig = signature_block(gs, ROLES, ctx.known_names)
        instr, iid = _instrument(gs, page0)
        storage, sdays = _storage(gs, page0)
        curve = _block_value(gs, CURVE, what="标准曲线")
        r_val = Val.missing("no calibration curve (r) stated", page0)
        if curve.ok:
            m = re.search(r"(?:(?<![A-Za-z])[rRγ]|相关系数)\s*[=＝:：]\s*(0\.\d+|1\.0*|1(?![\d.]))", curve.raw)
            if m:
                r_val = curve.model_copy(update={"value": float(m.group(1))})
        sheets.append(LabSheet(
            factor=_clean_factor(_block_value(gs, FACTOR, what="检测项目")),
            method=_block_value(gs, METHOD, what="检测方法"),
            instrument=instr, instrument_id=iid,
            receipt_date=_block_value(gs, RECEIPT, parse=parse_date_ocr, what="接收日期"),
            analysis_date=_block_value(gs, ANALYSIS, parse=parse_date_ocr, what="分析日期"),
            storage=storage, storage_days=sdays,
            curve_r=r_val,
            method_blank=_block_value(gs, BLANK, what="方法空白"),
            qc=_block_value(gs, QC, what="质量控制"),
            rows=rows,
            analyst=signer_val(sig.get("analyst"), "检验人", page0),
            reviewer=signer_val(sig.get("reviewer"), "复核人", page0),
            analyst_date=signer_date(sig.get("analyst"), "检验人"),
            reviewer_date=signer_date(sig.get("reviewer"), "复核人"),
            pages=tuple(g.page.no for g in gs),
        ))
    return _settle_slots(sheets, {g.page.no: g.page for g in ctx.grids})


# ---------------------------------------------------------------- signatures read as marks


def _marks(page) -> int:
    """Hand-written marks read from a text page's images: a date is one mark (an image of
    its own), the lines of a signature and the seal stamped over it are another."""
    groups: list[list[float]] = []
    for ln in page.lines:
        if ln.origin != "image" or not ln.text.strip():
            continue
        b = list(ln.bbox)
        if re.search(r"(?:19|20)\d\d\s*[.\-/年]", ln.text):
            groups.append(b + [1])
            continue
        for g in groups:
            h = min(b[3] - b[1], g[3] - g[1])
            if g[4] == 0 and min(b[2], g[2]) > max(b[0], g[0]) and max(b[1], g[1]) - min(b[3], g[3]) < 0.5 * h:
                g[:4] = [min(b[0], g[0]), min(b[1], g[1]), max(b[2], g[2]), max(b[3], g[3])]
                break
        else:
            groups.append(b + [0])
    return len(groups)


def _mark_in_slot(page, v: Val) -> bool:
    """A hand-written mark that is no date lies beside the slot's label (a signature OCR
    read only in part, "娜" for a two-character name)."""
    if not v.bbox:
        return False
    x0, y0, x1, y1 = v.bbox
    h = min(max(y1 - y0, 6.0), 16.0)
    # the slot ends where the next printed label on its line begins
    cap = min([ln.bbox[0] for ln in page.lines if ln.origin is None and ln.bbox[0] > x0 + h
               and ln.bbox[1] < y1 and ln.bbox[3] > y0 and ln.bbox[0] >= x1 - 1] + [x1 + 8 * h])
    for ln in page.lines:
        if ln.origin != "image" or not re.search(r"[\u4e00-\u9fff]", ln.text) or re.search(r"\d", ln.text):
            continue
        b = ln.bbox
        if x0 < b[0] < cap and b[1] < y1 + h and b[3] > y0 - h:
            return True
    return False


def _settle_slots(sheets: list[LabSheet], pages: dict) -> list[LabSheet]:
    """A signer slot that looks empty but holds a hand-written mark OCR could not read is
    signed, its name unread (state UNKNOWN): a mark read in part beside the label, or a
    text page with at least as many images that gave no text as slots that look empty
    (each image is a signature or a date; ``_marks`` counts those read)."""
    empty: dict[int, list[tuple[int, str]]] = {}
    for i, sh in enumerate(sheets):
        for role in ("analyst", "reviewer"):
            v = getattr(sh, role)
            if v.state is ValState.EMPTY and v.page in pages:
                empty.setdefault(v.page, []).append((i, role))
    updates: dict[int, dict[str, Val]] = {}
    for no, slots in empty.items():
        page = pages[no]
        unread = (page.image_regions - _marks(page)) if page.source == "text" and page.image_regions is not None else None
        rest = []
        for i, role in slots:
            v = getattr(sheets[i], role)
            if _mark_in_slot(page, v):
                updates.setdefault(i, {})[role] = v.model_copy(update={
                    "state": ValState.UNKNOWN, "reason": f"{v.reason}; a hand-written mark beside the label, read only in part"})
            else:
                rest.append((i, role))
        if unread is not None and rest and unread >= len(rest):
            for i, role in rest:
                v = getattr(sheets[i], role)
                updates.setdefault(i, {})[role] = v.model_copy(update={
                    "state": ValState.UNKNOWN,
                    "reason": f"{v.reason}; {unread} image(s) on the page gave no text: a signature OCR could not read"})
    return [sh.model_copy(update=updates[i]) if i in updates else sh for i, sh in enumerate(sheets)]


def _instrument(gs: Sequence[PageGrid], page0: int) -> tuple[Val, Val]:
    """Instrument (name and model) and its id (设备编号), from one cell or two labels."""
    instr = _block_value(gs, INSTRUMENT, what="仪器名称")
    iid = Val.missing("instrument id not found", page0)
    if not instr.ok:
        return instr, iid
    name, ident, _span = split_instrument(instr.raw or str(instr.value))
    if ident:
        iid = instr.model_copy(update={"value": ident})
    else:
        # the id under its own label ("设备编号 SB-19-114")
        own = _block_value(gs, ("设备唯一性编号", "仪器唯一性编号", "设备编号", "仪器编号", "唯一性编号"), what="设备编号")
        if own.ok:
            tok = _ID_TOKEN.search(str(own.value))
            if tok and _looks_id(tok.group(0)):
                iid = own.model_copy(update={"value": tok.group(0)})
    if name:
        instr = instr.model_copy(update={"value": name})
    return instr, iid


def _storage(gs: Sequence[PageGrid], page0: int) -> tuple[Val, Val]:
    """Storage conditions and the storage period in days (hours as a fraction of a day)."""
    storage = _block_value(gs, STORAGE, what="贮存条件")
    sdays = Val.missing("storage period not stated", page0)
    if storage.ok:
        got = storage_period(storage.raw)
        if got:
            days, span = got
            sdays = storage.model_copy(update={"value": days, "raw": storage.raw})
            cond = _storage_conditions(storage.raw, span)
            if cond:
                storage = storage.model_copy(update={"value": cond})
            return storage, sdays
    # a label of its own ("保存期限 | 7天")
    own = _block_value(gs, STORAGE_PERIOD, what="保存期限")
    if own.ok:
        got = storage_period("保存期限" + own.raw)
        if got:
            return storage, own.model_copy(update={"value": got[0]})
    # anywhere on the sheet: a line that states the period with its keyword
    for g in gs:
        for ln in g.lines:
            if re.search(r"保\s*存|贮\s*存|储\s*存", ln.text) and not find_dates(ln.text):
                got = storage_period(ln.text)
                if got and re.search(r"期\s*限|时\s*间|时\s*限|期", ln.text[:got[1][1]]):
                    return storage, Val(value=got[0], page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)
    return storage, sdays


def _clean_factor(v: Val) -> Val:
    """OCR hangs dots and commas on a cell's end (一氧化碳. / 矽尘(呼尘)·): not part of the name."""
    if not v.ok or not isinstance(v.value, str):
        return v
    name = re.sub(r"[\s·.。,，、:：;；'\"`]+$", "", v.value)
    return v.model_copy(update={"value": name}) if name and name != v.value else v
