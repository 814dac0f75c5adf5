"""The 96-item checklist of attachment 3 (附件3《职业卫生技术服务机构质量监测检查表》), as data.

The wording is transcribed verbatim into ``checks/data/checklist.json`` (shipped as
package data), so nothing here depends on the source document being present at run
time. Attachment 3's rules, which the data encodes:

- ★ marks a veto item (否决项): judged 符合/不符合, never scored (``points`` is None);
- a scored item worth 1.5 points is a key item (关键项), one worth 1.0 a general item
  (一般项); attachment 4 counts 18 veto, 44 key (66 points), 34 general (34 points);
- items 5, 31, 34, 36, 46, 59, 65, 74 are the plan's 8 重点指标 (``key_indicator``),
  a separate notion used in the risk assessment, not a weight.

Where the source is inconsistent (item 87: worth 1.5 but its method says "1.0分扣完为止")
the item carries a ``note`` saying so rather than silently picking one reading.

Each item also says where its evidence lies (``evidence``, decided item by item from its
text and method): ``bundle`` (the report and process materials can show it),
``site_visit`` (only a visit to the institution or the employer settles it),
``lab_visit`` (a visit to the institution's laboratory), ``online_lookup`` (the
regulator's records or the institution's website), or ``no_domain_rule`` (the bundle
shows it, but a standard value the rule needs is missing or unverified in the domain
files). ``evidence_note`` is the one-line Chinese reason experts read; a ``bundle`` item
may carry one too, naming the part only a visit can settle. Which *check* covers an
item is not data: ``checks/coverage.py`` reads it from the check registry.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Literal, Mapping, Optional

Weight = Literal["veto", "key", "general"]
EvidenceKind = Literal["bundle", "site_visit", "lab_visit", "online_lookup", "no_domain_rule"]
EVIDENCE_KINDS: tuple[str, ...] = ("bundle", "site_visit", "lab_visit", "online_lookup", "no_domain_rule")

_DATA = "data/checklist.json"
_POINTS = {"key": 1.5, "general": 1.0}


@dataclass(frozen=True)
class Item:
    no: int
    part: int
    part_name: str
    category: str
    text: str
    method: str
    points: Optional[float]
    veto: bool
    weight: Weight
    key_indicator: bool = False
    note: Optional[str] = None
    evidence: EvidenceKind = "bundle"
    evidence_note: Optional[str] = None

    @property
    def label(self) -> str:
        """How experts cite it: ``(94)现场采集的样品是否全部进行实验室分析。★``."""
        return f"({self.no}){self.text}{'★' if self.veto else ''}"


@dataclass(frozen=True)
class Totals:
    """Attachment-4 style counts for one part (or the whole checklist)."""

    veto: int = 0
    key: int = 0
    key_points: float = 0.0
    general: int = 0
    general_points: float = 0.0

    @property
    def items(self) -> int:
        return self.veto + self.key + self.general

    @property
    def scored(self) -> int:
        return self.key + self.general

    @property
    def max_points(self) -> float:
        return self.key_points + self.general_points

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.veto + other.veto, self.key + other.key, self.key_points + other.key_points,
                      self.general + other.general, self.general_points + other.general_points)


def _read() -> dict:
    # importlib.resources finds the file both in a checkout and in an installed wheel.
    return json.loads(resources.files("checks").joinpath(_DATA).read_text(encoding="utf-8"))


def _validate(items: tuple[Item, ...], parts: Mapping[int, str], kinds: Mapping[str, str]) -> None:
    """Refuse a corrupt data file at import instead of mis-flagging veto items later."""
    if set(kinds) != set(EVIDENCE_KINDS) or not all(isinstance(v, str) and v for v in kinds.values()):
        raise ValueError(f"{_DATA}: evidence_kinds must name exactly {EVIDENCE_KINDS}, got {sorted(kinds)}")
    nos = [it.no for it in items]
    if sorted(nos) != list(range(1, len(nos) + 1)) or len(nos) != 96:
        raise ValueError(f"{_DATA}: item numbers must be 1..96 exactly once, got {len(nos)} items")
    for it in items:
        if it.part not in parts or parts[it.part] != it.part_name:
            raise ValueError(f"{_DATA}: item {it.no} has unknown part {it.part} / {it.part_name!r}")
        if it.veto != (it.weight == "veto") or it.veto != (it.points is None):
            raise ValueError(f"{_DATA}: item {it.no}: veto, weight and points disagree")
        if not it.veto and it.points != _POINTS[it.weight]:
            raise ValueError(f"{_DATA}: item {it.no}: {it.weight} item worth {it.points}")
        if not (it.text and it.method and it.category):
            raise ValueError(f"{_DATA}: item {it.no} lacks text, method or category")
        if it.evidence not in EVIDENCE_KINDS:
            raise ValueError(f"{_DATA}: item {it.no}: unknown evidence kind {it.evidence!r}")
        if it.evidence_note is not None and not (isinstance(it.evidence_note, str) and it.evidence_note.strip()):
            raise ValueError(f"{_DATA}: item {it.no}: evidence_note must be text or null")
        if it.evidence != "bundle" and not it.evidence_note:
            raise ValueError(f"{_DATA}: item {it.no}: a {it.evidence} item needs its evidence_note (the reason)")


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Item, ...], Mapping[int, str], dict]:
    doc = _read()
    parts = MappingProxyType({int(p["part"]): p["name"] for p in doc["parts"]})
    for d in doc["items"]:
        # the defaults on Item are for code that builds one by hand; the data states both
        if not {"evidence", "evidence_note"} <= d.keys():
            raise ValueError(f"{_DATA}: item {d.get('no')} lacks evidence or evidence_note")
    items = tuple(sorted((Item(**d) for d in doc["items"]), key=lambda it: it.no))
    kinds = MappingProxyType(dict(doc.get("evidence_kinds") or {}))
    _validate(items, parts, kinds)
    meta = {k: v for k, v in doc.items() if k not in ("items", "parts")}
    return items, parts, meta


ITEMS: tuple[Item, ...]
PARTS: Mapping[int, str]
ITEMS, PARTS, META = _load()
_BY_NO: Mapping[int, Item] = MappingProxyType({it.no: it for it in ITEMS})

KEY_INDICATORS: tuple[int, ...] = tuple(it.no for it in ITEMS if it.key_indicator)
#: evidence kind → how experts name it (需现场核查, …), from the data file
EVIDENCE_NAMES_ZH: Mapping[str, str] = MappingProxyType(dict(META["evidence_kinds"]))


def item(no: int) -> Item:
    """The checklist item numbered ``no`` (1–96); ``KeyError`` for any other number."""
    if isinstance(no, bool) or not isinstance(no, int):
        raise KeyError(no)
    return _BY_NO[no]


def items_of(part: int) -> tuple[Item, ...]:
    if part not in PARTS:
        raise KeyError(part)
    return tuple(it for it in ITEMS if it.part == part)


def _count(items) -> Totals:
    t = Totals()
    for it in items:
        if it.weight == "veto":
            t += Totals(veto=1)
        elif it.weight == "key":
            t += Totals(key=1, key_points=it.points)
        else:
            t += Totals(general=1, general_points=it.points)
    return t


def totals() -> dict[int, Totals]:
    """Per-part counts, keyed by part number (1, 2, 3), as attachment 4 lists them."""
    return {p: _count(items_of(p)) for p in PARTS}


def grand_total() -> Totals:
    """Counts over the whole checklist (attachment 4's 得分 row)."""
    return _count(ITEMS)
