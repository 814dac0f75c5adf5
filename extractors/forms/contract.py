"""技术服务合同 → ``ContractRecord``."""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from ..layout import Cell, PageGrid, VLine
from ..records import ContractRecord, Val
from ..registry import Ctx, extractor
from ..text import SURNAMES, find_dates, parse_date
from ._common import complete_name, name_like, value

# ---------------------------------------------------------------- label synonyms (data)

CONTRACT_NO = ("合同编号", "协议编号", "合同号")
PROJECT = ("项目名称",)
SIGN_DATE = ("签订日期", "签约日期", "签订时间", "合同签订日期", "签署日期")
PARTY_A = ("委托方(甲方)", "委托方", "甲方", "委托单位")
PARTY_B = ("受托方(乙方)", "受托方", "乙方", "服务机构")
# numbered clause headings → field
CLAUSES = {
    "service_content": ("技术服务内容", "服务内容", "检测内容", "委托内容", "检测项目"),
    "scope": ("服务范围", "检测范围", "工作范围"),
    "completion_time": ("完成时间", "完成期限", "服务期限", "履行期限"),
    "fee": ("技术服务费用", "费用及支付", "合同金额", "服务费用", "检测费用"),
    "party_a_duties": ("甲方责任", "甲方义务", "委托方责任", "甲方的权利和义务"),
    "party_b_duties": ("乙方责任", "乙方义务", "受托方责任", "乙方的权利和义务"),
}
_CLAUSE_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十]+条|[一二三四五六七八九十]+、)\s*(.*)$")


def _heading_keys(texts: list[str]) -> dict[int, str]:
    """Line index → clause key for numbered clause headings.

    Exact synonyms first; then a heading OCR garbled by one character (六、申方责任) is
    matched fuzzily, only against clauses no exact heading claimed and only when one
    clause is clearly best, since 甲方责任 and 乙方责任 differ by one character too.
    """
    from ..text import compact, label_score

    heads: dict[int, str] = {}
    for i, t in enumerate(texts):
        m = _CLAUSE_HEAD.match(t)
        if m:
            heads[i] = m.group(1)
    out: dict[int, str] = {}
    for i, head in heads.items():
        k = next((k for k, syns in CLAUSES.items() if any(s in head for s in syns)), None)
        if k:
            out[i] = k
    claimed = set(out.values())
    for i, head in heads.items():
        if i in out:
            continue
        lead = compact(head)[:8]
        scores = sorted(((max(label_score(lead[:len(s) + 1], s) for s in syns), k)
                         for k, syns in CLAUSES.items() if k not in claimed), reverse=True)
        if scores and scores[0][0] >= 75 and (len(scores) == 1 or scores[0][0] - scores[1][0] >= 10):
            out[i] = scores[0][1]
            claimed.add(scores[0][1])
    return out


@extractor("contract")
def extract(ctx: Ctx) -> ContractRecord:
    gs = ctx.grids
    lines = [(g.page.no, ln) for g in gs for ln in g.lines]
    clauses: dict[str, list] = {}
    head_keys = _heading_keys([ln.text for _, ln in lines])
    cur = None
    for i, (no, ln) in enumerate(lines):
        m = _CLAUSE_HEAD.match(ln.text)
        if m:
            head = m.group(1)
            cur = head_keys.get(i)
            if cur:
                clauses[cur] = []
                rest = head
                for s in CLAUSES[cur]:
                    rest = rest.replace(s, "")
                rest = re.sub(r"^[及和与、:：\s]*(支付方式)?[:：\s]*", "", rest)
                if rest.strip():
                    clauses[cur].append((no, ln, rest.strip()))
            continue
        if cur and re.search(r"盖章|签字|签名|\(公章\)|法定代表人", ln.text):
            cur = None  # the signature block ends the last clause
        if cur:
            clauses[cur].append((no, ln, ln.text))

    def text_of(key: str) -> Val:
        parts = clauses.get(key)
        if not parts:
            return Val.missing(f"clause {CLAUSES[key][0]} not found")
        txt = "".join(p[2] for p in parts)
        return Val(value=txt, page=parts[0][0], bbox=parts[0][1].bbox, raw=txt, conf=0.9)

    def items(key: str) -> list[Val]:
        out: list[Val] = []
        for no, ln, t in clauses.get(key, []):
            m = re.match(r"^\s*(\d{1,2})\s*[.、·]+\s*(.*)", t)
            if m:
                out.append(Val(value=m.group(2).strip(), page=no, bbox=ln.bbox, raw=t, conf=0.9))
            elif out:
                out[-1] = out[-1].model_copy(update={"value": out[-1].value + t.strip()})
        return out

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
    signers = [v for _, v in signature_names(gs, employer or [], institution, orgs=orgs)]
    seal = next((Val(value=True, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)
                 for g in gs for ln in g.lines if re.search(r"合同专用章|公章|盖章\)|专用章", ln.text)),
                Val(value=False, reason="no seal text read", conf=0.5))
    return ContractRecord(
        contract_no=value(gs, CONTRACT_NO, parse=lambda t: (m.group(0) if (m := re.search(r"[A-Za-z0-9][A-Za-z0-9\-_/()〔〕]{3,}", t)) else None), what="合同编号"),
        project_name=value(gs, PROJECT, what="项目名称"),
        party_a=party_a,
        party_b=party_b,
        sign_date=sign,
        service_content=text_of("service_content"),
        scope=text_of("scope"),
        completion_time=text_of("completion_time"),
        fee=text_of("fee"),
        party_a_duties=items("party_a_duties"),
        party_b_duties=items("party_b_duties"),
        signature_dates=sig_dates,
        signers=signers,
        seals_present=seal,
        pages=ctx.pages,
    )


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


def _sider(anchors: list[tuple[str, Cell]], hmed: float) -> Callable[[float, float], Optional[str]]:
    """Which party a position of the block belongs to. Headings of both parties on one row
    mean two columns (party B's column starts at its heading); otherwise the blocks are
    stacked and a position belongs to the nearest heading above it."""
    pair = next(((ca, cb) for sa, ca in anchors if sa == "a" for sb, cb in anchors if sb == "b"
                 and abs(ca.yc - cb.yc) < hmed and cb.bbox[0] > ca.bbox[2]), None)
    if pair is not None:
        split = pair[1].bbox[0] - 0.5 * hmed
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
                    orgs: Sequence[str] = ()) -> list[tuple[Optional[str], Val]]:
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
                    if n is None or len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) != len(n):
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
        kn = known[side] if side in known else known["a"] + known["b"]
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
    out: list[tuple[Optional[str], Val]] = []
    seen: set = set()
    for side, name, is_known, conf, c in picked:
        if not is_known and side in sides_known and c.conf < _SURE:
            continue
        if (side, name) in seen:
            continue
        seen.add((side, name))
        out.append((side, Val(value=name, page=c.page, bbox=c.bbox, raw=c.text, conf=round(conf, 3))))
    out.sort(key=lambda sv: {"a": 0, "b": 1}.get(sv[0], 2))
    return out
