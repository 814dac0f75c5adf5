"""Number and time parsing tolerate what OCR does to separators."""
import pytest

from extractors.text import parse_number, parse_time_range


@pytest.mark.parametrize("text,expected", [("2,99", 2.99), ("1,000", 1000.0), ("12,345.6", 12345.6), ("0.5", 0.5)])
def test_comma_before_two_digits_is_a_decimal_point(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["13:10+15:56", "13:10~15:56", "13:10－15:56", "13:10-15:56"])
def test_time_range_separators(text: str) -> None:
    assert parse_time_range(text) == ("13:10", "15:56")
