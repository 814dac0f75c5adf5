"""FIND: where the institution's identity shows on each page (spans, pixel boxes, seals).

``find_in_text`` works on one string (exact hits on the match key, then OCR
misreadings within the term's edit budget). ``text_layer_spans`` maps hits in a
PyMuPDF page's text layer to exact character boxes; ``ocr_spans`` maps hits in
OCR lines (``pipeline.types.Page``) to sub-line boxes by character proportion,
padded. Seals come from ``seals.find_seals``. Nothing here modifies a document:
``apply`` acts on what this module returns (Presidio's analyzer / anonymizer split).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.types import BBox, Page

from .identity import IdentitySet, Term, distinctive, key_with_index

__all__ = ["Hit", "Span", "find_in_text", "text_layer_spans", "ocr_spans", "signature_spans", "CERT_LABELS"]


@dataclass(frozen=True)
class Hit:
    start: int  # source-string indices, end exclusive
    end: int
    term: Term
    found: str  # the text as printed
    exact: bool


@dataclass(frozen=True)
class Span:
    """One region to hide (or, for the verifier, one leak): page 1-based, box in display points."""

    page: int
    bbox: BBox
    term: Optional[Term]
    found: str
    channel: str  # text | ocr | seal | image
    # Boxes in the page's unrotated space, for PyMuPDF redaction annotations (text layer).
    raw_rects: tuple[BBox, ...] = ()


def _digit_boundary_ok(key: str, s: int, e: int, term: Term) -> bool:
    # A number-like term must not be the middle of a longer number (S220614071 ≠ phone).
    if term.key[:1].isdigit() and s > 0 and key[s - 1].isdigit():
        return False
    if term.key[-1:].isdigit() and e < len(key) and key[e].isdigit():
        return False
    return True


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < y and x < a[1] for x, y in spans)


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _fuzzy_plausible(term: Term, window: str) -> bool:
    """A fuzzy hit must keep what makes the term this institution's: the same numbers
    (another certificate or house number differs only there) and, for names, the
    distinctive characters (not just 检测技术有限公司, which every lab shares)."""
    if _digits(term.key) and _digits(window) != _digits(term.key) and term.field in (
            "certificate_no", "address", "lab_address", "email", "website"):
        return False
    if term.field in ("name", "alias"):
        core = distinctive(term.key)
        if len(core) < 2:
            return False
        present = sum(1 for c in core if c in window)
        allowed = 0 if len(core) <= 3 else 1
        if len(core) - present > allowed:
            return False
    return True


def find_in_text(text: str, ids: IdentitySet, *, fuzzy: bool = True) -> list[Hit]:
    """Identity hits in ``text`` (non-overlapping, longest term first)."""
    key, idx = key_with_index(text)
    if not key or not ids.terms:
        return []
    taken: list[tuple[int, int]] = []
    hits: list[Hit] = []
    protected: list[tuple[int, int]] = []
    for p in ids.protected:
        if not p:
            continue
        i = key.find(p)
        while i >= 0:
            protected.append((i, i + len(p)))
            i = key.find(p, i + 1)

    def add(s: int, e: int, term: Term, exact: bool) -> None:
        taken.append((s, e))
        src_s, src_e = idx[s], idx[e - 1] + 1
        hits.append(Hit(src_s, src_e, term, text[src_s:src_e], exact))

    for term in ids.terms:
        i = key.find(term.key)
        while i >= 0:
            e = i + len(term.key)
            inside_protected = any(a <= i and e <= b for a, b in protected)
            if (not _overlaps((i, e), taken) and _digit_boundary_ok(key, i, e, term)
                    and not (inside_protected and term.field not in ("name", "certificate_no", "phone", "email"))):
                add(i, e, term, True)
            i = key.find(term.key, i + 1)
    if not fuzzy:
        return sorted(hits, key=lambda h: h.start)
    for term in ids.terms:
        k = term.fuzzy
        n = len(term.key)
        if k <= 0 or len(key) < n - k:
            continue
        work = key
        for _ in range(4):  # a line rarely holds the same name more than a few times
            al = fuzz.partial_ratio_alignment(term.key, work, score_cutoff=100.0 * (1 - (k + 0.5) / n))
            if al is None:
                break
            ds, de = al.dest_start, al.dest_end
            # Refine to the window with the fewest edits (partial_ratio aligns by ratio, not edits).
            best = None
            for s in range(max(0, ds - k), min(len(key), ds + k) + 1):
                for e in range(max(s + 1, s + n - k), min(len(key), s + n + k) + 1):
                    d = Levenshtein.distance(term.key, key[s:e], score_cutoff=k)
                    if d <= k and (best is None or d < best[0] or (d == best[0] and e - s > best[2] - best[1])):
                        best = (d, s, e)
            if best is None:
                work = work[:ds] + "\0" * (de - ds) + work[de:]
                continue
            _, s, e = best
            work = work[:s] + "\0" * (e - s) + work[e:]
            if _overlaps((s, e), taken):
                continue
            # Protected strings (the employer's name, staff names) are never eaten by a fuzzy hit.
            if any(min(e, b) - max(s, a) > 0.3 * (e - s) for a, b in protected):
                continue
            if not _digit_boundary_ok(key, s, e, term):
                continue
            if not _fuzzy_plausible(term, key[s:e]):
                continue
            add(s, e, term, False)
    return sorted(hits, key=lambda h: h.start)


# ---------------------------------------------------------------- text layer

def _rect_union(rects: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def text_layer_spans(page: Any, page_no: int, ids: IdentitySet) -> list[Span]:
    """Identity spans in a PyMuPDF page's text layer, with exact character boxes.

    Matching runs over each block's lines joined, so a name wrapped over two lines
    is still found; its boxes are then split per line.
    """
    import pymupdf

    rot = page.rotation_matrix
    # No TEXT_MEDIABOX_CLIP: text placed outside the visible page is still in the file.
    flags = pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE
    raw = page.get_text("rawdict", flags=flags)
    out: list[Span] = []
    for block in raw.get("blocks", ()):
        if block.get("type", 0) != 0:
            continue
        chars: list[tuple[str, tuple, int]] = []  # (char, bbox, line index)
        for li, ln in enumerate(block.get("lines", ())):
            for span in ln.get("spans", ()):
                for ch in span.get("chars", ()):
                    chars.append((ch["c"], tuple(ch["bbox"]), li))
        if not chars:
            continue
        text = "".join(c for c, _, _ in chars)
        for h in find_in_text(text, ids):
            per_line: dict[int, list] = {}
            for c, bb, li in chars[h.start:h.end]:
                if bb[2] > bb[0] and bb[3] > bb[1]:
                    per_line.setdefault(li, []).append(bb)
            rects = [_rect_union(v) for v in per_line.values()]
            if not rects:
                continue
            disp = [pymupdf.Rect(r) * rot for r in rects]
            u = disp[0]
            for r in disp[1:]:
                u |= r
            out.append(Span(page_no, (u.x0, u.y0, u.x1, u.y1), h.term, h.found, "text", tuple(rects)))
    return out


# ---------------------------------------------------------------- OCR lines

def _word_offsets(line_text: str, words) -> list[tuple[int, int]]:
    """Where each word's text sits in the line's text (words are joined by '' or ' ')."""
    out, pos = [], 0
    for w in words:
        i = line_text.find(w.text, pos)
        if i < 0:
            i = pos
        out.append((i, i + len(w.text)))
        pos = i + len(w.text)
    return out


def _sub_box(bbox: BBox, n: int, s: int, e: int, rotation: int) -> BBox:
    """Characters [s, e) of an n-character segment box, by proportion (upright pages only)."""
    x0, y0, x1, y1 = bbox
    if rotation % 360 != 0 or n <= 0:
        return bbox
    cw = (x1 - x0) / n
    return (x0 + cw * s, y0, x0 + cw * e, y1)


def ocr_spans(page: Page, ids: IdentitySet, *, pad: float = 2.5) -> list[Span]:
    """Identity spans in OCR lines; boxes padded by ``pad`` points and half a character."""
    out: list[Span] = []
    for line in page.lines:
        for h in find_in_text(line.text, ids):
            boxes = []
            if line.words:
                offs = _word_offsets(line.text, line.words)
                for w, (ws, we) in zip(line.words, offs):
                    s, e = max(h.start, ws), min(h.end, we)
                    if s < e:
                        boxes.append(_sub_box(w.bbox, we - ws, s - ws, e - ws, page.rotation))
            if not boxes:
                n = max(1, len(line.text))
                boxes.append(_sub_box(line.bbox, n, h.start, h.end, page.rotation))
            for b in boxes:
                x0, y0, x1, y1 = b
                ch = max(2.0, y1 - y0) if page.rotation % 180 == 0 else max(2.0, x1 - x0)
                px = pad + 0.5 * ch
                box = (max(0.0, x0 - px), max(0.0, y0 - pad), min(page.width or 1e9, x1 + px),
                       min(page.height or 1e9, y1 + pad))
                if page.rotation % 180:
                    box = (max(0.0, x0 - pad), max(0.0, y0 - px), x1 + pad, y1 + px)
                out.append(Span(page.no, tuple(round(v, 2) for v in box), h.term, h.found, "ocr"))
    return out



PERSON_FIELDS = ("legal_rep", "staff")
SIGNATURE_CHARS = (2, 4)  # a signature picture reads as one line of this many characters


def signature_spans(page: Page, ids: IdentitySet, *, pad: float = 2.5) -> list[Span]:
    """A picture read on its own (``page``: its OCR) that holds one short line of 2–4
    Chinese characters is a signature or a name stamp. Handwriting OCR drops or garbles
    a character of a name now and then (丁涛刚 read 丁涛), and personal names are matched
    exactly everywhere else (their edit budget is 0: other people's names are near). In a
    signature picture only, a reading one edit from a staff or legal-representative name
    of 3+ characters, its surname right, is taken for that name and the line is hidden.
    Names of the employer's people (``ids.protected``) never are."""
    lines = [ln for ln in page.lines if ln.text.strip()]
    if len(lines) != 1 or find_in_text(lines[0].text, ids):
        return []
    ln = lines[0]
    key = key_with_index(ln.text)[0]
    lo, hi = SIGNATURE_CHARS
    if not lo <= len(key) <= hi or not all("\u4e00" <= ch <= "\u9fff" for ch in key):
        return []
    if any(key in p or p in key for p in ids.protected if len(p) >= 2):
        return []
    for term in ids.terms:
        if (term.field in PERSON_FIELDS and len(term.key) >= 3 and term.key[0] == key[0]
                and Levenshtein.distance(key, term.key) <= 1):
            x0, y0, x1, y1 = ln.bbox
            box = (max(0.0, x0 - pad), max(0.0, y0 - pad), min(page.width or 1e9, x1 + pad),
                   min(page.height or 1e9, y1 + pad))
            return [Span(page.no, tuple(round(v, 2) for v in box), term, ln.text, "ocr")]
    return []

# Labels of identity fields on the qualification-certificate copy (资质证书副本).
CERT_LABELS = ("机构名称", "法定代表人", "注册地址", "实验室地址", "证书编号", "单位地址", "检测场所地址")


def is_certificate_page(text: str) -> bool:
    return "资质证书" in text and sum(1 for lb in CERT_LABELS if lb in text) >= 2


def certificate_value_spans(page: Page, ids: IdentitySet, pad: float = 2.5) -> list[Span]:
    """On the certificate copy page: the whole value after each identity label (even misread)."""
    if not is_certificate_page(page.text):
        return []
    out = []
    for line in page.lines:
        t = line.text
        for lb in CERT_LABELS:
            i = t.find(lb)
            if i < 0:
                continue
            start = i + len(lb)
            while start < len(t) and t[start] in ":： ":
                start += 1
            if start >= len(t):
                continue
            n = max(1, len(t))
            x0, y0, x1, y1 = line.bbox
            if page.rotation % 360 == 0:
                bx0 = x0 + (x1 - x0) * start / n - 4
                box = (max(0.0, bx0), y0 - pad, x1 + pad, y1 + pad)
            else:
                box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
            term = Term(text=t[start:], field="certificate_page", key=t[start:], fuzzy=0, source=lb)
            out.append(Span(page.no, tuple(round(v, 2) for v in box), term, t[start:], "ocr"))
    return out
