"""The cluster's plain parts without a cluster: publishing a bundle folder by rename, the
shared page cache under concurrent writers, attempt counting, the process bookkeeping
that ``cluster down`` relies on. The whole topology is tests/cluster/test_cluster.py."""
from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from flows import cluster
from flows.job import MARKER, attempt_history, publish
from pipeline.cache import PageCache
from pipeline.types import Page
from prefect.client.schemas.objects import StateType


def _staged(root: Path, name: str, source: str, content: str) -> Path:
    d = root / ".staging" / f"x.tmp-{content}" / name
    d.mkdir(parents=True)
    (d / MARKER).write_text(source, encoding="utf-8")
    (d / "findings.json").write_text(content, encoding="utf-8")
    return d


def test_publish_moves_in_replaces_a_rerun_and_never_takes_another_inputs_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert publish(_staged(out, "B1", "/in/a", "first"), out, "/in/a") == "B1"
    # A re-run of the same input replaces the folder as a whole.
    assert publish(_staged(out, "B1", "/in/a", "second"), out, "/in/a") == "B1"
    assert (out / "B1" / "findings.json").read_text() == "second"
    # Another input claiming the same bundle id gets the next name, as stage_write does.
    assert publish(_staged(out, "B1", "/in/b", "other"), out, "/in/b") == "B1-2"
    assert (out / "B1" / "findings.json").read_text() == "second"
    assert publish(_staged(out, "B1", "/in/b", "other2"), out, "/in/b") == "B1-2"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["B1", "B1-2"]
    assert not [p for p in (out / ".staging").rglob("*.old-*")]  # the replaced folders are gone


def _writer(root: str, key: str, tag: str, n: int) -> None:
    cache = PageCache(Path(root))
    for i in range(n):
        cache.put(key, Page(no=1, width=595, height=842, source="ocr", note=f"{tag}-{i}" * 200))


def test_page_cache_two_concurrent_writers_of_one_key_never_leave_a_torn_entry(tmp_path):
    """Two workers OCR the same page at once (the same content key): each writes a temp
    file and renames it, so a reader sees one whole entry or the other, never a mix."""
    key = PageCache.make_key("same-page", "engine", {"dpi": 200})
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), key, tag, 150)) for tag in ("a", "b")]
    for p in procs:
        p.start()
    cache, seen, torn = PageCache(tmp_path), set(), 0
    while any(p.is_alive() for p in procs):
        page = cache.get(key, 7)
        if page is not None:
            seen.add(page.note[0])
            torn += len({part[-1] for part in page.note.split("-")[:-1]}) != 1 or page.no != 7
    for p in procs:
        p.join()
        assert p.exitcode == 0
    assert torn == 0
    assert cache.get(key, 1) is not None
    assert not [f for f in tmp_path.rglob("*") if f.is_file() and ".tmp" in f.name]  # no temp file left


def test_attempt_history_counts_running_states_and_keeps_crash_reasons():
    states = [SimpleNamespace(type=t, message=m, name=n) for t, m, n in [
        (StateType.SCHEDULED, None, "Scheduled"), (StateType.PENDING, None, "Pending"),
        (StateType.RUNNING, None, "Running"), (StateType.CRASHED, "no heartbeat for 75 s", "Crashed"),
        (StateType.SCHEDULED, "rescheduled", "Rescheduled"), (StateType.RUNNING, None, "Running")]]
    assert attempt_history(states) == {"attempts": 2, "crashes": ["no heartbeat for 75 s"]}
    assert attempt_history([]) == {"attempts": 1, "crashes": []}


def test_stop_process_stops_the_group_with_its_descendants_and_leaves_others(tmp_path):
    # A parent that starts a child in a session of its own (as a worker starts a flow process).
    code = ("import subprocess,sys,time; subprocess.Popen([sys.executable,'-c','import time; time.sleep(60)'],"
            "start_new_session=True); time.sleep(60)")
    entry = cluster._spawn([sys.executable, "-c", code], dict(os.environ), tmp_path / "p.log")
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        deadline = time.monotonic() + 10
        while not cluster.descendants(entry["pid"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        child = cluster.descendants(entry["pid"])[0]
        assert cluster.alive(entry)
        assert cluster.stop_process(entry, grace=5) in ("stopped", "killed")
        assert not cluster.alive(entry) and cluster._start_time(child) is None
        assert bystander.poll() is None
        # A recorded pid whose start time differs is another process: never signalled.
        assert cluster.stop_process({"pid": bystander.pid, "pgid": bystander.pid, "start_time": 1}) == "not running"
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
