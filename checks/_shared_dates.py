"""Date and time helpers shared by the administrative checks (i017, i025, i028, i075, i080).

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Optional, Sequence

from checks.base import fmt_date, read_by_ocr  # noqa: F401  (read_by_ocr: re-exported for the checks)
from extractors.records import BundleRecords, Val
from extractors.text import find_dates


class CalendarUnknown(Exception):
    """The working-day calendar has no data for a year (holidays not published / not packaged)."""


def parse_iso_date(v: Any) -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` (or datetime) value from submission.json, or None when absent/unparsable."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(v))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def as_date(v: Any) -> Optional[dt.date]:
    """The date held by a Val (or a bare date / ISO string)."""
    if isinstance(v, Val):
        v = v.value if v.ok else None
    return parse_iso_date(v)


def is_workday(d: dt.date) -> bool:
    """Chinese statutory working day (adjusted weekend workdays count, holidays do not)."""
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError as e:  # year outside the packaged data: never guess
        raise CalendarUnknown(str(e)) from e


def working_days_after(start: dt.date, end: dt.date) -> int:
    """Working days in the interval (start, end]: ``start`` itself is not counted.

    0 when ``end <= start``. Raises :class:`CalendarUnknown` when a year in the
    interval is not covered by the calendar data.
    """
    n = 0
    d = start + dt.timedelta(days=1)
    while d <= end:
        if is_workday(d):
            n += 1
        d += dt.timedelta(days=1)
    return n


def nth_working_day_after(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` not counted; n >= 1)."""
    d = start
    k = 0
    while k < n:
        d += dt.timedelta(days=1)
        if is_workday(d):
            k += 1
    return d


def sampling_date_vals(records: BundleRecords, min_conf: float = 0.0) -> list[Val]:
    """The dates of the field sampling / measurement sheets that were read."""
    out = []
    for s in records.sampling_records:
        if s.date.ok and isinstance(s.date.value, dt.date) and s.date.conf >= min_conf:
            out.append(s.date)
    return out


def survey_date_vals(records: BundleRecords, min_conf: float = 0.0) -> list[Val]:
    fs = records.field_survey
    if fs is None:
        return []
    return [v for v in fs.dates if v.ok and isinstance(v.value, dt.date) and v.conf >= min_conf]


def distinct_dates(vals: Iterable[Val]) -> list[dt.date]:
    return sorted({v.value for v in vals if v.ok})


def fmt_dates(dates: Iterable[dt.date]) -> str:
    return "、".join(fmt_date(d) for d in sorted(set(dates)))


def pages_zh(pages: Iterable[Optional[int]]) -> str:
    """``第3、5页`` (empty string when no page is known)."""
    ps = sorted({p for p in pages if p is not None})
    return f"第{'、'.join(map(str, ps))}页" if ps else ""


def at_page(v: Any) -> str:
    """``（第3页）`` for a Val / Row with a page, else ``""``."""
    p = getattr(v, "page", None)
    return f"（第{p}页）" if p is not None else ""


_HM = re.compile(r"^\s*([01]?\d|2[0-4])\s*[:：时点.]\s*([0-5]\d)")


def minutes_of(t: Any) -> Optional[int]:
    """Minutes since midnight of ``HH:MM`` text (or a Val holding it), else None."""
    if isinstance(t, Val):
        t = t.value if t.ok else None
    if t is None:
        return None
    if isinstance(t, dt.time):
        return t.hour * 60 + t.minute
    m = _HM.match(str(t))
    if not m:
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def earliest(vals: Sequence[Val]) -> Optional[Val]:
    ok = [v for v in vals if v.ok and isinstance(v.value, dt.date)]
    return min(ok, key=lambda v: v.value) if ok else None


# OCR misreadings of dates (digit_variants, date_variants): pipeline.ocr_tolerance. A
# value one confused digit away from a reading that would not be a defect is better
# explained as a misreading, so checks do not raise a pre-flag on it.


def latest_possible(ctx) -> Optional[dt.date]:
    """No record of this work can be dated after the bundle was received (or notified)."""
    sub = ctx.submission or {}
    for k in ("received_at", "notified_at"):
        v = sub.get(k)
        if v:
            try:
                return dt.datetime.fromisoformat(str(v)).date()
            except ValueError:
                continue
    return None


def corroborated(ctx, v: Any, pages: Sequence[int] = ()) -> bool:
    """Whether the date in ``v`` is read a second time, on another line of ``pages`` (or
    of ``v``'s own page): two separate readings agreeing are not one misread digit."""
    if v is None or not getattr(v, "ok", False) or not getattr(ctx, "pages", None):
        return False
    own = tuple(round(x) for x in v.bbox) if getattr(v, "bbox", None) else None
    for no in dict.fromkeys(list(pages) + [v.page]):
        page = ctx.pages.get(no)
        if page is None:
            continue
        for line in page.lines:
            if own is not None and no == v.page and _overlaps(own, line.bbox):
                continue
            if any(d == v.value for d, _ in find_dates(line.text)):
                return True
    return False


def _overlaps(a, b) -> bool:
    return not (b[2] <= a[0] or b[0] >= a[2] or b[3] <= a[1] or b[1] >= a[3])
