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


def _engine_threads_here() -> int:
    from pipeline import ocr_engine

    return ocr_engine._PROCESS_THREADS or 0


def test_a_worker_engine_takes_the_worker_share_of_the_cores() -> None:
    # get_engine(0) in a page worker means its share: seal checks, copy re-reads and the
    # workbench re-check load no second engine beside the pages stage's one-thread engine
    shares = map_calls(_engine_threads_here, [()] * 4, 2)
    assert set(shares) == {max(1, (os.cpu_count() or 1) // 2)}


def test_queued_calls_answer_as_map_calls_does() -> None:
    # submit_calls queues now and answers later (the institution copy's re-reads run
    # while our own copy is painted); the answers are map_calls's, in order
    from pipeline.page_pool import submit_calls

    calls = [(2, k) for k in range(6)]
    queued = submit_calls(pow, calls, 2)
    assert map_calls(pow, [(3, 2), (3, 3)], 2) == [9, 27]  # later work is not held up by it
    assert queued.results() == [1, 2, 4, 8, 16, 32]
    assert queued.results() is queued.results()  # asked twice, run once
    assert submit_calls(pow, calls, 0).results() == [1, 2, 4, 8, 16, 32]
    with pytest.raises(ValueError):
        submit_calls(int, [("1",), ("x",)], 2).results()
