"""Photo records (extractors/forms/photos.py): a watermark OCR'd from a photo on a
text-layer page is read a second time through the re-reader (``images=True``), and the
second reading is kept beside the first; pipeline/reread.py reads such boxes only when
asked and only where the page has image text."""
from __future__ import annotations

from pathlib import Path

from extractors import extract_records
from pipeline.reread import ReadSegment, Rereader
from pipeline.types import Line, Page, Section
from tests.synth import H, W

STAMP_BOX = (300.0, 250.0, 380.0, 260.0)


def _photo_page(stamp: str = "2022-06-14 09:03") -> Page:
    lines = (
        Line(text="外业照片登记", raw="外业照片登记", bbox=(220.0, 50.0, 380.0, 70.0)),
        Line(text=stamp, raw=stamp, bbox=STAMP_BOX, origin="image", conf=0.99),
        Line(text="图1 车间门口", raw="图1 车间门口", bbox=(300.0, 266.0, 400.0, 278.0)),
    )
    return Page(no=1, source="text", width=W, height=H, lines=lines)


def _photos(rereader):
    secs = [Section(type="photos", pages=(1,))]
    return extract_records([_photo_page()], secs, rereader=rereader).photos


def test_a_text_layer_watermark_is_read_twice():
    calls = []

    def rr(page, bbox, images=False, **kw):
        calls.append((page, images))
        return "2022-06-14 09:03" if images else None

    (p,) = _photos(rr)
    assert p.timestamp.value == "2022-06-14T09:03" and p.timestamp_again.value == "2022-06-14T09:03"
    assert calls == [(1, True)]
    # a re-reader of scans only (no images keyword): read once, nothing breaks
    (p,) = _photos(lambda page, bbox: "2022-06-14 09:03")
    assert p.timestamp.ok and not p.timestamp_again.ok


def test_rereader_reads_image_text_on_a_text_page_only_when_asked(monkeypatch):
    page = _photo_page()
    rr = Rereader(Path("unused.pdf"), [page])
    monkeypatch.setattr(rr, "_read", lambda *a, **k: [ReadSegment("2022-06-14 09:03", 0.99, ())])
    assert rr(1, STAMP_BOX) is None  # a text layer is exact: not read again by default
    assert rr(1, STAMP_BOX, images=True) == "2022-06-14 09:03"
    assert rr(1, (50.0, 600.0, 120.0, 620.0), images=True) is None  # no image text there
