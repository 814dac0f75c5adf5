"""What the report says about the employer, its materials, its posts and its basis.

The report restates facts the 现场调查记录 holds (i054 headcount, output and load; i056
raw materials and amounts; i057 shift and 劳动定员; i058 work content; i060 exposure
time and factors) and cites the standards it rests on (i053). ``fill`` writes the clean
report's own copy of those facts, equal to the survey's, into ``Report`` fields, and
chooses how this institution prints them (table or prose, wording variants). The
planters in ``samples.defects_report`` then change the report's copy only.

It draws from its own random stream (seeded by the bundle's seed), so the scenario's
stream, and with it every other fact of a bundle, stays what it was.
"""
from __future__ import annotations

import random
import re

from samples.model import PostExposure, RawMaterial, Scenario

_AMOUNT = re.compile(r"^\s*([\d.]+)\s*(万)?\s*t/a\s*$")


def reword_amount(amount: str, rng: random.Random) -> str:
    """The same amount as another institution prints it ("3600 t/a", "3600吨/年", …)."""
    m = _AMOUNT.match(amount)
    if not m:
        return amount  # 副产, 万片/a, 万m³/a: printed as the survey prints them
    n, wan = m.group(1), m.group(2) or ""
    return rng.choice([amount, f"{n}{wan}t/a", f"{n}{wan}吨/年", f"{n} {wan}吨/a", f"年用量{n}{wan}吨"])


def tonnes_text(t: float, variant: int) -> str:
    """Annual output in one of three ways: 2.4万吨, 24000吨, 24000 t/a."""
    if variant == 0 and t >= 10000:
        return f"{t / 10000:g}万吨"
    if variant == 2:
        return f"{t:g} t/a"
    return f"{t:g}吨"


def frequency(hours: float, rng: random.Random) -> str:
    if hours >= 8:
        return rng.choice(["每班连续接触", "持续接触，定岗作业", "连续接触"])
    return rng.choice([f"间断接触，每班约{rng.randrange(3, 9)}次", "间断接触，巡检作业", "间歇接触"])


def tested_at(s: Scenario) -> dict[str, list[str]]:
    """Factors the results (and the noise table) report per post, in the post's order."""
    got: dict[str, set[str]] = {}
    for r in s.report.results:
        got.setdefault(r.post, set()).add(r.factor)
    for m in s.report.noise:
        got.setdefault(m.post, set()).add("噪声")
    out = {}
    for p in s.posts:
        have = got.get(p.name, set())
        out[p.name] = [f for f in p.factors if f in have] + sorted(have - set(p.factors))
    return out


# (code, title) of the standards a report rests on
GBZ159 = ("GBZ 159-2004", "工作场所空气中有害物质监测的采样规范")
GBZ21 = ("GBZ 2.1-2019", "工作场所有害因素职业接触限值 第1部分：化学有害因素")
GBZ22 = ("GBZ 2.2-2007", "工作场所有害因素职业接触限值 第2部分：物理因素")
_NOISE_METHOD = ("GBZ/T 189.8-2007", "工作场所物理因素测量 第8部分：噪声")
_SIO2_METHOD = ("GBZ/T 192.4-2007", "工作场所空气中粉尘测定 第4部分：游离二氧化硅含量")
_TERMS = ("GBZ/T 224-2010", "职业卫生名词术语")
_LAWS = ["《中华人民共和国职业病防治法》", "《工作场所职业卫生管理规定》（国家卫生健康委员会令第5号）",
         "《职业卫生技术服务机构管理办法》（国家卫生健康委员会令第4号）"]


def cite(code: str, title: str, variant: int, with_title: bool = True) -> str:
    """One basis line: GBZ 159-2004《…》 | 《…》（GBZ 159-2004） | GBZ 159—2004 … ."""
    if variant == 2:
        code = code.replace("-", "—")
    if not title or not with_title:
        return code
    if variant == 1:
        return f"《{title}》（{code}）"
    if variant == 2:
        return f"{code} {title}"
    return f"{code}《{title}》"


def make_basis(s: Scenario, variant: int, rng: random.Random) -> list[str]:
    air = any(not x.is_blank for x in s.samples)
    chem = any(r.factor in s.factors and s.factors[r.factor].kind != "noise" for r in s.report.results)
    lines = list(_LAWS[: rng.choice([2, 3])])
    if air:
        lines.append(cite(*GBZ159, variant))
    if chem:
        lines.append(cite(*GBZ21, variant))
    if s.report.noise:
        lines.append(cite(*GBZ22, variant))
        lines.append(cite(*_NOISE_METHOD, variant, rng.random() < 0.7))
    methods = []
    for spec in s.factors.values():
        if spec.lab_method and spec.lab_method not in methods:
            methods.append(spec.lab_method)
    # method standards by code alone, as most reports list them
    lines += [cite(m, "", variant) for m in methods]
    if s.survey.sio2_percent is not None:
        lines.append(cite(*_SIO2_METHOD, variant, rng.random() < 0.6))
    if rng.random() < 0.4:
        lines.append(cite(*_TERMS, variant))
    return lines


def fill(s: Scenario) -> None:
    """Write the clean report's description of the employer, materials, posts and basis."""
    rng = random.Random(f"report-content:{s.seed}")
    rp, emp = s.report, s.employer
    rp.layout = {"basics": str(rng.randrange(3)), "basis": str(rng.randrange(3)),
                 "materials": rng.choice(["table", "prose"]), "posts": rng.choice(["table", "prose"])}
    rp.workers_total = emp.workers_total
    rp.products_text = emp.product_names
    rp.output_t = emp.output_t
    rp.load_pct = emp.load_pct
    rp.materials = [RawMaterial(m.name, reword_amount(m.amount, rng), m.components, list(m.hazards))
                    for m in s.survey.raw_materials]
    tested = tested_at(s)
    wd = {w.post: w for w in s.survey.workday}
    rp.post_analysis = []
    for p in s.posts:
        w = wd.get(p.name)
        hours = w.exposure_hours if w and w.exposure_hours is not None else p.exposure_hours
        rp.post_analysis.append(PostExposure(
            workshop=p.workshop, post=p.name,
            workers=w.workers if w and w.workers is not None else p.workers,
            shift=w.shift if w else p.shift, content=w.content if w else p.work_content,
            factors=list(tested.get(p.name, [])), exposure_hours=hours, frequency=frequency(hours, rng)))
    rp.basis = make_basis(s, int(rp.layout["basis"]), rng)
