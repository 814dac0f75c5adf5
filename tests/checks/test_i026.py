"""i026_disclosure_items (checks/i026_disclosure_items.py): every required item of the
disclosure is listed and marked published, and the published page shows it."""
from __future__ import annotations

import pytest

from extractors.records import BundleRecords, Val, ValState
from tests.checks.adm14_records import ITEMS, blank, codes, disclosure, item_row, rendered_findings, run

ONLY = ["i026_disclosure_items"]


def _run(d):
    return run(BundleRecords(disclosure=d), only=ONLY)


def test_all_items_published_is_silent():
    assert _run(disclosure()) == []


@pytest.mark.parametrize("mark", ["否", "未公示", "×"])
def test_item_marked_not_published_is_flagged(mark):
    rows = [item_row(t, mark=mark if i == 3 else "是", y=200.0 + 20 * i) for i, t in enumerate(ITEMS)]
    f = _run(disclosure(rows))
    assert codes(f) == [("disclosure.incomplete", 26)]
    assert "陪同人" in f[0].message and mark in f[0].message and "第10页" in f[0].message
    assert f[0].evidence[0].bbox == (480.0, 260.0, 520.0, 272.0)


def test_blank_mark_is_flagged():
    rows = [item_row(t, mark="" if i == 4 else "是", y=200.0 + 20 * i) for i, t in enumerate(ITEMS)]
    f = _run(disclosure(rows))
    assert codes(f) == [("disclosure.incomplete", 26)] and "影像资料" in f[0].message and "空白" in f[0].message


def test_row_covering_three_items_flags_each():
    rows = [item_row(t, mark="否" if i == 0 else "是", y=200.0 + 20 * i) for i, t in enumerate(ITEMS)]
    f = _run(disclosure(rows))
    assert len(f) == 3 and all(x.code == "disclosure.incomplete" for x in f)


def test_missing_row_flagged_only_when_the_table_was_read():
    rows = [item_row(t, y=200.0 + 20 * i) for i, t in enumerate(ITEMS) if i != 1]
    f = _run(disclosure(rows))
    assert codes(f) == [("disclosure.incomplete", 26)] and "项目组人员名单" in f[0].message and "未列出" in f[0].message
    f = _run(disclosure(rows, read=False))
    assert codes(f) == [("check.cannot_decide", 26)]


VALUES = [("用人单位名称", "凯旋硅业股份有限公司"), ("地址", "开封市禹王台区长江路10号"), ("联系人", "邹霞勇"),
          ("用人单位陪同人", "梁嘉宇"), ("项目组人员名单", "任佳、冯晓"), ("现场调查、采样时间", "2022-09-06、2022-09-15"),
          ("影像资料", "现场照片8张")]


@pytest.mark.parametrize("printed", ["", "/", "未公示"])
def test_values_layout_blank_or_not_published(printed):
    rows = [item_row(k, mark=None, value=printed if k == "联系人" else v, y=200.0 + 20 * i)
            for i, (k, v) in enumerate(VALUES)]
    f = _run(disclosure(rows))
    assert codes(f) == [("disclosure.incomplete", 26)] and "联系人" in f[0].message
    assert _run(disclosure([item_row(k, mark=None, value=v) for k, v in VALUES])) == []


def test_published_page_with_an_empty_field_is_flagged():
    pub = {"contact": Val(value="邹霞勇", page=10, bbox=(60.0, 400.0, 300.0, 412.0), raw="联系人：邹霞勇", conf=1.0),
           "escort": Val(value=None, page=10, bbox=(60.0, 420.0, 300.0, 432.0), raw="用人单位陪同人：",
                         reason="用人单位陪同人 blank", state=ValState.EMPTY)}
    f = _run(disclosure(published=pub))
    assert codes(f) == [("disclosure.incomplete", 26)] and "陪同人" in f[0].message


def test_nothing_read_cannot_decide():
    assert codes(_run(disclosure(rows=[], read=False))) == [("check.cannot_decide", 26)]


@pytest.mark.parametrize("family", ["a", "b"])
def test_rendered_clean_bundle_reads_the_table_and_is_silent(tmp_path, family):
    records, findings, _ = rendered_findings(tmp_path, family, ONLY)
    d = records.disclosure
    assert d.items_read.ok and len(d.item_rows) >= 5
    assert findings == []
