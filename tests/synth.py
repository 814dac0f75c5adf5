"""Synthetic pages for tests, the one builder: rows of cell texts at given x positions, as a
text layer (one Line per cell) or as OCR output (one Line per row, with word boxes);
positioned cells that may wrap; plain stacked lines; signature rows whose hand
signatures are image lines; scans as OCR reads them. No OCR and no generator: wordings
and layouts are whatever a test writes."""
from __future__ import annotations

from pipeline.normalize import normalize_text
from extractors.records import Val, ValState
from pipeline.types import Line, Page, Section, Word

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


# ------------------------------------------------------------------ pages


def line(text: str, bbox: tuple, origin: str | None = None, conf: float = 1.0) -> Line:
    """One Line as read, its text taken as is (no normalization)."""
    return Line(text=text, raw=text, bbox=bbox, conf=conf, origin=origin)


def page(no: int, lines=(), *, source: str = "text", width: float = W, height: float = H, **kw) -> Page:
    """A page of ready-made Lines; ``kw`` are further Page fields (note, rotation, typed facts)."""
    return Page(no=no, source=source, width=width, height=height, lines=tuple(lines), **kw)


def stacked_lines(texts, *, x0: float = 50.0, x1: float = 400.0, y0: float = 100.0, pitch: float = 20.0,
                  height: float = 15.0, conf: float = 1.0) -> list[Line]:
    """One Line per text, each under the last: ``(x0, y0 + pitch·i, x1, y0 + pitch·i + height)``."""
    return [line(t, (x0, y0 + pitch * i, x1, y0 + pitch * i + height), conf=conf) for i, t in enumerate(texts)]


def grid_page(no: int, rows: list, *, source: str = "text", y0: float = 60.0, pitch: float = 20.0,
              conf: float = 0.98) -> Page:
    """``rows``: a list of ``(x, text)`` cells, a plain string (one cell at x=50), or
    ``("gap", points)`` to leave space. ``source="text"``: one Line per cell (a text
    layer); ``"ocr"``: one Line per row with a Word per cell (RapidOCR after the pages
    stage groups a row)."""
    lines, y = [], y0
    for row in rows:
        if isinstance(row, tuple) and row and row[0] == "gap":
            y += row[1]
            continue
        cells = [(row, 50.0)] if isinstance(row, str) else [(t, x) for x, t in row]
        lines += row_lines(cells, y, source, conf=conf)
        y += pitch
    return page(no, lines, source=source)


def cells_page(no: int, cells: list, *, source: str = "text", height: float = 11.0, conf: float = 0.98) -> Page:
    """``cells``: ``(x, y, text)`` or ``(x, y, text, height)``, boxes ``(x, y, x + width,
    y + height)``, so a cell can wrap onto a second line. ``text``: one Line per cell;
    ``ocr``: one Line per distinct y, left to right, with a Word per cell."""
    boxes = []
    for c in cells:
        x, y, t = c[:3]
        h = c[3] if len(c) > 3 else height
        boxes.append((t, (x, y, x + text_width(t), y + h)))
    if source == "text":
        return page(no, cell_lines(boxes, source), source=source)
    rows: dict[float, list] = {}
    for t, b in boxes:
        rows.setdefault(b[1], []).append((t, b))
    lines = []
    for y in sorted(rows):
        lines += cell_lines(sorted(rows[y], key=lambda tb: tb[1][0]), source, conf=conf)
    return page(no, lines, source=source)


def section_pages(sections: dict[str, list], make_page) -> tuple[list[Page], list[Section]]:
    """Pages numbered from 1 in the order given and the Sections over them:
    ``sections`` maps a section type to its pages' contents, ``make_page(no, content)``
    builds one."""
    pages, secs, no = [], [], 1
    for stype, contents in sections.items():
        nos = []
        for content in contents:
            pages.append(make_page(no, content))
            nos.append(no)
            no += 1
        secs.append(Section(type=stype, pages=tuple(nos)))
    return pages, secs


# ------------------------------------------------------------------ signature pages and scans

SLOT = "slot present but no name in the text layer: a hand signature is an image there"


class Sig:
    """One signature row on a page: a printed label, hand-signed names (image lines)."""

    def __init__(self, label, names=(), y=600.0, x=50.0, date=None, extra=(), conf=1.0):
        self.label, self.names, self.y, self.x, self.date, self.extra, self.conf = label, list(names), y, x, date, \
            list(extra), conf

    def lines(self):
        out = [Line(text=self.label + ":", raw=self.label + ":", bbox=(self.x, self.y, self.x + 40, self.y + 12))]
        x = self.x + 80
        for n in self.names + self.extra:
            out.append(Line(text=n, raw=n, bbox=(x, self.y - 4, x + 40, self.y + 16), conf=self.conf, origin="image"))
            x += 45
        if self.date:
            out.append(Line(text=self.date, raw=self.date, bbox=(x, self.y, x + 60, self.y + 12), origin="image"))
        return out

    def vals(self, page):
        raw = f"{self.label}: {' '.join(self.names)}" + (f" {self.date}" if self.date else "")
        bbox = (self.x, self.y - 4, self.x + 80 + 45 * max(1, len(self.names)), self.y + 16)
        return [Val(value=n, page=page, bbox=bbox, raw=raw, conf=1.0) for n in self.names]

    def val(self, page):
        vs = self.vals(page)
        if vs:
            return vs[0]
        return Val(value=None, page=page, bbox=(self.x, self.y, self.x + 40, self.y + 12), raw=self.label + ":",
                   conf=0.9, reason=f"{self.label} {SLOT}", state=ValState.EMPTY)


def signature_page(no, sigs=(), source="text", images_read=True, extra_lines=()):
    """A page of ``Sig`` rows as a born-digital page whose image regions were OCR'd (hand
    signatures are image lines), or not read (``images_read=False``), or as a scan."""
    lines = [ln for s in sigs for ln in s.lines()] + list(extra_lines)
    n = sum(1 for ln in lines if ln.origin == "image")
    note = f"text layer; images-1: {n} image regions OCR'd, {n} lines" if images_read else "text layer; images-1: OCR off"
    facts = {"text_logic": "images-1", "image_regions": n if images_read else None,
             "image_lines": n if images_read else None}
    if not images_read:
        lines = [ln for ln in lines if ln.origin != "image"]  # hand signatures were never read
    if source == "ocr":
        lines = [ln.model_copy(update={"origin": None}) for ln in lines]
        note = "OCR at 200 dpi"
        facts = {}
    return Page(no=no, source=source, width=595.0, height=842.0, lines=tuple(lines), note=note, **facts)


def scan_page(no, rows, flip=False, extra=()):
    """A scanned page: each OCR line is ``(text, y, x0, x1)``, words split at spaces. With
    ``flip`` the page was scanned upside down: texts read in order, boxes stay displayed."""
    lines = []
    for text, y, x0, x1 in list(rows) + list(extra):
        parts = text.split(" ")
        step = (x1 - x0) / max(len(text), 1)
        words, pos = [], 0
        for part in parts:
            b = (x0 + pos * step, y, x0 + (pos + len(part)) * step, y + 20)
            words.append((part, b))
            pos += len(part) + 1
        box = (x0, y, x1, y + 20)
        if flip:
            box = (W - box[2], H - box[3], W - box[0], H - box[1])
            words = [(t, (W - b[2], H - b[3], W - b[0], H - b[1])) for t, b in words]
        lines.append(Line(text=text, raw=text, bbox=box, conf=0.97,
                          words=tuple(Word(text=t, bbox=b) for t, b in words)))
    return Page(no=no, source="ocr", width=W, height=H, lines=tuple(lines), note="OCR at 200 dpi",
                rotation=180 if flip else 0)
