"""The OCR engine seam: pages, the re-reader and the anonymizer's region reading take
any ``OcrEngine``; the RapidOCR implementation satisfies the protocol and keeps the
cache fingerprint it always had."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from pipeline import ocr_engine
from pipeline.anonymize.reocr import read_regions
from pipeline.ocr_engine import OcrEngine, RapidOcrEngine, Segment, engine_fingerprint, get_engine
from pipeline.pages import PageSettings, extract_page
from pipeline.reread import Rereader
from pipeline.types import Page

TEXT = "假引擎读出的文字"


class FakeEngine:
    """Reads ``TEXT`` in one box (raster pixels 40..440 × 40..90) of any raster."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: dict[str, int] = {"detect": 0, "crop": 0, "recognize": 0, "read": 0}

    def fingerprint(self) -> str:
        return "fake|1"

    def _quad(self, img: np.ndarray) -> np.ndarray:
        h, w = img.shape[:2]
        x1, y1 = min(w - 1, 440), min(h - 1, 90)
        return np.array([[40, 40], [x1, 40], [x1, y1], [40, y1]], dtype=np.float32)

    def detect(self, img: np.ndarray) -> np.ndarray:
        self.calls["detect"] += 1
        return self._quad(img)[None]

    def crop(self, img: np.ndarray, quad: np.ndarray) -> np.ndarray:
        self.calls["crop"] += 1
        q = np.asarray(quad).astype(int)
        return np.ascontiguousarray(img[q[:, 1].min(): q[:, 1].max(), q[:, 0].min(): q[:, 0].max()])

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        self.calls["recognize"] += 1
        return [(TEXT, 0.9) for _ in crops]

    def read(self, img: np.ndarray) -> list[Segment]:
        self.calls["read"] += 1
        return [Segment(text=TEXT, score=0.9, quad=self._quad(img).astype(float))]


def _scan_pdf(path: Path) -> None:
    """One A4 page that is only an image (a scan): no text layer, so it is OCR'd."""
    import pymupdf

    src = pymupdf.open()
    p = src.new_page(width=595, height=842)
    p.draw_rect(pymupdf.Rect(50, 50, 300, 80), color=(0, 0, 0), fill=(0, 0, 0))
    pix = p.get_pixmap(dpi=100)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=pix.tobytes("png"))
    doc.save(str(path))


def test_fake_engine_satisfies_the_protocol() -> None:
    assert isinstance(FakeEngine(), OcrEngine)
    assert not isinstance(object(), OcrEngine)


def test_pages_stage_reads_through_the_engine_it_is_given(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    _scan_pdf(pdf)
    fake = FakeEngine()
    page = extract_page(pdf, 1, PageSettings(dpi=100), engine=fake)
    assert page.error is None and page.source == "ocr", page
    assert page.text == TEXT and page.rotation == 0
    # An upright page: one detection, whose boxes give the orientation test and are recognized
    assert fake.calls["detect"] == 1 and fake.calls["recognize"] >= 1 and fake.calls["read"] == 0
    # the box comes back in page points: raster pixels / (100 dpi / 72)
    x0, y0, x1, y1 = page.lines[0].bbox
    assert (x0, y0) == pytest.approx((40 * 0.72, 40 * 0.72), abs=0.5)
    assert (x1, y1) == pytest.approx((440 * 0.72, 90 * 0.72), abs=0.5)


def test_rereader_reads_through_the_engine_it_is_given(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    _scan_pdf(pdf)
    fake = FakeEngine()
    rr = Rereader(pdf, [Page(no=1, source="ocr", width=595.0, height=842.0)], engine=fake)
    assert rr(1, (50.0, 50.0, 300.0, 80.0)) == TEXT
    assert rr(1, (50.0, 50.0, 300.0, 80.0)) == TEXT and fake.calls["read"] == 1 and rr.calls == 1  # memoised
    rr.close()


def test_anonymizer_region_reading_takes_the_engine(tmp_path: Path) -> None:
    import pymupdf

    pdf = tmp_path / "scan.pdf"
    _scan_pdf(pdf)
    fake = FakeEngine()
    with pymupdf.open(str(pdf)) as doc:
        page = read_regions(doc[0], [(40.0, 40.0, 320.0, 100.0)], no=1, engine=fake)
    assert page.text == TEXT and fake.calls["read"] == 1


def test_get_engine_names_the_engine_in_one_place(monkeypatch) -> None:
    made = []

    def factory(threads: int) -> FakeEngine:
        made.append(threads)
        return FakeEngine()

    monkeypatch.setitem(ocr_engine.ENGINES, "fake", (factory, lambda: "fake|1"))
    monkeypatch.setattr(ocr_engine, "_LOADED", {})
    eng = get_engine(3, name="fake")
    assert isinstance(eng, FakeEngine) and get_engine(3, name="fake") is eng and made == [3]
    assert engine_fingerprint("fake") == "fake|1"


def test_rapidocr_fingerprint_keeps_its_form() -> None:
    # the page cache key: changing it would re-OCR every cached page
    fp = engine_fingerprint("rapidocr")
    assert re.fullmatch(r"rapidocr\|[^|]+\|[^|]+\|cls:[0-9a-f]{16}\|det:[0-9a-f]{16}\|rec:[0-9a-f]{16}", fp), fp


def test_openvino_fingerprint_names_backend_and_effective_precision(monkeypatch) -> None:
    """Another backend or precision reads differently: its pages must not be served from
    another one's cache entries; a CPU without bf16 computes f32 and must say so."""
    monkeypatch.delenv("BUNDLECHECK_OCR_ENGINE", raising=False)
    assert ocr_engine.default_engine() == "rapidocr-openvino"
    fp, f32, ort = engine_fingerprint(), engine_fingerprint("rapidocr-openvino-f32"), engine_fingerprint("rapidocr")
    assert len({fp, f32, ort}) == 3
    assert fp.startswith("rapidocr-openvino|") and "det=f32" in fp and re.search(r"rec=(bf16|f32)", fp)
    assert "rec=f32" in f32
    monkeypatch.setattr(ocr_engine, "_ov_capabilities", lambda: ("FP32", "INT8"))
    ocr_engine._rapidocr_fingerprint.cache_clear()
    try:
        assert "rec=f32" in engine_fingerprint()
    finally:
        ocr_engine._rapidocr_fingerprint.cache_clear()


def test_engine_chosen_by_environment(monkeypatch) -> None:
    monkeypatch.setenv("BUNDLECHECK_OCR_ENGINE", "rapidocr")
    assert engine_fingerprint() == engine_fingerprint("rapidocr")
    monkeypatch.setenv("BUNDLECHECK_OCR_ENGINE", "tesseract")
    with pytest.raises(ValueError, match="unknown OCR engine"):
        ocr_engine.default_engine()


@pytest.mark.ocr
def test_rapidocr_engine_satisfies_the_protocol() -> None:
    eng = get_engine(1)
    assert isinstance(eng, RapidOcrEngine) and isinstance(eng, OcrEngine)
    assert eng.fingerprint() == engine_fingerprint()
    assert get_engine(1, name="rapidocr").fingerprint() == engine_fingerprint("rapidocr")
    img = np.full((120, 600, 3), 255, np.uint8)
    import cv2

    cv2.putText(img, "HELLO 2022", (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (0, 0, 0), 4)
    quads = eng.detect(img)
    assert quads.shape[1:] == (4, 2) and len(quads) >= 1
    reads = eng.recognize([eng.crop(img, q) for q in quads])
    assert len(reads) == len(quads) and all(isinstance(t, str) and 0 <= s <= 1 for t, s in reads)
    segs = eng.read(img)
    assert segs and "2022" in "".join(s.text for s in segs) and segs[0].quad.shape == (4, 2)
