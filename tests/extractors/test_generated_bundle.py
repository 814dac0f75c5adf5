"""End-to-end extraction on a small generated born-digital bundle, checked against its truth."""
from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_born_digital_bundle_ids_and_dates(tmp_path):
    from extractors import extract_records
    from extractors.ledger import build_ledger
    from pipeline.ingest import load_submission
    from pipeline.pages import extract_pages
    from pipeline.sections import split_sections, type_pages
    from samples.batch import generate_batch

    (bdir,) = generate_batch(tmp_path, 1, 4242, scanned_ratio=0.0, workers=1)
    truth = json.loads((tmp_path / "_truth" / f"{bdir.name}.json").read_text())
    pages = extract_pages(bdir / "original.pdf", cache_dir=None, workers=0)
    sections = split_sections(type_pages(pages))
    staff = [s.name for s in load_submission(bdir).institution.staff]
    rec = extract_records(pages, sections, staff=staff)
    ledger = {e.sample_id: e for e in build_ledger(pages, sections, rec)}

    assert set(ledger) == {s["sample_id"] for s in truth["samples"]}
    for s in truth["samples"]:
        for sec, pgs in s["seen"].items():
            assert ledger[s["sample_id"]].seen.get(sec) == tuple(pgs), (s["sample_id"], sec)
    r = truth["records"]
    assert {x.date.value.isoformat() for x in rec.sampling_records if x.date.ok} == {d["date"] for d in r["sampling_days"]}
    assert rec.report.issue_date.value.isoformat() == r["report"]["issue_date"]
    assert {t.date.value.isoformat() for t in rec.sample_transfers} == {t["date"] for t in r["transfers"]}
    if "contract" in {s.type for s in sections} and r["contract"].get("sign_date"):
        assert rec.contract.sign_date.value.isoformat() == r["contract"]["sign_date"]
