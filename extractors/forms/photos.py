"""影像资料 → ``PhotoRecord`` per watermark timestamp (caption = the nearest text line below)."""
from __future__ import annotations

import re
from typing import Optional

from ..records import PhotoRecord, Val
from ..registry import Ctx, extractor
from ._common import reread_box

# Watermarks are fixed-width (2022-06-14 09:03); OCR drops or changes the separators
# ("2022-042108:30", "2022.04-271426"), so the digits are read by position.
_STAMP = re.compile(r"(?<!\d)(?:19|20)\d\d[\d\-./:：\s]{8,18}")


def parse_stamp(text: str):
    """``YYYY-MM-DDTHH:MM`` from a watermark text, or None."""
    for m in _STAMP.finditer(text or ""):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) < 12:
            continue
        y, mo, d, hh, mm = digits[:4], digits[4:6], digits[6:8], digits[8:10], digits[10:12]
        try:
            import datetime as dt

            dt.datetime(int(y), int(mo), int(d), int(hh), int(mm))
        except ValueError:
            continue
        return f"{y}-{mo}-{d}T{hh}:{mm}"
    return None


# something a watermark was printed as: a year, then mostly digits
_STAMPISH = re.compile(r"(?<!\d)(?:19|2[0O])[\dO]{2}\S{6,}")


def _read_stamp(ctx: Ctx, g, c) -> tuple:
    """(stamp, raw, conf, second reading or None) of a cell.

    A watermark is read a second time, closer, when a re-reader is available: on a scan
    (small print over a photo) that reading wins when it parses, because the first one
    garbles digits far more often (2022-04-15 read as "2022C€15"); on a text-layer page
    the watermark is OCR'd from the photo too, and the second reading is kept beside the
    first. Two readings of the same stamp rule out a misread digit."""
    ts = parse_stamp(c.text)
    if ts is None and not _STAMPISH.search(c.text):
        return ts, c.text, float(c.conf), None
    if g.page.source == "ocr":
        again = reread_box(ctx, g, c.bbox)
        ts2 = parse_stamp(again or "")
        if ts2 is not None:
            second = Val(value=ts, page=g.page.no, bbox=c.bbox, raw=c.text, conf=float(c.conf)) if ts else None
            return ts2, again, max(float(c.conf), 0.9), second
        return ts, c.text, float(c.conf), None
    again = _reread_image(ctx, g, c.bbox)
    ts2 = parse_stamp(again or "")
    second = Val(value=ts2, page=g.page.no, bbox=c.bbox, raw=again, conf=0.9) if ts2 else None
    return ts, c.text, float(c.conf), second


def _reread_image(ctx: Ctx, g, bbox) -> Optional[str]:
    """Text OCR'd from an image on a text-layer page, read again closer (None when no
    re-reader, or the box holds no image text)."""
    rr = getattr(ctx, "rereader", None)
    if rr is None or bbox is None:
        return None
    try:
        return rr(g.page.no, g.to_pdf(bbox) if g.to_pdf else bbox, images=True) or None
    except TypeError:  # a re-reader that reads scans only
        return None


@extractor("photos")
def extract(ctx: Ctx) -> list[PhotoRecord]:
    out: list[PhotoRecord] = []
    for g in ctx.grids:
        for c in g.cells:
            ts, raw, conf, second = _read_stamp(ctx, g, c)
            if ts is None:
                continue
            # caption: the nearest text cell below that overlaps the stamp horizontally
            cap, best = None, 1e9
            for o in g.cells:
                if o is c or not re.search(r"[\u4e00-\u9fff]", o.text) or parse_stamp(o.text) or _STAMPISH.search(o.text):
                    continue
                dy = o.bbox[1] - c.bbox[3]
                hover = min(o.bbox[2], c.bbox[2] + 60) - max(o.bbox[0], c.bbox[0] - 160)
                if -2 <= dy < 4 * g.hmed and hover > 0 and dy < best:
                    cap, best = o, dy
            out.append(PhotoRecord(
                caption=Val(value=cap.text, page=g.page.no, bbox=cap.bbox, raw=cap.text, conf=0.8) if cap
                else Val.missing("no caption under the timestamp", g.page.no),
                timestamp=Val(value=ts, page=g.page.no, bbox=c.bbox, raw=raw, conf=round(conf, 3)),
                timestamp_again=second or Val.missing("watermark read once", g.page.no),
                page=g.page.no,
            ))
    return out
