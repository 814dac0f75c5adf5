"""i053_basis / i053_basis_edition (checks/i053_basis.py): the report's basis list cites
the standards the bundle needs (GBZ 159, GBZ 2.1, GBZ 2.2) in force."""
from __future__ import annotations

import datetime as dt

from extractors.records import Val, ValState
from tests.checks.report_basics_records import air_results, check, noise_rows, records, report, sampling

ALL = ("GBZ 159-2004", "GBZ 2.1-2019", "GBZ 2.2-2007", "GBZ/T 189.8-2007", "GBZ/T 192.1-2007")


def test_complete_basis_is_silent():
    rec = records(report(cited=ALL, results=air_results(), noise=noise_rows()), sheets=[sampling()])
    assert check(rec, "i053_basis") == [] and check(rec, "i053_basis_edition") == []


def test_missing_limit_standard_is_flagged_with_its_reason():
    rec = records(report(cited=("GBZ 159-2004", "GBZ 2.1-2019", "GBZ/T 189.8-2007"), results=air_results(),
                         noise=noise_rows()))
    (f,) = check(rec, "i053_basis")
    assert f.code == "report.basis_incomplete" and f.indicator == 53
    assert "GBZ 2.2" in f.message and "噪声" in f.message and "第9页" in f.message and "第10页" in f.message
    assert f.evidence[0].page == 9 and f.evidence[0].bbox is not None


def test_sampling_standard_needed_by_an_air_sample():
    rec = records(report(cited=("GBZ 2.1-2019",), results=air_results()), sheets=[sampling()])
    (f,) = check(rec, "i053_basis")
    assert "GBZ 159" in f.message and "第5页" in f.message


def test_noise_only_bundle_needs_no_air_standards():
    rec = records(report(cited=("GBZ 2.2-2007", "GBZ/T 189.8-2007"), noise=noise_rows()))
    assert check(rec, "i053_basis") == []


def test_a_method_standard_is_not_required():
    rec = records(report(cited=("GBZ 159-2004", "GBZ 2.1-2019"), results=air_results()))
    assert check(rec, "i053_basis") == []


def test_unread_list_cannot_decide():
    absent = Val.missing("none", None, ValState.ABSENT)
    (f,) = check(records(report(place=absent, results=air_results())), "i053_basis")
    assert f.code == "check.cannot_decide" and f.indicator == 53
    open_end = Val(value=None, page=9, bbox=(1.0, 1.0, 2.0, 2.0), raw="二、检测依据", state=ValState.UNKNOWN)
    (f,) = check(records(report(cited=("GBZ 2.1-2019",), place=open_end, results=air_results())), "i053_basis")
    assert f.code == "check.cannot_decide"


def test_number_printed_in_an_unparsed_item_is_not_missing():
    from tests.checks.report_basics_records import cite

    rep = report(cited=("GBZ 2.1-2019",), results=air_results())
    rep = rep.model_copy(update={"basis": rep.basis + [cite("GB 7", None, raw="G8Z I 59-2004 采样规范")]})
    # an item printing no "159" anywhere does not hold it; one printing the number under
    # a prefix the reader did not take (below) may: then nothing is said
    assert [f.code for f in check(records(rep), "i053_basis")] == ["report.basis_incomplete"]
    rep = rep.model_copy(update={"basis": rep.basis + [cite("GB 8", None, raw="GBZ159-2004")]})
    assert check(records(rep), "i053_basis") == []


def test_old_edition_after_2020():
    rec = records(report(cited=("GBZ 159-2004", "GBZ 2.1-2007"), results=air_results()), sheets=[sampling()])
    (f,) = check(rec, "i053_basis_edition")
    assert "GBZ 2.1-2007" in f.message and "2022年7月6日" in f.message
    rec = records(report(cited=("GBZ 159-2004", "GBZ 2.1-2007"), results=air_results()),
                  sheets=[sampling(dt.date(2019, 6, 1))])
    assert check(rec, "i053_basis_edition") == []
