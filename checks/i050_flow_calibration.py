"""Indicator 50: sampling pumps and instruments were calibrated, with records.

Attachment 3, item (50)：“现场采样或测量时按要求对采样泵或直读仪器等设备进行校准，并有相关校准记录。”
检查方法：“查阅现场采样/测量校准记录。采样前、长时间采样后是否进行采样流量校准并纳入采样体积计算；噪声测量未应用
标准声源校准的，或测量结果未采用修正因子修正，每发现1处问题扣0.2分。1.0分扣完为止。”

- ``sampling.no_flow_calibration``: on an air sampling form, the record states the flow
  was not calibrated before sampling (采样前未校准), or after long-time sampling
  (采样后未校准), or the form has a before/after flow column whose cells are empty for
  every long-time sample (no after-sampling flow to enter the volume calculation), or
  the form has neither a calibration statement nor before/after flows at all.
  Long-time means a sample longer than 15 min (GBZ 159: short-time samples are 15 min).
- ``sampling.no_noise_calibration``: a noise measurement form with no calibration
  statement or calibrator reading anywhere on it.
A statement the extractor could not parse while the word 校准 is on the form gives no
finding (the form's text is read only to confirm absence).
"""
from __future__ import annotations

from collections import defaultdict

from checks._people import fmt_pages
from checks.base import Ctx, check, fmt_date

SHORT_MIN = 15.0


def _long(row) -> bool:
    m = row.value("minutes")
    if isinstance(m, (int, float)):
        return m > SHORT_MIN
    mode = str(row.value("mode") or "")
    return "长时间" in mode or "个体" in mode


def _empty(row, key) -> bool:
    v = row.get(key)
    return not v.ok and not (v.raw or "").strip()


@check("i050_flow_calibration", indicators=[50], needs=["sampling_records"])
def flow_calibration(ctx: Ctx):
    """Flow calibrated before sampling and after long-time sampling; noise calibrated."""
    hits: dict[tuple, list] = defaultdict(list)  # (day, what) → sheets
    for sh in ctx.records.sampling_records:
        day = fmt_date(sh.date.value) if sh.date.ok else "采样日期未识别"
        words = sh.text_facts  # what the form's pages say anywhere (forms/sampling_record.sheet_text_facts)
        if sh.kind == "noise":
            if not sh.calibration_before.ok and not sh.calibration_after.ok:
                if words.text_present and not words.calibration_words and not words.db_words:
                    hits[(day, "噪声测量无声校准记录", "sampling.no_noise_calibration")].append(sh)
            continue
        real = [r for r in sh.rows if not r.value("is_blank")]
        if not real:
            continue
        long_rows = [r for r in real if _long(r)]
        has_before = any("flow_before" in r.fields for r in real)
        has_after = any("flow_after" in r.fields for r in real)
        cb, ca = sh.calibration_before, sh.calibration_after
        if cb.ok and cb.value is False:
            hits[(day, "采样前未进行流量校准", "sampling.no_flow_calibration")].append(sh)
        if long_rows:
            if ca.ok and ca.value is False:
                hits[(day, "长时间采样后未进行流量校准", "sampling.no_flow_calibration")].append(sh)
            elif has_after and all(_empty(r, "flow_after") for r in long_rows):
                hits[(day, "长时间采样的采样后流量未记录", "sampling.no_flow_calibration")].append(sh)
        if has_before and all(_empty(r, "flow_before") for r in real) and not (cb.ok and cb.value is False):
            hits[(day, "采样前流量未记录", "sampling.no_flow_calibration")].append(sh)
        if not cb.ok and not ca.ok and not has_before and not has_after:
            if words.text_present and not words.calibration_words:
                hits[(day, "无采样流量校准记录", "sampling.no_flow_calibration")].append(sh)
    for (day, what, code), sheets in hits.items():
        pages = [p for sh in sheets for p in sh.pages]
        ev = []
        for sh in sheets:
            v = sh.calibration_after if "后" in what else sh.calibration_before
            ev.append(v if v.ok else (sh.pages[0], None, ""))
        yield ctx.finding(code, 50, f"{day}现场采样/测量记录（第{fmt_pages(pages)}页）{what}", ev[:6], pages=pages)
