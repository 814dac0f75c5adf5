"""Signature slots, 180° scans and contract-review points in ``extractors.layout`` /
``extractors.forms.contract_review``.

Pages are built from strings and boxes (no OCR), as a text layer (one Line per cell)
or as OCR output (one Line per row with word boxes).
"""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.layout import grid, upright
from extractors.signatures import SLOT_EMPTY, signature_block, signer_val, slot_is_empty
from pipeline.types import Line, Page, Section
from tests.synth import H, grid_page


ROLES = {"author": ("编写人", "编制人"), "reviewer": ("审核人", "审核"), "issuer": ("签发人", "签发", "批准人")}
STAFF = ["陆峰志", "冯芳瑞", "戴庆欣"]


def _report_pages(source: str, issuer_name: str = "") -> list[Page]:
    declaration = grid_page(19, ["说明", "1.本报告仅对本次检测负责。", "2.本报告无编写人、审核人、签发人签字无效。",
                            "3.本报告涂改、增删无效;未经本机构书面批准，不得部分复制本报告。"], source=source)
    issuer = [(258, "签发人:"), (416, "日期:")] if not issuer_name else [(258, "签发人:"), (310, issuer_name), (416, "日期:")]
    sig = grid_page(21, [[(258, "编制人:"), (310, "陆峰志"), (416, "日期:"), (450, "2022-08-15")],
                    [(258, "审核人员:"), (320, "冯芳瑞"), (416, "日期:"), (450, "2022-08-15")],
                    issuer], source=source)
    return [declaration, sig]


# ------------------------------------------------------------------ 1: declarations are not slots

@pytest.mark.parametrize("source", ["text", "ocr"])
def test_declaration_sentence_is_not_the_issuer_slot(source):
    found = signature_block([grid(p) for p in _report_pages(source)], ROLES, STAFF)
    assert found["issuer"].page == 21 and found["issuer"].names == []
    assert [n for n, _ in found["author"].names] == ["陆峰志"]
    assert [n for n, _ in found["reviewer"].names] == ["冯芳瑞"]
    v = signer_val(found["issuer"], "签发人")
    assert slot_is_empty(v) and v.page == 21 and "签字无效" not in v.raw


@pytest.mark.parametrize("text", ["本报告无签发人签字无效。", "本报告须经审核人、签发人签名后生效。",
                                  "报告经编写人、审核人签字后方可发出，未经签发人签发不得对外提供。"])
def test_role_words_in_prose_are_no_slot(text):
    assert signature_block([grid(grid_page(1, [text]))], ROLES, STAFF) == {}


def test_form_slot_beats_earlier_bare_mention():
    # a bare mention without a colon (a heading cell) comes first; the slot laid out as
    # "label: … 日期:" later on the page is the one kept
    p = grid_page(1, [[(50, "签发人")], [(258, "签发人:"), (416, "日期:")]])
    found = signature_block([grid(p)], ROLES, STAFF)
    assert found["issuer"].names == [] and found["issuer"].bbox[0] >= 250
    # the other way round the first (form) slot stays
    p = grid_page(1, [[(258, "签发人:"), (416, "日期:")], [(50, "签发人")]])
    assert signature_block([grid(p)], ROLES, STAFF)["issuer"].bbox[0] >= 250


def test_glued_ocr_slots_with_commas_still_read():
    p = grid_page(1, ["编制人:陆峰志，审核人:冯芳瑞，签发人:戴庆欣"], source="ocr")
    found = signature_block([grid(p)], ROLES, STAFF)
    assert {r: [n for n, _ in h.names] for r, h in found.items()} == {
        "author": ["陆峰志"], "reviewer": ["冯芳瑞"], "issuer": ["戴庆欣"]}


def test_report_record_reads_the_empty_issuer_slot_on_the_signature_page():
    pages = _report_pages("text")
    rec = extract_records(pages, [Section(type="report", pages=(19, 21))], staff=STAFF)
    assert rec.report.issuer.page == 21 and slot_is_empty(rec.report.issuer)
    assert rec.report.author.value == "陆峰志"


# ------------------------------------------------------------------ 2: reason says what was tried

def _issuer_reason(p: Page) -> str:
    v = signer_val(signature_block([grid(p)], ROLES, STAFF)["issuer"], "签发人")
    assert SLOT_EMPTY in v.reason
    return v.reason


def test_empty_slot_reason_text_layer_without_image_ocr():
    assert "OCR of the page is needed" in _issuer_reason(_report_pages("text")[1])


def test_empty_slot_reason_after_image_ocr():
    p = _report_pages("text")[1]
    stamp = Line(text="检验检测专用章", raw="检验检测专用章", bbox=(400, 300, 480, 320), origin="image")
    p = p.model_copy(update={"lines": p.lines + (stamp,)})
    r = _issuer_reason(p)
    assert "OCR of the page is needed" not in r and "images" in r


def test_empty_slot_reason_on_ocr_page():
    r = _issuer_reason(_report_pages("ocr")[1])
    assert "OCR of the page is needed" not in r and "OCR of the page" in r


# ------------------------------------------------------------------ 3: 180° scans

def _turn_180(p: Page) -> Page:
    def m(b):
        return (p.width - b[2], p.height - b[3], p.width - b[0], p.height - b[1])
    return p.model_copy(update={"rotation": 180, "lines": tuple(
        ln.model_copy(update={"bbox": m(ln.bbox), "words": tuple(w.model_copy(update={"bbox": m(w.bbox)}) for w in ln.words)})
        for ln in p.lines)})


def test_180_scan_is_read_top_down():
    up = grid_page(1, [[(200, "合同评审记录表")], [(50, "评审日期"), (150, "2022年5月7日")],
                  [(50, "评审人员:"), (120, "陆峰志"), (180, "冯芳瑞")]], source="ocr")
    turned = _turn_180(up)
    g = grid(turned)
    assert [ln.text for ln in g.lines] == [ln.text for ln in grid(up).lines]
    _, inv = upright(turned)
    assert inv(g.lines[0].bbox) == turned.lines[0].bbox  # provenance back in displayed coordinates
    rec = extract_records([turned], [Section(type="contract_review", pages=(1,))], staff=STAFF)
    assert [v.value for v in rec.contract_review.reviewers] == ["陆峰志", "冯芳瑞"]
    assert rec.contract_review.reviewers[0].bbox[1] > H / 2  # displayed (upside-down) box


def test_unrotated_page_is_left_alone():
    p = grid_page(1, ["合同评审记录表"], source="ocr")
    assert upright(p) == (p, None)


# ------------------------------------------------------------------ 4: contract review points and conclusion

def _review_page(items: list[str]) -> Page:
    rows = [[(200, "合同评审记录表")], [(50, "评审日期"), (150, "2022-07-15")]]
    rows += [[(50, f"{i}"), (70, t), (430, "√ 满足")] for i, t in enumerate(items, 1)]
    rows += [[(52, "评审结论:")],
             [(74, "经评审，委托方要求明确，依据的法律法规及标准现行有效，本机构具备相应的检测能力、人员")],
             [(52, "和设备，同意承接。")],
             [(52, "评审人员:"), (110, "冯芳瑞")]]
    return grid_page(4, rows)


def test_review_item_counts_for_every_point_it_names():
    # one item covering staff and equipment; the order of POINTS must not matter
    p = _review_page(["检测依据的法律法规、标准是否现行有效", "检测项目是否在本机构资质认可范围内",
                      "技术人员及仪器设备能否满足要求"])
    rec = extract_records([p], [Section(type="contract_review", pages=(4,))], staff=STAFF)
    pts = rec.contract_review.points
    assert all(pts[k].ok and pts[k].value is True for k in ("legal_basis", "capability", "staff", "equipment"))
    assert pts["staff"].raw == pts["equipment"].raw


def test_review_conclusion_joins_wrapped_lines():
    p = _review_page(["检测依据的法律法规、标准是否现行有效"])
    rec = extract_records([p], [Section(type="contract_review", pages=(4,))], staff=STAFF)
    c = rec.contract_review.conclusion
    assert c.value.endswith("人员和设备，同意承接。") and "评审人员" not in c.value
    assert [v.value for v in rec.contract_review.reviewers] == ["冯芳瑞"]
