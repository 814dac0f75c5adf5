"""Raster OCR of one PDF page with RapidOCR (光学字符识别).

Order: render (pixel-capped) → cheap orientation + skew estimate on a downscaled
raster → rotate/deskew the full raster → optional red-seal suppression → full OCR
→ map every box back to page points (top-left origin of the page as displayed).

Only the models shipped inside the rapidocr wheel are used; model paths are given
explicitly and the download helper is disabled, so nothing is fetched at run time.
"""
from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import cv2
import numpy as np

from .normalize import normalize_text
from .types import Line, Word

__all__ = [
    "OCR_ENGINE_NAME",
    "OcrOutcome",
    "engine_fingerprint",
    "get_engine",
    "ocr_page",
    "ocr_raster",
    "render_page",
]

OCR_ENGINE_NAME = "rapidocr"
# Cheap pass: raster long side for orientation and skew estimation.
ORIENT_SIDE = 1024
DET_SIDE = 1600
# Orientation probe: recognize only a window of each line (rec cost grows with width).
PROBE_LINES = 6
PROBE_ASPECT = 10.0
# Segments RapidOCR scores below this are dropped (engine default 0.5).
TEXT_SCORE = 0.5
# Skew below this is left alone (resampling blurs more than it helps).
MIN_SKEW = 0.15
MAX_SKEW = 5.0

# Counted so tests can prove a cache hit made zero OCR calls (per process).
OCR_CALLS = {"full": 0, "probe": 0}


def _rapidocr_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent


MODEL_FILES = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def model_paths() -> dict[str, Path]:
    root = _rapidocr_dir() / "models"
    return {k: root / v for k, v in MODEL_FILES.items()}


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Engine name, versions and model hashes: part of every OCR cache key."""
    import onnxruntime
    import rapidocr

    parts = [OCR_ENGINE_NAME, getattr(rapidocr, "__version__", "?"), onnxruntime.__version__]
    for name, path in sorted(model_paths().items()):
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        parts.append(f"{name}:{h.hexdigest()[:16]}")
    return "|".join(parts)


def _forbid_downloads() -> None:
    """RapidOCR downloads models it cannot find; we never want that (offline sites)."""
    from rapidocr.utils import download_file

    def refuse(cls: Any, params: Any) -> None:
        raise RuntimeError(f"bundlecheck: refusing to download OCR model {params.file_url!r}")

    download_file.DownloadFile.run = classmethod(refuse)  # type: ignore[method-assign]


_ENGINES: dict[int, Any] = {}


def get_engine(threads: int = 0) -> Any:
    """One RapidOCR per process and thread setting (models load once).

    ``threads`` sets onnxruntime intra-op threads; 0 = one per core shared by the
    workers (the caller decides). Two workers × one thread each fill two cores
    without oversubscription.
    """
    threads = threads or max(1, os.cpu_count() or 1)
    eng = _ENGINES.get(threads)
    if eng is None:
        _forbid_downloads()
        from rapidocr import RapidOCR

        paths = model_paths()
        for p in paths.values():
            if not p.is_file():
                raise FileNotFoundError(f"RapidOCR model missing (not downloading): {p}")
        eng = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.text_score": TEXT_SCORE,
                # We orient the page ourselves; per-crop 0/180 cls is redundant after that.
                "Global.use_cls": False,
                # Keep our resolution: RapidOCR would shrink anything above 2000 px.
                "Global.max_side_len": 4096,
                # Detection at ≤1600 px long side (2.1× fewer pixels than 200 dpi A4);
                # recognition still crops from the full-resolution raster.
                "Det.limit_type": "max",
                "Det.limit_side_len": DET_SIDE,
                "Det.model_path": str(paths["det"]),
                "Rec.model_path": str(paths["rec"]),
                "Cls.model_path": str(paths["cls"]),
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        _ENGINES[threads] = eng
    return eng


# ---------------------------------------------------------------- rendering


def render_page(page: Any, dpi: int, max_pixels: int) -> tuple[np.ndarray, float]:
    """Render the displayed page as BGR uint8; returns (image, pixels per point).

    The zoom is lowered so width × height ≤ ``max_pixels``: an 8400 pt page at
    200 dpi would be 540 Mpx (hugemono), capped it is 12 Mpx.
    """
    import pymupdf

    rect = page.rect
    zoom = dpi / 72.0
    area_pt = max(rect.width * rect.height, 1.0)
    if area_pt * zoom * zoom > max_pixels:
        zoom = math.sqrt(max_pixels / area_pt)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    img = np.ascontiguousarray(img[:, :, 2::-1])  # RGB → BGR (cv2/RapidOCR order)
    return img, pix.width / max(rect.width, 1e-6)


def suppress_red(img: np.ndarray) -> tuple[np.ndarray, float]:
    """Whiten saturated red pixels (seals 公章 printed over text); returns (img, fraction).

    A pixel counts as seal red when red dominates both other channels clearly;
    dark strokes (black text under the seal) stay because their red channel is low.
    """
    b, g, r = (img[:, :, i].astype(np.int16) for i in range(3))
    mask = (r > 120) & (r - g > 60) & (r - b > 50)
    frac = float(mask.mean())
    if frac == 0.0:
        return img, 0.0
    out = img.copy()
    out[mask] = 255
    return out, frac


# ---------------------------------------------------------------- geometry


def _rot90_matrix(k_cw: int, w: int, h: int) -> np.ndarray:
    """3×3 matrix mapping points of a w×h image to the image turned k_cw×90° clockwise."""
    k = k_cw % 4
    if k == 0:
        return np.eye(3)
    if k == 1:  # (x, y) → (h - y, x)
        return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], dtype=float)
    if k == 2:  # (x, y) → (w - x, h - y)
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=float)
    return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=float)  # (x, y) → (y, w - x)


def _rotate_image_cw(img: np.ndarray, k_cw: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(img, k=-(k_cw % 4)))


def _deskew(img: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate by ``angle`` degrees counter-clockwise on an enlarged white canvas."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * sin + w * cos)), int(math.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    out = cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out, np.vstack([m, [0, 0, 1]])


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
    flip_score: tuple[float, float] = (0.0, 0.0)


def _det_boxes(eng: Any, img: np.ndarray) -> np.ndarray:
    res = eng(img, use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(res, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return np.zeros((0, 4, 2), dtype=np.float32)
    return np.asarray(boxes, dtype=np.float32)


def _rec_scores(eng: Any, crops: list[np.ndarray]) -> list[float]:
    from rapidocr.ch_ppocr_rec import TextRecInput

    if not crops:
        return []
    out = eng._load_rec_model()(TextRecInput(img=crops))
    scores = []
    for txt, sc in zip(out.txts or (), out.scores or ()):
        # Score × a length factor: flipped text often decodes to 1–2 confident junk chars.
        scores.append(float(sc) * min(1.0, len(txt.strip()) / 4.0))
    return scores


def detect_orientation(eng: Any, img: np.ndarray) -> Orientation:
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
    boxes = _det_boxes(eng, small)
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
    r = _rot90_matrix(base // 90, sw, sh)
    upright = _rotate_image_cw(small, base // 90)
    quads = []
    for q in boxes:
        pts = np.c_[q, np.ones(4)] @ r.T
        quads.append(_order_quad(pts[:, :2]))
    quads.sort(key=lambda q: -_edge_lengths(q)[0])
    from rapidocr.utils.process_img import get_rotate_crop_image

    crops = []
    for q in quads[:PROBE_LINES]:
        a, b = _edge_lengths(q)
        if a < 2 * b:
            continue
        crop = get_rotate_crop_image(upright, q.astype(np.float32))
        ch, cw = crop.shape[:2]
        if cw > PROBE_ASPECT * ch:  # middle window: enough glyphs to judge, 1/3 the cost
            x0 = (cw - int(PROBE_ASPECT * ch)) // 2
            crop = np.ascontiguousarray(crop[:, x0: x0 + int(PROBE_ASPECT * ch)])
        crops.append(crop)
    up = _rec_scores(eng, crops)
    down = _rec_scores(eng, [np.ascontiguousarray(np.rot90(c, 2)) for c in crops])
    s_up = float(np.mean(up)) if up else 0.0
    s_down = float(np.mean(down)) if down else 0.0
    rotation = (base + 180) % 360 if s_down > s_up + 0.05 else base

    # Skew from the long boxes in the final upright frame.
    if rotation != base:
        r2 = _rot90_matrix(2, upright.shape[1], upright.shape[0])
        quads = [_order_quad((np.c_[q, np.ones(4)] @ r2.T)[:, :2]) for q in quads]
    angles, weights = [], []
    for q in quads:
        a, b = _edge_lengths(q)
        if a >= 3 * b:
            angles.append(_long_edge_angle(q))
            weights.append(a)
    skew = _weighted_median(angles, weights) if len(angles) >= 3 else 0.0
    if abs(skew) <= MAX_SKEW and len(angles) >= 3:
        final = upright if rotation == base else _rotate_image_cw(upright, 2)
        skew = _refine_skew(final, skew)
    if abs(skew) < MIN_SKEW or abs(skew) > MAX_SKEW:
        skew = 0.0
    return Orientation(rotation=rotation, skew=round(skew, 2), boxes=len(boxes), flip_score=(s_up, s_down))


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


def detect_text_regions(page: Any, *, threads: int = 0, side: int = 1024) -> list[tuple[float, float, float, float]]:
    """Text-detector boxes (page points, as displayed) on a ≤``side`` px render.

    Used to check whether a scan's text layer explains the text visible on it;
    detection alone is ~0.3 s, far cheaper than recognition.
    """
    import pymupdf

    eng = get_engine(threads)
    rect = page.rect
    zoom = min(side / max(rect.width, rect.height, 1.0), 150 / 72.0)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3)[:, :, ::-1].copy()
    OCR_CALLS["probe"] += 1
    out = []
    for q in _det_boxes(eng, img):
        xs, ys = q[:, 0] / zoom, q[:, 1] / zoom
        out.append((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
    return out


# ---------------------------------------------------------------- full OCR


@dataclass
class Segment:
    text: str
    score: float
    quad: np.ndarray  # 4×2, pixels of the upright deskewed raster


@dataclass
class OcrOutcome:
    lines: list[Line] = field(default_factory=list)
    rotation: int = 0
    skew: float = 0.0
    zoom: float = 1.0
    red_fraction: float = 0.0


def ocr_raster(eng: Any, img: np.ndarray) -> list[Segment]:
    """Full RapidOCR on an upright raster; segments with their quads in that raster."""
    OCR_CALLS["full"] += 1
    # Explicit flags: RapidOCR keeps per-call flags as state (the probe turned rec off).
    res = eng(img, use_det=True, use_cls=False, use_rec=True)
    boxes = getattr(res, "boxes", None)
    txts = getattr(res, "txts", None)
    if boxes is None or txts is None:
        return []
    return [
        Segment(text=t, score=float(s), quad=np.asarray(b, dtype=float))
        for b, t, s in zip(boxes, txts, res.scores)
        if t and t.strip()
    ]


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


def _to_page_bbox(quad: np.ndarray, inv: np.ndarray, page_w: float, page_h: float) -> tuple[float, float, float, float]:
    pts = np.c_[quad, np.ones(len(quad))] @ inv.T
    x0, y0 = pts[:, 0].min(), pts[:, 1].min()
    x1, y1 = pts[:, 0].max(), pts[:, 1].max()
    clamp = lambda v, hi: float(round(min(max(v, 0.0), hi), 2))  # noqa: E731
    return (clamp(x0, page_w), clamp(y0, page_h), clamp(x1, page_w), clamp(y1, page_h))


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def segments_to_lines(segments: list[Segment], inv: np.ndarray, page_w: float, page_h: float) -> list[Line]:
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
            words.append(Word(text=norm, bbox=_to_page_bbox(seg.quad, inv, page_w, page_h)))
            prev_x1 = float(seg.quad[:, 0].max())
        xs = [w.bbox for w in words]
        bbox = (min(b[0] for b in xs), min(b[1] for b in xs), max(b[2] for b in xs), max(b[3] for b in xs))
        weights = [max(1, len(s.text)) for s in row]
        conf = float(np.average([s.score for s in row], weights=weights))
        lines.append(
            Line(text="".join(norm_parts), raw="".join(raw_parts), bbox=bbox, conf=round(conf, 4), words=tuple(words))
        )
    return lines


def ocr_page(page: Any, *, dpi: int, max_pixels: int, threads: int = 0, red_suppression: bool = True) -> OcrOutcome:
    """Render, orient, deskew and OCR one PyMuPDF page; lines in page points."""
    eng = get_engine(threads)
    img, zoom = render_page(page, dpi, max_pixels)
    h0, w0 = img.shape[:2]
    orient = detect_orientation(eng, img)
    k = orient.rotation // 90
    m = _rot90_matrix(k, w0, h0) @ np.diag([zoom, zoom, 1.0])
    img = _rotate_image_cw(img, k)
    if orient.skew:
        # Content turned clockwise by `skew` → rotate counter-clockwise by the same.
        img, d = _deskew(img, orient.skew)
        m = d @ m
    red = 0.0
    if red_suppression:
        img, red = suppress_red(img)
    segments = ocr_raster(eng, img)
    inv = np.linalg.inv(m)
    lines = segments_to_lines(segments, inv, float(page.rect.width), float(page.rect.height))
    return OcrOutcome(lines=lines, rotation=orient.rotation, skew=orient.skew, zoom=zoom, red_fraction=red)


# ---------------------------------------------------------------- images on text pages

# Images smaller than this hold no readable word; larger than IMAGE_REGION_MAX_SHARE of
# the page they are a scan behind a text layer, which the page-level judge handles.
IMAGE_REGION_MIN_PT = (18.0, 8.0)
IMAGE_REGION_MAX_SHARE = 0.5
IMAGE_REGION_MAX = 40  # per page: a page tiled with icons is not worth minutes of OCR


def image_regions(page: Any, text_lines: list[Line]) -> list[tuple[float, float, float, float]]:
    """Rects (points, displayed page) of images drawn on the page that may hold words
    the text layer lacks: hand signatures, stamped names, photo watermarks.

    Images mostly under text-layer lines are skipped (backgrounds, invisible-OCR scans).
    """
    import pymupdf

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
                      max_pixels: int = 1_200_000) -> list[Line]:
    """OCR each region (clip render at ``dpi``) and return its lines in page points,
    marked ``origin="image"``. Red seal ink is whitened first, as on full pages."""
    import pymupdf

    if not regions:
        return []
    eng = get_engine(threads)
    zoom = dpi / 72.0
    pw, ph = float(page.rect.width), float(page.rect.height)
    out: list[Line] = []
    for x0, y0, x1, y1 in regions:
        clip = pymupdf.Rect(x0 - pad, y0 - pad, x1 + pad, y1 + pad) & page.rect
        # photos are large: cap their raster (watermark digits stay legible at ~150 dpi)
        z = min(zoom, math.sqrt(max_pixels / max(clip.width * clip.height, 1.0)))
        pix = page.get_pixmap(matrix=pymupdf.Matrix(z, z), clip=clip, colorspace=pymupdf.csRGB, alpha=False)
        img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
        img = np.ascontiguousarray(img[:, :, 2::-1])
        if red_suppression:
            img, _ = suppress_red(img)
        segments = ocr_raster(eng, img)
        if not segments:
            continue
        # pixel → page point: p = clip.tl + px / zoom (actual pixmap scale per axis)
        sx, sy = clip.width / max(pix.width, 1), clip.height / max(pix.height, 1)
        inv = np.array([[sx, 0.0, clip.x0], [0.0, sy, clip.y0], [0.0, 0.0, 1.0]])
        for ln in segments_to_lines(segments, inv, pw, ph):
            out.append(ln.model_copy(update={"origin": "image"}))
    return out
