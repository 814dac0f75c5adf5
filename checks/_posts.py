"""Posts across documents for items 57, 58, 60: the survey's posts (工作日写实 and the posts
table) and the report's post analysis (``ReportRecord.post_analysis``), matched by name;
shift systems compared by meaning.

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).

Matching: names are compared without spaces, bracket styles and the 工 / 岗位 / 工种 ending
(``extractors.prose.post_key``), but a bracketed qualifier is kept apart: 混合工(1#线) and
混合工(2#线) are two posts, 混合工(1#线) and 混合岗位(1#线) one. Stems that differ by one
OCR slip or where one holds the other (投料 / 窑头投料) match with a lower score; a report
post that matches two survey posts equally well is not matched at all (a value compared
with the wrong post would be a false pre-flag). The workshop breaks ties.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional, Sequence

from rapidfuzz import fuzz

from extractors.prose import post_key
from extractors.records import Row, SurveyRecord, Val

_NOT_A_POST = re.compile(r"^(?:合计|小计|总计|备注|注|说明|以下空白|序号)")


def norm(name: object) -> str:
    t = unicodedata.normalize("NFKC", str(name or ""))
    t = t.replace("【", "(").replace("】", ")").replace("［", "(").replace("］", ")")
    return re.sub(r"\s+", "", t)


def parts(name: object) -> tuple[str, str]:
    """(stem, qualifier): 混合工(1#线) → (混合, 1#线)."""
    n = norm(name)
    qual = "".join(re.findall(r"\(([^)]*)\)", n))
    return post_key(n), qual


def score(a: object, b: object) -> float:
    """How surely two printed post names name one post (0..100)."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    (sa, qa), (sb, qb) = parts(na), parts(nb)
    if qa and qb and qa != qb and fuzz.ratio(qa, qb) < 90:
        return 0.0
    if not sa or not sb:
        return 0.0
    if sa == sb:
        return 97.0 if qa == qb else 90.0
    if min(len(sa), len(sb)) >= 2 and (sa in sb or sb in sa):
        return 86.0
    r = fuzz.ratio(sa, sb)
    return r if r >= 80 and min(len(sa), len(sb)) >= 3 else 0.0


def post_name(row: Row) -> Optional[str]:
    v = row.get("post")
    if not v.ok or _NOT_A_POST.match(str(v.value)) or not re.search(r"[\u4e00-\u9fff]", str(v.value)):
        return None
    return str(v.value)


@dataclass
class SurveyPost:
    """One post of the survey with every row that names it (workday and posts table)."""

    name: str
    rows: list[Row] = field(default_factory=list)

    def vals(self, key: str) -> list[Val]:
        return [r.fields[key] for r in self.rows if key in r.fields and r.fields[key].ok]

    @property
    def workshop(self) -> Optional[str]:
        return next((str(v.value) for v in self.vals("workshop")), None)


def survey_posts(s: Optional[SurveyRecord]) -> list[SurveyPost]:
    """The survey's posts, rows of one post (same name) gathered."""
    out: dict[str, SurveyPost] = {}
    if s is None:
        return []
    for r in list(s.workday) + list(s.posts):
        n = post_name(r)
        # a stray line the table reader took for a row (a note, a signature line) has
        # its first cell only: a post row has at least two other cells read
        if n is None or sum(1 for k, v in r.fields.items() if k not in ("post", "group") and v.ok) < 2:
            continue
        out.setdefault(norm(n), SurveyPost(n)).rows.append(r)
    return list(out.values())


def match(name: str, workshop: Optional[str], cands: Sequence[SurveyPost]) -> Optional[SurveyPost]:
    """The survey post ``name`` names, or None (no candidate, or two equally good)."""
    scored = sorted(((score(name, c.name), i) for i, c in enumerate(cands)), reverse=True)
    scored = [(s, i) for s, i in scored if s >= 80]
    if not scored:
        return None
    best = [i for s, i in scored if s >= scored[0][0] - 3]
    if len(best) > 1 and workshop:
        same = [i for i in best if cands[i].workshop and norm(cands[i].workshop) == norm(workshop)]
        best = same if len(same) == 1 else best
    return cands[best[0]] if len(best) == 1 else None


def analysis_rows(report) -> list[Row]:
    """The report's post-analysis rows, table rows first, then the sentences' rows."""
    pa = report.post_analysis
    return [r for r in list(pa.table) + list(pa.sentences) if post_name(r)]


# ---------------------------------------------------------------- shift systems

_CN = {"一": 1, "单": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def _n(t: str) -> Optional[int]:
    return int(t) if t.isdigit() else _CN.get(t)


@dataclass(frozen=True)
class Shift:
    """What a 工作班制 text states: shifts a day, crews (班组) rotating, hours a shift;
    None where it says nothing of it."""

    shifts: Optional[int] = None
    crews: Optional[int] = None
    hours: Optional[float] = None

    @property
    def known(self) -> bool:
        return self.shifts is not None or self.crews is not None or self.hours is not None


def parse_shift(text: object) -> Shift:
    """四班三运转 → crews 4, shifts 3; 三班两运转 → crews 3, shifts 2; 两班制 / 两班倒 /
    2班制 → crews 2, shifts 2 (二班两运转); 常白班 / 白班 / 单班 / 一班制 → 1, 1; "8h/班" /
    每班8小时 → hours 8.
    A bare "三班" (no 制 / 倒 / 运转) says nothing sure (crews or shifts?) and is not read."""
    t = norm(text)
    shifts = crews = None
    m = re.search(r"([一二两三四五六\d])班([一二两三四五六\d])(?:运转|倒|轮)", t)
    if m:
        crews, shifts = _n(m.group(1)), _n(m.group(2))
    else:
        m = re.search(r"([一二两三四五六单\d])班(?:制|倒|轮|作业)", t)
        if m:
            # N班制 / N班倒: N crews on N shifts (两班制 = 二班两运转)
            shifts = crews = _n(m.group(1))
        elif re.search(r"(?:常|长)?白班|单班|日班", t):
            shifts = crews = 1
    hours = None
    m = re.search(r"(\d{1,2}(?:\.\d)?)(?:h|小时)(?:/|每)?班|每班(\d{1,2}(?:\.\d)?)(?:h|小时)", t, re.I)
    if m:
        hours = float(m.group(1) or m.group(2))
    return Shift(shifts, crews, hours)


def shifts_differ(a: object, b: object) -> bool:
    """Two 工作班制 texts that clearly state different systems: both read, and a number
    both state (shifts a day, crews, hours a shift) differs."""
    x, y = parse_shift(a), parse_shift(b)
    if not (x.known and y.known):
        return False
    return any(p is not None and q is not None and p != q
               for p, q in ((x.shifts, y.shifts), (x.crews, y.crews), (x.hours, y.hours)))


def pages_text(pages: Sequence[int]) -> str:
    ps = sorted({p for p in pages if p is not None})
    return "、".join(map(str, ps))
