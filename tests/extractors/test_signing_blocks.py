"""Boxed signing blocks and plan prose (extractors/signatures.py, forms/detection_plan.py).

A block whose labels stand in a row of their own, with the names in the row under
each label and the dates in a row under that; shapes neither generated family prints
(other role words, columns of other widths, a date row further down)."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.layout import grid
from extractors.records import ValState
from extractors.signatures import signature_block, signer_val
from tests.synth import cells_page, section_pages

ROLES = {"author": ("编写人", "编写"), "reviewer": ("校对", "校对人"), "approver": ("审批", "审批人")}


def _block(names_row, dates_row, label_y=600):
    cells = [(60, label_y, "编写"), (240, label_y, "校对"), (420, label_y, "审批（技术负责人）")]
    cells += [(x, label_y + 18, t) for x, t in names_row]
    cells += [(x, label_y + 45, t) for x, t in dates_row]
    return cells_page(1, cells)


@pytest.mark.parametrize("gap", [18, 30])
def test_names_and_dates_under_their_labels(gap):
    p = _block([(62, "周明远"), (244, "吴静")], [(60, "2022年3月1日"), (240, "2022年3月2日"), (420, "2022年3月3日")])
    found = signature_block([grid(p)], ROLES, ["周明远", "吴静", "郑海"])
    assert [n for n, _ in found["author"].names] == ["周明远"] and [n for n, _ in found["reviewer"].names] == ["吴静"]
    assert str(found["author"].date) == "2022-03-01" and str(found["reviewer"].date) == "2022-03-02"
    # the approver's column holds only its date: filled in, the signature not read
    v = signer_val(found["approver"], "审批人")
    assert not v.ok and v.state is ValState.UNKNOWN


def test_approver_column_without_name_or_date_is_empty():
    p = _block([(62, "周明远"), (244, "吴静")], [(60, "2022年3月1日"), (240, "2022年3月2日")])
    found = signature_block([grid(p)], ROLES, ["周明远", "吴静"])
    v = signer_val(found["approver"], "审批人")
    assert not v.ok and v.state is ValState.EMPTY


def test_label_row_with_text_after_a_label_is_no_block():
    """``编写: 周明远`` on the label's own line: the line under it is not read as names."""
    p = cells_page(1, [(60, 600, "编写: 周明远"), (240, 600, "校对:"), (60, 618, "郑海")])
    found = signature_block([grid(p)], ROLES, ["周明远", "郑海"])
    assert [n for n, _ in found["author"].names] == ["周明远"] and not found["reviewer"].names


PLAN = [(50, 60, "职业卫生检测采样方案"), (50, 90, "方案编号 FA-2022-07"),
        (50, 120, "样品管理：采样后样品置于冷藏箱内运输，样品须在采样后7"),
        (50, 135, "天内完成测定。"),
        (50, 160, "配备设备：粉尘采样器、大气采样器、皂膜流量计。")]


def test_plan_period_in_wrapped_prose_and_inline_equipment():
    pages, secs = section_pages({"detection_plan": [PLAN]}, lambda no, cells: cells_page(no, cells))
    p = extract_records(pages, secs).detection_plan
    assert p.storage_period.ok and "7" in p.storage_period.value
    assert p.equipment.ok and p.equipment.value[:2] == ["粉尘采样器", "大气采样器"]


def test_a_report_deadline_is_no_storage_period():
    cells = PLAN[:2] + [(50, 120, "检测报告在采样后15日内出具。")]
    pages, secs = section_pages({"detection_plan": [cells]}, lambda no, c: cells_page(no, c))
    p = extract_records(pages, secs).detection_plan
    assert not p.storage_period.ok


def test_plan_rows_when_post_and_site_share_one_title():
    """One title naming post and site (工种/检测地点), the post above and the site below the
    row's line: rows start at the factor, and an empty flow cell is read as empty."""
    cells = PLAN[:2] + [
        (50, 200, "工种/检测地点"), (170, 200, "检测项目"), (250, 200, "采样方式"), (330, 200, "流量"), (400, 200, "收集器"),
        (50, 222, "切割工"), (170, 228, "电焊烟尘"), (250, 228, "个体"), (330, 228, "3.5"), (400, 228, "滤膜"),
        (50, 234, "切割平台"),
        (50, 252, "焊工"), (170, 258, "锰及其化合物"), (250, 258, "个体"), (400, 258, "滤膜"),
        (50, 264, "焊接工位")]
    pages, secs = section_pages({"detection_plan": [cells]}, lambda no, c: cells_page(no, c))
    rows = extract_records(pages, secs).detection_plan.rows
    assert [r.value("factor") for r in rows] == ["电焊烟尘", "锰及其化合物"]
    assert rows[0].value("flow") == 3.5 and rows[1].get("flow").empty
