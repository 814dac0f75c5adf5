"""The check framework: one small module per check, registered with its indicators.

A check is a plain function ``fn(ctx: Ctx) -> Iterable[Finding]`` decorated with
:func:`check`. It reads typed records (``ctx.records``, see ``extractors/records.py``)
and the intake record (``ctx.submission``), never raw page text, and returns findings
with evidence (page and box) and a Chinese message naming the values it compared.

Absent inputs are never passed over silently:

- a needed *section* that is missing from the bundle is already a
  ``bundle.missing_section`` finding; the check is skipped and the skip is recorded
  (``run_checks`` returns it in ``skipped``);
- a needed section that is present but whose record could not be extracted, or a
  needed *field* that could not be read, becomes a ``check.cannot_decide`` finding
  against the indicator (``ctx.cannot_decide``), so the expert knows it was not checked.

Checks must not guess: a rule whose domain value is marked missing/unverified in
``../shared/domain`` says "cannot decide" as well.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

import checks
from checks import checklist
from extractors.records import BundleRecords, Row, Val
from extractors.text import find_dates, numbers
from pipeline import codes
from pipeline.types import SECTION_NAMES_ZH, Evidence, Finding, Page, SampleLedgerEntry, Section

ORIGINAL = "original.pdf"

# BundleRecords attribute → section type it is extracted from.
RECORD_SECTION = {
    "contract": "contract",
    "contract_review": "contract_review",
    "field_survey": "field_survey",
    "detection_plan": "detection_plan",
    "sampling_records": "sampling_record",
    "sample_transfers": "sample_transfer",
    "lab_sheets": "lab_analysis",
    "data_calculation": "data_calculation",
    "report": "report",
    "disclosure": "disclosure",
    "photos": "photos",
}

CANNOT_DECIDE = codes.CANNOT_DECIDE  # re-exported: checks import it from here


@dataclass(frozen=True)
class CheckSpec:
    name: str
    indicators: tuple[int, ...]
    needs: tuple[str, ...]
    fn: Callable[["Ctx"], Iterable[Finding]]
    doc: str = ""


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, *, indicators: Sequence[int], needs: Sequence[str] = ()):
    """Register ``fn`` as check ``name`` bearing on ``indicators``.

    ``name`` is ``iNNN_what``, NNN the first of ``indicators`` (the item its findings
    are filed under), and the check lives in ``checks/iNNN_*.py`` (one module may hold
    a theme's several checks: ``i017_qualification.py`` holds i017, i018, i019). The name is how
    findings.json's ``checks`` block and ``run_checks(only=…)`` refer to it.

    ``needs`` names ``BundleRecords`` attributes (``"report"``, ``"lab_sheets"``, …) the
    check cannot work without; the framework handles their absence (module docstring).
    """
    bad = [n for n in needs if n not in RECORD_SECTION]
    if bad:
        raise ValueError(f"check {name}: unknown record(s) {bad}")

    def deco(fn):
        if name in REGISTRY and REGISTRY[name].fn.__module__ != fn.__module__:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = CheckSpec(name, tuple(indicators), tuple(needs), fn, (fn.__doc__ or "").strip())
        return fn

    return deco


def load_all() -> dict[str, CheckSpec]:
    """Import every module of ``checks/`` so their decorators register."""
    for m in pkgutil.iter_modules(checks.__path__):
        if re.fullmatch(r"i\d{3}_\w+", m.name):  # checks/iNNN_what.py; not base, checklist, coverage
            importlib.import_module(f"checks.{m.name}")
    return REGISTRY


def veto_of(indicator: Optional[int]) -> bool:
    if indicator is None:
        return False
    try:
        return bool(checklist.item(indicator).veto)
    except Exception:  # unknown number: not a veto item by our data
        return False


# ------------------------------------------------------------------ context


def read_by_ocr(ctx: Any, v: Any) -> bool:
    """Whether a Val / Row was read from an OCR page (a scan) rather than a text layer:
    only then are misread digits and decimal points plausible. Unknown pages count as text."""
    page = getattr(v, "page", None)
    p = ctx.pages.get(page) if page is not None and getattr(ctx, "pages", None) else None
    return p is not None and p.source == "ocr"



@dataclass
class Ctx:
    """What a check reads. Built once per bundle by :func:`run_checks`."""

    records: BundleRecords
    submission: dict
    sections: Sequence[Section] = ()
    ledger: Sequence[SampleLedgerEntry] = ()
    pages: dict[int, Page] = field(default_factory=dict)
    check: Optional[CheckSpec] = None
    # (page, bbox) -> the box's text read a second time (scans only), or None
    rereader: Optional[Callable[[Optional[int], Any], Optional[str]]] = None

    def confirmed(self, *vals: Any, same: Optional[Callable[[Any, str], bool]] = None) -> bool:
        """Whether every scanned value a pre-flag hinges on reads the same a second time
        (dates as dates, numbers as numbers, text as text; ``same(value, text)`` decides
        for values of another kind). Values from a text layer, or with no re-reader
        available, stand as read. A box that cannot be read again does not confirm."""
        import datetime as _dt

        for v in vals:
            if v is None or not getattr(v, "ok", False):
                continue
            if self.rereader is None or not read_by_ocr(self, v) or getattr(v, "bbox", None) is None:
                continue
            text = self.reread(v)
            if not text:
                return False
            val = v.value
            if same is not None:
                if not same(val, text):
                    return False
            elif isinstance(val, _dt.date):
                if not any(d == val for d, _ in find_dates(text)):
                    return False
            elif isinstance(val, (int, float)) and not isinstance(val, bool):
                if not any(abs(x - float(val)) <= 1e-9 * max(1.0, abs(float(val))) for x in numbers(text)):
                    return False
            elif str(val).replace(" ", "") not in text.replace(" ", ""):
                return False
        return True

    def reread(self, v: Any) -> Optional[str]:
        """A second, closer OCR reading of the box of ``v`` (a Val or Row); None when the
        page is no scan or no re-reader is available. A pre-flag that hinges on one
        scanned value should stand only when this reading agrees."""
        if self.rereader is None:
            return None
        return self.rereader(getattr(v, "page", None), getattr(v, "bbox", None))

    # -- intake facts
    @property
    def institution(self) -> dict:
        return (self.submission or {}).get("institution") or {}

    @property
    def employer(self) -> dict:
        return (self.submission or {}).get("employer") or {}

    @property
    def staff(self) -> dict[str, dict]:
        """Registered staff by name (``roles``, ``specialty``)."""
        return {m["name"]: m for m in self.institution.get("staff") or [] if m.get("name")}

    def present(self, section_type: str) -> bool:
        return any(s.type == section_type for s in self.sections)

    def section_pages(self, section_type: str) -> list[int]:
        return [p for s in self.sections if s.type == section_type for p in s.pages]

    # -- findings
    def finding(self, code: str, indicator: Optional[int], message: str,
                evidence: Iterable[Any] = (), *, pages: Iterable[Optional[int]] = ()) -> Finding:
        """A finding; ``evidence`` items may be Val, Row, Evidence or (page, bbox, text).
        ``pages``: the page numbers ``message`` names (the same list it was formatted
        from); the finding's ``pages`` are these and its evidence pages."""
        named = tuple(sorted({p for p in pages if p is not None}))
        return Finding(code=code, indicator=indicator, veto=veto_of(indicator), message=message,
                       evidence=tuple(ev for ev in (to_evidence(e) for e in evidence) if ev is not None),
                       pages=named, message_pages=named)

    def cannot_decide(self, indicator: Optional[int], what: str, *, why: str = "",
                      evidence: Iterable[Any] = (), pages: Sequence[int] = ()) -> Finding:
        """'Could not check': the record or field ``what`` (Chinese) could not be read."""
        where = f"（第{'、'.join(map(str, sorted(set(pages))))}页）" if pages else ""
        ev = list(evidence) or [Evidence(file=ORIGINAL, page=p, bbox=None, text="") for p in sorted(set(pages))]
        msg = f"未能从证据包中读取{what}{where}，指标{indicator}无法自动核查，请专家人工核对"
        if why:
            msg += f"（{why}）"
        return self.finding(CANNOT_DECIDE, indicator, msg, ev, pages=pages)


def to_evidence(e: Any) -> Optional[Evidence]:
    if e is None:
        return None
    if isinstance(e, Evidence):
        return e
    if isinstance(e, Val):
        if e.page is None:
            return None
        return e.evidence(ORIGINAL)
    if isinstance(e, Row):
        if e.page is None:
            return None
        text = " ".join(str(v.raw or v.value) for v in e.fields.values() if v is not None and v.ok)
        return Evidence(file=ORIGINAL, page=e.page, bbox=e.bbox, text=text[:200])
    if isinstance(e, tuple) and len(e) == 3:
        page, bbox, text = e
        return Evidence(file=ORIGINAL, page=page, bbox=bbox, text=text or "")
    raise TypeError(f"cannot make evidence from {type(e).__name__}")


def fmt_date(d: Any) -> str:
    """2022年6月14日 (how experts write dates)."""
    if d is None:
        return "?"
    if hasattr(d, "year"):
        return f"{d.year}年{d.month}月{d.day}日"
    return str(d)


# ------------------------------------------------------------------ runner


def _record_available(records: BundleRecords, name: str) -> bool:
    v = getattr(records, name, None)
    return bool(v) if isinstance(v, list) else v is not None


@dataclass
class CheckRun:
    findings: list[Finding]
    skipped: list[dict]  # {"check", "indicators", "reason"}
    errors: list[dict]  # {"check", "error"}
    checked: list[int] = field(default_factory=list)  # indicators whose checks ran to the end


def run_checks(records: BundleRecords, submission: dict, *, sections: Sequence[Section] = (),
               ledger: Sequence[SampleLedgerEntry] = (), pages: Sequence[Page] = (),
               only: Optional[Sequence[str]] = None,
               rereader: Optional[Callable[[Optional[int], Any], Optional[str]]] = None) -> CheckRun:
    """Run every registered check (or ``only`` these) on one bundle. Never raises."""
    specs = load_all()
    page_map = {p.no: p for p in pages}
    out: list[Finding] = []
    skipped: list[dict] = []
    errors: list[dict] = []
    checked: set[int] = set()
    for name in sorted(specs):
        if only is not None and name not in only:
            continue
        spec = specs[name]
        ctx = Ctx(records, submission or {}, sections, ledger, page_map, spec, rereader)
        missing_sections = [RECORD_SECTION[n] for n in spec.needs
                            if not ctx.present(RECORD_SECTION[n])]
        if missing_sections:
            skipped.append({"check": name, "indicators": list(spec.indicators),
                            "reason": "section missing: " + ", ".join(missing_sections)})
            continue
        unextracted = [n for n in spec.needs if not _record_available(records, n)]
        if unextracted:
            for n in unextracted:
                sec = RECORD_SECTION[n]
                out.append(ctx.cannot_decide(spec.indicators[0] if spec.indicators else None,
                                             f"{SECTION_NAMES_ZH.get(sec, sec)}的内容",
                                             why="该部分存在但未能识别出表单结构",
                                             pages=ctx.section_pages(sec)))
            continue
        try:
            out.extend(f for f in spec.fn(ctx) or () if f is not None)
            checked.update(spec.indicators)
        except Exception as e:  # a check bug must not lose the other checks' findings
            errors.append({"check": name, "error": f"{type(e).__name__}: {e}",
                           "traceback": traceback.format_exc(limit=4)})
    return CheckRun(_dedupe(out), skipped, errors, sorted(checked))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set = set()
    out = []
    for f in findings:
        key = (f.code, f.indicator, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
