"""Typed records per section type (记录类型), every field carrying its provenance.

``Val`` is the one value type: the value, where it was read (page, bbox in PDF
points top-left, the raw text of the cell/line), a confidence in 0..1 and, when the
value could not be found, ``reason`` saying why. A check that needs a field tests
``val.ok`` and, when false, reports "could not extract" with ``val.reason`` instead of
passing.

All records are pydantic v2 models, frozen and JSON round-trippable
(``BundleRecords.model_dump(mode="json")``).
"""
from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.types import BBox, Evidence


class _Rec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ValState(str, Enum):
    """What the extractor knows about a value's place on the form: the typed proof a
    check needs before it says something is *missing* (``reason`` is only for people).

    ``READ``: a value was read. ``EMPTY``: the place where it stands (its label's cell,
    its table cell, its signature slot) was found and nothing was read in it (for a
    signature slot, whether hand-writing was read at all is the slot's ``SlotState``).
    ``ABSENT``: the
    label or column was looked for on every page of the form and is not there.
    ``UNKNOWN``: anything else (a value that could not be parsed, a place not located,
    a form not read whole): never evidence of absence."""

    READ = "read"
    EMPTY = "empty"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class Val(_Rec):
    """A value with provenance: what, where (page, bbox, raw text), how sure, or why missing."""

    value: Any = None
    page: Optional[int] = None
    bbox: Optional[BBox] = None
    raw: str = ""
    conf: float = 0.0
    reason: Optional[str] = None
    # Set by the extractor where it knows; a value that is ok is always READ.
    state: ValState = ValState.UNKNOWN

    @model_validator(mode="after")
    def _read_when_ok(self) -> "Val":
        if self.ok and self.state is not ValState.READ:
            object.__setattr__(self, "state", ValState.READ)  # frozen model: set once, here
        return self

    @property
    def ok(self) -> bool:
        return self.value is not None and self.value != "" and self.value != []

    @property
    def empty(self) -> bool:
        """Its place was found and holds nothing."""
        return self.state is ValState.EMPTY

    @property
    def absent(self) -> bool:
        """Its label or column is not on the form's pages."""
        return self.state is ValState.ABSENT

    def evidence(self, file: str = "original.pdf") -> Evidence:
        return Evidence(file=file, page=self.page, bbox=self.bbox, text=self.raw or str(self.value or ""))

    @classmethod
    def missing(cls, reason: str, page: Optional[int] = None, state: ValState = ValState.UNKNOWN) -> "Val":
        return cls(value=None, reason=reason, page=page, conf=0.0, state=state)


def missing(reason: str, page: Optional[int] = None, state: ValState = ValState.UNKNOWN) -> Val:
    return Val.missing(reason, page, state)


class SlotState(str, Enum):
    """What one signature slot holds, as far as the page tells (see ``extractors/slots.py``).

    ``EMPTY`` is only said when the page's hand-writing was read (text-layer images OCR'd,
    or a scan) and nothing but dates, date words and punctuation lies in the slot;
    ``UNREADABLE`` is everything unclear (hand-writing not read, a mark no name explains,
    the slot not located on its label line); ``LABEL_ABSENT``: no label for the role."""

    SIGNED = "signed"
    EMPTY = "empty"
    UNREADABLE = "unreadable"
    LABEL_ABSENT = "absent"


class SignatureSlot(_Rec):
    """One signature slot read from the page lines, in the upright frame.

    ``text``: what follows the printed label up to the next label on its line, plus lines
    written further right in the label's row (a signature OCR'd as a line of its own);
    ``cjk``: its Chinese characters once dates and date words are removed (runs joined by
    a space); ``below``: Chinese text just under the slot that no printed label starts (a
    second signature stacked under the first: never read as names, it only stops a slot
    from being called empty or single); ``blank``: nothing but dates, date words and
    punctuation; ``readable``: the page's hand-written marks had a chance to be read;
    ``names``: the signer values the record holds for this role on this page."""

    role: str
    label: str = ""
    page: Optional[int] = None
    box: Optional[BBox] = None  # displayed box of the label's line (evidence)
    text: str = ""
    cjk: str = ""
    conf: float = 0.0  # lowest OCR confidence of the lines read
    readable: bool = False
    below: str = ""
    blank: bool = False
    state: SlotState = SlotState.UNREADABLE
    names: list[Val] = Field(default_factory=list)


class PlanTextFacts(_Rec):
    """Words the plan's pages carry anywhere, read only to confirm that something is
    absent (a column or label the table reader did not find). All false: no page text."""

    text_present: bool = False  # the pages have any line at all
    flow_words: bool = False  # 采样流量 or L/min
    storage_words: bool = False  # storage conditions (保存条件, 冷藏, 避光 …)
    period_words: bool = False  # storage period (保存期限, "7天内" …)


class SheetTextFacts(_Rec):
    """Words a sampling form's pages carry anywhere (to confirm absence only).
    ``*_state``: ``ok`` (a number follows the label), ``blank`` (label, no number) or
    ``absent``. All false / absent: no page text."""

    text_present: bool = False  # some non-blank text
    date_written: bool = False  # any date
    time_written: bool = False  # any hh:mm
    temp_with_unit: bool = False  # a number followed by ℃
    pressure_with_unit: bool = False  # a number followed by kPa
    temp_state: str = "absent"  # 气温/温度 label
    pressure_state: str = "absent"  # 大气压/气压 label
    weather_words: bool = False  # 气象 | 天气 | 环境条件
    equipment_words: bool = False  # an equipment label (仪器, 采样器 …) or an id-like code
    calibration_words: bool = False  # 校准
    db_words: bool = False  # dB outside "dB(A)"


class Row(_Rec):
    """One table row: column key → value. ``page``/``bbox`` cover the whole row."""

    fields: dict[str, Val] = Field(default_factory=dict)
    page: Optional[int] = None
    bbox: Optional[BBox] = None

    def get(self, key: str) -> Val:
        return self.fields.get(key) or Val.missing(f"column {key} not in table")

    def value(self, key: str) -> Any:
        v = self.fields.get(key)
        return v.value if v is not None else None


# ------------------------------------------------------------------ per section


class ContractRecord(_Rec):
    """技术服务合同"""

    contract_no: Val = Val()
    project_name: Val = Val()
    party_a: Val = Val()  # 委托方(甲方)
    party_b: Val = Val()  # 受托方(乙方)
    sign_date: Val = Val()  # 签订日期
    service_content: Val = Val()  # 技术服务内容
    scope: Val = Val()  # 服务范围
    completion_time: Val = Val()  # 完成时间
    fee: Val = Val()  # 费用
    party_a_duties: list[Val] = Field(default_factory=list)  # 甲方责任
    party_b_duties: list[Val] = Field(default_factory=list)  # 乙方责任
    signature_dates: list[Val] = Field(default_factory=list)  # 日期 under each party
    signers: list[Val] = Field(default_factory=list)  # names read near the signature block
    seals_present: Val = Val()  # 盖章 / 合同专用章 text seen
    # sentences of the clauses and preamble that speak of 分包 / 转包 / 转委托 / 外包, or
    # name an organisation that carries out part of the work (item 21); the check decides
    # whether one says the work is passed on (negated ones, 乙方不得转包, are kept too)
    subcontract_sentences: list[Val] = Field(default_factory=list)
    # True when every page was read and every numbered clause heading understood: only
    # then is a clause that is not there proven absent (else reason names what was not)
    clauses_read: Val = Val()
    pages: tuple[int, ...] = ()


class ContractReviewRecord(_Rec):
    """合同评审记录"""

    date: Val = Val()
    points: dict[str, Val] = Field(default_factory=dict)  # legal_basis / capability / staff / equipment → bool
    reviewers: list[Val] = Field(default_factory=list)
    conclusion: Val = Val()
    pages: tuple[int, ...] = ()


# The parts of a field survey item 31 asks for, key → what the form calls it (for messages).
SURVEY_PARTS: dict[str, str] = {
    "employer_name": "用人单位名称",
    "address": "单位地址",
    "scale": "企业规模",
    "headcount": "劳动定员（职工人数）",
    "process": "生产工艺流程",
    "equipment": "主要生产设备",
    "facilities": "职业病防护设施",
    "ppe": "个体防护用品",
}


class SurveyFactor(_Rec):
    """One hazard item the survey names: a factor of a post row's factor column
    (``source="post"``, ``where`` the post) or one item of a raw material's components cell
    (``source="material"``, ``where`` the material; whether the item names a factor is for
    the check to decide). ``name.raw`` is the whole cell it was split from."""

    name: Val
    source: str  # "post" | "material"
    where: Val = Val()


class SurveyRecord(_Rec):
    """现场调查记录 (incl. 工作日写实)"""

    project_name: Val = Val()
    project_no: Val = Val()
    employer: Val = Val()
    scope: Val = Val()
    dates: list[Val] = Field(default_factory=list)
    technicians: list[Val] = Field(default_factory=list)
    escort: Val = Val()
    workday: list[Row] = Field(default_factory=list)  # post, workers, shift, exposure_hours, content
    posts: list[Row] = Field(default_factory=list)  # workshop, post, site, workers, shift, exposure_hours, factors
    raw_materials: list[Row] = Field(default_factory=list)  # name, amount, components
    # SURVEY_PARTS key → the part's content: READ (something written), EMPTY (its label or
    # heading found, its content blank or only "/" "—"), ABSENT (no such label or heading
    # on the form's pages), UNKNOWN (found, but where its content ends could not be told)
    parts: dict[str, Val] = Field(default_factory=dict)
    # the factors the posts' factor column names and the items of the raw materials' components
    factors: list[SurveyFactor] = Field(default_factory=list)
    # 游离SiO2 content (%) the survey states (rows as ReportRecord.sio2_pct; a row whose
    # value is unread where the analysis is named without a number read)
    sio2_pct: list[Row] = Field(default_factory=list)
    # the employer's basics as typed values (forms/_report_basics.survey_basics):
    # "headcount" (int), "size"; ``output`` as ReportRecord.output (items 54)
    basics: dict[str, Val] = Field(default_factory=dict)
    output: list[Row] = Field(default_factory=list)
    pages: tuple[int, ...] = ()
    # slots of roles "technician" and "escort" (extractors/slots.py)
    signatures: list[SignatureSlot] = Field(default_factory=list)


class PlanRecord(_Rec):
    """检测方案 / 采样计划"""

    plan_no: Val = Val()
    project_no: Val = Val()
    rows: list[Row] = Field(default_factory=list)  # post, site, factor, mode, points, samples_per_day, days, minutes, flow, collector, period, purpose (TWA/STEL/MAC where a cell says)
    sampling_dates: list[Val] = Field(default_factory=list)
    equipment: Val = Val()
    storage_conditions: Val = Val()
    storage_period: Val = Val()
    author: Val = Val()
    author_date: Val = Val()
    reviewer: Val = Val()
    review_date: Val = Val()
    approver: Val = Val()
    approve_date: Val = Val()
    pages: tuple[int, ...] = ()
    # slots of roles "author", "reviewer", "approver" (extractors/slots.py)
    signatures: list[SignatureSlot] = Field(default_factory=list)
    # what the plan's pages say in words (forms/detection_plan.plan_text_facts)
    text_facts: PlanTextFacts = PlanTextFacts()
    # 游离SiO2 content (%) the plan states (as SurveyRecord.sio2_pct)
    sio2_pct: list[Row] = Field(default_factory=list)


class SamplingSheet(_Rec):
    """现场采样 / 检测记录: one form (one day, one factor group). Noise sheets have ``noise`` rows."""

    kind: str = "air"  # air | noise
    date: Val = Val()
    factors: Val = Val()  # 检测项目 in the header (list[str])
    project_no: Val = Val()
    weather: Val = Val()
    temperature_c: Val = Val()
    pressure_kpa: Val = Val()
    humidity_pct: Val = Val()
    equipment_ids: list[Val] = Field(default_factory=list)
    calibration_before: Val = Val()
    calibration_after: Val = Val()
    rows: list[Row] = Field(default_factory=list)  # sample_id, site, post, factor, mode, start, end, minutes, flow_before, flow_after, pump_id, is_blank, purpose (TWA/STEL/MAC where a cell says)
    noise: list[Row] = Field(default_factory=list)  # post, site, laeq, hours, lex8h, instrument, unit
    # the noise table's level column titles as printed (L_Aeq(dB(A))), by column key
    # ("laeq", "lex8h"), one per page the table stands on: the unit they state (item 47)
    noise_titles: dict[str, list[Val]] = Field(default_factory=dict)
    samplers: list[Val] = Field(default_factory=list)
    escort: Val = Val()
    checker: Val = Val()
    sign_date: Val = Val()
    pages: tuple[int, ...] = ()
    # slots of roles "sampler" and "escort" (extractors/slots.py)
    signatures: list[SignatureSlot] = Field(default_factory=list)
    # what the form's pages say in words (forms/sampling_record.sheet_text_facts)
    text_facts: SheetTextFacts = SheetTextFacts()


class TransferRecord(_Rec):
    """样品交接 / 流转记录"""

    date: Val = Val()
    time: Val = Val()
    declared_count: Val = Val()  # 样品数量 N个
    condition: Val = Val()
    storage: Val = Val()
    rows: list[Row] = Field(default_factory=list)  # sample_id, date, factor, collector, condition, count
    sender: Val = Val()
    receiver: Val = Val()
    sender_date: Val = Val()
    receiver_date: Val = Val()
    pages: tuple[int, ...] = ()


class LabSheet(_Rec):
    """实验室分析原始记录: one sheet per factor."""

    factor: Val = Val()
    method: Val = Val()
    instrument: Val = Val()
    instrument_id: Val = Val()
    receipt_date: Val = Val()
    analysis_date: Val = Val()
    storage: Val = Val()
    storage_days: Val = Val()
    curve_r: Val = Val()
    method_blank: Val = Val()
    qc: Val = Val()
    rows: list[Row] = Field(default_factory=list)  # sample_id, sampling_date, reading, mass, volume, conc, note
    analyst: Val = Val()
    reviewer: Val = Val()
    analyst_date: Val = Val()
    reviewer_date: Val = Val()
    pages: tuple[int, ...] = ()


class CalcRecord(_Rec):
    """数据换算过程记录"""

    rows: list[Row] = Field(default_factory=list)  # sample_id, post_site, flow, volume, minutes, mass, conc, factor
    twa: list[Row] = Field(default_factory=list)  # date, post, site, value, factor, formula (list of (C, T))
    calculator: Val = Val()
    checker: Val = Val()
    pages: tuple[int, ...] = ()


class Paragraph(_Rec):
    """One paragraph of report prose (a numbered item, or the lines between two
    headings), as its printed lines: each a ``Val`` (text, page, box)."""

    lines: list[Val] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(str(v.value or "") for v in self.lines)


class Passage(_Rec):
    """A stretch of the report's text under one heading. ``part``: ``conclusion``
    (五、结论), ``recommendation`` (六、建议), ``conclusion_recommendation`` (结论与建议),
    ``cause`` (超标原因分析) or ``other`` (any other heading, or text before the first).
    ``heading``: the heading line, READ when seen (``other`` text before any heading has
    none). Every line of the report's pages below its heading is in some passage, table
    rows included: a statement that is not in any passage was not printed."""

    part: str = "other"
    heading: Val = Val()
    paragraphs: list[Paragraph] = Field(default_factory=list)


class Mention(_Rec):
    """An entity a statement names: ``label`` POST / WORKSHOP / SITE / FACTOR /
    FACTOR_CLASS (粉尘, 噪声, 化学毒物: a kind of factor) / MATERIAL; ``text`` as
    printed; ``key`` what it is compared by (``extractors.prose.post_key`` /
    ``factor_key`` of the name, the class name for FACTOR_CLASS)."""

    label: str
    text: str
    key: str


class Claim(_Rec):
    """A claim about the results one clause of a statement makes.

    ``kind``: ``comply`` (符合, 合格, 未超过 …) or ``exceed`` (超标, 超过, 不符合 …);
    ``scope``: ``all`` (no post or factor named: every result), ``named`` (about the
    ``mentions``), ``rest`` (其余 / 除…外: the results not named elsewhere),
    ``partial`` (基本符合, 大部分: not every result) or ``count`` (a number of results:
    ``count``)."""

    kind: str
    scope: str
    count: Optional[int] = None
    mentions: list[Mention] = Field(default_factory=list)
    clause: str = ""


class Statement(_Rec):
    """One sentence of the report's prose read for entities and claims
    (``extractors/prose.py``). ``text``: the sentence with the page and box of its lines
    (on the page where it starts); ``part``: its passage's; ``mentions``: what it names
    (a sentence naming nothing takes the names of the sentence before it in its
    paragraph: "……超标。其原因为……"); ``recommends``: a recommendation (in a 建议
    passage, or marked 建议/应 …); ``cause``: a cause analysis (in a 原因分析 passage, or
    marked 原因/由于/导致 … and not a recommendation to analyse)."""

    part: str
    text: Val = Val()
    mentions: list[Mention] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    recommends: bool = False
    cause: bool = False


class CitedStandard(_Rec):
    """One standard the report's 检测依据 / 评价依据 list cites
    (``forms/_report_basics.py``). ``code``: the standard's number without its year
    ("GBZ 159", "GBZ 2.1", "GBZ/T 300.37"), upper-cased, OCR letter/digit confusions
    and full-width forms undone; from the title when only the title is printed (a known
    title, ``TITLES``). ``year``: the year printed after the number, None when none;
    ``text``: the printed item (page, box, raw)."""

    code: str
    year: Optional[int] = None
    title: str = ""
    text: Val = Val()


class PostAnalysis(_Rec):
    """The report's analysis of its posts (items 57, 58, 60): per post its 劳动定员, 工作班制,
    工作内容/作业方式, 接触危害因素, 接触时间 and 接触频度/方式, as a table
    (``extractors/forms/_report_posts``) and/or one passage of sentences per post
    (``add_post_sentences``, once every record is extracted).

    ``table``: rows with keys ``post`` and, where the table has the column, ``workshop``,
    ``site``, ``workers`` (number), ``shift`` (text), ``content``, ``hours`` (h/d, number),
    ``frequency``, ``factors`` (text); a cell of a column the table has but left blank
    is EMPTY. ``table_keys``: the columns the table has. ``sentences``: one row per post
    the prose analyses (the keys its sentences state, each value boxed on its sentence).
    ``pages``: where the analysis stands (table pages and sentence pages)."""

    table: list[Row] = Field(default_factory=list)
    table_keys: list[str] = Field(default_factory=list)
    sentences: list[Row] = Field(default_factory=list)
    pages: tuple[int, ...] = ()


class ReportRecord(_Rec):
    """检测报告"""

    report_no: Val = Val()
    title: Val = Val()
    issue_date: Val = Val()
    author: Val = Val()
    reviewer: Val = Val()
    issuer: Val = Val()
    author_date: Val = Val()
    reviewer_date: Val = Val()
    issuer_date: Val = Val()
    team: list[Row] = Field(default_factory=list)  # name, role, specialty
    results: list[Row] = Field(default_factory=list)  # workshop, post, site, factor, sample_ids, c_twa, c_stel, limit_twa, limit_stel, judgement, unit
    noise: list[Row] = Field(default_factory=list)  # post, site, laeq, hours, lex8h, limit, judgement, unit
    # 游离SiO2 content (%) where the report prints it: value, and workshop/post/site/factor when
    # stated per post in a table (the 矽尘 limit depends on it)
    sio2_pct: list[Row] = Field(default_factory=list)
    conclusions: list[Val] = Field(default_factory=list)
    recommendations: list[Val] = Field(default_factory=list)
    # the report's text under its headings (forms/report.passages), and its sentences read
    # for entities and claims (prose.add_prose_facts, once every record is extracted)
    passages: list[Passage] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    # items 53, 54, 56 (forms/_report_basics.py). ``basis``: the standards the 检测依据 /
    # 评价依据 list cites; ``basis_place``: its heading, READ when the list was read to its
    # end (the next heading), UNKNOWN when its end was not found, ABSENT when no heading
    basis: list[CitedStandard] = Field(default_factory=list)
    basis_place: Val = Val()
    # the employer's basics as the report states them: "headcount" (int, persons), "size"
    # (小型 / 中型 …), "operating" (the sentence on the running conditions during testing),
    # "place" (the 基本情况 / 概况 heading); ``output``: annual output / capacity figures,
    # rows of amount (float, base unit), unit ("t", "m³", "件" …, with "/a" when per year), product
    basics: dict[str, Val] = Field(default_factory=dict)
    output: list[Row] = Field(default_factory=list)
    # the raw materials the report describes (table or prose): rows of name, amount (float,
    # base unit), unit, components; ``materials_place``: where they stand (heading, label or
    # table title), READ when found and read to its end, ABSENT when nowhere
    materials: list[Row] = Field(default_factory=list)
    materials_place: Val = Val()
    # the post analysis (岗位、劳动定员、工作班制、工作内容、接触情况): items 57, 58, 60
    post_analysis: PostAnalysis = PostAnalysis()
    pages: tuple[int, ...] = ()
    # slots of roles "author" / "reviewer" / "issuer" whose name was not read, and "team"
    # (one per team-table row with an unread 签名 cell; ``names`` holds the row's name)
    # (extractors/slots.py: report_slots)
    signatures: list[SignatureSlot] = Field(default_factory=list)


class DisclosureRecord(_Rec):
    """报告报送与公示情况"""

    report_no: Val = Val()
    report_date: Val = Val()
    submitted_date: Val = Val()
    public_date: Val = Val()
    url: Val = Val()
    items: list[Val] = Field(default_factory=list)
    # the published-items table (公示事项 / 是否公示), one Row per item: "item" (its text)
    # and "mark" (是 / 否 / √ / × …; EMPTY when the table has a mark column and the row's
    # cell is blank). ``items_read``: True when the table's header was found and its rows
    # read to a clear end (item 26: an item is "missing" only then)
    item_rows: list[Row] = Field(default_factory=list)
    items_read: Val = Val()
    # what the published page shows (网站公示截图 / 公开信息), by key: employer, address,
    # contact, escort, team, survey_date, sampling_date; EMPTY when the label is printed
    # with nothing after it
    published: dict[str, Val] = Field(default_factory=dict)
    pages: tuple[int, ...] = ()


class PhotoRecord(_Rec):
    """影像资料: one photo (caption + watermark timestamp)."""

    caption: Val = Val()
    timestamp: Val = Val()  # ISO "YYYY-MM-DDTHH:MM"
    # the same watermark read a second time, closer (None when it was read once): the two
    # agreeing rule out a misread digit
    timestamp_again: Val = Val()
    page: Optional[int] = None


class BundleRecords(_Rec):
    """Everything extracted from one bundle, per section type.

    ``notes`` lists what could not be extracted and why (section missing, no header,
    extractor error) so checks can say so instead of passing.
    """

    contract: Optional[ContractRecord] = None
    contract_review: Optional[ContractReviewRecord] = None
    field_survey: Optional[SurveyRecord] = None
    detection_plan: Optional[PlanRecord] = None
    sampling_records: list[SamplingSheet] = Field(default_factory=list)
    sample_transfers: list[TransferRecord] = Field(default_factory=list)
    lab_sheets: list[LabSheet] = Field(default_factory=list)
    data_calculation: Optional[CalcRecord] = None
    report: Optional[ReportRecord] = None
    disclosure: Optional[DisclosureRecord] = None
    photos: list[PhotoRecord] = Field(default_factory=list)
    sample_id_pattern: Optional[str] = None
    notes: list[str] = Field(default_factory=list)

    def sample_ids(self, section: str) -> list[Val]:
        """Sample ids listed in the tables of one section type."""
        rows: list[Row] = []
        if section == "sampling_record":
            rows = [r for s in self.sampling_records for r in s.rows]
        elif section == "sample_transfer":
            rows = [r for t in self.sample_transfers for r in t.rows]
        elif section == "lab_analysis":
            rows = [r for s in self.lab_sheets for r in s.rows]
        elif section == "data_calculation" and self.data_calculation:
            rows = self.data_calculation.rows
        elif section == "report" and self.report:
            out = []
            for r in self.report.results:
                v = r.fields.get("sample_ids")
                if v is not None and v.ok:
                    for sid in v.value:
                        out.append(Val(value=sid, page=v.page, bbox=v.bbox, raw=v.raw, conf=v.conf))
            return out
        return [r.fields["sample_id"] for r in rows if "sample_id" in r.fields and r.fields["sample_id"].ok]


def iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d else None
