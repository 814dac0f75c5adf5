"""The workbench's tables.

Identity (the institution's name, certificate, address, …) lives only on
:class:`Bundle` (``identity``, ``submission``) and the raw finding ``message``; what an
expert or leader is served comes from ``Finding.message_blind`` and the blind copy.
Every row an expert edits carries ``version``: a save names the version it started
from and is refused when someone saved in between (optimistic concurrency).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

User = settings.AUTH_USER_MODEL


class Batch(models.Model):
    """One ``bundlecheck run`` output folder, imported."""

    out_dir = models.CharField("输出目录", max_length=500, unique=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    summary = models.JSONField("summary.json", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "批次"

    def __str__(self) -> str:
        return self.out_dir


class Bundle(models.Model):
    LAB_UNKNOWN, LAB_PASS, LAB_FAIL = "", "pass", "fail"
    LAB_CHOICES = [(LAB_UNKNOWN, "未录入"), (LAB_PASS, "合格"), (LAB_FAIL, "不合格")]

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="bundles")
    bundle_id = models.CharField("证据包编号", max_length=100, unique=True)
    status = models.CharField("流水线状态", max_length=20)
    error = models.TextField(blank=True)
    # --- identity: center only -------------------------------------------------
    institution_name = models.CharField("机构名称", max_length=200, blank=True)
    city = models.CharField("地市", max_length=50, blank=True)
    report_no = models.CharField("报告编号", max_length=100, blank=True)
    identity = models.JSONField("机构身份", default=dict, blank=True)
    submission = models.JSONField("submission.json", default=dict, blank=True)
    original_pdf = models.CharField(max_length=500, blank=True)
    # --- blind copy --------------------------------------------------------------
    anonymized_pdf = models.CharField(max_length=500, blank=True)
    anonymized_safe = models.BooleanField("匿名副本已验证", default=False)
    anonymized_detail = models.JSONField(default=dict, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    sections = models.JSONField(default=list, blank=True)
    findings_sha256 = models.CharField(max_length=64, blank=True)
    lab_comparison = models.CharField("实验室比对结果", max_length=10, choices=LAB_CHOICES, blank=True,
                                      default=LAB_UNKNOWN)

    class Meta:
        verbose_name = verbose_name_plural = "证据包"
        ordering = ["bundle_id"]
        permissions = [
            ("view_identity", "可查看原件与机构身份"),
            ("manage_review", "可组建专家组、分配证据包、导出结果"),
        ]

    def __str__(self) -> str:
        return self.bundle_id

    def identity_strings(self) -> list[str]:
        """Every identity string of submission.json an expert must never see, longest first."""
        inst = self.identity or {}
        vals: list[str] = []
        for key in ("name", "certificate_no", "address", "lab_address", "phone", "website", "email", "legal_rep"):
            v = inst.get(key)
            if isinstance(v, str) and v.strip():
                vals.append(v.strip())
        vals += [a.strip() for a in inst.get("aliases") or [] if isinstance(a, str) and a.strip()]
        return sorted(set(vals), key=len, reverse=True)


class Finding(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="findings")
    seq = models.PositiveIntegerField()
    code = models.CharField(max_length=100)
    indicator = models.PositiveSmallIntegerField(null=True, blank=True)
    veto = models.BooleanField(default=False)
    message = models.TextField("原文提示（含身份）")
    message_blind = models.TextField("盲审提示")
    evidence = models.JSONField("证据（页码+框）", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["bundle", "seq"]
        constraints = [models.UniqueConstraint(fields=["bundle", "seq"], name="finding_seq_unique")]

    def __str__(self) -> str:
        return f"{self.bundle_id}#{self.seq} {self.code}"


class ExpertProfile(models.Model):
    NATIONAL, PROVINCIAL = "national", "provincial"
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="expert_profile")
    level = models.CharField("级别", max_length=20, choices=[(NATIONAL, "国家级"), (PROVINCIAL, "省级")],
                             default=PROVINCIAL)
    institution = models.CharField("所在单位", max_length=200, blank=True)
    specialty = models.CharField("专业", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家信息"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_level_display()})"


class ConflictDeclaration(models.Model):
    """An expert's declared interest in an institution (seed 002 §6)."""

    expert = models.ForeignKey(User, on_delete=models.CASCADE, related_name="conflicts")
    institution = models.CharField("机构名称", max_length=200)
    reason = models.CharField("利害关系", max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "利益冲突声明"

    def __str__(self) -> str:
        return f"{self.expert}: {self.institution}"


class ReviewGroup(models.Model):
    name = models.CharField("专家组", max_length=100, unique=True)
    leader = models.ForeignKey(User, on_delete=models.PROTECT, related_name="led_groups", verbose_name="组长")
    experts = models.ManyToManyField(User, related_name="review_groups", verbose_name="组员（含组长）")
    check_date = models.DateField("检查日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家组"

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    group = models.ForeignKey(ReviewGroup, on_delete=models.CASCADE, related_name="assignments")
    bundle = models.OneToOneField(Bundle, on_delete=models.CASCADE, related_name="assignment")
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "分配"

    def __str__(self) -> str:
        return f"{self.bundle} → {self.group}"


class ItemScore(models.Model):
    """One expert's judgement of one checklist item for one bundle."""

    CONFORM, NOT_CONFORM = "conform", "not_conform"
    VERDICTS = [(CONFORM, "符合"), (NOT_CONFORM, "不符合")]

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="scores")
    expert = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scores")
    item_no = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=20, choices=VERDICTS, blank=True)  # veto items
    occurrences = models.PositiveIntegerField(null=True, blank=True)  # deduction mode
    per_occurrence = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    direct_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    needs_site = models.BooleanField("需现场核实", default=False)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["bundle", "expert", "item_no"], name="score_unique")]


class PreflagDecision(models.Model):
    CONFIRM, DISMISS = "confirm", "dismiss"
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="decisions")
    expert = models.ForeignKey(User, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=[(CONFIRM, "确认"), (DISMISS, "排除")], blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警判断"
        constraints = [models.UniqueConstraint(fields=["finding", "expert"], name="decision_unique")]


class ReviewOpinion(models.Model):
    """审核意见 (§3(1)): one per expert and bundle."""

    FIELDS = ("overall", "out_of_scope", "survey", "sampling", "lab", "plan", "doubtful")
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="opinions")
    expert = models.ForeignKey(User, on_delete=models.CASCADE, related_name="opinions")
    overall = models.TextField("总体质量评价", blank=True)
    out_of_scope = models.TextField("是否存在超范围服务", blank=True)
    survey = models.TextField("现场调查方面的问题", blank=True)
    sampling = models.TextField("现场采样和检测方面的问题", blank=True)
    lab = models.TextField("实验室分析方面的问题", blank=True)
    plan = models.TextField("检测计划方面的问题", blank=True)
    doubtful = models.TextField("需现场重点核实的存疑问题", blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        constraints = [models.UniqueConstraint(fields=["bundle", "expert"], name="opinion_unique")]


class GroupItemResult(models.Model):
    """The group's value for one item, set by the leader (the attachment-4 input)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="item_results")
    item_no = models.PositiveSmallIntegerField()
    verdict = models.CharField(max_length=20, choices=ItemScore.VERDICTS, blank=True)
    score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "专家组逐项结果"
        constraints = [models.UniqueConstraint(fields=["assignment", "item_no"], name="group_item_unique")]


class GroupResult(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="result")
    problems = models.TextField("存在问题", blank=True)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家组结果"
