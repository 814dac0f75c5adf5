"""合同评审记录 → ``ContractReviewRecord``."""
from __future__ import annotations

import re

from ..layout import PageGrid, union_bbox
from ..signatures import signature_block, signer_date, signer_vals
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

# A line that starts a new form item: "评审人员:", "1 检测依据…"
_NEW_ITEM = re.compile(r"^\s*(?:[\u4e00-\u9fff][\u4e00-\u9fff()（）/]{1,15}\s*[:：]|\d{1,2}[\s.、])")


def _paragraph(gs: list[PageGrid], v: Val) -> Val:
    """The conclusion with the lines it wraps onto: the lines right below it, starting
    near its left edge (a paragraph's first line is often indented), up to a sentence end,
    a gap, or the next labelled item."""
    g = next((g for g in gs if g.page.no == v.page), None)
    if g is None or v.bbox is None:
        return v
    h = g.hmed
    text, boxes = str(v.value), [v.bbox]
    x0, right, bottom = v.bbox[0], v.bbox[2], v.bbox[3]
    for ln in sorted(g.lines, key=lambda l: l.yc):
        b = ln.bbox
        if b[1] < bottom - 0.3 * h:
            continue
        if b[1] - bottom > 0.9 * h or text.rstrip().endswith(("。", ".")):
            break
        if not (x0 - 3 * h <= b[0] <= x0 + h) or b[2] > right + 2 * h or _NEW_ITEM.match(ln.text):
            break
        text += ln.text.strip()
        boxes.append(b)
        bottom = b[3]
    if len(boxes) == 1:
        return v
    return Val(value=text, page=v.page, bbox=union_bbox(boxes), raw=text, conf=v.conf)


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
            # one item often names several points ("技术人员数量、专业及能力"): it counts for
            # each of them; a point keeps the first item that names it
            for key, words in POINTS.items():
                if key not in points and any(w in t for w in words):
                    ok = bool(_YES.search(t)) and not _NO.search(t)
                    points[key] = Val(value=ok, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.8)
    for key in POINTS:
        points.setdefault(key, Val.missing(f"review point {key} not found"))
    concl = value(gs, CONCLUSION, what="评审结论")
    if concl.ok:
        concl = _paragraph(gs, concl)
    if concl.ok and len(concl.value) < 6:
        concl = Val.missing("conclusion text not read")
    return ContractReviewRecord(date=date, points=points, reviewers=signer_vals(sig.get("reviewer"), "评审人"),
                                conclusion=concl, pages=ctx.pages)
