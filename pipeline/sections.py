"""Page typing and section splitting.

Each page gets a score per section type from its title (lines near the top, fuzzy
matched so OCR noise does not break it) and from form labels anywhere on the page.
A Viterbi pass then smooths the sequence: sections are contiguous runs in archive
order, so staying in a type is free, moving forward costs a little and moving back
costs more. Out-of-order bundles still come out out of order when the page evidence
is strong, which ``bundle.out_of_order`` then reports.

Cue lists are data at the top of the file; they name what such forms are called in
the trade, not how our own generator words them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.types import ARCHIVE_ORDER, SECTION_TYPES, Page, Section

# Titles: what the form calls itself. Matched against the top lines of a page.
TITLES: dict[str, tuple[str, ...]] = {
    "contract": ("技术服务合同", "委托检测合同", "检测服务合同", "技术服务协议", "检测技术服务合同", "委托协议书", "合同书"),
    "contract_review": ("合同评审记录", "合同评审表", "合同评审记录表", "合同评审单", "委托评审记录", "合同（协议）评审"),
    "field_survey": ("现场调查记录", "职业卫生现场调查记录", "现场调查表", "工作日写实记录", "工作日写实", "职业病危害因素现场调查", "现场调查原始记录", "原辅材料调查"),
    "detection_plan": ("检测方案", "采样计划", "采样方案", "检测计划", "现场采样计划", "职业病危害因素检测方案", "采样检测方案", "布点图", "采样点布置图"),
    "sampling_record": ("现场采样记录", "采样记录", "现场检测记录", "空气中有害物质采样记录", "粉尘采样记录", "噪声测量记录", "噪声现场测量记录", "现场测量记录", "定点采样记录", "个体采样记录", "流量校准记录", "采样原始记录"),
    "sample_transfer": ("样品交接记录", "样品流转记录", "样品交接单", "样品接收记录", "样品流转单", "送样单", "样品登记表"),
    "lab_analysis": ("实验室分析原始记录", "实验室分析记录", "分析原始记录", "检验原始记录", "检测原始记录", "称量记录", "气相色谱分析记录", "原子吸收分析记录", "标准曲线", "仪器分析记录"),
    "data_calculation": ("数据换算过程记录", "检测结果计算记录", "浓度计算记录", "数据处理记录", "计算过程记录", "结果计算表", "时间加权平均浓度计算"),
    "report": ("职业病危害因素定期检测报告", "定期检测报告", "检测报告", "报告签名页", "声明", "资质证书", "检测结果与评价", "结论与建议", "目录"),
    "disclosure": ("报告报送与公示情况", "报送与公示", "信息公开", "网站公示", "技术服务信息报送", "公示信息", "报送情况"),
    "photos": ("影像资料", "现场照片", "现场影像", "照片记录", "影像记录", "现场采样照片", "厂区门口合影"),
}

# Labels: words that such forms carry in their body. Weaker than titles.
LABELS: dict[str, tuple[str, ...]] = {
    "contract": ("甲方", "乙方", "委托方", "受托方", "合同编号", "违约", "技术服务费", "合同金额", "签订日期", "双方", "法定代表人", "付款"),
    "contract_review": ("评审内容", "评审意见", "评审结论", "评审人", "评审日期", "检测能力", "人员配备", "设备配备", "法律法规", "是否满足"),
    "field_survey": ("调查日期", "调查人", "调查范围", "劳动定员", "工作班制", "原辅材料", "生产工艺", "防护设施", "个体防护", "写实", "接触时间", "游离二氧化硅"),
    "detection_plan": ("编制人", "批准人", "审批", "采样方式", "采样时段", "样品数量", "保存期限", "保存条件", "空气收集器", "检测点", "采样对象", "采样点数"),
    "sampling_record": ("采样日期", "采样时间", "采样流量", "采样前流量", "采样后流量", "气温", "气压", "天气", "采样人", "陪同人", "采样仪器", "采样点", "开始时间", "结束时间", "声级计", "校准"),
    "sample_transfer": ("交样人", "送样人", "收样人", "接收人", "样品状态", "交接日期", "接收日期", "样品数量", "保存条件", "运输"),
    "lab_analysis": ("分析日期", "检测日期", "分析人", "检验人", "仪器型号", "标准曲线", "相关系数", "方法空白", "加标回收", "质控样", "称量", "天平", "色谱", "检出限", "样品质量", "滤膜"),
    "data_calculation": ("换算", "计算公式", "采样体积", "标准采样体积", "浓度计算", "C_TWA", "CTWA", "时间加权", "计算人", "校核人"),
    "report": ("报告编号", "签发", "审核", "编写", "检测结果", "判定", "结论", "建议", "PC-TWA", "PC-STEL", "MAC", "职业接触限值", "检测依据", "评价依据", "合格", "不合格", "资质证书编号", "有效期"),
    "disclosure": ("报送", "公示", "信息系统", "报送日期", "公示日期", "公示内容", "网址", "网站", "公开"),
    "photos": ("照片", "影像", "拍摄", "合影", "摄于", "采样现场照片"),
}

TITLE_WEIGHT = 4.0
LABEL_WEIGHT = 0.6
LABEL_CAP = 6  # label hits counted per type; long pages should not win on volume
TITLE_THRESHOLD = 80.0  # one wrong character in a 5-character title still matches
TOP_FRACTION = 0.3  # titles sit in the top part of a page
FORWARD_COST = 1.5  # log-penalty to start a new section later in archive order
BACKWARD_COST = 6.0  # going back in archive order needs strong evidence
OTHER_BASE = 1.0  # score "other" gets on any page; pages with no cues fall here

_TS_RE = re.compile(r"20\d\d[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}日?\s+\d{1,2}[:：]\d{2}")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageTyping:
    page: int
    type: str
    scores: dict[str, float]


def _compact(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _title_lines(page: Page) -> list[str]:
    """Lines in the top part of the page, largest text first."""
    if not page.lines:
        return []
    limit = page.height * TOP_FRACTION if page.height else float("inf")
    top = [ln for ln in page.lines if ln.bbox[1] <= limit]
    if not top:
        top = list(page.lines[:5])
    return [_compact(ln.text) for ln in top if ln.text.strip()]


def score_page(page: Page) -> dict[str, float]:
    """Score every section type for one page (higher = more likely)."""
    scores = {t: 0.0 for t in SECTION_TYPES}
    scores["other"] = OTHER_BASE
    titles = _title_lines(page)
    body = _compact(page.text)
    for stype, best in _title_scores(titles).items():
        if best >= TITLE_THRESHOLD:
            scores[stype] += TITLE_WEIGHT * (min(best, 100.0) / 100.0)
    for stype, labels in LABELS.items():
        hits = sum(1 for lab in labels if lab in body)
        scores[stype] += LABEL_WEIGHT * min(hits, LABEL_CAP)
    # Photo pages carry several timestamp watermarks and little other text.
    stamps = len(_TS_RE.findall(page.text))
    if stamps >= 1 and len(body) < 400:
        scores["photos"] += 1.5 * min(stamps, 4)
    return scores


def _title_scores(titles: list[str]) -> dict[str, float]:
    """Best title score per type. An exact title on a line beats fuzzy look-alikes on it
    (定期检测报告 must not count as a garbled 检测方案)."""
    best: dict[str, float] = {}
    for line in titles:
        if len(line) > 40:  # a paragraph, not a title
            continue
        exact = {t: max((len(n) for n in names if n in line), default=0) for t, names in TITLES.items()}
        if any(exact.values()):
            longest = max(exact.values())
            for t, n in exact.items():
                if n and n >= min(longest, 4):
                    best[t] = max(best.get(t, 0.0), 100.0)
            continue
        for t, names in TITLES.items():
            for name in names:
                if len(name) >= 4 and len(line) >= len(name) - 1:
                    best[t] = max(best.get(t, 0.0), fuzz.partial_ratio(name, line))
    return best


def type_pages(pages: list[Page]) -> list[PageTyping]:
    """Type every page, smoothing with a Viterbi pass over archive order."""
    if not pages:
        return []
    types = list(SECTION_TYPES)
    emissions = [score_page(p) for p in pages]
    n, k = len(pages), len(types)
    neg = -math.inf
    best = [[neg] * k for _ in range(n)]
    back = [[0] * k for _ in range(n)]
    for j, t in enumerate(types):
        best[0][j] = emissions[0][t]
    for i in range(1, n):
        for j, t in enumerate(types):
            em = emissions[i][t]
            cand, arg = neg, 0
            for jp, tp in enumerate(types):
                v = best[i - 1][jp] - _transition(tp, t)
                if v > cand:
                    cand, arg = v, jp
            best[i][j] = cand + em
            back[i][j] = arg
    j = max(range(k), key=lambda jj: best[n - 1][jj])
    path = [0] * n
    for i in range(n - 1, -1, -1):
        path[i] = j
        j = back[i][j]
    return [PageTyping(page=p.no, type=types[path[i]], scores=emissions[i]) for i, p in enumerate(pages)]


def _transition(prev: str, cur: str) -> float:
    if prev == cur:
        return 0.0
    if prev == "other" or cur == "other":
        return FORWARD_COST
    if ARCHIVE_ORDER[cur] > ARCHIVE_ORDER[prev]:
        return FORWARD_COST
    return BACKWARD_COST


def split_sections(typed: list[PageTyping]) -> list[Section]:
    """Contiguous runs of one type, in page order."""
    sections: list[Section] = []
    run_type, run_pages = None, []
    for t in typed:
        if t.type != run_type and run_pages:
            sections.append(Section(type=run_type, pages=tuple(run_pages)))
            run_pages = []
        run_type = t.type
        run_pages.append(t.page)
    if run_pages:
        sections.append(Section(type=run_type, pages=tuple(run_pages)))
    return sections
