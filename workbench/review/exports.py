"""Exports: attachment 3 with scores, attachment 4 (xlsx + printable PDF), provincial summary.

``blind=True`` leaves the institution's identity fields of attachment 4 empty (for the
group, who review blind); the center's copy fills them from submission.json.
"""
from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pymupdf
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from checks import checklist
from workbench.review import edits, scoring
from workbench.review.models import Assignment, Bundle, Finding, GroupResult, ItemScore, PreflagDecision

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_VERDICT_ZH = {scoring.CONFORM: "符合", scoring.NOT_CONFORM: "不符合"}
BLIND_FIELD = "（盲审：由质控中心填写）"


def _xlsx(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _n(d) -> str:
    """A Decimal as printed on the sheet: 9, 13.5, 87.3 (no trailing zeros)."""
    return format(Decimal(d).normalize(), "f")


def _fmt(v) -> str:
    if v is None or v == "":
        return ""
    return _VERDICT_ZH.get(v, str(v))


def attachment3(a: Assignment, group_values: dict) -> bytes:
    """附件3 with each expert's value, the group's value, notes and site-verification marks."""
    experts = list(a.group.experts.order_by("username"))
    scores = {(s.expert_id, s.item_no): s for s in ItemScore.objects.filter(bundle=a.bundle, expert__in=experts)}
    wb = Workbook()
    ws = wb.active
    ws.title = "附件3"
    ws.append([checklist.META.get("title", "质量监测检查表"), "", "", a.bundle.bundle_id])
    head = ["序号", "检查内容", "检查指标", "检查方法", "分值"] + [e.get_full_name() or e.username for e in experts] \
        + ["专家组结果", "需现场核实", "备注"]
    ws.append(head)
    for c in ws[2]:
        c.font = _BOLD
    for it in checklist.ITEMS:
        row = [it.no, it.category, it.label, it.method, "否决项" if it.veto else it.points]
        site, notes = [], []
        for e in experts:
            s = scores.get((e.pk, it.no))
            row.append(_fmt(edits.effective(s)) if s else "")
            if s and s.needs_site:
                site.append(e.username)
            if s and s.note:
                notes.append(f"{e.username}：{s.note}")
        row += [_fmt(group_values.get(it.no)), "、".join(site), "\n".join(notes)]
        ws.append(row)
    for col, w in zip("ABCDE", (6, 18, 40, 50, 8)):
        ws.column_dimensions[col].width = w
    for r in ws.iter_rows(min_row=3):
        for c in r:
            c.alignment = _WRAP
    return _xlsx(wb)


@dataclass
class Sheet4:
    """Attachment 4's printed lines, shared by the xlsx and the PDF."""

    header: list[tuple[str, str]]
    parts: list[tuple[str, list[str]]]
    problems: str
    band: str
    risk: str
    signed: str


def sheet4(a: Assignment, a4: scoring.Attachment4, *, blind: bool) -> Sheet4:
    b: Bundle = a.bundle
    inst = b.identity or {}
    ident = (lambda v: BLIND_FIELD) if blind else (lambda v: v or "")
    header = [("监测与评估组织单位", "河南省职业健康技术质量控制中心"), ("机构名称", ident(inst.get("name"))),
              ("法定代表人", ident(inst.get("legal_rep"))), ("注册地址", ident(inst.get("address"))),
              ("报告名称及编号", ident(b.report_no)), ("证据包编号", b.bundle_id)]
    parts = []
    for p in a4.parts + [a4.totals()]:
        lines = []
        if p.veto_items or p.part in (2,):
            lines.append(f"否决项：{p.veto_items} 项" + (f"，其中：符合 {p.veto_conform} 项，不符合 {p.veto_not} 项"
                                                      if p.veto_items else ""))
        if p.key_items:
            lines.append(f"关键项：{p.key_items} 项，总分 {_n(p.key_max)} 分，得分：{_n(p.key_score)} 分")
        if p.general_items:
            lines.append(f"一般项：{p.general_items} 项，总分 {_n(p.general_max)} 分，得分：{_n(p.general_score)} 分")
        if p.part == 0:
            lines.append(f"得分：{p.key_items + p.general_items} 项，满分 100 分，得分：{_n(a4.total)} 分")
        parts.append((p.name, lines))
    res = GroupResult.objects.filter(assignment=a).first()
    signed = (f"组长签名：{res.signed_by.get_full_name() or res.signed_by.username}"
              f"    {res.signed_at:%Y年%m月%d日}") if res and res.signed_at else "组长签名：            年   月   日"
    return Sheet4(header, parts, (res.problems if res else "") or "", a4.band or "（未完成）",
                  a4.risk or "（未完成）", signed)


def attachment4_xlsx(s: Sheet4) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件4"
    ws.append(["职业卫生技术服务机构质量监测结果"])
    ws["A1"].font = Font(bold=True, size=14)
    for k, v in s.header:
        ws.append([k, v])
    ws.append(["内容"])
    for name, lines in s.parts:
        ws.append([name, "\n".join(lines)])
    ws.append(["存在问题", s.problems])
    ws.append(["质量监测结果", s.band])
    ws.append(["风险评估", s.risk])
    ws.append([s.signed])
    ws.append(["组员签名："])
    ws.append(["职业卫生技术服务机构负责人签字：            年   月   日"])
    ws.append(["注：总分≥90 分的为优秀；60 分≤总分＜90 分的为合格；总分＜60 分或者检查发现有否决项的为不合格。"])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    for r in ws.iter_rows(min_row=2):
        for c in r:
            c.alignment = _WRAP
    return _xlsx(wb)


def attachment4_pdf(s: Sheet4) -> bytes:
    """A printable A4 page with PyMuPDF's built-in CJK font (no font file needed)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 60.0

    def put(text: str, size: float = 10.5, x: float = 60) -> None:
        nonlocal y
        for line in text.split("\n"):
            while line:
                chunk, line = line[:44], line[44:]
                page.insert_text((x, y), chunk, fontname="china-s", fontsize=size)
                y += size * 1.7

    put("职业卫生技术服务机构质量监测结果", 15, 150)
    y += 8
    for k, v in s.header:
        put(f"{k}：{v}")
    y += 4
    for name, lines in s.parts:
        put(name, 11)
        for ln in lines:
            put("    " + ln)
    put("存在问题：" + (s.problems or "无"))
    put(f"质量监测结果：{s.band}        风险评估：{s.risk}", 11)
    y += 10
    put(s.signed)
    put("组员签名：____________________________________")
    put("职业卫生技术服务机构负责人签字：______________    年   月   日")
    put("注：总分≥90分的为优秀；60分≤总分＜90分的为合格；总分＜60分或者检查发现有否决项的为不合格。", 9)
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


@dataclass
class SummaryRow:
    bundle: Bundle
    a4: scoring.Attachment4 | None
    signed: bool


def summary_rows(values_for) -> list[SummaryRow]:
    rows = []
    for b in Bundle.objects.order_by("bundle_id"):
        a = Assignment.objects.filter(bundle=b).first()
        res = GroupResult.objects.filter(assignment=a).first() if a else None
        a4 = scoring.attachment4(values_for(a), lab_failed=b.lab_comparison == Bundle.LAB_FAIL) if a else None
        rows.append(SummaryRow(b, a4, bool(res and res.signed_at)))
    return rows


def summary_stats(rows: list[SummaryRow]) -> dict:
    """By city, bands, risks, most-deducted items, veto items not met, pre-flags confirmed vs dismissed per check."""
    by_city = defaultdict(list)
    for r in rows:
        by_city[r.bundle.city or "（未知）"].append(r)
    bands = Counter(r.a4.band for r in rows if r.a4 and r.a4.band)
    risks = Counter(r.a4.risk for r in rows if r.a4 and r.a4.risk)
    veto_not = Counter(no for r in rows if r.a4 for no in r.a4.veto_not)
    lost = Counter()
    for r in rows:
        a = Assignment.objects.filter(bundle=r.bundle).first()
        if not a:
            continue
        for g in a.item_results.exclude(score=None):
            full = checklist.item(g.item_no).points
            if full and g.score < full:
                lost[g.item_no] += float(full) - float(g.score)
    checks = defaultdict(lambda: Counter())
    for d in PreflagDecision.objects.exclude(decision="").select_related("finding"):
        checks[d.finding.code][d.decision] += 1
    for f in Finding.objects.values_list("code", flat=True):
        checks[f]["raised"] += 1
    return {"by_city": dict(sorted(by_city.items())), "bands": bands, "risks": risks,
            "veto_not": veto_not.most_common(), "most_deducted": lost.most_common(10),
            "checks": sorted(checks.items())}


def summary_xlsx(rows: list[SummaryRow], stats: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "机构结果"
    ws.append(["地市", "证据包", "机构名称", "总分", "质量监测结果", "风险评估", "否决项不符合", "实验室比对", "组长已签字"])
    for c in ws[1]:
        c.font = _BOLD
    for city, rs in stats["by_city"].items():
        for r in rs:
            a4 = r.a4
            ws.append([city, r.bundle.bundle_id, r.bundle.institution_name, float(a4.total) if a4 else None,
                       a4.band if a4 else "", a4.risk if a4 else "", "、".join(map(str, a4.veto_not)) if a4 else "",
                       r.bundle.get_lab_comparison_display(), "是" if r.signed else "否"])
            if a4 and a4.band == scoring.FAIL:
                ws.cell(ws.max_row, 5).fill = PatternFill("solid", fgColor="FFC7CE")
    ws2 = wb.create_sheet("扣分最多的指标")
    ws2.append(["指标", "检查指标", "累计扣分"])
    for no, v in stats["most_deducted"]:
        ws2.append([no, checklist.item(no).label, round(v, 2)])
    ws3 = wb.create_sheet("否决项不符合")
    ws3.append(["指标", "检查指标", "机构数"])
    for no, n in stats["veto_not"]:
        ws3.append([no, checklist.item(no).label, n])
    ws4 = wb.create_sheet("预警确认情况")
    ws4.append(["预警代码", "提出次数", "专家确认", "专家排除"])
    for code, c in stats["checks"]:
        ws4.append([code, c["raised"], c["confirm"], c["dismiss"]])
    ws5 = wb.create_sheet("分布")
    ws5.append(["质量监测结果", "机构数"])
    for k in (scoring.EXCELLENT, scoring.PASS, scoring.FAIL):
        ws5.append([k, stats["bands"].get(k, 0)])
    ws5.append(["风险评估", "机构数"])
    for k in (scoring.LOW, scoring.MEDIUM, scoring.HIGH):
        ws5.append([k, stats["risks"].get(k, 0)])
    return _xlsx(wb)
