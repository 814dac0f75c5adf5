"""影像资料 → ``PhotoRecord`` per watermark timestamp (caption = the nearest text line below)."""
from __future__ import annotations

import re

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
    """(stamp, raw, conf) of a cell. A scanned watermark (small print over a photo) is
    read a second time, closer, when a re-reader is available: that reading wins when it
    parses, because the first one garbles digits far more often (2022-04-15 read as
    "2022C€15")."""
    ts = parse_stamp(c.text)
    if ts is not None or _STAMPISH.search(c.text):
        again = reread_box(ctx, g, c.bbox)
        ts2 = parse_stamp(again or "")
        if ts2 is not None:
            return ts2, again, max(float(c.conf), 0.9)
    return ts, c.text, float(c.conf)


@extractor("photos")
def extract(ctx: Ctx) -> list[PhotoRecord]:
    out: list[PhotoRecord] = []
    for g in ctx.grids:
        for c in g.cells:
            ts, raw, conf = _read_stamp(ctx, g, c)
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
                page=g.page.no,
            ))
    return out
