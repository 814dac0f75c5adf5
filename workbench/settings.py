"""Django settings. SQLite by default (``WORKBENCH_DB`` path), PostgreSQL when
``DATABASE_URL`` is set (``postgresql://user@host:port/name``, parsed by dj-database-url).

``WORKBENCH_SECRET_KEY`` must be set outside development; the default key is for the
demo and tests only (``DEBUG`` follows ``WORKBENCH_DEBUG``).
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO = BASE_DIR.parent

SECRET_KEY = os.environ.get("WORKBENCH_SECRET_KEY", "bundlecheck-workbench-dev-only-not-secret")
DEBUG = os.environ.get("WORKBENCH_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", *filter(None, os.environ.get("WORKBENCH_HOSTS", "").split(","))]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "auditlog",
    "workbench.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "workbench.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "workbench.review.context.flash",
    ]},
}]
WSGI_APPLICATION = "workbench.wsgi.application"

_SQLITE = os.environ.get("WORKBENCH_DB", str(REPO / "workbench.sqlite3"))
DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{_SQLITE}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent autosaves: a transaction takes the write lock when it starts (IMMEDIATE), so a
    # reader never has to upgrade (which SQLite refuses at once); WAL lets reads go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # Tests use a file, not shared-cache memory: the live server's threads then wait for
    # each other's writes instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("WORKBENCH_TEST_DB", str(REPO / ".workbench_test.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("WORKBENCH_STATIC_ROOT", str(REPO / "workbench_static"))

# Page images and crops rendered from the blind copies are cached here (never originals).
RENDER_CACHE = Path(os.environ.get("WORKBENCH_RENDER_CACHE", str(REPO / ".workbench_cache")))

# Import re-reads every blind copy (text + OCR) for identity strings before it may be assigned.
WORKBENCH_RECHECK = os.environ.get("WORKBENCH_RECHECK", "1") == "1"

AUDITLOG_INCLUDE_ALL_MODELS = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the autosave script reads it to send X-CSRFToken
