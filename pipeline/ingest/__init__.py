"""Ingest: find bundles, read ``submission.json``, inspect the PDFs, intake findings.

The first stage of ``run_bundle()``. It never modifies an input file and never lets a
bad file stop the batch: everything wrong with a bundle's input is raised as one
:class:`~pipeline.errors.InputError` with a stable ``kind`` and a Chinese + English
message (``pipeline/errors.py``). One module per job:

- ``discover.py`` — :func:`discover_bundles`: INPUT is one bundle folder or a folder
  of bundle folders; the file names inside a bundle (:func:`find_original`, …).
- ``submission.py`` — :func:`load_submission`: ``submission.json`` →
  :class:`Submission` (spec §1), with errors that name the field, its JSON path and
  (about) its line.
- ``pdf.py`` — :func:`inspect_pdf`: open ``original.pdf`` / ``anonymized.pdf``
  read-only in a child process under a time limit (``pipeline/workers.py``); hash,
  size, pages, per-page load errors, a cheap per-page text-layer check, encryption,
  repair, metadata → :class:`PdfInfo`.
- ``findings.py`` — :func:`intake_findings`: ``submission.late``,
  ``anonymized.missing`` and ``input.unreadable`` (spec §3, ``indicator: null``,
  ``veto: false``).

Decisions worth knowing (also in the report to the lead):

- A present but unusable ``anonymized.pdf`` (encrypted, not a PDF, empty, broken…)
  yields ``anonymized.missing`` whose message says it was submitted but cannot be
  opened and why: for blind review it is as good as missing.
- ``original.pdf`` may also be a plain image (``original.jpg``/``.png``/``.tif``…)
  when its *content* is that image; a ``.pdf`` whose content is an image or a Word file
  is rejected as ``not_a_pdf`` (content and name disagree: an upload mistake).
- A page whose text layer is undecodable garbage *and* whose fonts are not embedded
  and which holds no image is unreadable: the renderer has to guess glyphs through the
  same broken encoding, so OCR of the render cannot recover it either
  (``pdfjs__90ms_rksj_h_sample.pdf``). Garbage text with embedded fonts is *not*
  unreadable: the pages stage OCRs the render.
- When every page of a file is unreadable, :func:`inspect_pdf` raises
  ``no_readable_pages`` (the bundle fails with that message); when only some are, it
  returns them in :attr:`PdfInfo.unreadable_pages` and the rest is processed.
"""
from __future__ import annotations

from ..workers import IsolatedWorker, WorkerCrashed, WorkerTimeout, run_isolated, shutdown_workers
from .discover import (
    ANONYMIZED_PDF,
    IMAGE_SUFFIXES,
    ORIGINAL_PDF,
    SUBMISSION_JSON,
    discover_bundles,
    find_anonymized,
    find_original,
    is_bundle_dir,
)
from .findings import (
    LATE_AFTER,
    anonymized_findings,
    intake_findings,
    late_finding,
    unreadable_findings,
)
from .pdf import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_TIMEOUT_S,
    PageInfo,
    PdfInfo,
    file_sha256,
    garbage_ratio,
    inspect_pdf,
)
from .submission import (
    Employer,
    Institution,
    Scope,
    StaffMember,
    Submission,
    fallback_bundle_id,
    load_submission,
)

__all__ = [
    "ANONYMIZED_PDF",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_TIMEOUT_S",
    "Employer",
    "IMAGE_SUFFIXES",
    "Institution",
    "IsolatedWorker",
    "LATE_AFTER",
    "ORIGINAL_PDF",
    "PageInfo",
    "PdfInfo",
    "SUBMISSION_JSON",
    "Scope",
    "StaffMember",
    "Submission",
    "WorkerCrashed",
    "WorkerTimeout",
    "anonymized_findings",
    "discover_bundles",
    "fallback_bundle_id",
    "file_sha256",
    "find_anonymized",
    "find_original",
    "garbage_ratio",
    "inspect_pdf",
    "intake_findings",
    "is_bundle_dir",
    "late_finding",
    "load_submission",
    "run_isolated",
    "shutdown_workers",
    "unreadable_findings",
]
