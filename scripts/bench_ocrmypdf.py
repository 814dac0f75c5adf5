"""bundlecheck end to end vs OCRmyPDF on the same scanned bundle, in one run (issue 13).

    python scripts/bench_ocrmypdf.py                      # one generated scanned bundle
    python scripts/bench_ocrmypdf.py --bundle DIR         # a bundle folder of your own
    python scripts/bench_ocrmypdf.py --engines rapidocr-openvino,rapidocr

Cold, one after the other on the same machine: ``bundlecheck run`` (plain engine, a
fresh page cache: intake → OCR → findings → our blind copy → check of the
institution's copy → outputs) for each OCR engine named, then ``ocrmypdf -l chi_sim
--jobs N --optimize 0`` on the same ``original.pdf``. Prints wall seconds, seconds a
page, every stage, and the ratio bundlecheck / OCRmyPDF (≤ 1.0 is the goal).

OCRmyPDF and Tesseract's Simplified Chinese data are the peer, not part of the
product: they come from Debian (``apt-get install ocrmypdf tesseract-ocr-chi-sim``),
installed here when missing and this runs as root. Printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def ensure_ocrmypdf() -> str:
    have = shutil.which("ocrmypdf")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout \
        if shutil.which("tesseract") else ""
    if have and "chi_sim" in langs.split():
        return have
    if os.geteuid() != 0:
        raise SystemExit("OCRmyPDF with chi_sim is missing: sudo apt-get install -y ocrmypdf tesseract-ocr-chi-sim")
    print("installing the peer from Debian: ocrmypdf tesseract-ocr-chi-sim …", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "install", "-y", "-q", "ocrmypdf", "tesseract-ocr-chi-sim"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return shutil.which("ocrmypdf") or "ocrmypdf"


def pages_of(pdf: Path) -> int:
    import pymupdf

    with pymupdf.open(str(pdf)) as d:
        return d.page_count


def run_bundlecheck(bundle: Path, work: Path, engine: str, workers: int) -> dict:
    """``bundlecheck run`` on a folder holding only ``bundle``, cold (new cache, new output)."""
    batch = work / f"in-{engine}"
    batch.mkdir(parents=True, exist_ok=True)
    link = batch / bundle.name
    if not link.exists():
        link.symlink_to(bundle.resolve(), target_is_directory=True)
    out = work / f"out-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, BUNDLECHECK_OCR_ENGINE=engine)
    t = time.perf_counter()
    subprocess.run([str(BIN / "bundlecheck"), "run", str(batch), "--out", str(out), "--engine", "plain",
                    "--workers", str(workers), "--cache-dir", str(work / f"cache-{engine}")],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    b = summary["bundles"][0]
    findings = json.loads((out / b["folder"] / "findings.json").read_text(encoding="utf-8")) if b.get("folder") else {}
    return {"wall": wall, "stages": b.get("timings", {}), "status": b.get("status"),
            "findings": len(findings.get("findings", [])), "out": str(out)}


def run_ocrmypdf(exe: str, pdf: Path, work: Path, jobs: int) -> float:
    target = work / "ocrmypdf.pdf"
    t = time.perf_counter()
    subprocess.run([exe, "-l", "chi_sim", "--jobs", str(jobs), "--optimize", "0", "--quiet", str(pdf), str(target)],
                   check=True)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", type=Path, help="a bundle folder (default: one generated scanned bundle)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--engines", default="", help="OCR engines to time, comma-separated (default: the default one)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", type=Path, help="keep the outputs here")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from pipeline.ocr_engine import default_engine

    exe = ensure_ocrmypdf()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="bench-ocrmypdf-"))
    work.mkdir(parents=True, exist_ok=True)
    bundle = a.bundle
    if bundle is None:
        from samples.batch import generate_batch

        bundle = generate_batch(work / "bundles", 1, a.seed, scanned_ratio=1.0, workers=1)[0]
    pdf = bundle / "original.pdf"
    n = pages_of(pdf)
    copy = (bundle / "anonymized.pdf").is_file()
    print(f"bundle {bundle.name}: {n} scanned pages (institution copy: {'yes' if copy else 'no'}), "
          f"{os.cpu_count()} cores, {a.workers} workers / jobs")
    engines = [e for e in a.engines.split(",") if e] or [default_engine()]
    results = {e: run_bundlecheck(bundle, work, e, a.workers) for e in engines}
    peer = run_ocrmypdf(exe, pdf, work, a.workers)
    print()
    print(f"{'':34}{'wall s':>8}{'s/page':>8}{'ratio':>7}")
    for e, r in results.items():
        print(f"{'bundlecheck end to end (' + e + ')':34}{r['wall']:8.1f}{r['wall'] / n:8.2f}{r['wall'] / peer:7.2f}"
              f"   {r['status']}, {r['findings']} findings")
        stages = r["stages"]
        for k in ("intake", "pages", "sections", "records", "findings", "anonymize"):
            if k in stages:
                print(f"    {k:30}{stages[k]:8.1f}{stages[k] / n:8.2f}")
    print(f"{'OCRmyPDF -l chi_sim --optimize 0':34}{peer:8.1f}{peer / n:8.2f}{1.0:7.2f}")
    print(f"\nratio (bundlecheck / OCRmyPDF, ≤ 1.0 is the goal): "
          + ", ".join(f"{e} {r['wall'] / peer:.2f}" for e, r in results.items()))
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
