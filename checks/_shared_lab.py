"""Helpers shared by the lab / calculation / limit checks (i062, i068, i069, i073, i074, i094).

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).
Everything here is arithmetic on printed values and lookups in the GBZ 2.1-2019 limit
tables shipped in ``checks/data/`` (copies of ``shared/domain``); nothing is tuned to
one institution's layout.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from checks.base import read_by_ocr
from extractors.records import BundleRecords, Val
from pipeline.ocr_tolerance import DOUBTFUL_CONF, digit_swaps, junk_numbers, shift_point

# ------------------------------------------------------------------ numbers

_NUM = re.compile(r"[-+]?\d+(?:\.\d+)?")
# OCR and typesetting variants of "×" between a concentration and its hours
_TIMES = r"[×xX*✕╳·]"


def _printed_number(v: Val | str | None) -> Optional[str]:
    """The number as printed: of the raw text's numbers, the (last) one equal to the
    parsed value, so a raw that is a whole line (``… = 0.010 mg/m³``) still gives ``0.010``."""
    if v is None:
        return None
    raw = v if isinstance(v, str) else (v.raw or "")
    found = _NUM.findall(raw.replace(",", "").replace("，", ""))
    if not found:
        return None
    if isinstance(v, Val) and isinstance(v.value, (int, float)) and not isinstance(v.value, bool):
        x = float(v.value)
        same = [y for y in found if abs(float(y) - x) <= 1e-9 * max(1.0, abs(x))]
        if not same:
            # a scan's decimal point read as a colon (1:58 for 1.58)
            alt = _NUM.findall(re.sub(r"(?<=\d)[:：](?=\d)", ".", raw.replace(",", "").replace("，", "")))
            same = [y for y in alt if abs(float(y) - x) <= 1e-9 * max(1.0, abs(x))]
        if same:
            return same[-1]
    return found[0]


def decimals_of(v: Val | str | None) -> Optional[int]:
    """Decimals printed for a number: from the raw text, not the parsed float
    (``0.010`` has 3 even though the float is 0.01)."""
    s = _printed_number(v)
    if s is None:
        if isinstance(v, Val) and isinstance(v.value, (int, float)):
            r = repr(float(v.value))
            return len(r.split(".")[1].rstrip("0")) if "." in r else 0
        return None
    return len(s.split(".")[1]) if "." in s else 0


def half_unit(decimals: Optional[int]) -> float:
    """Half a unit in the last printed place: the most rounding can move a value."""
    if decimals is None:
        return 0.0
    return 0.5 * 10 ** (-decimals)


def round_half_even(x: float, decimals: int) -> float:
    """GB/T 8170 rounding (domain README §6) of a computed value."""
    try:
        return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))
    except InvalidOperation:
        return x


def fmt_num(x: float, decimals: Optional[int] = None) -> str:
    """A computed number for a message: rounded per GB/T 8170 when ``decimals`` is given."""
    if decimals is not None:
        return f"{round_half_even(x, decimals):.{decimals}f}"
    s = f"{x:.4g}" if abs(x) < 1e4 else f"{x:.0f}"
    return s


def num(v: Optional[Val]) -> Optional[float]:
    """The float of a readable numeric Val, else None."""
    if v is None or not v.ok:
        return None
    try:
        x = float(v.value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def printed(v: Val) -> str:
    """A value as printed (raw cell text when it holds the number)."""
    s = _printed_number(v)
    return s if s is not None else fmt_num(float(v.value))


# ------------------------------------------------------------------ OCR readings of numbers
# The readings themselves (junk inside a number, a moved decimal point, look-alike
# digits) are in pipeline.ocr_tolerance; these wrap them for a Val read on a scan.

is_ocr = read_by_ocr  # the one definition lives in checks.base


def junk_strs(v: Optional[Val]) -> list[str]:
    """Numbers a cell may have held when OCR put junk inside it (``ocr_tolerance.
    junk_numbers``: ``3.66.0`` → ``366.0`` or ``3.660``), the parsed value itself not
    included. Only the token that contains the parsed number."""
    if v is None or not v.raw or num(v) is None:
        return []
    x = num(v)
    return [y for y in junk_numbers(v.raw, _printed_number(v) or "") if not same_number(float(y), x)]


def junk_readings(v: Optional[Val]) -> list[float]:
    """``junk_strs`` as values."""
    return [float(y) for y in junk_strs(v)]


def digit_readings(v: Val | str | None) -> list[float]:
    """The printed number with one digit replaced by a look-alike (``ocr_tolerance``,
    ``0.06`` ↔ ``0.05``, ``3`` ↔ ``8``): what a scan may have shown for
    a number read only once."""
    s = _printed_number(v)
    if not s:
        return []
    out = []
    for t in digit_swaps(s):
        try:
            out.append(float(t))
        except ValueError:
            pass
    return list(dict.fromkeys(out))


def doubtful(v: Optional[Val]) -> bool:
    """The OCR itself shows this number was hard to read: low confidence, or junk inside
    the number. Only then is a look-alike digit a plausible reading: on the scanned test
    bundles (≈4 500 numeric cells) OCR never swapped one digit for another in a clean
    read, while garbled reads (``3.66.0``, ``11-0.00``, ``7:54``) were common."""
    return v is not None and (v.conf < DOUBTFUL_CONF or bool(junk_strs(v)))


def readings(ctx, v: Optional[Val], *, lookalikes: bool = False) -> list[float]:
    """Every plausible value of a printed number: as parsed, and on a scan also with
    junk inside it resolved (``junk_readings``) and, with ``lookalikes`` (a value
    nothing corroborates) when the read is ``doubtful``, one digit read as a look-alike."""
    x = num(v)
    if x is None:
        return []
    if not is_ocr(ctx, v):
        return [x]
    look = digit_readings(v) if lookalikes and doubtful(v) else []
    return list(dict.fromkeys([x] + junk_readings(v) + look))


def _dec(s: str) -> int:
    return len(s.split(".")[1]) if "." in s else 0


def agree(a: str, b: str) -> bool:
    """Two printed numbers state the same result: equal when printed to the same
    decimals, else the more precise one rounds (half up or half even, GB/T 8170) to the
    other. A difference of one unit in the last place is a different result."""
    try:
        x, y = Decimal(a), Decimal(b)
    except InvalidOperation:
        return False
    da, db = _dec(a), _dec(b)
    if da == db:
        return x == y
    if da < db:
        x, y, da, db = y, x, db, da
    q = Decimal(1).scaleb(-db)
    return any(x.quantize(q, rounding=r) == y for r in (ROUND_HALF_EVEN, ROUND_HALF_UP))


def reading_strs(ctx, v: Optional[Val], *, lookalikes: bool = False) -> list[str]:
    """The printed number and, on a scan, its other plausible readings, as printed
    strings (so each keeps its own decimals): junk inside it resolved, the decimal point
    moved one or two places, and with ``lookalikes`` when the read is ``doubtful`` one
    look-alike digit."""
    s = _printed_number(v)
    if s is None or num(v) is None:
        return []
    s = s.lstrip("+")
    out = [s]
    if is_ocr(ctx, v):
        out += junk_strs(v)
        out += [t for d in (-2, -1, 1, 2) if (t := shift_point(s, d))]
        if lookalikes and doubtful(v):
            out += digit_swaps(s)
    return list(dict.fromkeys(out))


# a unit printed in mg instead of µg (or m³ instead of L) moves a value by exactly 1000
# (a lost or added decimal point: ocr_tolerance.OCR_SCALES)
UNIT_SCALES = (1.0, 1000.0, 0.001)


# ------------------------------------------------------------------ judgement words

_NOT_OVER = ("未超标", "不超标", "未超过", "未超限", "不超过", "达标", "低于")
_OVER = ("不合格", "不符合", "超标", "超过", "超限", "未达标", "高于")
_OK = ("合格", "符合")


def judged_over(text: Optional[str]) -> Optional[bool]:
    """True for 不合格/不符合/超标, False for 合格/符合/未超标, None when unreadable."""
    t = re.sub(r"\s", "", text or "")
    if not t:
        return None
    if any(w in t for w in ("未达标",)):
        return True
    if any(w in t for w in _NOT_OVER):
        return False
    if any(w in t for w in _OVER):
        return True
    if any(w in t for w in _OK):
        return False
    return None


# ------------------------------------------------------------------ names


def norm_text(s: Optional[str]) -> str:
    """Full-width brackets to ASCII, no spaces: for comparing printed labels."""
    s = (s or "").replace("（", "(").replace("）", ")").replace("，", ",").replace("：", ":")
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------ samples


def sampling_dates(records: BundleRecords) -> dict[str, tuple[dt.date, Val]]:
    """Sample id → (sampling date, the Val it was read from) from the sampling record sheets."""
    out: dict[str, tuple[dt.date, Val]] = {}
    for sh in records.sampling_records:
        if not sh.date.ok or not isinstance(sh.date.value, dt.date):
            continue
        for r in sh.rows:
            sid = r.value("sample_id")
            if sid and sid not in out:
                out[sid] = (sh.date.value, sh.date)
    return out


def blank_ids(records: BundleRecords) -> set[str]:
    """Ids of field blanks (空白) as marked in the sampling record or the lab sheets."""
    out: set[str] = set()
    for sh in records.sampling_records:
        for r in sh.rows:
            if r.value("is_blank") and r.value("sample_id"):
                out.add(r.value("sample_id"))
    for sh in records.lab_sheets:
        for r in sh.rows:
            sid = r.value("sample_id")
            if sid and any("空白" in (v.raw or "") for v in r.fields.values() if v is not None):
                out.add(sid)
    return out


# ------------------------------------------------------------------ analysis method

# What decides which lab QC a sheet must show (form-variety.md "Lab QC depends on the
# method"): the standard or technique the sheet names, else its instrument.
_METHOD_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("gravimetric", re.compile(r"GBZ\s*/?\s*T\s*192|滤膜质量|质量法|称量法|重量法|天平")),
    ("gc", re.compile(r"气相色谱|色谱仪|\bGC\b|GC-")),
    ("aas", re.compile(r"原子吸收|原子荧光|\bAAS\b|ICP")),
    ("spectro", re.compile(r"分光光度|光度法|比色|紫外")),
    ("direct", re.compile(r"直读|直接读数|检测仪|测定仪|声级计|检测管")),
)


def method_kind(sheet) -> Optional[str]:
    """``gravimetric`` / ``gc`` / ``aas`` / ``spectro`` / ``direct`` as the lab sheet's
    method or instrument names it (weighed filters in its rows also say gravimetric);
    None when the sheet names none of them."""
    text = " ".join(str(v.value) for v in (sheet.method, sheet.instrument) if v is not None and v.ok)
    for kind, rx in _METHOD_KINDS:
        if rx.search(text):
            return kind
    if any(r.get("before").ok and r.get("after").ok for r in sheet.rows):
        return "gravimetric"
    return None


def blank_rows(sheet, blanks: set[str]) -> list:
    """Rows of a lab sheet that are blanks (a known blank id, or 空白 in a cell)."""
    out = []
    for r in sheet.rows:
        sid = r.value("sample_id")
        if (sid and sid in blanks) or any("空白" in (v.raw or "") for v in r.fields.values() if v is not None):
            out.append(r)
    return out


_RANGE_SEP = r"\s*(?:~|～|至|—|–|-{2}|到)\s*"


def id_ranges(raw: str, pattern: Optional[str]) -> list[str]:
    """Ids a cell lists as a range (``S001～S024`` or ``S001～024``): every id in between.

    Transfer records often give a run of ids that way; without it the ids inside the
    range would look untransferred. Only runs of the bundle's own id pattern whose
    numeric tails differ by at most 500 are expanded.
    """
    if not raw or not pattern:
        return []
    rx = re.compile(pattern)
    out: list[str] = []
    tokens = re.split(r"[\s,，、;；]+", raw.strip())
    text = " ".join(tokens)
    for m in re.finditer(r"([A-Za-z0-9-]+?)" + _RANGE_SEP + r"([A-Za-z0-9-]+)", text):
        a, b = m.group(1), m.group(2)
        if not rx.fullmatch(a):
            continue
        if not rx.fullmatch(b):
            # a short tail (S001～024): the first id's prefix completes it
            if b.isdigit() and len(b) < len(a):
                b = a[: len(a) - len(b)] + b
            if not rx.fullmatch(b):
                continue
        ta, tb = re.search(r"(\d+)$", a), re.search(r"(\d+)$", b)
        if not ta or not tb or a[: ta.start()] != b[: tb.start()] or len(ta.group(1)) != len(tb.group(1)):
            continue
        lo, hi = int(ta.group(1)), int(tb.group(1))
        if not 0 < hi - lo <= 500:
            continue
        width = len(ta.group(1))
        out += [a[: ta.start()] + str(n).zfill(width) for n in range(lo, hi + 1)]
    return out


def join_ids(ids: Sequence[str], limit: int = 12) -> str:
    ids = list(ids)
    s = "、".join(ids[:limit])
    return s + (f" 等{len(ids)}个" if len(ids) > limit else "")


# ------------------------------------------------------------------ GBZ 2.1 limits

FRACTION_TOTAL = "total"
FRACTION_RESP = "resp"
_FRACTION_WORDS = {
    FRACTION_RESP: ("呼吸性粉尘", "呼吸性", "呼尘"),
    FRACTION_TOTAL: ("总粉尘", "总尘"),
}
# status values of the domain CSVs that a finding may rest on (README "How sure is each fact")
TRUSTED = ("primary-parsed", "secondary")


@dataclass(frozen=True)
class LimitRow:
    """One line of a GBZ 2.1 limit CSV."""

    name: str
    kind: str  # "chemical" | "dust"
    mac: Optional[float] = None
    pc_twa: Optional[float] = None
    pc_stel: Optional[float] = None
    twa_total: Optional[float] = None
    twa_resp: Optional[float] = None
    unit: str = "mg/m³"
    condition: str = ""
    status: str = ""
    notes: str = ""
    aliases: tuple[str, ...] = ()
    # values a reported amendment may have changed to (notes "AMENDMENT: ... PC-TWA 3 / PC-STEL 6");
    # the effective date is unverified, so both are accepted
    amended_twa: tuple[float, ...] = ()
    amended_stel: tuple[float, ...] = ()

    @property
    def not_found(self) -> bool:
        return self.status == "not-found"

    @property
    def weak(self) -> bool:
        return self.status not in TRUSTED or bool(re.search(r"CONFLICT|provisional", self.notes))


@dataclass
class LimitMatch:
    """The limit rows a printed factor name matched, and what they allow."""

    factor: str
    rows: list[LimitRow]
    fraction: Optional[str] = None
    how: str = "exact"  # exact | fuzzy
    score: float = 100.0

    @property
    def unverified(self) -> bool:
        """Some matched row has no sourced value: a mismatch cannot be called an error."""
        return any(r.not_found for r in self.rows)

    @property
    def weak(self) -> bool:
        return any(r.weak for r in self.rows)

    def allowed(self, field_: str) -> set[float]:
        """Limit values GBZ 2.1 allows for ``limit_twa`` / ``limit_stel`` (STEL or MAC column)."""
        out: set[float] = set()
        for r in self.rows:
            out |= self._allowed_one(r, field_)
        return out

    def sources(self, field_: str) -> list[str]:
        """Names of the CSV rows that give a value for the field (for messages)."""
        return list(dict.fromkeys(r.name + (f"（{r.condition}）" if r.kind == "dust" and r.condition else "")
                                  for r in self.rows if self._allowed_one(r, field_)))

    def _allowed_one(self, r: "LimitRow", field_: str) -> set[float]:
        out: set[float] = set()
        if field_ == "limit_twa":
            if r.kind == "dust":
                if self.fraction in (None, FRACTION_TOTAL) and r.twa_total is not None:
                    out.add(r.twa_total)
                if self.fraction in (None, FRACTION_RESP) and r.twa_resp is not None:
                    out.add(r.twa_resp)
            else:
                if r.pc_twa is not None:
                    out.add(r.pc_twa)
                out.update(r.amended_twa)
        elif field_ == "limit_stel":
            out.update(x for x in (r.pc_stel, r.mac) if x is not None)
            out.update(r.amended_stel)
        return out

def _f(s: str) -> Optional[float]:
    s = (s or "").strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _strip_fraction(name: str) -> tuple[str, Optional[str]]:
    n = norm_text(name)
    frac = None
    for f, words in _FRACTION_WORDS.items():
        for w in words:
            if w in n:
                frac = f
                n = re.sub(r"\(?" + re.escape(w) + r"\)?", "", n)
                break
        if frac:
            break
    return n, frac


def _aliases(name_cn: str, condition: str, kind: str) -> tuple[str, ...]:
    n = norm_text(name_cn)
    out = {n}
    main, _, sub = n.partition("-")
    if sub:
        out.add(sub)  # 铅及其无机化合物(按Pb计)-铅尘 → 铅尘
    base = re.sub(r"\([^)]*\)", "", main)
    out.add(base)  # 二甲苯(全部异构体) → 二甲苯
    for inner in re.findall(r"\(([^)]*)\)", main):
        # 氯(氯气) → 氯气, 碳酰氯(光气) → 光气; not qualifiers (按Pb计, 非高原, 游离SiO2含量<10%)
        if not re.search(r"按|计|高原|含量|异构|SiO2|%|<|>|≤", inner) and len(inner) >= 2:
            out.add(inner)
    if "及" in base:
        head = base.split("及")[0]
        if len(head) >= 1:
            out.add(head)  # 氯化氢及盐酸 → 氯化氢; 铅及其无机化合物 → 铅
        tail = base.split("及", 1)[1]
        if tail and not tail.startswith("其"):
            out.add(tail)  # 氯化氢及盐酸 → 盐酸
    if kind == "dust" and condition:
        # a band named after a substance (氧化铝粉尘, 亚麻) names it; a SiO2 band or a
        # measuring form (粉尘 / 纤维 / 质量浓度) does not
        c = norm_text(condition)
        if not re.search(r"SiO2|%|<|>|≤|浓度", c) and c not in ("粉尘", "纤维"):
            out.add(c)
    return tuple(sorted(a for a in out if a))


def _amended(notes: str, label: str) -> tuple[float, ...]:
    if not re.search(r"AMENDMENT|修改单", notes or ""):
        return ()
    m = re.search(r"lowers[^.;]*?" + re.escape(label) + r"\s*(\d+(?:\.\d+)?)", notes)
    return (float(m.group(1)),) if m else ()


def _read_csv(name: str) -> list[dict]:
    text = resources.files("checks").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def limit_rows() -> tuple[LimitRow, ...]:
    """Every row of the two shipped GBZ 2.1-2019 CSVs."""
    rows: list[LimitRow] = []
    for r in _read_csv("oel_gbz2.1-2019.csv"):
        notes = r.get("notes") or ""
        rows.append(LimitRow(
            name=r["name_cn"], kind="chemical", mac=_f(r.get("mac")), pc_twa=_f(r.get("pc_twa")),
            pc_stel=_f(r.get("pc_stel")), unit=r.get("unit") or "", status=(r.get("status") or "").strip(),
            notes=notes, aliases=_aliases(r["name_cn"], "", "chemical"),
            amended_twa=_amended(notes, "PC-TWA"), amended_stel=_amended(notes, "PC-STEL")))
    for r in _read_csv("dust_oel_gbz2.1-2019.csv"):
        rows.append(LimitRow(
            name=r["name_cn"], kind="dust", twa_total=_f(r.get("pc_twa_total")), twa_resp=_f(r.get("pc_twa_resp")),
            unit=r.get("unit") or "", condition=r.get("condition") or "", status=(r.get("status") or "").strip(),
            notes=r.get("notes") or "", aliases=_aliases(r["name_cn"], r.get("condition") or "", "dust")))
    return tuple(rows)


def match_limits(factor: Optional[str], *, fuzzy_min: float = 88.0) -> Optional[LimitMatch]:
    """The CSV rows for a printed factor name (exact alias first, then a clear fuzzy winner)."""
    if not factor:
        return None
    name, frac = _strip_fraction(factor)
    if not name:
        return None
    rows = limit_rows()
    tries = [name, re.sub(r"\([^)]*\)", "", name)]
    for t in tries:
        hit = [r for r in rows if t in r.aliases]
        if hit:
            return LimitMatch(factor, hit, frac, "exact", 100.0)
    try:
        from rapidfuzz import fuzz
    except Exception:  # pragma: no cover - rapidfuzz is a declared dependency
        return None
    # fuzzy: only names long enough that one OCR slip cannot turn one substance into another
    if len(tries[-1]) < 4:
        return None
    scored: dict[str, float] = {}
    for r in rows:
        for a in r.aliases:
            if len(a) < 4:
                continue
            s = fuzz.ratio(tries[-1], a)
            if s > scored.get(a, 0):
                scored[a] = s
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    if score < fuzzy_min:
        return None
    # a second, different alias nearly as good: ambiguous, no guess
    if len(ranked) > 1 and ranked[1][1] >= score - 3 and not any(best in r.aliases and ranked[1][0] in r.aliases
                                                                 for r in rows):
        return None
    hit = [r for r in rows if best in r.aliases]
    return LimitMatch(factor, hit, frac, "fuzzy", score)


def band_bounds(condition: str) -> Optional[tuple[float, bool, float, bool]]:
    """(low, low inclusive, high, high inclusive) of a free-SiO2 band condition such as
    ``10%≤游离SiO2含量≤50%``, ``50%<游离SiO2含量≤80%``, ``游离SiO2含量>80%``; None if none."""
    c = norm_text(condition)
    if "游离" not in c:
        return None
    lo, lo_inc, hi, hi_inc = 0.0, True, 100.0, True
    found = False
    m = re.search(r"(\d+(?:\.\d+)?)%?(≤|<=|<)游离", c)
    if m:
        lo, lo_inc, found = float(m.group(1)), m.group(2) != "<", True
    for m in re.finditer(r"游离[^<>≤≥]*?(≤|<=|<|>|≥|>=)(\d+(?:\.\d+)?)%", c):
        op, x = m.group(1), float(m.group(2))
        found = True
        if op in ("≤", "<=", "<"):
            hi, hi_inc = x, op != "<"
        else:
            lo, lo_inc = x, op != ">"
    return (lo, lo_inc, hi, hi_inc) if found else None


def in_band(x: float, condition: str) -> bool:
    b = band_bounds(condition)
    if b is None:
        return False
    lo, lo_inc, hi, hi_inc = b
    return (x > lo or (lo_inc and x == lo)) and (x < hi or (hi_inc and x == hi))


def same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def sheet_label(sh) -> str:
    """（苯）: the lab sheet's factor in brackets for a message, or nothing when unread."""
    return f"（{sh.factor.value}）" if sh.factor.ok else ""
