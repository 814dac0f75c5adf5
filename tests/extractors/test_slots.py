"""Typed signature slots and page words the extractors put on the records
(``extractors/slots.py``, ``forms/detection_plan.plan_text_facts``,
``forms/sampling_record.sheet_text_facts``)."""
from __future__ import annotations

from extractors.forms.detection_plan import plan_text_facts
from extractors.forms.sampling_record import sheet_text_facts
from extractors.records import BundleRecords, PlanRecord, SamplingSheet, SlotState, SurveyRecord, Val, ValState
from extractors.slots import ESCORT_LABELS, SAMPLER_LABELS, add_page_facts, read_slots, single_slot
from tests.synth import line, page, scan_page


def _page(no, lines, source="text", image_regions=None, image_lines=None):
    kw = {}
    if image_regions is not None:
        kw = {"image_regions": image_regions, "image_lines": image_lines}
    return page(no, [line(t, b, o) for t, b, o in lines], source=source, **kw)


SIGNED = _page(5, [("采样人:", (50, 600, 90, 612), None), ("张三", (130, 596, 170, 616), "image"),
                   ("李四", (175, 596, 215, 616), "image"),
                   ("陪同人:", (50, 640, 90, 652), None), ("2022-08-04", (130, 640, 190, 652), "image")])


def test_read_slots_types_each_slot():
    pages = {5: SIGNED}
    (s,) = read_slots(pages, [5], SAMPLER_LABELS, "sampler")
    assert s.role == "sampler" and s.state is SlotState.SIGNED and s.cjk == "张三 李四" and s.page == 5
    (e,) = read_slots(pages, [5], ESCORT_LABELS, "escort")
    # a hand-written date alone: no name, but the slot was filled in (the signature may be
    # one OCR could not read), so it is no proof of a missing signature
    assert e.state is SlotState.UNREADABLE and e.blank and e.readable and e.cjk == ""
    nothing = _page(5, [("采样人:", (50, 600, 90, 612), None), ("张三", (130, 596, 170, 616), "image"),
                         ("陪同人:", (50, 640, 90, 652), None)])
    (e,) = read_slots({5: nothing}, [5], ESCORT_LABELS, "escort")
    assert e.state is SlotState.EMPTY and e.blank and e.readable


def test_date_written_under_a_boxed_slot_means_filled_in():
    """A slot whose date stands on the line under it, within its width: filled in."""
    p = _page(5, [("调查者:", (50, 600, 90, 612), None), ("张三", (100, 598, 140, 612), "image"),
                  ("企业陪同者:", (300, 600, 360, 612), None),
                  ("2022.4.22", (100, 616, 150, 628), "image"), ("2022.4.22", (362, 616, 410, 628), "image")])
    (e,) = read_slots({5: p}, [5], ("企业陪同者",), "escort")
    assert e.state is SlotState.UNREADABLE
    p2 = _page(5, [("调查者:", (50, 600, 90, 612), None), ("张三", (100, 598, 140, 612), "image"),
                   ("企业陪同者:", (300, 600, 360, 612), None), ("2022.4.22", (100, 616, 150, 628), "image")])
    (e,) = read_slots({5: p2}, [5], ("企业陪同者",), "escort")
    assert e.state is SlotState.EMPTY


def test_empty_slot_on_unread_page_is_unreadable():
    p = _page(5, [("陪同人:", (50, 640, 90, 652), None)], image_regions=2, image_lines=0)
    (e,) = read_slots({5: p}, [5], ESCORT_LABELS, "escort")
    assert e.state is SlotState.UNREADABLE and not e.readable


def test_single_slot_states():
    p = _page(4, [("编制人:", (50, 600, 90, 612), None), ("张三", (130, 596, 170, 616), "image"),
                  ("审核人:", (50, 640, 90, 652), None)])
    pages = {4: p}
    signed = Val(value="张三", page=4, bbox=(50, 596, 170, 616), raw="编制人: 张三")
    empty = Val(value=None, page=4, bbox=(50, 640, 90, 652), raw="审核人:", reason="审核人 slot present, no name",
                state=ValState.EMPTY)
    absent = Val.missing("批准人: label not found", None, ValState.ABSENT)
    assert single_slot(pages, signed, "author").state is SlotState.SIGNED
    assert single_slot(pages, empty, "reviewer").state is SlotState.EMPTY
    assert single_slot(pages, absent, "approver").state is SlotState.LABEL_ABSENT


def test_add_page_facts_fills_records():
    rec = BundleRecords(sampling_records=[SamplingSheet(pages=(5,))], field_survey=SurveyRecord(pages=(5,)),
                        detection_plan=PlanRecord(pages=(5,)))
    out = add_page_facts(rec, [SIGNED])
    roles = [s.role for s in out.sampling_records[0].signatures]
    assert roles == ["sampler", "escort"]
    assert out.sampling_records[0].text_facts.text_present and out.sampling_records[0].text_facts.date_written
    assert [s.role for s in out.detection_plan.signatures] == ["author", "reviewer", "approver"]
    assert BundleRecords.model_validate(out.model_dump(mode="json")) == out  # JSON round trip


def test_text_facts():
    f = sheet_text_facts("气温: 25℃ 气压:\n流量校准 采样器 YQ-054")
    assert f.temp_with_unit and f.temp_state == "ok" and f.pressure_state == "blank"
    assert f.calibration_words and f.equipment_words and not f.db_words and not f.time_written
    assert sheet_text_facts("噪声 dB(A)").db_words is False
    p = plan_text_facts("采样流量 2.0 L/min\n样品冷藏保存，7天内送检")
    assert p.text_present and p.flow_words and p.storage_words and p.period_words
    assert plan_text_facts("") == plan_text_facts("").model_copy() and not plan_text_facts("").text_present


def test_scanned_page_turned_upside_down_reads_upright():
    from extractors.slots import upright_lines
    p = scan_page(4, [("调查人:田泽彬 陪同人员:", 237, 248, 546)], flip=True)
    (ln,) = upright_lines(p)
    assert ln.box[0] == 248 and ln.box[1] == 237  # back in the reading frame
    assert ln.disp == p.lines[0].bbox  # evidence keeps the displayed box


def test_slot_under_an_unread_image_region_is_unreadable_a_bare_one_empty():
    """Per image region the page records whether it gave text (``Page.image_boxes``).
    Here the counts balance (3 regions, 3 lines: one region gave two lines, one none),
    so the counts alone would call every blank slot read. A slot an unread region
    overlaps (a red seal whitened away, say) is UNREADABLE; a blank slot no unread
    region touches is EMPTY. Shape: labels in a column at the right of the page, each
    slot with its name box below-right of the label."""
    lines = [("检查者", (380, 300, 410, 312), None), ("王五", (420, 298, 450, 314), "image"),
             ("赵六", (455, 298, 485, 314), "image"),
             ("接收者", (380, 340, 410, 352), None),
             ("见证者", (380, 380, 410, 392), None),
             ("核对者", (380, 420, 410, 432), None), ("钱七", (420, 418, 450, 434), "image")]
    boxes = (((418.0, 296.0, 490.0, 316.0), True),   # gave 王五 赵六
             ((416.0, 336.0, 440.0, 358.0), False),  # a seal in the 接收者 slot: nothing read
             ((418.0, 416.0, 452.0, 436.0), True))   # gave 钱七
    p = page(7, [line(t, b, o) for t, b, o in lines], image_regions=3, image_lines=3, image_boxes=boxes)
    (recv,) = read_slots({7: p}, [7], ("接收者",), "receiver")
    assert recv.state is SlotState.UNREADABLE and not recv.readable
    (wit,) = read_slots({7: p}, [7], ("见证者",), "witness")
    assert wit.state is SlotState.EMPTY and wit.readable
    # the same page cached before image boxes were recorded: the counts decide (all read)
    old = p.model_copy(update={"image_boxes": None})
    (recv_old,) = read_slots({7: old}, [7], ("接收者",), "receiver")
    assert recv_old.state is SlotState.EMPTY
    # and a page without the field serializes as before (cache entries and hashes unchanged)
    assert "image_boxes" not in old.model_dump() and "image_boxes" in p.model_dump()


def test_an_image_in_the_box_that_gave_no_text_is_no_empty_slot():
    from extractors.slots import box_content
    from tests.synth import line, page
    lines = [line("签发人:", (258, 535, 305, 550)), line("日期:", (416, 535, 451, 550))]
    box = (258.0, 535.0, 450.0, 550.0)
    # the page records that the signature image in the box was OCR'd and gave nothing
    unread = page(20, lines, image_regions=1, image_lines=0, image_boxes=(((310.0, 531.0, 343.0, 555.0), False),))
    assert box_content(unread, box) is None
    # no image there: positively empty
    clean = page(20, lines, image_regions=1, image_lines=1, image_boxes=(((428.0, 170.0, 463.0, 195.0), True),))
    assert box_content(clean, box) == "empty"


def test_seals_read_apart_from_a_printed_row_holding_both_labels():
    # a scan: OCR read the printed row as one line; the seals, read apart, stand inside it
    from extractors.slots import SURVEY_TECH_LABELS
    from tests.synth import line, page
    p = page(4, [line("调查人员 2022.4.29 企业陪同人员 2022.4.29", (56, 540, 522, 564)),
                 line("熊龙国", (107, 546, 129, 565), origin="seal"), line("康思", (132, 545, 154, 565), origin="seal"),
                 line("间峰晓", (369, 541, 391, 561), origin="seal")], source="ocr")
    (tech,) = read_slots({4: p}, [4], SURVEY_TECH_LABELS, role="technician")
    (esc,) = read_slots({4: p}, [4], ESCORT_LABELS, role="escort")
    assert "熊龙国" in tech.text and "康思" in tech.text and "间峰晓" not in tech.text
    assert "间峰晓" in esc.text and "熊龙国" not in esc.text
    assert tech.state is SlotState.SIGNED and esc.state is SlotState.SIGNED


def test_a_seal_right_after_its_label_when_ocr_collapsed_the_gap_behind_it():
    # "调查人员:            企业陪同人员:" read as 15 characters over 314 pt: by its share of
    # the characters the first label would end at 134 pt, past the seal beside it
    from extractors.slots import SURVEY_TECH_LABELS
    from tests.synth import line, page
    p = page(4, [line("调查人员: 企业陪同人员:", (50, 601, 364, 616)),
                 line("龚凤梅", (104, 600, 126, 618), origin="seal"), line("丁真琳", (368, 600, 388, 618), origin="seal")],
             source="ocr")
    (tech,) = read_slots({4: p}, [4], SURVEY_TECH_LABELS, role="technician")
    (esc,) = read_slots({4: p}, [4], ESCORT_LABELS, role="escort")
    assert "龚凤梅" in tech.text and "丁真琳" not in tech.text
    assert "丁真琳" in esc.text and "龚凤梅" not in esc.text
