"""Contract clause headings survive one OCR-garbled character without swapping parties."""
from extractors.forms.contract import _heading_keys


def test_garbled_party_a_heading_is_recovered_next_to_exact_party_b() -> None:
    keys = _heading_keys(["一、技术服务内容", "五、乙方责任", "六、申方责任"])
    assert keys == {0: "service_content", 1: "party_b_duties", 2: "party_a_duties"}


def test_fuzzy_heading_never_claims_a_clause_an_exact_heading_holds() -> None:
    keys = _heading_keys(["五、甲方责任", "六、申方责任", "七、技术服务内窖"])
    assert keys[0] == "party_a_duties" and list(keys.values()).count("party_a_duties") == 1
    assert keys[2] == "service_content"


def test_unrelated_heading_stays_unassigned() -> None:
    assert _heading_keys(["八、违约责任", "九、争议解决"]) == {}
