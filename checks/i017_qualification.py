"""Qualification scope and validity (资质认可范围、检测项目、有效期), items 17, 18 and 19.

Attachment 3, 一、资质条件保持和符合性 / (七)严重违法失信记录:

- (17)是否超出资质认可范围开展本次服务活动。★
- (18)是否超出资质附录的检测项目开展本次服务活动。★
- (19)是否超过资质有效期开展本次技术服务活动。★

Method (shared by the three items): "联络员提前查询职业卫生技术服务机构管理信息系统，获取机构
资质业务范围和检测项目。查阅抽取的技术服务报告，检查是否有超出资质范围、检测项目和资质有效期
开展工作的。"

The registry facts (``institution.valid_from/valid_to``, ``institution.scope.industries``,
``institution.scope.factors``) come from submission.json, written by the QC center. When
they are absent the checks say "cannot decide" and name it as an intake-data gap: the
institution is not at fault for the center's missing registry record.

- 19 ``qualification.expired``: every service date read (field survey, sampling /
  measurement, report issue) must lie within [valid_from, valid_to].
- 18 ``qualification.factor_out_of_scope``: every factor tested (plan rows, sampling
  sheets, lab sheets, report results) must be one of the registered test items. Names are
  normalised (``矽尘(呼尘)`` → 矽尘, ``铅烟`` → 铅及其无机化合物, ``氯化氢`` → 氯化氢及盐酸);
  distinct substances whose names differ by a character (苯 / 甲苯 / 二甲苯) never match.
- 17 ``qualification.out_of_scope``: the employer's industry code (GB/T 4754, e.g. C3391)
  must fall under a registered industry class (e.g. C33).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Optional

from checks._shared_dates import fmt_dates, latest_possible, pages_zh, parse_iso_date, read_by_ocr
from checks.base import CANNOT_DECIDE, Ctx, check, fmt_date
from extractors.records import Val
from pipeline.ocr_tolerance import date_variants

# ------------------------------------------------------------------ registry access


def _registry_absent(ctx: Ctx) -> bool:
    """The whole institution registry record is missing from submission.json."""
    inst = ctx.institution
    return not any(inst.get(k) for k in ("valid_from", "valid_to", "scope", "certificate_no"))


def _intake_gap(ctx: Ctx, indicator: int, what: str):
    msg = (f"submission.json 中缺少机构资质登记信息（{what}），指标{indicator}无法自动核查。"
           "这是质控中心录入数据的缺失，并非机构材料问题：请从职业卫生技术服务机构管理信息系统补录后重新核查，或由专家人工核对")
    return ctx.finding(CANNOT_DECIDE, indicator, msg, [])


# ------------------------------------------------------------------ 19 validity

# Sampling dates are the core of "开展本次技术服务活动"; OCR-noisy dates below this
# confidence are not trusted to raise a veto pre-flag on their own.
_MIN_DATE_CONF = 0.75


@check("i019_qualification_validity", indicators=[19])
def qualification_validity(ctx: Ctx):
    """Survey, sampling and report issue dates lie within the qualification validity (submission.json)."""
    if _registry_absent(ctx):
        return  # said once by i017_qualification_industry
    inst = ctx.institution
    vf, vt = parse_iso_date(inst.get("valid_from")), parse_iso_date(inst.get("valid_to"))
    if vf is None and vt is None:
        yield _intake_gap(ctx, 19, "资质有效期 valid_from/valid_to")
        return
    recs = ctx.records
    dated: list[tuple[str, Val]] = []
    if recs.field_survey is not None:
        dated += [("现场调查日期", v) for v in recs.field_survey.dates if v.ok]
    dated += [("现场采样/检测日期", s.date) for s in recs.sampling_records if s.date.ok]
    if recs.report is not None and recs.report.issue_date.ok:
        dated.append(("报告出具日期", recs.report.issue_date))
    dated = [(k, v) for k, v in dated if isinstance(v.value, dt.date)]
    if not dated:
        pages = ctx.section_pages("sampling_record") + ctx.section_pages("report")
        yield ctx.cannot_decide(19, "现场调查、采样日期和报告出具日期", pages=pages)
        return

    def outside(d: dt.date) -> bool:
        return bool((vf and d < vf) or (vt and d > vt))

    latest = latest_possible(ctx)
    pages_of: dict[dt.date, set] = {}
    for _, v in dated:
        pages_of.setdefault(v.value, set()).add(v.page)
    ordered = sorted(v.value for _, v in dated)
    mid = ordered[len(ordered) // 2]

    def misread(v: Val) -> bool:
        """On a scan, a date read on one page only that one commonly confused digit would
        turn into a valid date near the other service dates is likely a misreading."""
        if not read_by_ocr(ctx, v) or len(pages_of[v.value]) >= 2:
            return False
        return any(not outside(x) and abs((x - mid).days) <= 90 for x in date_variants(v.value))

    bad = [(k, v) for k, v in dated
           if v.conf >= _MIN_DATE_CONF and outside(v.value)
           # a date after the bundle was received is a misreading or a typo, not service work
           and not (latest and v.value > latest)
           and not misread(v)]
    if not bad:
        return
    validity = f"{fmt_date(vf) if vf else '?'}至{fmt_date(vt) if vt else '?'}"
    parts, pages = [], []
    for kind in ("现场调查日期", "现场采样/检测日期", "报告出具日期"):
        vs = [v for k, v in bad if k == kind]
        if vs:
            ps = [v.page for v in vs]
            pages += ps
            parts.append(f"{kind}{fmt_dates(v.value for v in vs)}（{pages_zh(ps)}）")
    side = "早于资质生效日期" if all(vf and v.value < vf for _, v in bad) else "晚于资质有效期截止日期" \
        if all(vt and v.value > vt for _, v in bad) else "超出资质有效期"
    msg = (f"机构资质证书{inst.get('certificate_no') or ''}有效期为{validity}（质控中心登记信息），"
           f"本次服务的{'；'.join(parts)}{side}，疑似超过资质有效期开展技术服务")
    yield ctx.finding("qualification.expired", 19, msg, [v for _, v in bad][:8], pages=pages)


# ------------------------------------------------------------------ 18 factors


# Names of the same factor (spelling variants, not numeric rules); compared after _norm().
_SAME: tuple[tuple[str, ...], ...] = (
    ("噪声", "噪音", "生产性噪声", "工作场所噪声", "稳态噪声", "非稳态噪声", "脉冲噪声"),
    ("矽尘", "砂尘", "游离二氧化硅粉尘", "二氧化硅粉尘", "游离二氧化硅", "游离SiO2", "矽尘总尘", "矽尘呼尘"),
    ("手传振动", "手臂振动", "局部振动"),
    ("电焊烟尘", "焊接烟尘"),
    ("其他粉尘", "其它粉尘"),
    ("水泥粉尘", "水泥尘"),
    ("石墨粉尘", "石墨尘"),
    ("一氧化碳", "CO"),
    ("高温", "高温作业"),
)
# A group name that covers its members (one way only). NOx is the group name of NO and
# NO2 (GBZ 2.1-2019 merged the NO limit into NO2).
_GROUPS: dict[str, tuple[str, ...]] = {
    "氮氧化物": ("一氧化氮", "二氧化氮"),
}
# Qualifiers that never change which registered item a measurement belongs to.
_QUALIFIER = re.compile(r"(总尘|呼尘|呼吸性粉尘|总粉尘|呼吸尘)$")
# Text that is a form title or a label, not a factor (extractors sometimes pick them up).
_NOT_FACTOR = re.compile(r"记录|方案|报告|续|表|检测|采样|测量|监测|项目|因素|合计|以下空白|序号|^空白$|样品"
                         r"|编制|编写|审核|批准|审批|签发|签字|签名|日期|负责人|人员|盖章")
# Physical factors of GBZ 2.2 (not in the chemical/dust CSVs), so they count as known names.
_PHYSICAL = ("噪声", "高温", "手传振动", "全身振动", "工频电场", "高频电磁场", "超高频辐射", "微波辐射", "紫外辐射",
             "激光辐射", "低温", "高气压", "低气压")
_SPLIT = re.compile(r"[、,，;；/]")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s)
    return s.replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")


def _paren_split(s: str) -> tuple[str, list[str]]:
    """``铅及其无机化合物(按Pb计)(铅尘、铅烟)`` → ("铅及其无机化合物", ["按Pb计", "铅尘、铅烟"])."""
    inner = re.findall(r"\(([^()]*)\)", s)
    base = re.sub(r"\([^()]*\)", "", s)
    return base, inner


def _split_outside_parens(s: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and _SPLIT.match(ch):
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x for x in out if x]


def _base(name: str) -> str:
    base, _ = _paren_split(_norm(name))
    base = re.sub(r"[-—_·]+$", "", base)
    stripped = _QUALIFIER.sub("", base)
    return stripped if stripped else base


class ScopeItem:
    """One registered test item with what it covers."""

    def __init__(self, text: str):
        self.text = text
        t = _norm(text)
        base, inner = _paren_split(t)
        self.names: set[str] = set()
        self.elements: list[str] = []  # "X及其(无机)化合物" → X covers its compounds
        self.excluded: set[str] = set()
        m = re.match(r"^(.+?)及其(.{0,6}?)化合物", base)
        if m:  # 锰及其无机化合物, 钨及其不溶性化合物: the element and its compounds
            self.elements.append(m.group(1))
            self.names.add(m.group(1))
        else:  # 氯化氢及盐酸, 硫酸及三氧化硫: alternatives
            for part in re.split(r"及|和|与|、", base):
                part = part.strip("-—_")
                if part:
                    self.names.add(part)
        # child form of the GBZ table: "铅及其无机化合物-铅尘"
        if "-" in base:
            for p in base.split("-"):
                if p:
                    self.names.add(p)
        for x in inner:
            if x.startswith("不含") or x.startswith("不包括"):
                self.excluded |= {y for y in _SPLIT.split(re.sub(r"^不(含|包括)", "", x)) if y}
            elif not x.startswith("按"):  # "按Pb计" is a unit basis, not a name
                self.names |= {y for y in _SPLIT.split(x) if y and not re.search(r"[<>≤≥%]", y)}
        self.names.add(base)
        for group in _SAME:
            if self.names & set(group):
                self.names |= set(group)
        for head, members in _GROUPS.items():
            if head in self.names:
                self.names |= set(members)

    def covers(self, name: str) -> bool:
        n = _base(name)
        if n in self.excluded:
            return False
        if n in self.names or _norm(name) in self.names:
            return True
        # a metal's fume or dust, or a named compound of it (二氧化锰, 铅烟)
        return any(len(el) <= 2 and el in n for el in self.elements)


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Factor names of GBZ 2.1 (domain CSVs): a name listed there is a substance of its own."""
    out: set[str] = set()
    for fn in ("oel_gbz2.1-2019.csv", "dust_oel_gbz2.1-2019.csv"):  # copies of shared/domain
        try:
            text = resources.files("checks").joinpath("data", fn).read_text(encoding="utf-8")
        except (FileNotFoundError, OSError):
            continue
        for row in csv.DictReader(io.StringIO(text)):
            out |= ScopeItem(row.get("name_cn") or "").names
    for group in _SAME:
        out |= set(group)
    out |= set(_PHYSICAL)
    return frozenset(x for x in out if x)


def _fuzzy_variant(name: str, items: list[ScopeItem]) -> Optional[ScopeItem]:
    """A registered item ``name`` is probably an OCR misreading of, or None.

    Only for names that are not themselves a known substance: 二甲苯 is a real factor and
    never an OCR variant of 甲苯. The ratio threshold keeps one-character changes in short
    names (乙苯/甲苯, 甲醇/甲醛) apart.
    """
    from rapidfuzz import fuzz

    n = _base(name)
    if n in _known_names():
        return None
    best, score = None, 0.0
    for it in items:
        for alt in it.names:
            if abs(len(alt) - len(n)) > 1 or len(alt) < 3:
                continue
            s = fuzz.ratio(n, alt)
            if s > score:
                best, score = it, s
    return best if score >= 80 else None


def _factor_vals(ctx: Ctx) -> list[tuple[str, str, Val]]:
    """(factor name, where, Val) for every factor name read in the bundle."""
    r = ctx.records
    out: list[tuple[str, str, Val]] = []

    def add(v: Val, where: str):
        if not v.ok:
            return
        vals = v.value if isinstance(v.value, list) else [v.value]
        for raw in vals:
            for nm in _split_outside_parens(_norm(str(raw))):
                if not re.search(r"[\u4e00-\u9fff]", nm) or _NOT_FACTOR.search(nm) or len(_base(nm)) > 24:
                    continue
                out.append((nm, where, v))

    if r.report is not None:
        for row in r.report.results:
            add(row.get("factor"), "检测报告")
        if r.report.noise:
            n0 = r.report.noise[0]
            out.append(("噪声", "检测报告", Val(value="噪声", page=n0.page, bbox=n0.bbox, raw="噪声", conf=0.9)))
    if r.detection_plan is not None:
        for row in r.detection_plan.rows:
            add(row.get("factor"), "检测方案")
    for s in r.sampling_records:
        add(s.factors, "现场采样/检测记录")
        for row in s.rows:
            if not row.value("is_blank"):
                add(row.get("factor"), "现场采样/检测记录")
    for sh in r.lab_sheets:
        add(sh.factor, "实验室分析记录")
    return out


@check("i018_qualification_factors", indicators=[18])
def qualification_factors(ctx: Ctx):
    """Every factor tested is among the registered test items (institution.scope.factors)."""
    if _registry_absent(ctx):
        return
    scope = (ctx.institution.get("scope") or {}).get("factors")
    if not scope:
        yield _intake_gap(ctx, 18, "资质附录检测项目 scope.factors")
        return
    items = [ScopeItem(x) for x in scope if str(x).strip()]
    found = _factor_vals(ctx)
    if not found:
        pages = ctx.section_pages("report") + ctx.section_pages("detection_plan")
        yield ctx.cannot_decide(18, "检测因素（检测项目）名称", pages=pages)
        return
    groups: dict[str, list[tuple[str, str, Val]]] = {}
    for nm, where, v in found:
        groups.setdefault(_base(nm), []).append((nm, where, v))
    for key, hits in groups.items():
        if any(it.covers(nm) for it in items for nm, _, _ in hits):
            continue
        if _fuzzy_variant(key, items) is not None:
            continue
        # one low-confidence OCR read is not enough for a veto pre-flag
        if max(v.conf for _, _, v in hits) < 0.8:
            continue
        # a name that is no known factor and was read in one kind of record only may be a
        # stray cell (a signature line parsed as a table row): not enough for a veto pre-flag
        if key not in _known_names() and len({w for _, w, _ in hits}) < 2:
            continue
        names = sorted({nm for nm, _, _ in hits})
        where, pages = [], []
        for w in ("检测方案", "现场采样/检测记录", "实验室分析记录", "检测报告"):
            ps = [v.page for nm, ww, v in hits if ww == w]
            if ps:
                pages += ps
                where.append(f"{w}{pages_zh(ps)}")
        ev, seen = [], set()
        for w in ("检测报告", "现场采样/检测记录", "实验室分析记录", "检测方案"):
            for _, ww, v in hits:
                if ww == w and (v.page, v.bbox) not in seen:
                    seen.add((v.page, v.bbox))
                    ev.append(v)
        msg = (f"本次检测了“{'、'.join(names)}”（{'；'.join(where)}），但该因素不在质控中心登记的机构资质附录检测项目中"
               f"（登记项目：{'、'.join(map(str, scope))}），疑似超出资质附录的检测项目开展服务")
        yield ctx.finding("qualification.factor_out_of_scope", 18, msg, ev[:6], pages=pages)


# ------------------------------------------------------------------ 17 industry

# GB/T 4754 codes: a section letter (门类) and/or 2–4 digits (大类 C33 … 小类 C3391)
_CODE = re.compile(r"^([A-Z])?(\d{2,4})?$")


def _code(s: str) -> Optional[tuple[Optional[str], str]]:
    t = unicodedata.normalize("NFKC", str(s or "")).upper().replace(" ", "").replace(".", "")
    m = _CODE.match(t)
    if not m or not t:
        return None
    return m.group(1), m.group(2) or ""


def _under(emp: tuple[Optional[str], str], cls: tuple[Optional[str], str]) -> bool:
    """Whether industry code ``emp`` (C3391) falls under registered class ``cls`` (C33, or section C)."""
    if emp[0] and cls[0] and emp[0] != cls[0]:
        return False
    if not cls[1]:
        return bool(cls[0]) and emp[0] == cls[0]  # a whole section (门类)
    return bool(emp[1]) and emp[1].startswith(cls[1])


@check("i017_qualification_industry", indicators=[17])
def qualification_industry(ctx: Ctx):
    """The employer's industry lies within the registered business scope (institution.scope.industries)."""
    if _registry_absent(ctx):
        msg = ("submission.json 中没有机构资质登记信息（资质有效期、业务范围、检测项目均缺失），指标17、18、19均无法自动核查。"
               "这是质控中心录入数据的缺失，并非机构材料问题：请从职业卫生技术服务机构管理信息系统补录后重新核查，或由专家人工核对")
        yield ctx.finding(CANNOT_DECIDE, 17, msg, [])
        return
    scope = (ctx.institution.get("scope") or {}).get("industries")
    if not scope:
        yield _intake_gap(ctx, 17, "资质业务范围 scope.industries")
        return
    emp_raw = ctx.employer.get("industry_code")
    emp = _code(emp_raw) if emp_raw else None
    if emp is None:
        yield _intake_gap(ctx, 17, f"用人单位行业代码 employer.industry_code{'（' + str(emp_raw) + '无法识别）' if emp_raw else ''}")
        return
    classes = [c for c in (_code(x) for x in scope) if c is not None]
    if any(_under(emp, c) for c in classes):
        return
    if len(classes) < len(scope):
        # some registered classes are written as names, not codes: cannot compare them
        yield ctx.finding(CANNOT_DECIDE, 17,
                          f"用人单位行业代码{emp_raw}不在登记业务范围的行业代码内，但登记范围中有无法识别为行业代码的条目"
                          f"（{'、'.join(str(x) for x in scope if _code(x) is None)}），指标17无法自动核查，请专家人工核对", [])
        return
    name = ctx.employer.get("name") or "用人单位"
    ev = []
    rep = ctx.records.report
    if rep is not None and rep.report_no.ok:
        ev.append(rep.report_no)
    msg = (f"{name}的行业代码为{emp_raw}，不属于质控中心登记的机构资质业务范围（{'、'.join(map(str, scope))}），"
           f"疑似超出资质认可范围开展本次服务")
    yield ctx.finding("qualification.out_of_scope", 17, msg, ev)
