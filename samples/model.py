"""The sample generator's scenario model: one evidence bundle as plain data.

A ``Scenario`` is built from a seed (``samples.scenario``), optionally damaged by
planted defects (``samples.defects``), drawn to PDF pages (``samples.render``),
optionally degraded into a scan (``samples.scan``), and described by a ground-truth
file (``samples.truth``). Every stage reads and writes only these types, so the
builder and the renderer can change independently.

Dates are ``datetime.date``; times of day are ``"HH:MM"`` strings; flows L/min;
durations minutes; masses µg; concentrations mg/m³.

Over 600 lines: the whole bundle's data model and the defect-kind table in one place,
plain dataclasses with no logic, so the builder, planters, renderers and truth writer
agree on one vocabulary.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional


# --------------------------------------------------------------------------- people
@dataclass
class Person:
    name: str
    roles: list[str]  # registry roles, e.g. ["采样", "现场调查"], ["检验"], ["审核"]
    specialty: str  # 专业, e.g. "卫生工程", "分析化学"
    title: str = ""  # 职务 such as "技术负责人", "质量负责人", "授权签字人"


@dataclass
class Identity:
    """The institution (技术服务机构) as the QC center's registry knows it."""

    name: str
    aliases: list[str]
    certificate_no: str
    address: str
    lab_address: str
    phone: str
    website: str
    email: str
    legal_rep: str
    valid_from: dt.date
    valid_to: dt.date
    scope_industries: list[str]
    scope_factors: list[str]
    staff: list[Person]  # registered staff (submission.json)
    technical_director: str  # 技术负责人 (a name in staff)
    quality_manager: str
    authorized_signatory: str  # 授权签字人


@dataclass
class Employer:
    """The 用人单位 whose workplace was tested."""

    name: str
    address: str
    contact: str  # 联系人
    phone: str
    industry_code: str  # e.g. "C3391"
    industry_name: str
    workers_total: int
    scale: str  # "大型" / "中型" / ...
    escort: str  # 陪同人 name (employer staff, NOT institution staff)
    products: str  # main products / annual output
    product_names: str = ""  # the products alone, e.g. "铸铁件、球墨铸铁管"
    output_t: float = 0.0  # annual output in tonnes (the figure in ``products``)
    load_pct: int = 0  # production load during the testing (运行工况), % of capacity


# --------------------------------------------------------------------------- factors
@dataclass
class FactorSpec:
    """A hazard factor as measured in this bundle, with the limit truly in force."""

    name: str  # as printed, e.g. "矽尘(总尘)", "苯", "噪声"
    kind: str  # "dust" | "chemical" | "noise"
    pc_twa: Optional[float] = None
    pc_stel: Optional[float] = None
    mac: Optional[float] = None
    unit: str = "mg/m³"  # "dB(A)" for noise
    collector: str = ""  # 空气收集器: "滤膜", "活性炭管", "硅胶管", "吸收管"
    sampling_method: str = ""  # e.g. "GBZ/T 192.1-2007"
    lab_method: str = ""  # e.g. "GBZ/T 300.66-2017"
    lab_instrument: str = ""  # e.g. "电子天平", "气相色谱仪"
    flow_lpm: float = 0.0  # nominal sampling flow
    sample_minutes: int = 0  # nominal minutes per sample
    separator: str = ""  # 预分离器 model, respirable dust only
    sio2_percent: Optional[float] = None  # free-silica content (矽尘 band)
    scope_name: str = ""  # name as in the qualification scope (e.g. "矽尘")
    decimals: int = 2  # decimals printed for concentrations (GB/T 8170 rounding)
    limit_band: str = ""  # the limit row's condition, e.g. "10%≤游离SiO2含量≤50%"
    limit_source: str = ""  # which domain CSV row the limits come from


# --------------------------------------------------------------------------- records
@dataclass
class Post:
    """A job (岗位/工种) at a work location."""

    workshop: str  # 车间
    name: str  # 岗位
    site: str  # 工作地点 / 采样点
    workers: int  # 劳动定员
    shift: str  # 工作班制, e.g. "两班制, 8h/班"
    exposure_hours: float  # 接触时间 per shift
    factors: list[str]  # FactorSpec.name values
    work_content: str = ""


@dataclass
class RawMaterial:
    name: str
    amount: str  # e.g. "1200 t/a"
    components: str  # e.g. "石英砂, SiO2 约 30%"
    # hazardous components the survey names, as qualification-scope names of factors
    # (FactorSpec.scope_name, e.g. "苯", "矽尘"): each must be tested (i059)
    hazards: list[str] = field(default_factory=list)
    # cells the survey's raw-material table prints blank: "amount" | "components" -> what
    # stands there ("", "/", "—"); the report keeps the true values (i032)
    blank: dict[str, str] = field(default_factory=dict)

    def printed(self, what: str) -> str:
        """The survey table's cell for ``what`` ("amount" | "components")."""
        return self.blank[what] if what in self.blank else getattr(self, what)


@dataclass
class Contract:
    contract_no: str
    sign_date: dt.date
    service_content: Optional[str]  # 技术服务内容
    scope: Optional[str]  # 服务范围
    completion_time: Optional[str]  # 完成时间 text, e.g. "合同签订后30个工作日内"
    fee: str
    party_a_duties: list[str]  # 甲方责任 (employer)
    party_b_duties: list[str]  # 乙方责任 (institution)
    party_a_signer: str
    party_b_signer: str
    pages: int = 2
    # 受托方/乙方 when it is not the submitting institution (i021): name, address, phone
    # of that other institution; "" = the institution itself
    party_b_name: str = ""
    party_b_address: str = ""
    party_b_phone: str = ""
    # a clause handing the work to another institution (i021); "" = none. Where it stands:
    # "article" (its own article) | "duty" (one of 乙方责任)
    subcontract_clause: str = ""
    subcontract_place: str = "article"


@dataclass
class ContractReview:
    date: dt.date
    # review points: "法律法规标准" (legal/standard basis), "检测能力", "人员", "设备"
    points: dict[str, bool]
    reviewers: list[str]
    conclusion: str


@dataclass
class WorkdayRecord:
    """One row of 工作日写实."""

    post: str
    workers: Optional[int]  # 接触人数; None = cell left blank (i034)
    shift: str
    exposure_hours: Optional[float]  # 接触时间 h/班; None = cell left blank (i034)
    content: str
    blank_text: str = ""  # what a blank cell shows: "" or "/"


@dataclass
class Survey:
    project_name: str
    project_no: str
    scope: str  # 调查范围
    dates: list[dt.date]
    technicians: list[str]  # institution staff who signed
    escort: Optional[str]  # employer escort who signed, None = missing signature
    workday: list[WorkdayRecord]
    raw_materials: list[RawMaterial]
    processes: str  # 生产工艺流程 ("", "/" or "—" = printed blank, i031)
    equipment: str  # 主要生产设备
    facilities: str  # 职业病防护设施
    ppe: str  # 个体防护用品
    sio2_percent: Optional[float] = None  # 游离SiO2 测定结果
    # what the survey prints where the content would stand when it was not measured:
    # "" = nothing at all, "/" = the result cell left blank, "未测定" = said not measured (i033)
    sio2_blank: str = ""
    # 企业基本情况 as the survey prints it: "name", "address", "scale", "workers",
    # "industry", "products", "contact", "phone" (a blank value = printed blank, i031)
    basics: dict[str, str] = field(default_factory=dict)

    @property
    def protections(self) -> str:
        """Facilities and PPE in one sentence (how older forms print them)."""
        return "；".join(x for x in (self.facilities, self.ppe) if x)


@dataclass
class Equipment:
    equipment_id: str  # unique id, e.g. "AZJC-CY-017"
    name: str  # e.g. "粉尘采样器", "大气采样器", "声级计"
    model: str


@dataclass
class PlanRow:
    post: str
    site: str
    factor: str
    mode: str  # "个体" | "定点"
    points: int  # points or persons for this post+factor
    samples_per_day: int  # samples per point per day (excl. blanks)
    days: int
    minutes: int  # per sample
    flow_lpm: Optional[float]  # None = flow not stated (plan incomplete)
    collector: str
    period: str  # 采样时段, e.g. "08:30-16:30" or "作业高峰时段"


@dataclass
class Plan:
    plan_no: str
    rows: list[PlanRow]
    sampling_dates: list[dt.date]
    equipment: list[str]  # equipment kinds
    storage_conditions: Optional[str]  # None = missing (plan incomplete)
    storage_days: Optional[int]
    author: str
    author_date: dt.date
    reviewer: Optional[str]
    review_date: Optional[dt.date]
    approver: Optional[str]  # should be the technical director
    approver_title: str  # title printed beside the approver, e.g. "技术负责人"
    approve_date: Optional[dt.date]


@dataclass
class Sample:
    sample_id: str
    date: dt.date
    post: str
    site: str
    factor: str
    mode: str  # "个体" | "定点" | "空白"
    start: str  # "HH:MM"
    end: str
    minutes: int
    flow_before: Optional[float]  # None = no calibration recorded
    flow_after: Optional[float]
    pump_id: str
    is_blank: bool = False
    collector: str = ""
    # lab / calculation values (filled by the builder)
    mass_ug: Optional[float] = None  # net mass from the lab sheet
    conc: Optional[float] = None  # mg/m³ as printed in the calculation record
    # "TWA" (long-time), "STEL" / "MAC" (15-min), "TWA/STEL" (15-min fixed-point sample
    # that also stands for a stretch of the shift in C_TWA); "" for blanks
    purpose: str = ""
    # T_i in C_TWA = Σ(C_i·T_i)/8 (hours). None = the sample's own minutes/60
    represent_hours: Optional[float] = None
    subject: str = ""  # 采样对象 (worker wearing the pump) for 个体 samples
    site_blank: bool = False  # the record's 采样地点 cell left blank (i046)

    @property
    def flow(self) -> Optional[float]:
        if self.flow_before is None or self.flow_after is None:
            return self.flow_before or self.flow_after
        return round((self.flow_before + self.flow_after) / 2, 2)

    @property
    def volume_l(self) -> Optional[float]:
        f = self.flow
        return None if f is None else round(f * self.minutes, 1)


@dataclass
class SamplingDay:
    date: dt.date
    weather: str  # "晴", "多云"
    temperature_c: float
    pressure_kpa: float
    humidity_pct: int
    samplers: list[str]  # institution staff who signed (≥2 expected)
    escort: Optional[str]  # employer escort who signed, None = missing
    checker: str  # 复核人
    equipment: list[Equipment]
    calibration_before: bool
    calibration_after: bool
    samples: list[Sample]  # includes blanks


@dataclass
class NoiseMeasurement:
    date: dt.date
    post: str
    site: str
    laeq: float  # dB(A)
    exposure_hours: float
    lex8h: float
    instrument_id: str
    calibrator_before: float  # e.g. 93.8
    calibrator_after: float
    limit: float = 85.0  # dB(A), GBZ 2.2-2007
    judgement: str = ""  # "合格" | "不合格" as printed
    # the field record's own printing where it differs from the report's (i047):
    # L_Aeq as text (e.g. "86.27"), L_EX,8h value, the unit printed in the row's cells
    record_laeq: str = ""
    record_lex: Optional[float] = None
    record_unit: str = ""

    @property
    def rec_laeq(self) -> str:
        return self.record_laeq or f"{self.laeq:.1f}"

    @property
    def rec_lex(self) -> float:
        return self.lex8h if self.record_lex is None else self.record_lex

    @property
    def rec_unit(self) -> str:
        return self.record_unit or "dB(A)"


@dataclass
class Transfer:
    date: dt.date
    time: str
    sender: str
    receiver: str
    condition: str  # 样品状态
    storage: str  # 保存条件
    sample_ids: list[str]


@dataclass
class LabRow:
    sample_id: str
    mass_ug: float
    note: str = ""


@dataclass
class LabSheet:
    factor: str
    receipt_date: dt.date
    analysis_date: dt.date
    method: str
    instrument: str
    instrument_id: str
    curve_r: Optional[float]  # calibration curve correlation (None for gravimetric)
    method_blank: Optional[str]  # e.g. "<0.01 µg" (None = missing)
    qc: Optional[str]  # QC sample / spike recovery text, e.g. "加标回收率 96.5%"
    analyst: str
    reviewer: Optional[str]
    rows: list[LabRow]
    storage: str = ""  # 保存条件 as printed on the sheet
    storage_days: Optional[int] = None  # 保存期限 (days) as printed


@dataclass
class ResultRow:
    """One line of the report's results table (per post and factor)."""

    workshop: str
    post: str
    site: str
    factor: str
    sample_ids: list[str]
    c_twa: Optional[float]  # mg/m³
    c_stel: Optional[float]  # C_STE (15 min) where a PC-STEL exists
    c_mac: Optional[float]  # C_ME where a MAC exists
    limit_twa: Optional[float]  # as printed
    limit_stel: Optional[float]
    limit_mac: Optional[float]
    judgement: str  # "合格" | "不合格"
    date: Optional[dt.date] = None  # sampling day the row's samples were taken


@dataclass
class PostExposure:
    """One post of the report's post and exposure analysis (岗位分析: i057, i058, i060)."""

    workshop: str
    post: str
    workers: int  # 劳动定员
    shift: str  # 工作班制
    content: str  # 工作内容/作业方式 ("", "/" or "—" = printed blank, i058)
    factors: list[str]  # 接触危害因素 (FactorSpec.name values)
    exposure_hours: float  # 接触时间 h/d
    frequency: str  # 接触频度/方式, e.g. "每班连续接触", "间断接触，每班约4次"


@dataclass
class TeamMember:
    name: str
    role: str  # 分工, e.g. "项目负责人", "现场调查", "采样", "检验", "报告编写"
    specialty: str


@dataclass
class Report:
    report_no: str
    title: str
    issue_date: dt.date
    author: Optional[str]  # 编写人
    reviewer: Optional[str]  # 审核人
    issuer: Optional[str]  # 签发人 (授权签字人)
    team: list[TeamMember]
    results: list[ResultRow]
    noise: list[NoiseMeasurement]
    basis: list[str]  # 检测依据 / 评价依据
    conclusions: list[str]
    recommendations: list[str]
    # 超标原因分析, one per exceeding post (i066); where the report prints them:
    # "section_before" / "section_after" the conclusions (own heading), "in_conclusion"
    cause_analyses: list[str] = field(default_factory=list)
    cause_place: str = "section_before"
    # 基本情况 as the report states it (i054): headcount, products, annual output (t) and
    # the production load during the testing (运行工况)
    workers_total: Optional[int] = None
    products_text: str = ""
    output_t: Optional[float] = None
    load_pct: Optional[int] = None
    materials: list[RawMaterial] = field(default_factory=list)  # 原辅材料 as the report lists them (i056)
    post_analysis: list[PostExposure] = field(default_factory=list)  # i057, i058, i060
    # how this report prints that content: "basics"/"basis" variant "0".."2",
    # "materials" and "posts": "table" | "prose"
    layout: dict[str, str] = field(default_factory=dict)


@dataclass
class DisclosedItem:
    """One required item of the public disclosure (i026) as the 公示 record shows it."""

    key: str  # one of DISCLOSURE_KEYS
    label: str  # as printed, e.g. "用人单位陪同人"
    value: str  # the published value ("" / "/" = printed blank; "未公示" = said not published)
    mark: str  # the checklist's mark: "是" / "已公示" (published), "否" / "未公示", "" (blank)


# what seed 002 item 26 asks the disclosure to carry
DISCLOSURE_KEYS = ("name", "address", "contact", "escort", "team", "times", "images")
DISCLOSURE_YES = ("是", "已公示")


@dataclass
class Disclosure:
    submitted_date: dt.date  # 报送 to the national information system
    public_date: dt.date  # 网站公示
    items: list[str]
    url: str
    # how the record shows what was published: "checklist" (item + 是/已公示) or
    # "values" (the published values themselves)
    layout: str = "checklist"
    published: list[DisclosedItem] = field(default_factory=list)


@dataclass
class Photo:
    caption: str  # "厂区门口合影", "采样现场 - 混砂岗位"
    timestamp: dt.datetime  # watermark time
    kind: str = ""  # "gate" | "survey" | "sampling" | "noise"
    post: str = ""  # post shown, if any


# --------------------------------------------------------------------------- meta
@dataclass
class Defect:
    """A planted defect and what the pipeline is expected to report for it."""

    kind: str  # key of DEFECT_KINDS
    indicator: Optional[int]
    code: str  # expected finding code
    detail: dict = field(default_factory=dict)  # values that make it a defect
    also: list[str] = field(default_factory=list)  # other codes it may legitimately trigger
    sections: list[str] = field(default_factory=list)  # section types holding the evidence
    evidence: list[str] = field(default_factory=list)  # strings printed at the evidence (ids, names)


@dataclass
class Style:
    """How this institution prints its forms. Varies per bundle."""

    scanned: bool
    dpi: int = 150
    colour: str = "grey"  # "grey" | "colour"
    max_skew_deg: float = 1.5
    date_style: str = "cn"  # "cn" 2022年6月14日 | "iso" 2022-06-14 | "dot" 2022.6.14 | "slash" 2022/06/14 | "cn_upper" 二〇二二年六月十四日
    fullwidth_digits: bool = False  # print digits/colons full-width in some fields
    labels: dict[str, str] = field(default_factory=dict)  # canonical label -> synonym used
    column_order: dict[str, list[str]] = field(default_factory=dict)  # table -> column keys
    layout: int = 0  # layout variant index (header block placement etc.)
    font_scale: float = 1.0
    sample_id_format: str = "S{yymmdd}{nn:02d}"
    rotated_pages: list[int] = field(default_factory=list)  # 1-based pages scanned at 90/180°
    rotation_angles: dict[int, int] = field(default_factory=dict)  # page -> 90 | 180 | 270
    noise_unit_in_cell: bool = False  # the noise record prints "dB(A)" in each cell, not in the column title
    family: str = "a"  # form-design family the bundle is rendered in: "a" (samples.render) | "b" (samples.render_b)


@dataclass
class AnonSpec:
    """The institution's own anonymized copy."""

    present: bool = True
    # channels where the identity was NOT hidden: "seal", "footer", "letterhead",
    # "metadata", "body_text", "certificate_page"
    leaks: list[str] = field(default_factory=list)


DEFECT_KINDS: dict[str, tuple[Optional[int], str, str]] = {
    # kind: (indicator, finding code, what it is)
    "sample_not_analysed": (94, "samples.count_mismatch", "样品已采集但未交接或未分析"),
    "survey_single_technician": (29, "signatures.too_few_technicians", "现场调查记录仅1名技术人员签字"),
    "sampling_single_technician": (41, "signatures.too_few_technicians", "现场采样记录仅1名技术人员签字"),
    "survey_no_escort": (30, "signatures.no_escort", "现场调查记录无用人单位陪同人签字"),
    "sampling_no_escort": (41, "signatures.no_escort", "现场采样记录无用人单位陪同人签字"),
    "plan_approved_after_sampling": (40, "plan.approved_after_sampling", "检测方案审批日期晚于采样日期"),
    "plan_no_director_approval": (40, "plan.no_technical_director_approval", "检测方案无技术负责人审批"),
    "lab_receipt_before_sampling": (68, "lab.received_before_sampling", "实验室样品接收日期早于采样日期"),
    "outside_validity": (19, "qualification.expired", "采样日期超出资质有效期"),
    "factor_out_of_scope": (18, "qualification.factor_out_of_scope", "检测因素超出资质认可的检测项目"),
    "disclosure_late": (25, "disclosure.late", "报告出具后超过15个工作日报送"),
    "contract_incomplete": (27, "contract.incomplete", "合同缺少完成时间或服务范围"),
    "no_contract_review": (28, "contract_review.missing", "无合同评审记录"),
    "plan_incomplete": (36, "plan.incomplete", "检测方案缺少采样流量或样品保存条件"),
    "no_flow_calibration": (50, "sampling.no_flow_calibration", "无采样前/后流量校准记录"),
    "no_field_blank": (51, "sampling.no_field_blank", "某危害因素某采样日无样品空白"),
    "report_unsigned": (52, "report.missing_signature", "报告缺少审核人或签发人签字"),
    "judgement_wrong": (62, "report.judgement_wrong", "超过限值却判定为合格"),
    "wrong_limit": (62, "report.wrong_limit", "报告引用的职业接触限值错误"),
    "calc_not_reproducible": (73, "calc.not_reproducible", "浓度或C_TWA不能由质量、流量、时间复算"),
    "unregistered_signer": (78, "staff.unregistered_signer", "签字人不在机构登记的专业技术人员名单中"),
    "pump_overlap": (80, "equipment.overlapping_use", "同一采样泵同时段在两个地点使用"),
    "photo_timestamp_mismatch": (75, "photos.timestamp_mismatch", "影像资料时间与采样日期不一致"),
    "late_submission": (None, "submission.late", "超过48小时提交"),
    "missing_lab_section": (None, "bundle.missing_section", "缺少实验室分析记录"),
    "anonymized_leak": (None, "anonymized.leak", "隐去机构信息的副本仍显示机构信息"),
    "anonymized_missing": (None, "anonymized.missing", "未提交隐去机构信息的副本"),
    # issue 14: the key indicators and the report's prose
    "survey_incomplete": (31, "survey.incomplete", "现场调查记录某部分（基本情况/工艺/设备/防护设施/个体防护）留空"),
    "workday_incomplete": (34, "survey.workday_incomplete", "工作日写实某岗位接触人数或接触时间留空"),
    "hazard_not_tested": (59, "report.hazard_not_identified", "现场调查识别的危害因素未列入检测方案和检测结果"),
    "conclusion_contradicts": (64, "report.conclusion_wrong", "结论称全部符合限值而结果表有超标"),
    "no_targeted_recommendation": (65, "report.no_targeted_recommendation", "存在超标但建议未针对超标岗位/因素"),
    "no_cause_analysis": (66, "report.no_cause_analysis", "超标岗位无超标原因分析"),
    "stel_duration_wrong": (46, "sampling.period_nonstandard", "短时间（STEL）样品采样时间不是15 min"),
    "sampling_site_blank": (46, "sampling.record_incomplete", "采样记录某样品采样地点留空"),
    "dust_without_sio2": (33, "survey.no_sio2_analysis", "检测矽尘但未测定粉尘中游离SiO2含量"),
    # issue 14 slice 2 (genrep): the report's description against the survey record
    "basis_missing_standard": (53, "report.basis_incomplete", "检测/评价依据缺少应引用的标准（GBZ 159/GBZ 2.1/GBZ 2.2）"),
    "report_basics_mismatch": (54, "report.basics_mismatch", "报告基本情况的劳动者人数或生产规模与现场调查记录不一致"),
    "report_materials_mismatch": (56, "report.materials_mismatch", "报告原辅材料缺少调查记录所列材料或用量不一致"),
    "report_shift_mismatch": (57, "report.shift_mismatch", "报告岗位工作班制或劳动定员与现场调查记录不一致"),
    "report_work_content_missing": (58, "report.work_content_incomplete", "报告某岗位工作内容/作业方式留空或缺该岗位分析"),
    "report_exposure_mismatch": (60, "report.exposure_mismatch", "报告某岗位接触时间与调查记录不一致或漏列检测的危害因素"),
    # issue 14 slice 2 (genadm): administrative items and direct-reading records
    "survey_materials_incomplete": (32, "survey.materials_incomplete", "现场调查原辅材料表某材料用量或主要成分/有害组分留空"),
    "subcontracted": (21, "contract.subcontracted", "合同受托方为其他机构，或约定检测工作分包/转包给其他机构"),
    "disclosure_incomplete": (26, "disclosure.incomplete", "报告公示缺少某项内容（用人单位名称/地址/联系人/陪同人/项目组人员/时间/影像资料）或标为未公示"),
    "noise_lex_wrong": (47, "measurement.direct_reading_wrong", "噪声现场测量记录L_EX,8h计算、修约或单位错误"),
}


@dataclass
class Scenario:
    bundle_id: str
    seed: int  # this bundle's own seed (derived from batch seed + index); drives render/scan noise
    notified_at: dt.datetime
    received_at: dt.datetime
    identity: Identity
    employer: Employer
    factors: dict[str, FactorSpec]  # by FactorSpec.name
    posts: list[Post]
    contract: Contract
    contract_review: Optional[ContractReview]  # None = missing (defect)
    survey: Survey
    plan: Plan
    sampling_days: list[SamplingDay]
    noise: list[NoiseMeasurement]
    transfers: list[Transfer]
    lab_sheets: list[LabSheet]
    report: Report
    disclosure: Disclosure
    photos: list[Photo]
    style: Style
    anonymized: AnonSpec = field(default_factory=AnonSpec)
    defects: list[Defect] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)  # section types left out

    @property
    def samples(self) -> list[Sample]:
        return [s for d in self.sampling_days for s in d.samples]


# --------------------------------------------------------------------------- render output
@dataclass
class Placement:
    """One string drawn on a page, recorded by the renderer for ground truth."""

    page: int  # 1-based
    text: str
    bbox: tuple[float, float, float, float]  # PDF points, top-left origin
    tag: str  # "sample_id", "identity", "seal", "signature", "label", "value", "photo_ts", ...
    channel: str = "text"  # "text" | "seal" | "letterhead" | "footer" | "signature" | "watermark" | "metadata"
    key: Optional[str] = None  # which scenario value this prints (renderer-defined truth key), if any


@dataclass
class RenderedBundle:
    """What the renderer produces for one PDF (original or anonymized copy)."""

    pdf: bytes
    page_types: list[str]  # section type of each page, index 0 = page 1
    placements: list[Placement]
    metadata: dict[str, str] = field(default_factory=dict)
