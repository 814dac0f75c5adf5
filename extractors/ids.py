"""Sample ids (样品编号): learn the bundle's id pattern, then find ids anywhere.

Institutions number samples their own way (``S22061407``, ``WA-2206-001``,
``ZJ220614-007``, ``22061407``, ``22-RK-081012`` …). The pattern is learned from the
values of the sampling record's id column: the majority *shape* (runs of letters,
digits and separators) plus the prefix at least 80 % of the ids share. Searching with
that pattern is OCR-tolerant, because scans garble ids in a few recurring ways:

- single spaces inside an id;
- look-alike characters in digit positions (``O/o/D/Q`` for 0, ``l/I/|`` for 1,
  ``S/s`` for 5, ``B`` for 8) and in a constant letter prefix (``5``/``$`` for ``S``);
- a separator of the pattern read as another separator (``:``, ``~``, ``.``, a dash
  variant) or dropped (``HA:2203-017``, ``22-QM~082404``, ``HA2203-017``);
- one stray separator inside the id (``HA-2209-01-3``), except for all-digit ids,
  where a separated digit group is as likely a date or a phone number;
- in a constant letter prefix of two or more letters, the wrong case or one wrong
  letter (``22-jX-…``, ``22-IX-…`` for ``22-JX-…``).

Whatever was read, the canonical id is rebuilt along the learned shape, so every
variant of one id compares equal.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

_TOKEN = re.compile(r"[A-Za-z]+|\d+|[-_]")
# Any plausible id before a pattern is known: optional letters, ≥5 digits overall.
# Each repeated part starts with a dash or a letter, so a run of digits splits one way
# only: with every part optional ("-?[A-Z]{0,4}-?\d+") a long number that fails the
# match backtracks exponentially (34 s for 18 digits; a family-B id hung a bundle).
_GENERIC = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{0,4}-?\d{2,}(?:(?:-[A-Z]{0,4}-?|[A-Z]{1,4}-?)\d+)*)(?![0-9A-Za-z])")
_DIGIT_CONF = {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
               "S": "5", "s": "5", "B": "8"}
_DIGIT_CLASS = "[0-9" + re.escape("".join(_DIGIT_CONF)) + "]"
# what OCR makes of a separator (a dash read as a colon, a tilde, a dot, a long dash)
_SEPS = "-‐‑‒–—―~～_:：.·・"
_SEP_CLASS = "[" + re.escape(_SEPS) + "]"
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
    # leading letter runs the ids use when they differ (per-factor prefixes FC…, HX…):
    # a match must start with one of them (one letter off for OCR); empty: any
    heads: tuple[str, ...] = ()

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

    @property
    def all_digits(self) -> bool:
        return all(kind == "d" for kind, _ in self.shape)

    def _tolerant(self) -> re.Pattern[str]:
        # one character class per id character, any separator junk allowed between them;
        # _canon then decides whether what was read is a plausible reading of an id
        chars = []
        li = 0
        for kind, v in self.shape:
            if kind == "d":
                chars += [_DIGIT_CLASS] * v
            elif kind == "a":
                lit = self.letters[li]
                li += 1
                for k in range(v):
                    look = _LETTER_CONF.get(lit[k], "") if lit else ""
                    cls = "[A-Za-z" + re.escape(look) + "]"
                    # OCR drops the first letter of a constant prefix ("J220028" for
                    # "TJ220028"); _canon restores it
                    chars.append(cls + "?" if (not chars and lit and len(lit) >= 2 and k == 0) else cls)
        gap = r"\s?" if self.all_digits else r"[\s" + re.escape(_SEPS) + r"]{0,3}"
        body = gap.join(chars)
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
            if cand is not None and cand.startswith(self.prefix) and self._head_ok(cand):
                out.append((cand, m.span(1)))
                pos = m.end()
            else:
                pos = m.start() + 1
        return out

    def _head_ok(self, cand: str) -> bool:
        if not self.heads:
            return True
        m = re.match(r"[A-Za-z]+", cand)
        head = m.group(0) if m else ""
        return any(len(h) == len(head) and sum(a != b for a, b in zip(h, head)) <= (1 if len(h) >= 2 else 0)
                   for h in self.heads)

    def _canon(self, raw: str) -> Optional[str]:
        """The id ``raw`` is a reading of, rebuilt along the shape; None if it is not one."""
        got = self._canon_exact(raw)
        if got is None and self.shape and self.shape[0][0] == "a" and len(self.letters[0]) >= 2:
            got = self._canon_exact(self.letters[0][0] + raw.lstrip())
        return got

    def _canon_exact(self, raw: str) -> Optional[str]:
        s = re.sub(r"\s", "", raw)
        seps = set(_SEPS)
        stray_budget = 0 if self.all_digits else 1
        out: list[str] = []
        i, li = 0, 0

        def skip_stray() -> bool:
            nonlocal i, stray_budget
            if i < len(s) and s[i] in seps:
                if stray_budget <= 0:
                    return False
                stray_budget -= 1
                i += 1
            return True

        for n, (kind, v) in enumerate(self.shape):
            if kind == "s":
                if i < len(s) and s[i] in seps:
                    i += 1  # the separator, as whatever OCR made of it (or dropped)
                out.append(v)
                continue
            if n > 0 and not skip_stray():
                return None  # a separator where the pattern has none (or a doubled one)
            seg = ""
            while len(seg) < v:
                if i >= len(s):
                    return None
                if seg and s[i] in seps:
                    if not skip_stray():
                        return None
                    continue
                seg += s[i]
                i += 1
            if kind == "a":
                lit = self.letters[li]
                li += 1
                if lit:
                    wrong = 0
                    for a, b in zip(seg, lit):
                        if a.upper() == b or a in _LETTER_CONF.get(b, ""):
                            continue
                        if not a.isalpha():
                            return None
                        wrong += 1
                    # a long constant prefix survives one misread letter; a 1-letter one cannot
                    if wrong > (1 if len(lit) >= 2 else 0):
                        return None
                    seg = lit
                if not seg.isalpha():
                    return None
                out.append(seg.upper())
            else:
                seg = "".join(_DIGIT_CONF.get(ch, ch) for ch in seg)
                if not seg.isdigit():
                    return None
                out.append(seg)
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
            letters.append(_constant_run([_run(m, best_shape, idx) for m in members]))
        idx += 1
    prefix = _shared_prefix(members, 0.8)
    heads: tuple[str, ...] = ()
    if best_shape and best_shape[0][0] == "a" and not letters[0]:
        # the leading letters differ between ids (per-factor prefixes FC…, HX…): a prefix
        # most ids share is one scheme's, not the bundle's; ids of the others must match
        # too, and only they (never a project number of the same shape, XM-220796)
        prefix = ""
        heads = tuple(sorted({_run(m, best_shape, 0) for m in members}))
    # a prefix must not cut into a digit run the sequence counts through: keep it
    # only up to the last fully shared digit — already guaranteed by the 80 % rule.
    return IdPattern(best_shape, prefix, tuple(letters), tuple(sorted(set(members))[:5]), heads)


def _constant_run(runs: Sequence[str]) -> str:
    """A letter run's literal: the run at least 80 % of the ids share, when every other
    run is one letter away from it (an OCR slip such as ``JJ`` for ``TJ``, not a second
    numbering scheme); else "" (any letters)."""
    if not runs:
        return ""
    best, n = Counter(runs).most_common(1)[0]
    if n < 0.8 * len(runs):
        return ""
    for r in set(runs) - {best}:
        if len(best) < 2 or len(r) != len(best) or sum(a != b for a, b in zip(r, best)) > 1:
            return ""
    return best


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
