"""i028_contract_review_present (checks/i028_contract_review.py): a contract review exists,
is complete, and precedes sampling."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, ContractReviewRecord
from tests.checks.admin_records import codes, D, run, SECTIONS_ALL, sheet, V


def _review(points=None, conclusion="经评审，依据的法律法规及标准现行有效，本机构具备相应的检测能力、人员和设备，同意承接。",
            date=D(2022, 6, 1)):
    pts = points if points is not None else {k: V(True, page=2) for k in ("legal_basis", "capability", "staff", "equipment")}
    return ContractReviewRecord(date=V(date, page=2), points=pts, conclusion=V(conclusion, page=2), pages=(2,))


def test_contract_review_missing_even_without_needs():
    secs = [s for s in SECTIONS_ALL if s.type != "contract_review"]
    f = run(BundleRecords(), only=["i028_contract_review_present"], sections=secs)
    assert codes(f) == [("contract_review.missing", 28)]
    assert f[0].evidence[0].page == 1


def test_contract_review_complete_incomplete_and_late():
    recs = BundleRecords(contract_review=_review(), sampling_records=[sheet(D(2022, 6, 14))])
    assert run(recs, only=["i028_contract_review_present"]) == []
    pts = {"legal_basis": V(True, page=2), "capability": V(True, page=2), "staff": V(True, page=2),
           "equipment": V(None, page=2)}
    recs = BundleRecords(contract_review=_review(pts, conclusion="经评审，同意承接本项目的检测工作。"),
                         sampling_records=[sheet(D(2022, 6, 14))])
    f = run(recs, only=["i028_contract_review_present"])
    assert codes(f) == [("contract_review.incomplete", 28)] and "设备" in f[0].message
    recs = BundleRecords(contract_review=_review(date=D(2022, 6, 20)), sampling_records=[sheet(D(2022, 6, 14), page=5)])
    f = run(recs, only=["i028_contract_review_present"])
    assert codes(f) == [("contract_review.after_sampling", 28)]
    assert [e.page for e in f[0].evidence] == [2, 5]


def test_contract_review_unread_is_cannot_decide():
    recs = BundleRecords(contract_review=None)
    assert codes(run(recs, only=["i028_contract_review_present"])) == [(CANNOT_DECIDE, 28)]
