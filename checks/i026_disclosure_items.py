"""Report content published as required, item 26.

Attachment 3, 一、资质条件保持和符合性 / (九)报告管理:

  (26)报告内容按照要求进行公示。
  浏览公司网站，从完成的报告清单中抽取5份报告，每发现1份报告未公示扣0.5分。用人单位名称、地址、联系人、
  陪同人等信息缺失的，每发现1处扣0.2分；项目组人员名单、时间、影像资料等信息缺失或不符合要求的，每发现1处
  扣0.5分。1.0分扣完为止。

The website itself is the expert's to browse; the bundle's 报告报送与公示 sheet says what
was published. ``disclosure.incomplete`` names each required item (用人单位名称, 地址,
联系人, 陪同人, 项目组人员名单, 现场调查/采样时间, 影像资料) that

- the sheet's items table marks 否 / × / 未公示, or leaves its 是否公示 cell blank;
- the items table does not list, when the table was read to a clear end (``items_read``;
  a row may name several items: 用人单位名称、地址及联系人);
- the published page the sheet reproduces prints with an empty value (联系人：).

An item the table does not list while the table was not read whole is "cannot decide";
so is a sheet with neither an items table nor a published page read.
"""
from __future__ import annotations

import re

from checks.base import Ctx, check, read_by_ocr
from extractors.records import DisclosureRecord, Row, Val, ValState

# required item → what names it in an item's text
REQUIRED = {
    "用人单位名称": re.compile(r"名称|(?:用人单位|企业)(?!陪同|联系|地址|.{0,2}人)"),
    "地址": re.compile(r"地址"),
    "联系人": re.compile(r"联系人|联系方式|联系电话"),
    "陪同人": re.compile(r"陪同"),
    "项目组人员名单": re.compile(r"项目组|项目成员|项目人员|组成人员"),
    "现场调查/采样时间": re.compile(r"(调查|采样|检测|现场|服务).{0,30}(时间|日期)"),
    "影像资料": re.compile(r"影像|照片|图像|图片|视频"),
}
# the published page's fields (DisclosureRecord.published) → the required item they show
PUBLISHED_ITEM = {"employer": "用人单位名称", "address": "地址", "contact": "联系人", "escort": "陪同人",
                  "team": "项目组人员名单", "survey_date": "现场调查/采样时间", "sampling_date": "现场调查/采样时间"}
_MARKS = re.compile(r"[\s/／\\—–\-－_~～、.。·:：()（）]")
_NO = re.compile(r"^(否|×|✗|✘|☒|☐|□|未公示|未公开|未发布|未上传|未上网|无)$")


def _problems(d: DisclosureRecord) -> tuple[list[tuple[str, str, Val]], list[str]]:
    """(item, what is wrong, where) for each required item, and the items not decided."""
    bad: list[tuple[str, str, Val]] = []
    unsure: list[str] = []
    rows: list[Row] = [r for r in d.item_rows if r.get("item").ok]
    read = d.items_read.ok and d.items_read.value is True
    for name, rx in REQUIRED.items():
        cover = [r for r in rows if rx.search(str(r.value("item")))]
        if not cover:
            if read:
                bad.append((name, f"公示事项表（第{d.items_read.page}页，共{len(rows)}项）未列出该项", d.items_read))
            elif rows:
                unsure.append(name)
            continue
        for r in cover:
            it = r.get("item")
            hit = None
            for k, col in (("mark", "是否公示栏"), ("value", "公示内容栏")):
                v = r.fields.get(k)
                if v is None:
                    continue
                if v.ok and _NO.match(str(v.value).strip()):
                    hit = (f"第{it.page}页公示事项“{it.value}”的{col}为“{v.value}”", v)
                elif v.state is ValState.EMPTY:
                    shown = (v.raw or "").strip()
                    hit = (f"第{it.page}页公示事项“{it.value}”的{col}" + (f"仅填“{shown}”" if shown else "空白"), v)
                if hit:
                    break
            if hit:
                bad.append((name, hit[0], hit[1]))
                break
    for key, v in d.published.items():
        name = PUBLISHED_ITEM.get(key)
        if name and v.state is ValState.EMPTY and v.page is not None and not any(b[0] == name for b in bad):
            label = (v.reason or "").replace(" blank", "")
            bad.append((name, f"第{v.page}页公示信息中“{label}”后未填写内容", v))
    return bad, unsure


@check("i026_disclosure_items", indicators=[26], needs=["disclosure"])
def disclosure_items(ctx: Ctx):
    """Every required item is listed as published, and the published page shows it."""
    d: DisclosureRecord = ctx.records.disclosure
    pages = list(d.pages) or ctx.section_pages("disclosure")
    if not d.item_rows and not d.published:
        yield ctx.cannot_decide(26, "报告报送与公示情况中的公示事项", pages=pages,
                                why="未识别出公示事项表或公示页面内容")
        return
    bad, unsure = _problems(d)
    for name, what, v in bad:
        if read_by_ocr(ctx, v):
            if v.state is ValState.EMPTY:
                # a blank cell read again, closer: a word there means OCR missed it
                again = _MARKS.sub("", ctx.reread(v) or "")
                if len(again) >= 1 and not _NO.match(again):
                    continue
            elif not ctx.confirmed(v):
                continue
        yield ctx.finding(
            "disclosure.incomplete", 26,
            f"报告报送与公示情况：应公示的“{name}”缺失或未公示——{what}",
            [v], pages=[v.page])
    if unsure:
        yield ctx.cannot_decide(26, f"公示事项表中的{'、'.join(unsure)}", pages=pages,
                                why="公示事项表未完整读取，无法确认这些事项是否列出")
