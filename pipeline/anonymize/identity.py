"""The institution's identity strings (机构身份信息) and the variants they are printed in.

Built from ``submission.json``'s ``institution``: name, aliases, certificate number,
addresses, phone, website, e-mail, legal representative (and, on request, staff).
Matching happens on a *key* form of both the term and the page text (``match_key``):
NFKC (full-width → half-width), lower case, no spaces, every bracket kind → ``()``
and every dash → ``-``; so 〔2020〕/[2020]/【2020】 and ０３７３－… match without listing
each form. Variants that the key cannot express are listed explicitly: the name
without its company suffix or region prefix, the phone without its area-code dash or
without the area code.

OCR misreadings are caught in ``find.find_in_text`` with an edit-distance budget
that grows with the term's length and is zero for short terms (a 2–4 character
alias or a person's name must match exactly, or it would eat ordinary words).
The employer's name is a *protected* string: a fuzzy hit inside it is dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Optional

from pipeline.normalize import COMPANY_SUFFIXES, name_variants
from pipeline.normalize import CITY_RE as _CITY_RE
from pipeline.normalize import REGION_RE as _REGION_RE

__all__ = ["Term", "IdentitySet", "build_identity", "match_key", "key_with_index", "name_variants"]


_BRACKETS = str.maketrans({c: "(" for c in "〔[【［{｛〖《<"} | {c: ")" for c in "〕]】］}｝〗》>"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－﹣~～"})


def match_key(s: str) -> str:
    """The form both terms and page text are compared in (see module docstring)."""
    return key_with_index(s)[0]


def key_with_index(s: str) -> tuple[str, list[int]]:
    """``match_key(s)`` plus, for every key character, the index of the source character."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(s or ""):
        n = unicodedata.normalize("NFKC", ch).lower().translate(_BRACKETS).translate(_DASHES)
        for c in n:
            if c.isspace() or c in "\u200b\ufeff":
                continue
            out.append(c)
            idx.append(i)
    return "".join(out), idx


@dataclass(frozen=True)
class Term:
    """One identity string to find. ``field`` is the submission field it comes from."""

    text: str  # as in submission.json (or the variant as printed)
    field: str  # name | alias | certificate_no | address | lab_address | phone | website | email | legal_rep | staff
    key: str  # match_key(text)
    fuzzy: int  # edits allowed when matching OCR text (0 = exact only)
    source: str = ""  # the submission value this variant derives from (for messages)

    @property
    def label_zh(self) -> str:
        return FIELD_ZH.get(self.field, "机构信息")


FIELD_ZH = {
    "name": "机构名称", "alias": "机构简称", "certificate_no": "资质证书编号", "address": "机构地址",
    "lab_address": "实验室地址", "phone": "联系电话", "website": "网址", "email": "电子邮箱",
    "legal_rep": "法定代表人", "staff": "人员姓名",
}


# Words many institution (and employer) names share: a fuzzy hit must not rest on them.
GENERIC_WORDS = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "检验检测", "检测", "技术", "职业", "卫生",
                 "健康", "环境", "服务", "评价", "安全", "科技", "工程", "咨询", "研究院", "研究所", "中心", "实验室",
                 "监测", "环保", "节能", "防护")


def distinctive(key: str) -> str:
    """The part of a name that tells it apart: region and generic business words removed."""
    core = key
    m = _REGION_RE.match(core)
    if m:
        core = core[m.end():]
    for w in GENERIC_WORDS:
        core = core.replace(w, "")
    return core


def _edit_budget(key: str, field: str) -> int:
    """Edits tolerated for OCR misreadings: none for short strings, personal names, phones."""
    if field in ("legal_rep", "staff", "phone"):
        return 0
    n = len(key)
    if n < 6:
        return 0
    if n < 10:
        return 1
    if n < 16:
        return 2
    return 3


def phone_variants(phone: str) -> list[str]:
    out = [phone]
    digits = re.sub(r"\D", "", phone)
    m = re.match(r"^\s*\(?(0\d{2,3})\)?[\s\-－—]*(\d{7,8})\s*$", phone)
    if m:
        area, local = m.groups()
        out += [f"{area}-{local}", f"{area}{local}", f"({area}){local}", local]
    elif digits and digits != phone:
        out.append(digits)
    return out


def certificate_variants(cert: str) -> list[str]:
    # Bracket kinds are folded by match_key; also the number without 第…号 decoration.
    out = [cert]
    m = re.search(r"(\d{4})\D{0,3}(?:第)?(\d{3,5})号?", cert)
    if m:
        out.append(cert.replace("第", ""))
    return out


def address_variants(addr: str) -> list[str]:
    """The address, and without its province prefix (letters often drop it)."""
    out = [addr]
    m = _REGION_RE.match(addr)
    if m and m.group(2) and len(addr) - m.end() >= 6:
        out.append(addr[m.end():])
    return out


@dataclass
class IdentitySet:
    """Everything to hide, longest first, and what must stay (employer, staff unless hidden)."""

    terms: list[Term]
    protected: list[str] = field(default_factory=list)  # match keys that must survive (employer name …)
    owners: dict[str, list[str]] = field(default_factory=dict)  # seal owners: institution / employer / authority
    name: str = ""

    def __bool__(self) -> bool:
        return bool(self.terms)

    def keys(self) -> set[str]:
        return {t.key for t in self.terms}


def build_identity(
    institution: dict,
    employer: Optional[dict] = None,
    *,
    hide_staff: bool = False,
    extra: Iterable[str] = (),
) -> IdentitySet:
    """Terms for ``institution`` (submission.json shape). ``hide_staff`` adds staff names."""
    inst = institution or {}
    raw: list[tuple[str, str, str]] = []  # (text, field, source)

    def add(values: Iterable[str], fld: str, source: str) -> None:
        for v in values:
            if v and str(v).strip():
                raw.append((str(v).strip(), fld, source))

    name = (inst.get("name") or "").strip()
    if name:
        add(name_variants(name), "name", name)
    for a in inst.get("aliases") or []:
        add([a], "alias", a)
    if inst.get("certificate_no"):
        add(certificate_variants(inst["certificate_no"]), "certificate_no", inst["certificate_no"])
    for fld in ("lab_address", "address"):
        if inst.get(fld):
            add(address_variants(inst[fld]), fld, inst[fld])
    if inst.get("phone"):
        for p in re.split(r"[,，;；/、]", inst["phone"]):
            add(phone_variants(p.strip()), "phone", inst["phone"])
    for fld in ("website", "email"):
        v = inst.get(fld)
        if v:
            add([v], fld, v)
            if fld == "website" and v.lower().startswith("www."):
                add([v[4:]], fld, v)
            if fld == "website":
                add([re.sub(r"^https?://", "", v)], fld, v)
    if inst.get("legal_rep"):
        add([inst["legal_rep"]], "legal_rep", inst["legal_rep"])
    if hide_staff:
        for s in inst.get("staff") or []:
            if isinstance(s, dict) and s.get("name"):
                add([s["name"]], "staff", s["name"])
    add(extra, "other", "")

    terms: dict[str, Term] = {}
    for text, fld, source in raw:
        key = match_key(text)
        if len(key) < 2 or key in terms:
            continue
        # Digits-only local phone numbers shorter than 7 would hit ordinary numbers.
        if fld == "phone" and key.isdigit() and len(key) < 7:
            continue
        terms[key] = Term(text=text, field=fld, key=key, fuzzy=_edit_budget(key, fld), source=source or text)
    ordered = sorted(terms.values(), key=lambda t: -len(t.key))

    protected: list[str] = []
    emp_names: list[str] = []
    if employer and employer.get("name"):
        emp_names = name_variants(employer["name"])
        protected += [match_key(v) for v in emp_names]
    if not hide_staff:
        for s in inst.get("staff") or []:
            if isinstance(s, dict) and s.get("name"):
                protected.append(match_key(s["name"]))
    prot_set = [p for p in protected if p]
    owners = {"institution": name_variants(name) if name else []}
    if emp_names:
        owners["employer"] = emp_names
    owners["authority"] = ["卫生健康委员会", "卫生和计划生育委员会", "卫生厅", "卫生局", "市场监督管理局"]
    return IdentitySet(terms=ordered, protected=prot_set, owners=owners, name=name)
