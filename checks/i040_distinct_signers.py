"""Indicators 40, 41, 49, 67, 69 and 73: no one signs two roles on one record that must
be two different people.

- ``signatures.same_person_two_roles``: one person signs both roles that must be two
  people on the same record — plan author/reviewer (40), sampler/checker (41), sender/
  receiver of a hand-over (49), report author/reviewer (67), analyst/reviewer (69),
  calculator/checker (73).
"""
from __future__ import annotations

from collections import defaultdict

from checks._people import Signer, fmt_pages, iter_signers
from checks.base import Ctx, check

# (record, role a, role b, indicator): two signatures that must be different people
DISTINCT = (
    ("detection_plan", "author", "reviewer", 40),
    ("sampling_record", "sampler", "checker", 41),
    ("sample_transfer", "sender", "receiver", 49),
    ("report", "author", "reviewer", 67),
    ("lab_analysis", "analyst", "reviewer", 69),
    ("data_calculation", "calculator", "checker", 73),
)


@check("i040_distinct_signers", indicators=[40, 41, 49, 67, 69, 73], needs=[])
def distinct_signers(ctx: Ctx):
    """No one signs two roles on one record that must be two different people."""
    by_group: dict[tuple, list[Signer]] = defaultdict(list)
    for s in iter_signers(ctx.records):
        if s.val.ok:
            by_group[(s.record, s.group)].append(s)
    hits: dict[tuple, list] = defaultdict(list)
    for (record, group), ss in by_group.items():
        for rec, ra, rb, ind in DISTINCT:
            if rec != record:
                continue
            a = [s for s in ss if s.role == ra]
            b = [s for s in ss if s.role == rb]
            for sa in a:
                for sb in b:
                    same = str(sa.val.value) == str(sb.val.value)
                    # the same box read for both roles is an extraction artefact, not two signatures
                    if same and sa.val.bbox != sb.val.bbox:
                        hits[(rec, ra, rb, ind, str(sa.val.value))].append((sa, sb))
    for (rec, ra, rb, ind, name), pairs in hits.items():
        sa, sb = pairs[0]
        pages = [p for x, y in pairs for p in (x.val.page, y.val.page)]
        yield ctx.finding(
            "signatures.same_person_two_roles", ind,
            f"{sa.record_zh}（第{fmt_pages(pages)}页）中{name}同时以{sa.role_zh}和{sb.role_zh}身份签字，"
            f"两者应由不同人员担任",
            [v for x, y in pairs[:3] for v in (x.val, y.val)], pages=pages)
