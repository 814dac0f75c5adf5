"""The sample ledger (样品台账) of ``findings.json``: every sample id found anywhere,
its factor, and the pages it appears on in each section type.

The id pattern is learned from the sampling record's id column (see ``ids.py``);
then every line of every page is searched with it, OCR-tolerantly, so an id printed
in a report table, a calculation sheet or a lab sheet is found even where that
section's table could not be rebuilt.
"""
from __future__ import annotations

from typing import Optional, Sequence

from pipeline.types import Page, SampleLedgerEntry, Section

from . import extract_records
from .ids import IdPattern, learn_pattern
from .records import BundleRecords

# Sections an expert reads the ledger for; they are listed (possibly empty) for every
# id when present in the bundle, so "not analysed" shows as ``"lab_analysis": []``.
CORE = ("sampling_record", "sample_transfer", "lab_analysis", "data_calculation", "report")


def learn_from_records(records: BundleRecords) -> Optional[IdPattern]:
    """The bundle's id pattern: sampling-record ids first, then transfer / lab ids."""
    for section in ("sampling_record", "sample_transfer", "lab_analysis"):
        ids = [v.value for v in records.sample_ids(section)]
        pat = learn_pattern(ids)
        if pat is not None:
            return pat
    return None


def find_ids(pages: Sequence[Page], sections: Sequence[Section], pattern: IdPattern) -> dict[str, dict[str, set[int]]]:
    """id → section type → pages, from every line of every page."""
    by_no = {p.no: p for p in pages}
    found: dict[str, dict[str, set[int]]] = {}
    for s in sections:
        for no in s.pages:
            p = by_no.get(no)
            if p is None:
                continue
            for ln in p.lines:
                for sid, _ in pattern.find(ln.text):
                    found.setdefault(sid, {}).setdefault(s.type, set()).add(no)
    return found


def _factors(records: BundleRecords) -> dict[str, str]:
    out: dict[str, str] = {}

    def put(sid, fac):
        if sid and fac and sid not in out:
            out[sid] = fac

    for s in records.sampling_records:
        for r in s.rows:
            put(r.value("sample_id"), r.value("factor"))
    for t in records.sample_transfers:
        for r in t.rows:
            put(r.value("sample_id"), r.value("factor"))
    for sh in records.lab_sheets:
        for r in sh.rows:
            put(r.value("sample_id"), sh.factor.value if sh.factor.ok else None)
    if records.data_calculation:
        for r in records.data_calculation.rows:
            put(r.value("sample_id"), r.value("factor"))
    return out


def build_ledger(pages: Sequence[Page], sections: Sequence[Section],
                 records: Optional[BundleRecords] = None, *,
                 staff: Optional[Sequence[str]] = None) -> list["SampleLedgerEntry"]:
    """Every sample id found anywhere, with factor and pages per section type.

    ``records`` is the result of :func:`extractors.extract_records` (computed here when
    not given). Never raises; returns ``[]`` when no id pattern can be learned.
    """
    try:
        if records is None:
            records = extract_records(pages, sections, staff=staff)
        pattern = learn_from_records(records)
        if pattern is None:
            return []
        found = find_ids(pages, sections, pattern)
        # ids read in tables but not matched by the page scan (odd OCR) still count
        for section in CORE:
            for v in records.sample_ids(section):
                if v.ok and v.page is not None:
                    canon = pattern.match(v.value) or v.value
                    found.setdefault(canon, {}).setdefault(section, set()).add(v.page)
        present = {s.type for s in sections}
        factors = _factors(records)
        sampled_order = {v.value: i for i, v in enumerate(records.sample_ids("sampling_record"))}
        entries = []
        for sid in sorted(found, key=lambda x: (sampled_order.get(x, 10**6), x)):
            seen = {t: tuple(sorted(found[sid].get(t, ()))) for t in CORE if t in present}
            for t, pgs in found[sid].items():
                if t not in seen:
                    seen[t] = tuple(sorted(pgs))
            entries.append(SampleLedgerEntry(sample_id=sid, factor=factors.get(sid), seen=seen))
        return entries
    except Exception:
        return []
