"""The report's post analysis (items 57, 58, 60): per post its 劳动定员, 工作班制,
工作内容/作业方式, 接触危害因素, 接触时间 and 接触频度/方式.

Institutions print it two ways, often both:

- a **table** (岗位设置及劳动定员 / 职业病危害因素接触情况): columns in any order, titled
  with any of the synonyms below, wrapped cells; a table with measured values (C_TWA,
  L_Aeq, 判定, 样品编号) is a results table, not this one. ``post_table`` reads it in the
  report extractor (``forms/report.py``), blank cells EMPTY where the table has the column.
- **sentences**, one passage per post ("（1）混合工：劳动定员2人，实行两班制，8h/班；主要
  工作内容为操作混合机……，接触时间8h/d"). Which words are posts is known only once every
  record is extracted (the survey's and the results' post names), so ``add_post_sentences``
  reads them afterwards with the prose reader (``extractors.prose``: spaCy blank zh +
  jieba, the bundle's lexicon), like ``add_prose_facts``.

Values are kept as printed (``raw``) with their box; numbers parsed only when the cell or
phrase states one number plainly (``2人`` yes, ``每班2人`` no: that is not the headcount).
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..layout import PageGrid
from ..prose import Lexicon, ProseReader, sentences
from ..records import BundleRecords, PostAnalysis, Row, Val, ValState
from ..table import Table, TableSpec, find_tables, row_vals

# ---------------------------------------------------------------- column synonyms (data)

POST_COLUMNS = {
    "workshop": ("车间", "部门", "单元", "车间/部门", "生产单元", "作业单元"),
    "post": ("岗位(工种)", "岗位", "工种", "岗位名称", "岗位/工种", "工种/岗位"),
    "site": ("工作地点", "作业地点", "作业场所"),
    "workers": ("劳动定员", "定员", "人数", "作业人数", "接触人数", "岗位定员", "劳动者人数", "在岗人数",
                "接害人数", "定员(人)", "劳动定员(人)"),
    "shift": ("工作班制", "班制", "作业班制", "工作制度", "倒班方式", "班次"),
    "content": ("工作内容", "作业内容", "主要工作内容", "工作内容及作业方式", "工作内容/作业方式",
                "作业内容及接触方式", "工作内容及方式", "作业内容及方式", "岗位职责", "作业方式", "工作方式"),
    "hours": ("接触时间", "接触时间(h/d)", "每班接触时间", "接害时间", "日接触时间", "接触时长",
              "每日接触时间", "接触时间(h)"),
    "frequency": ("接触频度", "接触频次", "接触方式", "接触频度/方式", "接触频度及方式"),
    "factors": ("接触危害因素", "职业病危害因素", "危害因素", "检测因素", "主要职业病危害因素",
                "接触的职业病危害因素", "存在的职业病危害因素", "接触因素"),
    # columns of a results table: a table that has one of them is no post analysis
    "x_value": ("C_TWA", "CTWA", "C_STEL", "C_ME", "L_Aeq", "LAeq", "L_EX,8h", "浓度", "检测结果", "测量结果"),
    "x_limit": ("PC-TWA", "PC-STEL", "MAC", "限值", "接触限值"),
    "x_judgement": ("判定", "结果判定", "判定结果"),
    "x_ids": ("样品编号", "样品编码", "样品标识号", "样品号"),
}
ANALYSIS_KEYS = ("workers", "shift", "content", "hours", "frequency")
_STOPS = ("编制人", "审核人", "签发人", "以下空白")
# a cell that holds nothing but a mark for "not filled"
_BLANK = re.compile(r"^[\s/／—–\-－一无·.。]*$")


def _cjk(t: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", t or ""))


def headcount(text: str) -> Optional[float]:
    """The number of workers a cell or phrase states: ``2``, ``2人``, ``共6人``; None when
    it is no plain headcount (``每班2人``, ``2~3人``, two numbers)."""
    t = re.sub(r"\s+", "", text or "")
    m = re.search(r"(?:共|合计|总计|总数)(\d{1,4})(?:人|名)", t)
    if m:
        return float(m.group(1))
    if re.search(r"每班|/班|每组", t):
        return None
    m = re.fullmatch(r"(\d{1,4})(?:人|名)?", t)
    return float(m.group(1)) if m else None


def hours(text: str) -> Optional[float]:
    """Exposure hours a cell states plainly (``8``, ``7.5h``, ``8小时/天``); None else."""
    t = re.sub(r"\s+", "", text or "")
    m = re.fullmatch(r"(\d{1,2}(?:\.\d{1,2})?)(?:h|小时)?(?:/(?:d|天|日|班))?", t, re.I)
    if not m:
        return None
    x = float(m.group(1))
    return x if 0 < x <= 24 else None


# ---------------------------------------------------------------- the table


def _analysis_table(t: Table) -> bool:
    keys = t.keys
    return "post" in keys and bool(set(ANALYSIS_KEYS) & keys) and not any(k.startswith("x_") for k in keys)


def post_table(gs: Sequence[PageGrid]) -> PostAnalysis:
    """The report's post-analysis table(s): every table with a post column and at least
    one of 劳动定员 / 工作班制 / 工作内容 / 接触时间 / 接触频度 and no measured values."""
    spec = TableSpec("report_posts", POST_COLUMNS, "post", _cjk, min_columns=3, stops=_STOPS)
    rows: list[Row] = []
    keys: list[str] = []
    pages: set[int] = set()
    for t in find_tables(gs, spec):
        if not _analysis_table(t):
            continue
        for r in t.rows:
            row = row_vals(t, r, {"workers": headcount, "hours": hours})
            if not row.get("post").ok or re.match(r"^(?:合计|小计|总计|注|备注|续表)", str(row.value("post"))):
                continue
            # a post row has other cells read; a line the table reader took for a row (the
            # next page's letterhead or caption under a table run on without its titles)
            # has its first cell only
            if sum(1 for k, v in row.fields.items() if k != "post" and v.ok and not _BLANK.match(str(v.raw))) < 2:
                continue
            rows.append(_blank_marks(t, r, row))
            pages.add(t.page)
        keys += [k for k in t.ordered_keys if k not in keys and not k.startswith("x_")]
    return PostAnalysis(table=rows, table_keys=keys, pages=tuple(sorted(pages)))


def _blank_marks(t: Table, r, row: Row) -> Row:
    """Cells holding nothing or only "/", "—", "无" are EMPTY, boxed where the cell stands."""
    fields = dict(row.fields)
    for k, v in row.fields.items():
        if k == "post" or v.ok and not _BLANK.match(str(v.raw or v.value)):
            continue
        if v.raw and not _BLANK.match(v.raw):
            continue  # something printed that did not parse: not blank
        col = next((c for c in t.columns if c.key == k), None)
        rb = r.bbox
        box = (col.x0, rb[1], col.x1, rb[3]) if col is not None and rb else v.bbox
        fields[k] = Val(value=None, page=v.page, bbox=box, raw=v.raw, reason=f"cell {k} blank",
                        state=ValState.EMPTY)
    return row.model_copy(update={"fields": fields})


# ---------------------------------------------------------------- the sentences

_NUM = r"(\d{1,4}(?:\.\d{1,2})?)"
_CN = "一二两三四五六七八九十"
# 两班制 / 三班两运转 / 四班三倒 / 常白班 / 单班 / 做二休一: a shift system
SHIFT_WORDS = re.compile(
    rf"(?:[{_CN}\d]\s*班\s*[{_CN}\d]\s*(?:运转|倒|轮)|[{_CN}\d]\s*班\s*(?:制|倒|轮|轮换|作业)"
    rf"|(?:常|长)\s*白\s*班|白\s*班|单\s*班\s*制?|日\s*班\s*制?|做\s*[{_CN}\d]\s*休\s*[{_CN}\d]"
    rf"|(?:\d+(?:\.\d+)?)\s*(?:h|小时)\s*(?:/|每)\s*班)", re.I)
_WORKERS = (re.compile(rf"(?:劳动定员|定员|人数|作业人员|操作人员|岗位人员|员工|工人|配备|配置)[^，,。；;\d]{{0,6}}?"
                       rf"(\d{{1,4}})\s*(?:人|名)(?!次)"),
            re.compile(rf"(?:共|合计|总计)\s*(\d{{1,4}})\s*(?:人|名)"))
_LONE_WORKERS = re.compile(r"(?<![\d.])(\d{1,4})\s*(?:人|名)(?![次员])")
_HOURS = (re.compile(rf"接触(?:[^，,。；;\d]{{0,8}}?)时间[^，,。；;\d]{{0,6}}?{_NUM}\s*(?:h|小时)", re.I),
          re.compile(rf"(?:每天|每日|日)\s*接触[^，,。；;\d]{{0,8}}?{_NUM}\s*(?:h|小时)", re.I),
          re.compile(rf"接触[^，,。；;\d]{{0,10}}?{_NUM}\s*(?:h|小时)\s*/\s*(?:d|天|日)", re.I))
_CONTENT = re.compile(r"(?:主要)?(?:工作内容|作业内容|工作任务|主要工作|岗位职责|作业方式|工作方式|负责|从事)\s*(?:主要)?\s*"
                      r"(?:为|是|包括|有)?\s*[:：]?\s*([^，,。；;]*)")
_MODE = re.compile(r"(?:接触频度|接触频次|接触方式)\s*(?:为|是)?\s*[:：]?\s*([^，,。；;]*)")
# a sentence led by a post's name and a colon ("投料岗位：", "破碎工(2#线)：")
_LEAD_POST = re.compile(r"^([\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9#]{0,10}(?:工|岗|岗位|工种|操作员|员)"
                        r"(?:\s*[(（][^)）]{1,10}[)）])?)\s*[:：]")
# words that mark a sentence as a post analysis (besides the values above)
_CUES = re.compile(r"定员|班制|运转|倒班|工作内容|作业内容|负责|从事|接触时间|接触频|接触方式|作业方式|工作方式")


def _clause_of(text: str, start: int, end: int) -> str:
    """The clause (between ，；。 marks) holding text[start:end], with a following
    "8h/班"-like clause when it qualifies the shift."""
    lo = max(text.rfind(c, 0, start) for c in "，,；;。：:(（") + 1
    hi = min([i for i in (text.find(c, end) for c in "，,；;。)）") if i >= 0] or [len(text)])
    out = text[lo:hi]
    nxt = re.match(r"[，,]\s*((?:每班)?\s*\d+(?:\.\d+)?\s*(?:h|小时)\s*/?\s*班?)", text[hi:])
    if nxt:
        out += "，" + nxt.group(1)
    return out.strip()


def _values(text: str, where: Val) -> dict[str, Val]:
    """What one sentence of a post's analysis states, each value boxed on the sentence."""
    out: dict[str, Val] = {}

    def put(key, value, raw, state=ValState.READ):
        if key not in out or (not out[key].ok and value is not None):
            out[key] = Val(value=value, page=where.page, bbox=where.bbox, raw=raw, conf=where.conf or 0.9,
                           state=state if value is None else ValState.READ,
                           reason=None if value is not None else f"{key} printed blank")

    for rx in _WORKERS:
        m = rx.search(text)
        if m and not re.search(r"每班\s*$", text[max(0, m.start(1) - 3):m.start(1)]):
            put("workers", float(m.group(1)), m.group(0))
            break
    else:
        # "混合工（2人，两班制）": a lone headcount, not per shift
        ms = list(_LONE_WORKERS.finditer(text))
        if len(ms) == 1 and not re.search(r"(?:每班|班)\s*$", text[:ms[0].start(1)]):
            put("workers", float(ms[0].group(1)), ms[0].group(0))
    m = SHIFT_WORDS.search(text)
    if m:
        put("shift", _clause_of(text, m.start(), m.end()), m.group(0))
    for rx in _HOURS:
        m = rx.search(text)
        if m:
            x = float(m.group(1))
            if 0 < x <= 24:
                put("hours", x, m.group(0))
                break
    m = _CONTENT.search(text)
    if m:
        c = m.group(1).strip()
        if _BLANK.match(c):
            put("content", None, m.group(0), ValState.EMPTY)
        else:
            put("content", c, m.group(0))
    m = _MODE.search(text)
    if m and not _BLANK.match(m.group(1)):
        put("frequency", m.group(1).strip(), m.group(0))
    if "content" not in out and len(out) >= 2:
        rest = _unlabelled(text)
        if rest is not None:
            put("content", rest or None, rest, ValState.EMPTY)
    return out


# clauses that state something else than the work content
_OTHER_CLAUSE = re.compile(r"接触|定员|人数|\d\s*(?:人|名)|班|运转|倒|h\b|小时|频|因素|粉尘|噪声|岗位$", re.I)


def _unlabelled(text: str) -> Optional[str]:
    """The work content a post sentence states without a label ("混合工：2人，两班制，操作混合机，
    接触……"): the clauses after the post's name that state nothing else; "" where such a
    clause is printed blank ("/", "—", or nothing between two commas); None when no
    clause is left over."""
    body = re.sub(r"^[^:：]{1,30}[:：]", "", text)
    clauses = [c.strip() for c in re.split(r"[，,；;。]", body)]
    if clauses and not clauses[-1]:
        clauses = clauses[:-1]  # the sentence's own end
    left = [c for c in clauses if not _OTHER_CLAUSE.search(c)]
    if not left:
        return None
    words = [c for c in left if not _BLANK.match(c)]
    return "，".join(words) if words else ""


def read_post_sentences(records: BundleRecords) -> list[Row]:
    """One row per post the report's prose analyses: the post named (as printed), and
    what its sentences state (``_values``). A sentence that names no post continues the
    post of the sentence before it in its paragraph; a sentence naming two or more posts
    gives each a row holding only ``post`` (named in the analysis, values not told apart);
    the conclusion, recommendation and cause passages are no post analysis."""
    rep = records.report
    if rep is None or not rep.passages:
        return []
    reader = ProseReader(Lexicon.for_bundle(records))
    by_post: dict[str, Row] = {}
    order: list[str] = []
    for p in rep.passages:
        if p.part != "other":
            continue
        for par in p.paragraphs:
            cur: Optional[str] = None
            for text, val in sentences(par):
                doc = reader.doc(text)
                posts = list(dict.fromkeys(re.sub(r"\s+", "", m.text) for _, m in reader.mentions(doc)
                                           if m.label == "POST"))
                if not posts:
                    # "投料岗位：劳动定员3人……": a post no other record names, led by its name
                    m = _LEAD_POST.match(text.strip())
                    if m and _values(text, val):
                        posts = [re.sub(r"\s+", "", m.group(1))]
                facs = [m.text for _, m in reader.mentions(doc) if m.label in ("FACTOR", "FACTOR_CLASS")]
                vals = _values(text, val)
                if len(posts) >= 2:
                    cur = None
                    if (vals or _CUES.search(text)) and len(posts) <= 4:
                        for name in posts:
                            if name not in by_post:
                                order.append(name)
                                by_post[name] = Row(fields={"post": val.model_copy(update={"value": name})},
                                                    page=val.page, bbox=val.bbox)
                    continue
                if posts:
                    cur = posts[0]
                if cur is None or not (vals or (facs and cur in by_post and "接触" in text)):
                    continue
                if facs and "接触" in text:
                    vals["factors"] = val.model_copy(update={"value": "、".join(dict.fromkeys(facs))})
                row = by_post.get(cur)
                if row is None:
                    order.append(cur)
                    row = Row(fields={"post": val.model_copy(update={"value": cur})}, page=val.page, bbox=val.bbox)
                fields = dict(row.fields)
                for k, v in vals.items():
                    if k == "factors" and k in fields and fields[k].ok:
                        fields[k] = fields[k].model_copy(update={"value": f"{fields[k].value}、{v.value}"})
                    elif k not in fields or (not fields[k].ok and v.ok):
                        fields[k] = v
                by_post[cur] = row.model_copy(update={"fields": fields})
    return [by_post[n] for n in order]


def add_post_sentences(records: BundleRecords) -> BundleRecords:
    """``records`` with the report's post-analysis sentences (``read_post_sentences``) in
    ``report.post_analysis.sentences``. Never raises: on an error the records come back
    as they were, with a note."""
    rep = records.report
    if rep is None or not rep.passages:
        return records
    try:
        rows = read_post_sentences(records)
    except Exception as e:  # the post analysis helps three checks: never lose the records
        return records.model_copy(update={"notes": records.notes + [f"post sentences failed: {type(e).__name__}: {e}"]})
    if not rows:
        return records
    pa = rep.post_analysis
    pages = tuple(sorted(set(pa.pages) | {r.page for r in rows if r.page is not None}))
    pa = pa.model_copy(update={"sentences": rows, "pages": pages})
    return records.model_copy(update={"report": rep.model_copy(update={"post_analysis": pa})})
