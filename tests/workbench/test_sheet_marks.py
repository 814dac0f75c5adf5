"""The workbench's item list shows, per item, whether bundlecheck checked it, and if not why."""
from __future__ import annotations

import re

from checks import coverage
from tests.workbench.conftest import login
from workbench.review.sheet import sheet


def _item_cell(html: str, no: int) -> str:
    m = re.search(rf'<tr id="item-{no}">(.*?)</tr>', html, re.S)
    assert m, no
    return m.group(1)


def test_sheet_reads_coverage_and_evidence_from_checks():
    cov = {c.no: c for c in coverage.coverage()}
    items = sheet()
    assert [s.no for s in items] == list(range(1, 97))
    for s in items:
        assert s.coverage.checks == cov[s.no].checks
        assert s.documents_show == (s.item.evidence in ("bundle", "no_domain_rule"))
    by_no = {s.no: s for s in items}
    assert not by_no[81].documents_show  # "现场查阅…": the method says 查阅, the evidence is on site
    assert by_no[83].system_mark.startswith("系统未自动核查——需现场核查：")


def test_bundle_page_shows_the_marks(client, assigned, people):
    login(client, people["e1"])
    html = client.get("/review/T-001/").content.decode()
    for s in sheet():
        cell = _item_cell(html, s.no)
        if s.coverage.checked:
            assert "系统已自动核查" in cell and s.coverage.checks[0] in cell, s.no
        else:
            assert s.coverage.reason_name_zh in cell and "系统未自动核查" in cell, s.no
