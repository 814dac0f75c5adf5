"""The GBZ 159 sampling rules shipped with the checks (``checks/data/sampling_rules.json``,
a copy of ``shared/domain/sampling_rules.json``, kept equal by tests/checks/test_lab.py).

A rule's value is handed out only when the block holding it says ``"verified": true``:
anything else (partial, unverified, null) is None, and the check that asked says
"cannot decide" or stays silent instead of using a guess.

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Optional


@lru_cache(maxsize=1)
def sampling_rules() -> dict:
    return json.loads(resources.files("checks").joinpath("data", "sampling_rules.json").read_text(encoding="utf-8"))


def verified_rule(*path: str) -> Optional[Any]:
    """The value at ``path`` (keys from the top), when the nearest enclosing block that
    states ``verified`` states ``true``; None otherwise (or when the path is not there)."""
    node: Any = sampling_rules()
    verified = None
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        if "verified" in node:
            verified = node["verified"]
        node = node[key]
    if isinstance(node, dict) and "verified" in node:
        verified = node["verified"]
    return node if verified is True else None
