"""Ground truth for one generated bundle, written OUTSIDE the bundle folder.

``build_truth`` joins the scenario (what was meant) with the renderer's placements
(where it was drawn) into one JSON-serialisable dict:

- ``sections`` / ``page_types``: section type per page, as contiguous runs;
- ``defects``: planted defects with the expected finding code and the pages holding
  the evidence;
- ``identity``: every identity string printed anywhere (text, field, channel, pages)
  plus the PDF metadata values that carry it;
- ``samples``: the sample ledger (pages per section type, as the spec's ``samples``);
- ``records``: the key record values later issues extract (dates, signers, counts,
  masses, concentrations, results, limits, judgements);
- ``anonymized``: the institution's blind copy, its planted leaks and where they show.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from typing import Any, Iterable, Optional

from samples.model import Placement, RenderedBundle, Scenario
from samples.scenario import disclosure_deadline, submission_dict

TRUTH_VERSION = 1
# Veto (★) items of attachment 3.
VETO_INDICATORS = frozenset({1, 2, 17, 18, 19, 20, 21, 22, 75, 76, 77, 78, 79, 80, 88, 89, 93, 94})
IDENTITY_FIELDS = ("name", "certificate_no", "lab_address", "address", "phone", "website", "email", "legal_rep")


def norm(s: str) -> str:
    """Full-width digits/colons → half-width, no spaces (how the truth matches printed text)."""
    return unicodedata.normalize("NFKC", s or "").replace(" ", "").replace("\u3000", "")


def jsonable(v: Any) -> Any:
    """Dataclasses, dates and tuples → plain JSON values (dates as ISO strings)."""
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: jsonable(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items() if not str(k).startswith("_")}
    if isinstance(v, (list, tuple, set)):
        return [jsonable(x) for x in v]
    return v


def runs(page_types: list[str]) -> list[dict]:
    """Contiguous runs of equal section type: [{"type", "pages"}] (1-based)."""
    out: list[dict] = []
    for i, t in enumerate(page_types, 1):
        if out and out[-1]["type"] == t and out[-1]["pages"][-1] == i - 1:
            out[-1]["pages"].append(i)
        else:
            out.append({"type": t, "pages": [i]})
    return out


def identity_terms(s: Scenario) -> list[tuple[str, str]]:
    """(text, field) for every identity string, longest first (the lab address wins over
    the address it contains)."""
    i = s.identity
    terms = [(getattr(i, f), f) for f in IDENTITY_FIELDS] + [(a, "alias") for a in i.aliases]
    seen, out = set(), []
    for t, f in sorted(terms, key=lambda x: -len(x[0])):
        if t and len(t) >= 2 and t not in seen:
            seen.add(t)
            out.append((t, f))
    return out


def find_identity(text: str, terms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Identity strings inside text, non-overlapping, longest first."""
    t = norm(text)
    hits = []
    taken: list[tuple[int, int]] = []
    for term, field in terms:
        nt = norm(term)
        start = t.find(nt)
        while start >= 0:
            end = start + len(nt)
            if not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                hits.append((term, field))
            start = t.find(nt, end)
    return hits


def identity_printed(s: Scenario, rb: RenderedBundle) -> list[dict]:
    """[{"text", "field", "channel", "pages"}] for a rendered PDF, plus metadata entries."""
    terms = identity_terms(s)
    found: dict[tuple[str, str, str], set[int]] = {}
    for p in rb.placements:
        if p.channel == "metadata" or p.page < 1:
            continue
        hits = find_identity(p.text, terms)
        if not hits and p.tag == "identity":
            hits = [(p.text, "other")]
        for term, field in hits:
            found.setdefault((term, field, p.channel), set()).add(p.page)
    out = [{"text": t, "field": f, "channel": c, "pages": sorted(pg)} for (t, f, c), pg in found.items()]
    for key, val in sorted(rb.metadata.items()):
        for term, field in find_identity(str(val), terms):
            out.append({"text": term, "field": field, "channel": "metadata", "pages": [], "metadata_key": key})
    return sorted(out, key=lambda x: (x["channel"], x["field"], x["text"]))


def sample_ledger(s: Scenario, rb: RenderedBundle) -> list[dict]:
    """Each sample id with the pages it is printed on, per section type."""
    ids = {x.sample_id: x for x in s.samples}
    nid = {norm(k): k for k in ids}
    seen: dict[str, dict[str, set[int]]] = {k: {} for k in ids}
    for p in rb.placements:
        if p.page < 1 or p.tag == "identity":
            continue
        t = norm(p.text)
        if p.tag == "sample_id" and t in nid:
            hits = [nid[t]]
        else:  # ids inside longer strings (e.g. "S22061401、S22061402" in a results cell)
            hits = [k for nk, k in nid.items() if nk in t] if any(ch.isdigit() for ch in t) else []
        for k in hits:
            sec = rb.page_types[p.page - 1]
            seen[k].setdefault(sec, set()).add(p.page)
    out = []
    for k, x in ids.items():
        out.append({
            "sample_id": k, "factor": x.factor, "date": x.date.isoformat(), "blank": x.is_blank,
            "post": x.post, "seen": {sec: sorted(pg) for sec, pg in sorted(seen[k].items())},
        })
    return out


def _pages_of(rb: RenderedBundle, sections: Iterable[str]) -> list[int]:
    want = set(sections)
    return [i for i, t in enumerate(rb.page_types, 1) if t in want]


def defect_pages(d, rb: RenderedBundle) -> list[int]:
    """Pages of the evidence: pages of the defect's sections printing one of its
    evidence strings, or all pages of those sections when none prints one."""
    pages = _pages_of(rb, d.sections)
    if not pages:
        return []
    needles = [norm(e) for e in d.evidence if e]
    hit = sorted({p.page for p in rb.placements if p.page in pages and any(n and n in norm(p.text) for n in needles)})
    return hit or pages


def records(s: Scenario) -> dict:
    """Key record values (what later issues extract), JSON-ready."""
    by_id = {x.sample_id: x for x in s.samples}
    lab_present = "lab_analysis" not in s.missing_sections
    r = s.report
    return {
        "contract": jsonable(s.contract),
        "contract_review": jsonable(s.contract_review),
        "survey": jsonable(s.survey),
        "plan": jsonable(s.plan),
        "sampling_days": [
            {**{k: jsonable(getattr(d, k)) for k in ("date", "weather", "temperature_c", "pressure_kpa",
                                                      "humidity_pct", "samplers", "escort", "checker",
                                                      "calibration_before", "calibration_after", "equipment")},
             "sample_ids": [x.sample_id for x in d.samples]}
            for d in s.sampling_days
        ],
        "samples": [
            {**jsonable(x), "volume_l": x.volume_l, "flow": x.flow} for x in s.samples
        ],
        "noise": jsonable(s.noise),
        "transfers": jsonable(s.transfers),
        "lab_sheets": jsonable(s.lab_sheets) if lab_present else [],
        "lab_sheets_not_printed": [] if lab_present else jsonable(s.lab_sheets),
        "report": {
            **{k: jsonable(getattr(r, k)) for k in ("report_no", "title", "issue_date", "author", "reviewer",
                                                    "issuer", "team", "results", "noise", "basis",
                                                    "conclusions", "recommendations", "cause_analyses",
                                                    "cause_place", "workers_total", "products_text", "output_t",
                                                    "load_pct", "materials", "post_analysis", "layout")},
        },
        "disclosure": {**jsonable(s.disclosure), "deadline": disclosure_deadline(r.issue_date).isoformat()},
        "photos": jsonable(s.photos),
        "factors": jsonable(s.factors),
        "employer": jsonable(s.employer),
        "posts": jsonable(s.posts),
        "counts": {
            "posts": len(s.posts),
            "factors": len(s.factors),
            "sampling_days": len(s.sampling_days),
            "samples": sum(1 for x in s.samples if not x.is_blank),
            "blanks": sum(1 for x in s.samples if x.is_blank),
            "transferred": len({i for t in s.transfers for i in t.sample_ids}),
            "analysed": len({row.sample_id for sh in s.lab_sheets for row in sh.rows}) if lab_present else 0,
            "reported": len({i for row in r.results for i in row.sample_ids if i in by_id}),
            "result_rows": len(r.results),
            "noise_points": len(s.noise),
            "not_compliant": sum(1 for x in r.results if x.judgement == "不合格")
            + sum(1 for m in r.noise if m.judgement == "不合格"),
            "photos": len(s.photos),
        },
    }


def build_truth(scenario: Scenario, original: RenderedBundle, anonymized: Optional[RenderedBundle], *,
                scanned: bool, folder: Optional[str] = None) -> dict:
    """The ground-truth dict for one bundle (see module docstring for the keys)."""
    s = scenario
    defects = []
    for d in s.defects:
        if d.kind == "anonymized_leak" and anonymized is not None:
            leaks = identity_printed(s, anonymized)
            pages = sorted({p for x in leaks for p in x["pages"]})
        else:
            pages = defect_pages(d, original)
        defects.append({
            "kind": d.kind, "indicator": d.indicator, "code": d.code,
            "veto": d.indicator in VETO_INDICATORS if d.indicator else False,
            "detail": jsonable(d.detail), "also": list(d.also), "sections": list(d.sections),
            "evidence": list(d.evidence), "file": "anonymized.pdf" if d.kind == "anonymized_leak" else "original.pdf",
            "pages": pages,
        })
    anon: dict = {"present": s.anonymized.present, "planted_leaks": list(s.anonymized.leaks)}
    if anonymized is not None:
        anon.update({"pages": len(anonymized.page_types), "identity_printed": identity_printed(s, anonymized),
                     "metadata": dict(anonymized.metadata)})
    st = s.style
    return {
        "truth_version": TRUTH_VERSION,
        "bundle_id": s.bundle_id,
        "folder": folder or s.bundle_id,
        "seed": s.seed,
        "clean": not s.defects,
        "scanned": scanned,
        "pages": len(original.page_types),
        "style": {
            "scanned": st.scanned, "dpi": st.dpi, "colour": st.colour, "date_style": st.date_style,
            "fullwidth_digits": st.fullwidth_digits, "layout": st.layout, "sample_id_format": st.sample_id_format,
            "labels": dict(st.labels), "column_order": dict(st.column_order),
            "rotated_pages": {str(p): st.rotation_angles.get(p, 90) for p in st.rotated_pages
                              if p <= len(original.page_types)},
        },
        "sections": runs(original.page_types),
        "page_types": list(original.page_types),
        "missing_sections": sorted(set(s.missing_sections) | ({"contract_review"} if s.contract_review is None else set())),
        "defects": defects,
        "identity": {
            "fields": {k: v for k, v in submission_dict(s)["institution"].items() if k not in ("staff", "scope")},
            "printed": identity_printed(s, original),
            "metadata": dict(original.metadata),
        },
        "samples": sample_ledger(s, original),
        "records": records(s),
        "anonymized": anon,
        "family": getattr(st, "family", "a") or "a",  # form-design family (samples.render / samples.render_b)
    }


def placements_text_by_page(placements: Iterable[Placement]) -> dict[int, str]:
    """Concatenated placement text per page (debugging aid for truth checks)."""
    out: dict[int, list[str]] = {}
    for p in placements:
        out.setdefault(p.page, []).append(p.text)
    return {k: "\n".join(v) for k, v in out.items()}
