"""Contract form (extractors/forms/contract.py): signers read in the parties' signing block,
each kept with its party and completed to a known name of that party only when exactly
one fits; clause headings that survive one OCR-garbled character.

Pages are built from strings and boxes (no OCR). Wordings and layouts here are not the
generator's: stacked blocks, 授权代表(签字), 受托方(乙方)(盖章), grid rows.
"""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms._common import complete_name, contact_names
from extractors.forms.contract import _heading_keys, signature_names
from extractors.layout import grid
from pipeline.types import Page, Section
from tests.synth import H, W, row_lines

STAFF = ["余国涵", "周敏", "陆峰志"]
LEFT, RIGHT = 60.0, 320.0


def page(rows: list, *, source: str = "text", no: int = 1) -> Page:
    """``rows``: a string (one cell at the left margin) or a list of (text, x) cells."""
    lines, y = [], 60.0
    for row in rows:
        lines += row_lines([(row, LEFT)] if isinstance(row, str) else row, y, source)
        y += 22.0
    return Page(no=no, source=source, width=W, height=H, lines=tuple(lines))


def two_columns(a_name: str, b_name: str, *, source: str = "text") -> Page:
    """Side-by-side blocks, names on their own line under the signer labels."""
    return page([
        "十、其他",
        "本合同自双方签字盖章之日起生效，一式四份。",
        [("委托方(盖章)", LEFT), ("受托方(盖章)", RIGHT)],
        [("名称:某某精密铸造有限公司", LEFT), ("名称:某某职业卫生技术服务有限公司", RIGHT)],
        [("授权代表(签字):", LEFT), ("授权代表(签字):", RIGHT)],
        [(a_name, LEFT + 40), (b_name, RIGHT + 40)],
        [("日期:2023年3月2日", LEFT), ("日期:2023年3月2日", RIGHT)],
    ], source=source)


def read(p: Page, employer=(), institution=STAFF) -> list[tuple]:
    return [(side, v.value) for side, v in signature_names([grid(p)], list(employer), list(institution))]


# ------------------------------------------------------------------ completion


TWO_COLUMNS = [
    pytest.param("曾新", "余国", "text", STAFF, [("a", "曾新子"), ("b", "余国涵")],
                 id="truncated_names_are_completed_from_the_one_known_name_of_their_party"),
    pytest.param("曾新", "余国", "ocr", STAFF, [("a", "曾新子"), ("b", "余国涵")], id="ocr_page_two_columns"),
    pytest.param("曾新子", "余国", "text", ["余国涵", "余国强"], [("a", "曾新子"), ("b", "余国")],
                 id="ambiguous_prefix_is_kept_as_read"),
    pytest.param("王小明", "钱多", "text", STAFF, [("a", "王小明"), ("b", "钱多")], id="unknown_name_is_kept_as_read"),
    # 余国 in party A's column is not the institution's 余国涵; 曾新 in party B's column
    # is not the employer's 曾新子
    pytest.param("余国", "曾新", "text", STAFF, [("a", "余国"), ("b", "曾新")], id="parties_are_kept_apart"),
]


@pytest.mark.parametrize("a_name, b_name, source, institution, expected", TWO_COLUMNS)
def test_two_column_block_names(a_name, b_name, source, institution, expected) -> None:
    got = read(two_columns(a_name, b_name, source=source), employer=["曾新子"], institution=institution)
    assert got == expected


def test_two_character_reading_is_never_rewritten_to_another_name() -> None:
    # 常龙 (常龙强 cut short under the seal) is one edit from staff 常英: kept as read
    got = read(two_columns("曾新子", "常龙"), employer=["曾新子"], institution=["常英"])
    assert got == [("a", "曾新子"), ("b", "常龙")]
    assert read(two_columns("曾新子", "常龙"), employer=["曾新子"], institution=["常英", "常龙强"])[1] == ("b", "常龙强")


def test_complete_name_rules() -> None:
    assert complete_name("孔华山", ["孔华峰", "潘嘉颖"]) == ("孔华峰", 0.667)
    assert complete_name("孔华山", ["孔华峰", "孔华岭"])[0] == "孔华山"  # two fit equally
    assert complete_name("顾春海目", ["顾春海"])[0] == "顾春海"  # one stray stroke read
    assert complete_name("任宝", ["任宇"])[0] == "任宝"
    assert complete_name("任宝", ["任宇"], short=True)[0] == "任宇"
    assert complete_name("国涵", ["余国涵"])[0] == "余国涵"  # the head hidden instead
    assert complete_name("余", ["余国涵"])[0] == "余"  # one character says too little
    # one handwritten character split into its halves (赖 → 束负)
    assert complete_name("束负刚新", ["赖刚新", "贺佳梅"])[0] == "赖刚新"
    assert complete_name("赖刚束负", ["赖刚新"])[0] == "赖刚新"
    assert complete_name("束负刚新", ["赖刚新", "懒刚新"])[0] == "束负刚新"  # two fit equally
    assert complete_name("束负刚", ["赖刚"])[0] == "束负刚"  # two-character names: too little left
    assert complete_name("束负刚旧", ["赖刚新"])[0] == "束负刚旧"  # and the rest must match


# ------------------------------------------------------------------ finding the block


def test_stacked_blocks_with_inline_names() -> None:
    p = page([
        "七、争议解决",
        "协商不成的，向乙方所在地人民法院起诉。",
        "委托方(甲方)(盖章):某某精密铸造有限公司",
        "授权代表(签字):曾新",
        "签署日期:2023年3月2日",
        "受托方(乙方)(盖章):某某职业卫生技术服务有限公司",
        "法定代表人(签名):余国",
        "签署日期:2023年3月2日",
    ])
    assert read(p, employer=["曾新子"]) == [("a", "曾新子"), ("b", "余国涵")]


def test_party_header_at_the_top_is_not_the_signing_block() -> None:
    p = page([
        "技术服务合同",
        "委托方(甲方):某某精密铸造有限公司",
        "法定代表人:赵大海",
        "受托方(乙方):某某职业卫生技术服务有限公司",
        "法定代表人:余国涵",
        "一、技术服务内容",
        "职业病危害因素定期检测",
    ])
    assert read(p) == []


def test_contact_and_seal_fragments_are_not_signers() -> None:
    p = page([
        [("甲方(盖章)", LEFT), ("乙方(盖章)", RIGHT)],
        [("单位名称:石家庄某某机械有限公司", LEFT), ("单位名称:某某检测有限公司", RIGHT)],
        [("法定代表人或委托代理人:", LEFT), ("法定代表人或委托代理人:", RIGHT)],
        [("曾新子", LEFT + 40), ("石家庄", LEFT + 120), ("周敏", RIGHT + 40)],
        [("联系人", LEFT), ("孔华峰", LEFT + 60), ("联系人", RIGHT), ("陆峰", RIGHT + 60)],
    ])
    assert read(p) == [("a", "曾新子"), ("b", "周敏")]


def test_contact_names_of_the_employer() -> None:
    p = page([
        [("联系人", LEFT), ("孔华峰", LEFT + 60), ("联系电话", LEFT + 140), ("0371-65504079", LEFT + 200)],
        "用人单位名称、地址及联系人",
        "企业联系人:沈晨艳",
        "检测机构联系人:陆峰志",
        [("联系人:", LEFT), ("电话:", LEFT + 80)],
    ])
    assert contact_names([grid(p)]) == ["孔华峰", "沈晨艳"]


# ------------------------------------------------------------------ through extract_records


def test_extract_records_uses_legal_rep_and_the_survey_contact() -> None:
    contract = two_columns("曾新", "黄立")
    contract = contract.model_copy(update={"no": 2})
    survey = page(["职业卫生现场调查记录", [("联系人", LEFT), ("曾新子", LEFT + 60), ("联系电话", LEFT + 140)]], no=3)
    secs = [Section(type="contract", pages=(2,)), Section(type="field_survey", pages=(3,))]
    rec = extract_records([contract, survey], secs, staff=STAFF, legal_rep="黄立新")
    assert [v.value for v in rec.contract.signers] == ["曾新子", "黄立新"]
    # without the legal representative the reading stays as read, never a staff name
    rec = extract_records([contract, survey], secs, staff=STAFF)
    assert [v.value for v in rec.contract.signers] == ["曾新子", "黄立"]


def test_block_without_party_headings_is_read_after_the_last_clause() -> None:
    # OCR lost both party headings under the seals: the names after the signer label
    # are still read, completed only when one known name of either party fits
    p = page([
        "委托方(甲方):某某精密铸造有限公司",
        "受托方(乙方):某某职业卫生技术服务有限公司",
        "一、技术服务内容",
        "职业病危害因素定期检测",
        [("法定代表人或委托代理人(签字):", LEFT), ("法定代表人或委托代理人(签字):", RIGHT)],
        [("曾新", LEFT + 40), ("余国", RIGHT + 40)],
    ], source="ocr")
    assert read(p, employer=["曾新子"]) == [(None, "曾新子"), (None, "余国涵")]
    # one reading two parties' names could complete stays as read
    assert read(p, employer=["余国强"]) == [(None, "曾新"), (None, "余国")]


def test_signer_label_glued_to_the_name() -> None:
    p = page([
        [("甲方(盖章)", LEFT), ("乙方(盖章)", RIGHT)],
        [("委托代理人曾新 电话:0371-1234567", LEFT), ("法定代表人余国", RIGHT)],
    ], source="ocr")
    assert read(p, employer=["曾新子"]) == [("a", "曾新子"), ("b", "余国涵")]


# ------------------------------------------------------------------ clause headings survive one OCR-garbled character


def test_garbled_party_a_heading_is_recovered_next_to_exact_party_b() -> None:
    keys = _heading_keys(["一、技术服务内容", "五、乙方责任", "六、申方责任"])
    assert keys == {0: "service_content", 1: "party_b_duties", 2: "party_a_duties"}


def test_fuzzy_heading_never_claims_a_clause_an_exact_heading_holds() -> None:
    keys = _heading_keys(["五、甲方责任", "六、申方责任", "七、技术服务内窖"])
    assert keys[0] == "party_a_duties" and list(keys.values()).count("party_a_duties") == 1
    assert keys[2] == "service_content"


def test_unrelated_heading_stays_unassigned() -> None:
    assert _heading_keys(["八、违约责任", "九、争议解决"]) == {}


# ------------------------------------------------------------------ clauses in any numbering and wording


def _contract_of(rows: list, *, source: str = "text"):
    p = page(rows, source=source)
    return extract_records([p], [Section(type="contract", pages=(1,))]).contract


# (一)-numbered headings worded by their key nouns, duties as ①② inline, no clause of the
# completion time but a delivery deadline inside the provider's duties
PARENTHESISED = [
    "委托方(甲方):某某精密铸造有限公司",
    "(一)工作内容",
    "对甲方作业场所的化学有害因素和物理因素开展定期检测",
    "(二)检测地点与范围",
    "甲方一号厂房、二号厂房",
    "(三)委托方的职责",
    "①如实提供原辅材料清单;②派员陪同现场采样;",
    "③按时付款",
    "(四)受托方的职责",
    "①依据国家标准采样分析;②受托方于采样完成后15个工作日内提交检测报告",
    "(五)保密",
    "双方对对方资料保密",
    [("委托方(盖章)", LEFT), ("受托方(盖章)", RIGHT)],
]


def test_clauses_are_typed_by_their_key_nouns() -> None:
    c = _contract_of(PARENTHESISED)
    assert c.service_content.ok and "化学有害因素" in c.service_content.value
    assert c.scope.ok and "二号厂房" in c.scope.value
    assert [v.value for v in c.party_a_duties] == ["如实提供原辅材料清单", "派员陪同现场采样", "按时付款"]
    assert [v.value for v in c.party_b_duties][0] == "依据国家标准采样分析"
    # the completion time is stated inside another clause
    assert c.completion_time.ok and "15个工作日内" in c.completion_time.value
    assert c.clauses_read.ok


def test_a_clause_not_there_is_absent_only_when_every_heading_was_understood() -> None:
    rows = [r for r in PARENTHESISED if r not in ("(二)检测地点与范围", "甲方一号厂房、二号厂房")]
    c = _contract_of(rows)
    assert not c.scope.ok and c.scope.absent
    # a heading that names nothing known: the contract was not understood, nothing is absent
    c = _contract_of(rows[:-3] + ["(五)特别约定", "另行协商", rows[-1]])
    assert not c.clauses_read.ok and "特别约定" in c.clauses_read.reason
    assert not c.scope.ok and not c.scope.absent


def test_a_joint_duties_clause_is_split_by_party() -> None:
    c = _contract_of([
        "第1条 服务事项",
        "职业病危害因素定期检测",
        "第2条 服务期限",
        "自签订之日起60日",
        "第3条 双方权利义务",
        "1)委托方应提供生产资料;2)委托方应安排陪同人员;",
        "3)受托方应按规范采样;4)受托方应按期出具报告",
        "第4条 违约责任",
        "按法律规定处理",
    ])
    assert c.clauses_read.ok and c.completion_time.ok and c.service_content.ok
    assert [v.value for v in c.party_a_duties] == ["委托方应提供生产资料", "委托方应安排陪同人员"]
    assert [v.value for v in c.party_b_duties] == ["受托方应按规范采样", "受托方应按期出具报告"]


def test_a_heading_whose_number_was_misread_leaves_the_clause_unproven() -> None:
    # "(二)" read as "二." on a scan: the line names the scope but is no numbered heading
    rows = [("二.检测地点与范围" if r == "(二)检测地点与范围" else r) for r in PARENTHESISED]
    c = _contract_of(rows, source="ocr")
    assert not c.scope.ok and not c.scope.absent and "检测地点与范围" in c.scope.reason
