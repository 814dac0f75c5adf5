"""Page typing and section findings on pages built from strings (no OCR)."""
from __future__ import annotations

import pytest

from pipeline.sections import split_sections, type_pages
from pipeline.structure import missing_section_findings, out_of_order_findings
from pipeline.types import Line, Page, Section


def page(no: int, title: str, *body: str) -> Page:
    lines = []
    y = 40.0
    if title:
        lines.append(Line(text=title, raw=title, bbox=(150, y, 450, y + 20)))
    for text in body:
        y += 30
        lines.append(Line(text=text, raw=text, bbox=(60, y, 540, y + 14)))
    return Page(no=no, source="ocr", width=595, height=842, lines=tuple(lines))


BUNDLE = [
    ("contract", "检测技术服务合同", "委托方（甲方）：某某铸造有限公司", "受托方（乙方）：", "合同编号：HT-2022-031"),
    ("contract", "", "六、违约责任", "甲方应按时支付技术服务费", "乙方法定代表人"),
    ("contract_review", "合同评审记录表", "评审内容：法律法规标准要求", "检测能力 是否满足", "评审结论：同意"),
    ("field_survey", "职业卫生现场调查记录", "调查日期：2022年6月10日", "劳动定员 工作班制", "原辅材料 生产工艺"),
    ("field_survey", "工作日写实记录", "岗位 接触时间 写实", "调查人：", "陪同人："),
    ("detection_plan", "职业病危害因素检测方案", "采样方式 采样时段 样品数量", "编制人 审核人 批准人", "保存期限 保存条件"),
    ("sampling_record", "空气中有害物质现场采样记录", "采样日期 2022-06-14 天气 晴 气温 26℃ 气压 100.2kPa", "采样前流量 采样后流量", "采样人 陪同人"),
    ("sampling_record", "", "续表", "S2206140 08:30 10:30 采样流量 2.0", "采样人 陪同人 复核人"),
    ("sample_transfer", "样品交接记录", "送样人 收样人 样品状态 完好", "保存条件 4℃冷藏", "交接日期"),
    ("lab_analysis", "实验室分析原始记录", "仪器型号 气相色谱仪 标准曲线 相关系数 0.9995", "方法空白 加标回收 96.5%", "分析人 审核人"),
    ("lab_analysis", "", "样品质量 µg", "分析日期 2022年6月16日", "检出限"),
    ("data_calculation", "数据换算过程记录", "计算公式 C=m/V", "采样体积 L", "C_TWA 计算人 校核人"),
    ("report", "职业病危害因素定期检测报告", "报告编号：XX-2022-0315", "", ""),
    ("report", "声  明", "一、本报告无检测单位公章无效", "", ""),
    ("report", "", "检测结果 判定", "PC-TWA PC-STEL 合格 不合格", "职业接触限值"),
    ("report", "", "结论 建议", "检测依据 评价依据", ""),
    ("disclosure", "报告报送与公示情况", "报送日期 2022-07-20 信息系统", "公示日期 网站公示", ""),
    ("photos", "影像资料", "2022-06-14 09:32", "2022-06-14 10:05", "厂区门口合影"),
]


def test_typing_of_a_whole_bundle():
    pages = [page(i, t, *b) for i, (_, t, *b) in enumerate(BUNDLE, 1)]
    typed = type_pages(pages)
    got = [t.type for t in typed]
    want = [row[0] for row in BUNDLE]
    assert got == want


@pytest.mark.parametrize(
    "title,expected",
    [
        ("现 场 采 样 记 录", "sampling_record"),  # OCR spaces between characters
        ("现场釆样记录", "sampling_record"),  # 釆/采 confusion
        ("样品交揍记录", "sample_transfer"),  # one wrong character
        ("实验室分忻原始记录", "lab_analysis"),
    ],
)
def test_titles_survive_ocr_noise(title, expected):
    pages = [page(1, title, "", "")]
    assert type_pages(pages)[0].type == expected


def test_continuation_pages_follow_their_section():
    pages = [
        page(1, "样品交接记录", "送样人 收样人"),
        page(2, "", "S001 S002 S003"),  # no cues at all
        page(3, "实验室分析原始记录", "分析人"),
    ]
    assert [t.type for t in type_pages(pages)] == ["sample_transfer", "sample_transfer", "lab_analysis"]


def test_split_sections_makes_contiguous_runs():
    pages = [page(i, t, *b) for i, (_, t, *b) in enumerate(BUNDLE, 1)]
    sections = split_sections(type_pages(pages))
    assert [s.type for s in sections][:3] == ["contract", "contract_review", "field_survey"]
    assert sections[0].pages == (1, 2)
    assert sum(len(s.pages) for s in sections) == len(BUNDLE)


def test_missing_sections_name_fake_report_red_flags():
    secs = [Section(type=t, pages=(i,)) for i, t in enumerate(
        ["contract", "contract_review", "field_survey", "detection_plan", "sampling_record", "sample_transfer",
         "data_calculation", "report", "disclosure", "photos"], 1)]
    findings = missing_section_findings(secs)
    assert [f.code for f in findings] == ["bundle.missing_section"]
    assert "实验室分析记录" in findings[0].message and "虚假报告" in findings[0].message
    assert findings[0].evidence[0].bbox is None


def test_out_of_order_detected_and_clean_order_passes():
    ok = [Section(type="contract", pages=(1,)), Section(type="report", pages=(2,)), Section(type="photos", pages=(3,))]
    assert out_of_order_findings(ok) == []
    bad = [Section(type="contract", pages=(1, 2)), Section(type="report", pages=(3, 4)),
           Section(type="sampling_record", pages=(5,))]
    f = out_of_order_findings(bad)
    assert len(f) == 1 and f[0].code == "bundle.out_of_order"
    assert "第5页" in f[0].message and f[0].evidence[0].page == 5


def test_strong_evidence_keeps_an_out_of_order_page_out_of_order():
    pages = [
        page(1, "技术服务合同", "甲方 乙方 合同编号"),
        page(2, "职业病危害因素定期检测报告", "报告编号 检测结果 判定 结论"),
        page(3, "现场采样记录", "采样日期 采样流量 采样人 陪同人 气温 气压"),
    ]
    types = [t.type for t in type_pages(pages)]
    assert types == ["contract", "report", "sampling_record"]


# ------------------------------------------------------------------ titles never seen, forms over several pages


@pytest.mark.parametrize(
    "title,expected",
    [
        ("检测业务承揽协议", "contract"),  # key noun 协议
        ("承接前评审表", "contract_review"),  # 评审
        ("报告上报登记簿", "disclosure"),  # head-final: 上报 after 报告
        ("检测信息网上公示单", "disclosure"),
        ("外业照片登记", "photos"),
        ("粉尘称量登记(天平法)", "lab_analysis"),  # a note in brackets does not count
    ],
)
def test_unseen_titles_are_typed_by_their_key_noun(title, expected):
    assert type_pages([page(1, title, "备注", "")])[0].type == expected


def test_a_key_noun_in_body_text_is_no_title():
    # a sentence naming a report in the top part of a contract page counts for little
    pages = [page(1, "", "乙方为甲方提供检测服务并出具检测报告", "甲方 乙方 违约", "双方 付款")]
    assert type_pages(pages)[0].type == "contract"


def _footer(p: Page, *texts: str) -> Page:
    lines = list(p.lines)
    for i, t in enumerate(texts):
        lines.append(Line(text=t, raw=t, bbox=(60 + 200 * i, 810, 240 + 200 * i, 822)))
    return p.model_copy(update={"lines": tuple(lines)})


def test_a_page_with_the_form_code_of_the_page_before_continues_its_form():
    pages = [
        _footer(page(1, "样品接收登记", "送样人 收样人", "样品状态"), "QR/YP-03", "页码 1"),
        # the second page of that form is all lab words, but carries the same form code
        _footer(page(2, "", "滤膜 称量 天平", "样品质量 检出限", "分析日期"), "QR/YP-03"),
        _footer(page(3, "实验室分析原始记录", "分析人", "标准曲线"), "QR/FX-07"),
    ]
    assert [t.type for t in type_pages(pages)] == ["sample_transfer", "sample_transfer", "lab_analysis"]


def test_page_k_of_n_and_continued_marks_keep_a_form_together():
    pages = [
        _footer(page(1, "现场调查记录", "调查日期", "劳动定员"), "第 1 页 / 共 3 页"),
        _footer(page(2, "", "采样日期 采样流量", "采样人 气温"), "第 2 页 / 共 3 页"),
        page(3, "", "续表", "采样时间 采样点 校准"),
        page(4, "现场采样记录", "采样日期", "采样人"),
    ]
    # page 3 says 续表 but numbers nothing: it still continues page 2
    assert [t.type for t in type_pages(pages)] == ["field_survey"] * 3 + ["sampling_record"]


def test_numbering_over_the_whole_bundle_ties_nothing():
    pages = [_footer(page(i, t, *b), f"第{i}页 共{len(BUNDLE)}页") for i, (_, t, *b) in enumerate(BUNDLE, 1)]
    assert [t.type for t in type_pages(pages)] == [row[0] for row in BUNDLE]


def test_a_plan_that_speaks_of_sampling_is_still_the_plan():
    # a one-page sampling plan whose body holds sampling-record words (采样时段, 采样点,
    # 天数, 流量 …) more than plan words, between the survey and the sampling record
    pages = [
        page(1, "职业卫生现场调查记录", "调查日期：2022年4月12日", "劳动定员 工作班制", "原辅材料 生产工艺"),
        page(2, "职业病危害因素现场采样计划", "计划采样日期 2022年4月14日 采样依据 GBZ 159",
             "岗位/采样点 检测项目 方式 采样时间 流量 L/min 天数", "采样日期 采样人 陪同人 开始时间 结束时间",
             "采样仪器 校准 采样时段"),
        page(3, "工作场所空气中有害物质采样原始记录", "采样日期 2022-04-14 气温 18℃ 气压 101.2kPa",
             "采样前流量 采样后流量 采样点", "采样人 陪同人"),
    ]
    assert [t.type for t in type_pages(pages)] == ["field_survey", "detection_plan", "sampling_record"]
