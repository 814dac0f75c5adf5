"""bundlecheck extractors: typed records with provenance from pages and sections.

Entry points:

- :func:`extract_records` — ``(pages, sections) -> BundleRecords``; never raises.
- :func:`extractors.ledger.build_ledger` — the ``samples`` ledger of findings.json.

Per section type one module in ``extractors/forms/`` (registered by decorator);
``table.py`` rebuilds tables from boxes, ``layout.py`` reads label/value pairs and
signature blocks, ``text.py`` parses dates/times/numbers/names, ``ids.py`` learns the
bundle's sample-id pattern. This package never imports prefect.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from pipeline.types import Page, Section

from .forms._common import contact_names
from .ids import learn_pattern
from .layout import grid
from .seals import join_seals
from .records import BundleRecords, Val
from .registry import Ctx, load_all
from .prose import add_prose_facts
from .forms._report_posts import add_post_sentences
from .slots import add_page_facts

__all__ = ["extract_records", "BundleRecords", "Val"]


@dataclass
class BundleCtx(Ctx):
    """``Ctx`` plus the names each contract party's people may carry (only the contract
    extractor reads them): the employer's (escorts, the contact person other records
    name) and the institution's (registered staff, legal representative)."""

    employer_names: list[str] = field(default_factory=list)
    institution_names: list[str] = field(default_factory=list)

# Extraction order: the sampling record first, because its id column teaches the
# id pattern the other sections' tables are validated with.
_ORDER = (
    "sampling_record", "sample_transfer", "lab_analysis", "data_calculation", "report",
    "contract", "contract_review", "field_survey", "detection_plan", "disclosure", "photos",
)


def extract_records(pages: Sequence[Page], sections: Sequence[Section], *,
                    staff: Optional[Sequence[str]] = None, legal_rep: Optional[str] = None,
                    rereader: Optional[Callable[[int, Any], Optional[str]]] = None) -> BundleRecords:
    """All typed records found in the bundle, per section type.

    ``staff`` (registered staff names, from ``submission.json``) helps split and
    resolve hand-signed names; without it names are split heuristically.
    ``legal_rep`` (``institution.legal_rep`` of ``submission.json``) is who often signs
    the contract for the institution; it only helps read the contract's signers.
    ``rereader`` (``pipeline.reread.Rereader``) reads a scanned box a second time,
    closer; extractors use it for the few values OCR garbles most (photo watermarks).
    Never raises: an extractor that fails leaves its record ``None`` and a note.
    """
    notes: list[str] = []
    out: dict = {}
    try:
        extractors = load_all()
        # name seals read row by row become the names they hold, for every reader below
        pages = [join_seals(p) for p in pages]
        by_no = {p.no: p for p in pages}
        grids: dict[int, object] = {}

        def section_grids(stype: str):
            gs = []
            for s in sections:
                if s.type == stype:
                    for no in s.pages:
                        if no in by_no:
                            if no not in grids:
                                try:
                                    grids[no] = grid(by_no[no])
                                except Exception as e:  # a malformed page must not stop the bundle
                                    notes.append(f"page {no}: cannot lay out: {e}")
                                    continue
                            gs.append(grids[no])
            return gs

        known = list(dict.fromkeys(n for n in (staff or []) if n))
        # Who may sign for each contract party. The employer's people (escorts, the contact
        # the survey and disclosure records name) and the institution's (staff, legal
        # representative) are kept apart, so a reading is never completed to the other
        # party's name.
        institution = list(dict.fromkeys(known + ([legal_rep] if legal_rep else [])))
        employer: list[str] = []
        id_pattern = None
        for stype in _ORDER:
            fn = extractors.get(stype)
            gs = section_grids(stype)
            if fn is None:
                continue
            if not gs:
                notes.append(f"{stype}: section not found")
                continue
            ctx = BundleCtx(stype, gs, known, id_pattern)
            ctx.rereader = rereader
            if stype == "contract":
                for other in ("field_survey", "disclosure"):
                    try:
                        employer.extend(contact_names(section_grids(other)))
                    except Exception as e:  # a hint only: never stop the contract
                        notes.append(f"contract: cannot read {other} contact: {type(e).__name__}: {e}")
                ctx.employer_names = list(dict.fromkeys(employer))
                ctx.institution_names = institution
            try:
                res = fn(ctx)
            except Exception as e:
                notes.append(f"{stype}: extractor failed: {type(e).__name__}: {e}")
                notes.append(traceback.format_exc(limit=3))
                res = None
            notes.extend(ctx.notes)
            if stype == "sampling_record":
                ids = [r.fields["sample_id"].value for s in (res or []) for r in s.rows
                       if "sample_id" in r.fields and r.fields["sample_id"].ok]
                id_pattern = learn_pattern(ids)
                if id_pattern is not None:
                    # second pass with the learned pattern: rows whose id OCR garbled
                    # (S→$, O→0) are recognised as rows instead of joining a neighbour
                    try:
                        ctx2 = BundleCtx(stype, gs, known, id_pattern)
                        res = fn(ctx2)
                    except Exception as e:
                        notes.append(f"{stype}: second pass failed: {type(e).__name__}: {e}")
                # escorts are names too (employer staff, not registered)
                for s in res or []:
                    if s.escort.ok:
                        known.append(s.escort.value)
                        employer.append(s.escort.value)
                if id_pattern is None:
                    notes.append("sampling_record: no sample ids read; id pattern unknown")
            if stype in ("sample_transfer", "lab_analysis") and id_pattern is None and res:
                rows = [r for rec in res for r in rec.rows]
                id_pattern = learn_pattern([r.fields["sample_id"].value for r in rows
                                            if "sample_id" in r.fields and r.fields["sample_id"].ok])
            out[stype] = res
        rec = BundleRecords(
            contract=out.get("contract"),
            contract_review=out.get("contract_review"),
            field_survey=out.get("field_survey"),
            detection_plan=out.get("detection_plan"),
            sampling_records=out.get("sampling_record") or [],
            sample_transfers=out.get("sample_transfer") or [],
            lab_sheets=out.get("lab_analysis") or [],
            data_calculation=out.get("data_calculation"),
            report=out.get("report"),
            disclosure=out.get("disclosure"),
            photos=out.get("photos") or [],
            sample_id_pattern=id_pattern.regex if id_pattern else None,
            notes=notes,
        )
        turned = {no: g.to_pdf for no, g in grids.items() if getattr(g, "to_pdf", None)}
        rec = _boxes_to_pdf(rec, turned) if turned else rec
        # the signature slots and page words checks read (boxes already as displayed), and
        # the report's sentences read against every record's names
        return add_post_sentences(add_prose_facts(add_page_facts(rec, pages)))
    except Exception as e:  # last line of defence: never raise
        notes.append(f"extract_records failed: {type(e).__name__}: {e}")
        return BundleRecords(notes=notes)


def _boxes_to_pdf(rec: BundleRecords, turned: dict) -> BundleRecords:
    """Map provenance boxes of turned pages back to displayed PDF coordinates."""

    def walk(o):
        if isinstance(o, dict):
            if "bbox" in o and o.get("bbox") and o.get("page") in turned:
                o = dict(o)
                o["bbox"] = tuple(round(v, 2) for v in turned[o["page"]](tuple(o["bbox"])))
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        if isinstance(o, tuple):
            return tuple(walk(v) for v in o)
        return o

    try:
        return BundleRecords.model_validate(walk(rec.model_dump()))
    except Exception:
        return rec
