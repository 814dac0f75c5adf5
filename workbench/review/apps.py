from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "workbench.review"
    label = "review"
    verbose_name = "专家审核"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from workbench.review import audit  # noqa: F401  # lazy: Django registers models after apps load
