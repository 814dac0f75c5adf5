"""i058_work_content (checks/i058_work_content.py): every post's work content is in the
report's post analysis."""
from __future__ import annotations

import pytest

from tests.checks.post_records import SURVEY, arow, bundle, codes, run

ONLY = ["i058_work_content"]


def test_every_post_with_content_is_silent():
    table = [arow("混合工(1#线)", content="操作混合机"), arow("混合工(2#线)", content="巡检"),
             arow("切割岗位", content="切割")]
    assert run(bundle(SURVEY, table=table), ONLY) == []


@pytest.mark.parametrize("mark", ["", "/", "—"])
def test_blank_content_cell(mark):
    table = [arow("混合工(1#线)", content="操作混合机"), arow("混合工(2#线)", content=mark), arow("切割工", content="切割")]
    f = run(bundle(SURVEY, table=table), ONLY)
    assert codes(f) == [("report.work_content_incomplete", 58)]
    assert "混合工(2#线)" in f[0].message and "混合工(1#线)" not in f[0].message
    assert {e.page for e in f[0].evidence} == {10} and all(e.bbox for e in f[0].evidence)


def test_post_left_out_of_the_sentences():
    sent = [arow("混合工(1#线)", content="操作混合机"), arow("切割工", content="切割")]
    f = run(bundle(SURVEY, sentences=sent), ONLY)
    assert codes(f) == [("report.work_content_incomplete", 58)]
    assert "“混合工(2#线)”" in f[0].message and "未列出" in f[0].message
    assert 3 in f[0].pages and 10 in f[0].pages


def test_post_named_with_others_or_unsure_is_not_missing():
    sent = [arow("混合工(1#线)", content="操作混合机"), arow("切割工", content="切割"), arow("混合工(2#线)")]
    assert run(bundle(SURVEY, sentences=sent), ONLY) == []
    # a report name matching two survey posts: either may be the one analysed
    sent = [arow("混合工", content="操作混合机"), arow("切割工", content="切割")]
    assert run(bundle(SURVEY, sentences=sent), ONLY) == []


def test_no_content_analysis_is_silent():
    table = [arow("混合工(1#线)", workers=2.0), arow("切割工", workers=7.0)]
    assert run(bundle(SURVEY, table=table), ONLY) == []


def test_content_read_in_the_other_table_is_not_blank():
    table = [arow("混合工(1#线)", content="操作混合机"), arow("混合工(2#线)", content="巡检"), arow("切割工", content="/")]
    sent = [arow("切割工", content="切割、掰边")]
    assert run(bundle(SURVEY, table=table, sentences=sent), ONLY) == []


def test_unread_survey_cannot_decide():
    f = run(bundle([], table=[arow("切割工", content="切割")]), ONLY)
    assert codes(f) == [("check.cannot_decide", 58)]
