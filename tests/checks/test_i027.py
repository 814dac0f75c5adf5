"""i027_contract_complete (checks/i027_contract.py): the contract states content, scope,
completion time and both parties' duties; "missing" only when the whole contract was read
and every clause heading understood (absence proven), else "cannot decide"."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, ContractRecord, Val, ValState
from tests.checks.admin_records import _ocr_page, codes, run, V

ALL_READ = V(True)


def absent(what: str = "clause not found") -> Val:
    return Val.missing(what, None, ValState.ABSENT)


def _contract(**kw):
    base = dict(contract_no=V("HT-2022-001"), service_content=V("职业病危害因素定期检测"), scope=V("厂区内各作业场所"),
                completion_time=V("现场采样结束后20个工作日内出具检测报告"),
                party_a_duties=[V("提供真实资料"), V("按约定支付费用")], party_b_duties=[V("按标准开展检测")],
                clauses_read=ALL_READ, pages=(1, 2))
    base.update(kw)
    return BundleRecords(contract=ContractRecord(**base))


def test_contract_complete_and_incomplete():
    assert run(_contract(), only=["i027_contract_complete"]) == []
    f = run(_contract(completion_time=absent()), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)]
    assert "完成时间" in f[0].message and f[0].evidence[0].page == 1


def test_a_clause_not_read_is_not_a_missing_clause():
    # the field was not read and its absence not proven (state UNKNOWN): cannot decide
    f = run(_contract(completion_time=V(None)), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)] and "完成时间" in f[0].message
    # some clause headings not understood: the duties' absence is not proven either
    unread = Val.missing("clause headings not understood: 双方约定", 1)
    f = run(_contract(party_b_duties=[], clauses_read=unread), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)] and "双方约定" in f[0].message


def test_contract_completion_time_inside_duties_and_payment_terms_do_not_count():
    ok = _contract(completion_time=absent(), party_b_duties=[V("自采样结束之日起30日内出具检测报告")])
    assert run(ok, only=["i027_contract_complete"]) == []
    bad = _contract(completion_time=absent(), party_b_duties=[V("按标准开展检测")],
                    party_a_duties=[V("于报告交付后十五个工作日内支付费用")])
    assert codes(run(bad, only=["i027_contract_complete"])) == [("contract.incomplete", 27)]


def test_duties_missing_only_when_every_clause_was_understood():
    f = run(_contract(party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)] and "乙方" in f[0].message
    f = run(_contract(party_a_duties=[], party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)] and "甲方" in f[0].message and "乙方" in f[0].message
    # on a scan the other party's heading may just be misread (甲方 → 申方)
    f = run(_contract(party_a_duties=[]), only=["i027_contract_complete"], pages=[_ocr_page(1)])
    assert codes(f) == [(CANNOT_DECIDE, 27)]


def test_a_line_naming_the_clause_makes_it_cannot_decide():
    stray = Val.missing("clause 服务范围 not found, but a line names it: 二.检测地点与范围", None)
    f = run(_contract(scope=stray), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)] and "二.检测地点与范围" in f[0].message
