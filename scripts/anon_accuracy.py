"""Measure issue 6 (blind-review copies) on a generated batch and the real-pdfs corpus.

    .venv/bin/python scripts/anon_accuracy.py --batch /tmp/anonbatch [--cache DIR] [--bundles ID,ID] [--corpus]

For every bundle of the batch (made with ``bundlecheck samples``):
- our copy: leaks found by the pipeline's own verifier (which re-reads painted pages
  against the original) AND by an independent attacker's pass over the finished copy
  (``verify_pdf`` with no reference: every page raster OCR'd whole, with its own
  orientation, plus every other channel); both must be 0. Readability: the share of
  the original's non-identity lines (text layer / OCR of the pages stage) whose text
  the attacker's pass still finds in the copy (goal ≥ 0.98);
- the institution's copy: ``anonymized.leak`` recall/precision per planted channel
  against ``_truth/<id>.json`` (``anonymized.planted_leaks``); a clean copy must give
  no finding. ``--plant`` additionally renders, for the first bundles, an institution
  copy with every leak channel open (the batch plants at most one leaky copy).
``--corpus`` stamps a made-up identity (name line, phone, red seal) onto each openable
real-pdfs file and checks our copy of it has zero leaks.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.anonymize import (anonymize_pdf, build_identity, check_institution_copy, leak_findings,  # noqa: E402
                                verify_pdf)
from pipeline.anonymize.identity import match_key  # noqa: E402
from pipeline.pages import extract_pages  # noqa: E402

CHANNEL_OF_LEAK = {"seal": "seal", "footer": "footer", "letterhead": "letterhead", "metadata": "metadata",
                   "body_text": "text", "certificate_page": "certificate_page"}


def readability(pages, rep, ids) -> tuple[int, int]:
    """(kept, total) of the original's lines without identity, found again in the copy."""
    from pipeline.anonymize.find import find_in_text

    kept = total = 0
    for p in pages:
        got = "".join(match_key(t) for t in rep.page_text.get(p.no, []))
        for ln in p.lines:
            k = match_key(ln.text)
            if len(k) < 4 or find_in_text(ln.text, ids):
                continue
            total += 1
            if k in got:
                kept += 1
            else:
                # OCR is not deterministic across rasters: accept a near-identical line.
                from rapidfuzz import fuzz

                if fuzz.partial_ratio(k, got) >= 90:
                    kept += 1
    return kept, total


def truth_leak_pages(truth: dict) -> dict[str, set[int]]:
    """Planted leak channel → pages where the identity shows in the institution copy."""
    out: dict[str, set[int]] = {}
    for x in truth["anonymized"].get("identity_printed", []):
        out.setdefault(x["channel"], set()).update(x["pages"] or [0])
    return out


def plant_all_channels(batch: Path, bundle_id: str, truth: dict, dest: Path) -> Path | None:
    """Render the bundle's institution copy again with every leak channel open."""
    try:
        from samples.batch import allocate_defects
        from samples.defects import ANON_CHANNELS, apply_defects
        from samples.render import render_bundle
        from samples.scenario import build_scenario
    except Exception:
        return None
    meta = json.loads((batch / "_truth" / "batch.json").read_text()) if (batch / "_truth" / "batch.json").exists() else None
    seed = truth["seed"] if meta is None else meta.get("seed", truth["seed"])
    n = meta.get("n") if meta else None
    index = int(bundle_id.rsplit("-", 1)[-1]) - 1
    kinds = allocate_defects(n, seed)[index] if n else []
    s = build_scenario(seed, index, scanned=truth["scanned"], page_target=(meta or {}).get("pages_target"))
    s = apply_defects(s, kinds, seed) if kinds else s
    s.anonymized.present = True
    s.anonymized.leaks = list(ANON_CHANNELS)
    rb = render_bundle(s, anonymized=True)
    pdf = rb.pdf
    if truth["scanned"]:
        from samples.scan import scan_pdf

        pdf = scan_pdf(pdf, s.style, s.seed + 500_000)
    dest.write_bytes(pdf)
    from samples.truth import identity_printed

    return dest, identity_printed(s, rb)


def score_institution(found_leaks, printed: list[dict]) -> dict:
    """Per truth (channel, page) with identity printed: found if any leak on that page
    (metadata: any metadata/xmp leak). Precision: leak pages with no identity printed."""
    want: set[tuple[str, int]] = set()
    for x in printed:
        for p in (x["pages"] or [0]):
            want.add((x["channel"], p))
    leak_pages = {lk.page or 0 for lk in found_leaks}
    doc_level = any(lk.page is None for lk in found_leaks)
    hit = {w for w in want if (w[1] in leak_pages) or (w[1] == 0 and doc_level)}
    truth_pages = {p for _, p in want}
    false_pages = {p for p in leak_pages if p not in truth_pages}
    return {"want": len(want), "hit": len(hit), "missed": sorted(want - hit), "false_pages": sorted(false_pages)}


def run_batch(batch: Path, work: Path, args) -> dict:
    figures = {"bundles": 0, "our_leaks": 0, "our_unsafe": 0, "attacker_leaks": 0, "kept": 0, "total": 0,
               "inst_want": 0, "inst_hit": 0, "inst_false_findings": 0, "inst_clean_copies": 0,
               "inst_clean_with_finding": 0, "missed": [], "seconds": {}, "per_bundle": {}}
    truths = sorted((batch / "_truth").glob("HN-*.json"))
    if args.bundles:
        wanted = set(args.bundles.split(","))
        truths = [t for t in truths if t.stem in wanted]
    truths = truths[: args.max_bundles]
    cache = args.cache or work / "cache"
    for i, tf in enumerate(truths):
        truth = json.loads(tf.read_text())
        bid = truth["bundle_id"]
        bdir = batch / truth.get("folder", bid)
        sub = json.loads((bdir / "submission.json").read_text())
        t0 = time.time()
        pages = extract_pages(bdir / "original.pdf", cache_dir=cache, workers=args.workers)
        t_pages = time.time() - t0
        t1 = time.time()
        res = anonymize_pdf(bdir / "original.pdf", pages, sub["institution"], work / bid / "anonymized.pdf",
                            employer=sub.get("employer"), cache_dir=cache, workers=args.workers)
        t_ours = time.time() - t1
        ids = build_identity(sub["institution"], sub.get("employer"))
        v = res.stats.get("verify", {})
        figures["bundles"] += 1
        figures["our_leaks"] += len(res.leaks)
        figures["our_unsafe"] += 0 if res.safe else 1
        line = (f"{bid} scanned={truth['scanned']} pages={len(pages)} ours: leaks={len(res.leaks)} safe={res.safe} "
                f"ocr={v.get('ocr_pages')} reread={v.get('reread_pages')} boxes={v.get('reread_boxes')} "
                f"reused={v.get('reused_pages')} repaired={res.stats.get('repaired_from_verify', 0)} "
                f"[pages {t_pages:.0f}s, anonymize {t_ours:.0f}s]")
        for lk in res.leaks[:5]:
            line += f"\n    OUR LEAK {lk}"
        for e in res.errors[:3]:
            line += f"\n    error {e}"
        row = {"pages": len(pages), "our_leaks": len(res.leaks), "safe": res.safe, "verify": v,
               "t_pages": round(t_pages, 1), "t_anonymize": round(t_ours, 1)}
        if args.attacker:
            # The finished copy read cold: no reference, every raster OCR'd whole.
            t2 = time.time()
            att = verify_pdf(work / bid / "anonymized.pdf", ids, cache_dir=cache, workers=args.workers)
            kept, total = readability(pages, att, ids)
            figures["attacker_leaks"] += len(att.leaks)
            figures["kept"] += kept
            figures["total"] += total
            row.update(attacker_leaks=len(att.leaks), read=[kept, total], t_attacker=round(time.time() - t2, 1))
            line += f"\n  attacker pass: leaks={len(att.leaks)} ocr={att.ocr_pages} read={kept}/{total} [{time.time() - t2:.0f}s]"
            for lk in att.leaks[:5]:
                line += f"\n    ATTACKER LEAK {lk}"
        copies = []
        if args.institution and (bdir / "anonymized.pdf").exists() and truth["anonymized"].get("present"):
            copies.append(("submitted", bdir / "anonymized.pdf", truth["anonymized"].get("identity_printed", [])))
        if args.plant and i < args.plant:
            got = plant_all_channels(batch, bid, truth, work / f"{bid}-allleaks.pdf")
            if got:
                copies.append(("planted-all", got[0], got[1]))
        for kind, path, printed in copies:
            t3 = time.time()
            rep = check_institution_copy(path, sub["institution"], employer=sub.get("employer"),
                                         cache_dir=cache, workers=args.workers,
                                         original=bdir / "original.pdf", original_pages=pages)
            sc = score_institution(rep.leaks, printed)
            nfind = len(leak_findings(rep.leaks))
            figures["inst_want"] += sc["want"]
            figures["inst_hit"] += sc["hit"]
            figures["inst_false_findings"] += len(sc["false_pages"])
            if not printed:
                figures["inst_clean_copies"] += 1
                figures["inst_clean_with_finding"] += 1 if nfind else 0
            figures["missed"] += [(bid, kind, m) for m in sc["missed"]]
            row.setdefault("institution", {})[kind] = {**sc, "findings": nfind, "ocr": rep.ocr_pages,
                                                      "reread": rep.reread_pages, "seconds": round(time.time() - t3, 1)}
            line += (f"\n  institution copy ({kind}): printed={sc['want']} found={sc['hit']} findings={nfind} "
                     f"false_pages={sc['false_pages']} missed={sc['missed']} ocr={rep.ocr_pages} "
                     f"reread={rep.reread_pages} [{time.time() - t3:.0f}s]")
            if not printed and rep.leaks:
                for lk in rep.leaks[:5]:
                    line += f"\n    FALSE {lk}"
        figures["seconds"][bid] = round(time.time() - t0, 1)
        figures["per_bundle"][bid] = row
        print(line, flush=True)
    return figures


def run_corpus(work: Path, args) -> dict:
    """Stamp a made-up identity onto each openable real PDF; our copy must have zero leaks."""
    import random

    import pymupdf

    from samples.render.ink import seal_png

    corpus = Path(args.corpus_dir)
    inst = {"name": "河南虚构检测技术有限公司", "aliases": ["虚构检测"], "phone": "0371-66668888",
            "certificate_no": "豫卫职技字〔2099〕第0999号", "address": "郑州市虚构区测试路1号"}
    out = {"files": 0, "skipped": [], "leaks": 0, "unsafe": [], "per_file": {}}
    rows = [ln.split("\t") for ln in (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:] if ln.strip()]
    for row in rows[: args.corpus_max]:
        name = row[0]
        src = corpus / name
        if not src.exists() or not name.lower().endswith(".pdf"):
            continue
        try:
            doc = pymupdf.open(str(src))
            if doc.needs_pass or doc.page_count == 0:
                raise ValueError("encrypted or empty")
            if doc.page_count > args.corpus_pages:
                doc.select(list(range(args.corpus_pages)))
            for page in doc:
                r = page.rect
                page.insert_text((36, 30), f"{inst['name']} 电话：{inst['phone']}", fontname="china-s", fontsize=9)
                page.insert_image(pymupdf.Rect(r.x1 - 130, r.y1 - 130, r.x1 - 20, r.y1 - 20),
                                  stream=seal_png(inst["name"], "检测专用章", random.Random(1)))
            doc.set_metadata({"author": inst["name"]})
            stamped = work / "corpus" / name
            stamped.parent.mkdir(parents=True, exist_ok=True)
            doc.save(stamped, garbage=3, deflate=True)
            doc.close()
        except Exception as e:
            out["skipped"].append(f"{name}: {type(e).__name__}: {str(e)[:80]}")
            continue
        try:
            pages = extract_pages(stamped, cache_dir=work / "cache", workers=args.workers)
            res = anonymize_pdf(stamped, pages, inst, work / "corpus-out" / name, cache_dir=work / "cache",
                                workers=args.workers)
        except Exception as e:
            out["skipped"].append(f"{name}: pipeline error {type(e).__name__}: {str(e)[:80]}")
            continue
        out["files"] += 1
        out["leaks"] += len(res.leaks)
        out["per_file"][name] = {"leaks": len(res.leaks), "safe": res.safe, "errors": res.errors[:2]}
        if not res.safe:
            out["unsafe"].append(name)
        print(f"corpus {name}: leaks={len(res.leaks)} safe={res.safe} {[str(x) for x in res.leaks[:3]]} {res.errors[:2]}",
              flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=Path)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max-bundles", type=int, default=100)
    ap.add_argument("--bundles", default="", help="comma-separated bundle ids (default: all)")
    ap.add_argument("--cache", type=Path, default=None, help="page cache dir (default: WORK/cache)")
    ap.add_argument("--no-attacker", dest="attacker", action="store_false",
                    help="skip the independent whole-page OCR pass over our copies")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    ap.add_argument("--plant", type=int, default=2, help="bundles that also get an all-channels leaky copy")
    ap.add_argument("--no-institution", dest="institution", action="store_false",
                    help="skip checking the institutions' own copies (our copies only)")
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--corpus-dir", default=str(Path(__file__).resolve().parents[2] / "shared/corpus/real-pdfs"))
    ap.add_argument("--corpus-max", type=int, default=200)
    ap.add_argument("--corpus-pages", type=int, default=3, help="pages kept per corpus file")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="anonacc"))
    work.mkdir(parents=True, exist_ok=True)
    if a.batch:
        f = run_batch(a.batch, work, a)
        print("\n== batch", a.batch)
        print(f"bundles: {f['bundles']}  our copies: leaks={f['our_leaks']} unsafe={f['our_unsafe']} "
              f"attacker-pass leaks={f['attacker_leaks'] if a.attacker else 'not run'}")
        print(f"readability: {f['kept']}/{f['total']} = {f['kept'] / max(1, f['total']):.4f}")
        print(f"institution copies: recall {f['inst_hit']}/{f['inst_want']} = {f['inst_hit'] / max(1, f['inst_want']):.3f}; "
              f"false leak pages {f['inst_false_findings']}; clean copies with a finding "
              f"{f['inst_clean_with_finding']}/{f['inst_clean_copies']}")
        if f["missed"]:
            print("missed:", f["missed"][:20])
        if a.json:
            a.json.write_text(json.dumps(f, ensure_ascii=False, indent=1, default=str))
    if a.corpus:
        c = run_corpus(work, a)
        print("\n== corpus", a.corpus_dir)
        print(f"files checked: {c['files']}  leaks in our copies: {c['leaks']}  unsafe: {c['unsafe']}")
        print(f"skipped ({len(c['skipped'])}):")
        for s in c["skipped"]:
            print("   ", s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
