"""Indicators 78, 89 and 15: signers are the institution's registered staff. (Their roles:
``i015_signer_roles``; two roles one person: ``i040_distinct_signers``.)

Attachment 3, item (78)：“是否有未参与本次现场调查、采样检测人员在原始记录上签字情况。★”
检查方法：“通过比对现场调查、采样/测量原始记录、影像资料等信息和用人单位影音记录、出入厂记录、陪同人员问询等方式，
核对实际参与人员、数量与原始记录是否一致。”

Item (89)：“是否存在未参与本次实验室分析人员在原始记录上签字情况。★”
检查方法：“到机构实验室现场核查仪器使用记录人员签字与检测原始记录人员签字是否一致。”

Item (15)：“机构各岗位的设置符合要求。”
检查方法：“……查询技术服务报告及相关原始记录等材料，与所任命的人员是否一致，每发现1人不符合要求的扣0.2分。”

- ``staff.unregistered_signer``: a name signed on a record (survey, plan, sampling,
  transfer, lab, calculation, report, team list, contract review) matches no one on the
  registered staff list of ``submission.json``. Indicator 78 when the name signs a field
  record (survey, sampling, sample hand-over), 89 when it signs lab work (analysis,
  calculation), 15 otherwise. The matching rule and its threshold are explained in
  ``_people`` (distance ≥ 2 from every registered name, confident read, name
  shape); the employer's escort is never on the list and is never checked. A name read
  on a single form where the same role on sibling forms is a registered person of the
  same surname missing from this form is taken for a handwriting misread (``_lone_misread``).
"""
from __future__ import annotations

from checks._people import Signer, dist, escort_names, iter_signers, judge_name, staff_names
from checks.base import Ctx, check

_PRIORITY = {78: 0, 89: 1, 15: 2}


@check("i078_registered_signers", indicators=[78, 89, 15], needs=[])
def registered_signers(ctx: Ctx):
    """Every signer is on the registered staff list."""
    registered = staff_names(ctx)
    signers = [s for s in iter_signers(ctx.records) if s.val.ok]
    if not signers:
        return
    if not registered:
        yield ctx.cannot_decide(78, "submission.json 中机构登记的专业技术人员名单",
                                why="无登记人员名单，无法核对签字人是否为本机构人员")
        return
    escorts = escort_names(ctx.records)
    # the legal representative is the institution's, though not technical staff: a
    # contract review may carry that signature
    legal_rep = str(ctx.institution.get("legal_rep") or "")
    unreg: list[tuple[Signer, str]] = []
    notes: dict[str, str] = {}  # name → why a same-surname registered person was not taken
    for s in signers:
        name = str(s.val.value)
        if any(dist(name, e) <= 1 for e in escorts if len(e) >= 2):
            continue
        if s.record == "contract_review" and legal_rep and dist(name, legal_rep) <= 1:
            continue
        verdict = judge_name(ctx, s.val, registered, (s.record, s.role))
        if verdict.status == "unregistered":
            unreg.append((s, name))
            if verdict.note:
                notes[name] = verdict.note
    # one finding per person: names within one character of each other are one person read twice
    clusters: list[list[tuple[Signer, str]]] = []
    for s, name in unreg:
        for c in clusters:
            if any(dist(name, n) <= 1 for _, n in c):
                c.append((s, name))
                break
        else:
            clusters.append([(s, name)])
    for c in clusters:
        if _lone_misread(c, signers, registered):
            continue
        names = list(dict.fromkeys(n for _, n in c))
        ind = min((s.indicator for s, _ in c), key=lambda i: _PRIORITY.get(i, 9))
        where = "；".join(dict.fromkeys(f"{s.record_zh}第{s.val.page}页{s.role_zh}" for s, _ in c))
        yield ctx.finding(
            "staff.unregistered_signer", ind,
            f"签字人“{'/'.join(names)}”（{where}）不在机构登记的专业技术人员名单中"
            f"（名单共{len(registered)}人，无姓名与之相同或仅差一字"
            + "".join(f"；{notes[n]}" for n in names if n in notes) + "）",
            [s.val for s, _ in c][:6], pages=[s.val.page for s, _ in c])


def _lone_misread(cluster: list[tuple[Signer, str]], signers: list[Signer], registered: list[str]) -> bool:
    """A name read on one page only, in a role whose sibling forms (the other sampling
    sheets, say) carry a registered name with the same surname that this form's slot
    lacks: handwriting OCR misreads two characters of a name now and then (苏庆琳 →
    苏天淋, 何娜芳 → 何荐), while someone who really signed without registration signs
    the same way on every form they worked on. The price: an unregistered person who
    signed a single form in place of a registered colleague of the same surname is not
    flagged."""
    if len({s.val.page for s, _ in cluster}) != 1:
        return False
    for s, name in cluster:
        here = {str(x.val.value) for x in signers if x.record == s.record and x.group == s.group and x.role == s.role}
        siblings = {str(x.val.value) for x in signers
                    if x.record == s.record and x.role == s.role and x.group != s.group}
        if not any(r in registered and r[:1] == name[:1] and abs(len(r) - len(name)) <= 1 and r not in here
                   for r in siblings):
            return False
    return True
