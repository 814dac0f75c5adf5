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

from .find import Span
from .seals import Seal

__all__ = ["PagePlan", "apply_plan", "plain_scan_image"]

BLACK = (0, 0, 0)
RASTER_DPI_MIN, RASTER_DPI_MAX = 150, 300
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


def plain_scan_image(doc: Any, page: Any) -> Optional[dict]:
    """The single full-page image of a plain scan page (no rotation, nothing else drawn), or None."""
    try:
        if page.rotation % 360:
            return None
        imgs = page.get_images(full=True)
        if len(imgs) != 1:
            return None
        log = page.get_bboxlog()
        if any("image" not in kind for kind, _ in log) or len(log) != 1:
            return None
        rects = page.get_image_rects(imgs[0][0])
        if len(rects) != 1:
            return None
        r, pr = rects[0], page.rect
        if abs(r.x0 - pr.x0) > 1 or abs(r.y0 - pr.y0) > 1 or abs(r.x1 - pr.x1) > 1 or abs(r.y1 - pr.y1) > 1:
            return None
        if imgs[0][1]:  # has an soft mask
            return None
        info = doc.extract_image(imgs[0][0])
        if not info or info.get("ext") not in ("jpeg", "jpg", "png"):
            return None
        return info
    except Exception:
        return None


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
        x0, y0, x1, y1 = s.bbox
        a = (max(0, int((x0 - pad_pt) * k)), max(0, int((y0 - pad_pt) * k)))
        b = (min(w - 1, int(np.ceil((x1 + pad_pt) * k))), min(h - 1, int(np.ceil((y1 + pad_pt) * k))))
        cv2.rectangle(img, a, b, BLACK, -1)
    from .seals import erase_seals, fill_circles

    if plan.seal_mode == "erase":
        erase_seals(img, k, plan.seals)
    else:
        fill_circles(img, k, plan.seals)


def _raster_page(src_page: Any, plan: PagePlan, quality: int = 85) -> tuple[bytes, float, float]:
    """Render, paint, encode: (jpeg bytes, page width, page height) in display points."""
    import pymupdf

    from pipeline.ocr import render_page

    dpi = _raster_dpi(src_page)
    img, k = render_page(src_page, int(dpi), 40_000_000)
    paint_raster(img, k, plan)
    grey = bool(np.all(img[..., 0] == img[..., 1]) and np.all(img[..., 1] == img[..., 2]))
    enc = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if grey else img
    ok, buf = cv2.imencode(".jpg", enc, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    r = src_page.rect
    return buf.tobytes(), float(r.width), float(r.height)


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
            continue
        sp = src[i]
        info = None if plan.changed else plain_scan_image(src, sp)
        r = sp.rect
        newp = out.new_page(width=r.width, height=r.height)
        if info is not None:
            newp.insert_image(newp.rect, stream=info["image"])
            stats["kept_scan_pages"] += 1
        else:
            jpg, w, h = _raster_page(sp, plan)
            newp.insert_image(newp.rect, stream=jpg)
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
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(out_path.suffix + ".tmp")
    out.save(tmp, garbage=4, deflate=True, clean=True, incremental=False, encryption=pymupdf.PDF_ENCRYPT_NONE)
    out.close()
    tmp.replace(out_path)
    return stats
