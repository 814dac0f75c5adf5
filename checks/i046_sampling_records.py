"""Indicator 46 (key indicator): sampling objects, periods and counts as the standards require.

Attachment 3, item (46)：“现场采样/测量原始记录的采样对象、采样时段、采样数量等符合有关标准、规范的要求。”
(key indicator of the risk rule, seed 002 §4). The rules applied here, one home each:

- ``sampling.period_nonstandard``: a short-term sample (短时间 / STEL / C_STE) whose
  sampling time is not the GBZ 159 short-term period
  (``sampling_rules.json`` ``gbz159_2004.sampling_duration.stel.sample_minutes``,
  verified; read from the shipped copy, never assumed: without it the check stays
  silent). A sample is short-term when a cell of its own row says so (mode, a type
  column, remarks: ``purpose`` on the row), or, when the row says nothing, the plan
  has exactly one row for its factor at its post or site (and mode, where both print
  one) and that row says short-term. The accusation needs two readings of the time to
  agree: the start and end clock times and the minutes column, within 1 min; a time
  within 1 min of the period is clock rounding. A shorter sample with other short-term
  samples of the same day, factor and place falling with it inside one period is the
  GBZ 159 exception "2–5 samples within the 15 min" and is not flagged.
- ``sampling.record_incomplete``: a sample row whose place cell (采样地点 / 工作地点,
  or the post column where the table has no place column) was read empty (or holds
  only a dash or slash) while the column is on the form. Rows printed under a merged
  place cell look the same, so a row is not flagged when the place of a neighbouring
  row stands off its own line (the merged cell's text centred between rows), when
  neighbouring rows are empty too, or when most rows of the table have no place.
  Blanks (现场空白) are item 51's; noise measurements are not samples.

Left to other checks: MAC samples longer than 15 min and TWA coverage of the exposure
time (i045, ``sampling.duration_unsuitable``), samples without any time, flow or date
(i045, i043), the number of points and workers sampled (item 37; GBZ 159's tables of
workers per post are unverified in the domain data).
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from checks._domain import verified_rule
from checks._factors import FactorResolver, is_physical, plan_rows
from checks._shared_lab import match_limits
from checks.base import Ctx, check, fmt_date
from extractors.records import Row, Val, ValState

STEL_MIN = verified_rule("gbz159_2004", "sampling_duration", "stel", "sample_minutes")
CLOCK_SLACK = 1.0  # min: clock times are written to the minute
# What a place cell holds when nobody wrote the place (a dash or slash, as forms fill
# a cell "not applicable")
_PLACEHOLDER = re.compile(r"^[/／\\—\-－–一_~～]+$")


def _minutes_of(hhmm) -> Optional[int]:
    try:
        h, m = str(hhmm).replace("：", ":").split(":")[:2]
        return int(h) * 60 + int(m)
    except (ValueError, AttributeError):
        return None


def _timed(r: Row) -> Optional[tuple[int, int, float]]:
    """(start, end, minutes) when start, end and the minutes column were all read and agree."""
    s, e, m = _minutes_of(r.value("start")), _minutes_of(r.value("end")), r.value("minutes")
    if s is None or e is None or not isinstance(m, (int, float)) or isinstance(m, bool):
        return None
    if e <= s:
        e += 24 * 60  # a sample across midnight (night shift)
    if abs((e - s) - float(m)) > CLOCK_SLACK:
        return None  # a digit of the clock times or of the minutes was misread
    return s, e, float(m)


def _norm(text) -> str:
    t = str(text or "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s•·.。*'\"`、,，_]", "", t)


def _mode(text) -> Optional[str]:
    t = str(text or "")
    return "个体" if "个体" in t else "定点" if "定点" in t else None


def _mac_only(factor: str) -> bool:
    """A substance GBZ 2.1 gives only a MAC: its short samples are item 45's rule."""
    m = match_limits(factor)
    if m is None or m.how != "exact" or m.weak or m.unverified:
        return False
    return all(r.kind == "chemical" and r.mac is not None and r.pc_twa is None for r in m.rows)


def _is_stel(purpose) -> bool:
    p = str(purpose or "")
    return "STEL" in p and "MAC" not in p


class _PlanPurpose:
    """The plan's word on what a sample of a factor at a post / site is for."""

    def __init__(self, ctx: Ctx):
        self.rows = []
        plan = ctx.records.detection_plan
        for r in plan_rows(plan) if plan is not None else []:
            self.rows.append((_norm(r.value("factor")), _norm(r.value("post")), _norm(r.value("site")),
                              _mode(r.get("mode").raw or r.value("mode")), r))

    def stel_row(self, factor: str, post: str, site: str, mode: Optional[str]) -> Optional[Row]:
        """The one plan row for this sample, when it marks the sample short-term."""
        f = _norm(factor)
        got = [r for ff, p, s, m, r in self.rows
               if ff == f and ((post and p == post) or (site and s == site)) and (mode is None or m in (None, mode))]
        if len(got) != 1 or not _is_stel(got[0].value("purpose")):
            return None
        return got[0]


@check("i046_sampling_records", indicators=[46], needs=["sampling_records"])
def sampling_records(ctx: Ctx):
    """Short-term samples of the standard period; every sample's place written."""
    yield from _periods(ctx)
    yield from _places(ctx)


# ------------------------------------------------------------------ short-term periods


def _periods(ctx: Ctx):
    if STEL_MIN is None:
        return  # the domain data does not give the period as verified: nothing to compare with
    resolve = FactorResolver(ctx.records)
    plan = _PlanPurpose(ctx)
    short: list[tuple] = []  # (day, factor, place, row, why, plan_row)
    for sh in ctx.records.sampling_records:
        if sh.kind != "air":
            continue
        day = sh.date.value if sh.date.ok else None
        for r in sh.rows:
            if r.value("is_blank"):
                continue
            f = resolve(r)
            if f is None or is_physical(f) or _mac_only(f):
                continue
            post, site = _norm(r.value("post")), _norm(r.value("site"))
            own = r.value("purpose")
            prow = None
            if own is None:
                prow = plan.stel_row(f, post, site, _mode(r.get("mode").raw or r.value("mode")))
                if prow is None:
                    continue
            elif not _is_stel(own):
                continue
            short.append((day, f, site or post, r, sh, prow))
    groups: dict[tuple, list] = defaultdict(list)
    for day, f, place, r, sh, prow in short:
        groups[(day, f, place)].append(r)
    for day, f, place, r, sh, prow in short:
        t = _timed(r)
        if t is None:
            continue
        s, e, m = t
        if abs(m - STEL_MIN) <= CLOCK_SLACK:
            continue
        if m < STEL_MIN and _within_one_period(r, groups[(day, f, place)]):
            continue
        yield _period_finding(ctx, r, sh, f, m, prow)


def _within_one_period(r: Row, group: list[Row]) -> bool:
    """Whether other short-term samples of the same day, factor and place share the
    period with ``r`` (several short samples within 15 min), or may (a time unread)."""
    others = [x for x in group if x is not r]
    if not others:
        return False
    if any(_timed(x) is None for x in others):
        return True  # a partner's time unread: it may be the rest of the period
    s0, e0, _ = _timed(r)
    near = [_timed(x) for x in others]
    near = [(s, e) for s, e, _ in near if min(e, e0) - max(s, s0) > -STEL_MIN]
    if not near:
        return False
    lo, hi = min([s0] + [s for s, _ in near]), max([e0] + [e for _, e in near])
    return hi - lo <= STEL_MIN + CLOCK_SLACK


def _period_finding(ctx: Ctx, r: Row, sh, factor: str, m: float, prow: Optional[Row]):
    sid = r.value("sample_id") or r.get("sample_id").raw or "?"
    where = r.value("site") or r.value("post") or ""
    day = f"{fmt_date(sh.date.value)}" if sh.date.ok else ""
    per = r.get("period") if r.get("period").ok else r.get("start")
    clock = f"{r.value('start')}-{r.value('end')}"
    if prow is not None:
        why = (f"检测方案第{prow.page}页将{factor}{'（' + str(prow.value('post') or prow.value('site')) + '）'}"
               f"列为短时间采样（“{prow.get('purpose').raw}”）")
        ev = [per, r.get("minutes"), prow.get("purpose")]
        pages = [r.page, prow.page]
    else:
        why = f"采样记录注明为“{r.get('purpose').raw}”"
        ev = [per, r.get("minutes"), r.get("purpose")]
        pages = [r.page]
    tail = ("；如采样方法需缩短采样时间，应在15 min内采集2~5个样品取平均，接触时间不足15 min的应按15 min计算，请核实"
            if m < STEL_MIN else "")
    return ctx.finding(
        "sampling.period_nonstandard", 46,
        f"现场采样记录第{r.page}页{day}{where}{factor}样品{sid}为短时间接触浓度（C_STE）采样（{why}），"
        f"采样时段{clock}、采样时长{m:g} min，GBZ 159规定短时间采样时间为{STEL_MIN:g} min{tail}",
        ev, pages=pages)


# ------------------------------------------------------------------ places


def _placeless(v: Val) -> bool:
    """The place cell was found and holds nothing (or only a dash / slash)."""
    if v.state is ValState.EMPTY:
        return True
    return v.ok and bool(_PLACEHOLDER.match(str(v.value).strip()))


def _places(ctx: Ctx):
    for sh in ctx.records.sampling_records:
        if sh.kind != "air":
            continue
        by_page: dict[int, list[Row]] = defaultdict(list)
        for r in sh.rows:
            by_page[r.page].append(r)
        for rows in by_page.values():
            yield from _places_of_table(ctx, sh, rows)


def _place_key(rows: list[Row]) -> Optional[str]:
    if any("site" in r.fields for r in rows):
        return "site"
    if any("post" in r.fields for r in rows):
        return "post"
    return None


def _off_line(r: Row, key: str) -> bool:
    """The place text of row ``r`` stands off the row's own line (no height in common with
    its sample id): a merged cell's text centred between this row and a neighbour. A
    place wrapped over two lines from the row's top still shares the id's line."""
    v, a = r.get(key), r.get("sample_id")
    if not v.ok or v.bbox is None or a.bbox is None:
        return True  # cannot tell: assume the worst for the neighbour
    return min(v.bbox[3], a.bbox[3]) - max(v.bbox[1], a.bbox[1]) <= 0


def _places_of_table(ctx: Ctx, sh, rows: list[Row]):
    key = _place_key(rows)
    if key is None:
        return
    samples = [r for r in rows if not r.value("is_blank") and key in r.fields]
    empty = [i for i, r in enumerate(samples) if _placeless(r.get(key))]
    if not empty or 2 * len(empty) > len(samples):
        return  # most rows without a place: the place is written once (header, merged cell)

    def empty_at(j: int) -> bool:
        return j in empty

    for i in empty:
        r = samples[i]
        if not (r.get("sample_id").ok or r.get("sample_id").raw):
            continue
        merged = False
        for j in (i - 1, i + 1):
            if not 0 <= j < len(samples):
                continue
            if empty_at(j) or _off_line(samples[j], key) or empty_at(2 * j - i):
                merged = True
        if merged or not any(0 <= j < len(samples) for j in (i - 1, i + 1)):
            continue
        sid = r.value("sample_id") or r.get("sample_id").raw
        what = "采样地点" if key == "site" else "岗位（采样地点）"
        day = f"{fmt_date(sh.date.value)}" if sh.date.ok else ""
        post = r.value("post") if key == "site" and r.value("post") else ""
        fac = r.value("factor") or ""
        about = "、".join(x for x in (str(post), str(fac)) if x)
        yield ctx.finding(
            "sampling.record_incomplete", 46,
            f"现场采样记录第{r.page}页{day}样品{sid}{'（' + about + '）' if about else ''}的{what}栏未填写"
            f"（该栏已印在表中，本行为空）",
            [r.get(key), r.get("sample_id")], pages=[r.page])
