"""Prefect environment defaults. Imports nothing from prefect: settings are read when
prefect is first imported, so this must run before that."""
from __future__ import annotations

import os
from pathlib import Path


QUIET_SERVER = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
}


def configure_prefect(out_dir: Path) -> None:
    """Defaults that make the embedded (ephemeral) mode robust on small CI machines.

    Without an API URL Prefect starts a temporary local server on SQLite. Each output
    folder gets its own Prefect home so two batches (or two test workers) never share
    one SQLite file ('database is locked'); startup and statement timeouts are raised
    because a cold start on 2 busy cores can exceed the defaults. Explicit user
    settings always win.
    """
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_HOME", str((out_dir / ".prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_DATABASE_TIMEOUT", "60")
    os.environ.setdefault("PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT", "30")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # Background services of the temporary server write to its SQLite file while the
    # flow does: seen here as 'database is locked' from the telemetry heartbeat. A
    # batch run needs none of them.
    for name, value in QUIET_SERVER.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str((out_dir / ".prefect" / "results").resolve()))


# Set by ``bundlecheck cluster up`` on each worker (and so on its flow processes): the
# name ``summary.json`` gives the worker that ran a bundle. Unset: the host name.
WORKER_ENV = "BUNDLECHECK_WORKER_NAME"
