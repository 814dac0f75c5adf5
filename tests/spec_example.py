"""The submission.json example of ../shared/spec/bundle-format.md §1, for tests that
need a valid submission or the institution whose identity a blind copy must hide."""
from __future__ import annotations

SPEC_SUBMISSION = {
    "bundle_id": "HN-2023-007",
    "notified_at": "2023-06-01T09:00:00+08:00",
    "received_at": "2023-06-02T17:30:00+08:00",
    "report_no": "AZJC-2022-DJ-0315",
    "institution": {
        "name": "河南安正检测技术有限公司",
        "aliases": ["安正检测", "AZJC"],
        "certificate_no": "豫卫职技字〔2021〕第0012号",
        "address": "郑州市金水区文化路88号",
        "lab_address": "郑州市金水区文化路88号3楼",
        "phone": "0371-65551234",
        "website": "www.azjc-example.cn",
        "email": "qc@azjc-example.cn",
        "legal_rep": "周明",
        "valid_from": "2021-03-01",
        "valid_to": "2026-02-28",
        "scope": {
            "industries": ["C33", "C30"],
            "factors": ["矽尘", "其他粉尘", "噪声", "苯", "甲苯", "二甲苯", "锰及其无机化合物"],
        },
        "staff": [
            {"name": "张伟", "roles": ["采样", "现场调查"], "specialty": "卫生工程"},
            {"name": "赵敏", "roles": ["检验"], "specialty": "分析化学"},
        ],
    },
    "employer": {"name": "河南某某铸造有限公司", "industry_code": "C3391"},
}


# The institution as the blind copy sees it: identity fields and registered staff.
INSTITUTION = {k: SPEC_SUBMISSION["institution"][k]
               for k in ("name", "aliases", "certificate_no", "address", "lab_address", "phone", "website",
                         "email", "legal_rep")}
