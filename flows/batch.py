"""Prefect flows: thin wrappers over ``pipeline`` functions. No business rules here.

``batch_flow`` runs ``bundle_flow`` once per bundle; ``bundle_flow`` runs
``pipeline.run.run_bundle`` with a caller that makes each stage a Prefect task
(retries for transient failures, the page stage cached by the PDF's content hash).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable, Optional

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from pipeline import run as stages
from pipeline.ingest import file_sha256
from pipeline.batch import BatchSummary, run_batch
from pipeline.run import BundleOutcome, Settings


def _pages_cache_key(context: Any, parameters: dict) -> Optional[str]:
    """Same PDF bytes + same settings → same pages; never re-OCR an unchanged bundle."""
    pdf, settings = parameters["pdf_path"], parameters["settings"]
    try:
        return f"pages-{file_sha256(Path(pdf))}-{hashlib.sha1(settings.key().encode()).hexdigest()[:12]}"
    except OSError:
        return None


intake_task = task(stages.stage_intake, name="intake", retries=1, retry_delay_seconds=2)
pages_task = task(
    stages.stage_pages, name="pages", retries=1, retry_delay_seconds=5,
    cache_key_fn=_pages_cache_key, persist_result=True,
)
sections_task = task(stages.stage_sections, name="sections")
records_task = task(stages.stage_records, name="records")
findings_task = task(stages.stage_findings, name="findings")
# No result cache: it writes the blind copy, and takes the seal search queued on the page
# workers (futures), which Prefect's default cache key cannot hash.
anonymize_task = task(stages.stage_anonymize, name="anonymize", retries=1, retry_delay_seconds=5,
                      cache_policy=NO_CACHE)
write_task = task(stages.stage_write, name="write", retries=2, retry_delay_seconds=1)

TASKS: dict[Callable, Any] = {
    stages.stage_intake: intake_task,
    stages.stage_pages: pages_task,
    stages.stage_sections: sections_task,
    stages.stage_records: records_task,
    stages.stage_findings: findings_task,
    stages.stage_anonymize: anonymize_task,
    stages.stage_write: write_task,
}


def _as_task(fn: Callable, *args, **kwargs):
    return TASKS[fn](*args, **kwargs)


@flow(name="bundlecheck-bundle", flow_run_name="bundle-{bundle_dir}", validate_parameters=False)
def bundle_flow(bundle_dir: str, out_root: str, settings: Settings) -> BundleOutcome:
    return stages.run_bundle(bundle_dir, out_root, settings, call=_as_task)


# A progress callback is not a flow parameter (parameters are stored by the API and
# must serialize); the CLI sets it here for the duration of a run.
PROGRESS: Optional[Callable] = None


@flow(name="bundlecheck-batch", validate_parameters=False, log_prints=False)
def batch_flow(input_path: str, out_dir: str, settings: Settings, store_url: Optional[str] = None) -> BatchSummary:
    return run_batch(Path(input_path), Path(out_dir), settings, runner=bundle_flow, engine="prefect",
                     progress=PROGRESS, store_url=store_url)
