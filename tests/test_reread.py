"""The second, closer reading of one box (pipeline/reread.py) on a real raster."""
from __future__ import annotations

import pymupdf
import pytest

from pipeline.reread import Rereader
from pipeline.types import Page


def _scan_pdf(path, text: str) -> tuple:
    """A one-page 'scan': the text rendered, rasterised, and placed as an image only."""
    src = pymupdf.open()
    pg = src.new_page(width=300, height=120)
    pg.insert_text((40, 60), text, fontsize=14, fontname="helv")
    pix = pg.get_pixmap(dpi=200)
    doc = pymupdf.open()
    out = doc.new_page(width=300, height=120)
    out.insert_image(out.rect, pixmap=pix)
    doc.save(str(path))
    return (35.0, 45.0, 200.0, 66.0)


@pytest.mark.ocr
def test_reads_a_scanned_box_again(tmp_path):
    pdf = tmp_path / "scan.pdf"
    box = _scan_pdf(pdf, "2022-05-09 16:36")
    scan = Page(no=1, source="ocr", width=300.0, height=120.0)
    rr = Rereader(pdf, [scan])
    got = rr(1, box)
    assert got is not None and "2022-05-09" in got and "16:36" in got
    assert rr(1, box) == got and rr.calls == 1  # memoised
    rr.close()


def test_text_layer_and_unknown_pages_are_not_reread(tmp_path):
    pdf = tmp_path / "scan.pdf"
    box = _scan_pdf(pdf, "2022-05-09 16:36")
    rr = Rereader(pdf, [Page(no=1, source="text", width=300.0, height=120.0)])
    assert rr(1, box) is None and rr(2, box) is None and rr(1, None) is None and rr.calls == 0
