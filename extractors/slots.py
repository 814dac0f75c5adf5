"""Signature slots read from the page lines: what is written after each role label.

Moved from ``checks/_shared_people.py`` so that checks read typed records
(``SignatureSlot`` with a ``SlotState``, on ``SurveyRecord`` / ``SamplingSheet`` /
``PlanRecord.signatures``) instead of page lines. :func:`add_page_facts` runs after the
form extractors (``extract_records``) on the same pages the checks get.

Hand signatures are images. On a born-digital page they are only read when the pipeline
OCR'd the page's image regions; on a scan they are OCR'd with the page, and OCR does
predictable things to handwriting: it merges neighbouring names into one run, glues the
date to the last name, misreads a character, adds a stray stroke, drops a faint name,
and on a page scanned upside down keeps the words' boxes in displayed coordinates. So
slots are read from the page lines (:func:`read_slots`) in the upright frame: the text
after the printed label up to the next label on its line, plus lines written further
right in its row, plus (as a guard only) text just under it.

This reader differs from ``extractors/signatures.signature_block`` (which reads signer
*values* on the layout grid): the checks' verdicts on technician / escort counts and on
empty single-name slots were built on this one, so it is kept as is for those roles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence

from pipeline.geometry import rows_overlap, turn_box
from pipeline.types import Line, Page

from .forms.detection_plan import plan_text_facts
from .forms.sampling_record import sheet_text_facts
from .layout import upright
from .records import BundleRecords, SignatureSlot, SlotState, Val
from .text import find_dates

_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATE_WORDS = re.compile(r"(签字|签名)?日\s*期|签字|签名|时间|年|月|日|[:：()（）.,，、/\-\s_]")
# the next role label on an OCR line that runs across several signature slots
_NEXT_LABEL = re.compile(r"(?:用人单位|企业)?(?:陪同|复核|校核|审核|核对|采样|测量|检测|调查|编制|编写|批准|审批|签发|分析|检验|计算|送样|收样|接收|交样|接样)(?:人员|人|者)?\s*[:：]")


def _v_overlap(a, b, slack: float = 0.0) -> bool:
    return rows_overlap(a, b, slack)


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
            b = turn_box(b, 2, W, H)
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
    if page.image_regions is not None:
        # every image region gave at least one line on average; an image that gave
        # nothing could be the very signature we are asking about
        return (page.image_lines or 0) >= page.image_regions
    return any(getattr(ln, "origin", None) == "image" for ln in page.lines)


def slot_read(page: Optional[Page], box: tuple) -> bool:
    """Whether hand-written marks in ``box`` (a slot, displayed page points) had a chance
    to be read: where the page records which image regions gave text, no image region
    that gave none overlaps the slot (an unread seal or signature there may be the
    signature); otherwise :func:`images_read` (the page's counts)."""
    if page is not None and page.source == "text" and page.image_boxes is not None and not page.rotation:
        return not any(not got and r[0] < box[2] and box[0] < r[2] and r[1] < box[3] and box[1] < r[3]
                       for r, got in page.image_boxes)
    return images_read(page)


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


def _cjk_of(text: str) -> str:
    t = text or ""
    for _, (s, e) in sorted(find_dates(t), key=lambda x: -x[1][0]):
        t = t[:s] + " " + t[e:]
    t = re.sub(_DATE_LABEL, " ", t)
    t = re.sub(r"签字|签名|盖章|年\s*月\s*日", " ", t)
    return " ".join(x for x in re.split(r"[^\u4e00-\u9fff]+", t) if x)


def _blank(text: str) -> bool:
    """Nothing but dates, date words and punctuation (a stray dot is scan noise)."""
    t = text
    for _, (s, e) in sorted(find_dates(t), key=lambda x: -x[1][0]):
        t = t[:s] + t[e:]
    t = re.sub(rf"{_DATE_LABEL}|签字|签名|盖章|年\s*月\s*日", "", t)
    return not re.sub(r"[\s.,，。·•:：;；_\-—~/\\|()（）'\"`]+", "", t)


def _state(text: str, cjk: str, readable: bool, below: str, dated: bool = False) -> SlotState:
    """``dated``: a signing date is written in the slot (on its line or just under it):
    the slot was filled in, so a name that was not read is no proof of a missing one."""
    if cjk:
        return SlotState.SIGNED
    if _blank(text) and readable and not below and not dated:
        return SlotState.EMPTY
    return SlotState.UNREADABLE


def read_slots(pages: Mapping[int, Page], page_nos: Iterable[int], labels: Sequence[str],
               role: str = "") -> list[SignatureSlot]:
    """Every slot labelled with one of ``labels`` on pages ``page_nos`` (in that order).

    ``state``: ``SIGNED`` when Chinese text is in the slot, ``EMPTY`` when it is blank
    on a page whose hand-writing was read and nothing is written under it, else
    ``UNREADABLE``."""
    forms = set(labels) | {x.replace("人", "入") for x in labels}
    # one pass over every role label, longest first, so 陪同人 inside 用人单位陪同人 is never a hit of its own
    finder = re.compile(_label_alt(tuple(labels) + SURVEY_TECH_LABELS + SAMPLER_LABELS + ESCORT_LABELS + _OTHER_LABELS))
    out: list[SignatureSlot] = []
    for no in dict.fromkeys(page_nos):
        page = pages.get(no)
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
                # marks standing inside the line's own span after the label (a seal OCR read
                # apart from the printed row "调查人员 2022.4.29 企业陪同人员 2022.4.29")
                # where the label ends: by its share of the line's characters, or by glyph
                # width when OCR collapsed a wide gap after it into one space
                x_from = ln.box[0] + min(width * e / max(len(ln.text), 1), 0.8 * e * (ln.box[3] - ln.box[1]))
                x_in = ln.box[2] if cut is None else ln.box[0] + width * (e + lead + cut.start()) / max(len(ln.text), 1)
                inside = sorted((o for o in lines if o.origin is not None and o is not ln
                                 and o.box[1] < ln.box[3] + 0.5 * hm and o.box[3] > ln.box[1] - 0.5 * hm
                                 and x_from <= (o.box[0] + o.box[2]) / 2 <= x_in
                                 and o.box[0] < ln.box[2] - 0.5 * hm),  # right of the line: _right_of's
                                key=lambda o: o.box[0])
                texts += [o.text for o in inside]
                confs += [o.conf for o in inside]
                if cut is None:
                    texts_x, confs_x, x_end = _right_of(lines, ln, hm, page.source)
                    texts += texts_x
                    confs += confs_x
                else:
                    x_end = x_in
                text = " ".join(t.strip() for t in texts if t.strip())
                cjk = _cjk_of(text)
                readable = slot_read(page, (x_lab, ln.box[1] - hm, x_end, ln.box[3] + hm)) \
                    if ln.box == ln.disp else images_read(page)
                below = _below(lines, ln, hm, x_lab, x_end)
                dated = bool(find_dates(text)) or _date_under(lines, ln, hm, x_lab, x_end)
                out.append(SignatureSlot(role=role, page=no, label=m.group(0), box=ln.disp, text=text, cjk=cjk,
                                         conf=min(confs), readable=readable, below=below, blank=_blank(text),
                                         state=_state(text, cjk, readable, below, dated)))
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



def _date_under(lines: Sequence[ULine], lab: ULine, hm: float, x0: float, x1: float) -> bool:
    """A date written just under the slot, within its width (a boxed slot's date line),
    that no printed label of the next row starts."""
    top, bottom = lab.box[3] + 0.2 * hm, lab.box[3] + 1.8 * hm
    for ln in lines:
        if ln is lab or not (top < (ln.box[1] + ln.box[3]) / 2 <= bottom):
            continue
        if ln.box[2] <= x0 or ln.box[0] >= x1 or (ln.origin is None and _STOP_LINE.match(ln.text)):
            continue
        if find_dates(ln.text):
            return True
    return False


def _label_of(raw: str) -> str:
    m = re.match(r"\s*([^\s:：]+)", raw or "")
    return m.group(1) if m else ""


def _meaningful(text: str) -> str:
    """What is left of a text once date words and punctuation are removed."""
    return _DATE_WORDS.sub("", text or "")


def _located_slot(pages: Mapping[int, Page], v: Val) -> Optional[SignatureSlot]:
    """The signature slot the label reader located for ``v`` (None when the page or its
    label is unknown): the slot whose label line holds ``v``'s box, read with
    :func:`read_slots`."""
    page = pages.get(v.page) if v.page is not None else None
    if page is None or v.bbox is None:
        return None
    label = _label_of(v.raw).rstrip("员")
    if not label or not _CJK.search(label):
        return None
    cands = [s for s in read_slots(pages, [v.page], (label, label + "员")) if _v_overlap(s.box, v.bbox, slack=4)]
    if not cands:
        return None
    return min(cands, key=lambda s: abs((s.box[1] + s.box[3]) / 2 - (v.bbox[1] + v.bbox[3]) / 2))


def single_slot(pages: Mapping[int, Page], v: Val, role: str) -> SignatureSlot:
    """The slot of a single-name role (plan author, reviewer, approver) whose value the
    label reader gave as ``v``.

    ``SIGNED``: a name was read. ``LABEL_ABSENT``: no label for this role was found (a
    layout the extractor did not recognise is not proof that nobody signed).
    ``EMPTY``: the label was found, the page's images were read and the slot located on
    its line holds nothing but date words and punctuation. ``UNREADABLE``: anything else.
    A check still needs another signature of the same record to be legible (so OCR did
    work there) before it calls an ``EMPTY`` slot unsigned."""
    base = dict(role=role, page=v.page, box=v.bbox, text=v.raw, names=[v] if v.ok else [])
    if v.ok:
        return SignatureSlot(**base, state=SlotState.SIGNED)
    if v.page is None or not v.empty:
        return SignatureSlot(**base, state=SlotState.LABEL_ABSENT)
    page = pages.get(v.page)
    s = _located_slot(pages, v)
    readable = images_read(page)
    if s is None:
        return SignatureSlot(**base, readable=readable, state=SlotState.UNREADABLE)
    empty = s.readable and not _meaningful(s.text).strip()
    return s.model_copy(update={"role": role, "names": [], "state": SlotState.EMPTY if empty else SlotState.UNREADABLE})


# ------------------------------------------------------------------ report slots (by box)
# Moved from check i052: the report's slots are judged by what was recognised inside the
# box the label reader gave, besides labels and dates.

# Labels and date text that may sit inside a signature slot without being a signature.
_REPORT_LABELS = re.compile(
    r"(报告)?(编制|编写|审核|签发|批准|授权签字|审批)(人员|人|者)?|日\s*期|签\s*[字名]|姓名|盖章|年|月|日|[(（][^)）]{0,10}[)）]")
_REPORT_DATE = re.compile(r"\d{2,4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?|[〇○零一二三四五六七八九十]{2,4}年[〇○零一二三四五六七八九十]{1,3}月[〇○零一二三四五六七八九十]{1,3}日")


def _residue(text: str) -> str:
    t = _REPORT_DATE.sub("", text or "")
    t = _REPORT_LABELS.sub("", t)
    return re.sub(r"[\s:：.·,，;；、_\-—/\\|]+", "", t)


def box_content(page: Optional[Page], bbox) -> Optional[str]:
    """What was recognised in a signature box besides its labels and date:

    ``"empty"`` nothing (and no image there that OCR could not read); ``"mark"`` a short mark (a signature OCR could not resolve to a
    name, e.g. one character of it); ``"other"`` longer text (the slot is not a signature
    line, e.g. a sentence mentioning the role); None when it cannot be told.
    """
    if page is None or bbox is None:
        return None
    x0, y0, x1, y1 = bbox
    h = max(6.0, y1 - y0)
    ry0, ry1 = y0 - 0.5 * h, y1 + 0.5 * h
    state = "empty"
    for ln in page.lines:
        lx0, ly0, lx1, ly1 = ln.bbox
        yc = (ly0 + ly1) / 2
        if not (ry0 <= yc <= ry1) or lx1 <= x0 or lx0 >= x1 + 2 * h:
            continue
        res = _residue(ln.text)
        if len(res) > 4:
            return "other"
        if res:
            state = "mark"
    if state == "empty" and not slot_read(page, (x0, ry0, x1 + 2 * h, ry1)):
        return None  # an image there gave no text: it may be the signature OCR could not read
    return state


_BOX_STATE = {"empty": SlotState.EMPTY, "mark": SlotState.SIGNED, "other": SlotState.UNREADABLE,
              None: SlotState.UNREADABLE}


def report_slots(report, pages: Mapping[int, Page]) -> list[SignatureSlot]:
    """Slots of the report whose name was not read: ``author`` / ``reviewer`` / ``issuer``
    (``SIGNED``: a short mark is there; ``EMPTY``: nothing but labels and dates;
    ``LABEL_ABSENT``: no page or box; else ``UNREADABLE``), and one ``team`` slot per
    team-table row whose 签名 cell was not read, in the column of the signatures read on
    that page (``EMPTY`` only when nothing is there; no slot when no signature of the
    page was read)."""
    out: list[SignatureSlot] = []
    for role in ("author", "reviewer", "issuer"):
        v = getattr(report, role)
        if v.ok:
            continue
        if v.page is None or v.bbox is None:
            out.append(SignatureSlot(role=role, page=v.page, box=v.bbox, text=v.raw, state=SlotState.LABEL_ABSENT))
            continue
        st = box_content(pages.get(v.page), v.bbox)
        out.append(SignatureSlot(role=role, page=v.page, box=v.bbox, text=v.raw, state=_BOX_STATE[st]))
    team = [row for row in report.team if row.get("name").ok]
    signed = [row.get("signature") for row in team if "signature" in row.fields and row.get("signature").ok]
    for row in team:
        if "signature" not in row.fields or row.get("signature").ok:
            continue
        same = [s for s in signed if s.page == row.page and s.bbox is not None]
        if not same or row.bbox is None:
            continue
        box = (min(s.bbox[0] for s in same), row.bbox[1], max(s.bbox[2] for s in same), row.bbox[3])
        st = box_content(pages.get(row.page), box)
        out.append(SignatureSlot(role="team", page=row.page, box=box, names=[row.get("name")],
                                 state=SlotState.EMPTY if st == "empty" else _BOX_STATE[st]))
    return out


# ------------------------------------------------------------------ onto the records

SURVEY_ROLES = (("technician", SURVEY_TECH_LABELS), ("escort", ESCORT_LABELS))
SAMPLING_ROLES = (("sampler", SAMPLER_LABELS), ("escort", ESCORT_LABELS))
PLAN_ROLES = ("author", "reviewer", "approver")


def _on_page(vals: Sequence[Val], page: Optional[int]) -> list[Val]:
    return [v for v in vals if v.ok and v.page == page]


def add_page_facts(records: BundleRecords, pages: Sequence[Page]) -> BundleRecords:
    """``records`` with the signature slots and page words the checks read, taken from
    ``pages`` (the pages the records were extracted from). Never raises: on an error the
    records come back as they were, with a note."""
    by_no = {p.no: p for p in pages}

    def text_of(nos: Iterable[int]) -> str:
        return "\n".join(ln.text for no in nos if no in by_no for ln in by_no[no].lines)

    try:
        upd: dict = {}
        s = records.field_survey
        if s is not None:
            tech_pages = list(dict.fromkeys([v.page for v in s.technicians if v.page] + list(s.pages)))
            slots = [sl.model_copy(update={"names": _on_page(s.technicians, sl.page)})
                     for sl in read_slots(by_no, tech_pages, SURVEY_TECH_LABELS, "technician")]
            slots += [sl.model_copy(update={"names": _on_page([s.escort], sl.page)})
                      for sl in read_slots(by_no, s.pages, ESCORT_LABELS, "escort")]
            upd["field_survey"] = s.model_copy(update={"signatures": slots})
        p = records.detection_plan
        if p is not None:
            upd["detection_plan"] = p.model_copy(update={
                "signatures": [single_slot(by_no, getattr(p, r), r) for r in PLAN_ROLES],
                "text_facts": plan_text_facts(text_of(p.pages))})
        sheets = []
        for sh in records.sampling_records:
            slots = [sl.model_copy(update={"names": _on_page(sh.samplers, sl.page)})
                     for sl in read_slots(by_no, sh.pages, SAMPLER_LABELS, "sampler")]
            slots += [sl.model_copy(update={"names": _on_page([sh.escort], sl.page)})
                      for sl in read_slots(by_no, sh.pages, ESCORT_LABELS, "escort")]
            sheets.append(sh.model_copy(update={"signatures": slots, "text_facts": sheet_text_facts(text_of(sh.pages))}))
        if sheets:
            upd["sampling_records"] = sheets
        if records.report is not None:
            upd["report"] = records.report.model_copy(update={"signatures": report_slots(records.report, by_no)})
        return records.model_copy(update=upd)
    except Exception as e:  # page facts are a help to the checks: never lose the records
        return records.model_copy(update={"notes": records.notes + [f"page facts failed: {type(e).__name__}: {e}"]})

