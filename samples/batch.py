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

from samples.defects import apply_defects, audit_codes, compatible, feasible
from samples.model import DEFECT_KINDS, Scenario
from samples.scenario import build_scenario, submission_dict
from samples.truth import build_truth

TRUTH_DIR = "_truth"
MAX_DEFECTS_PER_BUNDLE = 4


def allocate_defects(n: int, seed: int, clean: Optional[Sequence[Scenario]] = None) -> list[list[str]]:
    """Defect kinds per bundle index.

    Rules: about a third of the bundles are clean (at least a quarter, fewer than a
    third when that makes room for every kind twice); a defective bundle gets 1–4
    mutually compatible kinds (5 where only that lets every kind be planted twice);
    every kind is planted once before any is planted twice, and twice whenever there is
    room (from :func:`batch_size_for_twice` bundles on).

    ``clean``: the clean scenario of each index. When given, a kind only goes where it
    can be planted (a bundle without short-time samples takes no ``stel_duration_wrong``)
    and where the bundle's kinds together still audit exactly; kinds that fit fewer
    bundles are placed first.
    """
    if n <= 0:
        return []
    rng = random.Random(f"defects:{seed}:{n}")
    kinds = list(DEFECT_KINDS)
    n_clean = _n_clean(n, len(kinds))
    need = 2 * len(kinds)
    n_def = n - n_clean
    # one more defect per bundle only where that lets every kind be planted twice
    cap = MAX_DEFECTS_PER_BUNDLE
    if n_def * cap < need <= n_def * (cap + 1):
        cap += 1
    demand: list[str] = []
    for _ in range(2):
        rnd = kinds[:]
        rng.shuffle(rnd)
        demand += rnd
    demand = demand[: min(len(demand), n_def * cap)]
    while len(demand) < n_def:  # every defective bundle has at least one defect
        demand.append(rng.choice(kinds))
    order = list(range(n))
    rng.shuffle(order)
    defective = sorted(order[:n_def])
    bundles: dict[int, list[str]] = {i: [] for i in defective}
    tried: dict[tuple[int, tuple[str, ...]], bool] = {}

    def works(i: int, ks: list[str]) -> bool:
        if clean is None:
            return True
        key = (i, tuple(sorted(ks)))
        if key not in tried:
            tried[key] = _plants_exactly(clean[i], ks, seed)
        return tried[key]

    if clean is not None:  # the most constrained kinds first (stable within the shuffle)
        fits = {k: sum(1 for i in defective if feasible(k, clean[i])) for k in kinds}
        demand.sort(key=lambda k: fits[k] < len(defective), reverse=True)
    for kind in demand:
        options = [i for i, b in bundles.items() if kind not in b and len(b) < cap
                   and compatible(b + [kind]) and (clean is None or feasible(kind, clean[i]))]
        for size in sorted({len(bundles[i]) for i in options}):
            level = [i for i in options if len(bundles[i]) == size]
            rng.shuffle(level)
            pick = next((i for i in level if works(i, bundles[i] + [kind])), None)
            if pick is not None:
                bundles[pick].append(kind)
                break
    for i, b in bundles.items():  # a defective bundle the constraints left empty
        if not b:
            for kind in rng.sample(kinds, len(kinds)):
                if (clean is None or feasible(kind, clean[i])) and works(i, [kind]):
                    b.append(kind)
                    break
    return [sorted(bundles.get(i, []), key=list(DEFECT_KINDS).index) for i in range(n)]


def _n_clean(n: int, n_kinds: int) -> int:
    room = math.ceil(1.1 * 2 * n_kinds / MAX_DEFECTS_PER_BUNDLE)  # defective bundles two rounds need
    n_clean = math.ceil(n / 3) if n > 1 else 0
    if n - room >= n // 4:  # fewer clean bundles (never under a quarter) so every kind fits twice
        n_clean = min(n_clean, n - room)
    return n_clean


def batch_size_for_twice(n_kinds: Optional[int] = None) -> int:
    """The smallest batch whose defective bundles have room for every kind twice."""
    k = len(DEFECT_KINDS) if n_kinds is None else n_kinds
    return next(n for n in range(2, 10_000) if (n - _n_clean(n, k)) * MAX_DEFECTS_PER_BUNDLE >= 2 * k)


def _plants_exactly(clean: Scenario, kinds: list[str], seed: int) -> bool:
    """The kinds plant together and the self-check finds each, and nothing unexpected."""
    try:
        bad = apply_defects(clean, kinds, seed)
    except (RuntimeError, ValueError, IndexError, KeyError):
        return False
    expected = {c for d in bad.defects for c in (d.code, *d.also)}
    return {d.code for d in bad.defects} <= audit_codes(bad) <= expected


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
    scanned = allocate_scanned(n, seed, scanned_ratio)
    # the clean scenarios (cheap to build) tell which kinds each bundle can carry
    clean = [build_scenario(seed, i, scanned=scanned[i], page_target=pages, family=family) for i in range(n)]
    kinds = allocate_defects(n, seed, clean)
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
