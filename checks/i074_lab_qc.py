"""Indicators 74 and 95: lab quality control (method blank, QC sample / spike recovery).

Attachment 3, item (74)：“采取质控样品或加标回收等措施。”
检查方法：“查阅实验室分析原始记录，可采取而未采取质控样品或者加标回收等手段进行质量控制的，每发现1处扣0.5分。
1.0分扣完为止。不涉及的不扣分。”
Attachment 3, item (95)：“质量控制措施。”
检查方法：“查阅原始记录，标准曲线未现用现配；检测过程无方法空白的，或适用时未采取质控样品、平行样品和加标回收等
质控方法之一的，每发现1处扣0.5分。……”

- ``lab.no_blank`` (95): the blank the sheet's method calls for (``method_kind``):
  weighed dust (滤膜质量法) has blank filters (a blank row or 空白滤膜 in its QC text) and
  no reagent blank; other methods a reagent/method blank. A lab sheet that was read
  (factor, rows and its header fields recognised) has no method blank: the 方法空白 label is absent, or its value says
  none was done (无 / 未做 / /). "未检出" is a blank that was done.
- ``lab.no_qc`` (74): the same for QC sample / spike recovery / parallel samples.
  Gravimetric dust analysis (GBZ/T 192, weighed filters) has no QC sample or spike
  recovery to take ("不涉及的不扣分"), so it is not asked for there.

A sheet whose header could not be read is not evidence of absence: nothing is said.
Numeric acceptance criteria (recovery ranges, r ≥ 0.999) were not found in a
retrievable source (domain README §5), so values are not judged.
"""
from __future__ import annotations

import re

from checks._shared_lab import blank_ids, blank_rows, method_kind, sheet_label
from checks.base import Ctx, check
from extractors.records import LabSheet, Val

_NONE = re.compile(r"^[\s:：]*(无|未做|未进行|未开展|未设|没有|/|／|—+|-+|－+|不适用)[\s。.]*$")


def _read_well(sh: LabSheet) -> bool:
    """The sheet's form was recognised: factor, rows and most header fields read."""
    if not sh.factor.ok or not sh.rows:
        return False
    header = [sh.method, sh.instrument, sh.analysis_date, sh.receipt_date, sh.storage, sh.curve_r]
    return sum(1 for v in header if v.ok) >= 3


def _absent(v: Val) -> bool:
    """Clearly not done: the label is missing from a read sheet, or its value says none."""
    if v.ok:
        return bool(_NONE.match(str(v.value)))
    return v.absent


def _gravimetric(sh: LabSheet) -> bool:
    return method_kind(sh) == "gravimetric"


_FILTER_BLANK = re.compile(r"空白(?:滤膜|膜)|(?:滤膜|膜)空白|空白对照")


def _blank_filters(sh: LabSheet, blanks: set[str]) -> bool:
    """Weighed dust has blank filters (a blank row, or 空白滤膜 in the QC text)."""
    if blank_rows(sh, blanks):
        return True
    return any(v.ok and _FILTER_BLANK.search(str(v.raw or v.value)) for v in (sh.qc, sh.method_blank))


def _where(sh: LabSheet, v: Val) -> tuple[int, list]:
    page = v.page or (sh.pages[0] if sh.pages else None)
    ev = [v] if v.page is not None and v.ok else [sh.factor]
    return page, ev


@check("i074_lab_qc", indicators=[74, 95], needs=["lab_sheets"])
def lab_qc(ctx: Ctx):
    """Method blank and QC measure on each lab sheet that was read."""
    unread: list[int] = []
    blanks = blank_ids(ctx.records)
    for sh in ctx.records.lab_sheets:
        if not _read_well(sh):
            unread += list(sh.pages)
            continue
        if _gravimetric(sh):
            # weighed filters: the blank is a blank filter, there is no reagent blank; its
            # absence is only said where the sheet's QC block was read
            if not _blank_filters(sh, blanks) and sh.qc.ok:
                page, ev = _where(sh, sh.qc)
                yield ctx.finding("lab.no_blank", 95,
                                  f"实验室分析记录{sheet_label(sh)}第{page}页（滤膜质量法）质量控制记为“{sh.qc.value}”，"
                                  f"未见空白滤膜记录", ev, pages=[page])
        elif _absent(sh.method_blank):
            page, ev = _where(sh, sh.method_blank)
            said = f"记为“{sh.method_blank.value}”" if sh.method_blank.ok else "未见方法空白（试剂空白）记录"
            yield ctx.finding("lab.no_blank", 95,
                              f"实验室分析记录{sheet_label(sh)}第{page}页{said}，检测过程应做方法空白", ev, pages=[page])
        if not _gravimetric(sh) and _absent(sh.qc):
            page, ev = _where(sh, sh.qc)
            said = f"质量控制记为“{sh.qc.value}”" if sh.qc.ok else "未见质控样、平行样或加标回收等质量控制记录"
            yield ctx.finding("lab.no_qc", 74,
                              f"实验室分析记录{sheet_label(sh)}第{page}页{said}（亦涉及指标95）", ev, pages=[page])
    if unread:
        yield ctx.cannot_decide(74, "实验室分析记录的方法空白与质量控制内容", pages=unread,
                                why="这些页未能识别出完整的分析记录表头")
