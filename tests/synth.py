"""Synthetic pages for extractor tests: rows of cell texts at given x positions, as a
text layer (one Line per cell) or as OCR output (one Line per row, with word boxes).
No OCR and no generator: wordings and layouts are whatever a test writes."""
from __future__ import annotations

from pipeline.normalize import normalize_text
from pipeline.types import Line, Word

W, H = 595.0, 842.0
CELL_H = 11.0


def text_width(text: str) -> float:
    """A cell's width in points: CJK characters 10 pt, others 5.5 pt."""
    return sum(10.0 if ord(ch) > 0x2E80 else 5.5 for ch in text)


def cell_lines(boxes: list[tuple[str, tuple]], source: str, *, conf: float = 0.97) -> list[Line]:
    """The Lines of one row of ``(text, bbox)`` cells: one per cell on a text layer, one
    for the whole row (its box spanning the cells, a Word per cell) from OCR."""
    if source == "text":
        return [Line(text=normalize_text(t), raw=t, bbox=b, words=(Word(text=normalize_text(t), bbox=b),))
                for t, b in boxes]
    words = tuple(Word(text=normalize_text(t, ocr=True), bbox=b) for t, b in boxes)
    bb = (min(b[0] for _, b in boxes), min(b[1] for _, b in boxes),
          max(b[2] for _, b in boxes), max(b[3] for _, b in boxes))
    txt = " ".join(t for t, _ in boxes)
    return [Line(text=normalize_text(txt, ocr=True), raw=txt, bbox=bb, conf=conf, words=words)]


def row_lines(cells: list[tuple[str, float]], y: float, source: str, *, conf: float = 0.97,
              height: float = CELL_H) -> list[Line]:
    """The Lines of one row of ``(text, x)`` cells at height ``y``."""
    return cell_lines([(t, (x, y, x + text_width(t), y + height)) for t, x in cells], source, conf=conf)
