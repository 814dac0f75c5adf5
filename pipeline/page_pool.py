"""The page workers: a ``ProcessPoolExecutor`` fan-out with per-page deadlines.

At most ``workers`` pages of one PDF are in flight; a page past its deadline gets its
pool killed (pages running beside it start over in a fresh pool); a worker that dies
takes the pages it was running into solo retries, and a page that breaks a pool twice
comes back with ``error`` set. Pools outlive one call (spawning workers and loading
the OCR models costs seconds) and stop at interpreter exit.

``pipeline/pages.py`` says what a worker does with a page; this module only runs it.
``pipeline/workers.py`` is the other pool: one call at a time, for the ingest stage.
"""
from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Callable, Optional

from .ocr_engine import set_process_threads
from .types import Page


def _worker_init(threads: int) -> None:
    # Keep numeric libraries from spawning a thread per core in every worker.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    set_process_threads(threads)  # and the OCR engine: one engine a worker, its share of the cores
    try:
        import cv2

        cv2.setNumThreads(threads)
    except Exception:
        pass
    try:
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    except Exception:
        pass


def _kill_pool(pool: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor cannot cancel a running task: end its processes (only ours).
    procs = list(getattr(pool, "_processes", {}).values())
    for p in procs:
        try:
            p.kill()
        except Exception:
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(timeout=5)
        except Exception:
            pass


def run_pool(
    task: Callable[[str, int, Any, Optional[str]], dict],
    pdf_path: Path,
    todo: list[int],
    settings: Any,
    password: Optional[str],
    workers: int,
    page_timeout: float,
) -> dict[int, Page]:
    """Fan pages out with at most ``workers`` in flight, so each submitted page is
    running and its clock is real. ``task(pdf_path, page_no, settings, password)`` runs
    in a worker and returns a ``Page`` dump; ``settings.threads`` caps each worker's
    threads. A page past its deadline gets its pool killed;
    pages that were running beside it are retried in a fresh pool."""
    results: dict[int, Page] = {}
    queue = list(todo)
    attempts: dict[int, int] = {}
    solo: list[int] = []  # pages under suspicion after a crash: run one at a time
    ctx = mp.get_context("spawn")  # no fork: the parent may hold threads/locks (Prefect)
    threads = settings.threads
    while queue or solo:
        pool = _acquire_pool(workers, threads, ctx)
        running: dict[Future, tuple[int, float]] = {}
        broken = False
        try:
            while (queue or solo or running) and not broken:
                limit = 1 if solo else workers
                while len(running) < limit and (solo or queue):
                    no = solo.pop(0) if solo else queue.pop(0)
                    attempts[no] = attempts.get(no, 0) + 1
                    fut = pool.submit(task, str(pdf_path), no, settings, password)
                    running[fut] = (no, time.monotonic())
                now = time.monotonic()
                next_deadline = min(start + page_timeout for _, start in running.values())
                done, _ = wait(list(running), timeout=max(0.05, next_deadline - now), return_when=FIRST_COMPLETED)
                for fut in done:
                    no, start = running.pop(fut)
                    try:
                        results[no] = Page.model_validate(fut.result())
                    except BrokenProcessPool:
                        broken = True
                        running[fut] = (no, start)  # handled below
                    except Exception as e:
                        results[no] = Page(no=no, source="none", width=0.0, height=0.0, error=f"页面处理失败 / page failed: {e}")
                if broken:
                    break
                now = time.monotonic()
                late = [(f, no, start) for f, (no, start) in running.items() if now - start >= page_timeout]
                if late:
                    for f, no, start in late:
                        results[no] = Page(
                            no=no, source="none", width=0.0, height=0.0,
                            error=f"页面处理超时 / page timed out after {page_timeout:.0f} s",
                            seconds=round(now - start, 3),
                        )
                        running.pop(f)
                    # Innocent pages in flight beside the late one start over.
                    queue[:0] = [no for no, _ in running.values()]
                    running.clear()
                    _discard_pool(pool)
                    pool = None  # type: ignore[assignment]
                    break
            if broken:
                # A worker died (crash, OOM kill). Whoever was in flight is a suspect:
                # retry each alone; a page that breaks a pool twice gets an error.
                for f, (no, start) in running.items():
                    if attempts.get(no, 0) >= 2:
                        results[no] = Page(no=no, source="none", width=0.0, height=0.0, error="页面处理导致进程崩溃 / worker process crashed on this page")
                    else:
                        solo.append(no)
                running.clear()
        finally:
            if pool is not None and broken:
                _discard_pool(pool)
    return results


# Worker processes outlive one call: spawning them and loading the OCR models costs
# seconds, which would otherwise be paid again for every bundle of a batch.
_POOLS: dict[tuple[int, int], ProcessPoolExecutor] = {}
_POOLS_LOCK = threading.RLock()


class Pending:
    """Calls queued on the page workers (``submit_calls``); ``results()`` waits for them.

    Queued work runs while this process does serial work of its own (painting a copy,
    reading its document structure); the answers are the same as ``map_calls``'s."""

    def __init__(self, fn: Callable[..., Any], calls: list[tuple], futures: Optional[list[Future]],
                 pool: Optional[ProcessPoolExecutor]):
        self.fn, self.calls, self._futures, self._pool = fn, calls, futures, pool
        self._out: Optional[list[Any]] = None

    def results(self) -> list[Any]:
        """``fn(*args)`` for each call, in order. What ``fn`` raises is raised here; calls
        whose worker died are run again in this process."""
        if self._out is not None:
            return self._out
        if self._futures is None:  # in this process (see ``submit_calls``)
            self._out = [self.fn(*a) for a in self.calls]
            return self._out
        out: list[Any] = []
        broken = False
        for args, fut in zip(self.calls, self._futures):
            if not broken:
                try:
                    out.append(fut.result())
                    continue
                except BrokenProcessPool:
                    broken = True
                    if self._pool is not None:
                        _discard_pool(self._pool)
            out.append(self.fn(*args))
        self._out = out
        return out


def submit_calls(fn: Callable[..., Any], calls: list[tuple], workers: int) -> Pending:
    """Queue ``fn(*args)`` for each ``args`` of ``calls`` on the page workers (the same
    pool, models already loaded) and return at once. In this process, when ``results()``
    is asked, where ``workers`` ≤ 0, for a single call, or where no child may be started.
    ``fn`` must be module-level."""
    if workers <= 0 or len(calls) <= 1 or mp.current_process().daemon:
        return Pending(fn, calls, None, None)
    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = _acquire_pool(workers, threads, mp.get_context("spawn"))
    return Pending(fn, calls, [pool.submit(fn, *a) for a in calls], pool)


def map_calls(fn: Callable[..., Any], calls: list[tuple], workers: int) -> list[Any]:
    """``fn(*args)`` for each ``args`` of ``calls``, in order, over the page workers
    (``submit_calls``, then its results)."""
    return submit_calls(fn, calls, workers).results()


def _acquire_pool(workers: int, threads: int, ctx: Any) -> ProcessPoolExecutor:
    key = (workers, threads)
    with _POOLS_LOCK:  # request threads of the workbench may fan out at once (its import re-check)
        pool = _POOLS.get(key)
        if pool is None:
            shutdown_pools()  # one pool at a time: never more workers than asked for
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                       initargs=(threads,))
            _POOLS[key] = pool
        return pool


def _discard_pool(pool: ProcessPoolExecutor) -> None:
    for key, p in list(_POOLS.items()):
        if p is pool:
            del _POOLS[key]
    _kill_pool(pool)


def shutdown_pools() -> None:
    """Stop the page workers (also runs at interpreter exit)."""
    while _POOLS:
        _, pool = _POOLS.popitem()
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pools)
