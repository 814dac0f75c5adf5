"""A batch run: every bundle under INPUT, one result each, then summary.json and .xlsx.

``run_batch`` takes a ``runner`` so the same code serves the plain path (tests,
``--engine plain``) and the Prefect flow, which passes its own per-bundle runner.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from pipeline import ingest
from pipeline.fsio import atomic_path, atomic_write_text
from pipeline.run import BundleOutcome, Settings, run_bundle
from pipeline.store import Store
from pipeline.types import SECTION_NAMES_ZH

BundleRunner = Callable[[str, str, Settings], BundleOutcome]
Progress = Callable[[str, BundleOutcome, int, int], None]


@dataclass
class BatchSummary:
    input: str
    out: str
    engine: str
    started: str
    finished: str = ""
    seconds: float = 0.0
    bundles: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(b["status"] for b in self.bundles)
        return {"done": c.get("done", 0), "failed": c.get("failed", 0), "total": len(self.bundles)}

    def to_json(self) -> dict:
        return {
            "input": self.input,
            "out": self.out,
            "engine": self.engine,
            "started": self.started,
            "finished": self.finished,
            "seconds": round(self.seconds, 2),
            "counts": self.counts,
            "bundles": self.bundles,
        }


def bundle_row(outcome: BundleOutcome) -> dict:
    r = outcome.result
    by_code = Counter(f.code for f in r.findings)
    pages = outcome.pages
    return {
        "bundle_id": r.bundle_id,
        "folder": outcome.folder,
        "status": r.status,
        "error": r.error,
        "pages": len(pages),
        "pages_ocr": sum(1 for p in pages if p.source == "ocr"),
        "pages_text": sum(1 for p in pages if p.source == "text"),
        "sections": [s.type for s in r.sections],
        "findings": len(r.findings),
        "veto_findings": sum(1 for f in r.findings if f.veto),
        "by_code": dict(sorted(by_code.items())),
        "seconds": round(outcome.timings.get("total", 0.0), 2),
        "timings": {k: round(v, 3) for k, v in outcome.timings.items()},
        "original_sha256": outcome.sha256,
    }


def run_batch(
    input_path: Path,
    out_dir: Path,
    settings: Settings,
    *,
    runner: Optional[BundleRunner] = None,
    engine: str = "plain",
    progress: Optional[Progress] = None,
    store_url: Optional[str] = None,
) -> BatchSummary:
    """Run all bundles; a failing bundle never stops the others."""
    out_dir.mkdir(parents=True, exist_ok=True)
    runner = runner or run_bundle
    bundles = ingest.discover_bundles(input_path)
    summary = BatchSummary(
        input=str(input_path), out=str(out_dir), engine=engine,
        started=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    )
    store, run_id = _open_store(store_url, out_dir, summary, settings)
    t0 = time.perf_counter()
    for i, bdir in enumerate(bundles, 1):
        outcome = runner(str(bdir), str(out_dir), settings)
        summary.bundles.append(bundle_row(outcome))
        if store is not None:
            store.record_bundle(run_id, outcome.result, outcome.pages, folder=str(bdir),
                                sha256=outcome.sha256, timings=outcome.timings)
        if progress:
            progress(str(bdir), outcome, i, len(bundles))
    summary.seconds = time.perf_counter() - t0
    summary.finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_summary(out_dir, summary)
    if store is not None:
        store.finish_run(run_id, status="done")
    return summary


def _open_store(url: Optional[str], out_dir: Path, summary: BatchSummary, settings: Settings):
    store = Store.for_output(out_dir, url)
    run_id = store.start_run(input=summary.input, settings=settings.__dict__)
    return store, run_id


def write_summary(out_dir: Path, summary: BatchSummary) -> None:
    atomic_write_text(out_dir / "summary.json", json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    write_summary_xlsx(out_dir / "summary.xlsx", summary)


def write_summary_xlsx(path: Path, summary: BatchSummary) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "批次汇总"
    headers = ["证据包编号", "文件夹", "状态", "错误信息", "页数", "OCR页数", "章节", "预警数", "否决项预警数", "各类预警", "用时(秒)"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for b in summary.bundles:
        ws.append([
            b["bundle_id"], b["folder"], "完成" if b["status"] == "done" else "失败", b["error"] or "",
            b["pages"], b["pages_ocr"], "、".join(SECTION_NAMES_ZH.get(s, s) for s in b["sections"]),
            b["findings"], b["veto_findings"],
            "；".join(f"{k}×{v}" for k, v in b["by_code"].items()), b["seconds"],
        ])
    widths = [18, 18, 8, 50, 6, 8, 60, 8, 12, 50, 10]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    c = summary.counts
    ws2 = wb.create_sheet("运行信息")
    for k, v in [("输入", summary.input), ("输出", summary.out), ("引擎", summary.engine), ("开始", summary.started),
                 ("结束", summary.finished), ("用时(秒)", round(summary.seconds, 1)), ("完成", c["done"]),
                 ("失败", c["failed"]), ("合计", c["total"])]:
        ws2.append([k, v])
    with atomic_path(path) as tmp:
        wb.save(tmp)
