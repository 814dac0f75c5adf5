"""Raster OCR of one PDF page (光学字符识别), through the ``OcrEngine`` interface.

Order: render (pixel-capped) → optional red-seal suppression → text detection of the
raster as scanned; where its boxes show the page upright (lines run across, the
longest read better upright than turned), they give the skew and are recognized as
they are, and grouped into lines in the levelled frame (``_read_upright``). A turned
page: cheap orientation + skew estimate on a downscaled raster → rotate/deskew the full
raster → suppression → full OCR. Every box is mapped back to page points (top-left
origin of the page as displayed).

The engine (``pipeline.ocr_engine``) reads rasters; pixels are made in
``pipeline.raster``, boxes mapped in ``pipeline.geometry``. Every function that OCRs
takes an optional ``engine`` (default: ``get_engine(threads)``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import cv2
import numpy as np

from .geometry import apply_matrix, boxes_intersect, quad_to_bbox, rot90_matrix, union_bbox
from .normalize import normalize_text
from .ocr_engine import OCR_CALLS, TEXT_SCORE, OcrEngine, Segment, get_engine
from .raster import deskew, deskew_matrix, faint_red_mask, pixmap_bgr, render_page, rotate_image_cw, suppress_red
from .seal_ocr import (SEAL_RED_MIN, grey_seal_frames, is_personal_seal, personal_seal_boxes,
                       read_seal, seal_like)
from .types import Line, Word

__all__ = [
    "OcrOutcome",
    "Orientation",
    "detect_orientation",
    "detect_text_regions",
    "image_regions",
    "ocr_image_regions",
    "ocr_page",
    "personal_seal_boxes",
    "read_region",
    "read_seal",
    "segments_to_lines",
]

# Cheap pass: raster long side for orientation and skew estimation.
ORIENT_SIDE = 1024
# Orientation probe: recognize only a window of each line (rec cost grows with width).
PROBE_LINES = 6
PROBE_ASPECT = 10.0
FLIP_MARGIN = 0.05  # the turned crops must read better than this to turn the page (scores are ≤ 1)
# Skew below this is left alone (resampling blurs more than it helps).
MIN_SKEW = 0.15
MAX_SKEW = 5.0


# ---------------------------------------------------------------- quads


def _edge_lengths(quad: np.ndarray) -> tuple[float, float]:
    """(along-text, across-text) lengths of a det quad ordered tl, tr, br, bl."""
    w = float(np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    h = float(np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    return w, h


def _long_edge_angle(quad: np.ndarray) -> float:
    """Angle (degrees, image y down, in (-45, 45]) of the quad's long edge."""
    best, best_len = 0.0, -1.0
    for i in range(4):
        d = quad[(i + 1) % 4] - quad[i]
        length = float(np.hypot(d[0], d[1]))
        if length > best_len:
            best_len, best = length, math.degrees(math.atan2(d[1], d[0]))
    while best <= -45:
        best += 90
    while best > 45:
        best -= 90
    return best


# ---------------------------------------------------------------- orientation


@dataclass
class Orientation:
    rotation: int = 0  # clockwise degrees applied to make the raster upright
    skew: float = 0.0  # degrees the content is turned clockwise (corrected by rotating it back)
    boxes: int = 0
    flip_score: tuple[float, float] = (0.0, 0.0)  # (upright, turned 180°); turned -1: not read


def _rec_scores(eng: OcrEngine, crops: list[np.ndarray]) -> list[float]:
    # Score × a length factor: flipped text often decodes to 1–2 confident junk chars.
    return [sc * min(1.0, len(txt.strip()) / 4.0) for txt, sc in eng.recognize(crops)]


def detect_orientation(eng: OcrEngine, img: np.ndarray) -> Orientation:
    """Cheap orientation (0/90/180/270) and skew estimate from a downscaled raster.

    1. Text detection on a ≤1024 px raster: if most elongated text boxes are tall,
       lines run vertically → the page is turned 90° or 270°.
    2. A window of each of the 6 longest lines is recognized upright and flipped 180°; the
       better mean recognition score decides between the two remaining candidates.
    3. Skew = length-weighted median angle of the long boxes' long edges.
    """
    OCR_CALLS["probe"] += 1
    h, w = img.shape[:2]
    scale = min(1.0, ORIENT_SIDE / max(h, w))
    small = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else img
    boxes = eng.detect(small)
    if len(boxes) == 0:
        return Orientation()
    horiz = vert = 0.0
    for q in boxes:
        a, b = _edge_lengths(q)
        if max(a, b) < 2 * min(a, b):
            continue  # squarish (single chars, stamps): no direction information
        if a >= b:
            horiz += a
        else:
            vert += b
    base = 90 if vert > 1.5 * horiz else 0
    sh, sw = small.shape[:2]
    r = rot90_matrix(base // 90, sw, sh)
    upright = rotate_image_cw(small, base // 90)
    quads = [_order_quad(apply_matrix(q, r)) for q in boxes]
    quads.sort(key=lambda q: -_edge_lengths(q)[0])

    crops = []
    for q in quads[:PROBE_LINES]:
        a, b = _edge_lengths(q)
        if a < 2 * b:
            continue
        crop = eng.crop(upright, q)
        ch, cw = crop.shape[:2]
        if cw > PROBE_ASPECT * ch:  # middle window: enough glyphs to judge, 1/3 the cost
            x0 = (cw - int(PROBE_ASPECT * ch)) // 2
            crop = np.ascontiguousarray(crop[:, x0: x0 + int(PROBE_ASPECT * ch)])
        crops.append(crop)
    up = _rec_scores(eng, crops)
    s_up = float(np.mean(up)) if up else 0.0
    if s_up + FLIP_MARGIN >= 1.0:
        # Scores are at most 1: no reading of the turned crops could beat this one by the
        # margin, so they are not read (76 of 77 scanned pages measured, a fifth of the probe).
        s_down = -1.0
    else:
        down = _rec_scores(eng, [rotate_image_cw(c, 2) for c in crops])
        s_down = float(np.mean(down)) if down else 0.0
    rotation = (base + 180) % 360 if s_down > s_up + FLIP_MARGIN else base

    # Skew from the long boxes in the final upright frame.
    if rotation != base:
        r2 = rot90_matrix(2, upright.shape[1], upright.shape[0])
        quads = [_order_quad(apply_matrix(q, r2)) for q in quads]
    skew = _skew_of(quads, lambda: upright if rotation == base else rotate_image_cw(upright, 2))
    return Orientation(rotation=rotation, skew=round(skew, 2), boxes=len(boxes), flip_score=(s_up, s_down))


def _skew_of(quads: list[np.ndarray], level: Callable[[], np.ndarray]) -> float:
    """Skew (degrees) from the long boxes' edges, refined on the raster ``level()`` gives
    (made only when refined); 0 below MIN_SKEW or above MAX_SKEW."""
    angles, weights = [], []
    for q in quads:
        a, b = _edge_lengths(q)
        if a >= 3 * b:
            angles.append(_long_edge_angle(q))
            weights.append(a)
    skew = _weighted_median(angles, weights) if len(angles) >= 3 else 0.0
    if abs(skew) <= MAX_SKEW and len(angles) >= 3:
        skew = _refine_skew(level(), skew)
    if abs(skew) < MIN_SKEW or abs(skew) > MAX_SKEW:
        skew = 0.0
    return skew


def _refine_skew(img: np.ndarray, estimate: float, span: float = 0.6, step: float = 0.05) -> float:
    """Projection-profile refinement around the box-angle estimate.

    Box angles from the detector are good to ~0.3°; the row-profile sharpness of the
    binarized page peaks when text rows are level, which pins it to ~0.05°.
    """
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    h, w = ink.shape
    best, best_score = estimate, -1.0
    for a in np.arange(estimate - span, estimate + span + 1e-9, step):
        m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), float(a), 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.int64)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = float(a), score
    return best


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = np.argsort(values)
    v = np.asarray(values)[order]
    wts = np.asarray(weights)[order]
    cum = np.cumsum(wts)
    return float(v[np.searchsorted(cum, cum[-1] / 2.0)])


def _order_quad(pts: np.ndarray) -> np.ndarray:
    """Order 4 points tl, tr, br, bl (after a rotation the det order is lost)."""
    pts = np.asarray(pts, dtype=float)
    s = pts.sum(axis=1)
    d = pts[:, 1] - pts[:, 0]
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])


def detect_text_regions(page: Any, *, threads: int = 0, side: int = 1024,
                        engine: Optional[OcrEngine] = None) -> list[tuple[float, float, float, float]]:
    """Text-detector boxes (page points, as displayed) on a ≤``side`` px render.

    Used to check whether a scan's text layer explains the text visible on it;
    detection alone is ~0.3 s, far cheaper than recognition.
    """
    import pymupdf  # slow optional library

    eng = engine or get_engine(threads)
    rect = page.rect
    zoom = min(side / max(rect.width, rect.height, 1.0), 150 / 72.0)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    img = pixmap_bgr(pix)
    OCR_CALLS["probe"] += 1
    out = []
    for q in eng.detect(img):
        xs, ys = q[:, 0] / zoom, q[:, 1] / zoom
        out.append((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
    return out


# ---------------------------------------------------------------- full OCR


@dataclass
class OcrOutcome:
    lines: list[Line] = field(default_factory=list)
    rotation: int = 0
    skew: float = 0.0
    zoom: float = 1.0
    red_fraction: float = 0.0


def group_segments(segments: list[Segment]) -> list[list[Segment]]:
    """Group segments into text lines: same row when their vertical extents overlap
    by at least half of the smaller height (works in the deskewed upright frame)."""
    items = sorted(segments, key=lambda s: float(s.quad[:, 1].mean()))
    rows: list[tuple[float, float, list[Segment]]] = []
    for seg in items:
        top, bot = float(seg.quad[:, 1].min()), float(seg.quad[:, 1].max())
        h = bot - top
        placed = False
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            rt, rb, members = rows[i]
            overlap = min(bot, rb) - max(top, rt)
            if overlap >= 0.5 * min(h, rb - rt):
                members.append(seg)
                rows[i] = (min(rt, top), max(rb, bot), members)
                placed = True
                break
        if not placed:
            rows.append((top, bot, [seg]))
    out = []
    for _, _, members in rows:
        members.sort(key=lambda s: float(s.quad[:, 0].min()))
        out.append(members)
    out.sort(key=lambda m: min(float(s.quad[:, 1].min()) for s in m))
    return out


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def segments_to_lines(segments: list[Segment], inv: np.ndarray, page_w: float, page_h: float) -> list[Line]:
    """Segments (quads in raster pixels) as text lines in page points: ``inv`` maps
    raster pixels to page points, boxes are clamped to the ``page_w × page_h`` page."""
    lines: list[Line] = []
    for row in group_segments(segments):
        heights = [float(s.quad[:, 1].max() - s.quad[:, 1].min()) for s in row]
        h = float(np.median(heights)) if heights else 1.0
        raw_parts, norm_parts, words = [], [], []
        prev_x1: Optional[float] = None
        for seg in row:
            x0 = float(seg.quad[:, 0].min())
            norm = normalize_text(seg.text, ocr=True)
            if prev_x1 is not None:
                # A tight gap between CJK neighbours is one phrase the detector split.
                tight = x0 - prev_x1 < 0.35 * h and (_is_cjk(norm_parts[-1][-1:]) or _is_cjk(norm[:1]))
                sep = "" if tight else " "
                raw_parts.append(sep)
                norm_parts.append(sep)
            raw_parts.append(seg.text)
            norm_parts.append(norm)
            words.append(Word(text=norm, bbox=quad_to_bbox(seg.quad, inv, page_w, page_h)))
            prev_x1 = float(seg.quad[:, 0].max())
        bbox = union_bbox(w.bbox for w in words)
        weights = [max(1, len(s.text)) for s in row]
        conf = float(np.average([s.score for s in row], weights=weights))
        lines.append(
            Line(text="".join(norm_parts), raw="".join(raw_parts), bbox=bbox, conf=round(conf, 4), words=tuple(words))
        )
    return lines


def _prepare(eng: OcrEngine, img: np.ndarray, zoom: float, red_suppression: bool
             ) -> tuple[np.ndarray, float, list[tuple[tuple[int, int, int, int], list[Segment]]]]:
    """(raster to read, red share, seals read on their own) of a page raster: seal red
    whitened, name seals found and read as they are, then whitened."""
    red = 0.0
    seals: list[tuple[int, int, int, int]] = []
    original = img
    if red_suppression:
        img, red = suppress_red(img)
        seals = personal_seal_boxes(original, zoom)
        if seals:
            # a faded seal's strokes pass no whole-page whitening: whiten them inside the
            # seal, so the line beside it does not read them as characters (分析人:印凤)
            img = img if red else img.copy()
            for x0, y0, x1, y1 in seals:
                sub = img[y0:y1, x0:x1]
                sub[faint_red_mask(original[y0:y1, x0:x1])] = 255
    # The seal's own ink is its words: read each crop unwhitened; what the page gives
    # inside it (a stray stroke, half a name) is replaced.
    read: list[tuple[tuple[int, int, int, int], list[Segment]]] = [(b, read_seal(eng, original[b[1]:b[3], b[0]:b[2]]))
                                                                 for b in seals]
    # Name seals in grey (a grey-scale scan, or black ink): square frames standing alone,
    # kept only where the crop reads as a seal; whitened before the page is read, else
    # OCR runs their characters into the label beside them (调查人员 之康限 …).
    grey = [b for b in (grey_seal_frames(original, zoom) if red_suppression else [])
            if not any(boxes_intersect(b, o) for o in seals)]
    for b in grey:
        found = read_seal(eng, original[b[1]:b[3], b[0]:b[2]], accept=seal_like)
        if seal_like(found):
            img = img.copy() if img is original else img
            img[b[1]:b[3], b[0]:b[2]] = 255
            read.append((b, found))
    return img, red, read


def _to_lines(segments: list[Segment], read: list[tuple[tuple[int, int, int, int], list[Segment]]],
              inv: np.ndarray, seal_inv: np.ndarray, pw: float, ph: float) -> list[Line]:
    """Lines in page points: ``inv`` maps the segments' pixels, ``seal_inv`` the frame the
    seals were read in; a page segment centred in a seal read on its own gives way."""
    seal_lines: list[Line] = []
    for (x0, y0, x1, y1), found in read:
        if not found:
            continue
        shift = np.array([[1.0, 0.0, x0], [0.0, 1.0, y0], [0.0, 0.0, 1.0]])
        seal_lines += [ln.model_copy(update={"origin": "seal"})
                       for ln in segments_to_lines(found, seal_inv @ shift, pw, ph)]
    return segments_to_lines(segments, inv, pw, ph) + seal_lines


def _outside_seals(segments: list[Segment], read: list) -> list[Segment]:
    for (x0, y0, x1, y1), found in read:
        if found:
            segments = [s for s in segments if not _centre_inside(s.quad, (x0, y0, x1, y1))]
    return segments


def _read_upright(eng: OcrEngine, img: np.ndarray, zoom: float, red_suppression: bool,
                  pw: float, ph: float) -> Optional[OcrOutcome]:
    """The page read where it stands upright (most scans): one detection at full scale
    gives the orientation test, the skew and the boxes recognized; None when the page is
    turned (90/180/270), then ``ocr_page`` orients it first.

    Issue 13: the orientation probe's own detection (a fifth of a page's OCR) and the
    deskew warp are saved. The boxes are found on the raster as scanned; a skewed line's
    box is a turned quad, which the recognizer's crop straightens, and the quads are
    turned into the deskewed frame only to group them into lines."""
    work, red, read = _prepare(eng, img, zoom, red_suppression)
    boxes = eng.detect(work)
    h, w = img.shape[:2]
    scale = min(1.0, ORIENT_SIDE / max(h, w))
    small = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else img
    quads = [_order_quad(np.asarray(q, dtype=float)) for q in boxes]
    if quads:
        horiz = vert = 0.0
        for q in quads:
            a, b = _edge_lengths(q)
            if max(a, b) < 2 * min(a, b):
                continue
            if a >= b:
                horiz += a
            else:
                vert += b
        if vert > 1.5 * horiz:
            OCR_CALLS["probe"] += 1  # the detection served as a probe
            return None  # lines run vertically: turned 90° or 270°
        # The flip test of ``detect_orientation``, on the same crops of the probe raster.
        crops = []
        for q in sorted(quads, key=lambda q: -_edge_lengths(q)[0])[:PROBE_LINES]:
            a, b = _edge_lengths(q)
            if a < 2 * b:
                continue
            crop = eng.crop(small, q * scale)
            ch, cw = crop.shape[:2]
            if cw > PROBE_ASPECT * ch:
                x0 = (cw - int(PROBE_ASPECT * ch)) // 2
                crop = np.ascontiguousarray(crop[:, x0: x0 + int(PROBE_ASPECT * ch)])
            crops.append(crop)
        up = _rec_scores(eng, crops)
        s_up = float(np.mean(up)) if up else 0.0
        if s_up + FLIP_MARGIN < 1.0:
            down = _rec_scores(eng, [rotate_image_cw(c, 2) for c in crops])
            if (float(np.mean(down)) if down else 0.0) > s_up + FLIP_MARGIN:
                OCR_CALLS["probe"] += 1
                return None  # upside down
    skew = round(_skew_of(quads, lambda: small), 2)
    OCR_CALLS["full"] += 1
    texts = eng.recognize([eng.crop(work, q) for q in boxes]) if len(boxes) else []
    segments = [Segment(text=t, score=float(sc), quad=np.asarray(q, dtype=float))
                for q, (t, sc) in zip(boxes, texts) if t and t.strip() and sc >= TEXT_SCORE]
    segments = _outside_seals(segments, read)
    m = np.diag([zoom, zoom, 1.0])  # page points → raster pixels
    d = deskew_matrix(w, h, skew) if skew else np.eye(3)
    # Grouped into lines in the frame where the page stands level.
    level = [Segment(text=sg.text, score=sg.score, quad=apply_matrix(sg.quad, d)) for sg in segments]
    lines = _to_lines(level, read, np.linalg.inv(d @ m), np.linalg.inv(m), pw, ph)
    return OcrOutcome(lines=lines, rotation=0, skew=skew, zoom=zoom, red_fraction=red)


def ocr_page(page: Any, *, dpi: int, max_pixels: int, threads: int = 0, red_suppression: bool = True,
             engine: Optional[OcrEngine] = None) -> OcrOutcome:
    """Render, orient, deskew and OCR one PyMuPDF page; lines in page points."""
    eng = engine or get_engine(threads)
    img, zoom = render_page(page, dpi, max_pixels)
    pw, ph = float(page.rect.width), float(page.rect.height)
    upright = _read_upright(eng, img, zoom, red_suppression, pw, ph)
    if upright is not None:
        return upright
    h0, w0 = img.shape[:2]
    orient = detect_orientation(eng, img)
    k = orient.rotation // 90
    m = rot90_matrix(k, w0, h0) @ np.diag([zoom, zoom, 1.0])
    img = rotate_image_cw(img, k)
    if orient.skew:
        # Content turned clockwise by `skew` → rotate counter-clockwise by the same.
        img, d = deskew(img, orient.skew)
        m = d @ m
    img, red, read = _prepare(eng, img, zoom, red_suppression)
    segments = _outside_seals(eng.read(img), read)
    inv = np.linalg.inv(m)
    lines = _to_lines(segments, read, inv, inv, pw, ph)
    return OcrOutcome(lines=lines, rotation=orient.rotation, skew=orient.skew, zoom=zoom, red_fraction=red)


# ---------------------------------------------------------------- seal crops

def _centre_inside(quad: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    cx, cy = float(np.mean(quad[:, 0])), float(np.mean(quad[:, 1]))
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]



def read_region(eng: OcrEngine, img: np.ndarray, width_pt: float, height_pt: float,
                red_suppression: bool = True) -> list[Segment]:
    """OCR of one image region of a text page. Red is whitened (an official seal over a
    signature hides it), except where the red is the words: a region shaped like a
    personal seal is read as it is, and any region whose whitened reading is empty is
    read again unwhitened."""
    if not red_suppression:
        return eng.read(img)
    sup, frac = suppress_red(img)
    if frac == 0.0:
        return eng.read(img)
    if frac >= SEAL_RED_MIN and is_personal_seal(width_pt, height_pt):
        return read_seal(eng, img) or eng.read(sup)
    found = eng.read(sup)
    if found or frac < SEAL_RED_MIN:
        return found
    return eng.read(img)


# ---------------------------------------------------------------- images on text pages

# Images smaller than this hold no readable word (two characters 6 pt high are read at
# 300 dpi: three 18 × 8-12 pt signatures side by side on a survey record were skipped at
# the old 18 × 8 pt and their slot read as empty); larger than IMAGE_REGION_MAX_SHARE of
# the page they are a scan behind a text layer, which the page-level judge handles.
IMAGE_REGION_MIN_PT = (12.0, 6.0)
IMAGE_REGION_MAX_SHARE = 0.5
IMAGE_REGION_MAX = 40  # per page: a page tiled with icons is not worth minutes of OCR


def image_regions(page: Any, text_lines: list[Line]) -> list[tuple[float, float, float, float]]:
    """Rects (points, displayed page) of images drawn on the page that may hold words
    the text layer lacks: hand signatures, stamped names, photo watermarks.

    Images mostly under text-layer lines are skipped (backgrounds, invisible-OCR scans).
    """
    import pymupdf  # slow optional library

    if page.rotation:
        return []  # clip rendering below assumes unrotated coordinates
    area_page = max(page.rect.width * page.rect.height, 1.0)
    out: list[tuple[float, float, float, float]] = []
    for kind, r in page.get_bboxlog():
        if "image" not in kind:
            continue
        rr = pymupdf.Rect(r) & page.rect
        if rr.is_empty or rr.width < IMAGE_REGION_MIN_PT[0] or rr.height < IMAGE_REGION_MIN_PT[1]:
            continue
        if rr.width * rr.height > IMAGE_REGION_MAX_SHARE * area_page:
            continue
        covered = 0.0
        for ln in text_lines:
            inter = rr & pymupdf.Rect(ln.bbox)
            if not inter.is_empty:
                covered += inter.width * inter.height
        if covered > 0.5 * rr.width * rr.height:
            continue
        t = (rr.x0, rr.y0, rr.x1, rr.y1)
        if t not in out:
            out.append(t)
    return out[:IMAGE_REGION_MAX]


def ocr_image_regions(page: Any, regions: list[tuple[float, float, float, float]], *, dpi: int = 300,
                      threads: int = 0, red_suppression: bool = True, pad: float = 4.0,
                      max_pixels: int = 1_200_000, engine: Optional[OcrEngine] = None) -> list[Line]:
    """OCR each region (clip render at ``dpi``) and return its lines in page points,
    marked ``origin="image"``. Red is whitened first, as on full pages, except where the
    red is the words (``read_region``)."""
    import pymupdf  # slow optional library

    if not regions:
        return []
    eng = engine or get_engine(threads)
    zoom = dpi / 72.0
    pw, ph = float(page.rect.width), float(page.rect.height)
    out: list[Line] = []
    for x0, y0, x1, y1 in regions:
        clip = pymupdf.Rect(x0 - pad, y0 - pad, x1 + pad, y1 + pad) & page.rect
        # photos are large: cap their raster (watermark digits stay legible at ~150 dpi)
        z = min(zoom, math.sqrt(max_pixels / max(clip.width * clip.height, 1.0)))
        pix = page.get_pixmap(matrix=pymupdf.Matrix(z, z), clip=clip, colorspace=pymupdf.csRGB, alpha=False)
        img = pixmap_bgr(pix)
        segments = read_region(eng, img, clip.width, clip.height, red_suppression)
        if not segments:
            continue
        # pixel → page point: p = clip.tl + px / zoom (actual pixmap scale per axis)
        sx, sy = clip.width / max(pix.width, 1), clip.height / max(pix.height, 1)
        inv = np.array([[sx, 0.0, clip.x0], [0.0, sy, clip.y0], [0.0, 0.0, 1.0]])
        for ln in segments_to_lines(segments, inv, pw, ph):
            out.append(ln.model_copy(update={"origin": "image"}))
    return out
