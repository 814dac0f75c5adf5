"""Lab / calculation / limit checks (i062, i068, i069, i073, i074, i094) on hand-built records."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks import _shared_lab as S
from checks.base import CANNOT_DECIDE, run_checks
from extractors.records import (
    BundleRecords,
    CalcRecord,
    LabSheet,
    ReportRecord,
    Row,
    SamplingSheet,
    TransferRecord,
    Val,
)
from pipeline.ocr_tolerance import shift_point
from pipeline.types import Line, Page, SampleLedgerEntry, Section

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT.parent / "shared" / "domain"

D1 = dt.date(2022, 4, 15)


def V(value, page=1, raw=None, conf=1.0, reason=None):
    return Val(value=value, page=page, raw=str(value) if raw is None else raw, conf=conf, reason=reason,
               bbox=(10.0, 10.0, 50.0, 20.0) if value is not None else None)


def R(page=1, **fields):
    f = {k: (v if isinstance(v, Val) else V(v, page)) for k, v in fields.items()}
    return Row(fields=f, page=page, bbox=(10.0, 10.0, 500.0, 20.0))


def missing(reason, page=None):
    return Val.missing(reason, page)


def sections(*types_pages):
    return [Section(type=t, pages=tuple(p)) for t, p in types_pages]


ALL_SECTIONS = sections(("sampling_record", [3]), ("sample_transfer", [4]), ("lab_analysis", [5]),
                        ("data_calculation", [6]), ("report", [7]))


def run(records, only, *, secs=ALL_SECTIONS, ledger=(), pages=()):
    cr = run_checks(records, {}, sections=secs, ledger=ledger, pages=pages, only=only)
    assert not cr.errors, cr.errors
    return cr.findings


def codes(findings):
    return sorted(f.code for f in findings)


# ------------------------------------------------------------------ shared helpers


def test_shipped_limit_csvs_match_domain():
    if not DOMAIN.is_dir():
        pytest.skip("shared/domain not present")
    for name in ("oel_gbz2.1-2019.csv", "dust_oel_gbz2.1-2019.csv"):
        shipped = (ROOT / "checks" / "data" / name).read_bytes()
        assert shipped == (DOMAIN / name).read_bytes(), f"checks/data/{name} differs from shared/domain"


def test_factor_matching():
    m = S.match_limits("铅尘")
    assert m and m.allowed("limit_twa") == {0.05}
    m = S.match_limits("二甲苯")  # CSV: 二甲苯（全部异构体）
    assert m and m.allowed("limit_twa") == {50.0} and m.allowed("limit_stel") == {100.0}
    m = S.match_limits("矽尘（呼尘）")  # every SiO2 band is allowed: the band is not guessed
    assert m and m.fraction == S.FRACTION_RESP and m.allowed("limit_twa") == {0.7, 0.3, 0.2}
    m = S.match_limits("氯化氢")
    assert m and m.allowed("limit_stel") == {7.5} and not m.allowed("limit_twa")
    m = S.match_limits("苯")  # the unverified amendment value is accepted as well
    assert m and m.allowed("limit_twa") == {6.0, 3.0}
    assert S.match_limits("电焊烟尘").unverified
    assert S.match_limits("甲醛").weak
    assert S.match_limits("不存在的物质") is None
    assert S.match_limits("铅烟").allowed("limit_twa") == {0.03}


def test_judgement_words_and_decimals():
    assert S.judged_over("合格") is False and S.judged_over("符合") is False
    assert S.judged_over("不合格") is True and S.judged_over("超标") is True
    assert S.judged_over("未超标") is False and S.judged_over("") is None
    assert S.decimals_of(V(0.01, raw="0.010")) == 3
    assert S.decimals_of(V(2.0, raw="2.0")) == 1


# ------------------------------------------------------------------ i094


def _sampling(ids, blanks=(), page=3, date=D1):
    rows = [R(page, sample_id=i, is_blank=V(i in blanks, page)) for i in ids]
    return SamplingSheet(date=V(date, page), rows=rows, pages=(page,))


COUNT_SECTIONS = sections(("sampling_record", [3]), ("sample_transfer", [4]), ("lab_analysis", [5]), ("report", [7]))


def _counts_records(lab_ids, report_ids=None):
    report_ids = ["A1", "A2", "A3"] if report_ids is None else report_ids
    return BundleRecords(
        sampling_records=[_sampling(["A1", "A2", "A3", "A9"], blanks={"A9"})],
        sample_transfers=[TransferRecord(rows=[R(4, sample_id=i) for i in ["A1", "A2", "A3", "A9"]], pages=(4,))],
        lab_sheets=[LabSheet(factor=V("苯", 5), rows=[R(5, sample_id=i) for i in lab_ids], pages=(5,))],
        report=ReportRecord(results=[R(7, post="岗位", sample_ids=V(report_ids, 7))], pages=(7,)),
    )


def test_sample_counts_names_missing_ids():
    f = run(_counts_records(["A1", "A2", "A9"], ["A1", "A2"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"]
    x = f[0]
    assert x.indicator == 94 and x.veto
    assert "A3" in x.message and "现场采样记录共 3 个样品" in x.message and "实验室分析记录 2 个" in x.message
    assert x.evidence[0].page == 3


def test_sample_counts_quiet_when_all_present_and_blank_not_reported():
    assert run(_counts_records(["A1", "A2", "A3", "A9"]), ["i094_sample_counts"], secs=COUNT_SECTIONS) == []


def test_sample_counts_ledger_covers_unread_table_row():
    # the lab table lost A3's row, but the ledger saw A3 on the lab page: not missing
    ledger = [SampleLedgerEntry(sample_id=i, seen={"lab_analysis": (5,)}) for i in ["A1", "A2", "A3", "A9"]]
    assert run(_counts_records(["A1", "A2", "A9"]), ["i094_sample_counts"], secs=COUNT_SECTIONS, ledger=ledger) == []


def test_sample_counts_names_unsampled_ids_of_the_bundle_numbering():
    rec = _counts_records(["A1", "A2", "A3", "A9", "B77", "QC01"]).model_copy(update={"sample_id_pattern": r"[AB]\d+"})
    f = run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"]
    assert "B77" in f[0].message and "QC01" not in f[0].message and f[0].evidence[0].page == 5
    # one digit away from a sampled id: an OCR slip, not a sample
    rec = _counts_records(["A1", "A2", "A3", "A9", "A4"]).model_copy(update={"sample_id_pattern": r"[AB]\d+"})
    assert run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS) == []


def test_sample_counts_reads_id_ranges():
    # the transfer record lists "A1～A3" in one cell: A2 was transferred too
    rec = _counts_records(["A1", "A2", "A3", "A9"]).model_copy(update={"sample_id_pattern": r"A\d"})
    rng = TransferRecord(rows=[R(4, sample_id=V("A1", 4, raw="A1～A3")), R(4, sample_id="A9")], pages=(4,))
    assert run(rec.model_copy(update={"sample_transfers": [rng]}), ["i094_sample_counts"], secs=COUNT_SECTIONS) == []
    short = TransferRecord(rows=[R(4, sample_id=V("A1", 4, raw="A1")), R(4, sample_id="A9")], pages=(4,))
    f = run(rec.model_copy(update={"sample_transfers": [short]}), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "A2、A3" in f[0].message


def test_sample_counts_cannot_decide_without_ids():
    rec = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, 3), rows=[], pages=(3,))])
    f = run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 94


# ------------------------------------------------------------------ i068


def _lab(receipt, analysis=None, ids=("A1", "A2"), page=5, **kw):
    return LabSheet(factor=V("苯", page), receipt_date=V(receipt, page) if receipt else missing("接收日期: label not found"),
                    analysis_date=V(analysis or receipt, page) if (analysis or receipt) else missing("x"),
                    rows=[R(page, sample_id=i) for i in ids], pages=(page,), **kw)


def test_lab_received_before_sampling():
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(D1 - dt.timedelta(days=2), D1)])
    f = run(rec, ["i068_lab_receipt"])
    assert codes(f) == ["lab.received_before_sampling"]
    assert f[0].indicator == 68 and f[0].evidence[0].page == 5 and "A1" in f[0].message
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(D1)])
    assert run(rec, ["i068_lab_receipt"]) == []
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(None, D1)])
    assert codes(run(rec, ["i068_lab_receipt"])) == [CANNOT_DECIDE]


def test_analysed_after_storage_period():
    late = _lab(D1, D1 + dt.timedelta(days=5), storage_days=V(3, 5, raw="保存期限3天"))
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[late])
    f = run(rec, ["i068_storage_period"])
    assert codes(f) == ["lab.analysed_after_storage_period"] and "3 天" in f[0].message
    ok = _lab(D1, D1 + dt.timedelta(days=2), storage_days=V(3, 5, raw="保存期限3天"))
    assert run(BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[ok]), ["i068_storage_period"]) == []
    # no period stated anywhere: nothing to compare with, no finding
    none = _lab(D1, D1 + dt.timedelta(days=40), storage_days=missing("storage period not stated"))
    assert run(BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[none]), ["i068_storage_period"]) == []


def test_transfer_before_sampling():
    tr = TransferRecord(date=V(D1 - dt.timedelta(days=1), 4), rows=[R(4, sample_id="A1")], pages=(4,))
    rec = BundleRecords(sampling_records=[_sampling(["A1"])], sample_transfers=[tr])
    assert codes(run(rec, ["i068_transfer_receipt"])) == ["transfer.received_before_sampling"]
    tr = TransferRecord(date=V(D1, 4), rows=[R(4, sample_id="A1")], pages=(4,))
    assert run(BundleRecords(sampling_records=[_sampling(["A1"])], sample_transfers=[tr]), ["i068_transfer_receipt"]) == []


# ------------------------------------------------------------------ i069


def _page(no, image_lines=True):
    lines = [Line(text="张三", raw="张三", bbox=(100.0, 300.0, 130.0, 310.0), origin="image")] if image_lines else []
    return Page(no=no, source="text", width=595.0, height=842.0, lines=tuple(lines))


def _slot(role, page=5):
    return Val(value=None, page=page, bbox=(50.0, 300.0, 90.0, 310.0), raw=role,
               reason=f"{role} slot present but no name in the text layer: a hand signature is an image there")


def test_lab_missing_signature():
    sh = _lab(D1, analyst=V("张三", 5), reviewer=_slot("复核人"))
    f = run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5)])
    assert codes(f) == ["lab.missing_signature"] and f[0].indicator == 69 and f[0].evidence[0].page == 5
    sh = _lab(D1, analyst=V("张三", 5), reviewer=V("李四", 5))
    assert run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5)]) == []
    # both unread and the page's images never OCR'd: cannot decide, not "unsigned"
    sh = _lab(D1, analyst=_slot("检验人"), reviewer=_slot("复核人"))
    f = run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5, image_lines=False)])
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 69


def test_lab_analysed_before_receipt():
    sh = _lab(D1, D1 - dt.timedelta(days=1), ids=())
    assert codes(run(BundleRecords(lab_sheets=[sh]), ["i069_lab_dates"])) == ["lab.analysed_before_receipt"]
    assert run(BundleRecords(lab_sheets=[_lab(D1, D1)]), ["i069_lab_dates"]) == []


# ------------------------------------------------------------------ i074 / i095


def _qc_sheet(blank, qc, method="GBZ/T 300.66-2017", instrument="气相色谱仪"):
    return LabSheet(factor=V("苯", 5), method=V(method, 5), instrument=V(instrument, 5), analysis_date=V(D1, 5),
                    receipt_date=V(D1, 5), method_blank=blank, qc=qc, rows=[R(5, sample_id="A1", mass=1.0)],
                    pages=(5,))


def test_lab_qc():
    f = run(BundleRecords(lab_sheets=[_qc_sheet(missing("方法空白: label not found on pages 5"), V("无", 5))]), ["i074_lab_qc"])
    assert codes(f) == ["lab.no_blank", "lab.no_qc"]
    assert {x.code: x.indicator for x in f} == {"lab.no_blank": 95, "lab.no_qc": 74}
    assert run(BundleRecords(lab_sheets=[_qc_sheet(V("未检出", 5), V("加标回收率95.8%", 5))]), ["i074_lab_qc"]) == []
    # weighed dust: no QC sample or spike recovery to take
    grav = _qc_sheet(V("空白滤膜增重0.00 mg", 5), missing("质量控制: label not found"), "GBZ/T 192.1-2007", "电子天平")
    assert run(BundleRecords(lab_sheets=[grav]), ["i074_lab_qc"]) == []
    # a sheet whose header was not read proves nothing
    bare = LabSheet(factor=V("苯", 5), method_blank=missing("not found"), qc=missing("not found"),
                    rows=[R(5, sample_id="A1")], pages=(5,))
    assert codes(run(BundleRecords(lab_sheets=[bare]), ["i074_lab_qc"])) == [CANNOT_DECIDE]


# ------------------------------------------------------------------ i073


def _calc(conc_raw, twa_raw="2022-06-13投料工(窑头投料口):C_TWA = (1.5×2 + 1.8×2) / 8 = 0.83 mg/m³", flow=0.5,
          volume="7.5"):
    row = R(6, sample_id="B1", flow=V(flow, 6), minutes=V(15.0, 6, raw="15"), volume=V(float(volume), 6, raw=volume),
            mass=V(11.12, 6, raw="11.12"), conc=V(float(conc_raw), 6, raw=conc_raw))
    twa = Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6),
                      "value": V(float(twa_raw.rsplit("=", 1)[1].split()[0]), 6, raw=twa_raw)}, page=6)
    return BundleRecords(data_calculation=CalcRecord(rows=[row], twa=[twa], pages=(6,)))


def test_calc_concentration():
    f = run(_calc("2.0"), ["i073_concentration"])
    assert codes(f) == ["calc.not_reproducible"] and f[0].indicator == 73
    assert "B1" in f[0].message and "2.0" in f[0].message and "1.48" in f[0].message
    assert f[0].evidence[0].page == 6
    assert run(_calc("1.5"), ["i073_concentration"]) == []
    # V = Q × t broken (0.5 L/min × 15 min = 7.5 L, printed 9.0 L)
    f = run(_calc("1.24", volume="9.0"), ["i073_concentration"])
    assert codes(f) == ["calc.not_reproducible"] and "9.0 L" in f[0].message
    # mass printed in mg (a unit choice, exactly ×1000): not an arithmetic error
    assert run(_calc("1483"), ["i073_concentration"]) == []


def test_calc_concentration_from_filter_weights():
    def sheet(conc):
        row = R(5, sample_id="D1", before=V("44.798", 5), after=V("45.228", 5), volume=V(639.0, 5, raw="639"),
                conc=V(conc, 5, raw=f"{conc:.2f}"))
        return BundleRecords(lab_sheets=[LabSheet(factor=V("铝尘(总尘)", 5), rows=[row], pages=(5,))])
    assert run(sheet(0.67), ["i073_concentration"]) == []  # 430 µg / 639 L = 0.673
    f = run(sheet(0.90), ["i073_concentration"])
    assert codes(f) == ["calc.not_reproducible"] and "D1" in f[0].message


def test_calc_twa():
    # (1.5×2 + 1.8×2)/8 = 0.825 → 0.82/0.83 are rounding; 1.07 is not
    assert run(_calc("1.5"), ["i073_twa"]) == []
    bad = _calc("1.5", twa_raw="2022-06-13投料工(窑头投料口):C_TWA = (1.5×2 + 1.8×2) / 8 = 1.07 mg/m³")
    f = run(bad, ["i073_twa"])
    assert codes(f) == ["calc.not_reproducible"] and "1.07" in f[0].message and "0.825" in f[0].message
    no_formula = _calc("1.5", twa_raw="投料工(窑头投料口):C_TWA = 0.83 mg/m³")
    assert codes(run(no_formula, ["i073_twa"])) == [CANNOT_DECIDE]


def test_noise_lex_and_report_vs_calc():
    noise = R(7, post="投料工", site="窑头", laeq=V(89.3, 7, raw="89.3"), hours=V(6.0, 7, raw="6"),
              lex8h=V(88.1, 7, raw="88.1"))
    rec = BundleRecords(report=ReportRecord(noise=[noise], pages=(7,)))
    assert run(rec, ["i073_noise_lex"]) == []
    noise = R(7, post="投料工", site="窑头", laeq=V(89.3, 7, raw="89.3"), hours=V(6.0, 7, raw="6"),
              lex8h=V(89.3, 7, raw="89.3"))
    f = run(BundleRecords(report=ReportRecord(noise=[noise], pages=(7,))), ["i073_noise_lex"])
    assert codes(f) == ["calc.not_reproducible"] and "88.1" in f[0].message
    # the calculation line is matched to the report row through its own samples' concentrations
    twa_raw = "2022-06-13投料工(窑头投料口):C_TWA = (1.5×2 + 1.8×2) / 8 = 0.83 mg/m³"
    calc = CalcRecord(rows=[R(6, sample_id="B1", conc=V(1.5, 6, raw="1.5")),
                            R(6, sample_id="B2", conc=V(1.8, 6, raw="1.8"))],
                      twa=[Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6),
                                       "value": V(0.83, 6, raw=twa_raw)}, page=6)], pages=(6,))

    def report(c_twa: str) -> ReportRecord:
        return ReportRecord(results=[R(7, post="投料工", site="窑头投料口", factor="一氧化碳",
                                       c_twa=V(float(c_twa), 7, raw=c_twa), sample_ids=V(["B1", "B2"], 7))],
                            pages=(7,))

    f = run(BundleRecords(data_calculation=calc, report=report("0.95")), ["i073_report_vs_calc"])
    assert codes(f) == ["calc.not_reproducible"] and "0.95" in f[0].message and "0.83" in f[0].message
    assert run(BundleRecords(data_calculation=calc, report=report("0.83")), ["i073_report_vs_calc"]) == []
    # one unit in the last place is another result; a coarser rounding of the same one is not
    assert codes(run(BundleRecords(data_calculation=calc, report=report("0.84")), ["i073_report_vs_calc"])) == [
        "calc.not_reproducible"]
    assert run(BundleRecords(data_calculation=calc, report=report("0.8")), ["i073_report_vs_calc"]) == []


TWA_LINE = "2022-04-15投料工(窑头投料口):C_TWA = (1.5×2 + 1.8×2) / 8 = 0.83 mg/m³"


def _twa_bundle(lines=(TWA_LINE,), factor="一氧化碳"):
    rows = [R(6, sample_id=i, factor=factor, conc=V(c, 6, raw=r)) for i, c, r in
            (("B1", 1.5, "1.5"), ("B2", 1.8, "1.8"), ("B3", 0.4, "0.4"), ("B4", 0.6, "0.6"))]
    twa = [Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6), "factor": V(factor, 6), "date": V(D1, 6),
                       "value": V(float(x.rsplit("=", 1)[1].split()[0]), 6, raw=x)}, page=6) for x in lines]
    samp = SamplingSheet(date=V(D1, 3), rows=[R(3, sample_id=i) for i in ("B1", "B2", "B3", "B4")], pages=(3,))
    return BundleRecords(sampling_records=[samp], data_calculation=CalcRecord(rows=rows, twa=twa, pages=(6,)))


def _twa_report(c, raw=None, ids=("B1", "B2"), page=7, conf=1.0):
    return ReportRecord(results=[R(page, post="投料工", site="窑头投料口", factor="一氧化碳", sample_ids=V(list(ids), page),
                                   c_twa=V(c, page, raw=raw or str(c), conf=conf))], pages=(page,))


def _ocr_page(no):
    return Page(no=no, source="ocr", width=595.0, height=842.0, lines=())


def test_report_vs_calc_needs_the_line_of_the_rows_own_samples():
    # two groups at one post on one day: the report row of B3/B4 is compared with the line
    # that sums B3 and B4, never with the other group's line
    other = "2022-04-15投料工(窑头投料口):C_TWA = (0.4×4 + 0.6×4) / 8 = 0.50 mg/m³"
    rec = _twa_bundle(lines=(TWA_LINE, other))
    assert run(rec.model_copy(update={"report": _twa_report(0.50, "0.50", ids=("B3", "B4"))}),
               ["i073_report_vs_calc"]) == []
    f = run(rec.model_copy(update={"report": _twa_report(0.65, "0.65", ids=("B3", "B4"))}), ["i073_report_vs_calc"])
    assert codes(f) == ["calc.not_reproducible"] and "0.50" in f[0].message
    # OCR lost the B3/B4 line: the B1/B2 line is not this row's, so nothing is compared
    rec = _twa_bundle(lines=(TWA_LINE,))
    assert run(rec.model_copy(update={"report": _twa_report(0.65, "0.65", ids=("B3", "B4"))}),
               ["i073_report_vs_calc"]) == []
    # another factor at the same post is another line
    rep = ReportRecord(results=[R(7, post="投料工", site="窑头投料口", factor="氨", sample_ids=V(["B1", "B2"], 7),
                                  c_twa=V(0.95, 7, raw="0.95"))], pages=(7,))
    assert run(rec.model_copy(update={"report": rep}), ["i073_report_vs_calc"]) == []
    assert codes(run(rec.model_copy(update={"report": _twa_report(0.95)}), ["i073_report_vs_calc"])) == [
        "calc.not_reproducible"]


def test_report_vs_calc_on_a_scan_tolerates_a_moved_decimal_point_only():
    rec = _twa_bundle()
    pages = [_ocr_page(6), _ocr_page(7)]
    # "0.083" (a 0 the scan added) is a reading of 0.83; on a text layer it is an error
    assert run(rec.model_copy(update={"report": _twa_report(0.083, "0.083")}), ["i073_report_vs_calc"], pages=pages) == []
    assert codes(run(rec.model_copy(update={"report": _twa_report(0.083, "0.083")}), ["i073_report_vs_calc"])) == [
        "calc.not_reproducible"]
    # a clean scan read of another digit is not excused: look-alike digits only for doubtful reads
    assert codes(run(rec.model_copy(update={"report": _twa_report(0.88, "0.88")}), ["i073_report_vs_calc"],
                     pages=pages)) == ["calc.not_reproducible"]
    doubtful = _twa_report(0.88, "0.88", conf=0.85)
    assert run(rec.model_copy(update={"report": doubtful}), ["i073_report_vs_calc"], pages=pages) == []


def test_report_short_term_value_comes_from_the_samples():
    rec = _twa_bundle()

    def rep(c, ids=("B1", "B2")):
        return ReportRecord(results=[R(7, post="投料工", site="窑头投料口", factor="一氧化碳", sample_ids=V(list(ids), 7),
                                       c_stel=V(c, 7, raw=str(c)))], pages=(7,))
    assert run(rec.model_copy(update={"report": rep(1.8)}), ["i073_report_short_term"]) == []
    f = run(rec.model_copy(update={"report": rep(2.3)}), ["i073_report_short_term"])
    assert codes(f) == ["calc.not_reproducible"] and f[0].indicator == 73 and "2.3" in f[0].message
    # a sample of the row not read: not checked
    assert run(rec.model_copy(update={"report": rep(2.3, ids=("B1", "B9"))}), ["i073_report_short_term"]) == []
    # a 5-min sample stands for C·t/15 (README R1.5): 1.8 × 5/15 = 0.6
    short = rec.data_calculation.model_copy(update={"rows": [
        r.model_copy(update={"fields": {**r.fields, "minutes": V(5.0, 6, raw="5")}}) for r in rec.data_calculation.rows]})
    assert run(rec.model_copy(update={"data_calculation": short, "report": rep(0.6)}), ["i073_report_short_term"]) == []


def _conc_row(page=6, volume=("366.0", 366.0), mass=("6.39", 6.39), conc=("0.017", 0.017), flow=2.0, minutes=183.0):
    return R(page, sample_id="C1", flow=V(flow, page, raw=f"{flow:.2f}"), minutes=V(minutes, page, raw=f"{minutes:g}"),
             volume=V(volume[1], page, raw=volume[0]), mass=V(mass[1], page, raw=mass[0]),
             conc=V(conc[1], page, raw=conc[0]))


def _calc_only(row):
    return BundleRecords(data_calculation=CalcRecord(rows=[row], pages=(6,)))


def test_concentration_on_a_scan_survives_only_real_discrepancies():
    scan = [_ocr_page(6)]
    # "3.66.0" read for 366.0: junk inside the number has another reading, and V = Q × t confirms it
    assert run(_calc_only(_conc_row(volume=("3.66.0", 3.66))), ["i073_concentration"], pages=scan) == []
    # "11-0.00" read for 110.00 µg: C = 110 / 624 = 0.18 as printed
    row = _conc_row(volume=("624.0", 624.0), mass=("11-0.00", 11.0), conc=("0.18", 0.18), flow=3.0, minutes=208.0)
    assert run(_calc_only(row), ["i073_concentration"], pages=scan) == []
    # a decimal point lost on the scan (0.17 for 0.017) is a reading; on a text layer it is an error
    lost = _conc_row(conc=("0.17", 0.17))
    assert run(_calc_only(lost), ["i073_concentration"], pages=scan) == []
    assert codes(run(_calc_only(lost), ["i073_concentration"])) == ["calc.not_reproducible"]
    # a real error survives every reading, scan or not
    wrong = _conc_row(conc=("0.023", 0.023))
    assert codes(run(_calc_only(wrong), ["i073_concentration"], pages=scan)) == ["calc.not_reproducible"]


def test_volume_contradicting_flow_times_minutes_on_a_scan():
    scan = [_ocr_page(6)]
    # 2 L/min × 183 min = 366 L, printed 300.0 L, and C = 6.39/300 = 0.021 confirms 300 was read right
    f = run(_calc_only(_conc_row(volume=("300.0", 300.0), conc=("0.021", 0.021))), ["i073_concentration"], pages=scan)
    assert codes(f) == ["calc.not_reproducible"] and "300.0 L" in f[0].message
    # printed 306.0 but C agrees with 366 L: the volume was misread, nothing is reported
    misread = _conc_row(volume=("306.0", 306.0))
    assert run(_calc_only(misread), ["i073_concentration"], pages=scan) == []
    assert codes(run(_calc_only(misread), ["i073_concentration"])) == ["calc.not_reproducible"]


def test_concentration_records_read_differently_are_an_ocr_question():
    scan = [_ocr_page(5), _ocr_page(6)]
    calc = CalcRecord(rows=[_conc_row(conc=("0.023", 0.023))], pages=(6,))
    lab = LabSheet(factor=V("铅尘", 5), rows=[_conc_row(page=5, conc=("0.017", 0.017))], pages=(5,))
    assert run(BundleRecords(data_calculation=calc, lab_sheets=[lab]), ["i073_concentration"], pages=scan) == []
    # both records print the same irreproducible C: that is the institution's number
    lab = LabSheet(factor=V("铅尘", 5), rows=[_conc_row(page=5, conc=("0.023", 0.023))], pages=(5,))
    f = run(BundleRecords(data_calculation=calc, lab_sheets=[lab]), ["i073_concentration"], pages=scan)
    assert codes(f) == ["calc.not_reproducible"]


def test_twa_formula_read_from_a_scan():
    scan = [_ocr_page(6)]

    def rec(line, value, concs=(("B1", "3.0"), ("B2", "3.6"), ("B3", "4.6"))):
        twa = Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6), "value": V(value, 6, raw=line)}, page=6)
        rows = [R(6, sample_id=i, conc=V(float(c), 6, raw=c)) for i, c in concs]
        return BundleRecords(data_calculation=CalcRecord(rows=rows, twa=[twa], pages=(6,)))
    # "2:5" is 2.5 (a colon for the decimal point): (3.0×2.5 + 3.6×2.5 + 4.6×2.5)/8 = 3.5
    ok = "2022-06-13投料工(1#线)(窑头投料口):C_TWA =(3.0×2.5+ 3.6×2.5 +4.6×2:5)/8=3.5mg/m³"
    assert run(rec(ok, 3.5), ["i073_twa"], pages=scan) == []
    bad = "2022-06-13投料工(1#线)(窑头投料口):C_TWA =(3.0×2.5+ 3.6×2.5 +4.6×2.5)/8=4.1mg/m³"
    assert codes(run(rec(bad, 4.1), ["i073_twa"], pages=scan)) == ["calc.not_reproducible"]
    # on a scan, a term that is no sample's concentration was misread: no finding
    assert run(rec(bad, 4.1, concs=(("B1", "3.0"), ("B2", "3.6"))), ["i073_twa"], pages=scan) == []
    # "0.21×3+5": a piece that is not one C×T term voids the formula (never read as 0.21×3 + 5)
    junk = "2022-06-13投料工(1#线)(窑头投料口):C_TWA =(0.18×3.5+ 0.21×3+5)/8=0.17 mg/m³"
    assert codes(run(rec(junk, 0.17), ["i073_twa"], pages=scan)) == [CANNOT_DECIDE]


def test_ocr_readings_of_numbers():
    def v(raw, value, conf=1.0):
        return Val(value=value, page=1, raw=raw, conf=conf)
    assert S.junk_strs(v("3.66.0", 3.66)) == ["3660", "366.0"]
    assert "110.00" in S.junk_strs(v("11-0.00", 11.0)) and "7.54" in S.junk_strs(v("7:54", 7.0))
    assert S.junk_strs(v("0.017", 0.017)) == [] and S.junk_strs(v("0.080.", 0.08)) == []
    assert S.decimals_of(v("…)/8=1:58 mg/m³", 1.58)) == 2
    assert S.agree("0.057", "0.06") and S.agree("0.065", "0.06") and not S.agree("0.05", "0.06")
    assert [shift_point("0.18", d) for d in (-1, 1)] == ["0.018", "1.8"]
    assert not S.doubtful(v("0.88", 0.88)) and S.doubtful(v("0.88", 0.88, conf=0.8)) and S.doubtful(v("3.66.0", 3.66))


# ------------------------------------------------------------------ i062


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
    # no sourced value in the CSV: never a wrong_limit, a cannot_decide
    f = run(_report(_result("电焊烟尘", 0.5, 4.0, "合格")), ["i062_limits"])
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 62
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
    unreadable = R(9, post="熔化工", factor="一氧化碳", judgement=missing("cell judgement empty"))
    assert codes(run(_report(unreadable), ["i062_judgement"])) == [CANNOT_DECIDE]


# ------------------------------------------------------------------ OCR-tolerant ids (i094)


@pytest.mark.parametrize("ids,probe,found", [
    # a dash read as a colon or a tilde, or dropped
    (["HA-2203-001", "HA-2203-002", "HA-2203-016"], "HA:2203-017 x HA2203-018 x 22-QM~", ["HA-2203-017", "HA-2203-018"]),
    (["22-QM-082401", "22-QM-082402"], "22-QM~082404", ["22-QM-082404"]),
    # one stray separator inside the id; two are not an id
    (["HA-2209-001", "HA-2209-002"], "HA-2209-01-3 HA-2209-0-1-4", ["HA-2209-013"]),
    # case and one misread letter of a constant prefix
    (["22-JX-050701", "22-JX-050702"], "22-jX-050708 22-IX-050714 22-AB-050715", ["22-JX-050708", "22-JX-050714"]),
    # all-digit ids take no stray separator (a date or a phone number looks like that)
    (["22061407", "22061408"], "2206-1409 22061410", ["22061410"]),
    # S read for 5 in a digit position
    (["S22051901", "S22051902"], "S2205190S", ["S22051905"]),
])
def test_id_pattern_ocr_variants(ids, probe, found):
    from extractors.ids import learn_pattern
    assert [x for x, _ in learn_pattern(ids).find(probe)] == found


def test_id_prefix_literal_survives_one_misread_sampling_id():
    from extractors.ids import learn_pattern
    pat = learn_pattern(["TJ220001", "TJ220002", "TJ220003", "TJ220004", "JJ220010"])
    assert pat.letters == ("TJ",) and pat.match("JJ220010") == "TJ220010"
    # two numbering schemes side by side are not one prefix with a slip
    assert learn_pattern(["TJ220001", "TJ220002", "KB220001", "KB220002"]).letters == ("",)


def _ocr_counts(lab_ids, transfer_ids=("HA-2203-001", "HA-2203-002", "HA-2203-003")):
    ids = ["HA-2203-001", "HA-2203-002", "HA-2203-003"]
    return BundleRecords(
        sampling_records=[_sampling(ids)],
        sample_transfers=[TransferRecord(rows=[R(4, sample_id=i) for i in transfer_ids], pages=(4,))],
        lab_sheets=[LabSheet(factor=V("铅尘", 5), rows=[R(5, sample_id=i) for i in lab_ids], pages=(5,))],
        report=ReportRecord(results=[R(7, post="岗位", sample_ids=V(ids, 7))], pages=(7,)))


def test_sample_counts_garbled_reading_stands_in_for_the_sample():
    # the lab record read HA-2208-003 for HA-2203-003 (a digit slip the pattern cannot undo):
    # the only unsampled id one edit away from exactly one sampled id is that sample
    rec = _ocr_counts(["HA-2203-001", "HA-2203-002", "HA-2208-003"])
    assert run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS) == []
    # gone from the lab record with nothing in its place: missing
    f = run(_ocr_counts(["HA-2203-001", "HA-2203-002"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "HA-2203-003" in f[0].message
    # a slip in the running number is one edit from several sampled ids: no guess, still missing
    f = run(_ocr_counts(["HA-2203-001", "HA-2203-002", "HA-2203-008"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "HA-2203-003" in f[0].message


def test_one_edit_on_id_skeletons():
    from checks.i094_sample_counts import one_edit
    assert one_edit("HA-2203-017", "HA2203-017") and one_edit("HA-2203-017", "HA-2203-018")
    assert one_edit("HA-2209-013", "HA-2209-0133") and not one_edit("HA-2203-017", "HA-2203-028")


# ------------------------------------------------------------------ OCR-tolerant extraction


def test_lab_dates_read_through_scan_specks():
    from extractors.forms.lab_analysis import parse_date_ocr
    assert parse_date_ocr("2022-.04-21") == dt.date(2022, 4, 21)
    assert parse_date_ocr("样品接收日期:∵.2022年6月8日") == dt.date(2022, 6, 8)
    assert parse_date_ocr("2Q22年6月9日") == dt.date(2022, 6, 9)
    assert parse_date_ocr("保存期限2天") is None


@pytest.mark.parametrize("line,value", [
    ("2022-03-21涂板工(涂板机旁):G_TWA=(0.080×3+0.081×3)/8=0.060mg/m³", 0.060),
    ("2022-08-23和膏工(和膏机操作位):C_TWA=(0.003×3+0.003×3)/8=0.002mg/m³3", 0.002),
    ("2022-09-07涂板工(涂板机旁):C_TWA=(0.011×3.5+0.016×3.5)/8=.0.012mg/m³", 0.012),
    ("2022-06-08喷漆工(喷漆房):C_TWA=(36.8×3.5+30.5×3.5)/8=29.4.mg/m³", 29.4),
    ("2022-03-23抛光工(抛光工位):C_TWA=(2.21×3+2.00×3)/8=1:58 mg/m³", 1.58),
])
def test_twa_line_results_read_through_scan_noise(line, value):
    from extractors.forms.data_calculation import _TWA, _TWA_KEY
    m = _TWA.search(_TWA_KEY.sub("C_TWA", line).replace(" ", ""))
    assert m and float(m.group(1).replace(":", ".")) == value
    assert not _TWA_KEY.search("PC-TWA 0.05")


# ------------------------------------------------------------------ i062 on weak rows and measured SiO2


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
    return Page(no=no, source="ocr", width=595.0, height=842.0,
                lines=(Line(text=text, raw=text, bbox=(50.0, 100.0, 300.0, 110.0)),))


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


# ------------------------------------------------------------------ all together

MINE = ["i094_sample_counts", "i068_lab_receipt", "i068_transfer_receipt", "i068_storage_period",
        "i069_lab_signatures", "i069_lab_dates", "i074_lab_qc", "i073_concentration", "i073_twa",
        "i073_noise_lex", "i073_report_vs_calc", "i073_report_short_term", "i062_limits", "i062_judgement"]


def test_consistent_bundle_is_silent():
    """A small bundle whose numbers all agree draws no finding from any of these checks."""
    d2 = D1 + dt.timedelta(days=1)
    samp = SamplingSheet(date=V(D1, 3), temperature_c=V(20.0, 3), pressure_kpa=V(101.0, 3), rows=[
        R(3, sample_id="B1", is_blank=V(False, 3)), R(3, sample_id="B2", is_blank=V(False, 3)),
        R(3, sample_id="B9", is_blank=V(True, 3, raw="空白"))], pages=(3,))
    tr = TransferRecord(date=V(D1, 4), rows=[R(4, sample_id=i) for i in ("B1", "B2", "B9")], pages=(4,))
    lab = LabSheet(factor=V("一氧化碳", 5), method=V("GBZ/T 300.37-2017", 5), instrument=V("气相色谱仪", 5),
                   receipt_date=V(D1, 5), analysis_date=V(d2, 5), storage=V("密封，保存期限2天", 5),
                   storage_days=V(2, 5, raw="保存期限2天"), method_blank=V("未检出", 5), qc=V("加标回收率95%", 5),
                   analyst=V("张三", 5), reviewer=V("李四", 5),
                   rows=[R(5, sample_id="B1", mass=V(11.12, 5, raw="11.12"), volume=V(7.5, 5, raw="7.5"),
                           conc=V(1.5, 5, raw="1.5")),
                         R(5, sample_id="B2", mass=V(13.5, 5, raw="13.50"), volume=V(7.5, 5, raw="7.5"),
                           conc=V(1.8, 5, raw="1.8")),
                         R(5, sample_id="B9", mass=V(0.0, 5, raw="0.00"), note=V("空白", 5))], pages=(5,))
    twa = "2022-04-15投料工(窑头投料口):C_TWA = (1.5×2 + 1.8×2) / 8 = 0.82 mg/m³"
    calc = CalcRecord(rows=[R(6, sample_id="B1", flow=V(0.5, 6, raw="0.50"), minutes=V(15.0, 6, raw="15"),
                              volume=V(7.5, 6, raw="7.5"), mass=V(11.12, 6, raw="11.12"), conc=V(1.5, 6, raw="1.5")),
                            R(6, sample_id="B2", flow=V(0.5, 6, raw="0.50"), minutes=V(15.0, 6, raw="15"),
                              volume=V(7.5, 6, raw="7.5"), mass=V(13.5, 6, raw="13.50"), conc=V(1.8, 6, raw="1.8"))],
                      twa=[Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6),
                                       "value": V(0.82, 6, raw=twa)}, page=6)], pages=(6,))
    rep = ReportRecord(results=[R(7, post="投料工", site="窑头投料口", factor="一氧化碳", sample_ids=V(["B1", "B2"], 7),
                                  c_twa=V(0.82, 7, raw="0.82"), limit_twa=V(20.0, 7, raw="20"),
                                  c_stel=V(1.8, 7, raw="1.8"), limit_stel=V(30.0, 7, raw="30"), judgement="合格")],
                       noise=[R(7, post="投料工", site="窑头", laeq=V(89.3, 7, raw="89.3"), hours=V(6.0, 7, raw="6"),
                                lex8h=V(88.1, 7, raw="88.1"), limit=V(85.0, 7, raw="85"), judgement="不合格")],
                       pages=(7,))
    rec = BundleRecords(sampling_records=[samp], sample_transfers=[tr], lab_sheets=[lab], data_calculation=calc,
                        report=rep, sample_id_pattern=r"B\d")
    assert run(rec, MINE, pages=[_page(5)]) == []
    # and the same bundle with one sample never analysed is flagged by i094 only
    lab2 = lab.model_copy(update={"rows": [r for r in lab.rows if r.value("sample_id") != "B2"]})
    f = run(rec.model_copy(update={"lab_sheets": [lab2]}), MINE, pages=[_page(5)])
    assert codes(f) == ["samples.count_mismatch"] and "B2" in f[0].message


def test_scanned_limit_with_a_stray_decimal_point():
    # 二甲苯 PC-STEL 100 read "1.00" on a scan: neither a wrong limit nor, judged against
    # it, a wrong judgement; on a text layer the same print is pre-flagged
    row = R(9, post="调漆工", site="调漆间", factor="二甲苯", c_twa=V(2.0, 9, raw="2.0"),
            c_stel=V(4.5, 9, raw="4.5"), limit_twa=V(50.0, 9, raw="50"), limit_stel=V(1.0, 9, raw="1.00"),
            judgement="合格")
    scan = [Page(no=9, source="ocr", width=595.0, height=842.0, lines=())]
    assert run(_report(row), ["i062_limits", "i062_judgement"], pages=scan) == []
    f = run(_report(row), ["i062_limits"])
    assert codes(f) == ["report.wrong_limit"] and "1.00" in f[0].message and "100" in f[0].message


def test_photo_date_one_confused_digit_from_the_survey_is_a_misread():
    from pipeline.ocr_tolerance import date_variants

    assert dt.date(2022, 4, 14) in date_variants(dt.date(2022, 6, 14))  # 4 read as 6


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
