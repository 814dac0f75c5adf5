"""i073 (checks/i073_calc_recompute.py): concentrations, C_TWA, noise L_EX and the report's
values recomputed from the records, tolerant of what OCR does to numbers."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, CalcRecord, LabSheet, ReportRecord, Row, SamplingSheet
from tests.checks.lab_records import _ocr_page, codes, D1, R, run, V


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
    # the unexposed part of the shift (0×1.5) is exact on a scan too: 0.064 is not 0.08
    zero = "(0.07×3.5 + 0.09×3+ 0×1.5)/8 = 0.08"
    assert codes(run(rec(zero, 0.08, concs=(("B1", "0.07"), ("B2", "0.09"))), ["i073_twa"], pages=scan)) == \
        ["calc.not_reproducible"]


def _cell_twa(post, factor, concs, value, raw):
    """A calculation record whose one C_TWA line names its samples (``concs``: id, C)."""
    rows = [R(6, sample_id=i, factor=factor, conc=V(c, 6, raw=str(c))) for i, c in concs]
    twa = Row(fields={"post": V(post, 6), "factor": V(factor, 6), "sample_ids": V([i for i, _ in concs], 6),
                      "value": V(value, 6, raw=raw)}, page=6)
    return BundleRecords(data_calculation=CalcRecord(rows=rows, twa=[twa], pages=(6,)))


def test_twa_formula_in_a_cell_of_its_own():
    # C_TWA only in the column title: the cell holds "(C×T + …) / 8 = value"; the line
    # names its samples but no work location
    def rec(value, raw):
        return _cell_twa("巡检工", "氨", (("N1", 2.0), ("N2", 4.0)), value, raw)
    assert run(rec(2.5, "(2.0×4 + 4.0×3) / 8 = 2.5"), ["i073_twa"]) == []
    f = run(rec(3.1, "(2.0×4 + 4.0×3) / 8 = 3.1"), ["i073_twa"])
    assert codes(f) == ["calc.not_reproducible"] and "巡检工" in f[0].message and "2.5" in f[0].message
    # the report row of the same samples (its work location printed) is compared with the line
    report = ReportRecord(results=[R(7, post="巡检工", site="罐区", factor="氨", sample_ids=V(["N1", "N2"], 7),
                                     c_twa=V(2.9, 7, raw="2.9"))], pages=(7,))
    f = run(rec(2.5, "(2.0×4 + 4.0×3) / 8 = 2.5").model_copy(update={"report": report}), ["i073_report_vs_calc"])
    assert codes(f) == ["calc.not_reproducible"] and "2.9" in f[0].message


def test_twa_formula_with_an_unexposed_part_of_the_shift():
    # 0×0.5 is the half hour without exposure: exact, not a reading rounded from up to 0.5
    def rec(value, raw):
        return _cell_twa("焊接工", "铅烟", (("N1", 0.026), ("N3", 0.022)), value, raw)
    assert run(rec(0.023, "(0.026×4 + 0.022×3.5 + 0×0.5) / 8 = 0.023"), ["i073_twa"]) == []
    f = run(rec(0.030, "(0.026×4 + 0.022×3.5 + 0×0.5) / 8 = 0.030"), ["i073_twa"])
    assert codes(f) == ["calc.not_reproducible"] and "0.030" in f[0].message


def test_twa_within_term_rounding_but_not_from_the_samples_masses_and_volumes():
    # (0.05×3 + 0.04×3 + 0×2) / 8 = 0.034: the printed 0.04 is reachable from unrounded
    # terms (0.0549, 0.0449), but the samples' 20 µg / 438 L and 20 µg / 456 L bound them to
    # 0.0445–0.0468 and 0.0428–0.0450, so C_TWA ≤ 0.0344 rounds to 0.03, never 0.04
    def rec(result, m2="20"):
        rows = [R(6, sample_id="F3", mass=V(20.0, 6, raw="20"), volume=V(438.0, 6, raw="438.0"), conc=V(0.05, 6, raw="0.05")),
                R(6, sample_id="F4", mass=V(float(m2), 6, raw=m2), volume=V(456.0, 6, raw="456.0"), conc=V(0.04, 6, raw="0.04"))]
        twa = Row(fields={"post": V("投料工", 6), "sample_ids": V(["F3", "F4"], 6),
                          "value": V(float(result), 6, raw=f"(0.05×3 + 0.04×3 + 0×2) / 8 = {result}")}, page=6)
        sheet = SamplingSheet(temperature_c=V(22.0, 5), pressure_kpa=V(100.9, 5),
                              rows=[R(5, sample_id="F3"), R(5, sample_id="F4")], pages=(5,))
        return BundleRecords(data_calculation=CalcRecord(rows=rows, twa=[twa], pages=(6,)), sampling_records=[sheet])
    assert run(rec("0.03"), ["i073_twa"]) == []
    f = run(rec("0.04"), ["i073_twa"])
    assert codes(f) == ["calc.not_reproducible"] and "F3、F4" in f[0].message and "0.04" in f[0].message
    # a mass the printed C does not come from (computed otherwise): only the printed terms count
    assert run(rec("0.04", m2="25"), ["i073_twa"]) == []



def test_twa_line_without_sample_ids_takes_them_from_the_report_row():
    # The same arithmetic as above, but the calculation line names no samples
    # ("2022-04-15投料工(窑头投料口):C_TWA = ..."): its samples are those of the one report
    # row of that post, location, factor and day whose concentrations are its terms.
    def rec(result, report_ids=("F3", "F4"), report_post="投料工"):
        rows = [R(6, sample_id="F3", factor="一氧化碳", mass=V(20.0, 6, raw="20"), volume=V(438.0, 6, raw="438.0"),
                  conc=V(0.05, 6, raw="0.05")),
                R(6, sample_id="F4", factor="一氧化碳", mass=V(20.0, 6, raw="20"), volume=V(456.0, 6, raw="456.0"),
                  conc=V(0.04, 6, raw="0.04"))]
        twa = Row(fields={"post": V("投料工", 6), "site": V("窑头投料口", 6), "factor": V("一氧化碳", 6),
                          "date": V(D1, 6),
                          "value": V(float(result), 6, raw=f"(0.05×3 + 0.04×3 + 0×2) / 8 = {result}")}, page=6)
        sheet = SamplingSheet(date=V(D1, 5), temperature_c=V(22.0, 5), pressure_kpa=V(100.9, 5),
                              rows=[R(5, sample_id="F3"), R(5, sample_id="F4")], pages=(5,))
        report = ReportRecord(results=[R(7, post=report_post, site="窑头投料口", factor="一氧化碳",
                                         sample_ids=V(list(report_ids), 7), c_twa=V(float(result), 7, raw=result))],
                              pages=(7,))
        return BundleRecords(data_calculation=CalcRecord(rows=rows, twa=[twa], pages=(6,)), sampling_records=[sheet],
                             report=report)
    assert run(rec("0.03"), ["i073_twa"]) == []
    f = run(rec("0.04"), ["i073_twa"])
    assert codes(f) == ["calc.not_reproducible"] and "F3、F4" in f[0].message
    # in the report's order or not, the samples are matched to the terms by their C
    assert codes(run(rec("0.04", report_ids=("F4", "F3")), ["i073_twa"])) == ["calc.not_reproducible"]
    # no report row of that post: the line's samples are unknown, only its own terms count
    assert run(rec("0.04", report_post="出料工"), ["i073_twa"]) == []

def test_twa_that_is_the_printed_terms_own_sum_is_never_flagged():
    # (0.13×4 + 0.14×4) / 8 = 0.135 → 0.14, rounded step by step; the masses (52.5 µg / 408 L
    # = 0.1287, 55.4 µg / 402 L = 0.1378) would give 0.1332 → 0.13 unrounded: both practices pass
    rows = [R(6, sample_id="F1", mass=V(52.5, 6, raw="52.5"), volume=V(408.0, 6, raw="408.0"), conc=V(0.13, 6, raw="0.13")),
            R(6, sample_id="F2", mass=V(55.4, 6, raw="55.4"), volume=V(402.0, 6, raw="402.0"), conc=V(0.14, 6, raw="0.14"))]
    twa = Row(fields={"post": V("投料工", 6), "sample_ids": V(["F1", "F2"], 6),
                      "value": V(0.14, 6, raw="(0.13×4 + 0.14×4) / 8 = 0.14")}, page=6)
    sheet = SamplingSheet(temperature_c=V(22.0, 5), pressure_kpa=V(100.9, 5),
                          rows=[R(5, sample_id="F1"), R(5, sample_id="F2")], pages=(5,))
    recs = BundleRecords(data_calculation=CalcRecord(rows=rows, twa=[twa], pages=(6,)), sampling_records=[sheet])
    assert run(recs, ["i073_twa"]) == []
