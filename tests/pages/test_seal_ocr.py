"""Personal name seals are read, not whitened away (pipeline/ocr.py).

Red whitening keeps official seals from hiding the text under them; a personal seal's
red *is* its text. A seal is drawn here the way stamps are made: a red square frame with
two columns of characters, read from the right (谢|之 over 建|印 = 谢建之印).
"""
from __future__ import annotations

import pytest

from pipeline import ocr as ocr_mod
from pipeline.ocr_engine import get_engine
from pipeline.pages import PageSettings, extract_page
from pipeline.raster import pixmap_bgr, red_mask

RED = (0.85, 0.05, 0.05)


def _draw_seal(page, x: float, y: float, side: float = 34.0, chars: str = "谢建之印") -> None:
    """A square name seal at (x, y): right column chars[0:2], left column chars[2:4]."""
    import pymupdf

    page.draw_rect(pymupdf.Rect(x, y, x + side, y + side), color=RED, width=1.6)
    fs = side * 0.38
    pad = (side - 2 * fs) / 2
    cols = [(x + side - pad - fs, chars[0:2]), (x + pad, chars[2:4])]
    for cx, two in cols:
        for k, ch in enumerate(two):
            page.insert_text((cx, y + pad + fs * (k + 1) - 1), ch, fontname="china-s", fontsize=fs, color=RED)


def _seal_png(chars: str = "谢建之印") -> bytes:
    import pymupdf

    d = pymupdf.open()
    p = d.new_page(width=40, height=40)
    _draw_seal(p, 3, 3, chars=chars)
    return p.get_pixmap(matrix=pymupdf.Matrix(4, 4)).tobytes("png")


def test_seal_shape_is_small_and_square() -> None:
    assert ocr_mod.is_personal_seal(34, 34) and ocr_mod.is_personal_seal(30, 40)
    assert not ocr_mod.is_personal_seal(115, 115)  # an official seal
    assert not ocr_mod.is_personal_seal(60, 14)  # a signature strip
    assert not ocr_mod.is_personal_seal(6, 6)  # a red tick


def test_personal_seal_boxes_finds_the_seal_not_a_red_line() -> None:
    import pymupdf

    d = pymupdf.open()
    p = d.new_page(width=300, height=200)
    _draw_seal(p, 100, 60)
    p.draw_line((20, 150), (280, 150), color=RED, width=2)  # a red rule: long, thin
    pix = p.get_pixmap(matrix=pymupdf.Matrix(2, 2), colorspace=pymupdf.csRGB, alpha=False)
    img = pixmap_bgr(pix)
    assert red_mask(img).any()
    boxes = ocr_mod.personal_seal_boxes(img, 2.0)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 <= 200 <= x1 and y0 <= 120 <= y1  # the seal's pixels, padded


@pytest.mark.ocr
def test_seal_image_on_a_text_page_gives_its_characters() -> None:
    import pymupdf

    d = pymupdf.open()
    p = d.new_page(width=400, height=200)
    p.insert_text((40, 80), "审核：", fontname="china-s", fontsize=11)
    p.insert_image(pymupdf.Rect(80, 62, 114, 96), stream=_seal_png())
    page = extract_page(d, 1, PageSettings(), doc=d)
    marks = "".join(ln.text for ln in page.lines if ln.origin == "image")
    # whitened, the seal gave nothing; read as it is, its four characters come back
    assert sum(ch in marks for ch in "谢建之印") >= 3, marks


@pytest.mark.ocr
def test_seal_on_a_scan_is_read_as_a_seal_line() -> None:
    import pymupdf

    d = pymupdf.open()
    p = d.new_page(width=400, height=200)
    p.insert_text((40, 80), "采样人：", fontname="china-s", fontsize=11)
    _draw_seal(p, 90, 62)
    # the page as a scanner gives it: one image, no text layer
    scan = pymupdf.open()
    sp = scan.new_page(width=400, height=200)
    sp.insert_image(sp.rect, stream=p.get_pixmap(matrix=pymupdf.Matrix(3, 3)).tobytes("png"))
    out = ocr_mod.ocr_page(scan[0], dpi=200, max_pixels=12_000_000, engine=get_engine())
    seal = "".join(ln.text for ln in out.lines if ln.origin == "seal")
    assert sum(ch in seal for ch in "谢建之印") >= 3, [(ln.origin, ln.text) for ln in out.lines]
    assert any("采样人" in ln.text and ln.origin is None for ln in out.lines)
    off = ocr_mod.ocr_page(scan[0], dpi=200, max_pixels=12_000_000, red_suppression=False, engine=get_engine())
    assert not any(ln.origin == "seal" for ln in off.lines)  # no whitening, nothing to recover


def test_grey_seal_on_a_grey_scale_scan_is_read_and_table_cells_are_not_seals() -> None:
    # a grey-scale scan: the seal is a grey frame beside its label, under a table of
    # small square cells (which are no seals: their sides run on into the next cell)
    import pymupdf

    d = pymupdf.open()
    p = d.new_page(width=400, height=260)
    for i in range(4):
        for j in range(3):
            p.draw_rect(pymupdf.Rect(40 + 26 * i, 30 + 26 * j, 66 + 26 * i, 56 + 26 * j), color=(0, 0, 0), width=0.8)
            p.insert_text((45 + 26 * i, 47 + 26 * j), "印象", fontname="china-s", fontsize=8)
    p.insert_text((40, 180), "复核人：", fontname="china-s", fontsize=11)
    _draw_seal(p, 90, 162, side=24, chars="秦庆之印")
    grey = p.get_pixmap(matrix=pymupdf.Matrix(3, 3), colorspace=pymupdf.csGRAY).tobytes("png")
    scan = pymupdf.open()
    sp = scan.new_page(width=400, height=260)
    sp.insert_image(sp.rect, stream=grey)
    img, zoom = ocr_mod.render_page(scan[0], 200, 12_000_000)
    frames = ocr_mod.grey_seal_frames(img, zoom)
    assert len(frames) == 1 and 85 <= frames[0][0] / zoom <= 92, [[round(v / zoom) for v in f] for f in frames]
    out = ocr_mod.ocr_page(scan[0], dpi=200, max_pixels=12_000_000, engine=get_engine())
    seal = "".join(ln.text for ln in out.lines if ln.origin == "seal")
    assert sum(ch in seal for ch in "秦庆之印") >= 3, [(ln.origin, ln.text) for ln in out.lines]
    label = [ln.text for ln in out.lines if "复核人" in ln.text]
    assert label and not any(ch in label[0] for ch in "秦庆"), label  # the seal is not run into the label
