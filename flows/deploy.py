"""The cluster's Prefect objects: the ``process`` work pool, the deployment of
``flows.job.bundle_job``, and the two automations that recover a lost machine.

Machine loss: when a worker and its flow process die together (power, kernel, kill -9)
nobody reports the run, and it stays Running for ever. Two automations answer it, as
Prefect documents for "zombie" flow runs:

1. *crash on silence* (proactive): after a ``prefect.flow-run.heartbeat`` event, expect
   another heartbeat (or a final state) within ``silence`` seconds; when none comes the
   run is set Crashed with a message saying so. Flow processes send a heartbeat every
   ``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` seconds (30, Prefect's minimum), set on workers.
2. *reschedule on crash* (proactive too): a run that carries ``flows.job.RESCHEDULE_TAG``
   and stays Crashed for ``SETTLE_SECONDS`` is set Scheduled again, same flow-run id, with
   a message saying why; any live worker picks it up. The cap: the trigger matches only
   Crashed events whose ``prefect.run-count`` (attempts that reached Running) is 1 …
   ``max_reschedules``; a run that crashed more often stays Crashed, with its reason.
   (Not a tag taken off the run: the server caches a run's tags for its events for
   minutes, so the Crashed event would still carry it. Run count 0, a run that never
   started, is not rescheduled either: that is a broken deployment, not a lost machine.)

Every function here takes the API URL and runs under ``temporary_settings``, so a process
that already imported Prefect with other settings (a test) talks to the right server.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Optional


from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import AutomationCore as Automation, EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification
from prefect.exceptions import ObjectAlreadyExists
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.job import BATCH_TAG, RESCHEDULE_TAG, bundle_job

POOL = "bundlecheck"
DEPLOYMENT = "bundle"
FLOW_NAME = "bundlecheck-cluster-bundle"
FULL_NAME = f"{FLOW_NAME}/{DEPLOYMENT}"
CRASH_AUTOMATION = "bundlecheck: crash runs whose machine went silent"
RESCHEDULE_AUTOMATION = "bundlecheck: reschedule crashed bundle runs"
HEARTBEAT_SECONDS = 30  # PREFECT_FLOWS_HEARTBEAT_FREQUENCY on workers; Prefect's minimum
SILENCE_SECONDS = 75  # two and a half heartbeats: one late heartbeat is no crash
SETTLE_SECONDS = 15  # a crash's reports settle before the run is rescheduled
MAX_RESCHEDULES = 2  # a bundle runs at most three times
SOURCE_ROOT = Path(__file__).resolve().parents[1]  # the checkout (or install) the workers run


def ensure_pool(api_url: str, pool: str = POOL) -> None:
    """Create the ``process`` work pool unless it exists."""
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass


def deploy(api_url: str, pool: str = POOL, source: Path = SOURCE_ROOT, max_reschedules: int = MAX_RESCHEDULES) -> str:
    """Deploy ``bundle_job`` from ``source`` (a folder every worker sees at the same path:
    no image, no push; the pull step only changes into that folder). Returns its id."""
    with temporary_settings({PREFECT_API_URL: api_url}):
        dep = bundle_job.from_source(source=str(source), entrypoint="flows/job.py:bundle_job")
        # The cap is a deployment parameter too, so ``submit`` knows when a Crashed run is final.
        dep_id = dep.deploy(name=DEPLOYMENT, work_pool_name=pool, build=False, push=False, tags=[BATCH_TAG],
                            parameters={"max_reschedules": max_reschedules}, print_next_steps=False,
                            ignore_warnings=True)
    return str(dep_id)


def _automations(silence: int, max_reschedules: int) -> list[Automation]:
    crash = Automation(
        name=CRASH_AUTOMATION,
        description="A flow run that sends no heartbeat for this long lost its machine: mark it Crashed.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Failed",
                    "prefect.flow-run.Cancelled", "prefect.flow-run.Crashed"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=silence),
        ),
        actions=[ChangeFlowRunState(
            state=StateType.CRASHED,
            message=f"{silence} 秒未收到心跳，工作机可能已失联 / no heartbeat for {silence} s: the worker's "
                    "machine is presumed lost")],
    )
    reschedule = Automation(
        name=RESCHEDULE_AUTOMATION,
        description="Reschedule a crashed bundle run (same flow-run id) for another worker; the flow caps attempts.",
        # Proactive, not reactive: when a flow process dies under a live worker, Prefect
        # reports the crash twice (the runner at once, the worker ~2 s later). Rescheduling
        # on the first lets the second land on the new attempt and crash it (seen here).
        # So: a Crashed run that shows no other state within SETTLE_SECONDS is rescheduled.
        trigger=EventTrigger(
            after={"prefect.flow-run.Crashed"},
            expect={f"prefect.flow-run.{name}" for name in (
                "Scheduled", "Rescheduled", "AwaitingRetry", "Late", "Pending", "Running", "Completed", "Failed",
                "Cancelling", "Cancelled")},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"],
                                         "prefect.run-count": [str(n) for n in range(1, max_reschedules + 1)]}),
            match_related=ResourceSpecification({"prefect.resource.role": "tag",
                                                 "prefect.resource.id": f"prefect.tag.{RESCHEDULE_TAG}"}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=SETTLE_SECONDS),
        ),
        actions=[ChangeFlowRunState(
            state=StateType.SCHEDULED, name="Rescheduled", force=True,
            message="运行崩溃（工作机或流程进程失联），已重新调度 / the run crashed (its machine or flow process was "
                    "lost): rescheduled for any live worker")],
    )
    return [crash, reschedule]


def ensure_automations(api_url: str, silence: int = SILENCE_SECONDS, max_reschedules: int = MAX_RESCHEDULES) -> list[str]:
    """(Re)create both automations by name: a second ``cluster up`` replaces, never adds."""
    ids = []
    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        for auto in _automations(silence, max_reschedules):
            for old in client.read_automations_by_name(auto.name):
                client.delete_automation(old.id)
            ids.append(str(client.create_automation(auto)))
    return ids


def setup(api_url: str, pool: str = POOL, silence: int = SILENCE_SECONDS,
          source: Optional[Path] = None, max_reschedules: int = MAX_RESCHEDULES) -> dict:
    """Pool, deployment and automations against a running server; what was made."""
    ensure_pool(api_url, pool)
    dep_id = deploy(api_url, pool, source or SOURCE_ROOT, max_reschedules)
    autos = ensure_automations(api_url, silence, max_reschedules)
    return {"pool": pool, "deployment": FULL_NAME, "deployment_id": dep_id, "automations": autos,
            "max_reschedules": max_reschedules}
