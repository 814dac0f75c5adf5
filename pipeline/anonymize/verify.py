"""VERIFY: read a blind copy back as an attacker would and list every identity that survives.

Channels checked (``Leak.channel``):

- ``text``: each page's text layer, PyMuPDF (all optional-content layers switched on)
  and pdfplumber (a second, independent decoder of fonts/CMaps);
- ``ocr``: RapidOCR of every page raster that is not plain text (scans, rebuilt pages,
  text pages mostly covered by images); pages known to be pixel-identical to an
  already-OCR'd page are passed in ``known_ocr`` and not OCR'd again; pages of a copy
  made from a ``Reference`` document are re-read against it (``reocr``: the whole page
  is detected, every text box whose pixels changed is recognized again);
- ``seal``: red/grey round seals still on a page whose ring does not read as another
  owner (employer, issuing authority) — an unreadable ring counts as a leak; red print
  outside the seals on pages read from pixels is OCR'd as it is (the page OCR whitens
  seal red, and with it a red letterhead), reported in the ``ocr`` channel;
- ``image``: images a page raster does not show whole (on text pages, under drawn
  boxes, clipped, masked), each decoded and OCR'd on its own (``images``);
- ``metadata`` / ``xmp``: the Info dictionary and XMP packet;
- ``annotation`` / ``widget`` / ``embedded`` / ``outline`` / ``page_label``;
- ``object``: every indirect object's strings (literal and hex, PDFDoc/UTF-16/GBK
  decoded) and every non-image stream decoded;
- ``revision``: each earlier revision (the file cut at every ``%%EOF`` but the last).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from pipeline.cache import PageCache, page_content_digest
from pipeline.page_pool import Pending, map_calls, submit_calls
from pipeline.pages import extract_pages, image_cover, text_layer_lines
from pipeline.types import BBox, Page

from .apply import all_layers_on
from .copy_pages import plumber_text_task, reread_task, seal_search, seals_on_page
from .find import find_in_text, ocr_spans, text_layer_spans
from .identity import IdentitySet
from .images import hidden_images, image_spans, read_images
from .reocr import memo_key
from .seals import classify_seal, read_ring

__all__ = ["Leak", "Reference", "VerifyReport", "verify_pdf"]


@dataclass(frozen=True)
class Leak:
    channel: str
    page: Optional[int]  # 1-based, None for document-level channels
    bbox: Optional[BBox]
    text: str  # what was found
    term: str  # the identity value it matches (submission.json form)
    field: str
    where: str = ""  # e.g. metadata key, object number

    def as_dict(self) -> dict:
        return {"channel": self.channel, "page": self.page, "bbox": list(self.bbox) if self.bbox else None,
                "text": self.text, "term": self.term, "field": self.field, "where": self.where}


@dataclass
class VerifyReport:
    leaks: list[Leak] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    ocr_pages: int = 0  # pages OCR'd whole
    reused_pages: int = 0  # pages whose raster is an already-read one's
    reread_pages: int = 0  # pages re-read against the reference (``reocr``)
    reread_boxes: tuple[int, int] = (0, 0)  # (recognized again, detected) over those pages
    cache_hits: int = 0  # re-reads served from the cache
    image_ocr: int = 0  # images read on their own (``images``)
    # page → where a re-read copy page differs from its original (page points); only
    # there can a seal be on the copy that is not the original's
    changed_regions: dict[int, tuple] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # limits that do not void the check
    page_text: dict[int, list[str]] = field(default_factory=dict)  # recovered lines per page (readability)

    @property
    def safe(self) -> bool:
        return not self.leaks and not self.errors


@dataclass
class Reference:
    """The document a copy was made from, page for page (copy page i ↔ page i), with
    the OCR already made of its pages (pages stage, or the image OCR of text pages)."""

    path: Path
    ocr: dict[int, Page]
    memo: dict = field(default_factory=dict)  # re-reads made in this process (repair rounds)


# ---------------------------------------------------------------- string decoding

_LIT = re.compile(rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")


def _unescape_literal(b: bytes) -> bytes:
    out = bytearray()
    i = 0
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(b):
        c = b[i]
        if c == 0x5C and i + 1 < len(b):
            n = b[i + 1]
            if n in esc:
                out.append(esc[n])
                i += 2
            elif 0x30 <= n <= 0x37:
                j = i + 1
                while j < len(b) and j < i + 4 and 0x30 <= b[j] <= 0x37:
                    j += 1
                out.append(int(b[i + 1:j], 8) & 0xFF)
                i = j
            elif n in (10, 13):
                i += 2
            else:
                out.append(n)
                i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


def decode_pdf_bytes(b: bytes) -> list[str]:
    """Every plausible text reading of a PDF string's bytes."""
    outs = []
    if b.startswith(b"\xfe\xff"):
        outs.append(b[2:].decode("utf-16-be", "ignore"))
    elif b.startswith(b"\xff\xfe"):
        outs.append(b[2:].decode("utf-16-le", "ignore"))
    else:
        for enc in ("utf-8", "gb18030", "utf-16-be", "latin-1"):
            try:
                outs.append(b.decode(enc))
            except UnicodeDecodeError:
                continue
    return outs


def strings_in(src: bytes) -> list[str]:
    """Decoded literal and hex strings of a PDF object's source (or a decoded stream)."""
    out = []
    for m in _LIT.finditer(src):
        out += decode_pdf_bytes(_unescape_literal(m.group(0)[1:-1]))
    for m in _HEX.finditer(src):
        h = re.sub(rb"\s", b"", m.group(1))
        if len(h) % 2:
            h += b"0"
        try:
            out += decode_pdf_bytes(bytes.fromhex(h.decode()))
        except ValueError:
            pass
    return out


# ---------------------------------------------------------------- checks

def _text_hits(text: str, ids: IdentitySet, fuzzy: bool = True):
    return find_in_text(text, ids, fuzzy=fuzzy) if text else []


def _doc_level(doc: Any, ids: IdentitySet, rep: VerifyReport, channel_prefix: str = "") -> None:
    def add(channel: str, text: str, page=None, bbox=None, where: str = "", fuzzy: bool = True) -> None:
        for h in _text_hits(text, ids, fuzzy):
            rep.leaks.append(Leak(channel_prefix + channel, page, bbox, h.found, h.term.source, h.term.field, where))

    for k, v in (doc.metadata or {}).items():
        if isinstance(v, str):
            add("metadata", v, where=k)
    try:
        add("xmp", doc.get_xml_metadata() or "", where="XMP")
    except Exception:
        pass
    try:
        for lvl, title, pno, *_ in doc.get_toc(simple=False):
            add("outline", title, where="outline")
    except Exception:
        pass
    try:
        for name in doc.embfile_names():
            add("embedded", name, where="embedded file name")
            info = doc.embfile_info(name)
            for k in ("filename", "ufilename", "desc"):
                add("embedded", str(info.get(k) or ""), where=f"embedded {k}")
            content = doc.embfile_get(name)
            for s in decode_pdf_bytes(content[:2_000_000]):
                add("embedded", s, where=f"embedded file {name}", fuzzy=False)
    except Exception:
        pass
    try:
        for lab in doc.get_page_labels() or []:
            add("page_label", str(lab.get("prefix", "")), where="page label")
    except Exception:
        pass
    for page in doc:
        no = page.number + 1
        try:
            for a in page.annots() or []:
                info = a.info or {}
                for k in ("content", "title", "subject", "name"):
                    add("annotation", str(info.get(k) or ""), no, tuple(a.rect), where=f"annotation {k}")
            for w in page.widgets() or []:
                for k in ("field_value", "field_name", "field_label"):
                    add("widget", str(getattr(w, k, "") or ""), no, tuple(w.rect), where=f"form field {k}")
        except Exception:
            pass


def _objects(doc: Any, ids: IdentitySet, rep: VerifyReport, channel: str = "object") -> None:
    """Every object's strings and every non-image, non-font stream, decoded."""
    seen: set[tuple[str, str]] = set()
    for xref in range(1, doc.xref_length()):
        try:
            src = doc.xref_object(xref, compressed=False)
        except Exception:
            continue
        texts = strings_in(src.encode("utf-8", "surrogateescape"))
        if doc.xref_is_stream(xref) and "/Image" not in src and "/FontFile" not in src and "Length1" not in src:
            try:
                data = doc.xref_stream(xref) or b""
            except Exception:
                data = b""
            if data:
                data = data[:4_000_000]
                texts += strings_in(data)
                if b"<x:xmpmeta" in data or b"<?xpacket" in data or b"<rdf:" in data:
                    texts.append(data.decode("utf-8", "ignore"))
        for t in texts:
            for h in _text_hits(t, ids, fuzzy=False):
                k = (h.found, str(xref))
                if k not in seen:
                    seen.add(k)
                    rep.leaks.append(Leak(channel, None, None, h.found, h.term.source, h.term.field, f"object {xref}"))


def _revisions(data: bytes, ids: IdentitySet, rep: VerifyReport) -> None:
    import pymupdf

    ends = [m.end() for m in re.finditer(rb"%%EOF", data)]
    # Only the last %%EOF may end the file (trailing whitespace aside).
    for end in ends[:-1]:
        if not data[end:].strip():
            continue
        try:
            old = pymupdf.open(stream=data[:end], filetype="pdf")
        except Exception:
            continue
        sub = VerifyReport()
        _doc_level(old, ids, sub, "revision:")
        for page in old:
            for s in text_layer_spans(page, page.number + 1, ids):
                sub.leaks.append(Leak("revision:text", page.number + 1, s.bbox, s.found, s.term.source, s.term.field))
        _objects(old, ids, sub, "revision:object")
        old.close()
        rep.leaks += sub.leaks


# pdfplumber is a second, independent decoder (pdfminer) against font tricks, but it
# costs ~1 s per dense page; past this budget the rest is left to PyMuPDF and the
# object-level scan, and the report says how far it got.
PDFPLUMBER_BUDGET_S = 30.0


def _pdfplumber_text(path: Path, ids: IdentitySet, rep: VerifyReport, pages: set[int], workers: int = 0) -> None:
    """Identity strings in pdfplumber's text of ``pages``, read over the page workers."""
    import time

    if not pages:
        return
    k = max(1, min(workers, len(pages)))
    nos = sorted(pages)
    deadline = time.time() + PDFPLUMBER_BUDGET_S
    read: dict[int, str] = {}
    errors: list[str] = []
    for got, error in map_calls(plumber_text_task, [(str(path), nos[i::k], deadline) for i in range(k)], workers):
        read.update(got)
        if error and error not in errors:
            errors.append(error)  # one unreadable file, said once (each worker opens it)
    rep.errors += errors
    if len(read) < len(nos) and not errors:
        rep.notes.append(f"pdfplumber: time budget reached, {len(read)} of {len(nos)} pages read")
    for no in nos:
        for h in _text_hits(read.get(no, ""), ids):
            rep.leaks.append(Leak("text", no, None, h.found, h.term.source, h.term.field, "pdfplumber"))


def _needs_ocr(page: Any, chars: Optional[str] = None) -> bool:
    """Read from pixels: little text and an image, or mostly images (``chars``: its text layer's, if known)."""
    images, cover = bool(page.get_images()), image_cover(page)
    if not images and cover < 0.3:
        return False  # no image to read, whatever its text (the text layer is dearer to extract)
    chars = text_layer_lines(page)[1] if chars is None else chars
    return images if len(chars.strip()) < 20 else cover >= 0.3


def _text_free(page: Any) -> bool:
    """No font and no extractable character: what is seen is pixels and paths only."""
    try:
        return not page.get_fonts() and not page.get_text("text").strip()
    except Exception:
        return False


OCR_DPI = 200  # as the pages stage: the institution's copy is read as well as the original


def _ocr_pages(path: Path, page_nos: list[int], *, cache_dir: Optional[Path], workers: int) -> dict[int, Page]:
    """OCR the given pages' rasters once, fanned out over the page workers, through the page cache.

    A page without any text is copied as it is (its images are rendered once, by the
    worker, like the pages stage does); a page with text is rasterized first, so that
    its pixels are read rather than its text layer (checked separately)."""
    import tempfile

    import pymupdf

    if not page_nos:
        return {}
    src = pymupdf.open(str(path))
    all_layers_on(src)  # hidden layers are shown: an attacker can switch them on
    sub = pymupdf.open()
    for no in page_nos:
        page = src[no - 1]
        if _text_free(page):
            sub.insert_pdf(src, from_page=no - 1, to_page=no - 1, links=False)
        else:
            pix = page.get_pixmap(dpi=OCR_DPI, alpha=False)
            p = sub.new_page(width=page.rect.width, height=page.rect.height)
            p.insert_image(p.rect, pixmap=pix)
    src.close()
    with tempfile.TemporaryDirectory(prefix="anonverify") as td:
        tmp = Path(td) / "pages.pdf"
        sub.save(tmp, garbage=3, deflate=True)
        sub.close()
        got = extract_pages(tmp, cache_dir=cache_dir, workers=workers, ocr=True, dpi=OCR_DPI)
    return {no: pg.model_copy(update={"no": no}) for no, pg in zip(page_nos, got)}


@dataclass
class RereadJob:
    """Re-reads of pages of the copy ``path`` against a reference, queued on the page workers
    before they are needed (``start_rereads``), to run while this process does serial work."""

    path: Path
    keys: dict[int, Optional[str]]  # page no → memo key of the re-read queued for it
    handle: Pending


def _reread_plan(doc: Any, reference: Reference, page_nos: list[int], cache: Optional[PageCache],
                 hits: dict[int, Page]) -> tuple[list[tuple[int, Optional[str]]], int]:
    """Pages to re-read (page no, memo key); the rest were re-read before (memo, page
    cache) and land in ``hits`` (a "cannot compare" is remembered as source "none").
    Returns (pending, cache hits)."""
    import pymupdf

    pending: list[tuple[int, Optional[str]]] = []
    cache_hits = 0
    with pymupdf.open(str(reference.path)) as ref:
        for no in page_nos:
            ref_ocr = reference.ocr.get(no)
            if ref_ocr is None or no > ref.page_count or no > doc.page_count:
                continue
            page, rpage = doc[no - 1], ref[no - 1]
            cd, rd = page_content_digest(doc, page), page_content_digest(ref, rpage)
            key = memo_key(cd, rd, ref_ocr) if cd and rd else None
            hit = reference.memo.get(key) if key else None
            if hit is None and key and cache is not None:
                hit = cache.get(key, no)
                if hit is not None:
                    cache_hits += 1
            if hit is not None:
                hits[no] = hit
                continue
            pending.append((no, key))
    return pending, cache_hits


def _reread_calls(path: Path, reference: Reference, pending: list[tuple[int, Optional[str]]]) -> list[tuple]:
    return [(str(path), str(reference.path), no, reference.ocr[no]) for no, _ in pending]


def start_rereads(path: Path, reference: Reference, page_nos: list[int], *, cache_dir: Optional[Path],
                  workers: int) -> Optional[RereadJob]:
    """Queue the re-reads ``_reread`` would make of these pages of ``path`` (those not in
    the memo or the page cache); None when nothing is to be queued or the copy cannot be
    opened (``verify_pdf`` then finds out and says so itself)."""
    import pymupdf

    try:
        with pymupdf.open(str(path)) as doc:
            all_layers_on(doc)  # as verify_pdf opens it: the same pages, the same keys
            pending, _ = _reread_plan(doc, reference, page_nos, PageCache(cache_dir) if cache_dir else None, {})
    except Exception:
        return None
    if not pending:
        return None
    return RereadJob(Path(path), dict(pending), submit_calls(reread_task, _reread_calls(path, reference, pending),
                                                             workers))


def _reread(doc: Any, path: Path, reference: Reference, page_nos: list[int], rep: VerifyReport,
            cache_dir: Optional[Path], workers: int = 0, job: Optional[RereadJob] = None) -> dict[int, Page]:
    """Pages of ``doc`` (read from ``path``) re-read against the reference (``reocr``),
    fanned out over the page workers, or taken from ``job`` where it queued the same
    re-read; pages it cannot compare are left out (the caller OCRs them whole)."""
    cache = PageCache(cache_dir) if cache_dir else None
    out: dict[int, Page] = {}
    hits: dict[int, Page] = {}
    try:
        pending, rep_hits = _reread_plan(doc, reference, page_nos, cache, hits)
    except Exception as e:
        rep.notes.append(f"reference not readable, pages OCR'd whole: {e}")
        return out
    rep.cache_hits += rep_hits
    recognized = boxes = 0
    for no, hit in hits.items():
        if hit.source == "ocr":
            out[no] = hit.model_copy(update={"no": no})
            if hit.reread_boxes is not None:
                recognized, boxes = recognized + (hit.reread_recognized or 0), boxes + hit.reread_boxes
    queued: dict[int, Any] = {}
    if job is not None and job.path == Path(path):
        got = dict(zip(job.keys, job.handle.results()))
        queued = {no: got[no] for no, key in pending if no in got and job.keys[no] == key}
    fresh = iter(map_calls(reread_task, _reread_calls(path, reference, [p for p in pending if p[0] not in queued]),
                           workers))
    for no, key in pending:
        page, regions, error = queued[no] if no in queued else next(fresh)
        if error:
            rep.notes.append(error)
            continue  # not remembered: a failure may be transient
        if regions is not None:
            rep.changed_regions[no] = regions
        res = page if page is not None else Page(no=no, source="none", width=0.0, height=0.0,
                                                 note="not comparable with the reference")
        if key:
            reference.memo[key] = res
            if cache is not None:
                cache.put(key, res)
        if page is not None:
            out[no] = page
            recognized += page.reread_recognized or 0
            boxes += page.reread_boxes or 0
    rep.reread_boxes = (rep.reread_boxes[0] + recognized, rep.reread_boxes[1] + boxes)
    return out


def pages_to_read(path: Path, known: set[int]) -> list[int]:
    """Pages of ``path`` that ``verify_pdf`` reads from pixels, less ``known`` ([]: unreadable)."""
    import pymupdf

    try:
        with pymupdf.open(str(path)) as doc:
            all_layers_on(doc)
            return [p.number + 1 for p in doc if p.number + 1 not in known and _needs_ocr(p)]
    except Exception:
        return []


def _seal_task(path: str, no: int, ids: IdentitySet, rotation: Optional[int],
               search: Optional[list] = None) -> tuple[list[Leak], list[str], str]:
    """Seals on one page (a leak when the ring reads as the institution's or cannot be
    told), and, on a page read from pixels (``rotation`` not None), the red print outside
    them, which the page OCR whitened like seal red. In a page worker: (leaks, texts, error).

    ``search``: boxes (page points) outside which the page is known to show its original
    pixels, whose seals were found (``original_seals``, inside the boxes too): seals are
    looked for only there (``copy_pages.seal_search``)."""
    leaks: list[Leak] = []
    try:
        img, k, found, red = seals_on_page(path, no, rotation, search)
        for s in found:
            owner, scores = classify_seal(read_ring(img, k, s), ids.owners)
            if owner in ("institution", "unknown"):
                leaks.append(Leak("seal", no, tuple(round(v, 1) for v in s.bbox), "印章",
                                  ids.name, "name", f"seal ({owner})"))
        for sp in ocr_spans(red, ids, pad=0.0) if red is not None else ():
            leaks.append(Leak("ocr", no, sp.bbox, sp.found, sp.term.source, sp.term.field, "red print"))
    except Exception as e:
        return leaks, [], f"seal check page {no}: {type(e).__name__}: {e}"
    return leaks, [ln.text for ln in red.lines] if red is not None else [], ""


def verify_pdf(
    path: Path,
    ids: IdentitySet,
    *,
    ocr: bool = True,
    seals: bool = True,
    known_ocr: Optional[dict[int, Page]] = None,
    ocr_pages: Optional[set[int]] = None,
    cache_dir: Optional[Path] = None,
    workers: int = 2,
    reference: Optional[Reference] = None,
    seal_checked: Optional[set[int]] = None,
    known_images: Optional[dict[str, Page]] = None,
    original_seals: Optional[dict[int, list]] = None,
    rereads: Optional[RereadJob] = None,
) -> VerifyReport:
    """Every surviving identity string in ``path`` (see module docstring for channels).

    ``known_ocr``: OCR results of pages known to be pixel-identical to ones already read
    (page no → Page); ``ocr_pages``: restrict OCR to these pages (default: every page
    that is not plain text); ``reference``: the document ``path`` was made from, page
    for page, and its OCR: the other pages are re-read against it where they compare;
    ``seal_checked``: pages whose pixels were already searched for seals (none found);
    ``known_images``: readings of images by pixel hash (``images.image_key``);
    ``original_seals``: the seals found on each page of the reference: a page re-read
    against it is searched for seals only where it changed and round those;
    ``rereads``: those re-reads already queued (``start_rereads``).
    """
    import pymupdf

    path = Path(path)
    rep = VerifyReport()
    data = path.read_bytes()
    doc = pymupdf.open(stream=data, filetype="pdf")
    all_layers_on(doc)  # hidden optional-content layers are read too
    rep.checked += ["metadata", "xmp", "outline", "embedded", "page_label", "annotation", "widget"]
    _doc_level(doc, ids, rep)
    rep.checked.append("object")
    _objects(doc, ids, rep)
    rep.checked.append("revision")
    _revisions(data, ids, rep)
    rep.checked.append("text")
    need_ocr: list[int] = []
    read_pages: dict[int, Page] = {}  # OCR of each page read from pixels
    with_text: set[int] = set()
    for page in doc:
        no = page.number + 1
        spans = text_layer_spans(page, no, ids)
        for s in spans:
            rep.leaks.append(Leak("text", no, s.bbox, s.found, s.term.source, s.term.field, "pymupdf"))
        lines, chars = text_layer_lines(page)
        rep.page_text[no] = [ln.text for ln in lines]
        if chars.strip() or page.get_fonts():
            with_text.add(no)
        if ocr and (ocr_pages is None or no in ocr_pages) and _needs_ocr(page, chars):
            need_ocr.append(no)
    # pdfminer can only find text where a font is used (or MuPDF found characters).
    _pdfplumber_text(path, ids, rep, with_text, workers)
    if ocr:
        rep.checked.append("ocr")
        known = known_ocr or {}
        todo = [n for n in need_ocr if n not in known]
        got = _reread(doc, path, reference, todo, rep, cache_dir, workers, rereads) if reference is not None and todo else {}
        rep.reread_pages = len(got)
        todo = [n for n in todo if n not in got]
        got.update(_ocr_pages(path, todo, cache_dir=cache_dir, workers=workers))
        rep.ocr_pages = len(todo)
        rep.reused_pages = len([n for n in need_ocr if n in known])
        for no in need_ocr:
            pg = got.get(no) or known.get(no)
            if pg is not None:
                read_pages[no] = pg
            if pg is None:
                continue
            if pg.error:
                rep.errors.append(f"page {no}: {pg.error}")
            rep.page_text.setdefault(no, [])
            rep.page_text[no] = rep.page_text[no] + [ln.text for ln in pg.lines]
            for s in ocr_spans(pg, ids, pad=0.0):
                rep.leaks.append(Leak("ocr", no, s.bbox, s.found, s.term.source, s.term.field))
    if ocr:
        # Images shown less than whole (a logo on a text page, a scan under a drawn box):
        # an attacker extracts them; read each on its own.
        targets = hidden_images(doc, set(read_pages))
        if targets:
            rep.checked.append("image")
            got_img = read_images(path, targets, cache_dir=cache_dir, workers=workers, known=known_images)
            rep.image_ocr = len(got_img)
            for pg in got_img.values():
                if pg.error:
                    rep.errors.append(f"image OCR: {pg.error}")
            for sp in image_spans(doc, targets, got_img, ids, pad=0.0):
                rep.leaks.append(Leak("image", sp.page, sp.bbox, sp.found, sp.term.source, sp.term.field,
                                      "embedded image"))
    if seals:
        rep.checked.append("seal")
        nos = [no for no in range(1, doc.page_count + 1) if not (seal_checked and no in seal_checked)]
        calls = []
        for no in nos:
            search = None
            if original_seals is not None and no in original_seals and no in rep.changed_regions:
                r = doc[no - 1].rect
                search = seal_search(rep.changed_regions[no], original_seals[no], float(r.width), float(r.height))
            calls.append((str(path), no, ids, read_pages[no].rotation if no in read_pages else None, search))
        for no, (leaks, texts, error) in zip(nos, map_calls(_seal_task, calls, workers)):
            rep.leaks += leaks
            if texts:
                rep.page_text[no] = rep.page_text.get(no, []) + texts
            if error:
                rep.errors.append(error)
    doc.close()
    return rep
