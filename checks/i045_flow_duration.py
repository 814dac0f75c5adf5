"""Indicator 45: sampling times and flows recorded and as the standards require.

Attachment 3, item (45)：“现场采样/测量原始记录的釆样时间、采样流量等符合有关标准、规范的要求。”
检查方法：“查阅现场采样/测量原始记录。釆样时间、采样流量等信息没有记录或不规范，呼吸性粉尘采样流量与预分离器的要求
不一致，每发现1处错误或缺失扣0.3分。1.5分扣完为止。”

Only rules with a verified source in ``shared/domain/sampling_rules.json`` are applied:

- ``sampling.flow_unsuitable``: a sample on an air sampling form has no flow written in
  any flow column (before, after or single) while the form has such a column.
  The respirable-dust rule (flow = the pre-separator's nominal flow) needs a table of
  separator models and flows that the domain data does not have (``flow_*`` are null,
  "not found"), so it gives no finding.
- ``sampling.duration_unsuitable``:
  * a sample of a substance that has only a MAC (no PC-TWA) lasting more than 15 min
    (GBZ 159: MAC samples ≤ 15 min, ``mac.max_sample_minutes``), limits from the GBZ 2.1
    table, trusted rows and exact name matches only;
  * personal (个体) long-time sampling of a post on a day whose samples, laid end to
    end on the clock (overlaps counted once), cover less than 70 % of the exposure time
    the field survey records for that post (``twa.min_coverage_fraction``); periodic
    patrol work may legitimately cover two cycles instead, which the message says.
    Samples are grouped by day, post and factor over every sampling form. A shift is
    usually covered by consecutive samples (morning + afternoon), so missing one of
    them makes full coverage look short: the rule fires only when every sample of the
    group was read with a start and an end consistent with its minutes column, and no
    other sample of that day and factor could belong to the group (post or mode OCR-
    garbled, form date unread). Otherwise it stays silent.
A sample without any time recorded is reported under ``sampling.duration_unsuitable`` too.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from rapidfuzz.distance import Levenshtein

from checks._domain import verified_rule
from checks._shared_lab import match_limits
from checks._factors import FactorResolver, is_physical
from checks._people import fmt_pages
from checks.base import Ctx, check, fmt_date

# From the verified GBZ 159 rules (None when the domain file stops vouching for one: the
# rule is then not applied)
MAC_MAX_MIN = verified_rule("gbz159_2004", "sampling_duration", "mac", "max_sample_minutes")
MIN_COVERAGE = verified_rule("gbz159_2004", "sampling_duration", "twa", "min_coverage_fraction")
# a short-time sample (15 min, the STEL rule) is no part of a shift's TWA coverage
SHORT_MIN = verified_rule("gbz159_2004", "sampling_duration", "stel", "sample_minutes")
FLOW_KEYS = ("flow_before", "flow_after", "flow")


def _blank_cell(row, key) -> bool:
    v = row.get(key)
    return not v.ok and not (v.raw or "").strip()


def _minutes_of(hhmm: str):
    try:
        h, m = str(hhmm).split(":")[:2]
        return int(h) * 60 + int(m)
    except (ValueError, AttributeError):
        return None


def _union(intervals: list[tuple[int, int]]) -> int:
    total, cur = 0, None
    for s, e in sorted(intervals):
        if cur is None or s > cur[1]:
            if cur:
                total += cur[1] - cur[0]
            cur = [s, e]
        else:
            cur[1] = max(cur[1], e)
    if cur:
        total += cur[1] - cur[0]
    return total


def _mac_only(factor: str) -> bool:
    m = match_limits(factor)
    if m is None or m.how != "exact" or m.weak or m.unverified:
        return False
    return all(r.kind == "chemical" and r.mac is not None and r.pc_twa is None for r in m.rows)


@check("i045_flow_duration", indicators=[45], needs=["sampling_records"])
def flow_duration(ctx: Ctx):
    """Flows and times recorded; MAC samples ≤ 15 min; TWA coverage ≥ 70 % of exposure."""
    resolve = FactorResolver(ctx.records)
    no_flow, no_time, mac_long = [], [], []
    personal: list = []
    for sh in ctx.records.sampling_records:
        if sh.kind != "air":
            continue
        real = [r for r in sh.rows if not r.value("is_blank")]
        flow_cols = [k for k in FLOW_KEYS if any(k in r.fields for r in real)]
        time_cols = [k for k in ("minutes", "period") if any(k in r.fields for r in real)]
        for r in real:
            f = resolve(r)
            if f is not None and is_physical(f):
                continue
            if flow_cols and all(_blank_cell(r, k) for k in flow_cols):
                no_flow.append(r)
            if time_cols and all(_blank_cell(r, k) for k in time_cols):
                no_time.append(r)
            m = r.value("minutes")
            if f and MAC_MAX_MIN is not None and isinstance(m, (int, float)) and m > MAC_MAX_MIN and _mac_only(f):
                mac_long.append((r, f, m))
            personal.append((sh, r, f))
    if no_flow:
        ids = [str(r.value("sample_id") or "?") for r in no_flow]
        pages = [r.page for r in no_flow]
        yield ctx.finding("sampling.flow_unsuitable", 45,
                          f"现场采样记录第{fmt_pages(pages)}页样品{'、'.join(ids[:5])}"
                          f"{'等' if len(ids) > 5 else ''}未记录采样流量", no_flow[:4], pages=pages)
    if no_time:
        ids = [str(r.value("sample_id") or "?") for r in no_time]
        pages = [r.page for r in no_time]
        yield ctx.finding("sampling.duration_unsuitable", 45,
                          f"现场采样记录第{fmt_pages(pages)}页样品{'、'.join(ids[:5])}"
                          f"{'等' if len(ids) > 5 else ''}未记录采样时间", no_time[:4], pages=pages)
    for r, f, m in mac_long:
        yield ctx.finding("sampling.duration_unsuitable", 45,
                          f"{f}仅有最高容许浓度（MAC），应在浓度最高时段采样且不超过{MAC_MAX_MIN:g} min，"
                          f"但样品{r.value('sample_id') or ''}（第{r.page}页）采样{m:g} min", [r], pages=[r.page])
    exposure = _exposure_hours(ctx)
    if MIN_COVERAGE is None or SHORT_MIN is None:
        return
    for (day, post, f), items in _coverage_groups(personal, exposure).items():
        hours = exposure[post]
        covered = _union([(s, e) for s, e, _ in items])
        if covered < MIN_COVERAGE * hours * 60:
            rows = [r for *_, r in items]
            pages = [r.page for r in rows]
            yield ctx.finding(
                "sampling.duration_unsuitable", 45,
                f"{fmt_date(day)}{post}{f}个体采样累计覆盖{covered} min（第{fmt_pages(pages)}页，"
                f"样品{'、'.join(str(r.value('sample_id') or '?') for r in rows[:4])}），"
                f"不足现场调查记录接触时间{hours:g} h的{int(MIN_COVERAGE * 100)}%"
                f"（如为周期性巡检作业，请核实是否覆盖2个以上典型周期）",
                rows[:3], pages=pages)


def _norm(text) -> str:
    """A post name without OCR noise (bullets, dots, spaces); ``投料工(1#线)`` keeps its line."""
    t = str(text or "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s•·.。*'\"`、,，_]", "", t)


def _post_of(r, posts: dict[str, str]) -> Optional[str]:
    """The survey post a row's post cell names: the same after removing OCR noise, or the
    only survey post one character away."""
    p = _norm(r.value("post"))
    if not p:
        return None
    if p in posts:
        return posts[p]
    near = [k for k in posts if len(k) >= 2 and len(p) >= 2 and Levenshtein.distance(p, k) <= 1]
    return posts[near[0]] if len(near) == 1 else None


def _timed(r) -> Optional[tuple[int, int]]:
    """(start, end) in minutes when both were read and agree with the minutes column."""
    s, e = _minutes_of(r.value("start")), _minutes_of(r.value("end"))
    if s is None or e is None or e <= s:
        return None
    m = r.value("minutes")
    if isinstance(m, (int, float)) and abs(m - (e - s)) > max(3.0, 0.05 * m):
        return None  # a digit of the clock times or of the minutes was misread
    return s, e


def _coverage_groups(personal: list, exposure: dict[str, float]) -> dict[tuple, list]:
    """(day, post, factor) → [(start, end, row)] for the groups fully read, see the docstring."""
    posts = {_norm(p): p for p in exposure}
    groups: dict[tuple, list] = defaultdict(list)
    spoiled: set = set()
    loose = []  # rows that might belong to a group without being read as one of its members
    for sh, r, f in personal:
        mode = str(r.value("mode") or "")
        if "定点" in mode or "空白" in mode:
            continue
        post = _post_of(r, posts)
        day = sh.date.value if sh.date.ok else None
        if "个体" not in mode or post is None or f is None or day is None:
            loose.append((day, post, f, _norm(r.value("site"))))
            continue
        t = _timed(r)
        key = (day, post, f)
        if t is None:
            spoiled.add(key)
        elif (t[1] - t[0]) > SHORT_MIN:
            groups[key].append((t[0], t[1], r))
    sites = {k: {_norm(r.value("site")) for *_, r in v} - {""} for k, v in groups.items()}
    out = {}
    for key, items in groups.items():
        day, post, f = key
        if key in spoiled:
            continue
        if any((d is None or d == day) and (ff is None or ff == f) and (p is None or p == post)
               and (p == post or not site or site in sites[key]) for d, p, ff, site in loose):
            continue
        out[key] = items
    return out


def _exposure_hours(ctx: Ctx) -> dict[str, float]:
    s = ctx.records.field_survey
    out: dict[str, float] = {}
    if s is None:
        return out
    for row in list(s.posts) + list(s.workday):
        p, h = row.value("post"), row.value("exposure_hours")
        if p and isinstance(h, (int, float)) and 0 < h <= 24:
            if str(p) in out and out[str(p)] != h:
                out[str(p)] = min(out[str(p)], h)  # two readings: be lenient
            else:
                out[str(p)] = float(h)
    return out
