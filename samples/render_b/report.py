"""Family B: the test report (cover, notes, staff page, certificate copy, body)."""
from __future__ import annotations

import random

from samples.report_content import tonnes_text
from samples.render.draw import Flow, PageCtx, Renderer, H, MB, MT
from samples.render_b.kit import (B, C, CW, GREY, ML, MR, W, Form, Ids, OnFlow, Tx, conc_str, footer_b, grid, hdate,
                                  fdate, info_grid, letterhead_b, limit_str, sign)


def _report_band(r: Renderer, pg: PageCtx, first: bool) -> float:
    """Running head of report pages: report number left, page number slot right."""
    rp = r.sc.report
    y = MT - 10
    pg.text(ML, y, f"报告书编号：{rp.report_no}", 8.5, color=GREY)
    pg.line(ML, y + 12, W - MR, y + 12, 0.5, color=GREY)
    footer_b(pg, "")
    return y + 22


def report(r: Renderer) -> None:
    sc = r.sc
    rp, ident, emp = sc.report, sc.identity, sc.employer
    hb = B(r)
    # ---- cover
    pg = r.new_page("report")
    y = letterhead_b(pg, MT - 10)
    pg.text(W - MR, y + 6, f"No. {rp.report_no}", 10.5, align="r", tag="value", key="report.no")
    y += 120
    title = rp.title
    cut = title.find("职业病危害因素")
    l1, l2 = (title[:cut], title[cut:]) if cut > 0 else (title, "")
    pg.text(W / 2, y, l1, 20, bold=True, align="c")
    if l2:
        pg.text(W / 2, y + 34, l2, 20, bold=True, align="c")
    y += 120
    for lbl, val in [("委托单位", emp.name), ("检测类别", "定期检测"), ("报告日期", hdate(r, rp.issue_date))]:
        pg.text(ML + 110, y, f"{lbl}：", 12)
        pg.text(ML + 190, y, val, 12, tag="value" if lbl == "报告日期" else None,
                key="report.issue_date" if lbl == "报告日期" else None)
        pg.line(ML + 188, y + 17, ML + 400, y + 17, 0.4)
        y += 32
    pg.text(W / 2, H - 170, ident.name, 14, bold=True, align="c")
    pg.text(W / 2, H - 146, hdate(r, rp.issue_date), 12, align="c")
    pg.seal(W / 2 + 40, H - 150, owner="institution", bottom="检验检测专用章", d=110)

    # ---- notes (声明) page
    pg = r.new_page("report")
    y = _report_band(r, pg, False) + 30
    pg.text(W / 2, y, "说    明", 16, bold=True, align="c")
    y += 40
    notes = [
        "本报告无本机构检验检测专用章及骑缝章无效；复制本报告未重新加盖印章无效。",
        "本报告无编制、审核、签发人签字无效；报告涂改无效。",
        "本报告检测结果仅对检测时所采集样品及检测时段的工况负责。",
        "委托单位对报告有异议的，应于收到报告之日起十五日内以书面形式向本机构提出。",
        "未经本机构书面同意，本报告不得用于广告宣传及商业用途。",
    ]
    for i, n in enumerate(notes, 1):
        y = pg.para(ML + 20, y, f"{i}. {n}", CW - 40, 11, lead=1.9)
        y += 4
    y += 30
    for lbl, val in [("机构名称", ident.name), ("通讯地址", ident.address), ("实验室地址", ident.lab_address),
                     ("联系电话", ident.phone), ("电子邮箱", ident.email), ("网    址", ident.website)]:
        pg.text(ML + 20, y, f"{lbl}：{val}", 10.5)
        y += 22

    # ---- staff/signature page
    pg = r.new_page("report")
    y = _report_band(r, pg, False) + 20
    pg.text(W / 2, y, "检测报告签发页", 15, bold=True, align="c")
    y += 36
    for lbl, who, key in [("编 写 人", rp.author, "report.author"), ("审 核 人", rp.reviewer, "report.reviewer"),
                          ("签 发 人", rp.issuer, "report.issuer")]:
        pg.rect(ML + 40, y, ML + CW - 40, y + 34, w=0.6)
        pg.line(ML + 140, y, ML + 140, y + 34, 0.5)
        pg.line(ML + CW - 160, y, ML + CW - 160, y + 34, 0.5)
        pg.text(ML + 52, y + 11, lbl, 11)
        if who:
            sign(pg, ML + 150, y + 17, who, h=20, key=key, max_w=120, mode="hand")
        pg.text(ML + CW - 154, y + 11, "日期：" + (fdate(r, rp.issue_date) if who else ""), 9.5)
        y += 34
    y += 26
    pg.text(ML, y, "项目组成员", 11.5, bold=True)
    y += 20
    f = _Cont(r, "report", lambda p, first: _report_band(r, p, first), pg, y)
    form = _FlowForm(r, f)
    grid(form, [C("n", "序号", 0.5), C("name", "姓名", 1.0), C("role", "项目分工", 2.4, "l"), C("sp", "专业", 1.3)],
         [{"n": str(i), "name": t.name, "role": t.role, "sp": t.specialty} for i, t in enumerate(rp.team, 1)],
         size=9.5, repeat_titles=True)

    # ---- certificate copy
    pg = r.new_page("report")
    ch = "certificate_page"
    y = _report_band(r, pg, False) + 16
    pg.text(W / 2, y, "机构资质证书（复印件）", 13, bold=True, align="c")
    y += 30
    x0, x1 = ML + 36, W - MR - 36
    pg.rect(x0, y, x1, y + 470, w=2.2, color=(0.55, 0.45, 0.2))
    pg.rect(x0 + 6, y + 6, x1 - 6, y + 464, w=0.6, color=(0.55, 0.45, 0.2))
    yy = y + 40
    pg.text(W / 2, yy, "职业卫生技术服务机构资质证书", 16, bold=True, align="c", channel=ch)
    yy += 46
    for lbl, val in [("机构名称", ident.name), ("法定代表人", ident.legal_rep), ("注册地址", ident.address),
                     ("证书编号", ident.certificate_no),
                     ("有效期", f"{fdate(r, ident.valid_from)} 至 {fdate(r, ident.valid_to)}"),
                     ("业务范围", "、".join(sorted({i for i in ident.scope_industries}))),
                     ("检测项目", "、".join(ident.scope_factors))]:
        pg.text(x0 + 30, yy, f"{lbl}：", 10.5, channel=ch)
        yy = pg.para(x0 + 110, yy, val, x1 - x0 - 140, 10.5, lead=1.6, channel=ch) + 8
    pg.text(x1 - 30, y + 420, "发证机关（盖章）", 10, align="r", channel=ch)
    pg.seal(x1 - 80, y + 400, owner="authority", bottom="", d=96)
    pg.text(W / 2, y + 490, "本复印件与原件一致", 9, align="c", color=GREY)
    pg.seal(W / 2 + 70, y + 480, owner="institution", bottom="检验检测专用章", d=80)

    # ---- body
    f = Flow(r, "report", lambda p, first: _report_band(r, p, first))
    form = _FlowForm(r, f)
    form.heading("一、项目基本情况", 12)
    dates = "、".join(fdate(r, d.date) for d in sc.sampling_days)
    info_grid(form, [
        [("用人单位", emp.name, 3), ("行业", f"{emp.industry_name}", 2)],
        [("地址", emp.address, 3), ("联系人", emp.contact, 2)],
        [("现场调查日期", "、".join(fdate(r, d) for d in sc.survey.dates), 2), ("采样/测量日期", dates, 3)],
    ])
    form.para(f"受{emp.name}委托，我单位对其工作场所存在的职业病危害因素进行了定期检测。依据检测结果对照国家职业接触"
              f"限值进行判定，出具本报告。", 10.5)
    v = random.Random(f"family-b-prose:{sc.seed}").randrange(3)
    _basics_b(r, form, v)
    _materials_b(r, form, v)
    form.heading(["二、检测及评价依据", "二、依据", "二、检测依据和评价依据"][v], 12)
    for i, b in enumerate(rp.basis, 1):
        form.para(f"（{i}）{b}", 10, indent=False, lead=1.6, key="report.basis")
    form.heading("三、检测项目、方法与仪器", 12)
    rows = []
    for fac, spec in sc.factors.items():
        rows.append({"fac": fac, "smp": spec.sampling_method or "GBZ 159-2004",
                     "lab": spec.lab_method or spec.sampling_method, "ins": spec.lab_instrument or "积分声级计"})
    grid(form, [C("fac", "危害因素", 1.3), C("smp", "采样/测量方法", 1.6), C("lab", "检测方法", 1.6),
                C("ins", "主要仪器", 1.5)], rows, size=9, repeat_titles=True)
    _posts_b(r, form, v)
    form.heading("四、检测结果", 12)
    chem = [x for x in rp.results]
    if chem:
        form.para("表1  工作场所空气中化学有害因素检测结果（单位：mg/m³）", 9.5, indent=False)
        by_date: dict = {}
        for x in chem:
            by_date.setdefault(x.date, []).append(x)
        rows = []
        for d, xs in by_date.items():
            if d:
                rows.append({"_span": f"采样日期：{fdate(r, d)}"})
            for x in xs:
                short = x.c_stel if x.c_stel is not None else x.c_mac
                lim_short = x.limit_stel if x.limit_stel is not None else x.limit_mac
                dec = sc.factors[x.factor].decimals
                rows.append({
                    "ws": x.workshop, "post": x.post, "site": x.site, "fac": x.factor, "ids": Ids(list(x.sample_ids)),
                    "twa": conc_str(x.c_twa, dec) or "—", "st": conc_str(short, dec) or "—",
                    "lim": f"{limit_str(x.limit_twa)} / {limit_str(lim_short)}", "j": x.judgement,
                })
        grid(form, [C("ws", "车间", 1.0, "l"), C("post", "岗位/工种", 1.1), C("site", "检测地点", 1.2, "l"),
                    C("fac", "危害因素", 0.95), C("ids", "样品编号", 1.7, "l"), C("twa", "C_TWA", 0.7),
                    C("st", "C_STE / C_ME", 0.75), C("lim", "PC-TWA / PC-STEL(MAC)", 1.05),
                    C("j", "判定", 0.55)], rows, size=7.8)
    if rp.noise:
        form.para("表2  工作场所噪声检测结果", 9.5, indent=False)
        grid(form, [C("post", "岗位/工种", 1.4), C("site", "测量地点", 1.7, "l"), C("laeq", "LAeq,T dB(A)", 0.9),
                    C("t", "接触时间 h", 0.8), C("lex", "L_EX,8h dB(A)", 0.9), C("lim", "限值 dB(A)", 0.8),
                    C("j", "判定", 0.7)],
             [{"post": m.post, "site": m.site, "laeq": f"{m.laeq:.1f}", "t": f"{m.exposure_hours:g}",
               "lex": f"{m.lex8h:.1f}", "lim": f"{m.limit:g}", "j": m.judgement} for m in rp.noise],
             size=8.5, repeat_titles=True)
    concl_head, rec_head, cause_head = _PROSE_HEADS_B[v]
    causes = rp.cause_analyses
    place = rp.cause_place if causes else ""
    no = 5
    if place == "section_before":
        form.heading(f"{_CN[no]}、{cause_head}", 12)
        for c in causes:
            form.para(c, 10.5, key="report.cause_analysis")
        no += 1
    form.heading(f"{_CN[no]}、{concl_head}", 12)
    for i, c in enumerate(rp.conclusions, 1):
        form.para(f"{i}. {c}", 10.5, indent=False, key="report.conclusion")
    if place == "in_conclusion":
        form.para("超标原因：" if v != 1 else "原因分析：", 10.5, indent=False, bold=True)
        for i, c in enumerate(causes, 1):
            form.para(f"（{i}）{c}", 10.5, indent=False, key="report.cause_analysis")
    no += 1
    if place == "section_after":
        form.heading(f"{_CN[no]}、{cause_head}", 12)
        for i, c in enumerate(causes, 1):
            form.para(f"{i}) {c}", 10.5, indent=False, key="report.cause_analysis")
        no += 1
    form.heading(f"{_CN[no]}、{rec_head}", 12)
    for i, c in enumerate(rp.recommendations, 1):
        form.para(f"{i}. {c}", 10.5, indent=False, key="report.recommendation")
    form.y += 10
    form.need(40)
    form.pg.text(W - MR, form.y, "（以下空白）", 10, align="r")
    _number_report(r)


_CN = "〇一二三四五六七八九十"
# (conclusions, recommendations, cause analyses) headings of family B's report, per institution
_PROSE_HEADS_B = [("检测结论", "建议", "超标原因分析"), ("结论", "职业病防护对策与建议", "超标原因"),
                  ("结论与评价", "整改建议", "超标岗位原因分析")]


class _Cont(Flow):
    """A flow that continues on a page already started."""

    def __init__(self, r: Renderer, section: str, start, pg: PageCtx, y: float) -> None:
        self.r, self.section, self._start = r, section, start
        self.bottom = H - MB - 20
        self.pages = [pg]
        self.pg = pg
        self.y = y


class _FlowForm(OnFlow):
    """Adapter so family-B tables pour into a report Flow (no control band)."""

    def __init__(self, r: Renderer, flow: Flow):
        self.r, self.flow, self.hb = r, flow, B(r)

    para = Form.para
    heading = Form.heading


def _number_report(r: Renderer) -> None:
    """共 N 页 第 i 页 at the top right of every report page after the cover."""
    idx = [i for i, t in enumerate(r.page_types) if t == "report"]
    n = len(idx)
    for k, i in enumerate(idx[1:], 2):
        r.pages[i].text(W - MR, MT - 10, f"共 {n} 页 第 {k} 页", 8.5, align="r", color=GREY)


# --------------------------------------------------------------------------- 基本情况, 原辅材料, 岗位分析
def _basics_b(r: Renderer, form: "_FlowForm", v: int) -> None:
    """Headcount, products and output, and the load during the testing (i054)."""
    rp = r.sc.report
    out = tonnes_text(rp.output_t or 0, (int(rp.layout.get("basics", "0")) + 1) % 3)
    if rp.layout.get("basics") == "1":
        form.para(f"该单位现有职工{rp.workers_total}人，主要产品为{rp.products_text}，设计生产规模为年产{out}。"
                  f"检测期间，该单位生产正常，生产负荷为{rp.load_pct}%左右，各职业病防护设施正常运行。", 10.5,
                  key="report.basics")
        return
    lw = ["劳动者总数", "职工人数", "劳动定员"][v]
    info_grid(form, [
        [(lw, f"{rp.workers_total}人", 1), ("主要产品", rp.products_text, 3)],
        [("生产规模", f"年产{out}", 2), ("检测时运行工况", f"正常生产，负荷约{rp.load_pct}%", 2)],
    ])


def _materials_b(r: Renderer, form: "_FlowForm", v: int) -> None:
    rp = r.sc.report
    form.para(["主要原辅材料：", "原辅材料使用情况：", "主要原料及辅料："][v], 10.5, indent=False, bold=True)
    ms = rp.materials
    if not ms:
        form.para("无。", 10.5, key="report.materials")
    elif rp.layout.get("materials") == "table":
        # name and amount only (the components naming hazards are the survey's record, i059)
        grid(form, [C("n", "序号", 0.5), C("name", "原辅材料名称", 2.4), C("a", "年用量", 1.6)],
             [{"n": str(i), "name": m.name, "a": m.amount} for i, m in enumerate(ms, 1)],
             size=9, repeat_titles=True, width=CW * 0.7)
    else:
        form.para("、".join(f"{m.name}（{m.amount}）" for m in ms) + "。", 10.5, key="report.materials")


def _posts_b(r: Renderer, form: "_FlowForm", v: int) -> None:
    """Per post: 劳动定员, 工作班制, 工作内容, factors, 接触时间, 接触频度 (i057, i058, i060)."""
    rp = r.sc.report
    form.heading(["岗位工作情况及职业病危害因素接触分析", "劳动定员、工作班制及接触情况", "各岗位接触职业病危害因素情况"][v], 11)
    if rp.layout.get("posts") == "table":
        grid(form, [C("ws", "车间", 1.0, "l"), C("post", "岗位/工种", 1.1), C("n", "定员(人)", 0.6),
                    C("shift", "班制", 1.1), C("c", "作业内容及方式", 1.9, "l"), C("f", "接触因素", 1.3, "l"),
                    C("h", "接触时间 h/d", 0.6), C("fr", "接触频度", 1.0, "l")],
             [{"ws": x.workshop, "post": x.post, "n": str(x.workers), "shift": x.shift, "c": x.content,
               "f": "、".join(x.factors), "h": f"{x.exposure_hours:g}", "fr": x.frequency} for x in rp.post_analysis],
             size=8, repeat_titles=True)
        return
    for x in rp.post_analysis:
        facs = "、".join(x.factors)
        if v == 1:
            form.para(f"{x.workshop}{x.post}：{x.workers}人，{x.shift}，{x.content}，接触{facs}，"
                      f"每天接触约{x.exposure_hours:g}h（{x.frequency}）。", 10, key="report.post_analysis")
        else:
            form.para(f"{x.post}：劳动定员{x.workers}人，工作班制为{x.shift}；作业内容：{x.content}；接触危害因素：{facs}；"
                      f"接触时间{x.exposure_hours:g} h/d；接触频度：{x.frequency}。", 10, key="report.post_analysis")
