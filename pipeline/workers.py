"""Time-bounded work in child processes, for input that may hang or crash the library.

A pathological PDF can make MuPDF loop, segfault or eat all memory. Work on such
input runs here, in a long-lived ``spawn`` child, under a time limit: a call that
overruns kills the child (the next call starts a fresh one) and raises
:class:`WorkerTimeout`; a child that dies mid-call raises :class:`WorkerCrashed`;
whatever the function raised is re-raised in the parent.

- :class:`IsolatedWorker` — one child, one call at a time.
- :class:`WorkerPool` — idle workers handed to concurrent callers (threads).
- :func:`run_isolated` — run one call on the shared pool (the ingest stage's PDF
  inspection uses it; later stages may too).

``pipeline/pages.py`` keeps its own ``ProcessPoolExecutor`` fan-out: it runs many
pages of one file at once with per-page deadlines, a worker initializer (thread caps,
OCR models) and crash retries page by page, which is not this one-call-at-a-time
contract.

Depends on nothing else in ``pipeline`` (a bottom layer).
"""
from __future__ import annotations

import atexit
import importlib
import multiprocessing as mp
import os
import threading
from typing import Any, Callable, Optional, Sequence

MiB = 1024 * 1024
DEFAULT_MEM_LIMIT = 6 * 1024 * MiB


class WorkerTimeout(Exception):
    """The child did not answer in time; it was killed."""


class WorkerCrashed(Exception):
    """The child died while working (segfault, out of memory, os._exit …)."""


def _worker_main(
    conn: Any, mem_limit_bytes: Optional[int], warm_imports: Sequence[str] = ()
) -> None:  # pragma: no cover - child
    if mem_limit_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_limit_bytes, mem_limit_bytes))
        except (ImportError, ValueError, OSError):
            pass
    for module in warm_imports:  # warm up: the first call should not pay for imports
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        fn, args, kwargs = request
        try:
            reply = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            reply = ("err", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - unpicklable result or exception
            conn.send(("err", RuntimeError(f"{type(exc).__name__}: {exc}; {reply[1]!r}")))


class IsolatedWorker:
    """One long-lived ``spawn`` child that runs picklable calls under a time limit.

    Started lazily and reused, so a batch pays the interpreter start-up (and the
    ``warm_imports``, e.g. PyMuPDF: ≈1 s) once, not per call. A call that overruns its
    timeout kills the child (the next call starts a fresh one); a child that dies
    mid-call raises :class:`WorkerCrashed`. The child's address space is capped
    (``mem_limit_bytes``) so a pathological file fails instead of swapping the machine.
    """

    def __init__(
        self,
        *,
        mem_limit_bytes: Optional[int] = DEFAULT_MEM_LIMIT,
        name: str = "bundlecheck-worker",
        warm_imports: Sequence[str] = (),
    ) -> None:
        self.mem_limit_bytes = mem_limit_bytes
        self.name = name
        self.warm_imports = tuple(warm_imports)
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Any = None

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> None:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, self.mem_limit_bytes, self.warm_imports),
            name=self.name,
            daemon=True,
        )
        proc.start()
        child_conn.close()
        self._proc, self._conn = proc, parent_conn

    def stop(self) -> None:
        """Ask the child to exit, kill it if it does not within 2 s."""
        self._end(polite=True, wait=2)

    def _kill(self) -> Optional[int]:
        """Kill the child at once; its exit code (None if there was none)."""
        return self._end(polite=False, wait=5)

    def _end(self, *, polite: bool, wait: float) -> Optional[int]:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return None
        if polite:
            try:
                conn.send(None)
            except Exception:  # noqa: BLE001  (the child may be gone already)
                pass
            proc.join(timeout=wait)
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=wait)
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass
        return proc.exitcode

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` in the child; re-raise its exception here."""
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            self._start()
        try:
            self._conn.send((fn, args, kwargs))
        except (BrokenPipeError, EOFError, OSError):  # died while idle: one fresh start
            self._kill()
            self._start()
            self._conn.send((fn, args, kwargs))
        if not self._conn.poll(timeout):
            self._kill()
            raise WorkerTimeout(f"no answer within {timeout:g} s")
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):
            code = self._kill()
            raise WorkerCrashed(f"exit code {code}") from None
        if status == "err":
            raise value
        return value


class WorkerPool:
    """Idle :class:`IsolatedWorker` s handed to concurrent callers (threads); at most
    ``size`` children, each started on first need with the pool's settings."""

    def __init__(
        self,
        size: int,
        *,
        mem_limit_bytes: Optional[int] = DEFAULT_MEM_LIMIT,
        name: str = "bundlecheck-worker",
        warm_imports: Sequence[str] = (),
    ) -> None:
        self.size = max(1, size)
        self._worker_kwargs = dict(
            mem_limit_bytes=mem_limit_bytes, name=name, warm_imports=tuple(warm_imports)
        )
        self._idle: list[IsolatedWorker] = []
        self._all: list[IsolatedWorker] = []
        self._cond = threading.Condition()

    def acquire(self) -> IsolatedWorker:
        with self._cond:
            while not self._idle and len(self._all) >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            worker = IsolatedWorker(**self._worker_kwargs)
            self._all.append(worker)
            return worker

    def release(self, worker: IsolatedWorker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` on an idle worker of this pool (see :func:`run_isolated`)."""
        worker = self.acquire()
        try:
            return worker.call(fn, *args, timeout=timeout, **kwargs)
        finally:
            self.release(worker)

    def shutdown(self) -> None:
        with self._cond:
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()


# The shared pool: one child per core at most, PyMuPDF imported at start-up (its
# callers today inspect PDFs). Stopped at interpreter exit.
_POOL = WorkerPool(size=os.cpu_count() or 2, name="bundlecheck-inspect", warm_imports=("pymupdf",))
atexit.register(_POOL.shutdown)


def shutdown_workers() -> None:
    """Stop the shared pool's child processes (they also stop at interpreter exit)."""
    _POOL.shutdown()


def run_isolated(fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
    """Run a picklable module-level ``fn`` in a pooled child process, bounded in time.

    Raises :class:`WorkerTimeout` / :class:`WorkerCrashed`, or whatever ``fn`` raised.
    """
    return _POOL.run(fn, *args, timeout=timeout, **kwargs)


def can_spawn_children() -> bool:
    """Whether this process may start children. Daemonic processes
    (multiprocessing.Pool workers, some task runners) may not: run in-process there."""
    return not mp.current_process().daemon


__all__ = [
    "IsolatedWorker",
    "WorkerCrashed",
    "WorkerPool",
    "WorkerTimeout",
    "can_spawn_children",
    "run_isolated",
    "shutdown_workers",
]
