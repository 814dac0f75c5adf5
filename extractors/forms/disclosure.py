"""报告报送与公示情况 → ``DisclosureRecord``."""
from __future__ import annotations

import re

from ..records import DisclosureRecord, Val
from ..registry import Ctx, extractor
from ..text import parse_date
from ._common import value

# ---------------------------------------------------------------- label synonyms (data)

REPORT_NO = ("报告编号",)
REPORT_DATE = ("报告出具日期", "报告日期", "报告签发日期", "出具日期")
SUBMITTED = ("报送日期", "上报日期", "报送时间", "系统报送日期", "信息报送日期")
PUBLIC = ("公示日期", "公开日期", "网站公示日期", "公示时间", "发布日期")
URL = ("公示网址", "网址", "公示网站", "链接")
ITEMS_HEAD = ("公示事项", "公示内容", "公开内容")


@extractor("disclosure")
def extract(ctx: Ctx) -> DisclosureRecord:
    gs = ctx.grids
    items = []
    for g in gs:
        active = False
        for ln in g.lines:
            if any(h in ln.text for h in ITEMS_HEAD):
                active = True
                continue
            if active:
                m = re.match(r"^\s*\d{1,2}\s*[.、]?\s*(.+?)\s*(是|否|√|×)?\s*$", ln.text)
                if not m:
                    if items:
                        break
                    continue
                items.append(Val(value=m.group(1), page=g.page.no, bbox=ln.bbox, raw=ln.text,
                                 conf=0.9 if m.group(2) != "否" else 0.5))
    return DisclosureRecord(
        report_no=value(gs, REPORT_NO, what="报告编号"),
        report_date=value(gs, REPORT_DATE, parse=parse_date, what="报告出具日期"),
        submitted_date=value(gs, SUBMITTED, parse=parse_date, what="报送日期"),
        public_date=value(gs, PUBLIC, parse=parse_date, what="公示日期"),
        url=value(gs, URL, parse=lambda t: (m.group(0) if (m := re.search(r"(https?://)?[\w.-]+\.[a-z]{2,}[\w./-]*", t)) else None), what="公示网址"),
        items=items, pages=ctx.pages,
    )
