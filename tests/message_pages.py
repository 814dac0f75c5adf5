"""The page numbers a finding's Chinese message names, read off its text: for tests and
scripts/finding_pages.py only, to check that each finding's ``pages`` (data its maker gives)
cover what its message says. Nothing in the pipeline reads pages out of prose."""
from __future__ import annotations

import re

# 第3页, 第3、5页, 第3-5页, 第 3 至 5 页, 第7～8页
_PAGES_IN_TEXT = re.compile(r"第\s*([0-9][0-9、,，\s\-–—~～至]*)\s*页")


def pages_named(message: str) -> tuple[int, ...]:
    """The page numbers ``message`` names (``第3、5页``, ``第3-5页``), ascending."""
    out: set[int] = set()
    for m in _PAGES_IN_TEXT.finditer(message):
        for a, b in re.findall(r"(\d+)(?:\s*[-–—~～至]\s*(\d+))?", m.group(1)):
            lo, hi = int(a), int(b or a)
            if hi - lo < 1000:
                out.update(range(lo, hi + 1))
    return tuple(sorted(out))
