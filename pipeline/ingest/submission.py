"""``submission.json`` → :class:`Submission` (spec §1): the pydantic schema and its validation.

Errors name the field, its JSON path and (about) its line, in Chinese and English
(:class:`~pipeline.errors.InputError` kind ``missing_file`` / ``bad_submission``).
UTF-8 is expected; GB18030 ("ANSI" from Windows) is accepted as a fallback.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Optional

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

from .. import errors as E
from ..errors import InputError
from .discover import SUBMISSION_JSON, find_case_insensitive

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
    path = find_case_insensitive(bundle_dir, SUBMISSION_JSON)
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


