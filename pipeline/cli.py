"""``bundlecheck`` command line: ``samples`` makes bundles, ``run`` checks them."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
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
    pr.add_argument("--workers", type=int, default=2, help="page worker processes")
    pr.add_argument("--dpi", type=int, default=200)
    pr.add_argument("--page-timeout", type=float, default=120.0)
    pr.add_argument("--cache-dir", type=Path, default=None, help="page cache (default OUT/.cache)")
    pr.add_argument("--no-cache", action="store_true")
    pr.add_argument("--skip-anonymize", action="store_true",
                    help="不生成盲审副本、不核查机构副本（仅重新核查）/ re-check only: no blind copy, no leak check")
    pr.add_argument("--hide-staff", action="store_true",
                    help="盲审副本同时隐去登记的专业技术人员姓名 / blind copy also hides registered staff names")
    pr.add_argument("--db", default=None, help="database URL (default sqlite:///OUT/bundlecheck.sqlite)")

    args = parser.parse_args(argv)
    if args.cmd == "samples":
        return _samples(args)
    return _run(args)


def _samples(args) -> int:
    from samples.batch import generate_batch  # lazy: start-up, sample generator ~70 ms

    t = time.perf_counter()
    paths = generate_batch(args.out, args.n, args.seed, pages=args.pages, scanned_ratio=args.scanned_ratio,
                           family=args.family)
    console.print(f"已生成 {len(paths)} 个样例证据包 → {args.out}（真值在 {args.out / '_truth'}），用时 {time.perf_counter() - t:.1f} 秒")
    return 0


def _run(args) -> int:
    from pipeline.run import Settings  # lazy: start-up, cv2/numpy/pydantic/openpyxl ~0.6 s

    if not args.input.exists():
        console.print(f"[red]输入路径不存在 / input does not exist: {args.input}[/red]")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    cache = None if args.no_cache else str((args.cache_dir or args.out / ".cache").resolve())
    settings = Settings(cache_dir=cache, workers=max(1, args.workers), dpi=args.dpi, page_timeout=args.page_timeout,
                        anonymize=not args.skip_anonymize, hide_staff=args.hide_staff)

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


def _print_summary(summary) -> None:
    table = Table(title="批次汇总 / batch summary")
    for col in ("证据包", "状态", "页数", "预警", "否决项", "说明"):
        table.add_column(col)
    for b in summary.bundles:
        status = "[green]完成[/green]" if b["status"] == "done" else "[red]失败[/red]"
        note = (b["error"] or "")[:60] if b["status"] == "failed" else "，".join(f"{k}×{v}" for k, v in b["by_code"].items())[:80]
        table.add_row(b["bundle_id"], status, str(b["pages"]), str(b["findings"]), str(b["veto_findings"]), note)
    console.print(table)
    c = summary.counts
    console.print(f"完成 {c['done']} 个，失败 {c['failed']} 个，共 {c['total']} 个；引擎 {summary.engine}；用时 {summary.seconds:.1f} 秒")


if __name__ == "__main__":
    sys.exit(main())
