"""Bundle-structure findings: required process materials present, in archive order.

The plan (seed 002, 三(三)) asks for the report plus, in archive order: 技术服务合同及
审核记录、现场调查记录、检测方案或检测计划、现场检测和采样记录、样品交接记录、实验室
分析记录、数据换算过程记录、报告报送与公示情况; site photos prove the field work
(i075). Seed 001 art. 18 presumes a report false when there was no field survey, no
on-site sampling or no lab analysis, so those three are called out as red flags.
"""
from __future__ import annotations

from pipeline.codes import BUNDLE_MISSING_SECTION, BUNDLE_OUT_OF_ORDER, INPUT_UNREADABLE
from pipeline.types import ARCHIVE_ORDER, SECTION_NAMES_ZH, Evidence, Finding, Section

REQUIRED: tuple[str, ...] = tuple(t for t in ARCHIVE_ORDER)
FAKE_REPORT_RED_FLAGS = {"field_survey", "sampling_record", "lab_analysis"}


def missing_section_findings(sections: list[Section]) -> list[Finding]:
    present = {s.type for s in sections}
    out: list[Finding] = []
    for stype in REQUIRED:
        if stype in present:
            continue
        name = SECTION_NAMES_ZH[stype]
        msg = f"证据包中未找到“{name}”（{stype}）。"
        if stype in FAKE_REPORT_RED_FLAGS:
            msg += (
                "按《职业卫生技术服务机构管理办法》相关规定（国卫监督发〔2022〕23号 第十八条），"
                "无现场调查、无现场采样检测或无实验室分析的报告可能被认定为虚假报告，请专家重点核实。"
            )
        out.append(
            Finding(
                code=BUNDLE_MISSING_SECTION,
                indicator=None,
                veto=False,
                message=msg,
                evidence=(Evidence(file="original.pdf", page=None, bbox=None, text=name),),
            )
        )
    return out


def out_of_order_findings(sections: list[Section]) -> list[Finding]:
    """One finding when a section starts before one that should precede it, or a type is split."""
    seq = [s for s in sections if s.type in ARCHIVE_ORDER]
    problems: list[str] = []
    evidence: list[Evidence] = []
    named: list[int] = []  # the pages the message names
    seen: dict[str, Section] = {}
    highest: Section | None = None
    for sec in seq:
        name = SECTION_NAMES_ZH[sec.type]
        if sec.type in seen:
            first = seen[sec.type]
            problems.append(
                f"“{name}”分散在两处（第{_span(first)}页与第{_span(sec)}页）"
            )
            named += [*_spanned(first), *_spanned(sec)]
            evidence.append(Evidence(file="original.pdf", page=sec.pages[0], bbox=None, text=name))
        elif highest is not None and ARCHIVE_ORDER[sec.type] < ARCHIVE_ORDER[highest.type]:
            problems.append(
                f"“{name}”（第{_span(sec)}页）排在“{SECTION_NAMES_ZH[highest.type]}”（第{_span(highest)}页）之后"
            )
            named += [*_spanned(sec), *_spanned(highest)]
            evidence.append(Evidence(file="original.pdf", page=sec.pages[0], bbox=None, text=name))
        seen.setdefault(sec.type, sec)
        if highest is None or ARCHIVE_ORDER[sec.type] > ARCHIVE_ORDER[highest.type]:
            highest = sec
    if not problems:
        return []
    order = " → ".join(SECTION_NAMES_ZH[s.type] for s in seq)
    return [
        Finding(
            code=BUNDLE_OUT_OF_ORDER,
            indicator=None,
            veto=False,
            message="材料未按归档顺序排列：" + "；".join(problems) + f"。实际顺序：{order}。",
            evidence=tuple(evidence),
            pages=tuple(named),
            message_pages=tuple(named),
        )
    ]


def _span(sec: Section) -> str:
    a, b = sec.pages[0], sec.pages[-1]
    return f"{a}" if a == b else f"{a}–{b}"


def _spanned(sec: Section) -> range:
    """The pages ``_span`` names: first to last page of ``sec``."""
    return range(sec.pages[0], sec.pages[-1] + 1)


def unreadable_pages_finding(pages: list) -> Finding:
    """Pages that could not be read (load error, timeout): the rest is still processed."""
    nos = [p.no for p in pages]
    named = nos[:10]  # the pages the message names
    detail = "；".join(f"第{p.no}页：{p.error}" for p in pages[:10])
    more = f"（另有{len(pages) - 10}页）" if len(pages) > 10 else ""
    return Finding(
        code=INPUT_UNREADABLE,
        indicator=None,
        veto=False,
        message=f"original.pdf 共有 {len(nos)} 页无法读取，其余页面已继续处理。{detail}{more}",
        evidence=tuple(Evidence(file="original.pdf", page=n, bbox=None, text="") for n in nos[:50]),
        pages=tuple(nos),
        message_pages=tuple(named),
    )
