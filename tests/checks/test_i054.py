"""i054_basics (checks/i054_basics.py): headcount, output and size in the report agree with
the field survey."""
from __future__ import annotations

from tests.checks.report_basics_records import V, check, out_row, records, report, survey


def both(r_head=320, s_head=320, r_out=(80000.0, "t/a", "年产水泥8万吨"), s_out=(80000.0, "t/a", "年产8万t"),
         r_size="小型", s_size="小型"):
    rb = {"headcount": V(r_head, 8, raw=f"劳动定员{r_head}人"), "size": V(r_size, 8, raw=f"企业规模：{r_size}"),
          "operating": V("检测期间生产设备正常运行，生产负荷约85%。", 8)}
    sb = {"headcount": V(s_head, 3, raw=f"劳动定员：{s_head}人"), "size": V(s_size, 3, raw=f"规模 {s_size}")}
    return records(report(basics=rb, output=[out_row(*r_out, 8)] if r_out else []),
                   survey(basics=sb, output=[out_row(*s_out, 3)] if s_out else []))


def test_agreeing_basics_are_silent():
    assert check(both(), "i054_basics") == []
    # the same output printed another way: 80000吨 = 8万t
    assert check(both(r_out=(80000.0, "t", "年产量80000吨")), "i054_basics") == []


def test_headcount_differs():
    (f,) = check(both(r_head=320, s_head=230), "i054_basics")
    assert f.code == "report.basics_mismatch" and f.indicator == 54
    assert "320" in f.message and "230" in f.message and "第8页" in f.message and "第3页" in f.message
    assert {e.page for e in f.evidence} == {3, 8}


def test_output_differs():
    (f,) = check(both(r_out=(50000.0, "t/a", "年产水泥5万吨")), "i054_basics")
    assert "5万t/年" in f.message and "8万t/年" in f.message


def test_output_in_other_units_is_not_compared():
    assert check(both(r_out=(50000.0, "件/a", "年产铸件5万件")), "i054_basics") == []


def test_size_differs():
    (f,) = check(both(r_size="中型"), "i054_basics")
    assert "中型" in f.message and "小型" in f.message


def test_report_silent_on_a_fact_says_nothing_and_unread_survey_cannot_decide():
    rec = records(report(basics={}), survey(basics={"headcount": V(230, 3)}))
    assert check(rec, "i054_basics") == []
    rec = records(report(basics={"headcount": V(320, 8, raw="劳动定员320人")}), survey(basics={}))
    (f,) = check(rec, "i054_basics")
    assert f.code == "check.cannot_decide" and "劳动定员320人" in f.message
