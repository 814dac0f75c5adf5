"""Import a ``bundlecheck run`` output folder: idempotent.

Reads ``OUT/summary.json`` (which bundles, their input folders), each
``OUT/<id>/findings.json`` (status, sections, findings, the ``anonymized`` verdict) and the
bundle's ``submission.json`` (identity, kept for the center only). A bundle whose
``findings.json`` bytes are unchanged is left alone; a changed one is updated, its findings
replaced only while no expert has judged any of them (otherwise it is reported, not touched).
A blind copy the pipeline calls safe is read again by :mod:`recheck` before it may be assigned.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pymupdf
from django.db import transaction

from django.conf import settings

from workbench.review import blind, recheck
from workbench.review.models import Batch, Bundle, Finding, PreflagDecision

_CITY = re.compile(r"(?:省|自治区)?([\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟))")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed on disk but already judged
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"新建 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}，"
                f"已有专家判断未覆盖 {len(self.kept)}，错误 {len(self.errors)}", *self.errors]


def city_of(address: str) -> str:
    """The city (地市) of a registered address: 河南省安阳市殷都区… → 安阳市."""
    m = _CITY.search(address.split("省", 1)[-1] if "省" in address else address)
    return m.group(1) if m else ""


def _submission(summary: dict, entry: dict, out: Path) -> Optional[dict]:
    candidates = []
    src = summary.get("input")
    if src:
        src = Path(src)
        candidates += [src / (entry.get("folder") or entry["bundle_id"]) / "submission.json", src / "submission.json"]
    candidates.append(out / entry["bundle_id"] / "submission.json")
    for c in candidates:
        if c.is_file():
            data = json.loads(c.read_text(encoding="utf-8"))
            if data.get("bundle_id") == entry["bundle_id"]:
                return data
    return None


def _page_count(pdf: Path) -> int:
    try:
        with pymupdf.open(pdf) as doc:
            return doc.page_count
    except Exception:  # an unreadable copy shows 0 pages; the verdict already says it is not safe
        return 0


def import_batch(out_dir: str | Path) -> ImportReport:
    out = Path(out_dir).resolve()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rep = ImportReport()
    batch, _ = Batch.objects.get_or_create(out_dir=str(out))
    if batch.summary != summary:
        batch.summary = summary
        batch.save(update_fields=["summary"])
    for entry in summary.get("bundles", []):
        bid = entry["bundle_id"]
        fpath = out / bid / "findings.json"
        if not fpath.is_file():
            rep.errors.append(f"{bid}: 缺少 findings.json")
            continue
        raw = fpath.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        existing = Bundle.objects.filter(bundle_id=bid).first()
        if existing and existing.findings_sha256 == sha:
            rep.unchanged.append(bid)
            continue
        res = json.loads(raw)
        sub = _submission(summary, entry, out) or {}
        judged = existing and PreflagDecision.objects.filter(finding__bundle=existing).exists()
        if judged:
            rep.kept.append(bid)
            continue
        _save(batch, existing, res, sub, out, entry, sha)
        (rep.updated if existing else rep.created).append(bid)
    return rep


@transaction.atomic
def _save(batch: Batch, bundle: Optional[Bundle], res: dict, sub: dict, out: Path, entry: dict, sha: str) -> None:
    bid = res.get("bundle_id") or entry["bundle_id"]
    inst = sub.get("institution") or {}
    anon = res.get("anonymized") or {}
    anon_pdf = out / bid / "anonymized.pdf"
    folder = Path(summary_input) if (summary_input := batch.summary.get("input")) else None
    original = folder / (entry.get("folder") or bid) / "original.pdf" if folder else None
    b = bundle or Bundle(bundle_id=bid)
    b.batch = batch
    b.status = res.get("status") or "failed"
    b.error = res.get("error") or ""
    b.institution_name = inst.get("name") or ""
    b.city = city_of(inst.get("address") or "")
    b.report_no = sub.get("report_no") or ""
    b.identity = inst
    b.submission = sub
    b.original_pdf = str(original) if original and original.is_file() else ""
    b.anonymized_pdf = str(anon_pdf) if anon_pdf.is_file() else ""
    b.anonymized_detail = {k: anon.get(k) for k in ("written", "safe", "errors", "leaks") if k in anon}
    b.anonymized_safe = bool(anon.get("safe")) and anon_pdf.is_file()
    if b.anonymized_safe and settings.WORKBENCH_RECHECK:
        ids = [s for s in Bundle(identity=inst).identity_strings()]
        b.anonymized_detail["workbench_check"] = chk = recheck.check_pdf(anon_pdf, ids)
        b.anonymized_safe = not chk["leaks"]
    b.page_count = _page_count(anon_pdf) if anon_pdf.is_file() else int(entry.get("pages") or 0)
    b.sections = res.get("sections") or []
    b.findings_sha256 = sha
    b.save()
    ids = b.identity_strings()
    b.findings.all().delete()
    Finding.objects.bulk_create([
        Finding(bundle=b, seq=i, code=f.get("code") or "", indicator=f.get("indicator"), veto=bool(f.get("veto")),
                message=f.get("message") or "", message_blind=blind.scrub(f.get("message") or "", ids),
                evidence=blind.blind_evidence(list(f.get("evidence") or []), ids))
        for i, f in enumerate(res.get("findings") or [], start=1)
    ])
