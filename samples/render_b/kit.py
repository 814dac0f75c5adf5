"""Family B page furniture: one institution's own controlled-form habits.

Family B reuses only the pen (``samples.render.draw``: Renderer, PageCtx, Flow, fonts,
handwriting and seal ink); every form shape here is its own: a ruled control band
(文件编号 / 版本 / 页码) on top of each form, header facts on the first page only,
tables with two-row group titles that may break across pages without their titles,
signatures once at the end of a form, personal name seals, and its own date habits.

All layout choices come from ``BHabits`` (a generator seeded from the scenario seed
only), so the original and the blind copy have identical pages.

Over 600 lines: family B's whole form vocabulary (habits, dates, cells, ink, forms,
tables, signature strip), every piece driven by the same ``BHabits``.
"""
from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence, Union

from PIL import Image, ImageDraw

from samples.render import ink
from samples.render.draw import (T, BLACK, CW, GREY, MB, ML, MR, MT, H, W, Flow, PageCtx, Renderer, text_width,
                                 wrap)

_CN = "〇一二三四五六七八九"
_FW = str.maketrans("0123456789.:/-", "０１２３４５６７８９．：／－")


def _cn_small(n: int) -> str:
    if n < 10:
        return _CN[n]
    t, o = divmod(n, 10)
    return ("" if t == 1 else _CN[t]) + "十" + (_CN[o] if o else "")


# --------------------------------------------------------------------------- habits
@dataclass
class BHabits:
    """How this (family B) institution fills in its forms. Fixed per bundle."""

    rng: random.Random
    code_prefix: str  # e.g. "JC/JL"
    code_year: int
    form_date: str  # "dot" | "slash" | "dash" | "cn" | "spaced"
    head_date: str  # printed dates in headers/covers: "cn_upper" | "cn" | "fw_dot"
    band_every_page: bool  # control band on every page (else first page only + bottom page numbers)
    cont_mark: str  # "续表" | "" (continuation pages carry only the table)
    repeat_titles: bool  # repeat column titles after a page break
    sign_mode: str  # "hand" | "seal" (institution staff signatures)
    two_names_one_ink: bool  # several signers written as one "A、B" in one cell
    blank_place: str  # "rows" | "qc_table" | "remarks" (where field blanks are printed)
    calib_place: str  # "columns" | "table" (flow calibration)
    noise_shares_page: bool  # noise record under the last chemical page of the day
    footer: bool
    transfer_pairs: bool  # two sample columns side by side in the hand-over list
    photos_per_page: int

    def code(self, n: int) -> str:
        return f"{self.code_prefix}-{n:02d}-{self.code_year}"


def habits_for(r: Renderer) -> BHabits:
    sc = r.sc
    rng = random.Random(f"family-b:{sc.seed}")
    h = BHabits(
        rng=rng,
        code_prefix=rng.choice(["JC/JL", "ZY/QR", "ZJ/BG", "JL/ZK", "QP/JL"]),
        code_year=rng.choice([2019, 2020, 2021]),
        form_date=rng.choice(["dot", "slash", "dash", "cn", "spaced"]),
        head_date=rng.choice(["cn_upper", "cn_upper", "cn", "fw_dot"]),
        band_every_page=rng.random() < 0.5,
        cont_mark=rng.choice(["续表", ""]),
        repeat_titles=rng.random() < 0.5,
        sign_mode=rng.choice(["hand", "hand", "seal"]),
        two_names_one_ink=rng.random() < 0.4,
        blank_place=rng.choice(["rows", "rows", "qc_table", "remarks"]),
        calib_place=rng.choice(["columns", "table"]),
        noise_shares_page=rng.random() < 0.5,
        footer=rng.random() < 0.5 or "footer" in (sc.anonymized.leaks or []),
        transfer_pairs=rng.random() < 0.5,
        photos_per_page=rng.choice([4, 6]),
    )
    return h


def B(r: Renderer) -> BHabits:
    h = getattr(r, "_b_habits", None)
    if h is None:
        h = habits_for(r)
        r._b_habits = h  # type: ignore[attr-defined]
    return h


# --------------------------------------------------------------------------- dates
def bdate(d: Optional[dt.date], how: str) -> str:
    if d is None:
        return ""
    if how == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if how == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if how == "dash":
        return d.isoformat()
    if how == "spaced":
        return f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日"
    if how == "cn_upper":
        return "".join(_CN[int(c)] for c in str(d.year)) + f"年{_cn_small(d.month)}月{_cn_small(d.day)}日"
    if how == "fw_dot":
        return f"{d.year}.{d.month}.{d.day}".translate(_FW)
    return f"{d.year}年{d.month}月{d.day}日"


def fdate(r: Renderer, d: Optional[dt.date]) -> str:
    """A date typed into a form field."""
    return bdate(d, B(r).form_date)


def hdate(r: Renderer, d: Optional[dt.date]) -> str:
    """A date printed in a header or on a cover."""
    return bdate(d, B(r).head_date)


def tspan(a: str, b: str, style: int = 0) -> str:
    """A time range in one cell."""
    return [f"{a}—{b}", f"{a}~{b}", f"{a}-{b}"][style % 3]


# --------------------------------------------------------------------------- cells
# Text with a truth tag: the pen's own cell type (family A's ``T``), one definition.
Tx = T


@dataclass
class Ids:
    """Several sample ids in one cell, joined by a separator, never split inside an id."""

    ids: list[str]
    sep: str = "、"


@dataclass
class Ink:
    """A signature cell: names (None/[] = nobody signed)."""

    names: list[str] = field(default_factory=list)
    date: Optional[dt.date] = None
    key: Optional[str] = None


Cell = Union[None, str, Tx, Ids, Ink, list]


@dataclass
class C:
    key: str
    title: str
    weight: float
    align: str = "c"
    group: Optional[str] = None  # two-row title: the group title over this column


def _lines(v: Cell, width: float, size: float, atoms) -> list[tuple[str, Optional[str], Optional[str]]]:
    """(line, tag, key) for a cell."""
    if v is None or isinstance(v, Ink):
        return []
    if isinstance(v, list):  # several pieces stacked in one cell
        return [ln for part in v for ln in _lines(part, width, size, atoms)]
    if isinstance(v, Ids):
        out, cur, cur_ids = [], "", []
        for i, sid in enumerate(v.ids):
            piece = sid + (v.sep if i < len(v.ids) - 1 else "")
            if cur and text_width(cur + piece, size) > width:
                out.append((cur, None, None))
                cur = ""
            cur += piece
        if cur:
            out.append((cur, None, None))
        return out
    if isinstance(v, Tx):
        ls = wrap(v.text, width, size, atoms)
        if v.tag and len(ls) > 1:
            ls = [v.text]
        return [(ln, v.tag if len(ls) == 1 else None, v.key if len(ls) == 1 else None) for ln in ls]
    return [(ln, None, None) for ln in wrap(str(v), width, size, atoms)]


# --------------------------------------------------------------------------- ink
def _name_seal_png(name: str, rng: random.Random) -> bytes:
    """A square personal name seal (私章): name characters + 印, red, read right column first."""
    chars = list(name) + (["印"] if len(name) in (1, 3) else ["之", "印"] if len(name) == 2 else [])
    n = len(chars)
    cols = 2 if n >= 3 else 1
    per = -(-n // cols)
    px = 64
    size_w, size_h = cols * px + 24, per * px + 24
    im = Image.new("L", (size_w, size_h), 0)
    d = ImageDraw.Draw(im)
    d.rectangle([3, 3, size_w - 4, size_h - 4], outline=255, width=7)
    f = ink.pil_font(px - 8)
    for i, ch in enumerate(chars):
        c = cols - 1 - i // per  # right column first
        row = i % per
        x, y = 12 + c * px + 4, 12 + row * px + 2
        d.text((x, y), ch, font=f, fill=255)
    ang = rng.uniform(-6, 6)
    im = im.rotate(ang, resample=Image.BICUBIC, expand=True)
    import numpy as np

    a = np.asarray(im).astype(np.float32) / 255.0
    a = a * np.clip(rng.uniform(0.7, 0.95) + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.12, a.shape), 0.3, 1)
    rgba = np.zeros(a.shape + (4,), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = ink.SEAL_RED
    rgba[..., 3] = (np.clip(a, 0, 1) * 230).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG")
    return buf.getvalue()


def sign(pg: PageCtx, x: float, yc: float, name: Optional[str], *, h: float = 16.0, key: Optional[str] = None,
         max_w: Optional[float] = None, mode: Optional[str] = None) -> float:
    """A signer's mark at x (left), centred on yc: handwriting or a name seal. Returns width."""
    if not name:
        return 0.0
    r = pg.r
    mode = mode or B(r).sign_mode
    if mode != "seal":
        return pg.signature(x, yc, name, h=h, key=key, max_w=max_w)
    if name in r.ident_terms and not r.visible("signature"):
        return 0.0
    hb = B(r)
    png = _name_seal_png(name, hb.rng)
    s = min(h * 1.35, 24.0)
    if max_w and s > max_w:
        s = max_w
    x += hb.rng.uniform(0, 3)
    rect = (x, yc - s / 2, x + s, yc + s / 2)
    pg.image(rect, png)
    r.place(pg.no, name, rect, "signature", "signature", key)
    return s


def sign_many(pg: PageCtx, x: float, yc: float, names: Sequence[str], room: float, *, h: float = 16.0,
              key: Optional[str] = None, one_ink: Optional[bool] = None) -> float:
    """Several signers in one place: separate marks, or one handwritten "A、B"."""
    names = [n for n in names if n]
    if not names:
        return 0.0
    r = pg.r
    hb = B(r)
    one = hb.two_names_one_ink if one_ink is None else one_ink
    if one and len(names) > 1 and hb.sign_mode == "hand" and not any(n in r.ident_terms for n in names):
        return pg.signature(x, yc, "、".join(names), h=h, key=key, max_w=room)
    cx = x
    each = room / len(names)
    for n in names:
        cx += sign(pg, cx, yc, n, h=h, key=key, max_w=each - 5) + 5
    return cx - x


# --------------------------------------------------------------------------- forms
class OnFlow:
    """What a form writes through: its ``flow``'s page, cursor and page breaks."""

    flow: Flow

    @property
    def pg(self) -> PageCtx:
        return self.flow.pg

    @property
    def y(self) -> float:
        return self.flow.y

    @y.setter
    def y(self, v: float) -> None:
        self.flow.y = v

    def need(self, h: float) -> bool:
        return self.flow.need(h)


class Form(OnFlow):
    """One controlled form poured over pages: control band, title on the first page,
    header facts on the first page only, page numbers written once the length is known."""

    def __init__(self, r: Renderer, section: str, title: str, no: int, *, sub: Optional[str] = None,
                 letter: bool = False, band: Optional[bool] = None, cont_mark: Optional[str] = None):
        self.r = r
        self.hb = B(r)
        self.title = title
        self.sub = sub
        self.code = self.hb.code(no)
        self.letter = letter
        self.band = self.hb.band_every_page if band is None else band
        self.cont_mark = self.hb.cont_mark if cont_mark is None else cont_mark
        self.band_boxes: list[tuple[PageCtx, float, float]] = []
        self.flow = Flow(r, section, self._start, bottom=H - MB - 20)

    # page start
    def _start(self, pg: PageCtx, first: bool) -> float:
        r = self.r
        y = MT - 10
        if first and self.letter:
            y = letterhead_b(pg, y)
        if first or self.band:
            y = self._band(pg, y)
        else:
            y += 4
        if first:
            pg.text(W / 2, y + 4, self.title, 15.5, bold=True, align="c")
            y += r.size(15.5) * 1.8
            if self.sub:
                pg.text(W / 2, y - 4, self.sub, 9.5, align="c", color=GREY)
                y += r.size(9.5) * 1.5
        elif self.cont_mark:
            pg.text(ML, y, self.cont_mark, 10, bold=True)
            y += r.size(10) * 1.7
        footer_b(pg, self.code)
        return y

    def _band(self, pg: PageCtx, y: float) -> float:
        """文件编号 | 版本 | 页码 ruled band (page numbers filled in at the end)."""
        h = 15.0
        x1, x2 = ML + CW * 0.42, ML + CW * 0.70
        pg.rect(ML, y, ML + CW, y + h, w=0.5)
        pg.line(x1, y, x1, y + h, 0.5)
        pg.line(x2, y, x2, y + h, 0.5)
        pg.text(ML + 4, y + 3, f"文件编号：{self.code}", 8)
        pg.text(x1 + 4, y + 3, f"版本/修改：{'ABC'[self.hb.code_year % 3]}/{self.hb.code_year % 2}", 8)
        self.band_boxes.append((pg, x2, y))
        return y + h + 8

    # content helpers
    def finish(self) -> None:
        n = len(self.flow.pages)
        boxed = {id(pg) for pg, _, _ in self.band_boxes}
        for pg, x2, y in self.band_boxes:
            i = self.flow.pages.index(pg) + 1
            pg.text(x2 + 4, y + 3, f"第 {i} 页  共 {n} 页", 8)
        for i, pg in enumerate(self.flow.pages, 1):
            if id(pg) not in boxed:
                pg.text(W / 2, H - MB + 6, f"第 {i} 页 共 {n} 页", 8.5, align="c")

    def para(self, s: str, size: float = 10.0, indent: bool = True, lead: float = 1.7, x: float = ML,
             width: float = CW, bold: bool = False, key: Optional[str] = None) -> None:
        """A wrapped paragraph; ``key``: record its lines as prose placements (truth)."""
        r = self.r
        sz = r.size(size)
        lines = wrap(("\u3000\u3000" if indent else "") + s, width, sz, r.ident_terms)
        for ln in lines:
            self.need(sz * lead)
            self.pg.text(x, self.y, ln, size, bold=bold, tag="prose" if key else None, key=key)
            self.y += sz * lead

    def heading(self, s: str, size: float = 11.0, key: Optional[str] = None) -> None:
        sz = self.r.size(size)
        self.need(sz * 3.2)
        self.y += sz * 0.4
        self.pg.text(ML, self.y, s, size, bold=True, tag="label" if key else None, key=key)
        self.y += sz * 1.8


def letterhead_b(pg: PageCtx, y: float) -> float:
    """Institution heading: name left, certificate number right, double rule (letterhead channel)."""
    r = pg.r
    ident = r.sc.identity
    if r.visible("letterhead"):
        pg.text(ML, y, ident.name, 12.5, bold=True, ident=True, channel="letterhead")
        pg.text(W - MR, y + 3, f"资质证号 {ident.certificate_no}", 7.5, align="r", channel="letterhead")
        y += r.size(12.5) * 1.45
        pg.text(ML, y, f"地址 {ident.address}  电话 {ident.phone}  邮箱 {ident.email}", 7.2, channel="letterhead",
                color=GREY)
        y += r.size(7.2) * 1.6
    else:
        y += r.size(12.5) * 1.45 + r.size(7.2) * 1.6
    pg.line(ML, y, W - MR, y, 0.5)
    pg.line(ML, y + 1.8, W - MR, y + 1.8, 1.2)
    return y + 8


def footer_b(pg: PageCtx, code: str) -> None:
    r = pg.r
    if not B(r).footer:
        return
    y = H - MB + 20
    pg.line(ML, y - 2, W - MR, y - 2, 0.3, color=GREY)
    pg.text(W - MR, y, r.sc.identity.name, 7, align="r", ident=True, channel="footer", color=GREY)
    pg.text(ML, y, f"受控表单 {code}", 7, color=GREY)


# --------------------------------------------------------------------------- info grid (header facts)
def info_grid(form: Form, rows: list[list[tuple[str, Cell, float]]], size: float = 9.0) -> None:
    """Ruled label|value grid; each row a list of (label, value, weight of the value cell)."""
    r = form.r
    sz = r.size(size)
    lh = sz * 1.3
    for row in rows:
        lab_w = [text_width(lbl, sz) + 8 for lbl, _, _ in row]
        free = CW - sum(lab_w)
        tot = sum(w_ for _, _, w_ in row) or 1
        val_w = [free * w_ / tot for _, _, w_ in row]
        lines = [_lines(v, vw - 6, sz, r.ident_terms) for (_, v, _), vw in zip(row, val_w)]
        h = max(16.0, max((len(ls) for ls in lines), default=1) * lh + 6)
        form.need(h)
        pg, y = form.pg, form.y
        x = ML
        pg.line(ML, y, ML + CW, y, 0.6)
        for (lbl, v, _), lw, vw, ls in zip(row, lab_w, val_w, lines):
            pg.line(x, y, x, y + h, 0.6)
            pg.text(x + 4, y + (h - sz * 1.2) / 2, lbl, size)
            x += lw
            pg.line(x, y, x, y + h, 0.4)
            if isinstance(v, Ink):
                sign_many(pg, x + 4, y + h / 2, v.names, vw - 8, key=v.key)
            ty = y + (h - len(ls) * lh) / 2 + 1
            for ln, tag, key in ls:
                pg.text(x + 3, ty, ln, size, tag=tag, key=key)
                ty += lh
            x += vw
        pg.line(ML + CW, y, ML + CW, y + h, 0.6)
        pg.line(ML, y + h, ML + CW, y + h, 0.6)
        form.y = y + h
    form.y += 6


# --------------------------------------------------------------------------- tables
def grid(form: Form, cols: list[C], rows: list[dict], *, size: float = 8.5, min_h: float = 17.0,
         repeat_titles: Optional[bool] = None, x0: float = ML, width: float = CW, pad: float = 2.5) -> None:
    """A ruled table with optional two-row group titles, poured into the form.

    After a page break the column titles are repeated only if ``repeat_titles``
    (default: the institution's habit); otherwise the rows just continue.
    """
    r = form.r
    rep = form.hb.repeat_titles if repeat_titles is None else repeat_titles
    sz = r.size(size)
    lh = sz * 1.25
    tot = sum(c.weight for c in cols)
    ws = [width * c.weight / tot for c in cols]
    xs = [x0]
    for w_ in ws:
        xs.append(xs[-1] + w_)
    atoms = r.ident_terms
    grouped = any(c.group for c in cols)
    tl = [wrap(c.title, w_ - 2 * pad, sz, ()) for c, w_ in zip(cols, ws)]
    sub_h = max(len(t) for t in tl) * lh + 2 * pad
    gh = (lh + 2 * pad) if grouped else 0.0
    hh = max(min_h, sub_h + gh)

    def header() -> None:
        pg, y = form.pg, form.y
        # group spans
        i = 0
        while i < len(cols):
            c = cols[i]
            if c.group:
                j = i
                while j + 1 < len(cols) and cols[j + 1].group == c.group:
                    j += 1
                pg.text((xs[i] + xs[j + 1]) / 2, y + pad, c.group, size, align="c")
                pg.line(xs[i], y + gh, xs[j + 1], y + gh, 0.5)
                for k in range(i, j + 1):
                    lines = tl[k]
                    ty = y + gh + (hh - gh - len(lines) * lh) / 2
                    for ln in lines:
                        pg.text((xs[k] + xs[k + 1]) / 2, ty, ln, size, align="c")
                        ty += lh
                    if k > i:
                        pg.line(xs[k], y + gh, xs[k], y + hh, 0.5)
                pg.line(xs[i], y, xs[i], y + hh, 0.6)
                i = j + 1
                continue
            lines = tl[i]
            ty = y + (hh - len(lines) * lh) / 2
            for ln in lines:
                pg.text((xs[i] + xs[i + 1]) / 2, ty, ln, size, align="c")
                ty += lh
            pg.line(xs[i], y, xs[i], y + hh, 0.6)
            i += 1
        pg.line(xs[-1], y, xs[-1], y + hh, 0.6)
        pg.line(x0, y, x0 + width, y, 1.0)
        pg.line(x0, y + hh, x0 + width, y + hh, 0.6)
        form.y = y + hh

    def row_h(row: dict) -> float:
        if "_span" in row:
            return max(min_h, len(wrap(row["_span"], width - 2 * pad, sz, atoms)) * lh + 2 * pad)
        h = min_h
        for c, w_ in zip(cols, ws):
            v = row.get(c.key)
            if isinstance(v, Ink):
                h = max(h, 22.0)
            else:
                h = max(h, len(_lines(v, w_ - 2 * pad, sz, atoms)) * lh + 2 * pad)
        return h

    form.need(hh + min_h * 2)
    header()
    for row in rows:
        h = row_h(row)
        if form.y + h > form.flow.bottom:
            form.pg.line(x0, form.y, x0 + width, form.y, 1.0)
            form.flow.new_page()
            if rep:
                header()
            else:
                form.pg.line(x0, form.y, x0 + width, form.y, 1.0)
        pg, y = form.pg, form.y
        if "_span" in row:  # one cell across the table (a group heading such as a date)
            ty = y + pad + 0.5
            for ln in wrap(row["_span"], width - 2 * pad, sz, atoms):
                pg.text(x0 + pad + 2, ty, ln, size, bold=True)
                ty += lh
            pg.line(x0, y, x0, y + h, 0.5)
            pg.line(x0 + width, y, x0 + width, y + h, 0.5)
            pg.line(x0, y + h, x0 + width, y + h, 0.5)
            form.y = y + h
            continue
        for c, w_, a, b in zip(cols, ws, xs, xs[1:]):
            v = row.get(c.key)
            if isinstance(v, Ink):
                sign_many(pg, a + 3, y + h / 2, v.names, w_ - 6, h=min(15, h - 5), key=v.key)
                continue
            ls = _lines(v, w_ - 2 * pad, sz, atoms)
            ty = y + (h - len(ls) * lh) / 2 + 0.5
            for ln, tag, key in ls:
                if c.align == "l":
                    pg.text(a + pad, ty, ln, size, tag=tag, key=key)
                else:
                    pg.text((a + b) / 2, ty, ln, size, align="c", tag=tag, key=key)
                ty += lh
        for xx in xs:
            pg.line(xx, y, xx, y + h, 0.5)
        pg.line(x0, y + h, x0 + width, y + h, 0.5)
        form.y = y + h
    form.pg.line(x0, form.y, x0 + width, form.y, 1.0)
    form.y += 6


# --------------------------------------------------------------------------- signature strip
def sign_strip(form: Form, items: list[tuple[str, list[str], Optional[dt.date], Optional[str]]],
               size: float = 9.5, boxed: Optional[bool] = None) -> None:
    """The one signature strip at the end of a form: (label, names, date, key) per role.

    Boxed: a ruled strip of label | signature | 日期 cells in one row per two roles.
    Open: "label：____ 年 月 日" blanks spread over the line.
    """
    r = form.r
    hb = form.hb
    sz = r.size(size)
    boxed = (hb.code_year % 2 == 0) if boxed is None else boxed
    if boxed:
        per = 2
        chunks = [items[i:i + per] for i in range(0, len(items), per)]
        form.need(26 * len(chunks) + 6)
        pg, y = form.pg, form.y + 2
        slot = CW / per
        for ch in chunks:
            for j, (lbl, names, d, key) in enumerate(ch):
                x = ML + j * slot
                lw = text_width(lbl, sz) + 10
                pg.rect(x, y, x + slot, y + 26, w=0.6)
                pg.line(x + lw, y, x + lw, y + 26, 0.5)
                pg.text(x + 5, y + 8, lbl, size)
                dx = x + slot - 70
                pg.line(dx, y, dx, y + 26, 0.5)
                sign_many(pg, x + lw + 3, y + 13, names, dx - x - lw - 8, key=key)
                if d and names:
                    hand_date_b(pg, dx + 3, y + 13, d, h=10, key=(key + "_date") if key else None)
            y += 26
        form.y = y + 8
        return
    form.need(40)
    pg = form.pg
    y = form.y + 18
    n = len(items)
    slot = CW / n
    for j, (lbl, names, d, key) in enumerate(items):
        x = ML + j * slot
        bx = pg.text(x, y - sz * 0.6, lbl + "：", size)
        end = x + slot - 8
        pg.line(bx[2] + 1, y + sz * 0.8, end, y + sz * 0.8, 0.4)
        sign_many(pg, bx[2] + 3, y, names, end - bx[2] - 6, key=key)
        if d and names:
            hand_date_b(pg, bx[2] + 4, y + 17, d, h=10, key=(key + "_date") if key else None)
    form.y = y + 30


def hand_date_b(pg: PageCtx, x: float, yc: float, d: Optional[dt.date], h: float = 11.0,
                key: Optional[str] = None) -> float:
    """A date written by hand in this institution's form habit (never Chinese numerals)."""
    if d is None:
        return 0.0
    hb = B(pg.r)
    how = hb.form_date if hb.form_date in ("dot", "slash", "cn") else "dot"
    s = bdate(d, how)
    png, aspect = ink.handwriting_png(s, hb.rng, px=44, flourish=False)
    w = h * aspect
    rect = (x, yc - h / 2, x + w, yc + h / 2)
    pg.image(rect, png)
    pg.r.place(pg.no, s, rect, "value", "signature", key)
    return w


def check(v: bool) -> str:
    return "√" if v else "×"


def dash(v: Optional[object], how: str = "—") -> str:
    return how if v is None or v == "" else str(v)


def nfmt(v: Optional[float], nd: int = 2) -> str:
    return "" if v is None else f"{v:.{nd}f}"


def conc_str(v: Optional[float], decimals: int) -> str:
    return "" if v is None else f"{v:.{decimals}f}"


def limit_str(v: Optional[float]) -> str:
    if v is None:
        return "—"
    return f"{v:g}"


__all__ = [
    "B", "BHabits", "C", "Form", "Ids", "Ink", "Tx", "bdate", "check", "conc_str", "dash", "fdate", "grid",
    "hdate", "info_grid", "letterhead_b", "limit_str", "nfmt", "sign", "sign_many", "sign_strip", "tspan",
    "footer_b", "hand_date_b", "BLACK", "GREY", "CW", "ML", "MR", "MT", "MB", "W", "H", "Callable",
]
