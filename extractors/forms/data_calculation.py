"""数据换算过程记录 → ``CalcRecord`` (per-sample rows, per-post C_TWA lines, signers)."""
from __future__ import annotations

import re
from typing import Optional

from ..layout import PageGrid, union_bbox
from ..signatures import role_stops, signature_block, signer_val
from ..records import CalcRecord, Row, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import parse_date, parse_number
from ._common import SAMPLE_ID_LABELS, id_ok, parse_id, parse_ids

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
# the units each quantity's title may state (table.title_unit)
UNITS = {"flow": ("l/min", "ml/min"), "volume": ("l",), "minutes": ("min",), "mass": ("ug",),
         "conc": ("mg/m3", "f/ml")}
# A table of C_TWA calculations, one row per post (and day): the formula stands in a cell
# of its own, the key word C_TWA only in the column title.
TWA_COLUMNS = {
    "post": ("岗位/工种", "岗位", "工种", "接触岗位", "岗位(工种)"),
    "site": ("检测地点", "采样地点", "工作地点", "采样点"),
    "factor": ("检测项目", "检测因素", "危害因素", "项目"),
    "date": ("采样日期", "日期", "检测日期"),
    "sample_ids": SAMPLE_ID_LABELS,
    "formula": ("C_TWA计算式", "C_TWA 计算式", "CTWA计算式", "TWA计算式", "计算式", "计算过程", "C_TWA"),
}
# (C1×T1 + C2×T2 + …) / 8 = result: the shape of a C_TWA calculation, key word or not
_FORMULA = re.compile(r"^[(（]?\s*\d+(?:\.\d+)?\s*[×xX*·]\s*\d+(?:\.\d+)?(?:\s*\+\s*\d+(?:\.\d+)?\s*[×xX*·]\s*"
                      r"\d+(?:\.\d+)?)*\s*[)）]?\s*[/÷]\s*\d+(?:\.\d+)?\s*=\s*\d+(?:\.\d+)?\s*"
                      r"(?:mg/m[³3]|f/m[lL])?\s*$")
# a note in brackets that is no part of the factor's name: 氨(结果保留1位小数)
_FACTOR_NOTE = re.compile(r"\s*[(（][^()（）]*(?:保留|小数|有效数字|修约|单位)[^()（）]*[)）]")
ROLES = {
    "calculator": ("计算人", "换算人"),
    "checker": ("复核人", "校核人", "核对人", "审核人"),
}
STOPS = role_stops(ROLES) + ("C_TWA", "CTWA")
# the result after the last "=": on scans a stray dot sits before or after the number
# (``=.0.012``, ``29.4.mg/m³``), the decimal point may come out as a colon (``1:58``)
# and the unit's superscript doubled (``mg/m³3``)
_TWA = re.compile(r"C_?TWA\s*=?.*?=\s*[.·,]?\s*(\d+(?:[.:：]\d+)?)\.?\s*"
                  r"(?:(?:mg|μg|µg|ug)/m[³3]|f/m[lL]|f/cm[³3])?[³3.·。,，]{0,2}\s*$")
# C_TWA as OCR reads it: C_TWA, CTWA, C TWA, C-TWA, G_TWA, c_twa; never the PC-TWA limit
_TWA_KEY = re.compile(r"(?<![A-Za-z])[CG]\s*[_\-—–. ]?\s*T\s*W\s*A", re.I)
# the formula goes on: an operator, an open bracket or a number at the line's end
_OPEN_END = re.compile(r"(?:[+×xX*·/=(（\-]|\d)\s*$")
_TERM = re.compile(r"(\d+(?:\.\d+)?)\s*[×xX*·]\s*(\d+(?:\.\d+)?)")
_HEADING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]?\s*)?(?:%s)\s*[:：]\s*([^\s:：]+)" % "|".join(FACTOR))
_POST_SITE = (re.compile(r"([\u4e00-\u9fff][\u4e00-\u9fff0-9#]*)\s*[(（]([^)）]*)[)）]"),
              re.compile(r"([\u4e00-\u9fff][\u4e00-\u9fff0-9#]*)\s*[/／]\s*([^\s:：/]+)"))


@extractor("data_calculation")
def extract(ctx: Ctx) -> CalcRecord:
    spec = TableSpec("calc", COLUMNS, "sample_id", id_ok(ctx), min_columns=3, stops=STOPS, threshold=85.0, units=UNITS)
    rows: list[Row] = []
    twa: list[Row] = []
    heading: Optional[Val] = None  # the last 检测因素 heading read, carried across pages
    for g in ctx.grids:
        tables = find_tables([g], spec, continue_pages=False)
        # factor label above each table block
        heads = [(ln.yc, ln.text) for ln in g.lines if any(f in ln.text for f in FACTOR)]
        for t in tables:
            if any(_TWA_KEY.search(c.text) or "计算式" in c.text for c in t.columns):
                continue  # the C_TWA table (岗位 … 样品编号 … C_TWA 计算式 mg/m³): read below, no sample rows
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
        page_rows = [r for r in rows if r.page == g.page.no]
        i = 0
        while i < len(g.lines):
            ln = g.lines[i]
            hm = _HEADING.match(ln.text) if len(ln.cells) <= 2 else None
            if hm:
                heading = Val(value=hm.group(1), page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.9)
            got = _twa_at(g, i)
            if got is None:
                i += 1
                continue
            used, text, m = got
            bb = union_bbox(x.bbox for x in used)
            pre = _TWA_KEY.split(used[0].text, maxsplit=1)[0]
            if not _post_site(pre) and i > 0:
                # "2022-07-28 装车工(液氨装车鹤位):" on the line above the formula
                prev = g.lines[i - 1]
                if (prev.bbox[3] <= used[0].bbox[1] + 1 and used[0].bbox[1] - prev.bbox[3] <= 0.8 * g.hmed
                        and "=" not in prev.text and not _TWA_KEY.search(prev.text) and len(prev.cells) <= 2
                        and _post_site(prev.text)):
                    pre = prev.text + pre
            d = parse_date(pre)
            ps = _post_site(pre)
            mk = lambda v, conf: Val(value=v, page=g.page.no, bbox=bb, raw=text, conf=conf)  # noqa: E731
            fields = {
                "date": mk(d, 0.9),
                "post": mk(ps[0] if ps else None, 0.8),
                "site": mk(ps[1] if ps else None, 0.8),
                # a colon between digits of the result is a misread decimal point (1:58)
                "value": mk(float(re.sub(r"[:：]", ".", m.group(1))), 0.9),
            }
            terms = _terms(text)
            fields["formula"] = mk(terms, 0.9) if terms else Val(
                value=None, page=g.page.no, bbox=bb, raw=text, reason="no C×T terms read in the C_TWA formula")
            fields["factor"] = _twa_factor(ps, bb, page_rows, heading, g.page.no)
            twa.append(Row(fields=fields, page=g.page.no, bbox=bb))
            i += len(used)
    if not twa:
        twa = _twa_table(ctx)
    sig = signature_block(ctx.grids, ROLES, ctx.known_names)
    for r in rows:
        fv = r.fields.get("factor")
        if fv is not None and fv.ok and isinstance(fv.value, str) and _FACTOR_NOTE.search(fv.value):
            r.fields["factor"] = fv.model_copy(update={"value": _FACTOR_NOTE.sub("", fv.value).strip()})
    return CalcRecord(rows=rows, twa=twa,
                      calculator=signer_val(sig.get("calculator"), "计算人", ctx.pages[0]),
                      checker=signer_val(sig.get("checker"), "复核人", ctx.pages[0]),
                      pages=ctx.pages)


def _twa_table(ctx: Ctx) -> list[Row]:
    """C_TWA calculations as rows of a table: post, factor, day and samples in cells of
    their own, the formula ``(C×T + …) / 8 = value`` in its column (the key word C_TWA
    only in the column title). A row whose formula cell holds no formula (a ceiling-only
    factor: 一) is no C_TWA line."""
    spec = TableSpec("calc_twa", TWA_COLUMNS, "post", lambda t: bool(re.search(r"[\u4e00-\u9fff]", t)),
                     min_columns=3, stops=STOPS, threshold=85.0)
    out: list[Row] = []
    for t in find_tables(ctx.grids, spec):
        if "formula" not in t.keys:
            continue
        for r in t.rows:
            row = row_vals(t, r, {"sample_ids": parse_ids(ctx), "date": parse_date})
            fv = row.get("formula")
            text = re.sub(r"\s+", " ", (fv.raw or "")).strip() if fv.ok else ""
            if not _FORMULA.match(text.replace("（", "(").replace("）", ")")):
                continue
            res = re.search(r"=\s*(\d+(?:\.\d+)?)\s*(?:mg/m[³3]|f/m[lL])?\s*$", text)
            mk = lambda v, conf: fv.model_copy(update={"value": v, "raw": text, "conf": min(fv.conf, conf)})  # noqa: E731
            terms = _terms(text)
            fields = {
                "date": row.get("date"),
                "post": row.get("post"),
                "site": row.get("site"),
                "value": mk(float(res.group(1)), 0.9),
                "formula": mk(terms, 0.9),
                "factor": row.get("factor"),
                "sample_ids": row.get("sample_ids"),
            }
            out.append(Row(fields=fields, page=row.page, bbox=row.bbox))
    return out


def _twa_at(g: PageGrid, i: int):
    """The C_TWA statement starting on visual line ``i``, joined across wrapped lines
    until it ends in ``= value``: (lines used, text, result match) or None."""
    first = g.lines[i]
    if not _TWA_KEY.search(first.text):
        return None
    used = [first]
    text = first.text
    while True:
        m = _TWA.search(_TWA_KEY.sub("C_TWA", text).replace(" ", ""))
        if m:
            return used, text, m
        after = _TWA_KEY.split(text, maxsplit=1)[-1]
        # continue only a formula that was begun and breaks off mid-expression
        if len(used) >= 4 or "=" not in after or not _OPEN_END.search(text):
            return None
        j = i + len(used)
        if j >= len(g.lines):
            return None
        nxt = g.lines[j]
        gap = nxt.bbox[1] - used[-1].bbox[3]
        if (gap > 0.8 * g.hmed or len(nxt.cells) > 2 or _TWA_KEY.search(nxt.text)
                or any(f in nxt.text for f in FACTOR) or nxt.bbox[0] < first.bbox[0] - 2 * g.hmed):
            return None
        used.append(nxt)
        text = text.rstrip() + " " + nxt.text.strip()


def _post_site(pre: str) -> Optional[tuple[str, str]]:
    """``post(site)`` before the formula; the site is the *last* bracket, so a post that
    carries its own qualifier (``投料工(1#线)(1#窑头投料口)``) keeps it."""
    body = re.sub(r"^[\d\-/.年月日\s]+", "", pre).strip().rstrip(":：,，;； ")
    body = body.replace("（", "(").replace("）", ")")
    m = re.search(r"\(([^()]*)\)$", body)
    if m and re.search(r"[\u4e00-\u9fff]", body[:m.start()]):
        return body[:m.start()].strip(), m.group(1).strip()
    for rx in _POST_SITE:
        m = rx.search(body)
        if m:
            return m.group(1), m.group(2).strip()
    return None


def _terms(text: str) -> list[tuple[float, float]]:
    """(C, T) pairs of the C_TWA sum: the bracket after ``C_TWA =`` (else everything up to the result)."""
    t = text.replace("（", "(").replace("）", ")")
    parts = _TWA_KEY.split(t, maxsplit=1)
    body = parts[-1]
    body = body[: body.rfind("=")] if body.count("=") >= 2 else body
    o, c = body.find("("), body.rfind(")")
    inner = body[o + 1:c] if 0 <= o < c else body
    return [(float(a), float(b)) for a, b in _TERM.findall(inner)]


def _twa_factor(ps: Optional[tuple[str, str]], bb, page_rows: list[Row], heading: Optional[Val], page: int) -> Val:
    """Factor of a C_TWA line: the table rows above it for the same post/site, else the
    nearest 检测因素 heading before it."""
    above = [r for r in page_rows if r.bbox is not None and r.bbox[3] <= bb[1] + 1 and r.get("factor").ok]
    if ps and above:
        same = [r for r in above if ps[0] in str(r.value("post_site") or "") and ps[1] in str(r.value("post_site") or "")]
        if same:
            v = same[-1].get("factor")
            return v.model_copy(update={"conf": min(v.conf, 0.85)})
    if heading is not None and (heading.page != page or (heading.bbox and heading.bbox[1] <= bb[1])):
        return heading
    if above:
        v = above[-1].get("factor")
        return v.model_copy(update={"conf": min(v.conf, 0.7)})
    return Val.missing("no 检测因素 heading or factor column before the C_TWA line", page)
