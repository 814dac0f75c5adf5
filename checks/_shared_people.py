"""Helpers shared by the people / signature / plan checks (i029, i036, i040, i041, i042,
i043, i045, i050, i051, i078).

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).

Two questions come up in every signature check and are answered here once:

1. **Is a signature slot empty, or just unreadable?** Hand signatures are images. On a
   born-digital page they are only read when the pipeline OCR'd the page's image regions;
   on a scanned page the OCR may miss a faint scrawl. A slot is called *empty* only when
   the page's images were read, nothing at all (no line of any origin, no date) lies in
   the slot's area, and some other signature on the same record *was* read (so OCR was
   working there). Anything else is *unreadable* → ``check.cannot_decide``.
   This reads page lines only to confirm absence; values always come from the records.

2. **Is a signer's name one of the registered staff?** Names are OCR of handwriting.
   A 2–3-character Chinese name with one misread character is at Levenshtein distance 1
   from the true name (a dropped or inserted character as well). So a read name is
   treated as *registered* when it, or the whole token it was cut from, is within
   distance 1 of a registered name; it is *unregistered* only at distance ≥ 2 from every
   registered name (for a 2-character name: no character in common position; for a
   3-character name: at most one in common), read on a line whose OCR confidence is at
   least :data:`MIN_LINE_CONF`, and shaped like a name (2–4 CJK characters beginning
   with a common surname). The price: an unregistered person whose name differs from a
   registered one by a single character is not flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence

from rapidfuzz.distance import Levenshtein

from checks.base import Ctx
from extractors.records import BundleRecords, Val
from extractors.text import SURNAMES, find_dates
from pipeline.types import Line, Page

# OCR confidence below which a read name is not trusted enough to call it unregistered.
MIN_LINE_CONF = 0.8
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "端木")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE_WORDS = re.compile(r"(签字|签名)?日\s*期|签字|签名|时间|年|月|日|[:：()（）.,，、/\-\s_]")
# the next role label on an OCR line that runs across several signature slots
_NEXT_LABEL = re.compile(r"(?:用人单位|企业)?(?:陪同|复核|校核|审核|核对|采样|测量|检测|调查|编制|编写|批准|审批|签发|分析|检验|计算|送样|收样|接收|交样|接样)(?:人员|人|者)?\s*[:：]")
_IMAGES_NOTE = re.compile(r"(\d+) image regions OCR'd, (\d+) lines")


# ------------------------------------------------------------------ staff and names


def staff_names(ctx: Ctx) -> list[str]:
    return list(ctx.staff)


def escort_names(records: BundleRecords) -> set[str]:
    """Names written as the employer's escort anywhere in the bundle (never on the staff list)."""
    out: set[str] = set()
    s = records.field_survey
    if s is not None and s.escort.ok:
        out.add(str(s.escort.value))
    for sh in records.sampling_records:
        if sh.escort.ok:
            out.add(str(sh.escort.value))
    return out


def dist(a: str, b: str) -> int:
    return Levenshtein.distance(a or "", b or "")


def nearest(name: str, names: Iterable[str]) -> tuple[Optional[str], int]:
    best, bd = None, 99
    for k in names:
        d = dist(name, k)
        if d < bd:
            best, bd = k, d
    return best, bd


def looks_like_name(name: str) -> bool:
    if not name or not (2 <= len(name) <= 4) or not all(_CJK.match(ch) for ch in name):
        return False
    return name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)


def tokens_of(raw: str) -> list[str]:
    """CJK runs of a signature segment (label, dates and date words removed)."""
    t = raw or ""
    for d, (s, e) in sorted(find_dates(t), key=lambda x: -x[1][0]):
        t = t[:s] + " " + t[e:]
    return [x for x in re.split(r"[^\u4e00-\u9fff]+", t) if x]


def token_for(name: str, raw: str) -> Optional[str]:
    """The CJK run of ``raw`` the name was cut from (``方琳林凯`` for ``林凯``)."""
    best = None
    for tok in tokens_of(raw):
        if name in tok and (best is None or len(tok) < len(best)):
            best = tok
    return best


def line_conf(ctx: Ctx, v: Val, text: str) -> Optional[float]:
    """OCR confidence of the page line holding ``text`` near ``v`` (None when not found)."""
    p = ctx.pages.get(v.page) if v.page is not None else None
    if p is None:
        return None
    best = None
    for ln in p.lines:
        if text and text in ln.text.replace(" ", ""):
            if v.bbox is not None and not _v_overlap(ln.bbox, v.bbox, slack=20):
                continue
            best = ln.conf if best is None else max(best, ln.conf)
    return best


@dataclass
class NameVerdict:
    status: str  # registered | misread | unregistered | unsure
    nearest: Optional[str]
    distance: int


def judge_name(ctx: Ctx, v: Val, registered: Sequence[str]) -> NameVerdict:
    name = str(v.value)
    if name in registered:
        return NameVerdict("registered", name, 0)
    tok = token_for(name, v.raw)
    cands = [name] + ([tok] if tok and tok != name else [])
    best, bd = None, 99
    for c in cands:
        k, d = nearest(c, registered)
        if d < bd:
            best, bd = k, d
    if bd <= 1:
        return NameVerdict("misread", best, bd)
    if not looks_like_name(name):
        return NameVerdict("unsure", best, bd)
    conf = line_conf(ctx, v, name)
    if conf is not None and conf < MIN_LINE_CONF:
        return NameVerdict("unsure", best, bd)
    return NameVerdict("unregistered", best, bd)


# ------------------------------------------------------------------ who signs what


@dataclass(frozen=True)
class Signer:
    record: str  # section type
    record_zh: str
    role: str
    role_zh: str
    val: Val
    group: tuple  # identifies one record instance (form), for same-person checks
    indicator: int  # 78 field work, 89 lab work, 15 other posts


def iter_signers(records: BundleRecords) -> Iterator[Signer]:
    """Every signature value the extractors read, with its record and role."""
    s = records.field_survey
    if s is not None:
        for v in s.technicians:
            yield Signer("field_survey", "现场调查记录", "technician", "调查人", v, ("survey",), 78)
    p = records.detection_plan
    if p is not None:
        for role, zh in (("author", "编制人"), ("reviewer", "审核人"), ("approver", "批准人")):
            yield Signer("detection_plan", "检测方案", role, zh, getattr(p, role), ("plan",), 15)
    for sh in records.sampling_records:
        g = ("sampling", sh.pages)
        for v in sh.samplers:
            yield Signer("sampling_record", "现场采样/检测记录", "sampler", "采样人", v, g, 78)
        yield Signer("sampling_record", "现场采样/检测记录", "checker", "复核人", sh.checker, g, 78)
    for tr in records.sample_transfers:
        g = ("transfer", tr.pages)
        yield Signer("sample_transfer", "样品交接记录", "sender", "送样人", tr.sender, g, 78)
        yield Signer("sample_transfer", "样品交接记录", "receiver", "收样人", tr.receiver, g, 15)
    for ls in records.lab_sheets:
        g = ("lab", ls.pages)
        yield Signer("lab_analysis", "实验室分析记录", "analyst", "检验人", ls.analyst, g, 89)
        yield Signer("lab_analysis", "实验室分析记录", "reviewer", "复核人", ls.reviewer, g, 89)
    c = records.data_calculation
    if c is not None:
        yield Signer("data_calculation", "数据换算过程记录", "calculator", "计算人", c.calculator, ("calc",), 89)
        yield Signer("data_calculation", "数据换算过程记录", "checker", "复核人", c.checker, ("calc",), 89)
    r = records.report
    if r is not None:
        for role, zh in (("author", "编写人"), ("reviewer", "审核人"), ("issuer", "签发人")):
            yield Signer("report", "检测报告", role, zh, getattr(r, role), ("report",), 15)
        for row in r.team:
            yield Signer("report", "检测报告项目组成员表", "team", "项目组成员", row.get("name"), ("team",), 15)
    cr = records.contract_review
    if cr is not None:
        for v in cr.reviewers:
            yield Signer("contract_review", "合同评审记录", "contract_reviewer", "评审人", v, ("contract_review",), 15)


# ------------------------------------------------------------------ signature slots


def _v_overlap(a, b, slack: float = 0.0) -> bool:
    return a[1] - slack < b[3] and b[1] - slack < a[3]


def _h_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2]


def images_read(page: Optional[Page]) -> bool:
    """Whether hand-written marks on this page had a chance to be read."""
    if page is None:
        return False
    if page.source == "ocr":
        return True
    if page.source != "text":
        return False
    m = _IMAGES_NOTE.search(page.note or "")
    if m:
        # every image region gave at least one line on average; an image that gave
        # nothing could be the very signature we are asking about
        return int(m.group(2)) >= int(m.group(1))
    return any(getattr(ln, "origin", None) == "image" for ln in page.lines)


def _label_of(raw: str) -> str:
    m = re.match(r"\s*([^\s:：]+)", raw or "")
    return m.group(1) if m else ""


def _is_stop_label(text: str) -> bool:
    """Another printed label on the signature row (复核人：), not a date label."""
    t = text.strip()
    if _NEXT_LABEL.match(t):
        return True  # an OCR line that starts with the next role's label (陪同人：叶健瑞)
    if not t or not t.endswith((":", "：")):
        return False
    core = t.rstrip(":：")
    return bool(_CJK.search(core)) and not re.fullmatch(r"(签字|签名)?日\s*期|时间", core)


def _meaningful(text: str) -> str:
    """What is left of a text once date words and punctuation are removed."""
    return _DATE_WORDS.sub("", text or "")


def slot_content(ctx: Ctx, v: Val) -> Optional[list[str]]:
    """Texts written in a signature slot besides its label (None when the page is unknown).

    The slot is the band of the label's row, from the label's right edge to the next
    printed label on that row (or the page edge); texts are returned raw, dates included.
    """
    page = ctx.pages.get(v.page) if v.page is not None else None
    if page is None or v.bbox is None:
        return None
    label = _label_of(v.raw)
    key = label[:2]
    lab_line: Optional[Line] = None
    for ln in page.lines:
        if key and key in ln.text and _v_overlap(ln.bbox, v.bbox) and _h_overlap(ln.bbox, v.bbox):
            lab_line = ln
            break
    lb = lab_line.bbox if lab_line is not None else v.bbox
    h = max(lb[3] - lb[1], 8.0)
    band = (lb[1] - 0.75 * h, lb[3] + 0.75 * h)
    out: list[str] = []
    if lab_line is not None:
        # an OCR line may run on past the label: what follows it up to the next label
        t = lab_line.text
        i = t.find(label) if label else -1
        rest = t[i + len(label):] if i >= 0 else ""
        rest = _NEXT_LABEL.split(rest)[0]
        if _meaningful(rest):
            out.append(rest.strip())
    x0 = lb[2]
    stops = [ln.bbox[0] for ln in page.lines
             if ln is not lab_line and ln.bbox[0] >= x0 - 1 and band[0] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= band[1]
             and getattr(ln, "origin", None) is None and _is_stop_label(ln.text)]
    x1 = min(stops) if stops else page.width
    for ln in page.lines:
        if ln is lab_line:
            continue
        b = ln.bbox
        # by the line's centre: a tall signature on the row above may reach into this band
        if not (band[0] <= (b[1] + b[3]) / 2 <= band[1]):
            continue
        if b[2] <= x0 + 1 or b[0] >= x1 - 1:
            continue
        if page.source == "text" and getattr(ln, "origin", None) is None:
            # printed text in the slot is form furniture (日期：, underscores), not a hand mark
            if not _meaningful(ln.text) or re.fullmatch(r"[\s_:：日期签字名]*", ln.text):
                continue
        if ln.text.strip():
            out.append(ln.text.strip())
    return out


def slot_state(ctx: Ctx, v: Val, *, others_read: bool) -> str:
    """``signed`` | ``empty`` | ``unreadable`` | ``absent`` for one single-name slot.

    ``absent``: no label for this role was found (a layout the extractor did not
    recognise is not proof that nobody signed). ``empty`` needs the page's images read,
    nothing written in the slot and ``others_read`` (another signature of the same record
    was legible, so OCR did work there).
    """
    if v.ok:
        return "signed"
    if v.page is None or "slot present" not in (v.reason or ""):
        return "absent"
    page = ctx.pages.get(v.page)
    if not images_read(page) or not others_read:
        return "unreadable"
    content = slot_content(ctx, v)
    if content is None or content:
        return "unreadable"
    return "empty"


def unexplained(texts: Iterable[str], names: Sequence[str]) -> list[str]:
    """Parts of slot texts not accounted for by the names read there (nor dates)."""
    left = []
    for t in texts:
        for tok in tokens_of(t):
            core = _meaningful(tok)
            if not core:
                continue
            rest = core
            for n in sorted(names, key=len, reverse=True):
                rest = rest.replace(n, "")
            if not rest:
                continue
            if any(dist(rest, n) <= 1 or dist(core, n) <= 1 for n in names):
                continue  # a misread of a name already counted
            if len(rest) == 1 and len(core) > 1:
                continue  # one stray character OCR put beside a name
            left.append(tok)
    return left


def fmt_pages(pages: Iterable[int]) -> str:
    ps = sorted({p for p in pages if p is not None})
    return "、".join(str(p) for p in ps)


# ------------------------------------------------------------------ factors and plan rows

# Physical agents: measured with instruments, no sampling flow, collector or field blank.
PHYSICAL = ("噪声", "高温", "振动", "电场", "磁场", "辐射", "照度", "激光", "微波", "超声", "紫外", "红外", "气压", "射频")


def is_physical(factor: Optional[str], collector: Optional[str] = None) -> bool:
    f = factor or ""
    if any(k in f for k in PHYSICAL):
        return True
    c = collector or ""
    # an instrument (声级计, 直读式检测仪) in the collector column: a direct measurement
    return bool(c) and bool(re.search(r"(声级计|剂量计|直读|检测仪|测定仪|测量仪|分析仪)$", c))


def plan_rows(plan) -> list:
    """Rows of the plan table that describe a sampling point (not stray header/signature lines)."""
    out = []
    for r in plan.rows:
        fac = r.value("factor")
        if not fac or re.search(r"方案|记录|编号|审核|批准|编制|签字|日期", str(fac)):
            continue
        if not (r.get("mode").ok or r.get("points").ok or r.get("samples_per_day").ok or r.get("minutes").ok):
            continue
        out.append(r)
    return out


def page_text(ctx: Ctx, pages: Iterable[int]) -> str:
    """Text of some pages, only to confirm that something is absent."""
    out = []
    for no in pages:
        p = ctx.pages.get(no)
        if p is not None:
            out.extend(ln.text for ln in p.lines)
    return "\n".join(out)


def known_factors(records: BundleRecords) -> set[str]:
    """Factor names the bundle states outside the sampling sheets (plan, lab, report)."""
    out: set[str] = set()
    if records.detection_plan is not None:
        out |= {str(r.value("factor")) for r in plan_rows(records.detection_plan)}
    out |= {str(s.factor.value) for s in records.lab_sheets if s.factor.ok}
    if records.report is not None:
        out |= {str(r.value("factor")) for r in records.report.results if r.value("factor")}
    return {f for f in out if f and f != "None"}


def factor_by_sample(records: BundleRecords) -> dict[str, str]:
    """sample id → factor, from the lab sheets and the report's result rows."""
    out: dict[str, str] = {}
    for s in records.lab_sheets:
        if not s.factor.ok:
            continue
        for r in s.rows:
            sid = r.value("sample_id")
            if sid:
                out.setdefault(str(sid), str(s.factor.value))
    if records.report is not None:
        for r in records.report.results:
            fac = r.value("factor")
            for sid in r.value("sample_ids") or []:
                if fac:
                    out.setdefault(str(sid), str(fac))
    return out


class FactorResolver:
    """The factor of a sampling-sheet row. The sheet's own value is used when the rest of
    the bundle knows that factor name; otherwise (a form title read as the factor, an
    OCR-garbled name) the factor the lab sheets or report give that sample id; else None."""

    def __init__(self, records: BundleRecords):
        self.known = known_factors(records)
        self.by_id = factor_by_sample(records)

    def plausible(self, f: Optional[str]) -> bool:
        if not f or re.search(r"记录|采样|检测|表", f):
            return False
        return not self.known or f in self.known

    def __call__(self, row) -> Optional[str]:
        f = row.value("factor")
        if f is not None and self.plausible(str(f)):
            return str(f)
        sid = row.value("sample_id")
        return self.by_id.get(str(sid)) if sid else None
