"""Helpers shared by the people / signature / plan checks (i029, i036, i040, i041, i042,
i043, i045, i050, i051, i078).

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).

Two questions come up in every signature check and are answered here once:

1. **Who signed a slot, and is it empty or just unreadable?** Hand signatures are
   images. On a born-digital page they are only read when the pipeline OCR'd the page's
   image regions; on a scan they are OCR'd with the page, and OCR does predictable
   things to handwriting: it merges neighbouring names into one run (``赖波建蔡平庆``),
   glues the date to the last name, misreads a character (``白宝`` for ``白宁``), adds a
   stray stroke as a character or a dot, drops a faint name altogether, and on a page
   scanned upside down keeps the words' boxes in displayed coordinates. So slots are
   read from the page lines (:func:`read_slots`) in the upright frame: the text after
   the printed label up to the next label on its line, plus lines written further right
   in its row, plus (as a guard only) text just under it. Runs of names are split with
   the registered staff list (:func:`names_in`). Counts are taken over every slot of a
   record (a survey has two pages with a slot each), so one dropped name does not make
   one signer. A slot is called *empty* only when the page's hand-writing was read,
   nothing but dates and punctuation lies in the slot, and another signature of the same
   record *was* read (so OCR worked there). Anything unclear is ``check.cannot_decide``.

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
from extractors.layout import upright
from extractors.records import BundleRecords, Val
from extractors.text import SURNAMES, find_dates, split_names
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
    if _scanned(ctx, v):
        # Handwriting on a scan: OCR garbles given names (邱彬琳 read 邱林梦, 邹晓梓 read
        # 邹阳尧梓) far more than the surname, so a registered person with the same surname
        # and a name of about the same length may be the one who signed.
        kin = [r for r in registered if r[:1] == name[:1] and abs(len(r) - len(name)) <= 1]
        if kin:
            return NameVerdict("unsure", kin[0], dist(name, kin[0]))
    conf = line_conf(ctx, v, name)
    if conf is not None and conf < MIN_LINE_CONF:
        return NameVerdict("unsure", best, bd)
    return NameVerdict("unregistered", best, bd)


def _scanned(ctx: Ctx, v: Val) -> bool:
    """Whether ``v`` was read by OCR (a scanned page, or a signature image on a text page)."""
    if read_by_ocr(ctx, v):
        return True
    p = ctx.pages.get(v.page) if v.page is not None and getattr(ctx, "pages", None) else None
    if p is None:
        return False
    b = v.bbox
    return b is not None and any(
        getattr(ln, "origin", "") == "image" and ln.bbox[0] < b[2] and b[0] < ln.bbox[2] and _v_overlap(ln.bbox, b)
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


# ------------------------------------------------------------------ page geometry


def _v_overlap(a, b, slack: float = 0.0) -> bool:
    return a[1] - slack < b[3] and b[1] - slack < a[3]


@dataclass(frozen=True)
class ULine:
    """A page line in upright reading coordinates (``box``), with its displayed box
    (``disp``, for evidence)."""

    text: str
    box: tuple
    disp: tuple
    conf: float
    origin: Optional[str]


_UPRIGHT: dict[int, tuple] = {}


def _runs_backwards(lines: Sequence[Line]) -> Optional[bool]:
    """Whether the words of the lines run right to left in page coordinates (a scan
    turned by 180° whose boxes stayed in displayed coordinates); None when no line has
    two words to tell."""
    fwd = back = 0
    for ln in lines:
        xs = [w.bbox[0] for w in ln.words if w.text.strip()]
        if len(xs) < 2:
            continue
        if all(a < b for a, b in zip(xs, xs[1:])):
            fwd += 1
        elif all(a > b for a, b in zip(xs, xs[1:])):
            back += 1
    if not fwd and not back:
        return None
    return back > fwd


def upright_lines(page: Page) -> list[ULine]:
    """The page's lines with boxes in the upright frame: scans turned by 90°/270°
    (``layout.upright``) or 180° still carry displayed coordinates, where "right of the
    label" is not where the signature is."""
    hit = _UPRIGHT.get(id(page))
    if hit is not None and hit[0] is page:
        return hit[1]
    try:
        up, _ = upright(page)
    except Exception:  # geometry help only: fall back to the page as given
        up = page
    W, H = up.width, up.height
    back = _runs_backwards(up.lines)
    flip = back if back is not None else (page.rotation == 180 and page.source == "ocr")
    out = []
    for ln, orig in zip(up.lines, page.lines):
        b = tuple(ln.bbox)
        if flip:
            b = (W - b[2], H - b[3], W - b[0], H - b[1])
        out.append(ULine(ln.text or "", b, tuple(orig.bbox), ln.conf, getattr(ln, "origin", None)))
    if len(_UPRIGHT) > 512:
        _UPRIGHT.clear()
    _UPRIGHT[id(page)] = (page, out)
    return out


def _hmed(lines: Sequence[ULine]) -> float:
    hs = sorted(ln.box[3] - ln.box[1] for ln in lines if ln.origin is None and ln.text.strip())
    return max(hs[len(hs) // 2], 6.0) if hs else 12.0


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


# ------------------------------------------------------------------ signature slots read from the page

# Role labels (data). Longer forms first so a prefix never stays behind as a "name".
SURVEY_TECH_LABELS = ("现场调查人员", "现场调查人", "调查人员", "调查人")
SAMPLER_LABELS = ("采样人员", "采样人", "测量人员", "测量人", "检测人员", "检测人", "采样者")
ESCORT_LABELS = ("用人单位陪同人员", "用人单位陪同人", "企业陪同人员", "企业陪同人", "陪同人员", "陪同人")
_OTHER_LABELS = ("复核人", "校核人", "核对人", "审核人", "复核者", "校核者", "批准人", "编制人", "记录人")
_DATE_LABEL = r"(?:签字|签名)?日\s*期"


def _label_alt(labels: Iterable[str]) -> str:
    # OCR reads 人 as 入 in small print
    forms = set(labels) | {s.replace("人", "入") for s in labels}
    return "|".join(re.escape(s) for s in sorted(forms, key=len, reverse=True))


_ALL_ROLE = _label_alt(SURVEY_TECH_LABELS + SAMPLER_LABELS + ESCORT_LABELS + _OTHER_LABELS)
# where a slot ends on its line: the next role label, any "X人：" label, or the date label
_CUT = re.compile(rf"(?:{_ALL_ROLE})|{_NEXT_LABEL.pattern}|{_DATE_LABEL}")
_STOP_LINE = re.compile(rf"[\s.·•,，:：_\-]*(?:(?:{_ALL_ROLE})|{_NEXT_LABEL.pattern}|{_DATE_LABEL}\s*[:：]?\s*$)")
_PROSE_BEFORE = ("由", "的", "经", "及", "和", "与", "请", "名", "为")


@dataclass
class Slot:
    """What is written in one signature slot, read from the page lines (not the records).

    ``text``: what follows the label up to the next label on its line, plus lines written
    further right in the label's row (a signature OCR'd as a line of its own);
    ``cjk``: its Chinese characters once dates and date words are removed."""

    page: int
    label: str
    box: tuple  # displayed box of the label's line (evidence)
    text: str
    cjk: str
    conf: float  # lowest OCR confidence of the lines read
    readable: bool  # the page's hand-written marks had a chance to be read
    below: str = ""  # Chinese text just under the slot (see ``_below``)

    @property
    def blank(self) -> bool:
        """Nothing but dates, date words and punctuation (a stray dot is scan noise)."""
        return not re.sub(r"[\s.,，。·•:：;；_\-—~/\\|()（）'\"`]+", "", self.cjk_free)

    @property
    def cjk_free(self) -> str:
        t = self.text
        for _, (s, e) in sorted(find_dates(t), key=lambda x: -x[1][0]):
            t = t[:s] + t[e:]
        return re.sub(rf"{_DATE_LABEL}|签字|签名|盖章|年\s*月\s*日", "", t)


def _cjk_of(text: str) -> str:
    t = text or ""
    for _, (s, e) in sorted(find_dates(t), key=lambda x: -x[1][0]):
        t = t[:s] + " " + t[e:]
    t = re.sub(_DATE_LABEL, " ", t)
    t = re.sub(r"签字|签名|盖章|年\s*月\s*日", " ", t)
    return " ".join(x for x in re.split(r"[^\u4e00-\u9fff]+", t) if x)


def read_slots(ctx: Ctx, pages: Iterable[int], labels: Sequence[str]) -> list[Slot]:
    """Every slot labelled with one of ``labels`` on ``pages``."""
    forms = set(labels) | {x.replace("人", "入") for x in labels}
    # one pass over every role label, longest first, so 陪同人 inside 用人单位陪同人 is never a hit of its own
    finder = re.compile(_label_alt(tuple(labels) + SURVEY_TECH_LABELS + SAMPLER_LABELS + ESCORT_LABELS + _OTHER_LABELS))
    out: list[Slot] = []
    for no in dict.fromkeys(pages):
        page = ctx.pages.get(no)
        if page is None:
            continue
        lines = upright_lines(page)
        hm = _hmed(lines)
        for ln in lines:
            # labels are printed, never hand-written
            if ln.origin is not None:
                continue
            for m in finder.finditer(ln.text):
                if m.group(0) not in forms:
                    continue
                s, e = m.span()
                before = ln.text[s - 1:s] if s else ""
                after = ln.text[e:e + 1]
                if before in _PROSE_BEFORE or not (after == "" or after in ":： (（.·" or _CJK.match(after)):
                    continue
                rest = ln.text[e:]
                cut = _CUT.search(rest.lstrip(" :：.·"))
                lead = len(rest) - len(rest.lstrip(" :：.·"))
                seg = rest[: lead + cut.start()] if cut else rest
                if len(_cjk_of(seg).replace(" ", "")) > 16:
                    continue  # a sentence about the people, not a signature
                texts, confs = [seg], [ln.conf]
                width = ln.box[2] - ln.box[0]
                x_lab = ln.box[0] + width * s / max(len(ln.text), 1)
                if cut is None:
                    texts_x, confs_x, x_end = _right_of(lines, ln, hm, page.source)
                    texts += texts_x
                    confs += confs_x
                else:
                    x_end = ln.box[0] + width * (e + lead + cut.start()) / max(len(ln.text), 1)
                text = " ".join(t.strip() for t in texts if t.strip())
                out.append(Slot(page=no, label=m.group(0), box=ln.disp, text=text, cjk=_cjk_of(text),
                                conf=min(confs), readable=images_read(page),
                                below=_below(lines, ln, hm, x_lab, x_end)))
    return out


def _right_of(lines: Sequence[ULine], lab: ULine, hm: float, source: str) -> tuple[list[str], list[float], float]:
    """Lines in the label's row right of its line, up to the next printed label (and
    where the slot ends)."""
    y0, y1 = lab.box[1] - 0.5 * hm, lab.box[3] + 0.5 * hm
    x0 = lab.box[2] - 0.5 * hm
    row = [ln for ln in lines if ln is not lab and ln.box[0] >= x0 and y0 <= (ln.box[1] + ln.box[3]) / 2 <= y1]
    stops = [ln.box[0] for ln in row if ln.origin is None and _STOP_LINE.match(ln.text)]
    x1 = min(stops) if stops else float("inf")
    texts, confs, x_end = [], [], lab.box[2]
    for ln in sorted(row, key=lambda l: l.box[0]):
        if ln.box[0] >= x1 - 1 or not ln.text.strip():
            continue
        if source == "text" and ln.origin is None and re.fullmatch(r"[\s_:：.·\-—]*", ln.text):
            continue  # printed underscores: form furniture
        texts.append(ln.text)
        confs.append(ln.conf)
        x_end = max(x_end, ln.box[2])
    return texts, confs, (x1 if stops else max(x_end, lab.box[2] + 8 * hm))


def _below(lines: Sequence[ULine], lab: ULine, hm: float, x0: float, x1: float) -> str:
    """Chinese text written just under a slot that no printed label starts: a second
    signature stacked under the first, or a signature written below its label in a
    boxed form. Never read as names; it only stops a slot from being called empty or
    single."""
    top, bottom = lab.box[3] + 0.2 * hm, lab.box[3] + 1.8 * hm
    out = []
    for ln in lines:
        if ln is lab or not (top < (ln.box[1] + ln.box[3]) / 2 <= bottom):
            continue
        if ln.box[2] <= x0 or ln.box[0] >= x1:
            continue
        if ln.origin is None and _STOP_LINE.match(ln.text):
            continue
        yc = (ln.box[1] + ln.box[3]) / 2
        if any(o.origin is None and o is not ln and abs((o.box[1] + o.box[3]) / 2 - yc) <= 0.5 * hm
               and o.box[0] < ln.box[0] and _STOP_LINE.match(o.text) for o in lines):
            continue  # the next row's own slot (陪同人 under 调查人)
        c = _cjk_of(ln.text)
        if c:
            out.append(c)
    return " ".join(out)


# ------------------------------------------------------------------ who signed a slot


@dataclass
class SlotNames:
    names: list[str]  # distinct people read (known staff or name-shaped)
    leftover: str  # characters no name accounts for
    state: str  # two | one | none | unclear


def names_in(slot: Slot, staff: Sequence[str], escorts: Iterable[str] = ()) -> SlotNames:
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
    slots: list[Slot]


def technicians_signed(ctx: Ctx, pages: Sequence[int], labels: Sequence[str], vals: Sequence[Val],
                       escorts: Iterable[str]) -> TechVerdict:
    """How many technicians signed one record (a survey, one sampling form), over every
    slot of that record on its pages.

    - ``ok``: two or more different people, in one slot or over several (a name OCR
      dropped on one page is read on the other), or from the extractor's values;
    - ``one``: every located slot holds the same single name, fully accounted for, read
      with confidence on a page whose hand-writing was read;
    - ``none``: slots located, nothing written in any;
    - ``unclear``: anything else (no slot found, leftover scrawl, low confidence)."""
    staff = staff_names(ctx)
    escorts = set(escorts)
    ext = []
    for v in vals:
        if v.ok:
            n = str(v.value)
            if n in staff or not any(dist(n, e) <= 1 for e in escorts if len(e) >= 2 and e not in staff):
                if n not in ext:
                    ext.append(n)
    slots = read_slots(ctx, pages, labels)
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
        confident = all(s.readable and s.conf >= MIN_LINE_CONF for s, r in reads if r.state == "one")
        if confident and (not ext or ext[0] in people or any(dist(ext[0], p) <= 1 for p in people)):
            return TechVerdict("one", people, slots)
    return TechVerdict("unclear", people or ext, slots)


@dataclass
class EscortVerdict:
    state: str  # signed | empty | unclear | absent
    slots: list[Slot]


def escort_signed(ctx: Ctx, pages: Sequence[int], val: Val, tech_names: Sequence[str]) -> EscortVerdict:
    """Whether the employer's escort signed one record, from its escort slots on the page.

    ``empty`` needs every located slot to hold no Chinese character at all (a date
    alone is not a signature), on a page whose hand-writing was read, while the
    technicians' names on the same record *were* read (so OCR worked there). The
    extractor's value counts as a signature unless it is one of the record's own
    technicians (a name OCR put in the wrong slot)."""
    slots = read_slots(ctx, pages, ESCORT_LABELS)
    staff = staff_names(ctx)
    ext_ok = val.ok and str(val.value) not in staff and not any(dist(str(val.value), t) <= 1 for t in tech_names)
    if any(len(s.cjk.replace(" ", "")) >= 2 for s in slots) or ext_ok:
        return EscortVerdict("signed", slots)
    if not slots:
        return EscortVerdict("absent", slots)
    if tech_names and all(s.blank and s.readable and not s.below for s in slots):
        return EscortVerdict("empty", slots)
    return EscortVerdict("unclear", slots)


def names_on(ctx: Ctx, pages: Sequence[int], labels: Sequence[str]) -> list[str]:
    """Names written in the ``labels`` slots of some pages (employer's escorts, say)."""
    staff = staff_names(ctx)
    out: list[str] = []
    for s in read_slots(ctx, pages, labels):
        for n, _ in split_names(s.cjk, staff):
            if looks_like_name(n) and n not in staff and n not in out:
                out.append(n)
    return out


# ------------------------------------------------------------------ single-name slots located by the extractor


def _label_of(raw: str) -> str:
    m = re.match(r"\s*([^\s:：]+)", raw or "")
    return m.group(1) if m else ""


def _meaningful(text: str) -> str:
    """What is left of a text once date words and punctuation are removed."""
    return _DATE_WORDS.sub("", text or "")


def slot_content(ctx: Ctx, v: Val) -> Optional[list[str]]:
    """Texts written in the signature slot the extractor located for ``v`` (None when the
    page or its label is unknown): the slot whose label line holds ``v``'s box, read
    with :func:`read_slots`."""
    page = ctx.pages.get(v.page) if v.page is not None else None
    if page is None or v.bbox is None:
        return None
    label = _label_of(v.raw).rstrip("员")
    if not label or not _CJK.search(label):
        return None
    cands = [s for s in read_slots(ctx, [v.page], (label, label + "员")) if _v_overlap(s.box, v.bbox, slack=4)]
    if not cands:
        return None
    s = min(cands, key=lambda s: abs((s.box[1] + s.box[3]) / 2 - (v.bbox[1] + v.bbox[3]) / 2))
    return [s.text] if _meaningful(s.text).strip() else []


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
