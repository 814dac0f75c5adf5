"""The report's prose: conclusions, 超标原因分析 and recommendations, in many wordings.

Institutions write these passages in their own words, so each form family has its own
pool of wordings and each bundle draws one per passage (from its own seed, never from
the builder's generator: the facts stay what they are). Whatever the wording:

- the conclusions state the counts and name every exceeding post and factor, or say
  that all results comply when none exceeds (i064);
- every exceeding post has a cause analysis naming the post and the factor (i066);
- every exceedance has a recommendation naming its post or factor, beside generic
  advice that names neither posts nor factors (i065);
- recommendations never state causes, cause analyses never give the advice, so a
  planter can take one away without touching the other.

``ALL_OK`` lists the "everything complies" sentences; the self-check (``samples.defects``)
reads the conclusions with it.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional

from samples.model import Scenario

# "All compliant" conclusions, per family (i064 plants one over an exceedance).
ALL_OK = {
    "a": ["所检测岗位的职业病危害因素检测结果均符合国家职业接触限值要求。",
          "各检测点职业病危害因素浓度（强度）检测结果全部合格。",
          "本次检测的各岗位职业病危害因素浓度（强度）均未超过国家规定的职业接触限值。"],
    "b": ["经检测，该单位工作场所各岗位职业病危害因素检测结果均符合GBZ 2.1-2019、GBZ 2.2-2007的要求。",
          "本次检测的化学有害因素及物理因素全部合格。",
          "各岗位劳动者接触的职业病危害因素浓度（强度）均未超过职业接触限值，判定为合格。"],
}

_SUMMARY = {
    "a": ["本次共检测{posts}个岗位（工种），{factors}种职业病危害因素，检测结果{n}项，其中符合职业接触限值要求{ok}项，"
          "不符合{bad}项。",
          "本次定期检测涉及{posts}个岗位，检测{factors}种职业病危害因素共{n}项结果，合格{ok}项，不合格{bad}项。",
          "{emp}本次定期检测共得到检测结果{n}项（{posts}个岗位、{factors}种因素），{ok}项符合限值要求，{bad}项超过限值。"],
    "b": ["（一）本次检测共涉及{posts}个岗位/工种、{factors}种职业病危害因素，共{n}个检测结果，合格{ok}个，超标{bad}个。",
          "依据GBZ 2.1-2019、GBZ 2.2-2007判定，{n}项检测结果中{ok}项合格、{bad}项不合格，涉及岗位{posts}个、"
          "危害因素{factors}种。",
          "对{emp}{posts}个岗位的{factors}种职业病危害因素进行了检测，合格率为{rate}（{ok}/{n}）。"],
}
# The summary of an "all compliant" conclusion that hides the exceedance (i064 planter).
_SUMMARY_OK = {
    "a": ["本次共检测{posts}个岗位（工种），{factors}种职业病危害因素，检测结果{n}项。",
          "本次定期检测涉及{posts}个岗位，检测{factors}种职业病危害因素。",
          "{emp}本次定期检测共得到检测结果{n}项（{posts}个岗位、{factors}种因素）。"],
    "b": ["（一）本次检测共涉及{posts}个岗位/工种、{factors}种职业病危害因素。",
          "依据GBZ 2.1-2019、GBZ 2.2-2007对{n}项检测结果进行了判定。",
          "对{emp}{posts}个岗位的{factors}种职业病危害因素进行了检测。"],
}
_OVER = {
    "a": ["{ws}{post}{factor}的检测结果超过{std}规定的职业接触限值。",
          "{post}（{site}）{factor}{metric}为{value}，超过{lname}（{limit}），判定为不合格。",
          "{factor}在{post}岗位的检测结果不符合职业接触限值要求。"],
    "b": ["{post}岗位{factor}{metric}检测值{value}，超过{lname}{limit}，不合格。",
          "超标岗位：{ws}{post}，超标因素：{factor}（{metric} {value}，限值 {limit}）。",
          "{site}（{post}）{factor}浓度（强度）超过国家职业接触限值。"],
}
_CAUSE = {
    "a": ["{post}{factor}超标原因分析：{cause}。",
          "经现场调查分析，{post}（{site}）{factor}超标的主要原因是{cause}。",
          "{post}岗位{factor}检测结果超标，原因分析如下：{cause}。"],
    "b": ["造成{post}岗位{factor}超标的原因：{cause}。",
          "{post}（{site}）{factor}超过职业接触限值，分析其原因主要为{cause}。",
          "对{post}岗位{factor}超标情况进行分析，认为{cause}是主要原因。"],
}
_CAUSES = {
    "dust": ["除尘设施风量不足、吸尘罩口距尘源较远", "物料转运落差大、扬尘点未密闭，且采用干式清扫",
             "布袋除尘器滤袋破损未及时更换，除尘效率下降"],
    "chemical": ["局部排风设施排风量不足，有害物质逸散至作业环境", "作业过程敞开操作，未开启局部排风设施",
                 "设备及管道密闭性差，存在跑冒滴漏现象"],
    "noise": ["设备运行噪声大且未采取隔声、减振措施", "作业人员距声源较近，缺少隔声操作室",
              "设备老化、部件磨损，运行时撞击噪声明显"],
}
_TARGETED = {
    "a": ["对{post}（{site}）{measure}，降低{factor}浓度（强度），整改后重新检测。",
          "针对{post}{factor}超标，建议{measure}，并督促该岗位人员佩戴{ppe}。",
          "{post}岗位应{measure}，使{factor}符合职业接触限值要求。"],
    "b": ["{post}：{measure}，加强{factor}的源头控制，为该岗位配备{ppe}。",
          "建议对{site}{measure}，{post}作业人员接触{factor}期间必须佩戴{ppe}。",
          "对超标的{post}岗位（{factor}）{measure}，整改完成后复测。"],
}
_MEASURE = {
    "dust": "密闭扬尘点并完善除尘设施", "chemical": "完善局部排风设施并保证其正常运行",
    "noise": "采取隔声、吸声、减振措施",
}
_PPE = {"dust": "防尘口罩", "chemical": "防毒面具", "noise": "护听器"}
# Generic advice: names no post and no factor (not even 粉尘/毒物/噪声 in general).
_GENERIC = {
    "a": ["加强职业病防护设施的日常维护和检修，确保其正常运行。",
          "督促劳动者正确佩戴个体防护用品，并做好发放和更换记录。",
          "定期组织接触职业病危害因素的劳动者进行职业健康检查。",
          "完善职业卫生管理制度和操作规程，加强劳动者职业卫生培训。",
          "在产生职业病危害的作业岗位醒目位置设置警示标识和中文警示说明。"],
    "b": ["用人单位应建立健全职业卫生管理制度，落实职业病防治责任制。",
          "按规定组织劳动者进行上岗前、在岗期间和离岗时的职业健康检查。",
          "加强对劳动者的职业卫生培训，提高其自我防护意识。",
          "定期对防护设施进行检查、维护，并建立维护台账。",
          "按规定每年至少进行一次职业病危害因素检测，检测结果存入职业卫生档案并向劳动者公布。"],
}
CAUSE_PLACES = ("section_before", "in_conclusion", "section_after")


@dataclass
class Exceedance:
    """One printed 不合格 result: a chemical/dust row or a noise point."""

    post: str
    site: str
    workshop: str
    factor: str
    kind: str  # "dust" | "chemical" | "noise"
    metric: str  # "C_TWA" | "C_STE" | "C_ME" | "L_EX,8h"
    value: str  # with its unit
    limit_name: str  # "PC-TWA" | ...
    limit: str  # with its unit


def family(s: Scenario) -> str:
    return "b" if getattr(s.style, "family", "a") == "b" else "a"


def _rng(s: Scenario, what: str) -> random.Random:
    return random.Random(f"wording:{what}:{s.seed}:{family(s)}")


def exceedances(s: Scenario) -> list[Exceedance]:
    """Printed 不合格 results, one per (post, factor), in report order."""
    out: list[Exceedance] = []
    seen: set[tuple[str, str]] = set()
    ws = {p.name: p.workshop for p in s.posts}
    for x in s.report.results:
        if x.judgement != "不合格" or (x.post, x.factor) in seen:
            continue
        seen.add((x.post, x.factor))
        spec = s.factors.get(x.factor)
        nd = spec.decimals if spec else 2
        unit = spec.unit if spec else "mg/m³"
        metric, value, lname, limit = "C_TWA", x.c_twa, "PC-TWA", x.limit_twa
        for m, v, ln, lim in (("C_TWA", x.c_twa, "PC-TWA", x.limit_twa), ("C_STE", x.c_stel, "PC-STEL", x.limit_stel),
                              ("C_ME", x.c_mac, "MAC", x.limit_mac)):
            if v is not None and lim is not None and v > lim:
                metric, value, lname, limit = m, v, ln, lim
                break
        out.append(Exceedance(x.post, x.site, x.workshop, x.factor, spec.kind if spec else "chemical", metric,
                              f"{value:.{nd}f} {unit}" if value is not None else "—", lname,
                              f"{limit:g} {unit}" if limit is not None else "—"))
    for m in s.report.noise:
        if m.judgement != "不合格" or (m.post, "噪声") in seen:
            continue
        seen.add((m.post, "噪声"))
        out.append(Exceedance(m.post, m.site, ws.get(m.post, ""), "噪声", "noise", "L_EX,8h", f"{m.lex8h:.1f} dB(A)",
                              "限值", f"{m.limit:g} dB(A)"))
    return out


def _fill(t: str, e: Optional[Exceedance], **kw) -> str:
    if e is not None:
        std = "GBZ 2.2-2007" if e.kind == "noise" else "GBZ 2.1-2019"
        kw = {"post": e.post, "site": e.site, "ws": e.workshop, "factor": e.factor, "metric": e.metric,
              "value": e.value, "lname": e.limit_name, "limit": e.limit, "std": std, **kw}
    return t.format(**kw)


def _counts(s: Scenario) -> dict:
    r = s.report
    n = len(r.results) + len(r.noise)
    bad = sum(1 for x in r.results if x.judgement == "不合格") + sum(1 for m in r.noise if m.judgement == "不合格")
    posts = len({x.post for x in r.results} | {m.post for m in r.noise})
    factors = len({x.factor for x in r.results}) + (1 if r.noise else 0)
    rate = f"{100 * (n - bad) / n:.1f}%" if n else "—"
    return {"n": n, "bad": bad, "ok": n - bad, "posts": posts, "factors": factors, "rate": rate,
            "emp": s.employer.name}


def all_ok_conclusions(s: Scenario) -> list[str]:
    """An "all compliant" conclusion in this bundle's wording, whatever the results say."""
    fam = family(s)
    rng = _rng(s, "conclusion")
    k = rng.randrange(3)
    return [_SUMMARY_OK[fam][k].format(**_counts(s)), ALL_OK[fam][rng.randrange(3)]]


def conclusions(s: Scenario) -> list[str]:
    fam = family(s)
    rng = _rng(s, "conclusion")
    k = rng.randrange(3)
    ok_line = ALL_OK[fam][rng.randrange(3)]
    over_t = _OVER[fam][rng.randrange(3)]
    out = [_SUMMARY[fam][k].format(**_counts(s))]
    exc = exceedances(s)
    out += [_fill(over_t, e) for e in exc]
    if not exc:
        out.append(ok_line)
    return out


def cause_text(s: Scenario, e: Exceedance) -> str:
    rng = _rng(s, f"cause:{e.post}:{e.factor}")
    t = _CAUSE[family(s)][_rng(s, "cause").randrange(3)]
    return _fill(t, e, cause=rng.choice(_CAUSES[e.kind]))


def targeted_text(s: Scenario, e: Exceedance) -> str:
    t = _TARGETED[family(s)][_rng(s, "targeted").randrange(3)]
    return _fill(t, e, measure=_MEASURE[e.kind], ppe=_PPE[e.kind])


def generic_recommendations(s: Scenario) -> list[str]:
    rng = _rng(s, "generic")
    pool = _GENERIC[family(s)]
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), rng.choice([3, 3, 4])))]


def refresh(s: Scenario) -> None:
    """Conclusions, cause analyses and recommendations that follow the printed judgements."""
    r = s.report
    exc = exceedances(s)
    r.conclusions = conclusions(s)
    r.cause_analyses = [cause_text(s, e) for e in exc]
    generic = generic_recommendations(s)
    targeted = [targeted_text(s, e) for e in exc]
    r.recommendations = targeted + generic if _rng(s, "rec_order").random() < 0.5 else generic + targeted
    r.cause_place = CAUSE_PLACES[_rng(s, "cause_place").randrange(3)]


def claims_all_compliant(texts: list[str]) -> bool:
    """Do these conclusions say that every result complies?"""
    return any(ok in t for t in texts for fam in ALL_OK.values() for ok in fam)
