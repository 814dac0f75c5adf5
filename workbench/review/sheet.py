"""The 96 items as the workbench shows them: checklist data plus what the expert can do with each.

Reuses ``checks.checklist`` (the items are data there); adds only presentation facts:
whether the bundle's documents can show the item at all (methods that need the site
visit, the lab visit or an online registry lookup), and the deduction steps of its method.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from checks import checklist
from workbench.review.scoring import deduction_steps

#: Method words that mean the documents in the bundle are read (查阅/查看 …).
_DOCUMENT_WORDS = ("查阅", "查看")


@dataclass(frozen=True)
class SheetItem:
    item: checklist.Item
    documents_show: bool
    steps: tuple[Decimal, ...]

    @property
    def no(self) -> int:
        return self.item.no


@lru_cache(maxsize=1)
def sheet() -> tuple[SheetItem, ...]:
    return tuple(SheetItem(it, any(w in it.method for w in _DOCUMENT_WORDS), tuple(deduction_steps(it.no)))
                 for it in checklist.ITEMS)


def by_part() -> list[tuple[int, str, list[SheetItem]]]:
    return [(p, name, [s for s in sheet() if s.item.part == p]) for p, name in checklist.PARTS.items()]
