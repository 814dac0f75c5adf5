"""How the experts' outputs say whether bundlecheck checked an item, and if not why.

One wording for ``checklist.xlsx`` (column 系统核查, the summary sheet) and ``report.html``
(the section 附件3各项的系统核查情况). What covers an item comes from
:mod:`checks.coverage` (the check registry and the checklist data); what ran on this
bundle comes from findings.json's ``checks.checked_indicators``.
"""
from __future__ import annotations

import html
from typing import Iterable, Optional

from checks.coverage import REASONS, ItemCoverage, coverage, reason_label_zh, summarize


def ran_set(checked_indicators: Optional[Iterable[int]]) -> Optional[set[int]]:
    return None if checked_indicators is None else {int(n) for n in checked_indicators}


def item_mark(c: ItemCoverage, ran: Optional[set[int]], status: str = "done") -> str:
    """``已自动核查（i036_plan_complete）``, ``需现场核查：…``, or why a covered item did not run.

    ``ran``: the items whose checks ran to the end on this bundle (None: not known, as for
    a failed bundle or an older findings.json)."""
    if not c.checked:
        return c.reason_zh or ""
    names = "、".join(c.checks)
    if status != "done":
        text = f"本证据包处理未完成，系统未能完成核查（核查模块：{names}），请人工核对"
    elif ran is None:
        text = f"系统自动核查项（{names}）"
    elif c.no in ran:
        text = f"已自动核查（{names}）"
    else:
        text = f"本证据包未能完成自动核查（相关材料缺失或未能识别；核查模块：{names}），请人工核对"
    return text + (f"\n{c.rest_zh}" if c.rest_zh else "")


def summary_zh(cov: tuple[ItemCoverage, ...]) -> str:
    """The coverage line and, per reason, the items it holds (the summary sheet)."""
    lines = [summarize(cov).line_zh]
    for r in REASONS:
        nos = [c.no for c in cov if c.reason == r]
        if nos:
            lines.append(f"{reason_label_zh(r)}：第{'、'.join(map(str, nos))}项")
    return "\n".join(lines)


def html_section(checked_indicators: Optional[Iterable[int]], status: str = "done") -> list[str]:
    """report.html's table of the 96 items with the system's coverage mark each."""
    cov = coverage()
    ran = ran_set(checked_indicators)
    esc = lambda x: html.escape(x or "", quote=True)  # noqa: E731
    out = ["<h2>附件3各项的系统核查情况</h2>",
           f"<p>{esc(summarize(cov).line_zh)}。未自动核查或未发现预警的指标，均需专家按检查方法判定。</p>",
           "<details><summary>展开全部96项</summary>",
           '<table class="coverage"><tr><th>指标</th><th>检查指标</th><th>系统核查</th></tr>']
    for c in cov:
        it = c.item
        marks = (' <span class="star">★</span>' if it.veto else "") + (
            ' <span class="badge">重点指标</span>' if it.key_indicator else "")
        cls = "" if c.checked else ' class="absent"'
        mark = esc(item_mark(c, ran, status)).replace("\n", "<br>")
        out.append(f'<tr id="cov-{it.no}"><td>{it.no}{marks}</td><td>{esc(it.text)}</td><td{cls}>{mark}</td></tr>')
    out.append("</table></details>")
    return out
