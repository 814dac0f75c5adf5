"""The no_flow_calibration planter (item 50): a missing calibration AFTER sampling is
planted only on a day with a long-time sample; item 50 asks for it after long-time
sampling only (GBZ 159: short-time samples are 15 min)."""
from __future__ import annotations

from samples.defects import apply_defects
from samples.scenario import build_scenario


def _long(day) -> bool:
    return any(not x.is_blank and x.minutes > 15 for x in day.samples)


def test_after_is_planted_only_where_a_long_sample_was_taken():
    seen = set()
    for i in range(6):
        s = build_scenario(7, i, scanned=False)
        # one day of short samples only: every "after" plant must land elsewhere
        for smp in s.sampling_days[0].samples:
            if not smp.is_blank:
                smp.minutes = 15
        for seed in range(8):
            bad = apply_defects(s, ["no_flow_calibration"], seed)
            (d,) = bad.defects
            day = next(x for x in bad.sampling_days if x.date.isoformat() == d.detail["date"])
            seen.add(d.detail["missing"])
            if d.detail["missing"] == "after":
                assert _long(day) and day.calibration_after is False
            else:
                assert day.calibration_before is False
    assert seen == {"before", "after"}
