"""Helpers shared by the form extractors (not an extractor itself)."""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from ..ids import generic_id
from ..layout import PageGrid
from ..records import Val
from ..text import find_dates, parse_date

# Sample-id column headers (样品编号 and what institutions call it).
SAMPLE_ID_LABELS: tuple[str, ...] = (
    "样品编号", "样品编码", "样品唯一性编码", "样品唯一性编号", "样品唯一性标识", "样品号", "样品标识号", "样品标识",
    "样品代码", "采样编号", "样品编码号", "编号",
)

# Labels that commonly share a line with another label/value pair in form headers;
# an inline value is cut where the next one starts.
HEADER_STOPS: tuple[str, ...] = (
    "项目编号", "委托编号", "方案编号", "合同编号", "报告编号", "用人单位", "委托单位", "受检单位", "被检测单位",
    "采样日期", "测量日期", "检测日期", "检测项目", "检测因素", "检测类别", "环境条件", "气象条件", "天气情况",
    "采样依据", "测量依据", "检测依据", "检测方法", "分析方法", "仪器名称", "接收日期", "收样日期", "分析日期",
    "贮存条件", "保存条件", "样品保存条件", "样品状态", "样品数量", "交接日期", "方法空白", "质量控制", "标准曲线",
    "评审日期", "评审方式", "调查日期", "联系人", "联系电话", "行业类别", "企业规模", "劳动定员", "主要产品",
    "计划采样日期", "单位地址", "报送日期", "公示日期", "报告出具日期", "报送系统", "公示网址", "签订地点",
    "流量校准", "相对湿度", "气温", "气压", "采样仪器", "测量仪器", "声校准", "写实日期", "日期",
)


def value(grids: Sequence[PageGrid], synonyms: Sequence[str], *, parse: Optional[Callable] = None,
          stops: Sequence[str] = HEADER_STOPS, what: str = "", below: bool = True,
          region: Optional[tuple[float, float]] = None) -> Val:
    """First readable value of a label over the pages."""
    reasons = []
    for g in grids:
        st = [s for s in stops if s not in synonyms and not any(s in x for x in synonyms)]
        v = g.value(synonyms, stops=st, parse=parse, what=what, below=below, region=region)
        if v.ok:
            return v
        reasons.append(v.reason or "")
    pages = ",".join(str(g.page.no) for g in grids)
    # prefer "label found but value unreadable" over "label not found"
    found_but = next((r for r in reasons if "not found" not in r and r), None)
    return Val.missing(f"{what or synonyms[0]}: " + (found_but or f"label not found on pages {pages}"))


def date_value(grids: Sequence[PageGrid], synonyms: Sequence[str], what: str = "") -> Val:
    return value(grids, synonyms, parse=parse_date, what=what)


def all_dates(v: Val) -> list:
    return [d for d, _ in find_dates(v.raw)] if v.raw else []


def id_ok(ctx) -> Callable[[str], bool]:
    """Anchor test for an id column: the learned pattern if known, else any id-like text."""
    pat = ctx.id_pattern
    if pat is not None:
        return lambda t: bool(pat.find(t)) or generic_id(t) is not None
    return lambda t: generic_id(t) is not None


def parse_id(ctx) -> Callable[[str], Optional[str]]:
    pat = ctx.id_pattern

    def p(t: str) -> Optional[str]:
        if pat is not None:
            f = pat.find(t)
            if f:
                return f[0][0]
        return generic_id(t.split()[0] if t.split() else t) or generic_id(t)

    return p


def parse_ids(ctx) -> Callable[[str], Optional[list]]:
    pat = ctx.id_pattern

    def p(t: str) -> Optional[list]:
        if pat is not None:
            f = [x for x, _ in pat.find(t)]
        else:
            f = [x for x in (generic_id(tok) for tok in re.split(r"[\s、,，;；]+", t)) if x]
        return f or None

    return p


def cjk_text(t: str) -> Optional[str]:
    t = (t or "").strip().strip(".·")
    return t or None


def is_blank_row(*texts: str) -> bool:
    return any("空白" in (t or "") for t in texts)
