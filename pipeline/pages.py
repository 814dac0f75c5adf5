"""PAGES stage: every page of a PDF as text lines with boxes (页面文本提取).

Per page: use the text layer when it is *usable* (judged on quality, not presence),
otherwise render and OCR (``pipeline.ocr``). Pages fan out over worker processes
(``pipeline/page_pool.py``), each opening the PDF itself and owning one RapidOCR
instance; a page that runs past ``page_timeout`` has its worker killed and comes back
with ``error`` set.

Coordinates everywhere: PDF points, origin top-left of the page *as displayed*
(after /Rotate, relative to the CropBox) — PyMuPDF's ``page.rect`` space.
"""
from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from . import ocr as ocr_mod
from .normalize import normalize_text
from .cache import TEXT_PAGE_LOGIC, PageCache, page_content_digest
from .ocr_engine import OcrEngine, engine_fingerprint
from .page_pool import run_pool, shutdown_pools  # noqa: F401  (shutdown_pools: re-exported)
from .types import Line, Page, Word

__all__ = [
    "PageSettings",
    "PdfOpenError",
    "TextVerdict",
    "extract_page",
    "extract_pages",
    "judge_text_layer",
    "open_pdf",
    "text_layer_lines",
]


class PdfOpenError(Exception):
    """The file cannot be read as a PDF at all (message: Chinese + English)."""


@dataclass(frozen=True)
class PageSettings:
    """Everything that changes a page's output (hashed into the cache key)."""

    dpi: int = 200
    max_pixels: int = 12_000_000
    ocr: bool = True
    red_suppression: bool = True
    threads: int = 0  # onnxruntime intra-op threads; 0 = all cores

    def cache_fields(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("threads")  # speed only
        return d


# ------------------------------------------------------------------ opening


def _has_pdf_header(path: Path) -> bool:
    # The spec tolerates junk before %PDF- (Ghostscript banners); readers look in
    # the first 1024 bytes.
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


def open_pdf(path: Path, password: Optional[str] = None) -> Any:
    """Open a PDF with PyMuPDF or raise ``PdfOpenError`` with a clear reason."""
    import pymupdf

    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise PdfOpenError(f"文件为空 / empty file: {path.name}")
        if not _has_pdf_header(path):
            raise PdfOpenError(f"不是 PDF 文件（缺少 %PDF- 文件头）/ not a PDF (no %PDF- header): {path.name}")
    except OSError as e:
        raise PdfOpenError(f"无法读取文件 / cannot read file: {path.name}: {e}") from e
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as e:  # MuPDF raises FileDataError and friends
        raise PdfOpenError(f"PDF 已损坏，无法打开 / broken PDF, cannot open: {path.name}: {e}") from e
    if not doc.is_pdf:
        doc.close()
        raise PdfOpenError(f"不是 PDF 文件 / not a PDF: {path.name}")
    # Read needs_pass once, BEFORE authenticate: reading it afterwards made later
    # get_text() calls return nothing on some RC4/AES files (corpus README).
    needs_pass = bool(doc.needs_pass)
    if needs_pass:
        if not password or not doc.authenticate(password):
            doc.close()
            what = "密码错误 / wrong password" if password else "需要密码 / password required"
            raise PdfOpenError(f"PDF 已加密，{what}: {path.name}")
    if doc.page_count == 0:
        doc.close()
        raise PdfOpenError(f"PDF 没有页面 / PDF has no pages: {path.name}")
    return doc


def _is_dynamic_xfa(doc: Any) -> bool:
    try:
        cat = doc.pdf_catalog()
        return doc.xref_get_key(cat, "AcroForm/XFA")[0] != "null" and doc.xref_get_key(cat, "NeedsRendering")[1] == "true"
    except Exception:
        return False


# ------------------------------------------------------------------ text layer

_TEXT_FLAGS = None


def _text_flags() -> int:
    import pymupdf

    # No TEXT_PRESERVE_IMAGES: "dict"/"rawdict" would decode every image otherwise.
    return pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


def _rect_tuple(r: Any) -> tuple[float, float, float, float]:
    return (round(r.x0, 2), round(r.y0, 2), round(r.x1, 2), round(r.y1, 2))


def text_layer_lines(page: Any) -> tuple[list[Line], str]:
    """Lines (with word boxes) from the text layer, plus all extracted characters.

    Boxes are mapped through ``page.rotation_matrix``: PyMuPDF extracts in the
    unrotated page space, the contract wants the page as displayed.
    """
    import pymupdf

    rot = page.rotation_matrix
    raw = page.get_text("rawdict", flags=_text_flags(), sort=True)
    lines: list[Line] = []
    all_chars: list[str] = []
    for block in raw.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        for ln in block.get("lines", ()):
            chars = [ch for span in ln.get("spans", ()) for ch in span.get("chars", ())]
            if not chars:
                continue
            text = "".join(ch["c"] for ch in chars)
            all_chars.append(text)
            if not text.strip():
                continue
            words: list[Word] = []
            cur: list[dict] = []
            for ch in chars + [{"c": " ", "bbox": (0, 0, 0, 0)}]:
                if ch["c"].isspace():
                    if cur:
                        wt = "".join(c["c"] for c in cur)
                        r = pymupdf.Rect(cur[0]["bbox"])
                        for c in cur[1:]:
                            r |= pymupdf.Rect(c["bbox"])
                        words.append(Word(text=normalize_text(wt), bbox=_rect_tuple(r * rot)))
                        cur = []
                else:
                    cur.append(ch)
            bbox = pymupdf.Rect(ln["bbox"]) * rot
            lines.append(Line(text=normalize_text(text), raw=text, bbox=_rect_tuple(bbox), conf=1.0, words=tuple(words)))
    return lines, "\n".join(all_chars)


# Scripts a usable text layer of these bundles (Chinese, plus the corpus' Japanese,
# Korean and European pages) is made of. Garbage from broken font mappings lands
# in IPA, Latin Extended-B, combining marks, Hebrew, Indic, Myanmar, CJK Ext. A...
_ALLOWED_RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x017F),  # ASCII, Latin-1, Latin Extended-A
    (0x0391, 0x03C9), (0x0400, 0x045F),  # Greek, Cyrillic
    (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20BF), (0x2100, 0x218F),  # punctuation, super/subscripts, currency, letterlike, numerals
    (0x2190, 0x23FF), (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x2713, 0x2717),  # arrows, math, enclosed, box, shapes, ✓✗
    (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3200, 0x33FF),  # CJK punct, kana, bopomofo, enclosed/compat (㎎ ㎡)
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F),  # CJK unified, Hangul
    (0xF900, 0xFAFF), (0xFB00, 0xFB06), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # compat ideographs, ligatures, CJK compat forms, half/full width
)


def _allowed(cp: int) -> bool:
    for lo, hi in _ALLOWED_RANGES:
        if lo <= cp <= hi:
            return True
    return False


def _is_cjk_ideograph(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF


def _common_cjk(ch: str) -> bool:
    # In one of the national standard sets (GB2312 / Big5 / JIS X 0208 / KS X 1001):
    # real text is >95 % such characters; broken CMaps scatter over the whole block.
    for enc in ("gb2312", "big5", "shift_jis", "euc_kr"):
        try:
            ch.encode(enc)
            return True
        except UnicodeEncodeError:
            continue
    return False


@dataclass
class TextVerdict:
    usable: bool
    reason: str
    metrics: dict[str, float] = field(default_factory=dict)


# Thresholds, calibrated on the corpus MANIFEST (tests/pages/test_pages.py holds the table).
BAD_CHAR_MAX = 0.05  # control / private-use / unassigned / U+FFFD
ODD_SCRIPT_MAX = 0.15
RARE_CJK_MAX = 0.30
SWAPPED_MAX = 0.20
REPEAT_MAX = 0.30
MIN_ALNUM = 0.40
SCAN_COVER_MIN = 0.50  # of the page covered by images → treat the page as a scan
REGION_COVERED_MIN = 0.50  # of a scan's detected text area the text layer must cover
# Leader/filler characters (TOC dots, blanks to fill in) do not count against a layer.
_LEADERS = set(".·…_-—–=*~ ")


def char_metrics(text: str) -> dict[str, float]:
    chars = [c for c in text if not c.isspace()]
    n = len(chars)
    n_content = sum(1 for c in chars if c not in _LEADERS)
    m: dict[str, float] = {"chars": float(n)}
    if n == 0:
        return m
    bad = odd = cjk = rare = swapped = alnum = 0
    for c in chars:
        cp = ord(c)
        cat = unicodedata.category(c)
        if cat in ("Cc", "Co", "Cn", "Cs") or cp == 0xFFFD or 0x80 <= cp <= 0x9F:
            bad += 1
        elif not _allowed(cp):
            odd += 1
        if cat[0] in "LN":
            alnum += 1
        if _is_cjk_ideograph(cp):
            cjk += 1
            if not _common_cjk(c):
                rare += 1
            # UTF-16 bytes read the wrong way round: 'M' (0x4D) shows up as U+4D00 '䴀'.
            if cp & 0xFF == 0 and 0x20 <= cp >> 8 < 0x7F:
                swapped += 1
    # Runs of ≥3 identical ideographs: many glyphs mapped to one code point (針針針針).
    repeat = 0
    run = 1
    for a, b in zip(chars, chars[1:] + [""]):
        if a == b and _is_cjk_ideograph(ord(a)):
            run += 1
        else:
            if run >= 3:
                repeat += run
            run = 1
    m.update(
        bad=bad / n,
        odd=odd / n,
        alnum=alnum / max(1, n_content),
        cjk=cjk / n,
        rare_cjk=(rare / cjk) if cjk >= 5 else 0.0,
        swapped=(swapped / cjk) if cjk else 0.0,
        repeat=repeat / n,
    )
    return m


def image_cover(page: Any) -> float:
    """Fraction of the page under images (from MuPDF's draw log; nothing is decoded)."""
    import numpy as np
    import pymupdf

    rect = page.rect
    zoom = 0.25  # 4 pt cells are plenty for an area fraction
    w, h = max(1, int(rect.width * zoom)), max(1, int(rect.height * zoom))
    mask = np.zeros((h, w), dtype=bool)
    rot = page.rotation_matrix
    for kind, r in page.get_bboxlog():
        if "image" not in kind:
            continue
        rr = (pymupdf.Rect(r) * rot) & rect
        if rr.is_empty:
            continue
        mask[int(rr.y0 * zoom): int(np.ceil(rr.y1 * zoom)), int(rr.x0 * zoom): int(np.ceil(rr.x1 * zoom))] = True
    return float(mask.mean())


def text_region_coverage(page: Any, lines: list[Line], regions: list[tuple[float, float, float, float]]) -> float:
    """Area fraction of detected text regions that the text layer's lines cover."""
    import numpy as np

    rect = page.rect
    zoom = 1.0
    w, h = max(1, int(rect.width * zoom) + 1), max(1, int(rect.height * zoom) + 1)
    mask = np.zeros((h, w), dtype=bool)
    for ln in lines:
        x0, y0, x1, y1 = ln.bbox
        mask[max(0, int(y0) - 2): int(y1) + 3, max(0, int(x0) - 2): int(x1) + 3] = True
    total = covered = 0.0
    for x0, y0, x1, y1 in regions:
        sub = mask[max(0, int(y0)): max(int(y0) + 1, int(y1)), max(0, int(x0)): max(int(x0) + 1, int(x1))]
        area = float(sub.size)
        total += area
        covered += float(sub.sum())
    return covered / total if total else 1.0


def judge_text_layer(
    page: Any,
    lines: list[Line],
    chars: str,
    text_regions: Optional[Callable[[], list[tuple[float, float, float, float]]]] = None,
) -> TextVerdict:
    """Is this page's text layer worth keeping over OCR? Judges quality, not presence.

    Rejects: broken ToUnicode (control/private-use/U+FFFD), font mappings that land in
    unrelated scripts, "false CJK" (rare ideographs, byte-swapped ASCII, runs of one
    repeated ideograph), symbol-only layers from fonts without Unicode, and scans whose
    text layer explains little of the image's ink (a date stamp on a scanned page).
    Keeps: good text with a bad render (the render is never compared glyph by glyph),
    scans with an invisible OCR layer that covers the page's ink.
    """
    m = char_metrics(chars)
    n = m["chars"]
    if n == 0:
        return TextVerdict(False, "no text layer", m)
    checks = (  # most specific first, so the reason names the real cause
        ("swapped", SWAPPED_MAX, "byte-swapped ASCII read as CJK (false CJK)"),
        ("repeat", REPEAT_MAX, "one ideograph repeated for many glyphs"),
        ("rare_cjk", RARE_CJK_MAX, "mostly rare CJK code points (false CJK)"),
        ("bad", BAD_CHAR_MAX, "control/private-use/replacement characters"),
        ("odd", ODD_SCRIPT_MAX, "characters from unrelated scripts (broken font mapping)"),
    )
    for key, limit, why in checks:
        if m.get(key, 0.0) > limit:
            return TextVerdict(False, f"text layer rejected: {why} ({key}={m[key]:.2f})", m)
    if n >= 3 and m["alnum"] < MIN_ALNUM:
        return TextVerdict(False, f"text layer rejected: symbols only, no letters (alnum={m['alnum']:.2f})", m)
    cover = image_cover(page)
    m["image_cover"] = cover
    if cover >= SCAN_COVER_MIN and text_regions is not None:
        # A scan with a text layer: an invisible OCR layer (keep) or a few stamped
        # words over an image full of text (reject). The text detector tells which.
        regions = text_regions()
        m["regions"] = float(len(regions))
        if len(regions) >= 3:
            covered = text_region_coverage(page, lines, regions)
            m["region_covered"] = covered
            if covered < REGION_COVERED_MIN:
                return TextVerdict(False, f"text layer rejected: scanned page, text layer covers {covered:.0%} of the detected text", m)
    return TextVerdict(True, "text layer", m)


# ------------------------------------------------------------------ one page


def _page_has_marks(page: Any) -> bool:
    """Anything drawn at all (images, paths, text)? An empty page needs no OCR."""
    try:
        return bool(page.get_bboxlog())
    except Exception:
        return True


def extract_page(
    pdf_path: Path,
    page_no: int,
    settings: PageSettings = PageSettings(),
    *,
    password: Optional[str] = None,
    doc: Any = None,
    engine: Optional[OcrEngine] = None,
) -> Page:
    """Extract one page (1-based) in-process. Errors come back in ``Page.error``.
    ``engine``: the OCR engine (default ``get_engine(settings.threads)``)."""
    t0 = time.perf_counter()
    own = doc is None
    try:
        if own:
            doc = open_pdf(pdf_path, password)
        page = doc.load_page(page_no - 1)
    except Exception as e:
        return Page(no=page_no, source="none", width=0.0, height=0.0, error=f"页面无法读取 / page unreadable: {e}", seconds=round(time.perf_counter() - t0, 3))
    try:
        return _extract_loaded(doc, page, page_no, settings, t0, engine)
    except Exception as e:  # one bad page must not sink the document
        return Page(no=page_no, source="none", width=float(page.rect.width), height=float(page.rect.height), error=f"页面处理失败 / page failed: {type(e).__name__}: {e}", seconds=round(time.perf_counter() - t0, 3))
    finally:
        if own and doc is not None:
            doc.close()


def _extract_loaded(doc: Any, page: Any, page_no: int, settings: PageSettings, t0: float,
                    engine: Optional[OcrEngine] = None) -> Page:
    width, height = round(float(page.rect.width), 2), round(float(page.rect.height), 2)
    lines, chars = text_layer_lines(page)
    regions = None
    if settings.ocr:
        regions = lambda: ocr_mod.detect_text_regions(page, threads=settings.threads, engine=engine)  # noqa: E731
    verdict = judge_text_layer(page, lines, chars, regions)
    error = None
    if _is_dynamic_xfa(doc):
        error = "动态 XFA 表单：页面只有占位文字，真实内容不可读 / dynamic XFA form: the page holds only a placeholder"
    if verdict.usable:
        note = verdict.reason
        facts: dict[str, Any] = {"text_logic": TEXT_PAGE_LOGIC}  # typed twins of the note (Page fields)
        if settings.ocr:
            # Hand signatures and photo watermarks are images on born-digital pages: read them.
            regions = ocr_mod.image_regions(page, lines)
            extra = ocr_mod.ocr_image_regions(page, regions, threads=settings.threads, engine=engine,
                                              red_suppression=settings.red_suppression) if regions else []
            lines = list(lines) + extra
            note = f"{note}; {TEXT_PAGE_LOGIC}: {len(regions)} image regions OCR'd, {len(extra)} lines"
            facts.update(image_regions=len(regions), image_lines=len(extra),
                         image_boxes=tuple((tuple(r), any(_touches(ln.bbox, r) for ln in extra)) for r in regions))
        else:
            note = f"{note}; {TEXT_PAGE_LOGIC}: OCR off"
        return Page(no=page_no, source="text", width=width, height=height, lines=tuple(lines), error=error, note=note, seconds=round(time.perf_counter() - t0, 3), **facts)
    if not settings.ocr or not _page_has_marks(page):
        note = verdict.reason + ("; OCR disabled" if settings.ocr is False else "; blank page")
        return Page(no=page_no, source="none", width=width, height=height, error=error, note=note, seconds=round(time.perf_counter() - t0, 3))
    out = ocr_mod.ocr_page(page, dpi=settings.dpi, max_pixels=settings.max_pixels, threads=settings.threads,
                           red_suppression=settings.red_suppression, engine=engine)
    note = f"{verdict.reason}; OCR at {out.zoom * 72:.0f} dpi"
    return Page(
        no=page_no,
        source="ocr",
        width=width,
        height=height,
        lines=tuple(out.lines),
        rotation=out.rotation,
        skew=out.skew,
        error=error,
        note=note,
        seconds=round(time.perf_counter() - t0, 3),
    )


def _touches(a: tuple, b: tuple, pad: float = 4.0) -> bool:
    """Box ``a`` (a line read from an image region) came from region ``b``: its centre
    lies in the region (padded as the region's clip is). Not mere overlap: two seals side
    by side are a few points apart, and a line read from one would count for both."""
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - pad <= cx <= b[2] + pad and b[1] - pad <= cy <= b[3] + pad


# ------------------------------------------------------------------ workers
# What a page worker does; ``pipeline/page_pool.py`` runs it (deadlines, retries).

_WORKER_DOCS: dict[tuple[str, Optional[str]], Any] = {}


def _worker_page(pdf_path: str, page_no: int, settings: PageSettings, password: Optional[str]) -> dict:
    """Runs in a worker: opens the PDF once per process (paths cross, not images)."""
    key = (pdf_path, password)
    doc = _WORKER_DOCS.get(key)
    if doc is None:
        for old in _WORKER_DOCS.values():
            old.close()
        _WORKER_DOCS.clear()
        try:
            doc = open_pdf(Path(pdf_path), password)
        except PdfOpenError as e:
            return Page(no=page_no, source="none", width=0.0, height=0.0, error=str(e)).model_dump()
        _WORKER_DOCS[key] = doc
    return extract_page(Path(pdf_path), page_no, settings, doc=doc).model_dump()


# ------------------------------------------------------------------ document


def extract_pages(
    pdf_path: Path,
    *,
    cache_dir: Optional[Path],
    password: Optional[str] = None,
    workers: int = 2,
    page_timeout: float = 120.0,
    ocr: bool = True,
    dpi: int = 200,
    max_pixels: int = 12_000_000,
    red_suppression: bool = True,
) -> list[Page]:
    """Every page of ``pdf_path`` as a ``Page`` (1-based ``no``), in page order.

    Raises ``PdfOpenError`` when the file as a whole cannot be read (not a PDF,
    broken beyond repair, password missing or wrong, no pages). Page-level failures
    (page-tree cycle, timeout, crash) come back as pages with ``error`` set.

    ``workers=0`` runs in this process (no timeout enforcement; for tests/debugging).
    Cache hits are served in the parent: an unchanged PDF starts no worker at all.
    """
    pdf_path = Path(pdf_path)
    doc = open_pdf(pdf_path, password)
    n_pages = doc.page_count
    cpu = os.cpu_count() or 1
    threads = max(1, cpu // max(1, workers)) if workers else cpu
    settings = PageSettings(dpi=dpi, max_pixels=max_pixels, ocr=ocr, red_suppression=red_suppression, threads=threads)
    cache = PageCache(cache_dir) if cache_dir else None
    engine = engine_fingerprint() if cache else ""

    results: dict[int, Page] = {}
    keys: dict[int, str] = {}
    todo: list[int] = []
    xfa = _is_dynamic_xfa(doc)
    for no in range(1, n_pages + 1):
        if cache is not None:
            try:
                page = doc.load_page(no - 1)
                digest = page_content_digest(doc, page)
            except Exception:
                digest = None  # unloadable page: the worker reports the error
            if digest is not None:
                key = PageCache.make_key(digest, engine, {**settings.cache_fields(), "xfa": xfa})
                keys[no] = key
                hit = cache.get(key, no)
                if hit is not None:
                    results[no] = hit
                    continue
        todo.append(no)

    if todo:
        if workers <= 0:
            for no in todo:
                results[no] = extract_page(pdf_path, no, settings, doc=doc)
        else:
            doc.close()
            doc = None
            results.update(run_pool(_worker_page, pdf_path, todo, settings, password, workers, page_timeout))
    if doc is not None:
        doc.close()

    if cache is not None:
        for no in todo:
            page = results.get(no)
            # Errors (timeouts, crashes) are not cached: they may be transient.
            if page is not None and page.error is None and no in keys:
                cache.put(keys[no], page)
    return [results[no] for no in range(1, n_pages + 1)]
