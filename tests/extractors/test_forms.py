"""Extractors: parsers, table reconstruction, one table-driven test per form, ledger.

No OCR: pages are built from strings and boxes, both as a text layer (one Line per
cell) and as OCR output (one Line per row with word boxes), because the two look
different to the table builder.
"""
from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys

import pytest

from extractors import extract_records
from extractors.ids import learn_pattern
from extractors.layout import grid
from extractors.ledger import build_ledger
from extractors.table import TableSpec, find_tables, row_vals
from extractors.text import find_dates, parse_date, parse_number, parse_time_range, split_names
from pipeline.types import Line, Page, Section
from tests.synth import H, W, grid_page, section_pages


def bundle(sections: dict[str, list[list]], *, source: str = "text") -> tuple[list[Page], list[Section]]:
    return section_pages(sections, lambda no, rows: grid_page(no, rows, source=source))


# ------------------------------------------------------------------ dates, times, numbers, names

DATES = [
    ("2022年6月14日", "2022-06-14"),
    ("2022-06-14", "2022-06-14"),
    ("2022.6.14", "2022-06-14"),
    ("2022/06/14", "2022-06-14"),
    ("二〇二二年六月十四日", "2022-06-14"),
    ("二○二二年十二月三十一日", "2022-12-31"),
    ("二O二二年六月二十日", "2022-06-20"),
    ("２０２２年６月１４日", "2022-06-14"),
    ("２０２２－０６－１４", "2022-06-14"),
    ("2022 年 6 月 14 日", "2022-06-14"),
    ("复核人:彭辉2022-05-19", "2022-05-19"),
    ("20.22年4月27日", "2022-04-27"),  # OCR dot inside the year
    ("2022.05-19", "2022-05-19"),  # OCR mixed separators
    ("交接日期:2022-06-0917:22", "2022-06-09"),  # time glued on
    ("日期:2022:06-21", "2022-06-21"),  # colon read for a dash
    ("签订日期: 2022年4月19日", "2022-04-19"),
]


@pytest.mark.parametrize("text,expected", DATES)
def test_dates_every_style(text, expected):
    assert parse_date(text) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", ["2022-13-01", "KT220001", "0370-81979861", "第1页共2页", "", "20220614"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_several_dates_in_order():
    got = [d.isoformat() for d, _ in find_dates("现场调查:2022-05-11现场采样:2022年5月19日")]
    assert got == ["2022-05-11", "2022-05-19"]


@pytest.mark.parametrize("text,expected", [("08:16-11:55", ("08:16", "11:55")), ("8:05~9:20", ("08:05", "09:20")),
                                           ("08:37:08:52", ("08:37", "08:52")), ("上午", None)])
def test_time_ranges(text, expected):
    assert parse_time_range(text) == expected


@pytest.mark.parametrize("text,expected", [("2.95", 2.95), ("36,800元", 36800.0), ("0.5.", 0.5), ("<0.01", 0.01),
                                           ("29.3℃", 29.3), ("空白", None)])
def test_numbers(text, expected):
    assert parse_number(text) == expected


STAFF = ["冯泽晨", "方慧", "周鹏海", "于丽磊", "汪亮雪", "梁雨", "任涵梓"]


@pytest.mark.parametrize("text,expected", [
    ("冯泽晨方慧", ["冯泽晨", "方慧"]),  # OCR ran two signatures together
    ("冯泽晨、方慧", ["冯泽晨", "方慧"]),
    ("周鹏海于丽磊秦玉", ["周鹏海", "于丽磊", "秦玉"]),  # unregistered 秦玉 kept as read
    ("注亮雪", ["汪亮雪"]),  # one character misread
    ("梁", ["梁雨"]),  # OCR kept only part of a hand-signed name
    ("复核者", []),  # a label, not a name
])
def test_split_names(text, expected):
    assert [n for n, _ in split_names(text, STAFF)] == expected


_COLS = {"sample_id": ("样品编号", "样品编码", "编号"), "pump_id": ("采样器编号", "仪器编号"),
         "flow_before": ("采样前流量",), "flow_after": ("采样后流量",), "site": ("采样地点",)}


@pytest.mark.parametrize("cell,key", [
    ("样品唯一性编码", "sample_id"), ("样品编吗", "sample_id"),  # synonym containment; one OCR error
    ("采样器编号", "pump_id"),  # the short 编号 must not win over the longer device label
    ("采样前流量(L/min)", "flow_before"), ("流量(采样前)", "flow_before"), ("采样后流重", "flow_after"),
    ("备注", None),
])
def test_header_label_matching(cell, key):
    from extractors.text import best_label

    assert best_label(cell, _COLS, 75.0)[0] == key


# ------------------------------------------------------------------ table reconstruction

SAMPLING_COLS = {
    "sample_id": ("样品编号", "样品唯一性编码", "样品编码"),
    "site": ("采样地点", "检测地点", "工作地点"),
    "factor": ("检测项目", "检测因素"),
    "minutes": ("采样时长(min)",),
    "flow": ("采样流量",),
}
HEAD = {"sample_id": "样品编码", "site": "检测地点", "factor": "检测因素", "minutes": "采样时长(min)", "flow": "采样流量"}
DATA = [
    {"sample_id": "S22061401", "site": "投料口", "factor": "矽尘", "minutes": "219", "flow": "2.95"},
    {"sample_id": "S22061402", "site": "混合机", "factor": "噪声", "minutes": "197", "flow": "3.00"},
    {"sample_id": "S22061403", "site": "配料皮带", "factor": "苯", "minutes": "15", "flow": "0.50"},
]


def _table_rows(order, data=DATA, head=HEAD, x0=50.0, step=95.0):
    xs = {k: x0 + i * step for i, k in enumerate(order)}
    rows = [[(xs[k], head[k]) for k in order]]
    for d in data:
        rows.append([(xs[k], d[k]) for k in order if d.get(k)])
    return rows


def _spec():
    return TableSpec("t", SAMPLING_COLS, "sample_id", lambda t: t.strip().startswith("S"), stops=("采样人",))


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("order", list(itertools.islice(itertools.permutations(list(HEAD)), 0, 120, 17)))
def test_table_any_column_order(order, source):
    g = grid(grid_page(1, _table_rows(order) + ["采样人:张伟 李娜"], source=source))
    (t,) = find_tables([g], _spec())
    got = [{k: row_vals(t, r).value(k) for k in HEAD} for r in t.rows]
    assert got == DATA


def test_table_multiline_header_and_merged_cells():
    # stacked header fragments (采样前流 / 量(L/min)) and a sample-id cell holding
    # three ids stacked above and below the row's middle (a merged cell)
    rows = [
        [(50, "岗位"), (150, "检测因素"), (250, "样品编号"), (350, "采样前流")],
        [(350, "量(L/min)")],
        ("gap", 10),
        [(250, "S22061401")],
        [(50, "投料工"), (150, "苯"), (250, "S22061402"), (350, "0.5")],
        [(250, "S22061403")],
        ("gap", 10),
        [(50, "混合工"), (150, "甲苯"), (250, "S22061404"), (350, "0.4")],
    ]
    spec = TableSpec("r", {"post": ("岗位",), "factor": ("检测因素",), "ids": ("样品编号",), "flow_before": ("采样前流量",)},
                     "post", lambda t: bool(t.strip()))
    for source in ("text", "ocr"):
        (t,) = find_tables([grid(grid_page(1, rows, source=source, pitch=12))], spec)
        assert "flow_before" in t.keys
        assert [r.text("post") for r in t.rows] == ["投料工", "混合工"]
        assert t.rows[0].text("ids", " ").split() == ["S22061401", "S22061402", "S22061403"]


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_split_across_pages(repeat_header):
    order = list(HEAD)
    p1 = grid_page(1, _table_rows(order, DATA[:2]))
    rows2 = _table_rows(order, DATA[2:])
    if not repeat_header:
        rows2 = rows2[1:]
    p2 = grid_page(2, ["样品交接记录(续)"] + rows2)
    tables = find_tables([grid(p1), grid(p2)], _spec())
    ids = [row_vals(t, r).value("sample_id") for t in tables for r in t.rows]
    assert ids == [d["sample_id"] for d in DATA]
    assert [t.page for t in tables] == [1, 2]


# ------------------------------------------------------------------ one table-driven test per form

SAMPLING_PAGE = [
    "工作场所空气中有害物质采样记录",
    [(50, "项目编号"), (130, "KT-XM-220484"), (300, "委托单位"), (380, "某某建材有限公司")],
    [(50, "采样日期"), (130, "二〇二二年五月十九日"), (300, "检测项目"), (380, "一氧化碳")],
    [(50, "环境条件"), (130, "阴 气温29.3℃ 气压100.6kPa 相对湿度42%")],
    [(50, "流量校准"), (130, "采样前未校准，采样后已校准")],
    [(50, "样品唯一性编码"), (150, "采样点"), (250, "采样方式"), (330, "采样时段"), (430, "采样后流量(L/min)")],
    [(50, "KT220011"), (150, "窑头投料口"), (250, "定点"), (330, "08:44-08:59"), (430, "0.49")],
    [(50, "KT22 0012"), (150, "窑头投料口"), (250, "定点"), (330, "09:43-09:58"), (430, "0.49")],
    [(50, "KT220016"), (150, "窑头投料口"), (250, "空白"), (330, "08:44-08:44")],
    [(50, "采样人员:任涵梓孟华秀 陪同人员:乔琳 复核人:彭辉2022-05-19")],
]

FORMS = [
    ("sampling_record", [SAMPLING_PAGE], lambda r: (
        r.sampling_records[0].date.value.isoformat(),
        [x.value("sample_id") for x in r.sampling_records[0].rows],
        [x.value("is_blank") for x in r.sampling_records[0].rows],
        r.sampling_records[0].rows[0].value("factor"),
        [v.value for v in r.sampling_records[0].samplers],
        r.sampling_records[0].escort.value, r.sampling_records[0].checker.value,
        r.sampling_records[0].calibration_before.value, r.sampling_records[0].calibration_after.value,
        r.sampling_records[0].temperature_c.value, r.sampling_records[0].pressure_kpa.value),
     ("2022-05-19", ["KT220011", "KT220012", "KT220016"], [False, False, True], "一氧化碳",
      ["任涵梓", "孟华秀"], "乔琳", "彭辉", False, True, 29.3, 100.6)),
    ("sample_transfer", [[
        "样品交接记录",
        [(50, "交接日期:2022年5月19日 18:03"), (300, "样品数量:2个")],
        [(50, "序号"), (100, "样品编号"), (200, "检测因素"), (300, "采样日期"), (420, "样品状态")],
        [(50, "1"), (100, "KT220011"), (200, "一氧化碳"), (300, "2022-05-19"), (420, "完好")],
        [(50, "2"), (100, "KT220O12"), (200, "一氧化碳"), (300, "2022-05-19"), (420, "完好")],
        [(50, "送样人:任涵梓 日期:2022-05-19"), (300, "收样人:程帅峰 日期:2022-05-19")],
    ]], lambda r: (r.sample_transfers[0].date.value.isoformat(), r.sample_transfers[0].time.value,
                   r.sample_transfers[0].declared_count.value,
                   [x.value("sample_id") for x in r.sample_transfers[0].rows],
                   r.sample_transfers[0].sender.value, r.sample_transfers[0].receiver.value),
     ("2022-05-19", "18:03", 2, ["KT220011", "KT220012"], "任涵梓", "程帅峰")),
    ("lab_analysis", [[
        "实验室分析原始记录",
        [(50, "检测项目"), (130, "一氧化碳")],
        [(50, "样品接收日期:2022/05/19"), (300, "测定日期:2022/05/20")],
        [(50, "标准曲线 y=1.71x+0.02, r=0.9993"), (300, "方法空白 未检出")],
        [(50, "样品编号"), (150, "样品含量(μg)"), (250, "浓度(mg/m³)"), (350, "备注")],
        [(50, "KT220011"), (150, "24.29"), (250, "3.3")],
        [(50, "KT220016"), (150, "0.00"), (350, "空白")],
        [(50, "分析人:韩欣利 2022-05-20"), (300, "校核人:金雪瑞 2022-05-20")],
    ]], lambda r: (r.lab_sheets[0].factor.value, r.lab_sheets[0].receipt_date.value.isoformat(),
                   r.lab_sheets[0].analysis_date.value.isoformat(), r.lab_sheets[0].curve_r.value,
                   [(x.value("sample_id"), x.value("conc")) for x in r.lab_sheets[0].rows],
                   r.lab_sheets[0].analyst.value, r.lab_sheets[0].reviewer.value),
     ("一氧化碳", "2022-05-19", "2022-05-20", 0.9993, [("KT220011", 3.3), ("KT220016", None)], "韩欣利", "金雪瑞")),
    ("data_calculation", [[
        "数据换算过程记录",
        "检测因素:一氧化碳",
        [(80, "样品编码"), (180, "Q(L/min)"), (260, "V(L)"), (320, "t(min)"), (380, "m(μg)"), (440, "C(mg/m³)")],
        [(80, "KT220011"), (180, "0.49"), (260, "7.3"), (320, "15"), (380, "24.29"), (440, "3.3")],
        "2022-05-19投料工(窑头投料口):C_TWA=(3.3×2.5+4.9×2.5)/8=2.6 mg/m³",
        [(50, "计算人:蒋晨"), (300, "复核人:韩欣利")],
    ]], lambda r: ([(x.value("sample_id"), x.value("factor"), x.value("conc")) for x in r.data_calculation.rows],
                   [(x.value("post"), x.value("value")) for x in r.data_calculation.twa],
                   r.data_calculation.calculator.value, r.data_calculation.checker.value),
     ([("KT220011", "一氧化碳", 3.3)], [("投料工", 2.6)], "蒋晨", "韩欣利")),
    ("report", [[
        [(430, "报告编号:KT-JC2022-176")],
        "职业病危害因素定期检测报告",
        [(120, "报告日期: 二〇二二年五月二十七日")],
    ], [
        "报告签名页",
        [(50, "序号"), (100, "姓名"), (200, "分工"), (320, "专业"), (420, "签名")],
        [(50, "1"), (100, "冯泽晨"), (200, "项目负责人"), (320, "预防医学"), (420, "冯泽晨")],
        [(50, "2"), (100, "方慧"), (200, "审核"), (320, "公共卫生"), (420, "方慧")],
        [(250, "编写人:谢丽颖 日期:2022-05-27")],
        [(250, "审核人:方慧 日期:2022-05-27")],
        [(250, "授权签字人:姜勇杰 日期:2022-05-27")],
    ], [
        "表4-2化学有害因素检测结果(单位:mg/m³)",
        [(50, "岗位(工种)"), (130, "检测因素"), (210, "样品编号"), (300, "C_TWA"), (360, "PC-TWA"), (430, "判定")],
        [(210, "KT220011")],
        [(50, "投料工"), (130, "一氧化碳"), (210, "KT220012"), (300, "3.8"), (360, "20"), (430, "合格")],
        [(210, "KT220013")],
        "五、结论",
        "1.本次共检测1个岗位。",
    ]], lambda r: (r.report.report_no.value, r.report.issue_date.value.isoformat(), r.report.author.value,
                   r.report.reviewer.value, r.report.issuer.value, [x.value("name") for x in r.report.team],
                   [(x.value("post"), x.value("sample_ids"), x.value("c_twa"), x.value("limit_twa"), x.value("judgement"))
                    for x in r.report.results], [v.value for v in r.report.conclusions]),
     ("KT-JC2022-176", "2022-05-27", "谢丽颖", "方慧", "姜勇杰", ["冯泽晨", "方慧"],
      [("投料工", ["KT220011", "KT220012", "KT220013"], 3.8, 20.0, "合格")], ["本次共检测1个岗位。"])),
    ("contract", [[
        [(430, "合同编号:KTHT-2022-084")],
        "职业病危害因素检测技术服务合同",
        "委托方(甲方):某某建材有限公司",
        "签订日期: 2022-04-29",
        "二、技术服务内容", "职业病危害因素定期检测",
        "四、完成时间", "现场采样结束后20个工作日内出具检测报告",
        "六、甲方责任", "1.提供真实、完整的资料", "2.安排专人陪同",
        "七、乙方责任", "1.按标准开展检测工作",
        "甲方(盖章) 乙方(盖章)",
    ]], lambda r: (r.contract.contract_no.value, r.contract.sign_date.value.isoformat(), r.contract.party_a.value,
                   r.contract.service_content.value, r.contract.completion_time.value,
                   [v.value for v in r.contract.party_a_duties], [v.value for v in r.contract.party_b_duties]),
     ("KTHT-2022-084", "2022-04-29", "某某建材有限公司", "职业病危害因素定期检测", "现场采样结束后20个工作日内出具检测报告",
      ["提供真实、完整的资料", "安排专人陪同"], ["按标准开展检测工作"])),
    ("contract_review", [[
        "合同评审记录表",
        [(50, "合同编号KTHT-2022-084"), (300, "评审日期二〇二二年四月十五日")],
        "1 检测依据的法律法规、标准是否现行有效 √满足",
        "2 检测项目是否在本机构资质认可范围内 √满足",
        "3 技术人员数量、专业及能力能否满足项目要求 ×不满足",
        "4 仪器设备能否满足检测要求 √满足",
        "评审人员:冯泽晨方慧2022.04.15",
    ]], lambda r: (r.contract_review.date.value.isoformat(), [v.value for v in r.contract_review.reviewers],
                   {k: v.value for k, v in r.contract_review.points.items()}),
     ("2022-04-15", ["冯泽晨", "方慧"], {"legal_basis": True, "capability": True, "staff": False, "equipment": True})),
    ("field_survey", [[
        "职业卫生现场调查记录",
        [(50, "项目编号KT-XM-220484"), (300, "调查日期2022-05-11")],
        [(50, "车间"), (120, "岗位(工种)"), (200, "工作地点"), (290, "劳动定员"), (360, "接触时间(h/班)"), (440, "职业病危害因素")],
        [(50, "原料车间"), (120, "混合工"), (200, "混合机操作位"), (290, "2"), (360, "8"), (440, "矽尘、噪声")],
        [(50, "现场调查人员:冯泽晨魏涵2022-05-11"), (300, "陪同人员:乔琳2022-05-11")],
    ]], lambda r: ([d.value.isoformat() for d in r.field_survey.dates], [v.value for v in r.field_survey.technicians],
                   r.field_survey.escort.value, [(x.value("post"), x.value("workers")) for x in r.field_survey.posts]),
     (["2022-05-11"], ["冯泽晨", "魏涵"], "乔琳", [("混合工", 2.0)])),
    ("detection_plan", [[
        "职业病危害因素检测方案",
        [(50, "方案编号 KT-FA-220581"), (300, "计划采样日期2022-05-19")],
        [(50, "岗位/工种"), (130, "采样点"), (230, "检测因素"), (310, "采样方式"), (380, "样品数/天")],
        [(50, "混合工"), (130, "混合机操作位"), (230, "矽尘(总尘)"), (310, "个体"), (380, "2")],
        [(250, "编制人:谢丽颖 日期:2022-05-13")],
        [(250, "审核人:贾斌磊 日期:2022-05-16")],
        [(250, "批准(技术负责人):冯泽晨日期:2022-05-16")],
    ]], lambda r: (r.detection_plan.author.value, r.detection_plan.author_date.value.isoformat(),
                   r.detection_plan.reviewer.value, r.detection_plan.review_date.value.isoformat(),
                   r.detection_plan.approver.value, r.detection_plan.approve_date.value.isoformat(),
                   [d.value.isoformat() for d in r.detection_plan.sampling_dates],
                   [(x.value("post"), x.value("factor"), x.value("samples_per_day")) for x in r.detection_plan.rows]),
     ("谢丽颖", "2022-05-13", "贾斌磊", "2022-05-16", "冯泽晨", "2022-05-16", ["2022-05-19"], [("混合工", "矽尘(总尘)", 2.0)])),
    ("disclosure", [[
        "报告报送与公示情况",
        "报告出具日期2022-05-27", "报送日期 2022-06-15", "公示日期 2022/06/17",
        "公示网址 http://www.example.cn/gs/692.html",
        "公示内容:", "序号 公示事项 是否公示", "1 用人单位名称、地址及联系人 是", "2 技术服务项目组人员名单 是",
    ]], lambda r: (r.disclosure.submitted_date.value.isoformat(), r.disclosure.public_date.value.isoformat(),
                   r.disclosure.url.value, len(r.disclosure.items)),
     ("2022-06-15", "2022-06-17", "http://www.example.cn/gs/692.html", 2)),
    ("photos", [[
        "影像资料", ("gap", 200), [(360, "2022-05-19 07:39")], [(240, "厂区门口合影(现场采样)")],
    ]], lambda r: [(p.timestamp.value, p.caption.value) for p in r.photos],
     [("2022-05-19T07:39", "厂区门口合影(现场采样)")]),
]


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("stype,pages_rows,get,expected", FORMS, ids=[f[0] for f in FORMS])
def test_form_extractor(stype, pages_rows, get, expected, source):
    sections = {"sampling_record": [SAMPLING_PAGE]} if stype != "sampling_record" else {}
    sections[stype] = pages_rows
    pages, secs = bundle(sections, source=source)
    rec = extract_records(pages, secs, staff=STAFF + ["孟华秀", "程帅峰", "韩欣利", "金雪瑞", "蒋晨", "谢丽颖", "姜勇杰",
                                                      "魏涵", "贾斌磊"])
    assert get(rec) == expected, rec.notes


def test_missing_field_has_a_reason():
    rows = [r for r in SAMPLING_PAGE if not (isinstance(r, list) and "采样日期" in r[0][1])]
    pages, secs = bundle({"sampling_record": [rows], "lab_analysis": [["实验室分析原始记录", "无表格"]]})
    rec = extract_records(pages, secs)
    s = rec.sampling_records[0]
    assert s.rows and not s.date.ok and "采样日期" in s.date.reason
    assert not rec.lab_sheets[0].analysis_date.ok and rec.lab_sheets[0].analysis_date.reason
    assert rec.report is None and any("report: section not found" in n for n in rec.notes)


@pytest.mark.parametrize("junk", [[], [Page(no=1, source="none", width=0, height=0)],
                                  [Page(no=1, source="ocr", width=W, height=H,
                                        lines=(Line(text="", raw="", bbox=(0, 0, 0, 0)),))]])
def test_never_raises(junk):
    secs = [Section(type=t, pages=(1,)) for t in ("sampling_record", "report", "photos")]
    rec = extract_records(junk, secs)
    assert rec.model_dump(mode="json") is not None
    assert build_ledger(junk, secs, rec) == []


# ------------------------------------------------------------------ ids and ledger

@pytest.mark.parametrize("ids,probe,found", [
    (["S22061401", "S22061402", "S22061415"], "见 S 22061407 与 S22O614O8", ["S22061407", "S22061408"]),
    (["WA-2206-001", "WA-2206-002"], "WA-2206- 007、WA-2206-0l1", ["WA-2206-007", "WA-2206-011"]),
    (["ZJ220614-007", "ZJ220615-001", "ZJ220614-002"], "ZJ220614-009 ZJ220701-001", ["ZJ220614-009"]),
    (["22061407", "22061408", "22061409"], "电话0370-81979861 样品22061411 日期20220614", ["22061411"]),
    (["22-RK-081012", "22-RK-081001"], "22-RK-081013。", ["22-RK-081013"]),
])
def test_id_pattern_learning(ids, probe, found):
    pat = learn_pattern(ids)
    assert [x for x, _ in pat.find(probe)] == found


def test_ledger_pages_per_section():
    sampling = SAMPLING_PAGE
    transfer = ["样品交接记录", [(50, "样品编号"), (200, "检测因素")], [(50, "KT220011"), (200, "一氧化碳")],
                [(50, "KT22OO16"), (200, "一氧化碳")]]
    report = ["检测结果", "投料工 一氧化碳 KT220011 KT220012 3.8 合格"]
    pages, secs = bundle({"sampling_record": [sampling], "sample_transfer": [transfer], "lab_analysis": [["分析记录"]],
                          "report": [report]}, source="ocr")
    ledger = {e.sample_id: e for e in build_ledger(pages, secs)}
    assert set(ledger) == {"KT220011", "KT220012", "KT220016"}
    assert ledger["KT220011"].seen == {"sampling_record": (1,), "sample_transfer": (2,), "lab_analysis": (), "report": (4,)}
    assert ledger["KT220016"].seen["sample_transfer"] == (2,) and ledger["KT220016"].seen["report"] == ()
    assert ledger["KT220011"].factor == "一氧化碳"


def test_no_prefect_import():
    code = "import sys, extractors, extractors.ledger, extractors.registry; extractors.registry.load_all(); print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_records_json_round_trip_and_evidence():
    from extractors.records import BundleRecords

    pages, secs = bundle({"sampling_record": [SAMPLING_PAGE]}, source="ocr")
    rec = extract_records(pages, secs)
    again = BundleRecords.model_validate_json(rec.model_dump_json())
    assert again.sampling_records[0].rows[0].value("sample_id") == "KT220011"
    ev = rec.sampling_records[0].rows[1].get("sample_id").evidence()
    assert ev.page == 1 and ev.bbox is not None and "KT22" in ev.text


def test_turned_page_is_read_upright():
    """A scan turned 270° comes with vertical line boxes in displayed coordinates."""
    from extractors.layout import _unmap_270

    up = grid_page(1, [[(200, "合同评审记录表")], [(50, "评审日期:2022-03-23")], [(50, "评审人员 曾思嘉谭辉 日期:2022/03/23")]],
              source="ocr")
    # make the title the tallest text, as on a real form
    lines = list(up.lines)
    t = lines[0]
    lines[0] = t.model_copy(update={"bbox": (t.bbox[0], t.bbox[1] - 6, t.bbox[2], t.bbox[3] + 6),
                                    "words": tuple(w.model_copy(update={"bbox": (w.bbox[0], w.bbox[1] - 6, w.bbox[2], w.bbox[3] + 6)})
                                                   for w in t.words)})
    Wd, Hd = H, W  # displayed landscape
    turned = up.model_copy(update={"width": Wd, "height": Hd, "rotation": 270, "lines": tuple(
        ln.model_copy(update={"bbox": _unmap_270(ln.bbox, Wd, Hd),
                              "words": tuple(w.model_copy(update={"bbox": _unmap_270(w.bbox, Wd, Hd)}) for w in ln.words)})
        for ln in lines)})
    rec = extract_records([turned], [Section(type="contract_review", pages=(1,))], staff=["曾思嘉", "谭辉"])
    assert [v.value for v in rec.contract_review.reviewers] == ["曾思嘉", "谭辉"]
    assert rec.contract_review.date.value == dt.date(2022, 3, 23)
    # provenance stays in displayed coordinates: the box is the (vertical) displayed line
    b = rec.contract_review.reviewers[0].bbox
    assert (b[3] - b[1]) > (b[2] - b[0])
