"""report.html: escaped messages, embedded crops, page links, part headings, and a
report even when the PDF is missing or broken."""
from __future__ import annotations

import base64
import html
import re
import sys
import types

import pymupdf
import pytest

from pipeline.outputs.report_html import render_report_html, write_report_html
from pipeline.types import BundleResult


def _pdf(path, pages=3):
    doc = pymupdf.open()
    for i in range(pages):
        p = doc.new_page(width=595, height=842)
        p.insert_text((72, 100), f"第{i + 1}页 样品编号 S2206140{i}", fontname="china-s", fontsize=12)
        p.insert_text((72, 300), "检测结果 0.52 mg/m³", fontname="china-s", fontsize=12)
    doc.save(str(path))
    doc.close()


def _result():
    return {
        "bundle_id": "HN-2023-T01",
        "status": "done",
        "sections": [{"type": "sampling_record", "pages": [1, 2]}, {"type": "report", "pages": [3]}],
        "samples": [
            {"sample_id": "S220614001", "factor": "矽尘(呼尘)",
             "seen": {"sampling_record": [1], "lab_analysis": [], "report": [3]}},
        ],
        "findings": [
            {"code": "samples.count_mismatch", "indicator": 94, "veto": True,
             "message": "现场采样记录共 3 个样品，实验室分析记录仅 2 个 <缺 S22061402>",
             "evidence": [{"file": "original.pdf", "page": 1, "bbox": [70, 85, 300, 104], "text": "S22061400"},
                          {"file": "original.pdf", "page": 2, "bbox": None, "text": ""}]},
            {"code": "contract.incomplete", "indicator": 27, "veto": False,
             "message": "合同缺少完成时间 & 服务范围（第1页）",
             "evidence": [{"file": "original.pdf", "page": 1, "bbox": [70, 285, 300, 304], "text": "0.52"}]},
            {"code": "qualification.expired", "indicator": 19, "veto": True,
             "message": "采样日期 2022年6月14日 晚于资质有效期",
             "evidence": [{"file": "original.pdf", "page": 3, "bbox": [70, 85, 300, 104], "text": "x"}]},
            {"code": "bundle.missing_section", "indicator": None, "veto": False,
             "message": "缺少实验室分析记录", "evidence": []},
        ],
    }


def _imgs(text):
    return re.findall(r'<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)


def test_report_with_crops_links_and_parts(tmp_path):
    bundle = tmp_path / "in"
    bundle.mkdir()
    _pdf(bundle / "original.pdf")
    out = tmp_path / "out" / "HN-2023-T01"
    write_report_html(out / "report.html", _result(), original_pdf=bundle / "original.pdf")
    text = (out / "report.html").read_text(encoding="utf-8")

    # messages are escaped, never raw
    assert html.escape("实验室分析记录仅 2 个 <缺 S22061402>") in text
    assert "<缺 S22061402>" not in text
    assert "完成时间 &amp; 服务范围" in text
    # crops: 3 boxed + 1 page thumbnail, all valid PNG
    imgs = _imgs(text)
    assert len(imgs) == 4
    for b in imgs:
        assert base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n"
    # a boxed crop is about 2x the box plus margin, not the whole page
    pix = pymupdf.Pixmap(base64.b64decode(imgs[0]))
    assert 400 < pix.width < 560 and 30 < pix.height < 70
    # links to the page: original.pdf is not next to the report → absolute file URI
    uri = (bundle / "original.pdf").resolve().as_uri()
    assert f'href="{uri}#page=1"' in text and f'href="{uri}#page=3"' in text
    # part headings, in checklist order, and the non-indicator group last
    heads = [text.index(h) for h in ("一、资质条件保持和符合性", "二、服务规范性", "三、服务真实性", "其他提示")]
    assert heads == sorted(heads)
    assert "指标94" in text and "★" in text
    # header says these are pre-flags; sections table and ledger in Chinese
    assert "预警提示" in text and "专家" in text
    assert "现场采样/检测记录" in text and "1–2" in text
    assert 'class="missing"' in text and "S220614001" in text


def test_relative_link_when_pdf_next_to_report(tmp_path):
    _pdf(tmp_path / "original.pdf")
    write_report_html(tmp_path / "report.html", _result(), original_pdf=tmp_path / "original.pdf")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'href="original.pdf#page=1"' in text
    assert "file://" not in text


def test_anonymized_evidence_uses_institution_copy(tmp_path):
    bundle = tmp_path / "in"
    bundle.mkdir()
    _pdf(bundle / "original.pdf")
    _pdf(bundle / "anonymized.pdf", pages=1)
    res = _result()
    res["findings"] = [{"code": "anonymized.leak", "indicator": None, "veto": False,
                        "message": "副本第1页页眉仍显示机构名称",
                        "evidence": [{"file": "anonymized.pdf", "page": 1, "bbox": [70, 85, 300, 104],
                                      "text": "安正检测"}]}]
    write_report_html(tmp_path / "out" / "report.html", res, original_pdf=bundle / "original.pdf")
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert (bundle / "anonymized.pdf").resolve().as_uri() + "#page=1" in text
    assert len(_imgs(text)) == 1
    assert "隐去机构信息的副本仍显示机构信息" in text


@pytest.mark.parametrize("broken", ["missing", "garbage", "none"])
def test_bad_pdf_still_writes_report(tmp_path, broken):
    pdf = tmp_path / "original.pdf"
    if broken == "garbage":
        pdf.write_bytes(b"this is not a pdf")
    write_report_html(tmp_path / "r" / "report.html", _result(),
                      original_pdf=None if broken == "none" else pdf)
    text = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert _imgs(text) == []
    assert "未生成证据截图" in text
    assert html.escape("<缺 S22061402>") in text
    assert "original.pdf#page=1" in text


def test_crop_caps_and_bundle_result(tmp_path):
    _pdf(tmp_path / "original.pdf", pages=10)
    res = _result()
    res["findings"] = [{"code": "x.many", "indicator": 50, "veto": False, "message": "多处证据",
                        "evidence": [{"file": "original.pdf", "page": p, "bbox": [70, 85, 300, 104], "text": str(p)}
                                     for p in range(1, 11)]}]
    text = render_report_html(BundleResult.model_validate(res), original_pdf=tmp_path / "original.pdf",
                              report_dir=tmp_path)
    assert len(_imgs(text)) == 6
    assert "另有 4 处证据未附截图" in text
    assert text.count("#page=") == 10


def test_checklist_parts_used_and_fallback(tmp_path, monkeypatch):
    class Item:
        def __init__(self, n):
            self.part, self.part_name, self.text = ("三", "服务真实性（测试）", f"测试条目{n}") if n > 74 else \
                ("二", "服务规范性（测试）", f"测试条目{n}")

    def item(n):
        if n < 27:
            raise KeyError(n)  # unknown to the module: fallback by number range
        return Item(n)

    fake = types.SimpleNamespace(item=item)
    text = render_report_html(_result(), checklist=fake)
    assert "三、服务真实性（测试）" in text and "二、服务规范性（测试）" in text
    assert "测试条目94" in text
    assert "一、资质条件保持和符合性" in text  # indicator 19 via the fallback
    # the lazily imported module fails: fallback ranges
    monkeypatch.setitem(sys.modules, "checks.checklist", None)
    text = render_report_html(_result())
    assert "三、服务真实性" in text and "二、服务规范性" in text


def test_failed_bundle_and_no_findings():
    text = render_report_html({"bundle_id": "B&1", "status": "failed", "error": "original.pdf <损坏>",
                               "findings": []})
    assert "处理失败" in text and html.escape("original.pdf <损坏>") in text
    assert "B&amp;1" in text and "B&1" not in text.replace("B&amp;1", "")


def test_crop_marks_the_box_and_off_page_box_gives_thumbnail(tmp_path):
    _pdf(tmp_path / "original.pdf", pages=1)
    res = _result()
    res["findings"] = [{"code": "x.box", "indicator": 30, "veto": False, "message": "框",
                        "evidence": [{"file": "original.pdf", "page": 1, "bbox": [100, 90, 120, 104], "text": "a"},
                                     {"file": "original.pdf", "page": 1, "bbox": [900, 900, 950, 950], "text": "b"},
                                     {"file": "original.pdf", "page": 7, "bbox": [1, 1, 5, 5], "text": "c"}]}]
    text = render_report_html(res, original_pdf=tmp_path / "original.pdf", report_dir=tmp_path)
    imgs = _imgs(text)
    assert len(imgs) == 2  # page 7 does not exist: link only, no image
    pix = pymupdf.Pixmap(base64.b64decode(imgs[0]))
    # a small box gets context around it (min width) and a blue frame just outside it
    assert pix.width >= 300
    blues = sum(1 for x in range(pix.width) for y in range(pix.height) if pix.pixel(x, y) == (30, 100, 230))
    assert blues > 50
    assert 'class="thumb" alt="original.pdf 第1页缩略图"' in text
    assert "#page=7" in text


def test_crops_prefer_distinct_values(tmp_path):
    _pdf(tmp_path / "original.pdf", pages=8)
    res = _result()
    ev = [{"file": "original.pdf", "page": p, "bbox": [70, 85, 300, 104], "text": "2022-04-15"} for p in range(1, 8)]
    ev.append({"file": "original.pdf", "page": 8, "bbox": [70, 85, 300, 104], "text": "2022-04-27"})
    res["findings"] = [{"code": "qualification.expired", "indicator": 19, "veto": True, "message": "日期", "evidence": ev}]
    text = render_report_html(res, original_pdf=tmp_path / "original.pdf", report_dir=tmp_path)
    assert len(_imgs(text)) == 6
    last = text[text.index("#page=8"):]
    assert "data:image/png;base64," in last.split("</div>")[0]  # the one different value has its crop
    assert "另有 2 处证据未附截图" in text
