"""Family B: report submission / public-disclosure record and the site photo sheets."""
from __future__ import annotations

from samples.render import ink
from samples.render.draw import Renderer
from samples.render_b.kit import (B, C, CW, GREY, MB, ML, H, W, Form, Tx, fdate, grid, info_grid, sign_strip)


def disclosure(r: Renderer) -> None:
    sc = r.sc
    d, rp = sc.disclosure, sc.report
    f = Form(r, "disclosure", "技术服务报告上报及网上公开登记表", 30)
    info_grid(f, [
        [("报告编号", Tx(rp.report_no, "value", "disclosure.report_no"), 2), ("报告出具日期", fdate(r, rp.issue_date), 2)],
        [("用人单位", sc.employer.name, 4)],
        [("信息系统报送日期", Tx(fdate(r, d.submitted_date), "value", "disclosure.submitted"), 2),
         ("机构网站公开日期", Tx(fdate(r, d.public_date), "value", "disclosure.public"), 2)],
        [("公开网址", d.url, 4)],
    ])
    if d.layout == "values":  # the values as published on the website
        f.heading("网上公开信息", 10.5)
        grid(f, [C("n", "序号", 0.5), C("item", "公开事项", 1.8, "l"), C("v", "公开内容", 3.7, "l")],
             [{"n": str(i), "item": Tx(it.label, "label", "disclosure.item"),
               "v": it.value} for i, it in enumerate(d.published, 1)],
             size=9.5, repeat_titles=True)
    else:
        f.heading("公开内容核对", 10.5)
        grid(f, [C("n", "序号", 0.5), C("item", "公开事项", 4.0, "l"), C("ok", "是否公开", 1.0)],
             [{"n": str(i), "item": Tx(it.label, "label", "disclosure.item"),
               "ok": Tx(it.mark, "value", f"disclosure.{it.key}")} for i, it in enumerate(d.published, 1)],
             size=9.5, repeat_titles=True)
    f.para("说明：报告出具之日起15个工作日内通过职业卫生技术服务机构管理信息系统报送，并在本机构网站公开，"
           "公开期限不少于5年。", 9, indent=False)
    who = sc.identity.quality_manager
    sign_strip(f, [("经办人", [rp.author] if rp.author else [], d.submitted_date, "disclosure.clerk"),
                   ("审核", [who], d.public_date, "disclosure.checker")], boxed=True)
    f.finish()


def photos(r: Renderer) -> None:
    sc = r.sc
    hb = B(r)
    per = hb.photos_per_page
    ph = list(sc.photos)
    chunks = [ph[i:i + per] for i in range(0, len(ph), per)]
    n = len(chunks)
    k = 0
    for ci, chunk in enumerate(chunks):
        pg = r.new_page("photos")
        y0 = 56
        pg.text(W / 2, y0, "现场工作影像记录", 15, bold=True, align="c")
        pg.text(W - 52, y0 + 4, f"第 {ci + 1} 页 共 {n} 页", 8.5, align="r", color=GREY)
        y0 += 32
        cols, rows_ = 2, -(-per // 2)
        cw = (CW - 12) / cols
        chh = (H - MB - 20 - y0) / rows_
        for i, p in enumerate(chunk):
            k += 1
            x = ML + (i % cols) * (cw + 12)
            y = y0 + (i // cols) * chh
            pg.rect(x, y, x + cw, y + chh - 8, w=0.6)
            img_h = min(chh - 44, (cw - 12) * 0.75)
            img_w = img_h / 0.75
            xi = x + (cw - img_w) / 2
            yi = y + 6
            kind = p.kind or ("gate" if "门" in p.caption else "sampling" if "采样" in p.caption else "interior")
            ts = p.timestamp.strftime("%Y-%m-%d %H:%M")
            jpg, (fx0, fy0, fx1, fy1) = ink.photo_jpeg(kind, r.rng, ts, sign=sc.employer.name)
            pg.image((xi, yi, xi + img_w, yi + img_h), jpg)
            r.place(pg.no, ts, (xi + fx0 * img_w, yi + fy0 * img_h, xi + fx1 * img_w, yi + fy1 * img_h), "photo_ts",
                    "watermark", "photo.timestamp")
            pg.line(x, yi + img_h + 6, x + cw, yi + img_h + 6, 0.4)
            pg.text(x + 6, yi + img_h + 12, f"照片{k}：{p.caption}", 8.5)
