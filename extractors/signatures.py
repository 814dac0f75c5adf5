"""Signature blocks read from the layout grid: ``role label: names [date]`` per form role.

Moved out of ``extractors/layout.py`` (which keeps the grid: cells, visual lines,
label → value). Each form extractor calls :func:`signature_block` with its roles and
turns the hits into ``Val`` fields with :func:`signer_val` / :func:`signer_vals` /
:func:`signer_date`. What a slot holds on the page (its typed ``SlotState``, for the
checks) is read by :mod:`extractors.slots`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from rapidfuzz.distance import Levenshtein

from pipeline.types import BBox

from .layout import Cell, PageGrid, VLine, _is_cjk, union_bbox
from .records import Val, ValState
from .text import ROLE_STEMS, SURNAMES, find_dates, split_names

__all__ = ["SignerHit", "signature_block", "role_stem", "role_stops", "signer_val", "signer_vals", "signer_date",
           "SLOT_EMPTY", "LABEL_ABSENT", "slot_is_empty", "label_is_absent"]


# A signature slot's label names a role: a role *stem* (采样, 复核, 送样 …) turned into a
# person or a signing instruction by a suffix (采样人, 采样人员, 采样者, 检验员, 复核人签名,
# 陪同人(签字), 审核签字). Institutions word these freely, so labels are read by this
# shape and normalised to their stem; each form maps stems to its roles (derived from
# its synonym tuples). Party / document qualifiers in front (用人单位陪同人员, 现场采样人,
# 报告编写人) belong to the label, so they are never left behind as a "name".
_QUALIFIER = re.compile(r"[(（][^)）]{0,12}[)）]|[(（]?(?:技术|质量|项目)负责人[)）]?")
_DATE_LABEL = re.compile(r"(签字)?日\s*期|签名|签字|时间")
_EMPLOYER_LABEL = re.compile(r"陪同|用人单位|企业|委托方|甲方|受检|被检")
# OCR reads 人 as 入
_PERSON_SUFFIXES = ("人员", "入员", "人", "入", "员", "者")
_SIGN_WORD = re.compile(r"\s*[(（]?\s*(?:签字|签名|签章|签署|手签|亲笔签名)(?:确认)?\s*[)）]?")
_ROLE_PREFIXES = ("被检测单位", "用人单位", "受检单位", "被检单位", "委托单位", "企业", "厂方", "现场", "报告", "方案",
                  "样品", "主要", "参加")
_PAREN = re.compile(r"[(（][^)）]{0,14}[)）]")


def role_stem(label: str) -> Optional[str]:
    """The role stem of a signature label: 用人单位陪同人员 → 陪同, 复核人签名 → 复核,
    检验员 → 检验, 审核 → 审核; None when nothing of two characters is left."""
    t = re.sub(r"[\s:：]", "", label or "")
    if t in _PERSON_SUFFIXES:
        return None
    t = re.sub(r"[(（]?(?:签字|签名|签章|签署)(?:确认)?[)）]?$", "", t)
    for p in _ROLE_PREFIXES:
        if t.startswith(p) and len(t) - len(p) >= 2:
            t = t[len(p):]
            break
    for suf in _PERSON_SUFFIXES:
        if t.endswith(suf) and len(t) - len(suf) >= 2:
            t = t[: -len(suf)]
            break
    return t if len(t) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", t) else None


def role_stops(roles: dict[str, Sequence[str]]) -> tuple[str, ...]:
    """Texts that mark a signature line of a form with these roles (to end its tables):
    the synonyms and every stem with a person suffix or a signing word."""
    out = [s for syns in roles.values() for s in syns]
    for st in dict.fromkeys(role_stem(s) for syns in roles.values() for s in syns):
        if st:
            out.extend(st + suf for suf in ("人", "员", "者", "签字", "签名"))
    return tuple(dict.fromkeys(out))


def _lexicon(roles: dict[str, Sequence[str]]) -> tuple[dict[str, set], dict[str, set]]:
    """(explicit labels → roles, stems → roles). Every role stem of QC forms is a stem
    here, mapped to no role when the form has none for it: its label still ends the
    previous slot (采样人: 张三 记录人: 李四 gives no sampler 李四)."""
    labels: dict[str, set] = {}
    stems: dict[str, set] = {s: set() for s in ROLE_STEMS}
    for r, syns in roles.items():
        for s in syns:
            for v in {s, s.replace("人", "入")}:
                labels.setdefault(v, set()).add(r)
            st = role_stem(s)
            if st:
                stems.setdefault(st, set()).add(r)
    return labels, stems


@dataclass
class SignerHit:
    role: str
    names: list[tuple[str, float]]
    date: Optional[object]
    page: int
    bbox: BBox
    raw: str
    source: str = "ocr"
    # 2: label followed by a colon; 1: label ends its cell; 0: label runs into other text
    score: int = 0
    # the page is a text layer whose images (hand signatures) were OCRed too
    image_ocr: bool = False
    # a boxed slot (label row, names and date under it) whose date is written but whose
    # name was not read: filled in, so not proof of a missing signature
    date_only: bool = False
    # Chinese text stands in the slot but gave no name (one character of a seal, a garbled
    # hand signature): something is written there, so no proof of a missing signature
    unexplained: bool = False


@dataclass
class _Label:
    start: int  # prefix included
    core: int  # end of stem + person suffix (before a signing word)
    end: int  # end of the whole label
    role: Optional[str]  # None: a role label of no role of this form, or an ambiguous one
    text: str
    fuzzy: bool = False


def signature_block(grids: Sequence[PageGrid], roles: dict[str, Sequence[str]], known: Sequence[str] = (),
                    *, exclude_roles_in_table: bool = True) -> dict[str, SignerHit]:
    """Find ``role label: names [date]`` on the pages; first hit per role wins.

    Works per visual line: the line text is cut at every role label (see
    ``_line_labels``); each segment holds the names (split with the staff list) and
    possibly the signing date. A role whose segment has no name but whose date label
    follows keeps an empty name list (an unsigned slot), which checks read as "not
    signed". Labels of no role of the form (记录人, 联系人) and ambiguous ones only end
    the previous segment: no signer rather than a wrong one.
    """
    labels, stems = _lexicon(roles)
    found: dict[str, SignerHit] = {}
    for g in grids:
        image_ocr = any(ln.origin == "image" for ln in g.page.lines)
        label_rows: list[tuple[VLine, list[_Label]]] = []
        for ln in g.lines:
            text = ln.text
            hits = _line_labels(g, ln, labels, stems)
            if hits and _only_labels(text, hits):
                label_rows.append((ln, hits))
            for j, lab in enumerate(hits):
                if lab.role is None:
                    continue
                role = lab.role
                seg_end = hits[j + 1].start if j + 1 < len(hits) else len(text)
                seg = text[lab.end:seg_end]
                if role in found and found[role].names:
                    continue
                seg_clean = _QUALIFIER.sub("", seg)
                dates = find_dates(seg_clean)
                name_part = seg_clean
                if dates:
                    name_part = seg_clean[: dates[0][1][0]]
                m = _DATE_LABEL.search(name_part)
                if m:
                    name_part = name_part[: m.start()]
                # a sentence ("...人员共同完成") is not a signature
                if len(re.sub(r"[^\u4e00-\u9fff]", "", name_part)) > 16:
                    continue
                # the employer's people (陪同人, 用人单位…) are not on the staff list: their
                # two-character names are never mapped onto a staff name one edit away
                names = split_names(name_part, known, short=not _EMPLOYER_LABEL.search(lab.text))
                if lab.fuzzy:  # the label itself was a guess
                    names = [(n, round(c * 0.9, 3)) for n, c in names]
                bbox = _segment_bbox(ln, lab.start, seg_end)
                hit = SignerHit(role, names, dates[0][0] if dates else None, ln.page, bbox, (lab.text + seg).strip(),
                                g.page.source, _slot_score(ln, text, lab.end), image_ocr,
                                unexplained=not names and _written(name_part))
                # a read name wins; among empty slots, one laid out as a form slot (label: …)
                # beats an earlier mention elsewhere (a cover note, a table heading)
                old = found.get(role)
                if old is None or (not old.names and (names or hit.score > old.score)):
                    found[role] = hit
        _names_below(g, found, label_rows, known)
        _dates_below(g, found)
    return found


_LABEL_ROW_REST = re.compile(r"[\s:：_＿.·/|()（）]+")


def _written(text: str) -> bool:
    """Chinese characters in a slot besides qualifiers and signing words."""
    t = _DATE_LABEL.sub("", _QUALIFIER.sub("", text or ""))
    t = re.sub(r"签字|签名|盖章|年|月|日", "", t)
    return bool(re.search(r"[\u4e00-\u9fff]", t))


def _only_labels(text: str, hits: list[_Label]) -> bool:
    """Whether a line holds role labels and nothing else (a boxed signing block's title
    row: 编制 | 审核 | 批准(技术负责人)), so its names stand in the row under it."""
    rest, pos = [], 0
    for h in hits:
        rest.append(text[pos:h.start])
        pos = h.end
    rest.append(text[pos:])
    left = _LABEL_ROW_REST.sub("", _DATE_LABEL.sub("", _QUALIFIER.sub("", "".join(rest))))
    return left == ""


def _names_below(g: PageGrid, found: dict[str, "SignerHit"], label_rows: list, known: Sequence[str]) -> None:
    """Names written in the cell under their label, when the labels stand in a row of
    their own: each label's column runs from its own left edge to the next label's."""
    for ln, hits in label_rows:
        spans = []
        for h in hits:
            spans.append((_segment_bbox(ln, h.start, h.end), h))
        spans.sort(key=lambda t: t[0][0])
        for i, (bb, lab) in enumerate(spans):
            hit = found.get(lab.role) if lab.role else None
            if hit is None or hit.names or hit.page != g.page.no or abs(hit.bbox[1] - bb[1]) > 0.5 * g.hmed:
                continue
            x0 = bb[0] - 0.5 * g.hmed
            x1 = spans[i + 1][0][0] - 0.2 * g.hmed if i + 1 < len(spans) else 1e9
            top, bottom = bb[3], bb[3] + 2.5 * g.hmed
            column = [c for c in g.cells if top - 0.2 * g.hmed < c.yc <= bb[3] + 5 * g.hmed and x0 <= c.xc < x1]
            dated = [(c, find_dates(c.text)) for c in sorted(column, key=lambda c: c.yc)]
            dated = [(c, ds[0][0]) for c, ds in dated if ds]
            cells = [c for c in column if c.yc <= bottom]
            if not cells or all(find_dates(c.text) or _DATE_LABEL.search(c.text) for c in cells):
                if dated:
                    # only the slot's date under the label: written in, the name not read
                    hit.date_only = True
                    if hit.date is None:
                        hit.date = dated[0][1]
                continue
            # the first row under the label only (a date row may follow)
            y_first = min(c.yc for c in cells)
            cells = sorted((c for c in cells if c.yc - y_first < 0.6 * g.hmed), key=lambda c: c.bbox[0])
            text = " ".join(c.text for c in cells)
            if find_dates(text) or _DATE_LABEL.search(text) or any(w in text for w in ("人", "员")):
                continue
            names = split_names(text, known, short=not _EMPLOYER_LABEL.search(lab.text))
            if not names:
                hit.date_only = bool(dated)
                hit.unexplained = hit.unexplained or _written(text)
                continue
            if hit.date is None and dated:
                hit.date = dated[0][1]  # the date row of the block, in the label's column
            hit.names = names
            hit.bbox = union_bbox([hit.bbox] + [c.bbox for c in cells])
            hit.raw = f"{hit.raw} {text}".strip()


def _line_labels(g: PageGrid, ln: VLine, labels: dict[str, set], stems: dict[str, set]) -> list[_Label]:
    """The role labels of one visual line, in reading order.

    A label is an explicit synonym of the form, or a role stem followed by a person
    suffix and/or a signing word (采样者, 检验员, 复核人签名, 审核签字). Longest first, so
    a longer label is never re-read as a shorter one inside it. Rejected: words in
    prose (由采样人…, 编写人、审核人…签字无效), bare short words that are table cells,
    anything inside brackets (签发人(技术负责人)). On OCR text a label one character
    off a stem (采祥人:) is read when that stem is the only one it can be.
    """
    text = ln.text
    taken = [False] * len(text)
    for m in _PAREN.finditer(text):
        for k in range(m.start() + 1, m.end()):
            taken[k] = True
    out: list[_Label] = []
    cands = sorted(set(labels) | set(stems), key=len, reverse=True)
    for cand in cands:
        explicit = cand in labels
        start = 0
        while True:
            i = text.find(cand, start)
            if i < 0:
                break
            start = i + 1
            if any(taken[i:i + len(cand)]):
                continue
            core = i + len(cand)
            has_suffix = cand.endswith(_PERSON_SUFFIXES)
            if has_suffix and cand.endswith(("人", "入")) and text[core:core + 1] == "员":
                core += 1  # 审核人员 / 采样人员 written out
            elif not has_suffix:
                suf = next((s for s in _PERSON_SUFFIXES if text.startswith(s, core)), None)
                if suf:
                    core += len(suf)
                    has_suffix = True
            m = _SIGN_WORD.match(text, core)
            end = m.end() if m else core
            if not explicit and not has_suffix and not m:
                continue  # 采样日期, 复核记录: the stem in another word
            lab = _accept(ln, text, i, core, end, len(cand) <= 2 and not has_suffix and not m, explicit)
            # a rejected longer label blocks the shorter ones inside it (编写人、 → not 编写)
            for k in range(i, end):
                taken[k] = True
            if lab is None:
                continue
            rs = labels[cand] if explicit else stems.get(cand, set())
            lab.role = next(iter(rs)) if len(rs) == 1 else None
            out.append(lab)
    out.extend(_fuzzy_labels(g, ln, text, taken, stems))
    out.sort(key=lambda lab: lab.start)
    return out


def _accept(ln: VLine, text: str, i: int, core: int, end: int, short: bool, explicit: bool) -> Optional[_Label]:
    """The label text[i:end] as a slot label (with its qualifier prefix), or None when it
    is a word of a sentence or a table cell."""
    s = i
    for p in _ROLE_PREFIXES:
        if text.startswith(p, i - len(p)):
            s = i - len(p)
            break
    after = text[end: end + 1]
    before = text[s - 1: s] if s > 0 else ""
    # must look like a label: followed by ':' / space / a name, not mid-sentence
    ok = (after in ":： (（.·" or after == "" or _is_cjk(after)) and not _mid_sentence(before)
    if ok and _is_cjk(after) and not explicit:
        # a wording not in the form's list runs into a name only when OCR glued the two
        # (采样者张三); 采样人数 / 检验员证 are other words
        ok = after in SURNAMES
    if short and after not in ":：(（":
        # 审核 / 编制 in a table cell is a role, not a label; "编制 张三" at the
        # start of a signature line is one
        ok = after in " " and _starts_cell(ln, i) and not re.fullmatch(r"[\d.\s]+", ln.cells[0].text)
    if ok and _declaration(ln, text, s, core, end):
        ok = False
    return _Label(s, core, end, None, text[s:end]) if ok else None


# A label-shaped text on OCR output: two characters, a person suffix, maybe a signing word, a colon.
_FUZZY_LABEL = re.compile(r"([\u4e00-\u9fff]{2})(人员|入员|人|入|员|者)((?:[(（]?(?:签字|签名)[)）]?)?)(?=\s*[:：])")


def _fuzzy_labels(g: PageGrid, ln: VLine, text: str, taken: list[bool], stems: dict[str, set]) -> list[_Label]:
    """Labels OCR misread by one character of their stem (采祥人:, 复该人签名:): read only
    on OCR text, only when every stem one edit away names the same role of the form."""
    out: list[_Label] = []
    for m in _FUZZY_LABEL.finditer(text):
        i, end = m.start(), m.end()
        if any(taken[i:end]) or not _ocr_text(g, ln, i):
            continue
        word = m.group(1)
        # the word must start the label (劳动定员: is no damaged 测定员)
        if _is_cjk(text[i - 1: i]) and not any(text.startswith(p, i - len(p)) for p in _ROLE_PREFIXES):
            continue
        near = [st for st in stems if len(st) == 2 and Levenshtein.distance(word, st) == 1]
        if not near or word in stems:
            continue
        # 申核人 is one edit from 审核 and from 复核 / 校核: unless they all name the same
        # single role, the label is read as a role label of no role (it only ends a slot)
        first = stems[near[0]]
        role = next(iter(first)) if len(first) == 1 and all(stems[st] == first for st in near) else None
        core = m.start(3) if m.group(3) else m.end(2)
        lab = _accept(ln, text, i, core, end, False, False)
        for k in range(i, end):
            taken[k] = True
        if lab is None:
            continue
        lab.role, lab.fuzzy = role, True
        out.append(lab)
    return out


def _ocr_text(g: PageGrid, ln: VLine, pos: int) -> bool:
    """Whether the text at ``pos`` of the line was read by OCR (an OCR page, or the OCR of
    an image on a text-layer page): only there can a label be misread."""
    if g.page.source == "ocr":
        return True
    c = _cell_at(ln, pos)
    return c is not None and 0 <= c.line < len(g.page.lines) and g.page.lines[c.line].origin == "image"


def _dates_below(g: PageGrid, found: dict[str, "SignerHit"]) -> None:
    """Signing dates written on the line under the names (boxed signature cells)."""
    used: set = set()
    for role, hit in found.items():
        if hit.date is not None or hit.page != g.page.no:
            continue
        best, best_ov = None, 0.0
        for c in g.cells:
            if id(c) in used or not ((hit.bbox[1] + hit.bbox[3]) / 2 + 0.3 * g.hmed < c.yc <= hit.bbox[3] + 1.5 * g.hmed):
                continue
            ds = find_dates(c.text)
            if not ds:
                continue
            ov = min(c.bbox[2], hit.bbox[2]) - max(c.bbox[0], hit.bbox[0])
            if ov > best_ov:
                best, best_ov = (c, ds[0][0]), ov
        if best is not None:
            used.add(id(best[0]))
            hit.date = best[1]


def _starts_cell(ln: VLine, pos: int) -> bool:
    """Whether text position ``pos`` of the line is the start of a cell (ignoring punctuation)."""
    p = 0
    for c in ln.cells:
        lead = len(c.text) - len(c.text.lstrip(" ·.:：*"))
        if p + lead == pos:
            return True
        p += len(c.text) + 1
    return False


# Text right after a role word that makes it part of a statement about signatures
# ("…签发人签字无效", "…签发人签名后生效"), not a slot.
_DECL_AFTER = re.compile(r"^\s*(?:签[字名章发]|盖章|[、/和及与或])")
_DECL_RULE = re.compile(r"无效|生效|方可|不得|须|应")


def _declaration(ln: VLine, text: str, s: int, e: int, end: Optional[int] = None) -> bool:
    """Whether the role word at text[s:e] (``end``: after a signing word such as 签字, if
    any) is a word of a sentence (a report's declaration "本报告无编写人、审核人、签发人签字无效"),
    not the label of a signature slot."""
    end = e if end is None else end
    before = text[s - 1: s] if s > 0 else ""
    # a list of roles ("编写人、审核人") or a negated / required role ("无签发人", "须经审核人")
    if before in ("、", "无", "未", "须", "应", "需", "经") or "、" in (text[e: e + 1], text[end: end + 1]):
        return True
    rest = text[e: e + 12]
    # "签发人签字无效" is a rule; "陪同人签字: 应晓" is a slot (应 is also a surname)
    if _DECL_AFTER.match(rest) and _DECL_RULE.search(rest) and not text[end:].lstrip(" ").startswith((":", "：")):
        return True
    # the cell holding the word reads as prose (long, with sentence punctuation) and the
    # word is not followed by a colon (OCR may glue "编制人:张三，审核人:李四" into one cell)
    cell = _cell_at(ln, s)
    if cell is not None and _slot_score(ln, text, end) < 2:
        cjk = len(re.sub(r"[^\u4e00-\u9fff]", "", cell.text))
        if cjk > 14 and re.search(r"[。；;，,]", cell.text):
            return True
    return False


def _cell_at(ln: VLine, pos: int) -> Optional[Cell]:
    p = 0
    for c in ln.cells:
        if p <= pos < p + len(c.text):
            return c
        p += len(c.text) + 1
    return None


def _slot_score(ln: VLine, text: str, end: int) -> int:
    """How much the label ending at ``end`` looks like a form slot: 2 when a colon follows
    (after an optional qualifier such as "(技术负责人)"), 1 when it ends its cell (a grid
    label with the name cell beside it), 0 when other text runs on."""
    rest = text[end:]
    m = _QUALIFIER.match(rest)
    if m:
        rest = rest[m.end():]
    if rest.lstrip(" ")[:1] in (":", "："):
        return 2
    if rest == "" or rest[:1] == " ":
        return 1
    return 0


def _mid_sentence(before: str) -> bool:
    # "由采样人" / "的复核人" inside prose
    return before in ("由", "的", "经", "及", "和", "与", "请", "名")


def _segment_bbox(ln: VLine, s: int, e: int) -> BBox:
    """Approximate box of text[s:e] within a visual line (cells joined by spaces)."""
    pos = 0
    boxes = []
    for c in ln.cells:
        cs, ce = pos, pos + len(c.text)
        if ce > s and cs < e:
            boxes.append(c.bbox)
        pos = ce + 1
    return union_bbox(boxes) if boxes else ln.bbox


# Words of the human-readable ``reason`` of a signer ``Val`` that was not read. Code
# reads the typed ``Val.state`` (EMPTY / ABSENT) instead, through the two tests below.
SLOT_EMPTY = "slot present, no name"
LABEL_ABSENT = "label not found"


def slot_is_empty(v: Val) -> bool:
    """The role's label was found (the slot is located: page and bbox) but no name was read in it."""
    return not v.ok and v.page is not None and v.empty


def label_is_absent(v: Val) -> bool:
    """No label for the role was found, so nothing is known about the slot."""
    return not v.ok and v.absent


def _no_name_why(hit: SignerHit) -> str:
    # say what was actually tried on the page: the text layer alone, the text layer plus
    # OCR of its images, or OCR of the whole page
    if hit.source == "text" and not hit.image_ocr:
        return ("no name in the text layer and no OCR text from images on this page: "
                "a hand signature is an image, OCR of the page is needed")
    if hit.source == "text":
        return "no name in the text layer nor in the OCR of the page's images (unsigned, or signature not legible)"
    return "no name read by OCR of the page (unsigned, or signature not legible)"


def _unread_why(hit: SignerHit) -> str:
    if hit.unexplained:
        return "text written in the slot gives no name (a seal or signature read in part)"
    return "signing date written in the slot, name not read"


def signer_vals(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> list[Val]:
    """The names in a multi-name slot (采样人: 张三 李四). When none is read, one missing
    ``Val``: at the slot (page, bbox, reason with SLOT_EMPTY) when the label was found,
    else without a location (reason with LABEL_ABSENT). Checks count ``v.ok`` values."""
    if hit is None:
        return [Val.missing(f"{role_desc}: {LABEL_ABSENT}", page_hint, ValState.ABSENT)]
    if not hit.names and (hit.date_only or hit.unexplained):
        return [Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.0,
                    reason=f"{role_desc}: {_unread_why(hit)}", state=ValState.UNKNOWN)]
    if not hit.names:
        return [Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.9,
                    reason=f"{role_desc} {SLOT_EMPTY}: {_no_name_why(hit)}", state=ValState.EMPTY)]
    return [Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c) for n, c in hit.names]


def signer_val(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> Val:
    if hit is None:
        return Val.missing(f"{role_desc}: {LABEL_ABSENT}", page_hint, ValState.ABSENT)
    if not hit.names and (hit.date_only or hit.unexplained):
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.0,
                   reason=f"{role_desc}: {_unread_why(hit)}", state=ValState.UNKNOWN)
    if not hit.names:
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.9,
                   reason=f"{role_desc} {SLOT_EMPTY}: {_no_name_why(hit)}", state=ValState.EMPTY)
    n, c = hit.names[0]
    return Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c)


def signer_date(hit: Optional[SignerHit], role_desc: str) -> Val:
    if hit is None:
        return Val.missing(f"no {role_desc} label found")
    if hit.date is None:
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, reason=f"no date next to {role_desc}")
    return Val(value=hit.date, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.95)
