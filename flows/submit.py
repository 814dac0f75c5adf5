"""``bundlecheck submit``: one flow run of the deployment per bundle, then the same
``summary.json`` / ``summary.xlsx`` as ``bundlecheck run``, each row naming the worker
and host that ran it.

The batch's run row is opened here (``Store.start_run``) and its id handed to every flow
run, whose worker records its bundle under it (``flows/job.py``); this process waits for
the runs, reads each bundle's row from ``OUT/.runs/<flow_run_id>.json`` and writes the
summary. A run rescheduled after a lost machine is the same flow-run id, so it is waited
for as one bundle; a Crashed run within the deployment's reschedule cap is about to be
rescheduled by the automation, and is only final past the cap or when it stayed Crashed
longer than ``crash_grace`` (the automation did not act).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path
from typing import Callable, Optional
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.deploy import FULL_NAME
from flows.job import BATCH_TAG, RESCHEDULE_TAG, RUNS
from pipeline import ingest
from pipeline.batch import BatchSummary, write_summary
from pipeline.run import Settings, safe_folder
from pipeline.store import Store
from pipeline.types import BundleResult

# (row, bundles finished, bundles in all, {state name: count}) after each poll that changed something
SubmitProgress = Callable[[Optional[dict], int, int, dict], None]
FINAL = {StateType.COMPLETED, StateType.FAILED, StateType.CANCELLED}


def _failed_row(bundle_dir: Path, run: FlowRun) -> dict:
    """A bundle whose run ended without writing its row (crashed for good, cancelled, a
    bug outside run_bundle): listed as failed with the run's own reason."""
    msg = (run.state.message if run.state else "") or (run.state.name if run.state else "")
    return {
        "bundle_id": bundle_dir.name, "folder": safe_folder(bundle_dir.name), "status": "failed",
        "error": f"流程运行未完成（{run.state.name if run.state else '?'}）/ flow run ended without a result: {msg}",
        "pages": 0, "pages_ocr": 0, "pages_text": 0, "sections": [], "findings": 0, "veto_findings": 0,
        "by_code": {}, "seconds": 0.0, "timings": {}, "original_sha256": None, "flow_run_id": str(run.id),
    }


def _is_final(run: FlowRun, crashed_since: dict, crash_grace: float, max_reschedules: int) -> bool:
    st = run.state.type if run.state else None
    if st in FINAL:
        return True
    if st == StateType.CRASHED:
        first = crashed_since.setdefault(run.id, time.monotonic())
        return not 1 <= run.run_count <= max_reschedules or time.monotonic() - first > crash_grace
    crashed_since.pop(run.id, None)
    return False


def submit(input_path: Path, out_dir: Path, settings: Settings, *, api_url: str, deployment: str = FULL_NAME,
           store_url: Optional[str] = None, progress: Optional[SubmitProgress] = None,
           poll: float = 1.0, crash_grace: float = 120.0, timeout: Optional[float] = None) -> BatchSummary:
    """Submit every bundle under ``input_path`` and wait for all; returns the summary written."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    bundles = [Path(b).resolve() for b in ingest.discover_bundles(input_path)]
    summary = BatchSummary(input=str(input_path), out=str(out_dir), engine=f"prefect-cluster ({api_url})",
                           started=dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    store = Store.for_output(out_dir, store_url)
    run_id = store.start_run(input=summary.input, settings=dataclasses.asdict(settings) | {"cluster": api_url})
    t0 = time.perf_counter()
    rows: dict[UUID, dict] = {}
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        dep = client.read_deployment_by_name(deployment)
        max_reschedules = int((dep.parameters or {}).get("max_reschedules", 2))
        runs: dict[UUID, Path] = {}
        for b in bundles:
            fr = client.create_flow_run_from_deployment(
                dep.id, name=b.name, tags=[BATCH_TAG, RESCHEDULE_TAG, f"run-{run_id}"],
                parameters={"bundle_dir": str(b), "out_root": str(out_dir), "settings": dataclasses.asdict(settings),
                            "run_id": run_id, "store_url": store_url})
            runs[fr.id] = b
        crashed_since: dict = {}
        last_counts: dict = {}
        while len(rows) < len(runs):
            if timeout is not None and time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"批次 {timeout:.0f} 秒内未完成 / batch not finished after {timeout:.0f} s")
            current = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(runs))))
            counts: dict[str, int] = {}
            for run in current:
                name = run.state.name if run.state else "?"
                counts[name] = counts.get(name, 0) + 1
                if run.id in rows or not _is_final(run, crashed_since, crash_grace, max_reschedules):
                    continue
                row_file = out_dir / RUNS / f"{run.id}.json"
                if run.state.type == StateType.COMPLETED and row_file.exists():
                    rows[run.id] = json.loads(row_file.read_text(encoding="utf-8"))
                else:
                    rows[run.id] = _failed_row(runs[run.id], run)
                    store.record_bundle(run_id, _failed_result(rows[run.id]), folder=str(runs[run.id]))
                rows[run.id]["state"] = run.state.name
                if progress:
                    progress(rows[run.id], len(rows), len(runs), counts)
            if progress and counts != last_counts:
                progress(None, len(rows), len(runs), counts)
            last_counts = counts
            if len(rows) < len(runs):
                time.sleep(poll)
    summary.bundles = [rows[i] for i in runs]  # input order
    summary.seconds = time.perf_counter() - t0
    summary.finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_summary(out_dir, summary)
    store.finish_run(run_id, status="done", summary=summary.counts)
    store.close()
    return summary


def _failed_result(row: dict) -> BundleResult:
    return BundleResult(bundle_id=row["bundle_id"], status="failed", error=row["error"])
