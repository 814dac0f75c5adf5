"""i052_report_signatures (checks/i052_report_signatures.py): author, reviewer and issuer sign
the report; the team list states each member's specialty."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, ReportRecord, Val, ValState
from tests.synth import line, page
from tests.checks.admin_records import codes, row, run, V


def _sig_page(issuer_image: str | None):
    lines = [
        line("编制人:", (258, 451, 304, 466)), line("日期:", (416, 451, 450, 466)),
        line("审核人:", (258, 481, 304, 496)), line("日期:", (416, 481, 450, 496)),
        line("签发人:", (258, 511, 304, 526)), line("日期:", (416, 511, 450, 526)),
        line("陆峰志", (307, 448, 350, 469), "image", 0.99), line("2022-08-15", (450, 454, 518, 468), "image"),
        line("冯芳瑞", (316, 475, 361, 499), "image", 0.99), line("2022-08-15", (450, 484, 516, 498), "image"),
    ]
    if issuer_image is not None:
        lines.append(line(issuer_image, (310, 506, 360, 530), "image", 0.4))
    return page(21, lines)


def _signed_report(issuer: Val, team=None):
    if team is None:
        team = [row(page=21, name="冯芳瑞", role="项目负责人", specialty="预防医学"),
                row(page=21, name="陆峰志", role="采样、报告编写", specialty="环境工程")]
    return BundleRecords(report=ReportRecord(
        author=V("陆峰志", page=21, bbox=(258, 448, 450, 469)), reviewer=V("冯芳瑞", page=21, bbox=(258, 475, 450, 499)),
        issuer=issuer, team=team, pages=(18, 19, 20, 21)))


def test_report_signed_is_silent():
    recs = _signed_report(V("郝轩", page=21, bbox=(258, 506, 450, 530)))
    assert run(recs, only=["i052_report_signatures"], pages=[_sig_page("郝轩")]) == []


def test_report_issuer_slot_positively_empty():
    empty = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9,
                reason="签发人 slot present but no name", state=ValState.EMPTY)
    f = run(_signed_report(empty), only=["i052_report_signatures"], pages=[_sig_page(None)])
    assert codes(f) == [("report.missing_signature", 52)]
    assert f[0].evidence[0].page == 21 and "签发人" in f[0].message


def test_report_issuer_slot_with_unresolved_mark_counts_as_signed():
    empty = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9,
                reason="签发人 slot present but no name", state=ValState.EMPTY)
    # OCR saw a mark it could not resolve to a name (e.g. one character of it): signed
    assert run(_signed_report(empty), only=["i052_report_signatures"], pages=[_sig_page("乡")]) == []


def test_report_slot_that_cannot_be_judged_is_cannot_decide():
    # the "slot" is a sentence of the declaration page, where no signature was read
    decl = Val(value=None, page=19, bbox=(72.0, 208.0, 318.0, 223.0), raw="签发人签字无效。", conf=0.9,
               reason="签发人 slot present but no name", state=ValState.EMPTY)
    page19 = page(19, [line("2.本报告无编写人、审核人、签发人签字无效。", (72, 208, 318, 223))])
    f = run(_signed_report(decl), only=["i052_report_signatures"], pages=[_sig_page(None), page19])
    assert codes(f) == [(CANNOT_DECIDE, 52)] and f[0].evidence[0].page == 19
    # an empty slot on a page where no other signature could be read either
    lone = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9, reason="no name")
    recs = BundleRecords(report=ReportRecord(author=V("陆峰志", page=20), reviewer=V("冯芳瑞", page=20), issuer=lone,
                                             team=_signed_report(lone).report.team, pages=(20, 21)))
    assert codes(run(recs, only=["i052_report_signatures"], pages=[_sig_page(None)])) == [(CANNOT_DECIDE, 52)]


def test_report_team_member_without_specialty():
    team = [row(page=21, name="冯芳瑞", role="项目负责人", specialty="预防医学"),
            row(page=21, name="苏佳波", role="采样", specialty=Val(value=None, page=21, reason="cell specialty empty", state=ValState.EMPTY))]
    f = run(_signed_report(V("郝轩", page=21), team), only=["i052_report_signatures"], pages=[_sig_page("郝轩")])
    assert codes(f) == [("report.team_incomplete", 52)]
    assert "苏佳波" in f[0].message and "专业" in f[0].message
