"""A persistent PostgreSQL server for the cluster: the Prefect server's database and the
run database (``bundles``, ``pages``, ``findings``) of ``bundlecheck submit``.

Unlike ``workbench/pgtemp.py`` (a throwaway server for tests) the data folder is kept:
``cluster down`` stops the server, ``cluster up`` starts it on the same data again.
``initdb`` refuses root, so as root every server command runs as the ``postgres`` user
(``runuser -u postgres``), and the data folder must be one that user can reach: root's
home (mode 700) is not, so the folder then goes under /var/tmp (``data_dir_for``).
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bindir() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise PostgresUnavailable("未安装 PostgreSQL 服务端 / PostgreSQL server not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def free_port(preferred: int | None = None) -> int:
    """``preferred`` when it is free on 127.0.0.1, else any free port."""
    if preferred:
        with socket.socket() as s:
            # As the servers bind (SO_REUSEADDR): a port in TIME_WAIT after a stop is free.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_owner(cmd: list[str]) -> list[str]:
    """``cmd`` run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _owner_can_write(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    return subprocess.run(as_owner(["test", "-w", str(path), "-a", "-x", str(path)]), capture_output=True).returncode == 0


def data_dir_for(cluster_dir: Path) -> Path:
    """Where this cluster keeps its PostgreSQL data: ``<cluster_dir>/pg`` (given to the
    server's user) when that user can reach it, else a folder under /var/tmp named after
    the cluster folder (kept too)."""
    inside = cluster_dir / "pg"
    inside.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(inside, "postgres", "postgres")
        inside.chmod(0o700)
    if _owner_can_write(inside):
        return inside / "data"
    tag = hashlib.sha1(str(cluster_dir.resolve()).encode()).hexdigest()[:10]
    outside = Path("/var/tmp") / f"bundlecheck-pg-{tag}"
    outside.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(outside, "postgres", "postgres")
        outside.chmod(0o700)
    return outside / "data"


def log_for(data: Path) -> Path:
    """The server's log, beside its data (where the server's user can write)."""
    return data.parent / "postgres.log"


def ensure_initialized(data: Path) -> bool:
    """Run initdb once (trust authentication on loopback only); True when it did."""
    if (data / "PG_VERSION").exists():
        return False
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        data.chmod(0o700)
    subprocess.run(as_owner([str(bindir() / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                             "-E", "UTF8", "--locale", "C"]), check=True, capture_output=True)
    return True


def start(data: Path, port: int) -> int:
    """Start the server on 127.0.0.1:``port`` and wait until it accepts connections;
    returns the postmaster's pid. It logs to ``log_for(data)``."""
    log = log_for(data)
    # Two workers and the Prefect server each hold a pool of connections.
    opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(as_owner([str(bindir() / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60",
                             "start"]), check=True, capture_output=True)
    return postmaster_pid(data)


def postmaster_pid(data: Path) -> int:
    """The running server's pid from ``postmaster.pid`` (0 when not running)."""
    try:
        return int((data / "postmaster.pid").read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return 0


def stop(data: Path) -> bool:
    """Stop the server on ``data`` (fast shutdown: open sessions are ended); True when it ran."""
    if not postmaster_pid(data):
        return False
    r = subprocess.run(as_owner([str(bindir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"]),
                       capture_output=True)
    return r.returncode == 0


def ensure_database(port: int, name: str) -> None:
    """Create database ``name`` unless it exists."""
    bins = bindir()
    q = subprocess.run([str(bins / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tAc",
                        f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], capture_output=True, text=True, check=True)
    if q.stdout.strip() != "1":
        subprocess.run([str(bins / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name],
                       check=True, capture_output=True)


__all__ = ["PostgresUnavailable", "bindir", "data_dir_for", "ensure_database", "ensure_initialized", "free_port",
           "log_for", "start", "stop", "postmaster_pid", "as_owner"]
