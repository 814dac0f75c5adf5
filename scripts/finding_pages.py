"""Check that each finding's ``pages`` cover the pages its message names.

    python scripts/finding_pages.py OUT [OUT ...]

``OUT`` is what ``bundlecheck run`` wrote (``<folder>/findings.json``). For every finding
the pages its Chinese message names (第3、5页, 第3-5页: ``tests.message_pages``) must be
among its ``pages`` (the data its maker gave, with its evidence pages), and should equal
its ``message_pages`` (what the checklist reads to decide whether to cite the evidence).
Prints each finding that misses a page, and the counts; exits 1 when any page is missing.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.message_pages import pages_named  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outs", nargs="+", type=Path)
    args = ap.parse_args(argv)
    total = missing = differ = 0
    by_code: Counter = Counter()
    for out in args.outs:
        for f in sorted(out.glob("*/findings.json")):
            data = json.loads(f.read_text(encoding="utf-8"))
            for x in data.get("findings") or []:
                total += 1
                named = set(pages_named(x.get("message") or ""))
                lost = named - set(x.get("pages") or ())
                if lost:
                    missing += 1
                    by_code[x.get("code")] += 1
                    print(f"{f.parent.name} {x.get('code')}: pages {x.get('pages')} lack {sorted(lost)}: "
                          f"{(x.get('message') or '')[:120]}")
                if named != set(x.get("message_pages") or ()):
                    differ += 1
                    print(f"{f.parent.name} {x.get('code')}: message_pages {x.get('message_pages')} "
                          f"!= named {sorted(named)}: {(x.get('message') or '')[:120]}")
    print(f"{total} findings; {missing} name a page missing from pages"
          f"{' (' + ', '.join(f'{c} {n}' for c, n in by_code.most_common()) + ')' if by_code else ''}; "
          f"{differ} with message_pages != the pages named")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
