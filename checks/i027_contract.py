"""The service contract states what the checklist requires, item 27.

Attachment 3, 二、服务规范性 / (十)合同:

  (27)签订了技术服务协议或合同。
  查阅技术服务合同。合同应明确技术服务内容、范围、完成时间以及双方的责任，缺1项扣0.2分。
  1.0分扣完为止。无合同不得分。

A missing contract section is already ``bundle.missing_section`` (the check is skipped).
Here: each of 服务内容 / 服务范围 / 完成时间 / 甲方责任 / 乙方责任 must be present.
When none of content, scope and completion time was read, the contract's layout was
probably not understood, so the check says "cannot decide" instead of listing everything as
missing; the same when neither party's duties were read (often one joint clause
双方的权利与义务 that was not split). One party's duties read and the other's not is a gap
on a text layer; on a scan it is "cannot decide" (甲方 is easily misread as 申方, hiding the
heading).
"""
from __future__ import annotations

import re

from checks._shared_dates import read_by_ocr
from checks.base import ORIGINAL, Ctx, check
from extractors.records import ContractRecord, Val
from pipeline.types import Evidence

# A completion time may be written inside another clause (乙方应于采样结束后20个工作日内出具报告).
_TIME_PHRASE = re.compile(r"(\d+|[一二三四五六七八九十百]+)\s*个?\s*(工作)?(日|天|周|个月)[内之]|\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*[前之]")
_DELIVERY = re.compile(r"(出具|完成|提交|交付).{0,12}报告|报告.{0,6}(出具|提交|交付)")
_PAYMENT = re.compile(r"支付|付款|费用")


def _has_completion_in_text(vals: list[Val]) -> Val | None:
    for v in vals:
        t = str(v.value or "")
        if _DELIVERY.search(t) and _TIME_PHRASE.search(t) and not _PAYMENT.search(t):
            return v
    return None


@check("i027_contract_complete", indicators=[27], needs=["contract"])
def contract_complete(ctx: Ctx):
    """The contract states service content, scope, completion time and both parties' duties."""
    c: ContractRecord = ctx.records.contract
    items: dict[str, bool] = {
        "技术服务内容": c.service_content.ok,
        "服务范围": c.scope.ok,
        "完成时间": c.completion_time.ok,
    }
    if not items["完成时间"]:
        # stated in the service-content clause or the provider's duties instead of a clause of its own
        alt = _has_completion_in_text([c.service_content] + list(c.party_b_duties))
        if alt is not None:
            items["完成时间"] = True
    pages = list(c.pages) or ctx.section_pages("contract")
    if not any(items.values()):
        yield ctx.cannot_decide(27, "技术服务合同的条款（技术服务内容、服务范围、完成时间）", pages=pages,
                                why="这些条款均未能识别，可能是合同版式未被识别，而非合同缺项")
        return
    a_ok = bool([v for v in c.party_a_duties if v.ok])
    b_ok = bool([v for v in c.party_b_duties if v.ok])
    one_side = "甲方（委托方）责任" if not a_ok else "乙方（受托方）责任"
    scanned = any(read_by_ocr(ctx, v) for v in [c.service_content, c.scope, *c.party_a_duties, *c.party_b_duties])
    if a_ok != b_ok and not scanned:
        # one party's duties were read, the other's not: a real gap in the contract
        items[one_side] = False
    missing = [k for k, ok in items.items() if not ok]
    if not a_ok and not b_ok:
        # neither was read: more likely one joint clause (双方的权利与义务) the extractor did not
        # split than a contract without duties
        yield ctx.cannot_decide(27, "技术服务合同中甲乙双方的责任条款", pages=pages)
    elif a_ok != b_ok and scanned:
        # on a scan the other heading is easily misread (甲方 → 申方), which hides the clause
        yield ctx.cannot_decide(27, f"技术服务合同中{one_side}条款", pages=pages,
                                why="扫描件中该条款标题可能被误识别")
    if not missing:
        return
    ev: list = [v for v in (c.contract_no, c.project_name) if v.ok][:1]
    if not ev and pages:
        ev = [Evidence(file=ORIGINAL, page=pages[0], bbox=None, text="")]
    where = f"第{'、'.join(map(str, pages))}页" if pages else ""
    no = f"（编号{c.contract_no.value}）" if c.contract_no.ok else ""
    msg = (f"技术服务合同{no}{where}未写明{'、'.join(missing)}；"
           f"合同应明确技术服务内容、范围、完成时间以及双方的责任（缺1项扣0.2分）")
    yield ctx.finding("contract.incomplete", 27, msg, ev, pages=pages)
