"""i027_contract_complete (checks/i027_contract.py): the contract states content, scope,
completion time and both parties' duties."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, ContractRecord
from tests.checks.admin_records import _ocr_page, codes, run, V


def _contract(**kw):
    base = dict(contract_no=V("HT-2022-001"), service_content=V("职业病危害因素定期检测"), scope=V("厂区内各作业场所"),
                completion_time=V("现场采样结束后20个工作日内出具检测报告"),
                party_a_duties=[V("提供真实资料"), V("按约定支付费用")], party_b_duties=[V("按标准开展检测")], pages=(1, 2))
    base.update(kw)
    return BundleRecords(contract=ContractRecord(**base))


def test_contract_complete_and_incomplete():
    assert run(_contract(), only=["i027_contract_complete"]) == []
    f = run(_contract(completion_time=V(None)), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)]
    assert "完成时间" in f[0].message and f[0].evidence[0].page == 1


def test_contract_completion_time_inside_duties_and_payment_terms_do_not_count():
    ok = _contract(completion_time=V(None), party_b_duties=[V("自采样结束之日起30日内出具检测报告")])
    assert run(ok, only=["i027_contract_complete"]) == []
    bad = _contract(completion_time=V(None), party_b_duties=[V("按标准开展检测")],
                    party_a_duties=[V("于报告交付后十五个工作日内支付费用")])
    assert codes(run(bad, only=["i027_contract_complete"])) == [("contract.incomplete", 27)]


def test_contract_unread_layout_is_cannot_decide():
    f = run(_contract(service_content=V(None), scope=V(None), completion_time=V(None)), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)]
    # neither party's duties read (a joint clause not split): not judged as missing
    f = run(_contract(party_a_duties=[], party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)]
    # one party's duties read and the other's not: a gap
    f = run(_contract(party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)] and "乙方" in f[0].message
    # on a scan the other party's heading may just be misread (甲方 → 申方)
    f = run(_contract(party_a_duties=[]), only=["i027_contract_complete"], pages=[_ocr_page(1)])
    assert codes(f) == [(CANNOT_DECIDE, 27)]
