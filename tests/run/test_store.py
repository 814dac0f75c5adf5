"""Storage: round trip, idempotent re-recording, SQLite under parallel writers,
PostgreSQL DDL without a driver."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from pipeline.store import Base, Store, StoreError
from pipeline.types import (
    BundleResult,
    Evidence,
    Finding,
    Line,
    Page,
    SampleLedgerEntry,
    Section,
    Word,
)

from tests.conftest import CORPUS, ROOT


def _result(bundle_id: str = "HN-2023-007", status: str = "done") -> BundleResult:
    return BundleResult(
        bundle_id=bundle_id,
        status=status,
        sections=[Section(type="contract", pages=(1,)), Section(type="report", pages=(2, 3))],
        samples=[
            SampleLedgerEntry(
                sample_id="S22061407", factor="矽尘(呼尘)", seen={"sampling_record": (2,), "report": (3,)}
            )
        ],
        findings=[
            Finding(
                code="samples.count_mismatch",
                indicator=94,
                veto=True,
                message="现场采样记录共 24 个样品，实验室分析记录仅 22 个：缺 S22061407、S22061408",
                evidence=(
                    Evidence(file="original.pdf", page=2, bbox=(72.0, 310.5, 520.0, 330.0), text="S22061407"),
                ),
            ),
            Finding(code="anonymized.missing", message="未提交脱敏版 anonymized.pdf"),
        ],
    )


def _pages(n: int = 3) -> list[Page]:
    pages = []
    for no in range(1, n + 1):
        line = Line(
            text=f"第{no}页 浓度 0.5 mg/m³",
            raw=f"第{no}页 浓度 0.5 mg/m²",
            bbox=(10.0, 20.0 * no, 300.0, 20.0 * no + 12),
            conf=0.93,
            words=(Word(text="浓度", bbox=(60.0, 20.0 * no, 90.0, 20.0 * no + 12)),),
        )
        pages.append(
            Page(
                no=no,
                source="ocr" if no > 1 else "text",
                width=595.0,
                height=842.0,
                lines=(line,),
                rotation=90 if no == 3 else 0,
                skew=0.4,
                seconds=0.25,
            )
        )
    return pages


def test_round_trip(tmp_path):
    store = Store.for_output(tmp_path)
    assert (tmp_path / "bundlecheck.sqlite").is_file()
    started = dt.datetime(2023, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    run_id = store.start_run(tmp_path / "in", {"workers": 2, "out": tmp_path, "dpi": (300,)}, started=started)
    run = store.get_run(run_id)
    assert run.status == "running" and run.finished is None
    assert run.started == started and run.started.tzinfo is not None
    assert run.settings == {"workers": 2, "out": str(tmp_path), "dpi": [300]}

    result, pages = _result(), _pages()
    row_id = store.record_bundle(
        run_id, result, pages, folder=tmp_path / "in" / "b1", timings={"ingest": 0.12, "ocr": 3.4}
    )
    store.finish_run(run_id, "done", summary={"done": 1, "failed": 0})

    run = store.get_run(run_id)
    assert run.status == "done" and run.finished >= run.started and run.summary == {"done": 1, "failed": 0}
    (bundle,) = store.list_bundles(run_id)
    assert bundle.id == row_id and bundle.bundle_id == "HN-2023-007" and bundle.status == "done"
    assert bundle.timings == {"ingest": 0.12, "ocr": 3.4} and bundle.pages == 3
    assert store.get_bundle(run_id, "HN-2023-007") == bundle

    stored_pages = store.get_pages(row_id)
    assert [p.no for p in stored_pages] == [1, 2, 3]
    assert [p.section_type for p in stored_pages] == ["contract", "report", "report"]
    assert [p.source for p in stored_pages] == ["text", "ocr", "ocr"]
    assert stored_pages[2].rotation == 90 and stored_pages[0].skew == pytest.approx(0.4)
    assert stored_pages[1].text == "第2页 浓度 0.5 mg/m³"
    assert [Line.model_validate(x) for x in stored_pages[1].lines] == list(pages[1].lines)

    assert store.get_findings(row_id) == result.findings
    assert store.load_result(row_id) == result
    assert store.count_findings(run_id) == {"anonymized.missing": 1, "samples.count_mismatch": 1}
    store.close()


def test_failed_bundle_and_pdf_info(tmp_path):
    from pipeline.ingest import inspect_pdf

    pdf = CORPUS / "pdfjs__Pages-tree-refs.pdf"
    if not pdf.is_file():
        pytest.skip("corpus not present")
    info = inspect_pdf(pdf, name="original.pdf")
    with Store.for_output(tmp_path) as store:
        run_id = store.start_run("in", {})
        store.record_bundle(run_id, _result("A"), [], folder="in/a", info=info)
        failed = BundleResult(
            bundle_id="B", status="failed", error="原始证据包 original.pdf 已加密 / original.pdf is encrypted"
        )
        store.record_bundle(run_id, failed, [], folder="in/b", error_kind="encrypted", sha256="ab" * 32)
        a, b = store.list_bundles(run_id)
        assert a.original_sha256 == info.sha256 and a.original_size == info.size and a.pages == 2
        assert a.inspection["encryption"] is None and "pages" not in a.inspection
        assert b.status == "failed" and b.error_kind == "encrypted" and b.pages is None
        assert b.original_sha256 == "ab" * 32 and b.inspection is None
        assert store.find_by_sha256(info.sha256) == [a]
        assert store.load_result(b.id) == failed


def test_recording_again_replaces(tmp_path):
    with Store.for_output(tmp_path) as store:
        run_id = store.start_run("in", {})
        store.record_bundle(run_id, _result(), _pages(3), folder="in/b1")
        row_id = store.record_bundle(run_id, _result(status="failed"), _pages(2), folder="in/b1")
        (bundle,) = store.list_bundles(run_id)
        assert bundle.id == row_id and bundle.status == "failed"
        assert len(store.get_pages(row_id)) == 2
        con = sqlite3.connect(tmp_path / "bundlecheck.sqlite")
        assert con.execute("select count(*) from pages").fetchone() == (2,)
        assert con.execute("select count(*) from findings").fetchone() == (2,)
        con.close()


def test_sqlite_is_wal_with_busy_timeout(tmp_path):
    with Store.for_output(tmp_path) as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_retries_while_another_writer_holds_the_lock(tmp_path):
    store = Store.for_output(tmp_path, busy_timeout_s=0.05, retries=10)
    run_id = store.start_run("in", {})
    holder = sqlite3.connect(tmp_path / "bundlecheck.sqlite", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    release = threading.Timer(0.4, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.perf_counter()
    store.record_bundle(run_id, _result(), _pages(1), folder="in/b1")
    assert time.perf_counter() - started >= 0.3
    release.join()
    holder.close()
    assert len(store.list_bundles(run_id)) == 1
    store.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline.store import Store
    from pipeline.types import BundleResult, Finding, Line, Page, Section

    url, name, n, barrier = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    store = Store(url)
    run_id = store.start_run("in", {"writer": name})
    line = Line(text="浓度 0.5 mg/m³", raw="浓度 0.5 mg/m²", bbox=(1.0, 2.0, 3.0, 4.0))
    pages = [Page(no=i, source="ocr", width=595, height=842, lines=(line,)) for i in (1, 2, 3, 4)]
    (barrier / f"{name}.ready").touch()
    while not (barrier / "go").exists():  # start writing together
        time.sleep(0.005)
    began = time.time()
    for i in range(n):
        result = BundleResult(
            bundle_id=f"{name}-{i}", status="done",
            sections=[Section(type="report", pages=(1, 2, 3, 4))],
            findings=[Finding(code="x.a", message="甲"), Finding(code="x.b", message="乙")],
        )
        store.record_bundle(run_id, result, pages, folder=f"in/{name}-{i}")
    store.finish_run(run_id, "done")
    print(began, time.time())
    """
)


def test_two_processes_write_concurrently(tmp_path):
    url = Store.default_url(tmp_path)
    Store(url).close()  # schema first, so both writers start on an existing file
    n = 40
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, name, str(n), str(barrier)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("w1", "w2")
    ]
    deadline = time.time() + 60
    while not all((barrier / f"{w}.ready").exists() for w in ("w1", "w2")):
        assert time.time() < deadline and all(p.poll() is None for p in procs), "writer failed to start"
        time.sleep(0.01)
    (barrier / "go").touch()
    outs = [p.communicate(timeout=120) for p in procs]
    windows = []
    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, err
        windows.append(tuple(float(x) for x in out.split()))
    (a0, a1), (b0, b1) = windows
    assert a0 < b1 and b0 < a1, "the two writers did not overlap"
    with Store(url) as store:
        runs = store.list_runs()
        assert len(runs) == 2 and all(r.status == "done" for r in runs)
        for run in runs:
            bundles = store.list_bundles(run.id)
            assert len(bundles) == n
            assert all(len(store.get_pages(b.id)) == 4 for b in bundles)
    con = sqlite3.connect(tmp_path / "bundlecheck.sqlite")
    assert con.execute("select count(*) from findings").fetchone() == (2 * n * 2,)
    assert con.execute("select count(*) from pages").fetchone() == (2 * n * 4,)
    con.close()


def test_threads_share_one_store(tmp_path):
    with Store.for_output(tmp_path) as store:
        run_id = store.start_run("in", {})
        errors: list[BaseException] = []

        def work(k: int) -> None:
            try:
                for i in range(10):
                    store.record_bundle(run_id, _result(f"t{k}-{i}"), _pages(2), folder=f"in/t{k}-{i}")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert len(store.list_bundles(run_id)) == 40


def test_postgresql_ddl_compiles_without_a_driver():
    dialect = postgresql.dialect()
    ddl = "\n".join(str(CreateTable(t).compile(dialect=dialect)) for t in Base.metadata.sorted_tables)
    assert "CREATE TABLE runs" in ddl and "JSONB" in ddl and "TIMESTAMP WITH TIME ZONE" in ddl
    assert [t.name for t in Base.metadata.sorted_tables] == ["runs", "bundles", "findings", "pages"]


def test_postgresql_url_without_driver_is_a_clear_error():
    try:
        import psycopg  # noqa: F401

        pytest.skip("a PostgreSQL driver is installed")
    except ImportError:
        pass
    with pytest.raises(StoreError) as exc:
        Store("postgresql://qc:secret@localhost/bundlecheck")
    assert "driver" in str(exc.value)


def test_bad_url():
    with pytest.raises(StoreError):
        Store("not a url")


def test_finding_pages_round_trip_and_an_older_store_gains_the_columns(tmp_path):
    result = _result()
    named = Finding(code="plan.incomplete", indicator=36, message="检测方案（第4～6页）缺少：编制人签字（第6页）",
                    evidence=(Evidence(page=6),), pages=(4, 5, 6), message_pages=(4, 5, 6))
    result = result.model_copy(update={"findings": [*result.findings, named]})
    # a store written before findings had pages
    old = tmp_path / "old"
    old.mkdir()
    Store.for_output(old).close()
    db = sqlite3.connect(old / "bundlecheck.sqlite")
    db.execute("ALTER TABLE findings DROP COLUMN pages")
    db.execute("ALTER TABLE findings DROP COLUMN message_pages")
    db.commit()
    db.close()
    for out in (tmp_path / "new", old):
        with Store.for_output(out) as store:
            run_id = store.start_run(out / "in", {})
            row_id = store.record_bundle(run_id, result, _pages(), folder=out / "in" / "b1")
            assert store.get_findings(row_id)[-1].pages == (4, 5, 6)
            assert store.load_result(row_id) == result
