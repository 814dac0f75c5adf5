"""Indicator 60: the report's exposure analysis gives each post the exposure time the
survey recorded and every factor tested there.

Attachment 3, item (60)：“准确分析职业病危害因素的场所、岗位分布、接触时间、接触频度和接触方式。”
检查方法：“查阅检测报告及现场调查记录，核实职业病危害因素的场所、岗位分布、接触时间、接触频度和接触方式的
分析是否全面正确，发现1处不符要求的扣0.2分。1.0分扣完为止。”

``report.exposure_mismatch``, over the report's post analysis (``ReportRecord.post_analysis``:
a table with 接触时间 / 接触危害因素 columns, or per-post sentences):
- **time**: a post's 接触时间 (h/d) differs from every exposure time the field survey
  records for that post (工作日写实 / posts table), compared by value (0.1 h);
- **factor**: a factor the report's results (air results and noise table) show tested at
  that post is not among the factors the analysis lists for it. Factors are compared by
  substance (``extractors.prose.factor_key``; 矽尘(总尘) = 矽尘 (总尘)), a fraction
  listed counts for itself only (矽尘(总尘) does not cover 矽尘(呼尘); 矽尘 covers both),
  a class covers its members (粉尘 covers 矽尘), and a name one OCR slip away counts. Said
  only where the post's factor cell (or its sentence's factor list) was read.
Posts are matched by name (``checks/_posts``); a post the other side does not name, or
names twice as well, is not compared. A value read from a scan must read the same a
second time. When the report prints exposure times and the survey's are unreadable,
the item cannot be decided; a report without a post analysis is not judged here.

Not done: 接触频度 / 接触方式 (free text, no survey counterpart read).
"""
from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from checks._posts import analysis_rows, match, norm, pages_text, post_name, score, survey_posts
from checks.base import Ctx, check
from extractors.prose import FACTOR_CLASSES, covered_by_class, factor_key

_FRACTION = re.compile(r"总尘|呼尘|呼吸性粉尘|总粉尘|呼吸性")


def _factor(name: str) -> tuple[str, str]:
    """(substance key, fraction or "")."""
    n = norm(name)
    m = _FRACTION.search(n)
    frac = "" if m is None else ("呼尘" if "呼" in m.group(0) else "总尘")
    return factor_key(n), frac


def _listed(text: str) -> list[str]:
    return [x for x in (p.strip() for p in re.split(r"[、,，;；/]", norm(text))) if x and x not in ("等",)]


def _covers(listed: list[str], tested: str) -> bool:
    key, frac = _factor(tested)
    for x in listed:
        cls = FACTOR_CLASSES.get(re.sub(r"\([^)]*\)", "", x))
        if cls is not None and covered_by_class(cls, key):
            return True
        k, f = _factor(x)
        if k == key and (not f or not frac or f == frac):
            return True
        if len(k) >= 3 and Levenshtein.distance(k, key) <= 1 and (not f or not frac or f == frac):
            return True
    return False


def _tested_at(rep, name: str) -> dict[str, object]:
    """Factor as printed → a result row of it, for the results rows whose post is ``name``."""
    out: dict[str, object] = {}
    for r in rep.results:
        f, p = r.value("factor"), r.value("post")
        if f and p and score(p, name) >= 97:
            out.setdefault(str(f), r)
    for r in rep.noise:
        p = r.value("post")
        if p and score(p, name) >= 97 and (r.get("laeq").ok or r.get("lex8h").ok):
            out.setdefault("噪声", r)
    return out


@check("i060_exposure", indicators=[60], needs=["field_survey", "report"])
def exposure(ctx: Ctx):
    """Each analysed post's exposure time agrees with the survey and lists the factors tested there."""
    rep, s = ctx.records.report, ctx.records.field_survey
    rows = analysis_rows(rep)
    if not rows:
        return
    sposts = survey_posts(s)
    timed = [r for r in rows if r.get("hours").ok]
    items, evidence, pages = [], [], []
    seen = set()
    if timed and not any(p.vals("exposure_hours") for p in sposts):
        yield ctx.cannot_decide(60, "现场调查记录中各岗位的接触时间",
                                why="检测报告列有岗位接触时间，但现场调查记录的工作日写实或岗位表未能读取",
                                pages=list(rep.post_analysis.pages) + list(s.pages[:1]))
    else:
        for r in timed:
            name = post_name(r)
            sp = match(name, r.value("workshop"), sposts)
            if sp is None:
                continue
            rh, sh = r.get("hours"), sp.vals("exposure_hours")
            if sh and all(abs(float(v.value) - float(rh.value)) > 0.05 for v in sh) and ctx.confirmed(rh, sh[0]):
                key = (sp.name, float(rh.value))
                if key in seen:
                    continue
                seen.add(key)
                items.append(f"岗位“{name}”的接触时间，报告（第{rh.page}页）为{float(rh.value):g} h/d，"
                             f"现场调查/工作日写实（第{sh[0].page}页）为{float(sh[0].value):g} h")
                evidence += [rh, sh[0]]
                pages += [rh.page, sh[0].page]
    for r in rows:
        fv = r.get("factors")
        if not fv.ok:
            continue
        name = post_name(r)
        listed = _listed(str(fv.value))
        for f, res in _tested_at(rep, name).items():
            if _covers(listed, f) or (norm(name), _factor(f)) in seen:
                continue
            seen.add((norm(name), _factor(f)))
            items.append(f"岗位“{name}”的接触危害因素（第{fv.page}页：{fv.value}）未列出检测结果中该岗位检测的"
                         f"“{f}”（第{res.page}页）")
            evidence += [fv, res]
            pages += [fv.page, res.page]
    if items:
        yield ctx.finding(
            "report.exposure_mismatch", 60,
            f"检测报告的职业病危害因素接触分析与现场调查记录或检测结果不一致：{'；'.join(items)}"
            f"（第{pages_text(pages)}页）",
            evidence, pages=pages)
