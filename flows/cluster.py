"""A local trial of the whole cluster on one machine: ``bundlecheck cluster up|down|status``.

``up`` starts, in this order, and records each in ``<dir>/state.json`` as soon as it runs
(so ``down`` can stop a half-finished ``up``): PostgreSQL (``flows/pgserver.py``, data
kept between ups), the Prefect server on it (UI on), the work pool, the deployment and
the automations (``flows/deploy.py``), and N ``prefect worker start`` processes, each in
its own process group. ``down`` stops exactly what the state file names: each process is
checked to be the one started (its pid and its kernel start time) before it is signalled,
workers with their flow processes, SIGTERM, then SIGKILL (a worker started from a
non-interactive shell ignores SIGINT and may sit on SIGTERM); PostgreSQL by ``pg_ctl``.
Nothing is removed: logs, the Prefect home and the database stay in ``<dir>``.

The same topology in production is in the README ("Cluster"): one machine runs
PostgreSQL and the Prefect server, each other machine one worker.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Optional

from flows import pgserver
from flows.env import WORKER_ENV
from pipeline.fsio import atomic_write_text

STATE = "state.json"
DEFAULT_DIR_ENV = "BUNDLECHECK_CLUSTER_DIR"
SERVER_PORT = 4200


def default_dir() -> Path:
    return Path(os.environ.get(DEFAULT_DIR_ENV) or Path.home() / ".bundlecheck" / "cluster")


def _prefect_bin() -> str:
    return str(Path(sys.executable).with_name("prefect"))


# --------------------------------------------------------------------------- processes
def _start_time(pid: int) -> Optional[int]:
    """The kernel's start time of ``pid`` (clock ticks after boot), None when it is gone.
    A pid with another start time is another process that reuses the number."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else int(fields[19])  # a zombie has ended: only its parent has not looked


def alive(entry: dict) -> bool:
    """The process recorded in ``entry`` still runs (same pid, same start time)."""
    pid = entry.get("pid") or 0
    return bool(pid) and _start_time(pid) == entry.get("start_time")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (flow processes run in sessions of their own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, stack = [], [pid]
    while stack:
        for c in children.get(stack.pop(), []):
            out.append(c)
            stack.append(c)
    return out


def _spawn(cmd: list[str], env: dict, log: Path) -> dict:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as fh:
        p = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    return {"pid": p.pid, "pgid": p.pid, "start_time": _start_time(p.pid), "log": str(log), "cmd": cmd}


def stop_process(entry: dict, grace: float = 10.0) -> str:
    """SIGTERM the recorded process group and its descendants, SIGKILL what remains after
    ``grace`` seconds. Only when the pid is still the process we started."""
    if not alive(entry):
        return "not running"
    pid = entry["pid"]
    victims = [(c, _start_time(c)) for c in descendants(pid)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for target in [(pid, entry["start_time"])] + victims:
            if _start_time(target[0]) == target[1]:
                try:
                    os.kill(target[0], sig)
                except OSError:
                    pass
        try:
            os.killpg(entry["pgid"], sig)
        except OSError:
            pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(_start_time(p) == st for p, st in [(pid, entry["start_time"])] + victims):
            time.sleep(0.2)
        if not alive(entry) and not any(_start_time(p) == st for p, st in victims):
            return "stopped" if sig == signal.SIGTERM else "killed"
    return "still running"


# --------------------------------------------------------------------------- state
def read_state(cluster_dir: Path) -> Optional[dict]:
    try:
        return json.loads((cluster_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save(cluster_dir: Path, state: dict) -> None:
    atomic_write_text(cluster_dir / STATE, json.dumps(state, ensure_ascii=False, indent=2))


def is_up(state: Optional[dict]) -> bool:
    return bool(state) and alive(state.get("server") or {})


def worker_env(api_url: str, name: str, heartbeat: int) -> dict:
    """The environment of a worker and of the flow processes it starts."""
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("PREFECT_") and k not in ("PREFECT_HOME",):
            env.pop(k)  # the caller's Prefect settings (a test harness, a profile) are not the cluster's
    env.update({
        "PREFECT_API_URL": api_url,
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # default 10: a bundle waits up to that long for a worker
        "PREFECT_WORKER_PREFETCH_SECONDS": "0",
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(heartbeat),
        "PREFECT_LOGGING_LEVEL": "INFO",
        WORKER_ENV: name,
    })
    return env


def _wait_http(url: str, timeout: float, proc: dict) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(proc):
            raise RuntimeError(f"Prefect 服务进程已退出 / the Prefect server exited: see {proc['log']}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"Prefect 服务 {timeout:.0f} 秒内未就绪 / server not healthy after {timeout:.0f} s: {url}")


# --------------------------------------------------------------------------- up / down / status
def up(cluster_dir: Path, workers: int = 2, *, port: int = SERVER_PORT, heartbeat: int = 30,
       silence: int = 75, max_reschedules: int = 2, extra_worker_env: Optional[dict] = None, say=print) -> dict:
    """Start PostgreSQL, the Prefect server, pool + deployment + automations, N workers."""
    from flows import deploy as deploying  # lazy: start-up, Prefect's client and flow machinery ~1.5 s

    cluster_dir = cluster_dir.resolve()
    old = read_state(cluster_dir)
    if is_up(old):
        raise RuntimeError(f"集群已在运行 / the cluster is already up: {old['server']['url']} "
                           f"(bundlecheck cluster down --dir {cluster_dir})")
    cluster_dir.mkdir(parents=True, exist_ok=True)
    logs = cluster_dir / "logs"
    t0 = time.perf_counter()
    state: dict = {"dir": str(cluster_dir), "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                   "workers": []}

    data = pgserver.data_dir_for(cluster_dir)
    pgserver.ensure_initialized(data)
    pg_port = pgserver.free_port()
    pid = pgserver.start(data, pg_port)
    state["postgres"] = {"data": str(data), "port": pg_port, "pid": pid, "start_time": _start_time(pid),
                         "log": str(pgserver.log_for(data)),
                         "prefect_db": f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/prefect",
                         "store_url": f"postgresql+psycopg://postgres@127.0.0.1:{pg_port}/bundlecheck"}
    _save(cluster_dir, state)
    for db in ("prefect", "bundlecheck"):
        pgserver.ensure_database(pg_port, db)
    say(f"PostgreSQL: 127.0.0.1:{pg_port}  data {data}")

    port = pgserver.free_port(port)
    api = f"http://127.0.0.1:{port}/api"
    env = worker_env(api, "server", heartbeat)
    env.pop("PREFECT_API_URL")
    env.update({"PREFECT_HOME": str(cluster_dir / "prefect-home"),
                "PREFECT_API_DATABASE_CONNECTION_URL": state["postgres"]["prefect_db"],
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "true",
                "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port)})
    server = _spawn([_prefect_bin(), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env,
                    logs / "server.log")
    state["server"] = server | {"port": port, "url": api, "ui": f"http://127.0.0.1:{port}"}
    _save(cluster_dir, state)
    _wait_http(f"{api}/health", 180, server)
    say(f"Prefect 服务 / server: {api}   界面 / UI: http://127.0.0.1:{port}  ({time.perf_counter() - t0:.0f} s)")

    made = deploying.setup(api, silence=silence, max_reschedules=max_reschedules)
    state.update(made | {"heartbeat_seconds": heartbeat, "silence_seconds": silence})
    _save(cluster_dir, state)
    say(f"工作池 / pool: {made['pool']} (process)   部署 / deployment: {made['deployment']}   "
        f"自动化 / automations: {len(made['automations'])}")

    for i in range(1, workers + 1):
        add_worker(cluster_dir, state, f"worker-{i}", heartbeat, extra_worker_env, say)
    say(f"集群已启动 / cluster up in {time.perf_counter() - t0:.0f} s; state {cluster_dir / STATE}")
    return state


def add_worker(cluster_dir: Path, state: dict, name: str, heartbeat: int = 30,
               extra_env: Optional[dict] = None, say=print) -> dict:
    """One more ``prefect worker start`` on this machine (one bundle at a time)."""
    env = worker_env(state["server"]["url"], name, heartbeat)
    env["PREFECT_HOME"] = str(cluster_dir / "prefect-home")
    env.update(extra_env or {})
    cmd = [_prefect_bin(), "worker", "start", "--pool", state["pool"], "--type", "process", "--limit", "1",
           "--name", name]
    w = _spawn(cmd, env, cluster_dir / "logs" / f"{name}.log") | {"name": name}
    state["workers"].append(w)
    _save(cluster_dir, state)
    say(f"工作进程 / worker {name}: pid {w['pid']}  log {w['log']}")
    return w


def down(cluster_dir: Path, say=print) -> dict:
    """Stop exactly the processes ``up`` recorded; remove nothing."""
    cluster_dir = cluster_dir.resolve()
    state = read_state(cluster_dir)
    if not state:
        say(f"没有集群状态文件 / no cluster state in {cluster_dir}")
        return {}
    report = {}
    for w in state.get("workers", []):
        report[w["name"]] = stop_process(w)
        say(f"工作进程 / worker {w['name']} (pid {w['pid']}): {report[w['name']]}")
    if state.get("server"):
        report["server"] = stop_process(state["server"], grace=15)
        say(f"Prefect 服务 / server (pid {state['server']['pid']}): {report['server']}")
    pg = state.get("postgres")
    if pg:
        running = alive(pg)
        report["postgres"] = "stopped" if running and pgserver.stop(Path(pg["data"])) else (
            "not running" if not running else "still running")
        say(f"PostgreSQL (pid {pg['pid']}): {report['postgres']}")
    state["stopped"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    _save(cluster_dir, state)
    return report


def status(cluster_dir: Path) -> dict:
    """What the state file names, and whether each still runs."""
    state = read_state(cluster_dir.resolve()) or {}
    out = {"dir": str(cluster_dir.resolve()), "up": is_up(state)}
    if state:
        out["postgres"] = {"port": state.get("postgres", {}).get("port"), "running": alive(state.get("postgres", {}))}
        out["server"] = {"url": state.get("server", {}).get("url"), "ui": state.get("server", {}).get("ui"),
                         "running": alive(state.get("server", {}))}
        out["deployment"] = state.get("deployment")
        out["workers"] = [{"name": w["name"], "pid": w["pid"], "running": alive(w), "log": w["log"]}
                          for w in state.get("workers", [])]
        out["store_url"] = state.get("postgres", {}).get("store_url")
    return out
