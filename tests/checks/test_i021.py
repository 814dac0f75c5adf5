"""i021_subcontracted (checks/i021_subcontracted.py): the contract's 乙方 is the
submitting institution, and no sentence passes the work on."""
from __future__ import annotations

import pytest

from extractors.records import BundleRecords
from tests.checks.adm14_records import INST, codes, contract, rendered_findings, run, submission

ONLY = ["i021_subcontracted"]


def _run(c):
    return run(BundleRecords(contract=c), submission(), only=ONLY)


@pytest.mark.parametrize("printed", [INST, "(乙方)河南凯瑞职业健康技术有限公司", ")河南凯瑞职业健康技术有限公司",
                                     "河南凯瑞职业健康技术有限公司（盖章）", "凯瑞职康", "河南凯瑞职业健康技术"])
def test_our_name_in_any_print_is_silent(printed):
    assert _run(contract(printed)) == []


@pytest.mark.parametrize("other", ["河南凯瑞职业健康技术有限责任公司", "郑州恒安安全卫生评价有限责任公司"])
def test_another_institution_as_party_b_is_flagged(other):
    f = _run(contract(other))
    assert codes(f) == [("contract.subcontracted", 21)]
    assert other in f[0].message and INST in f[0].message and "第1页" in f[0].message


@pytest.mark.parametrize("masked", ["河南****技术有限公司", "XXXX有限公司", "某职业卫生技术服务机构", "■■■■■■有限公司"])
def test_blind_copy_is_no_evidence(masked):
    assert _run(contract(masked)) == []


@pytest.mark.parametrize("sentence", [
    "本项目现场采样及实验室检测工作由洛阳瑞康检测技术有限公司承担，乙方负责出具检测报告。",
    "经甲方同意，乙方将本项目的现场检测工作分包给郑州卫安检测技术有限公司实施。",
    "本项目检测工作委托南阳精诚环境检测技术有限公司完成，检测结果由乙方汇总后出具报告。",
    "乙方将本项目全部检测工作转包给其他单位。",
])
def test_passing_the_work_on_is_flagged(sentence):
    f = _run(contract(sentences=[sentence]))
    assert codes(f) == [("contract.subcontracted", 21)]
    assert sentence[:10] in f[0].message


@pytest.mark.parametrize("sentence", [
    "乙方不得将本项目转包或分包给第三方。",
    "未经甲方书面同意，乙方不得将本合同项下的检测工作分包。",
    "凯旋硅业股份有限公司（甲方）委托河南凯瑞职业健康技术有限公司（乙方）对其工作场所职业病危害因素进行定期检测。",
    "严禁转包、违法分包。",
])
def test_prohibitions_and_the_parties_own_preamble_are_silent(sentence):
    assert _run(contract(sentences=[sentence])) == []


def test_party_b_not_read_cannot_decide():
    assert codes(_run(contract(None))) == [("check.cannot_decide", 21)]


@pytest.mark.parametrize("family", ["a", "b"])
def test_rendered_clean_bundle_is_silent(tmp_path, family):
    records, findings, _ = rendered_findings(tmp_path, family, ONLY)
    assert records.contract.party_b.ok
    assert findings == []
