"""Report signatures and the signature page (签名页), item 52.

Attachment 3, 二、服务规范性 / (十四)检测报告内容:

  (52)内容全面、格式规范，正文无错别字和序号错误。
  查阅检测报告的封面、单位资质影印件，声明，编写人、审核人、签发人签名，编号，机构签章和日期等，
  每缺少1项扣0.1分；……

and 安健函〔2014〕26号 (seed 000, domain S02): "在出具的技术报告签名页应标明相应技术人员的专业及
分工".

- ``report.missing_signature``: the 编写人 / 审核人 / 签发人 slot carries no signature, or a
  team member on the signature page did not sign.
- ``report.team_incomplete``: a team member on the signature page has no 分工 (role) or
  专业 (specialty).

A slot whose label was found but whose name was not read is *not* taken as unsigned by
itself: hand signatures are images (OCRed separately on text-layer pages) and handwriting
may be illegible. It counts as unsigned only when the page shows positive emptiness:
another signature on the same page was read (so signatures there are legible), and no
text at all was recognised in the slot apart from its labels and date. A short mark that
OCR could not resolve to a name (one character of it) counts as signed. Anything else
says "cannot decide". This geometric test is the one place the check looks at page lines:
it asks whether text was recognised inside the slot, not what a form says.
"""
from __future__ import annotations

from checks.base import Ctx, check
from extractors.records import ReportRecord, Row, SlotState, Val

ROLE_ZH = {"author": "编写人（编制人）", "reviewer": "审核人", "issuer": "签发人"}


def _slot_verdict(r: ReportRecord, role: str, v: Val, others: list[Val]) -> str:
    """``"signed"``, ``"unsigned"`` or ``"unknown"`` for a slot whose name was not read
    (its ``SignatureSlot`` from ``extractors/slots.report_slots``)."""
    if v.page is None or v.bbox is None:
        return "unknown"
    sl = next((s for s in r.signatures if s.role == role), None)
    state = sl.state if sl is not None else SlotState.UNREADABLE
    if state is SlotState.SIGNED:
        return "signed"  # something is handwritten there; whose it is is items 77/78
    legible_here = any(o.ok and o.page == v.page for o in others)
    if state is SlotState.EMPTY and legible_here:
        return "unsigned"
    return "unknown"


def _team_signature_empty(r: ReportRecord, row: Row) -> bool:
    """An empty 签名 cell of the team table, with other members' signatures read on that page."""
    name = row.get("name")
    return any(s.role == "team" and s.page == row.page and s.names == [name] and s.state is SlotState.EMPTY
               for s in r.signatures)


@check("i052_report_signatures", indicators=[52], needs=["report"])
def report_signatures(ctx: Ctx):
    """The report is signed by author, reviewer and issuer; the signature page names each member's role and specialty."""
    r: ReportRecord = ctx.records.report
    slots = {"author": r.author, "reviewer": r.reviewer, "issuer": r.issuer}
    unsigned, undecided = [], []
    for role, v in slots.items():
        if v.ok:
            continue
        others = [o for k, o in slots.items() if k != role]
        verdict = _slot_verdict(r, role, v, others)
        if verdict == "unsigned":
            unsigned.append((role, v))
        elif verdict == "unknown":
            undecided.append((role, v))
    if unsigned:
        signed = [f"{ROLE_ZH[k]}{o.value}" for k, o in slots.items() if o.ok]
        msg = (f"检测报告签名处（第{'、'.join(sorted({str(v.page) for _, v in unsigned}))}页）"
               f"{'、'.join(ROLE_ZH[k] for k, _ in unsigned)}未签名"
               f"{'（同页已签：' + '、'.join(signed) + '）' if signed else ''}；"
               f"报告应有编写人、审核人、签发人签名")
        yield ctx.finding("report.missing_signature", 52, msg, [v for _, v in unsigned],
                          pages=[v.page for _, v in unsigned])
    for role, v in undecided:
        label_found = v.page is not None and not v.absent
        why = ("签名位置有标签但未识别出姓名，可能未签字，也可能是签名图像无法识别" if label_found
               else "报告中未找到该签名栏")
        yield ctx.cannot_decide(52, f"报告{ROLE_ZH[role]}签名", why=why,
                                evidence=[v] if v.page is not None else [],
                                pages=[v.page] if v.page is not None else list(r.pages[:1]))

    # ---- signature page: every member's role and specialty, and signature
    team = [row for row in r.team if row.get("name").ok]
    if not team:
        yield ctx.cannot_decide(52, "报告签名页的项目组成员名单（姓名、分工、专业）", pages=list(r.pages))
        return
    keys = set().union(*(row.fields.keys() for row in team))
    lacking_cols = [zh for k, zh in (("role", "分工"), ("specialty", "专业")) if k not in keys]
    if lacking_cols:
        yield ctx.cannot_decide(52, f"报告签名页的{'、'.join(lacking_cols)}栏", pages=sorted({row.page for row in team}),
                                why="签名页人员表中未识别出该栏")
    gaps = []
    for row in team:
        miss = [zh for k, zh in (("role", "分工"), ("specialty", "专业"))
                if k in row.fields and not row.get(k).ok and row.get(k).empty]
        if miss:
            gaps.append((row, miss))
    if gaps:
        items = [f"{row.value('name')}（第{row.page}页）缺{'、'.join(m)}" for row, m in gaps[:8]]
        yield ctx.finding("report.team_incomplete", 52,
                          f"报告签名页项目组成员{'；'.join(items)}；签名页应标明相应技术人员的专业及分工", [row for row, _ in gaps][:8],
                          pages=[row.page for row, _ in gaps[:8]])
    if "signature" in keys:
        signed = [row.get("signature") for row in team if row.get("signature").ok]
        blank = [row for row in team if "signature" in row.fields and not row.get("signature").ok
                 and _team_signature_empty(r, row)]
        if blank:
            names = "、".join(str(row.value("name")) for row in blank[:8])
            yield ctx.finding("report.missing_signature", 52,
                              f"报告签名页（第{'、'.join(sorted({str(row.page) for row in blank}))}页）项目组成员{names}未签名"
                              f"（同页其他{len(signed)}名成员已签名）", blank[:8], pages=[row.page for row in blank])
