"""Issue 6: blind-review copies — find, apply, verify (pipeline/anonymize)."""
from __future__ import annotations

import hashlib
import io
import random
import re
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from pipeline.anonymize import (anonymize_pdf, build_identity, check_institution_copy, find_in_text,
                                leak_findings, verify_pdf)
from pipeline.anonymize.identity import match_key
from pipeline.anonymize.seals import find_seals
from pipeline.anonymize.verify import strings_in
from pipeline.types import Line, Page, Word
from tests.spec_example import INSTITUTION

INST = {**INSTITUTION, "staff": [{"name": "张伟", "roles": ["采样"]}, {"name": "赵敏", "roles": ["检验"]}]}
EMPLOYER = {"name": "河南某某铸造有限公司"}
IDS = build_identity(INST, EMPLOYER)


# ------------------------------------------------------------------ variants (table-driven)
@pytest.mark.parametrize("text, expect", [
    ("受托方：河南安正检测技术有限公司", ["name"]),
    ("河南安正检测技术", ["name"]),                      # without 有限公司
    ("安正检测技术有限公司", ["name"]),                  # without the province
    ("河南安正检侧技木有限公司", ["name"]),              # two OCR misreadings
    ("ＡＺＪＣ－２０２２", ["alias"]),                   # full-width
    ("豫卫职技字[2021]第0012号", ["certificate_no"]),
    ("豫卫职技字【2021】第0012号", ["certificate_no"]),
    ("豫卫职技字(2021)第0012号", ["certificate_no"]),
    ("电话：037165551234", ["phone"]),
    ("电话：(0371)65551234", ["phone"]),
    ("电话：0371－65551234", ["phone"]),
    ("电话 65551234", ["phone"]),
    ("实验室：郑州市金水区文化路88号3楼", ["lab_address"]),
    ("qc@azjc-example.cn", ["email"]),
    ("www.azjc-example.cn", ["website"]),
    ("法定代表人：周明", ["legal_rep"]),
    # must survive
    ("委托方：河南某某铸造有限公司", []),
    ("采样人：张伟 赵敏", []),
    ("样品编号 S2206140765551234", []),               # digits inside a longer number
    ("检测技术有限公司", []),
    ("河南", []),
])
def test_variants(text, expect):
    assert [h.term.field for h in find_in_text(text, IDS)] == expect


def test_employer_name_survives_fuzzy():
    ids = build_identity({"name": "河南XX检测技术有限公司"}, {"name": "河南XX铸造有限公司"})
    assert find_in_text("用人单位：河南XX铸造有限公司", ids) == []
    assert [h.term.field for h in find_in_text("河南XX检测技术有限公司", ids)] == ["name"]


def test_hide_staff_option():
    ids = build_identity(INST, EMPLOYER, hide_staff=True)
    assert {h.found for h in find_in_text("采样人：张伟 赵敏", ids)} == {"张伟", "赵敏"}


def test_match_key_folds_forms():
    assert match_key("〔２０２１〕 ０３７１－６５") == "(2021)0371-65"


# ------------------------------------------------------------------ born-digital fixture
def _leaky_pdf(path: Path) -> None:
    """A text PDF carrying the name in every channel a blind copy can leak through."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 40), "河南安正检测技术有限公司  电话：0371-65551234", fontname="china-s", fontsize=10)
    page.insert_text((50, 100), "用人单位：河南某某铸造有限公司", fontname="china-s", fontsize=11)
    page.insert_text((50, 130), "样品编号：S22061407  采样日期：2022-06-14  浓度 0.35 mg/m3", fontname="china-s", fontsize=11)
    page.insert_text((50, 160), "采样人：张伟  复核人：赵敏", fontname="china-s", fontsize=11)
    page.insert_text((50, 190), "证书编号：豫卫职技字〔2021〕第0012号", fontname="china-s", fontsize=11)
    annot = page.add_text_annot((300, 300), "审核：河南安正检测技术有限公司")
    annot.set_info(title="安正检测")
    annot.update()
    w = pymupdf.Widget()
    w.field_name = "inst"
    w.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    w.field_value = "河南安正检测技术有限公司"
    w.rect = pymupdf.Rect(50, 400, 300, 420)
    page.add_widget(w)
    doc.set_metadata({"author": "河南安正检测技术有限公司", "title": "检测报告"})
    doc.set_xml_metadata('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                         '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>河南安正检测技术有限公司'
                         '</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>')
    doc.embfile_add("inst.txt", "河南安正检测技术有限公司".encode("utf-8"), filename="安正检测.txt")
    doc.set_toc([[1, "河南安正检测技术有限公司 报告", 1]])
    doc.save(path)
    doc.close()


def _text_pages(path: Path) -> list[Page]:
    from pipeline.pages import extract_pages

    return extract_pages(path, cache_dir=None, workers=0, ocr=False)


def test_verifier_sees_every_channel(tmp_path):
    src = tmp_path / "leaky.pdf"
    _leaky_pdf(src)
    rep = verify_pdf(src, IDS, ocr=False, seals=False)
    channels = {lk.channel for lk in rep.leaks}
    assert {"text", "metadata", "xmp", "annotation", "widget", "embedded", "outline", "object"} <= channels


def test_text_layer_removal_is_real(tmp_path):
    src = tmp_path / "leaky.pdf"
    _leaky_pdf(src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out" / "anonymized.pdf"
    res = anonymize_pdf(src, _text_pages(src), INST, out, employer=EMPLOYER, ocr=False)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # original untouched
    assert res.written and res.safe, res.leaks
    data = out.read_bytes()
    # One revision only.
    assert data.count(b"%%EOF") == 1 and data.count(b"startxref") == 1
    doc = pymupdf.open(out)
    text = "".join(p.get_text() for p in doc)
    assert "安正" not in text and "65551234" not in text and "0012号" not in text
    # Kept: employer, sample id, date, value, staff.
    for keep in ("河南某某铸造有限公司", "S22061407", "2022-06-14", "0.35", "张伟", "赵敏"):
        assert keep in text, keep
    assert not any(doc.metadata.get(k) for k in ("author", "title", "creator", "producer"))
    assert not doc.get_xml_metadata()
    assert doc.embfile_count() == 0 and doc.get_toc() == []
    assert not list(doc[0].annots()) and not list(doc[0].widgets())
    # Raw objects decoded (hex/CID strings included) carry nothing.
    for xref in range(1, doc.xref_length()):
        for s in strings_in(doc.xref_object(xref).encode()):
            assert not find_in_text(s, IDS, fuzzy=False), (xref, s)
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        assert "安正" not in (pdf.pages[0].extract_text() or "")


def test_incremental_revision_is_caught(tmp_path):
    """An incremental save keeps the old revision: cutting at the first %%EOF brings the name back."""
    src = tmp_path / "rev.pdf"
    doc = pymupdf.open()
    doc.new_page().insert_text((50, 50), "河南安正检测技术有限公司", fontname="china-s")
    doc.save(src)
    doc.close()
    doc = pymupdf.open(src)
    doc[0].add_redact_annot(doc[0].search_for("河南安正检测技术有限公司")[0] if doc[0].search_for("河南安正检测技术有限公司") else doc[0].rect)
    doc[0].apply_redactions()
    doc.saveIncr()
    doc.close()
    rep = verify_pdf(src, IDS, ocr=False, seals=False)
    assert any(lk.channel.startswith("revision") for lk in rep.leaks)


def test_hidden_layer_text_removed(tmp_path):
    src = tmp_path / "ocg.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    ocg = doc.add_ocg("hidden", on=False)
    page.insert_text((50, 80), "河南安正检测技术有限公司", fontname="china-s", oc=ocg)
    page.insert_text((50, 120), "样品编号：S22061407", fontname="china-s")
    doc.save(src)
    doc.close()
    out = tmp_path / "a.pdf"
    res = anonymize_pdf(src, _text_pages(src), INST, out, employer=EMPLOYER, ocr=False)
    assert res.safe, res.leaks
    d = pymupdf.open(out)
    assert "安正" not in d[0].get_text() and "S22061407" in d[0].get_text()


# ------------------------------------------------------------------ seals
def _seal_page(path: Path, name: str, *, grey: bool = False) -> None:
    from samples.render.ink import seal_png

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 90), "检测报告  样品编号 S22061407", fontname="china-s", fontsize=12)
    png = seal_png(name, "检验检测专用章", random.Random(3))
    page.insert_image(pymupdf.Rect(380, 600, 498, 718), stream=png)
    if grey:
        pix = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
        doc2 = pymupdf.open()
        p2 = doc2.new_page()
        p2.insert_image(p2.rect, pixmap=pix)
        doc2.save(path)
        return
    doc.save(path)


@pytest.mark.parametrize("grey", [False, True])
def test_seal_detected(tmp_path, grey):
    from pipeline.anonymize.seals import render

    src = tmp_path / "seal.pdf"
    _seal_page(src, INST["name"], grey=grey)
    doc = pymupdf.open(src)
    img, k = render(doc[0], 150)
    seals = find_seals(img, k)
    assert len(seals) == 1
    s = seals[0]
    assert abs(s.cx - 439) < 6 and abs(s.cy - 659) < 6 and 50 < s.r < 62


@pytest.mark.ocr
def test_seal_owner_read_round_the_ring(tmp_path):
    from pipeline.anonymize.seals import classify_seal, read_ring, render

    for owner, name in (("institution", INST["name"]), ("employer", EMPLOYER["name"])):
        src = tmp_path / f"{owner}.pdf"
        _seal_page(src, name)
        img, k = render(pymupdf.open(src)[0], 150)
        (s,) = find_seals(img, k)
        assert classify_seal(read_ring(img, k, s), IDS.owners)[0] == owner


@pytest.mark.ocr
@pytest.mark.parametrize("mode", ["erase", "cover"])
def test_seal_covered_in_our_copy(tmp_path, mode):
    src = tmp_path / "seal.pdf"
    _seal_page(src, INST["name"])
    out = tmp_path / "a.pdf"
    res = anonymize_pdf(src, _text_pages(src), INST, out, employer=EMPLOYER, ocr=False, seal_mode=mode)
    assert res.stats["seals"] == 1
    rep = verify_pdf(out, IDS, ocr=False, seals=True)
    assert not [lk for lk in rep.leaks if lk.channel == "seal"]
    assert "S22061407" in pymupdf.open(out)[0].get_text()


@pytest.mark.parametrize("grey", [False, True])
def test_seal_erased_in_pixels(tmp_path, grey):
    """A scanned page: the seal's ink goes, black print under it stays."""
    from pipeline.anonymize.apply import PagePlan, paint_raster
    from pipeline.anonymize.seals import render

    src = tmp_path / "seal.pdf"
    _seal_page(src, INST["name"], grey=grey)
    img, k = render(pymupdf.open(src)[0], 150)
    seals = find_seals(img, k)
    paint_raster(img, k, PagePlan(1, "raster", seals=seals, seal_mode="erase"))
    assert find_seals(img, k) == []
    x0, y0, x1, y1 = (int(v * k) for v in seals[0].bbox)
    disc = img[y0:y1, x0:x1]
    assert (disc.min(axis=2) < 200).mean() < 0.01  # nothing of the ring left


# ------------------------------------------------------------------ scanned page (OCR)
def _scan_pdf(path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((60, 60), "河南安正检测技术有限公司", fontname="china-s", fontsize=16)
    page.insert_text((60, 140), "用人单位：河南某某铸造有限公司", fontname="china-s", fontsize=14)
    page.insert_text((60, 180), "样品编号：S22061407  采样日期：2022-06-14", fontname="china-s", fontsize=14)
    page.insert_text((60, 220), "联系电话：0371-65551234", fontname="china-s", fontsize=14)
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    p = scan.new_page()
    p.insert_image(p.rect, stream=pix.tobytes("jpeg", jpg_quality=85))
    scan.save(path)


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_page_pixels_blacked_out(tmp_path):
    from pipeline.pages import extract_pages

    src = tmp_path / "scan.pdf"
    _scan_pdf(src)
    pages = extract_pages(src, cache_dir=None, workers=0)
    assert find_in_text(pages[0].text, IDS)  # the original shows it
    out = tmp_path / "a.pdf"
    res = anonymize_pdf(src, pages, INST, out, employer=EMPLOYER, workers=0)
    assert res.safe, res.leaks
    # The changed page was read again: re-read against the original (only the boxes
    # whose pixels changed, or that the original's OCR did not read, are recognized).
    assert res.report.reread_pages == 1 and res.report.ocr_pages == 0
    recognized, boxes = res.report.reread_boxes
    assert 1 <= recognized < boxes
    again = extract_pages(out, cache_dir=None, workers=0)
    text = again[0].text
    assert not find_in_text(text, IDS)
    assert "铸造有限公司" in text and "S22061407" in text
    # Really in the pixels: a dark box where the name was.
    doc = pymupdf.open(out)
    assert len(doc[0].get_images()) == 1 and not doc[0].get_text().strip()


# ------------------------------------------------------------------ institution copies
def _generated(tmp_path: Path, leaks: list[str]):
    from samples.render import render_bundle
    from samples.scenario import build_scenario, submission_dict
    from samples.truth import identity_printed

    s = build_scenario(5, 0, scanned=False, page_target=None)
    s.anonymized.present = True
    s.anonymized.leaks = leaks
    rb = render_bundle(s, anonymized=True)
    path = tmp_path / f"anon-{'-'.join(leaks) or 'clean'}.pdf"
    path.write_bytes(rb.pdf)
    sub = submission_dict(s)
    return path, sub, identity_printed(s, rb)


@pytest.mark.slow
@pytest.mark.ocr
def test_institution_copy_each_channel_and_clean(tmp_path):
    channels = ["seal", "footer", "letterhead", "metadata", "body_text", "certificate_page"]
    path, sub, printed = _generated(tmp_path, channels)
    rep = check_institution_copy(path, sub["institution"], employer=sub["employer"], ocr=False)
    leak_pages = {lk.page for lk in rep.leaks}
    for x in printed:
        if x["channel"] == "metadata":
            assert any(lk.channel in ("metadata", "xmp", "object") for lk in rep.leaks)
        else:
            assert set(x["pages"]) <= leak_pages, x
    findings = leak_findings(rep.leaks)
    assert findings and all(f.code == "anonymized.leak" and f.indicator is None and not f.veto for f in findings)
    assert all(ev.file == "anonymized.pdf" for f in findings for ev in f.evidence)
    assert any("仍可见机构名称" in f.message for f in findings)
    # One finding per leaked string, not per page.
    assert len(findings) <= len({(lk.term, lk.field) for lk in rep.leaks}) + 1

    clean, sub, printed = _generated(tmp_path, [])
    assert printed == []
    rep = check_institution_copy(clean, sub["institution"], employer=sub["employer"], ocr=False)
    assert rep.leaks == [], rep.leaks[:5]
    assert leak_findings(rep.leaks) == []


def test_leak_findings_grouped_per_string():
    from pipeline.anonymize.verify import Leak

    leaks = [Leak("text", p, (50, 20, 200, 30), "河南安正检测技术有限公司", INST["name"], "name") for p in range(1, 31)]
    leaks.append(Leak("seal", 3, (1, 2, 3, 4), "印章", INST["name"], "name"))
    fs = leak_findings(leaks, page_heights={p: 842.0 for p in range(1, 31)})
    assert len(fs) == 2
    name = next(f for f in fs if "机构名称" in f.message)
    assert len(name.evidence) == 30 and "页眉" in name.message
    assert name.message.startswith("隐去机构信息的副本第1、2、3")


# ------------------------------------------------------------------ re-reading a copy against its original
def _scan_page_pdf(path: Path, lines: list[tuple[float, str]], *, seed_noise: int = 0) -> None:
    """A one-page grey JPEG scan of the given lines (y, text)."""
    doc = pymupdf.open()
    page = doc.new_page()
    for y, t in lines:
        page.insert_text((60, y), t, fontname="china-s", fontsize=14)
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    scan = pymupdf.open()
    p = scan.new_page()
    p.insert_image(p.rect, stream=pix.tobytes("jpeg", jpg_quality=85))
    scan.save(path)


_LINES = [(60, "检测报告"), (140, "用人单位：河南某某铸造有限公司"), (180, "样品编号：S22061407  采样日期：2022-06-14"),
          (220, "检测结论：合格")]


def test_unchanged_scan_page_kept_pixel_identical_and_painted_one_only_in_its_boxes(tmp_path):
    """Kept pages carry the original image bytes at the original placement (same pixels,
    so the original's OCR stands for them); painted pages keep the original's pixels
    outside the painted boxes to within re-encoding noise."""
    from pipeline.anonymize.apply import PagePlan, apply_plan
    from pipeline.anonymize.find import Span
    from pipeline.anonymize.reocr import DIFF_LEVEL, _render, changed_mask

    src = tmp_path / "scan.pdf"
    _scan_page_pdf(src, _LINES)
    for plan, how in ((PagePlan(1, "raster"), "kept"),
                      (PagePlan(1, "raster", [Span(1, (55, 165, 300, 185), None, "x", "ocr")]), "repainted")):
        out = tmp_path / f"{how}.pdf"
        stats = apply_plan(src, {1: plan}, out)
        assert stats["rebuilt"] == {1: how}
        a, k = _render(pymupdf.open(out)[0], 200)
        b, _ = _render(pymupdf.open(src)[0], 200)
        mask = changed_mask(a, b, k, grow_pt=0.0)
        if how == "kept":
            assert not mask.any() and np.array_equal(a, b)
        else:
            ys, xs = np.nonzero(mask)
            assert mask.any()
            # Every changed pixel lies in the painted box (plus its 1 pt pad, and the
            # renderer's resampling: a pixel or two).
            assert xs.min() >= int(54 * k) - 3 and xs.max() <= int(301 * k) + 3
            assert ys.min() >= int(164 * k) - 3 and ys.max() <= int(186 * k) + 3
            d = np.abs(a.astype(int) - b).max(axis=2)
            d[int(164 * k) - 3:int(186 * k) + 4, int(54 * k) - 3:int(301 * k) + 4] = 0
            assert d.max() <= DIFF_LEVEL


@pytest.mark.ocr
@pytest.mark.slow
def test_reread_reads_every_changed_pixel_whatever_the_plan(tmp_path):
    """The original's reading is reused only for boxes whose pixels did not change: a copy
    showing the name where the original showed the employer is read, not assumed."""
    from pipeline.anonymize import Reference
    from pipeline.pages import extract_pages

    src = tmp_path / "orig.pdf"
    _scan_page_pdf(src, _LINES)
    pages = extract_pages(src, cache_dir=None, workers=0)
    assert "铸造" in pages[0].text and not find_in_text(pages[0].text, IDS)
    tampered = tmp_path / "tampered.pdf"
    _scan_page_pdf(tampered, [(y, "用人单位：河南安正检测技术有限公司" if y == 140 else t) for y, t in _LINES])
    rep = verify_pdf(tampered, IDS, reference=Reference(src, {1: pages[0]}), workers=0)
    assert rep.reread_pages == 1 and rep.ocr_pages == 0
    assert [lk.field for lk in rep.leaks if lk.channel == "ocr"] == ["name"], rep.leaks
    recognized, boxes = rep.reread_boxes
    assert 1 <= recognized < boxes  # the unchanged lines kept the original's reading

    # The same pixels: nothing recognized, the original's reading stands whole.
    rep = verify_pdf(src, IDS, reference=Reference(src, {1: pages[0]}), workers=0)
    assert rep.reread_boxes[0] == 0 and not rep.leaks
    assert "S22061407" in "".join(rep.page_text[1])


@pytest.mark.ocr
def test_reread_registers_a_copy_scanned_anew_and_reads_only_what_changed(tmp_path):
    """A copy scanned anew lies shifted on the page: it is registered on the original and
    its unchanged lines keep the original's reading, moved to where the copy shows them
    (nothing recognized); a line the copy changed is read from the copy."""
    from pipeline.anonymize.reocr import reread_page

    src = tmp_path / "orig.pdf"
    _scan_page_pdf(src, _LINES)
    lines = tuple(Line(text=t, raw=t, bbox=(60.0, y - 14.0, 60.0 + 14.0 * len(t), y + 2.0), conf=0.95,
                       words=(Word(text=t, bbox=(60.0, y - 14.0, 60.0 + 14.0 * len(t), y + 2.0)),))
                  for y, t in _LINES)
    ref = Page(no=1, source="ocr", width=595.0, height=842.0, lines=lines)
    moved = tmp_path / "moved.pdf"
    _scan_page_pdf(moved, [(y + 9, t) for y, t in _LINES])
    rr = reread_page(pymupdf.open(moved)[0], pymupdf.open(src)[0], ref, no=1)
    assert rr is not None and rr.recognized == 0 and "registered" in rr.page.note
    assert [ln.text for ln in rr.page.lines] == [t for _, t in _LINES]
    assert all(abs(a.bbox[1] - b.bbox[1] - 9.0) < 1.5 for a, b in zip(rr.page.lines, lines))

    tampered = tmp_path / "tampered.pdf"
    _scan_page_pdf(tampered, [(y + 9, "用人单位：河南安正检测技术有限公司" if y == 140 else t) for y, t in _LINES])
    rr = reread_page(pymupdf.open(tampered)[0], pymupdf.open(src)[0], ref, no=1)
    assert rr is not None and 1 <= rr.recognized < rr.boxes
    assert find_in_text(rr.page.text, IDS)  # the name the copy shows is read, not assumed
    assert "S22061407" in rr.page.text


@pytest.mark.ocr
def test_institution_copy_rereads_queued_early_read_as_when_not(tmp_path):
    """The institution copy's re-reads queued while our copy is made (start_institution_check)
    give the report the check gives on its own: the same leaks, the same boxes read."""
    from pipeline.anonymize import start_institution_check
    from pipeline.pages import extract_pages

    src = tmp_path / "orig.pdf"
    _scan_page_pdf(src, _LINES)
    pages = extract_pages(src, cache_dir=None, workers=0)
    tampered = tmp_path / "tampered.pdf"
    _scan_page_pdf(tampered, [(y + 9, "用人单位：河南安正检测技术有限公司" if y == 140 else t) for y, t in _LINES])
    alone = check_institution_copy(tampered, INST, employer=EMPLOYER, original=src, original_pages=pages, workers=0)
    started = start_institution_check(tampered, original=src, original_pages=pages, workers=2)
    assert started.rereads is not None and list(started.rereads.keys) == [1]
    queued = check_institution_copy(tampered, INST, employer=EMPLOYER, original=src, original_pages=pages,
                                    workers=2, started=started)
    assert queued.reread_pages == alone.reread_pages == 1 and queued.ocr_pages == 0
    assert queued.reread_boxes == alone.reread_boxes
    assert [(lk.channel, lk.page, lk.field) for lk in queued.leaks] == \
        [(lk.channel, lk.page, lk.field) for lk in alone.leaks] == [("ocr", 1, "name")]


@pytest.mark.ocr
def test_reread_refuses_another_page(tmp_path):
    """A copy page that is not the original page (other lines) does not register: OCR'd whole."""
    from pipeline.anonymize.reocr import reread_page

    src = tmp_path / "orig.pdf"
    _scan_page_pdf(src, _LINES)
    other = tmp_path / "other.pdf"
    _scan_page_pdf(other, [(400 + 40 * i, "第三方检测机构复核意见及签字栏") for i in range(6)])
    fake = Page(no=1, source="ocr", width=595.0, height=842.0, lines=())
    assert reread_page(pymupdf.open(other)[0], pymupdf.open(src)[0], fake, no=1) is None


def test_institution_copy_identical_scan_pages_reuse_the_original_reading(tmp_path):
    """An institution copy page carrying the original's scan image byte for byte is the
    same pixels: the original's OCR is its reading (here it shows the name: a leak)."""
    src = tmp_path / "orig.pdf"
    _scan_page_pdf(src, _LINES)
    copy = tmp_path / "copy.pdf"
    doc = pymupdf.open(src)
    doc.set_metadata({"title": "blind"})
    doc.save(copy, garbage=4)  # rewritten file, same image bytes
    line = Line(text="河南安正检测技术有限公司", raw="河南安正检测技术有限公司", bbox=(60.0, 45.0, 260.0, 62.0), conf=0.9,
                words=(Word(text="河南安正检测技术有限公司", bbox=(60.0, 45.0, 260.0, 62.0)),))
    fake = Page(no=1, source="ocr", width=595.0, height=842.0, lines=(line,))
    rep = check_institution_copy(copy, INST, employer=EMPLOYER, original=src, original_pages=[fake], workers=0)
    assert rep.reused_pages == 1 and rep.ocr_pages == 0 and rep.reread_pages == 0
    assert [(lk.channel, lk.page, lk.field) for lk in rep.leaks] == [("ocr", 1, "name")]


def _red_letterhead_pdf(path: Path) -> None:
    """A colour scan (lossless) whose letterhead prints the name in pure red."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((120, 60), INST["name"], fontname="china-s", fontsize=20, color=(0.9, 0.0, 0.0))
    page.insert_text((60, 140), "用人单位：河南某某铸造有限公司", fontname="china-s", fontsize=14)
    page.insert_text((60, 180), "样品编号：S22061407  采样日期：2022-06-14", fontname="china-s", fontsize=14)
    pix = page.get_pixmap(dpi=200)
    scan = pymupdf.open()
    p = scan.new_page()
    p.insert_image(p.rect, stream=pix.tobytes("png"))
    scan.save(path)


@pytest.mark.ocr
@pytest.mark.slow
def test_red_letterhead_is_read_hidden_and_verified(tmp_path):
    """The page OCR whitens seal red, and a red letterhead with it: red print outside
    seals is read as it is, hidden in our copy and reported in an institution copy."""
    from pipeline.pages import extract_pages

    src = tmp_path / "red.pdf"
    _red_letterhead_pdf(src)
    pages = extract_pages(src, cache_dir=None, workers=0)
    assert not find_in_text(pages[0].text, IDS)  # the pages stage does not see it
    rep = verify_pdf(src, IDS, workers=0)  # read as an institution copy
    assert any(lk.where == "red print" and lk.field == "name" for lk in rep.leaks), rep.leaks
    out = tmp_path / "a.pdf"
    res = anonymize_pdf(src, pages, INST, out, employer=EMPLOYER, workers=0)
    assert res.safe, res.leaks
    seen = extract_pages(out, cache_dir=None, workers=0, red_suppression=False)  # an attacker keeps red
    assert not find_in_text(seen[0].text, IDS)
    assert "S22061407" in seen[0].text


def test_verifier_ocr_takes_scan_pages_as_they_are(tmp_path, monkeypatch):
    """A page without text is handed to the page OCR as it is (its image bytes, rendered
    once, by the worker); a page with text is rasterized first, so its pixels are read."""
    import pipeline.anonymize.verify
    from pipeline.anonymize.verify import _ocr_pages

    src = tmp_path / "mixed.pdf"
    _scan_page_pdf(src, _LINES)
    doc = pymupdf.open(src)
    doc.new_page().insert_text((60, 60), "河南安正检测技术有限公司", fontname="china-s")
    doc.saveIncr()
    jpeg = doc.xref_stream_raw(doc[0].get_images()[0][0])
    doc.close()
    seen = {}

    def fake_extract(path, **kw):
        d = pymupdf.open(path)
        seen["pages"] = [(p.get_text().strip(), [d.xref_stream_raw(im[0]) for im in p.get_images()]) for p in d]
        seen["dpi"] = kw.get("dpi")
        return [Page(no=i + 1, source="ocr", width=595.0, height=842.0) for i in range(d.page_count)]

    monkeypatch.setattr(pipeline.anonymize.verify, "extract_pages", fake_extract)
    got = _ocr_pages(src, [1, 2], cache_dir=None, workers=0)
    assert sorted(got) == [1, 2] and seen["dpi"] == 200
    (t1, imgs1), (t2, imgs2) = seen["pages"]
    assert t1 == "" and imgs1 == [jpeg]  # the scan itself, not a re-rendered copy
    assert t2 == "" and len(imgs2) == 1 and imgs2[0] != jpeg  # text page: its raster


def _name_picture(text: str, fontsize: float = 20) -> "pymupdf.Pixmap":
    d = pymupdf.open()
    p = d.new_page(width=320, height=40)
    p.insert_text((8, 28), text, fontname="china-s", fontsize=fontsize)
    return p.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)


@pytest.mark.ocr
@pytest.mark.slow
def test_image_under_a_drawn_box_is_read(tmp_path):
    """The classic failed redaction: a black box drawn over an intact scan. The page
    raster shows the box; the image an attacker extracts still shows the name."""
    src = tmp_path / "boxed.pdf"
    _scan_page_pdf(src, [(60, INST["name"])] + _LINES[1:])
    doc = pymupdf.open(src)
    doc[0].draw_rect(pymupdf.Rect(50, 38, 300, 68), color=None, fill=(0, 0, 0))
    doc.saveIncr()
    doc.close()
    rep = verify_pdf(src, IDS, workers=0)
    assert not [lk for lk in rep.leaks if lk.channel == "ocr"]  # the page raster hides it
    hits = [lk for lk in rep.leaks if lk.channel == "image"]
    assert hits and hits[0].page == 1 and hits[0].field == "name", rep.leaks
    x0, y0, x1, y1 = hits[0].bbox
    assert 30 < y0 < y1 < 90  # mapped back to where the image shows it


@pytest.mark.ocr
@pytest.mark.slow
def test_logo_on_a_text_page_is_found_and_hidden(tmp_path):
    """A small picture of the name on a text page (a letterhead logo): the page is not
    a picture page, yet the logo is read, blanked in our copy, and verified blank."""
    src = tmp_path / "logo.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(pymupdf.Rect(50, 30, 290, 60), pixmap=_name_picture(INST["name"]))
    page.insert_text((50, 100), "用人单位：河南某某铸造有限公司", fontname="china-s", fontsize=11)
    page.insert_text((50, 130), "样品编号：S22061407  采样日期：2022-06-14", fontname="china-s", fontsize=11)
    doc.save(src)
    doc.close()
    rep = verify_pdf(src, IDS, workers=0, seals=False)
    assert [lk.field for lk in rep.leaks if lk.channel == "image"] == ["name"], rep.leaks
    out = tmp_path / "a.pdf"
    res = anonymize_pdf(src, _text_pages(src), INST, out, employer=EMPLOYER, workers=0)
    assert res.safe, res.leaks
    assert res.stats["boxes"] >= 1
    d = pymupdf.open(out)
    assert "S22061407" in d[0].get_text()
    # What an attacker extracts: every image of the copy, OCR'd on its own.
    from pipeline.pages import extract_pages

    for im in d[0].get_images(full=True):
        pix = pymupdf.Pixmap(d, im[0])
        one = pymupdf.open()
        pg = one.new_page(width=pix.width * 0.36 * 4, height=pix.height * 0.36 * 4)
        pg.insert_image(pg.rect, pixmap=pix)
        one.save(tmp_path / "img.pdf")
        seen = extract_pages(tmp_path / "img.pdf", cache_dir=None, workers=0)
        assert not find_in_text(seen[0].text, IDS), seen[0].text


def test_hide_staff_setting_reaches_the_blind_copy(tmp_path, monkeypatch):
    # the run setting (CLI --hide-staff) is what anonymize_pdf gets
    from pipeline import anonymize as anon_mod
    from pipeline.run import Intake, Settings, stage_anonymize

    seen = {}

    def fake(original, pages, inst, out_path, **kw):
        seen.update(kw)
        raise RuntimeError("stop here")

    monkeypatch.setattr(anon_mod, "anonymize_pdf", fake)
    intake = Intake(bundle_dir=str(tmp_path), bundle_id="T-1", submission={"institution": INST}, error=None,
                    original_path=str(tmp_path / "original.pdf"))
    out = stage_anonymize(intake, [], str(tmp_path / "out"), Settings(hide_staff=True))
    assert seen.get("hide_staff") is True and out.summary["safe"] is False
    stage_anonymize(intake, [], str(tmp_path / "out"), Settings())
    assert seen.get("hide_staff") is False


@pytest.mark.ocr
@pytest.mark.parametrize("grey", [False, True])
def test_copy_seal_search_where_changed_and_round_original_seals(tmp_path, grey):
    """A re-read copy page shows its original's pixels outside its changed regions, so a
    seal can only be one of the original's (searched round them) or stand where the copy
    changed; the rest of the page is not searched (issue 13)."""
    from pipeline.anonymize.seals import render
    from pipeline.anonymize.copy_pages import seal_search as _seal_search
    from pipeline.anonymize.verify import _seal_task

    src = tmp_path / "seal.pdf"
    _seal_page(src, INST["name"], grey=grey)
    img, k = render(pymupdf.open(src)[0], 150)
    (seal,) = find_seals(img, k)
    header = ((50.0, 70.0, 300.0, 95.0),)  # changed: a box over the header line
    everywhere, _, _ = _seal_task(str(src), 1, IDS, None)
    kept, _, _ = _seal_task(str(src), 1, IDS, None, _seal_search(header, [seal], 595.0, 842.0))
    # the same seal, still where the original had it: found, a leak as on a full search
    assert [lk.channel for lk in kept] == [lk.channel for lk in everywhere] == ["seal"]
    # a seal standing in a changed region (stamped onto the copy: its ring is the region) is found there too
    stamped, _, _ = _seal_task(str(src), 1, IDS, None, _seal_search((seal.bbox,), [], 595.0, 842.0))
    assert [lk.channel for lk in stamped] == ["seal"]
    # nowhere changed, no seal on the original: nothing is searched, nothing found
    assert _seal_task(str(src), 1, IDS, None, _seal_search((), [], 595.0, 842.0))[0] == []


def test_pdfplumber_channel_reads_pages_over_the_workers_within_its_budget(tmp_path, monkeypatch):
    """pdfplumber (a second decoder) reads the text pages over the page workers; every page
    is read and a hit is placed on its own page; past the time budget the report says how
    far it got instead of claiming the pages were read."""
    from pipeline.anonymize import verify as v

    pdf = tmp_path / "three.pdf"
    doc = pymupdf.open()
    for t in ("检测机构：河南安正检测技术有限公司", "检测结论：合格", "报告编制：河南安正检测技术有限公司"):
        doc.new_page().insert_text((60, 100), t, fontname="china-s", fontsize=12)
    doc.save(pdf)
    rep = v.VerifyReport()
    v._pdfplumber_text(pdf, IDS, rep, {1, 2, 3}, workers=2)
    assert sorted({lk.page for lk in rep.leaks if lk.channel == "text"}) == [1, 3] and not rep.notes
    monkeypatch.setattr(v, "PDFPLUMBER_BUDGET_S", -1.0)
    late = v.VerifyReport()
    v._pdfplumber_text(pdf, IDS, late, {1, 2, 3}, workers=0)
    assert not late.leaks and late.notes == ["pdfplumber: time budget reached, 0 of 3 pages read"]


def test_seal_search_queued_before_the_plan_gives_the_same_plan(tmp_path, monkeypatch):
    """The original's seal search queued while the records are read (start_seal_search)
    gives plan_pages the answers it would get by asking itself, and it asks no worker again."""
    import pipeline.anonymize as anon
    from pipeline.anonymize import plan_pages, start_seal_search

    src = tmp_path / "seal.pdf"
    _seal_page(src, INST["name"])
    pages = [Page(no=1, source="ocr", width=595.0, height=842.0, lines=())]
    alone, problems_alone = plan_pages(src, pages, IDS, workers=0)
    queued = start_seal_search(src, pages, workers=0)
    assert queued is not None and queued.calls == [(str(src), 1, 0)]
    asked: list = []
    real = anon.map_calls
    monkeypatch.setattr(anon, "map_calls", lambda fn, calls, workers: asked.extend(calls) or real(fn, calls, workers))
    plans, problems = plan_pages(src, pages, IDS, workers=0, queued=queued)
    assert asked == [] and problems == problems_alone
    assert len(plans[1].seals) == 1 and plans[1].seals == alone[1].seals
    assert plans[1].spans == alone[1].spans


# ------------------------------------------------------------------ signature pictures
def test_a_signature_picture_read_one_character_short_is_the_name():
    # 丁涛刚 signs for the institution; its picture, read alone, gives 丁涛 (handwriting
    # OCR drops a squeezed last character). Personal names are exact elsewhere; in a
    # picture holding one short line only, one edit from a 3+ character name counts.
    from pipeline.anonymize.find import signature_spans
    from tests.synth import line, page

    ids = build_identity({**INST, "legal_rep": "丁涛刚"}, {**EMPLOYER, "contact": "丁涛"},
                         hide_staff=True)
    assert find_in_text("丁涛", ids) == []  # not by the exact matcher

    def sig(text, *more):
        return page(1, [line(text, (4, 4, 60, 24))] + [line(t, (4, 30 + 20 * i, 60, 48 + 20 * i))
                                                      for i, t in enumerate(more)], source="ocr", width=64, height=90)

    (sp,) = signature_spans(sig("丁涛"), ids)
    assert sp.term.field == "legal_rep" and sp.found == "丁涛" and sp.bbox[0] < 4 < 60 < sp.bbox[2]
    assert signature_spans(sig("丁海刚"), ids)[0].term.text == "丁涛刚"  # one character garbled
    assert signature_spans(sig("张伟"), ids) == []  # an exact name: ocr_spans' business
    for other in ("王涛刚", "丁", "丁涛刚某某", "丁涛 2022年5月16日"):
        assert signature_spans(sig(other), ids) == [], other  # surname, length, not a lone short line
    assert signature_spans(sig("丁涛", "2022年5月16日"), ids) == []  # more than a signature
    # a name the employer's people carry (protected) is never taken
    ids2 = build_identity({**INST, "legal_rep": "丁涛刚"}, {"name": "丁涛机械有限公司"}, hide_staff=True)
    assert signature_spans(sig("丁涛"), ids2) == []
