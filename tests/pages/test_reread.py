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


def test_photo_watermark_read_again_wins_when_it_parses():
    from extractors.forms.photos import _read_stamp
    from extractors.layout import Cell, PageGrid
    from extractors.registry import Ctx

    scan = Page(no=7, source="ocr", width=595.0, height=842.0)
    g = PageGrid(page=scan, cells=[], lines=[])
    c = Cell(text="2022C€1511:27", bbox=(200.0, 260.0, 290.0, 272.0), page=7, conf=0.9)
    asked = []

    def rr(page, bbox):
        asked.append((page, bbox))
        return "2022-04-1511:27"

    ctx = Ctx(section="photos", grids=[g], rereader=rr)
    assert _read_stamp(ctx, g, c)[0] == "2022-04-15T11:27" and asked == [(7, c.bbox)]
    # no re-reader: the first reading (unparseable here) stands
    assert _read_stamp(Ctx(section="photos", grids=[g]), g, c)[0] is None
    # a text layer is never re-read
    txt = PageGrid(page=Page(no=7, source="text", width=595.0, height=842.0), cells=[], lines=[])
    c2 = Cell(text="2022-04-15 11:27", bbox=c.bbox, page=7)
    assert _read_stamp(ctx, txt, c2)[0] == "2022-04-15T11:27" and len(asked) == 1


@pytest.mark.ocr
def test_readings_are_shared_by_every_rereader_of_one_file(tmp_path):
    # the records stage and the checks stage each make a Rereader: a box the first
    # read is not OCR'd again by the second
    pdf = tmp_path / "scan.pdf"
    box = _scan_pdf(pdf, "2022-05-09 16:36")
    scan = Page(no=1, source="ocr", width=300.0, height=120.0)
    first = Rereader(pdf, [scan])
    got = first(1, box)
    first.close()
    second = Rereader(pdf, [scan])
    assert second(1, box) == got and second.calls == 0
    second.close()
