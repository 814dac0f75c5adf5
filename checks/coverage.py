"""Which of the 96 checklist items bundlecheck checks, by which checks, and why not.

Two facts meet here and nowhere else:

- where an item's evidence lies is data (``evidence`` / ``evidence_note`` in
  ``checks/data/checklist.json``, read by :mod:`checks.checklist`);
- which checks cover an item is the check registry (``@check(name, indicators=[…])`` in
  ``checks/base.py``): every registered check counts for every item it names, so a new
  ``checks/iNNN_*.py`` shows up here by itself, with no list to keep.

An item is *checked* when at least one registered check names it. It can be checked and
still need a visit for the rest (item 89: the signers are compared with the registered
staff, the instrument-use log only the lab shows): ``rest_zh`` says so. An item no check
names gets a reason: its evidence kind when that is not the bundle, else ``not_checked``
(the bundle could show it; no check reads it yet).

Used by ``bundlecheck checklist`` (``pipeline/cli.py``), the experts' outputs
(``pipeline/outputs/``) and the workbench's item list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from checks import checklist
from checks.base import CheckSpec, load_all
from checks.checklist import EVIDENCE_NAMES_ZH, Item

#: the reason an unchecked bundle item gives (the other reasons are evidence kinds)
NOT_CHECKED = "not_checked"
NOT_CHECKED_ZH = "暂未自动核查"
_NOT_CHECKED_NOTE = "证据包材料可显示本项，系统尚无对应的自动核查"


@dataclass(frozen=True)
class ItemCoverage:
    item: Item
    checks: tuple[str, ...]  # registered check names bearing on the item, sorted

    @property
    def no(self) -> int:
        return self.item.no

    @property
    def checked(self) -> bool:
        return bool(self.checks)

    @property
    def reason(self) -> Optional[str]:
        """None when checked; else ``site_visit`` / ``lab_visit`` / ``online_lookup`` /
        ``no_domain_rule`` / ``not_checked``."""
        if self.checked:
            return None
        return NOT_CHECKED if self.item.evidence == "bundle" else self.item.evidence

    @property
    def reason_name_zh(self) -> Optional[str]:
        """需现场核查 / 需实验室现场核查 / 需在线查询 / 缺少标准依据 / 暂未自动核查."""
        r = self.reason
        if r is None:
            return None
        return NOT_CHECKED_ZH if r == NOT_CHECKED else EVIDENCE_NAMES_ZH[r]

    @property
    def reason_zh(self) -> Optional[str]:
        """Why no check covers the item, as experts read it: ``需现场核查：需在用人单位…``."""
        r = self.reason
        if r is None:
            return None
        note = _NOT_CHECKED_NOTE if r == NOT_CHECKED else self.item.evidence_note
        return f"{self.reason_name_zh}：{note}"

    @property
    def rest_zh(self) -> Optional[str]:
        """For a checked item whose evidence is partly elsewhere: what the checks leave to
        the expert (``其余需实验室现场核查：…``, or the bundle item's own note)."""
        if not self.checked or not self.item.evidence_note:
            return None
        if self.item.evidence == "bundle":
            return f"自动核查仅覆盖证据包可显示的部分：{self.item.evidence_note}"
        return f"其余{EVIDENCE_NAMES_ZH[self.item.evidence]}：{self.item.evidence_note}"

    def as_json(self) -> dict:
        """One row of ``bundlecheck checklist --json``. The first four keys are the
        contract (issue 14); the others may grow but are never renamed."""
        it = self.item
        return {"no": it.no, "checked": self.checked, "checks": list(self.checks), "reason": self.reason,
                "reason_zh": self.reason_zh, "rest_zh": self.rest_zh, "key_indicator": it.key_indicator,
                "weight": it.weight, "points": it.points, "evidence": it.evidence, "text": it.text}


def checks_by_item(registry: Mapping[str, CheckSpec]) -> dict[int, tuple[str, ...]]:
    """Item number → names of the registered checks that name it among their indicators."""
    out: dict[int, set[str]] = {}
    for name, spec in registry.items():
        for n in spec.indicators:
            out.setdefault(n, set()).add(name)
    return {n: tuple(sorted(names)) for n, names in out.items()}


def coverage(registry: Optional[Mapping[str, CheckSpec]] = None) -> tuple[ItemCoverage, ...]:
    """The 96 items in order, each with the checks that cover it. ``registry`` defaults
    to every check module of ``checks/`` (imported on first use); not cached, so a check
    registered later (a test's temporary one) shows at the next call."""
    by_item = checks_by_item(load_all() if registry is None else registry)
    return tuple(ItemCoverage(it, by_item.get(it.no, ())) for it in checklist.ITEMS)


def unknown_indicators(registry: Optional[Mapping[str, CheckSpec]] = None) -> dict[str, tuple[int, ...]]:
    """Checks naming numbers that are no checklist item (a typo in ``indicators=``)."""
    known = {it.no for it in checklist.ITEMS}
    reg = load_all() if registry is None else registry
    return {name: bad for name, spec in sorted(reg.items())
            if (bad := tuple(n for n in spec.indicators if n not in known))}


@dataclass(frozen=True)
class Summary:
    total: int
    checked: int
    key_total: int
    key_checked: tuple[int, ...]
    by_reason: Mapping[str, int]  # reason → items (unchecked only)

    @property
    def line_zh(self) -> str:
        """``已自动核查 33 / 96 项；重点指标覆盖 2 / 8 项（第36、74项）；未核查：需现场核查 26 项，…``."""
        keys = f"（第{'、'.join(map(str, self.key_checked))}项）" if self.key_checked else ""
        why = "，".join(f"{reason_label_zh(r)} {n} 项" for r, n in self.by_reason.items())
        return (f"已自动核查 {self.checked} / {self.total} 项；重点指标覆盖 {len(self.key_checked)} / "
                f"{self.key_total} 项{keys}" + (f"；未核查：{why}" if why else ""))

    def as_json(self) -> dict:
        return {"total": self.total, "checked": self.checked, "key_indicators": self.key_total,
                "key_indicators_checked": list(self.key_checked), "unchecked_by_reason": dict(self.by_reason)}


def reason_label_zh(reason: str) -> str:
    return NOT_CHECKED_ZH if reason == NOT_CHECKED else EVIDENCE_NAMES_ZH[reason]


#: order reasons are listed in (the evidence kinds, then "not yet checked")
REASONS: tuple[str, ...] = tuple(k for k in checklist.EVIDENCE_KINDS if k != "bundle") + (NOT_CHECKED,)


def summarize(cov: tuple[ItemCoverage, ...]) -> Summary:
    by_reason = {r: sum(1 for c in cov if c.reason == r) for r in REASONS}
    return Summary(total=len(cov), checked=sum(1 for c in cov if c.checked),
                   key_total=sum(1 for c in cov if c.item.key_indicator),
                   key_checked=tuple(c.no for c in cov if c.item.key_indicator and c.checked),
                   by_reason={r: n for r, n in by_reason.items() if n})


def as_json(cov: tuple[ItemCoverage, ...]) -> dict:
    """``{"items": [{"no": 31, "checked": true, "checks": [...], "reason": null, ...}, ...],
    "summary": {...}}`` (what ``bundlecheck checklist --json`` prints)."""
    return {"items": [c.as_json() for c in cov], "summary": summarize(cov).as_json()}
