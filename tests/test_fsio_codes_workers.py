"""Low shared modules: atomic writes (pipeline/fsio.py), finding codes (pipeline/codes.py),
the child-process pool (pipeline/workers.py)."""
from __future__ import annotations

import os
import stat

import pytest

from pipeline import codes
from pipeline.fsio import atomic_path, atomic_write_bytes, atomic_write_text
from pipeline.workers import WorkerPool


def test_atomic_write_text_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "findings.json"
    atomic_write_text(target, "一")
    atomic_write_text(target, "二\n")
    assert target.read_text(encoding="utf-8") == "二\n"
    assert [p.name for p in target.parent.iterdir()] == ["findings.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_atomic_write_bytes(tmp_path):
    atomic_write_bytes(tmp_path / "a.bin", b"\x00\x01")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"


def test_atomic_path_keeps_old_file_on_error(tmp_path):
    target = tmp_path / "checklist.xlsx"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            assert tmp.parent == tmp_path and tmp.suffix == ".xlsx" and tmp.name.startswith(".")
            tmp.write_text("half")
            raise RuntimeError("writer failed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["checklist.xlsx"]
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"


def test_both_outputs_name_codes_from_one_table():
    from checks import base
    from pipeline.outputs import checklist_xlsx, report_html

    assert base.CANNOT_DECIDE == checklist_xlsx.CANNOT_DECIDE == report_html.CANNOT_DECIDE == codes.CANNOT_DECIDE
    assert checklist_xlsx.OTHER_CODE_NAMES is codes.CODE_NAMES_ZH
    assert report_html.CODE_NAMES_ZH is codes.CODE_NAMES_ZH
    named = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}
    assert named == set(codes.CODE_NAMES_ZH)


def test_worker_pool_runs_in_a_child():
    pool = WorkerPool(1)
    try:
        assert pool.run(os.getpid, timeout=30) != os.getpid()
    finally:
        pool.shutdown()
