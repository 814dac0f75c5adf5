"""``python -m workbench demo_setup OUT_DIR``: the demo database (demo only!).

Imports OUT_DIR, creates the accounts center, leader, expert1..3 (password
``bundlecheck-demo``), one group (leader + expert1..3, expert1 of national level) and
assigns it every bundle whose blind copy is verified. Running it again changes nothing.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from workbench.review import rules
from workbench.review.importer import import_batch
from workbench.review.models import Assignment, Bundle, ExpertProfile, ReviewGroup
from workbench.review.roles import ensure_roles

PASSWORD = "bundlecheck-demo"
ACCOUNTS = [("center", "联络员 李", None), ("leader", "组长 王", ExpertProfile.NATIONAL),
            ("expert1", "专家 赵", ExpertProfile.NATIONAL), ("expert2", "专家 钱", ExpertProfile.PROVINCIAL),
            ("expert3", "专家 孙", ExpertProfile.PROVINCIAL)]


class Command(BaseCommand):
    help = "演示数据库：导入批次、创建演示账号与专家组并分配（仅用于演示库）"

    def add_arguments(self, parser):
        parser.add_argument("out_dir")
        parser.add_argument("--check-date", default=None, help="检查日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, out_dir: str, check_date=None, **opts):
        for line in import_batch(out_dir).lines():
            self.stdout.write(line)
        center_group, expert_group = ensure_roles()
        User = get_user_model()
        users = {}
        for username, full, level in ACCOUNTS:
            u, created = User.objects.get_or_create(username=username, defaults={"first_name": full})
            if created:
                u.set_password(PASSWORD)
                u.save()
            users[username] = u
            if level is None:
                u.groups.add(center_group)
                if not u.is_staff:  # the admin (expert profiles, conflict declarations, audit log)
                    u.is_staff = True
                    u.save(update_fields=["is_staff"])
            else:
                u.groups.add(expert_group)
                ExpertProfile.objects.get_or_create(user=u, defaults={"level": level, "institution": "省职业病防治院"})
        g, _ = ReviewGroup.objects.get_or_create(
            name="第一专家组", defaults={"leader": users["leader"],
                                     "check_date": dt.date.fromisoformat(check_date) if check_date else dt.date.today()})
        g.experts.set([users[n] for n in ("leader", "expert1", "expert2", "expert3")])
        for b in Bundle.objects.order_by("bundle_id"):
            reasons = rules.assign_refusal(g, b)
            if reasons:
                self.stdout.write(f"{b.bundle_id} 未分配：" + "；".join(reasons))
                continue
            Assignment.objects.get_or_create(bundle=b, defaults={"group": g, "assigned_by": users["center"]})
            self.stdout.write(f"{b.bundle_id} → {g.name}")
        self.stdout.write(f"演示账号 center / leader / expert1..3，密码 {PASSWORD}")
