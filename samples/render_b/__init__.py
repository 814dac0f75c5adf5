"""Family B of the sample forms: the same ``Scenario`` facts in another institution's shapes.

Family B is an independent set of form designs (agreement, review, investigation,
sampling plan, sampling records with QC placed elsewhere, hand-over list, method-
specific lab sheets, calculation table, report, disclosure, photo sheets). It shares
only the pen with family A (``samples.render.draw``: Renderer, PageCtx, Flow, ink),
so ``render_bundle`` has the same contract and ``samples.truth`` reads its placements
unchanged.
"""
from __future__ import annotations

from samples.model import RenderedBundle, Scenario
from samples.render.draw import render_sections
from samples.render_b.closing import disclosure, photos
from samples.render_b.fieldwork import sample_transfer, sampling_record
from samples.render_b.front import contract, contract_review, detection_plan, field_survey
from samples.render_b.lab import data_calculation, lab_analysis
from samples.render_b.report import report

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
    """Draw the bundle (or the institution's anonymized copy of it) in family B's forms."""
    return render_sections(scenario, SECTION_RENDERERS, anonymized=anonymized)


__all__ = ["render_bundle", "SECTION_RENDERERS"]
