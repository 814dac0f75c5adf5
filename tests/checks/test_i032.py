"""i032_materials_complete (checks/i032_materials_complete.py): each raw material the
survey names has its 用量 and 主要成分/有害组分 filled in."""
from __future__ import annotations

import pytest

from extractors.records import BundleRecords, SurveyRecord, Val, ValState
from tests.checks.adm14_records import codes, material, rendered_findings, run

ONLY = ["i032_materials_complete"]


def _survey(*rows):
    return BundleRecords(field_survey=SurveyRecord(raw_materials=list(rows), pages=(3,)))


def test_complete_materials_are_silent():
    assert run(_survey(material("石英砂"), material("纯碱", "4.5万t/a", "Na2CO3")), only=ONLY) == []


@pytest.mark.parametrize("printed", ["", "/", "—"])
@pytest.mark.parametrize("column", ["amount", "components"])
def test_blank_cell_is_flagged_with_the_material_and_its_box(column, printed):
    kw = {column: printed}
    f = run(_survey(material("石英砂"), material("纯碱", **kw)), only=ONLY)
    assert codes(f) == [("survey.materials_incomplete", 32)]
    assert "纯碱" in f[0].message and "第3页" in f[0].message
    assert ("用量" if column == "amount" else "主要成分") in f[0].message
    assert f[0].evidence[1].bbox == (300.0, 150.0, 380.0, 162.0)
    if printed:
        assert f"仅填“{printed}”" in f[0].message
    # the other cell, filled, is named as what the row does hold
    other = "SiO2约98%" if column == "amount" else "16万t/a"
    assert other in f[0].message


def test_cell_not_read_or_column_absent_says_nothing():
    unread = Val(value=None, page=3, raw="?#", conf=0.0, reason="cannot parse")
    absent = Val.missing("column components not in table", None, ValState.UNKNOWN)
    r1 = material("纯碱", amount=unread)
    r2 = material("白云石")
    r2.fields["components"] = absent
    assert run(_survey(r1, r2), only=ONLY) == []


def test_total_row_is_no_material():
    assert run(_survey(material("合计", amount="", components="")), only=ONLY) == []


@pytest.mark.parametrize("family", ["a", "b"])
def test_rendered_clean_bundle_reads_the_table_and_is_silent(tmp_path, family):
    records, findings, _ = rendered_findings(tmp_path, family, ONLY)
    mats = records.field_survey.raw_materials
    assert mats and all(r.get("name").ok and r.get("amount").ok and r.get("components").ok for r in mats)
    assert findings == []
