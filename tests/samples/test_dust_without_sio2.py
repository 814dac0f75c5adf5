"""The dust_without_sio2 planter (item 33): the rendered survey of both families states no
free-SiO2 content, in each of its three ways, and the report no longer cites GBZ/T 192.4."""
from __future__ import annotations

import unicodedata

import pymupdf
import pytest

from samples.defects import apply_defects, audit, feasible
from samples.render import render_bundle as render_a
from samples.render_b import render_bundle as render_b
from samples.scenario import build_scenario

RENDER = {"a": render_a, "b": render_b}


def _text(s, section: str) -> str:
    rb = RENDER[s.style.family](s)
    doc = pymupdf.open(stream=rb.pdf, filetype="pdf")
    raw = "".join(doc[i].get_text() for i, t in enumerate(rb.page_types) if t == section)
    return unicodedata.normalize("NFKC", raw).replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("family", ["a", "b"])
def test_survey_states_no_content(family):
    fit = [s for s in (build_scenario(7, i, scanned=False, family=family) for i in range(16))
           if feasible("dust_without_sio2", s)][:2]
    assert fit
    printed = set()
    for s in fit:
        pct = f"{s.survey.sio2_percent}"
        assert pct in _text(s, "field_survey") and "192.4" in _text(s, "report")
        for seed in range(6):
            bad = apply_defects(s, ["dust_without_sio2"], seed)
            (d,) = bad.defects
            assert {f["code"] for f in audit(bad)} == {"survey.no_sio2_analysis"}
            printed.add(d.detail["printed"])
            survey = _text(bad, "field_survey")
            assert pct not in survey and "192.4" not in _text(bad, "report")
            if d.detail["printed"] == "(nothing)":
                assert "游离SiO2" not in survey
            else:
                assert "游离SiO2" in survey and ("/" in survey or "未测定" in survey)
    assert printed == {"(nothing)", "/", "未测定"}
