"""Indicator 43: the basic information of each sampling / measurement record is complete.

Attachment 3, item (43)：“现场采样/测量原始记录基本信息完整、规范。”
检查方法：“查阅现场采样/测量原始记录。采样日期、采样时间、气象条件、设备名称及唯一性标识等基本信息不全或不规范的，
每发现1处扣0.2分。1.0分扣完为止。”

``sampling.incomplete_record`` per form, when one of these is missing:

- the sampling date (no date read and no date written anywhere on the form);
- the sampling time of the samples (no period / duration column filled for any sample);
- the weather conditions: for air sampling, the temperature and the pressure (both are
  needed to judge the standard-volume conversion); for noise, the temperature is not
  asked for, and a noise form of a day whose sampling form records the weather shares
  that record. A quantity counts as missing when its label is absent from the form, or is
  printed with no number after it;
- the equipment's unique ids: no equipment label, no sampler-id column value and no
  id-like text on the form.
The form's text is read only to confirm that something is absent: whenever a value is
there but the extractor could not parse it, there is no finding.
"""
from __future__ import annotations

from checks.base import Ctx, check, fmt_date


@check("i043_sampling_basics", indicators=[43], needs=["sampling_records"])
def sampling_basics(ctx: Ctx):
    """Date, time, weather and equipment ids on every sampling form."""
    weather_days = {sh.date.value for sh in ctx.records.sampling_records
                    if sh.date.ok and (sh.temperature_c.ok or sh.weather.ok)}
    for sh in ctx.records.sampling_records:
        words = sh.text_facts  # what the form's pages say anywhere (forms/sampling_record.sheet_text_facts)
        if not words.text_present:
            continue  # no page text to confirm anything against
        missing: list[str] = []
        if not sh.date.ok and not words.date_written:
            missing.append("采样日期")
        if sh.kind == "air":
            real = [r for r in sh.rows if not r.value("is_blank")]
            timed = [r for r in real if r.get("minutes").ok or r.get("start").ok or r.get("period").ok
                     or (r.get("period").raw or r.get("minutes").raw)]
            if real and not timed and not words.time_written:
                missing.append("采样时间（起止时间/时长）")
            for v, with_unit, st, what in ((sh.temperature_c, words.temp_with_unit, words.temp_state, "气温"),
                                           (sh.pressure_kpa, words.pressure_with_unit, words.pressure_state, "气压")):
                if v.ok or with_unit:
                    continue  # a value with its unit is on the form even if the extractor missed it
                if st == "absent":
                    missing.append(f"气象条件中的{what}")
                elif st == "blank":
                    missing.append(f"气象条件中的{what}（未填写数值）")
        elif not (sh.temperature_c.ok or sh.weather.ok) and words.temp_state == "absent" \
                and not words.weather_words and not (sh.date.ok and sh.date.value in weather_days):
            # a noise form of a day whose sampling form records the weather shares it
            missing.append("环境/气象条件")
        has_ids = bool(sh.equipment_ids) or any(r.get("pump_id").ok for r in sh.rows) \
            or any(r.get("instrument").ok for r in sh.noise)
        if not has_ids and not words.equipment_words:
            missing.append("设备名称及唯一性编号")
        if missing:
            day = f"{fmt_date(sh.date.value)}" if sh.date.ok else ""
            kind = "现场测量记录" if sh.kind == "noise" else "现场采样记录"
            pg = sh.pages[0]
            yield ctx.finding("sampling.incomplete_record", 43,
                              f"{day}{kind}（第{'、'.join(map(str, sh.pages))}页）基本信息不全：缺少{'、'.join(missing)}",
                              [sh.date if sh.date.ok else (pg, None, "")], pages=sh.pages)
