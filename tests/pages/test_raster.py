"""Rasters of pages: ``render_page_enlarged`` gives ``render_page``'s raster, faster on coarse scans."""
from __future__ import annotations

import numpy as np
import pymupdf

from pipeline.raster import render_page, render_page_enlarged


def _scan(path, dpi: int, *, text_page: bool = False) -> None:
    """An A4 page that is one scan at ``dpi`` (or a page of text when ``text_page``)."""
    src = pymupdf.open()
    p = src.new_page(width=595.28, height=841.89)
    for i in range(12):
        p.insert_text((60, 80 + 50 * i), f"第{i}行 检测报告 样品编号 S2206140{i}", fontname="china-s", fontsize=14)
    if text_page:
        src.save(path)
        return
    pix = p.get_pixmap(dpi=dpi)
    doc = pymupdf.open()
    page = doc.new_page(width=595.28, height=841.89)
    page.insert_image(page.rect, pixmap=pix)
    doc.save(path)


def test_a_coarse_scan_enlarged_is_the_same_raster_size_and_nearly_the_same_pixels(tmp_path):
    path = tmp_path / "scan.pdf"
    _scan(path, 150)
    page = pymupdf.open(path)[0]
    a, ka = render_page(page, 200, 12_000_000)
    b, kb = render_page_enlarged(page, 200, 12_000_000)
    assert a.shape == b.shape and abs(ka - kb) < 1e-9
    diff = np.abs(a.astype(int) - b.astype(int))
    assert diff.mean() < 3.0  # edges differ by a few grey levels, nothing moves
    ink_a, ink_b = a.min(axis=2) < 128, b.min(axis=2) < 128
    assert (ink_a != ink_b).mean() < 0.01


def test_pages_that_are_not_coarse_scans_are_rendered_by_mupdf(tmp_path):
    for name, dpi, text_page in (("fine.pdf", 300, False), ("text.pdf", 0, True)):
        path = tmp_path / name
        _scan(path, dpi, text_page=text_page)
        page = pymupdf.open(path)[0]
        a, ka = render_page(page, 200, 12_000_000)
        b, kb = render_page_enlarged(page, 200, 12_000_000)
        assert ka == kb and (a == b).all()
