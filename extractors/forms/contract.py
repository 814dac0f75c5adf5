"""技术服务合同 → ``ContractRecord``.

Over 600 lines: one form's reader; most of it is the contract's own two-party signature
block (甲方/乙方 headings, legal representatives, seals) and its second reading, which
only this form has; the label synonyms are data.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Callable, NamedTuple, Optional, Sequence

from pipeline.normalize import normalize_text

from ..layout import Cell, PageGrid, VLine
from ..records import ContractRecord, Val, ValState
from ..registry import Ctx, extractor
from ..text import SURNAMES, compact, find_dates, label_score, parse_date
from ._common import complete_name, name_like, value

# ---------------------------------------------------------------- label synonyms (data)

CONTRACT_NO = ("合同编号", "协议编号", "合同号")
PROJECT = ("项目名称",)
SIGN_DATE = ("签订日期", "签约日期", "签订时间", "合同签订日期", "签署日期")
PARTY_A = ("委托方(甲方)", "委托方", "甲方", "委托单位")
PARTY_B = ("受托方(乙方)", "受托方", "乙方", "服务机构")
# numbered clause headings → field: known headings, for OCR-garbled ones (fuzzy)
CLAUSES = {
    "service_content": ("技术服务内容", "服务内容", "检测内容", "委托内容", "检测项目"),
    "scope": ("服务范围", "检测范围", "工作范围"),
    "completion_time": ("完成时间", "完成期限", "服务期限", "履行期限"),
    "fee": ("技术服务费用", "费用及支付", "合同金额", "服务费用", "检测费用"),
    "party_a_duties": ("甲方责任", "甲方义务", "委托方责任", "甲方的权利和义务"),
    "party_b_duties": ("乙方责任", "乙方义务", "受托方责任", "乙方的权利和义务"),
}
# What a heading never seen before names, by its key nouns (a heading may name two
# things: 检测内容及范围). Duties name a party and a duty word; 双方 names both.
_PARTY_A = re.compile(r"甲方|委托方|委托单位|委托人")
_PARTY_B = re.compile(r"乙方|受托方|受托单位|受托人|服务方")
_DUTY = re.compile(r"责任|义务|职责|权利")
_BOTH = re.compile(r"双方|各方")
_HEAD_NOUNS = (
    ("completion_time", re.compile(r"期限|时间|时限|进度|工期|周期|完成")),
    ("scope", re.compile(r"范围")),
    ("fee", re.compile(r"费|价款|金额|报酬|结算|支付|付款")),
    ("service_content", re.compile(r"内容|事项|标的|检测项目|服务项目")),
)
# Clauses item 27 does not ask for: understood, not needed.
_OTHER_CLAUSE = re.compile(r"违约|争议|纠纷|保密|其他|其它|附则|生效|不可抗力|变更|解除|终止|通知|知识产权|份数|附件|"
                           r"联系|定义|依据|目的|验收|名称|声明|承诺|廉洁")
# A heading that names the service without a key noun (技术服务内窖, 检测服务).
_SERVICE = re.compile(r"服务|检测|委托")
_CLAUSE_HEAD = re.compile(r"^\s*(?:第\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*条|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
                          r"\s*(.*)$")
# Items inside a clause: (1) / （1） / 1. / 1、 / ①, at a line start or after ; 。
_ITEM = re.compile(r"(?:^|(?<=[;；。\n]))[ \t]*(?:[(（]\d{1,2}[)）]|\d{1,2}\s*[.、．)）](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
# A completion time stated in any clause (乙方应于采样结束后20个工作日内出具报告); payment
# terms (收到报告后十五日内付清) are not one.
_TIME_PHRASE = re.compile(r"(\d+|[一二三四五六七八九十百]+)\s*个?\s*(工作)?(日|天|周|个月)[内之]|\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*[前之]")
_DELIVERY = re.compile(r"(出具|完成|提交|交付).{0,12}报告|报告.{0,6}(出具|提交|交付)")
_PAYMENT = re.compile(r"支付|付款|付清|费用|结算")
_SCOPE_PHRASE = re.compile(r"(检测|服务|工作)范围(为|是|包括|[:：])")
# A heading's Chinese numbering with its separator misread or lost (二.检测范围, 第三 条)
_STRAY_HEAD = re.compile(r"^(?:第[一二三四五六七八九十]{1,3}条?|[(（][一二三四五六七八九十]{1,3}[)）]?|"
                         r"[一二三四五六七八九十]{1,3}[.,，:：·])")
BOTH = "both_duties"  # a joint clause (双方的权利与义务), split by party


def _classify(head: str) -> tuple[str, ...]:
    """Clause keys a heading names; ``("other",)`` for a clause item 27 does not ask for;
    () when not understood."""
    h = compact(head)
    if _DUTY.search(h):
        a, b = bool(_PARTY_A.search(h)), bool(_PARTY_B.search(h))
        if a and not b:
            return ("party_a_duties",)
        if b and not a:
            return ("party_b_duties",)
        if (a and b) or _BOTH.search(h):
            return (BOTH,)
    keys = tuple(k for k, rx in _HEAD_NOUNS if rx.search(h))
    if keys:
        return keys
    if _OTHER_CLAUSE.search(h):
        return ("other",)
    if _SERVICE.search(h):
        return ("service_content",)
    return ()


def _heading_keys(texts: list[str]) -> dict[int, str]:
    """Line index → clause key for numbered clause headings (first key of each).

    See ``_heading_classes``."""
    return {i: ks[0] for i, ks in _heading_classes(texts).items() if ks and ks[0] not in ("other", BOTH)}


def _heading_classes(texts: list[str]) -> dict[int, tuple[str, ...]]:
    """Line index → what each numbered clause heading names (``()``: not understood).

    Known headings and key nouns first; then a heading OCR garbled by one character
    (六、申方责任) is matched fuzzily, only against clauses no other heading claimed and
    only when one clause is clearly best, since 甲方责任 and 乙方责任 differ by one
    character too.
    """
    heads: dict[int, str] = {}
    for i, t in enumerate(texts):
        m = _CLAUSE_HEAD.match(t)
        if m:
            heads[i] = m.group(1)
    out: dict[int, tuple[str, ...]] = {}
    for i, head in heads.items():
        k = next((k for k, syns in CLAUSES.items() if any(s in head for s in syns)), None)
        out[i] = _classify(head) or ((k,) if k else ())
    claimed = {k for ks in out.values() for k in ks}
    for i, head in heads.items():
        if out[i]:
            continue
        lead = compact(head)[:8]
        scores = sorted(((max(label_score(lead[:len(s) + 1], s) for s in syns), k)
                         for k, syns in CLAUSES.items() if k not in claimed), reverse=True)
        if scores and scores[0][0] >= 75 and (len(scores) == 1 or scores[0][0] - scores[1][0] >= 10):
            out[i] = (scores[0][1],)
            claimed.add(scores[0][1])
    return out


def _items(parts: list) -> list[Val]:
    """A duties clause's items: the clause's lines joined (an item, or its number, may wrap
    onto the next line) and split at (1) / 1) / 1. / ① wherever they stand; a clause
    without numbering is one item. Each item keeps the line it starts on."""
    text, starts = "", []  # starts: (offset in text, page, line)
    for no, ln, t in parts:
        starts.append((len(text), no, ln, t))
        text += t.strip() + "\n"  # a number may start any line
    if not text.strip():
        return []

    def where(off: int):
        cur = starts[0]
        for st in starts:
            if st[0] <= off:
                cur = st
        return cur

    marks = list(_ITEM.finditer(text))
    cuts = [(m.start(), m.end()) for m in marks if m.end() > m.start()] or [(0, 0)]
    if cuts[0][0] > 0:  # text before the first number belongs to no item but the clause's lead
        cuts.insert(0, (0, 0))
    out: list[Val] = []
    for j, (a, b) in enumerate(cuts):
        end = cuts[j + 1][0] if j + 1 < len(cuts) else len(text)
        seg = text[b:end].replace("\n", "").strip().rstrip(";；。(（").strip()
        if seg:
            _, no, ln, raw = where(b)
            out.append(Val(value=seg, page=no, bbox=ln.bbox, raw=raw, conf=0.9))
    return out


def _split_joint(parts: list) -> tuple[list, list]:
    """A joint duties clause split by party: a line (or item) that starts with, or is a
    sub-heading naming, one party goes to it, and what follows too until the other."""
    a, b, cur = [], [], None
    for no, ln, t in parts:
        body = _ITEM.sub("", t, count=1).strip() if _ITEM.match(t) else t.strip()
        lead = body[:6]
        if _PARTY_A.match(lead) or (_PARTY_A.search(lead) and not _PARTY_B.search(lead)):
            cur = a
        elif _PARTY_B.match(lead) or (_PARTY_B.search(lead) and not _PARTY_A.search(lead)):
            cur = b
        if cur is not None:
            cur.append((no, ln, t))
    return a, b


@extractor("contract")
def extract(ctx: Ctx) -> ContractRecord:
    gs = ctx.grids
    lines = [(g.page.no, ln) for g in gs for ln in g.lines]
    clauses: dict[str, list] = {}
    classes = _heading_classes([ln.text for _, ln in lines])
    unknown: list[str] = []  # clause headings not understood
    heads = 0
    cur: tuple[str, ...] = ()
    for i, (no, ln) in enumerate(lines):
        m = _CLAUSE_HEAD.match(ln.text)
        if m:
            heads += 1
            head = m.group(1)
            cur = tuple(k for k in classes.get(i, ()) if k != "other")
            if not classes.get(i):
                unknown.append(compact(head)[:12])
            for k in cur:
                clauses[k] = []
                rest = head
                for s in CLAUSES.get(k, ()):
                    rest = rest.replace(s, "")
                if k in CLAUSES and len(cur) == 1 and rest != head:
                    rest = re.sub(r"^[及和与、:：\s]*(支付方式)?[:：\s]*", "", rest)
                    if rest.strip():
                        clauses[k].append((no, ln, rest.strip()))
            continue
        if cur and re.search(r"盖章|签字|签名|\(公章\)|法定代表人", ln.text):
            cur = ()  # the signature block ends the last clause
        for k in cur:
            clauses[k].append((no, ln, ln.text))
    if BOTH in clauses:
        a, b = _split_joint(clauses.pop(BOTH))
        if a and "party_a_duties" not in clauses:
            clauses["party_a_duties"] = a
        if b and "party_b_duties" not in clauses:
            clauses["party_b_duties"] = b
    # Absence is proven only when every page was read and every clause heading understood.
    pages_read = bool(gs) and all(g.page.error is None and g.page.lines for g in gs)
    understood = pages_read and heads >= 3 and not unknown
    why = ("" if understood else
           "pages not all read" if not pages_read else
           f"clause headings not understood: {'、'.join(unknown)}" if unknown else "no numbered clauses")
    clauses_read = (Val(value=True, page=gs[0].page.no, raw=f"{heads} clauses", conf=0.9) if understood
                    else Val.missing(why, gs[0].page.no if gs else None))

    heading_lines = {i for i, (_, ln) in enumerate(lines) if _CLAUSE_HEAD.match(ln.text)}

    def stray_heading(key: str) -> Optional[str]:
        """A line numbered like a heading (a Chinese numeral, its separator misread on a
        scan: 二.检测范围) that names the clause but was not read as one: the clause may be
        there after all. Items numbered 1. 2. inside clauses are no headings."""
        for i, (_, ln) in enumerate(lines):
            t = re.sub(r"\s+", "", ln.text)
            m = _STRAY_HEAD.match(t)
            if i in heading_lines or not m:
                continue
            rest = t[m.end():]
            if len(rest) <= 10 and not re.search(r"[，,。；;:：]", rest) and key in _classify(rest):
                return t
        return None

    def text_of(key: str) -> Val:
        parts = clauses.get(key)
        if parts:
            txt = "".join(p[2] for p in parts)
            if txt.strip():
                return Val(value=txt, page=parts[0][0], bbox=parts[0][1].bbox, raw=txt, conf=0.9)
            return Val.missing(f"clause {CLAUSES[key][0]} empty", parts[0][0],
                               ValState.EMPTY if understood else ValState.UNKNOWN)
        stray = stray_heading(key) if understood else None
        if stray:
            return Val.missing(f"clause {CLAUSES[key][0]} not found, but a line names it: {stray}", None)
        return Val.missing(f"clause {CLAUSES[key][0]} not found ({why or 'all clauses read'})", None,
                           ValState.ABSENT if understood else ValState.UNKNOWN)

    def phrase(rx: Callable[[str], bool]) -> Optional[Val]:
        """A line of the contract's clauses (or preamble) that states the fact."""
        for no, ln in lines:
            t = ln.text
            if re.search(r"盖章|签字|签名|法定代表人", t):
                break
            if rx(t):
                return Val(value=t.strip(), page=no, bbox=ln.bbox, raw=t, conf=0.8)
        return None

    completion = text_of("completion_time")
    if not completion.ok:
        completion = phrase(lambda t: bool(_DELIVERY.search(t) and _TIME_PHRASE.search(t)
                                           and not _PAYMENT.search(t))) or completion
    scope = text_of("scope")
    if not scope.ok:
        scope = phrase(lambda t: bool(_SCOPE_PHRASE.search(compact(t)))) or scope
    party_a_duties = _items(clauses.get("party_a_duties", []))
    party_b_duties = _items(clauses.get("party_b_duties", []))
    sign = value(gs, SIGN_DATE, parse=parse_date, what="签订日期")
    sig_dates = []
    for g in gs:
        for ln in g.lines:
            if "日期" in ln.text and not any(s in ln.text for s in SIGN_DATE):
                for d, _ in find_dates(ln.text):
                    sig_dates.append(Val(value=d, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.9))
    if not sign.ok and sig_dates:
        sign = sig_dates[0].model_copy(update={"conf": 0.7, "reason": None})
    party_a = value(gs, PARTY_A, what="甲方", stops=("受托方", "乙方"))
    party_b = value(gs, PARTY_B, what="乙方")
    employer = getattr(ctx, "employer_names", None)
    institution = getattr(ctx, "institution_names", None)
    if institution is None:  # a bare Ctx: only the flat list of registered staff
        institution = ctx.known_names
    orgs = [v.value for v in (party_a, party_b) if v.ok and isinstance(v.value, str)]
    signers = [v for _, v in signature_names(gs, employer or [], institution, orgs=orgs, rereader=ctx.rereader)]
    seal = next((Val(value=True, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)
                 for g in gs for ln in g.lines if re.search(r"合同专用章|公章|盖章\)|专用章", ln.text)),
                Val(value=False, reason="no seal text read", conf=0.5))
    subcontract = subcontract_sentences(lines)
    return ContractRecord(
        contract_no=value(gs, CONTRACT_NO, parse=lambda t: (m.group(0) if (m := re.search(r"[A-Za-z0-9][A-Za-z0-9\-_/()〔〕]{3,}", t)) else None), what="合同编号"),
        project_name=value(gs, PROJECT, what="项目名称"),
        party_a=party_a,
        party_b=party_b,
        sign_date=sign,
        service_content=text_of("service_content"),
        scope=scope,
        completion_time=completion,
        fee=text_of("fee"),
        party_a_duties=party_a_duties,
        party_b_duties=party_b_duties,
        clauses_read=clauses_read,
        signature_dates=sig_dates,
        signers=signers,
        seals_present=seal,
        subcontract_sentences=subcontract,
        pages=ctx.pages,
    )


# ---------------------------------------------------------------- work passed on (item 21)

_ORG_END = r"(?:公司|中心|研究院|研究所|检测站|实验室)"
_PASS_ON = re.compile(r"分包|转包|转委托|外包|再委托|委托第三方|委托其他|交由|"
                      rf"由.{{2,30}}{_ORG_END}.{{0,10}}(?:承担|完成|实施|进行|负责)|委托.{{2,30}}{_ORG_END}")
_SIGN_BLOCK = re.compile(r"盖章|签字|签名|法定代表人")


def subcontract_sentences(lines: list) -> list[Val]:
    """Sentences of the contract (up to the signature block) that speak of passing the
    work on: the lines joined (a sentence wraps), split at 。；;, each kept with the line
    it starts on."""
    text, starts = "", []
    for no, ln in lines:
        if _SIGN_BLOCK.search(ln.text):
            break
        t = ln.text.strip()
        if text and not re.search(r"[。；;]$", text) and (_ITEM.match(t) or _CLAUSE_HEAD.match(t)):
            text += "；"  # a numbered item or clause starts a sentence of its own
        starts.append((len(text), no, ln))
        text += t
    out: list[Val] = []
    pos = 0
    for piece in re.split(r"(?<=[。；;])", text):
        a = pos
        pos += len(piece)
        s = piece.strip()
        if not s or not _PASS_ON.search(s):
            continue
        st = max((x for x in starts if x[0] <= a), key=lambda x: x[0], default=starts[0])
        ends = [x for x in starts if a <= x[0] < pos and x[1] == st[1]] or [st]
        bbox = st[2].bbox if len(ends) <= 1 else tuple(
            f(x[2].bbox[i] for x in [st] + ends) for i, f in enumerate((min, min, max, max)))
        out.append(Val(value=s, page=st[1], bbox=bbox, raw=s, conf=0.9))
    return out


# ---------------------------------------------------------------- signature block

# A party's heading in the signature block (甲方(盖章), 委托方(甲方):, 乙方代表(签字):,
# 受托单位 in a grid). The marker starts its cell and is followed by a qualifier, a colon,
# a space or a role word, so prose (甲方应…, 甲方于…) and clause headings are not one.
_PARTY = re.compile(r"^[\s*·.]*(?:(?P<a>甲方|委托方|委托单位|委托人)|(?P<b>乙方|受托方|受托单位|受托人|服务方))"
                    r"(?=$|[\s(（:：]|代表|法定|法人|授权|负责|经办|签|盖|公章|名称)")
# What makes a party heading the signing block rather than the parties' header at the top.
_SEAL_SIGN = re.compile(r"盖章|签章|公章|签字|签名|签署|[(（]章[)）]|专用章")
# Labels of the people who sign for a party, in the wordings institutions use.
_SIGNER = re.compile(r"法定代表人|法人代表|负责人|代理人|授权代表|代表人|代表|经办人|签约人|签字人|签署人|签字|签名|签章")
# A signer label OCR glued to the name after it (委托代理人张三).
_SIGNER_HEAD = re.compile(r"^(?:(?:甲方|乙方|委托方|受托方)?(?:法定代表人|法人代表|委托代理人|授权代表|授权代理人|代理人|代表人|代表|负责人|经办人)"
                          r"(?:或(?:其)?(?:委托代理人|授权代表|授权代理人|代理人))?)(?:[(（]?签[字名章][)）]?)?")
# Words that start a label of the block; a name OCR glued in front of one belongs to the
# value before it (张三委托代理人:).
_LABEL_WORD = re.compile(r"法定代表人|法人代表|委托代理人|授权代表|授权代理人|代理人|代表|负责人|经办人|联系人|单位名称|名称|"
                         r"地址|住所|电话|传真|邮编|开户|账号|税号|日期|甲方|乙方|委托方|受托方")
# What may join label words of one label (法定代表人或委托代理人(签字), 联系人姓名).
_LABEL_GLUE = re.compile(r"[或及和与其/、()（）\s]|签[字名章]|盖章|姓名")
_PAREN = re.compile(r"[(（][^)）]{0,12}[)）]")
_BLOCK_END = re.compile(r"^\s*(?:附件|附表|附:|附：)")
# OCR confidence under which a reading is treated as unsure.
_SURE = 0.95
_SIGN_TRIGGER = re.compile(r"[(（]\s*盖章\s*[)）]|法定代表人|委托代理人|授权代表|签字[:：]|签名[:：]")


def _party_of(text: str) -> Optional[str]:
    m = _PARTY.match(text)
    return None if m is None else ("a" if m.group("a") else "b")


def _short_line(ln: VLine) -> bool:
    return len(ln.text) < 40 and not re.search(r"[，。；;]", ln.text)


def _block_starts(g: PageGrid) -> list[int]:
    """Line indexes of party headings that open a signing block: a seal or signing word in
    the heading or in one of the short lines under it."""
    out = []
    for i, ln in enumerate(g.lines):
        below = []
        for x in g.lines[i + 1:i + 7]:
            if _CLAUSE_HEAD.match(x.text) or _BLOCK_END.match(x.text):
                break
            below.append(x)
        for c in ln.cells:
            if _party_of(c.text) is None or len(c.text) > 40:
                continue
            if _SEAL_SIGN.search(c.text) or any(_SEAL_SIGN.search(x.text) and _short_line(x) for x in below):
                out.append(i)
                break
    return out


def _split(anchors: list[tuple[str, Cell]], hmed: float) -> Optional[float]:
    """Where party B's column starts when both parties' headings share a row (two
    columns), else None (stacked blocks)."""
    pair = next(((ca, cb) for sa, ca in anchors if sa == "a" for sb, cb in anchors if sb == "b"
                 and abs(ca.yc - cb.yc) < hmed and cb.bbox[0] > ca.bbox[2]), None)
    return None if pair is None else pair[1].bbox[0] - 0.5 * hmed


def _sider(anchors: list[tuple[str, Cell]], hmed: float) -> Callable[[float, float], Optional[str]]:
    """Which party a position of the block belongs to. Headings of both parties on one row
    mean two columns (party B's column starts at its heading); otherwise the blocks are
    stacked and a position belongs to the nearest heading above it."""
    split = _split(anchors, hmed)
    if split is not None:
        return lambda x, y: "b" if x >= split else "a"
    ordered = sorted(anchors, key=lambda sc: sc[1].yc)

    def stacked(x: float, y: float) -> Optional[str]:
        side = None
        for s, c in ordered:
            if c.yc <= y + 0.3 * hmed:
                side = s
        return side

    return stacked


def _segments(text: str) -> list[tuple[str, str, int]]:
    """``label: value`` pairs of a cell, as (label, value, start offset of the value); text
    before the first label comes with an empty label."""
    colons = [m.start() for m in re.finditer(r"[:：]", text)]
    if not colons:
        return [("", text, 0)]
    starts = []
    for k in colons:
        j = k
        while j > 0 and re.match(r"[\u4e00-\u9fff()（）/]", text[j - 1]):
            j -= 1
        # a name glued in front of the label (张三委托代理人:, 委托代理人张三电话:) is
        # free text between label words; the label starts after it
        lab, cut, prev = text[j:k], 0, 0
        for m in _LABEL_WORD.finditer(lab):
            if _LABEL_GLUE.sub("", lab[prev:m.start()]):
                cut = m.start()
            prev = m.end()
        starts.append(j + cut)
    out = []
    if text[:starts[0]].strip():
        out.append(("", text[:starts[0]], 0))
    for n, (j, k) in enumerate(zip(starts, colons)):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        out.append((text[j:k], text[k + 1:max(k + 1, end)], k + 1))
    return out


def _value_names(v: str) -> list[tuple[str, int]]:
    """Name-like tokens of a value (qualifiers, signing words and dates removed), with offsets."""
    out = []
    for m in re.finditer(r"\S+", v):
        tok = _PAREN.sub("", m.group(0))
        tok = re.sub(r"签[字名章]|盖章|年|月|日", "", tok)
        if find_dates(m.group(0)):
            continue
        n = name_like(tok)
        if n:
            out.append((n, m.start()))
    return out


def signature_names(grids: Sequence[PageGrid], employer: Sequence[str], institution: Sequence[str], *,
                    orgs: Sequence[str] = (), rereader: Optional[Callable] = None) -> list[tuple[Optional[str], Val]]:
    """Names signed or written for each party in the contract's signing block, as
    (party "a" / "b" / None when the block does not say, Val).

    The block is found by its party headings (甲方(盖章), 委托方…); each name is given to
    a party by the block's layout (two columns, or one party's block under the other's).
    A name is a value after a signer label (法定代表人/委托代理人/授权代表/签字 …: 张三) or
    a lone name-sized text in the block (a hand signature). A reading is completed to a
    known name of the same party only (party A: the employer's contact and escorts;
    party B: registered staff and legal representative), and only when exactly one known
    name fits (OCR keeps 曾新 of 曾新子 when the seal covers the last character);
    otherwise it is kept as read.

    With a ``rereader`` (``pipeline.reread.Rereader``), a scanned block's signature slot
    where no name fit to stand was read (the hand signature lost under the seal) is read
    again, closer (``_reread_slots``).
    """
    regions: list[tuple[PageGrid, int, int]] = []
    for g in grids:
        starts = _block_starts(g)
        if starts:
            end = next((i for i in range(starts[0] + 1, len(g.lines))
                        if _BLOCK_END.match(g.lines[i].text) or _CLAUSE_HEAD.match(g.lines[i].text)), len(g.lines))
            regions.append((g, starts[0], end))
    if not regions:
        # no party heading read (OCR lost it under the seal): the lines after a signer
        # label that follows the last numbered clause (the parties' header at the top
        # names their legal representatives too, but nobody signs there)
        last = max(((k, i) for k, g in enumerate(grids) for i, ln in enumerate(g.lines)
                    if _CLAUSE_HEAD.match(ln.text)), default=(-1, -1))
        for k, g in enumerate(grids):
            for i, ln in enumerate(g.lines):
                if (k, i) > last and _short_line(ln) and _SIGN_TRIGGER.search(ln.text):
                    regions.append((g, i, min(len(g.lines), i + 8)))
                    break
    found: list[tuple[Optional[str], str, float, Cell, bool]] = []  # side, reading, conf, cell, is_contact
    org_texts = [o for o in orgs if o]
    for g, s, e in regions:
        lines = g.lines[s:e]
        # only the block's own headings: the parties' header at the top of the page says
        # nothing about who signed where
        anchors = [(_party_of(c.text), c) for ln in lines for c in ln.cells if _party_of(c.text) and len(c.text) <= 40]
        side_at = _sider(anchors, g.hmed)
        for ln in lines:
            for c in ln.cells:
                if "公司" in c.text or "名称" in c.text:
                    org_texts.append(c.text)
        for ln in lines:
            prev_label = ""
            for c in ln.cells:
                t = c.text.strip()
                x0, w = c.bbox[0], max(1.0, c.bbox[2] - c.bbox[0])
                own = _party_of(t)
                segs = _segments(t)
                if len(segs) == 1 and not segs[0][0]:
                    # no colon: a lone name, or a signer label OCR glued to its name
                    if own is not None:
                        prev_label = t
                        continue
                    m = _SIGNER_HEAD.match(t)
                    glued = bool(m and m.end())
                    rest = t[m.end():] if glued else t
                    n = name_like(rest.strip(" .·"))
                    if n is None or len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) != len(n) or _ring_text(c, g.hmed):
                        prev_label = t
                        continue
                    # the value of a label cell before it (联系人 | 张三, 电话 | …)
                    pl = _PAREN.sub("", prev_label)
                    if pl and _LABEL_WORD.search(pl) and not _SIGNER.search(pl) and not glued:
                        if "联系人" in pl:
                            found.append((side_at(c.xc, c.yc), n, c.conf, c, True))
                        prev_label = t
                        continue
                    found.append((side_at(c.xc, c.yc), n, c.conf, c, False))
                    prev_label = t
                    continue
                for lab, val, off in segs:
                    labp = _PAREN.sub("", lab)
                    signer, contact = bool(_SIGNER.search(lab)), "联系人" in labp
                    if lab and not (signer or contact):
                        continue
                    if not lab:
                        # text before the first label: a name only behind a signer label
                        # OCR glued to it (委托代理人张三 电话:…)
                        m = _SIGNER_HEAD.match(val.strip())
                        if not (m and m.end()):
                            continue
                        lead = len(val) - len(val.lstrip())
                        val, off = " " * (lead + m.end()) + val.strip()[m.end():], off
                    for n, p in _value_names(val):
                        xc = x0 + w * (off + p + len(n) / 2) / max(1, len(t))
                        side = own or _party_of(lab) or side_at(xc, c.yc)
                        found.append((side, n, c.conf, c, contact and not signer))
                prev_label = segs[-1][0] if not segs[-1][1].strip() else ""
    # known names per party: the lists given, plus contacts the block itself names
    known = {"a": list(employer), "b": list(institution)}
    for side, n, _, _, is_contact in found:
        if is_contact and side in known and n not in known[side]:
            known[side].append(n)
    picked: list[tuple[Optional[str], str, bool, float, Cell]] = []  # side, name, known, conf, cell
    for side, n, conf, c, is_contact in found:
        if is_contact:
            continue
        kn = _known_of(known, side)
        # never ``short``: a signature cut short under the seal (常龙 of 常龙强) is one
        # edit from any two-character name with the same surname (常英), and party B's
        # signer (an agent, the legal representative) need not be on the staff list
        name, rc = complete_name(n, kn)
        is_known = name in kn
        # a lone text is a name only when it starts with a surname or is a known name's reading
        if not is_known and n[0] not in SURNAMES:
            continue
        # seal rings and company names break into name-sized pieces (石家庄, 正大压)
        if not is_known and any(n in o for o in org_texts):
            continue
        picked.append((side, name, is_known, min(rc, conf), c))
    # next to a known name read for a party, an unknown reading OCR was unsure of is more
    # likely seal or stroke noise than a second signer
    sides_known = {side for side, _, k, _, _ in picked if k and side is not None}
    kept: list[_Signed] = []
    for side, name, is_known, conf, c in picked:
        if not is_known and side in sides_known and c.conf < _SURE:
            continue
        kept.append(_Signed(side, name, is_known, conf, c.conf, c.page, c.bbox, c.text))
    if rereader is not None:
        for g, s, e in regions:
            if g.page.source == "ocr":
                kept = _reread_slots(g, s, e, kept, known, org_texts, rereader)
    out: list[tuple[Optional[str], Val]] = []
    seen: set = set()
    for k in kept:
        if (k.side, k.name) in seen:
            continue
        seen.add((k.side, k.name))
        out.append((k.side, Val(value=k.name, page=k.page, bbox=k.bbox, raw=k.raw, conf=round(k.conf, 3))))
    out.sort(key=lambda sv: {"a": 0, "b": 1}.get(sv[0], 2))
    return out


def _known_of(known: dict, side: Optional[str]) -> list[str]:
    return known[side] if side in known else known["a"] + known["b"]


# ---------------------------------------------------------------- reading a signature again

class _Signed(NamedTuple):
    """A name kept for a party: its side, the name, whether it is a known name of that
    party, its confidence, the OCR confidence of the reading, and where it was read."""

    side: Optional[str]
    name: str
    known: bool
    conf: float
    read_conf: float
    page: int
    bbox: tuple
    raw: str


# Characters of the block's label words: a reading made of two of them in a row is a
# piece of a label the re-read crop cut (理人 of 委托代理人), not a name.
_LABEL_TEXT = ("法定代表人", "法人代表", "委托代理人", "授权代表", "授权代理人", "负责人", "经办人", "签约人", "签字人",
               "签署人", "签名", "签章", "盖章", "单位名称", "地址", "电话", "日期", "联系人")
# A re-read text run of a hand signature is upright and not much taller than wide per
# character; seal ring text is tilted or stacked (a curve cut into a tall box).
_MAX_TILT = 10.0
_MAX_TALL = 2.5


def _ring_text(c: Cell, hmed: float) -> bool:
    """A cell that is a curved or stacked run of text (a seal's ring read as one line,
    武汉迎店 in a box as tall as the seal): far taller than the line height and than
    its width per character."""
    n = len(re.sub(r"[^\u4e00-\u9fff]", "", c.text)) or 1
    w, h = c.bbox[2] - c.bbox[0], c.bbox[3] - c.bbox[1]
    return h > 2.5 * hmed and h > 2.0 * w / n


def _inside(k: _Signed, page: int, box: tuple) -> bool:
    xc, yc = (k.bbox[0] + k.bbox[2]) / 2, (k.bbox[1] + k.bbox[3]) / 2
    return k.page == page and box[0] <= xc <= box[2] and box[1] <= yc <= box[3]


def _good(k: _Signed, kn: Sequence[str]) -> bool:
    """A reading that needs no second look: a known name of its party, or one OCR was sure
    of and no known name of the party extends (a name cut short under the seal)."""
    if k.known:
        return True
    return k.read_conf >= _SURE and not any(len(x) > len(k.name) and (x.startswith(k.name) or x.endswith(k.name))
                                            for x in kn)


def _field_cell(c: Cell, hmed: float) -> bool:
    """A printed field of the block (地址:…, 电话, 单位名称, a signer label, a date), which
    bounds a signature slot; hand signatures, seal pieces and stray strokes are not."""
    t = c.text.strip()
    if c.h > 1.8 * hmed or re.search(r"专用章|公章", t):
        return False
    return bool(re.search(r"[:：]", t) or _LABEL_WORD.search(t) or _SIGNER.search(t) or _party_of(t)
                or find_dates(t) or len(re.sub(r"[^\u4e00-\u9fff]", "", t)) >= 6)


def _signer_label(t: str) -> bool:
    """A cell that labels a signer (法定代表人…, 授权代表(签字):, 乙方代表:), contacts aside."""
    t = t.strip()
    lab = re.split(r"[:：]", t, maxsplit=1)[0]
    if "联系人" in lab or len(lab) > 24:
        return False
    m = _SIGNER_HEAD.match(t)
    return bool(_SIGNER.search(_PAREN.sub("", lab)) or (m and m.end()))


def _slot_boxes(g: PageGrid, lines: Sequence[VLine], kept: Sequence[_Signed], known: dict) -> list[tuple]:
    """(side, box, close box) of each signature slot of one block where no name fit to
    stand was read, in grid coordinates. The box runs right of a party's signer label
    and below it, across its column, down to the next printed field; the close box is
    the band under the label, where a signature is written (a smaller crop the
    recogniser finds faint handwriting in more often). In two columns, a party whose
    label OCR lost under the seal gets the slot beside the other party's label, or
    signature: the columns mirror each other."""
    h = g.hmed
    anchors = [(_party_of(c.text), c) for ln in lines for c in ln.cells if _party_of(c.text) and len(c.text) <= 40]
    split = _split(anchors, h)
    side_at = _sider(anchors, h)
    left = max(0.0, min((c.bbox[0] for c in g.cells), default=0.0) - 0.5 * h)
    right = min(float(g.page.width), max((c.bbox[2] for c in g.cells), default=float(g.page.width)) + 0.5 * h)
    cells = [c for ln in lines for c in ln.cells]
    sides = list(dict.fromkeys(sd for sd, _ in anchors)) or [None]
    heads = {sd: c for sd, c in anchors}

    def column(side: Optional[str]) -> tuple[float, float]:
        if split is None or side is None:
            return left, right
        return (left, split) if side == "a" else (split, right)

    def side_of(c: Cell) -> Optional[str]:
        return _party_of(c.text) or side_at(c.xc, c.yc)

    def below(x0: float, x1: float, y: float, cap: float) -> float:
        nxt = [c.bbox[1] for c in cells if x0 <= c.xc <= x1 and _field_cell(c, h) and c.yc > y]
        return min(min(nxt, default=cap), cap)

    def good_in(side: Optional[str], box: Optional[tuple] = None) -> bool:
        kn = _known_of(known, side)
        for k in kept:
            if k.page != g.page.no or not _good(k, kn):
                continue
            if box is None and k.side == side:
                return True
            if box is not None and _inside(k, g.page.no, box):
                return True
        return False

    def under(lab: tuple, dx: float, x0: float, x1: float, bottom: float) -> tuple:
        return (max(x0, lab[0] + dx - h), lab[3] - 0.3 * h, min(x1, lab[2] + dx + 2 * h), bottom)

    labels = [c for c in cells if _signer_label(c.text)]
    out: list[tuple] = []
    for side in sides:
        x0, x1 = column(side)
        own = sorted((c for c in labels if side_of(c) == side and x0 <= c.xc <= x1), key=lambda c: (c.yc, c.bbox[0]))
        if side is None:
            # no party headings: one slot per signer label, each up to the next label right of it
            for c in own:
                nxt = min((o.bbox[0] for o in own if abs(o.yc - c.yc) < h and o.bbox[0] > c.bbox[2]), default=right)
                bx0 = max(left, c.bbox[0] - 0.5 * h)
                bot = below(bx0, nxt, c.yc, c.bbox[3] + 4 * h)
                box = (bx0, c.bbox[1] - 0.2 * h, nxt, bot)
                if not good_in(None, box):
                    out.append((None, box, under(c.bbox, 0.0, bx0, nxt, bot)))
            continue
        if good_in(side):
            continue
        if own:
            c = own[0]
            bx0 = max(x0, c.bbox[0] - 0.5 * h)
            bot = below(bx0, x1, c.yc, c.bbox[3] + 4 * h)
            out.append((side, (bx0, c.bbox[1] - 0.2 * h, x1, bot), under(c.bbox, 0.0, bx0, x1, bot)))
            continue
        other_side = {"a": "b", "b": "a"}.get(side)
        if split is None or other_side not in heads or side not in heads:
            continue
        # the other column's signer label, else its signature, says where this one's is;
        # the columns are aligned on their headings
        dx = heads[side].bbox[0] - heads[other_side].bbox[0]
        ref = min((c for c in labels if side_of(c) == other_side), key=lambda c: c.yc, default=None)
        if ref is not None:
            bot = below(x0, x1, ref.yc, ref.bbox[3] + 4 * h)
            out.append((side, (x0, ref.bbox[1] - 0.2 * h, x1, bot), under(ref.bbox, dx, x0, x1, bot)))
            continue
        names = sorted((k for k in kept if k.page == g.page.no and k.side == other_side), key=lambda k: k.bbox[1])
        if not names:
            continue
        nb = names[0].bbox
        yc = (nb[1] + nb[3]) / 2
        top = max((c.bbox[3] for c in cells if x0 <= c.xc <= x1 and _field_cell(c, h) and c.yc < nb[1]), default=nb[1] - 2 * h)
        bot = below(x0, x1, yc, nb[3] + 3 * h)
        close = (max(x0, nb[0] + dx - 2 * h), max(top, nb[1] - 0.5 * h), min(x1, nb[2] + dx + 3 * h), min(bot, nb[3] + 0.5 * h))
        out.append((side, (x0, top, x1, bot), close))
    return out


def _read_names(segs: Sequence, side: Optional[str], known: dict, org_texts: Sequence[str]) -> list[tuple[str, bool, float, str]]:
    """Names a re-reading of a signature slot gives, as (name, known, confidence, text read).

    The label the crop also holds is cut off as on the page (法定代表人…:, 委托代理人张三).
    A reading counts when it completes to a known name of the party; otherwise only when
    the recogniser was sure of it, it starts with a surname, stands upright and shares no
    two characters in a row with a company or seal text, or with the block's label words.
    """
    kn = _known_of(known, side)
    out: list[tuple[str, bool, float, str]] = []
    for seg in segs:
        text, score, quad = seg
        # a plain text reading carries no score: it can only confirm a known name
        sc = 0.9 if score is None else float(score)
        t = normalize_text(text or "", ocr=True).strip()
        if not t:
            continue
        upright = True
        if quad is not None:
            (ax, ay), (bx, by), _, (dx, dy) = quad[:4]
            w, hh = math.hypot(bx - ax, by - ay), math.hypot(dx - ax, dy - ay)
            tilt = abs(math.degrees(math.atan2(by - ay, bx - ax)))
            n_ch = len(re.sub(r"[^\u4e00-\u9fff]", "", t)) or 1
            upright = tilt <= _MAX_TILT and hh <= _MAX_TALL * max(w, 1.0) / n_ch
        vals: list[str] = []
        for lab, val, _ in _segments(t):
            if lab and not _SIGNER.search(_PAREN.sub("", lab)):
                continue  # 地址:…, 电话:…, 日期:…
            m = _SIGNER_HEAD.match(val.strip())
            vals.append(val.strip()[m.end():] if m and m.end() else val)
        for v in vals:
            for n, _ in _value_names(v):
                name, rc = complete_name(n, kn)
                if name in kn:
                    out.append((name, True, round(min(rc, sc), 3), text))
                    continue
                if score is None or sc < _SURE or not upright or n[0] not in SURNAMES or len(n) < 2:
                    continue
                pairs = {n[i:i + 2] for i in range(len(n) - 1)}
                if any(p in o for p in pairs for o in org_texts) or any(p in w for p in pairs for w in _LABEL_TEXT):
                    continue
                out.append((n, False, round(min(rc, sc), 3), text))
    return out


def _attempts(box: tuple, close: tuple) -> tuple:
    """The readings tried for a slot, in order, until one gives a known name: the slot as
    scanned and with the seal's red whitened, the same for the band under the label, then
    that band at a lower resolution (the recogniser's detector finds faint handwriting
    at one scale and nothing at another)."""
    return ((box, "keep", None), (box, "suppress", None), (close, "keep", None), (close, "suppress", None),
            (close, "keep", 300), (close, "suppress", 300))


def _reread_slots(g: PageGrid, s: int, e: int, kept: list[_Signed], known: dict, org_texts: Sequence[str],
                  rereader: Callable) -> list[_Signed]:
    """``kept`` with the names a closer reading of each empty or unsure signature slot of
    one block gives. Hand signatures under a red seal are often not read on the page at
    all: the slot is read again alone, as scanned, then with the seal's red whitened, then
    the same for the band under the label alone. A known name of the party from any
    reading wins; else a name the recogniser was sure of (the one read most often); else
    the slot stays as read on the page (nothing is guessed)."""
    seg_of = getattr(rereader, "segments", None)

    def read(box: tuple, red: str, dpi: Optional[int]) -> list:
        pbox = g.to_pdf(box) if g.to_pdf else box
        if seg_of is not None:
            return list((seg_of(g.page.no, pbox, red=red) if dpi is None
                         else seg_of(g.page.no, pbox, red=red, dpi=dpi)) or [])
        if red != "keep" or dpi is not None:
            return []  # a plain re-reader has one way of reading
        text = rereader(g.page.no, pbox)
        return [(text, None, None)] if text else []

    for side, box, close in _slot_boxes(g, g.lines[s:e], kept, known):
        got: list[tuple[str, bool, float, str]] = []
        readings: list = []
        for bx, red, dpi in _attempts(box, close):
            if bx[2] - bx[0] < 2 or bx[3] - bx[1] < 2:
                continue
            segs = read(bx, red, dpi)
            if segs in readings:  # no red in the box: the same reading again
                continue
            readings.append(segs)
            got += _read_names(segs, side, known, org_texts)
            if any(k for _, k, _, _ in got):
                break
        # known names first; else the unknown name read most often, then most surely
        votes = Counter(x[0] for x in got)
        names = [x for x in got if x[1]] or sorted((x for x in got if not x[1]), key=lambda x: (-votes[x[0]], -x[2]))[:1]
        if not names:
            continue
        # the page's own unsure reading of this slot gives way to the closer one
        kn = _known_of(known, side)
        kept = [k for k in kept
                if not ((k.side == side if side is not None else _inside(k, g.page.no, box)) and not _good(k, kn))]
        bb = tuple(round(v, 1) for v in box)
        for name, is_known, conf, raw in names:
            kept.append(_Signed(side, name, is_known, conf, conf, g.page.no, bb, raw))
    return kept
