"""Name seals read row by row become the names they hold (extractors/seals.py)."""
from __future__ import annotations

from extractors import extract_records
from extractors.seals import join_seals, seal_name
from pipeline.types import Section
from tests.synth import line, page


def _seal(x: float, y: float, top: str, bottom: str, origin: str = "image"):
    """The two rows OCR gives for a square seal at (x, y), 11 pt a row."""
    return [line(top, (x, y, x + 22, y + 12), origin=origin), line(bottom, (x, y + 10, x + 22, y + 22), origin=origin)]


def test_column_reading_gives_the_name():
    assert seal_name("谢建之印") == "谢建"
    assert seal_name("曾琪峰印") == "曾琪峰"
    assert seal_name("韩慧之即") == "韩慧"  # 即: what OCR reads for a seal-script 印
    assert seal_name("张三李四") is None  # no seal word: not a seal
    assert seal_name("谢建之") is None


def test_two_stacked_rows_become_one_line_with_the_name():
    p = page(1, [line("审核", (40, 100, 60, 112))] + _seal(70, 96, "之谢", "印建"))
    out = join_seals(p)
    marks = [ln for ln in out.lines if ln.is_mark]
    assert [ln.text for ln in marks] == ["谢建"]
    assert marks[0].bbox == (70, 96, 92, 118) and "之谢" in marks[0].raw
    assert out.lines[0].text == "审核"  # printed text untouched


def test_three_character_name_and_a_seal_on_a_scan():
    p = page(1, _seal(70, 96, "峰曾", "印琪", origin="seal"), source="ocr")
    assert [ln.text for ln in join_seals(p).lines] == ["曾琪峰"]


def test_what_is_not_a_whole_seal_is_left_as_read():
    # one row only, printed lines, two side-by-side signatures, no seal word
    half = page(1, [line("之胡", (70, 96, 92, 108), origin="image")])
    printed = page(1, [line("之谢", (70, 96, 92, 108)), line("印建", (70, 106, 92, 118))])
    side = page(1, [line("之谢", (70, 96, 92, 108), origin="image"), line("印建", (200, 106, 222, 118), origin="image")])
    words = page(1, _seal(70, 96, "李张", "四三"))
    for p in (half, printed, side, words):
        assert join_seals(p) is p


def test_plan_signers_read_from_seals():
    p = page(1, [line("检测方案", (200, 50, 260, 62)),
                 line("编制", (40, 300, 60, 312)), *_seal(70, 296, "之谢", "印建"),
                 line("审核", (200, 300, 220, 312)), *_seal(230, 296, "之廖", "印静")])
    rec = extract_records([p], [Section(type="detection_plan", pages=(1,))], staff=["谢建", "廖静", "白霞"])
    plan = rec.detection_plan
    assert plan.author.value == "谢建" and plan.reviewer.value == "廖静"


def test_a_seal_read_whole_as_one_line():
    # a digital signature page: OCR read the seal 姜超林印 as one square line, left column
    # first (林|印 then 姜|超); in column order or row by row it names the same person
    for text in ("林印姜超", "姜超林印", "林姜印超", "印林超姜"):
        p = page(1, [line(text, (421, 284, 444, 306), origin="image")])
        assert [ln.text for ln in join_seals(p).lines] == ["姜超林"], text
    # a handwritten four-character line is wide, not a seal
    wide = page(1, [line("林印姜超", (421, 284, 480, 298), origin="image")])
    assert [ln.text for ln in join_seals(wide).lines] == ["林印姜超"]
    # printed text is never a seal
    printed = page(1, [line("林印姜超", (421, 284, 444, 306))])
    assert [ln.text for ln in join_seals(printed).lines] == ["林印姜超"]
