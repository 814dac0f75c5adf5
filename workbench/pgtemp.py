"""A throwaway PostgreSQL server on loopback, for the PostgreSQL tests and the load script.

``with temporary_server() as url:`` runs initdb in a fresh temporary folder (as the
``postgres`` user when we are root: initdb refuses root), starts it with ``pg_ctl`` on a
free port of 127.0.0.1 (``fsync=off``: nothing here must survive), creates one database
and yields its URL; at exit the server is stopped and the folder removed.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

# One home for finding the server binaries, a free port and running as ``postgres``: the
# cluster's persistent server (flows/pgserver.py) needs the same.
from flows.pgserver import PostgresUnavailable, as_owner as _as_owner, bindir, free_port as _free_port

__all__ = ["PostgresUnavailable", "bindir", "temporary_server"]


@contextlib.contextmanager
def temporary_server(dbname: str = "workbench") -> Iterator[str]:
    bins = bindir()
    root = Path(tempfile.mkdtemp(prefix="wb-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    try:
        subprocess.run(_as_owner([str(bins / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                  "--no-sync", "-E", "UTF8", "--locale", "C"]), check=True, capture_output=True)
        opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"),
                                  "-w", "start"]), check=True, capture_output=True)
        try:
            subprocess.run([str(bins / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", dbname],
                           check=True, capture_output=True)
            yield f"postgresql://postgres@127.0.0.1:{port}/{dbname}"
        finally:
            subprocess.run(_as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                           capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
