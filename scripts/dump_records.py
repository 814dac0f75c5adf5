#!/usr/bin/env python
"""Print what the pipeline extracts from one bundle, for developing checks.

    .venv/bin/python scripts/dump_records.py BUNDLE_DIR [--cache DIR] [--checks] [--records]

Runs intake → pages (cached when ``--cache``) → sections → records → ledger → findings
without Prefect and without the anonymize stage, and prints the findings (and, with
``--records``, the typed records as JSON). The truth file of a generated bundle
(``../_truth/<id>.json``) is summarised beside them when present.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.run import Settings, stage_findings, stage_intake, stage_pages, stage_records, stage_sections  # noqa: E402


def analyse(bundle: Path, cache: str | None = None):
    settings = Settings(cache_dir=cache)
    intake = stage_intake(str(bundle), settings)
    if intake.error:
        raise SystemExit(intake.error)
    pages = stage_pages(intake.original_path, settings)
    sections = stage_sections(pages)
    records, ledger = stage_records(intake, pages, sections)
    fo = stage_findings(intake, pages, sections, records, ledger)
    return intake, pages, sections, records, ledger, fo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--cache", default=str(ROOT / "bench_out" / "cache"))
    ap.add_argument("--records", action="store_true")
    a = ap.parse_args()
    bundle = Path(a.bundle)
    intake, pages, sections, records, ledger, fo = analyse(bundle, a.cache)
    if a.records:
        print(json.dumps(records.model_dump(mode="json"), ensure_ascii=False, indent=1))
    truth = bundle.parent / "_truth" / f"{intake.bundle_id}.json"
    if truth.exists():
        t = json.loads(truth.read_text(encoding="utf-8"))
        print("TRUTH defects:", [(d["kind"], d["code"], d.get("also")) for d in t["defects"]])
    for f in fo.findings:
        pages_ = [e.page for e in f.evidence]
        print(f"{f.code} [{f.indicator}{'★' if f.veto else ''}] p{pages_}: {f.message}")
    if fo.checks.get("skipped"):
        print("skipped:", fo.checks["skipped"])
    for e in fo.checks.get("errors", []):
        print("CHECK ERROR", e["check"], e["error"], e.get("traceback", ""))


if __name__ == "__main__":
    main()
