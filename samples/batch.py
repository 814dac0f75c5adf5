"""Generate a batch of sample bundles plus their ground truth.

Layout written under ``out_dir``::

    <bundle_id>/submission.json, original.pdf, anonymized.pdf (unless missing)
    _truth/<bundle_id>.json      ground truth per bundle (outside every bundle folder)
    _truth/batch.json            the batch: seed, bundles, planted defect kinds

The pipeline skips folders whose name starts with ``_``, so ``_truth`` is never read
as a bundle. Output is deterministic for (n, seed, pages, scanned_ratio, family): every
bundle is built from its own seed and the process pool only changes timing.

``family`` picks the form designs: "a" (``samples.render``, the default) or "b"
(``samples.render_b``, an independent institution's forms for the same facts).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from samples.defects import apply_defects, compatible
from samples.model import DEFECT_KINDS
from samples.scenario import build_scenario, submission_dict
from samples.truth import build_truth

TRUTH_DIR = "_truth"
MAX_DEFECTS_PER_BUNDLE = 3


def allocate_defects(n: int, seed: int) -> list[list[str]]:
    """Defect kinds per bundle index.

    Rules: at least a third of the bundles are clean; a defective bundle gets 1–3
    mutually compatible kinds; every kind is planted once before any is planted twice,
    and twice whenever there is room (n ≥ 27 gives every kind in ≥ 2 bundles: 27 kinds
    × 2 / 3 per bundle = 18 defective bundles, plus 9 clean ones).
    """
    if n <= 0:
        return []
    rng = random.Random(f"defects:{seed}:{n}")
    n_clean = math.ceil(n / 3) if n > 1 else 0
    n_def = n - n_clean
    kinds = list(DEFECT_KINDS)
    demand: list[str] = []
    for _ in range(2):
        rnd = kinds[:]
        rng.shuffle(rnd)
        demand += rnd
    demand = demand[: min(len(demand), n_def * MAX_DEFECTS_PER_BUNDLE)]
    while len(demand) < n_def:  # every defective bundle has at least one defect
        demand.append(rng.choice(kinds))
    bundles: list[list[str]] = [[] for _ in range(n_def)]
    for kind in demand:
        options = [b for b in bundles if kind not in b and len(b) < MAX_DEFECTS_PER_BUNDLE and compatible(b + [kind])]
        if not options:
            continue
        least = min(len(b) for b in options)
        rng.choice([b for b in options if len(b) == least]).append(kind)
    slots: list[list[str]] = bundles + [[] for _ in range(n_clean)]
    rng.shuffle(slots)
    return [sorted(b, key=list(DEFECT_KINDS).index) for b in slots]


def allocate_scanned(n: int, seed: int, ratio: float) -> list[bool]:
    rng = random.Random(f"scanned:{seed}:{n}")
    k = int(round(n * ratio))
    chosen = set(rng.sample(range(n), k)) if n else set()
    return [i in chosen for i in range(n)]


@dataclass(frozen=True)
class _Job:
    out_dir: str
    seed: int
    index: int
    kinds: tuple[str, ...]
    scanned: bool
    pages: Optional[int]
    family: str = "a"


def make_bundle(job: _Job) -> dict:
    """Build, damage, render, (scan) and write one bundle with its truth. Returns a summary."""
    if job.family == "b":  # heavy imports stay in the workers
        from samples.render_b import render_bundle  # lazy: PyMuPDF+onnxruntime ~1 s, in the pool workers
    else:
        from samples.render import render_bundle  # lazy: PyMuPDF+onnxruntime ~1 s, in the pool workers

    t0 = time.perf_counter()
    clean = build_scenario(job.seed, job.index, scanned=job.scanned, page_target=job.pages, family=job.family)
    s = apply_defects(clean, job.kinds, job.seed) if job.kinds else clean
    original = render_bundle(s)
    anonymized = render_bundle(s, anonymized=True) if s.anonymized.present else None
    orig_pdf = original.pdf
    anon_pdf = anonymized.pdf if anonymized else None
    if job.scanned:
        from samples.scan import scan_pdf  # lazy: cv2+PyMuPDF ~1 s, only scanned bundles

        orig_pdf = scan_pdf(orig_pdf, s.style, s.seed)
        if anon_pdf is not None:
            anon_pdf = scan_pdf(anon_pdf, s.style, s.seed + 500_000)
    out = Path(job.out_dir)
    folder = out / s.bundle_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "submission.json").write_text(
        json.dumps(submission_dict(s), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / "original.pdf").write_bytes(orig_pdf)
    anon_path = folder / "anonymized.pdf"
    if anon_pdf is not None:
        anon_path.write_bytes(anon_pdf)
    elif anon_path.exists():  # a stale copy from an earlier run would contradict the truth
        anon_path.unlink()
    truth = build_truth(s, original, anonymized, scanned=job.scanned, folder=folder.name)
    tdir = out / TRUTH_DIR
    tdir.mkdir(parents=True, exist_ok=True)
    (tdir / f"{s.bundle_id}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n",
                                              encoding="utf-8")
    return {
        "bundle_id": s.bundle_id, "folder": folder.name, "clean": not s.defects,
        "defects": [d.kind for d in s.defects], "codes": sorted({d.code for d in s.defects}),
        "scanned": job.scanned, "pages": len(original.page_types), "anonymized": anon_pdf is not None,
        "seconds": round(time.perf_counter() - t0, 2), **({"family": job.family} if job.family != "a" else {}),
    }


def generate_batch(out_dir: Path, n: int, seed: int, *, pages: Optional[int] = None,
                   scanned_ratio: float = 0.75, workers: int = 2, family: str = "a") -> list[Path]:
    """Write ``n`` bundles and their truth under ``out_dir``; return the bundle folders."""
    family = (family or "a").lower()
    if family not in ("a", "b"):
        raise ValueError(f"unknown form family: {family!r} (a or b)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds = allocate_defects(n, seed)
    scanned = allocate_scanned(n, seed, scanned_ratio)
    jobs = [_Job(str(out_dir), seed, i, tuple(kinds[i]), scanned[i], pages, family) for i in range(n)]
    t0 = time.perf_counter()
    if workers <= 1 or n <= 1:
        summaries = [make_bundle(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            summaries = list(pool.map(make_bundle, jobs))  # map keeps index order
    batch = {
        "seed": seed, "n": n, "pages_target": pages, "scanned_ratio": scanned_ratio, "family": family,
        "clean": sum(1 for x in summaries if x["clean"]),
        "defect_kinds": {k: sum(1 for x in summaries if k in x["defects"]) for k in DEFECT_KINDS},
        "bundles": [{k: v for k, v in x.items() if k != "seconds"} for x in summaries],
    }
    (out_dir / TRUTH_DIR / "batch.json").write_text(json.dumps(batch, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")
    timing = {"seconds": round(time.perf_counter() - t0, 1), "per_bundle": [x["seconds"] for x in summaries]}
    (out_dir / TRUTH_DIR / "timing.json").write_text(json.dumps(timing) + "\n", encoding="utf-8")
    return [out_dir / x["folder"] for x in summaries]


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="bundlecheck samples", description="生成样例证据包及其标准答案 (ground truth)")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pages", type=int, default=None, help="approximate pages per bundle (e.g. 200 for benchmarks)")
    ap.add_argument("--scanned-ratio", type=float, default=0.75)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--family", type=str.lower, choices=["a", "b"], default="a",
                    help="form designs: a (default) or b (another institution's forms for the same facts)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    folders = generate_batch(a.out, a.n, a.seed, pages=a.pages, scanned_ratio=a.scanned_ratio, workers=a.workers,
                             family=a.family)
    batch = json.loads((a.out / TRUTH_DIR / "batch.json").read_text(encoding="utf-8"))
    print(f"{len(folders)} bundles in {a.out} ({batch['clean']} clean) in {time.perf_counter() - t0:.1f} s; "
          f"ground truth in {a.out / TRUTH_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
