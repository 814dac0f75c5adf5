"""Photo times against the field-work dates, item 75.

Attachment 3, 三、服务真实性 / (十六)现场工作真实性:

  (75)厂区门口合影、现场采样检测影像记录时间与实际开展采样检测时间是否一致。★
  ……通过比对采样/测量原始记录和用人单位影音记录、出入厂记录、陪同人员问询等，核实现场调查和
  现场采样/测量日期与原始记录是否一致。

From the bundle alone: every photo's watermark date must be a day on which the records
show field work, i.e. a field-survey date or a sampling / measurement date. Only dates are
compared; the time of day is not (no sourced tolerance).

Watermarks are read by OCR (photos are images even in born-digital bundles), and a
misread digit turns a good date into a wrong one. Before flagging, a stamp is dropped
when a misreading explains it: low OCR confidence, a date after the bundle was even
submitted, the same month and day as a field-work date in another year, or one digit
away from a field-work date where the two digits are a pair OCR commonly confuses
(6/8, 3/8, 1/7, …), unless the watermark was read twice, the second time closer, with
the same result (``PhotoRecord.timestamp_again``): two agreeing readings rule the
misread digit out. Without a second reading that costs some recall on real one-digit
shifts, on purpose.
On a scan, a stamp that would be flagged is read a second time, closer
(``Ctx.reread``); the pre-flag stands only when that reading shows the same date and time.
"""
from __future__ import annotations

import datetime as dt

from checks._shared_dates import fmt_dates, latest_possible, pages_zh, sampling_date_vals, survey_date_vals
from checks.base import Ctx, check, fmt_date
from extractors.text import find_dates
from pipeline.ocr_tolerance import date_variants

_MIN_STAMP_CONF = 0.8


def _stamp(v) -> dt.datetime | None:
    if not v.ok:
        return None
    try:
        return dt.datetime.fromisoformat(str(v.value))
    except ValueError:
        return None


def _misread_of(d: dt.date, ok_dates: set, latest: dt.date | None, read_twice: bool = False) -> bool:
    """Whether stamp date ``d`` is better explained as an OCR misreading than as a wrong date.
    ``read_twice``: a second, closer reading gave the same stamp, so no digit was misread."""
    if latest is not None and d > latest:
        return True  # after the bundle was submitted: no real photo of this work
    if any((d.month, d.day) == (ok.month, ok.day) for ok in ok_dates):
        return True  # the right day in another year
    return not read_twice and bool(date_variants(d) & ok_dates)


def _read_twice(p) -> bool:
    again = getattr(p, "timestamp_again", None)
    return bool(again is not None and again.ok and again.value == p.timestamp.value)


def _same_stamp(value, text: str) -> bool:
    """The watermark read again shows the same date and time (``Ctx.confirmed``)."""
    ts = dt.datetime.fromisoformat(str(value))
    return any(d == ts.date() for d, _ in find_dates(text)) and f"{ts:%H:%M}" in text.replace("：", ":")


@check("i075_photo_times", indicators=[75], needs=["photos"])
def photo_times(ctx: Ctx):
    """Photo watermark dates fall on a field-survey or sampling date."""
    photos = ctx.records.photos
    samp = sampling_date_vals(ctx.records)
    surv = survey_date_vals(ctx.records)
    if not samp:
        yield ctx.cannot_decide(75, "现场采样/检测日期", pages=ctx.section_pages("sampling_record")
                                or ctx.section_pages("photos"))
        return
    ok_dates = {v.value for v in samp} | {v.value for v in surv}
    stamped = [(p, _stamp(p.timestamp)) for p in photos]
    if not any(ts for _, ts in stamped):
        yield ctx.cannot_decide(75, "影像资料的拍摄时间水印", pages=ctx.section_pages("photos"))
        return
    latest = latest_possible(ctx)
    bad = [(p, ts) for p, ts in stamped
           if ts is not None and p.timestamp.conf >= _MIN_STAMP_CONF and ts.date() not in ok_dates
           and not _misread_of(ts.date(), ok_dates, latest, _read_twice(p))
           and ctx.confirmed(p.timestamp, same=_same_stamp)]
    if not bad:
        return
    items, pages = [], []
    for p, ts in bad[:6]:
        cap = f"“{p.caption.value}”" if p.caption.ok else "照片"
        pages.append(p.page)
        items.append(f"{cap}（第{p.page}页）拍摄于{fmt_date(ts.date())} {ts:%H:%M}")
    more = f"等{len(bad)}张" if len(bad) > 6 else ""
    surv_pages = [v.page for v in surv]
    samp_pages = [v.page for v in samp]
    pages += samp_pages + (surv_pages if surv else [])
    sv = f"，也不是现场调查日期（{fmt_dates({v.value for v in surv})}，{pages_zh(surv_pages)}）" if surv else ""
    msg = (f"影像资料{'；'.join(items)}{more}，既不是现场采样/检测日期"
           f"（{fmt_dates({v.value for v in samp})}，{pages_zh(samp_pages)}）{sv}，"
           f"影像记录时间与实际开展现场工作的时间不一致")
    yield ctx.finding("photos.timestamp_mismatch", 75, msg, [p.timestamp for p, _ in bad][:8], pages=pages)
