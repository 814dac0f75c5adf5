"""i068 (checks/i068_lab_receipt.py): samples received and handed over after sampling, analysed
within their storage period."""
from __future__ import annotations

import datetime as dt

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, TransferRecord
from tests.checks.lab_records import _lab, _sampling, codes, D1, missing, R, run, V


def test_lab_received_before_sampling():
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(D1 - dt.timedelta(days=2), D1)])
    f = run(rec, ["i068_lab_receipt"])
    assert codes(f) == ["lab.received_before_sampling"]
    assert f[0].indicator == 68 and f[0].evidence[0].page == 5 and "A1" in f[0].message
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(D1)])
    assert run(rec, ["i068_lab_receipt"]) == []
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[_lab(None, D1)])
    assert codes(run(rec, ["i068_lab_receipt"])) == [CANNOT_DECIDE]


def test_analysed_after_storage_period():
    late = _lab(D1, D1 + dt.timedelta(days=5), storage_days=V(3, 5, raw="保存期限3天"))
    rec = BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[late])
    f = run(rec, ["i068_storage_period"])
    assert codes(f) == ["lab.analysed_after_storage_period"] and "3 天" in f[0].message
    ok = _lab(D1, D1 + dt.timedelta(days=2), storage_days=V(3, 5, raw="保存期限3天"))
    assert run(BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[ok]), ["i068_storage_period"]) == []
    # no period stated anywhere: nothing to compare with, no finding
    none = _lab(D1, D1 + dt.timedelta(days=40), storage_days=missing("storage period not stated"))
    assert run(BundleRecords(sampling_records=[_sampling(["A1", "A2"])], lab_sheets=[none]), ["i068_storage_period"]) == []


def test_transfer_before_sampling():
    tr = TransferRecord(date=V(D1 - dt.timedelta(days=1), 4), rows=[R(4, sample_id="A1")], pages=(4,))
    rec = BundleRecords(sampling_records=[_sampling(["A1"])], sample_transfers=[tr])
    assert codes(run(rec, ["i068_transfer_receipt"])) == ["transfer.received_before_sampling"]
    tr = TransferRecord(date=V(D1, 4), rows=[R(4, sample_id="A1")], pages=(4,))
    assert run(BundleRecords(sampling_records=[_sampling(["A1"])], sample_transfers=[tr]), ["i068_transfer_receipt"]) == []
