"""``bundlecheck`` command line: ``samples`` makes bundles, ``run`` checks them, ``checklist``
says which of the 96 items the checks cover (``checks/coverage.py``)."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.env import configure_prefect

console = Console(stderr=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bundlecheck", description="职业卫生检测报告证据包预审 / evidence-bundle pre-flags")
    sub = parser.add_subparsers(dest="cmd", required=True)

    ps = sub.add_parser("samples", help="generate sample bundles with ground truth")
    ps.add_argument("--out", required=True, type=Path)
    ps.add_argument("--n", type=int, default=27, help="bundles (27 is the smallest batch with every defect kind in two bundles)")
    ps.add_argument("--seed", type=int, default=1)
    ps.add_argument("--pages", type=int, default=None, help="aim for about this many pages per bundle")
    ps.add_argument("--scanned-ratio", type=float, default=0.75)
    ps.add_argument("--family", type=str.lower, choices=["a", "b"], default="a",
                    help="form designs: a (default) or b (another institution's forms for the same facts)")

    pr = sub.add_parser("run", help="check a bundle folder or a folder of bundles")
    pr.add_argument("input", type=Path)
    pr.add_argument("--out", required=True, type=Path)
    pr.add_argument("--engine", choices=["prefect", "plain"], default="prefect",
                    help="prefect (default: local ephemeral mode, or PREFECT_API_URL) or plain functions")
    _settings_args(pr)

    pu = sub.add_parser("submit", help="submit bundles to the cluster (one Prefect flow run per bundle) and wait")
    pu.add_argument("input", type=Path)
    pu.add_argument("--out", required=True, type=Path, help="output folder every worker can reach (shared folder)")
    _settings_args(pu, db_default="the cluster's PostgreSQL when `cluster up` runs, else sqlite:///OUT/bundlecheck.sqlite")
    pu.add_argument("--cluster-dir", type=Path, default=None, help="local cluster state (default ~/.bundlecheck/cluster)")
    pu.add_argument("--api-url", default=None, help="Prefect API (default: the local cluster, else PREFECT_API_URL)")
    pu.add_argument("--deployment", default=None, help="deployment name (default bundlecheck-cluster-bundle/bundle)")

    pk = sub.add_parser("checklist", help="which of the 96 checklist items are checked, by which checks, or why not")
    pk.add_argument("--json", action="store_true", help='print {"items": [{"no", "checked", "checks", "reason", ...}], "summary": {...}}')

    pc = sub.add_parser("cluster", help="local trial cluster: PostgreSQL, Prefect server, pool, deployment, workers")
    csub = pc.add_subparsers(dest="action", required=True)
    for action, text in (("up", "start everything"), ("down", "stop exactly what `up` started"),
                         ("status", "what runs"), ("deploy", "pool + deployment + automations on PREFECT_API_URL")):
        pa = csub.add_parser(action, help=text)
        pa.add_argument("--dir", type=Path, default=None, help="cluster state folder (default ~/.bundlecheck/cluster)")
        if action == "up":
            pa.add_argument("--workers", type=int, default=2, help="worker processes (one bundle at a time each)")
            pa.add_argument("--port", type=int, default=4200, help="Prefect server port (another when taken)")
        if action == "deploy":
            pa.add_argument("--api-url", default=None, help="Prefect API (default PREFECT_API_URL)")
        if action in ("up", "deploy"):
            pa.add_argument("--max-reschedules", type=int, default=2, help="reruns of a bundle after a lost machine")

    args = parser.parse_args(argv)
    if args.cmd == "samples":
        return _samples(args)
    if args.cmd == "submit":
        return _submit(args)
    if args.cmd == "cluster":
        return _cluster(args)
    if args.cmd == "checklist":
        return _checklist(args)
    return _run(args)


def _settings_args(p: argparse.ArgumentParser, db_default: str = "sqlite:///OUT/bundlecheck.sqlite") -> None:
    """The per-bundle settings options, the same for ``run`` and ``submit``."""
    p.add_argument("--workers", type=int, default=2, help="page worker processes")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--page-timeout", type=float, default=120.0)
    p.add_argument("--cache-dir", type=Path, default=None, help="page cache (default OUT/.cache)")
    p.add_argument("--no-cache", action="store_true")
    p.add_argument("--skip-anonymize", action="store_true",
                   help="不生成盲审副本、不核查机构副本（仅重新核查）/ re-check only: no blind copy, no leak check")
    p.add_argument("--hide-staff", action="store_true",
                   help="盲审副本同时隐去登记的专业技术人员姓名 / blind copy also hides registered staff names")
    p.add_argument("--db", default=None, help=f"database URL (default {db_default})")


def _settings(args):
    from pipeline.run import Settings  # lazy: start-up, cv2/numpy/pydantic/openpyxl ~0.6 s

    cache = None if args.no_cache else str((args.cache_dir or args.out / ".cache").resolve())
    return Settings(cache_dir=cache, workers=max(1, args.workers), dpi=args.dpi, page_timeout=args.page_timeout,
                    anonymize=not args.skip_anonymize, hide_staff=args.hide_staff)


def _samples(args) -> int:
    from samples.batch import generate_batch  # lazy: start-up, sample generator ~70 ms

    t = time.perf_counter()
    paths = generate_batch(args.out, args.n, args.seed, pages=args.pages, scanned_ratio=args.scanned_ratio,
                           family=args.family)
    console.print(f"已生成 {len(paths)} 个样例证据包 → {args.out}（真值在 {args.out / '_truth'}），用时 {time.perf_counter() - t:.1f} 秒")
    return 0


def _run(args) -> int:
    if not args.input.exists():
        console.print(f"[red]输入路径不存在 / input does not exist: {args.input}[/red]")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    settings = _settings(args)

    from pipeline import ingest  # lazy: start-up, pydantic models ~0.1 s

    bundles = ingest.discover_bundles(args.input)
    if not bundles:
        console.print(f"[yellow]未发现证据包 / no bundles found under {args.input}[/yellow]")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[info]}"), console=console, transient=False) as prog:
        bar = prog.add_task("证据包", total=len(bundles), info="")
        pages_done = [0]

        def progress(bdir: str, outcome, i: int, n: int) -> None:
            pages_done[0] += len(outcome.pages)
            prog.update(bar, completed=i, info=f"{Path(bdir).name}: {outcome.result.status}，累计 {pages_done[0]} 页")

        summary = _run_engine(args, settings, progress)

    _print_summary(summary)
    console.print(f"\n输出目录 / outputs: {args.out.resolve()}  (summary.json, summary.xlsx, <bundle_id>/findings.json)")
    return 0


def _run_engine(args, settings, progress):
    from pipeline.batch import run_batch  # lazy: start-up, SQLAlchemy ~0.15 s

    if args.engine == "plain":
        return run_batch(args.input, args.out, settings, progress=progress, store_url=args.db)
    configure_prefect(args.out)
    try:
        import flows.batch as fb  # lazy: start-up, Prefect ~1 s; its import failing falls back to plain

        fb.PROGRESS = progress
        return fb.batch_flow(str(args.input), str(args.out), settings, store_url=args.db)
    except Exception as e:  # Prefect itself failed (bundle errors never escape run_bundle)
        console.print(f"[yellow]Prefect 未能运行（{type(e).__name__}: {e}），改用普通模式继续 / falling back to plain engine[/yellow]")
        summary = run_batch(args.input, args.out, settings, progress=progress, store_url=args.db,
                            engine=f"plain (prefect failed: {type(e).__name__})")
        return summary


def _print_summary(summary, workers: bool = False) -> None:
    table = Table(title="批次汇总 / batch summary")
    for col in ("证据包", "状态", "页数", "预警", "否决项", "说明") + (("工作进程 / worker", "尝试 / attempts") if workers else ()):
        table.add_column(col)
    for b in summary.bundles:
        status = "[green]完成[/green]" if b["status"] == "done" else "[red]失败[/red]"
        note = (b["error"] or "")[:60] if b["status"] == "failed" else "，".join(f"{k}×{v}" for k, v in b["by_code"].items())[:80]
        where = (f"{b.get('worker', '?')}@{b.get('host', '?')}", str(b.get("attempts", 1))) if workers else ()
        table.add_row(b["bundle_id"], status, str(b["pages"]), str(b["findings"]), str(b["veto_findings"]), note, *where)
    console.print(table)
    c = summary.counts
    console.print(f"完成 {c['done']} 个，失败 {c['failed']} 个，共 {c['total']} 个；引擎 {summary.engine}；用时 {summary.seconds:.1f} 秒")


def _checklist(args) -> int:
    import json

    from checks import coverage  # lazy: start-up, imports every check module (~1 s)

    cov = coverage.coverage()
    if args.json:
        print(json.dumps(coverage.as_json(cov), ensure_ascii=False, indent=1))
        return 0
    out = Console()  # stdout: the table is the command's output, not progress
    table = Table(title="附件3检查表：系统自动核查范围 / checklist coverage")
    for col, kw in (("序号", {"justify": "right"}), ("重点指标", {}), ("分值", {}), ("已核查", {}),
                    ("核查模块 / 未核查原因", {"overflow": "fold"})):
        table.add_column(col, **kw)
    for c in cov:
        it = c.item
        weight = "★否决" if it.veto else f"{it.points:.1f}"
        if c.checked:
            what = "\n".join(c.checks) + (f"\n[dim]{escape(c.rest_zh)}[/dim]" if c.rest_zh else "")
        else:
            what = escape(c.reason_zh)
        table.add_row(str(it.no), "重点" if it.key_indicator else "", weight,
                      "[green]是[/green]" if c.checked else "[yellow]否[/yellow]", what)
    out.print(table)
    out.print(coverage.summarize(cov).line_zh)
    bad = coverage.unknown_indicators()
    if bad:
        out.print(f"[red]以下核查模块登记了附件3中不存在的指标编号：{bad}[/red]")
    return 0


def _cluster_dir(arg) -> Path:
    from flows.cluster import default_dir  # lazy: start-up, only the cluster commands need it

    return (arg or default_dir()).resolve()


def _submit(args) -> int:
    from flows import cluster  # lazy: start-up, no Prefect until a cluster is needed

    if not args.input.exists():
        console.print(f"[red]输入路径不存在 / input does not exist: {args.input}[/red]")
        return 2
    state = cluster.read_state(_cluster_dir(args.cluster_dir))
    local = cluster.is_up(state)
    api = args.api_url or (state["server"]["url"] if local else os.environ.get("PREFECT_API_URL"))
    if not api:
        console.print("[red]没有可用的集群 / no cluster: run `bundlecheck cluster up` or set PREFECT_API_URL[/red]")
        return 2
    store_url = args.db or (state["postgres"]["store_url"] if local and api == state["server"]["url"] else None)
    args.out.mkdir(parents=True, exist_ok=True)
    settings = _settings(args)
    configure_prefect(args.out)
    from pipeline import ingest  # lazy: start-up, pydantic models ~0.1 s
    from flows import submit as submitting  # lazy: start-up, Prefect ~1 s

    n = len(ingest.discover_bundles(args.input))
    console.print(f"提交 {n} 个证据包到 / submitting {n} bundles to {api}"
                  f"（数据库 / database: {store_url or 'sqlite in OUT'}）")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[info]}"), console=console, transient=False) as prog:
        bar = prog.add_task("证据包", total=n, info="")
        pages_done = [0]

        def progress(row, done: int, total: int, counts: dict) -> None:
            states = " ".join(f"{k}×{v}" for k, v in sorted(counts.items()))
            if row is not None:
                pages_done[0] += row["pages"]
                prog.console.print(f"  {row['bundle_id']}: {row['status']}（{row.get('worker', '-')}@{row.get('host', '-')}，"
                                   f"{row['pages']} 页，第 {row.get('attempts', 1)} 次尝试）")
            prog.update(bar, completed=done, info=f"{states}；累计 {pages_done[0]} 页")

        summary = submitting.submit(args.input, args.out, settings, api_url=api,
                                    deployment=args.deployment or submitting.FULL_NAME, store_url=store_url,
                                    progress=progress)
    _print_summary(summary, workers=True)
    console.print(f"\n输出目录 / outputs: {args.out.resolve()}  (summary.json, summary.xlsx, <bundle_id>/findings.json)")
    return 0


def _cluster(args) -> int:
    from flows import cluster  # lazy: start-up, only the cluster commands need it

    cdir = _cluster_dir(args.dir)
    if args.action == "up":
        try:
            cluster.up(cdir, workers=max(1, args.workers), port=args.port, max_reschedules=args.max_reschedules,
                       say=console.print)
        except Exception as e:
            console.print(f"[red]集群启动失败 / cluster up failed: {type(e).__name__}: {e}[/red]")
            console.print(f"已启动的部分可用 `bundlecheck cluster down --dir {cdir}` 停止 / stop what started with cluster down")
            return 1
        _print_status(cluster.status(cdir))
        return 0
    if args.action == "down":
        cluster.down(cdir, say=console.print)
        return 0
    if args.action == "deploy":
        from flows import deploy  # lazy: start-up, Prefect ~1 s

        api = args.api_url or os.environ.get("PREFECT_API_URL")
        if not api:
            console.print("[red]需要 --api-url 或 PREFECT_API_URL / need --api-url or PREFECT_API_URL[/red]")
            return 2
        console.print(deploy.setup(api, max_reschedules=args.max_reschedules))
        return 0
    st = cluster.status(cdir)
    _print_status(st)
    return 0 if st["up"] else 1


def _print_status(st: dict) -> None:
    table = Table(title=f"集群 / cluster: {st['dir']}")
    for col in ("组件 / part", "运行中 / running", "位置 / where"):
        table.add_column(col)
    if "server" in st:
        table.add_row("PostgreSQL", str(st["postgres"]["running"]), f"127.0.0.1:{st['postgres']['port']}")
        table.add_row("Prefect server", str(st["server"]["running"]), f"{st['server']['url']}  UI {st['server']['ui']}")
        table.add_row("deployment", "", str(st.get("deployment")))
        table.add_row("run database", "", str(st.get("store_url")))
        for w in st.get("workers", []):
            table.add_row(f"worker {w['name']}", str(w["running"]), f"pid {w['pid']}  log {w['log']}")
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
