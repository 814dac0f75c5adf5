"""Build one clean, internally consistent evidence-bundle scenario from a seed.

``build_scenario(seed, index)`` returns a :class:`~samples.model.Scenario` in which
every record agrees with every other: dates run contract → review → survey → plan
approval → sampling → transfer → lab → report → disclosure; signers are registered
with the right roles; concentrations recompute from lab mass, flow and minutes
(GB/T 8170 rounding); each factor has a field blank each day; pumps never overlap.
Planted defects (``samples.defects``) then break exactly one of these facts.

The numeric helpers here (``conc_from_mass``, ``row_values``, ``judge``) are the single
definition of "recomputes" used by the builder, the defect planters and the self-check.

Over 600 lines: one seeded builder; its sections (numbers, dates, names, identity,
employer, equipment, style, sampling design) each feed the one scenario and are used
nowhere else but the planters and the self-check.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Iterable, Optional

import chinese_calendar

from samples import vocab as V
from samples import report_content, wording
from samples.admin_forms import add_admin_content
from samples.model import (
    AnonSpec,
    Contract,
    ContractReview,
    Disclosure,
    Employer,
    Equipment,
    FactorSpec,
    Identity,
    LabRow,
    LabSheet,
    NoiseMeasurement,
    Person,
    Photo,
    Plan,
    PlanRow,
    Post,
    RawMaterial,
    Report,
    ResultRow,
    Sample,
    SamplingDay,
    Scenario,
    Style,
    Survey,
    TeamMember,
    Transfer,
    WorkdayRecord,
)

TZ = dt.timezone(dt.timedelta(hours=8))
SAMPLING_WINDOW = (dt.date(2022, 3, 1), dt.date(2022, 9, 30))  # benzene 6/10 still in force
SCANNED_RATIO = 0.75

# --------------------------------------------------------------------------- numbers


def q(value, decimals: int) -> Decimal:
    """Round once per GB/T 8170 (half-even) from the value's decimal string."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def dec(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def conc_from_mass(sample: Sample, decimals: int) -> Optional[Decimal]:
    """C (mg/m³) = m (µg) / V (L), V from the sample's mean flow × minutes."""
    v = sample.volume_l
    if sample.mass_ug is None or not v:
        return None
    return q(dec(sample.mass_ug) / dec(v), decimals)


def twa_hours(sample: Sample) -> Decimal:
    """T_i in hours for C_TWA."""
    if sample.represent_hours is not None:
        return dec(sample.represent_hours)
    return Decimal(sample.minutes) / Decimal(60)


def row_values(row: ResultRow, by_id: dict[str, Sample], spec: FactorSpec) -> dict[str, Optional[float]]:
    """C_TWA / C_STE / C_ME recomputed from the printed sample concentrations."""
    samples = [by_id[i] for i in row.sample_ids if i in by_id and by_id[i].conc is not None]
    out: dict[str, Optional[float]] = {"c_twa": None, "c_stel": None, "c_mac": None}
    twa = [s for s in samples if "TWA" in s.purpose]
    if twa and spec.pc_twa is not None:
        total = sum((dec(s.conc) * twa_hours(s) for s in twa), Decimal(0))
        out["c_twa"] = float(q(total / Decimal(8), spec.decimals))
    stel = [s for s in samples if "STEL" in s.purpose]
    if stel and spec.pc_stel is not None:
        out["c_stel"] = max(float(s.conc) for s in stel)
    mac = [s for s in samples if s.purpose == "MAC"]
    if mac and spec.mac is not None:
        out["c_mac"] = max(float(s.conc) for s in mac)
    return out


def judge(spec: FactorSpec, c_twa, c_stel, c_mac) -> str:
    """GBZ 2.1-2019 §6.3.1/6.3.2 against the limits truly in force (spec)."""
    over = (
        (c_twa is not None and spec.pc_twa is not None and c_twa > spec.pc_twa)
        or (c_stel is not None and spec.pc_stel is not None and c_stel > spec.pc_stel)
        or (c_mac is not None and spec.mac is not None and c_mac > spec.mac)
    )
    return "不合格" if over else "合格"


def lex_8h(laeq: float, hours: float) -> float:
    """L_EX,8h = L_Aeq,Te + 10·lg(Te/8), one decimal (GB/T 8170)."""
    return float(q(Decimal(repr(laeq + 10 * math.log10(hours / 8))), 1))


def recompute_sample(sample: Sample, spec: FactorSpec) -> None:
    c = conc_from_mass(sample, spec.decimals)
    sample.conc = None if c is None else float(c)


def recompute_row(row: ResultRow, s: Scenario) -> None:
    """Refresh a result row's printed values and judgement from its samples."""
    spec = s.factors[row.factor]
    vals = row_values(row, {x.sample_id: x for x in s.samples}, spec)
    row.c_twa, row.c_stel, row.c_mac = vals["c_twa"], vals["c_stel"], vals["c_mac"]
    row.judgement = judge(spec, row.c_twa, row.c_stel, row.c_mac)


# --------------------------------------------------------------------------- dates


def workdays(start: dt.date, end: dt.date) -> list[dt.date]:
    return list(chinese_calendar.get_workdays(start, end))


def workday_after(d: dt.date, n: int) -> dt.date:
    """The n-th working day after d (n ≥ 1; d itself not counted)."""
    return workdays(d + dt.timedelta(days=1), d + dt.timedelta(days=30 + 2 * n))[n - 1]


def workday_before(d: dt.date, n: int) -> dt.date:
    """The n-th working day before d (n ≥ 1)."""
    return workdays(d - dt.timedelta(days=30 + 2 * n), d - dt.timedelta(days=1))[-n]


def disclosure_deadline(issue: dt.date) -> dt.date:
    """15th working day after issue (domain README §7: issue day not counted)."""
    return workdays(issue + dt.timedelta(days=1), issue + dt.timedelta(days=60))[14]


def hm(t: str) -> int:
    h, m = t.split(":")
    return int(h) * 60 + int(m)


def fmt_hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- names


class NamePool:
    """Unique Chinese person names for one bundle (no collisions across roles)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self) -> str:
        for _ in range(1000):
            n = self.rng.choice(V.SURNAMES) + "".join(
                self.rng.choice(V.GIVEN_CHARS) for _ in range(self.rng.choice((1, 2, 2)))
            )
            if n not in self.used and not any(n in u or u in n for u in self.used):
                self.used.add(n)
                return n
        raise RuntimeError("name pool exhausted")


# --------------------------------------------------------------------------- identity


def _place(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(province, certificate abbreviation, city, area code, district)."""
    prov = V.HOME_PROVINCE if rng.random() < 0.85 else rng.choice([p for p in V.PROVINCES if p != V.HOME_PROVINCE])
    abbr, cities = V.PROVINCES[prov]
    city = rng.choice(sorted(cities))
    code, districts = cities[city]
    return prov, abbr, city, code, rng.choice(districts)


def _phone(rng: random.Random, area: str) -> str:
    digits = 8 if len(area) == 4 or area in ("027",) else 7
    return f"{area}-{rng.choice('5678')}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


def make_identity(rng: random.Random, names: NamePool) -> Identity:
    prov, cabbr, city, area, district = _place(rng)
    trade, initials = rng.choice(sorted(V.TRADE_NAMES.items()))
    business, kind_abbr, short_suffix = rng.choice(V.INSTITUTION_KINDS)
    form = rng.choice(V.COMPANY_FORMS[:2])
    prefix = prov[:-1] if rng.random() < 0.6 else city[:-1]
    name = f"{prefix}{trade}{business}{form}"
    abbr = initials + kind_abbr
    aliases = [f"{trade}{short_suffix}", abbr]
    if rng.random() < 0.4:
        aliases.insert(1, f"{prefix}{trade}")
    road = rng.choice(V.ROADS)
    no = rng.randrange(8, 260)
    address = f"{prov if prov != V.HOME_PROVINCE or rng.random() < 0.3 else ''}{city}{district}{road}{no}号"
    lab_address = address + rng.choice(["3楼", "4楼", "A座5层", "实验楼2层", "2号楼1-3层"])
    host = f"{abbr.lower()}{rng.choice(['', 'jc', '-hn', 'zy'])}"
    website = f"www.{host}{rng.choice(V.WEB_TLDS)}"
    email = f"{rng.choice(['qc', 'office', 'jc', 'service', abbr.lower()])}@{website[4:]}"
    year = rng.choice([2019, 2020, 2021])
    cert = f"{cabbr}卫职技字〔{year}〕第{rng.randrange(1, 60):04d}号"
    valid_from = dt.date(year, rng.randrange(1, 13), 1) + dt.timedelta(days=rng.randrange(0, 27))
    valid_to = dt.date(valid_from.year + 5, valid_from.month, valid_from.day) - dt.timedelta(days=1)

    staff: list[Person] = []
    director = Person(names.take(), [V.ROLE_REVIEW, V.ROLE_LEAD, V.ROLE_SURVEY], rng.choice(V.SPECIALTIES_SENIOR), "技术负责人")
    quality = Person(names.take(), [V.ROLE_REVIEW, V.ROLE_AUTHOR], rng.choice(V.SPECIALTIES_SENIOR), "质量负责人")
    signatory = Person(names.take(), [V.ROLE_SIGN, V.ROLE_REVIEW], rng.choice(V.SPECIALTIES_SENIOR), "授权签字人")
    staff += [director, quality, signatory]
    for i in range(rng.randrange(5, 9)):
        roles = [V.ROLE_SURVEY, V.ROLE_SAMPLING]
        if i < 2:
            roles.append(V.ROLE_LEAD)
        if i % 3 == 1:
            roles.append(V.ROLE_AUTHOR)
        staff.append(Person(names.take(), roles, rng.choice(V.SPECIALTIES_FIELD)))
    if not any(V.ROLE_AUTHOR in p.roles and V.ROLE_SAMPLING in p.roles for p in staff):
        staff[3].roles.append(V.ROLE_AUTHOR)
    for i in range(rng.randrange(3, 6)):
        staff.append(Person(names.take(), [V.ROLE_LAB], rng.choice(V.SPECIALTIES_LAB), "样品管理员" if i == 0 else ""))
    if rng.random() < 0.5:  # a second reviewer so the plan/report reviewers vary
        staff.append(Person(names.take(), [V.ROLE_REVIEW, V.ROLE_AUTHOR], rng.choice(V.SPECIALTIES_SENIOR)))
    legal_rep = names.take()
    return Identity(
        name=name, aliases=aliases, certificate_no=cert, address=address, lab_address=lab_address,
        phone=_phone(rng, area), website=website, email=email, legal_rep=legal_rep,
        valid_from=valid_from, valid_to=valid_to, scope_industries=[], scope_factors=[], staff=staff,
        technical_director=director.name, quality_manager=quality.name, authorized_signatory=signatory.name,
    )


# --------------------------------------------------------------------------- employer / posts


def _scale(workers: int) -> str:
    # GB/T statistical size classes for industry (employees): 大型 ≥1000, 中型 ≥300, 小型 ≥20
    return "大型" if workers >= 1000 else "中型" if workers >= 300 else "小型" if workers >= 20 else "微型"


def make_posts(rng: random.Random, ind: V.Industry, n_posts: int) -> list[Post]:
    """Posts of the industry; beyond its template count, replicate lines (1#, 2#…)."""
    templates = list(ind.posts)
    rng.shuffle(templates)
    # noise-only posts last, so a small bundle always has sampled (lab) factors
    templates.sort(key=lambda t: t.factors == ("噪声",))
    n_posts = max(3, n_posts)
    copies = math.ceil(n_posts / len(templates))
    plan = [(c, t) for c in range(copies) for t in templates][:n_posts]
    posts: list[Post] = []
    for c, t in plan:
        line = "" if copies == 1 else f"{c + 1}#"
        workers = rng.randrange(*t.workers) + 1
        exp = rng.choice([8.0, 8.0, 7.5, 7.0, 6.0, 6.5]) if t.workers[1] > 3 else rng.choice([8.0, 6.0, 4.0])
        # 8-h shifts only: C_TWA = Σ(C·T)/8 then needs no shift-length adjustment
        shift = rng.choice(["两班制，8h/班", "三班两运转，8h/班", "常白班，8h/班"])
        posts.append(Post(
            workshop=(t.workshop if not line else t.workshop.replace("车间", f"{c + 1}车间")),
            name=t.name + (f"({line}线)" if line else ""),
            site=(line + t.site),
            workers=workers, shift=shift, exposure_hours=exp,
            factors=list(t.factors), work_content=t.content,
        ))
    return posts


def make_employer(rng: random.Random, ind: V.Industry, posts: list[Post], names: NamePool) -> Employer:
    prov, _, city, area, district = _place(rng)
    if prov != V.HOME_PROVINCE and rng.random() < 0.7:  # employers are in the QC center's province
        prov, city = V.HOME_PROVINCE, rng.choice(sorted(V.PROVINCES[V.HOME_PROVINCE][1]))
        area, districts = V.PROVINCES[V.HOME_PROVINCE][1][city]
        district = rng.choice(districts)
    trade = rng.choice(V.EMPLOYER_TRADE)
    noun = rng.choice(ind.nouns)
    prefix = rng.choice([city[:-1], prov[:-1], ""])
    name = f"{prefix}{trade}{noun}{rng.choice(['有限公司', '有限公司', '有限责任公司', '股份有限公司'])}"
    frontline = sum(p.workers for p in posts)
    total = frontline * rng.choice([2, 3, 4]) + rng.randrange(10, 80)
    # the draws in the order they always had (one stream for the whole scenario)
    address = f"{city}{district}{rng.choice(V.PARKS)}{rng.choice(V.ROADS)}{rng.randrange(1, 99)}号"
    contact, phone = names.take(), _phone(rng, area)
    escort = names.take()
    product_names = "、".join(rng.sample(ind.products, min(2, len(ind.products))))
    output_t = rng.randrange(2, 60) * 1000
    # the load during the testing draws from its own stream: the scenario's stays as it was
    load = random.Random(f"load:{name}:{output_t}").choice([75, 80, 82, 85, 88, 90, 92, 95, 100])
    return Employer(
        name=name, address=address, contact=contact, phone=phone, industry_code=ind.code, industry_name=ind.name,
        workers_total=total, scale=_scale(total), escort=escort,
        products=f"{product_names}，年产约 {output_t} t",
        product_names=product_names, output_t=float(output_t), load_pct=load,
    )


def make_factor_specs(used: Iterable[str], sio2: Optional[float]) -> dict[str, FactorSpec]:
    specs: dict[str, FactorSpec] = {}
    for name in used:
        t = V.FACTORS[name]
        pc_twa, band = t.pc_twa, t.band
        if t.scope_name == "矽尘":
            total, resp, band = V.silica_band(sio2)
            pc_twa = total if "总尘" in name else resp
        limits = [x for x in (pc_twa, t.pc_stel, t.mac) if x is not None]
        lim = min(limits) if limits else 85.0
        decimals = 3 if lim < 0.1 else 2 if lim < 10 else 1
        specs[name] = FactorSpec(
            name=name, kind=t.kind, pc_twa=pc_twa, pc_stel=t.pc_stel, mac=t.mac, unit=t.unit,
            collector=t.collector, sampling_method=t.sampling_method, lab_method=t.lab_method,
            lab_instrument=(V.LAB_INSTRUMENTS[t.lab_kind][0][0] if t.lab_kind else ""),
            flow_lpm=t.long_flow or t.short_flow, sample_minutes=15 if not t.long_flow else 0,
            sio2_percent=sio2 if t.scope_name == "矽尘" else None, scope_name=t.scope_name,
            decimals=decimals if t.kind != "noise" else 1, limit_band=band, limit_source=t.csv,
        )
    return specs


# --------------------------------------------------------------------------- equipment registry


class EquipmentRegistry:
    """The institution's instruments, each with a unique id."""

    def __init__(self, rng: random.Random, abbr: str):
        self.rng = rng
        pattern = rng.choice(["{A}-CY-{n:03d}", "{a}/YQ-{n:03d}", "YQ-{y}-{n:03d}", "{A}-XC{n:03d}"])
        self.field_fmt = pattern
        self.lab_fmt = pattern.replace("CY", "SY").replace("YQ", "SB").replace("XC", "SY")
        self.abbr = abbr
        self.used: set[int] = set()
        self.by_kind: dict[str, list[Equipment]] = {}
        self.models = {k: rng.choice(v) for k, v in {**V.FIELD_EQUIPMENT, **V.LAB_INSTRUMENTS}.items()}

    def _id(self, lab: bool) -> str:
        n = self.rng.randrange(1, 400)
        while n in self.used:
            n = self.rng.randrange(1, 400)
        self.used.add(n)
        fmt = self.lab_fmt if lab else self.field_fmt
        return fmt.format(A=self.abbr, a=self.abbr[:2], y=self.rng.choice(["18", "19", "20", "21"]), n=n)

    def new(self, kind: str) -> Equipment:
        name, model = self.models[kind]
        e = Equipment(self._id(kind in V.LAB_INSTRUMENTS), name, model)
        self.by_kind.setdefault(kind, []).append(e)
        return e

    def first(self, kind: str) -> Equipment:
        return self.by_kind[kind][0] if self.by_kind.get(kind) else self.new(kind)


class PumpBook:
    """Assigns pumps within one day so that no pump serves two samples at once.

    Moving a pump between sites needs a 10-min gap (the truthfulness rule i080).
    """

    def __init__(self, reg: EquipmentRegistry, kind: str):
        self.reg, self.kind = reg, kind
        self.pool: list[Equipment] = list(reg.by_kind.get(kind, []))
        self.busy: dict[str, list[tuple[int, int, str]]] = {}

    def free(self, pump: Equipment, start: int, end: int, site: str) -> bool:
        for s, e, where in self.busy.get(pump.equipment_id, []):
            gap = 0 if where == site else 10
            if start < e + gap and s < end + gap:
                return False
        return True

    def take(self, start: int, end: int, site: str, prefer: Optional[Equipment] = None) -> Equipment:
        cands = ([prefer] if prefer else []) + self.pool
        for p in cands:
            if self.free(p, start, end, site):
                break
        else:
            p = self.reg.new(self.kind)
            self.pool.append(p)
        self.busy.setdefault(p.equipment_id, []).append((start, end, site))
        return p


# --------------------------------------------------------------------------- style


SAMPLE_ID_FORMATS = [
    "S{yymmdd}{nn:02d}",
    "{ab}-{yymm}-{seq:03d}",
    "{ab}{yymmdd}-{nn:03d}",
    "{yymmdd}{nn:02d}",
    "{abbr}{yy}{seq:04d}",
    "{yy}-{ab}-{mmdd}{nn:02d}",
]


def make_style(rng: random.Random, scanned: Optional[bool]) -> Style:
    if scanned is None:
        scanned = rng.random() < SCANNED_RATIO
    labels = {k: (v[0] if rng.random() < 0.45 else rng.choice(v)) for k, v in V.LABEL_SYNONYMS.items()}
    column_order = {}
    for table, cols in V.TABLE_COLUMNS.items():
        cols = list(cols)
        for _ in range(rng.randrange(0, 3)):  # a couple of adjacent swaps after the id column
            i = rng.randrange(1, len(cols) - 1)
            cols[i], cols[i + 1] = cols[i + 1], cols[i]
        column_order[table] = cols
    style = Style(
        scanned=scanned,
        dpi=rng.choice([150, 150, 200, 180, 200]),
        colour=rng.choice(["grey", "colour"]),
        max_skew_deg=round(rng.uniform(0.4, 1.5), 1),
        date_style=rng.choice(["cn", "cn", "iso", "dot", "slash", "cn_upper"]),
        fullwidth_digits=rng.random() < 0.3,
        labels=labels,
        column_order=column_order,
        layout=rng.randrange(4),
        font_scale=round(rng.uniform(0.94, 1.06), 2),
        sample_id_format=rng.choice(SAMPLE_ID_FORMATS),
    )
    if scanned and rng.random() < 0.3:
        pages = sorted(rng.sample(range(3, 15), rng.choice([1, 1, 2])))
        style.rotated_pages = pages
        style.rotation_angles = {p: rng.choice([90, 180, 270]) for p in pages}
    return style


def format_sample_id(fmt: str, d: dt.date, nn: int, seq: int, abbr: str, wide: bool) -> str:
    if wide:  # more than 99 samples on a day: widen the per-day counter
        fmt = fmt.replace("{nn:02d}", "{nn:03d}")
    return fmt.format(yymmdd=d.strftime("%y%m%d"), yymm=d.strftime("%y%m"), mmdd=d.strftime("%m%d"),
                      yy=d.strftime("%y"), nn=nn, seq=seq, ab=abbr[:2], abbr=abbr)


# Family B's id schemes: project code + date + serial with a blank suffix, per-kind
# prefixes with a blank prefix, or year-date-serial with a KB suffix.
SAMPLE_ID_SCHEMES_B = [
    "DJ{yymmdd}-{nn:02d}|blank:DJ{yymmdd}-{nn:02d}-K",
    "{kind}{mmdd}-{nn:02d}|blank:KB{mmdd}-{k}",
    "{yyyy}-{mmdd}-{nn:02d}|blank:{yyyy}-{mmdd}-{nn:02d}KB",
]


def format_sample_id_b(scheme: str, d: dt.date, nn: int, k: int, kind: str, blank: bool, wide: bool) -> str:
    """A family-B sample id (``kind``: the factor's kind picks the prefix FC dust / HX chemical)."""
    fmt = scheme.split("|blank:")[1] if blank else scheme.split("|blank:")[0]
    if wide:
        fmt = fmt.replace("{nn:02d}", "{nn:03d}")
    return fmt.format(yymmdd=d.strftime("%y%m%d"), mmdd=d.strftime("%m%d"), yyyy=d.strftime("%Y"), nn=nn, k=k,
                      kind="FC" if kind == "dust" else "HX")


# --------------------------------------------------------------------------- sampling design


def _split_hours(total: float, parts: int) -> list[float]:
    """Split exposure hours into `parts` chunks on a 0.5-h grid (sums exactly)."""
    halves = int(round(total * 2))
    base, extra = divmod(halves, parts)
    return [(base + (1 if i < extra else 0)) / 2 for i in range(parts)]


def _flows(rng: random.Random, nominal: float) -> tuple[float, float]:
    """Before/after calibration flows whose mean is exactly the nominal flow."""
    if nominal >= 1:
        d = rng.choice([0.0, 0.01, 0.02, 0.03, 0.05]) * (1 if nominal < 10 else 10)
    elif nominal >= 0.5:
        d = rng.choice([0.0, 0.01])
    else:
        d = 0.0
    d = round(d, 2)
    return round(nominal + d, 2), round(nominal - d, 2)


class _Design:
    """Sampling plan per (post, factor): mode, collector, flow, purpose, times."""

    def __init__(self, post: Post, spec: FactorSpec, tmpl: V.FactorTemplate, rng: random.Random, fixed: bool):
        self.post, self.spec, self.tmpl = post, spec, tmpl
        self.rows: list[dict] = []  # plan-row dicts
        if spec.kind == "dust":
            # fixed-point vs personal is decided per factor: one separator (and flow) per factor
            if fixed:
                flow = tmpl.fixed_flow
                sep = "YF-20型冲击式预分离器" if "呼尘" in spec.name else ""
            else:
                flow = tmpl.long_flow
                sep = "YF-2型旋风式预分离器" if "呼尘" in spec.name else ""
            if sep:
                flow = V.SEPARATORS[sep]  # i045: the flow the separator needs
                spec.separator = sep
                spec.flow_lpm = flow
            self.rows.append(dict(mode="定点" if fixed else "个体", purpose="TWA", flow=flow, long=True))
        elif tmpl.long_flow:  # long-time individual TWA (+ 15-min STEL at the post)
            self.rows.append(dict(mode="个体", purpose="TWA", flow=tmpl.long_flow, long=True))
            if spec.pc_stel is not None:
                self.rows.append(dict(mode="定点", purpose="STEL", flow=tmpl.short_flow, long=False, n=1))
        elif spec.pc_twa is not None:  # fixed-point 15-min samples standing for parts of the shift
            self.rows.append(dict(mode="定点", purpose="TWA/STEL" if spec.pc_stel else "TWA",
                                  flow=tmpl.short_flow, long=False, n=3))
        else:  # MAC only
            self.rows.append(dict(mode="定点", purpose="MAC", flow=tmpl.short_flow, long=False, n=2))
        self.points = 2 if (self.rows[0]["mode"] == "个体" and post.workers >= 7 and rng.random() < 0.5) else 1


def _pick_level(rng: random.Random, over: bool) -> float:
    return rng.uniform(1.15, 2.2) if over else rng.choice([rng.uniform(0.03, 0.2), rng.uniform(0.1, 0.55), rng.uniform(0.2, 0.75)])


def _mass_for(rng: random.Random, conc: float, volume: float, balance: bool) -> float:
    m = conc * volume
    if balance:  # 0.01 mg readability → multiples of 10 µg, at least one step
        return float(max(10, int(round(m / 10.0)) * 10))
    return max(0.01, round(m, 2))


# --------------------------------------------------------------------------- scenario


def estimate_pages(s: Scenario) -> int:
    """Rough page count of the rendered bundle, per section (fitted to the renderer)."""
    c = lambda x: math.ceil(x)  # noqa: E731
    noise_days = {m.date for m in s.noise}
    pages = s.contract.pages + (1 if s.contract_review else 0) + 1  # contract, review, disclosure
    pages += c(2 + len(s.posts) / 12) + c(1.6 + len(s.plan.rows) / 26)
    pages += sum(c(2 + (len(d.samples) + (len(s.noise) if d.date in noise_days else 0)) / 31) for d in s.sampling_days)
    pages += sum(c(0.3 + len(t.sample_ids) / 28) for t in s.transfers)
    if "lab_analysis" not in s.missing_sections:
        pages += sum(c(len(sh.rows) / 30) for sh in s.lab_sheets)
    pages += c(sum(1 for x in s.samples if not x.is_blank) / 30)
    pages += c(7 + (len(s.report.results) + len(s.report.noise)) / 22 + len(s.posts) / 10)
    pages += c(len(s.photos) / 3.8)
    return pages


def bundle_seed(seed: int, index: int) -> int:
    """The bundle's own seed (Scenario.seed), used for rendering and scanning noise."""
    return seed * 1000 + index


def build_scenario(seed: int, index: int, *, scanned: Optional[bool] = None,
                   page_target: Optional[int] = None, family: str = "a") -> Scenario:
    """A clean, fully consistent bundle, deterministic for (seed, index, family).

    ``family`` only changes what family B prints differently from the facts' point of
    view: its own sample-id scheme (``format_sample_id_b``). It draws no numbers from the
    builder's generator, so family "a" is exactly what it was."""
    if family not in ("a", "b"):
        raise ValueError(f"unknown form family: {family!r}")
    def rng() -> random.Random:
        return random.Random(seed * 1_000_003 + index * 7919 + 17)

    r = rng()
    n_posts = r.randrange(3, 6)
    n_days = r.choice([1, 1, 1, 2, 2, 3])
    if n_days == 3:  # keep default bundles within ~15–40 pages
        n_posts = min(n_posts, 4)
    if not page_target:
        sc = _build(r, seed, index, scanned, n_posts, n_days, family)
        # default bundles stay within ~15–40 pages: shed posts, then days, if the estimate is high
        while estimate_pages(sc) > 38 and (n_posts > 3 or n_days > 1):
            n_posts, n_days = (n_posts - 1, n_days) if n_posts > 3 else (n_posts, n_days - 1)
            sc = _build(rng(), seed, index, scanned, n_posts, n_days, family)
        return sc
    # Scale posts (and days) until the page estimate meets the target; each try rebuilds
    # from the same seed, so the result stays deterministic.
    n_days = 1 if page_target < 28 else 2 if page_target < 45 else 3
    lo, hi = 1, 320
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        sc = _build(rng(), seed, index, scanned, mid, n_days, family)
        est = estimate_pages(sc)
        if best is None or abs(est - page_target) < abs(best[0] - page_target):
            best = (est, sc)
        if est < page_target:
            lo = mid + 1
        elif est > page_target:
            hi = mid - 1
        else:
            break
    return best[1]


def _build(rng: random.Random, seed: int, index: int, scanned: Optional[bool], n_posts: int, n_days: int,
           family: str = "a") -> Scenario:
    names = NamePool(rng)
    identity = make_identity(rng, names)
    # Document-number prefix: the pinyin initials only. The full alias (e.g. "AZJC") is an
    # identity string; numbers carrying it would out the institution in the blind copy.
    abbr = identity.aliases[-1][:2]
    industry = V.INDUSTRIES[rng.choice(sorted(V.INDUSTRIES))]
    posts = make_posts(rng, industry, n_posts)
    employer = make_employer(rng, industry, posts, names)
    sio2 = None
    if industry.silica:
        lo, hi = industry.silica
        while True:  # keep clear of band edges so the band is unambiguous
            sio2 = round(rng.uniform(lo, hi), 1)
            if all(abs(sio2 - b) > 1.5 for b in (10, 50, 80)):
                break
    used = []
    for p in posts:
        for f in p.factors:
            if f not in used:
                used.append(f)
    factors = make_factor_specs(used, sio2)

    # ---- dates (back from the first sampling day)
    while True:
        start = SAMPLING_WINDOW[0] + dt.timedelta(days=rng.randrange(20, (SAMPLING_WINDOW[1] - SAMPLING_WINDOW[0]).days - 10))
        if chinese_calendar.is_workday(start):
            break
    sampling_dates = workdays(start, start + dt.timedelta(days=20))[:n_days]
    if sampling_dates[-1] > SAMPLING_WINDOW[1]:
        sampling_dates = [workday_before(sampling_dates[0], n_days - i) for i in range(n_days)]
    approve = workday_before(sampling_dates[0], rng.randrange(1, 4))
    review = approve if rng.random() < 0.4 else workday_before(approve, 1)
    author = review if rng.random() < 0.3 else workday_before(review, 1)
    survey_last = workday_before(author, rng.randrange(1, 4))
    survey_dates = [survey_last] if n_posts < 8 or rng.random() < 0.5 else [workday_before(survey_last, 1), survey_last]
    sign = workday_before(survey_dates[0], rng.randrange(2, 9))
    review_date = sign if rng.random() < 0.5 else workday_before(sign, rng.randrange(1, 3))

    staff = {p.name: p for p in identity.staff}
    field_people = [p.name for p in identity.staff if V.ROLE_SAMPLING in p.roles]
    lab_people = [p.name for p in identity.staff if V.ROLE_LAB in p.roles]
    reviewers = [p.name for p in identity.staff if V.ROLE_REVIEW in p.roles and p.name != identity.technical_director
                 and p.name != identity.authorized_signatory]
    authors = [p.name for p in identity.staff if V.ROLE_AUTHOR in p.roles]
    leaders = [p.name for p in identity.staff if V.ROLE_LEAD in p.roles and V.ROLE_SURVEY in p.roles]

    # ---- institution scope: everything measured plus some extras
    scope_names = []
    for f in factors.values():
        if f.scope_name not in scope_names:
            scope_names.append(f.scope_name)
    extras = ["其他粉尘", "电焊烟尘", "锰及其无机化合物", "氮氧化物", "臭氧", "甲醇", "丙酮", "正己烷", "乙酸乙酯",
              "高温", "工频电场", "紫外辐射", "手传振动", "煤尘", "水泥粉尘", "木粉尘", "氢氧化钠", "硫酸"]
    scope_names += [x for x in rng.sample(extras, rng.randrange(6, 12)) if x not in scope_names]
    identity.scope_factors = scope_names
    majors = ["C13", "C17", "C19", "C21", "C22", "C23", "C26", "C29", "C30", "C31", "C32", "C33", "C34", "C35", "C38", "C39", "B06", "B10"]
    inds = [industry.scope_code] + [m for m in rng.sample(majors, rng.randrange(3, 7)) if m != industry.scope_code]
    identity.scope_industries = inds

    # ---- equipment and the sampling days
    reg = EquipmentRegistry(rng, abbr)
    dust_pumps = PumpBook(reg, "dust_pump")
    gas_pumps = PumpBook(reg, "gas_pump")
    flowmeter = reg.new("flowmeter")
    weather_eq = reg.new("weather")
    dust_fixed = rng.random() < 0.3
    designs = {(p.name, f): _Design(p, factors[f], V.FACTORS[f], rng, dust_fixed)
               for p in posts for f in p.factors if f != "噪声"}
    exceed_budget = 1 if rng.random() < 0.3 else 0
    over_keys: set[tuple[str, str]] = set()
    if exceed_budget:
        k = rng.choice(sorted(designs))
        over_keys.add(k)
    subjects: dict[tuple[str, str, int], str] = {}
    shift_start = rng.choice([8 * 60, 8 * 60, 8 * 60 + 30])
    days: list[SamplingDay] = []
    results_plan: list[tuple[Post, str, dt.date, int, list[Sample]]] = []
    seq = 0
    sample_fmt_wide = False
    noise_posts = [p for p in posts if "噪声" in p.factors]
    for di, d in enumerate(sampling_dates):
        dust_pumps.busy.clear()
        gas_pumps.busy.clear()
        dust_pumps.pool = list(reg.by_kind.get("dust_pump", []))
        gas_pumps.pool = list(reg.by_kind.get("gas_pump", []))
        n_samplers = 3 if (len(posts) > 8 and rng.random() < 0.6) else rng.choice([2, 2, 3])
        samplers = rng.sample(field_people, n_samplers)
        checker = rng.choice([n for n in field_people + reviewers if n not in samplers])
        day_samples: list[Sample] = []
        first_time: dict[str, tuple[int, str]] = {}
        for p in posts:
            for f in p.factors:
                if f == "噪声":
                    continue
                des = designs[(p.name, f)]
                spec = factors[f]
                level_over = (p.name, f) in over_keys and di == 0
                for pt in range(des.points):
                    row_samples: list[Sample] = []
                    base_conc = _pick_level(rng, level_over) * (spec.pc_twa or spec.mac or 1)
                    for r in des.rows:
                        book = dust_pumps if spec.kind == "dust" else gas_pumps
                        if r["long"]:
                            segs = _split_hours(p.exposure_hours, 2) if p.exposure_hours > 4 else [p.exposure_hours]
                            pump = None
                            subject = ""
                            if r["mode"] == "个体":
                                # the same worker wears the pumps for 总尘/呼尘 and for the benzene series
                                key = (p.name, "苯系" if f in ("苯", "甲苯", "二甲苯") else f[:2], pt)
                                subject = subjects.setdefault(key, names.take())
                            for si, seg in enumerate(segs):
                                minutes = int(seg * 60) - rng.randrange(8, 36)
                                # volume = flow × minutes must need no rounding (0.05 L/min → even minutes)
                                while (dec(r["flow"]) * minutes) % Decimal("0.1"):
                                    minutes -= 1
                                if si == 0:
                                    st = shift_start + rng.randrange(5, 25)
                                else:
                                    st = shift_start + 5 * 60 + rng.randrange(3, 20)
                                pump = book.take(st, st + minutes, p.site, prefer=pump)
                                fb, fa = _flows(rng, r["flow"])
                                conc = base_conc * rng.uniform(0.75, 1.25)
                                row_samples.append(Sample(
                                    sample_id="", date=d, post=p.name, site=p.site, factor=f, mode=r["mode"],
                                    start=fmt_hm(st), end=fmt_hm(st + minutes), minutes=minutes,
                                    flow_before=fb, flow_after=fa, pump_id=pump.equipment_id,
                                    collector=spec.collector, purpose="TWA", represent_hours=seg,
                                    mass_ug=conc, subject=subject,
                                ))
                        else:
                            n = r["n"]
                            hours = _split_hours(p.exposure_hours, n) if "TWA" in r["purpose"] else [None] * n
                            slots = sorted(rng.sample(range(0, 6), n))
                            for si in range(n):
                                # spread over the shift, avoiding the lunch hour
                                slot = slots[si]
                                st = shift_start + 30 + slot * 70 + (60 if slot >= 3 else 0) + rng.randrange(0, 25)
                                pump = book.take(st, st + 15, p.site)
                                fb, fa = _flows(rng, r["flow"])
                                mult = rng.uniform(0.8, 1.3) if r["purpose"] != "STEL" else rng.uniform(1.1, 1.5)
                                conc = base_conc * mult
                                if r["purpose"] == "STEL" and spec.pc_stel:
                                    conc = min(conc, spec.pc_stel * (0.95 if not level_over else 1.6))
                                row_samples.append(Sample(
                                    sample_id="", date=d, post=p.name, site=p.site, factor=f, mode=r["mode"],
                                    start=fmt_hm(st), end=fmt_hm(st + 15), minutes=15,
                                    flow_before=fb, flow_after=fa, pump_id=pump.equipment_id,
                                    collector=spec.collector, purpose=r["purpose"], represent_hours=hours[si],
                                    mass_ug=conc,
                                ))
                    for smp in row_samples:  # mass from the target concentration, then the printed conc
                        smp.mass_ug = _mass_for(rng, smp.mass_ug, smp.volume_l, spec.kind == "dust")
                        recompute_sample(smp, spec)
                        t0 = hm(smp.start)
                        if f not in first_time or t0 < first_time[f][0]:
                            first_time[f] = (t0, p.site)
                    row_samples.sort(key=lambda x: hm(x.start))
                    day_samples += row_samples
                    results_plan.append((p, f, d, pt, row_samples))
        # field blanks: one per factor per day, opened at the factor's first site (i051)
        for f in [x for x in factors if x != "噪声" and x in first_time]:
            t0, site = first_time[f]
            day_samples.append(Sample(
                sample_id="", date=d, post="", site=site, factor=f, mode="空白", start=fmt_hm(t0), end=fmt_hm(t0),
                minutes=0, flow_before=None, flow_after=None, pump_id="", is_blank=True,
                collector=factors[f].collector, mass_ug=0.0, conc=None,
            ))
        if len(day_samples) > 99:
            sample_fmt_wide = True
        equipment = []
        seen_ids = set()
        for smp in day_samples:
            if smp.pump_id and smp.pump_id not in seen_ids:
                seen_ids.add(smp.pump_id)
                equipment.append(next(e for k in ("dust_pump", "gas_pump") for e in reg.by_kind.get(k, []) if e.equipment_id == smp.pump_id))
        equipment += [flowmeter, weather_eq]
        if di == 0 and noise_posts:
            equipment += [reg.first("slm"), reg.first("calibrator")]
        month = d.month
        temp = round(rng.uniform(8, 18) if month in (3, 4) else rng.uniform(18, 33) if month in (5, 9) else rng.uniform(24, 34), 1)
        days.append(SamplingDay(
            date=d, weather=rng.choice(V.WEATHER), temperature_c=temp,
            pressure_kpa=round(rng.uniform(99.2, 101.8), 1), humidity_pct=rng.randrange(35, 80),
            samplers=samplers, escort=employer.escort, checker=checker, equipment=equipment,
            calibration_before=True, calibration_after=True, samples=day_samples,
        ))

    # ---- sample ids (Style.sample_id_format), unique across the bundle
    style = make_style(rng, scanned)
    scheme_b = None
    if family == "b":  # its own generator: the builder's stream stays as family A's
        scheme_b = random.Random(f"family-b-ids:{seed}:{index}").choice(SAMPLE_ID_SCHEMES_B)
        style.family = "b"
        style.sample_id_format = scheme_b
    for day in days:
        day.samples.sort(key=lambda x: (x.is_blank, list(factors).index(x.factor), x.post, hm(x.start)))
        nblank = 0
        for nn, smp in enumerate(day.samples, 1):
            seq += 1
            if scheme_b:
                nblank += smp.is_blank
                smp.sample_id = format_sample_id_b(scheme_b, day.date, nn, nblank, factors[smp.factor].kind,
                                                   smp.is_blank, sample_fmt_wide)
            else:
                smp.sample_id = format_sample_id(style.sample_id_format, day.date, nn, seq, abbr, sample_fmt_wide)
    all_samples = [x for d in days for x in d.samples]
    assert len({x.sample_id for x in all_samples}) == len(all_samples)

    # ---- noise (direct reading, day 1)
    slm = reg.by_kind.get("slm", [None])[0]
    noise: list[NoiseMeasurement] = []
    for p in noise_posts:
        over = rng.random() < 0.15
        laeq = round(rng.uniform(86.5, 95.0) if over else rng.uniform(72.0, 86.0), 1)
        lex = lex_8h(laeq, p.exposure_hours)
        cb = round(rng.uniform(93.7, 94.1), 1)
        noise.append(NoiseMeasurement(
            date=sampling_dates[0], post=p.name, site=p.site, laeq=laeq, exposure_hours=p.exposure_hours,
            lex8h=lex, instrument_id=slm.equipment_id, calibrator_before=cb,
            calibrator_after=round(cb + rng.choice([-0.2, -0.1, 0.0, 0.1, 0.2]), 1),
            limit=V.NOISE_LIMIT_DBA, judgement="合格" if lex <= V.NOISE_LIMIT_DBA else "不合格",
        ))

    # ---- results
    results: list[ResultRow] = []
    for p, f, d, pt, smps in results_plan:
        spec = factors[f]
        row = ResultRow(
            workshop=p.workshop, post=p.name, site=p.site, factor=f, sample_ids=[x.sample_id for x in smps],
            c_twa=None, c_stel=None, c_mac=None, limit_twa=spec.pc_twa, limit_stel=spec.pc_stel,
            limit_mac=spec.mac, judgement="", date=d,
        )
        vals = row_values(row, {x.sample_id: x for x in smps}, spec)
        row.c_twa, row.c_stel, row.c_mac = vals["c_twa"], vals["c_stel"], vals["c_mac"]
        row.judgement = judge(spec, row.c_twa, row.c_stel, row.c_mac)
        results.append(row)

    # ---- plan
    plan_rows: list[PlanRow] = []
    for p in posts:
        for f in p.factors:
            if f == "噪声":
                plan_rows.append(PlanRow(p.name, p.site, f, "定点", 1, 3, 1, 0, None, "积分声级计", "正常生产时段"))
                continue
            des = designs[(p.name, f)]
            for r in des.rows:
                if r["long"]:
                    per_day = 2 if p.exposure_hours > 4 else 1
                    minutes = int(min(4.0, p.exposure_hours) * 60)
                    period = f"{fmt_hm(shift_start)}-{fmt_hm(shift_start + 240)}，{fmt_hm(shift_start + 300)}-{fmt_hm(shift_start + 540)}" if per_day == 2 else f"{fmt_hm(shift_start)}-{fmt_hm(shift_start + minutes)}"
                    points = des.points
                else:
                    per_day, minutes, points = r["n"], 15, des.points
                    period = "作业高峰时段" if r["purpose"] in ("STEL", "MAC") else "上午、下午分时段"
                plan_rows.append(PlanRow(p.name, p.site, f, r["mode"], points, per_day, n_days, minutes,
                                         r["flow"], factors[f].collector, period))
    min_store = min((V.FACTORS[f].storage_days for f in factors if f != "噪声"), default=30)
    conds = []
    for f in factors:
        t = V.FACTORS[f]
        if f != "噪声" and f"{t.collector}：{t.storage}" not in conds:
            conds.append(f"{t.collector}：{t.storage}")
    plan = Plan(
        plan_no=f"{abbr}-FA-{sampling_dates[0]:%y%m}{rng.randrange(1, 99):02d}",
        rows=plan_rows, sampling_dates=list(sampling_dates),
        equipment=sorted({e.name for d in days for e in d.equipment}),
        storage_conditions="；".join(conds), storage_days=min_store,
        author=rng.choice([a for a in authors if a in field_people] or authors), author_date=author,
        reviewer=None, review_date=review, approver=identity.technical_director,
        approver_title="技术负责人", approve_date=approve,
    )
    plan.reviewer = rng.choice([r for r in reviewers if r != plan.author] or [identity.quality_manager])

    # ---- transfers and lab sheets
    sample_manager = next(p.name for p in identity.staff if p.title == "样品管理员")
    lab_staff = [n for n in lab_people if n != sample_manager] or lab_people
    batch = n_days > 1 and min_store >= n_days + 3 and rng.random() < 0.6
    transfers: list[Transfer] = []
    groups: list[tuple[dt.date, list[Sample], str]] = []
    if batch:
        groups.append((sampling_dates[-1], all_samples, days[-1].samplers[0]))
    else:
        groups += [(d.date, d.samples, d.samplers[0]) for d in days]
    storage_txt = "0~4℃冷藏" if any(V.FACTORS[f].storage_days <= 14 for f in factors if f != "噪声") else "常温干燥"
    for gdate, smps, sender in groups:
        transfers.append(Transfer(
            date=gdate, time=fmt_hm(rng.randrange(17 * 60, 19 * 60)), sender=sender, receiver=sample_manager,
            condition=rng.choice(V.TRANSFER_CONDITIONS), storage=storage_txt,
            sample_ids=[x.sample_id for x in smps],
        ))
    lab_sheets: list[LabSheet] = []
    lab_instr: dict[str, Equipment] = {}
    for tr, (gdate, smps, _) in zip(transfers, groups):
        for f in factors:
            if f == "噪声":
                continue
            fs = [x for x in smps if x.factor == f]
            if not fs:
                continue
            t = V.FACTORS[f]
            spec = factors[f]
            earliest = min(x.date for x in fs)
            slack = (earliest + dt.timedelta(days=min_store) - tr.date).days
            analysis = tr.date + dt.timedelta(days=rng.randrange(0, max(1, min(slack, 4) + 1)))
            if t.lab_kind not in lab_instr:
                lab_instr[t.lab_kind] = reg.new(t.lab_kind)
            inst = lab_instr[t.lab_kind]
            spec.lab_instrument = reg.models[t.lab_kind][0]
            analyst, lab_reviewer = rng.sample(lab_staff if len(lab_staff) >= 2 else lab_people, 2)
            chrom = t.lab_kind != "balance"
            lab_sheets.append(LabSheet(
                factor=f, receipt_date=tr.date, analysis_date=analysis, method=spec.lab_method,
                instrument=reg.models[t.lab_kind][0] + " " + reg.models[t.lab_kind][1], instrument_id=inst.equipment_id,
                curve_r=round(rng.uniform(0.9991, 0.9999), 4) if chrom else None,
                method_blank=("未检出" if chrom else "空白滤膜增重 0.00 mg"),
                qc=(f"加标回收率 {rng.uniform(92, 104):.1f}%" if t.lab_kind in ("gc", "uv", "ic")
                    else f"质控样测定值 {rng.uniform(0.96, 1.03):.3f} mg/L（保证值 1.00±0.05）" if t.lab_kind == "aas"
                    else "标准砝码 100.00 mg 称量核查合格"),
                analyst=analyst, reviewer=lab_reviewer,
                rows=[LabRow(x.sample_id, x.mass_ug, "空白" if x.is_blank else "") for x in fs],
                storage=t.storage, storage_days=t.storage_days,
            ))

    # ---- report
    last_analysis = max(s.analysis_date for s in lab_sheets)
    issue = workday_after(last_analysis, rng.randrange(3, 12))
    survey_techs = rng.sample(field_people, rng.choice([2, 2, 3]))
    leader = next((n for n in survey_techs if n in leaders), None)
    if leader is None:
        leader = rng.choice(leaders)
        survey_techs[0] = leader
    rep_author = rng.choice([a for a in authors if a != plan.reviewer and a != identity.authorized_signatory])
    rep_reviewer = rng.choice([r for r in reviewers + [identity.technical_director] if r != rep_author])
    jobs: dict[str, list[str]] = {}

    def add(name: str, role: str) -> None:
        if role not in jobs.setdefault(name, []):
            jobs[name].append(role)

    add(leader, V.ROLE_LEAD)
    for n in survey_techs:
        add(n, V.ROLE_SURVEY)
    for d in days:
        for n in d.samplers:
            add(n, V.ROLE_SAMPLING)
    for sh in lab_sheets:
        add(sh.analyst, V.ROLE_LAB)
        add(sh.reviewer, V.ROLE_LAB)
    add(rep_author, V.ROLE_AUTHOR)
    add(rep_reviewer, V.ROLE_REVIEW)
    add(identity.authorized_signatory, V.ROLE_SIGN)
    team = [TeamMember(n, "、".join(r), staff[n].specialty) for n, r in jobs.items()]
    report_no = rng.choice(["{A}-2022-DJ-{n:04d}", "{A}-JC2022-{n:03d}", "{A}(2022)DJ-{n:04d}", "{A}-DJ-22{n:03d}"]).format(
        A=abbr, n=rng.randrange(12, 680))
    basis = ["《中华人民共和国职业病防治法》", "《工作场所职业卫生管理规定》（国家卫生健康委员会令第5号）",
             "GBZ 159-2004《工作场所空气中有害物质监测的采样规范》", "GBZ 2.1-2019《工作场所有害因素职业接触限值 第1部分：化学有害因素》"]
    if noise_posts:
        basis += ["GBZ 2.2-2007《工作场所有害因素职业接触限值 第2部分：物理因素》", "GBZ/T 189.8-2007《工作场所物理因素测量 第8部分：噪声》"]
    for f, spec in factors.items():
        if spec.lab_method and spec.lab_method not in " ".join(basis):
            basis.append(spec.lab_method)
    if sio2 is not None:
        basis.append("GBZ/T 192.4-2007《工作场所空气中粉尘测定 第4部分：游离二氧化硅含量》")
    report = Report(
        report_no=report_no, title=f"{employer.name}职业病危害因素定期检测报告", issue_date=issue,
        author=rep_author, reviewer=rep_reviewer, issuer=identity.authorized_signatory, team=team,
        results=results, noise=noise, basis=basis, conclusions=[], recommendations=[],
    )

    # ---- contract, review, survey
    fee = rng.randrange(60, 400) * 100
    contract = Contract(
        contract_no=f"{abbr}HT-2022-{rng.randrange(10, 400):03d}", sign_date=sign,
        service_content="职业病危害因素定期检测",
        scope=f"{employer.name}厂区内{'、'.join(sorted({p.workshop for p in posts}))}等存在职业病危害因素的作业场所",
        completion_time=rng.choice(["现场采样结束后20个工作日内出具检测报告", "合同签订后45日内完成并提交检测报告",
                                    "自现场采样完成之日起30日内出具报告"]),
        fee=f"人民币 {fee:,} 元",
        party_a_duties=["提供真实、完整的生产工艺、原辅材料及岗位设置等资料", "检测期间保证生产正常运行，并安排专人陪同",
                        "按约定支付技术服务费用"],
        party_b_duties=["按照国家法律法规及标准规范开展检测工作", "对检测数据的真实性、准确性负责",
                        "对甲方的技术资料和商业秘密予以保密", "按约定时间出具检测报告"],
        party_a_signer=employer.contact, party_b_signer=identity.legal_rep if rng.random() < 0.5 else leader,
        pages=rng.choice([2, 2, 3]),
    )
    contract_review = ContractReview(
        date=review_date, points={"法律法规标准": True, "检测能力": True, "人员": True, "设备": True},
        reviewers=[identity.technical_director, identity.quality_manager] + ([leader] if rng.random() < 0.5 else []),
        conclusion="经评审，委托方要求明确，依据的法律法规及标准现行有效，本机构具备相应的检测能力、人员和设备，同意承接。",
    )
    survey = Survey(
        project_name=f"{employer.name}职业病危害因素定期检测", project_no=f"{abbr}-XM-{sign:%y%m}{rng.randrange(1, 99):02d}",
        scope=contract.scope, dates=survey_dates, technicians=survey_techs, escort=employer.escort,
        workday=[WorkdayRecord(p.name, p.workers, p.shift, p.exposure_hours, p.work_content) for p in posts],
        # a material whose hazardous component no post of this plant is exposed to is not
        # this plant's (i059: every hazard the survey names from the materials is tested)
        raw_materials=[RawMaterial(n, a, c, list(h)) for n, a, c, h in industry.raw_materials
                       if set(h) <= {f.scope_name for f in factors.values()}],
        processes=industry.processes, equipment=industry.equipment, facilities=industry.protections,
        ppe=industry.ppe, sio2_percent=sio2,
        basics={"name": employer.name, "address": employer.address, "scale": employer.scale,
                "workers": f"{employer.workers_total}人", "industry": f"{employer.industry_name}（{employer.industry_code}）",
                "products": employer.products, "contact": employer.contact, "phone": employer.phone},
    )

    # ---- disclosure and photos
    wd = workdays(issue + dt.timedelta(days=1), issue + dt.timedelta(days=40))
    submitted = wd[rng.randrange(0, 12)]
    public = submitted if rng.random() < 0.5 else workday_after(submitted, rng.randrange(1, 3))
    disclosure = Disclosure(
        submitted_date=submitted, public_date=public,
        items=["用人单位名称、地址及联系人", "技术服务项目组人员名单", "现场调查、现场采样、现场检测的专业技术人员名单及时间",
               "用人单位陪同人", "证明现场调查、现场采样、现场检测的影像资料"],
        url=f"http://{identity.website}/gs/{issue:%Y%m}/{rng.randrange(100, 999)}.html",
    )
    photos: list[Photo] = []
    for d in survey_dates:
        photos.append(Photo("厂区门口合影（现场调查）", dt.datetime.combine(d, dt.time(8, rng.randrange(30, 59)), TZ), "gate"))
    for day in days:
        photos.append(Photo("厂区门口合影（现场采样）", dt.datetime.combine(day.date, dt.time(7, rng.randrange(35, 59)), TZ), "gate"))
        shown = [x for x in day.samples if not x.is_blank]
        for smp in rng.sample(shown, min(len(shown), rng.randrange(2, 4) + len(posts) // 12)):
            t = hm(smp.start) + rng.randrange(0, max(1, smp.minutes))
            photos.append(Photo(f"采样现场 - {smp.post}（{smp.factor}）",
                                dt.datetime.combine(day.date, dt.time(t // 60, t % 60), TZ), "sampling", smp.post))
    for m in noise[: 1 + len(noise) // 6]:
        t = shift_start + rng.randrange(60, 400)
        photos.append(Photo(f"噪声测量 - {m.post}", dt.datetime.combine(m.date, dt.time(t // 60, t % 60), TZ), "noise", m.post))
    photos.sort(key=lambda p: p.timestamp)

    # ---- submission window (2023 monitoring of a 2022 report)
    while True:
        nd = dt.date(2023, 4, 3) + dt.timedelta(days=rng.randrange(0, 85))
        if chinese_calendar.is_workday(nd):
            break
    notified = dt.datetime.combine(nd, dt.time(rng.choice([9, 9, 10, 14]), rng.choice([0, 0, 30])), TZ)
    received = notified + dt.timedelta(minutes=rng.randrange(120, 46 * 60))

    s = Scenario(
        bundle_id=f"HN-2023-{index + 1:03d}", seed=bundle_seed(seed, index), notified_at=notified, received_at=received,
        identity=identity, employer=employer, factors=factors, posts=posts, contract=contract,
        contract_review=contract_review, survey=survey, plan=plan, sampling_days=days, noise=noise,
        transfers=transfers, lab_sheets=lab_sheets, report=report, disclosure=disclosure, photos=photos,
        style=style, anonymized=AnonSpec(),
    )
    report_content.fill(s)
    add_admin_content(s)
    refresh_report_texts(s)
    return s


def refresh_report_texts(s: Scenario) -> None:
    """Conclusions, cause analyses and recommendations that follow the printed judgements
    (i064–i066), in this bundle's wording (``samples.wording``)."""
    wording.refresh(s)


def submission_dict(s: Scenario) -> dict:
    """The intake record (``submission.json``) exactly as the spec's example."""
    i = s.identity
    return {
        "bundle_id": s.bundle_id,
        "notified_at": s.notified_at.isoformat(),
        "received_at": s.received_at.isoformat(),
        "report_no": s.report.report_no,
        "institution": {
            "name": i.name,
            "aliases": list(i.aliases),
            "certificate_no": i.certificate_no,
            "address": i.address,
            "lab_address": i.lab_address,
            "phone": i.phone,
            "website": i.website,
            "email": i.email,
            "legal_rep": i.legal_rep,
            "valid_from": i.valid_from.isoformat(),
            "valid_to": i.valid_to.isoformat(),
            "scope": {"industries": list(i.scope_industries), "factors": list(i.scope_factors)},
            "staff": [{"name": p.name, "roles": list(p.roles), "specialty": p.specialty}
                      | ({"title": p.title} if p.title else {}) for p in i.staff],
        },
        "employer": {"name": s.employer.name, "industry_code": s.employer.industry_code},
    }
