"""Compare two pipeline outputs finding by finding: the guard for behaviour-preserving moves.

    python scripts/compare_findings.py BEFORE_OUT AFTER_OUT [--ignore-messages]

Both folders are what ``bundlecheck run`` wrote (``<folder>/findings.json``). For each
bundle (matched by ``bundle_id``) it compares the sections, the sample ledger and the
findings (code, indicator, veto, message, evidence file/page/bbox/text), and prints
every finding present on one side only. Exits 1 when anything differs, so it can gate
a refactoring step; 0 when both outputs say the same.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load(out: Path) -> dict[str, dict]:
    res: dict[str, dict] = {}
    for f in sorted(out.glob("*/findings.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        res[data.get("bundle_id") or f.parent.name] = data
    return res


def finding_key(f: dict, ignore_messages: bool) -> tuple:
    ev = tuple(
        (e.get("file"), e.get("page"), tuple(round(x, 1) for x in e["bbox"]) if e.get("bbox") else None, e.get("text"))
        for e in f.get("evidence") or []
    )
    return (f.get("code"), f.get("indicator"), f.get("veto"), "" if ignore_messages else f.get("message"), ev)


def compare(before: dict[str, dict], after: dict[str, dict], ignore_messages: bool = False) -> list[str]:
    diffs: list[str] = []
    for bid in sorted(set(before) | set(after)):
        b, a = before.get(bid), after.get(bid)
        if b is None or a is None:
            diffs.append(f"{bid}: only in {'after' if b is None else 'before'}")
            continue
        for field in ("status", "sections", "samples"):
            if b.get(field) != a.get(field):
                diffs.append(f"{bid}: {field} differs")
        kb = [finding_key(f, ignore_messages) for f in b.get("findings") or []]
        ka = [finding_key(f, ignore_messages) for f in a.get("findings") or []]
        for k in kb:
            if k not in ka:
                diffs.append(f"{bid}: - {k[0]} #{k[1]} {k[3]}")
        for k in ka:
            if k not in kb:
                diffs.append(f"{bid}: + {k[0]} #{k[1]} {k[3]}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--ignore-messages", action="store_true", help="compare codes, indicators and evidence only")
    a = ap.parse_args(argv)
    before, after = load(a.before), load(a.after)
    diffs = compare(before, after, a.ignore_messages)
    n_b = sum(len(x.get("findings") or []) for x in before.values())
    n_a = sum(len(x.get("findings") or []) for x in after.values())
    for d in diffs:
        print(d)
    print(f"{len(before)} / {len(after)} bundles, {n_b} / {n_a} findings, {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
