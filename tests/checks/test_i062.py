"""i062_limits / i062_judgement (checks/i062_limits_judgement.py): printed limits and
judgements against the domain limits, on text layers and scans."""
from __future__ import annotations

from checks import _shared_lab as S
from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, LabSheet, ReportRecord, ValState
from tests.synth import line, page
from tests.checks.lab_records import _ocr_page, codes, missing, R, run, sections, V


def _result(factor, c_twa, limit_twa, judgement, c_stel=None, limit_stel=None):
    f = dict(post="熔化工", site="炉前", factor=factor, c_twa=V(c_twa, 9, raw=str(c_twa)),
             limit_twa=V(limit_twa, 9, raw=f"{limit_twa:g}"), judgement=judgement)
    if c_stel is not None:
        f["c_stel"] = V(c_stel, 9, raw=str(c_stel))
    if limit_stel is not None:
        f["limit_stel"] = V(limit_stel, 9, raw=f"{limit_stel:g}")
    return R(9, **f)


def _report(*rows, noise=()):
    return BundleRecords(report=ReportRecord(results=list(rows), noise=list(noise), pages=(9,)))


def test_wrong_limit():
    f = run(_report(_result("一氧化碳", 12.1, 100.0, "合格", 15.9, 30.0)), ["i062_limits"])
    assert codes(f) == ["report.wrong_limit"] and f[0].indicator == 62
    assert "100" in f[0].message and "20" in f[0].message and f[0].evidence[0].page == 9
    assert run(_report(_result("一氧化碳", 12.1, 20.0, "合格", 15.9, 30.0)), ["i062_limits"]) == []
    # 铝尘 has two GBZ rows (metal 3, oxide 4): either is accepted
    assert run(_report(_result("铝尘(总尘)", 0.5, 4.0, "合格")), ["i062_limits"]) == []
    # welding fume now has its GBZ 2.1 value (S40): right is right, wrong is wrong
    assert run(_report(_result("电焊烟尘", 0.5, 4.0, "合格")), ["i062_limits"]) == []
    f = run(_report(_result("电焊烟尘", 0.5, 6.0, "合格")), ["i062_limits"])
    assert codes(f) == ["report.wrong_limit"] and "4" in f[0].message
    f = run(BundleRecords(report=ReportRecord(pages=(9,))), ["i062_limits"])
    assert codes(f) == [CANNOT_DECIDE]


def test_silica_bands_at_one_post_must_agree():
    def dust(frac, lim):
        return R(9, post="混合工", site="混合机", factor=f"矽尘({frac})", c_twa=V(0.1, 9, raw="0.10"),
                 limit_twa=V(lim, 9, raw=f"{lim:g}"), judgement="合格")
    # total 0.7 and respirable 0.3: the 50–80 % band, consistent
    assert run(_report(dust("总尘", 0.7), dust("呼尘", 0.3)), ["i062_limits"]) == []
    # total 1 (10–50 %) with respirable 0.3 (50–80 %): one of them is wrong
    f = run(_report(dust("总尘", 1.0), dust("呼尘", 0.3)), ["i062_limits"])
    assert codes(f) == ["report.wrong_limit"] and "矽尘(总尘)" in f[0].message


def test_judgement_wrong():
    f = run(_report(_result("一氧化碳", 34.9, 20.0, "合格", 40.9, 30.0)), ["i062_judgement"])
    assert codes(f) == ["report.judgement_wrong"] and f[0].indicator == 62
    assert "34.9" in f[0].message and "合格" in f[0].message
    assert run(_report(_result("一氧化碳", 34.9, 20.0, "不合格", 40.9, 30.0)), ["i062_judgement"]) == []
    f = run(_report(_result("铅尘", 0.01, 0.05, "不合格")), ["i062_judgement"])
    assert codes(f) == ["report.judgement_wrong"]
    assert run(_report(_result("铅尘", 0.05, 0.05, "合格")), ["i062_judgement"]) == []  # ≤ limit complies
    noise = R(9, post="投料工", site="窑头", lex8h=V(88.1, 9, raw="88.1"), limit=V(85.0, 9, raw="85"),
              judgement="合格")
    f = run(_report(noise=[noise]), ["i062_judgement"])
    assert codes(f) == ["report.judgement_wrong"] and "88.1" in f[0].message
    # 784.6 for 84.6 (a stroke read as a 7): no workplace has it, so no verdict rests on it
    misread = R(9, post="压缩工", site="压缩机房", lex8h=V(784.6, 9, raw="784.6"), limit=V(85.0, 9, raw="85"),
                judgement="合格")
    assert run(_report(noise=[noise.model_copy(update={"fields": {**noise.fields, "judgement": V("不合格", 9)}}),
                              misread]), ["i062_judgement"]) == []
    unreadable = R(9, post="熔化工", factor="一氧化碳", judgement=missing("cell judgement empty", None, ValState.EMPTY))
    assert codes(run(_report(unreadable), ["i062_judgement"])) == [CANNOT_DECIDE]



def test_weak_library_value_is_cannot_decide_not_a_verdict():
    # 甲醛 has MAC 0.5 from one weak source the domain file calls provisional: a printed 1
    # is not judged wrong; the expert is told both values and decides
    def mac(limit):
        return R(9, post="热压工", site="热压机", factor="甲醛", c_stel=V(0.42, 9, raw="0.42"),
                 limit_stel=V(limit, 9, raw=f"{limit:g}"), judgement="合格")
    f = run(_report(mac(1.0)), ["i062_limits"])
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 62
    assert "0.5" in f[0].message and "1" in f[0].message and "弱来源" in f[0].message
    assert run(_report(mac(0.5)), ["i062_limits"]) == []


def _sio2_page(no, text):
    return page(no, [line(text, (50.0, 100.0, 300.0, 110.0))], source="ocr")


def test_silica_band_from_the_measured_content():
    secs = sections(("field_survey", [4]), ("report", [9]))

    def dust(lim, post="抛丸工"):
        return R(9, post=post, site="抛丸机", factor="矽尘(总尘)", c_twa=V(0.17, 9, raw="0.17"),
                 limit_twa=V(lim, 9, raw=f"{lim:g}"), judgement="合格")
    measured = [_sio2_page(4, "游离SiO2含量测定结果:58.8%")]
    f = run(_report(dust(1.0)), ["i062_limits"], secs=secs, pages=measured)
    assert codes(f) == ["report.wrong_limit"] and "58.8%" in f[0].message and "0.7" in f[0].message
    assert run(_report(dust(0.7)), ["i062_limits"], secs=secs, pages=measured) == []
    # no content stated, or contents in two bands: every band's value is accepted
    assert run(_report(dust(1.0)), ["i062_limits"], secs=secs) == []
    two = measured + [_sio2_page(9, "游离二氧化硅含量为30.2%")]
    assert run(_report(dust(1.0)), ["i062_limits"], secs=secs, pages=two) == []


def test_scanned_limit_with_a_stray_decimal_point():
    # 二甲苯 PC-STEL 100 read "1.00" on a scan: neither a wrong limit nor, judged against
    # it, a wrong judgement; on a text layer the same print is pre-flagged
    row = R(9, post="调漆工", site="调漆间", factor="二甲苯", c_twa=V(2.0, 9, raw="2.0"),
            c_stel=V(4.5, 9, raw="4.5"), limit_twa=V(50.0, 9, raw="50"), limit_stel=V(1.0, 9, raw="1.00"),
            judgement="合格")
    scan = [_ocr_page(9)]
    assert run(_report(row), ["i062_limits", "i062_judgement"], pages=scan) == []
    f = run(_report(row), ["i062_limits"])
    assert codes(f) == ["report.wrong_limit"] and "1.00" in f[0].message and "100" in f[0].message


def test_misread_factor_name_matched_through_the_bundles_other_readings():
    # the report's "一氯化碳" (氧 read 氯) is the plan's / lab's 一氧化碳: compared, not cannot-decide
    def with_lab(r):
        return BundleRecords(report=ReportRecord(results=[r], pages=(9,)),
                             lab_sheets=[LabSheet(factor=V("一氧化碳", 5), pages=(5,))])
    row = _result("一氯化碳", 12.1, 20.0, "合格", 15.9, 30.0)
    assert run(with_lab(row), ["i062_limits"]) == []
    bad = _result("一氯化碳", 12.1, 100.0, "合格", 15.9, 30.0)
    assert codes(run(with_lab(bad), ["i062_limits"])) == ["report.wrong_limit"]
    # nothing else in the bundle to go by: a person decides
    assert codes(run(_report(row), ["i062_limits"])) == [CANNOT_DECIDE]


def test_limit_without_a_sourced_value_is_cannot_decide(monkeypatch):
    """A CSV row the domain marks not-found (no retrievable source) is never a wrong_limit."""
    rows = S.limit_rows()
    gap = S.LimitRow(name="某待补物质", kind="chemical", status="not-found", aliases=("某待补物质",))
    monkeypatch.setattr(S, "limit_rows", lambda: rows + (gap,))
    f = run(_report(_result("某待补物质", 0.5, 4.0, "合格")), ["i062_limits"])
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 62
