"""Page furniture shared by the forms: letterheads, footers, record headers, signatures."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Optional, Sequence, Union

from samples.render.draw import (CW, GREY, MB, ML, MR, MT, W, H, Flow, PageCtx, Renderer, text_width, title)

Names = Union[None, str, Sequence[Optional[str]]]


def has_footer(r: Renderer) -> bool:
    return r.has_footer


def form_code(r: Renderer, n: int) -> str:
    # Controlled-form numbers as quality manuals assign them (no institution name in them).
    return [f"JL-{n:03d}", f"QR-7.{n // 10 + 1}-{n:02d}", f"ZW/JL-{n:02d}"][r.variant] + ["", " A/1", "(第2版)", ""][r.sub]


def footer(pg: PageCtx, code: str) -> None:
    r = pg.r
    if not has_footer(r):
        return
    y = H - MB + 22
    pg.line(ML, y - 3, W - MR, y - 3, 0.4, color=GREY)
    pg.text(ML, y, r.sc.identity.name, 7.5, ident=True, channel="footer", color=GREY)
    pg.text(W - MR, y, code, 7.5, align="r", color=GREY)


def letterhead(pg: PageCtx, report_no: Optional[str] = None) -> float:
    """Institution letterhead (name, certificate, phone, website); returns y below the rule.

    On a blind copy the letterhead area is left blank unless the leak keeps it.
    """
    r = pg.r
    ident = r.sc.identity
    y = MT - 8
    if r.visible("letterhead"):
        if r.variant == 1:
            pg.text(ML, y, ident.name, 13, bold=True, ident=True, channel="letterhead")
            pg.text(W - MR, y + 2, f"资质证书编号：{ident.certificate_no}", 8, align="r", ident=False,
                    channel="letterhead")
            y += r.size(13) * 1.5
            pg.text(ML, y, f"电话：{ident.phone}", 8, channel="letterhead")
            pg.text(W / 2, y, f"网址：{ident.website}", 8, align="c", channel="letterhead")
            pg.text(W - MR, y, f"地址：{ident.address}", 8, align="r", channel="letterhead")
            y += r.size(8) * 1.6
        else:
            pg.text(W / 2, y, ident.name, 14, bold=True, align="c", ident=True, channel="letterhead")
            y += r.size(14) * 1.5
            line = f"证书编号：{ident.certificate_no}    电话：{ident.phone}    {ident.website}"
            pg.text(W / 2, y, line, 7.5, align="c", channel="letterhead")
            y += r.size(7.5) * 1.6
    else:
        y += r.size(14) * 1.5 + r.size(7.5) * 1.6  # blanked: same height, nothing printed
    pg.line(ML, y, W - MR, y, 1.4)
    pg.line(ML, y + 2.2, W - MR, y + 2.2, 0.5)
    if report_no:
        pg.text(W - MR, y + 5, f"报告编号：{report_no}", 8, align="r")
        y += 12
    return y + 8


def record_start(title_text: str, code: str, *, sub: Optional[str] = None, letter: bool = False,
                 head_extra: Optional[Callable[[PageCtx, float], float]] = None) -> Callable[[PageCtx, bool], float]:
    """Start-of-page callback for ``Flow``: form code, title (续 on continuation pages), footer."""

    def start(pg: PageCtx, first: bool) -> float:
        r = pg.r
        y = letterhead(pg) if letter else MT
        if r.variant == 0:
            pg.text(ML, y, f"表格编号{r.fmt.colon}{code}", 8.5, color=GREY)
        elif r.variant == 2:
            pg.text(W - MR, y, code, 8.5, align="r", color=GREY)
        y += 14
        y = title(pg, y, title_text if first else title_text + "（续）", 16, sub if first else None)
        footer(pg, code)
        if head_extra:
            y = head_extra(pg, y)
        return y

    return start


def names_list(v: Names) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return [x for x in v if x]


def signature_fields(flow: Flow, items: list[tuple[str, Names, Optional[dt.date], Optional[str]]],
                     size: float = 10.0, style: Optional[int] = None) -> None:
    """Signature fields in one of three templates; a missing signer leaves the blank empty.

    items: (printed label, signer name(s) or None, date written beside it or None, truth key)
    0: "label：____" fields side by side;  1: a ruled table, one row per role with a date column;
    2: fields stacked on the right (report / plan style).
    """
    r = flow.r
    st = r.variant if style is None else style
    sz = r.size(size)
    if st == 1:
        flow.need(24 * len(items) + 8)
        pg, y = flow.pg, flow.y
        w0, w2 = 90, 120
        for lbl, who, d, key in items:
            pg.rect(ML, y, ML + CW, y + 24, w=0.6)
            pg.line(ML + w0, y, ML + w0, y + 24, 0.6)
            pg.line(ML + CW - w2, y, ML + CW - w2, y + 24, 0.6)
            pg.text(ML + 6, y + 7, lbl, size)
            x = ML + w0 + 6
            for nm in names_list(who):
                x += pg.signature(x, y + 12, nm, h=17, key=key, max_w=110) + 12
            pg.text(ML + CW - w2 + 4, y + 7, "日期" + r.fmt.colon, size)
            if d and names_list(who):
                pg.hand_date(ML + CW - w2 + 4 + text_width("日期：", sz) + 2, y + 13, d, h=12,
                             key=(key + "_date") if key else None)
            y += 24
        flow.y = y + 10
        return
    if st == 2:
        for lbl, who, d, key in items:
            flow.need(30)
            pg, y = flow.pg, flow.y + 12
            x0 = ML + CW * 0.42
            bx = pg.text(x0, y - sz * 0.6, lbl + r.fmt.colon, size)
            pg.line(bx[2] + 2, y + sz * 0.8, x0 + 150, y + sz * 0.8, 0.4)
            x = bx[2] + 4
            nms = names_list(who)
            for nm in nms:
                x += pg.signature(x, y, nm, h=17, key=key, max_w=(x0 + 150 - bx[2]) / len(nms) - 8) + 6
            pg.text(x0 + 158, y - sz * 0.6, "日期" + r.fmt.colon, size)
            if d and names_list(who):
                pg.hand_date(x0 + 160 + text_width("日期：", sz), y + 2, d, h=12, key=(key + "_date") if key else None)
            flow.y += 30
        flow.y += 6
        return
    # st == 0: fields side by side, at most 3 per line.
    for i in range(0, len(items), 3):
        chunk = items[i:i + 3]
        flow.need(40)
        pg = flow.pg
        y = flow.y + 16
        slot = CW / len(chunk) if len(chunk) > 1 else CW / 2
        for j, (lbl, who, d, key) in enumerate(chunk):
            x = ML + j * slot
            bx = pg.text(x, y - sz * 0.6, lbl + r.fmt.colon, size)
            end = x + slot - 10
            pg.line(bx[2] + 2, y + sz * 0.8, end, y + sz * 0.8, 0.4)
            nms = names_list(who)
            cx = bx[2] + 4
            room = end - cx
            for nm in nms:
                cx += pg.signature(cx, y, nm, h=16, key=key, max_w=room / max(1, len(nms)) - 4) + 4
            if d and nms:
                # the date goes under the name when the line is full
                if end - cx > 70:
                    pg.hand_date(cx + 4, y + 2, d, h=11, key=(key + "_date") if key else None)
                else:
                    pg.hand_date(bx[2] + 6, y + 17, d, h=10, key=(key + "_date") if key else None)
        flow.y += 44


def pairs_row(pg: PageCtx, y: float, pairs: list[tuple[str, str]], size: float = 9.5) -> float:
    """A single line of "label：value" pairs spread over the width (used on continuation headers)."""
    r = pg.r
    slot = CW / max(1, len(pairs))
    for i, (lbl, val) in enumerate(pairs):
        pg.text(ML + i * slot, y, f"{lbl}{r.fmt.colon}{val}", size)
    return y + r.size(size) * 1.8
