"""Signature slots are read by the shape of their label (role stem + person suffix /
signing word), not by a list of one generator's wordings.

Pages are built from strings and boxes (no OCR): a text layer (one Line per cell) or
OCR output (one Line per row with word boxes). Wordings used here are not in any
form's synonym tuple.
"""
from __future__ import annotations

import pytest

from extractors.forms import field_survey, lab_analysis, report, sample_transfer, sampling_record
from extractors.layout import grid
from extractors.signatures import role_stem, role_stops, signature_block, signer_val, slot_is_empty
from pipeline.types import Page
from tests.synth import H, W, row_lines, text_width

STAFF = ["陆峰志", "冯芳瑞", "戴庆欣", "郭斌"]


def page(rows: list, *, source: str = "text", no: int = 1) -> Page:
    """``rows``: lists of cell texts laid out left to right, or a plain string."""
    lines, y = [], 60.0
    for row in rows:
        cells, x = [], 50.0
        for t in [row] if isinstance(row, str) else row:
            cells.append((t, x))
            x += text_width(t) + 14.0
        lines += row_lines(cells, y, source)
        y += 20.0
    return Page(no=no, source=source, width=W, height=H, lines=tuple(lines))


def names(found: dict, role: str) -> list[str]:
    return [n for n, _ in found[role].names] if role in found else []


def sig(rows: list, roles: dict, source: str = "text") -> dict:
    return signature_block([grid(page(rows, source=source))], roles, STAFF)


# ------------------------------------------------------------------ 1: unseen wordings are found


@pytest.mark.parametrize("label,form,role", [
    ("采样员:", sampling_record, "sampler"),
    ("采样人员(签字):", sampling_record, "sampler"),
    ("现场检测者:", sampling_record, "sampler"),
    ("陪同人员签名:", sampling_record, "escort"),
    ("企业陪同者:", sampling_record, "escort"),
    ("审核签字:", sampling_record, "checker"),
    ("核对者:", sampling_record, "checker"),
    ("分析员:", lab_analysis, "analyst"),
    ("测定者:", lab_analysis, "analyst"),
    ("检验人员签名:", lab_analysis, "analyst"),
    ("校核员:", lab_analysis, "reviewer"),
    ("送检员:", sample_transfer, "sender"),
    ("交样者:", sample_transfer, "sender"),
    ("接样员:", sample_transfer, "receiver"),
    ("样品接收人员:", sample_transfer, "receiver"),
    ("调查者:", field_survey, "technician"),
    ("陪同人(签字):", field_survey, "escort"),
    ("报告编写者:", report, "author"),
])
@pytest.mark.parametrize("source", ["text", "ocr"])
def test_unseen_label_wording_is_a_slot(label, form, role, source):
    found = sig([[label, "冯芳瑞", "日期:", "2022-05-18"]], form.ROLES, source)
    assert names(found, role) == ["冯芳瑞"]
    assert [r for r, h in found.items() if h.names] == [role]
    assert found[role].date is not None and found[role].date.isoformat() == "2022-05-18"


def test_slots_on_one_line_cut_at_each_label_and_prefix_is_no_name():
    found = sig([["采样者:", "陆峰志", "冯芳瑞", "用人单位陪同人员:", "王丽", "复核人签名:", "戴庆欣"]],
                sampling_record.ROLES)
    assert names(found, "sampler") == ["陆峰志", "冯芳瑞"]
    assert names(found, "escort") == ["王丽"]
    assert names(found, "checker") == ["戴庆欣"]


def test_glued_ocr_name_after_unseen_label():
    found = sig(["检验员陆峰志 复核者冯芳瑞"], lab_analysis.ROLES, "ocr")
    assert names(found, "analyst") == ["陆峰志"] and names(found, "reviewer") == ["冯芳瑞"]


def test_label_of_another_role_ends_the_slot():
    # 记录人 is a role of no field of the sampling record: its name is nobody's sampler
    found = sig([["采样者:", "陆峰志", "记录人:", "冯芳瑞"]], sampling_record.ROLES)
    assert names(found, "sampler") == ["陆峰志"]
    found = sig([["检验员:", "陆峰志", "批准人:", "冯芳瑞"]], lab_analysis.ROLES)
    assert names(found, "analyst") == ["陆峰志"] and "reviewer" not in found


def test_bracketed_qualifier_is_not_a_label():
    found = sig([["签发人(技术负责人):", "戴庆欣"]], report.ROLES)
    assert names(found, "issuer") == ["戴庆欣"]


def test_role_stem_normalises_labels():
    assert role_stem("用人单位陪同人员") == "陪同"
    assert role_stem("复核人签名") == "复核"
    assert role_stem("陪同人(签字):") == "陪同"
    assert role_stem("检验员") == "检验"
    assert role_stem("审核") == "审核"
    assert role_stem("人员") is None


def test_role_stops_cover_unseen_wordings():
    stops = role_stops(sample_transfer.ROLES)
    assert {"送样员", "接收者", "收样签字"} <= set(stops)


# ------------------------------------------------------------------ 2: sentences and titles are not slots


@pytest.mark.parametrize("text", [
    "本记录无采样者、复核者签名无效。",
    "采样人员签名后生效，涂改无效。",
    "3.现场采样由2名及以上专业技术人员共同完成，用人单位陪同人在采样记录上签字确认;",
    "样品由检验员冯芳瑞负责分析，复核者须在原始记录上签名。",
])
@pytest.mark.parametrize("source", ["text", "ocr"])
def test_declaration_sentences_are_no_slot(text, source):
    roles = {**sampling_record.ROLES, **lab_analysis.ROLES}
    found = sig([text], roles, source)
    assert not any(h.names for h in found.values()), found


@pytest.mark.parametrize("row", [["样品接收记录"], ["采样人数:", "3"], ["检验员证书编号:", "JY-2021-018"]])
def test_titles_and_other_words_are_no_slot(row):
    roles = {**sampling_record.ROLES, **sample_transfer.ROLES, **lab_analysis.ROLES}
    assert not any(h.names for h in sig([row], roles).values())


# ------------------------------------------------------------------ 3: an empty slot gives no name


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_empty_unseen_slot_is_located_without_a_name(source):
    found = sig([["检验员:", "陆峰志", "日期:", "2022-05-18", "复核人签名:", "日期:", "2022-05-19"]],
                lab_analysis.ROLES, source)
    assert names(found, "analyst") == ["陆峰志"]
    assert found["reviewer"].names == [] and found["reviewer"].date.isoformat() == "2022-05-19"
    v = signer_val(found["reviewer"], "复核人")
    assert slot_is_empty(v) and v.page == 1 and not v.ok


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_a_slot_with_writing_that_gives_no_name_is_not_empty(source):
    """One character of a seal read (琳), or a stroke OCR took for a character: something
    is written there, so the slot is not proof of a missing signature."""
    found = sig([["检验员:", "陆峰志", "复核人签名:", "琳", "日期:", "2022-05-19"]], lab_analysis.ROLES, source)
    v = signer_val(found["reviewer"], "复核人")
    assert not v.ok and not slot_is_empty(v) and v.state.value == "unknown"


def test_empty_slot_at_line_end():
    found = sig([["调查者:", "陆峰志", "陪同人签字:"]], field_survey.ROLES)
    assert names(found, "technician") == ["陆峰志"] and found["escort"].names == []


# ------------------------------------------------------------------ 4: ambiguous labels give no name


def test_handover_person_is_neither_sender_nor_receiver():
    # 交接人 can be either side of a sample hand-over
    found = sig([["交接人:", "冯芳瑞", "日期:", "2022-05-18"]], sample_transfer.ROLES)
    assert found == {}


def test_stem_of_two_roles_gives_no_name():
    roles = {"sampler": ("检测人",), "analyst": ("检测员",)}
    assert sig([["检测者:", "冯芳瑞"]], roles) == {}
    # the form's own wordings still say which
    assert names(sig([["检测人:", "冯芳瑞"]], roles), "sampler") == ["冯芳瑞"]


def test_label_without_a_role_stem_gives_no_name():
    assert sig([["签名:", "冯芳瑞"]], sampling_record.ROLES) == {}


def test_ocr_damaged_label_read_only_when_one_role_fits():
    # 采祥 is one character off 采样 only
    found = sig([["采祥人:", "陆峰志", "冯芳瑞"]], sampling_record.ROLES, "ocr")
    assert names(found, "sampler") == ["陆峰志", "冯芳瑞"]
    assert all(c < 1.0 for _, c in found["sampler"].names)
    # 申核 is one off 审核 (reviewer) and 复核 / 校核 (no role of a report): no reviewer
    assert "reviewer" not in sig([["申核人:", "冯芳瑞"]], report.ROLES, "ocr")
    # a text layer is not misread: no guessing there
    assert sig([["采祥人:", "陆峰志"]], sampling_record.ROLES, "text") == {}
    # a longer word that merely contains a near-stem is no label (劳动定员 ≠ 测定员)
    assert sig([["劳动定员:", "93人"]], lab_analysis.ROLES, "ocr") == {}
