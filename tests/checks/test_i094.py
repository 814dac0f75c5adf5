"""i094_sample_counts (checks/i094_sample_counts.py): every sampled id is analysed and
reported; id ranges and OCR-garbled ids."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, LabSheet, ReportRecord, SamplingSheet, TransferRecord
from pipeline.types import SampleLedgerEntry
from tests.checks.lab_records import _sampling, codes, D1, R, run, sections, V


COUNT_SECTIONS = sections(("sampling_record", [3]), ("sample_transfer", [4]), ("lab_analysis", [5]), ("report", [7]))


def _counts_records(lab_ids, report_ids=None):
    report_ids = ["A1", "A2", "A3"] if report_ids is None else report_ids
    return BundleRecords(
        sampling_records=[_sampling(["A1", "A2", "A3", "A9"], blanks={"A9"})],
        sample_transfers=[TransferRecord(rows=[R(4, sample_id=i) for i in ["A1", "A2", "A3", "A9"]], pages=(4,))],
        lab_sheets=[LabSheet(factor=V("苯", 5), rows=[R(5, sample_id=i) for i in lab_ids], pages=(5,))],
        report=ReportRecord(results=[R(7, post="岗位", sample_ids=V(report_ids, 7))], pages=(7,)),
    )


def test_sample_counts_names_missing_ids():
    f = run(_counts_records(["A1", "A2", "A9"], ["A1", "A2"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"]
    x = f[0]
    assert x.indicator == 94 and x.veto
    assert "A3" in x.message and "现场采样记录共 3 个样品" in x.message and "实验室分析记录 2 个" in x.message
    assert x.evidence[0].page == 3


def test_sample_counts_quiet_when_all_present_and_blank_not_reported():
    assert run(_counts_records(["A1", "A2", "A3", "A9"]), ["i094_sample_counts"], secs=COUNT_SECTIONS) == []


def test_sample_counts_ledger_covers_unread_table_row():
    # the lab table lost A3's row, but the ledger saw A3 on the lab page: not missing
    ledger = [SampleLedgerEntry(sample_id=i, seen={"lab_analysis": (5,)}) for i in ["A1", "A2", "A3", "A9"]]
    assert run(_counts_records(["A1", "A2", "A9"]), ["i094_sample_counts"], secs=COUNT_SECTIONS, ledger=ledger) == []


def test_sample_counts_names_unsampled_ids_of_the_bundle_numbering():
    rec = _counts_records(["A1", "A2", "A3", "A9", "B77", "QC01"]).model_copy(update={"sample_id_pattern": r"[AB]\d+"})
    f = run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"]
    assert "B77" in f[0].message and "QC01" not in f[0].message and f[0].evidence[0].page == 5
    # one digit away from a sampled id: an OCR slip, not a sample
    rec = _counts_records(["A1", "A2", "A3", "A9", "A4"]).model_copy(update={"sample_id_pattern": r"[AB]\d+"})
    assert run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS) == []


def test_sample_counts_reads_id_ranges():
    # the transfer record lists "A1～A3" in one cell: A2 was transferred too
    rec = _counts_records(["A1", "A2", "A3", "A9"]).model_copy(update={"sample_id_pattern": r"A\d"})
    rng = TransferRecord(rows=[R(4, sample_id=V("A1", 4, raw="A1～A3")), R(4, sample_id="A9")], pages=(4,))
    assert run(rec.model_copy(update={"sample_transfers": [rng]}), ["i094_sample_counts"], secs=COUNT_SECTIONS) == []
    short = TransferRecord(rows=[R(4, sample_id=V("A1", 4, raw="A1")), R(4, sample_id="A9")], pages=(4,))
    f = run(rec.model_copy(update={"sample_transfers": [short]}), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "A2、A3" in f[0].message


def test_sample_counts_cannot_decide_without_ids():
    rec = BundleRecords(sampling_records=[SamplingSheet(date=V(D1, 3), rows=[], pages=(3,))])
    f = run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 94


def _ocr_counts(lab_ids, transfer_ids=("HA-2203-001", "HA-2203-002", "HA-2203-003")):
    ids = ["HA-2203-001", "HA-2203-002", "HA-2203-003"]
    return BundleRecords(
        sampling_records=[_sampling(ids)],
        sample_transfers=[TransferRecord(rows=[R(4, sample_id=i) for i in transfer_ids], pages=(4,))],
        lab_sheets=[LabSheet(factor=V("铅尘", 5), rows=[R(5, sample_id=i) for i in lab_ids], pages=(5,))],
        report=ReportRecord(results=[R(7, post="岗位", sample_ids=V(ids, 7))], pages=(7,)))


def test_sample_counts_garbled_reading_stands_in_for_the_sample():
    # the lab record read HA-2208-003 for HA-2203-003 (a digit slip the pattern cannot undo):
    # the only unsampled id one edit away from exactly one sampled id is that sample
    rec = _ocr_counts(["HA-2203-001", "HA-2203-002", "HA-2208-003"])
    assert run(rec, ["i094_sample_counts"], secs=COUNT_SECTIONS) == []
    # gone from the lab record with nothing in its place: missing
    f = run(_ocr_counts(["HA-2203-001", "HA-2203-002"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "HA-2203-003" in f[0].message
    # a slip in the running number is one edit from several sampled ids: no guess, still missing
    f = run(_ocr_counts(["HA-2203-001", "HA-2203-002", "HA-2203-008"]), ["i094_sample_counts"], secs=COUNT_SECTIONS)
    assert codes(f) == ["samples.count_mismatch"] and "HA-2203-003" in f[0].message


def test_one_edit_on_id_skeletons():
    from checks.i094_sample_counts import one_edit
    assert one_edit("HA-2203-017", "HA2203-017") and one_edit("HA-2203-017", "HA-2203-018")
    assert one_edit("HA-2209-013", "HA-2209-0133") and not one_edit("HA-2203-017", "HA-2203-028")
