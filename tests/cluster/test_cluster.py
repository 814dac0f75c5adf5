"""The whole cluster topology on this machine, for real: ``bundlecheck cluster up`` starts
PostgreSQL, the Prefect server on it, the pool, the deployment, the automations and two
worker processes; ``bundlecheck submit`` sends bundles through them.

1. A batch of three text-layer bundles: all complete, every output folder exists once
   (and once in the run database), and both workers ran bundles.
2. Machine loss: a bundle held mid-run (the documented test hook ``BUNDLECHECK_TEST_HOLD``
   of ``flows/job.py``: a wait after its pages stage, set only here) has its worker and
   flow process killed with SIGKILL. Nobody reports the run; the heartbeat automation
   marks it Crashed (~75 s of silence), the reschedule automation sets it Scheduled, and
   the other worker completes it with findings identical to the undisturbed run of the
   same bundle in step 1. No half bundle is ever visible in OUT.
3. The cap: with ``cluster up --max-reschedules 1`` a bundle whose flow process is killed
   on both attempts is reported failed with the Crashed state's reason, and leaves no folder.

About five minutes, most of it the 75 s of silence Prefect needs to call a machine lost.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import cluster, pgserver
from flows.job import HOLD_ENV

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

BIN = str(Path(sys.executable).with_name("bundlecheck"))
SLOW = "slow-HN-2023-002"  # a copy of HN-2023-002 under another input folder name: the held one


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(extra)
    return env


def _bc(*args, env=None, timeout=600) -> subprocess.CompletedProcess:
    r = subprocess.run([BIN, *map(str, args)], env=env or _env(), capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"bundlecheck {' '.join(map(str, args))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _findings(out: Path, folder: str) -> dict:
    data = json.loads((out / folder / "findings.json").read_text(encoding="utf-8"))
    return {k: data.get(k) for k in ("bundle_id", "status", "sections", "samples", "findings")}


def _store_rows(url: str, input_path: Path) -> list:
    from pipeline.store import Store

    with Store(url) as store:
        run = [r for r in store.list_runs() if r.input == str(input_path)][-1]
        return store.list_bundles(run.id)


def _kill_flow(flow_pid: int) -> None:
    # A lost machine takes everything with it: the flow process's page workers too.
    for pid in [flow_pid, *cluster.descendants(flow_pid)]:
        os.kill(pid, signal.SIGKILL)


def _running_flow_pid(api: str, name: str, timeout: float = 240, not_pid: int = 0) -> int:
    """The pid of the flow process running the flow run called ``name`` (other than ``not_pid``)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    deadline = time.monotonic() + timeout
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            for run in client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name]))):
                if run.state and run.state.type == StateType.RUNNING and run.infrastructure_pid:
                    pid = int(str(run.infrastructure_pid).rsplit(":", 1)[-1])
                    if pid != not_pid:
                        return pid
            time.sleep(0.5)
    raise TimeoutError(f"{name} never ran")


def test_two_workers_share_a_batch_and_a_killed_worker_s_bundle_completes_on_the_other(tmp_path):
    try:
        pgserver.bindir()
    except pgserver.PostgresUnavailable as e:
        pytest.skip(str(e))
    t_start = time.monotonic()
    inp, inp2, cache = tmp_path / "in", tmp_path / "in2", tmp_path / "cache"
    out1, out2, cdir = tmp_path / "out1", tmp_path / "out2", tmp_path / "cluster"
    _bc("samples", "--out", inp, "--n", 3, "--seed", 5, "--scanned-ratio", 0, "--pages", 8)
    shutil.rmtree(inp / "_truth")
    inp2.mkdir()
    shutil.copytree(inp / "HN-2023-002", inp2 / SLOW)
    state = None
    try:
        _bc("cluster", "up", "--dir", cdir, "--workers", 2, "--port", 0, "--max-reschedules", 1, env=_env(**{HOLD_ENV: f"{SLOW}=30"}))
        state = cluster.read_state(cdir)
        assert cluster.is_up(state) and all(cluster.alive(w) for w in state["workers"])
        store_url = state["postgres"]["store_url"]

        # 1. One batch over both workers.
        _bc("submit", inp, "--out", out1, "--cluster-dir", cdir, "--cache-dir", cache)
        s1 = _summary(out1)
        assert s1["counts"] == {"done": 3, "failed": 0, "total": 3}
        assert {b["worker"] for b in s1["bundles"]} == {"worker-1", "worker-2"}
        assert all(b["host"] and b["flow_run_id"] and b["attempts"] == 1 for b in s1["bundles"])
        folders = sorted(p.name for p in out1.iterdir() if not p.name.startswith("."))
        assert folders == ["HN-2023-001", "HN-2023-002", "HN-2023-003", "summary.json", "summary.xlsx"]
        for b in s1["bundles"]:
            assert {"findings.json", "checklist.xlsx", "report.html", "anonymized.pdf"} <= {
                p.name for p in (out1 / b["folder"]).iterdir()}
        assert not list((out1 / ".staging").iterdir())
        rows = _store_rows(store_url, inp)
        assert sorted(r.bundle_id for r in rows) == ["HN-2023-001", "HN-2023-002", "HN-2023-003"]

        # 2. kill -9 of a worker and its flow process mid-bundle.
        submit = subprocess.Popen([BIN, "submit", str(inp2), "--out", str(out2), "--cluster-dir", str(cdir),
                                   "--cache-dir", str(cache)], env=_env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        try:
            flow_pid = _running_flow_pid(state["server"]["url"], SLOW)
            time.sleep(8)  # inside the 30 s hold after the pages stage
            killed = [w for w in state["workers"] if flow_pid in cluster.descendants(w["pid"])]
            assert len(killed) == 1, "the flow process belongs to exactly one worker"
            _kill_flow(flow_pid)
            os.killpg(killed[0]["pgid"], signal.SIGKILL)
            t_kill = time.monotonic()
            assert not (out2 / "HN-2023-002").exists()  # nothing half-written is visible
            output, _ = submit.communicate(timeout=420)
        finally:
            if submit.poll() is None:
                submit.kill()
        assert submit.returncode == 0, output[-3000:]
        recovery = time.monotonic() - t_kill
        s2 = _summary(out2)
        assert s2["counts"] == {"done": 1, "failed": 0, "total": 1}
        b = s2["bundles"][0]
        assert b["attempts"] == 2 and b["worker"] != killed[0]["name"]
        assert b["crashes"] and "heartbeat" in b["crashes"][0]  # the reason, as the run's state says
        assert _findings(out2, "HN-2023-002") == _findings(out1, "HN-2023-002")
        assert sorted(p.name for p in out2.iterdir() if not p.name.startswith(".")) == [
            "HN-2023-002", "summary.json", "summary.xlsx"]
        assert not list((out2 / ".staging").iterdir())  # the dead attempt's staging went with the re-run
        assert [r.bundle_id for r in _store_rows(store_url, inp2)] == ["HN-2023-002"]

        # 3. The cap: a bundle whose flow process dies on every attempt is rescheduled
        # --max-reschedules times (1 here), then reported failed with the reason (the worker
        # lives and reports each crash at once, so no heartbeat wait here).
        inp3, out3 = tmp_path / "in3", tmp_path / "out3"
        shutil.copytree(inp2, inp3)
        submit = subprocess.Popen([BIN, "submit", str(inp3), "--out", str(out3), "--cluster-dir", str(cdir),
                                   "--cache-dir", str(cache)], env=_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = _running_flow_pid(state["server"]["url"], SLOW)
            time.sleep(3)
            _kill_flow(first)
            second = _running_flow_pid(state["server"]["url"], SLOW, not_pid=first)
            time.sleep(3)
            _kill_flow(second)
            output, _ = submit.communicate(timeout=300)
        finally:
            if submit.poll() is None:
                submit.kill()
        assert submit.returncode == 0, output[-3000:]
        s3 = _summary(out3)
        assert s3["counts"] == {"done": 0, "failed": 1, "total": 1}
        assert s3["bundles"][0]["state"] == "Crashed" and "-9" in s3["bundles"][0]["error"]
        assert sorted(p.name for p in out3.iterdir() if not p.name.startswith(".")) == ["summary.json", "summary.xlsx"]
        print(f"\ncluster test: {time.monotonic() - t_start:.0f} s in all; kill -9 to completed on "
              f"{b['worker']}: {recovery:.0f} s")
    finally:
        subprocess.run([BIN, "cluster", "down", "--dir", str(cdir)], env=_env(), capture_output=True, timeout=120)
        if state:
            assert not any(cluster.alive(w) for w in state["workers"]) and not cluster.alive(state["server"])
            data = Path(state["postgres"]["data"])
            if not data.is_relative_to(tmp_path):  # root's pytest folder is closed to postgres: /var/tmp
                shutil.rmtree(data.parent, ignore_errors=True)
