"""The one place that states the stage order for a bundle.

ingest → pages (text layer or OCR) → sections → records (+ sample ledger) → findings →
anonymize → write.

Every stage is a plain function. ``run_bundle`` calls them through ``call`` so the
Prefect flow (``flows/``) can pass a caller that turns each stage into a task with
retries and caching, without repeating the order or any business rule here.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from checks.base import run_checks
from extractors import extract_records
from extractors.ledger import build_ledger
from pipeline import anonymize, ingest, sections as sectioning, structure
from pipeline.codes import ANONYMIZED_SELF_CHECK_FAILED, INPUT_UNREADABLE
from pipeline.errors import InputError
from pipeline.fsio import atomic_path, atomic_write_text
from pipeline.outputs.checklist_xlsx import write_checklist_xlsx
from pipeline.outputs.report_html import write_report_html
from pipeline.pages import extract_pages
from pipeline.reread import Rereader
from pipeline.types import BundleResult, Finding, Page, SampleLedgerEntry, Section

ORIGINAL = "original.pdf"
ANONYMIZED = "anonymized.pdf"


@dataclass(frozen=True)
class Settings:
    """Run settings; picklable so stages can cross process boundaries."""

    cache_dir: Optional[str] = None  # page cache; None = no cache
    workers: int = 2
    dpi: int = 200
    page_timeout: float = 120.0
    ocr: bool = True
    max_pdf_bytes: int = 300 * 1024 * 1024
    max_pages: int = 2000
    anonymize: bool = True  # False: re-check only (no blind copy, no institution-copy check)
    hide_staff: bool = False  # blind copy also hides the registered staff names

    def key(self) -> str:
        """What changes page results; part of every cache key."""
        return f"dpi={self.dpi};ocr={self.ocr}"


@dataclass
class Intake:
    bundle_dir: str
    bundle_id: str
    submission: Optional[dict]  # submission.json as parsed (model_dump)
    error: Optional[str]  # fatal error for the bundle (bilingual)
    original_path: Optional[str] = None
    original_sha256: Optional[str] = None
    original_pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    info: dict = field(default_factory=dict)


@dataclass
class BundleOutcome:
    result: BundleResult
    folder: str
    pages: list[Page]
    timings: dict[str, float]
    sha256: Optional[str] = None


Caller = Callable[..., Any]


def _direct(fn: Callable, *args, **kwargs):
    return fn(*args, **kwargs)


# --------------------------------------------------------------------------- stages
def stage_intake(bundle_dir: str, settings: Settings) -> Intake:
    """Read submission.json and check original.pdf / anonymized.pdf without modifying them."""
    bdir = Path(bundle_dir)
    errors: list[str] = []
    sub = None
    try:
        sub = ingest.load_submission(bdir)
        bundle_id = sub.bundle_id
    except InputError as e:
        errors.append(str(e))
        bundle_id, _note = ingest.fallback_bundle_id(bdir, e)
    info: Any = None
    original = bdir / ORIGINAL
    try:
        original = ingest.find_original(bdir)
        info = ingest.inspect_pdf(original, max_bytes=settings.max_pdf_bytes, max_pages=settings.max_pages)
    except InputError as e:
        errors.append(str(e))
        info = e
    intake = Intake(
        bundle_dir=str(bdir),
        bundle_id=bundle_id,
        submission=sub.model_dump(mode="json") if sub is not None else None,
        error="；".join(errors) if errors else None,
        original_path=str(original),
    )
    if isinstance(info, ingest.PdfInfo):
        if info.kind == "image":  # a photographed/scanned page sent as JPEG/PNG/TIFF
            intake.original_path = str(image_as_pdf(original, info.sha256, settings))
        intake.original_sha256 = info.sha256
        intake.original_pages = info.page_count
        intake.info = info.model_dump(mode="json", exclude={"pages"})
    intake.findings = list(ingest.intake_findings(sub, bdir, info))
    return intake


def stage_pages(pdf_path: str, settings: Settings) -> list[Page]:
    return extract_pages(
        Path(pdf_path),
        cache_dir=Path(settings.cache_dir) if settings.cache_dir else None,
        workers=settings.workers,
        page_timeout=settings.page_timeout,
        ocr=settings.ocr,
        dpi=settings.dpi,
    )


def stage_sections(pages: list[Page]) -> list[Section]:
    return sectioning.split_sections(sectioning.type_pages(pages))


def stage_records(intake: Intake, pages: list[Page], sections: list[Section]) -> tuple[Any, list[SampleLedgerEntry]]:
    """Typed records with provenance, and the sample ledger built from them."""
    inst = (intake.submission or {}).get("institution") or {}
    staff = [m.get("name") for m in inst.get("staff") or [] if m.get("name")]
    rr = Rereader(Path(intake.original_path), pages) if intake.original_path else None
    try:
        records = extract_records(pages, sections, staff=staff or None, legal_rep=inst.get("legal_rep") or None,
                                  rereader=rr)
    finally:
        if rr is not None:
            rr.close()
    return records, build_ledger(pages, sections, records, staff=staff or None)


@dataclass
class FindingsOutcome:
    findings: list[Finding]
    checks: dict  # {"run": n, "skipped": [...], "errors": [...]} for findings.json


def stage_findings(intake: Intake, pages: list[Page], sections: list[Section],
                   records: Any = None, ledger: Optional[list[SampleLedgerEntry]] = None) -> FindingsOutcome:
    """Structural findings, then every registered check (``checks/``) on the records."""
    findings = list(intake.findings)
    have_unreadable = any(f.code == INPUT_UNREADABLE for f in findings)
    bad_pages = [p for p in pages if p.error]
    if bad_pages and not have_unreadable:
        findings.append(structure.unreadable_pages_finding(bad_pages))
    findings += structure.missing_section_findings(sections)
    findings += structure.out_of_order_findings(sections)
    info: dict = {"run": 0, "skipped": [], "errors": []}
    if records is not None:
        rr = Rereader(Path(intake.original_path), pages) if intake.original_path else None
        try:
            cr = run_checks(records, intake.submission or {}, sections=sections, ledger=ledger or [], pages=pages,
                            rereader=rr)
        finally:
            if rr is not None:
                rr.close()
        findings += cr.findings
        info = {"run": len(cr.findings), "skipped": cr.skipped, "errors": cr.errors, "checked": cr.checked,
                "reread_boxes": rr.calls if rr is not None else 0}
    return FindingsOutcome(findings, info)


@dataclass
class AnonOutcome:
    """What the anonymize stage made: our blind copy (staged until the folder is known),
    whether it verified clean, and findings on the institution's own copy."""

    summary: dict
    findings: list[Finding] = field(default_factory=list)
    staged_path: Optional[str] = None


def start_anonymize(intake: Intake, pages: list[Page], settings: Settings) -> Optional[Any]:
    """Queue the blind copy's first page work (the original's seal search) on the page
    workers, to run while this process reads the records; None when there is nothing to
    queue. Whatever fails here is done again, and reported, by ``stage_anonymize``."""
    if not settings.anonymize or intake.error:
        return None
    try:
        return anonymize.start_seal_search(Path(intake.original_path), pages, ocr_images=settings.ocr,
                                           workers=settings.workers)
    except Exception:
        return None


def stage_anonymize(intake: Intake, pages: list[Page], out_root: str, settings: Settings,
                    queued: Optional[Any] = None) -> AnonOutcome:
    """Write our anonymized copy of original.pdf (staged in ``out_root``), verify it, and
    verify the institution's own anonymized.pdf (``anonymized.leak`` findings).
    ``queued``: what ``start_anonymize`` queued."""
    sub = intake.submission or {}
    inst, emp = sub.get("institution") or {}, sub.get("employer") or {}
    cache = Path(settings.cache_dir) if settings.cache_dir else None
    findings: list[Finding] = []
    staging = Path(out_root) / ".anonymized-staging"
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / f"{safe_folder(intake.bundle_id)}-{hashlib.sha1(intake.bundle_dir.encode()).hexdigest()[:8]}.pdf"
    inst_copy = Path(intake.bundle_dir) / ANONYMIZED
    started: list[anonymize.InstitutionCheck] = []

    def queue_institution_copy() -> None:
        # Its re-reads need only the original's pages: queued once our copy's plan is made,
        # they keep the page workers busy while our copy is painted and read.
        try:
            started.append(anonymize.start_institution_check(
                inst_copy, ocr=settings.ocr, cache_dir=cache, workers=settings.workers,
                original=Path(intake.original_path), original_pages=pages))
        except Exception:
            pass  # check_institution_copy below starts over, and says what fails

    try:
        res = anonymize.anonymize_pdf(Path(intake.original_path), pages, inst, staged, employer=emp,
                                      ocr=settings.ocr, cache_dir=cache, workers=settings.workers,
                                      hide_staff=settings.hide_staff,
                                      after_plan=queue_institution_copy if inst_copy.is_file() else None,
                                      seal_search=queued)
        summary = res.summary()
    except Exception as e:  # our copy failing must not sink the bundle
        res = None
        summary = {"written": False, "safe": False, "leaks": [], "errors": [f"{type(e).__name__}: {e}"]}
    if not summary.get("safe"):
        shown = summary.get("leaks", [])[:5]
        named = tuple(x["page"] for x in shown if x.get("page"))  # the pages the message names
        what = "；".join(f"{x['channel']} 第{x['page']}页 “{x['text']}”" if x.get("page") else f"{x['channel']} “{x['text']}”"
                        for x in shown) or "；".join(summary.get("errors", [])[:3])
        findings.append(Finding(code=ANONYMIZED_SELF_CHECK_FAILED, message=(
            "本系统生成的隐去机构信息副本未通过自检，不可直接用于盲审" + (f"：{what}" if what else "")),
            pages=named, message_pages=named))
    if inst_copy.is_file():
        try:
            # Registered on the original page by page: only what the institution changed is read again.
            rep = anonymize.check_institution_copy(inst_copy, inst, employer=emp, ocr=settings.ocr,
                                                   cache_dir=cache, workers=settings.workers,
                                                   original=Path(intake.original_path), original_pages=pages,
                                                   original_seals=res.seals if res is not None else None,
                                                   started=started[0] if started else None)
            heights = _page_heights(inst_copy)
            findings += anonymize.leak_findings(rep.leaks, file=ANONYMIZED, page_heights=heights)
            summary["institution_copy"] = {"leaks": len(rep.leaks), "safe": rep.safe, "errors": rep.errors[:10]}
        except Exception as e:
            summary["institution_copy"] = {"error": f"{type(e).__name__}: {e}"}
    return AnonOutcome(summary=summary, findings=findings,
                       staged_path=str(staged) if summary.get("written") and staged.exists() else None)


def _page_heights(pdf: Path) -> dict[int, float]:
    import pymupdf

    with pymupdf.open(str(pdf)) as doc:
        return {i + 1: float(p.rect.height) for i, p in enumerate(doc)}


def stage_write(out_root: str, outcome: BundleOutcome, bundle_dir: str) -> str:
    """Write findings.json; returns the output folder name actually used.

    Two input bundles may claim one bundle_id: the second gets ``<id>-2`` so nothing
    is overwritten. A marker file remembers which input owns a folder, so a re-run
    of the same batch reuses its folders.
    """
    name = outcome.folder
    source = str(Path(bundle_dir).resolve())
    for n in range(1, 1000):
        candidate = name if n == 1 else f"{name}-{n}"
        folder = Path(out_root) / candidate
        marker = folder / ".bundle_source"
        if not marker.exists() or marker.read_text(encoding="utf-8") == source:
            break
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(source, encoding="utf-8")
    outcome.folder = candidate
    data = outcome.result.model_dump(mode="json", exclude_none=False)
    if data.get("error") is None:
        data.pop("error", None)
    atomic_write_text(folder / "findings.json", json.dumps(data, ensure_ascii=False, indent=2))
    _write_expert_files(folder, data, bundle_dir)
    return candidate


def _write_expert_files(folder: Path, data: dict, bundle_dir: str) -> None:
    """checklist.xlsx and report.html beside findings.json; a failure here is recorded in
    the folder (``outputs-error.txt``) and never loses findings.json."""
    problems = []
    try:
        checked = (data.get("checks") or {}).get("checked_indicators")
        write_checklist_xlsx(folder / "checklist.xlsx", data.get("bundle_id", folder.name), data.get("findings", []),
                             sections=data.get("sections"), status=data.get("status", "done"),
                             checked_indicators=checked if data.get("status") == "done" else None)
    except Exception as e:
        problems.append(f"checklist.xlsx: {type(e).__name__}: {e}")
    try:
        original = Path(bundle_dir) / ORIGINAL
        files = {ORIGINAL: original, ANONYMIZED: Path(bundle_dir) / ANONYMIZED}
        write_report_html(folder / "report.html", data, original_pdf=original if original.is_file() else None,
                          files={k: v for k, v in files.items() if v.is_file()})
    except Exception as e:
        problems.append(f"report.html: {type(e).__name__}: {e}")
    err = folder / "outputs-error.txt"
    if problems:
        atomic_write_text(err, "\n".join(problems) + "\n")
    elif err.exists():
        err.unlink()


# --------------------------------------------------------------------------- orchestration
def run_bundle(bundle_dir: str, out_root: str, settings: Settings, call: Caller = _direct) -> BundleOutcome:
    """Run every stage for one bundle. Never raises for bad input: returns a failed result."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    folder_name = safe_folder(Path(bundle_dir).name)
    anon: Optional[AnonOutcome] = None
    try:
        intake = call(stage_intake, bundle_dir, settings)
        timings["intake"] = time.perf_counter() - t0
        folder_name = safe_folder(intake.bundle_id)
        if intake.error:
            result = BundleResult(bundle_id=intake.bundle_id, status="failed", error=intake.error,
                                  findings=intake.findings)
            outcome = BundleOutcome(result, folder_name, [], timings, intake.original_sha256)
            outcome.folder = call(stage_write, out_root, outcome, bundle_dir)
            return outcome
        t = time.perf_counter()
        pages = call(stage_pages, intake.original_path, settings)
        timings["pages"] = time.perf_counter() - t
        t = time.perf_counter()
        sections = call(stage_sections, pages)
        timings["sections"] = time.perf_counter() - t
        # The page workers search the original for seals while this process reads records.
        queued = start_anonymize(intake, pages, settings)
        t = time.perf_counter()
        records, ledger = call(stage_records, intake, pages, sections)
        timings["records"] = time.perf_counter() - t
        t = time.perf_counter()
        fo = call(stage_findings, intake, pages, sections, records, ledger)
        findings = fo.findings
        timings["findings"] = time.perf_counter() - t
        t = time.perf_counter()
        if settings.anonymize:
            anon = call(stage_anonymize, intake, pages, out_root, settings, queued)
        else:
            anon = AnonOutcome(summary={"skipped": True, "written": False})
        timings["anonymize"] = time.perf_counter() - t
        result = BundleResult(
            bundle_id=intake.bundle_id,
            status="done",
            sections=sections,
            samples=ledger,
            findings=findings + anon.findings,
            anonymized=anon.summary,
            checks={"checked_indicators": fo.checks.get("checked", []), "skipped": fo.checks["skipped"],
                    "errors": fo.checks["errors"], "reread_boxes": fo.checks.get("reread_boxes", 0)},
        )
        outcome = BundleOutcome(result, folder_name, pages, timings, intake.original_sha256)
    except Exception as e:  # a bug or an unforeseen input must not stop the batch
        msg = (
            "处理该证据包时发生内部错误，已跳过，批次继续。 / Internal error while processing this bundle: "
            f"{type(e).__name__}: {e}"
        )
        result = BundleResult(bundle_id=folder_name, status="failed", error=msg,
                              traceback=traceback.format_exc(limit=5))
        outcome = BundleOutcome(result, folder_name, [], timings)
    timings["total"] = time.perf_counter() - t0
    outcome.folder = call(stage_write, out_root, outcome, bundle_dir)
    if anon is not None and anon.staged_path and Path(anon.staged_path).exists():
        # The folder is only final after stage_write (``<id>-2`` on a clash): move our copy in.
        Path(anon.staged_path).replace(Path(out_root) / outcome.folder / ANONYMIZED)
        try:
            Path(anon.staged_path).parent.rmdir()  # only when empty (other bundles may be staging)
        except OSError:
            pass
    return outcome


# --------------------------------------------------------------------------- helpers
def image_as_pdf(image: Path, sha256: str, settings: Settings) -> Path:
    """Wrap an image original as a one-page-per-frame PDF (EXIF orientation applied).

    Written beside the page cache (or a temp dir), never next to the original.
    """
    import tempfile

    import pymupdf
    from PIL import Image, ImageOps, ImageSequence

    root = Path(settings.cache_dir) if settings.cache_dir else Path(tempfile.gettempdir()) / "bundlecheck"
    target = root / "images" / f"{sha256}.pdf"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    with Image.open(image) as im:
        for frame in ImageSequence.Iterator(im):
            upright = ImageOps.exif_transpose(frame.convert("RGB"))
            import io

            buf = io.BytesIO()
            upright.save(buf, format="PNG")
            w, h = upright.size
            dpi = (im.info.get("dpi") or (150, 150))[0] or 150
            page = doc.new_page(width=w * 72.0 / dpi, height=h * 72.0 / dpi)
            page.insert_image(page.rect, stream=buf.getvalue())
    with atomic_path(target) as tmp:
        doc.save(tmp)
    doc.close()
    return target



_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_folder(name: str) -> str:
    """A bundle id usable as a folder name (ids come from submitted JSON)."""
    cleaned = _UNSAFE.sub("_", name).strip("._") or "bundle"
    if cleaned != name:
        cleaned += "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    return cleaned[:120]
