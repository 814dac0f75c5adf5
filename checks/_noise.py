"""Noise arithmetic shared by the checks that recompute a level: L_EX,8h from L_Aeq and
the exposure time (item 73 on the report's noise table, item 47 on the field record).

L_EX,8h = L_Aeq,Te + 10·lg(Te/8) (GBZ/T 189.8-2007; domain README §4). A printed
L_EX,8h is wrong only when it differs from the recomputation by more than the rounding
of the printed inputs and output can explain: half a unit in the last printed place of
each, propagated (d(10·lg T)/dT = 4.343/T for the time).
"""
from __future__ import annotations

import math
from typing import NamedTuple, Optional

from checks._shared_lab import decimals_of, half_unit, num
from extractors.records import Row, Val

# A reading this unsure does not raise a pre-flag.
MIN_CONF = 0.6


class LexCheck(NamedTuple):
    """One row's recomputation: the printed values, the expected L_EX,8h and how far the
    printed one may stand from it."""

    laeq: Val
    hours: Val
    lex: Val
    expected: float
    tolerance: float

    @property
    def off(self) -> float:
        return abs(float(self.lex.value) - self.expected)

    @property
    def wrong(self) -> bool:
        return self.off > self.tolerance


def lex8h(laeq: float, hours: float) -> float:
    """L_EX,8h from L_Aeq,Te (dB(A)) and Te (h)."""
    return laeq + 10 * math.log10(hours / 8.0)


def lex_check(r: Row) -> Optional[LexCheck]:
    """The recomputation of a noise row's L_EX,8h (columns ``laeq``, ``hours``,
    ``lex8h``), or None when a value is not read, implausible or read too unsurely."""
    lv, hv, xv = r.get("laeq"), r.get("hours"), r.get("lex8h")
    la, h, lex = num(lv), num(hv), num(xv)
    if la is None or h is None or lex is None or h <= 0 or h > 24:
        return None
    if min(lv.conf, hv.conf, xv.conf) < MIN_CONF:
        return None
    tol = half_unit(decimals_of(xv)) + half_unit(decimals_of(lv)) + 4.343 * half_unit(decimals_of(hv)) / h + 1e-9
    return LexCheck(lv, hv, xv, lex8h(la, h), tol)
