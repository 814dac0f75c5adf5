"""Images a page raster does not show whole, read on their own (the ``image`` channel).

Anyone can pull the images out of a PDF. The page OCR reads what the page shows; an
image shows less than it holds when

- its page is not read from pixels at all (a logo on a text page, too small to make the
  page count as a picture page),
- something is drawn over it (the classic failed redaction: a black box drawn over an
  intact scan), or it is clipped or placed partly off the page,
- it has a soft mask (transparency hides some of its pixels).

Every such image is decoded and OCR'd once (per object, through the page cache), and
its hits are mapped back to each place it is shown. A plain scan page (one image,
nothing over it, read from pixels) is not read twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from pipeline.geometry import union_bbox
from pipeline.pages import extract_pages
from pipeline.types import Line, Page

from .apply import only_placement
from .find import Span, ocr_spans, signature_spans
from .identity import IdentitySet

__all__ = ["ImageTarget", "hidden_images", "image_key", "read_images", "image_spans"]

MIN_SIDE_PX = 24  # smaller images hold no readable line
OCR_LONG_SIDE_PX = 1000  # small images are enlarged to this for the detector
OCR_DPI = 200


@dataclass
class ImageTarget:
    xref: int
    width: int
    height: int
    placements: list[tuple[int, Any]] = field(default_factory=list)  # (page no, unit square → unrotated page matrix)


def image_key(doc: Any, xref: int) -> Optional[str]:
    """Hash of an image's decoded pixels: the same key, the same picture to any reader."""
    import hashlib

    import pymupdf

    try:
        pix = pymupdf.Pixmap(doc, xref)
    except Exception:
        return None
    h = hashlib.sha256(f"{pix.width}x{pix.height}x{pix.n}x{pix.alpha}".encode())
    h.update(pix.samples)
    return h.hexdigest()


def _close(a: Any, b: tuple, tol: float = 0.75) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(tuple(a), tuple(b)))


def hidden_images(doc: Any, read_pages: set[int]) -> list[ImageTarget]:
    """Distinct images of ``doc`` shown less than whole somewhere (see module docstring).
    ``read_pages``: pages whose raster is OCR'd (an image shown whole there is read)."""
    import pymupdf

    targets: dict[int, ImageTarget] = {}
    for page in doc:
        no = page.number + 1
        try:
            imgs = page.get_images(full=True)
            if not imgs:
                continue
            log = page.get_bboxlog()
            visible = page.rect * page.derotation_matrix  # the page box in unrotated space
        except Exception:
            continue
        xrefs = list(dict.fromkeys(im[0] for im in imgs))
        only = only_placement(page, xrefs)
        for xref in xrefs:
            info = next(im for im in imgs if im[0] == xref)
            w, h, smask = int(info[2]), int(info[3]), info[1]
            if min(w, h) < MIN_SIDE_PX:
                continue
            if only is not None:
                places = only
            else:
                try:
                    places = page.get_image_rects(xref, transform=True)
                except Exception:
                    places = []
            for rect, m in places:
                whole = no in read_pages and not smask
                if whole:
                    r = pymupdf.Rect(rect)
                    whole = (r.x0 >= visible.x0 - 1 and r.y0 >= visible.y0 - 1 and r.x1 <= visible.x1 + 1
                             and r.y1 <= visible.y1 + 1)
                if whole:
                    idx = next((i for i, (kind, b) in enumerate(log) if kind == "fill-image" and _close(b, rect)), None)
                    if idx is None:
                        whole = False  # drawn clipped (its box in the log is not its placement)
                    else:
                        r = pymupdf.Rect(rect)
                        for kind, b in log[idx + 1:]:
                            if kind.startswith("ignore"):
                                continue  # invisible text hides nothing
                            ov = r & pymupdf.Rect(b)
                            if not ov.is_empty and ov.width * ov.height > 1.0:
                                whole = False
                                break
                if not whole:
                    t = targets.setdefault(xref, ImageTarget(xref, w, h))
                    t.placements.append((no, m))
    return list(targets.values())


MOSAIC_W_PX = 1600  # shared OCR pages: small upright images side by side
MOSAIC_H_PX = 2400
GAP_PX = 64  # white between tiles: the detector does not join text across it
TILE_MIN_PX, TILE_MAX_PX = 96, 1600


def _upright(doc: Any, t: ImageTarget) -> bool:
    """Shown upright everywhere (no turn, flip or shear, on unrotated pages)."""
    for no, m in t.placements:
        if doc[no - 1].rotation % 360 or abs(m.b) > 1e-6 or abs(m.c) > 1e-6 or m.a <= 0 or m.d <= 0:
            return False
    return True


def _tile_size(t: ImageTarget) -> tuple[int, int]:
    """Pixels of the image as shown at ``OCR_DPI`` (largest placement), kept in bounds."""
    _, m = max(t.placements, key=lambda pm: abs(pm[1].a * pm[1].d))
    w, h = abs(m.a) * OCR_DPI / 72.0, abs(m.d) * OCR_DPI / 72.0
    w, h = max(w, 1.0), max(h, 1.0)
    f = 1.0
    if max(w, h) > TILE_MAX_PX:
        f = TILE_MAX_PX / max(w, h)
    elif max(w, h) < TILE_MIN_PX:
        f = TILE_MIN_PX / max(w, h)
    return max(1, int(w * f)), max(1, int(h * f))


def read_images(path: Path, targets: list[ImageTarget], *, cache_dir: Optional[Path], workers: int,
                known: Optional[dict[str, Page]] = None, keys: Optional[dict[int, str]] = None) -> dict[int, Page]:
    """OCR of each target image on its own: xref → Page in the image's own space
    (``width``/``height`` are its extent; a point's fraction of them is the image's unit
    square). Upright images share mosaic pages (one OCR for many logos and signatures);
    others get a page each, so the OCR finds their orientation. Page cache and workers."""
    import tempfile

    import pymupdf

    if not targets:
        return {}
    src = pymupdf.open(str(path))
    out: dict[int, Page] = {}
    if keys is not None or known:
        # Pictures already read (the original's, kept as they were): their reading stands.
        for t in targets:
            key = image_key(src, t.xref)
            if keys is not None and key:
                keys[t.xref] = key
            if known and key in known:
                out[t.xref] = known[key]
        targets = [t for t in targets if t.xref not in out]
    sub = pymupdf.open()
    k = 72.0 / OCR_DPI
    tiles: list[tuple[int, int, Any]] = []  # (sub page index, xref, tile rect in points)
    single: list[tuple[int, int]] = []  # (sub page index, xref)
    pix_of = {}
    for t in targets:
        try:
            pix = pymupdf.Pixmap(src, t.xref)
            if pix.alpha:
                pix = pymupdf.Pixmap(pix, 0)
            if pix.n not in (1, 3):
                pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
            pix_of[t.xref] = pix
        except Exception:
            continue
    upright = [t for t in targets if t.xref in pix_of and _upright(src, t)]
    x = y = row_h = 0
    page = None
    for t in sorted(upright, key=lambda t: -_tile_size(t)[1]):
        tw, th = _tile_size(t)
        if page is not None and x + tw > MOSAIC_W_PX:
            x, y, row_h = 0, y + row_h + GAP_PX, 0
        if page is None or y + th > MOSAIC_H_PX:
            page = sub.new_page(width=(MOSAIC_W_PX + 2 * GAP_PX) * k, height=(MOSAIC_H_PX + 2 * GAP_PX) * k)
            x = y = row_h = 0
        r = pymupdf.Rect((GAP_PX + x) * k, (GAP_PX + y) * k, (GAP_PX + x + tw) * k, (GAP_PX + y + th) * k)
        page.insert_image(r, pixmap=pix_of[t.xref], keep_proportion=False)
        tiles.append((page.number, t.xref, r))
        x += tw + GAP_PX
        row_h = max(row_h, th)
    for t in targets:
        if t.xref in pix_of and not _upright(src, t):
            pix = pix_of[t.xref]
            scale = max(1.0, OCR_LONG_SIDE_PX / max(pix.width, pix.height))
            p = sub.new_page(width=pix.width * scale * k, height=pix.height * scale * k)
            p.insert_image(p.rect, pixmap=pix)
            single.append((p.number, t.xref))
    src.close()
    if sub.page_count == 0:
        sub.close()
        return out
    with tempfile.TemporaryDirectory(prefix="anonimages") as td:
        tmp = Path(td) / "images.pdf"
        sub.save(tmp, garbage=3, deflate=True)
        sub.close()
        got = extract_pages(tmp, cache_dir=cache_dir, workers=workers, ocr=True, dpi=OCR_DPI)
    for idx, xref in single:
        out[xref] = got[idx]
    # Mosaic words go to the tile holding their centre, in the tile's own coordinates.
    for idx, xref, r in tiles:
        mp = got[idx]
        if mp.error:
            out[xref] = Page(no=0, source="none", width=r.width, height=r.height, error=mp.error)
            continue
        lines = []
        for ln in mp.lines:
            words = [w for w in (ln.words or ()) if r.contains(pymupdf.Point((w.bbox[0] + w.bbox[2]) / 2,
                                                                             (w.bbox[1] + w.bbox[3]) / 2))]
            if not words:
                continue
            moved = tuple(w.model_copy(update={"bbox": (w.bbox[0] - r.x0, w.bbox[1] - r.y0, w.bbox[2] - r.x0,
                                                         w.bbox[3] - r.y0)}) for w in words)
            text = " ".join(w.text for w in moved)
            bb = union_bbox(w.bbox for w in moved)
            lines.append(Line(text=text, raw=text, bbox=bb, conf=ln.conf, words=moved))
        out[xref] = Page(no=0, source="ocr", width=r.width, height=r.height, lines=tuple(lines))
    return out


def image_spans(doc: Any, targets: list[ImageTarget], pages: dict[int, Page], ids: IdentitySet,
                pad: float = 2.5) -> list[Span]:
    """Identity hits in the images' OCR, one span per place each image is shown
    (display box, and the unrotated box for text-layer redaction)."""
    import pymupdf

    out: list[Span] = []
    for t in targets:
        pg = pages.get(t.xref)
        if pg is None or not pg.lines or not pg.width or not pg.height:
            continue
        hits = ocr_spans(pg, ids, pad=pad) or signature_spans(pg, ids, pad=pad)
        if not hits:
            continue
        for no, m in t.placements:
            page = doc[no - 1]
            rot = page.rotation_matrix
            for s in hits:
                x0, y0, x1, y1 = s.bbox
                # Image page points → unit square → unrotated page → displayed page.
                corners = [pymupdf.Point(x / pg.width, y / pg.height) * m for x, y in
                           ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
                raw = pymupdf.Rect(min(c.x for c in corners), min(c.y for c in corners),
                                   max(c.x for c in corners), max(c.y for c in corners))
                disp = raw * rot
                out.append(Span(no, (disp.x0, disp.y0, disp.x1, disp.y1), s.term, s.found, "image",
                                (tuple(raw),)))
    return out
