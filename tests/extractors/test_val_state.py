"""ValState: the typed proof of absence a check reads, instead of the words of ``reason``."""
from __future__ import annotations

import pytest

from extractors.forms._common import value
from extractors.layout import grid
from extractors.records import Val, ValState
from extractors.table import TableSpec, find_tables, row_vals
from tests.synth import grid_page


@pytest.mark.parametrize("val, state", [
    (Val(value="张三"), ValState.READ),
    (Val(value="张三", state=ValState.EMPTY), ValState.READ),  # a value read is read, whatever was passed
    (Val(value=None), ValState.UNKNOWN),
    (Val(value=""), ValState.UNKNOWN),
    (Val.missing("x", 3, ValState.ABSENT), ValState.ABSENT),
])
def test_state_of_a_value(val, state):
    assert val.state is state
    assert val.empty is (state is ValState.EMPTY) and val.absent is (state is ValState.ABSENT)


def _grid(rows):
    return grid(grid_page(1, rows))


@pytest.mark.parametrize("rows, state, ok", [
    ([[(50, "采样日期：2022-06-14")]], ValState.READ, True),
    ([[(50, "采样日期：")]], ValState.EMPTY, False),  # the label is there, nothing beside it
    ([[(50, "天气：晴")]], ValState.ABSENT, False),  # the label is nowhere on the form
])
def test_label_lookup_says_empty_or_absent(rows, state, ok):
    v = value([_grid(rows)], ("采样日期",), parse=None, what="采样日期", below=False)
    assert v.ok is ok and v.state is state


def test_label_found_but_unparsable_is_unknown():
    v = value([_grid([[(50, "采样日期：看不清")]])], ("采样日期",), parse=lambda s: None, what="采样日期", below=False)
    assert not v.ok and v.state is ValState.UNKNOWN  # something stands there: never proof of absence


def test_empty_table_cell_is_empty():
    rows = [[(50, "样品编号"), (150, "采样地点"), (300, "流量")],
            [(50, "S001"), (150, "熔炼炉旁"), (300, "2.0")],
            [(50, "S002"), (150, "浇注位")]]
    spec = TableSpec("t", {"sample_id": ("样品编号",), "site": ("采样地点",), "flow": ("流量",)}, "sample_id",
                     lambda t: t.startswith("S"), min_columns=2)
    tables = find_tables([_grid(rows)], spec)
    assert tables, "table not found"
    got = {r.get("sample_id").value: r for r in (row_vals(tables[0], tr) for tr in tables[0].rows)}
    assert got["S001"].get("flow").state is ValState.READ
    assert got["S002"].get("flow").state is ValState.EMPTY
