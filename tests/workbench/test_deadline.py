"""Seed 002 §5: the group's results are due 5 Chinese working days after its check; unsigned
work past that day is overdue (the same work calendar as the 48-hour intake)."""
from __future__ import annotations

import datetime as dt

from workbench.review import rules
from workbench.review.models import ReviewGroup


def test_due_five_working_days_after_the_check_across_national_day(group):
    # 2023-09-28 (Thu): 9/29–10/6 are holidays, 10/7 (Sat) and 10/8 (Sun) are make-up working days
    assert rules.due_date(group) == dt.date(2023, 10, 11)   # 10/7, 10/8, 10/9, 10/10, 10/11
    group.check_date = dt.date(2023, 11, 1)                  # Wed, an ordinary week: Thu, Fri, Mon, Tue, Wed
    assert rules.due_date(group) == dt.date(2023, 11, 8)


def test_overdue_only_when_unsigned_and_past_the_due_day(group):
    due = dt.date(2023, 10, 11)
    assert not rules.overdue(group, signed=False, today=due)
    assert rules.overdue(group, signed=False, today=due + dt.timedelta(days=1))
    assert not rules.overdue(group, signed=True, today=due + dt.timedelta(days=30))


def test_no_check_date_no_deadline(people):
    g = ReviewGroup.objects.create(name="无日期", leader=people["lead"])
    assert rules.due_date(g) is None and not rules.overdue(g, signed=False)
