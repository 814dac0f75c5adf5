"""Turn a born-digital bundle into what an institution's scanner makes of it.

``scan_pdf`` renders each page at ``style.dpi`` and degrades it the way office
scanners do: the sheet lies slightly askew, the lamp lights it unevenly, the optics
blur a little, the sensor adds noise and dust specks, and the driver saves JPEG.
Grey scans turn red seals grey; colour scans keep them red on off-white paper.
Pages listed in ``style.rotated_pages`` were fed sideways or upside down, so their
pixels are turned (90° turns give a landscape A4 page, as the scanner would).
The output has no text layer. The input's document metadata (the scan station
name the institution's copier writes) is carried over.
"""
from __future__ import annotations

import random

import cv2
import numpy as np
import pymupdf

from samples.model import Style


def _degrade(img: np.ndarray, style: Style, rng: np.random.Generator, grey: bool) -> np.ndarray:
    h, w = img.shape[:2]
    f = img.astype(np.float32)
    if grey:
        f = cv2.cvtColor(f, cv2.COLOR_RGB2GRAY)
    else:
        # Off-white, slightly warm paper; ink stays as printed.
        tint = np.array([rng.uniform(0.96, 0.99), rng.uniform(0.95, 0.98), rng.uniform(0.9, 0.95)], np.float32)
        f = f * tint
    # Uneven lamp: a smooth field from a coarse random grid, plus a darker binding edge.
    field = cv2.resize(rng.uniform(0.9, 1.02, (4, 3)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    edge = 1 - 0.08 * np.exp(-np.arange(w, dtype=np.float32) / (w * 0.02))
    field = field * (edge[::-1] if rng.random() < 0.5 else edge)[None, :]
    f = f * (field if grey else field[..., None])
    # Skew: the sheet is never square on the glass.
    ang = rng.uniform(-style.max_skew_deg, style.max_skew_deg)
    M = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
    border = (float(np.median(f[:20, :20])),) * (1 if grey else 3)
    f = cv2.warpAffine(f, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.5, 0.85))
    # Sensor noise at a coarser grain than the pixel (cheaper and looks like scanner noise).
    nh, nw = h // 2 + 1, w // 2 + 1
    noise = rng.normal(0, rng.uniform(2.5, 4.5), (nh, nw)).astype(np.float32)
    noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_NEAREST)
    f = f + (noise if grey else noise[..., None])
    # Dust specks and a few light dropouts.
    n = int(rng.integers(60, 220))
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    dark = rng.uniform(30, 120, n)
    for y, x, v in zip(ys, xs, dark):
        r = 1 if rng.random() < 0.85 else 2
        cv2.circle(f, (int(x), int(y)), r, (float(v),) * (1 if grey else 3), -1)
    return np.clip(f, 0, 255).astype(np.uint8)


def _jpeg(img: np.ndarray, grey: bool, quality: int) -> bytes:
    enc = img if grey else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    ok, buf = cv2.imencode(".jpg", enc, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


def scan_pdf(pdf: bytes, style: Style, seed: int) -> bytes:
    """Image-only scan of ``pdf``; deterministic for ``seed``."""
    src = pymupdf.open(stream=pdf, filetype="pdf")
    out = pymupdf.open()
    grey = style.colour != "colour"
    dpi = max(150, min(200, int(style.dpi or 150)))
    rotated = set(style.rotated_pages or [])
    angles = dict(getattr(style, "rotation_angles", {}) or {})
    for i, page in enumerate(src):
        no = i + 1
        rng = np.random.default_rng([seed & 0xFFFFFFFF, no])
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, 3)
        img = _degrade(img, style, rng, grey)
        w_pt, h_pt = page.rect.width, page.rect.height
        if no in rotated:
            turn = angles.get(no) or random.Random(seed * 31 + no).choice([90, 180, 270])
            k = {90: 3, 180: 2, 270: 1}.get(int(turn) % 360, 2)  # np.rot90 turns counter-clockwise
            img = np.ascontiguousarray(np.rot90(img, k))
            if k % 2:
                w_pt, h_pt = h_pt, w_pt
        # JPEG quality chosen for ~100-250 KB a page at 150-200 dpi.
        q = int(rng.integers(40, 55)) if dpi >= 180 else int(rng.integers(50, 65))
        q -= 0 if grey else 8  # colour pages carry more data at the same quality
        data = _jpeg(img, grey, q)
        p = out.new_page(width=w_pt, height=h_pt)
        p.insert_image(p.rect, stream=data)
    meta = {k: v for k, v in (src.metadata or {}).items() if k in
            ("title", "author", "subject", "keywords", "creator", "producer", "creationDate", "modDate") and v}
    if meta:
        out.set_metadata(meta)
    data = out.tobytes(garbage=3, deflate=True, no_new_id=True)
    out.close()
    src.close()
    return data
