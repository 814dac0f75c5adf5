"""The workbench re-reads a blind copy the pipeline called safe; a surviving identity string
(text layer, or pixels read by OCR) makes it unassignable, and the refusal names page and string."""
from __future__ import annotations

import json

import pymupdf
import pytest

from workbench.review import rules
from workbench.review.importer import import_batch
from workbench.review.models import Bundle

pytestmark = pytest.mark.ocr


def _stamp_name_as_pixels(pdf, page_no: int, name: str) -> None:
    """Draw ``name`` into a picture on the page (no text layer), as a signature would be."""
    pic = pymupdf.open()
    p = pic.new_page(width=120, height=40)
    p.insert_text((10, 28), name, fontname="china-s", fontsize=22)
    png = p.get_pixmap(dpi=200).tobytes("png")
    doc = pymupdf.open(pdf)
    doc[page_no - 1].insert_image(pymupdf.Rect(300, 400, 420, 440), stream=png)
    doc.saveIncr()
    doc.close()


def test_a_signature_left_in_a_safe_copy_blocks_assignment(out_dir, db, settings, group):
    settings.WORKBENCH_RECHECK = True
    _stamp_name_as_pixels(out_dir / "T-001" / "anonymized.pdf", 2, "钱多多")
    import_batch(out_dir)
    b = Bundle.objects.get(bundle_id="T-001")
    assert not b.anonymized_safe
    leaks = b.anonymized_detail["workbench_check"]["leaks"]
    assert {"page": 2, "source": "ocr", "what": "钱多多"} in leaks
    reasons = rules.assign_refusal(group, b)
    assert any("第2页仍可读出“钱多多”" in r for r in reasons)


def test_a_clean_copy_passes_the_recheck(out_dir, db, settings):
    settings.WORKBENCH_RECHECK = True
    import_batch(out_dir)
    b = Bundle.objects.get(bundle_id="T-001")
    assert b.anonymized_safe
    chk = b.anonymized_detail["workbench_check"]
    assert chk["leaks"] == [] and chk["pages"] == 3
    assert json.dumps(chk)  # stored as JSON


def test_the_recheck_reads_the_pixels_experts_are_served(out_dir, db, settings, tmp_path):
    """The page OCR'd is the PNG ``blind.page_png`` serves, pixel for pixel."""
    import cv2
    import numpy as np

    from workbench.review import blind, recheck

    settings.RENDER_CACHE = str(tmp_path / "render")
    import_batch(out_dir)
    b = Bundle.objects.get(bundle_id="T-001")
    with pymupdf.open(out_dir / "T-001" / "anonymized.pdf") as doc:
        for no in (1, 2):
            served = cv2.imdecode(np.frombuffer(blind.page_png(b, no, zoom=recheck.ZOOM), np.uint8), cv2.IMREAD_COLOR)
            read = recheck.served_pixels(doc[no - 1])
            assert served.shape == read.shape and (served == read).all()
