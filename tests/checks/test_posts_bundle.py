"""Items 57, 58, 60 over a rendered bundle: the report's post table read from a generated
born-digital bundle gives every post of its truth with the survey's headcount and
exposure time, and the three checks stay silent on the clean bundle; changing one
value of the extracted records makes each check speak."""
from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_generated_bundle_post_analysis(tmp_path):
    from checks.base import run_checks
    from extractors import extract_records
    from pipeline.ingest import load_submission
    from pipeline.pages import extract_pages
    from pipeline.sections import split_sections, type_pages
    from samples.batch import generate_batch

    (bdir,) = generate_batch(tmp_path, 1, 4242, scanned_ratio=0.0, workers=1)
    truth = json.loads((tmp_path / "_truth" / f"{bdir.name}.json").read_text())
    pages = extract_pages(bdir / "original.pdf", cache_dir=None, workers=0)
    sections = split_sections(type_pages(pages))
    sub = json.loads((bdir / "submission.json").read_text())
    staff = [s.name for s in load_submission(bdir).institution.staff]
    rec = extract_records(pages, sections, staff=staff)
    pa = rec.report.post_analysis
    workday = {w["post"]: w for w in truth["records"]["survey"]["workday"]}
    rows = {r.value("post"): r for r in pa.table}
    assert set(rows) == set(workday)
    for name, w in workday.items():
        assert rows[name].value("workers") == w["workers"] and rows[name].value("hours") == w["exposure_hours"]
    only = ["i057_shift_headcount", "i058_work_content", "i060_exposure"]
    res = run_checks(rec, sub, sections=sections, pages=pages, only=only)
    assert res.findings == [] and not res.errors and {57, 60} <= set(res.checked)

    # one post's headcount and exposure time changed in the report: 57 and 60 name it
    name = next(iter(rows))
    r = rows[name]
    bad = r.model_copy(update={"fields": {**r.fields,
                                          "workers": r.get("workers").model_copy(update={"value": r.value("workers") + 4}),
                                          "hours": r.get("hours").model_copy(update={"value": r.value("hours") - 2})}})
    table = [bad if x is r else x for x in pa.table]
    rec2 = rec.model_copy(update={"report": rec.report.model_copy(update={
        "post_analysis": pa.model_copy(update={"table": table})})})
    res = run_checks(rec2, sub, sections=sections, pages=pages, only=only)
    got = {(f.code, f.indicator) for f in res.findings}
    assert got == {("report.shift_mismatch", 57), ("report.exposure_mismatch", 60)}
    assert all(name in f.message for f in res.findings)
