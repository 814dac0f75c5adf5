"""Run chosen checks over hand-made records, as the pipeline does after extraction."""
from __future__ import annotations

from checks.base import run_checks
from extractors.slots import add_page_facts


def findings_of(records, submission, only, *, sections, pages=(), ledger=()):
    """The findings of the checks ``only``; fails the test if a check raised.

    The slot and page-word facts are added to the records first, as ``extract_records``
    does, because hand-made records carry none."""
    records = add_page_facts(records, pages)
    res = run_checks(records, submission, sections=sections, ledger=ledger, pages=pages, only=list(only))
    assert not res.errors, res.errors
    return res.findings


def codes(findings):
    return [(f.code, f.indicator) for f in findings]
