"""Ingest: bundle discovery, submission.json, PDF inspection, intake findings.

Every file of ``../shared/corpus/real-pdfs`` (images included) is copied into a bundle
folder under ``tmp_path`` and inspected; the outcome must agree with MANIFEST.tsv's
``expected`` column, only ``InputError`` may come out, and neither the corpus file
nor its copy may change.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import errors as E
from pipeline.errors import InputError
from pipeline.ingest import (
    IsolatedWorker,
    PdfInfo,
    WorkerCrashed,
    WorkerTimeout,
    discover_bundles,
    fallback_bundle_id,
    find_original,
    garbage_ratio,
    inspect_pdf,
    intake_findings,
    load_submission,
    run_isolated,
)

from tests.conftest import CORPUS, ROOT
from tests.spec_example import SPEC_SUBMISSION

CJK = re.compile(r"[\u4e00-\u9fff]")


def _manifest() -> list[dict[str, str]]:
    path = CORPUS / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


MANIFEST = _manifest()
BY_NAME = {row["file"]: row for row in MANIFEST}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _password(row: dict[str, str]) -> str:
    match = re.search(r"password[^']*'([^']+)'", row["what_is_odd"], re.IGNORECASE)
    assert match, f"no password in what_is_odd of {row['file']}"
    return match.group(1)


def _wrap(corpus_dir: Path, rel: str, tmp_path: Path) -> Path:
    """Copy a corpus file into a fresh bundle folder as its original (keeping the
    suffix for images: an image original is original.jpg, not original.pdf)."""
    src = corpus_dir / rel
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    suffix = src.suffix.lower() if src.suffix.lower() != ".pdf" else ".pdf"
    shutil.copyfile(src, bundle / f"original{suffix}")
    return bundle


def _assert_bilingual(err: InputError) -> None:
    text = str(err)
    assert " / " in text, text
    assert CJK.search(err.zh), err.zh
    assert err.en.strip()
    assert err.kind in E.KINDS


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_corpus_file_classified_as_manifest_says(row, corpus_dir, tmp_path):
    src = corpus_dir / row["file"]
    before_src = _sha(src)
    bundle = _wrap(corpus_dir, row["file"], tmp_path)
    original = find_original(bundle)
    before_copy = _sha(original)
    mtime = original.stat().st_mtime_ns
    expected = row["expected"]

    def inspect(**kw):
        try:
            return inspect_pdf(original, name=original.name, **kw)
        except InputError as exc:
            return exc
        # anything else propagates and fails the test: only InputError may leave

    outcome = inspect()
    if expected in ("readable", "readable_with_ocr"):
        assert isinstance(outcome, PdfInfo), f"{row['file']}: {outcome!r}"
        assert outcome.page_count > 0 and outcome.readable_page_count > 0
        assert outcome.sha256 == before_copy
        assert outcome.size == original.stat().st_size
        assert len(outcome.pages) == outcome.page_count
    elif expected == "encrypted_needs_password":
        assert isinstance(outcome, InputError) and outcome.kind == "encrypted", repr(outcome)
        _assert_bilingual(outcome)
        opened = inspect(password=_password(row))
        assert isinstance(opened, PdfInfo), repr(opened)
        assert opened.needs_pass and opened.authenticated
        assert opened.readable_page_count > 0
        # The needs_pass-after-authenticate trap empties the text layer: not here.
        assert sum(p.text_chars for p in opened.pages) > 0
        wrong = inspect(password="definitely-not-it")
        assert isinstance(wrong, InputError) and wrong.kind == "encrypted"
    elif expected == "unreadable":
        if isinstance(outcome, PdfInfo):
            assert outcome.readable_page_count == 0
        else:
            assert isinstance(outcome, InputError)
            _assert_bilingual(outcome)
    else:  # pragma: no cover - a new manifest value
        pytest.fail(f"unknown expected value {expected!r}")

    assert _sha(src) == before_src, "corpus file changed"
    assert _sha(original) == before_copy, "bundle copy changed"
    assert original.stat().st_mtime_ns == mtime


def test_corpus_is_complete(corpus_dir):
    on_disk = {p.relative_to(corpus_dir).as_posix() for p in corpus_dir.rglob("*") if p.is_file()}
    on_disk -= {"MANIFEST.tsv", "README.md"}
    assert on_disk == set(BY_NAME), "MANIFEST.tsv and the corpus folder disagree"
    assert len(MANIFEST) == 79


def test_page_tree_cycle_only_that_page_is_unreadable(corpus_dir, tmp_path):
    bundle = _wrap(corpus_dir, "pdfjs__Pages-tree-refs.pdf", tmp_path)
    info = inspect_pdf(find_original(bundle), name="original.pdf")
    assert info.page_count == 2
    assert [p.no for p in info.unreadable_pages] == [2]
    assert "cycle in page tree" in info.pages[1].error
    assert info.pages[0].readable and info.pages[0].text_chars > 0
    found = intake_findings(None, bundle, info, anonymized=None)
    unreadable = [f for f in found if f.code == "input.unreadable"]
    assert len(unreadable) == 1
    finding = unreadable[0]
    assert finding.indicator is None and finding.veto is False
    assert [(e.file, e.page, e.bbox) for e in finding.evidence] == [("original.pdf", 2, None)]
    assert "第 2 页" in finding.message and "循环" in finding.message


def test_ghostscript_log_before_header(corpus_dir):
    info = inspect_pdf(corpus_dir / "pdfplumber__issue-848.pdf")
    assert info.header_offset == 247
    assert info.repaired and info.page_count == 8


def test_nested_trailer_is_fast_and_repaired(corpus_dir):
    started = time.perf_counter()
    info = inspect_pdf(corpus_dir / "qpdf__issue-202.pdf")
    assert time.perf_counter() - started < 10
    assert info.repaired and info.page_count == 10


def test_not_a_pdf_says_what_it_is(corpus_dir):
    with pytest.raises(InputError) as docx:
        inspect_pdf(corpus_dir / "pymupdf__test_open2-docx-renamed.pdf", name="original.pdf")
    assert docx.value.kind == "not_a_pdf"
    assert "Word" in docx.value.zh and "original.pdf" in docx.value.zh
    with pytest.raises(InputError) as jpg:
        inspect_pdf(corpus_dir / "rapidocr__korean-jpg-renamed.pdf")
    assert jpg.value.kind == "not_a_pdf" and "JPEG" in jpg.value.zh


def test_image_original_records_exif_orientation(corpus_dir):
    info = inspect_pdf(corpus_dir / "images" / "rapidocr__img_exif_orientation.jpg")
    assert info.kind == "image" and info.page_count == 1
    assert info.metadata.get("exif_orientation") == "3"
    assert info.pages[0].text_layer == "none"


def test_encryption_method_reported_before_password(corpus_dir):
    with pytest.raises(InputError) as exc:
        inspect_pdf(corpus_dir / "pypdf__r6-user-password.pdf", name="original.pdf")
    assert exc.value.kind == "encrypted"
    assert "AES-256" in str(exc.value)
    assert exc.value.zh.startswith("原始证据包 original.pdf 已加密")
    owner_only = inspect_pdf(corpus_dir / "pdfplumber__pr-138-example.pdf")
    assert not owner_only.needs_pass and "RC4" in (owner_only.encryption or "")


def test_zero_page_and_garbage_only_files_fail_clearly(corpus_dir):
    for name, kind in [
        ("qpdf__empty.pdf", "zero_pages"),
        ("pdfjs__bug1020226.pdf", "zero_pages"),
        ("pdfplumber__empty.pdf", "empty_file"),
        ("ocrmypdf__invalid.pdf", "broken"),
        ("pdfjs__90ms_rksj_h_sample.pdf", "no_readable_pages"),
        ("pdfjs__xfa_issue14315.pdf", "xfa_form"),
    ]:
        with pytest.raises(InputError) as exc:
            inspect_pdf(corpus_dir / name)
        assert exc.value.kind == kind, (name, exc.value)


def test_text_layer_hints(corpus_dir):
    mixed = inspect_pdf(corpus_dir / "rapidocrpdf__direct_and_image.pdf")
    assert [p.text_layer for p in mixed.pages] == ["present", "none"]
    garbage = inspect_pdf(corpus_dir / "pymupdf__test_3072.pdf")
    assert {p.text_layer for p in garbage.pages} == {"garbage"}
    assert all(p.readable for p in garbage.pages)  # embedded fonts: OCR the render


def test_garbage_ratio():
    assert garbage_ratio("") == (0, 0.0)
    assert garbage_ratio("职业卫生 检测报告")[1] == 0.0
    chars, ratio = garbage_ratio("Hello\n\x93\x96\x8c\x83ab")
    assert chars == 11 and ratio == pytest.approx(6 / 11)


# --------------------------------------------------------------------------- limits, isolation


def test_missing_empty_dir_and_limits(corpus_dir, tmp_path):
    with pytest.raises(InputError) as exc:
        inspect_pdf(tmp_path / "original.pdf")
    assert exc.value.kind == "missing_file" and "original.pdf" in exc.value.zh
    (tmp_path / "dir.pdf").mkdir()
    with pytest.raises(InputError) as exc:
        inspect_pdf(tmp_path / "dir.pdf")
    assert exc.value.kind == "missing_file"
    book = corpus_dir / "pymupdf__mupdf_explored.pdf"
    with pytest.raises(InputError) as exc:
        inspect_pdf(book, max_bytes=1024 * 1024)
    assert exc.value.kind == "too_large" and "MiB" in exc.value.zh
    with pytest.raises(InputError) as exc:
        inspect_pdf(book, max_pages=100)
    assert exc.value.kind == "too_many_pages" and "285" in exc.value.zh


def test_timeout_is_an_input_error(corpus_dir):
    with pytest.raises(InputError) as exc:
        inspect_pdf(corpus_dir / "pymupdf__mupdf_explored.pdf", timeout=1e-6)
    assert exc.value.kind == "timeout"
    # the pool recovers: the next file opens normally
    assert inspect_pdf(corpus_dir / "qpdf__incremental-1.pdf").page_count == 1


def test_worker_timeout_and_crash_recover():
    worker = IsolatedWorker()
    try:
        assert worker.call(abs, -3, timeout=30) == 3
        first = worker.pid
        with pytest.raises(WorkerTimeout):
            worker.call(time.sleep, 30, timeout=0.5)
        assert worker.call(abs, -4, timeout=30) == 4
        assert worker.pid != first
        with pytest.raises(WorkerCrashed):
            worker.call(os._exit, 3, timeout=30)
        assert worker.call(abs, -5, timeout=30) == 5
        with pytest.raises(ZeroDivisionError):
            worker.call(divmod, 1, 0, timeout=30)
    finally:
        worker.stop()


def test_run_isolated_reuses_the_child():
    a = run_isolated(os.getpid, timeout=30)
    b = run_isolated(os.getpid, timeout=30)
    assert a == b and a != os.getpid()


def test_in_process_mode_gives_same_answer(corpus_dir):
    isolated = inspect_pdf(corpus_dir / "pdfjs__Pages-tree-refs.pdf")
    inline = inspect_pdf(corpus_dir / "pdfjs__Pages-tree-refs.pdf", isolate=False)
    assert isolated.isolated and not inline.isolated
    assert isolated.model_dump(exclude={"seconds", "isolated"}) == inline.model_dump(
        exclude={"seconds", "isolated"}
    )


def test_input_error_pickles():
    import pickle

    err = E.encrypted("original.pdf", "Standard V5 R6 256-bit AES-256")
    back = pickle.loads(pickle.dumps(err))
    assert (back.kind, str(back), back.file, back.detail) == (
        err.kind, str(err), err.file, err.detail
    )
    with pytest.raises(ValueError):
        InputError("no_such_kind", "中", "en")


def test_pipeline_does_not_import_prefect():
    code = (
        "import sys; import pipeline.ingest, pipeline.store, pipeline.errors; "
        "sys.exit(1 if any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --------------------------------------------------------------------------- discovery

def _bundle(root: Path, name: str, submission=SPEC_SUBMISSION, original: bool = True) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    if submission is not None:
        text = submission if isinstance(submission, str) else json.dumps(submission, ensure_ascii=False, indent=2)
        (folder / "submission.json").write_text(text, encoding="utf-8")
    if original:
        _tiny_pdf(folder / "original.pdf")
    return folder


def _tiny_pdf(path: Path, pages: int = 1) -> Path:
    import pymupdf

    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"page {i + 1}")
    doc.save(path)
    doc.close()
    return path


def test_discover_single_bundle_and_batch(tmp_path):
    single = _bundle(tmp_path / "one", "HN-1")
    assert discover_bundles(single) == [single]
    batch = tmp_path / "batch"
    b = _bundle(batch, "b-bundle")
    a = _bundle(batch, "a-bundle", original=False)
    stray = batch / "c-no-files"
    stray.mkdir()
    (batch / "_truth").mkdir()
    (batch / ".cache").mkdir()
    (batch / "notes.txt").write_text("x")
    assert discover_bundles(batch) == [a, b, stray]
    assert discover_bundles(batch) == discover_bundles(batch)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert discover_bundles(empty) == []


def test_discover_bad_input(tmp_path):
    with pytest.raises(InputError) as exc:
        discover_bundles(tmp_path / "nope")
    assert exc.value.kind == "missing_file"
    f = tmp_path / "file.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError) as exc:
        discover_bundles(f)
    assert exc.value.kind == "not_a_folder"


def test_find_original_variants(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    assert find_original(folder) == folder / "original.pdf"  # missing: reported later
    (folder / "original.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert find_original(folder).name == "original.png"
    (folder / "Original.PDF").write_bytes(b"%PDF-1.4")
    assert find_original(folder).name == "Original.PDF"


# --------------------------------------------------------------------------- submission.json


def test_spec_example_loads_and_keeps_extras(tmp_path):
    data = dict(SPEC_SUBMISSION, intake_clerk="王芳")
    data["institution"] = dict(SPEC_SUBMISSION["institution"], registry_id=17)
    sub = load_submission(_bundle(tmp_path, "b", data))
    assert sub.bundle_id == "HN-2023-007"
    assert sub.notified_at == dt.datetime(2023, 6, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert sub.institution.valid_to == dt.date(2026, 2, 28)
    assert sub.institution.staff[1].roles == ["检验"]
    assert sub.institution.scope.factors[0] == "矽尘"
    assert sub.model_extra == {"intake_clerk": "王芳"}
    assert sub.institution.model_extra == {"registry_id": 17}
    assert sub.hours_to_receive == pytest.approx(32.5)
    assert sub.source_encoding == "utf-8"


def test_minimal_submission(tmp_path):
    minimal = {k: SPEC_SUBMISSION[k] for k in ("bundle_id", "notified_at", "received_at")}
    minimal["institution"] = {"name": "某检测公司"}
    sub = load_submission(_bundle(tmp_path, "b", minimal))
    assert sub.employer is None and sub.institution.staff == []


def _bad(tmp_path, submission, name="b") -> InputError:
    folder = _bundle(tmp_path, name, submission, original=False)
    with pytest.raises(InputError) as exc:
        load_submission(folder)
    _assert_bilingual(exc.value)
    assert exc.value.file == "submission.json"
    return exc.value


def _with(path: str, value) -> dict:
    data = json.loads(json.dumps(SPEC_SUBMISSION))
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is _DELETE:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


_DELETE = object()


def test_missing_submission_file(tmp_path):
    err = _bad(tmp_path, None)
    assert err.kind == "missing_file" and "submission.json" in err.zh


@pytest.mark.parametrize(
    "text, needle",
    [
        ("", "空"),
        ("   \n", "空"),
        ('{"bundle_id": "HN-1",\n "notified_at": }', "第 2 行"),
        ("[1, 2]", "数组"),
        ('{"bundle_id": "A", "bundle_id": "B"}', "不止一次"),
    ],
    ids=["empty", "blank", "not-json", "array", "duplicate-key"],
)
def test_malformed_submission_text(tmp_path, text, needle):
    err = _bad(tmp_path, text)
    assert err.kind == "bad_submission"
    assert needle in err.zh, err.zh


@pytest.mark.parametrize(
    "path, value, needles",
    [
        ("received_at", _DELETE, ["缺少必填字段 received_at", "received_at is missing"]),
        ("institution", _DELETE, ["institution"]),
        ("institution.name", _DELETE, ["institution.name"]),
        ("bundle_id", 7, ["bundle_id", "应为字符串", "数字"]),
        ("institution", ["x"], ["institution", "应为对象"]),
        ("institution.staff.0.roles", "采样", ["institution.staff[0].roles", "应为数组"]),
        ("notified_at", "2023-06-01 09:00", ["notified_at", "缺少时区"]),
        ("notified_at", "2023/06/01 09:00+08:00", ["notified_at", "ISO 8601"]),
        ("notified_at", 1685581200, ["notified_at", "数字"]),
        ("received_at", "2023-06-31T09:00:00+08:00", ["received_at", "不存在"]),
        ("institution.valid_to", "2026-2-28", ["institution.valid_to", "YYYY-MM-DD"]),
        ("institution.valid_to", "2026-02-30", ["institution.valid_to", "不存在"]),
        ("received_at", "2023-05-31T09:00:00+08:00", ["早于"]),
        ("bundle_id", "../evil", ["bundle_id", "输出文件夹"]),
        ("bundle_id", " HN-1", ["空格"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_submission_fields(tmp_path, path, value, needles):
    err = _bad(tmp_path, _with(path, value))
    assert err.kind == "bad_submission"
    for needle in needles:
        assert needle in str(err), str(err)


def test_error_names_approximate_line(tmp_path):
    err = _bad(tmp_path, _with("institution.valid_to", "2026/02/28"))
    assert err.field == "institution.valid_to"
    text = json.dumps(_with("institution.valid_to", "2026/02/28"), ensure_ascii=False, indent=2)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"valid_to"' in l)
    assert f"约第 {line} 行" in err.zh


def test_many_problems_are_summarised(tmp_path):
    data = {"bundle_id": 1, "notified_at": 2, "received_at": 3, "institution": 4, "employer": 5, "report_no": 6}
    err = _bad(tmp_path, data)
    assert "共 6 处问题" in err.zh


def test_bom_and_gbk_are_accepted(tmp_path):
    text = json.dumps(SPEC_SUBMISSION, ensure_ascii=False)
    bom = _bundle(tmp_path, "bom", None, original=False)
    (bom / "submission.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_submission(bom).institution.name == "河南安正检测技术有限公司"
    gbk = _bundle(tmp_path, "gbk", None, original=False)
    (gbk / "submission.json").write_bytes(text.replace("〔", "[").replace("〕", "]").encode("gbk"))
    sub = load_submission(gbk)
    assert sub.institution.legal_rep == "周明" and sub.source_encoding == "gb18030"


def test_fallback_bundle_id(tmp_path):
    folder = _bundle(tmp_path, "包-07", "not json", original=False)
    with pytest.raises(InputError) as exc:
        load_submission(folder)
    bundle_id, note = fallback_bundle_id(folder, exc.value)
    assert bundle_id == "包-07" and "包-07" in note and "submission.json" in note
    salvage = _bundle(tmp_path, "x", _with("received_at", _DELETE), original=False)
    with pytest.raises(InputError) as exc:
        load_submission(salvage)
    assert exc.value.bundle_id == "HN-2023-007"
    assert fallback_bundle_id(salvage, exc.value)[0] == "HN-2023-007"


# --------------------------------------------------------------------------- intake findings


def _sub(tmp_path, notified: str, received: str):
    data = dict(SPEC_SUBMISSION, notified_at=notified, received_at=received)
    folder = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
    return load_submission(_bundle(folder.parent, folder.name, data, original=False))


@pytest.mark.parametrize(
    "received, late",
    [
        ("2023-06-03T09:00:00+08:00", False),  # exactly 48 h: on time
        ("2023-06-03T09:00:01+08:00", True),
        ("2023-06-03T01:00:00Z", False),  # same instant as 09:00+08:00
        ("2023-06-03T01:00:01Z", True),
        ("2023-06-02T17:30:00+08:00", False),
    ],
)
def test_late_boundary(tmp_path, received, late):
    sub = _sub(tmp_path, "2023-06-01T09:00:00+08:00", received)
    codes = [f.code for f in intake_findings(sub, tmp_path, None, anonymized=None)]
    assert ("submission.late" in codes) == late


def test_late_message_names_both_times_and_hours(tmp_path):
    sub = _sub(tmp_path, "2023-06-01T09:00:00+08:00", "2023-06-03T10:15:00+08:00")
    (late,) = [f for f in intake_findings(sub, tmp_path, None, anonymized=None) if f.code == "submission.late"]
    assert late.message == (
        "通知时间 2023-06-01 09:00，收到时间 2023-06-03 10:15，用时 49.3 小时，超过 48 小时"
    )
    assert late.indicator is None and late.veto is False
    assert late.evidence[0].file == "submission.json" and late.evidence[0].bbox is None


def test_late_by_seconds_is_not_printed_as_48_0(tmp_path):
    sub = _sub(tmp_path, "2023-06-01T09:00:00+08:00", "2023-06-03T09:00:30+08:00")
    (late,) = [f for f in intake_findings(sub, tmp_path, None) if f.code == "submission.late"]
    assert "48 小时 0 分 30 秒" in late.message


def test_late_message_shows_offsets_when_they_differ(tmp_path):
    sub = _sub(tmp_path, "2023-06-01T09:00:00+08:00", "2023-06-03T06:00:00Z")
    (late,) = [f for f in intake_findings(sub, tmp_path, None) if f.code == "submission.late"]
    assert "UTC+08:00" in late.message and "UTC+00:00" in late.message
    assert "53.0 小时" in late.message


def test_anonymized_missing_present_and_unusable(tmp_path):
    bundle = _bundle(tmp_path, "b")
    info = inspect_pdf(bundle / "original.pdf", name="original.pdf")
    sub = load_submission(bundle)

    found = intake_findings(sub, bundle, info)
    assert [f.code for f in found] == ["anonymized.missing"]
    assert "未提交" in found[0].message
    assert found[0].indicator is None and found[0].veto is False

    _tiny_pdf(bundle / "anonymized.pdf")
    assert intake_findings(sub, bundle, info) == []

    (bundle / "anonymized.pdf").write_bytes(b"PK\x03\x04 not really a pdf")
    found = intake_findings(sub, bundle, info)
    assert [f.code for f in found] == ["anonymized.missing"]
    assert "已提交" in found[0].message and "无法使用" in found[0].message
    assert "ZIP" in found[0].message  # says why
    assert found[0].evidence[0].file == "anonymized.pdf"


def test_unopenable_original_gives_file_level_unreadable(tmp_path):
    bundle = _bundle(tmp_path, "b", original=False)
    (bundle / "original.pdf").write_bytes(b"")
    with pytest.raises(InputError) as exc:
        inspect_pdf(find_original(bundle), name="original.pdf")
    found = intake_findings(load_submission(bundle), bundle, exc.value, anonymized=None)
    (unreadable,) = [f for f in found if f.code == "input.unreadable"]
    assert unreadable.evidence[0].page is None and "空文件" in unreadable.message
