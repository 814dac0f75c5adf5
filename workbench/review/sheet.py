"""The 96 items as the workbench shows them: checklist data plus what the expert can do with each.

Reuses ``checks.checklist`` (the items are data there) and ``checks.coverage`` (which
checks cover an item, from the check registry, or why none does); adds only presentation
facts: the system's coverage mark and the deduction steps of the item's method.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from checks import checklist, coverage
from workbench.review.scoring import deduction_steps


@dataclass(frozen=True)
class SheetItem:
    item: checklist.Item
    coverage: coverage.ItemCoverage
    steps: tuple[Decimal, ...]

    @property
    def no(self) -> int:
        return self.item.no

    @property
    def documents_show(self) -> bool:
        """Whether the bundle's documents can show the item (the checklist data says where
        its evidence lies); otherwise the site visit, the lab visit or an online lookup."""
        return self.item.evidence in ("bundle", "no_domain_rule")

    @property
    def system_mark(self) -> str:
        """``系统已自动核查（i036_plan_complete）`` or ``系统未自动核查：需现场核查：…``."""
        c = self.coverage
        if c.checked:
            return f"系统已自动核查（{'、'.join(c.checks)}）"
        return f"系统未自动核查——{c.reason_zh}"

    @property
    def system_rest(self) -> Optional[str]:
        return self.coverage.rest_zh


@lru_cache(maxsize=1)
def sheet() -> tuple[SheetItem, ...]:
    # cached for the process: the check registry does not change while the server runs
    by_no = {c.no: c for c in coverage.coverage()}
    return tuple(SheetItem(it, by_no[it.no], tuple(deduction_steps(it.no))) for it in checklist.ITEMS)


def by_part() -> list[tuple[int, str, list[SheetItem]]]:
    return [(p, name, [s for s in sheet() if s.item.part == p]) for p, name in checklist.PARTS.items()]
