"""PDF inspection: a cheap, read-only look at ``original.pdf`` / ``anonymized.pdf``.

:func:`inspect_pdf` checks the file (exists, size, ``%PDF-`` header or an image whose
content matches its name), hashes it, then opens it with PyMuPDF in a child process
under a time limit (``pipeline/workers.py``): encryption, repair, page count, every
page loaded with a cheap text-layer check, metadata → :class:`PdfInfo`. No rendering,
no OCR; the file is never modified. Only :class:`~pipeline.errors.InputError` leaves.
"""
from __future__ import annotations

import hashlib
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .. import errors as E
from ..errors import InputError
from ..workers import WorkerCrashed, WorkerTimeout, can_spawn_children, run_isolated

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 300 * MiB
DEFAULT_MAX_PAGES = 2000
DEFAULT_TIMEOUT_S = 60.0

#: How far into a file the ``%PDF-`` header may sit (Ghostscript logs before it, …).
PDF_MAGIC_WINDOW = 1024


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


# --------------------------------------------------------------------------- entry point


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
    isolated = isolate and can_spawn_children()
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


__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_TIMEOUT_S",
    "PageInfo",
    "PdfInfo",
    "file_sha256",
    "garbage_ratio",
    "inspect_pdf",
]
