"""Name judgement for the people / signature checks (i029, i040, i041, i052, i078 …):
who signed a slot, and is a signer one of the registered staff.

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).
The slots themselves are read by the extractors (``extractors/slots.py``) and come
typed on the records (``SignatureSlot``, ``SlotState`` on ``SurveyRecord``,
``SamplingSheet`` and ``PlanRecord.signatures``); this module judges what they hold.

1. **Who signed a slot, and is it empty or just unreadable?** Runs of names OCR merged
   (``赖波建蔡平庆``) are split with the registered staff list (:func:`names_in`).
   Counts are taken over every slot of a record (a survey has two pages with a slot
   each), so one dropped name does not make one signer. A slot is called *empty* only
   when the page's hand-writing was read, nothing but dates and punctuation lies in the
   slot, and another signature of the same record *was* read (so OCR worked there).
   Anything unclear is ``check.cannot_decide``.

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

from checks.base import Ctx, read_by_ocr
from extractors.records import BundleRecords, SignatureSlot, SlotState, Val
from extractors.text import SURNAMES, find_dates, split_names
from pipeline.geometry import boxes_intersect, rows_overlap
from pipeline.ocr_tolerance import is_seal_suffix_char

# OCR confidence below which a read name is not trusted enough to call it unregistered.
MIN_LINE_CONF = 0.8
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "端木")

_CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------ staff and names


def staff_names(ctx: Ctx) -> list[str]:
    return list(ctx.staff)


# role → (role families that qualify, what the family is called in messages); the
# registration of ``submission.json`` names roles in these words (i015, and the kin rule
# of ``judge_name``)
ROLE_FAMILIES: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("field_survey", "technician"): (("调查", "现场", "采样"), "现场调查"),
    ("sampling_record", "sampler"): (("采样", "现场", "检测", "测量"), "采样"),
    ("lab_analysis", "analyst"): (("检验", "分析", "检测", "化验", "实验"), "检验"),
    ("report", "issuer"): (("授权签字", "签发"), "授权签字"),
    ("report", "reviewer"): (("审核",), "审核"),
}


def fits_role(ctx: Ctx, name: str, role: Optional[tuple[str, str]]) -> Optional[bool]:
    """Does the registration of ``name`` cover ``role`` ((record, role) of a signature)?
    None when that cannot be told: no family for the role, the institution's role list
    does not use its words, or the person has no roles listed."""
    fam = ROLE_FAMILIES.get(role) if role else None
    if fam is None:
        return None
    words, _ = fam
    staff = ctx.staff
    if not any(w in r for m in staff.values() for r in (m.get("roles") or []) for w in words):
        return None
    roles = (staff.get(name) or {}).get("roles") or []
    if not roles:
        return None
    return any(w in r for r in roles for w in words)


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
    note: str = ""  # why a near name was not taken for the signer (for the message)


_SEAL_WORDS = "印章"


def _in_unresolved_seal(ctx: Ctx, v: Val, name: str) -> bool:
    """Whether ``name`` was cut from a mark line that also holds a seal word (桂黄印二磊):
    a name seal read out of order that ``extractors.seals`` could not put back. Garbled,
    not an accusation."""
    p = ctx.pages.get(v.page) if v.page is not None and v.bbox is not None and getattr(ctx, "pages", None) else None
    if p is None:
        return False
    for ln in p.lines:
        if not ln.is_mark or not boxes_intersect(ln.bbox, v.bbox):
            continue
        text = _cjk_only(ln.text)
        if name in text and any(ch in _SEAL_WORDS for ch in text.replace(name, "", 1)):
            return True
    return False


def judge_name(ctx: Ctx, v: Val, registered: Sequence[str],
               role: Optional[tuple[str, str]] = None) -> NameVerdict:
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
    if _in_unresolved_seal(ctx, v, name):
        return NameVerdict("unsure", best, bd)
    seal = seal_rows(ctx, v)
    if seal:
        fit = seal_fit(seal, registered)
        if fit is not None:
            return NameVerdict("misread" if fit[1] else "registered", fit[0], fit[1])
        if len(seal) >= 2:
            # a name seal read row by row that no registered name fits: garbled, not an accusation
            return NameVerdict("unsure", best, bd)
    if not looks_like_name(name):
        return NameVerdict("unsure", best, bd)
    note = ""
    if _scanned(ctx, v):
        # Handwriting on a scan: OCR garbles given names (邱彬琳 read 邱林梦, 邹晓梓 read
        # 邹阳尧梓) far more than the surname, so a registered person with the same surname
        # and a name of about the same length may be the one who signed.
        kin = [r for r in registered if r[:1] == name[:1] and abs(len(r) - len(name)) <= 1]
        # A kin whose registration does not cover this role would be a finding too (item
        # 15) had they signed: the misread reading excuses nothing, so it is not taken.
        off_role = [r for r in kin if fits_role(ctx, r, role) is False]
        kin = [r for r in kin if r not in off_role]
        if kin:
            return NameVerdict("unsure", kin[0], dist(name, kin[0]))
        if off_role:
            note = "；".join(f"同姓登记人员{r}的登记岗位（{'、'.join(ctx.staff[r].get('roles') or [])}）"
                            f"不含{ROLE_FAMILIES[role][1]}" for r in off_role)
    conf = line_conf(ctx, v, name)
    if conf is not None and conf < MIN_LINE_CONF:
        return NameVerdict("unsure", best, bd)
    return NameVerdict("unregistered", best, bd, note)


# ------------------------------------------------------------------ personal name seals (私章)
# A name seal holds the name (and 印 / 之印 / 章) in 2 columns read from the right, top
# to bottom: 史利龙印 stands as 史|龙 over 利|印. OCR reads it row by row, left to right
# ("龙史", "印利"), or only its top row. The column reading puts the characters back.


def seal_rows(ctx: Ctx, v: Val) -> list[str]:
    """The rows of the name seal ``v`` was read from, top to bottom (each 2 characters
    left to right, as OCR read them), or [] when ``v`` was not read from image lines of
    that shape. Rows are stacked image lines of 2 CJK characters over the same span."""
    p = ctx.pages.get(v.page) if v.page is not None and getattr(ctx, "pages", None) else None
    name = str(v.value or "")
    if p is None or len(name) != 2:
        return []
    imgs = [ln for ln in p.lines if ln.is_mark and len(_cjk_only(ln.text)) == 2
            and len(_cjk_only(ln.text)) >= len(re.sub(r"[\s|/\\]", "", ln.text)) - 1]
    start = [ln for ln in imgs if _cjk_only(ln.text) == name
             and (v.bbox is None or _v_overlap(ln.bbox, v.bbox, slack=4))]
    if not start:
        return []
    ln0 = start[0]
    w = ln0.bbox[2] - ln0.bbox[0]
    h = max(1.0, ln0.bbox[3] - ln0.bbox[1])

    def same_span(a, b) -> bool:
        ov = min(a.bbox[2], b.bbox[2]) - max(a.bbox[0], b.bbox[0])
        return ov >= 0.6 * min(w, b.bbox[2] - b.bbox[0])

    col = sorted([ln for ln in imgs if same_span(ln0, ln)], key=lambda ln: ln.bbox[1])
    i = col.index(ln0)
    rows = [ln0]
    for ln in col[i + 1:]:  # downwards
        if 0.3 * h <= ln.bbox[1] - rows[-1].bbox[1] <= 1.4 * h:
            rows.append(ln)
        else:
            break
    for ln in reversed(col[:i]):  # upwards
        if 0.3 * h <= rows[0].bbox[1] - ln.bbox[1] <= 1.4 * h:
            rows.insert(0, ln)
        else:
            break
    return [_cjk_only(ln.text) for ln in rows]


def _cjk_only(text: str) -> str:
    return "".join(_CJK.findall(text or ""))


def seal_reading(rows: Sequence[str], n_rows: int) -> list[Optional[str]]:
    """The seal's characters in column order (right column top to bottom, then the left
    one) for a seal of ``n_rows`` rows whose top rows are ``rows``; None where unread."""
    out: list[Optional[str]] = [None] * (2 * n_rows)
    for r, row in enumerate(rows[:n_rows]):
        out[r] = row[1]  # right column
        out[n_rows + r] = row[0]  # left column
    return out


def seal_fit(rows: Sequence[str], registered: Sequence[str]) -> Optional[tuple[str, int]]:
    """The registered name the seal's column reading fits, with its number of misread
    characters (0 or 1), or None. The surname (top right) must be read and agree, at
    least two of the name's characters must be read, and what stands after the name
    must be a seal word (印, 之印, 章 or an OCR look-alike); a misread seal word counts
    as the one misread character."""
    best: Optional[tuple[str, int]] = None
    for n_rows in range(max(2, len(rows)), 4):
        reading = seal_reading(rows, n_rows)
        for name in registered:
            if not (2 <= len(name) <= len(reading) <= len(name) + 2) or reading[0] != name[0]:
                continue
            read = [(reading[i], ch) for i, ch in enumerate(name) if reading[i] is not None]
            bad = sum(a != b for a, b in read)
            bad += sum(1 for c in reading[len(name):] if c is not None and not is_seal_suffix_char(c))
            if len(read) >= 2 and bad <= 1 and (best is None or bad < best[1]):
                best = (name, bad)
    return best


def _scanned(ctx: Ctx, v: Val) -> bool:
    """Whether ``v`` was read by OCR (a scanned page, or a signature image on a text page)."""
    if read_by_ocr(ctx, v):
        return True
    p = ctx.pages.get(v.page) if v.page is not None and getattr(ctx, "pages", None) else None
    if p is None:
        return False
    b = v.bbox
    return b is not None and any(
        ln.is_mark and ln.bbox[0] < b[2] and b[0] < ln.bbox[2] and _v_overlap(ln.bbox, b)
        for ln in p.lines)


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


def _v_overlap(a, b, slack: float = 0.0) -> bool:
    return rows_overlap(a, b, slack)


# ------------------------------------------------------------------ who signed a slot


def slots_of(slots: Sequence[SignatureSlot], role: str, pages: Iterable[int]) -> list[SignatureSlot]:
    """The ``role`` slots of a record on ``pages``, in the order of ``pages``."""
    return [sl for no in dict.fromkeys(pages) for sl in slots if sl.role == role and sl.page == no]


@dataclass
class SlotNames:
    names: list[str]  # distinct people read (known staff or name-shaped)
    leftover: str  # characters no name accounts for
    state: str  # two | one | none | unclear


def names_in(slot: SignatureSlot, staff: Sequence[str], escorts: Iterable[str] = ()) -> SlotNames:
    """The people who signed a technician slot.

    Runs of names OCR merged (``赖波建蔡平庆``) are split with the staff list; a name read
    with one wrong character maps onto the staff name. The employer's escorts (read in
    their own slots) are not technicians. ``one`` needs the rest of the slot to be
    accounted for: two or more characters no name explains, or a lone surname, may be
    a second signature OCR could not read, so the slot is ``unclear``."""
    staff = list(staff)
    esc = [e for e in escorts if e and len(e) >= 2 and e not in staff]
    raw = slot.cjk
    if not raw:
        return SlotNames([], "", "none" if not slot.below else "unclear")
    found = split_names(raw, staff + esc, short=True)
    names: list[str] = []
    used = 0
    for n, _c in found:
        if n in staff or n in esc or looks_like_name(n):
            used += len(n)
            if n in staff or not any(dist(n, e) <= 1 for e in esc):
                if n not in names:
                    names.append(n)
    flat = raw.replace(" ", "")
    left = flat
    for n, _ in sorted(found, key=lambda t: -len(t[0])):
        left = left.replace(n, "", 1)
    # what no name explains; a misread character of a name is not a second person
    spare = max(0, len(flat) - used)
    leftover = left if spare else ""
    if len(names) >= 2:
        return SlotNames(names, leftover, "two")
    if len(names) == 1 and (spare == 0 or (spare == 1 and not any(ch in SURNAMES for ch in left))) \
            and len(slot.below.replace(" ", "")) < 2:
        return SlotNames(names, leftover, "one")
    return SlotNames(names, leftover, "unclear")


@dataclass
class TechVerdict:
    state: str  # ok | one | none | unclear
    names: list[str]
    slots: list[SignatureSlot]


def technicians_signed(ctx: Ctx, slots: Sequence[SignatureSlot], vals: Sequence[Val],
                       escorts: Iterable[str]) -> TechVerdict:
    """How many technicians signed one record (a survey, one sampling form), over every
    technician ``slots`` of that record on its pages (see :func:`slots_of`).

    - ``ok``: two or more different people, in one slot or over several (a name OCR
      dropped on one page is read on the other), or from the extractor's values;
    - ``one``: every located slot holds the same single name, fully accounted for, read
      with confidence (or read as exactly a registered name) on a page whose
      hand-writing was read;
    - ``none``: slots located, nothing written in any;
    - ``unclear``: anything else (no slot found, leftover scrawl, low confidence)."""
    staff = staff_names(ctx)
    escorts = set(escorts)
    ext = []
    for v in vals:
        if v.ok:
            n = str(v.value)
            if n not in staff and not looks_like_name(n):
                continue  # a seal read in part (之通源) is no person
            if n in staff or not any(dist(n, e) <= 1 for e in escorts if len(e) >= 2 and e not in staff):
                if n not in ext:
                    ext.append(n)
    slots = list(slots)
    reads = [(s, names_in(s, staff, escorts)) for s in slots]
    people: list[str] = []
    for _, r in reads:
        for n in r.names:
            if n not in people:
                people.append(n)
    if len(people) >= 2 or len(ext) >= 2:
        return TechVerdict("ok", people if len(people) >= 2 else ext, slots)
    if not slots:
        return TechVerdict("unclear", ext, slots)
    states = {r.state for _, r in reads}
    if states == {"none"}:
        return TechVerdict("none", [], slots)
    if "one" in states and states <= {"one", "none"}:
        # a low-confidence line is trusted when what it gives is a registered name, exactly
        # (a name seal's stylised script reads at 0.6-0.8 even when read right)
        confident = all(s.readable and (s.conf >= MIN_LINE_CONF or (s.cjk in staff and r.names == [s.cjk]))
                        for s, r in reads if r.state == "one")
        if confident and (not ext or ext[0] in people or any(dist(ext[0], p) <= 1 for p in people)):
            return TechVerdict("one", people, slots)
    return TechVerdict("unclear", people or ext, slots)


@dataclass
class EscortVerdict:
    state: str  # signed | empty | unclear | absent
    slots: list[SignatureSlot]


def escort_signed(ctx: Ctx, slots: Sequence[SignatureSlot], val: Val, tech_names: Sequence[str]) -> EscortVerdict:
    """Whether the employer's escort signed one record, from its escort ``slots``.

    ``empty`` needs every located slot to hold no Chinese character and no signing date
    written in it (a date is no signature, but it shows the slot was filled in: the
    name may be one OCR could not read), on a page whose hand-writing was read, while the
    technicians' names on the same record *were* read (so OCR worked there). The
    extractor's value counts as a signature unless it is one of the record's own
    technicians (a name OCR put in the wrong slot)."""
    slots = list(slots)
    staff = staff_names(ctx)
    ext_ok = val.ok and str(val.value) not in staff and not any(dist(str(val.value), t) <= 1 for t in tech_names)
    if any(len(s.cjk.replace(" ", "")) >= 2 for s in slots) or ext_ok:
        return EscortVerdict("signed", slots)
    if not slots:
        return EscortVerdict("absent", slots)
    # a slot with its signing date written in (SlotState not EMPTY) was filled in: the
    # name may be a signature OCR could not read, so it is no proof of a missing escort
    if tech_names and all(s.blank and s.readable and not s.below and s.state is SlotState.EMPTY for s in slots):
        return EscortVerdict("empty", slots)
    return EscortVerdict("unclear", slots)


def names_on(ctx: Ctx, slots: Sequence[SignatureSlot]) -> list[str]:
    """Names written in some slots that are not registered staff (employer's escorts, say)."""
    staff = staff_names(ctx)
    out: list[str] = []
    for s in slots:
        for n, _ in split_names(s.cjk, staff):
            if looks_like_name(n) and n not in staff and n not in out:
                out.append(n)
    return out


def plan_slot_state(plan, role: str, *, others_read: bool) -> SlotState:
    """The state of a plan signature slot (``author`` / ``reviewer`` / ``approver``) as the
    checks judge it: an ``EMPTY`` slot counts as unsigned only when ``others_read``
    (another signature of the same record was legible, so OCR did work there)."""
    if getattr(plan, role).ok:
        return SlotState.SIGNED
    sl = next((x for x in plan.signatures if x.role == role), None)
    if sl is None:
        return SlotState.LABEL_ABSENT
    if sl.state is SlotState.EMPTY and not others_read:
        return SlotState.UNREADABLE
    return sl.state


def fmt_pages(pages: Iterable[int]) -> str:
    ps = sorted({p for p in pages if p is not None})
    return "、".join(str(p) for p in ps)


