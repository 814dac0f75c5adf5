"""Rasters of PDF pages for OCR and painting: render, turn, deskew, whiten seal red, pad.

Images are BGR ``uint8`` arrays (cv2 and RapidOCR order). Box and point maps between
a raster and page points live in ``pipeline.geometry``; this module only makes and
changes pixels. cv2 and pymupdf are imported inside the functions that need them:
slow optional libraries, kept off the import path of modules that only need numpy.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["deskew", "deskew_matrix", "pad_white", "pixmap_bgr", "red_mask", "render_page", "render_page_enlarged", "rotate_image_cw",
           "suppress_red"]


def pixmap_bgr(pix: Any) -> np.ndarray:
    """A PyMuPDF RGB pixmap as a contiguous BGR array (alpha, if any, dropped)."""
    import cv2  # slow optional library

    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    # RGB → BGR (cv2/RapidOCR order). cv2 swaps channels 12× faster than numpy's copy of a
    # reversed view (1 ms against 14 ms a 200-dpi page), the same pixels.
    code = {1: cv2.COLOR_GRAY2BGR, 3: cv2.COLOR_RGB2BGR, 4: cv2.COLOR_RGBA2BGR}[pix.n]
    return cv2.cvtColor(img, code)


def render_page(page: Any, dpi: int, max_pixels: int) -> tuple[np.ndarray, float]:
    """Render the displayed page as BGR uint8; returns (image, pixels per point).

    The zoom is lowered so width × height ≤ ``max_pixels``: an 8400 pt page at
    200 dpi would be 540 Mpx (hugemono), capped it is 12 Mpx.
    """
    import pymupdf  # slow optional library

    rect = page.rect
    zoom = dpi / 72.0
    area_pt = max(rect.width * rect.height, 1.0)
    if area_pt * zoom * zoom > max_pixels:
        zoom = math.sqrt(max_pixels / area_pt)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csRGB, alpha=False)
    return pixmap_bgr(pix), pix.width / max(rect.width, 1e-6)


def _single_picture_px_per_pt(page: Any) -> float:
    """Pixels per point of the one picture a page shows edge to edge, upright and
    unturned (a scan); 0 for any other page."""
    if page.rotation:
        return 0.0
    info = page.get_image_info()
    if len(info) != 1:
        return 0.0
    x0, y0, x1, y1 = info[0]["bbox"]
    a, b, c, d = info[0]["transform"][:4]
    rect = page.rect
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return 0.0
    if (x1 - x0) < 0.99 * rect.width or (y1 - y0) < 0.99 * rect.height:
        return 0.0
    return min(info[0]["width"] / max(x1 - x0, 1e-6), info[0]["height"] / max(y1 - y0, 1e-6))


def render_page_enlarged(page: Any, dpi: int, max_pixels: int) -> tuple[np.ndarray, float]:
    """``render_page``'s raster (same size, same pixels per point), made faster where the
    page is one scan of lower resolution than ``dpi``: MuPDF renders it at the scan's own
    resolution and cv2 enlarges that (bilinear), ~8 ms against MuPDF's 38 ms for a
    150-dpi A4 scan asked at 200 dpi. Edges differ from MuPDF's enlargement by a few grey
    levels, so rasters compared with each other must both be made here."""
    import cv2  # slow optional library
    import pymupdf  # slow optional library

    rect = page.rect
    zoom = dpi / 72.0
    area_pt = max(rect.width * rect.height, 1.0)
    if area_pt * zoom * zoom > max_pixels:
        zoom = math.sqrt(max_pixels / area_pt)
    native = _single_picture_px_per_pt(page)
    if not native or native * 1.02 >= zoom:
        return render_page(page, dpi, max_pixels)
    size = (rect * pymupdf.Matrix(zoom, zoom)).irect  # the size MuPDF gives at ``zoom``
    pix = page.get_pixmap(matrix=pymupdf.Matrix(native, native), colorspace=pymupdf.csRGB, alpha=False)
    img = cv2.resize(pixmap_bgr(pix), (size.width, size.height), interpolation=cv2.INTER_LINEAR)
    return img, size.width / max(rect.width, 1e-6)


def rotate_image_cw(img: np.ndarray, k_cw: int) -> np.ndarray:
    """The raster turned ``k_cw`` × 90° clockwise (points map by ``geometry.rot90_matrix``)."""
    return np.ascontiguousarray(np.rot90(img, k=-(k_cw % 4)))


def deskew(img: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate by ``angle`` degrees counter-clockwise on an enlarged white canvas;
    returns (image, 3×3 matrix mapping input pixels to output pixels)."""
    import cv2  # slow optional library

    h, w = img.shape[:2]
    d, size = _deskew_frame(w, h, angle)
    out = cv2.warpAffine(img, d[:2], size, flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out, d


def _deskew_frame(w: int, h: int, angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    import cv2  # slow optional library

    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * sin + w * cos)), int(math.ceil(h * cos + w * sin))
    m[0, 2] += nw / 2.0 - w / 2.0
    m[1, 2] += nh / 2.0 - h / 2.0
    return np.vstack([m, [0, 0, 1]]), (nw, nh)


def deskew_matrix(w: int, h: int, angle: float) -> np.ndarray:
    """The 3×3 matrix ``deskew`` maps a ``w`` × ``h`` raster's pixels by, without the pixels."""
    return _deskew_frame(w, h, angle)[0]


def red_mask(img: np.ndarray) -> np.ndarray:
    """Pixels of seal red: red dominates both other channels clearly; dark strokes
    (black text under a seal) stay out because their red channel is low."""
    b, g, r = (img[:, :, i].astype(np.int16) for i in range(3))
    return (r > 120) & (r - g > 60) & (r - b > 50)


def faint_red_mask(img: np.ndarray) -> np.ndarray:
    """Pixels of a faded or lightly inked seal (red over the others by half the margin of
    ``red_mask``): used only to find name seals and to whiten inside them, never over the
    whole page (brownish paper and orange marks pass it too)."""
    b, g, r = (img[:, :, i].astype(np.int16) for i in range(3))
    return (r > 120) & (r - g > 30) & (r - b > 20)


def suppress_red(img: np.ndarray) -> tuple[np.ndarray, float]:
    """Whiten saturated red pixels (seals 公章 printed over text); returns (img, fraction).

    Seal red is ``red_mask``.
    """
    mask = red_mask(img)
    frac = float(mask.mean())
    if frac == 0.0:
        return img, 0.0
    out = img.copy()
    out[mask] = 255
    return out, frac


def pad_white(img: np.ndarray, px: int) -> np.ndarray:
    """The raster with a white margin of ``px`` pixels on every side (the text
    detector misses text that touches the image border)."""
    import cv2  # slow optional library

    return cv2.copyMakeBorder(img, px, px, px, px, cv2.BORDER_CONSTANT, value=(255, 255, 255))
