"""i047_direct_reading (checks/i047_direct_reading.py): the field noise record's
L_EX,8h, units and rounding; and the arithmetic shared with item 73 (checks/_noise.py)."""
from __future__ import annotations

import pytest

from checks._noise import lex8h, lex_check
from extractors.records import BundleRecords
from tests.checks.admin_records import sheet
from tests.checks.adm14_records import codes, noise_row, noise_sheet, rendered_findings, run

ONLY = ["i047_direct_reading"]


def _run(*sheets):
    return run(BundleRecords(sampling_records=list(sheets)), only=ONLY)


def test_lex8h_arithmetic():
    assert lex8h(86.6, 8) == pytest.approx(86.6)
    assert lex8h(79.8, 6.5) == pytest.approx(78.898, abs=1e-3)
    c = lex_check(noise_row("79.8", "6.5", "78.9"))
    assert c is not None and not c.wrong
    assert lex_check(noise_row("79.8", "6.5", "79.8")).wrong  # not converted to 8 h


def test_right_record_is_silent():
    rows = [noise_row(), noise_row("79.8", "6.5", "78.9", post="配料工"), noise_row("84.6", "7", "84.0", post="投料工")]
    assert _run(noise_sheet(rows)) == []


@pytest.mark.parametrize("lex", ["79.8", "80.4", "77.9"])
def test_wrong_lex_is_flagged_with_both_values(lex):
    f = _run(noise_sheet([noise_row("79.8", "6.5", lex, post="配料工")]))
    assert codes(f) == [("measurement.direct_reading_wrong", 47)]
    assert "配料工" in f[0].message and "78.9" in f[0].message and lex in f[0].message and "第5页" in f[0].message


def test_two_decimals_flagged_one_is_right():
    f = _run(noise_sheet([noise_row("86.63", "8", "86.6")]))
    assert codes(f) == [("measurement.direct_reading_wrong", 47)] and "86.63" in f[0].message and "0.1" in f[0].message
    assert _run(noise_sheet([noise_row("87", "8", "87")])) == []  # an integer level is not called wrong


@pytest.mark.parametrize("cell", ["86.6 dB", "86.6dB"])
def test_bare_db_in_a_cell_is_flagged(cell):
    f = _run(noise_sheet([noise_row(cell, "8", "86.6 dB(A)")], titles={"laeq": "LAeq,T", "lex8h": "LEX,8h"}))
    assert codes(f) == [("measurement.direct_reading_wrong", 47)] and "dB(A)" in f[0].message


@pytest.mark.parametrize("title", ["L_Aeq(dB)", "LAeq,T dB"])
def test_bare_db_in_a_title_is_flagged(title):
    f = _run(noise_sheet([noise_row()], titles={"laeq": title}))
    assert codes(f) == [("measurement.direct_reading_wrong", 47)] and title in f[0].message


@pytest.mark.parametrize("title", ["L_Aeq(dB(A))", "LAeq,TdB(A)", "等效声级 dBA", "LAeq（dB（A））"])
def test_a_weighted_titles_are_right(title):
    assert _run(noise_sheet([noise_row()], titles={"laeq": title})) == []


def test_unit_column_saying_db_is_flagged():
    f = _run(noise_sheet([noise_row(unit="dB")], titles={"laeq": "LAeq"}))
    assert codes(f) == [("measurement.direct_reading_wrong", 47)]


def test_family_without_lex_column_checks_units_and_rounding_only():
    assert _run(noise_sheet([noise_row("86.6", "8", None)], titles={"laeq": "LAeq,T dB(A)"})) == []


def test_noise_form_without_rows_cannot_decide_and_no_noise_is_silent():
    f = _run(noise_sheet([]))
    assert codes(f) == [("check.cannot_decide", 47)]
    assert _run(sheet()) == []  # an air sampling form only: no direct reading (不涉及)


@pytest.mark.parametrize("family", ["a", "b"])
def test_rendered_clean_bundle_reads_the_noise_record_and_is_silent(tmp_path, family):
    records, findings, _ = rendered_findings(tmp_path, family, ONLY)
    rows = [r for sh in records.sampling_records for r in sh.noise]
    assert rows and all(r.get("laeq").ok and r.get("hours").ok for r in rows)
    assert findings == []
