"""Family B of the sample forms (samples.render_b): the same facts in another institution's shapes.

Checks that every defect kind renders in family B and stays visible, that the truth
(sample ledger, defect pages) matches the PDF text, that header facts stand on the
first page of a form only, that field blanks are printed iff the scenario has them,
that family B's sample ids follow its own schemes, and that family A is unchanged.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata

import pymupdf
import pytest

from samples.batch import generate_batch
from samples.defects import PLANT_ORDER, apply_defects, compatible
from samples.model import DEFECT_KINDS
from samples.render import render_bundle as render_a
from samples.render_b import SECTION_RENDERERS, render_bundle
from samples.render_b.kit import B
from samples.scenario import SAMPLE_ID_SCHEMES_B, build_scenario
from samples.truth import build_truth

SAMPLING_TITLE = "工作场所空气中有害物质采样原始记录"
ID_PATTERNS = {
    SAMPLE_ID_SCHEMES_B[0]: (r"DJ\d{6}-\d{2,3}", r"DJ\d{6}-\d{2,3}-K"),
    SAMPLE_ID_SCHEMES_B[1]: (r"(FC|HX)\d{4}-\d{2,3}", r"KB\d{4}-\d"),
    SAMPLE_ID_SCHEMES_B[2]: (r"\d{4}-\d{4}-\d{2,3}", r"\d{4}-\d{4}-\d{2,3}KB"),
}


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace(" ", "").replace("\n", "").replace("\u3000", "")


def _texts(rb) -> list[str]:
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    return [_norm(p.get_text()) for p in doc]


def _groups() -> list[list[str]]:
    """Every defect kind, packed into compatible groups of up to three."""
    groups: list[list[str]] = []
    for k in PLANT_ORDER:
        for g in groups:
            if len(g) < 3 and compatible(g + [k]):
                g.append(k)
                break
        else:
            groups.append([k])
    return groups


def _damaged(kinds: list[str], seed: int = 21):
    for idx in range(12):
        sc = build_scenario(seed, idx, family="b")
        try:
            return apply_defects(sc, kinds, seed)
        except (IndexError, ValueError, RuntimeError):  # this scenario cannot carry one of them
            continue
    raise AssertionError(f"no scenario carries {kinds}")


@pytest.fixture(scope="module")
def defect_bundles():
    out = []
    for kinds in _groups():
        s = _damaged(kinds)
        rb = render_bundle(s)
        leak = any(d.kind == "anonymized_leak" for d in s.defects)
        anon = render_bundle(s, anonymized=True) if leak else None
        out.append((s, rb, anon, build_truth(s, rb, anon, scanned=False)))
    return out


@pytest.fixture(scope="module")
def clean_bundles():
    out = []
    for idx in range(4):
        s = build_scenario(5, idx, family="b")
        rb = render_bundle(s)
        out.append((s, rb, build_truth(s, rb, None, scanned=False)))
    return out


@pytest.fixture(scope="module")
def big_bundle():
    """A large bundle (many posts): its sampling forms run over several pages."""
    s = apply_defects(build_scenario(5, 0, page_target=70, family="b"), ["no_field_blank"], 5)
    rb = render_bundle(s)
    return s, rb, build_truth(s, rb, None, scanned=False)


# --------------------------------------------------------------------------- every defect renders
def test_every_defect_kind_renders_in_family_b(defect_bundles):
    planted = {d.kind for s, *_ in defect_bundles for d in s.defects}
    assert planted == set(DEFECT_KINDS)
    for s, rb, anon, t in defect_bundles:
        assert t["family"] == "b" and s.style.family == "b"
        doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
        assert doc.page_count == len(rb.page_types) == t["pages"]
        order = [x["type"] for x in t["sections"]]
        want = [k for k in SECTION_RENDERERS if k not in t["missing_sections"]]
        assert order == want
        for d in t["defects"]:
            assert d["code"] == DEFECT_KINDS[d["kind"]][1]
            if d["sections"] and d["kind"] not in ("anonymized_leak", "outside_validity"):
                assert d["pages"] and all(t["page_types"][p - 1] in d["sections"] for p in d["pages"]), d


def test_defects_stay_visible_in_family_b(defect_bundles):
    for s, rb, anon, t in defect_bundles:
        text = _texts(rb)
        types = rb.page_types
        pages_of = lambda sec: "".join(x for x, ty in zip(text, types) if ty == sec)  # noqa: E731
        sig = lambda sec: {p.text for p in rb.placements if p.tag == "signature" and types[p.page - 1] == sec}  # noqa: E731
        for d in s.defects:
            k, det = d.kind, d.detail
            if k == "no_field_blank":
                assert _norm(det["removed_blank"]) not in "".join(text)
            elif k == "sample_not_analysed":
                sid = _norm(det["sample_id"])
                assert sid in pages_of("sampling_record")
                for sec in ("sample_transfer", "lab_analysis", "report", "data_calculation"):
                    assert sid not in pages_of(sec), sec
            elif k == "report_unsigned":
                assert det["signer_before"] not in sig("report")
            elif k == "survey_no_escort":
                assert det["escort_removed"] not in sig("field_survey")
            elif k == "sampling_no_escort":
                assert det["escort_removed"] not in sig("sampling_record") or len(s.sampling_days) > 1
            elif k == "contract_incomplete":
                before = det["value_before"]
                assert _norm(before) not in pages_of("contract")
            elif k == "no_contract_review":
                assert "contract_review" not in types
            elif k == "missing_lab_section":
                assert "lab_analysis" not in types
            elif k == "no_flow_calibration":
                day = next(x for x in s.sampling_days if x.date.isoformat() == det["date"])
                assert not (day.calibration_before and day.calibration_after)
                # the missing reading is an empty cell: no sample of that day shows both flows
                assert all((x.flow_before is None) or (x.flow_after is None) for x in day.samples if not x.is_blank)
            elif k == "unregistered_signer":
                sec = "lab_analysis" if det["record"] == "lab_analysis" else "sampling_record"
                assert det["name"] in "".join(sig(sec))
            elif k == "plan_no_director_approval" and det["variant"] == "unsigned":
                assert det["technical_director"] not in sig("detection_plan")
            elif k == "photo_timestamp_mismatch":
                ts = [p.text for p in rb.placements if p.tag == "photo_ts"]
                assert det["timestamp"][:16].replace("T", " ") in ts
                assert _norm(det["caption"]) in pages_of("photos")
            elif k == "outside_validity":
                assert _norm(s.identity.certificate_no) in pages_of("report")


# --------------------------------------------------------------------------- truth vs text layer
def test_ledger_ids_are_on_the_pages_the_truth_says(clean_bundles, defect_bundles, big_bundle):
    for s, rb, t in clean_bundles + [(a, b, d) for a, b, _, d in defect_bundles] + [big_bundle]:
        text = _texts(rb)
        for smp in t["samples"]:
            assert smp["seen"].get("sampling_record"), smp["sample_id"]
            for sec, pages in smp["seen"].items():
                for pg in pages:
                    assert smp["sample_id"] in text[pg - 1], (smp["sample_id"], sec, pg)
                    assert t["page_types"][pg - 1] == sec
        if "lab_analysis" not in t["missing_sections"]:
            lab_ids = {r.sample_id for sh in s.lab_sheets for r in sh.rows}
            for smp in t["samples"]:
                assert bool(smp["seen"].get("lab_analysis")) == (smp["sample_id"] in lab_ids)


# --------------------------------------------------------------------------- form structure
def _forms(rb, text) -> list[list[int]]:
    """Sampling-record pages grouped per form by the form's own "第 k 页 共 n 页"."""
    forms: list[list[int]] = []
    for i, (ty, tx) in enumerate(zip(rb.page_types, text)):
        if ty != "sampling_record":
            continue
        m = re.search(r"第(\d+)页共(\d+)页", tx)
        assert m, i
        if m.group(1) == "1":
            forms.append([i])
        else:
            forms[-1].append(i)
    return forms


def test_headers_on_first_pages_and_signatures_once(clean_bundles, defect_bundles, big_bundle):
    multi = 0
    for s, rb, *_ in clean_bundles + defect_bundles + [big_bundle]:
        text = _texts(rb)
        sig_pages: dict[int, set[str]] = {}
        for p in rb.placements:
            if p.tag == "signature":
                sig_pages.setdefault(p.page - 1, set()).add(p.text)
        for form in _forms(rb, text):
            first, rest = form[0], form[1:]
            assert "相对湿度" in text[first] or "测量日期" in text[first]
            for i in rest:
                multi += 1
                assert "相对湿度" not in text[i] and "天气" not in text[i] and "用人单位" not in text[i], i
                assert SAMPLING_TITLE not in text[i]
            # signatures only at the end of the form (last page), never on earlier pages
            for i in form[:-1]:
                assert i not in sig_pages, (i, sig_pages.get(i))
            assert form[-1] in sig_pages
            n = len(form)
            for k, i in enumerate(form, 1):
                assert f"第{k}页共{n}页" in text[i]
    assert multi >= 2, "no multi-page sampling form in the test set"


def test_field_blanks_printed_iff_in_scenario(clean_bundles, defect_bundles, big_bundle):
    """A blank id stands in the sampling record exactly when the scenario has that blank."""
    for s, rb, *_ in clean_bundles + defect_bundles + [big_bundle]:
        text = _texts(rb)
        sampling = "".join(x for x, ty in zip(text, rb.page_types) if ty == "sampling_record")
        blank_ids = {_norm(x.sample_id) for x in s.samples if x.is_blank}
        assert blank_ids and all(b in sampling for b in blank_ids)
        reg = ID_PATTERNS[s.style.sample_id_format][1]
        printed = set(re.findall(reg.replace("\\d{2,3}", "\\d{2,3}").replace("(FC|HX)", "(?:FC|HX)"), sampling))
        assert {p for p in printed if re.fullmatch(reg, p)} == blank_ids
        for d in s.defects:
            if d.kind == "no_field_blank":
                assert _norm(d.detail["removed_blank"]) not in "".join(text)
                day = next(x for x in s.sampling_days if x.date.isoformat() == d.detail["date"])
                assert d.detail["factor"] not in {x.factor for x in day.samples if x.is_blank}


def test_blank_places_and_calibration_places_vary():
    from samples.render.draw import Renderer

    places, calib = set(), set()
    for idx in range(12):
        s = build_scenario(9, idx, family="b")
        h = B(Renderer(s, False))
        places.add(h.blank_place)
        calib.add(h.calib_place)
    assert places == {"rows", "qc_table", "remarks"} and calib == {"columns", "table"}


def test_family_b_ids_follow_its_schemes(clean_bundles):
    schemes = set()
    for s, rb, t in clean_bundles:
        fmt = s.style.sample_id_format
        assert fmt in ID_PATTERNS and t["style"]["sample_id_format"] == fmt
        schemes.add(fmt)
        reg, blank = ID_PATTERNS[fmt]
        for x in s.samples:
            assert re.fullmatch(blank if x.is_blank else reg, x.sample_id), (fmt, x.sample_id)
        assert len({x.sample_id for x in s.samples}) == len(s.samples)
    assert len(schemes) >= 2


def test_same_facts_as_family_a():
    """Family B changes the ids only: dates, people, values and defects are family A's."""
    a = build_scenario(5, 1)
    b = build_scenario(5, 1, family="b")
    assert [x.date for x in a.samples] == [x.date for x in b.samples]
    assert [(x.post, x.factor, x.start, x.end, x.mass_ug, x.conc) for x in a.samples] == \
           [(x.post, x.factor, x.start, x.end, x.mass_ug, x.conc) for x in b.samples]
    assert a.report.report_no == b.report.report_no and a.identity == b.identity
    assert all(x.sample_id != y.sample_id for x, y in zip(a.samples, b.samples))


def test_family_b_anonymized_hides_identity():
    s = build_scenario(5, 2, family="b")
    s.anonymized.leaks = []
    rb = render_bundle(s, anonymized=True)
    orig = render_bundle(s)
    assert rb.page_types == orig.page_types
    text = "".join(_texts(rb))
    i = s.identity
    for term in [i.name, i.certificate_no, i.address, i.phone, i.website, i.email, *i.aliases]:
        assert _norm(term) not in text, term
    assert not [p for p in rb.placements if p.tag == "identity"]
    chans = {p.channel for p in orig.placements if p.tag == "identity"}
    assert {"text", "letterhead", "seal", "certificate_page", "metadata"} <= chans
    s.anonymized.leaks = ["footer", "certificate_page"]
    leak = render_bundle(s, anonymized=True)
    assert {p.channel for p in leak.placements if p.tag == "identity"} == {"footer", "certificate_page"}


def test_render_b_is_deterministic():
    s = build_scenario(5, 3, family="b")
    a, b = render_bundle(s), render_bundle(s)
    assert hashlib.sha256(a.pdf).digest() == hashlib.sha256(b.pdf).digest() and a.placements == b.placements


# --------------------------------------------------------------------------- family A unchanged
# Re-recorded for issue 14 (survey parts split, the sample kind column, the report's
# cause analyses and varied prose): family A changed on purpose there, and only there.
# Re-recorded for issue 14's second slice (merged): the report's 基本情况, 原辅材料, post
# analysis and varied basis list (one report page more), the disclosure record's published
# items and a clean contract's "不转包、不分包" duty.
FAMILY_A_PAGE_TEXT = {
    (7, 0): (34, "2a7e308723dd3de45fbd0d199ff507de30dce837db1276233d2d411db5532343"),
    (3, 1): (27, "da471ee54b6ab3a56465081beb87941fb2429b89e24da9709edea2ac7c1f502c"),
}


@pytest.mark.parametrize("key", sorted(FAMILY_A_PAGE_TEXT))
def test_family_a_unchanged(key):
    """Page texts of family A for fixed seeds, recorded before family B existed."""
    s = build_scenario(*key)
    assert s.style.family == "a" and build_scenario(*key, family="a").samples == s.samples
    rb = render_a(s)
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    pages, digest = FAMILY_A_PAGE_TEXT[key]
    assert doc.page_count == pages
    assert hashlib.sha256("\f".join(p.get_text() for p in doc).encode()).hexdigest() == digest


# --------------------------------------------------------------------------- batch wiring
def test_batch_family_b(tmp_path):
    generate_batch(tmp_path, 2, 4, scanned_ratio=0.5, workers=1, family="b")
    batch = json.loads((tmp_path / "_truth" / "batch.json").read_text(encoding="utf-8"))
    assert batch["family"] == "b"
    scanned = 0
    for b in batch["bundles"]:
        t = json.loads((tmp_path / "_truth" / f"{b['bundle_id']}.json").read_text(encoding="utf-8"))
        assert t["family"] == "b" and t["style"]["sample_id_format"] in ID_PATTERNS
        doc = pymupdf.open(tmp_path / b["folder"] / "original.pdf")
        assert doc.page_count == t["pages"]
        if t["scanned"]:
            scanned += 1
            assert all(not p.get_text().strip() for p in doc)
    assert scanned == 1
    with pytest.raises(ValueError):
        generate_batch(tmp_path / "x", 1, 4, family="c")
