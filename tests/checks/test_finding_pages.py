"""Page numbers on the finding: data its maker gives, never read back out of the message.

A finding's ``pages`` are its evidence pages and the pages its message names
(``Ctx.finding(pages=…)``, the list the message was formatted from); ``message_pages``
are the latter alone, which the checklist reads to cite evidence the message does not
name. ``tests.message_pages.pages_named`` reads the text only to check the makers here
(and in ``scripts/finding_pages.py``)."""
from __future__ import annotations

import pytest

from pipeline.types import Evidence, Finding
from tests.message_pages import pages_named


@pytest.mark.parametrize("message, pages", [
    ("第3页的日期早于第1页", (1, 3)),
    ("见第3、5页", (3, 5)),
    ("第 3-5 页", (3, 4, 5)),
    ("第7～8页", (7, 8)),
    ("第2至4页及第9页", (2, 3, 4, 9)),
    ("第3个工作日", ()),
    ("无页码", ()),
])
def test_pages_named_reads_the_message(message, pages):
    assert pages_named(message) == pages


def test_finding_pages_default_to_the_evidence_pages_and_round_trip():
    ev = (Evidence(page=5), Evidence(page=2), Evidence(page=None), Evidence(file="anonymized.pdf", page=7))
    f = Finding(code="x", message="第3页", evidence=ev)
    assert f.pages == (2, 5, 7) and f.message_pages == ()  # the text is not read
    f = Finding(code="x", message="第3页", evidence=ev, pages=(3,), message_pages=(3,))
    assert f.pages == (2, 3, 5, 7) and f.message_pages == (3,)
    assert Finding.model_validate(f.model_dump(mode="json")) == f
    assert Finding(code="x", message="", message_pages=(4, 1)).pages == (1, 4)  # named pages are pages


def _flag_line(finding):
    from pipeline.outputs.checklist_xlsx import _as_flag, _flag_line

    return _flag_line(1, _as_flag(finding))


def test_xlsx_cites_evidence_pages_the_message_does_not_name():
    ev = (Evidence(page=3), Evidence(page=5))
    assert _flag_line(Finding(code="x", message="第3、5页不一致", evidence=ev, message_pages=(3, 5))) \
        == "1. 第3、5页不一致"
    assert _flag_line(Finding(code="x", message="第3页不一致", evidence=ev, message_pages=(3,))) \
        == "1. 第3页不一致（证据：第3、5页）"
    # the pages come from the data, not from the text
    assert _flag_line(Finding(code="x", message="第3、5页不一致", evidence=ev)).endswith("（证据：第3、5页）")
    # a findings.json dict; one written before message_pages existed cites its evidence
    d = Finding(code="x", message="第3、5页不一致", evidence=ev, message_pages=(3, 5)).model_dump(mode="json")
    assert _flag_line(d) == "1. 第3、5页不一致"
    d.pop("message_pages")
    assert _flag_line(d) == "1. 第3、5页不一致（证据：第3、5页）"


def test_structure_findings_carry_the_pages_they_name():
    from pipeline import structure
    from pipeline.types import Page, Section

    secs = [Section(type="report", pages=(1, 2, 3)), Section(type="contract", pages=(4, 5)),
            Section(type="report", pages=(6,))]
    (f,) = structure.out_of_order_findings(secs)
    assert set(pages_named(f.message)) <= set(f.pages) and f.message_pages == pages_named(f.message)
    bad = [Page(no=n, source="none", width=595, height=842, error="timeout") for n in range(1, 13)]
    f = structure.unreadable_pages_finding(bad)
    assert f.pages == tuple(range(1, 13)) and f.message_pages == pages_named(f.message) == tuple(range(1, 11))


def _assert_pages_cover_messages(findings):
    for f in findings:
        named = pages_named(f.message)
        assert set(named) <= set(f.pages), (f.code, f.message, f.pages)
        assert f.message_pages == named, (f.code, f.message, f.message_pages)


@pytest.mark.slow
@pytest.mark.parametrize("family, seed", [("a", 7), ("b", 11)])
def test_every_check_gives_the_pages_its_message_names(tmp_path, family, seed):
    """All checks over generated born-digital bundles with defects: each finding's pages
    cover the pages its message names, and its message_pages are exactly those."""
    from pipeline.run import Settings, stage_findings, stage_intake, stage_pages, stage_records, stage_sections
    from samples.batch import generate_batch

    settings = Settings(cache_dir=None, workers=0, ocr=False, anonymize=False)
    findings = []
    for bdir in generate_batch(tmp_path, 3, seed, scanned_ratio=0.0, workers=1, family=family):
        intake = stage_intake(str(bdir), settings)
        pages = stage_pages(intake.original_path, settings)
        sections = stage_sections(pages)
        records, ledger = stage_records(intake, pages, sections)
        findings += stage_findings(intake, pages, sections, records, ledger).findings
    assert sum(1 for f in findings if pages_named(f.message)) >= 3  # the bundles' defects name pages
    _assert_pages_cover_messages(findings)
