"""The report's restatement of the survey (items 53, 54, 56, 57, 58, 60): clean bundles
agree with the survey, each planter changes exactly the one fact it names, and both
form families print the content (read back from the PDF's text layer)."""
from __future__ import annotations

import collections
import unicodedata

import pymupdf
import pytest

from samples import defects_report as DR
from samples.defects import apply_defects, audit, feasible
from samples.model import DEFECT_KINDS
from samples.render import render_bundle as render_a
from samples.render_b import render_bundle as render_b
from samples import report_content as RC
from samples.scenario import build_scenario
from samples.truth import build_truth, jsonable

KINDS = ["basis_missing_standard", "report_basics_mismatch", "report_materials_mismatch", "report_shift_mismatch",
         "report_work_content_missing", "report_exposure_mismatch"]
CODES = {DEFECT_KINDS[k][1] for k in KINDS}
SEEDS = [(7, i) for i in range(10)] + [(2023, i) for i in range(10)]


@pytest.fixture(scope="module")
def clean():
    return [build_scenario(seed, i) for seed, i in SEEDS]


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace(" ", "").replace("\n", "").replace("\u3000", "")


def _report_text(rb) -> str:
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    return "".join(_norm(p.get_text()) for p, t in zip(doc, rb.page_types) if t == "report")


def _survey_text(rb) -> str:
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    return "".join(_norm(p.get_text()) for p, t in zip(doc, rb.page_types) if t == "field_survey")


# --------------------------------------------------------------------------- clean bundles
def test_clean_reports_restate_the_survey(clean):
    for s in clean:
        rp, sv = s.report, s.survey
        assert not {f["code"] for f in audit(s)} & CODES, s.bundle_id
        assert rp.workers_total == DR.survey_workers(s) == s.employer.workers_total
        assert rp.output_t == DR.survey_output_t(s) == s.employer.output_t and rp.load_pct
        assert [m.name for m in rp.materials] == [m.name for m in sv.raw_materials]
        for a, b in zip(rp.materials, sv.raw_materials):
            assert DR.amount_value(a.amount) == DR.amount_value(b.amount), (a.amount, b.amount)
        wd = {w.post: w for w in sv.workday}
        assert [x.post for x in rp.post_analysis] == [p.name for p in s.posts]
        tested = RC.tested_at(s)
        for x in rp.post_analysis:
            w = wd[x.post]
            assert (x.workers, x.shift, x.exposure_hours, x.content) == (w.workers, w.shift, w.exposure_hours, w.content)
            assert x.content and x.frequency and set(tested[x.post]) <= set(x.factors)
        for std in DR.needed_standards(s):
            assert DR.cited(s, std), (s.bundle_id, std)


def test_layouts_and_wordings_vary(clean):
    lay = collections.Counter((s.report.layout["materials"], s.report.layout["posts"]) for s in clean)
    assert len(lay) >= 3
    assert {s.report.layout["basis"] for s in clean} == {"0", "1", "2"}
    assert {s.report.layout["basics"] for s in clean} == {"0", "1", "2"}
    lines = [b for s in clean for b in s.report.basis if DR.STANDARDS["GBZ 159"].search(b)]
    assert any(b.startswith("《") for b in lines) and any("—" in b for b in lines) and any("》" not in b for b in lines)
    amounts = {m.amount for s in clean for m in s.report.materials}
    assert any("吨" in a for a in amounts) and any("t/a" in a for a in amounts)


# --------------------------------------------------------------------------- planters
def _report_facts(s):
    rp = s.report
    return {"basis": list(rp.basis), "workers": rp.workers_total, "output": rp.output_t, "load": rp.load_pct,
            "materials": jsonable(rp.materials), "posts": jsonable(rp.post_analysis)}


@pytest.mark.parametrize("kind", KINDS)
def test_each_planter_changes_exactly_its_fact(clean, kind):
    seen_variants = set()
    planted = 0
    for s in clean:
        if not feasible(kind, s):
            continue
        survey_before = jsonable(s.survey)
        before = _report_facts(s)
        rest_before = jsonable(s)
        bad = apply_defects(s, [kind], 5)
        (d,) = bad.defects
        planted += 1
        det = d.detail
        seen_variants.add(det.get("variant") or det.get("field") or det.get("standard"))
        assert jsonable(bad.survey) == survey_before  # the survey is the reference: untouched
        after = _report_facts(bad)
        changed = {k for k in before if before[k] != after[k]}
        want = {"basis_missing_standard": {"basis"}, "report_materials_mismatch": {"materials"},
                "report_shift_mismatch": {"posts"}, "report_work_content_missing": {"posts"},
                "report_exposure_mismatch": {"posts"},
                "report_basics_mismatch": {"workers" if det.get("field") == "workers" else "output"}}[kind]
        assert changed == want, (kind, changed)
        # nothing outside the report's restatement moved
        a, b = jsonable(bad), rest_before
        for k in a:
            if k not in ("report", "defects"):
                assert a[k] == b[k], (kind, k)
        codes = {f["code"] for f in audit(bad)}
        assert d.code in codes and codes <= {d.code, *d.also}, (kind, codes)
        if kind == "report_shift_mismatch":
            pa = next(x for x in bad.report.post_analysis if x.post == det["post"])
            assert getattr(pa, det["field"]) == det["report"] != det["survey"]
        if kind == "report_exposure_mismatch" and det["variant"] == "hours":
            assert abs(det["report"] - det["survey"]) >= 1
        if kind == "basis_missing_standard":
            assert not DR.cited(bad, det["standard"]) and det["removed"]
        if kind == "report_basics_mismatch" and det["field"] == "workers":
            assert det["report"] != det["survey"]
    assert planted >= 10, kind
    assert len(seen_variants) >= 2, (kind, seen_variants)


def test_post_planters_avoid_a_blanked_workday_row(clean):
    for s in clean[:8]:
        for kind in ("report_shift_mismatch", "report_exposure_mismatch", "report_work_content_missing"):
            bad = apply_defects(s, ["workday_incomplete", kind], 3)
            blanked = bad.defects[0].detail["post"]
            assert bad.defects[1].detail["post"] != blanked


# --------------------------------------------------------------------------- rendering
@pytest.mark.parametrize("family", ["a", "b"])
def test_both_families_print_the_content(family):
    render = render_a if family == "a" else render_b
    layouts = set()
    for idx in range(4):
        s = build_scenario(11, idx, family=family)
        rb = render(s)
        text, survey = _report_text(rb), _survey_text(rb)
        rp = s.report
        layouts.add((rp.layout["materials"], rp.layout["posts"]))
        assert f"{rp.workers_total}人" in text and f"{rp.load_pct}%" in text
        assert f"{rp.workers_total}" in survey and _norm(s.survey.basics["products"]) in survey
        for m in rp.materials:
            assert _norm(m.name) in text and _norm(m.amount) in text
        for x in rp.post_analysis:
            assert _norm(x.content) in text and _norm(x.post) in text
            assert _norm(x.frequency) in text
        assert "GBZ159" in text.replace("—", "-")
        if rp.noise:
            assert "GBZ2.2" in text


@pytest.mark.parametrize("family", ["a", "b"])
@pytest.mark.parametrize("kind", ["report_basics_mismatch", "report_materials_mismatch", "basis_missing_standard",
                                  "report_shift_mismatch", "report_exposure_mismatch", "report_work_content_missing"])
def test_planted_values_are_printed(family, kind):
    render = render_a if family == "a" else render_b
    s = next(x for x in (build_scenario(12, i, family=family) for i in range(6)) if feasible(kind, x))
    bad = apply_defects(s, [kind], 9)
    rb = render(bad)
    text = _report_text(rb)
    d = bad.defects[0]
    det = d.detail
    if kind == "report_basics_mismatch":
        want = f"{det['report']}人" if det["field"] == "workers" else det["report_text"]
        assert _norm(want) in text
    elif kind == "report_materials_mismatch" and det["variant"] == "amount":
        assert _norm(det["report_amount"]) in text and _norm(det["survey_amount"]) in _survey_text(rb)
    elif kind == "basis_missing_standard":
        assert all(_norm(b) not in text for b in det["removed"])
    elif kind == "report_shift_mismatch" and det["field"] == "shift":
        assert _norm(det["report"]) in text
    t = build_truth(bad, rb, None, scanned=False)
    (td,) = t["defects"]
    assert td["pages"] and all(t["page_types"][p - 1] in d.sections for p in td["pages"])
