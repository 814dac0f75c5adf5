"""End-to-end runs of the plain engine: good bundles, bad input, the real-PDF corpus."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.run import Settings
from tests.bundles import SECTION_PAGES, make_bundle


def _settings(tmp_path: Path, **kw) -> Settings:
    return Settings(cache_dir=str(tmp_path / "cache"), workers=kw.pop("workers", 1), **kw)


def _findings(out: Path, folder: str) -> dict:
    return json.loads((out / folder / "findings.json").read_text(encoding="utf-8"))


def _structural(findings: list[dict]) -> list[dict]:
    """Findings that are not checklist items. The fixture's pages carry section titles
    and bare labels only (e.g. 气温 气压 with no values), so checklist checks rightly
    flag or cannot decide; these tests are about structure (checks: test_checks_*)."""
    return [f for f in findings if f["indicator"] is None and f["code"] != "check.cannot_decide"]


def test_clean_bundle_has_all_sections_and_no_findings(tmp_path):
    make_bundle(tmp_path / "in", "good")
    out = tmp_path / "out"
    summary = run_batch(tmp_path / "in", out, _settings(tmp_path))
    res = _findings(out, "GOOD")
    assert res["status"] == "done"
    assert [s["type"] for s in res["sections"]] == [
        "contract", "contract_review", "field_survey", "detection_plan", "sampling_record", "sample_transfer",
        "lab_analysis", "data_calculation", "report", "disclosure", "photos"]
    assert _structural(res["findings"]) == []
    assert summary.counts == {"done": 1, "failed": 0, "total": 1}
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["counts"]["done"] == 1


def test_structural_findings(tmp_path):
    no_lab = [p for p in SECTION_PAGES if p[0] != "实验室分析原始记录"]
    make_bundle(tmp_path / "in", "nolab", pages=no_lab, anonymized=False,
                submission={"received_at": "2023-06-03T09:00:01+08:00"})
    out = tmp_path / "out"
    run_batch(tmp_path / "in", out, _settings(tmp_path))
    res = _findings(out, "NOLAB")
    codes = sorted(f["code"] for f in _structural(res["findings"]))
    assert codes == ["anonymized.missing", "bundle.missing_section", "submission.late"]
    late = next(f for f in res["findings"] if f["code"] == "submission.late")
    assert "48" in late["message"] and late["indicator"] is None and late["veto"] is False
    missing = next(f for f in res["findings"] if f["code"] == "bundle.missing_section")
    assert "实验室分析记录" in missing["message"]


def test_out_of_order_bundle(tmp_path):
    pages = list(SECTION_PAGES)
    pages.insert(len(pages) - 1, pages.pop(4))  # sampling record moved behind the disclosure
    make_bundle(tmp_path / "in", "order", pages=pages)
    out = tmp_path / "out"
    run_batch(tmp_path / "in", out, _settings(tmp_path))
    codes = [f["code"] for f in _structural(_findings(out, "ORDER")["findings"])]
    assert codes == ["bundle.out_of_order"]


@pytest.mark.parametrize(
    "case",
    ["no_submission", "bad_json", "not_a_pdf", "empty_pdf", "no_original"],
)
def test_bad_input_fails_that_bundle_only(tmp_path, case):
    inp = tmp_path / "in"
    make_bundle(inp, "good")
    bad = make_bundle(inp, "bad")
    if case == "no_submission":
        (bad / "submission.json").unlink()
    elif case == "bad_json":
        (bad / "submission.json").write_text('{"bundle_id": "BAD", ', encoding="utf-8")
    elif case == "not_a_pdf":
        (bad / "original.pdf").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    elif case == "empty_pdf":
        (bad / "original.pdf").write_bytes(b"")
    elif case == "no_original":
        (bad / "original.pdf").unlink()
    out = tmp_path / "out"
    summary = run_batch(inp, out, _settings(tmp_path))
    rows = {b["folder"]: b for b in summary.bundles}
    assert rows["GOOD"]["status"] == "done"
    failed = [b for b in summary.bundles if b["status"] == "failed"]
    assert len(failed) == 1
    res = _findings(out, failed[0]["folder"])
    assert res["status"] == "failed"
    assert " / " in res["error"]  # Chinese first, then English
    assert any("\u4e00" <= ch <= "\u9fff" for ch in res["error"])


def _manifest(corpus: Path) -> dict[str, dict]:
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as f:
        return {row["file"]: row for row in csv.DictReader(f, delimiter="\t")}


def _wrap_corpus(corpus_dir: Path, inp: Path, names) -> dict[str, str]:
    """Each corpus file as a bundle folder; images keep their extension (image originals)."""
    hashes = {}
    for name in names:
        src = corpus_dir / name
        d = inp / Path(name).stem.replace(".", "_")
        d.mkdir(parents=True)
        target = d / ("original.pdf" if name.endswith(".pdf") else "original" + src.suffix)
        shutil.copyfile(src, target)
        hashes[d.name] = hashlib.sha256(target.read_bytes()).hexdigest()
        sub = {"bundle_id": d.name, "notified_at": "2023-06-01T09:00:00+08:00",
               "received_at": "2023-06-02T09:00:00+08:00", "institution": {"name": "测试检测技术有限公司"}}
        (d / "submission.json").write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    return hashes


def _check_corpus_outcomes(manifest, names, summary, inp: Path, out: Path, hashes) -> None:
    by_folder = {b["folder"]: b for b in summary.bundles}
    for name in names:
        row = manifest[name]
        folder = Path(name).stem.replace(".", "_")
        b = by_folder[folder]
        res = _findings(out, folder)
        if row["expected"] in ("unreadable", "encrypted_needs_password"):
            assert b["status"] == "failed", name
            assert res["error"] and " / " in res["error"], name
        else:
            assert b["status"] == "done", (name, res.get("error"))
            assert b["pages"] >= 1
        original = next(inp.joinpath(folder).glob("original.*"))
        assert hashlib.sha256(original.read_bytes()).hexdigest() == hashes[folder], name


@pytest.mark.slow
def test_every_corpus_file_as_a_bundle(tmp_path, corpus_dir):
    """Each real PDF ends done or clearly failed; none stops the batch; none is modified.

    OCR is off here (pages that need it come back without text) so the whole corpus
    runs in CI time; the OCR path over corpus scans is the next test.
    """
    manifest = _manifest(corpus_dir)
    inp = tmp_path / "in"
    hashes = _wrap_corpus(corpus_dir, inp, manifest)
    out = tmp_path / "out"
    summary = run_batch(inp, out, _settings(tmp_path, workers=2, ocr=False, page_timeout=60.0))
    assert summary.counts["total"] == len(manifest)
    _check_corpus_outcomes(manifest, list(manifest), summary, inp, out, hashes)


@pytest.mark.slow
@pytest.mark.ocr
def test_corpus_scans_through_ocr(tmp_path, corpus_dir):
    manifest = _manifest(corpus_dir)
    names = ["ocrmypdf__skew.pdf", "ocrmypdf__cardinal.pdf", "rapidocrpdf__direct_and_image.pdf",
             "images/rapidocr__img_exif_orientation.jpg", "ocrmypdf__vector.pdf"]
    inp = tmp_path / "in"
    hashes = _wrap_corpus(corpus_dir, inp, names)
    out = tmp_path / "out"
    summary = run_batch(inp, out, _settings(tmp_path, workers=2, page_timeout=120.0))
    _check_corpus_outcomes(manifest, names, summary, inp, out, hashes)
    exif = next(b for b in summary.bundles if b["folder"] == "rapidocr__img_exif_orientation")
    assert exif["pages_ocr"] == 1
