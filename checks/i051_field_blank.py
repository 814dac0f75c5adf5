"""Indicator 51: field blanks were taken (a blank per factor per sampling day).

Attachment 3, item (51)：“采样采取了质量控制措施。”
检查方法：“查阅现场检测、采样原始记录。采样时未设置样品空白，每种危害因素每发现1天缺少样品空白扣0.5分；未记录样品
空白的时间、地点、编号等信息，每发现1处扣0.5分。1.0分扣完为止。”
GBZ 159 (domain README R1.8): at least one blank per hazardous factor per sampling day.

``sampling.no_field_blank``: on a sampling day, a chemical/dust factor has samples on the
sampling records but no blank row (样品空白/空白) for that factor that day. The factor of
a row is the sheet's own value when the rest of the bundle knows that name, else the
factor the lab sheets / report give its sample id; rows whose factor cannot be told are
grouped per form (a form then needs its own blank). Physical agents are measured, not
sampled, and need no blank. Blank rows that carry no sample id are reported as
incomplete blank records.
"""
from __future__ import annotations

from collections import defaultdict

from checks._factors import FactorResolver, is_physical
from checks._people import fmt_pages
from checks.base import Ctx, check, fmt_date


@check("i051_field_blank", indicators=[51], needs=["sampling_records"])
def field_blank(ctx: Ctx):
    """A blank per factor per sampling day."""
    resolve = FactorResolver(ctx.records)
    samples: dict[tuple, list] = defaultdict(list)
    blanks: dict[tuple, list] = defaultdict(list)
    no_id: list = []
    for sh in ctx.records.sampling_records:
        if sh.kind != "air" or not sh.date.ok:
            continue
        sheet_key = ("form", sh.pages)
        rows = [(row, resolve(row)) for row in sh.rows]
        rows = [(row, f) for row, f in rows if not (f is not None and is_physical(f))]
        sheet_factors = {f if f is not None else sheet_key for row, f in rows if not row.value("is_blank")}
        for row, f in rows:
            if row.value("is_blank"):
                # a blank whose factor cannot be told covers the factors sampled on its form
                for k in ([f] if f is not None else (sheet_factors or {sheet_key})):
                    blanks[(sh.date.value, k)].append(row)
                sid = row.get("sample_id")
                if not sid.ok and not (sid.raw or "").strip():
                    no_id.append(row)  # the id cell read and empty (an id written but not understood is no gap)
            else:
                samples[(sh.date.value, f if f is not None else sheet_key)].append(row)
    for (day, f), rows in samples.items():
        if blanks.get((day, f)):
            continue
        label = f if isinstance(f, str) else "（因素未识别）"
        ids = [str(r.value("sample_id")) for r in rows if r.value("sample_id")]
        pages = [r.page for r in rows]
        yield ctx.finding(
            "sampling.no_field_blank", 51,
            f"{fmt_date(day)}{label}共采集{len(rows)}个样品（第{fmt_pages(pages)}页"
            f"{'，' + '、'.join(ids[:3]) + ('等' if len(ids) > 3 else '') if ids else ''}），未设置样品空白",
            rows[:3], pages=pages)
    if no_id:
        pages = [r.page for r in no_id]
        yield ctx.finding(
            "sampling.blank_incomplete", 51,
            f"现场采样记录第{fmt_pages(pages)}页的样品空白未记录样品编号",
            no_id[:3], pages=pages)
