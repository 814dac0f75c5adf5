"""Render a ``Scenario`` to a born-digital A4 PDF of Chinese forms.

``render_bundle(scenario)`` draws every section of the evidence bundle in archive
order (spec §2) and returns the PDF with the section type of each page and the
placements (ground truth: sample ids, identity strings per channel, signatures,
photo timestamps, key values, with their boxes). ``anonymized=True`` draws the
institution's own blind copy from the same scenario: same pages, identity hidden
except in the channels ``scenario.anonymized.leaks`` names.

Table keys honoured in ``Style.column_order``: ``sampling``, ``transfer``, ``lab``,
``calc``, ``results`` (column keys as in ``samples.vocab.TABLE_COLUMNS``).
"""
from __future__ import annotations

from samples.model import RenderedBundle, Scenario
from samples.render.closing import disclosure, photos
from samples.render.draw import render_sections
from samples.render.field import data_calculation, lab_analysis, sample_transfer, sampling_record
from samples.render.pre import contract, contract_review, detection_plan, field_survey
from samples.render.report import report

SECTION_RENDERERS = {
    "contract": contract,
    "contract_review": contract_review,
    "field_survey": field_survey,
    "detection_plan": detection_plan,
    "sampling_record": sampling_record,
    "sample_transfer": sample_transfer,
    "lab_analysis": lab_analysis,
    "data_calculation": data_calculation,
    "report": report,
    "disclosure": disclosure,
    "photos": photos,
}


def render_bundle(scenario: Scenario, *, anonymized: bool = False) -> RenderedBundle:
    """Draw the bundle (or the institution's anonymized copy of it)."""
    return render_sections(scenario, SECTION_RENDERERS, anonymized=anonymized)


__all__ = ["render_bundle", "SECTION_RENDERERS"]
