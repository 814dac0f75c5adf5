"""Items 53, 54, 56 over rendered bundles of both form families: a clean bundle reads its
basis list, basics and materials and raises nothing; a bundle with a planted defect of
these kinds (where the generator has the planter) raises it."""
from __future__ import annotations

import pytest

ONLY = ["i053_basis", "i053_basis_edition", "i054_basics", "i056_materials"]
KINDS = {"basis_missing_standard": "report.basis_incomplete", "report_basics_mismatch": "report.basics_mismatch",
         "report_materials_mismatch": "report.materials_mismatch"}


def _run(tmp_path, scenario, family):
    from checks.base import run_checks
    from extractors import extract_records
    from pipeline.pages import extract_pages
    from pipeline.sections import split_sections, type_pages

    if family == "b":
        from samples.render_b import render_bundle
    else:
        from samples.render import render_bundle
    pdf = tmp_path / f"{family}.pdf"
    pdf.write_bytes(render_bundle(scenario).pdf)
    pages = extract_pages(pdf, cache_dir=None, workers=0)
    sections = split_sections(type_pages(pages))
    rec = extract_records(pages, sections)
    res = run_checks(rec, {}, sections=sections, pages=pages, only=ONLY)
    assert not res.errors, res.errors
    return rec, res.findings


@pytest.mark.slow
@pytest.mark.parametrize("family", ["a", "b"])
def test_clean_bundle_reads_and_stays_silent(tmp_path, family):
    from samples.scenario import build_scenario

    s = build_scenario(4242, 0, scanned=False, family=family)
    rec, findings = _run(tmp_path, s, family)
    assert findings == [], [f.message for f in findings]
    codes = {c.code for c in rec.report.basis}
    assert rec.report.basis_place.ok and "GBZ 2.1" in codes
    assert rec.field_survey.basics["headcount"].ok


@pytest.mark.slow
@pytest.mark.parametrize("family", ["a", "b"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_planted_defect_is_found(tmp_path, family, kind):
    from samples.defects import apply_defects
    from samples.model import DEFECT_KINDS
    from samples.scenario import build_scenario

    if kind not in DEFECT_KINDS:
        pytest.skip(f"the generator on this branch has no planter {kind}")
    for i in range(6):
        s = build_scenario(4242, i, scanned=False, family=family)
        try:
            bad = apply_defects(s, [kind], 4242)
        except Exception:  # the scenario cannot carry this kind (no materials, no noise …)
            continue
        _, findings = _run(tmp_path, bad, family)
        assert KINDS[kind] in {f.code for f in findings}, [f.message for f in findings]
        return
    pytest.skip(f"no scenario of the first six carries {kind}")
