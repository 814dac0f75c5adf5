"""The test report (检测报告): cover, 声明, certificate copy, 报告签名页, body with the
results table, conclusions and recommendations."""
from __future__ import annotations

from samples.model import ResultRow
from samples.report_content import tonnes_text
from samples.render.common import letterhead, signature_fields
from samples.render.draw import (CW, GREY, MB, ML, MR, MT, W, H, Col, Flow, PageCtx, Renderer, Sig, T, _authority,
                                 ordered_cols, sig_num, table, text_width, title, wrap)


def report(r: Renderer) -> None:
    _cover(r)
    _declaration(r)
    _certificate(r)
    _signature_page(r)
    _body(r)


def _cover(r: Renderer) -> None:
    sc = r.sc
    rep, fmt = sc.report, r.fmt
    pg = r.new_page("report")
    pg.text(W - MR, MT + 10, f"报告编号{fmt.colon}", 10.5, align="r")
    pg.text(W - MR, MT + 26, rep.report_no, 10.5, align="r", tag="value", key="report.no")
    y = 220 if r.variant != 1 else 190
    t = rep.title or "职业病危害因素定期检测报告"
    sz = r.size(24)
    if text_width(t, sz) > W - 120:
        # Break after the employer's name, as covers do, not wherever the width runs out.
        name = sc.employer.name
        lines = [name, t[len(name):]] if t.startswith(name) and len(t) > len(name) else wrap(t, W - 140, sz)
        for ln in lines:
            pg.text(W / 2, y, ln, 24, bold=True, align="c")
            y += sz * 1.6
    else:
        pg.text(W / 2, y, t, 24, bold=True, align="c")
        y += sz * 1.6
    y += 80
    rows = [("项目名称", sc.survey.project_name), (fmt.label("用人单位"), sc.employer.name),
            ("检测类别", "定期检测"), ("报告日期", T(fmt.date(rep.issue_date), "value", "report.issue_date"))]
    x0 = 130
    for lbl, val in rows:
        pg.text(x0, y, (lbl + fmt.colon) if r.variant != 2 else lbl.ljust(4, "\u3000") + fmt.colon, 13)
        vx = x0 + text_width("项目名称：\u3000", r.size(13)) + 6
        items = [val] if isinstance(val, T) else [T(val)]
        lines = wrap(items[0].text, W - vx - 80, r.size(13), r.ident_terms)
        for ln in (lines if not items[0].tag else [items[0].text]):
            pg.text(vx, y, ln, 13, tag=items[0].tag, key=items[0].key)
            pg.line(vx - 2, y + r.size(13) * 1.4, W - 90, y + r.size(13) * 1.4, 0.5)
            y += r.size(13) * 2.2
        y += 6
    y = max(y + 60, 640)
    pg.text(W / 2, y, sc.identity.name, 16, bold=True, align="c")
    pg.text(W / 2, y + 30, fmt.date(rep.issue_date, "cn_upper" if r.variant == 2 else None), 13, align="c")
    pg.seal(W / 2 + 40, y + 20, bottom="检验检测专用章")


_DECL = ["本报告无本机构检验检测专用章（或公章）、骑缝章无效。",
         "本报告无编写人、审核人、签发人签字无效。",
         "本报告涂改、增删无效；未经本机构书面批准，不得部分复制本报告。",
         "本报告检测结果仅对本次采样/检测期间的工作场所状况负责。",
         "对本报告如有异议，请于收到报告之日起十五日内以书面形式向本机构提出，逾期不予受理。",
         "本报告仅用于用人单位职业病危害因素定期检测，不得用于广告宣传等其他用途。"]


def _declaration(r: Renderer) -> None:
    sc = r.sc
    ident, fmt = sc.identity, r.fmt
    pg = r.new_page("report")
    y = letterhead(pg, sc.report.report_no) if r.variant == 1 else MT + 40
    y = title(pg, y + 40, ["声    明", "报告说明", "声明"][r.variant], 20) + 20
    for i, s in enumerate(_DECL):
        y = pg.para(ML + 20, y, f"{i + 1}．{s}", CW - 40, 11, lead=1.9) + 6
    y = max(y + 60, 560)
    pg.text(ML + 20, y, "本机构联系方式：", 11, bold=True)
    y += 26
    for lbl, val in (("机构名称", ident.name), ("地    址", ident.address), ("实验室地址", ident.lab_address),
                     ("联系电话", ident.phone), ("网    址", ident.website), ("电子邮箱", ident.email)):
        pg.text(ML + 40, y, f"{lbl}{fmt.colon}{val}", 10.5)
        y += 22


def _certificate(r: Renderer) -> None:
    """Copy of the qualification certificate (资质证书副本): a framed page."""
    sc = r.sc
    ident, fmt = sc.identity, r.fmt
    pg = r.new_page("report")
    ch = "certificate_page"
    # Ornamental double frame of the certificate, then the copy's own margin.
    pg.rect(ML - 8, MT + 8, W - MR + 8, H - MB - 8, w=2.2, color=(0.45, 0.32, 0.12))
    pg.rect(ML - 2, MT + 14, W - MR + 2, H - MB - 14, w=0.6, color=(0.45, 0.32, 0.12))
    y = MT + 70
    pg.text(W / 2, y, "职业卫生技术服务机构资质证书", 22, bold=True, align="c")
    pg.text(W / 2, y + 34, "（副  本）", 13, align="c")
    y += 90
    rows = [("机构名称", ident.name, True), ("法定代表人", ident.legal_rep, True), ("注册地址", ident.address, False),
            ("实验室地址", ident.lab_address, False), ("证书编号", ident.certificate_no, False),
            ("资质等级", "乙级", False),
            ("业务范围", "职业病危害因素检测与评价（" + "、".join(ident.scope_industries) + "）", False),
            ("有效期", f"{fmt.date(ident.valid_from, 'cn')}至{fmt.date(ident.valid_to, 'cn')}", False)]
    x0, lx = ML + 40, ML + 40 + text_width("实验室地址：", r.size(11.5)) + 8
    for lbl, val, whole in rows:
        pg.text(x0, y, lbl + "：", 11.5)
        lines = wrap(val, W - MR - 40 - lx, r.size(11.5), r.ident_terms)
        for ln in lines:
            if lbl == "有效期":
                pg.text(lx, y, ln, 11.5, tag="value", key="certificate.validity", channel=ch)
            elif whole and ln == val:
                pg.text(lx, y, ln, 11.5, ident=True, channel=ch)
            else:
                pg.text(lx, y, ln, 11.5, channel=ch)
            y += r.size(11.5) * 1.8
        y += 4
    pg.text(x0, y, "检测项目：", 11.5)
    y += r.size(11.5) * 1.8
    factors = "、".join(ident.scope_factors)
    y = pg.para(x0 + 20, y, factors, W - MR - 60 - x0, 10, lead=1.7, tag=None) + 20
    y = max(y, H - MB - 150)
    auth = _authority(ident.certificate_no)
    pg.text(W - MR - 60, y, f"发证机关：{auth}", 11, align="r")
    pg.text(W - MR - 60, y + 24, f"发证日期：{fmt.date(ident.valid_from, 'cn')}", 11, align="r")
    pg.seal(W - MR - 130, y + 10, owner="authority", bottom="", d=110)
    # The institution stamps the copy "与原件一致" with its own seal.
    pg.text(ML + 30, H - MB - 70, "此复印件与原件一致", 12, color=(0.75, 0.1, 0.1))
    pg.seal(ML + 90, H - MB - 75, channel=ch, bottom="", d=100)


def _signature_page(r: Renderer) -> None:
    sc = r.sc
    rep, fmt = sc.report, r.fmt

    def start(pg: PageCtx, first: bool) -> float:
        y = letterhead(pg, rep.report_no)
        return title(pg, y + 14, "报告签名页" if r.variant != 1 else "项目组成员及签名页", 18)

    flow = Flow(r, "report", start)
    rows = [{"no": str(i + 1), "name": m.name, "role": m.role, "spec": m.specialty, "sig": Sig(m.name, key="report.team")}
            for i, m in enumerate(rep.team)]
    table(flow, [Col("no", "序号", 0.5), Col("name", "姓名", 1), Col("role", "分工", 1.6), Col("spec", "专业", 1.3),
                 Col("sig", "签名", 1.4)], rows, size=10, min_h=28, sig_h=28, shade=r.variant == 0)
    flow.y += 20
    signature_fields(flow, [(fmt.label("编制人"), rep.author, rep.issue_date, "report.author"),
                            (fmt.label("审核人"), rep.reviewer, rep.issue_date, "report.reviewer"),
                            (fmt.label("签发人"), rep.issuer, rep.issue_date, "report.issuer")], size=11, style=2)
    flow.need(150)
    pg = flow.pg
    y = flow.y + 40
    pg.text(W - MR - 20, y, "检测机构（盖章）", 11, align="r")
    pg.text(W - MR - 20, y + 26, fmt.date(rep.issue_date), 11, align="r", tag="value", key="report.issue_date")
    pg.seal(W - MR - 70, y + 12, bottom="检验检测专用章")


_CN = "〇一二三四五六七八九十"
# (conclusions, recommendations, cause analyses) headings per layout variant
_PROSE_HEADS = [("结论", "建议", "超标原因分析"), ("检测结论", "建议与措施", "超标原因及分析"),
                ("评价结论", "控制措施建议", "检测结果超标原因分析")]


def _body(r: Renderer) -> None:
    sc = r.sc
    rep, emp, fmt = sc.report, sc.employer, r.fmt
    state = {"n": 0}

    def start(pg: PageCtx, first: bool) -> float:
        state["n"] += 1
        return letterhead(pg, rep.report_no) + 6

    flow = Flow(r, "report", start)
    sz = r.size(10.5)

    def heading(s: str, level: int = 1) -> None:
        flow.need(sz * 5)
        flow.pg.text(ML, flow.y + 4, s, 13 if level == 1 else 11, bold=True)
        flow.y += sz * (2.4 if level == 1 else 2.0)

    def para(s: str, key: str = "") -> None:
        for ln in wrap("\u3000\u3000" + s, CW, sz, r.ident_terms):
            flow.need(sz * 1.8)
            flow.pg.text(ML, flow.y, ln, 10.5, tag="prose" if key else None, key=key or None)
            flow.y += sz * 1.8

    dates = sorted({d.date for d in sc.sampling_days})
    date_txt = "、".join(fmt.date(d) for d in dates)
    heading("一、项目概况")
    para(f"受{emp.name}委托，我机构于{date_txt}对该单位工作场所职业病危害因素进行了定期检测。")
    _basics(r, flow, heading, para)
    _materials(r, flow, heading, para)
    heading(["二、检测依据", "二、检测及评价依据", "二、检测依据及评价依据"][r.variant])
    for i, b in enumerate(rep.basis):
        for k, ln in enumerate(wrap(f"{i + 1}．{b}", CW - 14, sz, r.ident_terms)):
            flow.need(sz * 1.8)
            flow.pg.text(ML + 14 + (14 if k else 0), flow.y, ln, 10.5, tag="value", key="report.basis")
            flow.y += sz * 1.75
    heading("三、检测范围及内容")
    # what was tested per post: the plan's rows (the survey's identification may name more)
    tested: dict[str, list[str]] = {}
    for pr in sc.plan.rows:
        if pr.factor not in tested.setdefault(pr.post, []):
            tested[pr.post].append(pr.factor)
    # the post table states what the report's post analysis states (one source of the report's figures)
    pa = {x.post: x for x in rep.post_analysis}
    all_tested = list(dict.fromkeys(f for p in sc.posts for f in tested.get(p.name, [])))
    para(f"本次检测范围为{sc.survey.scope}，涉及{len(sc.posts)}个岗位，检测因素包括"
         + "、".join(all_tested) + "。")
    table(flow, [Col("ws", "车间", 1.1), Col("post", "岗位（工种）", 1.3), Col("site", "工作地点", 1.6),
                 Col("n", "劳动定员", 0.7), Col("h", "接触时间(h/d)", 0.9), Col("f", "检测因素", 2, "l")],
          [{"ws": p.workshop, "post": p.name, "site": p.site, "n": str(pa[p.name].workers if p.name in pa else p.workers),
            "h": f"{pa[p.name].exposure_hours if p.name in pa else p.exposure_hours:g}",
            "f": "、".join(tested.get(p.name, [])) or "/"} for p in sc.posts], size=9,
          grid="three" if r.variant == 1 else "full", shade=r.variant == 0)
    _post_analysis(r, flow, heading, para)
    heading("四、检测结果")
    grid = ["full", "three", "rows"][r.variant]
    by_kind: dict[str, list[ResultRow]] = {}
    for rr in rep.results:
        spec = sc.factors.get(rr.factor)
        by_kind.setdefault(spec.kind if spec else "chemical", []).append(rr)
    n = 0
    for kind, label in (("dust", "粉尘"), ("chemical", "化学有害因素")):
        rows_ = by_kind.get(kind)
        if not rows_:
            continue
        n += 1
        heading(f"4.{n} 工作场所空气中{label}检测结果", 2)
        flow.need(30)
        flow.pg.text(W / 2, flow.y, f"表4-{n} {label}检测结果（单位：mg/m³）", 9.5, align="c")
        flow.y += 16
        has_ste = any(x.c_stel is not None or x.c_mac is not None or x.limit_stel is not None or x.limit_mac is not None
                      for x in rows_)
        cols = [Col("workshop", "车间", 0.9), Col("post", "岗位（工种）", 1.0), Col("site", "工作地点", 1.15),
                Col("factor", "检测因素", 0.95), Col("sample_ids", fmt.label("样品编号"), 1.25),
                Col("c_twa", "C_TWA", 0.65)]
        if has_ste:
            cols.append(Col("c_stel", "C_STE/C_ME", 0.7))
        cols.append(Col("limit", "PC-TWA", 0.6))
        if has_ste:
            cols.append(Col("limit2", "PC-STEL/MAC", 0.7))
        cols.append(Col("judgement", "判定", 0.55))
        cols = ordered_cols(r, "results", cols)
        # The two limit columns stay side by side whatever the order.
        if has_ste:
            cols = [c for c in cols if c.key != "limit2"]
            i = [c.key for c in cols].index("limit")
            cols.insert(i + 1, Col("limit2", "PC-STEL/MAC", 0.7))
        rows = []
        for x in rows_:
            spec = sc.factors.get(x.factor)
            nd = getattr(spec, "decimals", 2) if spec else 2
            ste = x.c_stel if x.c_stel is not None else x.c_mac
            lim2 = x.limit_stel if x.limit_stel is not None else x.limit_mac
            rows.append({"workshop": x.workshop, "post": x.post, "site": x.site, "factor": x.factor,
                         "sample_ids": [T(s, "sample_id") for s in x.sample_ids],
                         "c_twa": T(f"{x.c_twa:.{nd}f}", "value", "report.c_twa") if x.c_twa is not None else "—",
                         "c_stel": T(f"{ste:.{nd}f}", "value", "report.c_ste") if ste is not None else "—",
                         "limit": T(f"{x.limit_twa:g}", "value", "report.limit_twa") if x.limit_twa is not None else "—",
                         "limit2": T(f"{lim2:g}", "value", "report.limit_stel") if lim2 is not None else "—",
                         "judgement": T(x.judgement, "value", "report.judgement")})
        table(flow, cols, rows, size=7.8, grid=grid, shade=r.variant == 0, min_h=18)
        flow.y += 6
    if rep.noise:
        n += 1
        heading(f"4.{n} 工作场所噪声检测结果", 2)
        flow.need(30)
        flow.pg.text(W / 2, flow.y, f"表4-{n} 噪声检测结果", 9.5, align="c")
        flow.y += 16
        rows = []
        for x in rep.noise:
            lim = getattr(x, "limit", 85.0)
            j = getattr(x, "judgement", "") or ("合格" if x.lex8h <= lim else "不合格")
            rows.append({"post": x.post, "site": x.site, "laeq": f"{x.laeq:.1f}", "h": f"{x.exposure_hours:g}",
                         "lex": T(f"{x.lex8h:.1f}", "value", "report.lex8h"), "lim": f"{lim:g}",
                         "j": T(j, "value", "report.noise_judgement")})
        table(flow, [Col("post", "岗位（工种）", 1.3), Col("site", "测量地点", 1.6), Col("laeq", "L_Aeq[dB(A)]", 1),
                     Col("h", "接触时间(h)", 0.8), Col("lex", "L_EX,8h[dB(A)]", 1), Col("lim", "限值[dB(A)]", 0.8),
                     Col("j", "判定", 0.7)], rows, size=8.5, grid=grid, shade=r.variant == 0)
    concl_head, rec_head, cause_head = _PROSE_HEADS[r.variant]
    causes = rep.cause_analyses
    place = rep.cause_place if causes else ""
    no = 5
    if place == "section_before":
        heading(f"{_CN[no]}、{cause_head}")
        for i, c in enumerate(causes):
            para(f"{i + 1}．{c}" if len(causes) > 1 else c, "report.cause_analysis")
        no += 1
    heading(f"{_CN[no]}、{concl_head}")
    for i, c in enumerate(rep.conclusions):
        para(f"{i + 1}．{c}", "report.conclusion")
    if place == "in_conclusion":
        for i, c in enumerate(causes):
            para(f"{len(rep.conclusions) + i + 1}．{c}", "report.cause_analysis")
    no += 1
    if place == "section_after":
        heading(f"{_CN[no]}、{cause_head}")
        for i, c in enumerate(causes):
            para(f"（{i + 1}）{c}", "report.cause_analysis")
        no += 1
    heading(f"{_CN[no]}、{rec_head}")
    for i, c in enumerate(rep.recommendations):
        para(f"{i + 1}．{c}", "report.recommendation")
    flow.need(120)
    flow.pg.text(W / 2, flow.y + 6, "（以下空白）", 10, align="c", color=GREY)
    y = flow.y + 50
    pg = flow.pg
    pg.text(W - MR - 20, y, sc.identity.name, 11, align="r")
    pg.text(W - MR - 20, y + 24, fmt.date(rep.issue_date), 11, align="r", tag="value", key="report.issue_date")
    pg.seal(W - MR - 90, y + 14, bottom="检验检测专用章")
    flow.number(lambda i, n: f"第 {i + 4} 页 共 {n + 4} 页" if r.variant != 1 else f"{i + 4}/{n + 4}")


# --------------------------------------------------------------------------- 基本情况, 原辅材料, 岗位分析
def _basics(r: Renderer, flow: Flow, heading, para) -> None:
    """The employer's headcount, products and output, and the load during the testing (i054)."""
    rep, emp = r.sc.report, r.sc.employer
    v = int(rep.layout.get("basics", "0"))
    out = tonnes_text(rep.output_t or 0, v)
    if v == 0:
        para(f"该单位位于{emp.address}，属{emp.industry_name}（{emp.industry_code}），现有劳动者{rep.workers_total}人，"
             f"主要产品为{rep.products_text}，年产量约{out}。检测期间生产设备正常运行，生产负荷约{rep.load_pct}%。",
             "report.basics")
    elif v == 1:
        para(f"该单位地址为{emp.address}，行业类别为{emp.industry_name}。职工总数{rep.workers_total}人，"
             f"生产规模：年产{rep.products_text}{out}。", "report.basics")
        para(f"运行工况：现场采样期间各生产线正常生产，运行负荷达到设计产能的{rep.load_pct}%，满足检测要求。",
             "report.basics")
    else:
        heading("1.1 用人单位基本情况", 2)
        rows = [("单位地址", emp.address), ("行业类别", f"{emp.industry_name}（{emp.industry_code}）"),
                ("劳动者总数", f"{rep.workers_total}人"), ("主要产品", rep.products_text),
                ("生产规模", out if out.endswith("/a") else f"年产约{out}"), ("检测期间运行工况", f"正常生产，生产负荷约{rep.load_pct}%")]
        table(flow, [Col("k", "项目", 1.2), Col("v", "内容", 4, "l")],
              [{"k": k, "v": T(v_, "value", "report.basics")} for k, v_ in rows], size=9.5)
        flow.y += 6


def _materials(r: Renderer, flow: Flow, heading, para) -> None:
    """The raw and auxiliary materials with their amounts, as a table or in prose (i056)."""
    rep = r.sc.report
    heading(("1.2 " if rep.layout.get("basics") == "2" else "1.1 ") + ["主要原辅材料", "原辅材料及用量",
                                                                      "主要原辅材料使用情况"][r.variant], 2)
    ms = rep.materials
    if not ms:
        para("该单位生产过程中未使用需要列明的原辅材料。", "report.materials")
        return
    if rep.layout.get("materials") == "table":
        # name and amount only: the components (and the hazards they name) are the survey's
        # record; a report that names a hazard here would "identify" it (i059)
        table(flow, [Col("no", "序号", 0.5), Col("name", "名称", 2.2), Col("amt", "年用量", 1.6)],
              [{"no": str(i + 1), "name": T(m.name, "value", "report.material"),
                "amt": T(m.amount, "value", "report.material_amount")} for i, m in enumerate(ms)],
              size=9, shade=r.variant == 0, width=CW * 0.7)
        flow.y += 6
    elif r.variant == 1:
        para("主要原辅材料及年用量：" + "；".join(f"{m.name}：{m.amount}" for m in ms) + "。", "report.materials")
    else:
        para("该单位生产过程中使用的主要原辅材料有：" + "、".join(f"{m.name}（{m.amount}）" for m in ms)
             + "。", "report.materials")


_POST_HEADS = ["3.1 岗位工作内容及职业病危害因素接触情况", "3.1 岗位设置及接触分析", "3.1 劳动者工作方式及接触情况分析"]


def _post_analysis(r: Renderer, flow: Flow, heading, para) -> None:
    """Per post: 劳动定员, 工作班制, 工作内容, factors, 接触时间, 接触频度 (i057, i058, i060)."""
    rep = r.sc.report
    heading(_POST_HEADS[r.variant], 2)
    if rep.layout.get("posts") == "table":
        table(flow, [Col("post", "岗位（工种）", 1.1), Col("n", "劳动定员(人)", 0.6), Col("shift", "工作班制", 1.1),
                     Col("c", "工作内容/作业方式", 1.9, "l"), Col("f", "接触危害因素", 1.3, "l"),
                     Col("h", "接触时间(h/d)", 0.6), Col("fr", "接触频度/方式", 1.1, "l")],
              [{"post": T(x.post, "value", "report.analysis_post"), "n": str(x.workers), "shift": x.shift,
                "c": x.content, "f": "、".join(x.factors), "h": f"{x.exposure_hours:g}", "fr": x.frequency}
               for x in rep.post_analysis], size=8.5, grid="three" if r.variant == 1 else "full", shade=r.variant == 0)
        flow.y += 6
        return
    for i, x in enumerate(rep.post_analysis, 1):
        facs = "、".join(x.factors)
        if r.variant == 0:
            para(f"（{i}）{x.post}：劳动定员{x.workers}人，{x.shift}；工作内容：{x.content}；"
                 f"主要接触{facs}，每班接触时间约{x.exposure_hours:g}h，{x.frequency}。", "report.post_analysis")
        elif r.variant == 1:
            para(f"{i}．{x.post}岗位定员{x.workers}人，实行{x.shift}。作业方式：{x.content}。"
                 f"该岗位接触{facs}，接触时间{x.exposure_hours:g} h/d，接触方式为{x.frequency}。", "report.post_analysis")
        else:
            para(f"{x.post}（{x.workers}人，{x.shift}）：工作内容为{x.content}；接触的职业病危害因素为{facs}，"
                 f"日接触时间{x.exposure_hours:g}小时，{x.frequency}。", "report.post_analysis")
