"""A small bundlecheck output folder made in the test: two bundles, one with a verified blind
copy and one whose copy failed verification, and a finding whose message prints the
institution's certificate number (as in the demo bundle of issue 15)."""
from __future__ import annotations

import json
from pathlib import Path

import pymupdf

INSTITUTIONS = {
    "T-001": {"name": "河南测试检测技术有限公司", "aliases": ["测试检测", "CSJC"],
              "certificate_no": "豫卫职技字〔2021〕第0099号", "address": "河南省新乡市红旗区测试路1号",
              "lab_address": "河南省新乡市红旗区测试路1号2楼", "phone": "0373-5551234",
              "legal_rep": "钱多多", "website": "www.csjc-example.cn", "email": "qc@csjc-example.cn",
              "staff": [{"name": "张三", "roles": ["采样"]}]},
    "T-002": {"name": "郑州另一职业卫生有限公司", "aliases": ["另一职卫"], "certificate_no": "豫卫职技字〔2020〕第0100号",
              "address": "河南省郑州市金水区另路2号", "phone": "0371-5550000", "legal_rep": "孙二"},
}


def _pdf(path: Path, lines: list[str], pages: int = 3) -> None:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page(width=595, height=842)
        for i, text in enumerate(lines):
            page.insert_text((60, 80 + 30 * i), f"{text} 第{n + 1}页", fontname="china-s", fontsize=12)
    doc.save(path)
    doc.close()


def make_out(root: Path) -> Path:
    """``root/bundles`` (inputs) and ``root/out`` (outputs); returns the out folder."""
    bundles, out = root / "bundles", root / "out"
    summary = {"input": str(bundles), "out": str(out), "bundles": []}
    for bid, inst in INSTITUTIONS.items():
        bdir, odir = bundles / bid, out / bid
        bdir.mkdir(parents=True)
        odir.mkdir(parents=True)
        sub = {"bundle_id": bid, "report_no": f"R-{bid}", "institution": inst,
               "notified_at": "2023-06-01T09:00:00+08:00", "received_at": "2023-06-02T09:00:00+08:00"}
        (bdir / "submission.json").write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")
        _pdf(bdir / "original.pdf", [inst["name"], inst["certificate_no"], "检测报告"])
        safe = bid == "T-001"
        _pdf(odir / "anonymized.pdf", ["机构名称：■■■■", "检测报告 样品 S001"])
        findings = {"bundle_id": bid, "status": "done", "sections": [{"type": "report", "pages": [1, 2, 3]}],
                    "samples": [],
                    "anonymized": {"written": True, "safe": safe, "leaks": [],
                                   "errors": [] if safe else ["第2页仍可读出机构名称"]},
                    "findings": [
                        {"code": "qualification.expired", "indicator": 19, "veto": True,
                         "message": f"资质证书{inst['certificate_no']}有效期已过（{inst['aliases'][0]}）",
                         "evidence": [{"file": "original.pdf", "page": 1, "bbox": [60, 90, 300, 110],
                                       "text": inst["certificate_no"]}]},
                        {"code": "sampling.no_flow_calibration", "indicator": 50, "veto": False,
                         "message": "第2页采样记录未记录流量校准", "evidence": [
                             {"file": "original.pdf", "page": 2, "bbox": [60, 100, 300, 130], "text": "流量"}]},
                        {"code": "bundle.missing_section", "indicator": None, "veto": False,
                         "message": "缺少样品交接记录", "evidence": []},
                    ]}
        (odir / "findings.json").write_text(json.dumps(findings, ensure_ascii=False), encoding="utf-8")
        summary["bundles"].append({"bundle_id": bid, "folder": bid, "status": "done", "pages": 3})
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    return out
