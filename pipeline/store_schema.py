"""The store's tables (SQLAlchemy ORM rows) and the frozen records it hands out.

:class:`~pipeline.store.Store` (``pipeline/store.py``) reads and writes these tables;
callers only ever see the records (:class:`RunRecord`, :class:`BundleRecord`,
:class:`PageRecord`), never ORM objects. Times are stored in UTC.

Tables (one row per …): ``runs`` (one ``bundlecheck run``), ``bundles`` (one bundle
of a run), ``pages`` (one page of ``original.pdf``), ``findings`` (one finding).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# JSON everywhere; JSONB on PostgreSQL (indexable, compact).
JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    input: Mapped[str] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running|done|failed|aborted
    summary: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)

    bundles: Mapped[list["BundleRow"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", passive_deletes=True
    )


class BundleRow(Base):
    __tablename__ = "bundles"
    __table_args__ = (UniqueConstraint("run_id", "folder", name="uq_bundles_run_folder"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    bundle_id: Mapped[str] = mapped_column(String(200), index=True)
    folder: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # done|failed
    error: Mapped[Optional[str]] = mapped_column(Text)
    error_kind: Mapped[Optional[str]] = mapped_column(String(40))
    original_sha256: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    original_size: Mapped[Optional[int]] = mapped_column(Integer)
    pages: Mapped[Optional[int]] = mapped_column(Integer)
    timings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    inspection: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)  # PdfInfo, no pages
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)  # findings.json extras
    recorded: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    run: Mapped[RunRow] = relationship(back_populates="bundles")
    page_rows: Mapped[list["PageRow"]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PageRow.no",
    )
    finding_rows: Mapped[list["FindingRow"]] = relationship(
        back_populates="bundle", cascade="all, delete-orphan", passive_deletes=True,
        order_by="FindingRow.seq",
    )


class PageRow(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("bundle_row_id", "no", name="uq_pages_bundle_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_row_id: Mapped[int] = mapped_column(
        ForeignKey("bundles.id", ondelete="CASCADE"), index=True
    )
    no: Mapped[int] = mapped_column(Integer)  # 1-based
    source: Mapped[str] = mapped_column(String(8))  # text|ocr|none
    text: Mapped[str] = mapped_column(Text, default="")
    lines: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # Line dumps with boxes
    section_type: Mapped[Optional[str]] = mapped_column(String(40))
    width: Mapped[Optional[float]] = mapped_column(Float)
    height: Mapped[Optional[float]] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    skew: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[Optional[str]] = mapped_column(Text)

    bundle: Mapped[BundleRow] = relationship(back_populates="page_rows")


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_row_id: Mapped[int] = mapped_column(
        ForeignKey("bundles.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)  # order in findings.json
    code: Mapped[str] = mapped_column(String(80), index=True)
    indicator: Mapped[Optional[int]] = mapped_column(Integer)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    # Finding.pages / Finding.message_pages; NULL in rows written before they existed
    pages: Mapped[Optional[list[int]]] = mapped_column(JSONType, nullable=True)
    message_pages: Mapped[Optional[list[int]]] = mapped_column(JSONType, nullable=True)

    bundle: Mapped[BundleRow] = relationship(back_populates="finding_rows")


# --------------------------------------------------------------------------- records out


@dataclass(frozen=True)
class RunRecord:
    id: int
    started: dt.datetime
    finished: Optional[dt.datetime]
    input: str
    settings: dict[str, Any]
    status: str
    summary: Optional[dict[str, Any]]


@dataclass(frozen=True)
class BundleRecord:
    id: int  # row id (the key of pages and findings)
    run_id: int
    bundle_id: str
    folder: str
    status: str
    error: Optional[str]
    error_kind: Optional[str]
    original_sha256: Optional[str]
    original_size: Optional[int]
    pages: Optional[int]
    timings: dict[str, Any]
    inspection: Optional[dict[str, Any]]
    recorded: dt.datetime


@dataclass(frozen=True)
class PageRecord:
    no: int
    source: str
    text: str
    lines: list[Any]
    section_type: Optional[str]
    width: Optional[float]
    height: Optional[float]
    rotation: int
    skew: float
    seconds: float
    error: Optional[str]


def as_utc(value: Optional[dt.datetime]) -> Optional[dt.datetime]:
    """Aware UTC in, aware UTC out (SQLite hands back naive values: they are UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def run_record(row: RunRow) -> RunRecord:
    return RunRecord(
        id=row.id,
        started=as_utc(row.started),  # type: ignore[arg-type]
        finished=as_utc(row.finished),
        input=row.input,
        settings=dict(row.settings or {}),
        status=row.status,
        summary=row.summary,
    )


def bundle_record(row: BundleRow) -> BundleRecord:
    return BundleRecord(
        id=row.id,
        run_id=row.run_id,
        bundle_id=row.bundle_id,
        folder=row.folder,
        status=row.status,
        error=row.error,
        error_kind=row.error_kind,
        original_sha256=row.original_sha256,
        original_size=row.original_size,
        pages=row.pages,
        timings=dict(row.timings or {}),
        inspection=row.inspection,
        recorded=as_utc(row.recorded),  # type: ignore[arg-type]
    )


__all__ = [
    "Base",
    "BundleRecord",
    "BundleRow",
    "FindingRow",
    "JSONType",
    "PageRecord",
    "PageRow",
    "RunRecord",
    "RunRow",
    "as_utc",
    "bundle_record",
    "run_record",
]
