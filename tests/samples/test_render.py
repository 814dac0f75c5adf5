"""The sample-bundle renderer (samples.render) and scanner (samples.scan).

Scenarios come from the data half's ``build_scenario``; a few tests damage them the
way planted defects do, to prove the renderer draws what the data says.
"""
from __future__ import annotations

import copy
import hashlib
from itertools import groupby

import pymupdf
import pytest

from pipeline.types import SECTION_TYPES
from samples.render import render_bundle
from samples.scan import scan_pdf
from samples.scenario import build_scenario

TEXT_CHANNELS = {"text", "letterhead", "footer", "certificate_page"}
# One of these must be on the first page of each section (any template variant).
TITLE_WORDS = {
    "contract": ["合同"], "contract_review": ["合同评审"], "field_survey": ["调查"],
    "detection_plan": ["检测方案"], "sampling_record": ["采样记录", "检测记录", "测量记录"],
    "sample_transfer": ["样品交接", "样品流转"], "lab_analysis": ["原始记录"],
    "data_calculation": ["计算", "换算"], "report": ["检测报告"], "disclosure": ["公示", "公开"],
    "photos": ["影像资料"],
}


def identity_terms(sc) -> list[str]:
    i = sc.identity
    return [t for t in [i.name, i.certificate_no, i.address, i.lab_address, i.phone, i.website, i.email,
                        *i.aliases] if t and len(t) >= 2]


@pytest.fixture(scope="module", params=[(3, 0), (3, 1), (3, 2)], ids=lambda p: f"seed{p[0]}-{p[1]}")
def rendered(request):
    sc = build_scenario(*request.param)
    return sc, render_bundle(sc)


@pytest.fixture(scope="module")
def layouts():
    """One scenario per layout variant (0..3), all rendered."""
    out = []
    for lay in range(4):
        sc = build_scenario(11, lay)
        sc.style.layout = lay
        out.append((sc, render_bundle(sc)))
    return out


def _open(rb):
    return pymupdf.open(stream=rb.pdf, filetype="pdf")


def test_sections_in_archive_order(rendered):
    sc, rb = rendered
    doc = _open(rb)
    assert len(rb.page_types) == doc.page_count
    seq = [k for k, _ in groupby(rb.page_types)]
    expected = [t for t in SECTION_TYPES if t != "other"]
    assert seq == expected
    assert all(w == pytest.approx(595.28, abs=0.5) and h == pytest.approx(841.89, abs=0.5)
               for w, h in ((p.rect.width, p.rect.height) for p in doc))


def test_page_counts_realistic(rendered):
    sc, rb = rendered
    n = len(rb.page_types)
    assert 15 <= n <= 45, n
    counts = {t: rb.page_types.count(t) for t in set(rb.page_types)}
    assert 2 <= counts["contract"] <= 3
    assert counts["contract_review"] == 1
    assert 6 <= counts["report"] <= 12
    assert 1 <= counts["photos"] <= 3
    assert counts["disclosure"] == 1


def test_chinese_extracts_back(rendered):
    sc, rb = rendered
    doc = _open(rb)
    firsts = {}
    for i, t in enumerate(rb.page_types):
        firsts.setdefault(t, i)
    for t, i in firsts.items():
        text = doc[i].get_text()
        assert "\ufffd" not in text
        assert any(w in text for w in TITLE_WORDS[t]), (t, text[:200])
    assert sc.employer.name in doc[0].get_text()


def _chars(page) -> list[tuple[str, float, float]]:
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            for sp in ln["spans"]:
                for ch in sp["chars"]:
                    x0, y0, x1, y1 = ch["bbox"]
                    out.append((ch["c"], (x0 + x1) / 2, (y0 + y1) / 2))
    return out


def test_text_placements_are_where_recorded(rendered):
    sc, rb = rendered
    doc = _open(rb)
    chars, images = {}, {}
    checked = 0
    for p in rb.placements:
        if p.page < 1 or p.channel not in TEXT_CHANNELS or p.tag in ("signature", "photo_ts"):
            continue
        if p.page not in chars:
            chars[p.page] = _chars(doc[p.page - 1])
            images[p.page] = [pymupdf.Rect(im["bbox"]) for im in doc[p.page - 1].get_image_info()]
        if any(abs(r.x0 - p.bbox[0]) < 0.5 and abs(r.y0 - p.bbox[1]) < 0.5 for r in images[p.page]):
            continue  # a seal stamped on the certificate copy: pixels, not text
        x0, y0, x1, y1 = p.bbox
        got = "".join(c for c, cx, cy in chars[p.page] if x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1)
        assert p.text in got, (p, got)
        checked += 1
    assert checked > 100


def test_truth_placements_cover_samples_identity_and_ink(rendered):
    sc, rb = rendered
    tags = {p.tag for p in rb.placements}
    assert {"sample_id", "identity", "signature", "photo_ts", "value"} <= tags
    ids = {p.text for p in rb.placements if p.tag == "sample_id"}
    assert {s.sample_id for s in sc.samples} <= ids
    # each sample id is on a sampling page, and analysed ones on lab pages
    for s in sc.samples[:10]:
        pages = {rb.page_types[p.page - 1] for p in rb.placements if p.tag == "sample_id" and p.text == s.sample_id}
        assert "sampling_record" in pages and "sample_transfer" in pages
    chans = {p.channel for p in rb.placements if p.tag == "identity"}
    assert {"text", "letterhead", "seal", "certificate_page", "metadata"} <= chans
    assert rb.metadata.get("author") == sc.identity.name
    doc = _open(rb)
    assert doc.metadata["author"] == sc.identity.name
    ts = [p for p in rb.placements if p.tag == "photo_ts"]
    assert len(ts) == len(sc.photos)
    assert {p.text for p in ts} == {ph.timestamp.strftime("%Y-%m-%d %H:%M") for ph in sc.photos}
    # every drawn box lies on the page
    for p in rb.placements:
        if p.page >= 1:
            x0, y0, x1, y1 = p.bbox
            assert -1 <= x0 <= x1 <= 596.5 and -1 <= y0 <= y1 <= 843, p


@pytest.mark.slow
def test_layout_variants_differ(layouts):
    """Header blocks are drawn differently per template, yet carry the same content."""
    fingerprints = set()
    for sc, rb in layouts:
        doc = _open(rb)
        i = rb.page_types.index("sampling_record")
        paths = doc[i].get_drawings()
        fingerprints.add((len(paths) // 10, round(paths[0]["rect"].y0) if paths else 0))
        ids = [p.text for p in rb.placements if p.tag == "sample_id" and p.page == i + 1]
        assert ids
    assert len(fingerprints) >= 3


def test_labels_and_date_style_follow_style():
    sc = build_scenario(5, 0)
    sc.style.labels = dict(sc.style.labels, **{"陪同人": "企业陪同人员", "采样日期": "检测日期"})
    sc.style.date_style = "cn_upper"
    sc.style.fullwidth_digits = False
    rb = render_bundle(sc)
    doc = _open(rb)
    text = "".join(doc[i].get_text() for i, t in enumerate(rb.page_types) if t == "sampling_record")
    assert "企业陪同人员" in text and "检测日期" in text
    assert "〇" in text  # 二〇二二年…


def test_anonymized_hides_identity_everywhere():
    sc = build_scenario(3, 1)
    sc.anonymized.leaks = []
    rb = render_bundle(sc, anonymized=True)
    orig = render_bundle(sc)
    assert rb.page_types == orig.page_types
    doc = _open(rb)
    text = "".join(p.get_text() for p in doc).replace("\n", "")
    for term in identity_terms(sc):
        assert term not in text, term
    assert not [p for p in rb.placements if p.tag == "identity"]
    assert not doc.metadata.get("author") and not doc.metadata.get("creator")
    # staff names and the employer stay
    assert sc.employer.name in text
    # staff signatures stay readable; the legal representative's is identity and goes
    legal_rep = sc.identity.legal_rep
    assert {p.text for p in rb.placements if p.tag == "signature"} == {p.text for p in orig.placements
                                                                       if p.tag == "signature"} - {legal_rep}


@pytest.mark.parametrize("leaks", [["footer", "metadata"], ["seal"], ["letterhead", "body_text"], ["certificate_page"]])
def test_anonymized_leaks_only_in_named_channels(leaks):
    sc = build_scenario(3, 2)
    sc.anonymized.leaks = leaks
    rb = render_bundle(sc, anonymized=True)
    doc = _open(rb)
    want = {"body_text": "text"}.get
    channels = {want(x, x) for x in leaks}
    ident = [p for p in rb.placements if p.tag == "identity"]
    assert ident and {p.channel for p in ident} == channels
    # every identity string left in the text layer is inside a recorded leak placement
    boxes = {}
    for p in ident:
        if p.page >= 1:
            boxes.setdefault(p.page, []).append(pymupdf.Rect(p.bbox) + (-2, -2, 2, 2))
    for pno, page in enumerate(doc, 1):
        for term in identity_terms(sc):
            for hit in page.search_for(term):
                assert any(b.intersects(hit) for b in boxes.get(pno, [])), (leaks, pno, term)
    assert bool(doc.metadata.get("author")) == ("metadata" in leaks)


def test_renderer_draws_defects_as_data_says():
    sc = build_scenario(3, 0)
    sc = copy.deepcopy(sc)
    day = sc.sampling_days[0]
    day.escort = None
    day.samplers = day.samplers[:1]
    for row in sc.plan.rows:
        row.flow_lpm = None
    sc.plan.storage_conditions = None
    sc.plan.storage_days = None
    sc.report.issuer = None
    sc.contract_review = None
    sc.missing_sections = ["lab_analysis"]
    rb = render_bundle(sc)
    assert "contract_review" not in rb.page_types and "lab_analysis" not in rb.page_types
    doc = _open(rb)
    plan_text = "".join(doc[i].get_text() for i, t in enumerate(rb.page_types) if t == "detection_plan")
    assert "L/min" not in plan_text and "保存条件" not in plan_text
    first_sheet = rb.page_types.index("sampling_record") + 1
    sigs = [p.text for p in rb.placements if p.tag == "signature" and p.page == first_sheet]
    assert day.escort is None and sorted(set(sigs)) == sorted({day.samplers[0], day.checker})
    sig_page = [p for p in rb.placements if p.tag == "signature" and rb.page_types[p.page - 1] == "report"]
    assert sc.report.reviewer in {p.text for p in sig_page}


def test_render_is_deterministic(rendered):
    sc, a = rendered
    b = render_bundle(sc)
    assert hashlib.sha256(a.pdf).digest() == hashlib.sha256(b.pdf).digest()
    assert a.placements == b.placements


@pytest.mark.slow
def test_scan_is_image_only_and_deterministic():
    sc = build_scenario(3, 0)
    rb = render_bundle(sc)
    src = pymupdf.open(stream=rb.pdf, filetype="pdf")
    src.select(list(range(8)))
    pdf, pages = src.tobytes(), 8
    for colour, dpi in (("grey", 150), ("colour", 200)):
        sc.style.colour, sc.style.dpi = colour, dpi
        sc.style.rotated_pages, sc.style.rotation_angles = [3, 5], {3: 90, 5: 180}
        out = scan_pdf(pdf, sc.style, seed=42)
        assert out == scan_pdf(pdf, sc.style, seed=42)
        doc = pymupdf.open(stream=out, filetype="pdf")
        assert doc.page_count == pages
        assert all(not p.get_text().strip() for p in doc)
        assert all(len(p.get_images()) == 1 for p in doc)
        assert doc[2].rect.width > doc[2].rect.height  # fed sideways
        assert doc[4].rect.width < doc[4].rect.height
        assert len(out) / pages < 300_000


def test_scan_small_is_fast():
    """Two pages: no text layer, colour kept (seal red) vs grey."""
    sc = build_scenario(3, 0)
    rb = render_bundle(sc)
    src = pymupdf.open(stream=rb.pdf, filetype="pdf")
    cover = rb.page_types.index("report")
    src.select([0, cover])
    two = src.tobytes()
    sc.style.rotated_pages = []
    for colour in ("colour", "grey"):
        sc.style.colour, sc.style.dpi = colour, 150
        out = pymupdf.open(stream=scan_pdf(two, sc.style, seed=1), filetype="pdf")
        assert out.page_count == 2 and not out[1].get_text().strip()
        pix = out[1].get_pixmap(dpi=40)
        px = pix.samples
        reds = sum(1 for i in range(0, len(px), 3) if px[i] > 150 and px[i + 1] < 110 and px[i + 2] < 110)
        assert (reds > 20) == (colour == "colour")
