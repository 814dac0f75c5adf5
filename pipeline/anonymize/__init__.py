"""Blind-review copies (隐去机构信息的副本): find, then act, then prove (issue 6).

- ``identity.build_identity``: the institution's identity strings and variants;
- ``find`` / ``seals``: spans in the text layer and OCR lines, red round seals;
- ``plan_pages``: per page, what to hide and how (text redaction or raster rebuild);
- ``apply.apply_plan``: writes the fresh, single-revision ``anonymized.pdf``;
- ``verify.verify_pdf``: every surviving identity, on our copy and the institution's;
  ``reocr`` re-reads a copy page against the page it was made from (only text boxes
  whose pixels changed are recognized again), ``images`` reads the images no page
  raster shows whole (logos and signatures on text pages, scans under drawn boxes);
- ``leak_findings``: ``anonymized.leak`` findings from the institution copy's leaks.

``anonymize_pdf`` and ``check_institution_copy`` tie these together for ``run.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from pipeline.codes import ANONYMIZED_LEAK
from pipeline.page_pool import Pending, map_calls, submit_calls
from pipeline.pages import image_cover
from pipeline.types import Evidence, Finding, Page

from .apply import PagePlan, all_layers_on, apply_plan, plain_scan_image, scan_image  # noqa: F401
from .copy_pages import seals_on_page
from .find import Span, certificate_value_spans, find_in_text, ocr_spans, text_layer_spans
from .identity import FIELD_ZH, IdentitySet, build_identity, match_key
from .images import hidden_images, image_spans, read_images
from .seals import Seal
from .verify import Leak, Reference, RereadJob, VerifyReport, _ocr_pages, pages_to_read, start_rereads, verify_pdf

__all__ = [
    "AnonResult", "IdentitySet", "Leak", "PagePlan", "Reference", "Span", "VerifyReport", "anonymize_pdf", "apply_plan",
    "build_identity", "check_institution_copy", "find_in_text", "leak_findings", "plan_pages", "start_seal_search",
    "verify_pdf",
]



@dataclass
class AnonResult:
    written: bool
    safe: bool
    path: Optional[str]
    leaks: list[Leak] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    report: Optional[VerifyReport] = None
    # The original's seals page by page, where every page was searched (else None)
    seals: Optional[dict[int, list]] = None

    def summary(self) -> dict:
        """The ``anonymized`` block of findings.json."""
        stats = dict(self.stats)
        if isinstance(stats.get("rebuilt"), dict):  # page → how: counted, JSON keys stay strings
            how = list(stats["rebuilt"].values())
            stats["rebuilt"] = {k: how.count(k) for k in dict.fromkeys(how)}
        return {"written": self.written, "safe": self.safe, "leaks": [x.as_dict() for x in self.leaks[:50]],
                "errors": self.errors[:20], "stats": stats}


def _seal_plan_task(path: str, no: int, red_rotation: Optional[int]) -> tuple[list[Seal], Optional[Page], str]:
    """``seals_on_page`` of an original page, in a page worker: (seals, red print, error)."""
    try:
        _, _, found, red = seals_on_page(path, no, red_rotation)
        return found, red, ""
    except Exception as e:
        return [], None, f"{type(e).__name__}: {e}"


SealCall = tuple[str, int, Optional[int]]


def _seal_call(original: Path, no: int, p: Optional[Page], pictures: dict[int, Page], ocr_images: bool) -> SealCall:
    """The arguments of ``_seal_plan_task`` for page ``no`` (pages stage reading ``p``,
    picture pages' OCR ``pictures``): the red print outside seals is read on pages read
    from pixels, since their OCR whitened it away."""
    raster = not (p is not None and p.source == "text")
    read = ocr_images and (raster or no in pictures)
    src_ocr = p if raster else pictures.get(no)
    return (str(original), no, (src_ocr.rotation if src_ocr else 0) if read else None)


@dataclass
class SealSearch:
    """The original's seal search, queued on the page workers before the plan needs it
    (``start_seal_search``): they search while this process reads the records."""

    calls: list[SealCall]
    pending: Pending

    def answers(self) -> dict[SealCall, tuple]:
        return dict(zip(self.calls, self.pending.results()))


def start_seal_search(original: Path, pages: list[Page], *, ocr_images: bool = True,
                      workers: int = 2) -> Optional[SealSearch]:
    """Queue ``plan_pages``'s seal search of every page whose call is known from the pages
    stage alone (not the text pages mostly covered by pictures: their call waits for the
    pictures' OCR). ``plan_pages(queued=…)`` takes the answers of the calls it makes."""
    import pymupdf

    by_no = {p.no: p for p in pages}
    calls: list[SealCall] = []
    with pymupdf.open(str(original)) as doc:
        all_layers_on(doc)
        for i, page in enumerate(doc):
            p = by_no.get(i + 1)
            if ocr_images and p is not None and p.source == "text" and image_cover(page) >= 0.3:
                continue
            calls.append(_seal_call(Path(original), i + 1, p, {}, ocr_images))
    return SealSearch(calls, submit_calls(_seal_plan_task, calls, workers)) if calls else None


def seals_searched(plans: dict[int, "PagePlan"], problems: list[str]) -> bool:
    """Was every page of the original searched for seals without error?"""
    return bool(plans) and not any("seal detection failed" in p for p in problems)


def plan_pages(original: Path, pages: list[Page], ids: IdentitySet, *, ocr_images: bool = True,
               seals: bool = True, seal_mode: str = "erase",
               image_ocr: Optional[dict[int, Page]] = None, cache_dir: Optional[Path] = None,
               workers: int = 2, image_reads: Optional[dict[str, Page]] = None,
               queued: Optional[SealSearch] = None) -> tuple[dict[int, PagePlan], list[str]]:
    """FIND for a whole document: one ``PagePlan`` per page, plus problems that make it unsafe.

    Text pages mostly covered by images are OCR'd too (a pasted scan of the
    certificate has no text layer); those OCR results land in ``image_ocr``. They go
    through the page workers and the page cache like every other OCR. Images no page
    OCR shows whole (``images``) are read on their own; their readings land in
    ``image_reads`` (by pixel hash). ``queued``: seal searches already queued
    (``start_seal_search``); a call of the same arguments takes its answer."""
    import pymupdf

    problems: list[str] = []
    plans: dict[int, PagePlan] = {}
    by_no = {p.no: p for p in pages}
    data = Path(original).read_bytes()
    doc = pymupdf.open(stream=data, filetype="pdf")
    all_layers_on(doc)
    picture_pages = []
    if ocr_images:
        picture_pages = [i + 1 for i, page in enumerate(doc)
                         if (by_no.get(i + 1) is not None and by_no[i + 1].source == "text"
                             and image_cover(page) >= 0.3)]
    pictures = _ocr_pages(Path(original), picture_pages, cache_dir=cache_dir, workers=workers) if picture_pages else {}
    seal_calls: list[tuple[str, int, Optional[int]]] = []
    for i, page in enumerate(doc):
        no = i + 1
        p = by_no.get(no)
        if p is not None and p.source == "text":
            plan = PagePlan(no, "text", text_layer_spans(page, no, ids))
            op = pictures.get(no)
            if op is not None:
                if op.error:
                    problems.append(f"第{no}页图片未能识别 / page {no}: image OCR failed: {op.error}")
                if image_ocr is not None:
                    image_ocr[no] = op
                plan.spans += ocr_spans(op, ids) + certificate_value_spans(op, ids)
        else:
            plan = PagePlan(no, "raster")
            if p is None or (p.source == "none" and not p.lines and page.get_images()):
                problems.append(f"第{no}页未经 OCR，无法确认其中的机构信息 / page {no} was not OCR'd")
            if p is not None:
                plan.spans = ocr_spans(p, ids) + certificate_value_spans(p, ids)
        if seals:
            seal_calls.append(_seal_call(Path(original), no, p, pictures, ocr_images))
        plan.seal_mode = seal_mode
        plans[no] = plan
    # Seals (and red print outside them) page by page, over the page workers.
    answers = queued.answers() if queued is not None and seals else {}
    rest = [c for c in seal_calls if c not in answers]
    answers.update(zip(rest, map_calls(_seal_plan_task, rest, workers)))
    for c in seal_calls:
        no = c[1]
        found, rp, error = answers[c]
        if error:
            problems.append(f"page {no}: seal detection failed: {error}")
            continue
        plans[no].seals = found
        if rp is not None:
            plans[no].spans += ocr_spans(rp, ids)
    if ocr_images:
        # Images no page OCR sees whole (a logo on a text page, a picture under a box).
        read = {no for no, pl in plans.items() if pl.mode == "raster" and by_no.get(no) is not None
                and by_no[no].source == "ocr"} | set(pictures)
        targets = hidden_images(doc, read)
        if targets:
            keys: dict[int, str] = {}
            got = read_images(Path(original), targets, cache_dir=cache_dir, workers=workers, keys=keys)
            for sp in image_spans(doc, targets, got, ids):
                plans[sp.page].spans.append(sp)
            if image_reads is not None:
                image_reads.update({keys[x]: pg for x, pg in got.items() if x in keys and pg.source == "ocr"})
    doc.close()
    return plans, problems


def anonymize_pdf(
    original: Path,
    pages: list[Page],
    institution: dict,
    out_path: Path,
    *,
    employer: Optional[dict] = None,
    hide_staff: bool = False,
    seal_mode: str = "erase",
    verify: bool = True,
    ocr: bool = True,
    cache_dir: Optional[Path] = None,
    workers: int = 2,
    after_plan: Optional[Callable[[], Any]] = None,
    seal_search: Optional[SealSearch] = None,
) -> AnonResult:
    """Find, apply, verify: write ``out_path`` from ``original`` (never modified).

    ``pages`` is the pages stage's output for ``original``. Its OCR is reused: pages
    kept pixel for pixel are not OCR'd again, painted pages are re-read against the
    original (``reocr``: whole-page detection, recognition of every box whose pixels
    changed or that the original's OCR did not read as such).
    ``after_plan`` is called once the plan is made (the original's seals searched):
    work the caller queues there for the page workers (``start_institution_check``) runs
    while this process paints the copy and reads its document structure, which would
    otherwise leave them idle. ``seal_search``: the original's seal search queued earlier
    (``start_seal_search``).
    ``hide_staff`` also hides registered staff names. ``seal_mode``: every round seal is
    removed whole; "erase" (default) turns the seal's ink to paper white inside its disc
    and keeps the dark print under it (the dates stamped over stay readable: 0.991 vs
    0.979 readability on a scanned bundle), "cover" paints a black disc over it.
    """
    ids = build_identity(institution, employer, hide_staff=hide_staff)
    if not ids:
        return AnonResult(False, False, None, errors=["submission.json 中无机构信息 / no institution identity"])
    image_ocr: dict[int, Page] = {}
    image_reads: dict[str, Page] = {}
    plans, problems = plan_pages(Path(original), pages, ids, ocr_images=ocr, seal_mode=seal_mode,
                                 image_ocr=image_ocr, cache_dir=cache_dir, workers=workers, image_reads=image_reads,
                                 queued=seal_search)
    if after_plan is not None:
        after_plan()
    stats = apply_plan(Path(original), plans, Path(out_path))
    stats["spans"] = sum(len(p.spans) for p in plans.values())
    result = AnonResult(True, False, str(out_path), stats=stats, errors=list(problems),
                        seals={no: list(pl.seals) for no, pl in plans.items()} if seals_searched(plans, problems) else None)
    if not verify:
        return result
    # What the original's OCR already read: scan pages (pages stage) and the pictures
    # on text pages (image OCR). Copy pages are re-read against it (``reocr``).
    ref_ocr = {p.no: p for p in pages if p.source == "ocr"}
    ref_ocr.update(image_ocr)
    reference = Reference(Path(original), ref_ocr)
    for attempt in range(3):
        rebuilt = stats.get("rebuilt", {})
        # Scan pages kept byte for byte at their placement: the same pixels, already
        # read (pages stage) and searched for seals (none found, or they would be changed).
        same = {no for no, how in rebuilt.items() if how == "kept" and not plans[no].changed}
        known = {no: ref_ocr[no] for no in same if no in ref_ocr}
        # Text pages left untouched keep their pixels too: their image OCR stands.
        known.update({no: p for no, p in image_ocr.items() if not plans[no].changed and plans[no].mode == "text"})
        rep = verify_pdf(Path(out_path), ids, ocr=ocr, known_ocr=known, cache_dir=cache_dir, workers=workers,
                         reference=reference, seal_checked=same, known_images=image_reads,
                         original_seals=result.seals)
        text_pages = {no for no, p in plans.items() if p.mode == "text"}
        fallback = {lk.page for lk in rep.leaks if lk.page in text_pages}
        # Raster pages: the verifier's own OCR box is where the finder's OCR missed it.
        repaired = False
        for lk in rep.leaks:
            if lk.page in plans and plans[lk.page].mode == "raster" and lk.bbox:
                x0, y0, x1, y1 = lk.bbox
                pad = 3.0 + 0.5 * (y1 - y0)
                plans[lk.page].spans.append(Span(lk.page, (x0 - pad, y0 - 3.0, x1 + pad, y1 + 3.0), None, lk.text,
                                                 "repair"))
                repaired = True
        if any(lk.page is None for lk in rep.leaks) and not fallback:
            fallback = set(text_pages)  # a leak we cannot place (object, revision): rasterize all text pages
        if attempt == 2 or not (fallback or repaired):
            break
        # Redaction could not reach it (text outside the page box, odd fonts …): those
        # pages become pixels, painted like scans, and are verified again.
        for no in fallback:
            plans[no].mode = "raster"
        stats = apply_plan(Path(original), plans, Path(out_path))
        stats["spans"] = sum(len(p.spans) for p in plans.values())
        stats["rasterized_fallback"] = sorted(fallback)
        stats["repaired_from_verify"] = attempt + 1 if repaired else 0
        result.stats = stats
    result.report = rep
    result.leaks = rep.leaks
    result.errors += rep.errors
    result.safe = not rep.leaks and not result.errors
    result.stats["verify"] = {"ocr_pages": rep.ocr_pages, "reused_pages": rep.reused_pages,
                              "reread_pages": rep.reread_pages, "reread_boxes": list(rep.reread_boxes),
                              "cache_hits": rep.cache_hits, "image_ocr": rep.image_ocr}
    return result


_IMAGE_KEYS = ("Width", "Height", "BitsPerComponent", "ColorSpace", "Filter", "DecodeParms", "Decode", "ImageMask",
               "Mask", "SMask", "Intent")


def _content_hash(doc: Any, xref: int, depth: int = 0) -> str:
    """Hash of an object's content, its own references replaced by their content's hash."""
    import hashlib
    import re

    src = doc.xref_object(xref, compressed=True)
    src = re.sub(r"(\d+) 0 R", lambda m: _content_hash(doc, int(m.group(1)), depth + 1) if depth < 3 else "R", src)
    h = hashlib.sha256(src.encode())
    if doc.xref_is_stream(xref):
        h.update(doc.xref_stream_raw(xref) or b"")
    return h.hexdigest()[:16]


def _resolved(doc: Any, kv: tuple[str, str]) -> str:
    """A PDF value with indirect references replaced by their content's hash (object
    numbers differ from file to file; what they point to is what counts)."""
    import re

    return re.sub(r"(\d+) 0 R", lambda m: _content_hash(doc, int(m.group(1))), kv[1])


def _identical_scans(copy: Path, original: Path) -> dict[int, int]:
    """Copy page → original page whose plain scan image is the same bytes at the same
    placement (an institution that redacted some pages of its scan and left the others
    alone): the same pixels, so the original's OCR reads them."""
    import hashlib

    import pymupdf

    def index(path: Path) -> dict[int, tuple]:
        out = {}
        with pymupdf.open(str(path)) as doc:
            for page in doc:
                got = scan_image(doc, page)
                if got is None:
                    continue
                xref, rect, _ = got
                h = hashlib.sha256(doc.xref_stream_raw(xref) or b"")
                for key in _IMAGE_KEYS:  # how the bytes are decoded, references resolved
                    h.update(f"/{key}={_resolved(doc, doc.xref_get_key(xref, key))}".encode())
                out[page.number + 1] = (h.hexdigest(), tuple(round(v, 2) for v in page.rect),
                                        tuple(round(v, 2) for v in rect))
        return out

    try:
        orig = {v: no for no, v in index(original).items()}
        return {no: orig[v] for no, v in index(copy).items() if v in orig}
    except Exception:
        return {}


@dataclass
class InstitutionCheck:
    """The part of ``check_institution_copy`` that needs only the original's pages: which
    copy pages carry the original's scan unchanged, the reference, and the re-reads of the
    others, queued on the page workers (``start_institution_check``)."""

    path: Path
    known: dict[int, Page]
    reference: Optional[Reference]
    rereads: Optional[RereadJob] = None


def start_institution_check(path: Path, *, ocr: bool = True, cache_dir: Optional[Path] = None, workers: int = 2,
                            original: Optional[Path] = None, original_pages: Optional[list[Page]] = None,
                            queue: bool = True) -> InstitutionCheck:
    """Compare the institution's copy with the original page by page and, with ``queue``,
    queue its re-reads on the page workers now; ``check_institution_copy`` finishes."""
    known: dict[int, Page] = {}
    reference = None
    if ocr and original is not None and original_pages:
        ref_ocr = {p.no: p for p in original_pages if p.source == "ocr" and not p.error}
        for no, ono in _identical_scans(Path(path), Path(original)).items():
            if ono in ref_ocr:
                known[no] = ref_ocr[ono]
        reference = Reference(Path(original), ref_ocr)
    job = None
    if queue and reference is not None:
        job = start_rereads(Path(path), reference, pages_to_read(Path(path), set(known)), cache_dir=cache_dir,
                            workers=workers)
    return InstitutionCheck(Path(path), known, reference, job)


def check_institution_copy(path: Path, institution: dict, *, employer: Optional[dict] = None,
                           ocr: bool = True, cache_dir: Optional[Path] = None, workers: int = 2,
                           original: Optional[Path] = None, original_pages: Optional[list[Page]] = None,
                           original_seals: Optional[dict[int, list]] = None,
                           started: Optional[InstitutionCheck] = None) -> VerifyReport:
    """Verify the institution's own ``anonymized.pdf``.

    With ``original`` and its pages-stage output ``original_pages``, pages of the copy
    that carry the original's scan image unchanged are not OCR'd again, and pages made
    from the original page at the same position are re-read against it (``reocr``);
    a copy scanned or rendered anew is OCR'd whole. ``started``: that comparison made
    and its re-reads queued before (``start_institution_check``)."""
    ids = build_identity(institution, employer)
    if started is None or started.path != Path(path):
        started = start_institution_check(Path(path), ocr=ocr, cache_dir=cache_dir, workers=workers,
                                          original=original, original_pages=original_pages, queue=False)
    reference = started.reference
    return verify_pdf(Path(path), ids, ocr=ocr, cache_dir=cache_dir, workers=workers, known_ocr=started.known,
                      reference=reference, original_seals=original_seals if reference is not None else None,
                      rereads=started.rereads)


# ---------------------------------------------------------------- findings

_CHANNEL_ZH = {"metadata": "文档属性（元数据）", "xmp": "XMP 元数据", "annotation": "批注", "widget": "表单域",
               "embedded": "附件", "outline": "书签", "page_label": "页码标签", "object": "PDF 对象",
               "seal": "印章", "certificate": "资质证书复印件页"}


def _where(leak: Leak, page_height: Optional[float]) -> str:
    ch = leak.channel.split(":")[-1]
    if leak.channel.startswith("revision"):
        return "文件早期版本"
    if ch in _CHANNEL_ZH:
        return _CHANNEL_ZH[ch]
    if leak.bbox and page_height:
        y0, y1 = leak.bbox[1], leak.bbox[3]
        if y1 <= 0.13 * page_height:
            return "页眉"
        if y0 >= 0.88 * page_height:
            return "页脚"
    return "正文"


def leak_findings(leaks: list[Leak], *, file: str = "anonymized.pdf",
                  page_heights: Optional[dict[int, float]] = None) -> list[Finding]:
    """One ``anonymized.leak`` finding per leaked identity value (seals: one for all seals),
    with one evidence per page (first box on that page)."""
    heights = page_heights or {}
    groups: dict[tuple[str, str], list[Leak]] = {}
    for lk in leaks:
        key = ("seal", "") if lk.channel == "seal" else (lk.term, lk.field)
        groups.setdefault(key, []).append(lk)
    out: list[Finding] = []
    for (term, fld), items in groups.items():
        per_page: dict[Optional[int], Leak] = {}
        for lk in sorted(items, key=lambda x: (x.page or 0, x.bbox is None)):
            per_page.setdefault(lk.page, lk)
        pages = sorted(p for p in per_page if p is not None)
        wheres = []
        for lk in per_page.values():
            w = _where(lk, heights.get(lk.page) if lk.page else None)
            if w not in wheres:
                wheres.append(w)
        where = "、".join(wheres)
        named = pages[:12]  # the pages the message names
        pages_zh = ("第" + "、".join(str(p) for p in named) + ("等" if len(pages) > 12 else "") + "页") if pages else ""
        if term == "seal":
            msg = f"隐去机构信息的副本{pages_zh}仍有未遮盖的机构红色印章（共{len(pages)}页）"
        else:
            label = FIELD_ZH.get(fld, "机构信息")
            msg = f"隐去机构信息的副本{pages_zh}{where}仍可见{label}“{term}”"
        evidence = tuple(
            Evidence(file=file, page=lk.page, bbox=tuple(round(v, 1) for v in lk.bbox) if lk.bbox else None,
                     text=lk.text[:200])
            for lk in per_page.values()
        )
        out.append(Finding(code=ANONYMIZED_LEAK, indicator=None, veto=False, message=msg, evidence=evidence,
                           pages=tuple(pages), message_pages=tuple(named)))
    return out
