"""The review workbench (issue 15): a Django site where the QC center assigns bundles to
expert groups, experts score the 96 items blind from bundlecheck's pre-flags, the group
leader consolidates attachment 4 and the center exports results.

It sits on top of the pipeline (beside ``pipeline.cli``) and reads only the pipeline's
outputs (``findings.json``, ``anonymized.pdf``, ``summary.json``); the pipeline never
imports it. Run it with ``python -m workbench <django command>`` (``runserver``,
``migrate``, ``import_batch OUT``, …).
"""
