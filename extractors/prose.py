"""The report's prose read with spaCy: sentences, the entities they name, and the claims
they make about the results (items 64, 65, 66).

One blank Chinese pipeline per process (``spacy.blank("zh")``, segmenter ``jieba``,
on a private ``jieba.Tokenizer`` so no global dictionary is touched), with a
``Matcher`` for the statement patterns (exceedance, compliance, each with negation).
Per bundle a ``PhraseMatcher`` is built from its own entities: the posts, workshops,
work sites and factors its records print (report, survey, plan), its raw materials,
and the GBZ 2.1-2019 factor names and their aliases (the OEL tables).

jieba alone glues a name to its neighbour ("破碎工矽尘" → 破碎 / 工矽尘, "符合国家" as
one word), so the text is first cut at every known name and statement word (longest
first, leftmost) and only the rest is segmented by jieba: an entity is then always a
token of its own, whatever surrounds it, and the matchers compare tokens, not strings.
Entities are compared by key (``post_key``, ``factor_key``), not as printed:
"投料岗位" and "投料工" are one post, "矽尘(呼尘)" and "矽尘" one factor, "锰" and
"锰及其无机化合物" one GBZ entry.

The OEL tables are data shipped in ``checks/data`` (copies of ``shared/domain``); they
are read here as files (``OEL_TABLES``), never through the checks package, so the
extractors stay below the checks.
"""
from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .records import BundleRecords, Claim, Mention, Paragraph, Passage, Statement, Val

OEL_TABLES = tuple(Path(__file__).resolve().parent.parent / "checks" / "data" / n
                   for n in ("oel_gbz2.1-2019.csv", "dust_oel_gbz2.1-2019.csv"))

# ------------------------------------------------------------------ statement words (data)

EXCEED = ("超标", "超过", "超出", "超限", "高于", "大于", "超")
COMPLY = ("符合", "合格", "达标", "满足", "低于", "小于")
# words that are about results by themselves (超过 8 小时, 符合程序 are not)
RESULT_VERBS = ("超标", "超限", "合格", "达标")
NEGATORS = ("未", "不", "没有", "没", "无", "非", "并未", "尚未")
# between a negator and its verb: 未发现超标, 未见超标, 没有出现超标
NEG_FILLERS = ("发现", "见", "出现", "检出", "曾", "有", "存在", "均", "都")
# a norm, not a statement: 应符合, 确保不超过, 不得超过 (得 after the negator)
MODALS = ("应", "应当", "应该", "须", "必须", "需", "需要", "确保", "保证", "使", "使其", "力争", "以便", "以",
          "要求", "得", "能", "能够", "要")
RESULT_TERMS = ("结果", "浓度", "强度", "限值", "接触限值", "标准", "卫生标准", "接触水平", "检测值", "测定值",
                "岗位", "工种", "检测点", "危害因素", "噪声")
# the rest of the results (其余岗位均符合; 除……外均符合): says nothing of those named elsewhere
REST = ("其余", "其他", "其它", "另外", "剩余", "余下")
PARTIAL = ("基本", "大部分", "大多数", "多数", "部分", "个别", "绝大部分", "大部")
CLASSIFIERS = ("项", "个", "处", "种", "点", "名", "人", "份", "组", "次", "岗")
CAUSE_MARKERS = ("原因", "由于", "导致", "所致", "造成", "因为", "源于", "归因", "致使")
RECOMMEND_MARKERS = ("建议", "应", "应当", "应该", "宜", "须", "必须", "需", "需要", "务必")
# factor classes a sentence may name instead of a factor
# factor classes a sentence may name instead of a factor; GBZ 2.1-2019's 化学有害因素
# include the dusts, GBZ 2.2's 物理因素 include noise; 毒物 are the chemicals that are no dust
FACTOR_CLASSES = {"粉尘": "dust", "粉尘类": "dust", "生产性粉尘": "dust",
                  "化学有害因素": "chemical", "化学因素": "chemical", "化学物质": "chemical",
                  "化学毒物": "toxic", "毒物": "toxic", "有毒物质": "toxic", "有毒有害物质": "toxic",
                  "物理因素": "physical", "物理有害因素": "physical"}
# which factor kinds (``factor_class``) each class covers
CLASS_COVERS = {"dust": ("dust",), "chemical": ("chemical", "dust"), "toxic": ("chemical",),
                "physical": ("noise", "physical")}
# a verb followed by these is a noun (合格率, 超标倍数, 超标情况), no statement
NOUN_TAILS = ("率", "倍数", "情况", "与否", "证", "品", "性")
_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}

# statement words cut out before jieba (single characters only where no word they sit
# in matters here: 不足 → 不/足 harms nothing, 不符合 → 不/符合 is what is wanted)
_FORCED_WORDS = tuple(dict.fromkeys(
    EXCEED[:-1] + COMPLY + NEGATORS + ("原因", "建议") + REST + PARTIAL + tuple(FACTOR_CLASSES)))

_SENT_END = "。；;！!？?"
_CLAUSE_END = "，,"

# ------------------------------------------------------------------ keys


def _norm(s: Optional[str]) -> str:
    s = (s or "").replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")")
    return re.sub(r"\s+", "", s)


_FRACTION = re.compile(r"\(?(总尘|呼尘|呼吸性粉尘|总粉尘|呼吸性)\)?")
_POST_SUFFIX = re.compile(r"(岗位|工种|岗|工)$")
_SITE_SUFFIX = re.compile(r"(操作位|操作台|操作点|工位|岗位|旁|处|附近|周边|周围|前|侧|区域|区|上方)$")


def post_key(name: Optional[str]) -> str:
    """What a post is compared by: the name without brackets and without its 工 / 岗位 /
    工种 ending (投料工 = 投料岗位 = 投料岗)."""
    n = re.sub(r"\([^)]*\)", "", _norm(name))
    stem = _POST_SUFFIX.sub("", n)
    return stem if stem else n


def place_key(name: Optional[str]) -> str:
    """What a workshop or a work site is compared by (its printed name, spaces and
    bracket styles aside)."""
    return _norm(name)


@lru_cache(maxsize=1)
def _gbz() -> dict[str, str]:
    """GBZ 2.1-2019 alias → the entry's key (its name without qualifiers in brackets).
    Empty when the tables cannot be read: the bundle's own factor names still work."""
    out: dict[str, str] = {}
    for path in OEL_TABLES:
        try:
            rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        except OSError:
            continue
        for r in rows:
            name = _norm(r.get("name_cn"))
            if not name:
                continue
            main, _, sub = name.partition("-")
            key = re.sub(r"\([^)]*\)", "", main) or main
            aliases = {name, main, key}
            if sub:
                aliases.add(sub)  # 铅及其无机化合物(按Pb计)-铅尘 → 铅尘
            for inner in re.findall(r"\(([^)]*)\)", main):
                # 氯(氯气) → 氯气; not qualifiers (按Pb计, 非高原, 全部异构体)
                if len(inner) >= 2 and not re.search(r"按|计|高原|含量|异构|SiO2|%|<|>|≤", inner):
                    aliases.add(inner)
            if "及" in key:
                head, tail = key.split("及", 1)
                if head:
                    aliases.add(head)  # 锰及其无机化合物 → 锰
                if tail and not tail.startswith("其"):
                    aliases.add(tail)  # 氯化氢及盐酸 → 盐酸
            cond = _norm(r.get("condition"))
            if cond and not re.search(r"SiO2|%|<|>|≤|浓度|、", cond) and cond not in ("粉尘", "纤维"):
                aliases.add(cond)  # a dust band named after its substance
            for a in aliases:
                out.setdefault(a, key)
    return out


def factor_key(name: Optional[str]) -> str:
    """What a factor is compared by: its GBZ 2.1 entry when the name is one of the
    entry's names or aliases (矽尘(呼尘) → 矽尘, 锰 → 锰及其无机化合物), else the name
    without its dust fraction and brackets."""
    n = _FRACTION.sub("", _norm(name))
    g = _gbz()
    for t in (n, re.sub(r"\([^)]*\)", "", n)):
        if t in g:
            return g[t]
    return re.sub(r"\([^)]*\)", "", n) or n


def covered_by_class(cls: str, key: str) -> bool:
    """Whether a FACTOR_CLASS mention (its key) covers the factor ``key``."""
    return factor_class(key) in CLASS_COVERS.get(cls, ())


def factor_class(key: str) -> str:
    """dust / noise / physical / chemical for a factor key."""
    if key == "噪声":
        return "noise"
    if re.search(r"尘|纤维|石棉", key):
        return "dust"
    if re.search(r"高温|振动|辐射|电场|磁场|照度|激光|微波|紫外|红外", key):
        return "physical"
    return "chemical"


# ------------------------------------------------------------------ the lexicon


class Lexicon:
    """surface → [(label, key)]: what the text may name, per bundle."""

    def __init__(self) -> None:
        self.entries: dict[str, list[tuple[str, str]]] = {}

    def add(self, label: str, surface: Optional[str], key: str) -> None:
        s = _norm(surface)
        if len(s) < 1 or not key or not re.search(r"[\u4e00-\u9fff]", s):
            return
        lst = self.entries.setdefault(s, [])
        if (label, key) not in lst:
            lst.append((label, key))

    def add_post(self, name: Optional[str]) -> None:
        n = _norm(name)
        k = post_key(n)
        if len(n) < 2 or not k:
            return
        self.add("POST", n, k)
        self.add("POST", re.sub(r"\([^)]*\)", "", n), k)
        if len(k) >= 2:  # other endings of one post: 投料工 / 投料岗位 / 投料岗 / 投料工种
            for suf in ("工", "岗位", "岗", "工种"):
                self.add("POST", k + suf, k)

    def add_place(self, label: str, name: Optional[str]) -> None:
        n = _norm(name)
        if len(n) < 2:
            return
        self.add(label, n, place_key(n))
        if label == "SITE":
            stem = _SITE_SUFFIX.sub("", n)
            if len(stem) >= 3 and stem != n:  # 混合机操作位 → 混合机
                self.add("SITE", stem, place_key(n))

    def add_factor(self, name: Optional[str]) -> None:
        n = _norm(name)
        if not n or not re.search(r"[\u4e00-\u9fff]", n):
            return
        k = factor_key(n)
        for s in (n, _FRACTION.sub("", n), re.sub(r"\([^)]*\)", "", n)):
            self.add("FACTOR", s, k)

    @classmethod
    def for_bundle(cls, records: BundleRecords) -> "Lexicon":
        lex = cls()
        for alias, key in _gbz().items():
            lex.add("FACTOR", alias, key)
        for word, c in FACTOR_CLASSES.items():
            lex.add("FACTOR_CLASS", word, c)
        lex.add("FACTOR", "噪声", "噪声")
        rows = []
        rep = records.report
        if rep is not None:
            rows += list(rep.results) + list(rep.noise)
        s = records.field_survey
        if s is not None:
            rows += list(s.posts) + list(s.workday)
            for r in s.raw_materials:
                lex.add("MATERIAL", _str(r.value("name")), _norm(_str(r.value("name"))))
        if records.detection_plan is not None:
            rows += list(records.detection_plan.rows)
        for r in rows:
            lex.add_post(_str(r.value("post")))
            lex.add_place("WORKSHOP", _str(r.value("workshop")))
            lex.add_place("SITE", _str(r.value("site")))
            f = _str(r.value("factor"))
            if f:
                lex.add_factor(f)
            for part in re.split(r"[、,，;；/]", _str(r.value("factors")) or ""):
                lex.add_factor(part)
        for sh in records.lab_sheets:
            lex.add_factor(_str(sh.factor.value))
        return lex


def _str(v) -> Optional[str]:
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return "、".join(x for x in v if isinstance(x, str)) or None
    return None


# ------------------------------------------------------------------ the pipeline


@lru_cache(maxsize=1)
def nlp():
    """The blank Chinese pipeline (jieba segmenter on a private dictionary) and its
    statement ``Matcher``: built once per process."""
    import jieba
    import spacy
    from spacy.matcher import Matcher

    jieba.setLogLevel(logging.WARNING)
    # Built with the "char" segmenter, then switched to jieba on a private Tokenizer (no
    # word ever reaches jieba's global dictionary): built with "jieba", spaCy would load
    # the global dictionary too, a second 1.2 s load of the same file per process.
    n = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    n.tokenizer.jieba_seg = jieba.Tokenizer()
    n.tokenizer.segmenter = "jieba"
    m = Matcher(n.vocab)
    neg = {"ORTH": {"IN": list(NEGATORS)}}
    fill = {"ORTH": {"IN": list(NEG_FILLERS)}, "OP": "?"}
    exc = {"ORTH": {"IN": list(EXCEED)}}
    ok = {"ORTH": {"IN": list(COMPLY)}}
    m.add("EXCEED", [[exc]])
    m.add("COMPLY", [[ok]])
    m.add("NEG_EXCEED", [[neg, fill, exc]])  # 未超过, 未发现超标 → compliance
    m.add("NEG_COMPLY", [[neg, fill, ok]])  # 不符合, 不合格, 未达标 → exceedance
    m.add("NEG_NEG_COMPLY", [[neg, fill, neg, ok]])  # 未发现不合格 → compliance
    m.add("COUNT", [[{"LIKE_NUM": True}, {"ORTH": {"IN": list(CLASSIFIERS)}}]])
    return n, m


class ProseReader:
    """Sentences of one bundle's report read against its lexicon."""

    def __init__(self, lexicon: Lexicon):
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.nlp, self.matcher = nlp()
        self.lex = lexicon
        self.forced = {w: None for w in _FORCED_WORDS}
        self.forced.update({s: None for s in lexicon.entries})
        self.maxlen = max((len(w) for w in self.forced), default=1)
        self.phrases = PhraseMatcher(self.nlp.vocab)
        for surface, ents in lexicon.entries.items():
            for label, key in ents:
                self.phrases.add(f"{label}\x1f{key}", [Doc(self.nlp.vocab, words=[surface])])

    # -- tokens
    def words(self, text: str) -> list[str]:
        """``text`` cut at every forced word (leftmost, longest), jieba for the rest."""
        out: list[str] = []
        seg = self.nlp.tokenizer.jieba_seg
        i, start = 0, 0
        while i < len(text):
            hit = None
            for ln in range(min(self.maxlen, len(text) - i), 0, -1):
                if text[i:i + ln] in self.forced:
                    hit = ln
                    break
            if hit is None:
                i += 1
                continue
            if start < i:
                out.extend(w for w in seg.cut(text[start:i], HMM=True) if w)
            out.append(text[i:i + hit])
            i += hit
            start = i
        if start < len(text):
            out.extend(w for w in seg.cut(text[start:], HMM=True) if w)
        return out

    def doc(self, text: str):
        from spacy.tokens import Doc

        words = [w for w in self.words(_norm(text)) if w.strip()]
        return Doc(self.nlp.vocab, words=words or [" "], spaces=[False] * max(1, len(words)))

    # -- one sentence
    def mentions(self, doc) -> list[tuple[int, Mention]]:
        """(token index, mention) for every entity the sentence names."""
        out = []
        for mid, s, e in self.phrases(doc):
            label, key = self.nlp.vocab.strings[mid].split("\x1f", 1)
            out.append((s, Mention(label=label, text=doc[s:e].text, key=key)))
        return sorted(out, key=lambda x: x[0])

    def claims(self, doc, ments: Sequence[tuple[int, Mention]], sentence: str) -> list[Claim]:
        from spacy.util import filter_spans

        spans = filter_spans([doc[s:e] for _, s, e in self.matcher(doc)])
        labels = {}
        for mid, s, e in self.matcher(doc):
            labels.setdefault((s, e), self.nlp.vocab.strings[mid])
        # clause index of each token (clauses end at ，)
        clause, k = [], 0
        for t in doc:
            clause.append(k)
            if t.text in _CLAUSE_END:
                k += 1
        words = [t.text for t in doc]
        rest = any(w in REST for w in words) or ("除" in words and any(
            w.endswith("外") for w in words[words.index("除"):]))
        counts_at = [(sp.start, sp.end, clause[sp.start], _count(sp[0].text)) for sp in spans
                     if labels.get((sp.start, sp.end)) == "COUNT"]
        out: list[Claim] = []
        verb_clauses: list[int] = []
        for sp in spans:
            lab = labels.get((sp.start, sp.end))
            if lab in (None, "COUNT"):
                continue
            if sp.end < len(doc) and doc[sp.end].text.startswith(NOUN_TAILS):
                continue  # 合格率为90%: a rate, not a claim
            kind = "comply" if lab in ("COMPLY", "NEG_EXCEED", "NEG_NEG_COMPLY") else "exceed"
            c = clause[sp.start]
            # the count of this verb: the nearest in its clause ("8项合格、2项不合格")
            near = sorted((sp.start - b if b <= sp.start else a - sp.end, n) for a, b, ci, n in counts_at if ci == c)
            count = near[0][1] if near else None
            before = [w for i, w in enumerate(words[:sp.start]) if clause[i] == c]
            if any(w in MODALS for w in before) or any(w in MODALS for w in words[sp.start:sp.end]):
                continue  # a norm or an aim (应符合, 确保不超过, 不得超过), not a statement
            own = [m for i, m in ments if clause[i] == c and m.label != "MATERIAL"]
            if not own:  # the subject in the clauses before, back to the previous verb's
                lo = max(verb_clauses, default=-1)
                own = [m for i, m in ments if lo < clause[i] < c and m.label != "MATERIAL"]
            verb_clauses.append(c)
            about_results = (own or count is not None or any(w in RESULT_TERMS for w in words)
                             or any(w in RESULT_VERBS for w in words[sp.start:sp.end]))
            if not about_results:
                continue
            ctext = "".join(w for w, ci in zip(words, clause) if ci == c)
            if rest:
                scope = "rest"
            elif any(w in PARTIAL for w, ci in zip(words, clause) if ci == c):
                scope = "partial"
            elif count is not None:
                scope = "count"
            elif own:
                scope = "named"
            else:
                scope = "all"
            out.append(Claim(kind=kind, scope=scope, count=count if scope == "count" else None,
                             mentions=_unique(own) if scope in ("named", "rest") else [], clause=ctext))
        return out


def _count(tok: str) -> Optional[int]:
    t = tok.strip()
    if t.isdigit():
        return int(t)
    if t in _CN_NUM:
        return _CN_NUM[t]
    if len(t) == 2 and t[0] == "十" and t[1] in _CN_NUM:
        return 10 + _CN_NUM[t[1]]
    return None


def _unique(ms: Iterable[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in ms:
        if (m.label, m.key) not in seen:
            seen.add((m.label, m.key))
            out.append(m)
    return out


# ------------------------------------------------------------------ passages → statements

_LABELLED_CONCLUSION = re.compile(r"^(?:检测|评价|总)?结论\s*[:：]")


def sentences(par: Paragraph) -> list[tuple[str, Val]]:
    """The sentences of a paragraph (ending at 。；！？), each with the page and box of
    the lines it was printed on (on the page where it starts)."""
    text, spans = "", []
    for v in par.lines:
        t = str(v.value or "")
        spans.append((len(text), len(text) + len(t), v))
        text += t
    text = re.sub(r"^\s*(?:\d{1,2}|[(（]\d{1,2}[)）])\s*[.．、·]?\s*(?!\d)", lambda m: " " * len(m.group(0)), text)
    out = []
    start = 0
    for i, ch in enumerate(text + "。"):
        if ch in _SENT_END or i == len(text):
            seg = text[start:i + 1 if i < len(text) else i].strip()
            if re.search(r"[\u4e00-\u9fff]", seg):
                lines = [v for a, b, v in spans if a < i + 1 and b > start]
                first = lines[0]
                same = [v for v in lines if v.page == first.page and v.bbox is not None]
                box = _union([v.bbox for v in same]) if same else first.bbox
                conf = min((v.conf for v in lines), default=0.0)
                out.append((seg, Val(value=seg, page=first.page, bbox=box, raw=seg, conf=conf)))
            start = i + 1
    return out


def _union(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def read_passages(passages: Sequence[Passage], lexicon: Lexicon) -> list[Statement]:
    """Every sentence of the passages as a ``Statement``."""
    reader = ProseReader(lexicon)
    out: list[Statement] = []
    for p in passages:
        for par in p.paragraphs:
            prev: list[Mention] = []
            for text, val in sentences(par):
                doc = reader.doc(text)
                ments = reader.mentions(doc)
                mentions = _unique(m for _, m in ments)
                part = p.part
                if part == "other" and _LABELLED_CONCLUSION.match(text):
                    part = "conclusion"  # 检测结论：…… on a cover or a summary table
                words = [t.text for t in doc]
                named = [m for m in mentions if m.label != "MATERIAL"]
                if not named and prev:
                    mentions = prev + [m for m in mentions if m.label == "MATERIAL"]
                rec_at = next((i for i, w in enumerate(words) if w in RECOMMEND_MARKERS), None)
                cause_at = next((i for i, w in enumerate(words) if any(w.startswith(c) for c in CAUSE_MARKERS)), None)
                cause = (part == "cause" or cause_at is not None) and not (
                    rec_at is not None and (cause_at is None or rec_at < cause_at))
                claims = reader.claims(doc, ments, text)
                # a cause stated in the 建议 passage ("超标原因分析：……") is no recommendation
                # unless it says 建议 / 应 itself
                recommends = rec_at is not None or (not cause and (
                    part == "recommendation" or (part == "conclusion_recommendation" and not claims)))
                out.append(Statement(part=part, text=val, mentions=mentions, claims=claims,
                                     recommends=recommends, cause=cause))
                if named:
                    prev = named
    return out


def add_prose_facts(records: BundleRecords) -> BundleRecords:
    """``records`` with the report's passages read into statements (entities from every
    record). Never raises: on an error the records come back as they were, with a note."""
    rep = records.report
    if rep is None or not rep.passages:
        return records
    try:
        st = read_passages(rep.passages, Lexicon.for_bundle(records))
        return records.model_copy(update={"report": rep.model_copy(update={"statements": st})})
    except Exception as e:  # prose facts help three checks: never lose the records
        return records.model_copy(update={"notes": records.notes + [f"prose facts failed: {type(e).__name__}: {e}"]})
