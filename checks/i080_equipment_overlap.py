"""Sampling equipment used at two places at once, item 80.

Attachment 3, 三、服务真实性 / (十六)现场工作真实性:

  (80)原始记录上采样检测设备的使用时间和间隔时间是否符合实际情况。★
  通过现场核查分析原始记录的采样/测量时间是否符合实际运行情况，结合现场实际距离分析时间间隔
  是否合理。

What the records alone can show: one sampler (the same unique id) recorded at two
different sampling sites in overlapping periods of the same day. A pump cannot run at two
places at once. Rows at the same site are left alone (a multi-channel sampler may take two
samples side by side), touching periods (one ends as the next starts) are not an overlap,
and no minimum moving time between sites is assumed (none is sourced). On a scan, an
overlap that one commonly confused digit in a time or in the sampler id would explain
away (13:52 read for 13:22, 392 for 892 when 892 is used that day) is not flagged.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Optional

from checks._shared_dates import minutes_of, read_by_ocr
from checks.base import Ctx, check, fmt_date
from extractors.records import Row, Val
from pipeline.ocr_tolerance import digit_variants


# Times and ids read this unsure (OCR) are not used: one misread digit makes an overlap.
_MIN_CONF = 0.7


def _norm_id(v: Val) -> Optional[str]:
    if not v.ok or v.conf < _MIN_CONF:
        return None
    t = unicodedata.normalize("NFKC", str(v.value)).upper()
    t = re.sub(r"[\s]+", "", t)
    # an id must carry digits; "/" or "—" in an unused cell is not one
    return t if re.search(r"\d", t) and len(t) >= 3 else None


def _norm_site(v: Val) -> Optional[str]:
    if not v.ok:
        return None
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v.value)))


def _span(row: Row) -> Optional[tuple[int, int]]:
    if min(row.get("start").conf, row.get("end").conf) < _MIN_CONF:
        return None
    a, b = minutes_of(row.get("start")), minutes_of(row.get("end"))
    if a is None or b is None or a == b:
        return None
    if b < a:  # past midnight
        b += 24 * 60
    return a, b


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _time_variants(row: Row, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Periods the row may really have had if OCR misread one digit of its start or end.

    When the row's own duration (采样时长) agrees with its times, the times are
    corroborated and no misreading is assumed; when it disagrees, the times are doubtful
    and any reading counts.
    """
    minutes = row.get("minutes")
    if minutes.ok and isinstance(minutes.value, (int, float)):
        if abs((span[1] - span[0]) - float(minutes.value)) <= 1:
            return []
        return [(0, 0)]  # a period that overlaps nothing: the times cannot be trusted
    out = []
    for key in ("start", "end"):
        other = row.get("end" if key == "start" else "start")
        for t in digit_variants(str(row.get(key).value)):
            a, b = (minutes_of(t), minutes_of(other)) if key == "start" else (minutes_of(other), minutes_of(t))
            if a is not None and b is not None and 0 < b - a <= 12 * 60:
                out.append((a, b))
    return out


def _misread_explains(ctx: Ctx, ra: Row, sa: tuple[int, int], rb: Row, sb: tuple[int, int], day_ids: set) -> bool:
    if not (read_by_ocr(ctx, ra) or read_by_ocr(ctx, rb)):
        return False
    if any(not _overlap(x, sb) for x in _time_variants(ra, sa)) or any(not _overlap(sa, x) for x in _time_variants(rb, sb)):
        return True
    pid = _norm_id(ra.get("pump_id"))
    return bool(pid and digit_variants(pid) & day_ids)


def _hm(m: int) -> str:
    m %= 24 * 60
    return f"{m // 60:02d}:{m % 60:02d}"


@check("i080_equipment_overlap", indicators=[80], needs=["sampling_records"])
def equipment_overlap(ctx: Ctx):
    """The same sampler id is not recorded at two sites in overlapping periods of one day."""
    uses: dict[tuple, list[tuple[Row, str, tuple[int, int], Optional[dt.date]]]] = {}
    for i, sh in enumerate(ctx.records.sampling_records):
        day = sh.date.value if sh.date.ok and isinstance(sh.date.value, dt.date) else None
        day_key = day if day is not None else ("sheet", i)  # undated sheet: compare within itself only
        for row in sh.rows:
            if row.value("is_blank"):
                continue  # a field blank is not connected to a pump
            pid = _norm_id(row.get("pump_id"))
            site = _norm_site(row.get("site"))
            span = _span(row)
            if pid is None or site is None or span is None:
                continue
            uses.setdefault((day_key, pid), []).append((row, site, span, day))
    ids_by_day: dict = {}
    for day_key, pid in uses:
        ids_by_day.setdefault(day_key, set()).add(pid)
    for (day_key, pid), rows in uses.items():
        pairs = []
        for j, (ra, sa, pa, _) in enumerate(rows):
            for rb, sb, pb, _ in rows[j + 1:]:
                if sa != sb and _overlap(pa, pb) and not _misread_explains(ctx, ra, pa, rb, pb, ids_by_day[day_key] - {pid}):
                    pairs.append((ra, sa, pa, rb, sb, pb))
        if not pairs:
            continue
        day = rows[0][3]
        pid_raw = str(pairs[0][0].get("pump_id").value)

        def desc(r: Row, site: str, span: tuple[int, int]) -> str:
            sid = r.get("sample_id")
            name = f"样品{sid.value}" if sid.ok else "一条记录"
            return f"{name}（{site}，{_hm(span[0])}–{_hm(span[1])}，第{r.page}页）"

        lines = [f"{desc(ra, sa, pa)}与{desc(rb, sb, pb)}" for ra, sa, pa, rb, sb, pb in pairs[:4]]
        more = f"等{len(pairs)}处" if len(pairs) > 4 else ""
        when = fmt_date(day) if day else "同一天"
        msg = (f"采样设备{pid_raw}在{when}的使用时间重叠：{'；'.join(lines)}{more}，"
               f"同一台设备不可能同时在两个采样地点使用，请核实采样时间和设备编号")
        ev, seen = [], set()
        for ra, _, _, rb, _, _ in pairs:
            for r in (ra, rb):
                k = (r.page, r.bbox)
                if k not in seen:
                    seen.add(k)
                    ev.append(r)
        yield ctx.finding("equipment.overlapping_use", 80, msg, ev[:8],
                          pages=[r.page for ra, _, _, rb, _, _ in pairs[:4] for r in (ra, rb)])
