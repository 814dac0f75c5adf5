"""Audit with django-auditlog: every change to scores, decisions, opinions, group results,
assignments and lab results is logged with its actor; a view of an original is logged as
an ACCESS entry on its bundle (``auditlog.signals.accessed``)."""
from __future__ import annotations

from auditlog.registry import auditlog

from workbench.review import models as m

auditlog.register(m.Bundle, include_fields=["lab_comparison", "anonymized_safe"])
for _model in (m.ItemScore, m.PreflagDecision, m.ReviewOpinion, m.GroupItemResult, m.GroupResult,
               m.Assignment, m.ConflictDeclaration):
    auditlog.register(_model)
auditlog.register(m.ReviewGroup, m2m_fields={"experts"})
