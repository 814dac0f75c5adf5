"""Indicator 21 (veto ★): the service project is not subcontracted (转包).

Attachment 3, 一、资质条件保持和符合性:

  (21)是否转包职业卫生技术服务项目。★
  查阅技术服务合同是否存在转包和承接转包的职业卫生技术服务项目。

``contract.subcontracted``, from the contract and the submission:

- the contract's 受托方/乙方 is not the institution that submitted the bundle (the
  submission's ``institution`` name, its aliases, the name without its company suffix or
  region prefix): the work was taken on by another institution, or the submitting one
  took on another's. Names are compared exactly after normalising widths, spaces and
  brackets, because institutions' names differ by as little as 有限公司 / 有限责任公司;
  on a scan, where OCR changes characters, a near-miss is read again and otherwise left
  undecided. A blind copy (the name masked: ***, XX, 某, ■) is no evidence.
- a sentence of the contract says the work, or part of it, is passed on: 分包 / 转包 /
  转委托 / 外包 to, or carried out by, another organisation (named, or with 给 / 交由).
  A prohibition (乙方不得转包或分包, 未经甲方同意不得…) is the usual clause and says
  nothing.

A contract whose 乙方 was not read is "cannot decide" only when no passing-on sentence
decides the item either.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from rapidfuzz import fuzz

from checks.base import Ctx, check, read_by_ocr
from extractors.records import ContractRecord, Val
from pipeline.normalize import name_variants

# a party label left in front of the name (委托方（甲方）：…), seal words after it
_LEAD = re.compile(r"^[\s()（）:：]*(?:受托方|受托单位|乙方|服务机构|委托方|甲方)?[\s()（）:：]*(?:乙方)?[\s()（）:：]*")
_TAIL = re.compile(r"[(（]?(?:盖章|公章|合同专用章|签章)[)）]?$")
# a masked name in a blind copy
_MASKED = re.compile(r"[*＊■□█●○◆]|[Xx×]{2,}|某{1,}|隐去|已遮盖|略")
_ORG = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:有限责任公司|股份有限公司|有限公司|公司|中心|研究院|研究所|检测站|实验室|医院))")
# an organisation a sentence names that is no third party (乙方实验室, 第三方公司, 其他公司)
_GENERIC_ORG = re.compile(r"^(?:甲方|乙方|本|该|其|第三方|任何|其他|其它|他|别的|相关|具备|具有|有资质)")
_NEGATION = re.compile(r"不得|不能|不准|不可|不应|禁止|严禁|不允许|未经|不存在|没有|无权|不予|不进行|杜绝")
_PASS_ON = re.compile(r"分包|转包|转委托|外包|再委托|委托第三方|委托其他")
_TO = re.compile(r"(?:分包|转包|外包|委托|交由|交给)(?:给|予|至|于)?")
_DOES = re.compile(r"承担|完成|实施|进行|负责|开展")


def _key(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"\s+", "", s).replace("（", "(").replace("）", ")")
    s = _LEAD.sub("", s)
    return _TAIL.sub("", s).strip("()（）:：,，。")


def _variants(name: str) -> list[str]:
    """The name as keyed, without its company suffix and/or region prefix (the blind
    copy's ``name_variants``)."""
    return name_variants(_key(name))


def _ours(ctx: Ctx) -> list[str]:
    inst = ctx.institution
    names = _variants(inst.get("name") or "") if inst.get("name") else []
    return [n for n in names + [_key(a) for a in inst.get("aliases") or [] if a] if n]


def _org_of(text: str) -> str:
    """The organisation's name in a printed value (what follows it, 地址：…, cut off)."""
    k = _key(text)
    m = _ORG.search(k)
    return m.group(1) if m else k


def _is_ours(text: str, ours: list[str]) -> bool:
    """The printed name is one of ours exactly (after normalising): the full name, an
    alias, or the name without suffix or region as printed alone."""
    k = _key(text)
    return bool(k) and (k in ours or _org_of(k) in ours)


def _similarity(text: str, ours: list[str]) -> float:
    k = _key(text)
    return max((fuzz.ratio(k, n) for n in ours), default=0.0)


def _party_b_problem(ctx: Ctx, c: ContractRecord, ours: list[str]) -> Optional[tuple[str, Val]]:
    """A message when the contract's 乙方 is another institution; None otherwise."""
    pb = c.party_b
    if not pb.ok or not isinstance(pb.value, str):
        return None
    printed = _key(pb.value)
    if len(printed) < 4 or _MASKED.search(printed) or _is_ours(printed, ours):
        return None
    if not re.search(r"公司|中心|研究院|研究所|检测站|医院|机构|大学|学院", printed):
        return None  # not an organisation's name: a misread label, a fragment
    if read_by_ocr(ctx, pb):
        again = ctx.reread(pb)
        if again and _is_ours(again, ours):
            return None
        if _similarity(printed, ours) >= 70 or not again or _key(again).find(printed[:4]) < 0:
            return None  # OCR may have changed characters of our own name: undecided
    name = ctx.institution.get("name") or ""
    return (f"技术服务合同第{pb.page}页受托方（乙方）为“{_key(pb.value)}”，与提交证据包、出具报告的机构“{name}”不是同一机构，"
            f"可能存在转包或承接转包的职业卫生技术服务项目", pb)


# words that stand before an organisation's name in a sentence (…工作由X公司承担, 分包给X公司)
_BEFORE_ORG = re.compile(r"委托|交由|由|给|至|与|和|及|将|向|经|，|,|、")


def _orgs(s: str) -> list[str]:
    """The organisations a sentence names, each cut after the last word that leads it."""
    out = []
    for o in _ORG.findall(s):
        tail = _BEFORE_ORG.split(o)[-1]
        if len(tail) >= 4:
            out.append(tail)
    return out


def _pass_on(ctx: Ctx, c: ContractRecord, ours: list[str]) -> list[tuple[str, Val]]:
    """Sentences saying the work, or part of it, is passed on to another organisation."""
    parties = [x for x in ours]
    for v in (c.party_a, c.party_b):
        if v.ok and isinstance(v.value, str):
            parties.append(_key(v.value))
    out = []
    for v in c.subcontract_sentences:
        s = str(v.value or "")
        if _NEGATION.search(s):
            continue
        others = [o for o in _orgs(s)
                  if not _GENERIC_ORG.match(o) and not _is_ours(o, parties)
                  and not any(p and (p in _key(o) or _key(o) in p) for p in parties)]
        named_to = bool(_PASS_ON.search(s) and _TO.search(s))
        s = _quote(s, others)
        if others and (_PASS_ON.search(s) or _DOES.search(s)):
            who = "、".join(dict.fromkeys(others))
            out.append((f"技术服务合同第{v.page}页约定“{s}”，项目工作交由合同双方以外的“{who}”承担", v))
        elif named_to and not others and re.search(r"(分包|转包|外包)(给|予|至)", s):
            out.append((f"技术服务合同第{v.page}页约定“{s}”，项目工作分包或转包给其他单位", v))
    return out


def _quote(s: str, others: list[str]) -> str:
    """The sentence, or its part around the other organisation or the passing-on word
    when it is long (a contract's header lines run into its preamble)."""
    if len(s) <= 90:
        return s
    m = next((re.search(re.escape(o), s) for o in others), None) or _PASS_ON.search(s) or _DOES.search(s)
    a = max(0, (m.start() if m else 0) - 40)
    return ("…" if a else "") + s[a:a + 90] + ("…" if a + 90 < len(s) else "")


@check("i021_subcontracted", indicators=[21], needs=["contract"])
def subcontracted(ctx: Ctx):
    """The contract's provider is the submitting institution, and no clause passes the work on."""
    c: ContractRecord = ctx.records.contract
    ours = _ours(ctx)
    found = _pass_on(ctx, c, ours)
    if ours:
        p = _party_b_problem(ctx, c, ours)
        if p is not None:
            found.insert(0, p)
    for msg, v in found:
        if not ctx.confirmed(v, same=lambda val, text: str(val)[:6] in text.replace(" ", "")):
            continue
        yield ctx.finding("contract.subcontracted", 21, msg, [v], pages=[v.page])
    if not found and ours and not c.party_b.ok and not c.subcontract_sentences:
        yield ctx.cannot_decide(21, "技术服务合同的受托方（乙方）名称", pages=list(c.pages) or ctx.section_pages("contract"),
                                why=c.party_b.reason or "")
