"""i057_shift_headcount (checks/i057_shift_headcount.py): the report's 劳动定员 and 工作班制
per post agree with the survey's."""
from __future__ import annotations

import pytest

from checks._posts import parse_shift, shifts_differ
from tests.checks.post_records import SURVEY, arow, bundle, codes, run, srow

ONLY = ["i057_shift_headcount"]


def test_equal_values_in_other_words_are_silent():
    table = [arow("混合工(1#线)", workers=2.0, shift="3班2运转"), arow("混合岗位(2#线)", workers=3.0, shift="两班倒"),
             arow("切割工", workers=7.0, shift="长白班，每班8小时")]
    assert run(bundle(SURVEY, table=table), ONLY) == []


def test_headcount_differs():
    table = [arow("混合工(1#线)", workers=2.0, shift="三班两运转"), arow("混合工(2#线)", workers=6.0, shift="两班制")]
    f = run(bundle(SURVEY, table=table), ONLY)
    assert codes(f) == [("report.shift_mismatch", 57)]
    m = f[0].message
    assert "混合工(2#线)" in m and "6人" in m and "3人" in m and "混合工(1#线)" not in m
    assert {e.page for e in f[0].evidence} == {3, 10} and all(e.bbox for e in f[0].evidence)
    assert set(f[0].pages) == {3, 10}


def test_shift_differs_in_a_sentence_row():
    sent = [arow("切割工", workers=7.0, shift="两班制，8h/班", content="切割")]
    f = run(bundle(SURVEY, sentences=sent), ONLY)
    assert codes(f) == [("report.shift_mismatch", 57)]
    assert "“两班制，8h/班”" in f[0].message and "“常白班”" in f[0].message


def test_posts_on_other_lines_are_not_mixed_up():
    # 混合工(2#线) is not 混合工(1#线): its headcount is compared with its own row only
    table = [arow("混合工(2#线)", workers=3.0)]
    assert run(bundle(SURVEY, table=table), ONLY) == []
    # a name matching two survey posts equally is not compared at all
    table = [arow("混合工", workers=9.0)]
    assert run(bundle(SURVEY, table=table), ONLY) == []


def test_no_analysis_is_silent_and_unread_survey_cannot_decide():
    assert run(bundle(SURVEY), ONLY) == []
    f = run(bundle([], table=[arow("切割工", workers=7.0)]), ONLY)
    assert codes(f) == [("check.cannot_decide", 57)]


def test_unparsed_values_are_not_compared():
    table = [arow("切割工", workers=None, shift="按生产安排")]
    assert run(bundle(SURVEY, table=table), ONLY) == []


@pytest.mark.parametrize("a,b,differ", [
    ("两班制", "两班倒", False), ("两班制", "2班制", False), ("两班制", "二班两运转", False),
    ("三班两运转", "两班制", True), ("四班三运转", "三班制", True), ("常白班", "单班制", False),
    ("三班两运转，8h/班", "三班两运转，12h/班", True), ("常白班", "两班制", True), ("三班制", "三班两运转", True),
    ("四班三运转", "三班两运转", True), ("三班", "三班两运转", False), ("按需", "两班制", False),
])
def test_shift_meaning(a, b, differ):
    assert shifts_differ(a, b) is differ and shifts_differ(b, a) is differ


def test_shift_parse():
    assert parse_shift("四班三运转，8h/班") == parse_shift("四班三倒 每班8小时")
    assert parse_shift("单班制").shifts == 1 and parse_shift("三班两运转").crews == 3
