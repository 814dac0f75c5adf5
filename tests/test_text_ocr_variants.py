"""Number and time parsing tolerate what OCR does to separators."""
import pytest

from extractors.text import parse_number, parse_time_range


@pytest.mark.parametrize("text,expected", [("2,99", 2.99), ("1,000", 1000.0), ("12,345.6", 12345.6), ("0.5", 0.5)])
def test_comma_before_two_digits_is_a_decimal_point(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["13:10+15:56", "13:10~15:56", "13:10－15:56", "13:10-15:56"])
def test_time_range_separators(text: str) -> None:
    assert parse_time_range(text) == ("13:10", "15:56")


def test_lab_factor_loses_trailing_ocr_punctuation() -> None:
    from extractors.forms.lab_analysis import _clean_factor
    from extractors.records import Val

    assert _clean_factor(Val(value="一氧化碳.", raw="一氧化碳.")).value == "一氧化碳"
    assert _clean_factor(Val(value="矽尘(呼尘)·", raw="")).value == "矽尘(呼尘)"
    assert _clean_factor(Val(value="矽尘(呼尘)", raw="")).value == "矽尘(呼尘)"
