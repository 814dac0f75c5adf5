"""i045_flow_duration (checks/i045_flow_duration.py): flows recorded, durations and personal
sampling coverage."""
from __future__ import annotations

from extractors.records import BundleRecords, SamplingSheet, SurveyRecord, Val
from tests.checks.people_records import codes, D1, pages_of, R, run, srow, V


def test_flow_not_recorded_and_mac_duration():
    rows = [srow("S1"), R(page=5, sample_id="S2", factor="铅尘", flow_before=Val(value=None, page=5, raw=""),
                          flow_after=Val(value=None, page=5, raw=""), mode="个体", minutes=240.0, is_blank=False),
            srow("S3", factor="硫化氢", flow=0.5, mode="定点", minutes=60.0, start="09:00", end="10:00")]
    f = run(BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), rows=rows, pages=(5,))]), ["i045_flow_duration"])
    assert sorted(codes(f)) == [("sampling.duration_unsuitable", 45), ("sampling.flow_unsuitable", 45)]
    assert all(pages_of(x) == {5} for x in f)
    good = [srow("S1"), srow("S3", factor="硫化氢", flow=0.5, mode="定点", minutes=15.0, start="09:00", end="09:15")]
    assert run(BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), rows=good, pages=(5,))]),
               ["i045_flow_duration"]) == []


def test_personal_sampling_coverage():
    survey_rec = SurveyRecord(posts=[R(page=3, post="铸板工", exposure_hours=8.0)], pages=(3,))
    short = [srow("S1", start="08:00", end="10:00", minutes=120.0), srow("S2", start="13:00", end="15:00", minutes=120.0)]
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=short, pages=(5,))])
    f = run(recs, ["i045_flow_duration"])
    assert codes(f) == [("sampling.duration_unsuitable", 45)] and "240 min" in f[0].message
    enough = [srow("S1", start="08:00", end="11:45", minutes=225.0), srow("S2", start="13:00", end="16:30", minutes=210.0)]
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=enough, pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []


def test_coverage_silent_when_a_sample_of_the_group_was_misread():
    survey_rec = SurveyRecord(posts=[R(page=3, post="刷片工", exposure_hours=6.5)], pages=(3,))
    first = srow("S1", post="刷片工", start="08:15", end="11:21", minutes=186.0)
    # second sample's clock times were read "13:10+15:56": no start / end
    second = R(page=5, sample_id="S2", factor="铅尘", flow_before=2.0, flow_after=2.0, mode="个体", post="刷片工",
               start=Val(value=None, page=5, raw="13:10+15:56"), minutes=166.0, is_blank=False)
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[first, second], pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # the second sample on another form, its post cell carrying an OCR bullet: one group
    second = srow("S2", post="•刷片工", start="13:10", end="15:56", minutes=166.0, page=6)
    recs = BundleRecords(field_survey=survey_rec, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[first], pages=(5,)),
        SamplingSheet(date=V(D1, page=6), rows=[second], pages=(6,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # the second sample's post unreadable at the same site: it may belong to the group
    site = dict(site=V("分片机工位", page=5))
    first_s = R(page=5, **{**first.fields, **site})
    garbled = R(page=6, **{**srow("S2", post="", start="13:10", end="15:56", minutes=166.0, page=6).fields,
                           "post": V(None, page=6, raw="口"), **site})
    recs = BundleRecords(field_survey=survey_rec, sampling_records=[
        SamplingSheet(date=V(D1, page=5), rows=[first_s], pages=(5,)),
        SamplingSheet(date=V(D1, page=6), rows=[garbled], pages=(6,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # clock times that disagree with the minutes column are a misread, not a short sample
    odd = srow("S1", post="刷片工", start="08:15", end="09:21", minutes=186.0)
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[odd], pages=(5,))])
    assert run(recs, ["i045_flow_duration"]) == []
    # every sample read and still short: flagged
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=[first], pages=(5,))])
    f = run(recs, ["i045_flow_duration"])
    assert codes(f) == [("sampling.duration_unsuitable", 45)] and "186 min" in f[0].message


def test_rules_not_vouched_for_by_the_domain_file_are_not_applied(monkeypatch):
    # the 70 % coverage and the 15-min MAC limit come from the verified GBZ 159 block;
    # when the domain file stops vouching for them, the check does not guess
    import checks.i045_flow_duration as i045

    survey_rec = SurveyRecord(posts=[R(page=3, post="铸板工", exposure_hours=8.0)], pages=(3,))
    short = [srow("S1", start="08:00", end="10:00", minutes=120.0), srow("S2", start="13:00", end="15:00", minutes=120.0)]
    recs = BundleRecords(field_survey=survey_rec,
                         sampling_records=[SamplingSheet(date=V(D1, page=5), rows=short, pages=(5,))])
    assert i045.MIN_COVERAGE == 0.7 and i045.MAC_MAX_MIN == 15
    monkeypatch.setattr(i045, "MIN_COVERAGE", None)
    assert run(recs, ["i045_flow_duration"]) == []
    mac = [srow("S3", factor="硫化氢", flow=0.5, mode="定点", minutes=60.0, start="09:00", end="10:00")]
    recs = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, page=5), rows=mac, pages=(5,))])
    assert codes(run(recs, ["i045_flow_duration"])) == [("sampling.duration_unsuitable", 45)]
    monkeypatch.setattr(i045, "MAC_MAX_MIN", None)
    assert run(recs, ["i045_flow_duration"]) == []
