"""URLs: Django's auth views under /accounts/, the admin, and the review app."""
from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("workbench.review.urls")),
]
