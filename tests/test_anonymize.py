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

INST = {
    "name": "河南安正检测技术有限公司",
    "aliases": ["安正检测", "AZJC"],
    "certificate_no": "豫卫职技字〔2021〕第0012号",
    "address": "郑州市金水区文化路88号",
    "lab_address": "郑州市金水区文化路88号3楼",
    "phone": "0371-65551234",
    "website": "www.azjc-example.cn",
    "email": "qc@azjc-example.cn",
    "legal_rep": "周明",
    "staff": [{"name": "张伟", "roles": ["采样"]}, {"name": "赵敏", "roles": ["检验"]}],
}
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
    assert res.report.ocr_pages == 1  # the changed page was OCR'd again
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
