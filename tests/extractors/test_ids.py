"""extractors.ids: learning a bundle's sample-id pattern, tolerant of OCR variants."""
from __future__ import annotations

import pytest

from extractors.ids import generic_id


# ------------------------------------------------------------------ OCR-tolerant ids (i094)


@pytest.mark.parametrize("ids,probe,found", [
    # a dash read as a colon or a tilde, or dropped
    (["HA-2203-001", "HA-2203-002", "HA-2203-016"], "HA:2203-017 x HA2203-018 x 22-QM~", ["HA-2203-017", "HA-2203-018"]),
    (["22-QM-082401", "22-QM-082402"], "22-QM~082404", ["22-QM-082404"]),
    # one stray separator inside the id; two are not an id
    (["HA-2209-001", "HA-2209-002"], "HA-2209-01-3 HA-2209-0-1-4", ["HA-2209-013"]),
    # case and one misread letter of a constant prefix
    (["22-JX-050701", "22-JX-050702"], "22-jX-050708 22-IX-050714 22-AB-050715", ["22-JX-050708", "22-JX-050714"]),
    # all-digit ids take no stray separator (a date or a phone number looks like that)
    (["22061407", "22061408"], "2206-1409 22061410", ["22061410"]),
    # S read for 5 in a digit position
    (["S22051901", "S22051902"], "S2205190S", ["S22051905"]),
])
def test_id_pattern_ocr_variants(ids, probe, found):
    from extractors.ids import learn_pattern
    assert [x for x, _ in learn_pattern(ids).find(probe)] == found


def test_id_prefix_literal_survives_one_misread_sampling_id():
    from extractors.ids import learn_pattern
    pat = learn_pattern(["TJ220001", "TJ220002", "TJ220003", "TJ220004", "JJ220010"])
    assert pat.letters == ("TJ",) and pat.match("JJ220010") == "TJ220010"
    # two numbering schemes side by side are not one prefix with a slip
    assert learn_pattern(["TJ220001", "TJ220002", "KB220001", "KB220002"]).letters == ("",)


@pytest.mark.parametrize("text, want", [
    ("2022-0615-09" + "1" * 30 + "KB!", None),  # fails the match: must fail fast, not backtrack
    ("2022-0615-03", "2022-0615-03"),
    ("2022-0615-09KB", None),  # letters last: not a generic id shape (as before)
    ("DJ220615-09-K3", "DJ220615-09-K3"),
    ("HX0615-03", "HX0615-03"),
])
def test_generic_id_is_linear(text, want):
    """A long digit run that fails the generic-id match once hung a whole bundle
    (nested optional parts: exponential backtracking). The alarm turns a hang into a failure."""
    import signal

    def _hang(*_):
        raise TimeoutError("generic_id backtracks")

    old = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(5)
    try:
        assert generic_id(text) == want
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
