"""Indicator 15: registered signers sign in roles their registration covers.

Attachment 3, item (15)：“机构各岗位的设置符合要求。”
检查方法：“……查询技术服务报告及相关原始记录等材料，与所任命的人员是否一致，每发现1人不符合要求的扣0.2分。”

- ``staff.role_not_registered`` (15): a registered person signs in a role whose family
  their registered roles clearly lack (a sampler whose roles have no 采样/现场/检测, an
  analyst without 检验/分析, an issuer without 授权签字, a report reviewer without 审核),
  checked only when the institution's role vocabulary uses that family at all, and only
  for a name read as written (not one the reading was mapped onto).
"""
from __future__ import annotations

import re
from collections import defaultdict

from checks._people import ROLE_FAMILIES, Signer, fmt_pages, iter_signers
from checks.base import Ctx, check



@check("i015_signer_roles", indicators=[15], needs=[])
def signer_roles(ctx: Ctx):
    """Registered signers sign in roles their registration covers."""
    staff = ctx.staff
    vocab = "、".join(r for m in staff.values() for r in (m.get("roles") or []))
    bad: dict[tuple[str, str], list[Signer]] = defaultdict(list)
    for s in iter_signers(ctx.records):
        fam = ROLE_FAMILIES.get((s.record, s.role))
        if fam is None or not s.val.ok:
            continue
        words, _ = fam
        if not any(w in vocab for w in words):
            continue  # this institution's role list does not use that vocabulary
        m = staff.get(str(s.val.value))
        if m is None or not m.get("roles"):
            continue
        if str(s.val.value) not in re.sub(r"\s", "", s.val.raw or ""):
            # the name was mapped onto the staff list from another reading (余斌 read,
            # 余健 registered): whether that person signed at all is not known
            continue
        roles = "、".join(m["roles"])
        if not any(w in roles for w in words):
            bad[(str(s.val.value), s.record + "/" + s.role)].append(s)
    for (name, _), ss in bad.items():
        s0 = ss[0]
        _, fam_zh = ROLE_FAMILIES[(s0.record, s0.role)]
        roles = "、".join(staff[name]["roles"])
        pages = [s.val.page for s in ss]
        yield ctx.finding(
            "staff.role_not_registered", 15,
            f"{name}在{s0.record_zh}（第{fmt_pages(pages)}页）以{s0.role_zh}身份签字，"
            f"但其登记的岗位/职责为“{roles}”，不含{fam_zh}",
            [s.val for s in ss][:6], pages=pages)
