"""Render sample bundles to PNGs for looking at them.

    .venv/bin/python scripts/render_preview.py --out /tmp/preview --seed 7 --n 2

For each bundle writes, per section type, its first page born-digital, scanned grey,
scanned colour and anonymized (``<bundle>/<section>_<variant>.png``), plus
``<bundle>/all_pages.png``, a contact sheet of every born-digital page.
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.render import render_bundle  # noqa: E402
from samples.scan import scan_pdf  # noqa: E402
from samples.scenario import build_scenario  # noqa: E402


def _contact_sheet(doc: pymupdf.Document, path: Path, cols: int = 8, dpi: int = 24) -> None:
    pix0 = doc[0].get_pixmap(dpi=dpi)
    w, h = pix0.width, pix0.height
    rows = -(-doc.page_count // cols)
    sheet = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, cols * (w + 4), rows * (h + 4)), False)
    sheet.set_rect(sheet.irect, (110, 110, 110))
    for i, page in enumerate(doc):
        pix = page.get_pixmap(dpi=dpi)
        pix.set_origin((i % cols) * (w + 4), (i // cols) * (h + 4))
        sheet.copy(pix, pix.irect)
    sheet.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/preview")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=80)
    args = ap.parse_args(argv)
    out = Path(args.out)
    for index in range(args.n):
        sc = build_scenario(args.seed, index)
        t = time.time()
        rb = render_bundle(sc)
        t_render = time.time() - t
        anon_sc = copy.deepcopy(sc)
        anon = render_bundle(anon_sc, anonymized=True)
        variants = {"digital": rb.pdf, "anonymized": anon.pdf}
        t = time.time()
        for colour in ("grey", "colour"):
            sc.style.colour = colour
            variants[f"scan_{colour}"] = scan_pdf(rb.pdf, sc.style, seed=sc.seed)
        t_scan = (time.time() - t) / (2 * len(rb.page_types))
        d = out / sc.bundle_id
        d.mkdir(parents=True, exist_ok=True)
        firsts: dict[str, int] = {}
        for i, typ in enumerate(rb.page_types):
            firsts.setdefault(typ, i)
        for name, pdf in variants.items():
            doc = pymupdf.open(stream=pdf, filetype="pdf")
            for typ, i in firsts.items():
                doc[i].get_pixmap(dpi=args.dpi).save(d / f"{i + 1:03d}_{typ}_{name}.png")
            if name == "digital":
                _contact_sheet(doc, d / "all_pages.png")
        print(f"{sc.bundle_id}: {len(rb.page_types)} pages, render {t_render:.2f}s, scan {t_scan:.2f}s/page, "
              f"leaks={sc.anonymized.leaks} -> {d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
