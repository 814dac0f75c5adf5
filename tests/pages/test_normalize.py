"""normalize_text: one table row per rule (raw → normalized)."""
from __future__ import annotations

import pytest

from pipeline.normalize import normalize_text, to_halfwidth

# (raw, expected, ocr-mode)
CASES = [
    # full-width digits / letters / punctuation
    ("１２３ＡＢＣ", "123ABC", False),
    ("委托单位：河南某某", "委托单位:河南某某", False),
    ("矽尘（呼尘）", "矽尘(呼尘)", False),
    ("苯；甲苯％", "苯;甲苯%", False),
    ("气温：28．5℃", "气温:28.5℃", False),
    # Chinese sentence punctuation stays; ， only becomes , between digits
    ("苯，甲苯、二甲苯。", "苯，甲苯、二甲苯。", False),
    ("1，000", "1,000", False),
    ("8～17时", "8~17时", False),
    # ideographic / odd spaces, stray spaces next to CJK
    ("采样\u3000日期", "采样日期", False),
    ("2022 年6 月 14 日", "2022年6月14日", False),
    ("河 南 安 正", "河南安正", False),
    ("OP(操作):  李雅惠", "OP(操作): 李雅惠", False),
    # OCR confusions only inside numeric contexts
    ("2O22年O6月1l日", "2022年06月11日", False),
    ("1O:3O", "10:30", False),
    ("S22O614O7", "S2206140" + "7", False),
    ("Office 10 lines", "Office 10 lines", False),  # letters not between digits stay
    ("No. I2", "No. I2", False),
    # units
    ("浓度 0.52 mg/m²", "浓度0.52 mg/m³", False),
    ("mg/m3", "mg/m³", False),
    ("mg/m^3", "mg/m³", False),
    ("mg/ m³", "mg/m³", False),
    ("mg / m 3", "mg/m³", False),
    ("噪声 85.2 dB（A）", "噪声85.2 dB(A)", False),
    ("85 dB (a)", "85 dB(A)", False),
    ("流量 2.0 L/mim", "流量2.0 L/min", False),
    ("流量 2.0 L/m1n", "流量2.0 L/min", False),
    ("28.5 °C", "28.5℃", False),
    ("28.5゜C", "28.5℃", False),
    ("气压 100.2 KPa", "气压100.2kPa", False),
    # OCR-only: the recognizer splits ids and numbers with spaces
    ("项目编号：AZJC-2 0 2 2-DJ-0 315", "项目编号:AZJC-2022-DJ-0315", True),
    ("AZJC- 2022", "AZJC-2022", True),
    ("流量 3. 5 L / mi n", "流量3.5 L/min", True),
    ("流量 2 . 0", "流量2.0", True),
    ("S 2 206140 1", "S22061401", True),
    ("浓度1.28 mg / m 合格", "浓度1.28 mg/m³ 合格", True),
    ("14:20 15:30", "14:20 15:30", True),  # two real times stay apart
    ("2021 3 31", "2021 3 31", False),  # text layer: comb fields/dates are real
    ("", "", False),
    ("   ", "", False),
]


@pytest.mark.parametrize("raw,expected,ocr", CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_normalize_table(raw: str, expected: str, ocr: bool) -> None:
    assert normalize_text(raw, ocr=ocr) == expected


def test_halfwidth_keeps_chinese_comma() -> None:
    assert to_halfwidth("１，２") == "1，2"


def test_idempotent() -> None:
    for raw, _, ocr in CASES:
        once = normalize_text(raw, ocr=ocr)
        assert normalize_text(once, ocr=ocr) == once
