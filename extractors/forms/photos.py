"""影像资料 → ``PhotoRecord`` per watermark timestamp (caption = the nearest text line below)."""
from __future__ import annotations

import re

from ..records import PhotoRecord, Val
from ..registry import Ctx, extractor

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


@extractor("photos")
def extract(ctx: Ctx) -> list[PhotoRecord]:
    out: list[PhotoRecord] = []
    for g in ctx.grids:
        for c in g.cells:
            ts = parse_stamp(c.text)
            if ts is None:
                continue
            # caption: the nearest text cell below that overlaps the stamp horizontally
            cap, best = None, 1e9
            for o in g.cells:
                if o is c or not re.search(r"[\u4e00-\u9fff]", o.text) or parse_stamp(o.text):
                    continue
                dy = o.bbox[1] - c.bbox[3]
                hover = min(o.bbox[2], c.bbox[2] + 60) - max(o.bbox[0], c.bbox[0] - 160)
                if -2 <= dy < 4 * g.hmed and hover > 0 and dy < best:
                    cap, best = o, dy
            out.append(PhotoRecord(
                caption=Val(value=cap.text, page=g.page.no, bbox=cap.bbox, raw=cap.text, conf=0.8) if cap
                else Val.missing("no caption under the timestamp", g.page.no),
                timestamp=Val(value=ts, page=g.page.no, bbox=c.bbox, raw=c.text, conf=round(c.conf, 3)),
                page=g.page.no,
            ))
    return out
