"""Indicator 63: legal units of measurement in the report's result tables.

Attachment 3, item (63)：“数据修约准确，采用法定计量单位。”
检查方法：“查阅检测报告和检测原始记录，核实数据修约准确性和是否为法定计量单位，发现1处错误的扣0.2分。”

This module checks the second half ("采用法定计量单位") on the report's result tables:
the ``unit`` the report extractor reads for every results row (from the value cell,
the column header or the table caption, see ``extractors/forms/report.py``).

``report.illegal_unit``: the unit printed for a quantity is not a unit of that quantity:

- air concentrations of chemicals and dusts: GBZ 2.1-2019 states every limit in
  mg/m³ (asbestos and man-made mineral fibre counts also in f/mL, dioxins in
  pgTEQ/m³; the ``unit`` column of ``shared/domain``'s limit CSVs, copied to
  ``checks/data``), and the domain's unit convention is mg/m³ (``sampling_rules.json``
  ``_meta.units``, README §6 ``C (mg/m³) = m (µg) / V (L)``). A volume fraction
  (ppm, ppb) is no legal unit at all, and a per-litre concentration (mg/L, the unit of a
  solution) or a unit of another quantity (dB, kV/m …) printed for an air concentration
  is wrong. Another mass-per-cubic-metre unit (μg/m³) is legal and is not flagged; a
  unit whose legality the domain does not settle (mg/Nm³, anything unrecognised) is not
  flagged either.
- noise: GBZ 2.2-2007 states L_EX,8h / L_EX,40h limits in dB(A) (domain README §2).
  dB(A), dB and 分贝 pass; a C-weighted level (dB(C)) or a unit of another quantity does not.

A row's quantity is known from its factor (噪声 by name; a chemical or dust when the
name matches a GBZ 2.1 CSV row exactly), or, for a factor the CSVs do not name, from a
printed C_TWA / C_STE or PC-TWA / PC-STEL value (an air concentration by definition).
A row whose quantity is unknown (a physical factor such as 工频电场 in a results table)
is flagged only for a unit that is legal for no quantity (ppm).

Typesetting and OCR renderings of the same unit are the same unit: ``mg/m3``,
``mg/m 3``, ``mg／m³``, ``mg/M³``, ``㎎/m³``, ``mg/m³3`` (a doubled superscript),
``mg/m²`` and ``mg/m`` (a misread or lost superscript), ``dB (A)``, ``dB（A）``, ``dBA``.

A unit of another quantity (dB on a chemical, mg/m³ on noise) is only raised when it
was read on the table itself, not inherited by a 续表 or taken from the previous page's
caption: there it most likely belongs to another table.

A group of rows (air results, noise) whose unit could not be read on any row is a
``check.cannot_decide``: otherwise the item would pass unchecked. A single table without
a unit next to tables with one is left alone (most often a caption the extractor could
not parse, not a missing unit). The rounding half of item 63 is not checked here.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from checks._shared_lab import match_limits
from checks.base import Ctx, check
from extractors.records import Row, Val

# unit classes (quantities)
MASS_AIR = "mass_air"  # mass per cubic metre of air
FIBRE = "fibre"  # fibre count per volume
LIQUID = "liquid"  # mass per litre / millilitre: a solution's concentration
FRACTION = "fraction"  # ppm / ppb: no legal unit
SOUND_A = "sound_a"
SOUND_C = "sound_c"
SOUND = "sound"  # dB without a weighting
FIELD = "field"  # electric / magnetic field, radiation power density

_CLASS_RX: tuple[tuple[str, re.Pattern[str]], ...] = (
    # the cube may come out as 3, ², 2, doubled (m33) or be lost (mg/m)
    (MASS_AIR, re.compile(r"(?:[pnμm]?g)(?:teq)?(?:/m[32]*|·m-3)")),
    (FIBRE, re.compile(r"(?:f|根|纤维)/(?:ml|cm[32]*|cc)")),
    (LIQUID, re.compile(r"[pnμm]?g/m?l")),
    (FRACTION, re.compile(r"pp[mbt]v?")),
    (SOUND_A, re.compile(r"d[b8]\(a\)|d[b8]a")),
    (SOUND_C, re.compile(r"d[b8]\(c\)|d[b8]c")),
    (SOUND, re.compile(r"d[b8]")),
    (FIELD, re.compile(r"k?v/m|[μm]t|[μm]?w/(?:c?m)[32]*")),
)

_CN_UNITS = (
    ("毫克每立方米", "mg/m3"), ("毫克/立方米", "mg/m3"), ("微克每立方米", "μg/m3"), ("微克/立方米", "μg/m3"),
    ("毫克每升", "mg/l"), ("毫克/升", "mg/l"), ("分贝", "db"), ("立方米", "m3"), ("毫升", "ml"),
)

# what the message says each class is
_WHAT = {
    MASS_AIR: "空气中质量浓度单位",
    FIBRE: "纤维计数浓度单位",
    LIQUID: "液体（溶液）浓度单位，不是工作场所空气中有害物质浓度的单位",
    FRACTION: "体积分数的表示，不属于法定计量单位",
    SOUND_A: "A计权声级单位",
    SOUND_C: "C计权声级单位",
    SOUND: "声级单位",
    FIELD: "电磁场或辐射量的单位",
}
_UNIT_OF_CLASS = {MASS_AIR: "mg/m³", FIBRE: "f/mL", SOUND_A: "dB(A)"}

NOISE_WORDS = ("噪声", "噪音")
# a unit of another quantity (dB on a chemical, mg/m³ on noise) is far more likely a
# caption of another table picked up from the previous page or a 续表's inherited unit
# (confidence 0.75 / 0.7 from the extractor) than a printed error: only a unit read on
# the table itself (header, same-page caption, cell) may raise it
SURE_OF_PLACE = 0.85


def canon_unit(text: Optional[str]) -> str:
    """A printed unit in one spelling: compatibility forms folded (㎎ → mg, ／ → /,
    ³ → 3, µ → μ), spaces dropped, lower case, brackets made round, Chinese names
    replaced by symbols."""
    t = unicodedata.normalize("NFKC", str(text or ""))
    t = re.sub(r"\s+", "", t).lower()
    t = t.translate(str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")"}))
    for cn, sym in _CN_UNITS:
        t = t.replace(cn, sym)
    t = re.sub(r"(?<![a-zμ])ug", "μg", t)
    t = t.replace("^", "").replace("⁻", "-").replace("−", "-")
    return t


def unit_class(text: Optional[str]) -> Optional[str]:
    """The quantity class of a printed unit, None when it is not one this check knows
    (no flag can then rest on it)."""
    t = canon_unit(text)
    if not t:
        return None
    for cls, rx in _CLASS_RX:
        if rx.fullmatch(t):
            return cls
    return None


def _expected_air(r: Row) -> Optional[tuple[set[str], Optional[str], tuple[str, ...]]]:
    """(allowed classes, the GBZ 2.1 factor name when they come from its limit rows, the
    GBZ units) for a results row that is an air concentration; None when the row's
    quantity is unknown."""
    fac = r.get("factor")
    name = str(fac.value) if fac.ok and fac.conf >= 0.5 else ""
    m = match_limits(name) if name else None
    if m is not None and m.how == "exact":
        classes = {unit_class(x.unit) for x in m.rows} & {MASS_AIR, FIBRE}
        if classes:
            return classes, name, tuple(dict.fromkeys(x.unit for x in m.rows if x.unit))
    if any(r.get(k).ok for k in ("c_twa", "c_stel", "limit_twa", "limit_stel")):
        return {MASS_AIR, FIBRE}, None, ()
    return None


def _is_noise(r: Row) -> bool:
    fac = r.value("factor")
    return bool(fac) and any(w in str(fac) for w in NOISE_WORDS)


_NOISE_RULE = "噪声 L_Aeq、L_EX,8h 为A计权声级，GBZ 2.2-2007 限值为 85 dB(A)"


def _problem(cls: Optional[str], allowed: Optional[set[str]]) -> bool:
    """Whether a printed unit of class ``cls`` is wrong for a row allowing ``allowed``
    (None: quantity unknown, only a unit legal for nothing is wrong)."""
    if cls is None:
        return False
    if cls == FRACTION:
        return True
    return allowed is not None and cls not in allowed


def _where(rows: list[Row]) -> str:
    names = list(dict.fromkeys(str(r.value("factor") or r.value("post") or "") for r in rows))
    names = [n for n in names if n]
    shown = "、".join(names[:4]) + ("等" if len(names) > 4 else "")
    return f"（涉及 {shown}，共{len(rows)}行）" if shown else f"（共{len(rows)}行）"


@check("i063_units", indicators=[63], needs=["report"])
def illegal_unit(ctx: Ctx):
    """Units printed for the report's air concentrations and noise levels."""
    rep = ctx.records.report
    # one finding per unit as printed (a table's caption or header, or one cell)
    groups: dict[tuple, dict] = {}
    seen = {"air": [0, []], "noise": [0, []], "other": [0, []]}  # rows with a readable unit, rows without

    def consider(r: Row, kind: str, allowed: Optional[set[str]], gbz: Optional[str] = None, units=()):
        uv = r.get("unit")
        if not uv.ok:
            seen[kind][1].append(r)
            return
        seen[kind][0] += 1
        if uv.conf < 0.5:
            return
        cls = unit_class(uv.value)
        if not _problem(cls, allowed):
            return
        if cls not in (FRACTION, LIQUID) and uv.conf < SURE_OF_PLACE:
            return  # a unit of another quantity carried over from another page's caption
        key = (canon_unit(uv.value), uv.page, tuple(uv.bbox or ()), kind)
        g = groups.setdefault(key, {"unit": uv, "cls": cls, "kind": kind, "rows": [], "gbz": {}, "generic": False,
                                    "allowed": set()})
        g["rows"].append(r)
        g["allowed"] |= allowed or set()
        if gbz:
            g["gbz"].setdefault(gbz, units)
        else:
            g["generic"] = True

    for r in rep.results:
        if _is_noise(r):
            consider(r, "noise", {SOUND_A, SOUND})
            continue
        exp = _expected_air(r)
        if exp is None:
            consider(r, "other", None)
        else:
            consider(r, "air", *exp)
    for r in rep.noise:
        consider(r, "noise", {SOUND_A, SOUND})

    for g in groups.values():
        uv: Val = g["unit"]
        rows: list[Row] = g["rows"]
        src = re.sub(r"\s+", " ", uv.raw or "").strip()
        src = f"“{src[:40]}”" if src and canon_unit(src) != canon_unit(uv.value) else ""
        if g["kind"] == "noise":
            tail = f"；{_NOISE_RULE}，应为 dB(A)"
        elif g["kind"] == "air":
            want = "或".join(_UNIT_OF_CLASS[c] for c in (MASS_AIR, FIBRE) if c in g["allowed"])
            if g["gbz"] and not g["generic"]:
                units = "、".join(dict.fromkeys(u for us in g["gbz"].values() for u in us))
                rule = f"GBZ 2.1-2019 中{'、'.join(g['gbz'])}的职业接触限值以 {units} 表示"
                want = units.replace("、", "或")
            else:
                rule = "工作场所空气中有害物质浓度（C_TWA、C_STE 及 GBZ 2.1-2019 职业接触限值）以 mg/m³（纤维计数为 f/mL）表示"
            tail = f"；{rule}，应为 {want}"
        else:
            tail = "；应采用法定计量单位"
        yield ctx.finding(
            "report.illegal_unit", 63,
            f"检测报告第{uv.page}页{src}所印计量单位为“{uv.value}”，为{_WHAT[g['cls']]}{tail}{_where(rows)}",
            [uv] + rows[:3], pages=[uv.page])

    for kind, what in (("air", "检测报告化学有害因素/粉尘检测结果的计量单位"), ("noise", "检测报告噪声检测结果的计量单位")):
        read, unread = seen[kind]
        if unread and not read:
            yield ctx.cannot_decide(63, what, why="结果表的表头、表题及数值中均未识别出计量单位",
                                    pages=[r.page for r in unread if r.page])
