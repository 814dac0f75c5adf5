"""Raster "ink": red round seals, handwritten names and dates, site photos.

These are pixels on purpose. On a real born-digital bundle a seal or a signature
is a pasted image (electronic seal, scanned signature), never text, so the pipeline
has to find them the way it will on scans. Everything is built with PIL / OpenCV
from PyMuPDF's built-in CJK font (Droid Sans Fallback), so nothing is downloaded.
"""
from __future__ import annotations

import io
import math
import random
from functools import lru_cache

import cv2
import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFont

SEAL_RED = (214, 36, 40)
INKS = [(22, 32, 110), (18, 22, 60), (25, 25, 25), (30, 45, 140)]  # blue-black, black, blue


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return bytes(pymupdf.Font("china-s").buffer)


@lru_cache(maxsize=64)
def pil_font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_font_bytes()), px)


def png_bytes(rgba: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    assert ok
    return buf.tobytes()


def jpeg_bytes(rgb: np.ndarray, quality: int = 82) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return buf.tobytes()


# --------------------------------------------------------------------------- seals
def _glyph(ch: str, px: int) -> Image.Image:
    f = pil_font(px)
    l, t, r, b = f.getbbox(ch)
    im = Image.new("L", (max(1, r - l) + 4, max(1, b - t) + 4), 0)
    ImageDraw.Draw(im).text((2 - l, 2 - t), ch, font=f, fill=255)
    return im


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.38
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


@lru_cache(maxsize=32)
def _seal_mask(name: str, bottom: str, size: int) -> np.ndarray:
    """Alpha mask (0..255) of a round 公章: ring, name along the upper arc, star, bottom text."""
    s = size * 2  # draw at 2x, downsample for anti-aliasing
    im = Image.new("L", (s, s), 0)
    d = ImageDraw.Draw(im)
    c = s / 2
    ring = s * 0.035
    d.ellipse([ring / 2, ring / 2, s - ring / 2, s - ring / 2], outline=255, width=int(ring))
    d.polygon(_star(c, c * 1.0, s * 0.15), fill=255)
    # Characters run clockwise over ~250° of the upper arc, each turned to face outwards.
    n = len(name)
    span = min(235.0, 21.0 * n + 50)
    ch_px = int(s * (0.15 if n <= 10 else 0.13 if n <= 14 else 0.11))
    radius = c - ring - ch_px * 0.62
    for i, ch in enumerate(name):
        ang = -90 - span / 2 + span * (i + 0.5) / n  # degrees, screen coords (y down)
        g = _glyph(ch, ch_px).resize((int(ch_px * 0.78), ch_px))  # seal type is condensed
        g = g.rotate(-(ang + 90), resample=Image.BICUBIC, expand=True)
        x = c + radius * math.cos(math.radians(ang)) - g.width / 2
        y = c + radius * math.sin(math.radians(ang)) - g.height / 2
        im.paste(255, (int(x), int(y)), g)
    if bottom:
        bp = int(s * 0.085)
        f = pil_font(bp)
        w = f.getlength(bottom)
        d.text((c - w / 2, c + s * 0.2), bottom, font=f, fill=255)
    return np.asarray(im.resize((size, size), Image.LANCZOS))


def seal_png(name: str, bottom: str, rng: random.Random, size: int = 380,
             color: tuple[int, int, int] = SEAL_RED, opacity: float = 0.82) -> bytes:
    """One application of a seal: random turn, uneven ink, slightly transparent."""
    m = _seal_mask(name, bottom, size).astype(np.float32) / 255.0
    ang = rng.uniform(-25, 25)
    rot = cv2.getRotationMatrix2D((size / 2, size / 2), ang, 1.0)
    m = cv2.warpAffine(m, rot, (size, size), flags=cv2.INTER_LINEAR)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    # Ink pressure: a low-frequency field (one side pressed harder) times fine mottling.
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    a, b = nrng.uniform(-0.45, 0.45, 2)
    field = 0.82 + a * (xx - 0.5) + b * (yy - 0.5)
    mottle = cv2.resize(nrng.uniform(0.55, 1.0, (size // 10, size // 10)).astype(np.float32), (size, size),
                        interpolation=cv2.INTER_CUBIC)
    alpha = np.clip(m * np.clip(field, 0.35, 1.0) * np.clip(mottle + 0.25, 0, 1) * opacity, 0, 1)
    rgba = np.zeros((size, size, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = color
    rgba[..., 3] = (alpha * 255).astype(np.uint8)
    return png_bytes(rgba)


# --------------------------------------------------------------------------- handwriting
def handwriting_png(text: str, rng: random.Random, px: int = 56, ink: tuple[int, int, int] | None = None,
                    flourish: bool | None = None) -> tuple[bytes, float]:
    """A name or date written quickly by hand. Returns (png, width/height aspect)."""
    ink = ink or rng.choice(INKS)
    n = max(1, len(text))
    W, H = int(px * (0.95 * n + 1.6)), int(px * 1.9)
    canvas = Image.new("L", (W, H), 0)
    x = px * 0.3
    base = H * 0.62
    for ch in text:
        if ch == " ":
            x += px * 0.35
            continue
        scale = rng.uniform(0.82, 1.16)
        g = _glyph(ch, max(8, int(px * scale) // 4 * 4))  # few sizes: fonts are cached per size
        # Hand letters are narrower and lean; each one a little differently.
        g = g.resize((max(1, int(g.width * rng.uniform(0.78, 0.98))), g.height))
        g = g.rotate(rng.uniform(-9, 6), resample=Image.BICUBIC, expand=True)
        y = base - g.height * 0.85 + rng.uniform(-0.09, 0.09) * px
        if x + g.width >= W:
            break
        canvas.paste(255, (int(x), int(max(0, y))), g)
        x += g.width * (0.92 if ch.isascii() else rng.uniform(0.74, 0.9))
    arr = np.asarray(canvas).astype(np.float32)
    # Slant (shear) plus a gentle wave: the line of writing is never straight.
    sh = rng.uniform(0.12, 0.32)
    M = np.float32([[1, -sh, sh * H * 0.6], [0, 1, 0]])
    arr = cv2.warpAffine(arr, M, (W, H))
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    amp, per, ph = rng.uniform(0.5, 1.8), rng.uniform(1.5, 3.0) * px, rng.uniform(0, 6.3)
    arr = cv2.remap(arr, xs, ys + amp * np.sin(xs / per * 6.283 + ph).astype(np.float32), cv2.INTER_LINEAR)
    # Pen width: thin the sans-serif strokes or thicken them, then soften.
    k = np.ones((2, 2), np.uint8)
    arr = cv2.erode(arr, k) if rng.random() < 0.65 else arr
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    if flourish if flourish is not None else rng.random() < 0.45:
        # The quick tail stroke many people add under or through the end of the name.
        x0, x1 = px * 0.2, min(W - 4, x + px * rng.uniform(0.0, 0.6))
        y0 = base + px * rng.uniform(0.12, 0.3)
        pts = []
        for i in range(24):
            t = i / 23
            pts.append((x0 + (x1 - x0) * t, y0 - px * 0.35 * t * t + px * 0.06 * math.sin(t * 9)))
        d.line(pts, fill=235, width=max(2, px // 18), joint="curve")
    arr = cv2.GaussianBlur(np.asarray(img).astype(np.float32), (0, 0), 0.7)
    ys, xs = np.nonzero(arr > 20)
    if len(xs) == 0:
        arr = np.zeros((8, 8), np.float32)
    else:
        arr = arr[max(0, ys.min() - 2): ys.max() + 3, max(0, xs.min() - 2): xs.max() + 3]
    alpha = np.clip(arr * rng.uniform(0.85, 1.0), 0, 255).astype(np.uint8)
    rgba = np.zeros(arr.shape + (4,), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = ink
    rgba[..., 3] = alpha
    return png_bytes(rgba), arr.shape[1] / arr.shape[0]


# --------------------------------------------------------------------------- photos
def _noise(img: np.ndarray, nrng: np.random.Generator, sigma: float) -> np.ndarray:
    return np.clip(img + nrng.normal(0, sigma, img.shape), 0, 255)


def _person(img: np.ndarray, x: int, feet: int, h: int, rng: random.Random, helmet=True) -> None:
    """A worker seen from a few metres: legs, body in work clothes, head, hard hat."""
    cloth = rng.choice([(40, 70, 150), (30, 60, 120), (200, 110, 40), (90, 95, 100), (35, 80, 60)])
    w = int(h * 0.26)
    cv2.rectangle(img, (x - w // 3, feet - int(h * 0.45)), (x - 2, feet), (40, 45, 60), -1)
    cv2.rectangle(img, (x + 2, feet - int(h * 0.45)), (x + w // 3, feet), (40, 45, 60), -1)
    body = np.array([[x - w // 2, feet - int(h * 0.45)], [x + w // 2, feet - int(h * 0.45)],
                     [x + int(w * 0.45), feet - int(h * 0.82)], [x - int(w * 0.45), feet - int(h * 0.82)]])
    cv2.fillPoly(img, [body], cloth)
    hr = int(h * 0.075)
    cv2.circle(img, (x, feet - int(h * 0.9)), hr, (190, 150, 120), -1)
    if helmet:
        col = rng.choice([(235, 200, 30), (230, 230, 230), (220, 60, 40), (40, 90, 200)])
        cv2.ellipse(img, (x, feet - int(h * 0.92)), (hr + 2, hr), 0, 180, 360, col, -1)


def _interior(rng: random.Random, W: int, H: int) -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)
    horizon = int(H * rng.uniform(0.48, 0.6))
    wall = np.array(rng.choice([(170, 175, 180), (190, 185, 170), (150, 160, 170)]), np.float32)
    floor = np.array(rng.choice([(110, 110, 105), (95, 105, 100), (125, 118, 100)]), np.float32)
    g = np.linspace(0.75, 1.1, horizon)[:, None, None]
    img[:horizon] = wall * g
    f = np.linspace(0.8, 1.05, H - horizon)[:, None, None]
    img[horizon:] = floor * f
    u8 = np.clip(img, 0, 255).astype(np.uint8)
    # Roof trusses and high windows.
    for i in range(rng.randint(3, 6)):
        x = int(W * (i + 0.5) / 5 + rng.randint(-20, 20))
        cv2.rectangle(u8, (x, int(H * 0.08)), (x + rng.randint(40, 80), int(H * 0.2)), (225, 230, 235), -1)
    cv2.line(u8, (0, int(H * 0.05)), (W, int(H * 0.03)), (90, 90, 95), 3)
    # Floor perspective lines (painted walkway).
    vx = W // 2 + rng.randint(-80, 80)
    for dx in (-W, -W // 3, W // 3, W):
        cv2.line(u8, (vx, horizon), (vx + dx, H), (200, 190, 60), 2)
    # Machines: boxes with a darker side, ducts and a hopper.
    for _ in range(rng.randint(2, 4)):
        w, h = rng.randint(80, 170), rng.randint(60, 140)
        x, y = rng.randint(10, W - w - 10), horizon + rng.randint(-h // 2, 20)
        col = rng.choice([(70, 110, 150), (60, 120, 80), (150, 150, 140), (180, 120, 50)])
        cv2.rectangle(u8, (x, y - h), (x + w, y), col, -1)
        cv2.rectangle(u8, (x + w, y - h + 8), (x + w + 18, y - 6), tuple(int(c * 0.6) for c in col), -1)
        cv2.rectangle(u8, (x + 10, y - h + 10), (x + 40, y - h + 30), (40, 40, 40), -1)
        cv2.line(u8, (x + w // 2, y - h), (x + w // 2, int(H * 0.12)), (120, 120, 125), rng.randint(6, 12))
    for _ in range(rng.randint(1, 3)):
        _person(u8, rng.randint(40, W - 40), rng.randint(horizon + 30, H - 10), rng.randint(120, 190), rng)
    return u8


def _sampler(img: np.ndarray, x: int, feet: int, rng: random.Random) -> None:
    """A sampling pump on a tripod with the sampling head at breathing height."""
    top = feet - 150
    for dx in (-30, 0, 30):
        cv2.line(img, (x, top + 60), (x + dx, feet), (40, 40, 40), 3)
    cv2.line(img, (x, top + 60), (x, top), (50, 50, 50), 4)
    cv2.rectangle(img, (x - 22, top + 20), (x + 22, top + 55), rng.choice([(30, 90, 170), (200, 70, 40)]), -1)
    cv2.rectangle(img, (x - 14, top + 26), (x + 6, top + 38), (200, 230, 200), -1)
    cv2.circle(img, (x, top - 5), 8, (220, 220, 220), -1)
    cv2.line(img, (x + 22, top + 40), (x + 30, top - 5), (20, 20, 20), 2)


def _gate(rng: random.Random, W: int, H: int, sign: str) -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)
    sky = np.linspace(0, 1, H // 2)[:, None, None]
    img[: H // 2] = np.array([110, 160, 220]) * (1 - sky) + np.array([200, 215, 230]) * sky
    img[H // 2:] = np.array([130, 128, 120]) * np.linspace(0.9, 1.1, H - H // 2)[:, None, None]
    u8 = np.clip(img, 0, 255).astype(np.uint8)
    # Office building behind the gate.
    bx0, bx1 = int(W * 0.15), int(W * 0.85)
    cv2.rectangle(u8, (bx0, int(H * 0.18)), (bx1, H // 2 + 10), rng.choice([(215, 210, 200), (200, 190, 175)]), -1)
    for r in range(3):
        for c in range(8):
            x = bx0 + 15 + c * (bx1 - bx0 - 30) // 8
            y = int(H * 0.22) + r * 40
            cv2.rectangle(u8, (x, y), (x + 30, y + 24), (90, 120, 150), -1)
    # Gate pillars and the name board of the employer.
    cv2.rectangle(u8, (int(W * 0.08), int(H * 0.35)), (int(W * 0.16), int(H * 0.8)), (170, 165, 160), -1)
    cv2.rectangle(u8, (int(W * 0.84), int(H * 0.35)), (int(W * 0.92), int(H * 0.8)), (170, 165, 160), -1)
    pil = Image.fromarray(u8)
    d = ImageDraw.Draw(pil)
    f = pil_font(22)
    tw = f.getlength(sign)
    bx, by = W / 2 - tw / 2 - 12, H * 0.52
    d.rectangle([bx, by, bx + tw + 24, by + 36], fill=(245, 245, 240), outline=(60, 60, 60), width=2)
    d.text((bx + 12, by + 6), sign, font=f, fill=(180, 20, 20))
    u8 = np.asarray(pil).copy()
    for i in range(rng.randint(3, 5)):  # the team in front of the gate
        _person(u8, int(W * (0.25 + 0.12 * i)) + rng.randint(-8, 8), H - rng.randint(15, 40), rng.randint(160, 190), rng,
                helmet=rng.random() < 0.5)
    return u8


def photo_jpeg(kind: str, rng: random.Random, timestamp: str, sign: str = "", W: int = 640, H: int = 480,
               ) -> tuple[bytes, tuple[float, float, float, float]]:
    """A synthetic site photo with the camera's orange date stamp burnt into the pixels.

    Returns the JPEG and the stamp's box as fractions of the image (x0, y0, x1, y1).
    """
    if kind == "gate":
        img = _gate(rng, W, H, sign)
    else:
        img = _interior(rng, W, H)
        if kind == "sampling":
            _sampler(img, rng.randint(W // 4, 3 * W // 4), rng.randint(int(H * 0.8), H - 10), rng)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    # Vignette and sensor noise: phone photos of dim workshops.
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    vig = 1 - 0.35 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2) * 2
    img = _noise(img.astype(np.float32) * vig[..., None] * rng.uniform(0.85, 1.05), nrng, 5)
    pil = Image.fromarray(img.astype(np.uint8))
    d = ImageDraw.Draw(pil)
    f = pil_font(26)
    tw = f.getlength(timestamp)
    x, y = W - tw - 14, H - 42
    d.text((x + 1, y + 1), timestamp, font=f, fill=(60, 30, 0))
    d.text((x, y), timestamp, font=f, fill=(255, 150, 30))
    return jpeg_bytes(np.asarray(pil), 80), (x / W, y / H, (x + tw) / W, (y + 32) / H)
