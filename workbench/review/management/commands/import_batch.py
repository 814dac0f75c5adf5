"""``python -m workbench import_batch OUT_DIR``: load a bundlecheck run (idempotent)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from workbench.review.importer import import_batch


class Command(BaseCommand):
    help = "导入 bundlecheck run 的输出目录（重复导入不改变任何内容）"

    def add_arguments(self, parser):
        parser.add_argument("out_dir")

    def handle(self, *args, out_dir: str, **opts):
        rep = import_batch(out_dir)
        for line in rep.lines():
            self.stdout.write(line)
