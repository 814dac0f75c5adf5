"""检测报告 → ``ReportRecord``: number, issue date, signature page, team, results, conclusions."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_date, signer_val
from ..records import ReportRecord, Row, Val
from ..registry import Ctx, extractor
from ..table import TableSpec, find_tables, row_vals
from ..text import clean_name_text, parse_date, parse_number, resolve_name, split_names
from ._common import parse_ids, value

# ---------------------------------------------------------------- label synonyms (data)

REPORT_NO = ("报告编号", "报告编码", "编号")
ISSUE_DATE = ("报告日期", "签发日期", "出具日期", "报告出具日期", "发布日期", "编制日期")
ROLES = {
    "author": ("编制人", "编写人", "报告编写人", "编制", "编写", "报告编制人", "主要编写人"),
    "reviewer": ("审核人", "报告审核人", "审核", "审核者"),
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
    for t in find_tables(gs, rspec, continue_pages=False):
        if not ({"c_twa", "c_stel", "judgement", "limit_twa"} & t.keys):
            continue
        for r in t.rows:
            row = row_vals(t, r, {"sample_ids": parse_ids(ctx), "c_twa": parse_number, "c_stel": parse_number,
                                  "limit_twa": parse_number, "limit_stel": parse_number})
            results.append(row)
    nspec = TableSpec("noise", NOISE_COLUMNS, "post", _cjk, min_columns=4, stops=STOPS)
    noise: list[Row] = []
    for t in find_tables(gs, nspec, continue_pages=False):
        if not ({"laeq", "lex8h"} & t.keys):
            continue
        for r in t.rows:
            noise.append(row_vals(t, r, {"laeq": parse_number, "hours": parse_number, "lex8h": parse_number,
                                         "limit": parse_number}))
    conclusions, recs = _numbered_after(gs, ("结论",), ("建议",)), _numbered_after(gs, ("建议",), ("以下空白", "检测机构"))
    return ReportRecord(
        report_no=rno, issue_date=issue,
        author=signer_val(sig.get("author"), "编制人", ctx.pages[0]),
        reviewer=signer_val(sig.get("reviewer"), "审核人", ctx.pages[0]),
        issuer=signer_val(sig.get("issuer"), "签发人", ctx.pages[0]),
        author_date=signer_date(sig.get("author"), "编制人"),
        reviewer_date=signer_date(sig.get("reviewer"), "审核人"),
        issuer_date=signer_date(sig.get("issuer"), "签发人"),
        team=team, results=results, noise=noise,
        conclusions=conclusions, recommendations=recs,
        pages=ctx.pages,
    )


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
