"""Finding codes that are no checklist item (spec §3), and their names for the expert.

Check findings carry codes of their own (``report.judgement_wrong``,
``sampling.no_field_blank``, …) against an indicator of attachment 3. The codes here
are raised by the pipeline itself (ingest, structure, anonymize) or by the check
framework (:data:`CANNOT_DECIDE`); the outputs list them apart from the checklist
items, under the Chinese names of :data:`CODE_NAMES_ZH`. A new such code goes here,
with its name, so report.html and checklist.xlsx call it the same.

Depends on nothing in ``pipeline`` (a bottom layer). ``scripts/check_accuracy.py``
keeps its own copy of ``CANNOT_DECIDE``: scripts there must run standalone.
"""
from __future__ import annotations

SUBMISSION_LATE = "submission.late"
BUNDLE_MISSING_SECTION = "bundle.missing_section"
BUNDLE_OUT_OF_ORDER = "bundle.out_of_order"
ANONYMIZED_LEAK = "anonymized.leak"
ANONYMIZED_MISSING = "anonymized.missing"
ANONYMIZED_SELF_CHECK_FAILED = "anonymized.self_check_failed"
INPUT_UNREADABLE = "input.unreadable"
#: A check could not read what it needs: the indicator was not checked (checks/base.py).
CANNOT_DECIDE = "check.cannot_decide"

#: The non-checklist codes, named for the expert (report.html, checklist.xlsx).
CODE_NAMES_ZH: dict[str, str] = {
    SUBMISSION_LATE: "超过48小时提交",
    BUNDLE_MISSING_SECTION: "缺少过程材料",
    BUNDLE_OUT_OF_ORDER: "材料未按归档顺序排列",
    ANONYMIZED_LEAK: "隐去机构信息的副本仍显示机构信息",
    ANONYMIZED_MISSING: "未提交隐去机构信息的副本",
    ANONYMIZED_SELF_CHECK_FAILED: "本系统生成的匿名副本自检未通过",
    INPUT_UNREADABLE: "页面或文件无法读取",
    CANNOT_DECIDE: "无法自动核查",
}

__all__ = [
    "ANONYMIZED_LEAK",
    "ANONYMIZED_MISSING",
    "ANONYMIZED_SELF_CHECK_FAILED",
    "BUNDLE_MISSING_SECTION",
    "BUNDLE_OUT_OF_ORDER",
    "CANNOT_DECIDE",
    "CODE_NAMES_ZH",
    "INPUT_UNREADABLE",
    "SUBMISSION_LATE",
]
