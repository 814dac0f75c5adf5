"""Intake findings: what ingest can tell on its own (spec §3, ``indicator: null``, ``veto: false``).

- ``submission.late`` — received more than 48 hours after notification;
- ``anonymized.missing`` — ``anonymized.pdf`` absent, or present but unusable
  (encrypted, not a PDF, empty, broken…): for blind review that is as good as missing;
- ``input.unreadable`` — unreadable pages of a file, or a whole file that cannot be opened.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Optional, Union

from .. import errors as E
from ..codes import ANONYMIZED_MISSING, INPUT_UNREADABLE, SUBMISSION_LATE
from ..errors import InputError
from ..types import Evidence, Finding
from .discover import ANONYMIZED_PDF, ORIGINAL_PDF, SUBMISSION_JSON, find_anonymized
from .pdf import PdfInfo, inspect_pdf
from .submission import Submission

#: ``submission.late`` when received_at − notified_at is MORE than this (48 h is on time).
LATE_AFTER = dt.timedelta(hours=48)

_UNSET: Any = object()


def _fmt_time(t: dt.datetime, show_offset: bool) -> str:
    text = t.strftime("%Y-%m-%d %H:%M:%S" if t.second or t.microsecond else "%Y-%m-%d %H:%M")
    if show_offset:
        text += f"（UTC{t.strftime('%z')[:3]}:{t.strftime('%z')[3:]}）"
    return text


def _fmt_hours(delta: dt.timedelta) -> str:
    hours = Decimal(delta.total_seconds()) / Decimal(3600)
    shown = hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{shown} 小时"
    if shown <= Decimal(48):  # e.g. 48 h 0 min 30 s would print as "48.0": show it exactly
        total = int(delta.total_seconds())
        h, rest = divmod(total, 3600)
        m, s = divmod(rest, 60)
        text += f"（{h} 小时 {m} 分 {s} 秒）"
    return text


def late_finding(sub: "Submission") -> Optional[Finding]:
    """``submission.late`` when received_at − notified_at > 48 h (exactly 48 h is on time)."""
    elapsed = sub.received_at - sub.notified_at
    if elapsed <= LATE_AFTER:
        return None
    show_offset = sub.notified_at.utcoffset() != sub.received_at.utcoffset()
    message = (
        f"通知时间 {_fmt_time(sub.notified_at, show_offset)}，收到时间 "
        f"{_fmt_time(sub.received_at, show_offset)}，用时 {_fmt_hours(elapsed)}，"
        f"超过 48 小时"
    )
    return Finding(
        code=SUBMISSION_LATE,
        indicator=None,
        veto=False,
        message=message,
        evidence=(
            Evidence(
                file=SUBMISSION_JSON,
                page=None,
                bbox=None,
                text=f"notified_at={sub.notified_at.isoformat()}; "
                f"received_at={sub.received_at.isoformat()}",
            ),
        ),
    )


def _pages_zh(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def unreadable_findings(info: Union[PdfInfo, InputError, None], file: str = ORIGINAL_PDF) -> list[Finding]:
    """``input.unreadable`` for a file's unreadable pages (one finding per file, one
    evidence per page, bbox null), or for the whole file when it could not be opened."""
    if info is None:
        return []
    if isinstance(info, InputError):
        return [
            Finding(
                code=INPUT_UNREADABLE,
                indicator=None,
                veto=False,
                message=info.zh,  # already names the file and says why
                evidence=(Evidence(file=file, page=None, bbox=None, text=info.kind),),
            )
        ]
    bad = info.unreadable_pages
    if not bad:
        return []
    label = E.file_label_zh(file)
    nos = tuple(p.no for p in bad)  # the pages the message names
    details = "；".join(f"第 {p.no} 页：{p.error_zh or p.error}" for p in bad)
    message = (
        f"{label} 共 {info.page_count} 页，其中 {len(bad)} 页无法读取（第 "
        f"{_pages_zh(list(nos))} 页），其余页面照常处理。{details}"
    )
    return [
        Finding(
            code=INPUT_UNREADABLE,
            indicator=None,
            veto=False,
            message=message,
            evidence=tuple(
                Evidence(file=file, page=p.no, bbox=None, text=p.error or "") for p in bad
            ),
            pages=nos,
            message_pages=nos,
        )
    ]


def anonymized_findings(
    bundle_dir: Path, anonymized: Union[PdfInfo, InputError, None, Any] = _UNSET
) -> list[Finding]:
    """``anonymized.missing`` when ``anonymized.pdf`` is absent or cannot be opened
    (message says which and why); ``input.unreadable`` for its unreadable pages.

    ``anonymized`` is the result of inspecting it when the caller already did
    (``PdfInfo`` or the ``InputError``); by default the file is inspected here.
    """
    path = find_anonymized(bundle_dir)
    if path is None or not path.exists():
        return [
            Finding(
                code=ANONYMIZED_MISSING,
                indicator=None,
                veto=False,
                message="未提交脱敏版 anonymized.pdf（机构自行隐去身份信息的副本），"
                "盲审所需的脱敏材料缺失",
                evidence=(Evidence(file=ANONYMIZED_PDF, page=None, bbox=None, text=""),),
            )
        ]
    if anonymized is _UNSET:
        try:
            anonymized = inspect_pdf(path, name=ANONYMIZED_PDF)
        except InputError as exc:
            anonymized = exc
    if isinstance(anonymized, InputError):
        return [
            Finding(
                code=ANONYMIZED_MISSING,
                indicator=None,
                veto=False,
                message=f"已提交脱敏版 anonymized.pdf，但无法使用，视同未提交脱敏版。"
                f"原因：{anonymized.zh}",
                evidence=(
                    Evidence(file=ANONYMIZED_PDF, page=None, bbox=None, text=anonymized.kind),
                ),
            )
        ]
    if isinstance(anonymized, PdfInfo):
        return unreadable_findings(anonymized, ANONYMIZED_PDF)
    return []


def intake_findings(
    sub: Optional[Submission],
    bundle_dir: Path,
    pdf_info: Union[PdfInfo, InputError, None],
    *,
    anonymized: Union[PdfInfo, InputError, None, Any] = _UNSET,
) -> list[Finding]:
    """The findings ingest can tell on its own, in a stable order:
    ``submission.late``, ``anonymized.missing`` (or ``input.unreadable`` for its pages),
    ``input.unreadable`` for ``original.pdf``.

    ``sub`` may be None (``submission.json`` unusable: no lateness check) and
    ``pdf_info`` may be the ``InputError`` of an original that failed to open (one
    file-level ``input.unreadable``). All these codes have ``indicator: null`` and
    ``veto: false`` (spec §3).
    """
    findings: list[Finding] = []
    if sub is not None:
        late = late_finding(sub)
        if late is not None:
            findings.append(late)
    findings.extend(anonymized_findings(Path(bundle_dir), anonymized))
    original_name = ORIGINAL_PDF
    if isinstance(pdf_info, PdfInfo):
        original_name = pdf_info.file
    elif isinstance(pdf_info, InputError) and pdf_info.file:
        original_name = pdf_info.file
    findings.extend(unreadable_findings(pdf_info, original_name))
    return findings
