"""Build small bundles from strings for end-to-end tests (no generator, no OCR)."""
from __future__ import annotations

import json
from pathlib import Path

import pymupdf

SUBMISSION = {
    "bundle_id": "T-0001",
    "notified_at": "2023-06-01T09:00:00+08:00",
    "received_at": "2023-06-02T17:30:00+08:00",
    "report_no": "TST-2022-DJ-0001",
    "institution": {
        "name": "测试检测技术有限公司",
        "aliases": ["测试检测"],
        "certificate_no": "豫卫职技字〔2021〕第0099号",
        "address": "郑州市金水区测试路1号",
        "lab_address": "郑州市金水区测试路1号2楼",
        "phone": "0371-60000000",
        "website": "www.test-example.cn",
        "email": "qc@test-example.cn",
        "legal_rep": "王某",
        "valid_from": "2021-03-01",
        "valid_to": "2026-02-28",
        "scope": {"industries": ["C33"], "factors": ["矽尘", "噪声"]},
        "staff": [{"name": "张伟", "roles": ["采样"], "specialty": "卫生工程"}],
    },
    "employer": {"name": "某某铸造有限公司", "industry_code": "C3391"},
}

# One page per section type, titled as such forms are.
SECTION_PAGES = [
    ("技术服务合同", ["甲方：某某铸造有限公司", "乙方：测试检测技术有限公司", "合同编号：HT-01"]),
    ("合同评审记录表", ["评审内容：法律法规", "检测能力 人员 设备", "评审结论：同意"]),
    ("现场调查记录", ["调查日期：2022年6月10日", "劳动定员 工作班制", "原辅材料"]),
    ("检测方案", ["采样方式 采样时段", "编制人 审核人 批准人", "保存期限"]),
    ("现场采样记录", ["采样日期：2022-06-14", "采样流量 气温 气压", "采样人 陪同人"]),
    ("样品交接记录", ["送样人 收样人", "样品状态 完好", "保存条件"]),
    ("实验室分析原始记录", ["分析人 标准曲线", "方法空白", "天平"]),
    ("数据换算过程记录", ["计算公式", "采样体积", "C_TWA"]),
    ("职业病危害因素定期检测报告", ["报告编号：TST-2022-DJ-0001", "检测结果 判定", "结论 建议"]),
    ("报告报送与公示情况", ["报送日期 信息系统", "公示日期", "网站公示"]),
    ("影像资料", ["2022-06-14 09:32", "厂区门口合影"]),
]


def make_pdf(path: Path, pages=SECTION_PAGES, *, mask: str | None = None) -> Path:
    """Draw the pages; ``mask`` hides that string the way institutions do (****)."""
    doc = pymupdf.open()
    for title, lines in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_text((200, 60), title, fontname="china-s", fontsize=16)
        for i, text in enumerate(lines):
            if mask:
                text = text.replace(mask, "****")
            page.insert_text((60, 120 + 24 * i), text, fontname="china-s", fontsize=11)
    doc.save(path)
    doc.close()
    return path


def make_bundle(root: Path, name: str = "b1", *, submission: dict | None = None, pages=SECTION_PAGES,
                anonymized: bool = True) -> Path:
    d = root / name
    d.mkdir(parents=True)
    sub = json.loads(json.dumps(SUBMISSION))
    sub["bundle_id"] = name.upper()
    sub.update(submission or {})
    (d / "submission.json").write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
    make_pdf(d / "original.pdf", pages)
    if anonymized:
        make_pdf(d / "anonymized.pdf", pages, mask=sub["institution"]["name"])
    return d
