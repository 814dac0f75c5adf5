"""Core types shared by every stage. Immutable and JSON-round-trippable.

The output contract is ``../shared/spec/bundle-format.md``: field names here that
appear in ``findings.json`` must never be renamed, only added to.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

BBox = tuple[float, float, float, float]
"""[x0, y0, x1, y1] in PDF points, origin top-left (as PyMuPDF)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Section types in archive order (spec §2). ``other`` is allowed anywhere.
SECTION_TYPES: tuple[str, ...] = (
    "contract",
    "contract_review",
    "field_survey",
    "detection_plan",
    "sampling_record",
    "sample_transfer",
    "lab_analysis",
    "data_calculation",
    "report",
    "disclosure",
    "photos",
    "other",
)

SECTION_NAMES_ZH: dict[str, str] = {
    "contract": "技术服务合同",
    "contract_review": "合同评审记录",
    "field_survey": "现场调查记录",
    "detection_plan": "检测方案/采样计划",
    "sampling_record": "现场采样/检测记录",
    "sample_transfer": "样品交接/流转记录",
    "lab_analysis": "实验室分析记录",
    "data_calculation": "数据换算过程记录",
    "report": "检测报告",
    "disclosure": "报告报送与公示情况",
    "photos": "影像资料",
    "other": "其他",
}

ARCHIVE_ORDER: dict[str, int] = {t: i for i, t in enumerate(SECTION_TYPES[:-1])}

PageSource = Literal["text", "ocr", "none"]


class Word(_Frozen):
    text: str
    bbox: BBox


class Line(_Frozen):
    """One text line. ``text`` is normalized; ``raw`` is what the engine gave."""

    text: str
    raw: str
    bbox: BBox
    conf: float = 1.0
    words: tuple[Word, ...] = ()
    # None: from the page's own source; "image": OCR of an image drawn on a text-layer
    # page (hand signatures, photo watermarks); "seal": a personal seal on an OCR page,
    # read without red whitening. Consumers tell printed text from marks by it.
    origin: Optional[str] = None

    @property
    def is_mark(self) -> bool:
        """Read from a mark put on the page (signature image, seal), not printed text."""
        return self.origin in ("image", "seal")


class Page(_Frozen):
    no: int  # 1-based
    source: PageSource
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    rotation: int = 0  # degrees the content was turned to read upright
    skew: float = 0.0  # degrees corrected before OCR
    error: Optional[str] = None
    seconds: float = 0.0
    # Why this source was chosen (e.g. "text layer rejected: ... ; OCR at 200 dpi"): for
    # people only. What a later stage needs to know is in the typed fields below.
    note: Optional[str] = None
    # Text-layer pages: the version of the text-page logic that made it (cache.TEXT_PAGE_LOGIC)
    text_logic: Optional[str] = None
    # Text-layer pages with image-region OCR on: image regions OCR'd and the lines they gave
    # (None: the images were not read, e.g. OCR off or a scanned page)
    image_regions: Optional[int] = None
    image_lines: Optional[int] = None
    # ... and per image region its box (displayed page points) and whether it gave text
    # (None: not recorded, e.g. a page cached before this field; then only the counts)
    image_boxes: Optional[tuple[tuple[BBox, bool], ...]] = None
    # Pages re-read against an original (pipeline.anonymize.reocr): boxes recognized / boxes
    reread_recognized: Optional[int] = None
    reread_boxes: Optional[int] = None

    @model_serializer(mode="wrap")
    def _without_unset_facts(self, handler):
        # A page without these facts serializes exactly as before they existed, so hashes
        # over page JSON (anonymize.reocr.memo_key) and cached entries stay the same.
        data = handler(self)
        for k in _PAGE_FACTS:
            if data.get(k, 0) is None:
                del data[k]
        return data

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


_PAGE_FACTS = ("text_logic", "image_regions", "image_lines", "image_boxes", "reread_recognized", "reread_boxes")


class Section(_Frozen):
    type: str
    pages: tuple[int, ...]


class Evidence(_Frozen):
    file: str = "original.pdf"
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    text: str = ""


class Finding(_Frozen):
    code: str
    indicator: Optional[int] = None
    veto: bool = False
    message: str
    evidence: tuple[Evidence, ...] = ()
    # Pages the finding is about, ascending: its evidence pages and the
    # pages its message names, given by the maker (``checks.base.Ctx.finding(pages=…)``);
    # a maker that gives none gets the evidence pages. Nothing reads them off the text.
    pages: tuple[int, ...] = ()
    # The pages the message itself names (第3、5页), as its maker formatted them (⊆ pages):
    # the checklist cites the evidence pages after a message that does not name them all.
    message_pages: tuple[int, ...] = ()

    @model_validator(mode="after")
    def _fill_pages(self) -> "Finding":
        ev = {e.page for e in self.evidence if e.page is not None}
        named = set(self.message_pages)
        full = tuple(sorted(ev | named | set(self.pages)))
        if full != self.pages:
            object.__setattr__(self, "pages", full)
        if tuple(sorted(named)) != self.message_pages:
            object.__setattr__(self, "message_pages", tuple(sorted(named)))
        return self


class SampleLedgerEntry(_Frozen):
    sample_id: str
    factor: Optional[str] = None
    seen: dict[str, tuple[int, ...]] = Field(default_factory=dict)


class BundleResult(BaseModel):
    """The content of one ``findings.json``."""

    model_config = ConfigDict(extra="allow")

    bundle_id: str
    status: Literal["done", "failed"]
    error: Optional[str] = None
    sections: list[Section] = Field(default_factory=list)
    samples: list[SampleLedgerEntry] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
