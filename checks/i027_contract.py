"""The service contract states what the checklist requires, item 27.

Attachment 3, 二、服务规范性 / (十)合同:

  (27)签订了技术服务协议或合同。
  查阅技术服务合同。合同应明确技术服务内容、范围、完成时间以及双方的责任，缺1项扣0.2分。
  1.0分扣完为止。无合同不得分。

A missing contract section is already ``bundle.missing_section`` (the check is skipped).
Here: each of 服务内容 / 服务范围 / 完成时间 / 甲方责任 / 乙方责任 must be present, in
whatever numbering and wording (the extractor types clause headings by their key nouns
and finds a completion time stated in any clause). Absence needs proof: an item is
missing only when the extractor read the whole contract and understood every clause
heading (the field's state is ABSENT or EMPTY; for the duties, ``clauses_read``).
Anything else not read is "cannot decide", naming what was not understood. On a scan a
party's duties heading is easily misread (甲方 → 申方), so one party's duties read and
the other's not stays "cannot decide" there.
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
    read = c.clauses_read.ok and c.clauses_read.value is True
    vals: dict[str, Val] = {"技术服务内容": c.service_content, "服务范围": c.scope, "完成时间": c.completion_time}
    ok = {k: v.ok for k, v in vals.items()}
    if not ok["完成时间"]:
        # stated in the service-content clause or the provider's duties instead of a clause of its own
        if _has_completion_in_text([c.service_content] + list(c.party_b_duties)) is not None:
            ok["完成时间"] = True
    missing = [k for k, v in vals.items() if not ok[k] and (v.absent or v.empty)]
    unsure = [k for k, v in vals.items() if not ok[k] and not (v.absent or v.empty)]
    duties = {"甲方（委托方）责任": bool([v for v in c.party_a_duties if v.ok]),
              "乙方（受托方）责任": bool([v for v in c.party_b_duties if v.ok])}
    scanned = any(read_by_ocr(ctx, v) for v in [c.service_content, c.scope, *c.party_a_duties, *c.party_b_duties])
    for k, has in duties.items():
        if has:
            continue
        # one party's duties heading misread on a scan (甲方 → 申方) hides the clause
        if read and not (scanned and any(duties.values())):
            missing.append(k)
        else:
            unsure.append(k)
    pages = list(c.pages) or ctx.section_pages("contract")
    if unsure:
        why = c.clauses_read.reason if not read and c.clauses_read.reason else None
        stray = [v.reason for k, v in vals.items() if k in unsure and v.reason and "a line names it" in v.reason]
        if read and stray:
            why = stray[0]
        elif scanned and read:
            why = "扫描件中该条款标题可能被误识别"
        yield ctx.cannot_decide(27, f"技术服务合同中的{'、'.join(unsure)}条款", pages=pages,
                                why=_why_zh(why) or "")
    if not missing:
        return
    ev: list = [v for v in (c.contract_no, c.project_name) if v.ok][:1]
    if not ev and pages:
        ev = [Evidence(file=ORIGINAL, page=pages[0], bbox=None, text="")]
    where = f"第{'、'.join(map(str, pages))}页" if pages else ""
    no = f"（编号{c.contract_no.value}）" if c.contract_no.ok else ""
    msg = (f"技术服务合同{no}{where}各条款已逐条读取，未写明{'、'.join(missing)}；"
           f"合同应明确技术服务内容、范围、完成时间以及双方的责任（缺1项扣0.2分）")
    yield ctx.finding("contract.incomplete", 27, msg, ev, pages=pages)


def _why_zh(reason: str | None) -> str | None:
    """The extractor's reason, in the expert's words."""
    if not reason:
        return None
    if reason.startswith("clause headings not understood"):
        return "合同中有未能识别的条款标题：" + reason.split(":", 1)[1].strip()
    if "a line names it:" in reason:
        return f"合同中“{reason.split('a line names it:', 1)[1].strip()}”一行未能识别为编号条款标题"
    if reason == "pages not all read":
        return "合同有页面未能完整读取"
    if reason == "no numbered clauses":
        return "合同未按编号条款排列，未能逐条识别"
    return reason
