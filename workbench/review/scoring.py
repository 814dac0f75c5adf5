"""Attachment 4 (附件4《职业卫生技术服务机构质量监测结果》) and the risk rule, as plain arithmetic.

Seed 002 §4: veto items are judged 符合/不符合; the other items are scored by their method
and added up (key items 1.5 points, general items 1.0: per part 13.5/9, 34.5/25, 18, in all
100). Band: 优秀 ≥ 90, 合格 60 ≤ total < 90, 不合格 < 60 **or any veto item not met**. Risk:
高 when the band is 不合格 or the lab proficiency comparison failed; 低 when 优秀; otherwise
(合格) 高 when 7 or more of the 8 key indicators (5, 31, 34, 36, 46, 59, 65, 74) have
problems, 低 when none has, else 中.

An item "has a problem" when it lost points (score below its full points). Item 87: the
checklist prints 1.5 points but its method ends "1.0分扣完为止". We use **1.5** (the value
``checks/data/checklist.json`` records): attachment 4 counts part 3 as 12 key items worth
18 points and the whole sheet as 100 points, which only holds with 1.5; a cap of 1.0 would
make full marks 99.5. Deductions on item 87 are therefore capped at 1.5 as well.

No Django here: the module takes item numbers and values, so the table tests need no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Optional

from checks import checklist

EXCELLENT, PASS, FAIL = "优秀", "合格", "不合格"
HIGH, MEDIUM, LOW = "高风险", "中风险", "低风险"
CONFORM, NOT_CONFORM = "conform", "not_conform"
_DEDUCTION = re.compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")


class ScoreError(ValueError):
    """A value outside what the item allows; the message is for the person who typed it."""


def points(no: int) -> Decimal:
    it = checklist.item(no)
    if it.points is None:
        raise ScoreError(f"第{no}项为否决项，只判定符合/不符合")
    return Decimal(str(it.points))


def deduction_steps(no: int) -> list[Decimal]:
    """The per-occurrence deductions the item's method names (扣0.3分 …), distinct, in order."""
    seen: list[Decimal] = []
    for v in _DEDUCTION.findall(checklist.item(no).method):
        d = Decimal(v)
        if d > 0 and d not in seen:
            seen.append(d)
    return seen


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def item_score(no: int, *, occurrences: Optional[int] = None, per_occurrence: Optional[Decimal] = None,
               direct: Optional[Decimal] = None) -> Optional[Decimal]:
    """Score of a scored item: a direct score in [0, points], or points − min(points, count × deduction).

    None when nothing was entered. :class:`ScoreError` for a value out of range.
    """
    full = points(no)
    if direct is not None:
        direct = Decimal(str(direct))
        if not (Decimal(0) <= direct <= full):
            raise ScoreError(f"第{no}项得分须在 0 到 {full} 分之间，输入的是 {direct}")
        return _q(direct)
    if occurrences is None:
        return None
    if occurrences < 0:
        raise ScoreError(f"第{no}项发现处数不能为负数")
    per = Decimal(str(per_occurrence)) if per_occurrence is not None else None
    if per is None:
        steps = deduction_steps(no)
        if len(steps) != 1:
            raise ScoreError(f"第{no}项请选择每处扣分值（检查方法列出 {'、'.join(map(str, steps)) or '无'}）")
        per = steps[0]
    if not (Decimal(0) < per <= full):
        raise ScoreError(f"第{no}项每处扣分须大于 0 且不超过 {full} 分")
    return _q(full - min(full, per * occurrences))


@dataclass
class PartResult:
    part: int
    name: str
    veto_items: int = 0
    veto_conform: int = 0
    veto_not: int = 0
    key_items: int = 0
    key_max: Decimal = Decimal(0)
    key_score: Decimal = Decimal(0)
    general_items: int = 0
    general_max: Decimal = Decimal(0)
    general_score: Decimal = Decimal(0)


@dataclass
class Attachment4:
    parts: list[PartResult]
    total: Decimal
    veto_not: list[int]
    missing: list[int]  # items without a value: the sheet is not complete
    band: Optional[str]
    key_indicator_problems: list[int] = field(default_factory=list)
    risk: Optional[str] = None

    @property
    def complete(self) -> bool:
        return not self.missing

    def totals(self) -> PartResult:
        t = PartResult(0, "得分")
        for p in self.parts:
            for f in ("veto_items", "veto_conform", "veto_not", "key_items", "key_max", "key_score",
                      "general_items", "general_max", "general_score"):
                setattr(t, f, getattr(t, f) + getattr(p, f))
        return t


def band(total: Decimal, any_veto_not_met: bool) -> str:
    if any_veto_not_met or total < 60:
        return FAIL
    return EXCELLENT if total >= 90 else PASS


def risk(band_: str, lab_failed: bool, key_problems: int) -> str:
    if band_ == FAIL or lab_failed:
        return HIGH
    if band_ == EXCELLENT:
        return LOW
    if key_problems >= 7:
        return HIGH
    return LOW if key_problems == 0 else MEDIUM


def attachment4(values: Mapping[int, object], *, lab_failed: bool = False) -> Attachment4:
    """``values``: item → ``"conform"``/``"not_conform"`` (veto items) or a score (Decimal-able).

    Band and risk are given only when every one of the 96 items has a value.
    """
    parts = {p: PartResult(p, name) for p, name in checklist.PARTS.items()}
    veto_not, missing, key_problems = [], [], []
    total = Decimal(0)
    for it in checklist.ITEMS:
        pr = parts[it.part]
        v = values.get(it.no)
        if it.veto:
            pr.veto_items += 1
            if v == CONFORM:
                pr.veto_conform += 1
            elif v == NOT_CONFORM:
                pr.veto_not += 1
                veto_not.append(it.no)
            else:
                missing.append(it.no)
            continue
        full = Decimal(str(it.points))
        s = None if v is None or v == "" else Decimal(str(v))
        if s is not None and not (0 <= s <= full):
            raise ScoreError(f"第{it.no}项得分 {s} 超出 0–{full}")
        if s is None:
            missing.append(it.no)
        elif it.key_indicator and s < full:
            key_problems.append(it.no)
        if it.weight == "key":
            pr.key_items += 1
            pr.key_max += full
            pr.key_score += s or 0
        else:
            pr.general_items += 1
            pr.general_max += full
            pr.general_score += s or 0
        total += s or 0
    a4 = Attachment4(list(parts.values()), _q(total), veto_not, missing, None, key_problems)
    if not missing:
        a4.band = band(a4.total, bool(veto_not))
        a4.risk = risk(a4.band, lab_failed, len(key_problems))
    return a4
