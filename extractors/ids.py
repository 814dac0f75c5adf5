"""Sample ids (样品编号): learn the bundle's id pattern, then find ids anywhere.

Institutions number samples their own way (``S22061407``, ``WA-2206-001``,
``ZJ220614-007``, ``22061407``, ``22-RK-081012`` …). The pattern is learned from the
values of the sampling record's id column: the majority *shape* (runs of letters,
digits and separators) plus the prefix at least 80 % of the ids share. Searching with
that pattern is OCR-tolerant: single spaces inside an id, ``O/o`` read for 0 and
``l/I/|`` read for 1 in digit positions.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

_TOKEN = re.compile(r"[A-Za-z]+|\d+|[-_]")
# Any plausible id before a pattern is known: optional letters, ≥5 digits overall.
_GENERIC = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{0,4}-?\d{2,}(?:-?[A-Z]{0,4}-?\d+)*)(?![0-9A-Za-z])")
_DIGIT_CONF = {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1"}
# Letters of a literal prefix that OCR reads as look-alike digits/symbols (S→5/$, O→0 ...)
_LETTER_CONF = {"S": "5$s", "O": "0oQD", "I": "1l|", "Z": "2", "B": "8", "G": "6C", "T": "7", "C": "G(", "K": "X"}


def canonical(raw: str) -> str:
    """Id text without spaces or trailing punctuation, upper-case letters."""
    return re.sub(r"[\s.·,，;；:：]+", "", raw or "").upper()


def generic_id(text: str) -> Optional[str]:
    """A cell's text if it looks like *some* sample id (≥5 digits, optional letters)."""
    t = canonical(text)
    if t.startswith("$"):
        t = "S" + t[1:]  # OCR reads a leading S as $
    m = _GENERIC.fullmatch(t)
    if not m:
        return None
    if sum(ch.isdigit() for ch in t) < 5 or len(t) > 20:
        return None
    if re.fullmatch(r"(19|20)\d{2}-\d{1,2}-\d{1,2}", t):  # a date
        return None
    return t


def shape(sid: str) -> tuple:
    out = []
    for tok in _TOKEN.findall(sid):
        if tok.isdigit():
            out.append(("d", len(tok)))
        elif tok in "-_":
            out.append(("s", tok))
        else:
            out.append(("a", len(tok)))
    return tuple(out)


@dataclass(frozen=True)
class IdPattern:
    """A learned sample-id pattern (shape + shared prefix)."""

    shape: tuple
    prefix: str
    letters: tuple  # per letter-run: the literal if constant, else ""
    examples: tuple[str, ...] = ()

    @property
    def regex(self) -> str:
        parts = []
        li = 0
        for kind, v in self.shape:
            if kind == "d":
                parts.append(rf"\d{{{v}}}")
            elif kind == "s":
                parts.append(re.escape(v))
            else:
                lit = self.letters[li]
                parts.append(re.escape(lit) if lit else f"[A-Z]{{{v}}}")
                li += 1
        return "".join(parts)

    def _tolerant(self) -> re.Pattern[str]:
        parts = []
        li = 0
        for kind, v in self.shape:
            if kind == "d":
                parts.append(r"\s?".join([r"[0-9OoIl|QD]"] * v))
            elif kind == "s":
                parts.append(r"\s?" + re.escape(v) + r"\s?")
            else:
                lit = self.letters[li]
                li += 1
                if lit:
                    parts.append(r"\s?".join("[" + re.escape(ch + _LETTER_CONF.get(ch, "")) + "]" for ch in lit))
                else:
                    parts.append(r"\s?".join(["[A-Za-z]"] * v))
        body = r"\s?".join(parts)
        return re.compile(rf"(?<![A-Za-z0-9])({body})(?![0-9A-Za-z])")

    def match(self, text: str) -> Optional[str]:
        """Canonical id if the whole ``text`` is one id of this pattern."""
        found = self.find(text)
        if len(found) == 1 and len(canonical(text)) <= len(found[0][0]) + 2:
            return found[0][0]
        return None

    def find(self, text: str) -> list[tuple[str, tuple[int, int]]]:
        """Every id in ``text`` (canonical form, span)."""
        if not text:
            return []
        rx = _tolerant_cache.get(self)
        if rx is None:
            rx = self._tolerant()
            _tolerant_cache[self] = rx
        out = []
        pos = 0
        while pos < len(text):
            m = rx.search(text, pos)
            if not m:
                break
            cand = self._canon(m.group(1))
            if cand is not None and cand.startswith(self.prefix):
                out.append((cand, m.span(1)))
                pos = m.end()
            else:
                pos = m.start() + 1
        return out

    def _canon(self, raw: str) -> Optional[str]:
        s = re.sub(r"\s", "", raw)
        # rebuild along the shape: letter runs stay letters, digit runs get O→0, l/I→1
        out, i, li = [], 0, 0
        for kind, v in self.shape:
            if kind == "a":
                seg = s[i:i + v]
                lit = self.letters[li]
                li += 1
                if lit and len(seg) == v and all(a == b or a in _LETTER_CONF.get(b, "") for a, b in zip(seg, lit)):
                    seg = lit  # a look-alike of the literal prefix (5/$ for S)
                if not seg.isalpha():
                    return None
                out.append(seg.upper())
                i += v
            elif kind == "s":
                if s[i:i + 1] != v:
                    return None
                out.append(v)
                i += 1
            else:
                seg = s[i:i + v]
                seg = "".join(_DIGIT_CONF.get(ch, ch) for ch in seg)
                if not seg.isdigit() or len(seg) != v:
                    return None
                out.append(seg)
                i += v
        if i != len(s):
            return None
        return "".join(out)


_tolerant_cache: dict = {}


def learn_pattern(ids: Iterable[str]) -> Optional[IdPattern]:
    """Learn the id pattern from an id column's values (None when there are too few)."""
    vals = [canonical(v) for v in ids if v and generic_id(v)]
    if not vals:
        return None
    shapes = Counter(shape(v) for v in vals)
    best_shape, n = shapes.most_common(1)[0]
    members = [v for v in vals if shape(v) == best_shape]
    # letters: literal when constant across members
    letters = []
    idx = 0
    for kind, v in best_shape:
        if kind == "a":
            runs = {_run(m, best_shape, idx) for m in members}
            letters.append(runs.pop() if len(runs) == 1 else "")
        idx += 1
    prefix = _shared_prefix(members, 0.8)
    # a prefix must not cut into a digit run the sequence counts through: keep it
    # only up to the last fully shared digit — already guaranteed by the 80 % rule.
    return IdPattern(best_shape, prefix, tuple(letters), tuple(sorted(set(members))[:5]))


def _run(sid: str, shp: tuple, idx: int) -> str:
    toks = _TOKEN.findall(sid)
    return toks[idx] if idx < len(toks) else ""


def _shared_prefix(vals: Sequence[str], share: float) -> str:
    if not vals:
        return ""
    best = ""
    for L in range(1, min(len(v) for v in vals) + 1):
        c = Counter(v[:L] for v in vals)
        p, n = c.most_common(1)[0]
        if n >= share * len(vals):
            best = p
        else:
            break
    # never swallow the whole id (a one-sample bundle): leave the last 2 characters free
    shortest = min(len(v) for v in vals)
    return best[: max(0, shortest - 2)]
