"""Drawing primitives for the sample-bundle renderer.

``Renderer`` owns the PDF, the placements (ground truth of what was drawn where) and
the anonymization rules; ``PageCtx`` draws on one page; ``Flow`` pours content down
pages of one form and breaks to a new page (with 续表 and a repeated table header)
when it runs out of room; ``table`` and ``header_block`` draw ruled forms.

Coordinates are PDF points, origin top-left; a text ``y`` is the top of its line.

Identity handling: every string drawn through ``PageCtx.text`` is scanned for the
institution's identity strings (name, aliases, certificate no, addresses, phone,
website, email). Each occurrence is recorded as an ``identity`` placement on the
string's channel, and in an anonymized render it is masked unless that channel is
listed in ``scenario.anonymized.leaks``. So a report number or equipment id that
embeds the institution's abbreviation is caught too, wherever the data puts it.

Over 600 lines: one drawing kit whose parts (renderer, page, flow, tables, header blocks)
all write through the same placement and identity bookkeeping; families A and B draw
with it, and their output is pinned byte for byte.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Callable, Optional, Sequence, Union

import pymupdf

from samples.model import Placement, RenderedBundle, Scenario
from samples.render import ink

W, H = 595.28, 841.89  # A4 portrait
ML, MR, MT, MB = 52.0, 52.0, 46.0, 48.0
CW = W - ML - MR  # content width
BLACK = (0, 0, 0)
GREY = (0.35, 0.35, 0.35)
FONT = pymupdf.Font("china-s")
_PLACEMENT_FIELDS = {f.name for f in dataclasses.fields(Placement)}

# Leak channel names (AnonSpec.leaks) -> placement channel they unlock.
LEAK_CHANNEL = {"body_text": "text", "seal": "seal", "footer": "footer", "letterhead": "letterhead",
                "certificate_page": "certificate_page", "metadata": "metadata"}


_ADV: dict[str, float] = {}


def text_width(s: str, size: float) -> float:
    """Advance width of s; per-character cache (Font.text_length is slow per call)."""
    tot = 0.0
    for ch in s:
        a = _ADV.get(ch)
        if a is None:
            a = _ADV[ch] = FONT.text_length(ch, 1.0)
        tot += a
    return tot * size


# --------------------------------------------------------------------------- formatting
_CN_DIGIT = "〇一二三四五六七八九"


def _cn_num(n: int) -> str:
    if n < 10:
        return _CN_DIGIT[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGIT[tens]) + "十" + (_CN_DIGIT[ones] if ones else "")


_FW = str.maketrans("0123456789:", "０１２３４５６７８９：")


class Fmt:
    """Per-institution printing habits taken from ``Style``."""

    def __init__(self, style) -> None:
        self.style = style
        self.fullwidth = bool(style.fullwidth_digits)
        # Most forms use the full-width colon; some templates use the ASCII one.
        self.colon = "：" if (self.fullwidth or style.layout % 2 == 0) else ":"

    def label(self, canonical: str) -> str:
        return self.style.labels.get(canonical, canonical)

    def lc(self, canonical: str) -> str:
        """Label followed by this template's colon."""
        return self.label(canonical) + self.colon

    def fw(self, s: str) -> str:
        """Full-width digits and colons, for the fields this institution types that way."""
        return s.translate(_FW) if self.fullwidth else s

    def date(self, d: Optional[dt.date], style: Optional[str] = None) -> str:
        if d is None:
            return ""
        st = style or self.style.date_style
        if st == "iso":
            return d.isoformat()
        if st == "dot":
            return f"{d.year}.{d.month}.{d.day}"
        if st == "slash":
            return f"{d.year}/{d.month:02d}/{d.day:02d}"
        if st == "cn_upper":
            return "".join(_CN_DIGIT[int(c)] for c in str(d.year)) + f"年{_cn_num(d.month)}月{_cn_num(d.day)}日"
        return f"{d.year}年{d.month}月{d.day}日"

    def hand_date(self, d: Optional[dt.date]) -> str:
        """How people write a date by hand beside a signature."""
        if d is None:
            return ""
        st = self.style.date_style
        return self.date(d, "cn" if st == "cn_upper" else st)


def num(v: Optional[float], nd: int = 2) -> str:
    return "" if v is None else f"{v:.{nd}f}"


def sig_num(v: Optional[float]) -> str:
    """Concentrations as labs print them: 3 significant-ish digits, no float noise."""
    if v is None:
        return ""
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}" if abs(v) >= 0.01 else f"{v:.2g}"


# --------------------------------------------------------------------------- wrapping
_NO_LINE_START = set("，。、；：！？）》」』”’%,.;:!?)]")
_ASCII_RUN = re.compile(r"[A-Za-z0-9.\-_@%+()~:·³²μ]+/?")  # a slash ends a word: PC-STEL/ MAC


def _tokens(s: str, atoms: Sequence[str]) -> list[str]:
    """Split into unbreakable pieces: identity strings, ASCII words, single CJK chars."""
    out: list[str] = []
    i = 0
    while i < len(s):
        for a in atoms:
            if a and s.startswith(a, i):
                out.append(a)
                i += len(a)
                break
        else:
            m = _ASCII_RUN.match(s, i)
            if m:
                out.append(m.group())
                i = m.end()
            else:
                out.append(s[i])
                i += 1
    return out


def wrap(s: str, width: float, size: float, atoms: Sequence[str] = ()) -> list[str]:
    lines: list[str] = []
    for para in s.split("\n"):
        cur = ""
        for tok in _tokens(para, atoms):
            if cur and text_width(cur + tok, size) > width and not (tok[0] in _NO_LINE_START and len(tok) == 1):
                lines.append(cur.rstrip())
                cur = tok.lstrip()
            else:
                cur += tok
        lines.append(cur)
    return lines or [""]


# --------------------------------------------------------------------------- cells
@dataclass
class T:
    """A piece of text with the truth tag it should be recorded under."""

    text: str
    tag: Optional[str] = None
    key: Optional[str] = None


@dataclass
class Sig:
    """A signature cell: a handwritten name (None = nobody signed) and optional date."""

    name: Optional[str]
    date: Optional[dt.date] = None
    key: Optional[str] = None


Cell = Union[None, str, T, Sig, list]


@dataclass
class Col:
    key: str
    title: str
    weight: float
    align: str = "c"


# --------------------------------------------------------------------------- renderer
class Renderer:
    def __init__(self, sc: Scenario, anonymized: bool) -> None:
        self.sc = sc
        self.style = sc.style
        self.fmt = Fmt(sc.style)
        self.anonymized = anonymized
        self.leaks = {LEAK_CHANNEL.get(x, x) for x in (sc.anonymized.leaks or [])} if anonymized else set()
        self.variant = sc.style.layout % 3  # header-block / table family
        self.sub = (sc.style.layout // 3) % 4  # secondary choices (grid style, signature style)
        # About half the institutions print their name in the form footer; always when a leak needs it.
        self.has_footer = self.sub in (1, 2) or "footer" in (sc.anonymized.leaks or [])
        self.fs = max(0.85, min(1.15, sc.style.font_scale or 1.0))
        # Layout randomness: identical in the original and the anonymized render so both
        # have the same pages. Anonymization choices use their own generator.
        self.rng = random.Random(sc.seed * 1_000_003 + 11)
        arng = random.Random(sc.seed * 7 + 5)
        self.mask_mode = arng.choice(["box", "stars", "xxx"])
        self.seal_anon = arng.choice(["omit", "cover"])
        self.doc = pymupdf.open()
        self.pages: list[PageCtx] = []
        self.page_types: list[str] = []
        self.placements: list[Placement] = []
        ident = sc.identity
        terms = [ident.name, ident.lab_address, ident.address, ident.certificate_no, ident.website,
                 ident.email, ident.phone, ident.legal_rep, *ident.aliases]
        # Longest first so the lab address wins over the address it contains.
        self.ident_terms = sorted({t for t in terms if t and len(t) >= 2}, key=len, reverse=True)
        self._ident_re = re.compile("|".join(re.escape(t) for t in self.ident_terms)) if self.ident_terms else None

    # -- pages
    def new_page(self, section: str) -> "PageCtx":
        pg = PageCtx(self, section)
        self.pages.append(pg)
        self.page_types.append(section)
        return pg

    def size(self, base: float) -> float:
        return round(base * self.fs, 2)

    def visible(self, channel: str) -> bool:
        return (not self.anonymized) or channel in self.leaks

    def place(self, page: int, text: str, bbox, tag: str, channel: str = "text", key: Optional[str] = None) -> None:
        kw = {}
        if key and "key" in _PLACEMENT_FIELDS:
            kw["key"] = key
        self.placements.append(Placement(page=page, text=text, bbox=tuple(round(v, 2) for v in bbox),
                                         tag=tag, channel=channel, **kw))

    def split_identity(self, s: str) -> list[tuple[str, bool]]:
        if not self._ident_re or not s:
            return [(s, False)]
        out, i = [], 0
        for m in self._ident_re.finditer(s):
            if m.start() > i:
                out.append((s[i:m.start()], False))
            out.append((m.group(), True))
            i = m.end()
        if i < len(s):
            out.append((s[i:], False))
        return out

    def mask(self, s: str) -> str:
        if self.mask_mode == "stars":
            return "*" * max(3, min(8, len(s)))
        if s == self.sc.identity.name:
            return "XXX机构" if len(s) > 6 else "XXX"
        return "XXXX"

    # -- output
    def finish(self) -> RenderedBundle:
        for pg in self.pages:
            pg.flush()
        meta = self._metadata()
        self.doc.set_metadata(meta)
        if meta.get("author") or meta.get("creator"):
            who = meta.get("author") or meta.get("creator")
            self.doc.set_xml_metadata(
                '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
                f'<dc:creator><rdf:Seq><rdf:li>{_xml(who)}</rdf:li></rdf:Seq></dc:creator>'
                f'<xmp:CreatorTool>{_xml(meta.get("creator", ""))}</xmp:CreatorTool>'
                '</rdf:Description></rdf:RDF></x:xmpmeta>')
        self.doc.subset_fonts()
        pdf = self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
        self.doc.close()
        return RenderedBundle(pdf=pdf, page_types=list(self.page_types), placements=list(self.placements),
                              metadata={k: v for k, v in meta.items() if v})

    def _metadata(self) -> dict[str, str]:
        sc, ident = self.sc, self.sc.identity
        d = sc.report.issue_date
        stamp = f"D:{d.year:04d}{d.month:02d}{d.day:02d}{9 + sc.seed % 8:02d}{sc.seed % 60:02d}00+08'00'"
        if self.anonymized and "metadata" not in self.leaks:
            # Blind copies are exported again with the properties cleared.
            return {"title": "", "author": "", "subject": "", "keywords": "", "creator": "", "producer": "",
                    "creationDate": "", "modDate": ""}
        rng = random.Random(sc.seed * 13 + 1)
        alias = ident.aliases[0] if ident.aliases else ident.name
        if self.style.scanned:
            creator = rng.choice([f"{alias}-SCAN0{rng.randint(1, 4)}", f"Canon iR-ADV C5535 ({ident.name})",
                                  f"{ident.name}扫描工作站"])
            producer = rng.choice(["Canon iR-ADV C5535 PDF", "KODAK Capture Pro", "ScanSnap Manager #iX1600"])
        else:
            creator = rng.choice(["WPS Office", "Microsoft® Word 2016", "Microsoft® Excel® 2016"])
            producer = rng.choice(["WPS Office", "Microsoft® Word 2016", "福昕PDF编辑器"])
        meta = {"title": sc.report.title, "author": ident.name, "subject": sc.report.report_no,
                "keywords": "", "creator": creator, "producer": producer,
                "creationDate": stamp, "modDate": stamp}
        self.place(0, ident.name, (0, 0, 0, 0), "identity", "metadata")
        if ident.name in creator:
            pass  # recorded above
        elif alias in creator:
            self.place(0, alias, (0, 0, 0, 0), "identity", "metadata")
        return meta


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- page
class PageCtx:
    """Drawing on one page. Ops are buffered and replayed by ``flush`` in z-order:
    images (seals, signatures, photos) first, then fills and rules, then text on top,
    so black text stays black over red seal ink as with real stamping."""

    def __init__(self, r: Renderer, section: str) -> None:
        self.r = r
        self.section = section
        r.doc.new_page(width=W, height=H)
        self.no = r.doc.page_count
        self.writers: dict[tuple, pymupdf.TextWriter] = {}
        self.ops: list[tuple] = []
        self.images: list[tuple] = []
        self._flushed = False

    # -- low level
    def _writer(self, color, bold: bool) -> pymupdf.TextWriter:
        k = (tuple(color), bold)
        if k not in self.writers:
            self.writers[k] = pymupdf.TextWriter(pymupdf.Rect(0, 0, W, H))
        return self.writers[k]

    def flush(self) -> None:
        if self._flushed:
            return
        self._flushed = True
        page = self.r.doc[self.no - 1]
        for rect, data in self.images:
            page.insert_image(pymupdf.Rect(rect), stream=data, keep_proportion=False)
        shape = page.new_shape()
        for op in self.ops:
            if op[0] == "line":
                _, p0, p1, w, color, dashes = op
                shape.draw_line(p0, p1)
                shape.finish(width=w, color=color, dashes=dashes)
            else:
                _, rect, w, color, fill = op
                shape.draw_rect(pymupdf.Rect(rect))
                shape.finish(width=w, color=color, fill=fill, fill_opacity=1)
        shape.commit()
        for (color, bold), tw in self.writers.items():
            tw.write_text(page, color=color, render_mode=2 if bold else 0)

    def line(self, x0, y0, x1, y1, w: float = 0.6, color=BLACK, dashes: Optional[str] = None) -> None:
        self.ops.append(("line", (x0, y0), (x1, y1), w, color, dashes))

    def rect(self, x0, y0, x1, y1, w: float = 0.6, color=BLACK, fill=None) -> None:
        self.ops.append(("rect", (x0, y0, x1, y1), w, color, fill))

    def image(self, rect, data: bytes) -> None:
        self.images.append((tuple(rect), data))

    # -- text
    def _raw(self, x: float, y: float, s: str, size: float, color, bold: bool) -> float:
        if s:
            self._writer(color, bold).append((x, y + size * 0.95), s, font=FONT, fontsize=size)
        return text_width(s, size)

    def text(self, x: float, y: float, s: str, size: float = 10.5, *, bold: bool = False, color=BLACK,
             align: str = "l", tag: Optional[str] = None, key: Optional[str] = None, channel: str = "text",
             ident: bool = False, scale: bool = True) -> tuple[float, float, float, float]:
        """Draw one line; returns its bbox. ``ident``: the whole string is an identity string."""
        if s is None or s == "":
            return (x, y, x, y)
        r = self.r
        size = r.size(size) if scale else size
        runs = [(s, True)] if ident else r.split_identity(s)
        show = r.visible(channel)
        shown = [(t, is_id, (t if (not is_id or show) else r.mask(t))) for t, is_id in runs]
        total = sum(text_width(t if (is_id and not show and r.mask_mode == "box") else d, size) for t, is_id, d in shown)
        if align == "c":
            x -= total / 2
        elif align == "r":
            x -= total
        cx = x
        for t, is_id, disp in shown:
            if is_id and not show:
                if r.mask_mode == "box":
                    wdt = text_width(t, size)
                    self.rect(cx, y - size * 0.05, cx + wdt, y + size * 1.2, w=0, color=None, fill=BLACK)
                    cx += wdt
                else:
                    cx += self._raw(cx, y, disp, size, color, bold)
                continue
            wdt = self._raw(cx, y, disp, size, color, bold)
            if is_id:
                r.place(self.no, t, (cx, y - size * 0.05, cx + wdt, y + size * 1.25), "identity", channel)
            cx += wdt
        bbox = (x, y - size * 0.05, cx, y + size * 1.25)
        if tag and tag != "identity":
            r.place(self.no, s, bbox, tag, channel, key)
        return bbox

    def para(self, x: float, y: float, s: str, width: float, size: float = 10.5, lead: float = 1.75,
             indent: bool = False, **kw) -> float:
        """Wrapped paragraph; returns the y below it."""
        size_s = self.r.size(size)
        lines = wrap(("\u3000\u3000" if indent else "") + s, width, size_s, self.r.ident_terms)
        for ln in lines:
            self.text(x, y, ln, size, **kw)
            y += size_s * lead
        return y

    # -- ink
    def signature(self, x: float, y: float, name: Optional[str], h: float = 18.0, key: Optional[str] = None,
                  max_w: Optional[float] = None) -> float:
        """Handwritten name with its left edge at x, vertically centred on y. Returns width."""
        rng = self.r.rng
        if not name:
            return 0.0
        if name in self.r.ident_terms and not self.r.visible("signature"):
            # A signature that is an identity string (the legal representative) goes
            # through the same masking rule as printed text; staff signatures stay.
            return 0.0
        png, aspect = ink.handwriting_png(name, rng)
        h = h * rng.uniform(0.9, 1.12)
        w = h * aspect
        if max_w and w > max_w:
            w, h = max_w, max_w / aspect
        x += rng.uniform(0, 4)
        y += rng.uniform(-2, 2)
        rect = (x, y - h / 2, x + w, y + h / 2)
        self.image(rect, png)
        self.r.place(self.no, name, rect, "signature", "signature", key)
        return w

    def hand_date(self, x: float, y: float, d: Optional[dt.date], h: float = 13.0, key: Optional[str] = None) -> float:
        if d is None:
            return 0.0
        s = self.r.fmt.hand_date(d)
        png, aspect = ink.handwriting_png(s, self.r.rng, px=44, flourish=False)
        w = h * aspect
        rect = (x, y - h / 2, x + w, y + h / 2)
        self.image(rect, png)
        self.r.place(self.no, s, rect, "value", "signature", key)
        return w

    def seal(self, cx: float, cy: float, *, owner: str = "institution", bottom: str = "检测专用章",
             d: float = 118.0, channel: str = "seal") -> None:
        """A red round seal centred at (cx, cy). ``owner``: institution | employer | authority | contractor."""
        r, rng = self.r, self.r.rng
        sc = r.sc
        name = {"institution": sc.identity.name, "employer": sc.employer.name,
                "authority": _authority(sc.identity.certificate_no),
                "contractor": sc.contract.party_b_name}[owner]  # another institution as 乙方 (i021)
        cx += rng.uniform(-10, 10)
        cy += rng.uniform(-6, 6)
        png = ink.seal_png(name, bottom, rng)  # drawn in both renders: keeps the rng in step
        rect = (cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2)
        if owner == "institution" and not r.visible(channel):
            if r.seal_anon == "cover":  # blacked out on the blind copy
                self.rect(*rect, w=0, color=None, fill=BLACK)
            return
        self.image(rect, png)
        if owner == "institution":
            r.place(self.no, name, rect, "identity", channel)
        else:
            tag = {"employer": "employer_seal", "contractor": "contractor_seal"}.get(owner, "authority_seal")
            r.place(self.no, name, rect, tag, "seal")


_PROVINCES = {"京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
              "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省",
              "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省",
              "粤": "广东省", "琼": "海南省", "川": "四川省", "蜀": "四川省", "贵": "贵州省", "黔": "贵州省",
              "云": "云南省", "滇": "云南省", "陕": "陕西省", "甘": "甘肃省", "陇": "甘肃省", "青": "青海省",
              "蒙": "内蒙古自治区", "桂": "广西壮族自治区", "藏": "西藏自治区", "宁": "宁夏回族自治区",
              "新": "新疆维吾尔自治区"}


def _authority(cert_no: str) -> str:
    """The issuing health commission, from the province abbreviation that starts a certificate number."""
    return _PROVINCES.get(cert_no[:1], "省") + "卫生健康委员会"


# --------------------------------------------------------------------------- flow
class Flow:
    """Content poured down the pages of one form; breaks pages and numbers them."""

    def __init__(self, r: Renderer, section: str, start: Callable[[PageCtx, bool], float],
                 bottom: float = H - MB - 14) -> None:
        self.r, self.section, self._start = r, section, start
        self.bottom = bottom
        self.pages: list[PageCtx] = []
        self.pg: PageCtx
        self.y = 0.0
        self.new_page(first=True)

    def new_page(self, first: bool = False) -> PageCtx:
        self.pg = self.r.new_page(self.section)
        self.pages.append(self.pg)
        self.y = self._start(self.pg, first)
        return self.pg

    def need(self, h: float) -> bool:
        """Make room for h points; True if that took a new page."""
        if self.y + h > self.bottom:
            self.new_page()
            return True
        return False

    def number(self, fmt: Callable[[int, int], str], pos: str = "bottom", size: float = 9) -> None:
        """Print 第 x 页 共 y 页 on every page of this form once its length is known."""
        n = len(self.pages)
        for i, pg in enumerate(self.pages, 1):
            s = self.r.fmt.fw(fmt(i, n))
            if pos == "bottom":  # on the footer line when there is one
                pg.text(W / 2, H - MB + (22 if self.r.has_footer else 12), s, size, align="c", color=GREY)
            else:
                pg.text(W - MR, MT - 4, s, size, align="r")


def page_no_fmt(variant: int) -> Callable[[int, int], str]:
    return [lambda i, n: f"第 {i} 页 共 {n} 页", lambda i, n: f"第{i}页/共{n}页", lambda i, n: f"共{n}页 第{i}页"][variant % 3]


# --------------------------------------------------------------------------- tables
def _cell_items(v: Cell) -> list[T]:
    if v is None:
        return []
    if isinstance(v, T):
        return [v]
    if isinstance(v, str):
        return [T(v)]
    if isinstance(v, list):
        return [x if isinstance(x, T) else T(str(x)) for x in v]
    return []


def _cell_lines(v: Cell, width: float, size: float, atoms) -> list[tuple[str, Optional[T]]]:
    out: list[tuple[str, Optional[T]]] = []
    for it in _cell_items(v):
        ls = wrap(it.text, width, size, atoms)
        if it.tag and len(ls) > 1:  # tagged values (sample ids, numbers) are never split
            ls = [it.text]
        out += [(ln, it if len(ls) == 1 else None) for ln in ls]
    return out


def table(flow: Flow, cols: list[Col], rows: list[dict], *, size: float = 9.0, grid: str = "full",
          shade: bool = False, cont: str = "续表", min_h: float = 17.0, header_h: Optional[float] = None,
          x0: float = ML, width: float = CW, sig_h: float = 24.0, pad: float = 3.0) -> None:
    """A ruled table poured into ``flow``; repeats the header row after a page break.

    ``grid``: "full" (every rule), "three" (三线表: top/header/bottom rules only),
    "rows" (horizontal rules only, outer box).
    """
    r = flow.r
    sz = r.size(size)
    lh = sz * 1.3
    tot = sum(c.weight for c in cols)
    widths = [width * c.weight / tot for c in cols]
    xs = [x0]
    for w_ in widths:
        xs.append(xs[-1] + w_)
    atoms = r.ident_terms

    def row_height(row: dict) -> float:
        h = min_h
        for c, w_ in zip(cols, widths):
            v = row.get(c.key)
            if isinstance(v, Sig):
                h = max(h, sig_h)
            else:
                n = len(_cell_lines(v, w_ - 2 * pad, sz, atoms))
                h = max(h, n * lh + 2 * pad)
        return h

    head_lines = [wrap(c.title, w_ - 2 * pad, sz, ()) for c, w_ in zip(cols, widths)]
    hh = header_h or max(min_h, max(len(x) for x in head_lines) * lh + 2 * pad)

    def draw_header(first: bool) -> None:
        pg = flow.pg
        if not first and cont:
            pg.text(x0, flow.y, cont, size, bold=True)
            flow.y += sz * 1.6
        y = flow.y
        if shade:
            pg.rect(x0, y, x0 + width, y + hh, w=0, color=None, fill=(0.88, 0.88, 0.88))
        for c, lines, a, b in zip(cols, head_lines, xs, xs[1:]):
            ty = y + (hh - len(lines) * lh) / 2
            for ln in lines:
                pg.text((a + b) / 2, ty, ln, size, align="c", bold=grid == "three")
                ty += lh
        top_w = 1.3 if grid == "three" else 0.8
        pg.line(x0, y, x0 + width, y, top_w)
        pg.line(x0, y + hh, x0 + width, y + hh, 0.8 if grid == "three" else 0.6)
        if grid == "full":
            for x in xs:
                pg.line(x, y, x, y + hh, 0.6)
        elif grid == "rows":
            pg.line(x0, y, x0, y + hh, 0.8)
            pg.line(x0 + width, y, x0 + width, y + hh, 0.8)
        flow.y = y + hh

    def close_rule() -> None:
        flow.pg.line(x0, flow.y, x0 + width, flow.y, 1.3 if grid == "three" else 0.8)

    flow.need(hh + min_h + (sz * 1.6 if cont else 0))
    draw_header(first=True)
    for row in rows:
        h = row_height(row)
        if flow.y + h > flow.bottom:
            close_rule()
            flow.new_page()
            draw_header(first=False)
        pg, y = flow.pg, flow.y
        for c, w_, a, b in zip(cols, widths, xs, xs[1:]):
            v = row.get(c.key)
            if isinstance(v, Sig):
                if v.name:
                    sw = pg.signature(a + 3, y + h / 2, v.name, h=min(18, h - 5), key=v.key, max_w=w_ - 6)
                    if v.date and sw + 40 < w_:
                        pg.hand_date(a + sw + 8, y + h / 2 + 2, v.date)
                continue
            lines = _cell_lines(v, w_ - 2 * pad, sz, atoms)
            ty = y + (h - len(lines) * lh) / 2 + 1
            for ln, it in lines:
                tag = it.tag if it else None
                key = it.key if it else None
                if c.align == "l":
                    pg.text(a + pad, ty, ln, size, tag=tag, key=key)
                elif c.align == "r":
                    pg.text(b - pad, ty, ln, size, align="r", tag=tag, key=key)
                else:
                    pg.text((a + b) / 2, ty, ln, size, align="c", tag=tag, key=key)
                ty += lh
        if grid == "full":
            for x in xs:
                pg.line(x, y, x, y + h, 0.6)
            pg.line(x0, y + h, x0 + width, y + h, 0.6)
        elif grid == "rows":
            pg.line(x0, y, x0, y + h, 0.8)
            pg.line(x0 + width, y, x0 + width, y + h, 0.8)
            pg.line(x0, y + h, x0 + width, y + h, 0.4)
        flow.y = y + h
    close_rule()
    flow.y += 4


def ordered_cols(r: Renderer, table_key: str, cols: list[Col]) -> list[Col]:
    """Apply ``style.column_order[table_key]``: listed keys first in that order, the rest after."""
    order = [k for k in (r.style.column_order.get(table_key) or []) if k in {c.key for c in cols}]
    by = {c.key: c for c in cols}
    # The listed columns trade places among their own slots; columns the order does not
    # name (序号, filter weights, ...) keep where the template has them.
    it = iter(order)
    return [by[next(it)] if c.key in order else c for c in cols]


# --------------------------------------------------------------------------- header blocks
def header_block(flow: Flow, pairs: list[tuple[str, Cell]], *, variant: Optional[int] = None, size: float = 9.5,
                 cols: int = 2) -> None:
    """Header block of a record in one of three templates.

    0 grid: ruled label | value cells, ``cols`` pairs per row, shaded labels.
    1 inline: "label：value" runs on lines, values on fill-in underlines.
    2 boxed: pairs in two columns inside one framed box, no inner rules.
    """
    r = flow.r
    v = r.variant if variant is None else variant
    sz = r.size(size)
    pg = flow.pg
    colon = r.fmt.colon
    if v == 0:
        lw = max(text_width(lbl, sz) for lbl, _ in pairs) + 8
        pair_w = CW / cols
        vw = pair_w - lw
        rows = [pairs[i:i + cols] for i in range(0, len(pairs), cols)]
        for row in rows:
            hs = [max(1, len(_cell_lines(val, vw - 6, sz, r.ident_terms))) for _, val in row]
            h = max(hs) * sz * 1.3 + 7
            flow.need(h)
            pg, y = flow.pg, flow.y
            for i, (lbl, val) in enumerate(row):
                x = ML + i * pair_w
                pg.rect(x, y, x + lw, y + h, w=0, color=None, fill=(0.92, 0.92, 0.92))
                pg.text(x + 4, y + (h - sz * 1.2) / 2, lbl, size)
                ty = y + 3.5
                for ln, it in _cell_lines(val, vw - 6, sz, r.ident_terms):
                    pg.text(x + lw + 4, ty, ln, size, tag=it.tag if it else None, key=it.key if it else None)
                    ty += sz * 1.3
                pg.line(x + lw, y, x + lw, y + h, 0.5)
            for i in range(cols + 1):
                pg.line(ML + i * pair_w, y, ML + i * pair_w, y + h, 0.6)
            pg.line(ML, y, ML + CW, y, 0.6)
            pg.line(ML, y + h, ML + CW, y + h, 0.6)
            flow.y = y + h
        flow.y += 8
    elif v == 1:
        # Inline: pour pairs along lines; each value sits on an underline like a filled-in blank.
        x = ML
        lh = sz * 2.0
        flow.need(lh)
        for lbl, val in pairs:
            items = _cell_items(val)
            txt = " ".join(it.text for it in items) or ""
            lab = lbl + colon
            vw_ = max(text_width(txt, sz) + 16, 60)
            if x > ML and x + text_width(lab, sz) + vw_ > ML + CW:
                x = ML
                flow.y += lh
                flow.need(lh)
            pg, y = flow.pg, flow.y
            if text_width(lab, sz) + vw_ > CW:  # long value: wrap on its own lines
                pg.text(ML, y, lab, size)
                x0 = ML + text_width(lab, sz) + 2
                for ln in wrap(txt, ML + CW - x0 - 4, sz, r.ident_terms):
                    pg.text(x0, flow.y, ln, size)
                    pg.line(x0, flow.y + sz * 1.35, ML + CW, flow.y + sz * 1.35, 0.4)
                    flow.y += lh
                x = ML
                continue
            pg.text(x, y, lab, size)
            x += text_width(lab, sz) + 2
            cx = x + 6
            for it in items:
                cx = pg.text(cx, y, it.text, size, tag=it.tag, key=it.key)[2] + text_width(" ", sz)
            pg.line(x, y + sz * 1.35, x + vw_, y + sz * 1.35, 0.4)
            x += vw_ + 12
        flow.y += lh + 2
    else:
        lh = sz * 1.85
        ncol = 2
        colw = CW / ncol
        lines_needed = []
        for lbl, val in pairs:
            txt = " ".join(it.text for it in _cell_items(val))
            wide = text_width(lbl + colon + txt, sz) > colw - 12
            lines_needed.append(wide)
        # Lay out: wide pairs take a full line, others share lines two by two.
        rows_: list[list[tuple[str, Cell]]] = []
        buf: list[tuple[str, Cell]] = []
        for (p, wide) in zip(pairs, lines_needed):
            if wide:
                if buf:
                    rows_.append(buf)
                    buf = []
                rows_.append([p])
            else:
                buf.append(p)
                if len(buf) == ncol:
                    rows_.append(buf)
                    buf = []
        if buf:
            rows_.append(buf)
        heights = []
        for row in rows_:
            if len(row) == 1:
                txt = " ".join(it.text for it in _cell_items(row[0][1]))
                n = len(wrap(row[0][0] + colon + txt, CW - 16, sz, r.ident_terms))
                heights.append(n * lh)
            else:
                heights.append(lh)
        total = sum(heights) + 8
        flow.need(min(total, flow.bottom - flow.y))
        pg, y0 = flow.pg, flow.y
        y = y0 + 5
        for row, hgt in zip(rows_, heights):
            if y + hgt > flow.bottom:
                break
            for i, (lbl, val) in enumerate(row):
                x = ML + 8 + i * colw
                items = _cell_items(val)
                if len(row) == 1:
                    txt = lbl + colon + " ".join(it.text for it in items)
                    if len(items) == 1 and items[0].tag:
                        bx = pg.text(x, y, lbl + colon, size, bold=False)
                        pg.text(bx[2], y, items[0].text, size, tag=items[0].tag, key=items[0].key)
                    else:
                        yy = y
                        for ln in wrap(txt, CW - 16, sz, r.ident_terms):
                            pg.text(x, yy, ln, size)
                            yy += lh
                else:
                    bx = pg.text(x, y, lbl + colon, size)
                    cx = bx[2]
                    for it in items:
                        cx = pg.text(cx, y, it.text, size, tag=it.tag, key=it.key)[2] + text_width(" ", sz)
            y += hgt
        pg.rect(ML, y0, ML + CW, y + 3, w=0.9)
        flow.y = y + 12


def title(pg: PageCtx, y: float, s: str, size: float = 17.0, sub: Optional[str] = None) -> float:
    """Centred bold form title (and optional subtitle); returns y below."""
    r = pg.r
    sz = r.size(size)
    spaced = s if (r.variant != 2 or len(s) > 8) else " ".join(s)  # short titles are often letter-spaced
    pg.text(W / 2, y, spaced, size, bold=True, align="c")
    y += sz * 1.7
    if sub:
        pg.text(W / 2, y, sub, 10, align="c")
        y += r.size(10) * 1.8
    return y


def sig_line(flow: Flow, items: list[tuple[str, Optional[str], Optional[dt.date], Optional[str]]],
             size: float = 10.0, gap: float = 34.0) -> None:
    """A row of "label：<handwritten name>" signature fields (dates written beside names).

    items: (label, name or None, date or None, truth key)
    """
    r = flow.r
    sz = r.size(size)
    flow.need(gap + 6)
    pg = flow.pg
    y = flow.y + gap / 2
    n = len(items)
    slot = CW / n
    for i, (lbl, name, d, key) in enumerate(items):
        x = ML + i * slot
        bx = pg.text(x, y - sz * 0.6, lbl + r.fmt.colon, size)
        room = slot - (bx[2] - x) - 6
        pg.line(bx[2] + 2, y + sz * 0.75, x + slot - 8, y + sz * 0.75, 0.4)
        if name:
            sw = pg.signature(bx[2] + 4, y, name, h=17, key=key, max_w=min(room, 70) if d else room)
            if d:
                pg.hand_date(bx[2] + 8 + sw, y + 3, d, h=min(12, 12), key=(key + "_date") if key else None)
    flow.y += gap + 6


def render_sections(scenario: Scenario, renderers: dict, *, anonymized: bool = False) -> RenderedBundle:
    """Draw every section a scenario has with one family's section renderers, in the
    renderers' order (archive order), and return the finished bundle. The sections a
    scenario lacks (planted missing, no review, no photos) are the same in every family."""
    r = Renderer(scenario, anonymized)
    missing = set(scenario.missing_sections or [])
    for section, draw in renderers.items():
        if section in missing:
            continue
        if section == "contract_review" and scenario.contract_review is None:
            continue
        if section == "photos" and not scenario.photos:
            continue
        draw(r)
    return r.finish()
