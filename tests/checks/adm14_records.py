"""Hand-made records for the checks of items 21, 26, 32 and 47 (issue 14, second slice),
and a rendered-bundle runner: clean generated bundles of both families through the
extractors and these checks."""
from __future__ import annotations

import re

from extractors.records import (ContractRecord, DisclosureRecord, Row, SamplingSheet, SurveyRecord, Val,
                                ValState)
from tests.checks.admin_records import V, codes, run, sub  # noqa: F401  (re-exported for the tests)

INST = "河南凯瑞职业健康技术有限公司"


def blank(page=3, box=(300.0, 150.0, 380.0, 162.0), raw=""):
    return Val(value=None, page=page, bbox=box, raw=raw, reason="cell blank", state=ValState.EMPTY)


def submission():
    return sub(name=INST, aliases=["凯瑞职康"])


def contract(party_b=INST, sentences=(), party_a="凯旋硅业股份有限公司", page=1):
    return ContractRecord(party_a=V(party_a, page=page), party_b=V(party_b, page=page) if party_b is not None else
                          Val.missing("乙方: label not found", None, ValState.ABSENT),
                          subcontract_sentences=[V(s, page=page) for s in sentences], pages=(page, page + 1))


def material(name, amount="16万t/a", components="SiO2约98%", page=3):
    f = {"name": V(name, page=page)}
    for k, v in (("amount", amount), ("components", components)):
        f[k] = v if isinstance(v, Val) else (blank(page, raw=v) if v in ("", "/", "—") else V(v, page=page))
    return Row(fields=f, page=page, bbox=(50.0, 150.0, 500.0, 162.0))


def noise_row(laeq="86.6", hours="8", lex="86.6", page=5, post="混合工", unit=None):
    def num(t):
        if t is None:
            return Val.missing("column not in table", None)
        x = float(re.match(r"[\d.]+", t).group(0))
        return Val(value=x, page=page, bbox=(300.0, 200.0, 330.0, 212.0), raw=t, conf=1.0)
    f = {"post": V(post, page=page), "site": V("1#混合机操作位", page=page), "laeq": num(laeq), "hours": num(hours)}
    if lex is not None:
        f["lex8h"] = num(lex)
    if unit is not None:
        f["unit"] = V(unit, page=page)
    return Row(fields=f, page=page, bbox=(50.0, 200.0, 500.0, 212.0))


def noise_sheet(rows, titles=None, page=5):
    t = {k: [V(v, page=page)] for k, v in (titles or {"laeq": "L_Aeq(dB(A))", "lex8h": "L_EX,8h(dB(A))"}).items()}
    return SamplingSheet(kind="noise", noise=list(rows), noise_titles=t, pages=(page,))


ITEMS = ("用人单位名称、地址及联系人", "技术服务项目组人员名单", "现场调查、现场采样、现场检测的专业技术人员名单及时间",
         "用人单位陪同人", "证明现场调查、现场采样、现场检测的影像资料")


def item_row(text, mark="是", value=None, page=10, y=200.0):
    f = {"item": Val(value=text, page=page, bbox=(90.0, y, 300.0, y + 12), raw=text, conf=1.0)}
    if mark is not None:
        f["mark"] = (Val(value=mark, page=page, bbox=(480.0, y, 520.0, y + 12), raw=mark, conf=1.0) if mark
                     else blank(page, (480.0, y, 520.0, y + 12)))
    if value is not None:
        f["value"] = (Val(value=value, page=page, bbox=(240.0, y, 520.0, y + 12), raw=value, conf=1.0)
                      if value not in ("", "/") else blank(page, (240.0, y, 520.0, y + 12), raw=value))
    return Row(fields=f, page=page, bbox=(60.0, y, 520.0, y + 12))


def disclosure(rows=None, read=True, published=None, page=10):
    rows = [item_row(t, y=200.0 + 20 * i) for i, t in enumerate(ITEMS)] if rows is None else rows
    r = (Val(value=True, page=page, bbox=(60.0, 200.0, 520.0, 300.0), raw=f"{len(rows)} items", conf=0.9) if read
         else Val.missing("rows not read to an end", page, ValState.UNKNOWN))
    return DisclosureRecord(item_rows=rows, items_read=r, published=published or {}, pages=(page,))


def rendered_findings(tmp_path, family, only, kinds=(), seed=7, index=0):
    """One generated born-digital bundle (clean, or with ``kinds`` planted) through the
    pipeline's stages: its records, the findings of ``only`` and its truth."""
    import json

    from checks.base import run_checks
    from pipeline.run import Settings, stage_intake, stage_pages, stage_records, stage_sections
    from samples.batch import _Job, make_bundle

    summary = make_bundle(_Job(str(tmp_path), seed, index, tuple(kinds), False, None, family))
    bdir = tmp_path / summary["folder"]
    settings = Settings(cache_dir=None, workers=0, ocr=False, anonymize=False)
    intake = stage_intake(str(bdir), settings)
    pages = stage_pages(intake.original_path, settings)
    sections = stage_sections(pages)
    records, ledger = stage_records(intake, pages, sections)
    res = run_checks(records, intake.submission or {}, sections=sections, ledger=ledger, pages=pages, only=list(only))
    assert not res.errors, res.errors
    truth = json.loads((tmp_path / "_truth" / f"{summary['bundle_id']}.json").read_text())
    return records, res.findings, truth
