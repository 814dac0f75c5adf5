"""Indicator 47: direct-reading results on the field measurement record are rounded,
converted, computed and given units correctly.

Attachment 3, 二、服务规范性 / (十三)现场采样和测量:

  (47)现场测量原始记录中直读测量结果的数据修约、转换、计算和单位使用正确。
  查阅现场测量原始记录。数据修约、转换、计算和单位等信息，每发现1处错误扣0.3分。1.5分扣完为止。不涉及不扣分。

``measurement.direct_reading_wrong``, on the field noise measurement record (the
sampling-record section's noise tables, ``SamplingSheet.noise``; whichever family prints
them):

- calculation: a row's L_EX,8h differs from L_Aeq + 10·lg(T/8) by more than the rounding
  of the printed values explains (the arithmetic is ``checks/_noise.py``, shared with
  item 73's check of the report's noise table);
- unit: a level column's title, a level cell or a unit column states "dB" where the
  A-weighted dB(A) is meant (L_Aeq and L_EX,8h are A-weighted levels, GBZ/T 189.8);
- rounding: L_Aeq or L_EX,8h printed to two or more decimals where the rule is 0.1 dB.
  A level printed as an integer is not called wrong (some forms round so, and nothing
  verified forbids it).

No noise record: nothing to check (不涉及). A noise form whose rows were not read is
"cannot decide". On a scan a pre-flag stands only when the values read the same a second
time.
"""
from __future__ import annotations

import re

from checks._noise import MIN_CONF, lex_check
from checks._shared_lab import decimals_of, printed
from checks.base import Ctx, check
from extractors.records import Row, Val

# a level in dB; dB(A), dBA, dB（A） state the A weighting
_ANY_DB = re.compile(r"d\s*B", re.I)
_NAMES = {"laeq": "L_Aeq", "lex8h": "L_EX,8h"}


def _bare_db(text: str) -> bool:
    """The text states a level in dB and never as dB(A)."""
    return bool(_ANY_DB.search(text or "")) and not re.search(r"d\s*B\s*[(（]?\s*A", text or "", re.I)


def _where(r: Row) -> str:
    post, site = r.value("post"), r.value("site")
    return f"{post or ''}{'（' + site + '）' if site else ''}" or "该行"


def _row_problems(ctx: Ctx, r: Row) -> tuple[list[str], list[Val]]:
    msgs: list[str] = []
    ev: list[Val] = []
    c = lex_check(r)
    if c is not None and c.wrong and ctx.confirmed(c.laeq, c.hours, c.lex):
        msgs.append(f"L_Aeq {printed(c.laeq)} dB(A)、接触时间 {printed(c.hours)} h，按 L_EX,8h = L_Aeq + 10·lg(T/8) "
                    f"应为 {c.expected:.1f} dB(A)，记录为 {printed(c.lex)}（相差 {c.off:.1f} dB）")
        ev += [c.lex, c.laeq, c.hours]
    for key, name in _NAMES.items():
        v = r.get(key)
        if not v.ok or v.conf < MIN_CONF:
            continue
        d = decimals_of(v)
        if d is not None and d >= 2 and ctx.confirmed(v):
            msgs.append(f"{name} 记录为 {printed(v)}，保留了{d}位小数（应修约到0.1 dB）")
            ev.append(v)
        if v.raw and _bare_db(v.raw):
            msgs.append(f"{name} 记录为“{v.raw}”，单位写作 dB（应为 dB(A)）")
            ev.append(v)
    u = r.get("unit")
    if u.ok and _bare_db(str(u.value)) and u.conf >= MIN_CONF:
        msgs.append(f"单位栏为“{u.value}”（A计权声级应为 dB(A)）")
        ev.append(u)
    return msgs, ev


@check("i047_direct_reading", indicators=[47], needs=["sampling_records"])
def direct_reading(ctx: Ctx):
    """The noise record's L_EX,8h, units and rounding."""
    for sh in ctx.records.sampling_records:
        if sh.kind != "noise" and not sh.noise:
            continue
        if not sh.noise:
            yield ctx.cannot_decide(47, "噪声现场测量记录中的测量数据", pages=list(sh.pages),
                                    why="未识别出噪声测量表格的数据行")
            continue
        for key, name in _NAMES.items():
            for t in sh.noise_titles.get(key, []):
                if t.page is not None and _bare_db(t.raw or str(t.value)) and ctx.confirmed(t):
                    yield ctx.finding(
                        "measurement.direct_reading_wrong", 47,
                        f"噪声现场测量记录第{t.page}页 {name} 栏目标题为“{t.raw or t.value}”，单位写作 dB，"
                        f"A计权等效声级的单位应为 dB(A)",
                        [t], pages=[t.page])
        for r in sh.noise:
            msgs, ev = _row_problems(ctx, r)
            if not msgs:
                continue
            page = r.page or ev[0].page
            yield ctx.finding(
                "measurement.direct_reading_wrong", 47,
                f"噪声现场测量记录第{page}页 {_where(r)}：{'；'.join(dict.fromkeys(msgs))}",
                list({id(e): e for e in ev}.values()), pages=[page])
