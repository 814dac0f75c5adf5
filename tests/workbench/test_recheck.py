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
