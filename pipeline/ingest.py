"""Ingest: find bundles, read ``submission.json``, inspect the PDFs, intake findings.

The first stage of ``run_bundle()``. It never modifies an input file and never lets a
bad file stop the batch: everything wrong with a bundle's input is raised as one
:class:`~pipeline.errors.InputError` with a stable ``kind`` and a Chinese + English
message (``pipeline/errors.py``).

- :func:`discover_bundles` — INPUT is one bundle folder or a folder of bundle folders.
- :func:`load_submission` — ``submission.json`` → :class:`Submission` (spec §1),
  with errors that name the field, its JSON path and (about) its line.
- :func:`inspect_pdf` — open ``original.pdf`` / ``anonymized.pdf`` read-only in a
  child process under a time limit; hash, size, pages, per-page load errors, a cheap
  per-page text-layer check, encryption, repair, metadata → :class:`PdfInfo`.
- :func:`intake_findings` — ``submission.late``, ``anonymized.missing`` and
  ``input.unreadable`` (spec §3, ``indicator: null``, ``veto: false``).

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

import atexit
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import re
import threading
import time
import unicodedata
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    PrivateAttr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import errors as E
from .errors import InputError
from .types import Evidence, Finding

# --------------------------------------------------------------------------- names

SUBMISSION_JSON = "submission.json"
ORIGINAL_PDF = "original.pdf"
ANONYMIZED_PDF = "anonymized.pdf"

#: ``original.<ext>`` accepted besides ``original.pdf`` when the content is that image.
IMAGE_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 300 * MiB
DEFAULT_MAX_PAGES = 2000
DEFAULT_TIMEOUT_S = 60.0
#: ``submission.late`` when received_at − notified_at is MORE than this (48 h is on time).
LATE_AFTER = dt.timedelta(hours=48)

#: How far into a file the ``%PDF-`` header may sit (Ghostscript logs before it, …).
PDF_MAGIC_WINDOW = 1024


def _find_case_insensitive(folder: Path, name: str) -> Optional[Path]:
    """``folder/name``, or the one entry whose name equals it ignoring case."""
    exact = folder / name
    if exact.exists():
        return exact
    try:
        for entry in sorted(folder.iterdir()):
            if entry.name.lower() == name.lower():
                return entry
    except OSError:
        pass
    return None


def find_original(bundle_dir: Path) -> Path:
    """The bundle's original: ``original.pdf`` (any case), else ``original.<image>``.

    Returns ``bundle_dir / "original.pdf"`` when nothing matches, so the caller's
    :func:`inspect_pdf` reports it as missing.
    """
    bundle_dir = Path(bundle_dir)
    found = _find_case_insensitive(bundle_dir, ORIGINAL_PDF)
    if found is not None:
        return found
    for suffix in IMAGE_SUFFIXES:
        found = _find_case_insensitive(bundle_dir, "original" + suffix)
        if found is not None:
            return found
    return bundle_dir / ORIGINAL_PDF


def find_anonymized(bundle_dir: Path) -> Optional[Path]:
    """``anonymized.pdf`` (any case), or None when it was not submitted."""
    return _find_case_insensitive(Path(bundle_dir), ANONYMIZED_PDF)


def is_bundle_dir(path: Path) -> bool:
    """A bundle folder holds ``submission.json`` or an original (spec §1)."""
    path = Path(path)
    if not path.is_dir():
        return False
    if _find_case_insensitive(path, SUBMISSION_JSON) is not None:
        return True
    return find_original(path).exists()


def discover_bundles(input_path: Path) -> list[Path]:
    """The bundle folders under INPUT, sorted by name (deterministic).

    INPUT is itself a bundle when it holds ``submission.json`` or ``original.pdf``;
    otherwise every sub-folder whose name does not start with ``_`` or ``.`` is a
    bundle. Sub-folders that hold neither file are still returned (they fail with
    a clear "missing submission.json" error instead of silently vanishing from the
    batch). Loose files at the top level are ignored.

    Raises ``InputError`` (``missing_file`` / ``not_a_folder``) when INPUT cannot be
    a batch at all; returns ``[]`` for an empty folder.
    """
    input_path = Path(input_path)
    if not input_path.exists():
        raise InputError(
            "missing_file",
            f"输入路径不存在：{input_path}",
            f"input path does not exist: {input_path}",
            file=str(input_path),
        )
    if not input_path.is_dir():
        raise InputError(
            "not_a_folder",
            f"输入应为证据包文件夹或证据包文件夹的上级文件夹，而不是文件：{input_path}",
            f"input must be a bundle folder or a folder of bundle folders, not a file: "
            f"{input_path}",
            file=str(input_path),
        )
    if is_bundle_dir(input_path):
        return [input_path]
    bundles = [
        child
        for child in input_path.iterdir()
        if child.is_dir() and not child.name.startswith(("_", "."))
    ]
    return sorted(bundles, key=lambda p: p.name)


# --------------------------------------------------------------------------- submission.json

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_BAD_ID_CHARS = set('/\\<>:"|?*')


def _json_type_zh(value: Any) -> tuple[str, str]:
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return "布尔值", "a boolean"
    if isinstance(value, (int, float)):
        return "数字", "a number"
    if isinstance(value, str):
        return "字符串", "a string"
    if isinstance(value, list):
        return "数组", "an array"
    if isinstance(value, dict):
        return "对象", "an object"
    return type(value).__name__, type(value).__name__


def _parse_iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        zh, en = _json_type_zh(value)
        raise PydanticCustomError(
            "bc_date", "应为 YYYY-MM-DD 格式的日期字符串，实际是{zh} / must be a YYYY-MM-DD date "
            "string, got {en}", {"zh": zh, "en": en}
        )
    if not _DATE_RE.match(value):
        raise PydanticCustomError(
            "bc_date",
            "日期“{v}”格式不对，应为 YYYY-MM-DD（如 2023-06-01） / date '{v}' must be "
            "YYYY-MM-DD (e.g. 2023-06-01)",
            {"v": value},
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "bc_date", "日期“{v}”不存在 / date '{v}' does not exist", {"v": value}
        ) from None


def _parse_iso_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    if not isinstance(value, str):
        zh, en = _json_type_zh(value)
        raise PydanticCustomError(
            "bc_datetime",
            "应为带时区的 ISO 8601 时间字符串（如 2023-06-01T09:00:00+08:00），实际是{zh} / "
            "must be an ISO 8601 time string with offset (e.g. 2023-06-01T09:00:00+08:00), "
            "got {en}",
            {"zh": zh, "en": en},
        )
    if not _DATETIME_RE.match(value):
        raise PydanticCustomError(
            "bc_datetime",
            "时间“{v}”格式不对，应为 ISO 8601（如 2023-06-01T09:00:00+08:00） / time '{v}' is "
            "not ISO 8601 (e.g. 2023-06-01T09:00:00+08:00)",
            {"v": value},
        )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "bc_datetime", "时间“{v}”不存在 / time '{v}' does not exist", {"v": value}
        ) from None
    if parsed.tzinfo is None:
        raise PydanticCustomError(
            "bc_datetime",
            "时间“{v}”缺少时区，应写明如 +08:00 / time '{v}' has no UTC offset; add one such "
            "as +08:00",
            {"v": value},
        )
    return parsed


def _check_bundle_id(value: str) -> str:
    """The id names the output folder ``<out>/<bundle_id>/``: it must be a safe name."""
    problem = None
    if not value or not value.strip():
        problem = ("不能为空", "must not be empty")
    elif value != value.strip():
        problem = ("首尾不能有空格", "must not start or end with spaces")
    elif value in (".", "..") or value.startswith("."):
        problem = ("不能以“.”开头", "must not start with '.'")
    elif any(c in _BAD_ID_CHARS or unicodedata.category(c) == "Cc" for c in value):
        problem = (
            '不能含有 / \\ < > : " | ? * 或控制字符',
            'must not contain / \\ < > : " | ? * or control characters',
        )
    elif len(value) > 120:
        problem = ("过长（超过 120 个字符）", "is longer than 120 characters")
    if problem:
        raise PydanticCustomError(
            "bc_bundle_id",
            "bundle_id“{v}”{zh}（它用作输出文件夹名） / bundle_id '{v}' {en} (it names the "
            "output folder)",
            {"v": value, "zh": problem[0], "en": problem[1]},
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_parse_iso_date)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(_parse_iso_datetime)]
BundleId = Annotated[str, AfterValidator(_check_bundle_id)]


class _Record(BaseModel):
    # Unknown extra fields are kept (``model_extra``) and ignored (spec §1).
    model_config = ConfigDict(extra="allow", frozen=True)


class Scope(_Record):
    """The institution's qualification scope (资质业务范围)."""

    industries: list[str] = Field(default_factory=list)
    factors: list[str] = Field(default_factory=list)


class StaffMember(_Record):
    """One registered technician (登记在册的专业技术人员)."""

    name: str
    roles: list[str] = Field(default_factory=list)
    specialty: Optional[str] = None


class Institution(_Record):
    """The technical-service institution (技术服务机构) as the national registry has it."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    certificate_no: Optional[str] = None
    address: Optional[str] = None
    lab_address: Optional[str] = None
    phone: Optional[str] = None
    website: Optional[str] = None
    email: Optional[str] = None
    legal_rep: Optional[str] = None
    valid_from: Optional[IsoDate] = None
    valid_to: Optional[IsoDate] = None
    scope: Scope = Field(default_factory=Scope)
    staff: list[StaffMember] = Field(default_factory=list)


class Employer(_Record):
    """The employer (用人单位) whose workplace was tested."""

    name: str
    industry_code: Optional[str] = None


class Submission(_Record):
    """``submission.json``: the QC center's intake record for one bundle (spec §1).

    Required: ``bundle_id``, ``notified_at``, ``received_at`` (the 48-hour clock) and
    ``institution.name``. Everything else may be absent; a check that needs an absent
    field says so instead of passing.
    """

    bundle_id: BundleId
    notified_at: IsoDateTime
    received_at: IsoDateTime
    report_no: Optional[str] = None
    institution: Institution
    employer: Optional[Employer] = None
    # How the file was decoded: "utf-8", or "gb18030" for an "ANSI" file from Windows.
    _source_encoding: str = PrivateAttr(default="utf-8")

    @property
    def source_encoding(self) -> str:
        return self._source_encoding

    @model_validator(mode="after")
    def _received_not_before_notified(self) -> "Submission":
        if self.received_at < self.notified_at:
            raise PydanticCustomError(
                "bc_timeline",
                "收到时间 received_at（{r}）早于通知时间 notified_at（{n}） / received_at ({r}) "
                "is earlier than notified_at ({n})",
                {"r": self.received_at.isoformat(), "n": self.notified_at.isoformat()},
            )
        if self.institution.valid_from and self.institution.valid_to:
            if self.institution.valid_to < self.institution.valid_from:
                raise PydanticCustomError(
                    "bc_timeline",
                    "资质有效期 valid_to（{t}）早于 valid_from（{f}） / institution.valid_to ({t}) "
                    "is earlier than valid_from ({f})",
                    {"t": str(self.institution.valid_to), "f": str(self.institution.valid_from)},
                )
        return self

    @property
    def hours_to_receive(self) -> float:
        """Hours from notification to receipt (the 48-hour rule)."""
        return (self.received_at - self.notified_at).total_seconds() / 3600.0


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(根)"


def _approx_line(raw: str, loc: tuple[Any, ...]) -> Optional[int]:
    """Best-effort line number of the JSON key at ``loc`` (keys searched in order)."""
    pos = 0
    found = False
    for part in loc:
        if isinstance(part, int):
            continue
        needles = {json.dumps(str(part), ensure_ascii=False), json.dumps(str(part))}
        hits = [raw.find(n, pos) for n in needles]
        hits = [h for h in hits if h >= 0]
        if not hits:
            break
        pos = min(hits)
        found = True
    return raw.count("\n", 0, pos) + 1 if found else None


_PYDANTIC_TYPES_ZH = {
    "string_type": ("应为字符串", "must be a string"),
    "list_type": ("应为数组", "must be an array"),
    "model_type": ("应为对象", "must be an object"),
    "model_attributes_type": ("应为对象", "must be an object"),
    "dict_type": ("应为对象", "must be an object"),
}


def _describe_validation_error(exc: ValidationError, raw: str) -> tuple[str, str, str]:
    """(zh, en, first field path) naming every problem (up to 5) and where it is."""
    zh_parts: list[str] = []
    en_parts: list[str] = []
    first_path = ""
    errs = exc.errors(include_url=False)
    for err in errs[:5]:
        loc = tuple(err.get("loc", ()))
        etype = err.get("type", "")
        path = _loc_to_path(loc)
        if etype.startswith("bc_") and not loc:
            path = ""
        first_path = first_path or path
        where_loc = loc[:-1] if etype == "missing" else loc
        line = _approx_line(raw, where_loc) if where_loc else None
        at_zh = f"（约第 {line} 行）" if line else ""
        at_en = f" (near line {line})" if line else ""
        if etype == "missing":
            zh = f"缺少必填字段 {path}{at_zh}"
            en = f"required field {path} is missing{at_en}"
        elif etype in _PYDANTIC_TYPES_ZH:
            got_zh, got_en = _json_type_zh(err.get("input"))
            want_zh, want_en = _PYDANTIC_TYPES_ZH[etype]
            zh = f"字段 {path}{at_zh or ' '}{want_zh}，实际是{got_zh}"
            en = f"field {path}{at_en} {want_en}, got {got_en}"
        elif etype.startswith("bc_"):
            msg = err.get("msg", "")
            zh_msg, _, en_msg = msg.partition(" / ")
            if path:
                zh = f"字段 {path}{at_zh}：{zh_msg}"
                en = f"field {path}{at_en}: {en_msg or zh_msg}"
            else:
                zh, en = zh_msg, en_msg or zh_msg
        else:
            zh = f"字段 {path}{at_zh} 不符合要求（{err.get('msg', etype)}）"
            en = f"field {path}{at_en} is invalid ({err.get('msg', etype)})"
        zh_parts.append(zh)
        en_parts.append(en)
    if len(errs) > 5:
        zh_parts.append(f"等共 {len(errs)} 处问题")
        en_parts.append(f"{len(errs)} problems in all")
    return "；".join(zh_parts) + "。", "; ".join(en_parts) + ".", first_path


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise E.bad_submission(
                f"字段 {key} 出现了不止一次（不知道以哪一个为准）。",
                f"key {key!r} occurs more than once (which one counts is ambiguous).",
                field=key,
            )
        seen[key] = value
    return seen


def _decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM) per RFC 8259; GB18030 accepted as
    a fallback because Windows tools in Chinese offices save "ANSI" = GBK."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise E.bad_submission(
                f"文件不是 UTF-8 编码（第 {utf8_error.start} 字节处无法解码），请另存为 UTF-8。",
                f"the file is not UTF-8 (undecodable byte at offset {utf8_error.start}); "
                f"save it as UTF-8.",
                detail=str(utf8_error),
            ) from None


def load_submission(bundle_dir: Path) -> Submission:
    """Read and validate ``<bundle_dir>/submission.json`` (spec §1).

    Raises ``InputError`` kind ``missing_file`` when it is absent and
    ``bad_submission`` when it is empty, not JSON (line and column given), not an
    object, has duplicate keys, misses a required field or has a wrong type or a bad
    date/time (field path and approximate line given). When the file is otherwise bad
    but its ``bundle_id`` is usable, the error carries it in ``.bundle_id``.
    """
    bundle_dir = Path(bundle_dir)
    path = _find_case_insensitive(bundle_dir, SUBMISSION_JSON)
    if path is None or not path.exists():
        raise E.missing_file(
            SUBMISSION_JSON, f"证据包文件夹 {bundle_dir.name}", f"bundle folder {bundle_dir.name}"
        )
    if path.is_dir():
        raise E.missing_file(
            SUBMISSION_JSON, f"{path.name} 是文件夹而不是文件", f"{path.name} is a folder, not a file"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise E.io_error(SUBMISSION_JSON, exc.strerror or str(exc)) from None
    text, encoding = _decode_text(data)
    if not text.strip():
        raise E.bad_submission("文件是空的。", "the file is empty.")
    try:
        parsed = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise E.bad_submission(
            f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。",
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            detail=str(exc),
        ) from None
    except InputError:
        raise
    except RecursionError:
        raise E.bad_submission("JSON 嵌套过深。", "the JSON is nested too deeply.") from None
    if not isinstance(parsed, dict):
        got_zh, got_en = _json_type_zh(parsed)
        raise E.bad_submission(
            f"顶层应为 JSON 对象 {{...}}，实际是{got_zh}。",
            f"the top level must be a JSON object {{...}}, got {got_en}.",
        )
    salvaged_id: Optional[str] = None
    raw_id = parsed.get("bundle_id")
    if isinstance(raw_id, str):
        try:
            salvaged_id = _check_bundle_id(raw_id)
        except PydanticCustomError:
            salvaged_id = None
    try:
        submission = Submission.model_validate(parsed)
    except ValidationError as exc:
        zh, en, field = _describe_validation_error(exc, text)
        raise E.bad_submission(zh, en, field=field, detail=str(exc), bundle_id=salvaged_id) from None
    submission._source_encoding = encoding
    return submission


def fallback_bundle_id(bundle_dir: Path, error: Optional[InputError] = None) -> tuple[str, str]:
    """``(bundle_id, note)`` for a bundle whose ``submission.json`` cannot be used.

    The id read from the file is kept when it was usable (``error.bundle_id``);
    otherwise the bundle's folder name is used, and ``note`` says so in Chinese and
    English (put it in the bundle's ``error`` / summary).
    """
    bundle_dir = Path(bundle_dir)
    if error is not None and error.bundle_id:
        return error.bundle_id, (
            f"bundle_id 取自 submission.json：{error.bundle_id} / bundle_id taken from "
            f"submission.json: {error.bundle_id}"
        )
    name = bundle_dir.resolve().name or "bundle"
    return name, (
        f"submission.json 不可用，输出文件夹改用证据包文件夹名“{name}” / submission.json is "
        f"unusable; the output folder uses the bundle folder name '{name}'"
    )


# --------------------------------------------------------------------------- PDF inspection


class PageInfo(BaseModel):
    """What a cheap look at one page found (no rendering, no OCR)."""

    model_config = ConfigDict(frozen=True)

    no: int  # 1-based
    width: float = 0.0  # points, as displayed (after /Rotate)
    height: float = 0.0
    rotation: int = 0  # the page's /Rotate
    text_chars: int = 0  # non-space characters in the text layer
    text_layer: Literal["none", "present", "garbage", "unknown"] = "unknown"
    garbage_ratio: float = 0.0  # share of text in lines of control/unassigned chars
    image_count: int = 0
    font_count: int = 0
    fonts_embedded: int = 0
    error: Optional[str] = None  # English / library wording; None = the page is readable
    error_zh: Optional[str] = None  # what QC staff read

    @property
    def readable(self) -> bool:
        return self.error is None


class PdfInfo(BaseModel):
    """The result of :func:`inspect_pdf`: a file that opens, with at least one page."""

    model_config = ConfigDict(frozen=True)

    file: str  # name used in messages and evidence, e.g. "original.pdf"
    path: str
    sha256: str
    size: int
    kind: Literal["pdf", "image"] = "pdf"
    header_offset: int = 0  # bytes before "%PDF-" (e.g. a Ghostscript log)
    needs_pass: bool = False  # read once, BEFORE any authenticate()
    authenticated: bool = False
    encryption: Optional[str] = None  # e.g. "Standard V5 R6 256-bit AES-256"
    repaired: bool = False
    page_count: int = 0
    pages: tuple[PageInfo, ...] = ()
    metadata: dict[str, str] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # MuPDF warnings while opening (capped)
    seconds: float = 0.0  # wall time of the inspection, child start-up included
    isolated: bool = True  # ran in the child process with a time limit

    @property
    def unreadable_pages(self) -> list[PageInfo]:
        return [p for p in self.pages if not p.readable]

    @property
    def readable_page_count(self) -> int:
        return sum(1 for p in self.pages if p.readable)


_SIGNATURES: tuple[tuple[bytes, str, str, Optional[str]], ...] = (
    # (magic at offset 0, Chinese, English, image kind or None)
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", "a PNG image", "png"),
    (b"II*\x00", "TIFF 图片", "a TIFF image", "tiff"),
    (b"MM\x00*", "TIFF 图片", "a TIFF image", "tiff"),
    (b"BM", "BMP 图片", "a BMP image", "bmp"),
    (b"GIF8", "GIF 图片", "a GIF image", None),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 图片", "a JPEG 2000 image", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls）", "a legacy Office document (.doc/.xls)", None),
    (b"{\\rtf", "RTF 文档", "an RTF document", None),
    (b"Rar!", "RAR 压缩包", "a RAR archive", None),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive", None),
    (b"AT&TFORM", "DjVu 文档", "a DjVu document", None),
)

_IMAGE_KIND_BY_SUFFIX = {
    ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".tif": "tiff", ".tiff": "tiff", ".bmp": "bmp",
}


def _sniff_zip(path: Path) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()[:2000]
    except (zipfile.BadZipFile, OSError, ValueError):
        return "ZIP 压缩包", "a ZIP archive"
    if any(n.startswith("word/") for n in names):
        return "Word 文档（.docx）", "a Word document (.docx)"
    if any(n.startswith("xl/") for n in names):
        return "Excel 表格（.xlsx）", "an Excel workbook (.xlsx)"
    if any(n.startswith("ppt/") for n in names):
        return "PowerPoint 演示文稿（.pptx）", "a PowerPoint file (.pptx)"
    if any(n.upper() == "OFD.XML" for n in names):
        return "OFD 版式文档", "an OFD document"
    return "ZIP 压缩包", "a ZIP archive"


def _sniff(path: Path, head: bytes) -> tuple[str, str, Optional[str]]:
    """(Chinese, English, image kind) naming what a non-PDF file really is."""
    for magic, zh, en, image in _SIGNATURES:
        if head.startswith(magic):
            return zh, en, image
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP 图片", "a WebP image", None
    if head.startswith(b"PK\x03\x04"):
        zh, en = _sniff_zip(path)
        return zh, en, None
    lowered = head[:256].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "HTML 网页", "an HTML page", None
    try:
        head.decode("utf-8")
        printable = True
    except UnicodeDecodeError:
        printable = False
    if printable:
        return "纯文本", "plain text", None
    return "未知格式的数据", "data of an unknown format", None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _bad_char(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs") or c == "\ufffd"


def garbage_ratio(text: str) -> tuple[int, float]:
    """(non-space chars, share of them in 'garbage' lines).

    A line is garbage when ≥ 30 % of its characters are control, private-use,
    unassigned or replacement characters — what an undecodable font encoding
    extracts as (C1 controls such as ``\\x83`` from Shift-JIS bytes). Cheap; it does
    not catch garbage made of valid code points (wrong ToUnicode): the pages stage
    judges text quality properly.
    """
    total = 0
    bad_total = 0
    for line in text.splitlines():
        chars = [c for c in line if not c.isspace()]
        if not chars:
            continue
        total += len(chars)
        if sum(_bad_char(c) for c in chars) / len(chars) >= 0.3:
            bad_total += len(chars)
    return total, (bad_total / total if total else 0.0)


GARBAGE_PAGE_RATIO = 0.25

_KNOWN_PAGE_ERRORS_ZH = (
    ("cycle in page tree", "页面树存在循环引用，该页无法加载"),
    ("cannot find page", "页面对象缺失"),
    ("not a page", "页面对象损坏"),
)


def _page_error_zh(detail: str) -> str:
    low = detail.lower()
    for needle, zh in _KNOWN_PAGE_ERRORS_ZH:
        if needle in low:
            return zh
    return "该页无法加载（文件结构损坏）"


def _encryption_from_trailer(doc: Any) -> Optional[str]:
    """Describe the /Encrypt dictionary without authenticating (metadata is None then)."""
    try:
        kind, _ = doc.xref_get_key(-1, "Encrypt")
        if kind in ("null", None):
            return None

        def key(k: str) -> Optional[str]:
            t, v = doc.xref_get_key(-1, "Encrypt/" + k)
            return None if t == "null" else v.lstrip("/")

        v, r, length = key("V"), key("R"), key("Length")
        cfm = key("CF/StdCF/CFM")
        stmf, eff = key("StmF"), key("EFF")
        algo = {"AESV3": "AES-256", "AESV2": "AES-128", "V2": "RC4"}.get(cfm or "", None)
        if algo is None and v in ("1", "2"):
            algo = "RC4"
        bits = length or ("40" if v == "1" else None)
        parts = [key("Filter") or "?", f"V{v}" if v else "", f"R{r}" if r else ""]
        if bits:
            parts.append(f"{bits}-bit")
        if algo:
            parts.append(algo)
        if stmf == "Identity" and eff:
            parts.append("(embedded files only)")
        return " ".join(p for p in parts if p)
    except Exception:  # noqa: BLE001 - informative only
        return None


def _image_metadata(path: str) -> dict[str, str]:
    """EXIF orientation etc. for image originals (the OCR stage must honour it)."""
    out: dict[str, str] = {}
    try:
        from PIL import Image

        with Image.open(path) as im:
            out["format"] = str(im.format)
            out["pixels"] = f"{im.size[0]}x{im.size[1]}"
            orientation = im.getexif().get(274)
            if orientation:
                out["exif_orientation"] = str(orientation)
    except Exception:  # noqa: BLE001 - metadata is best effort
        pass
    return out


def _inspect_in_process(
    path: str,
    name: str,
    kind: str,
    password: Optional[str],
    max_pages: int,
    text_budget_s: float,
) -> dict[str, Any]:
    """Open and inspect one file with PyMuPDF. Runs in the child process.

    Returns the fields of :class:`PdfInfo` that need the document, or raises
    ``InputError``. Opens read-only and never saves.
    """
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    started = time.perf_counter()
    try:
        doc = pymupdf.open(path, filetype="pdf") if kind == "pdf" else pymupdf.open(path)
    except pymupdf.EmptyFileError:
        raise E.empty_file(name) from None
    except FileNotFoundError:
        raise E.missing_file(name) from None
    except Exception as exc:  # noqa: BLE001 - FileDataError and friends: cannot open
        raise E.broken(name, str(exc).replace(path, name)) from None
    try:
        if kind == "pdf" and not doc.is_pdf:  # PyMuPDF sniffs content: check anyway
            raise E.not_a_pdf(name, "其他格式的文档", "another document format")
        # Trap: read needs_pass exactly once, BEFORE authenticate(); reading it after
        # a successful authenticate() empties later get_text() on some RC4/AES files.
        needs_pass = bool(doc.needs_pass)
        encryption = _encryption_from_trailer(doc) if kind == "pdf" else None
        authenticated = False
        if needs_pass:
            if not password:
                raise E.encrypted(name, encryption)
            if not doc.authenticate(password):
                raise E.encrypted(name, encryption, wrong_password=True)
            authenticated = True
        repaired = bool(getattr(doc, "is_repaired", False))
        page_count = doc.page_count
        if page_count <= 0:
            raise E.zero_pages(name, repaired)
        if page_count > max_pages:
            raise E.too_many_pages(name, page_count, max_pages)
        metadata = {k: str(v) for k, v in (doc.metadata or {}).items() if v}
        if kind == "pdf":
            metadata.pop("encryption", None)
            if encryption is None and (doc.metadata or {}).get("encryption"):
                encryption = str(doc.metadata["encryption"])
            if _is_dynamic_xfa(doc):
                raise E.xfa_form(name)
        else:
            metadata.update(_image_metadata(path))

        pages: list[PageInfo] = []
        for index in range(page_count):
            no = index + 1
            try:
                page = doc.load_page(index)
            except Exception as exc:  # noqa: BLE001 - one bad page must not sink the file
                detail = str(exc)
                pages.append(PageInfo(no=no, error=detail, error_zh=_page_error_zh(detail)))
                continue
            info: dict[str, Any] = {"no": no}
            try:
                rect = page.rect
                info.update(width=round(rect.width, 2), height=round(rect.height, 2))
                info["rotation"] = int(page.rotation)
                if kind == "image":
                    info.update(text_layer="none", image_count=1)
                elif time.perf_counter() - started < text_budget_s:
                    chars, ratio = garbage_ratio(page.get_text("text"))
                    fonts = page.get_fonts()
                    images = page.get_images()
                    embedded = sum(1 for f in fonts if f[1] not in ("n/a", ""))
                    info.update(
                        text_chars=chars,
                        garbage_ratio=round(ratio, 3),
                        font_count=len(fonts),
                        fonts_embedded=embedded,
                        image_count=len(images),
                    )
                    if chars == 0:
                        info["text_layer"] = "none"
                    elif ratio >= GARBAGE_PAGE_RATIO:
                        info["text_layer"] = "garbage"
                        if fonts and embedded == 0 and not images:
                            info["error"] = (
                                "text layer cannot be decoded and its fonts are not embedded: "
                                "neither the text nor a render is reliable"
                            )
                            info["error_zh"] = "文字编码无法解码且字体未嵌入，文字层和渲染图都不可靠"
                    else:
                        info["text_layer"] = "present"
            except Exception as exc:  # noqa: BLE001
                detail = str(exc)
                info.update(error=detail, error_zh=_page_error_zh(detail))
            pages.append(PageInfo(**info))

        readable = [p for p in pages if p.readable]
        if not readable:
            reasons_zh = "；".join(sorted({p.error_zh or "" for p in pages}))
            reasons_en = "; ".join(sorted({p.error or "" for p in pages}))
            raise E.no_readable_pages(name, page_count, reasons_zh, reasons_en)
        warnings = tuple(
            w for w in pymupdf.TOOLS.mupdf_warnings(reset=True).splitlines() if w.strip()
        )[:50]
        return {
            "needs_pass": needs_pass,
            "authenticated": authenticated,
            "encryption": encryption,
            "repaired": repaired,
            "page_count": page_count,
            "pages": [p.model_dump() for p in pages],
            "metadata": metadata,
            "warnings": list(warnings),
        }
    except InputError:
        raise
    except (RuntimeError, ValueError, IndexError) as exc:  # MuPDF's errors on damaged files
        raise E.broken(name, f"{type(exc).__name__}: {exc}".replace(path, name)) from None
    finally:
        doc.close()


def _is_dynamic_xfa(doc: Any) -> bool:
    """A dynamic XFA form (``/NeedsRendering true`` + ``/AcroForm/XFA``): its pages
    are a placeholder ('requires Adobe Reader 8…'), the content lives in XFA XML."""
    try:
        cat = doc.pdf_catalog()
        needs_rendering = doc.xref_get_key(cat, "NeedsRendering")
        has_xfa = doc.xref_get_key(cat, "AcroForm/XFA")[0] not in ("null", None)
    except Exception:  # noqa: BLE001 - a damaged catalog is not an XFA form
        return False
    return has_xfa and needs_rendering == ("bool", "true")


# --------------------------------------------------------------------------- child process


class WorkerTimeout(Exception):
    """The child did not answer in time; it was killed."""


class WorkerCrashed(Exception):
    """The child died while working (segfault, out of memory, os._exit …)."""


def _worker_main(conn: Any, mem_limit_bytes: Optional[int]) -> None:  # pragma: no cover - child
    if mem_limit_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_limit_bytes, mem_limit_bytes))
        except (ImportError, ValueError, OSError):
            pass
    try:  # warm up: the first file should not pay for importing MuPDF
        import pymupdf  # noqa: F401
    except ImportError:
        pass
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        fn, args, kwargs = request
        try:
            reply = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            reply = ("err", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - unpicklable result or exception
            conn.send(("err", RuntimeError(f"{type(exc).__name__}: {exc}; {reply[1]!r}")))


class IsolatedWorker:
    """One long-lived ``spawn`` child that runs picklable calls under a time limit.

    Started lazily and reused, so a batch pays the interpreter + PyMuPDF start-up
    (≈1 s) once, not per file. A call that overruns its timeout kills the child (the
    next call starts a fresh one); a child that dies mid-call raises
    :class:`WorkerCrashed`. The child's address space is capped (``mem_limit_bytes``)
    so a pathological file fails instead of swapping the machine.
    """

    def __init__(self, *, mem_limit_bytes: Optional[int] = 6 * 1024 * MiB) -> None:
        self.mem_limit_bytes = mem_limit_bytes
        self._ctx = mp.get_context("spawn")
        self._proc: Any = None
        self._conn: Any = None

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> None:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, self.mem_limit_bytes),
            name="bundlecheck-inspect",
            daemon=True,
        )
        proc.start()
        child_conn.close()
        self._proc, self._conn = proc, parent_conn

    def stop(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return
        try:
            conn.send(None)
        except Exception:  # noqa: BLE001
            pass
        proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=2)
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass

    def _kill(self) -> Optional[int]:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return None
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass
        return proc.exitcode

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` in the child; re-raise its exception here."""
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            self._start()
        try:
            self._conn.send((fn, args, kwargs))
        except (BrokenPipeError, EOFError, OSError):  # died while idle: one fresh start
            self._kill()
            self._start()
            self._conn.send((fn, args, kwargs))
        if not self._conn.poll(timeout):
            self._kill()
            raise WorkerTimeout(f"no answer within {timeout:g} s")
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):
            code = self._kill()
            raise WorkerCrashed(f"exit code {code}") from None
        if status == "err":
            raise value
        return value


class _WorkerPool:
    """Idle :class:`IsolatedWorker` s handed to concurrent callers (threads)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._idle: list[IsolatedWorker] = []
        self._all: list[IsolatedWorker] = []
        self._cond = threading.Condition()

    def acquire(self) -> IsolatedWorker:
        with self._cond:
            while not self._idle and len(self._all) >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            worker = IsolatedWorker()
            self._all.append(worker)
            return worker

    def release(self, worker: IsolatedWorker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def shutdown(self) -> None:
        with self._cond:
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()


_POOL = _WorkerPool(size=os.cpu_count() or 2)
atexit.register(_POOL.shutdown)


def shutdown_workers() -> None:
    """Stop the inspection child processes (they also stop at interpreter exit)."""
    _POOL.shutdown()


def run_isolated(fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
    """Run a picklable module-level ``fn`` in a pooled child process, bounded in time.

    Raises :class:`WorkerTimeout` / :class:`WorkerCrashed`, or whatever ``fn`` raised.
    Reusable by later stages for other pathological-input work.
    """
    worker = _POOL.acquire()
    try:
        return worker.call(fn, *args, timeout=timeout, **kwargs)
    finally:
        _POOL.release(worker)


def _can_spawn_children() -> bool:
    # Daemonic processes (multiprocessing.Pool workers, some task runners) may not
    # start children: fall back to inspecting in-process there.
    return not mp.current_process().daemon


def inspect_pdf(
    path: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    password: Optional[str] = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    name: Optional[str] = None,
    isolate: bool = True,
) -> PdfInfo:
    """Inspect one PDF (or an image original) without modifying it.

    Order of checks: exists → not empty → not larger than ``max_bytes`` → ``%PDF-``
    within the first 1024 bytes (or an image whose content matches its ``.jpg``/
    ``.png``/… name) → sha256 → open in the child process (``timeout`` seconds):
    broken → ``needs_pass`` (read once, before authenticating with ``password``) →
    dynamic XFA → page count (0 / > ``max_pages``) → every page loaded, with a cheap
    text-layer check (characters, garbage share, fonts, images).

    ``name`` is how the file is called in messages (defaults to its file name).
    ``isolate=False`` runs in this process (no time limit): only for callers that are
    already isolated.

    Returns :class:`PdfInfo` with at least one readable page; raises only
    :class:`InputError`.
    """
    path = Path(path)
    name = name or path.name
    started = time.perf_counter()
    try:
        return _inspect(path, name, max_bytes, max_pages, password, timeout, isolate, started)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only InputError leaves here
        raise E.internal_error(name, f"{type(exc).__name__}: {exc}") from exc


def _inspect(
    path: Path,
    name: str,
    max_bytes: int,
    max_pages: int,
    password: Optional[str],
    timeout: float,
    isolate: bool,
    started: float,
) -> PdfInfo:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise E.missing_file(name) from None
    except OSError as exc:
        raise E.io_error(name, exc.strerror or str(exc)) from None
    if path.is_dir():
        raise E.missing_file(name, f"{path.name} 是文件夹而不是文件", f"{path.name} is a folder, not a file")
    size = st.st_size
    if size == 0:
        raise E.empty_file(name)
    if size > max_bytes:
        raise E.too_large(name, size, max_bytes)
    try:
        with open(path, "rb") as fh:
            head = fh.read(max(PDF_MAGIC_WINDOW, 8192))
    except OSError as exc:
        raise E.io_error(name, exc.strerror or str(exc)) from None
    header_offset = head.find(b"%PDF-", 0, PDF_MAGIC_WINDOW + 5)
    if header_offset >= 0:
        kind = "pdf"
    else:
        zh, en, image = _sniff(path, head)
        wanted = _IMAGE_KIND_BY_SUFFIX.get(path.suffix.lower())
        if image is not None and wanted == image:
            kind, header_offset = "image", 0
        else:
            raise E.not_a_pdf(name, zh, en)
    try:
        sha256 = file_sha256(path)
    except OSError as exc:
        raise E.io_error(name, exc.strerror or str(exc)) from None

    args = (str(path), name, kind, password, max_pages, timeout * 0.5)
    isolated = isolate and _can_spawn_children()
    if isolated:
        try:
            fields = run_isolated(_inspect_in_process, *args, timeout=timeout)
        except WorkerTimeout:
            raise E.timeout(name, timeout) from None
        except WorkerCrashed as exc:
            raise E.crashed(name, str(exc)) from None
        except MemoryError:
            raise E.crashed(name, "out of memory") from None
    else:
        fields = _inspect_in_process(*args)
    return PdfInfo(
        file=name,
        path=str(path),
        sha256=sha256,
        size=size,
        kind=kind,
        header_offset=max(header_offset, 0),
        seconds=round(time.perf_counter() - started, 4),
        isolated=isolated,
        **fields,
    )


# --------------------------------------------------------------------------- intake findings

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
        code="submission.late",
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
                code="input.unreadable",
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
    details = "；".join(f"第 {p.no} 页：{p.error_zh or p.error}" for p in bad)
    message = (
        f"{label} 共 {info.page_count} 页，其中 {len(bad)} 页无法读取（第 "
        f"{_pages_zh([p.no for p in bad])} 页），其余页面照常处理。{details}"
    )
    return [
        Finding(
            code="input.unreadable",
            indicator=None,
            veto=False,
            message=message,
            evidence=tuple(
                Evidence(file=file, page=p.no, bbox=None, text=p.error or "") for p in bad
            ),
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
                code="anonymized.missing",
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
                code="anonymized.missing",
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
