"""Storage: runs, bundles, pages and findings in an embedded database.

SQLAlchemy 2.x ORM. The default is one SQLite file per output folder,
``sqlite:///<out>/bundlecheck.sqlite`` (:meth:`Store.for_output`); any database URL
works (``postgresql+psycopg://…``): no driver beyond the standard library's
``sqlite3`` is imported unless the URL names it.

Tables (one row per …; declared in ``pipeline/store_schema.py`` with the records):

- ``runs``: one ``bundlecheck run`` (started, finished, input, settings JSON, status);
- ``bundles``: one bundle of a run (bundle id, folder, status, error, the original's
  sha256 / size / page count, timings JSON, what inspection found);
- ``pages``: one page of ``original.pdf`` (source ``text|ocr|none``, text, lines with
  boxes as JSON, section type, rotation, skew, seconds, error);
- ``findings``: one finding (code, indicator, veto, message, evidence JSON).

Parallel writers. SQLite allows one writer at a time; under parallel load users saw
``database is locked``. Here: WAL journal (readers never block the writer), a 30 s
busy timeout, every write is one short transaction opened with ``BEGIN IMMEDIATE``
(takes the write lock up front, so two writers never deadlock upgrading a read lock,
which SQLite answers with an immediate ``locked`` that no timeout helps), and a retry
with jittered back-off on ``OperationalError`` "locked"/"busy" on top.

``record_bundle`` is idempotent per ``(run, folder)``: a retried task replaces the
bundle's rows instead of duplicating them.

Times are stored in UTC. The repository API returns plain frozen records, never ORM
objects, so nothing is tied to a session after a call returns.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, TypeVar

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from .store_schema import (
    Base,
    BundleRecord,
    BundleRow,
    FindingRow,
    PageRecord,
    PageRow,
    RunRecord,
    RunRow,
    as_utc as _utc,
    bundle_record as _bundle_record,
    run_record as _run_record,
)
from .types import BundleResult, Evidence, Finding, Page

DB_FILENAME = "bundlecheck.sqlite"

T = TypeVar("T")


class StoreError(Exception):
    """The database cannot be used (bad URL, missing driver, unreachable server)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _is_lock_error(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


# --------------------------------------------------------------------------- the store


class Store:
    """Repository over one database. Thread- and process-safe for writing.

    >>> store = Store.for_output(out_dir)          # sqlite:///<out>/bundlecheck.sqlite
    >>> run_id = store.start_run(input_path, settings={"workers": 2})
    >>> store.record_bundle(run_id, result, pages, folder=bundle_dir, info=pdf_info)
    >>> store.finish_run(run_id, status="done")
    """

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        busy_timeout_s: float = 30.0,
        retries: int = 8,
        create: bool = True,
    ) -> None:
        try:
            parsed = make_url(url)
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"invalid database URL {url!r}: {exc}") from None
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.retries = retries
        self.busy_timeout_s = busy_timeout_s
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # Pooled connections (SQLAlchemy's QueuePool for files) are handed to one
            # thread at a time, so sharing them across threads is safe. Keeping them
            # open matters: closing the last WAL connection checkpoints and deletes
            # the WAL, which per transaction costs more than the write itself.
            kwargs["connect_args"] = {"timeout": busy_timeout_s, "check_same_thread": False}
            if not database or database == ":memory:":
                kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"the database driver for {parsed.drivername!r} is not installed ({exc.name}); "
                f"e.g. pip install 'psycopg[binary]' and use postgresql+psycopg://…"
            ) from None
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"cannot use database URL {parsed!r}: {exc}") from None
        if self.is_sqlite:
            self._install_sqlite_pragmas()
        if create:
            self.create_schema()

    # ----------------------------------------------------------------- setup

    @staticmethod
    def default_url(out_dir: Path) -> str:
        """``sqlite:///<out>/bundlecheck.sqlite`` (absolute path)."""
        return f"sqlite:///{(Path(out_dir).resolve() / DB_FILENAME).as_posix()}"

    @classmethod
    def for_output(cls, out_dir: Path, url: Optional[str] = None, **kwargs: Any) -> "Store":
        """The run's store: ``url`` when given (e.g. PostgreSQL), else SQLite in OUT."""
        return cls(url or cls.default_url(out_dir), **kwargs)

    def _install_sqlite_pragmas(self) -> None:
        busy_ms = int(self.busy_timeout_s * 1000)

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
                cursor.execute("PRAGMA foreign_keys = ON")
                self._set_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")
            finally:
                cursor.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

    def _set_wal(self, cursor: Any) -> None:
        # WAL is a property of the database file: set it once. Switching needs a
        # moment of exclusive access; under a concurrent start it may report busy
        # even with the timeout: retry.
        cursor.execute("PRAGMA journal_mode")
        current = (cursor.fetchone() or ("",))[0]
        if str(current).lower() in ("wal", "memory"):
            return
        for attempt in range(self.retries):
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                return
            except Exception as exc:  # noqa: BLE001 - sqlite3.OperationalError
                if not _is_lock_error(exc) or attempt == self.retries - 1:
                    raise
                time.sleep(0.05 * (2**attempt) * (0.5 + random.random()))

    def create_schema(self) -> None:
        """Create missing tables (safe to call from several processes at once)."""

        # One IMMEDIATE transaction on SQLite: concurrent starters serialize on the
        # write lock, so the second one sees the tables and creates nothing.
        engine = self._write_engine()

        def create() -> None:
            Base.metadata.create_all(engine, checkfirst=True)
            _add_missing_columns(engine)

        try:
            self._retry(create)
        except OperationalError as exc:
            if "already exists" not in str(exc):  # lost a create race: fine
                raise StoreError(f"cannot create the schema in {self.url!r}: {exc}") from exc
        except ModuleNotFoundError as exc:
            raise StoreError(f"the database driver is not installed ({exc.name})") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----------------------------------------------------------------- transactions

    def _retry(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.retries):
            try:
                return fn()
            except OperationalError as exc:
                if not _is_lock_error(exc) or attempt == self.retries - 1:
                    raise
                time.sleep(min(2.0, 0.05 * (2**attempt)) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def _write_engine(self) -> Engine:
        if self.is_sqlite:
            return self.engine.execution_options(sqlite_begin="IMMEDIATE")
        return self.engine

    def _write(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one short write transaction (BEGIN IMMEDIATE on SQLite)."""
        engine = self._write_engine()

        def attempt() -> T:
            with Session(engine, expire_on_commit=False) as session:
                with session.begin():
                    return fn(session)

        return self._retry(attempt)

    def _read(self, fn: Callable[[Session], T]) -> T:
        def attempt() -> T:
            with Session(self.engine) as session:
                with session.begin():
                    return fn(session)

        return self._retry(attempt)

    # ----------------------------------------------------------------- writing

    def start_run(
        self,
        input: str | Path,
        settings: Optional[Mapping[str, Any]] = None,
        *,
        started: Optional[dt.datetime] = None,
    ) -> int:
        """Insert a ``running`` run; returns its id."""

        def op(session: Session) -> int:
            row = RunRow(
                started=_utc(started) or _now(),
                input=str(input),
                settings=_jsonable(dict(settings or {})),
                status="running",
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(op)

    def finish_run(
        self,
        run_id: int,
        status: str = "done",
        *,
        finished: Optional[dt.datetime] = None,
        summary: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """Mark the run finished (``done`` / ``failed`` / ``aborted``)."""

        def op(session: Session) -> None:
            row = session.get(RunRow, run_id)
            if row is None:
                raise KeyError(f"no run {run_id}")
            row.finished = _utc(finished) or _now()
            row.status = status
            if summary is not None:
                row.summary = _jsonable(dict(summary))

        self._write(op)

    def record_bundle(
        self,
        run_id: int,
        result: BundleResult,
        pages: Sequence[Page] = (),
        *,
        folder: str | Path,
        info: Any = None,
        timings: Optional[Mapping[str, float]] = None,
        error_kind: Optional[str] = None,
        sha256: Optional[str] = None,
        size: Optional[int] = None,
    ) -> int:
        """Store one bundle with its pages and findings; returns the bundle row id.

        ``info`` is the original's :class:`~pipeline.ingest.PdfInfo` (sha256, size,
        page count; its per-page details are not duplicated) or None when the
        original could not be opened; ``sha256`` / ``size`` may be given instead of
        (or override) ``info``. Recording the same ``(run_id, folder)`` again
        replaces the earlier rows (a retried task).
        """
        folder_s = str(folder)
        section_of = {no: s.type for s in result.sections for no in s.pages}
        info_dump: Optional[dict[str, Any]] = None
        if info is not None:
            info_dump = info.model_dump(mode="json", exclude={"pages"}) if hasattr(info, "model_dump") else dict(info)
        extras = result.model_dump(mode="json", exclude={"findings"})

        def op(session: Session) -> int:
            old = session.scalars(
                select(BundleRow).where(BundleRow.run_id == run_id, BundleRow.folder == folder_s)
            ).first()
            if old is not None:
                session.delete(old)
                session.flush()
            row = BundleRow(
                run_id=run_id,
                bundle_id=result.bundle_id,
                folder=folder_s,
                status=result.status,
                error=result.error,
                error_kind=error_kind,
                original_sha256=sha256 or (info_dump or {}).get("sha256"),
                original_size=size if size is not None else (info_dump or {}).get("size"),
                pages=(info_dump or {}).get("page_count", len(pages) or None),
                timings=_jsonable(dict(timings or {})),
                inspection=info_dump,
                result=extras,
                recorded=_now(),
            )
            row.page_rows = [
                PageRow(
                    no=p.no,
                    source=p.source,
                    text=p.text,
                    lines=[line.model_dump(mode="json") for line in p.lines],
                    section_type=section_of.get(p.no),
                    width=p.width,
                    height=p.height,
                    rotation=p.rotation,
                    skew=p.skew,
                    seconds=p.seconds,
                    error=p.error,
                )
                for p in pages
            ]
            row.finding_rows = [
                FindingRow(
                    seq=i,
                    code=f.code,
                    indicator=f.indicator,
                    veto=f.veto,
                    message=f.message,
                    evidence=[e.model_dump(mode="json") for e in f.evidence],
                    pages=list(f.pages),
                    message_pages=list(f.message_pages),
                )
                for i, f in enumerate(result.findings)
            ]
            session.add(row)
            session.flush()
            return row.id

        return self._write(op)

    # ----------------------------------------------------------------- reading

    def get_run(self, run_id: int) -> Optional[RunRecord]:
        def op(session: Session) -> Optional[RunRecord]:
            row = session.get(RunRow, run_id)
            return _run_record(row) if row is not None else None

        return self._read(op)

    def list_runs(self) -> list[RunRecord]:
        return self._read(
            lambda s: [_run_record(r) for r in s.scalars(select(RunRow).order_by(RunRow.id))]
        )

    def list_bundles(self, run_id: int) -> list[BundleRecord]:
        """The run's bundles ordered by bundle id, then folder."""
        return self._read(
            lambda s: [
                _bundle_record(r)
                for r in s.scalars(
                    select(BundleRow)
                    .where(BundleRow.run_id == run_id)
                    .order_by(BundleRow.bundle_id, BundleRow.folder)
                )
            ]
        )

    def get_bundle(self, run_id: int, bundle_id: str) -> Optional[BundleRecord]:
        def op(session: Session) -> Optional[BundleRecord]:
            row = session.scalars(
                select(BundleRow)
                .where(BundleRow.run_id == run_id, BundleRow.bundle_id == bundle_id)
                .order_by(BundleRow.id)
            ).first()
            return _bundle_record(row) if row is not None else None

        return self._read(op)

    def find_by_sha256(self, sha256: str) -> list[BundleRecord]:
        """Every recorded bundle whose original has this hash (re-submissions)."""
        return self._read(
            lambda s: [
                _bundle_record(r)
                for r in s.scalars(
                    select(BundleRow).where(BundleRow.original_sha256 == sha256).order_by(BundleRow.id)
                )
            ]
        )

    def get_pages(self, bundle_row_id: int) -> list[PageRecord]:
        return self._read(
            lambda s: [
                PageRecord(
                    no=r.no, source=r.source, text=r.text, lines=list(r.lines or []),
                    section_type=r.section_type, width=r.width, height=r.height,
                    rotation=r.rotation, skew=r.skew, seconds=r.seconds, error=r.error,
                )
                for r in s.scalars(
                    select(PageRow).where(PageRow.bundle_row_id == bundle_row_id).order_by(PageRow.no)
                )
            ]
        )

    def get_findings(self, bundle_row_id: int) -> list[Finding]:
        return self._read(
            lambda s: [
                Finding(
                    code=r.code,
                    indicator=r.indicator,
                    veto=bool(r.veto),
                    message=r.message,
                    evidence=tuple(Evidence.model_validate(e) for e in (r.evidence or [])),
                    pages=tuple(r.pages or ()),
                    message_pages=tuple(r.message_pages or ()),
                )
                for r in s.scalars(
                    select(FindingRow)
                    .where(FindingRow.bundle_row_id == bundle_row_id)
                    .order_by(FindingRow.seq)
                )
            ]
        )

    def load_result(self, bundle_row_id: int) -> BundleResult:
        """The stored bundle as the ``findings.json`` model (round trip)."""
        findings = self.get_findings(bundle_row_id)

        def op(session: Session) -> dict[str, Any]:
            row = session.get(BundleRow, bundle_row_id)
            if row is None:
                raise KeyError(f"no bundle row {bundle_row_id}")
            return dict(row.result or {"bundle_id": row.bundle_id, "status": row.status, "error": row.error})

        data = self._read(op)
        data["findings"] = [f.model_dump(mode="json") for f in findings]
        return BundleResult.model_validate(data)

    def count_findings(self, run_id: int) -> dict[str, int]:
        """Findings per code over a run (for summaries)."""

        def op(session: Session) -> dict[str, int]:
            rows = session.execute(
                select(FindingRow.code)
                .join(BundleRow, FindingRow.bundle_row_id == BundleRow.id)
                .where(BundleRow.run_id == run_id)
            ).scalars()
            counts: dict[str, int] = {}
            for code in rows:
                counts[code] = counts.get(code, 0) + 1
            return dict(sorted(counts.items()))

        return self._read(op)


def _jsonable(value: Any) -> Any:
    """Settings may hold paths, dates, tuples: make them JSON."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return str(value)


__all__ = [
    "Base",
    "BundleRecord",
    "BundleRow",
    "DB_FILENAME",
    "FindingRow",
    "PageRecord",
    "PageRow",
    "RunRecord",
    "RunRow",
    "Store",
    "StoreError",
]


# Columns added to a table after its first release: a store created before them gets
# them (NULL in its old rows) when opened, instead of failing on the first insert.
_ADDED_COLUMNS = {"findings": ("pages", "message_pages")}


def _add_missing_columns(engine: Engine) -> None:
    with engine.begin() as conn:
        insp = inspect(conn)
        for table, names in _ADDED_COLUMNS.items():
            have = {c["name"] for c in insp.get_columns(table)}
            for name in names:
                if name not in have:
                    col = Base.metadata.tables[table].c[name]
                    conn.execute(sql_text(f"ALTER TABLE {table} ADD COLUMN {name} "
                                          f"{col.type.compile(dialect=conn.dialect)}"))
