"""i046_sampling_records (checks/i046_sampling_records.py): short-term sampling periods and
sample places on the sampling records; the extractor's ``purpose`` for several wordings."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms._common import sampling_purpose
from extractors.records import BundleRecords, PlanRecord, Row, SamplingSheet, Val, ValState
from tests.checks.people_records import D1, V, codes, pages_of, run
from tests.checks.runner import findings_of
from tests.synth import grid_page, section_pages

ONLY = ["i046_sampling_records"]
CODE_P = ("sampling.period_nonstandard", 46)
CODE_R = ("sampling.record_incomplete", 46)


def row(sid, *, start, end, minutes, factor="甲苯", mode="定点", purpose=None, post="喷漆工", site="喷漆房",
        page=5, y=100.0, site_y=None, blank=False):
    f = dict(sample_id=V(sid, page=page, bbox=(40.0, y, 100.0, y + 10)), factor=V(factor, page=page),
             mode=V(mode, page=page), post=V(post, page=page, bbox=(190.0, y, 250.0, y + 10)), start=V(start, page=page), end=V(end, page=page),
             minutes=V(minutes, page=page), is_blank=V(blank, page=page))
    if site is None:
        f["site"] = Val(value=None, page=page, bbox=(10.0, y, 500.0, y + 10), reason="cell site empty",
                        state=ValState.EMPTY)
    else:
        sy = y if site_y is None else site_y
        f["site"] = V(site, page=page, bbox=(110.0, sy, 180.0, sy + 10))
    if purpose is not None:
        f["purpose"] = V(purpose, page=page)
    if start and end:
        f["period"] = V(f"{start}-{end}", page=page)
    return Row(fields=f, page=page, bbox=(10.0, y, 500.0, y + 10))


def sheet(*rows, page=5):
    return SamplingSheet(date=V(D1, page=page), rows=list(rows), pages=(page,))


def recs(*sheets, plan=None):
    return BundleRecords(sampling_records=list(sheets), detection_plan=plan)


# ------------------------------------------------------------------ short-term periods


@pytest.mark.parametrize("purpose", ["STEL", "TWA/STEL"])
@pytest.mark.parametrize("minutes,start,end,flagged", [
    (30.0, "09:00", "09:30", True), (10.0, "09:00", "09:10", True), (5.0, "10:02", "10:07", True),
    (15.0, "09:00", "09:15", False), (16.0, "09:00", "09:16", False),  # clock rounding
])
def test_stel_period(purpose, minutes, start, end, flagged):
    long = row("S1", start="08:00", end="12:00", minutes=240.0, mode="个体", purpose="TWA", y=100)
    short = row("S2", start=start, end=end, minutes=minutes, purpose=purpose, y=120)
    f = run(recs(sheet(long, short)), ONLY)
    assert codes(f) == ([CODE_P] if flagged else [])
    if flagged:
        assert f"{minutes:g} min" in f[0].message and "S2" in f[0].message and "15 min" in f[0].message
        assert pages_of(f[0]) == {5} and f[0].pages == (5,)


def test_stel_needs_the_clock_and_minutes_to_agree():
    # 09:00-09:30 against 15 min: one of the two readings is wrong; nothing said
    short = row("S2", start="09:00", end="09:30", minutes=15.0, purpose="STEL")
    assert run(recs(sheet(short)), ONLY) == []
    no_minutes = row("S2", start="09:00", end="09:30", minutes=None, purpose="STEL")
    assert run(recs(sheet(no_minutes)), ONLY) == []


def test_stel_several_short_samples_within_the_period_are_the_exception():
    parts = [row(f"S{i}", start=s, end=e, minutes=5.0, purpose="短时间") for i, (s, e) in
             enumerate([("09:00", "09:05"), ("09:05", "09:10"), ("09:10", "09:15")])]
    parts = [Row(fields={**p.fields, "purpose": V("STEL", page=5)}, page=5, bbox=p.bbox) for p in parts]
    assert run(recs(sheet(*parts)), ONLY) == []
    # the same short samples an hour apart: each one is short
    apart = [row("S1", start="09:00", end="09:05", minutes=5.0, purpose="STEL"),
             row("S2", start="11:00", end="11:05", minutes=5.0, purpose="STEL", y=120)]
    assert codes(run(recs(sheet(*apart)), ONLY)) == [CODE_P, CODE_P]


def test_not_short_term_is_not_judged_here():
    # TWA and MAC samples, and a MAC-only substance (item 45 owns its >15 min rule)
    rows = [row("S1", start="09:00", end="09:30", minutes=30.0, purpose="TWA"),
            row("S2", start="09:00", end="09:10", minutes=10.0, purpose="MAC", factor="甲醛", y=120),
            row("S3", start="09:00", end="09:30", minutes=30.0, purpose="STEL", factor="硫化氢", y=140),
            row("S4", start="09:00", end="09:30", minutes=30.0, purpose=None, y=160)]
    assert run(recs(sheet(*rows)), ONLY) == []


def _plan(*prows):
    return PlanRecord(rows=list(prows), pages=(4,))


def _prow(post, factor, mode, purpose=None, minutes=15.0):
    f = dict(post=V(post, page=4), site=V("喷漆房", page=4), factor=V(factor, page=4), mode=V(mode, page=4),
             points=V(1.0, page=4), minutes=V(minutes, page=4))
    if purpose:
        f["purpose"] = V(sampling_purpose(purpose), page=4, raw=purpose)
    return Row(fields=f, page=4, bbox=(10.0, 200.0, 500.0, 212.0))


def test_stel_marked_by_the_plan():
    s = row("S2", start="09:00", end="09:10", minutes=10.0, purpose=None, mode="定点")
    plan = _plan(_prow("喷漆工", "甲苯", "个体", "长时间"), _prow("喷漆工", "甲苯", "定点", "短时间"))
    f = run(recs(sheet(s), plan=plan), ONLY)
    assert codes(f) == [CODE_P] and "检测方案第4页" in f[0].message and f[0].pages == (4, 5)
    # the plan has two rows for the sample (mode not printed): which one it is cannot be told
    s2 = row("S2", start="09:00", end="09:10", minutes=10.0, purpose=None, mode="")
    assert run(recs(sheet(s2), plan=plan), ONLY) == []
    # the plan's row says nothing of the purpose
    assert run(recs(sheet(s), plan=_plan(_prow("喷漆工", "甲苯", "定点"))), ONLY) == []


# ------------------------------------------------------------------ places


def _table(sites, **kw):
    return [row(f"S{i}", start="08:00", end="12:00", minutes=240.0, site=s, y=100 + 20 * i, **kw)
            for i, s in enumerate(sites)]


def test_place_left_blank():
    rows = _table(["投料口", "投料口", None, "混料机旁"])
    f = run(recs(sheet(*rows)), ONLY)
    assert codes(f) == [CODE_R] and "S2" in f[0].message and "采样地点" in f[0].message
    assert pages_of(f[0]) == {5}
    dash = _table(["投料口", "投料口", "/", "混料机旁"])
    assert codes(run(recs(sheet(*dash)), ONLY)) == [CODE_R]


def test_place_written_once_for_several_rows_is_no_blank():
    # a merged cell: the text centred between two rows belongs to both
    rows = _table(["投料口", None, "混料机旁", "混料机旁"])
    rows[0] = row("S0", start="08:00", end="12:00", minutes=240.0, site="投料口", y=100, site_y=110)
    assert run(recs(sheet(*rows)), ONLY) == []
    # three rows under one cell: its text on the middle row
    assert run(recs(sheet(*_table([None, "投料口", None, "混料机旁", "破碎机旁"]))), ONLY) == []
    # two empty rows in a row
    assert run(recs(sheet(*_table(["投料口", None, None, "混料机旁", "破碎机旁"]))), ONLY) == []
    # the place printed once in the form's header: no row has one
    assert run(recs(sheet(*_table([None, None, None]))), ONLY) == []


def test_blank_samples_and_cells_not_found_are_not_judged():
    rows = _table(["投料口", "投料口", "混料机旁"])
    rows.append(row("K1", start="08:00", end="08:00", minutes=None, site=None, blank=True, y=200))
    assert run(recs(sheet(*rows)), ONLY) == []
    unread = _table(["投料口", "投料口", "混料机旁"])
    unread[1] = Row(fields={**unread[1].fields, "site": Val(value=None, page=5, raw="", reason="not located")},
                    page=5, bbox=unread[1].bbox)
    assert run(recs(sheet(*unread)), ONLY) == []


def test_post_is_the_place_column_when_there_is_no_site_column():
    rows = _table(["a", "b", "c", "d"])
    rows = [Row(fields={k: v for k, v in r.fields.items() if k != "site"}, page=5, bbox=r.bbox) for r in rows]
    rows[1] = Row(fields={**rows[1].fields, "post": Val(value=None, page=5, bbox=rows[1].bbox, reason="cell post empty",
                                                          state=ValState.EMPTY)}, page=5, bbox=rows[1].bbox)
    f = run(recs(sheet(*rows)), ONLY)
    assert codes(f) == [CODE_R] and "岗位（采样地点）" in f[0].message


# ------------------------------------------------------------------ from pages: other institutions' wordings

HEAD = ["工作场所空气中有害物质采样记录", [(50, "采样日期"), (130, "2022年8月4日"), (300, "检测项目"), (380, "甲苯")]]


def _sampling_page(title_cells, body):
    return HEAD + [title_cells] + body + ["采样人:冯瑞红 田泽彬 陪同人:乔琳"]


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("type_title,short_word", [
    ("采样类型", "短时间"), ("检测类型", "C_STE"), ("备注", "STEL"), ("采样方式", "定点/短时间")])
def test_short_term_read_from_other_wordings(source, type_title, short_word):
    cols = [(50, "样品编号"), (130, "工作地点"), (220, type_title), (320, "起止时间"), (420, "时长(min)")]
    body = [[(50, "KT220011"), (130, "调漆间"), (220, short_word), (320, "09:00-09:30"), (420, "30")],
            [(50, "KT220012"), (130, "喷漆房"), (220, short_word), (320, "10:00-10:15"), (420, "15")],
            [(50, "KT220013"), (130, "喷漆房"), (220, "长时间" if type_title != "备注" else "TWA"),
             (320, "08:00-12:00"), (420, "240")]]
    pages, secs = section_pages({"sampling_record": [_sampling_page(cols, body)]},
                                lambda no, rows: grid_page(no, rows, source=source))
    rec = extract_records(pages, secs, staff=["冯瑞红", "田泽彬"])
    rows = rec.sampling_records[0].rows
    assert [r.value("purpose") for r in rows] == ["STEL", "STEL", "TWA"]
    f = findings_of(rec, {"bundle_id": "T"}, ONLY, sections=secs, pages=pages)
    assert codes(f) == [CODE_P] and "KT220011" in f[0].message and "30 min" in f[0].message


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_blank_place_read_from_pages(source):
    cols = [(50, "样品编号"), (130, "采样点"), (220, "岗位"), (320, "采样时段"), (420, "采样时长")]
    body = [[(50, "KT220011"), (130, "调漆间"), (220, "调漆工"), (320, "08:00-12:00"), (420, "240")],
            [(50, "KT220012"), (220, "喷漆工"), (320, "08:05-12:05"), (420, "240")],
            [(50, "KT220013"), (130, "喷漆房"), (220, "喷漆工"), (320, "13:00-17:00"), (420, "240")]]
    pages, secs = section_pages({"sampling_record": [_sampling_page(cols, body)]},
                                lambda no, rows: grid_page(no, rows, source=source))
    rec = extract_records(pages, secs, staff=["冯瑞红", "田泽彬"])
    f = findings_of(rec, {"bundle_id": "T"}, ONLY, sections=secs, pages=pages)
    assert codes(f) == [CODE_R] and "KT220012" in f[0].message and "喷漆工" in f[0].message
