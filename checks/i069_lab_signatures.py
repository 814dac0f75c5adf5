"""Indicator 69: lab analysis records are accurate, complete and signed.

Attachment 3, item (69)：“实验室分析记录信息准确、完整、规范。”
检查方法：“查阅实验室分析记录。核查检测日期、检测项目、溯源标准信息(名称、编号、批号、浓度等)、仪器测定条件、
环境条件、标准曲线配置、人员签名、实验过程记录及相应图谱等记录，发现1处信息缺失或有缺页扣0.2分；
无检测人和审核人等相关人员签字记录，发现1处扣0.5分；……”

- ``lab.missing_signature``: a lab sheet's analyst (检验人/分析人) or reviewer (复核人)
  slot is printed but holds no name. Hand signatures are images: a slot is only called
  empty when the page's images were read (a scanned page, or a text page whose image
  regions were OCR'd) *and* another signature on the same sheet was legible, so an
  illegible scrawl is not mistaken for no signature. Otherwise it is
  ``check.cannot_decide``.
- ``lab.analysed_before_receipt`` / ``lab.analysed_before_sampling``: the analysis date
  (检测日期) is before the sheet's receipt date or before the sampling date of its samples.
"""
from __future__ import annotations

import datetime as dt

from checks._shared_lab import join_ids, sampling_dates, sheet_label
from checks.base import Ctx, check, fmt_date
from extractors.records import Val

ROLE_ZH = {"analyst": "检验人（分析人）", "reviewer": "复核人"}


def _images_read(ctx: Ctx, page_no) -> bool:
    """Whether hand signatures on this page had a chance to be read."""
    p = ctx.pages.get(page_no)
    if p is None:
        return False
    if p.source != "text":
        return True
    if any(ln.origin == "image" for ln in p.lines):
        return True
    return p.image_regions is not None


def _slot_empty(v: Val) -> bool:
    """The label was printed but no name was found beside it."""
    return not v.ok and v.page is not None and v.empty


@check("i069_lab_signatures", indicators=[69], needs=["lab_sheets"])
def lab_signatures(ctx: Ctx):
    """Analyst and reviewer signed each lab sheet."""
    undecided: list[Val] = []
    for sh in ctx.records.lab_sheets:
        vals = {"analyst": sh.analyst, "reviewer": sh.reviewer}
        legible = [k for k, v in vals.items() if v.ok]
        for role, v in vals.items():
            if v.ok:
                continue
            if not _slot_empty(v):
                # no label at all: a layout the extractor did not recognise, not proof of absence
                continue
            if _images_read(ctx, v.page) and legible:
                other = vals[legible[0]]
                yield ctx.finding(
                    "lab.missing_signature", 69,
                    f"实验室分析记录{sheet_label(sh)}第{v.page}页{ROLE_ZH[role]}处无签名"
                    f"（同页{ROLE_ZH[legible[0]]}签名“{other.value}”可识别）",
                    [v], pages=[v.page])
            else:
                undecided.append(v)
    if undecided:
        yield ctx.cannot_decide(69, "实验室分析记录的检验人/复核人签名", evidence=undecided[:6],
                                pages=[v.page for v in undecided],
                                why="签名为手写图像且未能识别，无法判断是否已签字")


@check("i069_lab_dates", indicators=[69], needs=["lab_sheets"])
def lab_dates(ctx: Ctx):
    """Analysis date not before receipt or sampling."""
    sd = sampling_dates(ctx.records)
    for sh in ctx.records.lab_sheets:
        av = sh.analysis_date
        if not av.ok or not isinstance(av.value, dt.date):
            continue
        rv = sh.receipt_date
        if rv.ok and isinstance(rv.value, dt.date) and av.value < rv.value and ctx.confirmed(av, rv):
            yield ctx.finding(
                "lab.analysed_before_receipt", 69,
                f"实验室分析记录{sheet_label(sh)}第{av.page}页分析日期{fmt_date(av.value)}早于样品接收日期{fmt_date(rv.value)}",
                [av, rv], pages=[av.page])
        late = []
        for r in sh.rows:
            sid = r.value("sample_id")
            if sid in sd:
                d, v = sd[sid]
            else:
                v = r.get("sampling_date")
                if not (v.ok and isinstance(v.value, dt.date)):
                    continue
                d = v.value
            if d > av.value:
                late.append((d, sid, v))
        if late and ctx.confirmed(av):
            late.sort()
            yield ctx.finding(
                "lab.analysed_before_sampling", 69,
                f"实验室分析记录{sheet_label(sh)}第{av.page}页分析日期{fmt_date(av.value)}早于样品 "
                f"{join_ids([s for _, s, _ in late])} 的采样日期{fmt_date(late[-1][0])}",
                [av] + list(dict.fromkeys(v for *_, v in late))[:3], pages=[av.page])
