"""Form dates OCR garbled: the parser's gaps, and the closer second reading of a value box.

Pages are built from strings (``tests.synth.grid_page``); the re-reader is a
stand-in that answers per box, so every test says exactly what the second reading saw.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.layout import grid
from extractors.registry import Ctx, load_all
from extractors.text import date_is_clean, date_written, find_dates, parse_date
from tests.synth import grid_page

D = dt.date


# ------------------------------------------------------------------ parsing gaps

@pytest.mark.parametrize("text,expected", [
    ("日期:2022-03-.23", "2022-03-23"),  # speck after the second separator
    ("编制人:李涵2022-07-.22", "2022-07-22"),
    ("2022-.04-21", "2022-04-21"),  # speck after the first separator
    ("测量日期 20·22年7月7日", "2022-07-07"),  # speck inside the year
    ("日期:2:022年6月23日", "2022-06-23"),  # a colon speck after the year's first digit
    ("日期:.2022-04-29", "2022-04-29"),  # speck before the year
    ("写实日期:2022-04-1-4", "2022-04-14"),  # zero-padded month: the dash splits the day
    ("日期:2022105/23", "2022-05-23"),  # first separator read as 1
    ("2022l05/23", "2022-05-23"),
    ("日期:2022/05123", "2022-05-23"),  # second separator read as 1
])
def test_garbled_dates_read(text, expected):
    assert parse_date(text) == D.fromisoformat(expected)


@pytest.mark.parametrize("text", [
    "ZK2022105/23",  # an id, not a date with a misread separator
    "1.2022-04-29",  # a decimal number runs into it
    "12:022年",
    "时间 2:02 2/3/4",  # a time and a fraction
    "2022/05/123",  # a three-digit day
])
def test_not_dates_still(text):
    assert find_dates(text) == []


def test_split_day_only_where_the_month_is_padded():
    # unpadded month: nothing says the day had two digits, the reading stays as it was
    assert parse_date("2022-4-1-4") == D(2022, 4, 1)
    # a range of two dates is two dates, not a split day
    assert [d for d, _ in find_dates("2022-05-1-2022-05-3")] == [D(2022, 5, 1), D(2022, 5, 3)]


def test_clean_and_written():
    for text, clean in [("2022-05-19", True), ("2022年5月19日", True), ("二〇二二年六月十四日", True),
                        ("2022/5/9", True), ("2022-05.19", False), ("2022-03-.23", False),
                        ("20·22年7月7日", False), ("2022105/23", False), ("2022-04-1-4", False),
                        ("2022-4-1-4", False), ("2022-05-1.l", False), ("2022-05-19 1.4", True)]:
        (_, span), = find_dates(text)
        assert date_is_clean(text, span) is clean, text
    assert date_written("2022年月16日") and date_written("日期:2O22-O5-19")
    assert not date_written("日期:  年  月  日") and not date_written("编制人:张三")


# ------------------------------------------------------------------ helpers

class Reread:
    """Answers for the boxes that contain a point; records every box asked for."""

    def __init__(self, answers: dict[tuple[float, float], str]):
        self.answers = answers
        self.asked: list[tuple] = []

    def __call__(self, page_no, bbox):
        self.asked.append((page_no, tuple(bbox)))
        for (x, y), text in self.answers.items():
            if bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]:
                return text
        return None


def _run(stype: str, rows: list, rr=None, source: str = "ocr", staff=()):
    pg = grid_page(1, rows, source=source)
    ctx = Ctx(section=stype, grids=[grid(pg)], known_names=list(staff), rereader=rr)
    return load_all()[stype](ctx)


# rows start at y=60, 20 apart; a cell spans its x to x + 10 per CJK character
SHEET = [
    "工作场所空气中有害物质采样记录",
    [(50, "项目编号"), (130, "KT-XM-220484"), (300, "检测项目"), (380, "一氧化碳")],
    [(50, "采样日期"), (130, "DATE")],
    [(50, "样品编号"), (150, "采样点"), (250, "采样方式"), (330, "采样时段")],
    [(50, "KT220011"), (150, "窑头投料口"), (250, "定点"), (330, "08:44-08:59")],
    [(50, "采样人员:任涵梓 陪同人员:乔琳 复核人:彭辉"), (400, "2022-05-19")],
]


def _sheet(date_cell: str, label: str = "采样日期"):
    rows = [list(r) if isinstance(r, list) else r for r in SHEET]
    rows[2] = [(50, label), (130, date_cell)]
    return rows


# ------------------------------------------------------------------ sampling record

def test_sampling_date_unreadable_is_read_again():
    rr = Reread({(140, 105): "2022-05-19"})
    s, = _run("sampling_record", _sheet("2O22年五月l9"), rr)
    assert s.date.value == D(2022, 5, 19) and s.date.conf == 0.9 and rr.asked
    # without a second reading the date stays unread, with its reason
    s, = _run("sampling_record", _sheet("2O22年五月l9"))
    assert not s.date.ok and "采样日期" in s.date.reason


def test_sampling_date_later_than_every_signature_is_read_again():
    rr = Reread({(140, 105): "2022-05-19"})
    s, = _run("sampling_record", _sheet("2022-06-19"), rr)
    assert s.date.value == D(2022, 5, 19)
    # a plausible, clean date is not read again
    rr = Reread({(140, 105): "2022-05-18"})
    s, = _run("sampling_record", _sheet("2022-05-19"), rr)
    assert s.date.value == D(2022, 5, 19) and rr.asked == []


def test_second_reading_that_does_not_parse_keeps_the_first():
    rr = Reread({(140, 105): "2022年5月"})
    s, = _run("sampling_record", _sheet("2022-05.19"), rr)
    assert s.date.value == D(2022, 5, 19) and rr.asked


def test_text_layer_is_never_read_again():
    rr = Reread({(140, 105): "2022-05-18"})
    s, = _run("sampling_record", _sheet("2022-05.19"), rr, source="text")
    assert s.date.value == D(2022, 5, 19) and rr.asked == []


def test_misread_date_label():
    # 日 read as 白: the value beside it is the sheet's date, no second reading needed
    s, = _run("sampling_record", _sheet("2022-05-19", label="采样白期"))
    assert s.date.value == D(2022, 5, 19) and s.date.conf < 0.95
    # another character misread: accepted only when the label read again says so
    s, = _run("sampling_record", _sheet("2022-05-19", label="采祥日期"))
    assert not s.date.ok
    rr = Reread({(55, 105): "采样日期"})
    s, = _run("sampling_record", _sheet("2022-05-19", label="采祥日期"), rr)
    assert s.date.value == D(2022, 5, 19)
    # a different label one character away (送样日期) read again as itself: not the sampling date
    rr = Reread({(55, 105): "送样日期"})
    s, = _run("sampling_record", _sheet("2022-05-19", label="送样日期"), rr)
    assert not s.date.ok


# ------------------------------------------------------------------ detection plan

def _plan(author: str, reviewer: str, approver: str, below: list | None = None):
    rows = [
        "职业病危害因素检测方案",
        [(50, "方案编号 KT-FA-220581")],
        [(250, f"编制人:谢丽颖 日期:{author}")],
        [(250, f"审核人:贾斌磊 日期:{reviewer}")],
    ]
    if below:
        rows.append(below)
    rows.append([(250, f"批准人:冯泽晨 日期:{approver}")])
    return rows


STAFF = ["谢丽颖", "贾斌磊", "冯泽晨"]


def test_plan_slot_with_unreadable_date_takes_no_date_from_below():
    # the reviewer's own date is garbled; the next slot's date sits right under it
    rows = _plan("2022-05-13", "2022年月16日", "2022-05-17")
    p = _run("detection_plan", rows, staff=STAFF)
    assert p.review_date.value is None and "unreadable" in p.review_date.reason
    assert p.approve_date.value == D(2022, 5, 17)
    # read again closer, the reviewer's date is there
    rr = Reread({(400, 125): "日期:2022年5月16日"})
    p = _run("detection_plan", rows, rr, staff=STAFF)
    assert p.review_date.value == D(2022, 5, 16) and p.review_date.conf == 0.9


def test_plan_date_out_of_order_is_read_again():
    rows = _plan("2022-08-13", "2022-05-16", "2022-05-17")  # 08 for 05
    rr = Reread({(400, 105): "日期:2022-05-13"})
    p = _run("detection_plan", rows, rr, staff=STAFF)
    assert p.author_date.value == D(2022, 5, 13)
    # no second reading: the date stays as read (a check may flag it; nothing is guessed)
    p = _run("detection_plan", rows, staff=STAFF)
    assert p.author_date.value == D(2022, 8, 13)
    # in order: nothing is read again
    rr = Reread({})
    p = _run("detection_plan", _plan("2022-05-13", "2022-05-16", "2022-05-17"), rr, staff=STAFF)
    assert [p.author_date.value, p.review_date.value, p.approve_date.value] == \
        [D(2022, 5, 13), D(2022, 5, 16), D(2022, 5, 17)] and rr.asked == []


def test_plan_garbled_dates_parse():
    p = _run("detection_plan", _plan("2022-03-.23", "2022105/23", "2022-05-26"), staff=STAFF)
    assert [p.author_date.value, p.review_date.value, p.approve_date.value] == \
        [D(2022, 3, 23), D(2022, 5, 23), D(2022, 5, 26)]


# ------------------------------------------------------------------ field survey

SURVEY = [
    "职业卫生现场调查记录",
    [(50, "项目编号"), (130, "KT-XM-220484"), (300, "调查日期:"), (400, "VALUE")],
    [(50, "车间"), (120, "岗位(工种)"), (200, "工作地点"), (290, "劳动定员"), (360, "接触时间(h/班)")],
    [(50, "原料车间"), (120, "混合工"), (200, "混合机操作位"), (290, "2"), (360, "8")],
    [(50, "现场调查人员:冯泽晨魏涵2022-05-11"), (300, "陪同人员:乔琳")],
]


def _survey(value: str):
    rows = list(SURVEY)
    rows[1] = [(50, "项目编号"), (130, "KT-XM-220484"), (300, "调查日期:"), (400, value)]
    return rows


def test_survey_date_in_the_cell_right_of_a_label_with_colon():
    s = _run("field_survey", _survey("2022-05-11"), staff=["冯泽晨", "魏涵"])
    assert [d.value for d in s.dates] == [D(2022, 5, 11)]


def test_survey_date_garbled_or_implausible_is_read_again():
    rr = Reread({(410, 85): "2022-05-11"})
    s = _run("field_survey", _survey("2022-05-1.l"), rr, staff=["冯泽晨", "魏涵"])
    assert [d.value for d in s.dates] == [D(2022, 5, 11)] and rr.asked
    # later than the signature: read again
    rr = Reread({(410, 85): "2022-05-10"})
    s = _run("field_survey", _survey("2022-06-10"), rr, staff=["冯泽晨", "魏涵"])
    assert [d.value for d in s.dates] == [D(2022, 5, 10)]
