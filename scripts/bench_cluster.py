"""The same batch three ways: embedded ``bundlecheck run`` (one process, Prefect's
ephemeral server), and ``bundlecheck submit`` to a local cluster with 1 and with 2
workers (``bundlecheck cluster up``). Prints wall time, per-run overhead and pages per
minute, then what N machines would take for a 50-bundle province and a 2,000-bundle year.

    .venv/bin/python scripts/bench_cluster.py                  # 4 generated bundles, half scanned
    .venv/bin/python scripts/bench_cluster.py --bundles DIR    # your own batch

Each configuration starts with a cold page cache (its own OUT). Page processes: 2 for the
embedded run and the single worker, 1 per worker for two workers (this machine has 2 cores).

Overhead per run: for a cluster run, the time from the worker taking the run (Pending)
to its Completed state minus the bundle's own stage seconds (process start, imports,
pull step, publish, database); for the embedded run, (wall - sum of bundle seconds) / n.
Everything started here is stopped (``cluster down``) and the temp folder removed.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = str(Path(sys.executable).with_name("bundlecheck"))


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def _bc(*args) -> float:
    t = time.perf_counter()
    r = subprocess.run([BIN, *map(str, args)], env=_env(), capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"bundlecheck {' '.join(map(str, args))} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return time.perf_counter() - t


def _cluster_overheads(api: str, rows: list[dict]) -> list[float]:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.settings import PREFECT_API_URL, temporary_settings

    out = []
    with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
        for row in rows:
            states = sorted(client.read_flow_run_states(UUID(row["flow_run_id"])), key=lambda s: s.timestamp)
            pending = next(s.timestamp for s in states if s.type == StateType.PENDING)
            done = next(s.timestamp for s in states if s.type == StateType.COMPLETED)
            out.append((done - pending).total_seconds() - row["seconds"])
    return out


def _figures(name: str, wall: float, summary: dict, overheads: list[float]) -> dict:
    pages = sum(b["pages"] for b in summary["bundles"])
    return {"config": name, "wall_s": round(wall, 1), "bundles": len(summary["bundles"]),
            "done": summary["counts"]["done"], "pages": pages,
            "bundle_s_sum": round(sum(b["seconds"] for b in summary["bundles"]), 1),
            "overhead_per_run_s": round(statistics.median(overheads), 1),
            "pages_per_min": round(pages / wall * 60, 1),
            "workers_used": sorted({b.get("worker", "embedded") for b in summary["bundles"]})}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundles", type=Path, default=None, help="batch folder (default: generate --n bundles)")
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--scanned-ratio", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-", dir="/var/tmp"))
    results = []
    try:
        batch = args.bundles
        if batch is None:
            batch = tmp / "in"
            _bc("samples", "--out", batch, "--n", args.n, "--seed", args.seed, "--pages", args.pages,
                "--scanned-ratio", args.scanned_ratio)
            shutil.rmtree(batch / "_truth")

        out = tmp / "embedded"
        wall = _bc("run", batch, "--out", out, "--workers", 2)
        s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        emb = (wall - sum(b["seconds"] for b in s["bundles"])) / max(1, len(s["bundles"]))
        results.append(_figures("embedded `run`", wall, s, [emb]))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)

        from flows import cluster  # lazy: after the embedded run, which must not share our imports

        cdir = tmp / "cluster"
        for workers, page_workers in ((1, 2), (2, 1)):
            _bc("cluster", "up", "--dir", cdir, "--workers", workers, "--port", 0)
            try:
                state = cluster.read_state(cdir)
                out = tmp / f"cluster-{workers}"
                wall = _bc("submit", batch, "--out", out, "--cluster-dir", cdir, "--workers", page_workers)
                s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
                results.append(_figures(f"cluster, {workers} worker(s) x {page_workers} page proc", wall, s,
                                        _cluster_overheads(state["server"]["url"], s["bundles"])))
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
            finally:
                _bc("cluster", "down", "--dir", cdir)
    finally:
        state = None
        try:
            from flows import cluster  # lazy: see above

            state = cluster.read_state(tmp / "cluster")
        except Exception:
            pass
        if state and state.get("postgres") and not Path(state["postgres"]["data"]).is_relative_to(tmp):
            shutil.rmtree(Path(state["postgres"]["data"]).parent, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print("\n| configuration | wall s | bundles | pages | sum of bundle s | overhead/run s | pages/min |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['config']} | {r['wall_s']} | {r['done']}/{r['bundles']} | {r['pages']} | {r['bundle_s_sum']} | "
              f"{r['overhead_per_run_s']} | {r['pages_per_min']} |")
    one = results[1]
    per_bundle = one["wall_s"] / one["bundles"]  # one 2-core machine, one bundle at a time, overhead included
    pages_per_bundle = one["pages"] / one["bundles"]
    print(f"\nOne 2-core worker machine: {per_bundle:.0f} s a bundle of {pages_per_bundle:.0f} pages "
          f"({one['pages_per_min']} pages/min), overhead {one['overhead_per_run_s']} s a run included.")
    print("N worker machines (one worker each; runs are independent, so time ~ ceil(bundles/N) x bundle time):")
    print("| N | 50-bundle province | 2,000-bundle year |")
    print("|---|---|---|")
    for n in (1, 2, 5, 10, 20):
        prov = math.ceil(50 / n) * per_bundle
        year = math.ceil(2000 / n) * per_bundle
        print(f"| {n} | {prov / 60:.0f} min | {year / 3600:.1f} h |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
