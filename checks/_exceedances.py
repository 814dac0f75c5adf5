"""Exceedances in the report's result tables and whether a statement names them: shared by
the prose checks i064 (conclusions), i065 (recommendations) and i066 (cause analyses).

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).

An exceedance is a result row the report itself judges over its limit (不合格 / 超标 /
不符合 in its judgement column), or, where no judgement was read, whose printed value is
above its printed limit. A row judged compliant over a value that exceeds is item 62's
finding (``report.judgement_wrong``), not these: the report's prose is held to the
report's own judgements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from checks._shared_lab import judged_over, num, printed
from extractors.prose import covered_by_class, factor_key, place_key, post_key
from extractors.records import Mention, ReportRecord, Row, Statement, Val

NOISE_LIMIT_DBA = 85.0  # GBZ 2.2-2007 L_EX,8h, when the row prints no limit
PLACE_LABELS = ("POST", "SITE", "WORKSHOP")
# parts of the report whose headings prove its prose was found
PROSE_PARTS = ("conclusion", "recommendation", "conclusion_recommendation", "cause")


@dataclass(frozen=True)
class Exceedance:
    row: Row
    post: str
    workshop: str
    site: str
    factor: str
    detail: str  # the values compared, as printed
    judgement: Val
    hinge: tuple = field(default_factory=tuple)  # the Vals that show the exceedance

    @property
    def page(self) -> Optional[int]:
        return self.row.page

    @property
    def where(self) -> str:
        w = f"{self.workshop}{self.post}" if self.workshop and not self.post.startswith(self.workshop) else self.post
        return f"{w}（{self.site}）" if self.site else w

    def named_place(self, mentions: Iterable[Mention]) -> bool:
        """The mentions name this row's post or work site: by key, or — where the table's
        cells ran together ("制粉工铅粉机旁" read as the post) — a known post or site the
        row's post/site cell holds."""
        cells = place_key(self.post) + place_key(self.site)
        for m in mentions:
            if m.label == "POST" and self.post and m.key == post_key(self.post):
                return True
            if m.label == "SITE" and self.site and m.key == place_key(self.site):
                return True
            if m.label in ("POST", "SITE") and len(place_key(m.text)) >= 3 and place_key(m.text) in cells:
                return True
        return False

    def named_workshop(self, mentions: Iterable[Mention]) -> bool:
        return any(m.label == "WORKSHOP" and self.workshop and m.key == place_key(self.workshop) for m in mentions)

    def named_factor(self, mentions: Iterable[Mention], *, classes: bool = False) -> bool:
        """The mentions name this row's factor (its GBZ entry); with ``classes`` a kind of
        factor that covers it (粉尘 for a dust) counts too."""
        k = factor_key(self.factor)
        for m in mentions:
            if m.label == "FACTOR" and m.key == k:
                return True
            if classes and m.label == "FACTOR_CLASS" and covered_by_class(m.key, k):
                return True
        return False


def _s(v) -> str:
    return str(v) if isinstance(v, str) else ""


def exceedances(rep: ReportRecord) -> list[Exceedance]:
    """Every result row (chemical and noise) the report judges over its limit."""
    out: list[Exceedance] = []
    for r in rep.results:
        if not re.search(r"[\u4e00-\u9fffA-Za-z]", _s(r.value("factor"))):
            continue  # no factor name (a noise table's row read with the chemical columns: "90.5")
        jv = r.get("judgement")
        said = judged_over(jv.value if jv.ok else None)
        over = []
        unit = _s(r.value("unit")) or "mg/m³"
        for ckey, lkey, cname, lname in (("c_twa", "limit_twa", "C_TWA", "PC-TWA"),
                                         ("c_stel", "limit_stel", "C_STE/C_ME", "PC-STEL/MAC")):
            cv, lv = r.get(ckey), r.get(lkey)
            c, lim = num(cv), num(lv)
            if c is not None and lim is not None and c > lim and min(cv.conf, lv.conf) >= 0.5:
                over.append((f"{cname} {printed(cv)} {unit} 超过 {lname} {printed(lv)} {unit}", cv, lv))
        if said is False or (said is None and not over) or (said is None and jv.ok):
            continue
        detail = "；".join(d for d, _, _ in over)
        if said:
            detail = (detail + "，" if detail else "") + f"判定为“{jv.value}”"
        out.append(Exceedance(r, _s(r.value("post")), _s(r.value("workshop")), _s(r.value("site")),
                              _s(r.value("factor")), detail, jv,
                              tuple([jv] if said else []) + tuple(v for _, cv, lv in over for v in (cv, lv))))
    for r in rep.noise:
        jv = r.get("judgement")
        said = judged_over(jv.value if jv.ok else None)
        lv = r.get("lex8h")
        level = num(lv)
        lim = num(r.get("limit"))
        lim = lim if lim is not None else NOISE_LIMIT_DBA
        by_value = level is not None and level > lim and lv.conf >= 0.5
        if said is False or (said is None and not by_value) or (said is None and jv.ok):
            continue
        detail = f"L_EX,8h {printed(lv)} dB(A) 超过 {lim:g} dB(A)" if by_value else ""
        if said:
            detail = (detail + "，" if detail else "") + f"判定为“{jv.value}”"
        out.append(Exceedance(r, _s(r.value("post")), _s(r.value("workshop")), _s(r.value("site")), "噪声",
                              detail, jv, tuple([jv] if said else []) + ((lv,) if by_value else ())))
    return out


def by_post(exs: Sequence[Exceedance]) -> dict[str, list[Exceedance]]:
    """Exceedances grouped by post (their key), in table order; rows without a post read
    are left out (no post to name)."""
    out: dict[str, list[Exceedance]] = {}
    for e in exs:
        if e.post:
            out.setdefault(post_key(e.post), []).append(e)
    return out


def prose_headings(rep: ReportRecord, parts: Sequence[str] = PROSE_PARTS) -> list[Val]:
    """The headings of the report's prose passages of ``parts`` that were seen."""
    return [p.heading for p in rep.passages if p.part in parts and p.heading.ok]


def read_statements(rep: ReportRecord, parts: Sequence[str]) -> list[Statement]:
    return [s for s in rep.statements if s.part in parts]


def quote(s: Statement, n: int = 60) -> str:
    t = str(s.text.value or "")
    return t if len(t) <= n else t[:n] + "……"


def factors_of(exs: Sequence[Exceedance]) -> str:
    return "、".join(dict.fromkeys(e.factor for e in exs if e.factor))
