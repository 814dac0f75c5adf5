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


@pytest.mark.parametrize("text", ["2:97", "7:54", "3.66.0", "12：5"])
def test_number_with_a_misread_separator_inside_is_unreadable(text: str) -> None:
    # which digits belong to the number is a guess, and a guess must not become a finding
    assert parse_number(text) is None


@pytest.mark.parametrize("text,expected", [("2.97", 2.97), ("<0.01", 0.01), ("1,000", 1000.0), ("29.3℃", 29.3)])
def test_plain_numbers_still_read(text: str, expected: float) -> None:
    assert parse_number(text) == expected


def test_speck_inside_the_day_of_a_date() -> None:
    import datetime as dt

    from extractors.text import find_dates, parse_date

    assert parse_date("检测日期 2022/06/1.4") == dt.date(2022, 6, 14)
    assert parse_date("2022.6.1") == dt.date(2022, 6, 1)
    # two dates in a list stay two dates
    assert [d for d, _ in find_dates("2022.6.1,2022.6.2")] == [dt.date(2022, 6, 1), dt.date(2022, 6, 2)]
    # a separate number after a space is not part of the date
    assert parse_date("2022-06-01 1.4") == dt.date(2022, 6, 1)


def test_sample_id_with_its_first_prefix_letter_dropped() -> None:
    from extractors.ids import learn_pattern

    pat = learn_pattern([f"TJ2200{i:02d}" for i in range(1, 40)])
    assert [x for x, _ in pat.find("TJ220027 J220028")] == ["TJ220027", "TJ220028"]
    assert pat.find("220028") == []  # both letters gone: not enough left to be sure
    one = learn_pattern([f"22-JC-0601{i:02d}" for i in range(1, 20)])
    assert one.find("22-C-060108") == []  # inner letters are not restored
