"""APPLY: write the blind-review copy (隐去机构信息的副本) from ``original.pdf``.

The original is opened read-only and never written. Per page:

- text-layer pages: true removal with PyMuPDF redactions (text under the boxes is
  deleted from the content stream, image pixels under them blanked), then covered
  black;
- raster pages (scans, pages whose text layer was rejected): rebuilt as a fresh
  image-only page from the rendered raster with the boxes and seals painted black in
  the pixels; a scan page with nothing to hide keeps its original image bytes, so
  its pixels (and its OCR) are exactly the original's;
- red round seals are removed whole: their ink inside the disc turned to paper white,
  dark print under it kept ("erase", default), or a black disc painted over ("cover").

The pages then go into a NEW empty document (``insert_pdf`` without annotations,
widgets or links): no Info entries, no XMP, no outlines, page labels, embedded
files, JavaScript/OpenAction, AcroForm or optional-content configuration; image
and form XObjects lose their own /Metadata and /PieceInfo. Saved in one full,
garbage-collected write, so the file has exactly one revision.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import cv2
import numpy as np

from pipeline.fsio import atomic_path
from pipeline.geometry import scale_box
from pipeline.raster import render_page

from .find import Span
from .seals import Seal, erase_seals, fill_circles

__all__ = ["PagePlan", "apply_plan", "only_placement", "plain_scan_image", "scan_image"]

BLACK = (0, 0, 0)
RASTER_DPI_MIN, RASTER_DPI_MAX = 150, 300
SCAN_JPEG_QUALITY = 92  # re-encoding a scan moves its pixels by ≤ ~12 grey levels
_STRIP_KEYS = ("Metadata", "PieceInfo", "LastModified", "Thumb", "AA", "StructParents", "OPI")


@dataclass
class PagePlan:
    """What to hide on one page (1-based ``no``) and how the page is rebuilt."""

    no: int
    mode: str  # "text" (redact the text layer) | "raster" (rebuild from pixels)
    spans: list[Span] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    seal_mode: str = "erase"  # "erase": seal ink removed, print under it kept; "cover": black disc over it

    @property
    def changed(self) -> bool:
        return bool(self.spans or self.seals)


def only_placement(page: Any, xrefs: list[int]) -> Optional[list]:
    """[(rect, matrix)] when the page lists one image and draws one: that drawing is it.

    PyMuPDF's ``get_image_rects`` tells placements apart by decoding and hashing the
    image and every image drawn on the page (30–50 ms a scanned page); with one listed
    and one drawn there is nothing to tell apart. An inline image is drawn but not
    listed, so it makes two drawings and the caller falls back to the hashes."""
    import pymupdf

    if len(xrefs) != 1:
        return None
    try:
        info = page.get_image_info()
    except Exception:
        return None
    if len(info) != 1:
        return None
    return [(pymupdf.Rect(info[0]["bbox"]), pymupdf.Matrix(info[0]["transform"]))]


def scan_image(doc: Any, page: Any) -> Optional[tuple[int, Any, dict]]:
    """(xref, placement rect, ``extract_image`` info) of a plain scan page, or None.

    Plain: one upright full-page image (no rotation, flip or shear, no soft mask) and
    nothing else drawn. Such a page can be rebuilt from its own image pixels at their
    own resolution and placement, so whatever is not painted stays the original's."""
    try:
        if page.rotation % 360:
            return None
        imgs = page.get_images(full=True)
        if len(imgs) != 1:
            return None
        log = page.get_bboxlog()
        if any("image" not in kind for kind, _ in log) or len(log) != 1:
            return None
        rects = only_placement(page, [imgs[0][0]])
        if rects is None:
            return None
        r, m = rects[0]
        pr = page.rect
        if abs(r.x0 - pr.x0) > 1 or abs(r.y0 - pr.y0) > 1 or abs(r.x1 - pr.x1) > 1 or abs(r.y1 - pr.y1) > 1:
            return None
        if abs(m.b) > 1e-6 or abs(m.c) > 1e-6 or m.a <= 0 or m.d <= 0:
            return None  # flipped or turned inside its box: the pixels are not the page as shown
        if imgs[0][1]:  # has an soft mask
            return None
        info = doc.extract_image(imgs[0][0])
        if not info or info.get("ext") not in ("jpeg", "jpg", "png"):
            return None
        return imgs[0][0], r, info
    except Exception:
        return None


def plain_scan_image(doc: Any, page: Any) -> Optional[dict]:
    """The single full-page image of a plain scan page (see ``scan_image``), or None."""
    got = scan_image(doc, page)
    return got[2] if got else None


def _raster_dpi(page: Any) -> float:
    """The page's own image resolution (so a rebuilt scan is as sharp as the original)."""
    best = 0.0
    try:
        for img in page.get_images(full=True):
            w = img[2]
            for r in page.get_image_rects(img[0]):
                if r.width > 0:
                    best = max(best, w / r.width * 72.0, img[3] / max(r.height, 1e-6) * 72.0)
    except Exception:
        pass
    return float(min(RASTER_DPI_MAX, max(RASTER_DPI_MIN, best or 200))) if best else 200.0


def paint_raster(img: np.ndarray, k: float, plan: PagePlan, pad_pt: float = 1.0) -> None:
    """Black out the plan's boxes and seals in a BGR raster rendered at ``k`` px/pt (in place)."""
    h, w = img.shape[:2]
    for s in plan.spans:
        x0, y0, x1, y1 = scale_box(s.bbox, k, pad_pt)
        a = (max(0, int(x0)), max(0, int(y0)))
        b = (min(w - 1, int(np.ceil(x1))), min(h - 1, int(np.ceil(y1))))
        cv2.rectangle(img, a, b, BLACK, -1)
    if plan.seal_mode == "erase":
        erase_seals(img, k, plan.seals)
    else:
        fill_circles(img, k, plan.seals)


def _raster_page(src_page: Any, plan: PagePlan, quality: int = 85) -> tuple[bytes, float, float]:
    """Render, paint, encode: (jpeg bytes, page width, page height) in display points."""
    import pymupdf

    dpi = _raster_dpi(src_page)
    img, k = render_page(src_page, int(dpi), 40_000_000)
    paint_raster(img, k, plan)
    grey = bool(np.all(img[..., 0] == img[..., 1]) and np.all(img[..., 1] == img[..., 2]))
    enc = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if grey else img
    ok, buf = cv2.imencode(".jpg", enc, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    r = src_page.rect
    return buf.tobytes(), float(r.width), float(r.height)


def _shifted(plan: PagePlan, dx: float, dy: float) -> PagePlan:
    """The plan with every box and seal moved by (dx, dy) points."""
    from dataclasses import replace

    spans = [replace(s, bbox=(s.bbox[0] + dx, s.bbox[1] + dy, s.bbox[2] + dx, s.bbox[3] + dy)) for s in plan.spans]
    seals = [replace(x, cx=x.cx + dx, cy=x.cy + dy) for x in plan.seals]
    return PagePlan(plan.no, plan.mode, spans, seals, plan.seal_mode)


def _repaint_scan(doc: Any, xref: int, rect: Any, info: dict, plan: PagePlan) -> Optional[bytes]:
    """The scan image's own pixels (decoded by MuPDF, as every renderer shows them),
    painted, re-encoded: JPEG q92 for a JPEG scan (re-encoding moves pixels by a few
    grey levels at most), lossless PNG otherwise (bilevel and flate scans stay exact).
    None when the image is not square-pixelled to the page (then the page is rendered)."""
    import pymupdf

    pix = pymupdf.Pixmap(doc, xref)
    if pix.alpha:
        pix = pymupdf.Pixmap(pix, 0)
    if pix.n not in (1, 3):
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    kx, ky = pix.width / max(rect.width, 1e-6), pix.height / max(rect.height, 1e-6)
    if abs(kx - ky) > 0.01 * kx:
        return None
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n).copy()
    img = img[..., 0].copy() if pix.n == 1 else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)  # RGB → BGR
    grey = img.ndim == 2
    work = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR) if grey else img
    paint_raster(work, kx, _shifted(plan, -rect.x0, -rect.y0))
    out = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY) if grey else work
    if info.get("ext") in ("jpeg", "jpg"):
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, SCAN_JPEG_QUALITY])
    else:
        ok, buf = cv2.imencode(".png", out, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    return buf.tobytes() if ok else None


def _redact_text_page(work: Any, page: Any, plan: PagePlan) -> None:
    """True removal on a text-layer page of the working copy."""
    import pymupdf

    rot_inv = ~page.rotation_matrix
    for s in plan.spans:
        rects = s.raw_rects or (tuple(pymupdf.Rect(s.bbox) * rot_inv),)
        for r in rects:
            rr = pymupdf.Rect(r)
            # A hair narrower than the glyph union: neighbours that merely touch stay.
            rr = pymupdf.Rect(rr.x0 + 0.3, rr.y0, rr.x1 - 0.3, rr.y1) if rr.width > 1 else rr
            page.add_redact_annot(rr, fill=BLACK, cross_out=False)
        if not s.raw_rects and s.channel != "text":
            pass
    if plan.spans:
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    if plan.seals:
        # Seals are pictures on a text page: blank the image pixels under the disc's box;
        # "erase" keeps the text printed over the seal, "cover" removes and blacks it too.
        for seal in plan.seals:
            r = pymupdf.Rect(seal.bbox) * rot_inv
            page.add_redact_annot(r + (-3, -3, 3, 3), fill=BLACK if plan.seal_mode != "erase" else None,
                                  cross_out=False)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
                              text=pymupdf.PDF_REDACT_TEXT_NONE if plan.seal_mode == "erase"
                              else pymupdf.PDF_REDACT_TEXT_REMOVE)


def _strip_object_keys(doc: Any) -> None:
    """Remove per-object metadata that can carry names (XMP on images/forms, PieceInfo …)."""
    for xref in range(1, doc.xref_length()):
        try:
            src = doc.xref_object(xref, compressed=True)
        except Exception:
            continue
        for key in _STRIP_KEYS:
            if f"/{key}" in src:
                try:
                    doc.xref_set_key(xref, key, "null")
                except Exception:
                    pass


def all_layers_on(doc: Any) -> None:
    """Optional content: everything visible, so hidden layers are found and redacted too.

    ``set_layer(on=…)`` is not enough (MuPDF still hides OFF groups in text
    extraction); without /OCProperties every marked group counts as visible."""
    try:
        cat = doc.pdf_catalog()
        if doc.xref_get_key(cat, "OCProperties")[0] != "null":
            doc.xref_set_key(cat, "OCProperties", "null")
    except Exception:
        pass


def apply_plan(original: Path, plans: dict[int, PagePlan], out_path: Path) -> dict:
    """Write the anonymized copy of ``original`` to ``out_path``; returns what was done.

    ``plans`` has one entry per page (1-based). The original file is only read.
    """
    import pymupdf

    data = Path(original).read_bytes()  # work from bytes: the file itself is never opened for writing
    work = pymupdf.open(stream=data, filetype="pdf")
    src = pymupdf.open(stream=data, filetype="pdf")
    all_layers_on(work)
    out = pymupdf.open()
    stats = {"pages": work.page_count, "text_pages": 0, "raster_pages": 0, "kept_scan_pages": 0,
             "boxes": 0, "seals": 0}
    # How each page was made: "text" (redacted text page), "kept" (original image bytes,
    # same placement: pixel-identical), "repainted" (the scan's own pixels painted),
    # "rendered" (rendered, painted, re-encoded).
    rebuilt: dict[int, str] = {}
    for i in range(work.page_count):
        no = i + 1
        plan = plans.get(no) or PagePlan(no, "raster")
        stats["boxes"] += len(plan.spans)
        stats["seals"] += len(plan.seals)
        if plan.mode == "text":
            page = work[i]
            _redact_text_page(work, page, plan)
            out.insert_pdf(work, from_page=i, to_page=i, links=False, annots=False, widgets=False)
            stats["text_pages"] += 1
            rebuilt[no] = "text"
            continue
        sp = src[i]
        scan = scan_image(src, sp)
        r = sp.rect
        newp = out.new_page(width=r.width, height=r.height)
        data = None
        if scan is not None:
            xref, irect, info = scan
            if not plan.changed:
                # Nothing to hide: the original image bytes, at the original placement.
                data, how = info["image"], "kept"
                stats["kept_scan_pages"] += 1
            else:
                data, how = _repaint_scan(src, xref, irect, info, plan), "repainted"
        if data is not None:
            newp.insert_image(irect, stream=data)
        else:
            jpg, w, h = _raster_page(sp, plan)
            newp.insert_image(newp.rect, stream=jpg)
            how = "rendered"
        rebuilt[no] = how
        stats["raster_pages"] += 1
    work.close()
    src.close()
    _strip_object_keys(out)
    out.set_metadata({})
    try:
        out.del_xml_metadata()
    except Exception:
        pass
    out.set_toc([])
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        out.save(tmp, garbage=4, deflate=True, clean=True, incremental=False, encryption=pymupdf.PDF_ENCRYPT_NONE)
    out.close()
    stats["rebuilt"] = rebuilt
    return stats
