"""Attachment-4 arithmetic and the risk rule (seed 002 §4), by table: every band and risk branch."""
from __future__ import annotations

from decimal import Decimal

import pytest

from checks import checklist
from workbench.review import scoring as s

KEY8 = (5, 31, 34, 36, 46, 59, 65, 74)


def full_marks() -> dict:
    return {it.no: (s.CONFORM if it.veto else Decimal(str(it.points))) for it in checklist.ITEMS}


def with_total(total: Decimal, *, spare: tuple[int, ...] = KEY8) -> dict:
    """Full marks, then points taken off items outside ``spare`` (general items first) until ``total``."""
    v = full_marks()
    lose = Decimal(100) - total
    for it in sorted(checklist.ITEMS, key=lambda it: (it.weight != "general", it.no)):
        if lose <= 0:
            break
        if it.veto or it.no in spare:
            continue
        take = min(lose, Decimal(str(it.points)))
        v[it.no] -= take
        lose -= take
    assert lose == 0
    return v


def test_full_marks_are_the_attachment4_totals():
    a4 = s.attachment4(full_marks())
    got = [(p.veto_items, p.key_items, p.key_max, p.general_items, p.general_max) for p in a4.parts]
    assert got == [(8, 9, Decimal("13.5"), 9, Decimal(9)), (0, 23, Decimal("34.5"), 25, Decimal(25)),
                   (10, 12, Decimal(18), 0, Decimal(0))]
    t = a4.totals()
    assert (t.veto_items, t.key_items, t.key_max, t.general_items, t.general_max) == (18, 44, 66, 34, 34)
    assert a4.total == 100 and a4.band == s.EXCELLENT and a4.risk == s.LOW


@pytest.mark.parametrize("total, veto_fail, band", [
    (Decimal("100"), False, s.EXCELLENT),
    (Decimal("90"), False, s.EXCELLENT),       # ≥ 90
    (Decimal("89.9"), False, s.PASS),
    (Decimal("60"), False, s.PASS),            # 60 ≤ total < 90
    (Decimal("59.9"), False, s.FAIL),          # < 60
    (Decimal("95"), True, s.FAIL),             # any veto not met
])
def test_band(total, veto_fail, band):
    v = with_total(total)
    if veto_fail:
        v[94] = s.NOT_CONFORM
    a4 = s.attachment4(v)
    assert a4.total == total and a4.band == band
    assert a4.veto_not == ([94] if veto_fail else [])


def _key_problems(v: dict, n: int) -> dict:
    for no in KEY8[:n]:
        v[no] = Decimal(str(checklist.item(no).points)) - Decimal("0.5")
    return v


@pytest.mark.parametrize("total, veto_fail, lab_failed, key_problems, risk", [
    (Decimal(50), False, False, 0, s.HIGH),        # 不合格 by score
    (Decimal(95), True, False, 0, s.HIGH),         # 不合格 by veto
    (Decimal(95), False, True, 0, s.HIGH),         # 优秀 but the lab comparison failed
    (Decimal(75), False, True, 0, s.HIGH),         # 合格, lab failed
    (Decimal(95), False, False, 0, s.LOW),         # 优秀
    (Decimal(75), False, False, 8, s.HIGH),        # 合格, 8 of 8 key indicators with problems
    (Decimal(75), False, False, 7, s.HIGH),        # 7 (含7项)
    (Decimal(75), False, False, 6, s.MEDIUM),
    (Decimal(75), False, False, 1, s.MEDIUM),
    (Decimal(75), False, False, 0, s.LOW),         # 合格 and none
])
def test_risk(total, veto_fail, lab_failed, key_problems, risk):
    v = with_total(total)
    if key_problems:
        # take the key-indicator deductions back from other general items so the total holds
        v = _key_problems(with_total(total + Decimal("0.5") * key_problems), key_problems)
    if veto_fail:
        v[1] = s.NOT_CONFORM
    a4 = s.attachment4(v, lab_failed=lab_failed)
    assert a4.total == total
    assert len(a4.key_indicator_problems) == key_problems
    assert a4.risk == risk


def test_excellent_with_key_problems_is_still_low_risk():
    v = _key_problems(with_total(Decimal(97)), 8)  # 93 in all, 8 key problems
    a4 = s.attachment4(v)
    assert a4.band == s.EXCELLENT and a4.risk == s.LOW


def test_incomplete_sheet_has_no_band_or_risk():
    v = full_marks()
    del v[87], v[94]
    a4 = s.attachment4(v)
    assert a4.missing == [87, 94] and a4.band is None and a4.risk is None


def test_item_87_is_worth_1_5_and_deductions_cap_there():
    # the text says "1.0分扣完为止" but attachment 4 needs 1.5 (part 3: 12 key items, 18 points)
    assert s.points(87) == Decimal("1.5")
    assert s.item_score(87, occurrences=3) == Decimal("0.60")      # 3 × 0.3 off 1.5
    assert s.item_score(87, occurrences=4) == Decimal("0.30")      # 1.2 off: below what a 1.0 cap would allow
    assert s.item_score(87, occurrences=9) == Decimal("0.00")      # capped at the item's 1.5
    v = full_marks()
    assert s.attachment4(v).parts[2].key_max == 18


@pytest.mark.parametrize("no, kw, expect", [
    (50, {"direct": "1.0"}, Decimal("1.00")),
    (5, {"occurrences": 1, "per_occurrence": "0.5"}, Decimal("1.00")),
    (5, {"occurrences": 2, "per_occurrence": "0.2"}, Decimal("1.10")),
    (5, {"occurrences": 10, "per_occurrence": "0.5"}, Decimal("0.00")),
    (5, {}, None),
])
def test_item_score(no, kw, expect):
    assert s.item_score(no, **kw) == expect


@pytest.mark.parametrize("no, kw, words", [
    (5, {"direct": "1.6"}, "0 到 1.5"),
    (5, {"direct": "-0.1"}, "0 到 1.5"),
    (5, {"occurrences": 1}, "请选择每处扣分"),        # method names 0.5 and 0.2
    (5, {"occurrences": 1, "per_occurrence": "2"}, "不超过"),
    (5, {"occurrences": -1, "per_occurrence": "0.5"}, "不能为负"),
    (94, {"direct": "1"}, "否决项"),
])
def test_item_score_refuses_out_of_range(no, kw, words):
    with pytest.raises(s.ScoreError, match=words):
        s.item_score(no, **kw)


def test_deduction_steps_read_from_the_method():
    assert s.deduction_steps(5) == [Decimal("0.5"), Decimal("0.2")]
    assert s.deduction_steps(87) == [Decimal("0.3")]
