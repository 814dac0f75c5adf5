"""Blind-review copies (隐去机构信息的副本): find, then act, then prove (issue 6).

- ``identity.build_identity``: the institution's identity strings and variants;
- ``find`` / ``seals``: spans in the text layer and OCR lines, red round seals;
- ``plan_pages``: per page, what to hide and how (text redaction or raster rebuild);
- ``apply.apply_plan``: writes the fresh, single-revision ``anonymized.pdf``;
- ``verify.verify_pdf``: every surviving identity, on our copy and the institution's;
- ``leak_findings``: ``anonymized.leak`` findings from the institution copy's leaks.

``anonymize_pdf`` and ``check_institution_copy`` tie these together for ``run.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from pipeline.types import Evidence, Finding, Page

from .apply import PagePlan, apply_plan, plain_scan_image
from .find import Span, certificate_value_spans, find_in_text, ocr_spans, text_layer_spans
from .identity import IdentitySet, build_identity, match_key
from .seals import Seal, find_seals
from .verify import Leak, VerifyReport, verify_pdf

__all__ = [
    "AnonResult", "IdentitySet", "Leak", "PagePlan", "Span", "VerifyReport", "anonymize_pdf", "apply_plan",
    "build_identity", "check_institution_copy", "find_in_text", "leak_findings", "plan_pages", "verify_pdf",
]

SEAL_DPI = 150


@dataclass
class AnonResult:
    written: bool
    safe: bool
    path: Optional[str]
    leaks: list[Leak] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    report: Optional[VerifyReport] = None

    def summary(self) -> dict:
        """The ``anonymized`` block of findings.json."""
        return {"written": self.written, "safe": self.safe, "leaks": [x.as_dict() for x in self.leaks[:50]],
                "errors": self.errors[:20], "stats": self.stats}


def _image_ocr(page: Any, no: int, *, dpi: int = 200) -> Page:
    from pipeline.ocr import ocr_page

    out = ocr_page(page, dpi=dpi, max_pixels=12_000_000, threads=0)
    return Page(no=no, source="ocr", width=float(page.rect.width), height=float(page.rect.height),
                lines=tuple(out.lines), rotation=out.rotation, skew=out.skew)


def plan_pages(original: Path, pages: list[Page], ids: IdentitySet, *, ocr_images: bool = True,
               seals: bool = True, seal_mode: str = "erase",
               image_ocr: Optional[dict[int, Page]] = None) -> tuple[dict[int, PagePlan], list[str]]:
    """FIND for a whole document: one ``PagePlan`` per page, plus problems that make it unsafe.

    Text pages mostly covered by images are OCR'd too (a pasted scan of the
    certificate has no text layer); those OCR results land in ``image_ocr``."""
    import pymupdf

    from pipeline.pages import image_cover

    from .seals import render

    problems: list[str] = []
    plans: dict[int, PagePlan] = {}
    from .apply import all_layers_on

    doc = pymupdf.open(stream=Path(original).read_bytes(), filetype="pdf")
    all_layers_on(doc)
    by_no = {p.no: p for p in pages}
    for i, page in enumerate(doc):
        no = i + 1
        p = by_no.get(no)
        if p is not None and p.source == "text":
            plan = PagePlan(no, "text", text_layer_spans(page, no, ids))
            if ocr_images and image_cover(page) >= 0.3:
                op = _image_ocr(page, no)
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
            try:
                img, k = render(page, SEAL_DPI)
                plan.seals = find_seals(img, k)
            except Exception as e:
                problems.append(f"page {no}: seal detection failed: {e}")
        plan.seal_mode = seal_mode
        plans[no] = plan
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
) -> AnonResult:
    """Find, apply, verify: write ``out_path`` from ``original`` (never modified).

    ``pages`` is the pages stage's output for ``original`` (its OCR is reused: pages
    whose pixels are kept unchanged are not OCR'd again by the verifier).
    ``hide_staff`` also hides registered staff names. ``seal_mode``: every round seal is
    removed whole; "erase" (default) turns the seal's ink to paper white inside its disc
    and keeps the dark print under it (the dates stamped over stay readable: 0.991 vs
    0.979 readability on a scanned bundle), "cover" paints a black disc over it.
    """
    ids = build_identity(institution, employer, hide_staff=hide_staff)
    if not ids:
        return AnonResult(False, False, None, errors=["submission.json 中无机构信息 / no institution identity"])
    image_ocr: dict[int, Page] = {}
    plans, problems = plan_pages(Path(original), pages, ids, ocr_images=ocr, seal_mode=seal_mode,
                                 image_ocr=image_ocr)
    stats = apply_plan(Path(original), plans, Path(out_path))
    stats["spans"] = sum(len(p.spans) for p in plans.values())
    result = AnonResult(True, False, str(out_path), stats=stats, errors=list(problems))
    if not verify:
        return result
    for attempt in range(3):
        # Raster pages kept byte-identical: the original's OCR stands for them.
        known = {no: p for no, p in ((p.no, p) for p in pages)
                 if no in plans and plans[no].mode == "raster" and not plans[no].changed and p.source == "ocr"}
        # Text pages left untouched keep their pixels too: their image OCR stands.
        known.update({no: p for no, p in image_ocr.items() if not plans[no].changed and plans[no].mode == "text"})
        rep = verify_pdf(Path(out_path), ids, ocr=ocr, known_ocr=known, cache_dir=cache_dir, workers=workers)
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
    return result


def check_institution_copy(path: Path, institution: dict, *, employer: Optional[dict] = None,
                           ocr: bool = True, cache_dir: Optional[Path] = None, workers: int = 2) -> VerifyReport:
    """Verify the institution's own ``anonymized.pdf``."""
    ids = build_identity(institution, employer)
    return verify_pdf(Path(path), ids, ocr=ocr, cache_dir=cache_dir, workers=workers)


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
    from .identity import FIELD_ZH

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
        pages_zh = ("第" + "、".join(str(p) for p in pages[:12]) + ("等" if len(pages) > 12 else "") + "页") if pages else ""
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
        out.append(Finding(code="anonymized.leak", indicator=None, veto=False, message=msg, evidence=evidence))
    return out
