"""报告报送与公示情况 → ``DisclosureRecord``.

Besides the dates and the address, the record keeps what the sheet says was published:
the items table (公示事项 / 公开内容, each row with its 是否公示 mark, in whatever
numbering and mark style: 是/否, √/×, 已公示/未公示) and the published page's own fields
(联系人：…, 用人单位陪同人：…) where the sheet reproduces it. Item 26 reads both.
"""
from __future__ import annotations

import re
from typing import Optional

from ..layout import union_bbox
from ..records import DisclosureRecord, Row, Val, ValState
from ..registry import Ctx, extractor
from ..text import parse_date
from ._common import value

# ---------------------------------------------------------------- label synonyms (data)

REPORT_NO = ("报告编号",)
REPORT_DATE = ("报告出具日期", "报告日期", "报告签发日期", "出具日期")
SUBMITTED = ("报送日期", "上报日期", "报送时间", "系统报送日期", "信息报送日期")
PUBLIC = ("公示日期", "公开日期", "网站公示日期", "公示时间", "发布日期")
URL = ("公示网址", "网址", "公示网站", "链接")
ITEMS_HEAD = ("公示事项", "公示内容", "公开内容", "公开事项", "公示项目", "公开项目", "公开信息核对", "公示信息核对")
# the title of the items table's mark column
MARK_HEAD = re.compile(r"是否(公示|公开|上网|发布)|公示情况|公开情况|公示状态|公开状态|完成情况")
# a row's mark, at its end: published, or not
_YES = r"是|√|✓|✔|☑|已公示|已公开|已发布|已上传|已上网|有"
_NO = r"否|×|✗|✘|☒|☐|□|未公示|未公开|未发布|未上传|未上网|无"
_MARK_END = re.compile(rf"\s*({_YES}|{_NO})\s*$")
_NO_MARK = re.compile(rf"^({_NO})$")
_NUM = re.compile(r"^\s*(?:\d{1,2}(?!\d)\s*[.、．)）]?|[(（]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,2}、)\s*")
# a line that ends the items table: a label with a colon, the sheet's notes and signatures
_TABLE_END = re.compile(r"[:：]|^(说明|注|备注|经办|审核|截图|网站|公示截图|附)")
# the published page's fields, longest label first (用人单位陪同人 before 用人单位)
PUBLISHED = {
    "escort": ("用人单位陪同人", "企业陪同人员", "企业陪同人", "陪同人员", "陪同人"),
    "team": ("项目组人员名单", "项目组成员", "项目组人员", "项目成员", "技术服务人员", "专业技术人员"),
    "survey_date": ("现场调查时间", "现场调查日期", "现场调查", "调查时间", "调查日期"),
    "sampling_date": ("现场采样时间", "现场采样日期", "现场采样", "现场检测时间", "现场检测", "采样时间", "采样日期"),
    "contact": ("联系人", "联 系 人"),
    "address": ("单位地址", "用人单位地址", "地址"),
    "employer": ("用人单位名称", "用人单位", "单位名称"),
}
_LABELS = sorted(((s, k) for k, syns in PUBLISHED.items() for s in syns), key=lambda x: -len(x[0]))
_LABEL_RX = re.compile("(" + "|".join(re.escape(s) for s, _ in _LABELS) + r")\s*[:：]")
_KEY_OF = dict(_LABELS)


def _items_table(gs) -> tuple[list[Row], Val, list[Val], Optional[tuple[int, int]]]:
    """The items table's rows, whether it was read to a clear end, the old-style item
    list (text of each row), and (page, line index) where the table ended."""
    rows: list[Row] = []
    old: list[Val] = []
    head_page, marks, ended, end_at = None, False, False, None
    for g in gs:
        if ended:
            break
        active = False
        for i, ln in enumerate(g.lines):
            t = ln.text.strip()
            if not active:
                if any(h in t for h in ITEMS_HEAD):
                    active, head_page = True, g.page.no
                    marks = marks or bool(MARK_HEAD.search(t))
                continue
            if not rows and (MARK_HEAD.search(t) or re.match(r"^序号", t)):
                marks = True if MARK_HEAD.search(t) else marks
                continue  # the column titles under the heading
            num = _NUM.match(t)
            body = t[num.end():] if num else t
            m = _MARK_END.search(body)
            text = body[:m.start()].strip() if m else body.strip()
            if num and re.search(r"[\u4e00-\u9fff]", text):
                mark = (Val(value=m.group(1), page=g.page.no, bbox=ln.bbox, raw=m.group(1), conf=0.9) if m else
                        Val(value=None, page=g.page.no, bbox=ln.bbox, raw="", reason="mark cell blank",
                            state=ValState.EMPTY if marks else ValState.UNKNOWN))
                item = Val(value=text, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.9)
                rows.append(Row(fields={"item": item, "mark": mark}, page=g.page.no, bbox=ln.bbox))
                old.append(Val(value=text, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.5 if m and _NO_MARK.match(m.group(1)) else 0.9))
                continue
            if rows and not _TABLE_END.search(t) and len(text) <= 30 and re.search(r"[\u4e00-\u9fff]", t):
                # an item's text wrapped onto the next line (its mark may stand there)
                last = rows[-1]
                it, mk = last.fields["item"], last.fields["mark"]
                item = it.model_copy(update={"value": f"{it.value}{text}", "raw": f"{it.raw} {t}",
                                             "bbox": union_bbox((it.bbox, ln.bbox))})
                if m and not mk.ok:
                    mk = Val(value=m.group(1), page=g.page.no, bbox=ln.bbox, raw=m.group(1), conf=0.9)
                rows[-1] = Row(fields={"item": item, "mark": mk}, page=last.page, bbox=union_bbox((last.bbox, ln.bbox)))
                old[-1] = old[-1].model_copy(update={"value": item.value})
                continue
            if rows:
                ended, end_at = True, (g.page.no, i)
                break
        if active and rows and not ended:
            ended, end_at = True, (g.page.no, len(g.lines))  # the page's end ends it
    if head_page is None:
        read = Val.missing("items table heading not found", None, ValState.ABSENT)
    elif not rows:
        read = Val.missing("items table heading found, no rows read", head_page, ValState.UNKNOWN)
    else:
        read = Val(value=True, page=rows[0].page, bbox=union_bbox(r.bbox for r in rows), raw=f"{len(rows)} items",
                   conf=0.9)
    return rows, read, old, end_at


def _published(gs, after: Optional[tuple[int, int]]) -> dict[str, Val]:
    """The published page's fields, after the items table (the sheet's own header names
    the employer too; that is no published content)."""
    out: dict[str, Val] = {}
    for g in gs:
        for i, ln in enumerate(g.lines):
            if after is not None and (g.page.no, i) < after:
                continue
            t = ln.text
            hits = list(_LABEL_RX.finditer(t))
            for j, h in enumerate(hits):
                key = _KEY_OF[h.group(1)]
                if key in out:
                    continue
                end = hits[j + 1].start() if j + 1 < len(hits) else len(t)
                val = t[h.end():end].strip()
                if val and not re.fullmatch(r"[/／—–\-－_]+", val):
                    out[key] = Val(value=val, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.9)
                else:
                    out[key] = Val(value=None, page=g.page.no, bbox=ln.bbox, raw=t, reason=f"{h.group(1)} blank",
                                   state=ValState.EMPTY)
    return out


@extractor("disclosure")
def extract(ctx: Ctx) -> DisclosureRecord:
    gs = ctx.grids
    rows, read, items, end_at = _items_table(gs)
    return DisclosureRecord(
        report_no=value(gs, REPORT_NO, what="报告编号"),
        report_date=value(gs, REPORT_DATE, parse=parse_date, what="报告出具日期"),
        submitted_date=value(gs, SUBMITTED, parse=parse_date, what="报送日期"),
        public_date=value(gs, PUBLIC, parse=parse_date, what="公示日期"),
        url=value(gs, URL, parse=lambda t: (m.group(0) if (m := re.search(r"(https?://)?[\w.-]+\.[a-z]{2,}[\w./-]*", t)) else None), what="公示网址"),
        items=items, item_rows=rows, items_read=read,
        published=_published(gs, end_at) if end_at is not None else _published(gs, None),
        pages=ctx.pages,
    )
