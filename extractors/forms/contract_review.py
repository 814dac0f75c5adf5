"""合同评审记录 → ``ContractReviewRecord``."""
from __future__ import annotations

import re

from ..layout import signature_block, signer_date, signer_vals
from ..records import ContractReviewRecord, Val
from ..registry import Ctx, extractor
from ..text import parse_date
from ._common import value

# ---------------------------------------------------------------- label synonyms (data)

DATE = ("评审日期", "评审时间")
CONCLUSION = ("评审结论", "评审意见", "结论")
ROLES = {"reviewer": ("评审人员", "评审人", "参加评审人员", "评审组成员")}
# review points: key → words that name it in a review item
POINTS = {
    "legal_basis": ("法律法规", "标准", "依据"),
    "capability": ("资质", "能力", "检测方法", "认可范围"),
    "staff": ("人员", "技术人员"),
    "equipment": ("仪器", "设备", "器材"),
}
_YES = re.compile(r"√|✓|满足|符合|是|具备|有效")
_NO = re.compile(r"×|✗|不满足|不符合|不具备|(?<![是能与])否")


@extractor("contract_review")
def extract(ctx: Ctx) -> ContractReviewRecord:
    gs = ctx.grids
    sig = signature_block(gs, ROLES, ctx.known_names)
    date = value(gs, DATE, parse=parse_date, what="评审日期")
    if not date.ok and sig.get("reviewer") and sig["reviewer"].date:
        date = signer_date(sig["reviewer"], "评审人")
    points: dict[str, Val] = {}
    for g in gs:
        for ln in g.lines:
            t = ln.text
            if not re.match(r"^\s*\d{1,2}\s", t) and "是否" not in t and "能否" not in t:
                continue
            for key, words in POINTS.items():
                if key in points:
                    continue
                if any(w in t for w in words):
                    ok = bool(_YES.search(t)) and not _NO.search(t)
                    points[key] = Val(value=ok, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.8)
                    break
    for key in POINTS:
        points.setdefault(key, Val.missing(f"review point {key} not found"))
    concl = value(gs, CONCLUSION, what="评审结论")
    if concl.ok and len(concl.value) < 6:
        concl = Val.missing("conclusion text not read")
    return ContractReviewRecord(date=date, points=points, reviewers=signer_vals(sig.get("reviewer"), "评审人"),
                                conclusion=concl, pages=ctx.pages)
