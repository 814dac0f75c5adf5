"""After the report: 报告报送与公示情况 and 影像资料 (site photos)."""
from __future__ import annotations

from samples.admin_forms import is_published
from samples.render import ink
from samples.render.common import form_code, record_start, signature_fields
from samples.render.draw import (CW, GREY, ML, MR, W, H, MB, Col, Flow, PageCtx, Renderer, T, header_block, table,
                                 text_width, title)


def disclosure(r: Renderer) -> None:
    sc = r.sc
    ds, rep, fmt = sc.disclosure, sc.report, r.fmt
    t = ["报告报送与公示情况", "职业卫生技术服务报告报送及公示记录", "检测报告报送与信息公开情况"][r.variant]
    flow = Flow(r, "disclosure", record_start(t, form_code(r, 30)))
    header_block(flow, [("报告编号", T(rep.report_no, "value", "report.no")), (fmt.label("用人单位"), sc.employer.name),
                        ("报告出具日期", T(fmt.date(rep.issue_date), "value", "report.issue_date")),
                        ("报送日期", T(fmt.date(ds.submitted_date), "value", "disclosure.submitted_date")),
                        ("报送系统", "职业卫生技术服务机构管理信息系统"),
                        ("公示日期", T(fmt.date(ds.public_date), "value", "disclosure.public_date")),
                        ("公示网址", ds.url)], cols=1 if r.variant == 0 else 2)
    flow.pg.text(ML, flow.y, "公示内容：", 10.5, bold=True)
    flow.y += 18
    if ds.layout == "values":  # the published values themselves
        table(flow, [Col("no", "序号", 0.5), Col("item", "公示事项", 2.2, "l"), Col("val", "公示内容", 4.3, "l")],
              [{"no": str(i + 1), "item": T(it.label, "label", "disclosure.item"),
                "val": it.value} for i, it in enumerate(ds.published)],
              size=9.5, min_h=20)
    else:  # a checklist: item and whether it was published
        table(flow, [Col("no", "序号", 0.5), Col("item", "公示事项", 5, "l"), Col("done", "是否公示", 1)],
              [{"no": str(i + 1), "item": T(it.label, "label", "disclosure.item"),
                "done": T(it.mark, "value", f"disclosure.{it.key}")} for i, it in enumerate(ds.published)],
              size=9.5, min_h=20)
    # A screenshot of the institution's web page where the report is disclosed: it shows
    # what was actually published (an item marked 否 or left blank is not on the page).
    shown = [it for it in ds.published if is_published(it, ds.layout)]
    lines = ([f"项目名称：{sc.survey.project_name}"] + [f"{it.label}：{it.value}" for it in shown]
             + [f"发布日期：{fmt.date(ds.public_date, 'iso')}"])
    box_h = 56 + 17 * len(lines)
    flow.need(box_h + 30)
    pg, y = flow.pg, flow.y + 8
    x0, x1 = ML + 10, ML + CW - 10
    pg.text(ML, y, "网站公示截图：", 10.5, bold=True)
    y += 18
    pg.rect(x0, y, x1, y + box_h, w=0.8, color=(0.5, 0.5, 0.5))
    pg.rect(x0, y, x1, y + 18, w=0, color=None, fill=(0.86, 0.88, 0.92))
    pg.text(x0 + 8, y + 4, ds.url, 8, color=(0.2, 0.2, 0.4))
    pg.rect(x0, y + 18, x1, y + 40, w=0, color=None, fill=(0.12, 0.32, 0.6))
    pg.text(x0 + 10, y + 23, "职业卫生技术服务信息公开", 10, color=(1, 1, 1), bold=True)
    yy = y + 48
    for ln in lines:
        if text_width(ln, r.size(8.5)) > x1 - x0 - 20:
            ln = ln[: int(len(ln) * (x1 - x0 - 20) / text_width(ln, r.size(8.5))) - 1] + "…"
        pg.text(x0 + 12, yy, ln, 8.5)
        yy += 17
    flow.y = y + box_h + 10
    signature_fields(flow, [("经办人", rep.author, ds.submitted_date, "disclosure.clerk")])


def photos(r: Renderer) -> None:
    sc = r.sc
    fmt = r.fmt
    per = [2, 4, 3][r.variant] if len(sc.photos) > 2 else 2
    if -(-len(sc.photos) // per) > 3:  # photo annexes run to 3 pages at most: pack 4 a page
        per = 4
    chunks = [sc.photos[i:i + per] for i in range(0, len(sc.photos), per)]
    for ci, chunk in enumerate(chunks):
        pg = r.new_page("photos")
        y0 = 60
        pg.text(W / 2, y0, "影像资料" if ci == 0 else "影像资料（续）", 16, bold=True, align="c")
        y0 += 36
        avail_h = H - MB - 20 - y0
        if per == 4:
            cw, chh = (CW - 16) / 2, avail_h / 2
            slots = [(ML + (i % 2) * (cw + 16), y0 + (i // 2) * chh) for i in range(len(chunk))]
        else:
            cw, chh = CW * (0.8 if per == 2 else 0.62), avail_h / per
            slots = [(ML + (CW - cw) / 2, y0 + i * chh) for i in range(len(chunk))]
        for ph, (x, y) in zip(chunk, slots):
            img_h = min(chh - 34, cw * 0.75)
            img_w = img_h / 0.75
            xi = x + (cw - img_w) / 2
            kind = getattr(ph, "kind", "") or ("gate" if ("门" in ph.caption or "合影" in ph.caption) else
                                                "sampling" if "采样" in ph.caption else "interior")
            ts = ph.timestamp.strftime("%Y-%m-%d %H:%M")
            jpg, (fx0, fy0, fx1, fy1) = ink.photo_jpeg(kind, r.rng, ts, sign=sc.employer.name)
            pg.image((xi, y, xi + img_w, y + img_h), jpg)
            pg.rect(xi, y, xi + img_w, y + img_h, w=0.5, color=(0.3, 0.3, 0.3))
            r.place(pg.no, ts, (xi + fx0 * img_w, y + fy0 * img_h, xi + fx1 * img_w, y + fy1 * img_h), "photo_ts",
                    "watermark", "photo.timestamp")
            cap = ph.caption if r.variant != 1 else f"图{sc.photos.index(ph) + 1}  {ph.caption}"
            pg.text(xi + img_w / 2, y + img_h + 6, cap, 9.5, align="c")
