"""Before the field work: contract (技术服务合同), contract review (合同评审记录),
field survey (现场调查记录 + 工作日写实), detection plan (检测方案)."""
from __future__ import annotations

from samples.render.common import form_code, footer, letterhead, record_start, signature_fields
from samples.render.draw import (CW, GREY, MB, ML, MT, W, H, Col, Flow, PageCtx, Renderer, Sig, T,
                                 header_block, num, page_no_fmt, table, text_width, title, wrap)

_CN_NUM = "一二三四五六七八九十"


def _cn(i: int) -> str:
    return _CN_NUM[i] if i < 10 else "十" + _CN_NUM[i - 10]


# --------------------------------------------------------------------------- contract
_CONFIDENTIAL = ("乙方对在检测过程中知悉的甲方技术资料、生产工艺和经营信息负有保密义务，未经甲方书面同意不得向第三方"
                 "披露，法律法规另有规定或监管部门依法调阅的除外。")
_BREACH = ("任何一方违反本合同约定，应承担相应的违约责任；因甲方原因导致检测无法按期进行的，完成时间相应顺延；"
           "乙方无正当理由逾期出具报告的，每逾期一日按合同总额的千分之一向甲方支付违约金。")
_DISPUTE = "本合同在履行过程中发生争议，双方应友好协商解决；协商不成的，任何一方均可向乙方所在地人民法院提起诉讼。"
_OTHER = "本合同自双方签字盖章之日起生效，一式肆份，甲乙双方各执贰份，具有同等法律效力。未尽事宜，双方另行签订补充协议。"


def contract(r: Renderer) -> None:
    sc = r.sc
    c, emp, ident = sc.contract, sc.employer, sc.identity
    fmt = r.fmt
    code = form_code(r, 1)
    lh = r.size(10.5) * 1.85

    def start(pg: PageCtx, first: bool) -> float:
        y = MT + 4
        if first:
            bx = pg.text(W - 52, y, c.contract_no, 9.5, align="r", tag="value", key="contract.no")
            pg.text(bx[0], y, f"合同编号{fmt.colon}", 9.5, align="r")
            y += 44
            t = ["职业病危害因素检测技术服务合同", "技术服务合同", "职业卫生技术服务合同"][r.variant]
            y = title(pg, y, t, 20, "（工作场所职业病危害因素定期检测）" if r.variant else None) + 12
        footer(pg, code)
        return y

    flow = Flow(r, "contract", start)
    pg = flow.pg
    parties = [("项目名称", sc.survey.project_name), ("委托方（甲方）", emp.name), ("受托方（乙方）", T(c.party_b_name, "value", "contract.party_b") if c.party_b_name else ident.name),
               ("签订地点", emp.address[:6] if emp.address else ""), ("签订日期", T(fmt.date(c.sign_date), "value", "contract.sign_date"))]
    for lbl, val in parties:
        y = flow.y
        pg.text(ML + 30, y, lbl + fmt.colon, 11)
        vx = ML + 30 + text_width("受托方（乙方）：", r.size(11)) + 6
        if isinstance(val, T):
            pg.text(vx, y, val.text, 11, tag=val.tag, key=val.key)
        else:
            pg.text(vx, y, val, 11)
        pg.line(vx - 2, y + r.size(11) * 1.35, ML + CW - 30, y + r.size(11) * 1.35, 0.4)
        flow.y += r.size(11) * 2.2
    flow.y += 10
    pre = ("根据《中华人民共和国民法典》《中华人民共和国职业病防治法》和《职业卫生技术服务机构管理办法》等有关规定，"
           "甲方委托乙方对其工作场所职业病危害因素进行定期检测，经双方协商一致，签订本合同，共同遵守。")
    flow.y = pg.para(ML, flow.y, pre, CW, indent=True)

    clauses: list[tuple[str, str | list[str]]] = [("项目名称", f"{sc.survey.project_name}。")]
    if c.service_content is not None:
        clauses.append(("技术服务内容", c.service_content))
    if c.scope is not None:
        clauses.append(("服务范围", c.scope))
    if c.completion_time is not None:
        clauses.append(("完成时间", c.completion_time))
    clauses.append(("技术服务费用及支付方式", f"本项目技术服务费用为{c.fee if c.fee.startswith('人民币') else '人民币' + c.fee}（含税），甲方于报告交付后十五个工作日内一次性支付。"))
    clauses.append(("甲方责任", c.party_a_duties))
    duties_b = list(c.party_b_duties)
    if c.subcontract_clause and c.subcontract_place == "duty":
        duties_b.append(c.subcontract_clause)
    clauses.append(("乙方责任", duties_b))
    if c.subcontract_clause and c.subcontract_place != "duty":
        clauses.append(("项目实施", c.subcontract_clause))
    clauses += [("保密条款", _CONFIDENTIAL), ("违约责任", _BREACH), ("争议解决", _DISPUTE), ("其他", _OTHER)]
    for i, (head, body) in enumerate(clauses):
        flow.need(lh * 2)
        flow.pg.text(ML, flow.y, f"{_cn(i)}、{head}", 10.5, bold=True)
        flow.y += lh
        items = body if isinstance(body, list) else [body]
        for j, it in enumerate(items):
            txt = f"{j + 1}. {it}" if isinstance(body, list) else it
            for ln in wrap(("" if isinstance(body, list) else "\u3000\u3000") + txt, CW - 8, r.size(10.5), r.ident_terms):
                flow.need(lh)
                flow.pg.text(ML + 4, flow.y, ln, 10.5)
                flow.y += lh
    # Signature block: on its own page when the contract would otherwise be one page.
    block_h = 6 * 26 + 20
    if len(flow.pages) < max(2, c.pages) - (1 if c.pages >= 3 else 0) or flow.y + block_h > flow.bottom:
        flow.new_page()
        flow.pg.text(ML, flow.y, "（以下无正文，为签字盖章页）", 10, color=GREY)
        flow.y += 30
    pg, y = flow.pg, flow.y
    half = CW / 2
    b_name, b_addr, b_phone = ((c.party_b_name, c.party_b_address, c.party_b_phone) if c.party_b_name
                               else (ident.name, ident.address, ident.phone))
    rows = [("甲方（盖章）", "乙方（盖章）"), ("单位名称：" + emp.name, "单位名称：" + b_name),
            ("法定代表人或委托代理人：", "法定代表人或委托代理人："), ("地址：" + emp.address, "地址：" + b_addr),
            ("电话：" + emp.phone, "电话：" + b_phone), ("日期：", "日期：")]
    rh = 30
    for k, (a, b) in enumerate(rows):
        for side, txt in ((0, a), (1, b)):
            x = ML + side * half
            lines = wrap(txt, half - 12, r.size(10), r.ident_terms)
            for n, ln in enumerate(lines[:2]):
                pg.text(x + 6, y + 8 + n * 12, ln, 10, bold=(k == 0))
            if k == 2:
                who = c.party_a_signer if side == 0 else c.party_b_signer
                pg.signature(x + 40, y + rh + 2, who, h=18, key=f"contract.{'a' if side == 0 else 'b'}_signer")
            if k == 5:
                pg.hand_date(x + 40, y + 14, c.sign_date, h=12, key="contract.sign_date_hand")
        y += rh if k != 2 else rh + 16
    pg.rect(ML, flow.y, ML + CW, y, w=0.8)
    pg.line(ML + half, flow.y, ML + half, y, 0.6)
    pg.seal(ML + half * 0.55, flow.y + 110, owner="employer", bottom="")
    pg.seal(ML + half * 1.55, flow.y + 110, owner="contractor" if c.party_b_name else "institution",
            bottom="合同专用章")
    flow.y = y + 10
    if c.pages >= 3:  # attachment: what is to be tested where
        flow.new_page()
        flow.pg.text(ML, flow.y, "附件：检测岗位及职业病危害因素一览表", 11, bold=True)
        flow.y += 22
        rows_ = [{"no": str(i + 1), "ws": p.workshop, "post": p.name, "site": p.site, "f": "、".join(p.factors),
                  "n": str(p.workers)} for i, p in enumerate(sc.posts)]
        table(flow, [Col("no", "序号", 0.5), Col("ws", "车间", 1.2), Col("post", "岗位（工种）", 1.4),
                     Col("site", "工作地点", 1.6), Col("f", "职业病危害因素", 2.4, "l"), Col("n", "劳动定员", 0.8)],
              rows_, grid="full")
    flow.number(page_no_fmt(r.variant))


# --------------------------------------------------------------------------- contract review
_REVIEW_POINTS = {
    "法律法规标准": "检测依据的法律法规、标准是否现行有效，客户要求是否明确",
    "检测能力": "检测项目是否在本机构资质认可范围内，检测方法是否满足要求",
    "人员": "技术人员数量、专业及能力能否满足项目要求",
    "设备": "仪器设备及采样器材能否满足检测要求，是否在检定/校准有效期内",
}


def contract_review(r: Renderer) -> None:
    sc = r.sc
    cr = sc.contract_review
    fmt = r.fmt
    code = form_code(r, 2)
    flow = Flow(r, "contract_review", record_start("合同评审记录表", code))
    header_block(flow, [(fmt.label("项目名称") if False else "项目名称", sc.survey.project_name),
                        (fmt.label("用人单位"), sc.employer.name),
                        ("合同编号", T(sc.contract.contract_no, "value", "contract.no")),
                        ("评审日期", T(fmt.date(cr.date), "value", "contract_review.date")),
                        ("评审方式", ["会议评审", "会签评审", "授权人评审"][r.variant]),
                        ("检测类别", "定期检测")])
    rows = []
    for i, (k, ok) in enumerate(cr.points.items()):
        rows.append({"no": str(i + 1), "item": _REVIEW_POINTS.get(k, k),
                     "res": ("√ 满足" if ok else "× 不满足") if r.variant != 1 else ("符合" if ok else "不符合"),
                     "note": ""})
    table(flow, [Col("no", "序号", 0.5), Col("item", "评审内容", 5, "l"), Col("res", "评审结果", 1.3), Col("note", "备注", 1)],
          rows, min_h=30, shade=r.variant == 0)
    flow.need(80)
    flow.pg.text(ML, flow.y + 6, "评审结论" + fmt.colon, 10.5, bold=True)
    flow.y = flow.pg.para(ML, flow.y + 24, cr.conclusion, CW, indent=True) + 6
    signature_fields(flow, [("评审人员", cr.reviewers, cr.date, "contract_review.reviewers")])
    flow.number(page_no_fmt(r.variant), pos="top" if r.variant == 1 else "bottom")


# --------------------------------------------------------------------------- field survey
# Part headings of the survey, one set per layout variant (institutions word them differently).
_SURVEY_HEADS = [
    ("一、企业基本情况", "二、主要原辅材料及用量", "三、生产工艺流程", "四、主要生产设备", "五、职业病防护设施",
     "六、个体防护用品"),
    ("（一）用人单位基本情况", "（二）原辅材料", "（三）生产工艺", "（四）主要生产设备及布局",
     "（五）职业病防护设施设置情况", "（六）个体防护用品配备情况"),
    ("1. 基本情况", "2. 原辅料使用情况", "3. 工艺流程", "4. 生产设备", "5. 防护设施", "6. 个人防护用品"),
]
_BASIC_LABELS = [
    {"address": "单位地址", "scale": "企业规模", "workers": "劳动定员", "industry": "行业类别", "products": "主要产品",
     "contact": "联系人", "phone": "联系电话"},
    {"address": "地址", "scale": "规模", "workers": "职工总数", "industry": "所属行业", "products": "主要产品及产量",
     "contact": "联系人", "phone": "电话"},
    {"address": "注册地址", "scale": "企业规模", "workers": "职工人数", "industry": "行业分类", "products": "产品",
     "contact": "联系人", "phone": "联系方式"},
]
_WORKDAY_COLS = [("人数", "接触时间(h)"), ("接触人数", "接触时间 h/d"), ("定员(人)", "每班接触时间(h)")]


def field_survey(r: Renderer) -> None:
    sc = r.sc
    sv, emp = sc.survey, sc.employer
    fmt = r.fmt
    code = form_code(r, 5)
    t = ["职业卫生现场调查记录", "用人单位职业卫生现场调查表", "现场调查记录"][r.variant]
    flow = Flow(r, "field_survey", record_start(t, code))
    dates = "、".join(fmt.date(d) for d in sv.dates)
    header_block(flow, [(fmt.label("项目编号"), T(sv.project_no, "value", "survey.project_no")),
                        (fmt.label("用人单位"), emp.name), ("调查日期", T(dates, "value", "survey.dates")),
                        ("调查范围", sv.scope)])
    sz = r.size(10.5)
    heads = _SURVEY_HEADS[r.variant]

    def heading(s: str) -> None:
        flow.need(sz * 4)
        flow.pg.text(ML, flow.y + 2, s, 11, bold=True, tag="label", key="survey.part")
        flow.y += sz * 2

    heading(heads[0])
    labels = _BASIC_LABELS[r.variant]
    b = sv.basics
    header_block(flow, [(labels[k], b.get(k, "")) for k in ("address", "scale", "workers", "industry", "products",
                                                           "contact", "phone")],
                 variant=(r.variant + 2) % 3)
    heading(heads[1])
    table(flow, [Col("no", "序号", 0.5), Col("name", "名称", 1.6), Col("amt", "年用量", 1.2), Col("comp", "主要成分", 2.6, "l")],
          [{"no": str(i + 1), "name": T(m.name, "value", "survey.material_name"), "amt": T(m.printed("amount"), "value", "survey.material_amount"),
            "comp": T(m.printed("components"), "value", "survey.material_components")}
           for i, m in enumerate(sv.raw_materials)])
    for head, body in ((heads[2], sv.processes), (heads[3], sv.equipment), (heads[4], sv.facilities),
                       (heads[5], sv.ppe)):
        heading(head)
        if not body.strip():  # left blank: the heading and an empty line
            flow.y += sz * 1.75
            continue
        for ln in wrap("\u3000\u3000" + body, CW - 4, sz, r.ident_terms):
            flow.need(sz * 1.8)
            flow.pg.text(ML + 2, flow.y, ln, 10.5)
            flow.y += sz * 1.75
    n = 7
    if sv.sio2_percent is not None or sv.sio2_blank:
        heading(_part_no(r.variant, n) + "粉尘中游离二氧化硅含量")
        shown = f"{sv.sio2_percent:.1f}%" if sv.sio2_percent is not None else sv.sio2_blank
        flow.pg.text(ML + 2, flow.y, f"游离SiO2含量测定结果：{shown}", 10.5, tag="value",
                     key="survey.sio2_percent")
        flow.y += sz * 2
        n += 1
    heading(_part_no(r.variant, n) + "岗位设置及职业病危害因素分布")
    table(flow, [Col("ws", "车间", 1.1), Col("post", "岗位（工种）", 1.3), Col("site", "工作地点", 1.5),
                 Col("n", "劳动定员", 0.7), Col("shift", "工作班制", 1.2), Col("h", "接触时间(h/班)", 0.9),
                 Col("f", "职业病危害因素", 1.8, "l")],
          [{"ws": p.workshop, "post": p.name, "site": p.site, "n": str(p.workers), "shift": p.shift,
            "h": f"{p.exposure_hours:g}", "f": "、".join(p.factors)} for p in sc.posts], size=8.5)
    sigs = [(fmt.label("调查人"), sv.technicians, sv.dates[0] if sv.dates else None, "survey.technicians"),
            (fmt.label("陪同人"), sv.escort, sv.dates[0] if sv.dates and sv.escort else None, "survey.escort")]
    signature_fields(flow, sigs)
    flow.number(page_no_fmt(r.variant))

    # 工作日写实 is its own sheet, part of the survey record.
    flow2 = Flow(r, "field_survey", record_start("工作日写实记录", form_code(r, 6)))
    header_block(flow2, [(fmt.label("用人单位"), emp.name),
                         ("写实日期", T(fmt.date(sv.dates[-1]) if sv.dates else "", "value", "survey.workday_date"))],
                 variant=(r.variant + 1) % 3)
    n_title, h_title = _WORKDAY_COLS[r.variant]
    table(flow2, [Col("no", "序号", 0.5), Col("post", "岗位（工种）", 1.4), Col("n", n_title, 0.6), Col("shift", "工作班制", 1.3),
                  Col("h", h_title, 0.9), Col("c", "工作内容及时间分配（写实）", 4, "l")],
          [{"no": str(i + 1), "post": T(w.post, "value", "survey.workday_post"),
            "n": str(w.workers) if w.workers is not None else w.blank_text,
            "shift": w.shift, "h": f"{w.exposure_hours:g}" if w.exposure_hours is not None else w.blank_text,
            "c": w.content} for i, w in enumerate(sv.workday)], size=9, min_h=30)
    signature_fields(flow2, [(fmt.label("调查人"), sv.technicians, None, "survey.workday_technicians"),
                             (fmt.label("陪同人"), sv.escort, None, "survey.workday_escort")])
    flow2.number(page_no_fmt(r.variant))


def _part_no(variant: int, n: int) -> str:
    return [f"{_cn(n - 1)}、", f"（{_cn(n - 1)}）", f"{n}. "][variant]


# --------------------------------------------------------------------------- plan
_QC = ["采样前对采样仪器进行流量校准，长时间采样前后各校准一次，以前后流量的平均值计算采样体积；",
       "每个检测因素每个采样日设置不少于1个样品空白，与样品同时运输、保存和分析；",
       "现场采样由2名及以上专业技术人员共同完成，用人单位陪同人在采样记录上签字确认；",
       "采样应在正常生产状态下进行，记录生产负荷及防护设施运行情况；",
       "实验室分析执行方法空白、平行样或加标回收等质量控制措施。"]
_BASIS = ["GBZ 159-2004《工作场所空气中有害物质监测的采样规范》", "GBZ/T 192.1～192.5《工作场所空气中粉尘测定》",
          "GBZ/T 300 系列《工作场所空气有毒物质测定》", "GBZ/T 189.8-2007《工作场所物理因素测量 第8部分：噪声》",
          "GBZ 2.1-2019《工作场所有害因素职业接触限值 第1部分：化学有害因素》",
          "GBZ 2.2-2007《工作场所有害因素职业接触限值 第2部分：物理因素》"]


def detection_plan(r: Renderer) -> None:
    sc = r.sc
    pl = sc.plan
    fmt = r.fmt
    code = form_code(r, 8)
    t = ["职业病危害因素检测方案", "检测方案（采样计划）", "工作场所职业病危害因素检测方案"][r.variant]
    flow = Flow(r, "detection_plan", record_start(t, code, letter=r.variant == 2))
    dates = "、".join(fmt.date(d) for d in pl.sampling_dates)
    header_block(flow, [("方案编号", T(pl.plan_no, "value", "plan.no")), (fmt.label("项目编号"), sc.survey.project_no),
                        ("项目名称", sc.survey.project_name), (fmt.label("用人单位"), sc.employer.name),
                        ("检测类别", "定期检测"), ("计划采样日期", T(dates, "value", "plan.sampling_dates"))])
    sz = r.size(10.5)

    def heading(s: str) -> None:
        flow.need(sz * 4)
        flow.pg.text(ML, flow.y + 2, s, 11, bold=True)
        flow.y += sz * 2

    heading("一、检测依据")
    for b in _BASIS:
        flow.need(sz * 1.8)
        flow.pg.text(ML + 12, flow.y, b, 10)
        flow.y += sz * 1.7
    heading("二、采样点设置及采样要求")
    show_flow = any(row.flow_lpm is not None for row in pl.rows)  # a plan with no flows has no flow column
    cols = [Col("post", "岗位/工种", 1.2), Col("site", "采样点", 1.3), Col("factor", "检测因素", 1.1),
            Col("mode", "采样方式", 0.7), Col("pts", "点数/人数", 0.65), Col("n", "样品数/天", 0.65),
            Col("days", "天数", 0.5), Col("min", "采样时间(min)", 0.8)]
    if show_flow:
        cols.append(Col("flow", fmt.label("采样流量") + "(L/min)", 0.8))
    cols += [Col("coll", "收集器", 0.9), Col("period", "采样时段", 1.0)]
    table(flow, cols, [{"post": p.post, "site": p.site, "factor": p.factor, "mode": p.mode, "pts": str(p.points),
                        "n": str(p.samples_per_day), "days": str(p.days), "min": str(p.minutes),
                        "flow": T(f"{p.flow_lpm:g}", "value") if p.flow_lpm is not None else None,
                        "coll": p.collector, "period": p.period} for p in pl.rows], size=8)
    heading("三、主要仪器设备")
    flow.y = flow.pg.para(ML + 12, flow.y, "、".join(pl.equipment) + "。", CW - 12, 10)
    n = 4
    if pl.storage_conditions is not None or pl.storage_days is not None:
        heading("四、样品保存与运输")
        txt = ""
        if pl.storage_conditions is not None:
            txt += f"{fmt.label('保存条件')}{fmt.colon}{pl.storage_conditions}。"
        if pl.storage_days is not None:
            txt += f"保存期限{fmt.colon}{pl.storage_days}天内完成分析。"
        txt += "样品运输过程中防止碰撞、污染和倒置。"
        flow.y = flow.pg.para(ML + 12, flow.y, txt, CW - 12, 10)
        n = 5
    heading(f"{_cn(n - 1)}、质量控制措施")
    for i, q in enumerate(_QC):
        flow.y = flow.pg.para(ML + 12, flow.y, f"{i + 1}. {q}", CW - 12, 10)
    flow.y += 6
    appr = fmt.label("批准人") + (f"（{pl.approver_title}）" if pl.approver_title else "")
    signature_fields(flow, [(fmt.label("编制人"), pl.author, pl.author_date, "plan.author"),
                            (fmt.label("审核人"), pl.reviewer, pl.review_date, "plan.reviewer"),
                            (appr, pl.approver, pl.approve_date, "plan.approver")],
                     style=[2, 1, 0][r.variant])
    flow.number(page_no_fmt(r.variant))
