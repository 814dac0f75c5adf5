"""Family B: agreement, agreement review, site investigation, sampling plan."""
from __future__ import annotations

import random

from samples.render.draw import Renderer
from samples.render_b.kit import (C, CW, GREY, ML, W, Form, Ink, Tx, check, fdate, grid, hand_date_b, hdate,
                                  info_grid, sign_many, sign_strip)


# --------------------------------------------------------------------------- agreement
def contract(r: Renderer) -> None:
    sc = r.sc
    c, emp, ident = sc.contract, sc.employer, sc.identity
    f = Form(r, "contract", "职业病危害因素检测技术服务协议书", 1, letter=False, band=False)
    pg = f.pg
    pg.text(W - 52, f.y - 4, f"协议编号：{c.contract_no}", 9.5, align="r", tag="value", key="contract.no")
    f.y += 12
    info_grid(f, [
        [("委托单位（甲方）", emp.name, 3)],
        [("通讯地址", emp.address, 2), ("联系人", emp.contact, 1)],
        [("受托单位（乙方）", Tx(c.party_b_name, "value", "contract.party_b") if c.party_b_name else Tx(ident.name), 3)],
        [("通讯地址", c.party_b_address or ident.address, 2), ("联系电话", c.party_b_phone or ident.phone, 1)],
    ], size=9.5)
    f.para("依据《中华人民共和国职业病防治法》《工作场所职业卫生管理规定》等法律法规，甲方委托乙方对其工作场所"
           "职业病危害因素进行检测。双方经协商一致，订立本协议，共同遵守。", 10.5)
    arts: list[tuple[str, str]] = []
    if c.service_content:
        arts.append(("委托事项", f"乙方为甲方提供{c.service_content}技术服务，并出具检测报告。"))
    if c.scope:
        arts.append(("检测范围", c.scope + "。具体岗位及检测项目以乙方现场调查后编制的采样计划为准。"))
    if c.completion_time:
        arts.append(("履行期限", f"{c.completion_time}。因甲方原因延误的，期限相应顺延。"))
    arts.append(("费用与结算", f"本协议技术服务费共计{c.fee}，甲方于收到检测报告后十五日内一次付清。"))
    arts.append(("甲方义务", "；".join(f"（{i}）{d}" for i, d in enumerate(c.party_a_duties, 1)) + "。"))
    duties_b = list(c.party_b_duties) + ([c.subcontract_clause] if c.subcontract_clause
                                         and c.subcontract_place == "duty" else [])
    arts.append(("乙方义务", "；".join(f"（{i}）{d}" for i, d in enumerate(duties_b, 1)) + "。"))
    if c.subcontract_clause and c.subcontract_place != "duty":
        arts.append(("项目实施", c.subcontract_clause))
    arts.append(("违约责任", "任何一方未履行本协议约定义务的，应承担相应违约责任；因不可抗力不能履行的除外。"))
    arts.append(("争议解决", "履行中发生争议，双方协商解决；协商不成的，向乙方所在地人民法院提起诉讼。"))
    arts.append(("其他", "本协议一式肆份，甲乙双方各执贰份，自双方签字盖章之日起生效。未尽事宜另行签订补充协议。"))
    nums = "一二三四五六七八九十"
    for i, (head, body) in enumerate(arts):
        f.heading(f"第{nums[i]}条  {head}", 10.5)
        f.para(body, 10.5, indent=True, lead=1.8)
    # signature/seal block (last page only)
    f.need(150)
    pg, y = f.pg, f.y + 10
    half = CW / 2
    for j, (who, name, signer, owner) in enumerate([
        ("甲方（盖章）", emp.name, c.party_a_signer, "employer"),
        ("乙方（盖章）", c.party_b_name or ident.name, c.party_b_signer, "contractor" if c.party_b_name else "institution"),
    ]):
        x = ML + j * half
        pg.text(x, y, who, 10.5, bold=True)
        pg.text(x, y + 20, name, 9.5)
        bx = pg.text(x, y + 48, "法定代表人或授权代表：", 9.5)
        sign_many(pg, bx[2] + 2, y + 54, [signer], 80, key=f"contract.signer_{'ab'[j]}")
        pg.text(x, y + 78, "签订日期：" + fdate(r, c.sign_date), 9.5, tag="value", key="contract.sign_date")
        pg.seal(x + 110, y + 40, owner=owner, bottom="合同专用章", d=100)
    f.y = y + 110
    if len(f.flow.pages) < 2:  # the annex page: hazard list agreed at signing
        f.flow.new_page()
        f.heading("附件：拟检测岗位及职业病危害因素清单", 11)
        rows = [{"no": str(i), "ws": p.workshop, "post": p.name, "fac": "、".join(p.factors)}
                for i, p in enumerate(sc.posts, 1)]
        grid(f, [C("no", "序号", 0.6), C("ws", "车间", 1.6), C("post", "岗位（工种）", 2.0),
                 C("fac", "职业病危害因素", 3.0, "l")], rows, size=9, repeat_titles=True)
        f.para("注：检测岗位及项目以现场调查结果为准，乙方可根据调查情况增减并书面告知甲方。", 9, indent=False)
    f.finish()


# --------------------------------------------------------------------------- agreement review
_REVIEW_ITEMS = [
    ("法律法规标准", "委托要求是否明确；检测依据的法律法规、标准规范是否现行有效"),
    ("检测能力", "委托项目是否在本机构资质认可的业务范围和检测项目内，方法是否满足"),
    ("人员", "专业技术人员数量、专业能否满足本项目现场调查、采样和分析需要"),
    ("设备", "采样设备、现场检测仪器和实验室分析仪器能否满足，是否在检定/校准有效期内"),
]


def contract_review(r: Renderer) -> None:
    sc = r.sc
    cr = sc.contract_review
    if cr is None:
        return
    f = Form(r, "contract_review", "技术服务委托评审单", 2, sub="（协议签订前评审）")
    info_grid(f, [
        [("委托单位", sc.employer.name, 3), ("协议编号", sc.contract.contract_no, 2)],
        [("项目类别", "职业病危害因素定期检测", 3), ("评审日期", fdate(r, cr.date), 2)],
    ])
    rows = []
    for i, (k, desc) in enumerate(_REVIEW_ITEMS, 1):
        ok = cr.points.get(k)
        rows.append({"no": str(i), "item": desc, "res": "能满足 √" if ok else ("不满足 ×" if ok is False else ""),
                     "note": ""})
    grid(f, [C("no", "序号", 0.5), C("item", "评审内容", 5.0, "l"), C("res", "评审结果", 1.4),
             C("note", "备注", 1.0)], rows, size=9.5, min_h=26)
    f.heading("评审意见：", 10.5)
    f.para(cr.conclusion, 10)
    f.y += 6
    sign_strip(f, [("评审人员", list(cr.reviewers), cr.date, "contract_review.reviewers")], boxed=True)
    f.finish()


# --------------------------------------------------------------------------- site investigation
# Part headings and labels; each family-B institution words them its own way (drawn from
# the bundle seed with a generator of its own, so the habits of kit.BHabits stay as they were).
_SURVEY_HEADS_B = [
    ("企业基本情况", "生产工艺流程简述", "原辅材料及用量", "主要生产设备", "职业病防护设施", "个体防护用品",
     "粉尘中游离二氧化硅含量", "岗位作业写实（工作日写实）", "职业病危害因素识别"),
    ("用人单位概况", "生产工艺", "主要原辅材料", "主要生产设备设施", "职业病防护设施设置及运行情况",
     "个人使用的职业病防护用品", "游离二氧化硅含量", "工作日写实", "岗位职业病危害因素"),
    ("单位基本信息", "工艺流程", "原料、辅料", "设备清单", "防护设施", "劳动防护用品发放情况",
     "游离SiO2测定", "劳动者工作日写实", "危害因素辨识结果"),
]
_BASICS_B = [
    (("单位地址", "address"), ("企业规模", "scale"), ("职工总数", "workers"), ("主要产品及产量", "products")),
    (("地    址", "address"), ("规    模", "scale"), ("在册职工", "workers"), ("产品及产能", "products")),
    (("详细地址", "address"), ("企业规模", "scale"), ("劳动者总数", "workers"), ("主要产品", "products")),
]
_WORKDAY_B = [("定员（人）", "接害时间 h/班"), ("接触人数", "接触时长 h/d"), ("作业人数", "每班接触 h")]


def _prose_variant(r: Renderer) -> int:
    return random.Random(f"family-b-prose:{r.sc.seed}").randrange(3)


def field_survey(r: Renderer) -> None:
    sc = r.sc
    sv, emp = sc.survey, sc.employer
    v = _prose_variant(r)
    heads = _SURVEY_HEADS_B[v]
    f = Form(r, "field_survey", "用人单位职业卫生现场调查表", 5)
    dates = "、".join(fdate(r, d) for d in sv.dates)
    info_grid(f, [
        [("项目编号", Tx(sv.project_no, "value", "survey.project_no"), 2), ("调查日期", Tx(dates, "value", "survey.dates"), 2)],
        [("项目名称", sv.project_name, 4)],
        [("调查范围", sv.scope, 4)],
    ])
    b = sv.basics
    la, ls, lw, lp = _BASICS_B[v]
    no = 1

    def head(i: int) -> None:
        nonlocal no
        f.heading(f"{no}  {heads[i]}", key="survey.part")
        no += 1

    def body(text: str) -> None:
        if text.strip():
            f.para(text, 10)
        elif text:  # "/" or "—" written in the space
            f.para(text, 10, indent=False, x=ML + 24)
        else:  # nothing written: an empty line under the heading
            f.y += r.size(10) * 1.7

    head(0)
    info_grid(f, [
        [("单位名称", emp.name, 2), ("行业类别", b.get("industry", ""), 2)],
        [(la[0], b.get(la[1], ""), 2), ("联系人/电话", f"{b.get('contact', '')} {b.get('phone', '')}".strip(), 2)],
        [(lw[0], b.get(lw[1], ""), 1), (ls[0], b.get(ls[1], ""), 1), (lp[0], b.get(lp[1], ""), 2)],
    ])
    head(1)
    body(sv.processes)
    head(2)
    grid(f, [C("n", "名称", 2), C("a", "年用量", 1.3), C("c", "主要成分（含量）/ 有害组分", 3.5, "l"),
             C("sds", "SDS", 0.7)],
         [{"n": Tx(m.name, "value", "survey.material_name"), "a": Tx(m.printed("amount"), "value", "survey.material_amount"),
           "c": Tx(m.printed("components"), "value", "survey.material_components"), "sds": "有"}
          for m in sv.raw_materials], size=9)
    head(3)
    body(sv.equipment)
    head(4)
    body(sv.facilities)
    head(5)
    body(sv.ppe)
    if sv.sio2_percent is not None:
        head(6)
        f.para(f"本次调查采集沉积尘样品，按焦磷酸法测定游离SiO2含量为 {sv.sio2_percent}%。", 10)
    elif sv.sio2_blank:
        head(6)
        f.para("游离SiO2含量：/" if sv.sio2_blank == "/" else "本次调查未测定粉尘中游离SiO2含量。", 10)
    head(7)
    n_t, h_t = _WORKDAY_B[v]
    rows = [{"ws": next((p.workshop for p in sc.posts if p.name == w.post), ""),
             "post": Tx(w.post, "value", "survey.workday_post"),
             "n": str(w.workers) if w.workers is not None else w.blank_text, "shift": w.shift,
             "t": f"{w.exposure_hours:g}" if w.exposure_hours is not None else w.blank_text, "c": w.content}
            for w in sv.workday]
    grid(f, [C("ws", "车间/部门", 1.4), C("post", "岗位（工种）", 1.6), C("n", n_t, 0.8),
             C("shift", "班制", 1.5), C("t", h_t, 0.9), C("c", "作业内容及接触方式", 3.2, "l")],
         rows, size=8.5)
    head(8)
    grid(f, [C("ws", "车间", 1.4), C("post", "岗位（工种）", 1.6), C("site", "作业地点", 1.8, "l"),
             C("fac", "存在的职业病危害因素", 3.2, "l")],
         [{"ws": p.workshop, "post": p.name, "site": p.site, "fac": "、".join(p.factors) or "无"} for p in sc.posts],
         size=8.5)
    sign_strip(f, [("调查人员", list(sv.technicians), sv.dates[-1], "survey.technicians"),
                   ("企业陪同人员", [sv.escort] if sv.escort else [], sv.dates[-1] if sv.escort else None,
                    "survey.escort")], boxed=None)
    f.finish()


# --------------------------------------------------------------------------- sampling plan
def detection_plan(r: Renderer) -> None:
    sc = r.sc
    p = sc.plan
    f = Form(r, "detection_plan", "职业病危害因素现场采样计划", 8, letter=True)
    info_grid(f, [
        [("计划编号", Tx(p.plan_no, "value", "plan.no"), 2), ("项目编号", sc.survey.project_no, 2)],
        [("用人单位", sc.employer.name, 4)],
        [("计划采样日期", "、".join(fdate(r, d) for d in p.sampling_dates), 2), ("采样依据", "GBZ 159-2004", 2)],
    ])
    rows = []
    for i, row in enumerate(p.rows, 1):
        noise = row.factor == "噪声"
        rows.append({
            "no": str(i), "where": f"{row.post}\n{row.site}", "fac": row.factor,
            "mode": row.mode + ("测量" if noise else "采样"),
            "pts": str(row.points), "n": str(row.samples_per_day) if not noise else f"{row.samples_per_day}次",
            "days": str(row.days),
            "min": "—" if noise else str(row.minutes),
            "flow": "—" if noise else ("" if row.flow_lpm is None else f"{row.flow_lpm:g}"),
            "col": row.collector, "period": row.period,
        })
    grid(f, [C("no", "序号", 0.5), C("where", "岗位/采样点", 2.0, "l"), C("fac", "检测项目", 1.2),
             C("mode", "方式", 0.9), C("pts", "点数/对象数", 0.8, group="数量"), C("n", "样品数/日", 0.8, group="数量"),
             C("days", "天数", 0.6, group="数量"), C("min", "每样时长 min", 0.9), C("flow", "流量 L/min", 0.8),
             C("col", "收集器", 1.2), C("period", "采样时段", 1.6)], rows, size=8)
    f.heading("质量控制与样品管理", 10.5)
    f.para("采样前、后用皂膜流量计校准采样流量，相对偏差不超过5%；每个采样日每种待测物设置现场空白样品，"
           "与样品同时运输、保存和分析；噪声测量前后用声校准器校准。", 9.5)
    store = []
    if p.storage_conditions:
        store.append(f"保存条件为{p.storage_conditions}")
    if p.storage_days is not None:
        store.append(f"样品应在采样后 {p.storage_days} 日内完成分析")
    if store:
        f.para("样品保存：" + "；".join(store) + "。", 9.5)
    f.para("使用仪器：" + "、".join(p.equipment) + "。", 9.5)
    # approvals, once, at the end
    f.need(96)
    pg, y = f.pg, f.y + 6
    cells = [("编制", [p.author], p.author_date, "plan.author"),
             ("审核", [p.reviewer] if p.reviewer else [], p.review_date if p.reviewer else None, "plan.reviewer"),
             ("批准", [p.approver] if p.approver else [], p.approve_date if p.approver else None, "plan.approver")]
    colw = CW / 3
    for j, (lbl, names, d, key) in enumerate(cells):
        x = ML + j * colw
        pg.rect(x, y, x + colw, y + 76, w=0.6)
        pg.text(x + 5, y + 5, lbl + ("（" + p.approver_title + "）" if lbl == "批准" and p.approver else ""), 9.5)
        sign_many(pg, x + 12, y + 34, names, colw - 24, h=17, key=key)
        pg.text(x + 5, y + 56, "日期：", 9)
        if names and d:
            hand_date_b(pg, x + 36, y + 61, d, h=11, key=key + "_date")
    f.y = y + 84
    pg.text(ML, f.y, "注：本计划经批准后实施，现场情况变化需调整时应填写计划变更单。", 8.5, color=GREY)
    f.y += 14
    f.finish()
