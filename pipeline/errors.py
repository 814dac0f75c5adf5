"""Bad input, said once, in the words QC staff read.

Every problem with a bundle's files (a missing or malformed ``submission.json``, an
encrypted, empty, broken or huge ``original.pdf``, a Word file named ``.pdf`` …) is
raised as one :class:`InputError`. It carries

- ``kind``: a stable, lower-case key that code and tests branch on (see :data:`KINDS`);
  never reworded once released;
- ``zh`` / ``en``: the message, Chinese first then English. ``str(err)`` is
  ``"<zh> / <en>"``, which is what lands in ``findings.json`` (``error`` of a failed
  bundle, ``message`` of an ``input.unreadable`` finding);
- ``file`` (``original.pdf``, ``submission.json`` …), ``field`` (a JSON path such as
  ``institution.valid_to``) and ``detail`` (the raw library message, for logs).

The error crosses process boundaries (PDFs are opened in a child process), so it
pickles with all its attributes.
"""
from __future__ import annotations

from typing import Any, Optional

#: Stable kinds, with what each means. Add new ones; never rename.
KINDS: dict[str, str] = {
    "missing_file": "a required file or the input folder does not exist",
    "not_a_folder": "a folder was expected but a file was given",
    "empty_file": "the file has 0 bytes",
    "not_a_pdf": "the content is not a PDF (e.g. a .docx or .jpg named .pdf)",
    "encrypted": "the PDF needs a user password (none given, or the one given is wrong)",
    "broken": "the PDF is damaged beyond what MuPDF can repair",
    "zero_pages": "the PDF opens but has no pages",
    "no_readable_pages": "the PDF has pages, but none of them can be read",
    "xfa_form": "a dynamic XFA form: the pages only hold a placeholder",
    "too_large": "the file is larger than the configured byte limit",
    "too_many_pages": "the PDF has more pages than the configured limit",
    "timeout": "opening/inspecting the file did not finish within the time limit",
    "crashed": "the process inspecting the file died (e.g. out of memory)",
    "io_error": "the file exists but cannot be read (permissions, I/O error)",
    "bad_submission": "submission.json is not valid JSON or does not match the spec",
    "internal_error": "a bug in bundlecheck while inspecting the file",
}

#: How each file of a bundle is named in Chinese messages (spec §1).
FILE_LABELS_ZH: dict[str, str] = {
    "original.pdf": "原始证据包 original.pdf",
    "anonymized.pdf": "脱敏版 anonymized.pdf",
    "submission.json": "提交记录 submission.json",
}


def file_label_zh(name: Optional[str]) -> str:
    """``original.pdf`` → ``原始证据包 original.pdf``; unknown names stay as they are."""
    if not name:
        return "文件"
    if name.lower().startswith("original."):
        return f"原始证据包 {name}"
    return FILE_LABELS_ZH.get(name, name)


class InputError(Exception):
    """A bundle's input cannot be used as it is. Never a bug in bundlecheck itself
    (except kind ``internal_error``, which says so)."""

    def __init__(
        self,
        kind: str,
        zh: str,
        en: str,
        *,
        file: Optional[str] = None,
        field: Optional[str] = None,
        detail: Optional[str] = None,
        bundle_id: Optional[str] = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown InputError kind {kind!r}; add it to KINDS")
        self.kind = kind
        self.zh = zh.strip()
        self.en = en.strip()
        self.file = file
        self.field = field
        self.detail = detail
        # The bundle id read from submission.json when it was readable although
        # something else was wrong (lets the output folder keep the real id).
        self.bundle_id = bundle_id
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Chinese first, then English: what QC staff read in findings.json."""
        return f"{self.zh} / {self.en}"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"InputError(kind={self.kind!r}, file={self.file!r}, message={self.message!r})"

    def __reduce__(self):  # pickles with keyword attributes (crosses processes)
        return (_rebuild, (self.kind, self.zh, self.en, self.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for logs, the store, summary.json)."""
        return {
            "kind": self.kind,
            "message": self.message,
            "file": self.file,
            "field": self.field,
            "detail": self.detail,
            "bundle_id": self.bundle_id,
        }


def _rebuild(kind: str, zh: str, en: str, extra: dict[str, Any]) -> InputError:
    return InputError(
        kind,
        zh,
        en,
        file=extra.get("file"),
        field=extra.get("field"),
        detail=extra.get("detail"),
        bundle_id=extra.get("bundle_id"),
    )


# --------------------------------------------------------------------------- helpers
# One constructor per common situation, so wording stays the same everywhere.


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def missing_file(name: str, where_zh: str = "", where_en: str = "") -> InputError:
    at_zh = f"（{where_zh}）" if where_zh else ""
    at_en = f" ({where_en or where_zh})" if (where_en or where_zh) else ""
    return InputError(
        "missing_file",
        f"缺少{file_label_zh(name)}{at_zh}。",
        f"{name} is missing{at_en}.",
        file=name,
    )


def empty_file(name: str) -> InputError:
    return InputError(
        "empty_file",
        f"{file_label_zh(name)} 是空文件（0 字节），无法读取。",
        f"{name} is an empty file (0 bytes) and cannot be read.",
        file=name,
    )


def io_error(name: str, detail: str) -> InputError:
    return InputError(
        "io_error",
        f"{file_label_zh(name)} 存在但无法读取（{detail}）。",
        f"{name} exists but cannot be read ({detail}).",
        file=name,
        detail=detail,
    )


def not_a_pdf(name: str, actual_zh: str, actual_en: str) -> InputError:
    sep = " " if actual_zh[:1].isascii() else ""
    return InputError(
        "not_a_pdf",
        f"{file_label_zh(name)} 不是 PDF 文件：内容实际是{sep}{actual_zh}（只是文件名以 .pdf 结尾）。"
        f"请提交 PDF 格式的扫描件。",
        f"{name} is not a PDF: its content is {actual_en} (only the name ends in .pdf). "
        f"Please submit the scan as a PDF.",
        file=name,
    )


def encrypted(name: str, method: Optional[str], wrong_password: bool = False) -> InputError:
    how = f"（{method}）" if method else ""
    how_en = f" ({method})" if method else ""
    if wrong_password:
        return InputError(
            "encrypted",
            f"{file_label_zh(name)} 已加密{how}，提供的密码不正确，无法打开。",
            f"{name} is encrypted{how_en} and the password given is wrong.",
            file=name,
            detail=method,
        )
    return InputError(
        "encrypted",
        f"{file_label_zh(name)} 已加密{how}，无法打开（需要密码）。请机构提交未加密的文件或提供打开密码。",
        f"{name} is encrypted{how_en} and cannot be opened without a password.",
        file=name,
        detail=method,
    )


def broken(name: str, detail: str) -> InputError:
    return InputError(
        "broken",
        f"{file_label_zh(name)} 文件已损坏，修复后仍无法打开（{detail}）。",
        f"{name} is damaged beyond repair and cannot be opened ({detail}).",
        file=name,
        detail=detail,
    )


def zero_pages(name: str, repaired: bool) -> InputError:
    zh_why = "文件结构已损坏，修复后" if repaired else "文件可以打开，但"
    en_why = "it is damaged and after repair " if repaired else "it opens, but "
    return InputError(
        "zero_pages",
        f"{file_label_zh(name)} 没有任何页面（{zh_why}页数为 0），无法审核。",
        f"{name} has no pages ({en_why}the page count is 0).",
        file=name,
    )


def no_readable_pages(name: str, pages: int, reasons_zh: str, reasons_en: str) -> InputError:
    return InputError(
        "no_readable_pages",
        f"{file_label_zh(name)} 共 {pages} 页，没有一页能够读取：{reasons_zh}。",
        f"None of the {pages} page(s) of {name} can be read: {reasons_en}.",
        file=name,
    )


def xfa_form(name: str) -> InputError:
    return InputError(
        "xfa_form",
        f"{file_label_zh(name)} 是动态 XFA 表单：PDF 页面上只有“需要 Adobe Reader”的占位提示，"
        f"真实内容不在页面中，无法读取。请提交打印或扫描后的 PDF。",
        f"{name} is a dynamic XFA form: its pages only hold an 'Adobe Reader required' "
        f"placeholder and the real content is not on the pages. Please submit a printed or "
        f"scanned PDF.",
        file=name,
    )


def too_large(name: str, size: int, limit: int) -> InputError:
    return InputError(
        "too_large",
        f"{file_label_zh(name)} 过大（{_mib(size)}，上限 {_mib(limit)}），未处理。",
        f"{name} is too large ({_mib(size)}; the limit is {_mib(limit)}) and was not processed.",
        file=name,
        detail=f"{size} > {limit} bytes",
    )


def too_many_pages(name: str, pages: int, limit: int) -> InputError:
    return InputError(
        "too_many_pages",
        f"{file_label_zh(name)} 页数过多（{pages} 页，上限 {limit} 页），未处理。",
        f"{name} has too many pages ({pages}; the limit is {limit}) and was not processed.",
        file=name,
        detail=f"{pages} > {limit} pages",
    )


def timeout(name: str, seconds: float) -> InputError:
    return InputError(
        "timeout",
        f"打开{file_label_zh(name)} 超过 {seconds:g} 秒仍未完成，已放弃（文件结构可能异常）。",
        f"Opening {name} did not finish within {seconds:g} s and was abandoned "
        f"(its structure may be pathological).",
        file=name,
        detail=f"timeout after {seconds:g} s",
    )


def crashed(name: str, detail: str) -> InputError:
    return InputError(
        "crashed",
        f"打开{file_label_zh(name)} 时解析进程意外退出（{detail}），文件可能严重损坏或过于复杂。",
        f"The process opening {name} died unexpectedly ({detail}); the file may be badly "
        f"damaged or too complex.",
        file=name,
        detail=detail,
    )


def internal_error(name: str, detail: str) -> InputError:
    return InputError(
        "internal_error",
        f"检查{file_label_zh(name)} 时程序内部出错（{detail}），请把该文件转交技术人员。",
        f"Internal error in bundlecheck while inspecting {name} ({detail}); please pass the "
        f"file on to the maintainers.",
        file=name,
        detail=detail,
    )


def bad_submission(
    zh: str,
    en: str,
    *,
    field: Optional[str] = None,
    detail: Optional[str] = None,
    bundle_id: Optional[str] = None,
) -> InputError:
    return InputError(
        "bad_submission",
        f"提交记录 submission.json 有误：{zh}",
        f"submission.json is invalid: {en}",
        file="submission.json",
        field=field,
        detail=detail,
        bundle_id=bundle_id,
    )
