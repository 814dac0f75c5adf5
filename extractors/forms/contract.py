"""技术服务合同 → ``ContractRecord``."""
from __future__ import annotations

import re

from ..records import ContractRecord, Val
from ..registry import Ctx, extractor
from ..text import ROLE_WORDS, SURNAMES, find_dates, parse_date, resolve_name
from ._common import value

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
    # hand signatures under the parties' seal block: lone 2-4 character name cells
    signers: list[Val] = []
    after_seal = 0  # lines left in the signature block
    for g in gs:
        for ln in g.lines:
            if len(ln.text) < 40 and re.search(r"[(（]\s*盖章\s*[)）]|法定代表人|委托代理人|签字[:：]|签名[:：]", ln.text):
                after_seal = 8
            if after_seal <= 0:
                continue
            after_seal -= 1
            for c in ln.cells:
                t = c.text.strip(" .·:：")
                if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", t) and t[0] in SURNAMES and not any(w in t for w in ROLE_WORDS):
                    name, conf = resolve_name(t, ctx.known_names)
                    signers.append(Val(value=name, page=g.page.no, bbox=c.bbox, raw=c.text, conf=min(conf, c.conf)))
    seal = next((Val(value=True, page=g.page.no, bbox=ln.bbox, raw=ln.text, conf=0.8)
                 for g in gs for ln in g.lines if re.search(r"合同专用章|公章|盖章\)|专用章", ln.text)),
                Val(value=False, reason="no seal text read", conf=0.5))
    return ContractRecord(
        contract_no=value(gs, CONTRACT_NO, parse=lambda t: (m.group(0) if (m := re.search(r"[A-Za-z0-9][A-Za-z0-9\-_/()〔〕]{3,}", t)) else None), what="合同编号"),
        project_name=value(gs, PROJECT, what="项目名称"),
        party_a=value(gs, PARTY_A, what="甲方", stops=("受托方", "乙方")),
        party_b=value(gs, PARTY_B, what="乙方"),
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
