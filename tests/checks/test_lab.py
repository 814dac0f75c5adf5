"""checks/_shared_lab.py (limit tables, factor matching, judgement words, OCR readings of
numbers) and the lab checks together on one consistent bundle."""
from __future__ import annotations

import datetime as dt

import pytest

from checks import _shared_lab as S
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
from tests.conftest import DOMAIN, ROOT
from tests.checks.lab_records import _page, codes, D1, R, run, V


def test_shipped_limit_csvs_match_domain():
    if not DOMAIN.is_dir():
        pytest.skip("shared/domain not present")
    for name in ("oel_gbz2.1-2019.csv", "dust_oel_gbz2.1-2019.csv", "sampling_rules.json"):
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
    # S40 filled the 19 empty rows (welding fume among them): now a sourced value
    assert not S.match_limits("电焊烟尘").unverified and S.match_limits("电焊烟尘").allowed("limit_twa") == {4.0}
    assert S.match_limits("甲醛").weak
    assert S.match_limits("不存在的物质") is None
    assert S.match_limits("铅烟").allowed("limit_twa") == {0.03}


def test_judgement_words_and_decimals():
    assert S.judged_over("合格") is False and S.judged_over("符合") is False
    assert S.judged_over("不合格") is True and S.judged_over("超标") is True
    assert S.judged_over("未超标") is False and S.judged_over("") is None
    assert S.decimals_of(V(0.01, raw="0.010")) == 3
    assert S.decimals_of(V(2.0, raw="2.0")) == 1


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
