"""i060_exposure (checks/i060_exposure.py): the report's exposure analysis per post
agrees with the survey's exposure times and lists the factors tested there."""
from __future__ import annotations

from tests.checks.post_records import SURVEY, arow, bundle, codes, noise, result, run

ONLY = ["i060_exposure"]
RESULTS = [result("混合工(1#线)", "矽尘(总尘)"), result("混合工(1#线)", "矽尘(呼尘)"), result("切割工", "一氧化碳")]
NOISE = [noise("混合工(1#线)"), noise("切割工")]


def test_agreeing_analysis_is_silent():
    table = [arow("混合工(1#线)", hours=8.0, factors="矽尘(总尘)、矽尘(呼尘)、噪声"),
             arow("混合工(2#线)", hours=7.0, factors="矽尘"), arow("切割工", hours=6.5, factors="一氧化碳、噪声")]
    assert run(bundle(SURVEY, table=table, results=RESULTS, noise_rows=NOISE), ONLY) == []


def test_a_class_or_bare_substance_covers_its_members():
    table = [arow("混合工(1#线)", factors="粉尘、噪声"), arow("切割工", factors="CO、一氧化碳、噪声")]
    assert run(bundle(SURVEY, table=table, results=RESULTS, noise_rows=NOISE), ONLY) == []


def test_exposure_time_differs():
    table = [arow("混合工(1#线)", hours=8.0), arow("切割工", hours=8.0)]
    f = run(bundle(SURVEY, table=table), ONLY)
    assert codes(f) == [("report.exposure_mismatch", 60)]
    assert "切割工" in f[0].message and "8 h/d" in f[0].message and "6.5 h" in f[0].message
    assert "混合工(1#线)" not in f[0].message
    assert {e.page for e in f[0].evidence} == {3, 10}


def test_factor_tested_at_the_post_left_out():
    table = [arow("混合工(1#线)", hours=8.0, factors="矽尘(总尘)、噪声"), arow("切割工", factors="一氧化碳、噪声")]
    f = run(bundle(SURVEY, table=table, results=RESULTS, noise_rows=NOISE), ONLY)
    assert codes(f) == [("report.exposure_mismatch", 60)]
    assert "矽尘(呼尘)" in f[0].message and "混合工(1#线)" in f[0].message and "切割工" not in f[0].message
    assert {e.page for e in f[0].evidence} == {10, 11}


def test_noise_left_out_and_unread_factor_cell():
    table = [arow("切割工", factors="一氧化碳"), arow("混合工(1#线)", factors=None)]
    f = run(bundle(SURVEY, table=table, results=RESULTS, noise_rows=NOISE), ONLY)
    assert codes(f) == [("report.exposure_mismatch", 60)]
    assert "“噪声”" in f[0].message and "切割工" in f[0].message and "混合工" not in f[0].message


def test_unread_survey_times_cannot_decide():
    f = run(bundle([], table=[arow("切割工", hours=8.0)]), ONLY)
    assert codes(f) == [("check.cannot_decide", 60)]


def test_no_analysis_is_silent():
    assert run(bundle(SURVEY, results=RESULTS, noise_rows=NOISE), ONLY) == []
