"""检测报告 → ``ReportRecord``: number, issue date, signature page, team, results, conclusions."""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..layout import PageGrid
from ..signatures import signature_block, signer_date, signer_val
from ..records import Paragraph, Passage, ReportRecord, Row, Val, ValState
from ..registry import Ctx, extractor
from ..table import Table, TableRow, TableSpec, find_tables, row_vals
from ..text import clean_name_text, parse_date, parse_number, resolve_name, split_names
from ._common import parse_ids, value
from ._report_basics import basis_list, report_basics, report_materials
from ._report_posts import post_table

# ---------------------------------------------------------------- label synonyms (data)

REPORT_NO = ("报告编号", "报告编码", "编号")
ISSUE_DATE = ("报告日期", "签发日期", "出具日期", "报告出具日期", "发布日期", "编制日期")
ROLES = {
    "author": ("编制人", "编写人", "报告编写人", "编制", "编写", "报告编制人", "主要编写人"),
    "reviewer": ("审核人", "报告审核人", "审核"),
    "issuer": ("签发人", "授权签字人", "签发", "批准人", "批准"),
}
TEAM_COLUMNS = {
    "name": ("姓名", "人员姓名"),
    "role": ("分工", "职责", "承担工作", "项目分工", "工作内容"),
    "specialty": ("专业", "所学专业"),
    "signature": ("签名", "签字", "本人签名"),
}
RESULT_COLUMNS = {
    "workshop": ("车间", "部门", "单元"),
    "post": ("岗位(工种)", "岗位", "工种"),
    "site": ("工作地点", "检测地点", "采样地点", "采样点", "检测点"),
    "factor": ("检测因素", "检测项目", "危害因素"),
    "sample_ids": ("样品编号", "样品编码", "样品号"),
    "c_twa": ("C_TWA", "CTWA", "C TWA"),
    "c_stel": ("C_STE/C_ME", "C_STE", "C_STEL", "C_ME", "C_MAC", "CSTE", "CME"),
    "limit_twa": ("PC-TWA",),
    "limit_stel": ("PC-STEL/MAC", "PC-STEL", "MAC"),
    "judgement": ("判定", "结果判定", "评价", "判定结果", "结论"),
}
NOISE_COLUMNS = {
    "post": ("岗位(工种)", "岗位", "工种"),
    "site": ("测量地点", "检测地点", "工作地点"),
    "laeq": ("L_Aeq", "LAeq"),
    "hours": ("接触时间", "接触时间(h)"),
    "lex8h": ("L_EX,8h", "LEX,8h", "L_EX,40h"),
    "limit": ("限值", "接触限值"),
    "judgement": ("判定", "结果判定", "评价"),
}
STOPS = ("编制人", "审核人", "签发人", "授权签字人", "五、结论", "结论", "以下空白")
SIO2_COLUMNS = {
    "workshop": ("车间", "部门", "单元"),
    "post": ("岗位(工种)", "岗位", "工种"),
    "site": ("工作地点", "检测地点", "采样地点", "采样点"),
    "factor": ("检测因素", "检测项目", "粉尘名称", "粉尘种类"),
    "value": ("游离二氧化硅含量", "游离SiO2含量", "游离SiO₂含量", "游离二氧化硅", "游离SiO2", "二氧化硅含量"),
}

# Measurement units as printed (normalize_text already maps mg/m3, dB（A） to mg/m³, dB(A)).
_UNIT = (r"mg\s*/\s*m³|μg\s*/\s*m³|ug\s*/\s*m³|mg\s*/\s*Nm³|f\s*/\s*m[lL]|f\s*/\s*cm³|根\s*/\s*(?:cm³|m[lL])"
         r"|dB\s*\(\s*[AC]\s*\)|dB|ppm|mg\s*/\s*L|kV\s*/\s*m|V\s*/\s*m|μT|mT|mW\s*/\s*cm²|μW\s*/\s*cm²|W\s*/\s*m²"
         r"|毫克\s*/\s*立方米|毫克每立方米|分贝")
_UNIT_BRACKET = re.compile(r"[(\[（【]\s*(?:单位\s*[:：]?\s*)?(" + _UNIT + r")\s*[)\]）】]")
_UNIT_LABEL = re.compile(r"单位\s*[:：为]?\s*(" + _UNIT + r")")
_UNIT_TAIL = re.compile(r"(?<![A-Za-z])(" + _UNIT + r")\s*$")
# 游离SiO2含量测定结果：40.3% / 游离二氧化硅含量为40.3% / 游离SiO2含量(%) 40.3; never a band
# such as "10%≤游离SiO2含量≤50%" (a comparison sign sits between label and number)
_SIO2 = re.compile(r"游离\s*(?:SiO\s*[2₂]|二氧化硅)\s*(?:的)?\s*(?:含\s*量)?\s*(?:测\s*定|检\s*测|分\s*析)?\s*"
                   r"(?:结\s*果|值)?\s*([(（]\s*%\s*[)）])?\s*(?:[:：]|为|是)?\s*(\d{1,3}(?:\.\d+)?)\s*(%)?(?![\d.~～\-])")


def _prose(t: Table, r: TableRow) -> bool:
    """A note or sentence under a table (注：…) that the row builder took for a row: its
    text runs across most of the table instead of sitting in cells."""
    width = t.header_bbox[2] - t.header_bbox[0]
    if width <= 0:
        return False
    first = r.lines[0] if r.lines else None
    return first is not None and any(c.bbox[2] - c.bbox[0] > 0.5 * width for c in first.cells)


def _cjk(t: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", t or ""))


@extractor("report")
def extract(ctx: Ctx) -> ReportRecord:
    gs = ctx.grids
    known = ctx.known_names
    sig = signature_block(gs, ROLES, known)
    # issue date: the cover's 报告日期; else the signature page's dates
    issue = value(gs, ISSUE_DATE, parse=parse_date, what="报告日期")
    if not issue.ok:
        for r in ("issuer", "author", "reviewer"):
            h = sig.get(r)
            if h and h.date:
                issue = signer_date(h, r)
                break
    rno = value(gs, REPORT_NO[:2], parse=lambda t: (m.group(0) if (m := re.search(r"[A-Za-z0-9][A-Za-z0-9()（）〔〕\[\]\-_/]{4,}", t)) else None),
                what="报告编号")
    # team table (签名页)
    tspec = TableSpec("team", TEAM_COLUMNS, "name", lambda t: 2 <= len(clean_name_text(t)) <= 4, min_columns=2,
                      stops=tuple(s for v in ROLES.values() for s in v[:2]))
    team: list[Row] = []
    for t in find_tables(gs, tspec, continue_pages=False):
        for r in t.rows:
            row = row_vals(t, r)
            f = dict(row.fields)
            nm = f.get("name")
            if nm is not None and nm.ok:
                name, conf = resolve_name(clean_name_text(nm.value), known)
                f["name"] = nm.model_copy(update={"value": name, "conf": min(nm.conf, conf)})
            team.append(Row(fields=f, page=row.page, bbox=row.bbox))
    # results tables
    rspec = TableSpec("results", RESULT_COLUMNS, "post", _cjk, min_columns=4, stops=STOPS)
    results: list[Row] = []
    by_page = {g.page.no: g for g in gs}
    prev_unit: Optional[Val] = None
    rtables = find_tables(gs, rspec)
    for t in rtables:
        if not ({"c_twa", "c_stel", "judgement", "limit_twa"} & t.keys):
            continue
        cont = t.header_bbox == (0, 0, 0, 0)  # a table run on from the page before, header not repeated
        unit = _table_unit(by_page[t.page], t, ("c_twa", "c_stel", "limit_twa", "limit_stel"), prev_unit,
                           _page_tail(by_page.get(t.page - 1), rtables))
        prev_unit = unit if unit.ok else prev_unit
        for r in t.rows:
            if _prose(t, r):
                continue
            row = row_vals(t, r, {"sample_ids": parse_ids(ctx), "c_twa": parse_number, "c_stel": parse_number,
                                  "limit_twa": parse_number, "limit_stel": parse_number})
            row = _split_combined(t, row)
            if cont and not (row.get("factor").ok and any(
                    row.get(k).ok and re.fullmatch(r"[<＜≤]?\s*\d+(?:\.\d+)?", (row.get(k).raw or "").strip())
                    for k in ("c_twa", "c_stel", "limit_twa", "limit_stel"))):
                continue  # the next page's letterhead or text, not a row the table ran on with
            g = row.fields.pop("group", None)
            if g is not None and "date" not in row.fields:
                d = parse_date(g.raw or "")
                if d is not None:
                    row.fields["date"] = g.model_copy(update={"value": d})
            results.append(_with_unit(row, unit, ("c_twa", "c_stel")))
    nspec = TableSpec("noise", NOISE_COLUMNS, "post", _cjk, min_columns=4, stops=STOPS)
    noise: list[Row] = []
    prev_unit = None
    ntables = find_tables(gs, nspec, continue_pages=False)
    for t in ntables:
        if not ({"laeq", "lex8h"} & t.keys):
            continue
        unit = _table_unit(by_page[t.page], t, ("lex8h", "laeq", "limit"), prev_unit,
                           _page_tail(by_page.get(t.page - 1), ntables))
        prev_unit = unit if unit.ok else prev_unit
        for r in t.rows:
            if _prose(t, r):
                continue
            row = row_vals(t, r, {"laeq": parse_number, "hours": parse_number, "lex8h": parse_number,
                                  "limit": parse_number})
            noise.append(_with_unit(row, unit, ("lex8h", "laeq")))
    conclusions, recs = _numbered_after(gs, ("结论",), ("建议",)), _numbered_after(gs, ("建议",), ("以下空白", "检测机构"))
    furniture = _furniture(gs)
    (basis, basis_place), (basics, output) = basis_list(gs, furniture), report_basics(gs, furniture)
    materials, materials_place = report_materials(gs, furniture, STOPS)
    return ReportRecord(
        report_no=rno, issue_date=issue,
        author=signer_val(sig.get("author"), "编制人", ctx.pages[0]),
        reviewer=signer_val(sig.get("reviewer"), "审核人", ctx.pages[0]),
        issuer=signer_val(sig.get("issuer"), "签发人", ctx.pages[0]),
        author_date=signer_date(sig.get("author"), "编制人"),
        reviewer_date=signer_date(sig.get("reviewer"), "审核人"),
        issuer_date=signer_date(sig.get("issuer"), "签发人"),
        team=team, results=results, noise=noise, sio2_pct=sio2_rows(gs),
        conclusions=conclusions, recommendations=recs, passages=passages(gs),
        basis=basis, basis_place=basis_place, basics=basics, output=output, materials=materials,
        materials_place=materials_place,
        post_analysis=post_table(gs),
        pages=ctx.pages,
    )


# a cell holding two values for a combined title ("20 / 30" under "PC-TWA / PC-STEL(MAC)");
# a dash stands for "not applicable"
_PAIR = re.compile(r"^\s*([^/／]*?)\s*[/／]\s*([^/／]*?)\s*$")
_NA = re.compile(r"^[\s—–\-一/／无]*$")


def _split_combined(t: Table, row: Row) -> Row:
    """One column titled with two quantities (``PC-TWA / PC-STEL(MAC)``) holds both,
    separated as the title separates them: each value goes to its own key, in the
    title's order. A cell not holding two parts is left unread rather than guessed."""
    for c in t.columns:
        if c.key not in ("limit_twa", "limit_stel", "c_twa", "c_stel"):
            continue
        pair = ("limit_twa", "limit_stel") if c.key.startswith("limit") else ("c_twa", "c_stel")
        title = re.sub(r"\s+", "", c.text)
        pos = {}
        for k in pair:
            hits = [title.find(s.replace(" ", "")) for s in RESULT_COLUMNS[k] if s.replace(" ", "") in title]
            if k == "limit_stel":  # PC-STEL's "TWA"-free synonyms must not be read inside PC-TWA
                hits = [h for h in hits if h >= 0]
            if hits:
                pos[k] = min(hits)
        if len(pos) < 2 or pos[pair[0]] == pos[pair[1]] or "/" not in title.replace("／", "/"):
            continue
        order = sorted(pair, key=lambda k: pos[k])
        v = row.get(c.key)
        fields = dict(row.fields)
        m = _PAIR.match(v.raw or "") if v.raw else None
        if not m:
            for k in pair:
                fields[k] = Val(value=None, page=v.page, bbox=v.bbox, raw=v.raw, reason=f"combined cell {v.raw!r} not two values",
                                state=v.state if not v.raw else ValState.UNKNOWN)
            return Row(fields=fields, page=row.page, bbox=row.bbox)
        for k, part in zip(order, m.groups()):
            if _NA.match(part):
                fields[k] = Val(value=None, page=v.page, bbox=v.bbox, raw=part, reason="not applicable (dash)",
                                state=ValState.EMPTY)
            else:
                x = parse_number(part)
                fields[k] = v.model_copy(update={"value": x, "raw": part}) if x is not None else Val(
                    value=None, page=v.page, bbox=v.bbox, raw=part, reason=f"cannot parse {part!r}", state=ValState.UNKNOWN)
        return Row(fields=fields, page=row.page, bbox=row.bbox)
    return row


def _numbered_after(gs, start_heads, end_heads) -> list[Val]:
    """Numbered paragraphs (1. … 2. …) under a heading such as 五、结论, joined across wrapped lines."""
    out: list[Val] = []
    active = False
    cur = None
    for g in gs:
        for ln in g.lines:
            t = ln.text.strip()
            if re.match(r"^[一二三四五六七八九十]+[、.]\s*(%s)" % "|".join(start_heads), t):
                active, cur = True, None
                continue
            if active and (re.match(r"^[一二三四五六七八九十]+[、.]", t) or any(h in t for h in end_heads)):
                if cur:
                    out.append(cur)
                active, cur = False, None
                continue
            if not active:
                continue
            m = re.match(r"^(\d{1,2})\s*[.、·]+\s*(.*)", t)
            if m and not re.match(r"^\d+\.\d", t):
                if cur:
                    out.append(cur)
                cur = Val(value=m.group(2), page=g.page.no, bbox=ln.bbox, raw=t, conf=0.9)
            elif cur is not None:
                cur = cur.model_copy(update={"value": cur.value + t, "raw": cur.raw + t})
    if active and cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------- passages

# headings: 第五章 / 五、 / （五） / 5.1 / "5 结论" (a bare number only before a known title)
_H_TOP = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]+\s*[、.．])\s*(.+)$")
_H_SUB = re.compile(r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}(?:\s*[.．]\s*\d{1,2}){1,2}(?!\d))\s*[、.．]?\s*(.+)$")
_H_NUM = re.compile(r"^\d{1,2}\s*[、.．]?\s*(.+)$")
# what a heading's title says its text is
_PARTS = (("cause", re.compile(r"原因")),
          ("conclusion_recommendation", re.compile(r"结论.{0,3}(?:建议|对策)|(?:建议|对策).{0,3}结论")),
          ("conclusion", re.compile(r"结论")),
          ("recommendation", re.compile(r"建议|对策")))
# a title that names a part, whole ("结论", "检测结论", "结论与建议", "超标原因分析", "对策措施建议"),
# unlike an item of a list that starts with the word ("建议对混合机增设局部排风")
_KNOWN_TITLE = re.compile(r"^.{0,8}?(?:结论|建议|对策|原因分析)(?:(?:与|及|和|、).{0,4}?(?:结论|建议|对策|措施))?$")
_END = re.compile(r"以下空白|以下无正文|报告结束")
_PAGE_NO = re.compile(r"^(?:第\s*\d+\s*页\s*(?:[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-)$")


def _title(text: str) -> Optional[tuple[str, bool]]:
    """(title, top level) when the line is a heading; None for text."""
    t = text.strip()
    for rx, top in ((_H_TOP, True), (_H_SUB, False), (_H_NUM, True)):
        m = rx.match(t)
        if not m:
            continue
        title = m.group(1).strip().rstrip(":：")
        if not title or len(title) > 20 or re.search(r"[。，,；;]", title):
            return None
        if rx is not _H_TOP and not _KNOWN_TITLE.match(title):
            # "2．定期体检", "（1）加强通风": an item of a list; "4.3 噪声检测结果": a sub-heading
            # that does not change what the text is about
            return (title, False) if rx is _H_SUB and len(title) <= 12 else None
        return title, top
    bare = t.rstrip(":：")
    if len(bare) <= 12 and _KNOWN_TITLE.match(bare) and not re.search(r"[。，,；;]", bare):
        return bare, True
    return None


def _part(title: str) -> Optional[str]:
    return next((p for p, rx in _PARTS if rx.search(title)), None)


def _furniture(gs: Sequence[PageGrid]) -> set[str]:
    """Running heads and feet: a line printed on two or more of the report's pages."""
    seen: dict[str, set[int]] = {}
    for g in gs:
        for ln in g.lines:
            k = re.sub(r"\s+", "", ln.text)
            if k:
                seen.setdefault(k, set()).add(g.page.no)
    return {k for k, pages in seen.items() if len(pages) >= 2 and len(pages) >= 0.5 * len(gs)}


def passages(gs: Sequence[PageGrid]) -> list[Passage]:
    """The report's lines as passages under their headings (``Passage``): a top-level
    heading opens a passage of the part its title names (结论, 建议, 结论与建议, 原因分析;
    ``other`` else); a sub-heading (（一）, 4.3) opens one only when its title names a part,
    else its lines stay in the passage they are in; 以下空白 closes the prose. Numbered
    items (1．… 2．…) start paragraphs. Running heads, feet and page numbers are left out."""
    furniture = _furniture(gs)
    out: list[Passage] = []
    cur = Passage(part="other")
    pars: list[list[Val]] = []

    def close():
        nonlocal cur, pars
        if pars or cur.heading.ok:
            out.append(cur.model_copy(update={"paragraphs": [Paragraph(lines=ls) for ls in pars if ls]}))
        pars = []

    for g in gs:
        for ln in g.lines:
            t = ln.text.strip()
            key = re.sub(r"\s+", "", t)
            if not key or key in furniture or _PAGE_NO.match(key):
                continue
            v = Val(value=t, page=g.page.no, bbox=ln.bbox, raw=t, conf=min((c.conf for c in ln.cells), default=0.0))
            if _END.search(key):
                close()
                cur = Passage(part="other")
                continue
            head = _title(t)
            if head is not None:
                title, top = head
                part = _part(title) if (top or _KNOWN_TITLE.match(title)) else None
                if top or part is not None:
                    close()
                    cur = Passage(part=part or "other", heading=v.model_copy(update={"value": title}))
                    continue
            if re.match(r"^(?:\d{1,2}|[(（]\d{1,2}[)）])\s*[.．、·]+(?!\d)|^[(（]\d{1,2}[)）]", t) or not pars:
                pars.append([v])
            else:
                pars[-1].append(v)
    close()
    return out


# ---------------------------------------------------------------- units


def unit_in(text: str) -> Optional[str]:
    """The measurement unit a header, caption or cell states (``C_TWA(mg/m³)``,
    ``(单位：mg/m³)``, ``L_Aeq[dB(A)]``, ``0.5 mg/m³``), spaces removed; None if none."""
    t = text or ""
    for rx in (_UNIT_LABEL, _UNIT_BRACKET, _UNIT_TAIL):
        m = rx.search(t)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def _page_tail(g: Optional[PageGrid], tables: Sequence[Table]) -> list:
    """Lines at the bottom of page ``g`` below its last table row: where a caption sits
    when the page break fell between a table's caption and its header."""
    if g is None:
        return []
    bottom = max((r.bbox[3] for t in tables if t.page == g.page.no for r in t.rows), default=-1.0)
    return [ln for ln in g.lines if ln.bbox[1] > bottom]


def _table_unit(g: PageGrid, t: Table, keys: Sequence[str], prev: Optional[Val], prev_tail: Sequence = ()) -> Val:
    """Unit of a results table's values: from the value columns' headers, else the
    caption above the header (表4-1 …(单位：mg/m³)) — on the previous page when the
    table starts a page —, else the previous table's unit when this one is its
    continuation (续表)."""
    cols = {c.key: c for c in t.columns if c.key}
    for k in keys:
        c = cols.get(k)
        u = unit_in(c.text) if c else None
        if u:
            bb = (c.x0, t.header_bbox[1], c.x1, t.header_bbox[3])
            return Val(value=u, page=t.page, bbox=bb, raw=c.text, conf=0.9)
    top = t.header_bbox[1]
    above = [ln for ln in g.lines if ln.bbox[3] <= top + 0.5 * g.hmed and ln.yc >= top - 4 * g.hmed]
    # the table opens the page (nothing but the running head above it): its caption may
    # close the previous page
    opens_page = not any(ln.bbox[3] <= top + 0.5 * g.hmed and _is_caption(ln.text) for ln in g.lines)
    pool = [(ln, t.page) for ln in sorted(above, key=lambda ln: -ln.yc)]
    if opens_page:
        pool += [(ln, ln.page) for ln in sorted(prev_tail, key=lambda ln: -ln.yc)]
    for ln, pno in pool:
        u = unit_in(ln.text) if _is_caption(ln.text) else None
        if u:
            return Val(value=u, page=pno, bbox=ln.bbox, raw=ln.text, conf=0.85 if pno == t.page else 0.75)
    if prev is not None and any("续" in ln.text for ln in above):
        return prev.model_copy(update={"conf": min(prev.conf, 0.7)})
    return Val.missing(f"no unit in the header or caption of the table on page {t.page}", t.page)


def _is_caption(text: str) -> bool:
    return "单位" in text or bool(re.match(r"^\s*(?:续?表|附表)\s*[\dA-Za-z一二三四五六七八九十]", text))


def _with_unit(row: Row, table_unit: Val, value_keys: Sequence[str]) -> Row:
    """The row with a ``unit``: a unit printed in the value cell itself wins over the table's."""
    for k in value_keys:
        v = row.fields.get(k)
        u = unit_in(v.raw) if v is not None and v.raw else None
        if u:
            return row.model_copy(update={"fields": {**row.fields, "unit": Val(
                value=u, page=v.page, bbox=v.bbox, raw=v.raw, conf=min(v.conf, 0.9))}})
    return row.model_copy(update={"fields": {**row.fields, "unit": table_unit}})


# ---------------------------------------------------------------- free silica


def _pct(t: str) -> Optional[float]:
    x = parse_number(t)
    return x if x is not None and 0 < x <= 100 else None


def sio2_in_text(text: str) -> list[float]:
    """Free-SiO2 contents (%) a line states (``游离SiO2含量测定结果：58.8%``); a bare number
    without a percent sign or (%) label, or a band bound (``10%≤游离SiO2含量≤50%``), is none."""
    out = []
    for m in _SIO2.finditer(text or ""):
        if not (m.group(1) or m.group(3)):
            continue
        x = float(m.group(2))
        if 0 < x <= 100:
            out.append(x)
    return out


def sio2_rows(gs: Sequence[PageGrid]) -> list[Row]:
    """游离SiO2 content (%) as printed: per post/site from a table with a free-silica
    column, else each statement in the text (``游离SiO2含量测定结果：40.3%``), where
    post/site stay unread."""
    spec = TableSpec("sio2", SIO2_COLUMNS, "value", lambda t: _pct(t) is not None, min_columns=2, stops=STOPS)
    out: list[Row] = []
    table_lines: set = set()
    for t in find_tables(gs, spec, continue_pages=False):
        if not ({"post", "site", "workshop"} & t.keys):
            continue
        for r in t.rows:
            row = row_vals(t, r, {"value": _pct})
            if row.get("value").ok:
                out.append(Row(fields={k: row.get(k) for k in ("workshop", "post", "site", "factor", "value")
                                       if k in row.fields}, page=row.page, bbox=row.bbox))
                table_lines.update((t.page, round(ln.yc, 1)) for ln in r.lines)
    seen = {(r.page, r.value("value")) for r in out}
    for g in gs:
        for ln in g.lines:
            if (g.page.no, round(ln.yc, 1)) in table_lines:
                continue
            for x in sio2_in_text(ln.text):
                if (g.page.no, x) in seen:
                    continue
                seen.add((g.page.no, x))
                why = "free-silica content stated without a post/site"
                out.append(Row(fields={
                    "value": Val(value=x, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.9),
                    "post": Val(value=None, page=g.page.no, bbox=ln.bbox, raw=ln.text, reason=why),
                    "site": Val(value=None, page=g.page.no, bbox=ln.bbox, raw=ln.text, reason=why),
                }, page=g.page.no, bbox=ln.bbox))
    return out


# A free-silica analysis named (its method, or its content measured) without a percentage
# read: 游离SiO2含量测定结果见附件 / 采用焦磷酸法测定游离二氧化硅. A band of the limit table
# ("10%≤游离SiO2含量≤50%") compares, it does not report a measurement.
_SIO2_NAMED = re.compile(r"(?:游离\s*(?:SiO\s*[2₂]|二氧化硅)[^。；;≤≥<>]{0,12}(?:测\s*定|检\s*测|分\s*析|结\s*果)"
                         r"|(?:测\s*定|检\s*测|分\s*析)[^。；;≤≥<>]{0,12}游离\s*(?:SiO\s*[2₂]|二氧化硅)|焦\s*磷\s*酸\s*法)")


# The content's place printed with nothing in it (结果：/ , 含量：—) or said not measured (未测定)
_SIO2_NONE = re.compile(r"未\s*(?:测|检|分\s*析|做|开\s*展)|不\s*(?:测|检)|[:：]\s*(?:[/／—\-－]+\s*)?(?:[。；;]|$)")


def sio2_statements(gs: Sequence[PageGrid]) -> list[Row]:
    """What a record (survey, plan) says of the free-SiO2 content: ``sio2_rows``, then
    contents stated in prose wrapped over lines (the page's lines run together), then,
    when no number was read, each place naming the analysis (value unread: the content
    may be stated where the reader cannot parse it; ``EMPTY`` where its place is printed
    blank or the text says it was not measured)."""
    out = sio2_rows(gs)
    seen = {r.value("value") for r in out}
    named: list[Row] = []
    for g in gs:
        run = "".join(ln.text for ln in g.lines)
        for x in sio2_in_text(run):
            if x not in seen:
                seen.add(x)
                ln = next((ln for ln in g.lines if "游离" in ln.text), g.lines[0])
                out.append(Row(fields={"value": Val(value=x, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)},
                               page=g.page.no, bbox=ln.bbox))
        for i, ln in enumerate(g.lines):
            both = ln.text + (g.lines[i + 1].text if i + 1 < len(g.lines) else "")
            m = _SIO2_NAMED.search(both)
            if m and m.start() < len(ln.text):
                if _SIO2_NONE.search(both[max(0, m.start() - 3):]):
                    v = Val(value=None, page=g.page.no, bbox=ln.bbox, raw=ln.text, state=ValState.EMPTY,
                            reason="free-SiO2 content printed blank or as not measured")
                else:
                    v = Val(value=None, page=g.page.no, bbox=ln.bbox, raw=ln.text,
                            reason="free-SiO2 analysis named, no content read")
                named.append(Row(fields={"value": v}, page=g.page.no, bbox=ln.bbox))
                break
    return out or named
