"""What a cluster worker runs for one bundle: the deployment's flow, ``bundle_job``.

``run_one`` is the plain function (no Prefect): run every stage of ``pipeline.run`` into a
private staging folder on the shared output, then move the bundle's folder into place
with one rename (``publish``), record it in the run database, and leave the bundle's
summary row (with the worker and host that ran it) in ``OUT/.runs/<flow_run_id>.json``
for ``bundlecheck submit``. A worker that dies half-way leaves only a staging folder,
never half a bundle; the re-run replaces the folder and the database rows (``Store.
record_bundle`` replaces per run and input folder), it never duplicates them.

``bundle_job`` is the thin Prefect wrapper: it reads the run's own state history to know
which attempt this is (a run rescheduled after a lost machine runs again under the same
flow-run id) and why the earlier ones crashed; both go into the summary row. The cap on
reschedules is the automation's (``flows/deploy.py``).

Test hook (documented, set only by tests/cluster): ``BUNDLECHECK_TEST_HOLD=<input
folder name>=<seconds>`` on a worker waits that long after that bundle's pages stage,
so a test can kill the worker mid-bundle at a known point. Nothing else reads it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.runtime import flow_run as current_run

from flows.env import WORKER_ENV
from pipeline.batch import bundle_row
from pipeline.fsio import atomic_write_text
from pipeline.run import Settings, run_bundle, stage_pages
from pipeline.store import Store


HOLD_ENV = "BUNDLECHECK_TEST_HOLD"
RESCHEDULE_TAG = "bundlecheck-reschedulable"  # the Crashed automation reschedules only runs carrying it
BATCH_TAG = "bundlecheck"
MARKER = ".bundle_source"  # written by pipeline.run.stage_write: which input owns a folder
STAGING = ".staging"
RUNS = ".runs"


# --------------------------------------------------------------------------- plain functions
def worker_identity() -> dict[str, str]:
    """Who runs this bundle: the worker's name (set by ``cluster up``, or the host) and host."""
    host = socket.gethostname()
    return {"worker": os.environ.get(WORKER_ENV) or host, "host": host}


def publish(staged: Path, out_root: Path, source: str) -> str:
    """Move the finished folder ``staged`` into ``out_root`` under its name, by rename.

    The same rule as ``stage_write``: a folder owned by another input (its marker names
    another source) is left alone and the next free ``<name>-N`` is taken; a folder of
    the same input (a re-run) is replaced: renamed aside, the new one renamed in, the old
    one removed. A reader never sees half a bundle, only the old folder, nothing for a
    moment, or the new folder. Returns the folder name used.
    """
    name = staged.name
    trash_root = out_root / STAGING
    n = 1
    while n < 1000:
        candidate = name if n == 1 else f"{name}-{n}"
        target = out_root / candidate
        marker = target / MARKER
        try:
            os.rename(staged, target)  # fails when target exists and is not empty
            return candidate
        except OSError:
            pass
        if not target.exists():
            continue  # removed between the two calls: try the same name again
        try:
            owner = marker.read_text(encoding="utf-8")
        except OSError:
            owner = None  # a folder from before markers: stage_write treats it as free
        if owner is not None and owner != source:
            n += 1
            continue
        aside = trash_root / f"{candidate}.old-{uuid.uuid4().hex[:12]}"
        try:
            os.rename(target, aside)
        except OSError:
            continue  # another writer moved it first: look again
        try:
            os.rename(staged, target)
        except OSError:
            continue  # another writer put its copy in meanwhile: look again (ours stays staged)
        shutil.rmtree(aside, ignore_errors=True)
        return candidate
    raise RuntimeError(f"no free output folder for {name} in {out_root}")


def _hold_after_pages(bundle_dir: str) -> Callable:
    """The stage caller for ``run_bundle``: direct calls, plus the test hook's wait."""
    spec = os.environ.get(HOLD_ENV, "")
    name, _, seconds = spec.partition("=")
    hold = float(seconds) if name and name == Path(bundle_dir).name and seconds else 0.0

    def call(fn: Callable, *args, **kwargs):
        out = fn(*args, **kwargs)
        if fn is stage_pages and hold:
            time.sleep(hold)
        return out

    return call


def run_one(bundle_dir: str, out_root: str, settings: Settings, *, run_id: Optional[int] = None,
            store_url: Optional[str] = None, flow_run_id: str = "", extra: Optional[dict] = None) -> dict:
    """Run one bundle into staging, publish its folder, record it; returns its summary row."""
    out = Path(out_root)
    source = str(Path(bundle_dir).resolve())
    prefix = f"{Path(bundle_dir).name}-{hashlib.sha1(source.encode()).hexdigest()[:8]}.tmp-"
    # An attempt of this bundle that died with its machine left its staging folder; a run
    # is rescheduled only after its attempt was declared crashed, so none of them is live.
    for stale in (out / STAGING).glob(prefix + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = out / STAGING / f"{prefix}{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    try:
        outcome = run_bundle(bundle_dir, str(staging), settings, call=_hold_after_pages(bundle_dir))
        outcome.folder = publish(staging / outcome.folder, out, source)
        if run_id is not None:
            with Store.for_output(out, store_url) as store:
                store.record_bundle(run_id, outcome.result, outcome.pages, folder=str(bundle_dir),
                                    sha256=outcome.sha256, timings=outcome.timings)
        row = bundle_row(outcome) | worker_identity() | {"flow_run_id": flow_run_id} | (extra or {})
        if flow_run_id:
            atomic_write_text(out / RUNS / f"{flow_run_id}.json", json.dumps(row, ensure_ascii=False, indent=2))
        return row
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def attempt_history(states: list[Any]) -> dict:
    """From a run's states (oldest first): which attempt this is, and why earlier ones ended."""
    attempts = sum(1 for s in states if s.type == StateType.RUNNING)
    crashes = [s.message or s.name for s in states if s.type == StateType.CRASHED]
    return {"attempts": max(attempts, 1), "crashes": crashes}


# --------------------------------------------------------------------------- the flow
@flow(name="bundlecheck-cluster-bundle", validate_parameters=False, persist_result=False, log_prints=True)
def bundle_job(bundle_dir: str, out_root: str, settings: dict, run_id: Optional[int] = None,
               store_url: Optional[str] = None, max_reschedules: int = 2) -> dict:
    fr_id = str(current_run.id or "")
    extra: dict = {"attempts": 1, "crashes": []}
    if fr_id:
        with get_client(sync_client=True) as client:
            states = sorted(client.read_flow_run_states(uuid.UUID(fr_id)), key=lambda s: s.timestamp)
        extra = attempt_history(states)
        if extra["attempts"] > 1:
            print(f"第 {extra['attempts']} 次尝试（最多 {max_reschedules + 1} 次）/ attempt {extra['attempts']} of at most "
                  f"{max_reschedules + 1}; earlier: {'; '.join(extra['crashes'])}")
    return run_one(bundle_dir, out_root, Settings(**settings), run_id=run_id, store_url=store_url,
                   flow_run_id=fr_id, extra=extra)
