"""Content-addressed on-disk cache of extracted pages (页面缓存).

Key = sha256 over the page's own PDF objects (the page dictionary and everything
it references — content streams, fonts, images, annotations — but not the page
tree it hangs in), its effective boxes and rotation, the engine fingerprint
(RapidOCR + onnxruntime versions and model-file hashes) and the extraction
settings. The same page in another file, or in a re-saved copy, hits the same
entry; any change to what the page draws misses.

Value = the ``Page`` JSON. Writes go to a temp file in the same directory and are
renamed into place, so concurrent processes never read a half-written entry.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Optional

from .fsio import atomic_write_text
from .types import Page

__all__ = ["PageCache", "legacy_page_facts", "page_content_digest"]

# Raise when the extraction logic changes in a way that alters output.
PAGES_LOGIC_VERSION = "pages-7"  # pages-3: personal seals read without red whitening, at the sizes read best; pages-4: cut close to their ink; pages-5: faded seals found and whitened inside; pages-6: grey seal frames read; pages-7: upright pages detected once, as scanned (no probe detection, no deskew warp)
# Marks text-layer pages extracted with image-region OCR (Page.text_logic). Cached text
# pages without it predate that step and are recomputed (cheap); cached OCR pages,
# the expensive ones, stay valid.
TEXT_PAGE_LOGIC = "images-2"  # images-2: images down to 12 × 6 pt are read


# ------------------------------------------------------------------ LEGACY MIGRATION
# Entries cached before the typed page facts existed carry them only in Page.note
# (written by pages.py / anonymize.reocr in these exact words). Re-OCR costs minutes
# per bundle, so such entries are migrated when loaded instead of invalidated. This
# is the only code that reads a note; nothing else may. Remove it once no cache
# holds entries written before the typed facts (issue 12).
_LEGACY_TEXT_LOGIC = re.compile(r"\b(images-\d+):")
_LEGACY_IMAGES = re.compile(r"(\d+) image regions OCR'd, (\d+) lines")
_LEGACY_REREAD = re.compile(r"(\d+) of (\d+) boxes")


def legacy_page_facts(page: Page) -> Page:
    """``page`` with its typed facts filled from an old entry's note (only those unset)."""
    note = page.note or ""
    if not note:
        return page
    upd: dict[str, Any] = {}
    if page.source == "text" and page.text_logic is None and (m := _LEGACY_TEXT_LOGIC.search(note)):
        upd["text_logic"] = m.group(1)
    if page.source == "text" and page.image_regions is None and (m := _LEGACY_IMAGES.search(note)):
        upd.update(image_regions=int(m.group(1)), image_lines=int(m.group(2)))
    if page.reread_boxes is None and (m := _LEGACY_REREAD.search(note)):
        upd.update(reread_recognized=int(m.group(1)), reread_boxes=int(m.group(2)))
    return page.model_copy(update=upd) if upd else page


def _refs(obj_source: str) -> list[int]:
    """Indirect references ``N 0 R`` in an object's PDF source."""
    return [int(m.group(1)) for m in re.finditer(r"(\d+)\s+\d+\s+R\b", obj_source)]


def page_content_digest(doc: Any, page: Any, *, max_objects: int = 20000) -> Optional[str]:
    """sha256 of everything the page draws; None if it cannot be computed.

    Walks indirect objects reachable from the page dictionary (stopping at other
    Page/Pages nodes so the rest of the document does not leak in) and hashes each
    object's source plus its raw (still-compressed) stream bytes — no decoding, so
    a 35000 px image costs only its compressed size.
    """
    h = hashlib.sha256()
    try:
        h.update(
            json.dumps(
                {
                    "rotation": page.rotation,
                    "mediabox": list(page.mediabox),
                    "cropbox": list(page.cropbox),
                    "rect": list(page.rect),
                }
            ).encode()
        )
        start = page.xref
        seen: set[int] = set()
        stack = [start]
        while stack:
            xref = stack.pop()
            if xref in seen or xref <= 0:
                continue
            seen.add(xref)
            if len(seen) > max_objects:
                return None
            src = doc.xref_object(xref, compressed=True)
            if xref != start and ("/Type/Page" in src.replace(" ", "")):
                # Another page or a Pages node (e.g. an annotation's /P): not our content.
                continue
            if xref == start:
                # The page's own /Parent leads into the page tree; drop it.
                src_for_refs = re.sub(r"/Parent\s+\d+\s+\d+\s+R", "", src)
                if "/Resources" not in src:
                    # Inherited resources: hash them explicitly via the resolved key.
                    res = doc.xref_get_key(xref, "Resources")
                    h.update(repr(res).encode())
                    src_for_refs += " " + (res[1] if res[0] != "null" else "")
            else:
                src_for_refs = src
            h.update(b"obj")
            h.update(src.encode("utf-8", "surrogateescape") if xref != start else src_for_refs.encode("utf-8", "surrogateescape"))
            if doc.xref_is_stream(xref):
                h.update(doc.xref_stream_raw(xref) or b"")
            stack.extend(_refs(src_for_refs))
        return h.hexdigest()
    except Exception:
        return None


class PageCache:
    """Directory of ``<aa>/<sha256>.json`` files holding ``Page`` JSON."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @staticmethod
    def make_key(content_digest: str, engine: str, settings: dict[str, Any]) -> str:
        blob = json.dumps(
            {"content": content_digest, "engine": engine, "settings": settings, "logic": PAGES_LOGIC_VERSION},
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, page_no: int) -> Optional[Page]:
        path = self._path(key)
        try:
            data = path.read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            return None
        try:
            page = Page.model_validate_json(data)
        except ValueError:
            return None  # corrupt or from an older schema: treat as a miss
        page = legacy_page_facts(page)
        if page.source == "text" and page.text_logic != TEXT_PAGE_LOGIC:
            return None  # text page cached before image-region OCR (pages.TEXT_PAGE_LOGIC)
        # The same content can sit at another page number in another file.
        return page.model_copy(update={"no": page_no})

    def put(self, key: str, page: Page) -> None:
        atomic_write_text(self._path(key), page.model_dump_json())
