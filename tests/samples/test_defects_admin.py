"""Issue 14 slice 2 (genadm): items 21, 26, 32 and 47 in the generator.

Clean bundles carry what these items read (every disclosure item published, every raw
material with its 用量 and 主要成分, every noise row's L_EX,8h right and in dB(A), the
institution as 受托方) in both form families; each planter changes exactly the fields it
says and nothing else, and the PDF prints what the planted data says (read back with
PyMuPDF).
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import unicodedata

import pymupdf
import pytest

from samples.defects import apply_defects, audit, audit_codes, feasible
from samples import defects_admin  # noqa: F401  (registered through samples.defects)
from samples.model import DEFECT_KINDS, DISCLOSURE_KEYS, Scenario
from samples.render import render_bundle as render_a
from samples.render_b import render_bundle as render_b
from samples.scenario import build_scenario, lex_8h

KINDS = {  # kind: (indicator, code) as in /work/wt2/CONTRACT.md
    "survey_materials_incomplete": (32, "survey.materials_incomplete"),
    "subcontracted": (21, "contract.subcontracted"),
    "disclosure_incomplete": (26, "disclosure.incomplete"),
    "noise_lex_wrong": (47, "measurement.direct_reading_wrong"),
}
RENDER = {"a": render_a, "b": render_b}


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace(" ", "").replace("\n", "").replace("\u3000", "")


@pytest.fixture(scope="module")
def clean() -> dict[str, list[Scenario]]:
    return {f: [build_scenario(seed, i, scanned=False, family=f) for seed in (7, 2023) for i in range(10)]
            for f in "ab"}


def _text(s: Scenario, section: str, anonymized: bool = False) -> str:
    rb = RENDER[s.style.family](s, anonymized=anonymized)
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    return "".join(_norm(doc[i].get_text()) for i, t in enumerate(rb.page_types) if t == section)


def _flat(v, path: str = "") -> dict[str, object]:
    """Scenario as {dotted path: leaf value}, to list what a planter changed."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        out: dict[str, object] = {}
        for f in dataclasses.fields(v):
            out |= _flat(getattr(v, f.name), f"{path}.{f.name}" if path else f.name)
        return out
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            out |= _flat(x, f"{path}[{k}]")
        return out or {path: "{}"}
    if isinstance(v, list):
        out = {}
        for i, x in enumerate(v):
            out |= _flat(x, f"{path}[{i}]")
        return out or {path: "[]"}
    return {path: v}


def _changed(a: Scenario, b: Scenario) -> set[str]:
    fa, fb = _flat(a), _flat(b)
    return {k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k) and not k.startswith("defects")}


def test_kinds_registered_as_the_contract_says():
    for kind, (ind, code) in KINDS.items():
        assert DEFECT_KINDS[kind][:2] == (ind, code)


# --------------------------------------------------------------------------- clean bundles
@pytest.mark.parametrize("family", ["a", "b"])
def test_clean_scenarios_carry_every_item(family, clean):
    layouts, marks, cells = set(), set(), set()
    for s in clean[family]:
        assert audit(s) == [], s.bundle_id
        d = s.disclosure
        assert [x.key for x in d.published] == list(DISCLOSURE_KEYS)
        assert all(x.value.strip() and x.mark in ("是", "已公示") for x in d.published)
        assert {x.key: x.value for x in d.published}["escort"] == s.employer.escort
        layouts.add(d.layout)
        marks |= {x.mark for x in d.published}
        assert s.survey.raw_materials
        for m in s.survey.raw_materials:
            assert not m.blank and m.amount.strip() and m.components.strip()
        for m in s.noise:
            assert m.rec_unit == "dB(A)" and m.rec_laeq == f"{m.laeq:.1f}"
            assert m.rec_lex == m.lex8h == lex_8h(m.laeq, m.exposure_hours)
        cells.add(s.style.noise_unit_in_cell)
        assert not s.contract.party_b_name and not s.contract.subcontract_clause
    assert layouts == {"checklist", "values"} and marks == {"是", "已公示"} and cells == {True, False}


@pytest.mark.parametrize("family", ["a", "b"])
def test_clean_pdfs_print_the_items(family, clean):
    noise_seen = 0
    for s in clean[family][:6]:
        disc = _text(s, "disclosure")
        for it in s.disclosure.published:
            assert _norm(it.label) in disc
            if s.disclosure.layout == "values":
                assert _norm(it.value)[:12] in disc
        if s.disclosure.layout == "checklist":
            assert disc.count(_norm(s.disclosure.published[0].mark)) >= len(DISCLOSURE_KEYS)
        survey = _text(s, "field_survey")
        for m in s.survey.raw_materials:
            assert _norm(m.name) in survey and _norm(m.amount) in survey and _norm(m.components)[:8] in survey
        rec = _text(s, "sampling_record")
        for m in s.noise:
            noise_seen += 1
            assert _norm(f"{m.laeq:.1f}") in rec and _norm(f"{m.lex8h:.1f}") in rec
        if s.noise:
            assert ("LEX,8h" in rec or "L_EX,8h" in rec) and "dB(A)" in rec
        assert _norm(s.identity.name) in _text(s, "contract")
    assert noise_seen


# --------------------------------------------------------------------------- planters
_ALLOWED = {  # (kind, variant) -> path fragments a planter may change
    "survey_materials_incomplete": ("survey.raw_materials[",),
    "subcontracted": ("contract.party_b_", "contract.subcontract_"),
    "disclosure_incomplete": ("disclosure.published[", "disclosure.items["),
    "noise_lex_wrong": ("noise[", "style.noise_unit_in_cell"),
}


@pytest.mark.parametrize("family", ["a", "b"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_planter_changes_exactly_what_it_says(kind, family, clean):
    variants = collections.Counter()
    for i, s in enumerate(clean[family]):
        if not feasible(kind, s):
            continue
        bad = apply_defects(s, [kind], 41 + i)  # bundle ids repeat across the two seeds
        (d,) = bad.defects
        assert (d.indicator, d.code) == KINDS[kind]
        assert audit_codes(bad) == {d.code}, (s.bundle_id, audit(bad))
        assert d.detail and d.sections and d.evidence
        changed = _changed(s, bad)
        assert changed and all(any(a in p for a in _ALLOWED[kind]) for p in changed), (kind, changed)
        variants[d.detail.get("variant") or d.detail.get("missing")] += 1
        det = d.detail
        if kind == "survey_materials_incomplete":
            (m,) = [m for m in bad.survey.raw_materials if m.blank]
            assert m.name == det["material"] and m.printed(det["missing"]) == det["printed"] in ("", "/", "—")
            assert getattr(m, det["missing"]) == det["value_before"]  # the true value stays for the report
        elif kind == "subcontracted":
            assert det["other"] != s.identity.name and s.identity.name not in det["other"]
            assert not any(a in det["other"] for a in s.identity.aliases)
        elif kind == "disclosure_incomplete":
            left = {x.key: x for x in bad.disclosure.published}
            if det["variant"] == "missing":
                assert det["item"] not in left and len(left) == len(DISCLOSURE_KEYS) - 1
            else:
                it = left[det["item"]]
                assert det["printed"] == (it.value if bad.disclosure.layout == "values" else it.mark)
                assert det["printed"] in ("", "/", "否", "未公示")
        else:
            (m,) = [m for m in bad.noise if m.post == det["post"]]
            assert (m.laeq, m.lex8h) == (det["laeq"], det["lex8h"])  # the report's values stay
            if det["variant"].startswith("lex"):
                assert abs(m.rec_lex - lex_8h(m.laeq, m.exposure_hours)) >= 0.5
            elif det["variant"] == "unit":
                assert m.rec_unit == "dB" and bad.style.noise_unit_in_cell
            else:
                assert len(m.rec_laeq.split(".")[1]) == 2 and round(float(m.rec_laeq), 1) == m.laeq
    want = {"survey_materials_incomplete": {"amount", "components"},
            "subcontracted": {"party_b", "clause_article", "clause_duty"},
            "disclosure_incomplete": {"missing", "blank", "no"},
            "noise_lex_wrong": {"lex_slip", "unit", "laeq_decimals"}}[kind]
    assert want <= set(variants), variants


def _first(clean, kind: str, family: str, pred) -> tuple[Scenario, Scenario]:
    for i, s in enumerate(clean[family]):
        if not feasible(kind, s):
            continue
        for seed in range(40):
            bad = apply_defects(s, [kind], seed)
            if pred(bad.defects[0].detail, bad):
                return s, bad
    raise AssertionError(f"no {kind} bundle for this check")


@pytest.mark.parametrize("family", ["a", "b"])
def test_pdf_prints_the_planted_facts(family, clean):
    # raw material: the row is there, its cell is not
    s, bad = _first(clean, "survey_materials_incomplete", family, lambda d, b: d["missing"] == "amount")
    det = bad.defects[0].detail
    assert _norm(det["value_before"]) in _text(s, "field_survey")
    assert _norm(det["value_before"]) not in _text(bad, "field_survey")
    assert _norm(det["material"]) in _text(bad, "field_survey")

    # subcontracted: the other institution stands in the contract, also on the blind copy,
    # while the submitting institution's name stays hidden there
    for variant in ("party_b", "clause_article", "clause_duty"):
        s, bad = _first(clean, "subcontracted", family, lambda d, b, v=variant: d["variant"] == v)
        det = bad.defects[0].detail
        txt = _text(bad, "contract")
        assert _norm(det["other"]) in txt and _norm(det["other"]) not in _text(s, "contract")
        if variant == "party_b":  # (the institution's own form footer may still carry its name)
            assert txt.count(_norm(s.identity.name)) < _text(s, "contract").count(_norm(s.identity.name))
        else:
            assert _norm(s.identity.name) in txt and _norm(det["clause"])[:10] in txt
        anon = _text(bad, "contract", anonymized=True)
        assert _norm(det["other"]) in anon and _norm(s.identity.name) not in anon

    # disclosure: the item's row gone, or its mark/value blank or 否/未公示
    s, bad = _first(clean, "disclosure_incomplete", family, lambda d, b: d["variant"] == "missing")
    det = bad.defects[0].detail
    assert _text(bad, "disclosure").count(_norm(det["label"])) < _text(s, "disclosure").count(_norm(det["label"]))
    s, bad = _first(clean, "disclosure_incomplete", family, lambda d, b: d["variant"] == "no")
    det = bad.defects[0].detail
    assert _text(bad, "disclosure").count(det["printed"]) > _text(s, "disclosure").count(det["printed"])

    # noise record: the wrong L_EX,8h / unit / two-decimal L_Aeq printed on the record,
    # the report's noise table unchanged
    s, bad = _first(clean, "noise_lex_wrong", family, lambda d, b: d["variant"].startswith("lex"))
    det = bad.defects[0].detail
    wrong = _norm(f"{det['printed_lex8h']:.1f}")
    assert _text(bad, "sampling_record").count(wrong) > _text(s, "sampling_record").count(wrong)
    assert _text(bad, "report") == _text(s, "report")
    s, bad = _first(clean, "noise_lex_wrong", family, lambda d, b: d["variant"] == "laeq_decimals")
    assert bad.defects[0].detail["printed_laeq"] in _text(bad, "sampling_record")
    s, bad = _first(clean, "noise_lex_wrong", family, lambda d, b: d["variant"] == "unit")
    det = bad.defects[0].detail
    rec = _text(bad, "sampling_record")
    assert rec.count("dB(A)") < rec.count("dB") and _norm(f"{det['laeq']:.1f}dB(A)") not in rec


def test_disclosure_dates_untouched_by_the_new_content(clean):
    # the 15-working-day rule (i025) reads the same dates as before
    for s in clean["a"]:
        assert isinstance(s.disclosure.submitted_date, dt.date) and s.disclosure.public_date >= s.disclosure.submitted_date
