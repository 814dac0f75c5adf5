"""A throwaway PostgreSQL server on loopback, for the PostgreSQL tests and the load script.

``with temporary_server() as url:`` runs initdb in a fresh temporary folder (as the
``postgres`` user when we are root: initdb refuses root), starts it with ``pg_ctl`` on a
free port of 127.0.0.1 (``fsync=off``: nothing here must survive), creates one database
and yields its URL; at exit the server is stopped and the folder removed.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise PostgresUnavailable("PostgreSQL server not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


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
