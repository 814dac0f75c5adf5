"""``page_pool.map_calls``: per-page work beside the pages stage, over the page workers."""
from __future__ import annotations

import os

import pytest

from pipeline.page_pool import map_calls


def test_in_order_in_process_and_over_workers() -> None:
    calls = [(2, k) for k in range(6)]
    assert map_calls(pow, calls, 0) == [1, 2, 4, 8, 16, 32]
    assert map_calls(pow, calls, 2) == [1, 2, 4, 8, 16, 32]


def test_work_really_leaves_the_process() -> None:
    pids = map_calls(os.getpid, [()] * 4, 2)
    assert os.getpid() not in pids


def test_what_the_function_raises_is_raised_here() -> None:
    with pytest.raises(ValueError):
        map_calls(int, [("1",), ("x",)], 2)
